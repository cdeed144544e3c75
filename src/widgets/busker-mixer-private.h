/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Inside the mixer: what busker-mixer.c and busker-mixer-dnd.c share, and
 * the hooks tests and benchmarks use.
 */
#pragma once

#include "busker-channel-strip.h"
#include "busker-mixer.h"

G_BEGIN_DECLS

/* Where meters read from instead of the session. Benchmark input only
 * (tests/bench), never live levels: the app reads the session. */
typedef gboolean (*BuskerMixerMeterReader) (BuskerStrip *strip, BuskerStripMeter *meter,
                                            gpointer data);
void busker_mixer_set_meter_reader (BuskerMixer *self, BuskerMixerMeterReader reader,
                                    gpointer data);

/* The strip widget showing strip, or NULL. */
BuskerChannelStrip *busker_mixer_get_strip_widget (BuskerMixer *self, BuskerStrip *strip);

/* busker-mixer.c, for the drag and drop code. */
void _busker_mixer_emit_message (BuskerMixer *self, const char *sentence);
BuskerProject *_busker_mixer_project (BuskerMixer *self);
GObject *_busker_mixer_session (BuskerMixer *self);
/* The strip widgets in the project's order (borrowed). */
GPtrArray *_busker_mixer_strips (BuskerMixer *self);
/* Adds one file track per file, as one undo step; files that are not
 * audio are refused with a message. Returns how many were added. */
guint _busker_mixer_add_file_tracks (BuskerMixer *self, GFile **files, guint n_files);

/* busker-mixer-dnd.c */
void _busker_mixer_dnd_setup_strip (BuskerMixer *self, BuskerChannelStrip *strip);
void _busker_mixer_dnd_setup_files (BuskerMixer *self, GtkWidget *target_widget);

G_END_DECLS
