/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "engine/busker-mix-desc.h"
#include "busker-insert.h"
#include "busker-send.h"
#include "busker-source.h"

G_BEGIN_DECLS

#define BUSKER_TYPE_STRIP (busker_strip_get_type ())
G_DECLARE_FINAL_TYPE (BuskerStrip, busker_strip, BUSKER, STRIP, GObject)

/* id must match [a-z0-9_-]+ (busker_strip_id_is_valid); a master's id is
 * "master". The output starts at "master" (none on the master). */
BuskerStrip *busker_strip_new (BuskerStripKind kind, const char *id);

gboolean busker_strip_id_is_valid (const char *id);
const char *busker_strip_kind_to_string (BuskerStripKind kind);

const char *busker_strip_get_id (BuskerStrip *self);
BuskerStripKind busker_strip_get_kind (BuskerStrip *self);
/* Falls back to the id when no name was set. */
const char *busker_strip_get_name (BuskerStrip *self);
void busker_strip_set_name (BuskerStrip *self, const char *name);
/* "#rrggbb" or NULL. */
const char *busker_strip_get_color (BuskerStrip *self);
void busker_strip_set_color (BuskerStrip *self, const char *color);
/* Tracks only; NULL for a silent track and on buses. */
BuskerSource *busker_strip_get_source (BuskerStrip *self);
void busker_strip_set_source (BuskerStrip *self, BuskerSource *source);
double busker_strip_get_trim_db (BuskerStrip *self);
void busker_strip_set_trim_db (BuskerStrip *self, double trim_db);
gboolean busker_strip_get_polarity_invert (BuskerStrip *self);
void busker_strip_set_polarity_invert (BuskerStrip *self, gboolean invert);
double busker_strip_get_gain_db (BuskerStrip *self);
/* -INFINITY is silence; otherwise clamped to -144 ... +12. */
void busker_strip_set_gain_db (BuskerStrip *self, double gain_db);
double busker_strip_get_pan (BuskerStrip *self);
void busker_strip_set_pan (BuskerStrip *self, double pan);
gboolean busker_strip_get_mute (BuskerStrip *self);
void busker_strip_set_mute (BuskerStrip *self, gboolean mute);
gboolean busker_strip_get_solo (BuskerStrip *self);
void busker_strip_set_solo (BuskerStrip *self, gboolean solo);
/* The id of the strip this one feeds; NULL on the master. Change it with
 * busker_project_set_output, which refuses loops. */
const char *busker_strip_get_output (BuskerStrip *self);

/* GListModel of BuskerInsert, in processing order. */
GListModel *busker_strip_get_inserts (BuskerStrip *self);
void busker_strip_insert_insert (BuskerStrip *self, guint position,
                                 BuskerInsert *insert);
void busker_strip_remove_insert (BuskerStrip *self, guint position);
/* One undo step. */
void busker_strip_move_insert (BuskerStrip *self, guint from, guint to);
/* GListModel of BuskerSend; add and remove through the project. */
GListModel *busker_strip_get_sends (BuskerStrip *self);

G_END_DECLS
