/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * BuskerChannelStrip: one strip of the mixer, top to bottom: colour and
 * name (double-click or F2 renames in place), source, trim and polarity,
 * the insert rack, the sends, pan, the fader with its meter and numeric
 * entry, mute and solo, the output selector. Every control is bound to
 * the model (g_object_bind_property) and edits only through it; the
 * accessible names follow docs/accessibility.md and the strip's name.
 *
 * Signals: "message" (const char *sentence) for the window's toast;
 * "header-clicked" (gboolean extend) when the name header is clicked
 * (extend: Ctrl was held), for the mixer's selection.
 */
#pragma once

#include <gtk/gtk.h>

#include "model/busker-project.h"
#include "busker-level-meter.h"

G_BEGIN_DECLS

#define BUSKER_TYPE_CHANNEL_STRIP (busker_channel_strip_get_type ())
G_DECLARE_FINAL_TYPE (BuskerChannelStrip, busker_channel_strip, BUSKER, CHANNEL_STRIP, GtkWidget)

GtkWidget *busker_channel_strip_new (BuskerProject *project, BuskerStrip *strip);

BuskerStrip *busker_channel_strip_get_strip (BuskerChannelStrip *self);
BuskerLevelMeter *busker_channel_strip_get_meter (BuskerChannelStrip *self);
/* The name header: what a drag of the strip starts from. */
GtkWidget *busker_channel_strip_get_header (BuskerChannelStrip *self);

gboolean busker_channel_strip_get_selected (BuskerChannelStrip *self);
void busker_channel_strip_set_selected (BuskerChannelStrip *self, gboolean selected);
/* A file track whose file could not be read: the source is marked. */
void busker_channel_strip_set_missing (BuskerChannelStrip *self, gboolean missing);
/* A live or capture track that is not heard: problem (one sentence, the
 * source label's tooltip) or NULL. */
void busker_channel_strip_set_problem (BuskerChannelStrip *self, const char *problem);
/* Rack and sends of all strips share the groups, so rows line up. */
void busker_channel_strip_set_size_groups (BuskerChannelStrip *self,
                                           GtkSizeGroup *rack, GtkSizeGroup *sends);
/* Shows the name entry, focused. */
void busker_channel_strip_start_rename (BuskerChannelStrip *self);

G_END_DECLS
