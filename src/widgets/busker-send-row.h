/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * BuskerSendRow: one send of a strip: the aux bus it feeds, its level
 * (a BuskerFader, −inf at the left), pan, pre-fader and mute toggles and a
 * remove button, bound to the BuskerSend. Names: "Kick send to Reverb
 * level", "… pan", "… pre-fader", "… mute", "… remove".
 * Signal "message" (const char *sentence).
 */
#pragma once

#include <gtk/gtk.h>

#include "model/busker-project.h"

G_BEGIN_DECLS

#define BUSKER_TYPE_SEND_ROW (busker_send_row_get_type ())
G_DECLARE_FINAL_TYPE (BuskerSendRow, busker_send_row, BUSKER, SEND_ROW, GtkWidget)

GtkWidget *busker_send_row_new (BuskerProject *project, BuskerStrip *strip, BuskerSend *send);
BuskerSend *busker_send_row_get_send (BuskerSendRow *self);

G_END_DECLS
