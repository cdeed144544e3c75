/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Stereo width in mid/side: the side signal is scaled by `width` (0 gives
 * L = R exactly, 1 leaves it, 2 doubles it) and the mid is never touched.
 *
 * Bass mono filters the side channel only, with a 4th-order
 * Linkwitz-Riley high pass (two Butterworth sections) at bass_mono_hz:
 * below it the side is gone, so the bass is mono, and the mid, which
 * carries the mono sum, keeps its exact phase. Turning bass mono on or off
 * cross-fades between the filtered and the unfiltered side; the filter
 * keeps its last cut-off while fading out and glides between cut-offs in
 * short sub-blocks, so no knob move clicks.
 *
 * At width 1 with bass mono off (both settled) the block is left as it
 * came: a bit-exact pass-through, not M + S, which would round.
 */
#include "width.h"
#include "fast-math.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "biquad.h"
#include "dsp-util.h"
#include "params.h"

#define SMOOTH_TAU_S 0.02f
/* Coefficients are redesigned at most this often while the cut-off glides. */
#define SUB_BLOCK 32

struct BuskerWidth {
  float sample_rate;
  float width_param;        /* cached parameter values */
  float bass_mono_param;
  BuskerSmoothed width;     /* gain of the side signal */
  BuskerSmoothed bass_mix;  /* 0: full-band side, 1: high-passed side */
  BuskerSmoothed hp_hz;     /* cut-off; holds the last non-zero value when off */
  float designed_hz;        /* cut-off the coefficients below were made for */
  BuskerBiquadCoefs hp;     /* one Butterworth section; applied twice = LR4 */
  BuskerBiquadState hp_state[2];
};

static void
design (BuskerWidth *self, float hz)
{
  busker_biquad_design (&self->hp, BUSKER_BIQUAD_HIGH_PASS, self->sample_rate,
                        hz, M_SQRT1_2, 0.0);
  self->designed_hz = hz;
}

BuskerWidth *
busker_width_new (double sample_rate)
{
  BuskerWidth *self = calloc (1, sizeof *self);
  if (self == NULL)
    return NULL;
  self->sample_rate = (float) sample_rate;
  self->width_param = busker_width_params[BUSKER_WIDTH_WIDTH].def;
  self->bass_mono_param = busker_width_params[BUSKER_WIDTH_BASS_MONO_HZ].def;
  busker_smoothed_init (&self->width, self->width_param, SMOOTH_TAU_S, self->sample_rate);
  busker_smoothed_init (&self->bass_mix, self->bass_mono_param > 0.0f, SMOOTH_TAU_S,
                        self->sample_rate);
  busker_smoothed_init (&self->hp_hz, self->bass_mono_param > 0.0f ? self->bass_mono_param : 100.0f,
                        SMOOTH_TAU_S, self->sample_rate / SUB_BLOCK);
  design (self, self->hp_hz.value);
  return self;
}

void
busker_width_free (BuskerWidth *self)
{
  free (self);
}

/* RT-safe */
void
busker_width_reset (BuskerWidth *self)
{
  memset (self->hp_state, 0, sizeof self->hp_state);
  busker_smoothed_snap (&self->width);
  busker_smoothed_snap (&self->bass_mix);
  busker_smoothed_snap (&self->hp_hz);
  design (self, self->hp_hz.value);
}

/* RT-safe */
void
busker_width_set_width (BuskerWidth *self, float width)
{
  if (width == self->width_param)
    return;
  self->width_param = width;
  busker_smoothed_set (&self->width, width);
}

/* RT-safe */
void
busker_width_set_bass_mono_hz (BuskerWidth *self, float hz)
{
  if (hz == self->bass_mono_param)
    return;
  self->bass_mono_param = hz;
  busker_smoothed_set (&self->bass_mix, hz > 0.0f ? 1.0f : 0.0f);
  if (hz > 0.0f)
    {
      /* Off to on starts at the new cut-off rather than gliding from an
       * old one nobody hears. */
      busker_smoothed_set (&self->hp_hz, hz);
      if (self->bass_mix.value == 0.0f)
        busker_smoothed_snap (&self->hp_hz);
    }
}

/* RT-safe */
static void
silence (BuskerWidth *self, float *left, float *right, uint32_t n)
{
  memset (left, 0, n * sizeof *left);
  memset (right, 0, n * sizeof *right);
  busker_width_reset (self);
}

/* RT-safe */
bool
busker_width_process (BuskerWidth *self, float *left, float *right, uint32_t n)
{
  if (!busker_stereo_is_finite (left, right, n))
    {
      silence (self, left, right, n);
      return false;
    }

  if (busker_smoothed_settled (&self->width) && self->width.value == 1.0f
      && busker_smoothed_settled (&self->bass_mix) && self->bass_mix.value == 0.0f)
    return true;

  BuskerBiquadState s0 = self->hp_state[0], s1 = self->hp_state[1];

  for (uint32_t start = 0; start < n; start += SUB_BLOCK)
    {
      uint32_t end = start + SUB_BLOCK < n ? start + SUB_BLOCK : n;
      float hz = busker_smoothed_next (&self->hp_hz);
      if (hz != self->designed_hz)
        design (self, hz);
      const BuskerBiquadCoefs c = self->hp;

      for (uint32_t i = start; i < end; i++)
        {
          float w = busker_smoothed_next (&self->width);
          float bm = busker_smoothed_next (&self->bass_mix);
          float m = 0.5f * (left[i] + right[i]);
          float s = 0.5f * (left[i] - right[i]);
          float hs = busker_biquad_tick (&c, &s1, busker_biquad_tick (&c, &s0, s));
          float side = w * (s + bm * (hs - s));
          left[i] = m + side;
          right[i] = m - side;
        }
    }
  busker_biquad_flush (&s0);
  busker_biquad_flush (&s1);
  self->hp_state[0] = s0;
  self->hp_state[1] = s1;

  if (!busker_stereo_is_finite (left, right, n))
    {
      silence (self, left, right, n);
      return false;
    }
  return true;
}

/* The effect class adapter. */

static void *
width_create (double sample_rate, uint32_t max_block)
{
  (void) max_block;
  return busker_width_new (sample_rate);
}

static void
width_destroy (void *self)
{
  busker_width_free (self);
}

static void
width_reset (void *self)
{
  busker_width_reset (self);
}

static void
width_set_param (void *self, uint32_t index, float value)
{
  switch (index)
    {
    case BUSKER_WIDTH_WIDTH:
      busker_width_set_width (self, value);
      break;
    case BUSKER_WIDTH_BASS_MONO_HZ:
      busker_width_set_bass_mono_hz (self, value);
      break;
    default:
      break;
    }
}

static bool
width_process (void *self, float *left, float *right, uint32_t n)
{
  return busker_width_process (self, left, right, n);
}

const BuskerEffectClass busker_width_class = {
  .type = "stereo_width",
  .label = BUSKER_N_ ("Stereo width"),
  .params = busker_width_params,
  .n_params = BUSKER_WIDTH_N_PARAMS,
  .create = width_create,
  .destroy = width_destroy,
  .reset = width_reset,
  .set_param = width_set_param,
  .process = width_process,
};
