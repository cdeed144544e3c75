/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Oversampling shared by the saturation (up, curve, down), the limiter and
 * the meters (4x true-peak detection). See oversample.c for the design.
 * No allocation anywhere: every state is a fixed-size struct.
 */
#pragma once

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "fast-math.h"

/* Nonzero taps of the two halfband stages (multiples of 4). */
#define BUSKER_HB_A_TAPS 36 /* 1x <-> 2x, pass 0.417 fs, stop 0.583 fs */
#define BUSKER_HB_B_TAPS 16 /* 2x <-> 4x, pass 0.5 fs, stop 1.5 fs */
#define BUSKER_HB_MAX_TAPS 36

/* Four floats as one SIMD register: GCC and Clang lower these generic
 * vectors to SSE/NEON, or to scalar code where there is none. Plain loops
 * would stay scalar at -O2 (float sums are not reassociated). */
typedef float BuskerV4f __attribute__ ((vector_size (16)));

/* One halfband stage in one direction, one channel. */
typedef struct {
  /* The first m / 2 nonzero (even-index) taps, newest first, each in all
   * four lanes; the taps are symmetric, so these are all of them. Scaled
   * by 1/2 in the down direction (the centre tap's weight). */
  const BuskerV4f *g;
  uint32_t m;      /* number of nonzero taps, even */
  uint32_t d;      /* delay of the centre tap in low-rate samples */
  float hist[BUSKER_HB_MAX_TAPS];  /* last m - 1 inputs (up) or even samples (down), oldest first */
  float ohist[BUSKER_HB_MAX_TAPS]; /* down only: last d + 1 odd samples, oldest first */
} BuskerHalfband;

/* A mono 1x/2x/4x up- and down-sampler. */
typedef struct {
  uint32_t factor;
  BuskerV4f up_coef_a[BUSKER_HB_A_TAPS / 2], down_coef_a[BUSKER_HB_A_TAPS / 2];
  BuskerV4f up_coef_b[BUSKER_HB_B_TAPS / 2], down_coef_b[BUSKER_HB_B_TAPS / 2];
  BuskerHalfband up_a, up_b, down_a, down_b;
  float z_2x; /* one 2x-rate sample of delay so the 4x round trip is whole frames */
} BuskerOversampler;

/* factor is 1, 2 or 4. */
void busker_oversampler_init (BuskerOversampler *os, uint32_t factor);
void busker_oversampler_reset (BuskerOversampler *os);
/* Latency of up followed by down, in base-rate frames. */
uint32_t busker_oversampler_latency (uint32_t factor);
/* RT-safe: in[n] -> out[n * factor]. */
void busker_oversampler_up (BuskerOversampler *os, const float *in, float *out, uint32_t n);
/* RT-safe: in[n * factor] -> out[n]. in is used as scratch. */
void busker_oversampler_down (BuskerOversampler *os, float *in, float *out, uint32_t n);

/* 4x polyphase windowed-sinc interpolator for true-peak detection. */
#define BUSKER_TP_TAPS 16 /* per phase */

typedef struct {
  BuskerV4f h[BUSKER_TP_TAPS]; /* h[k][phase], applied to x[n - k] */
  float ring[2 * BUSKER_TP_TAPS];
  uint32_t pos;
} BuskerTruePeak;

/* cutoff is relative to the base-rate Nyquist frequency: 0.9 for a meter
 * (flat to 20 kHz at 44.1 kHz), above 1 for a detector that should rather
 * over- than under-read near Nyquist. */
void busker_true_peak_init (BuskerTruePeak *tp, float cutoff);
void busker_true_peak_reset (BuskerTruePeak *tp);

/* The largest |x| of the four interpolated points returned by a tick lies
 * in (n - D - 1, n - D] where n is the newest input. */
#define BUSKER_TP_DELAY (BUSKER_TP_TAPS / 2 - 1)

/* The largest sum of |h| over the taps of one phase: no point a tick
 * returns exceeds it times the largest |x| of the newest BUSKER_TP_TAPS
 * inputs (before float rounding, which adds under 1e-6 of it). */
float busker_true_peak_gain_bound (const BuskerTruePeak *tp);

/* RT-safe: pushes x without computing the four points, for a caller that
 * has shown with busker_true_peak_gain_bound that it does not need them. */
static inline void
busker_true_peak_push (BuskerTruePeak *tp, float x)
{
  uint32_t pos = tp->pos == 0 ? BUSKER_TP_TAPS - 1 : tp->pos - 1;
  tp->pos = pos;
  tp->ring[pos] = tp->ring[pos + BUSKER_TP_TAPS] = x;
}

/* RT-safe: pushes x and returns the largest magnitude of the four points. */
static inline float
busker_true_peak_tick (BuskerTruePeak *tp, float x)
{
  busker_true_peak_push (tp, x);
  const float *r = tp->ring + tp->pos;
  /* the four phases are the four lanes; two sums halve the add chain */
  BuskerV4f a = { 0.0f, 0.0f, 0.0f, 0.0f }, b = a;
  for (uint32_t k = 0; k < BUSKER_TP_TAPS; k += 2)
    {
      a += tp->h[k] * r[k];
      b += tp->h[k + 1] * r[k + 1];
    }
  a += b;
  float m01 = busker_maxf (fabsf (a[0]), fabsf (a[1]));
  float m23 = busker_maxf (fabsf (a[2]), fabsf (a[3]));
  return busker_maxf (m01, m23);
}
