/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Gain staging helpers the engine uses on every strip (trim, polarity,
 * pan, balance, per-block gain ramps), and the "gain" insert (gain_db,
 * mono, swap_lr).
 *
 * Pan law (FORMAT.md "pan"): a mono source is panned with constant power,
 * theta = (pan + 1) * pi / 4, left = cos theta, right = sin theta, so the
 * centre is -3.01 dB on both sides and the summed power is constant. A
 * stereo source is balanced instead: the centre leaves both sides at unity,
 * moving towards one side attenuates only the other one with
 * cos (|pan| * pi / 2), reaching silence at the end.
 *
 * Everything here is RT-safe and header-only so it inlines on the audio
 * path.
 */
#pragma once

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "dsp-util.h"

/* RT-safe */
static inline void
busker_pan_gains (float pan, bool mono_source, float *gain_l, float *gain_r)
{
  const float quarter_pi = 0.78539816339744830962f;

  if (!(pan >= -1.0f))
    pan = pan > 1.0f ? 1.0f : -1.0f; /* also maps NaN to hard left */
  if (pan > 1.0f)
    pan = 1.0f;

  if (mono_source)
    {
      float theta = (pan + 1.0f) * quarter_pi;
      *gain_l = cosf (theta);
      *gain_r = sinf (theta);
    }
  else if (pan <= 0.0f)
    {
      *gain_l = 1.0f;
      *gain_r = cosf (-pan * 2.0f * quarter_pi);
    }
  else
    {
      *gain_l = cosf (pan * 2.0f * quarter_pi);
      *gain_r = 1.0f;
    }
}

/* Linear input gain of a strip: trim in dB and the polarity switch.
 * RT-safe */
static inline float
busker_trim_gain (float trim_db, bool polarity_invert)
{
  float g = busker_db_to_gain (trim_db);
  return polarity_invert ? -g : g;
}

/* Multiplies a block by a gain that moves linearly from gain_from to
 * gain_to over the block: the engine's way to apply a fader or pan move
 * without a step. With equal ends it is a plain multiply.
 * RT-safe */
static inline void
busker_gain_apply_ramp (float *x, uint32_t n, float gain_from, float gain_to)
{
  if (n == 0)
    return;
  if (gain_from == gain_to)
    {
      for (uint32_t i = 0; i < n; i++)
        x[i] *= gain_to;
      return;
    }
  float step = (gain_to - gain_from) / (float) n;
  for (uint32_t i = 0; i < n; i++)
    x[i] *= gain_from + step * (float) (i + 1);
}

/* The "gain" insert. */
typedef struct BuskerGain BuskerGain;

BuskerGain *busker_gain_new (double sample_rate);
void busker_gain_free (BuskerGain *self);

/* RT-safe from here on. */
void busker_gain_reset (BuskerGain *self);
void busker_gain_set_gain_db (BuskerGain *self, float gain_db);
void busker_gain_set_mono (BuskerGain *self, bool mono);
void busker_gain_set_swap_lr (BuskerGain *self, bool swap_lr);
bool busker_gain_process (BuskerGain *self, float *left, float *right,
                          uint32_t n);
