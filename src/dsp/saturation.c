/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Saturation: a memoryless curve run at 2x or 4x the sample rate.
 *
 * Design decisions:
 * - Every curve is analytic (no kinks, no clamps): built from the
 *   algebraic sigmoid s(x) = x / sqrt(1 + x^2), whose singularities at +-i
 *   make the harmonics of a driven sine fall off exponentially, so the few
 *   that pass the oversampled Nyquist are tiny when they fold back. A
 *   clamped polynomial would leave 1/n^3 harmonics all the way up. s also
 *   costs one square root where tanh costs an exponential.
 *     tape:      s(x)                        symmetric, odd harmonics only
 *     soft clip: p(s(2x/3)), p(u) = 1.5u - 0.5u^3, flat at +-1: a harder
 *                knee, still symmetric
 *     tube:      (s(x + b) - s(b)) / s'(b)   biased, so asymmetric: even
 *                harmonics and a DC offset that a 10 Hz one-pole high pass
 *                removes after down-sampling
 *   All have unit slope at 0, so drive 0 dB leaves quiet signals alone.
 * - Drive multiplies before up-sampling (the up-sampler is linear), which
 *   keeps the high-rate loop a pure curve over a contiguous buffer.
 * - 4x below 88.2 kHz (a 10 kHz sine driven +12 dB folds its 9th harmonic
 *   back to 6 kHz at 2x), 2x above (the harmonics that fold lie above the
 *   audio band). busker_saturation_new takes the factor for benchmarks.
 * - The dry path is delayed by the oversampler's latency so mix is
 *   phase-aligned; the unit reports that latency.
 * - A character change cross-fades the two curves over 10 ms at the high
 *   rate instead of jumping.
 */
#include "saturation.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dsp-util.h"
#include "fast-math.h"
#include "oversample.h"
#include "params.h"

#define TUBE_BIAS 0.3f
#define SMOOTH_S 0.02f
#define XFADE_S 0.01f
#define DC_HZ 10.0f

struct BuskerSaturation {
  float rate;
  uint32_t max_block, factor, latency;
  /* cached parameters */
  float drive_db, mix_v, output_db;
  int character;
  bool param_fault;
  BuskerSmoothed drive, mix, out; /* linear */

  int cur, prev;     /* characters being cross-faded: prev -> cur */
  float fade, fade_step; /* weight of cur, 1 when settled */

  BuskerOversampler os_l, os_r;
  float *tl, *tr; /* max_block, driven input then wet output */
  float *hi;      /* max_block * factor */

  float *dry_l, *dry_r; /* delay for the dry path, power-of-two ring */
  uint32_t dmask, dpos;

  float dc_coef;
  float dc_x[2], dc_y[2]; /* one-pole DC blocker state per channel */
};

static inline float
sigmoid (float x)
{
  return x / sqrtf (1.0f + x * x);
}

static inline float
curve (int character, float x)
{
  switch (character)
    {
    case BUSKER_SAT_TUBE:
      {
        /* s(b) and 1 / s'(b) for b = TUBE_BIAS = 0.3 */
        const float sb = 0.28734789f, inv_slope = 1.1379934f;
        return (sigmoid (x + TUBE_BIAS) - sb) * inv_slope;
      }
    case BUSKER_SAT_SOFT_CLIP:
      {
        float u = sigmoid (x * (2.0f / 3.0f));
        return u * (1.5f - 0.5f * u * u);
      }
    case BUSKER_SAT_TAPE:
    default:
      return sigmoid (x);
    }
}

/* The same curves on four samples at once. */
#if defined(__SSE__) || defined(__x86_64__)
static inline BuskerV4f
v_sqrt (BuskerV4f x)
{
  return (BuskerV4f) _mm_sqrt_ps ((__m128) x);
}
#else
static inline BuskerV4f
v_sqrt (BuskerV4f x)
{
  return (BuskerV4f) { sqrtf (x[0]), sqrtf (x[1]), sqrtf (x[2]), sqrtf (x[3]) };
}
#endif

