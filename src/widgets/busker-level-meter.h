/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * BuskerLevelMeter: a stereo level meter. Per channel a bar for the RMS level,
 * a lighter bar up to the peak, a peak-hold line, and a clip lamp at the
 * top that stays lit until clicked. The scale is linear in dB from
 * BUSKER_LEVEL_METER_FLOOR_DB to BUSKER_LEVEL_METER_TOP_DB.
 *
 * Ballistics (computed in busker_level_meter_push, in the GUI): the peak bar
 * falls at 13.3 dB/s (IEC 60268-18 type II fall time: 20 dB in 1.5 s),
 * the hold line stays 1.5 s, then falls the same way. A draw is queued
 * only when some bar moves by at least a pixel, so silence costs
 * nothing. Drawn with GSK colour nodes, no cairo.
 *
 * A host (an ancestor, e.g. the channel strip) may paint the bars itself
 * with busker_level_meter_snapshot_bars(): the meter then draws nothing
 * of its own and queues its redraws on the host (see
 * busker-channel-strip.c on why: the strip keeps the rest of itself as
 * one flattened image while the bars move).
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BUSKER_LEVEL_METER_FLOOR_DB (-60.0f)
#define BUSKER_LEVEL_METER_TOP_DB (6.0f)
/* A sample at or above this lights the clip lamp. */
#define BUSKER_LEVEL_METER_CLIP_DB (0.0f)

#define BUSKER_TYPE_LEVEL_METER (busker_level_meter_get_type ())
G_DECLARE_FINAL_TYPE (BuskerLevelMeter, busker_level_meter, BUSKER, LEVEL_METER, GtkWidget)

GtkWidget *busker_level_meter_new (void);

/* New readings in dBFS (−INFINITY for silence) at frame_time (µs, the
 * frame clock's time). Returns TRUE when a redraw was queued. */
gboolean busker_level_meter_push (BuskerLevelMeter *self, const float peak_db[2],
                            const float rms_db[2], gint64 frame_time_us);
/* The peak the bar shows now (falling), in dBFS; −INFINITY below the
 * floor. channel is 0 or 1. */
float busker_level_meter_get_peak_db (BuskerLevelMeter *self, guint channel);

/* Back to silence at once (no fall), clip lamp off. */
void busker_level_meter_reset (BuskerLevelMeter *self);

/* Property "clipped" (read-only but for clearing): the lamp is lit. */
gboolean busker_level_meter_get_clipped (BuskerLevelMeter *self);
void busker_level_meter_clear_clip (BuskerLevelMeter *self);

/* Let host (an ancestor of the meter, not owned) paint the bars; NULL
 * to paint them itself again. */
void busker_level_meter_set_host (BuskerLevelMeter *self, GtkWidget *host);
/* Appends the bars to snapshot in the meter's own coordinates (0, 0 to
 * its width and height). For the host's snapshot. */
void busker_level_meter_snapshot_bars (BuskerLevelMeter *self, GtkSnapshot *snapshot);

G_END_DECLS
