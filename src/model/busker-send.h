/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define BUSKER_TYPE_SEND (busker_send_get_type ())
G_DECLARE_FINAL_TYPE (BuskerSend, busker_send, BUSKER, SEND, GObject)

/* The target is fixed for the send's life; the project checks that it is
 * an aux bus and that no loop follows (busker_project_add_send). */
BuskerSend *busker_send_new (const char *to);

const char *busker_send_get_to (BuskerSend *self);
double busker_send_get_level_db (BuskerSend *self);
/* -INFINITY is silence; otherwise -144 ... +12. */
void busker_send_set_level_db (BuskerSend *self, double level_db);
double busker_send_get_pan (BuskerSend *self);
void busker_send_set_pan (BuskerSend *self, double pan);
gboolean busker_send_get_pre_fader (BuskerSend *self);
void busker_send_set_pre_fader (BuskerSend *self, gboolean pre_fader);
gboolean busker_send_get_mute (BuskerSend *self);
void busker_send_set_mute (BuskerSend *self, gboolean mute);

G_END_DECLS