static inline BuskerV4f
v_sigmoid (BuskerV4f x)
{
  return x / v_sqrt (1.0f + x * x);
}

static inline BuskerV4f
curve4 (int character, BuskerV4f x)
{
  switch (character)
    {
    case BUSKER_SAT_TUBE:
      return (v_sigmoid (x + TUBE_BIAS) - 0.28734789f) * 1.1379934f;
    case BUSKER_SAT_SOFT_CLIP:
      {
        BuskerV4f u = v_sigmoid (x * (2.0f / 3.0f));
        return u * (1.5f - 0.5f * u * u);
      }
    case BUSKER_SAT_TAPE:
    default:
      return v_sigmoid (x);
    }
}

float
busker_saturation_curve (int character, float x)
{
  return curve (character, x);
}

uint32_t
busker_saturation_default_factor (double sample_rate)
{
  return sample_rate < 88200.0 ? 4 : 2;
}

static uint32_t
pow2_at_least (uint32_t n)
{
  uint32_t p = 1;
  while (p < n)
    p <<= 1;
  return p;
}

void
busker_saturation_reset (BuskerSaturation *self)
{
  busker_oversampler_reset (&self->os_l);
  busker_oversampler_reset (&self->os_r);
  memset (self->dry_l, 0, (self->dmask + 1) * sizeof (float));
  memset (self->dry_r, 0, (self->dmask + 1) * sizeof (float));
  self->dpos = 0;
  self->dc_x[0] = self->dc_x[1] = self->dc_y[0] = self->dc_y[1] = 0.0f;
  self->cur = self->prev = self->character;
  self->fade = 1.0f;
  busker_smoothed_snap (&self->drive);
  busker_smoothed_snap (&self->mix);
  busker_smoothed_snap (&self->out);
  self->param_fault = false;
}

BuskerSaturation *
busker_saturation_new (double sample_rate, uint32_t max_block, uint32_t factor)
{
  BuskerSaturation *self = calloc (1, sizeof *self);
  if (!self)
    return NULL;
  self->rate = (float) sample_rate;
  self->max_block = max_block;
  busker_oversampler_init (&self->os_l, factor);
  busker_oversampler_init (&self->os_r, factor);
  self->factor = self->os_l.factor;
  self->latency = busker_oversampler_latency (self->factor);
  uint32_t dsize = pow2_at_least (self->latency + 1);
  self->dmask = dsize - 1;
  self->tl = calloc (max_block, sizeof (float));
  self->tr = calloc (max_block, sizeof (float));
  self->hi = calloc ((size_t) max_block * self->factor, sizeof (float));
  self->dry_l = calloc (dsize, sizeof (float));
  self->dry_r = calloc (dsize, sizeof (float));
  if (!self->tl || !self->tr || !self->hi || !self->dry_l || !self->dry_r)
    {
      busker_saturation_free (self);
      return NULL;
    }
  self->dc_coef = expf (-2.0f * (float) M_PI * DC_HZ / self->rate);
  self->fade_step = 1.0f / (XFADE_S * self->rate * self->factor);
  busker_smoothed_init (&self->drive, 1.0f, SMOOTH_S, self->rate);
  busker_smoothed_init (&self->mix, 1.0f, SMOOTH_S, self->rate);
  busker_smoothed_init (&self->out, 1.0f, SMOOTH_S, self->rate);
  const BuskerParamSpec *p = busker_saturation_params;
  self->drive_db = self->mix_v = self->output_db = NAN;
  self->character = -1;
  busker_saturation_set_drive_db (self, p[BUSKER_SAT_DRIVE_DB].def);
  busker_saturation_set_character (self, (int) p[BUSKER_SAT_CHARACTER].def);
  busker_saturation_set_mix (self, p[BUSKER_SAT_MIX].def);
  busker_saturation_set_output_db (self, p[BUSKER_SAT_OUTPUT_DB].def);
  busker_saturation_reset (self);
  return self;
}

