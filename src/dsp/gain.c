/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The "gain" insert: a gain in dB, a fold to mono and a left/right swap.
 *
 * Design: the gain is smoothed in the linear domain; the two switches are
 * not applied as steps but as 0..1 amounts that glide (mono cross-fades the
 * side signal away, swap cross-fades the channels), so toggling either is
 * never a click. When all three are settled the loop is a plain multiply.
 */
#include "gain.h"
#include "fast-math.h"

#include <stdlib.h>

#include "params.h"

#define SMOOTH_TAU_S 0.01f

struct BuskerGain {
  float sample_rate;
  BuskerSmoothed gain;  /* linear */
  BuskerSmoothed mono;  /* 0 = stereo, 1 = both channels carry (L+R)/2 */
  BuskerSmoothed swap;  /* 0 = straight, 1 = left and right exchanged */
};

BuskerGain *
busker_gain_new (double sample_rate)
{
  BuskerGain *self = calloc (1, sizeof *self);
  if (self == NULL)
    return NULL;
  self->sample_rate = (float) sample_rate;
  busker_smoothed_init (&self->gain, 1.0f, SMOOTH_TAU_S, self->sample_rate);
  busker_smoothed_init (&self->mono, 0.0f, SMOOTH_TAU_S, self->sample_rate);
  busker_smoothed_init (&self->swap, 0.0f, SMOOTH_TAU_S, self->sample_rate);
  return self;
}

void
busker_gain_free (BuskerGain *self)
{
  free (self);
}

/* RT-safe: settles every parameter at its target. */
void
busker_gain_reset (BuskerGain *self)
{
  busker_smoothed_snap (&self->gain);
  busker_smoothed_snap (&self->mono);
  busker_smoothed_snap (&self->swap);
}

/* RT-safe */
void
busker_gain_set_gain_db (BuskerGain *self, float gain_db)
{
  busker_smoothed_set (&self->gain, busker_db_to_gain (gain_db));
}

/* RT-safe */
void
busker_gain_set_mono (BuskerGain *self, bool mono)
{
  busker_smoothed_set (&self->mono, mono ? 1.0f : 0.0f);
}

/* RT-safe */
void
busker_gain_set_swap_lr (BuskerGain *self, bool swap_lr)
{
  busker_smoothed_set (&self->swap, swap_lr ? 1.0f : 0.0f);
}

/* RT-safe */
bool
busker_gain_process (BuskerGain *self, float *left, float *right, uint32_t n)
{
  if (!busker_stereo_is_finite (left, right, n)
      || !isfinite (self->gain.target))
    {
      for (uint32_t i = 0; i < n; i++)
        left[i] = right[i] = 0.0f;
      busker_gain_reset (self);
      return false;
    }

  if (busker_smoothed_settled (&self->gain) && busker_smoothed_settled (&self->mono)
      && busker_smoothed_settled (&self->swap)
      && (self->mono.value == 0.0f || self->mono.value == 1.0f)
      && (self->swap.value == 0.0f || self->swap.value == 1.0f))
    {
      const float g = self->gain.value;
      const bool swap = self->swap.value == 1.0f;
      if (self->mono.value == 1.0f)
        for (uint32_t i = 0; i < n; i++)
          left[i] = right[i] = 0.5f * g * (left[i] + right[i]);
      else if (swap)
        for (uint32_t i = 0; i < n; i++)
          {
            float l = left[i];
            left[i] = g * right[i];
            right[i] = g * l;
          }
      else
        for (uint32_t i = 0; i < n; i++)
          {
            left[i] *= g;
            right[i] *= g;
          }
      return true;
    }

  BuskerSmoothed gain = self->gain, mono = self->mono, swap = self->swap;
  for (uint32_t i = 0; i < n; i++)
    {
      float g = busker_smoothed_next (&gain);
      float m = busker_smoothed_next (&mono);
      float s = busker_smoothed_next (&swap);
      float l = left[i] + s * (right[i] - left[i]);
      float r = right[i] + s * (left[i] - right[i]);
      float mid = 0.5f * (l + r);
      left[i] = g * (l + m * (mid - l));
      right[i] = g * (r + m * (mid - r));
    }
  self->gain = gain;
  self->mono = mono;
  self->swap = swap;
  return true;
}

/* The class adapter of effect.h. */

static void *
gain_create (double sample_rate, uint32_t max_block)
{
  return busker_gain_new (sample_rate);
}

static void
gain_destroy (void *self)
{
  busker_gain_free (self);
}

static void
gain_reset (void *self)
{
  busker_gain_reset (self);
}

static void
gain_set_param (void *self, uint32_t index, float value)
{
  switch (index)
    {
    case BUSKER_GAIN_GAIN_DB:
      busker_gain_set_gain_db (self, value);
      break;
    case BUSKER_GAIN_MONO:
      busker_gain_set_mono (self, value >= 0.5f);
      break;
    case BUSKER_GAIN_SWAP_LR:
      busker_gain_set_swap_lr (self, value >= 0.5f);
      break;
    default:
      break;
    }
}

static bool
gain_process (void *self, float *left, float *right, uint32_t n)
{
  return busker_gain_process (self, left, right, n);
}

const BuskerEffectClass busker_gain_class = {
  .type = "gain",
  .label = BUSKER_N_ ("Gain"),
  .params = busker_gain_params,
  .n_params = BUSKER_GAIN_N_PARAMS,
  .create = gain_create,
  .destroy = gain_destroy,
  .reset = gain_reset,
  .set_param = gain_set_param,
  .process = gain_process,
};
