/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A read tap of a ring buffer that never jumps: when its delay changes, a
 * second tap starts at the new delay and the reader cross-fades linearly
 * to it. A delay changed again during a fade waits for that fade to end,
 * then fades to the latest value, so a swept knob gives a chain of fades.
 * No fractional reads: no pitch glide, no high loss. Shared by the delay
 * and the reverb's pre-delay. All RT-safe.
 */
#pragma once

#include <stdint.h>

typedef struct {
  uint32_t target; /* frames the parameter asks for */
  uint32_t a;      /* frames of the tap being heard */
  uint32_t b;      /* frames of the tap fading in */
  uint32_t pos;    /* frames into the fade; 0 = none */
  uint32_t len;    /* fade length in frames, >= 1 */
  float step;      /* 1 / len */
} BuskerFadeTap;

static inline void
busker_fade_tap_init (BuskerFadeTap *t, uint32_t frames, uint32_t fade_frames)
{
  t->target = t->a = t->b = frames;
  t->pos = 0;
  t->len = fade_frames > 0 ? fade_frames : 1;
  t->step = 1.0f / (float) t->len;
}

static inline void
busker_fade_tap_set (BuskerFadeTap *t, uint32_t frames)
{
  t->target = frames;
}

/* Lands on the target at once (reset). */
static inline void
busker_fade_tap_snap (BuskerFadeTap *t)
{
  t->a = t->b = t->target;
  t->pos = 0;
}

/* Once per frame, before reading: the weight of tap b in this frame (0
 * when no fade runs; then b == a is safe to read too). */
static inline float
busker_fade_tap_weight (BuskerFadeTap *t)
{
  if (t->pos == 0)
    {
      if (t->target == t->a)
        return 0.0f;
      t->b = t->target;
      t->pos = 1;
    }
  return (float) t->pos * t->step;
}

/* Once per frame, after reading. */
static inline void
busker_fade_tap_advance (BuskerFadeTap *t)
{
  if (t->pos != 0 && ++t->pos > t->len)
    {
      t->a = t->b;
      t->pos = 0;
    }
}