void
busker_saturation_free (BuskerSaturation *self)
{
  if (!self)
    return;
  free (self->tl);
  free (self->tr);
  free (self->hi);
  free (self->dry_l);
  free (self->dry_r);
  free (self);
}

void
busker_saturation_set_drive_db (BuskerSaturation *self, float db)
{
  if (!isfinite (db))
    {
      self->param_fault = true;
      return;
    }
  if (db == self->drive_db)
    return;
  self->drive_db = db;
  busker_smoothed_set (&self->drive, busker_db_to_gain (db));
}

void
busker_saturation_set_character (BuskerSaturation *self, int character)
{
  if (character < BUSKER_SAT_TAPE || character > BUSKER_SAT_SOFT_CLIP)
    character = BUSKER_SAT_TAPE;
  if (character == self->character)
    return;
  self->character = character;
}

void
busker_saturation_set_mix (BuskerSaturation *self, float mix)
{
  if (!isfinite (mix))
    {
      self->param_fault = true;
      return;
    }
  if (mix == self->mix_v)
    return;
  self->mix_v = mix;
  busker_smoothed_set (&self->mix, fminf (fmaxf (mix, 0.0f), 1.0f));
}

void
busker_saturation_set_output_db (BuskerSaturation *self, float db)
{
  if (!isfinite (db))
    {
      self->param_fault = true;
      return;
    }
  if (db == self->output_db)
    return;
  self->output_db = db;
  busker_smoothed_set (&self->out, busker_db_to_gain (db));
}

uint32_t
busker_saturation_latency (const BuskerSaturation *self)
{
  return self->latency;
}

/* RT-safe: the curve over the high-rate buffer, cross-fading if needed. */
static void
shape (BuskerSaturation *self, float *x, uint32_t m, float *fade_io)
{
  const int cur = self->cur, prev = self->prev;
  float fade = *fade_io;
  if (fade >= 1.0f)
    {
      size_t i = 0;
      for (; i + 4 <= m; i += 4)
        {
          BuskerV4f v;
          memcpy (&v, x + i, sizeof v);
          v = curve4 (cur, v);
          memcpy (x + i, &v, sizeof v);
        }
      for (; i < m; i++)
        x[i] = curve (cur, x[i]);
      return;
    }
  for (uint32_t i = 0; i < m; i++)
    {
      fade = fminf (fade + self->fade_step, 1.0f);
      x[i] = fade * curve (cur, x[i]) + (1.0f - fade) * curve (prev, x[i]);
    }
  *fade_io = fade;
}

static void
silence (float *l, float *r, uint32_t n)
{
  memset (l, 0, n * sizeof (float));
  memset (r, 0, n * sizeof (float));
}

