/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "dsp/effect.h"

G_BEGIN_DECLS

#define BUSKER_TYPE_INSERT (busker_insert_get_type ())
G_DECLARE_FINAL_TYPE (BuskerInsert, busker_insert, BUSKER, INSERT, GObject)

/* NULL when type is not an effect type of FORMAT.md. Every parameter
 * starts at its default from the effect's parameter table. */
BuskerInsert *busker_insert_new (const char *type);

const char *busker_insert_get_effect_type (BuskerInsert *self);
gboolean busker_insert_get_bypass (BuskerInsert *self);
void busker_insert_set_bypass (BuskerInsert *self, gboolean bypass);
gboolean busker_insert_get_post_fader (BuskerInsert *self);
void busker_insert_set_post_fader (BuskerInsert *self, gboolean post_fader);

/* The parameter table (src/dsp/params.c) this insert's values index. */
const BuskerParamSpec *busker_insert_get_params (BuskerInsert *self,
                                                 guint *n_params);
float busker_insert_get_value (BuskerInsert *self, guint index);
/* Clamped to the spec's range; emits ::value-changed on a real change. */
void busker_insert_set_value (BuskerInsert *self, guint index, float value);
/* -1 when the name is not a parameter of this type. */
int busker_insert_find_param (BuskerInsert *self, const char *name);

G_END_DECLS
