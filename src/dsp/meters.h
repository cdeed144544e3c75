/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Stereo meters of a strip: sample and true peak, RMS, loudness (EBU R 128
 * momentary, short-term, integrated, loudness range), correlation and a
 * gain-reduction slot. See meters.c.
 *
 * Threads: new/free on the main thread; everything else on the thread
 * that processes (RT-safe). The engine copies a readout into its atomics.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

typedef struct BuskerMeter BuskerMeter;

typedef struct {
  float peak[2];          /* sample peak since the previous read, linear */
  float true_peak[2];     /* 4x true peak since the previous read, linear */
  float true_peak_max;    /* largest true peak of both since reset, linear */
  float rms_db[2];        /* exponential window, 300 ms */
  /* LUFS / LU; -INFINITY until there is enough audio (400 ms, 3 s) or
   * when everything was gated out */
  float momentary_lufs;
  float short_term_lufs;
  float integrated_lufs;
  float loudness_range_lu;
  float correlation;      /* -1..+1, 0 for silence */
  float gain_reduction_db; /* whatever the engine stored, >= 0 */
} BuskerMeterReadout;

/* NULL on allocation failure. */
BuskerMeter *busker_meter_new (double sample_rate);
void busker_meter_free (BuskerMeter *self);

/* RT-safe from here on. */
void busker_meter_reset (BuskerMeter *self);
/* Returns false, and ignores the block, when it holds a NaN or Inf (or the
 * filter state overflowed, which resets the short-term state). */
bool busker_meter_process (BuskerMeter *self, const float *left, const float *right,
                           uint32_t n);
void busker_meter_set_gain_reduction_db (BuskerMeter *self, float db);
/* Fills out and starts new "since the previous read" peaks. Bounded work:
 * the integrated and range values are recomputed at most once per 100 ms
 * of audio. */
void busker_meter_read (BuskerMeter *self, BuskerMeterReadout *out);
