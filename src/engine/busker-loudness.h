/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Loudness analysis of a stereo signal (EBU R 128 via libebur128): the
 * report of `busker-export --analyze` and the measurements behind
 * loudness normalization. Streaming: feed interleaved stereo blocks, then
 * read the report. Main thread or export thread; not RT.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef struct {
  double integrated_lufs;   /* -INFINITY for silence */
  double loudness_range_lu;
  double true_peak_dbtp;    /* -INFINITY for silence */
  double sample_peak_dbfs;  /* -INFINITY for silence */
  double mono_loss_lu;      /* integrated(stereo) - integrated((L+R)/2 on both); NAN for silence */
} BuskerLoudnessReport;

typedef struct _BuskerLoudness BuskerLoudness;

/* with_mono adds the mono fold-down meter (a second pass of filtering). */
BuskerLoudness *busker_loudness_new (double sample_rate, gboolean with_mono);
void busker_loudness_free (BuskerLoudness *self);

/* Interleaved stereo (L, R, L, R, ...). */
void busker_loudness_add (BuskerLoudness *self, const float *frames, size_t n);

void busker_loudness_report (BuskerLoudness *self, BuskerLoudnessReport *report);

/* Every sample zero (no peak at all). */
gboolean busker_loudness_report_is_silent (const BuskerLoudnessReport *report);
/* The stereo mix has a loudness but its mono fold (L+R)/2 is silent or
 * under the -70 LUFS gate: mono_loss_lu is +INFINITY. */
gboolean busker_loudness_report_mono_cancels (const BuskerLoudnessReport *report);

/* A lighter meter for analysing many signals of one mix at once (the mix
 * assistant): integrated loudness only, with short_term also the largest
 * short-term (3 s window) loudness, read every 375 ms, and with
 * dual_mono for a signal whose channels are known to be identical (a
 * one-channel source): it meters one channel, at half the cost, and
 * reports the stereo pair's loudness; short_term_only drops integrated
 * loudness (libebur128 then skips its gating blocks). busker_loudness_report
 * on it fills integrated_lufs only (the rest -INFINITY/0/NAN), or,
 * with_mono, the mono fold-down loss too. */
typedef enum {
  BUSKER_LOUDNESS_SHORT_TERM = 1 << 0,
  BUSKER_LOUDNESS_DUAL_MONO = 1 << 1,
  BUSKER_LOUDNESS_WITH_MONO = 1 << 2,
  BUSKER_LOUDNESS_SHORT_TERM_ONLY = 1 << 3, /* no integrated loudness (NAN): cheaper */
} BuskerLoudnessFlags;
BuskerLoudness *busker_loudness_new_light (double sample_rate, BuskerLoudnessFlags flags);

/* Planar stereo, n frames (any meter). */
void busker_loudness_add_planar (BuskerLoudness *self, const float *left,
                                 const float *right, size_t n);

/* Integrated loudness so far in LUFS; -INFINITY for silence, NAN for a
 * meter made with BUSKER_LOUDNESS_SHORT_TERM_ONLY. */
double busker_loudness_get_integrated (BuskerLoudness *self);
/* Largest short-term loudness in LUFS; -INFINITY for silence or a meter
 * made without short_term. */
double busker_loudness_get_short_term_max (BuskerLoudness *self);

/* The report as text for a person, or as one JSON object (FORMAT.md keys,
 * plus "silent" and "mono_cancels" as booleans; an infinite or undefined
 * value is null). */
char *busker_loudness_report_to_text (const BuskerLoudnessReport *report);
char *busker_loudness_report_to_json (const BuskerLoudnessReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuskerLoudness, busker_loudness_free)

G_END_DECLS