/* RT-safe */
bool
busker_saturation_process (BuskerSaturation *self, float *left, float *right, uint32_t n)
{
  if (self->param_fault || !busker_stereo_is_finite (left, right, n))
    {
      silence (left, right, n);
      busker_saturation_reset (self);
      return false;
    }
  if (self->character != self->cur)
    {
      /* a new change restarts the fade from whatever was heard last */
      self->prev = self->fade >= 0.5f ? self->cur : self->prev;
      self->cur = self->character;
      self->fade = self->prev == self->cur ? 1.0f : 0.0f;
    }

  float *tl = self->tl, *tr = self->tr;
  /* Settled smoothers are constants: no per-sample step, whose state
   * lives in *self and would be a chain through memory. */
  const bool drive_steady = busker_smoothed_settled (&self->drive);
  const float drive_c = self->drive.value;
  for (uint32_t i = 0; i < n; i++)
    {
      float d = drive_steady ? drive_c : busker_smoothed_next (&self->drive);
      tl[i] = left[i] * d;
      tr[i] = right[i] * d;
    }

  const uint32_t m = n * self->factor;
  float fade = self->fade;
  busker_oversampler_up (&self->os_l, tl, self->hi, n);
  shape (self, self->hi, m, &fade);
  busker_oversampler_down (&self->os_l, self->hi, tl, n);
  fade = self->fade; /* both channels see the same fade */
  busker_oversampler_up (&self->os_r, tr, self->hi, n);
  shape (self, self->hi, m, &fade);
  busker_oversampler_down (&self->os_r, self->hi, tr, n);
  self->fade = fade;

  const float a = self->dc_coef;
  float xl = self->dc_x[0], yl = self->dc_y[0], xr = self->dc_x[1], yr = self->dc_y[1];
  const uint32_t dmask = self->dmask, lat = self->latency;
  uint32_t dpos = self->dpos;
  const bool out_steady = busker_smoothed_settled (&self->mix)
                          && busker_smoothed_settled (&self->out);
  const float mix_c = self->mix.value, g_c = self->out.value;
  for (uint32_t i = 0; i < n; i++)
    {
      /* y[n] = x[n] - x[n-1] + a y[n-1] */
      float wl = tl[i] - xl + a * yl;
      xl = tl[i];
      yl = wl;
      float wr = tr[i] - xr + a * yr;
      xr = tr[i];
      yr = wr;

      dpos = (dpos + 1) & dmask;
      self->dry_l[dpos] = left[i];
      self->dry_r[dpos] = right[i];
      uint32_t rd = (dpos - lat) & dmask;
      float mix = out_steady ? mix_c : busker_smoothed_next (&self->mix);
      float g = out_steady ? g_c : busker_smoothed_next (&self->out);
      left[i] = g * (self->dry_l[rd] + mix * (wl - self->dry_l[rd]));
      right[i] = g * (self->dry_r[rd] + mix * (wr - self->dry_r[rd]));
    }
  self->dpos = dpos;
  self->dc_x[0] = busker_flush_denormal (xl);
  self->dc_y[0] = busker_flush_denormal (yl);
  self->dc_x[1] = busker_flush_denormal (xr);
  self->dc_y[1] = busker_flush_denormal (yr);

  if (!busker_stereo_is_finite (left, right, n))
    {
      silence (left, right, n);
      busker_saturation_reset (self);
      return false;
    }
  return true;
}

/* The BuskerEffectClass adapter. */

static void *
saturation_create (double sample_rate, uint32_t max_block)
{
  return busker_saturation_new (sample_rate, max_block,
                                busker_saturation_default_factor (sample_rate));
}

static void
saturation_destroy (void *self)
{
  busker_saturation_free (self);
}

static void
saturation_reset (void *self)
{
  busker_saturation_reset (self);
}

static void
saturation_set_param (void *self, uint32_t index, float value)
{
  switch (index)
    {
    case BUSKER_SAT_DRIVE_DB:
      busker_saturation_set_drive_db (self, value);
      break;
    case BUSKER_SAT_CHARACTER:
      if (!isfinite (value))
        ((BuskerSaturation *) self)->param_fault = true;
      else
        busker_saturation_set_character (self, (int) lrintf (value));
      break;
    case BUSKER_SAT_MIX:
      busker_saturation_set_mix (self, value);
      break;
    case BUSKER_SAT_OUTPUT_DB:
      busker_saturation_set_output_db (self, value);
      break;
    default:
      break;
    }
}

static bool
saturation_process (void *self, float *left, float *right, uint32_t n)
{
  return busker_saturation_process (self, left, right, n);
}

static uint32_t
saturation_latency (const void *self)
{
  return busker_saturation_latency (self);
}

const BuskerEffectClass busker_saturation_class = {
  .type = "saturation",
  .label = BUSKER_N_ ("Saturation"),
  .params = busker_saturation_params,
  .n_params = BUSKER_SAT_N_PARAMS,
  .create = saturation_create,
  .destroy = saturation_destroy,
  .reset = saturation_reset,
  .set_param = saturation_set_param,
  .process = saturation_process,
  .latency = saturation_latency,
  .gain_reduction_db = NULL,
  .set_tempo = NULL,
};
