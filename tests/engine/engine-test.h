/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Helpers of the engine tests: test-only effect classes with known,
 * trivially computable behaviour (so a test checks the engine, not a DSP
 * unit), deterministic noise sources and an error measure in dB.
 */
#pragma once

#include <glib.h>
#include <math.h>
#include <string.h>

#include "engine/busker-plan.h"
#include "dsp/params.h"
#include "engine/busker-process.h"

/* "test_delay": a pure delay of param 0 frames that reports it as its
 * look-ahead, and multiplies by param 1 (linear gain). Param 2 > 0 makes
 * process() fail (returns false). */
typedef struct {
  uint32_t delay, pos;
  float gain;
  bool fail;
  float ring[2][4096];
} TestDelay;

static const BuskerParamSpec test_delay_params[] = {
  { "frames", "Frames", "", BUSKER_PARAM_FLOAT, BUSKER_SCALE_LINEAR, 0, 4096, 0, NULL },
  { "gain", "Gain", "", BUSKER_PARAM_FLOAT, BUSKER_SCALE_LINEAR, 0, 100, 1, NULL },
  { "fail", "Fail", "", BUSKER_PARAM_BOOL, BUSKER_SCALE_LINEAR, 0, 1, 0, NULL },
};

static void *
test_delay_create (double sample_rate, uint32_t max_block)
{
  TestDelay *d = g_new0 (TestDelay, 1);
  d->gain = 1.0f;
  return d;
}

static void
test_delay_reset (void *self)
{
  TestDelay *d = self;
  memset (d->ring, 0, sizeof d->ring);
  d->pos = 0;
}

static void
test_delay_set_param (void *self, uint32_t index, float value)
{
  TestDelay *d = self;
  if (index == 0)
    d->delay = (uint32_t) value;
  else if (index == 1)
    d->gain = value;
  else
    d->fail = value > 0.5f;
}

static bool
test_delay_process (void *self, float *l, float *r, uint32_t n)
{
  TestDelay *d = self;
  float *ch[2] = { l, r };
  if (d->fail)
    return false;
  for (int c = 0; c < 2; c++)
    {
      uint32_t pos = d->pos;
      for (uint32_t i = 0; i < n; i++)
        {
          float x = ch[c][i];
          if (d->delay > 0)
            {
              float y = d->ring[c][pos];
              d->ring[c][pos] = x;
              pos = (pos + 1) % d->delay;
              x = y;
            }
          ch[c][i] = x * d->gain;
        }
    }
  if (d->delay > 0)
    d->pos = (d->pos + n) % d->delay;
  return true;
}

static uint32_t
test_delay_latency (const void *self)
{
  return ((const TestDelay *) self)->delay;
}

static const BuskerEffectClass test_delay_class = {
  .type = "test_delay",
  .label = "Test delay",
  .params = test_delay_params,
  .n_params = G_N_ELEMENTS (test_delay_params),
  .create = test_delay_create,
  .destroy = g_free,
  .reset = test_delay_reset,
  .set_param = test_delay_set_param,
  .process = test_delay_process,
  .latency = test_delay_latency,
};

/* Uniform noise in [-0.5, 0.5), the same for a seed and frame. */
static inline float
test_noise (uint32_t seed, uint64_t frame)
{
  uint64_t x = (frame + 1) * 0x9E3779B97F4A7C15ull ^ ((uint64_t) seed << 32);
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 29;
  return (float) ((x >> 40) & 0xFFFFFF) / 16777216.0f - 0.5f;
}

/* The error of got against want, in dB relative to want's peak. */
static inline double
test_error_db (const double *want, const float *got, size_t n)
{
  double peak = 0.0, err = 0.0;
  for (size_t i = 0; i < n; i++)
    {
      peak = fmax (peak, fabs (want[i]));
      err = fmax (err, fabs (want[i] - got[i]));
    }
  if (err == 0.0)
    return -INFINITY;
  return 20.0 * log10 (err / fmax (peak, 1e-30));
}

static inline float
test_db (double db)
{
  return (float) pow (10.0, db / 20.0);
}

/* Fills every track of the plan with noise seeded by the track index for
 * frames [frame, frame + n); channel 1 gets another seed. */
static inline void
test_fill_tracks (BuskerPlan *plan, const BuskerMixDesc *desc, uint64_t frame, uint32_t n)
{
  for (uint32_t s = 0; s < desc->n_strips; s++)
    if (desc->strips[s].kind == BUSKER_STRIP_TRACK)
      for (uint32_t c = 0; c < 2; c++)
        {
          float *in = busker_process_track_input (plan, s, c);
          for (uint32_t i = 0; i < n; i++)
            in[i] = test_noise (s * 2 + c, frame + i);
        }
}
