/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Small shared helpers of the DSP units: decibels, parameter smoothing,
 * denormal control. Header-only so the compiler inlines them on the audio
 * path. All RT-safe. The block finite check is busker_stereo_is_finite()
 * in fast-math.h.
 */
#pragma once

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#endif

static inline float
busker_db_to_gain (float db)
{
  return db <= -144.0f ? 0.0f : powf (10.0f, db * 0.05f);
}

static inline float
busker_gain_to_db (float gain)
{
  return gain <= 1e-8f ? -160.0f : 20.0f * log10f (gain);
}

/* Coefficient of a one-pole filter with time constant tau_s: the step
 * response reaches 1 - 1/e after tau_s. */
static inline float
busker_one_pole_coef (float tau_s, float sample_rate)
{
  if (tau_s <= 0.0f)
    return 1.0f;
  return 1.0f - expf (-1.0f / (tau_s * sample_rate));
}

/* A parameter that glides to its target with a one-pole filter, so a jump
 * of a knob is never heard as a click or zipper. */
typedef struct {
  float value;
  float target;
  float coef;
} BuskerSmoothed;

static inline void
busker_smoothed_init (BuskerSmoothed *s, float value, float tau_s, float sample_rate)
{
  s->value = s->target = value;
  s->coef = busker_one_pole_coef (tau_s, sample_rate);
}

static inline void
busker_smoothed_set (BuskerSmoothed *s, float target)
{
  s->target = target;
}

static inline void
busker_smoothed_snap (BuskerSmoothed *s)
{
  s->value = s->target;
}

static inline bool
busker_smoothed_settled (const BuskerSmoothed *s)
{
  return s->value == s->target;
}

/* One step; snaps when within 1e-6 relative so the settled case is exact
 * and cheap. Also snaps when the step no longer moves the float (a slow
 * glide stalls about coef^-1 ulps short of its target otherwise, and would
 * never report settled). */
static inline float
busker_smoothed_next (BuskerSmoothed *s)
{
  float v = s->value + s->coef * (s->target - s->value);
  if (v == s->value || fabsf (s->target - v) <= 1e-6f * (fabsf (s->target) + 1e-12f))
    v = s->target;
  s->value = v;
  return v;
}

/* Flush-to-zero and denormals-are-zero for the calling thread; call on the
 * audio thread and in offline renderers before processing. */
static inline void
busker_dsp_enable_ftz (void)
{
#if defined(__SSE__) || defined(__x86_64__)
  _mm_setcsr (_mm_getcsr () | 0x8040);
#endif
}

/* Flushes a filter state variable that decayed into the denormal range;
 * needed where FTZ is not set (tests, other architectures). */
static inline float
busker_flush_denormal (float x)
{
  return fabsf (x) < 1e-25f ? 0.0f : x;
}
