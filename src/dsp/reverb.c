/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Stereo reverb: a feedback delay network (Jot) of 8 lines.
 *
 * - Input: the mono sum goes through the pre-delay (a cross-fading tap,
 *   fade-tap.h, so moving it neither clicks nor bends the pitch) and 4
 *   Schroeder allpasses that smear it into a dense, still flat-spectrum
 *   burst before it enters the lines with alternating signs.
 * - Loop: each line's output passes a one-pole low pass (the damping) and a
 *   gain, then an 8x8 Hadamard matrix (a fast Walsh-Hadamard transform:
 *   24 additions, lossless once scaled by 1/sqrt 8, which is folded into
 *   the gains) mixes them back into the lines.
 * - Line lengths are distinct primes, hence mutually prime, near fixed
 *   ratios scaled by `size`; the ring buffers are allocated at create for
 *   size 1 at that rate. A size change cross-fades every line's output
 *   from the old read tap to the new one over TAP_FADE_MS, so the tail
 *   does not jump.
 * - Decay: line i of length L gets g = 10^(-3 L / (T fs)), so every line
 *   loses 60 dB in T at DC. The damping makes highs die sooner, which
 *   shortens the broadband decay one would measure. The correction: a model
 *   of the Schroeder energy decay curve (a sum over frequency of
 *   exp(-k(f) t) / k(f), white input, loss per second from the gains plus
 *   the low pass once per mean pass) predicts the RT60 a -5..-35 dB fit
 *   would give; T at DC is scaled until that prediction equals decay_s.
 * - Output: two orthogonal sign patterns over the damped line outputs give
 *   a decorrelated L and R (every output has passed the damping once,
 *   which the decay model assumes); width scales their side signal
 *   (0 = mono wet). mix cross-fades dry and wet.
 * - Decay, damping and size are recomputed only when they change; loop
 *   gains and the damping coefficient glide per SUB_BLOCK, mix and width
 *   per sample.
 */
#include "reverb.h"
#include "fast-math.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dsp-util.h"
#include "fade-tap.h"
#include "params.h"

#define N_LINES BUSKER_REVERB_N_LINES
#define N_DIFFUSERS 4
#define MAX_PREDELAY_MS 200.0f
#define SMOOTH_TAU_S 0.03f
#define SUB_BLOCK 32
#define TAP_FADE_MS 50.0f /* size and pre-delay changes */
#define DIFFUSER_GAIN 0.6f
#define INV_SQRT_N 0.35355339f /* 1 / sqrt (N_LINES) */
/* Bands of the decay model, log-spaced from MODEL_LOW_HZ to Nyquist. */
#define MODEL_FREQS 32
#define MODEL_LOW_HZ 20.0

/* Line lengths in ms at size 1, ratio about 1 : 2.3. */
static const float line_ms[N_LINES] = { 29.3f, 33.1f, 37.9f, 42.7f, 47.3f, 53.9f, 59.1f, 67.3f };
static const float diffuser_ms[N_DIFFUSERS] = { 1.7f, 2.9f, 4.3f, 6.1f };
/* Rows of the Hadamard matrix: orthogonal, so L and R are uncorrelated. */
static const float tap_l[N_LINES] = { 1, -1, 1, -1, 1, -1, 1, -1 };
static const float tap_r[N_LINES] = { 1, 1, -1, -1, 1, 1, -1, -1 };
static const float inject[N_LINES] = { 1, 1, 1, 1, -1, -1, -1, -1 };

typedef struct {
  float *buf;
  uint32_t mask;
  uint32_t len;
} Diffuser;

struct BuskerReverb {
  float sample_rate;

  /* cached parameter values */
  float decay_s, predelay_ms, size, damping_hz;

  float *lines;            /* interleaved: frame t of line i at [(t & mask) * N_LINES + i] */
  uint32_t line_mask;
  uint32_t line_len[N_LINES];     /* frames of the read taps being heard */
  uint32_t len_target[N_LINES];   /* frames `size` asks for: distinct primes */
  uint32_t len_next[N_LINES];     /* taps fading in after a size change */
  uint32_t fade_pos;              /* frames into that fade; 0 = none */
  uint32_t fade_len;
  float fade_step;                /* 1 / fade_len */
  float gain[N_LINES];            /* target per-pass gain, times 1/sqrt N */
  float gain_now[N_LINES];        /* gliding towards gain */
  float damp_coef, damp_coef_now; /* one-pole coefficient of the damping */
  float damp_state[N_LINES];
  float glide;                    /* per-sub-block glide coefficient */
  float dc_ratio;                 /* DC decay time / decay_s the correction found;
                                     the next search starts from it */
  bool gains_dirty;               /* decay, size or damping moved: recompute
                                     once, at the next block */

  float *pre;              /* pre-delay ring */
  uint32_t pre_mask;
  BuskerFadeTap pre_tap;

  Diffuser diff[N_DIFFUSERS];
  float *diff_mem;         /* one allocation behind all diffusers */

  uint32_t write;          /* shared write counter of every ring */

  BuskerSmoothed width;
  BuskerSmoothed mix;
};

static uint32_t
pow2_at_least (uint32_t n)
{
  uint32_t p = 1;
  while (p < n)
    p <<= 1;
  return p;
}

static bool
is_prime (uint32_t n)
{
  if (n < 2)
    return false;
  if (n % 2 == 0)
    return n == 2;
  for (uint32_t d = 3; d * d <= n; d += 2)
    if (n % d == 0)
      return false;
  return true;
}

/* RT-safe: bounded by the prime gaps below 2^20 (under 120). */
static void
update_lengths (BuskerReverb *self)
{
  float scale = 0.45f + 0.55f * self->size;
  uint32_t prev = 0;
  for (int i = 0; i < N_LINES; i++)
    {
      uint32_t n = (uint32_t) lrintf (line_ms[i] * scale * self->sample_rate / 1000.0f);
      if (n <= prev)
        n = prev + 1;
      while (!is_prime (n))
        n++;
      self->len_target[i] = prev = n;
    }
}

static uint32_t
predelay_frames (const BuskerReverb *self)
{
  return (uint32_t) lrintf (self->predelay_ms * self->sample_rate / 1000.0f);
}

static float
damping_coef (float hz, float rate)
{
  return 1.0f - expf (-2.0f * (float) M_PI * hz / rate);
}

/* Level in dB at t seconds of the modelled Schroeder curve. */
static double
edc_db (const double *k, const double *weight, double edc0, double t)
{
  double e = 0;
  for (int j = 0; j < MODEL_FREQS; j++)
    e += weight[j] * exp (-k[j] * t);
  return 10.0 * log10 (e / edc0);
}

/* The RT60 in seconds a -5..-35 dB fit of the Schroeder curve would find,
 * when the loop loses 60 dB in dc_rt60_s at DC. */
static double
predicted_rt60 (const BuskerReverb *self, double dc_rt60_s)
{
  double fs = self->sample_rate, a = self->damp_coef, sum_len = 0;
  double k[MODEL_FREQS], weight[MODEL_FREQS], edc0 = 0;

  for (int i = 0; i < N_LINES; i++)
    sum_len += self->len_target[i];
  /* Energy is spread over the lines in proportion to their lengths, so
   * the low pass acts N times per sum of lengths. */
  double passes_per_s = N_LINES * fs / sum_len;
  /* Log-spaced bands so the lows, which carry the long tail under heavy
   * damping, are resolved; white input weighs each by its width. */
  double nyquist = 0.5 * fs, ratio = nyquist / MODEL_LOW_HZ;
  for (int j = 0; j < MODEL_FREQS; j++)
    {
      double lo = j == 0 ? 0.0 : MODEL_LOW_HZ * pow (ratio, (double) j / MODEL_FREQS);
      double hi = MODEL_LOW_HZ * pow (ratio, (double) (j + 1) / MODEL_FREQS);
      double w = 2.0 * M_PI * MODEL_LOW_HZ * pow (ratio, (j + 0.5) / MODEL_FREQS) / fs;
      double h2 = a * a / (1.0 - 2.0 * (1.0 - a) * cos (w) + (1.0 - a) * (1.0 - a));
      double loss_db_per_s = 60.0 / dc_rt60_s - 10.0 * log10 (h2) * passes_per_s;
      k[j] = loss_db_per_s * M_LN10 / 10.0;
      weight[j] = (hi - lo) * h2 / k[j];
      edc0 += weight[j];
    }

  double t_at[2];
  const double levels[2] = { -5.0, -35.0 };
  for (int l = 0; l < 2; l++)
    {
      /* The slowest component alone reaches the level by t_hi. */
      double lo = 0, hi = -levels[l] / (60.0 / dc_rt60_s) * 1.01, db;
      for (int it = 0; it < 24; it++)
        {
          double mid = 0.5 * (lo + hi);
          db = edc_db (k, weight, edc0, mid);
          if (db > levels[l])
            lo = mid;
          else
            hi = mid;
        }
      t_at[l] = 0.5 * (lo + hi);
    }

  /* Least-squares slope over the range, as the measurement does it. */
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  const int points = 8;
  for (int p = 0; p < points; p++)
    {
      double t = t_at[0] + (t_at[1] - t_at[0]) * p / (points - 1);
      double db = edc_db (k, weight, edc0, t);
      sx += t;
      sy += db;
      sxx += t * t;
      sxy += t * db;
    }
  double slope = (points * sxy - sx * sy) / (points * sxx - sx * sx);
  return -60.0 / slope;
}

/* RT-safe: some thousands of exp(), at most once per block, and only
 * after decay, size or damping changed. */
static void
update_gains (BuskerReverb *self)
{
  double target = self->decay_s, dc = target * self->dc_ratio;
  for (int it = 0; it < 8; it++)
    {
      double ratio = target / predicted_rt60 (self, dc);
      dc *= ratio;
      if (dc > 50.0 * target)
        dc = 50.0 * target;
      if (fabs (ratio - 1.0) < 1e-3)
        break;
    }
  self->dc_ratio = (float) (dc / target);
  self->gains_dirty = false;
  for (int i = 0; i < N_LINES; i++)
    self->gain[i] = INV_SQRT_N
                    * (float) pow (10.0, -3.0 * self->len_target[i] / (dc * self->sample_rate));
}

BuskerReverb *
busker_reverb_new (double sample_rate)
{
  BuskerReverb *self = calloc (1, sizeof *self);
  if (self == NULL)
    return NULL;
  float rate = self->sample_rate = (float) sample_rate;

  /* Longest line at size 1, plus room for the prime search. */
  uint32_t longest = (uint32_t) (line_ms[N_LINES - 1] * rate / 1000.0f) + 256;
  uint32_t line_frames = pow2_at_least (longest + 1);
  self->line_mask = line_frames - 1;
  self->lines = calloc ((size_t) line_frames * N_LINES, sizeof (float));

  uint32_t pre_frames = pow2_at_least ((uint32_t) (MAX_PREDELAY_MS * rate / 1000.0f) + 2);
  self->pre_mask = pre_frames - 1;
  self->pre = calloc (pre_frames, sizeof (float));

  size_t diff_total = 0;
  for (int j = 0; j < N_DIFFUSERS; j++)
    {
      self->diff[j].len = (uint32_t) lrintf (diffuser_ms[j] * rate / 1000.0f);
      self->diff[j].mask = pow2_at_least (self->diff[j].len + 1) - 1;
      diff_total += self->diff[j].mask + 1;
    }
  self->diff_mem = calloc (diff_total, sizeof (float));

  if (self->lines == NULL || self->pre == NULL || self->diff_mem == NULL)
    {
      busker_reverb_free (self);
      return NULL;
    }
  float *p = self->diff_mem;
  for (int j = 0; j < N_DIFFUSERS; j++)
    {
      self->diff[j].buf = p;
      p += self->diff[j].mask + 1;
    }

  const BuskerParamSpec *spec = busker_reverb_params;
  self->decay_s = spec[BUSKER_REVERB_DECAY_S].def;
  self->predelay_ms = spec[BUSKER_REVERB_PREDELAY_MS].def;
  self->size = spec[BUSKER_REVERB_SIZE].def;
  self->damping_hz = spec[BUSKER_REVERB_DAMPING_HZ].def;
  self->glide = busker_one_pole_coef (SMOOTH_TAU_S, rate / SUB_BLOCK);
  self->damp_coef = self->damp_coef_now = damping_coef (self->damping_hz, rate);
  update_lengths (self);
  memcpy (self->line_len, self->len_target, sizeof self->line_len);
  self->fade_len = (uint32_t) (TAP_FADE_MS / 1000.0f * rate) + 1;
  self->fade_step = 1.0f / (float) self->fade_len;
  self->dc_ratio = 1.0f;
  update_gains (self);
  memcpy (self->gain_now, self->gain, sizeof self->gain);
  busker_fade_tap_init (&self->pre_tap, predelay_frames (self),
                        (uint32_t) (TAP_FADE_MS / 1000.0f * rate));
  busker_smoothed_init (&self->width, spec[BUSKER_REVERB_WIDTH].def, SMOOTH_TAU_S, rate);
  busker_smoothed_init (&self->mix, spec[BUSKER_REVERB_MIX].def, SMOOTH_TAU_S, rate);
  return self;
}

void
busker_reverb_free (BuskerReverb *self)
{
  if (self == NULL)
    return;
  free (self->lines);
  free (self->pre);
  free (self->diff_mem);
  free (self);
}

/* RT-safe: clears about 1 MB at 192 kHz. */
void
busker_reverb_reset (BuskerReverb *self)
{
  memset (self->lines, 0, (size_t) (self->line_mask + 1) * N_LINES * sizeof (float));
  memset (self->pre, 0, (self->pre_mask + 1) * sizeof (float));
  for (int j = 0; j < N_DIFFUSERS; j++)
    memset (self->diff[j].buf, 0, (self->diff[j].mask + 1) * sizeof (float));
  memset (self->damp_state, 0, sizeof self->damp_state);
  memcpy (self->line_len, self->len_target, sizeof self->line_len);
  self->fade_pos = 0;
  if (self->gains_dirty)
    update_gains (self);
  memcpy (self->gain_now, self->gain, sizeof self->gain);
  self->damp_coef_now = self->damp_coef;
  self->write = 0;
  busker_fade_tap_snap (&self->pre_tap);
  busker_smoothed_snap (&self->width);
  busker_smoothed_snap (&self->mix);
}

/* RT-safe */
void
busker_reverb_set_decay_s (BuskerReverb *self, float decay_s)
{
  if (decay_s == self->decay_s)
    return;
  self->decay_s = decay_s;
  self->gains_dirty = true;
}

/* RT-safe */
void
busker_reverb_set_predelay_ms (BuskerReverb *self, float predelay_ms)
{
  if (predelay_ms == self->predelay_ms)
    return;
  self->predelay_ms = predelay_ms;
  busker_fade_tap_set (&self->pre_tap, predelay_frames (self));
}

/* RT-safe */
void
busker_reverb_set_size (BuskerReverb *self, float size)
{
  if (size == self->size)
    return;
  self->size = size;
  update_lengths (self);
  self->gains_dirty = true;
}

/* RT-safe */
void
busker_reverb_set_damping_hz (BuskerReverb *self, float hz)
{
  if (hz == self->damping_hz)
    return;
  self->damping_hz = hz;
  self->damp_coef = damping_coef (hz, self->sample_rate);
  self->gains_dirty = true;
}

/* RT-safe */
void
busker_reverb_set_width (BuskerReverb *self, float width)
{
  busker_smoothed_set (&self->width, width);
}

/* RT-safe */
void
busker_reverb_set_mix (BuskerReverb *self, float mix)
{
  busker_smoothed_set (&self->mix, mix);
}

void
busker_reverb_get_line_frames (const BuskerReverb *self, uint32_t frames[BUSKER_REVERB_N_LINES])
{
  memcpy (frames, self->len_target, sizeof self->len_target);
}

/* RT-safe: in-place unnormalised Walsh-Hadamard transform of 8 values. */
static inline void
hadamard8 (float *v)
{
  for (int h = 1; h < N_LINES; h <<= 1)
    for (int i = 0; i < N_LINES; i += h << 1)
      for (int j = i; j < i + h; j++)
        {
          float a = v[j], b = v[j + h];
          v[j] = a + b;
          v[j + h] = a - b;
        }
}

/* RT-safe */
static void
silence (BuskerReverb *self, float *left, float *right, uint32_t n)
{
  memset (left, 0, n * sizeof *left);
  memset (right, 0, n * sizeof *right);
  busker_reverb_reset (self);
}

/* RT-safe */
bool
busker_reverb_process (BuskerReverb *self, float *left, float *right, uint32_t n)
{
  if (!busker_stereo_is_finite (left, right, n))
    {
      silence (self, left, right, n);
      return false;
    }

  if (self->gains_dirty)
    update_gains (self);

  float *const lines = self->lines, *const pre = self->pre;
  const uint32_t line_mask = self->line_mask, pre_mask = self->pre_mask;
  uint32_t len[N_LINES];
  float state[N_LINES], gain[N_LINES];
  Diffuser diff[N_DIFFUSERS];
  uint32_t w = self->write;
  BuskerFadeTap pre_tap = self->pre_tap;

  memcpy (len, self->line_len, sizeof len);
  memcpy (state, self->damp_state, sizeof state);
  memcpy (diff, self->diff, sizeof diff);

  for (uint32_t start = 0; start < n; start += SUB_BLOCK)
    {
      uint32_t end = start + SUB_BLOCK < n ? start + SUB_BLOCK : n;
      const float glide = self->glide;

      for (int i = 0; i < N_LINES; i++)
        gain[i] = self->gain_now[i] += glide * (self->gain[i] - self->gain_now[i]);
      const float a = self->damp_coef_now += glide * (self->damp_coef - self->damp_coef_now);
      if (self->fade_pos == 0 && memcmp (len, self->len_target, sizeof len) != 0)
        {
          memcpy (self->len_next, self->len_target, sizeof len);
          self->fade_pos = 1;
        }

      for (uint32_t s = start; s < end; s++)
        {
          pre[w & pre_mask] = 0.5f * (left[s] + right[s]);
          float pre_g = busker_fade_tap_weight (&pre_tap);
          float x = pre[(w - pre_tap.a) & pre_mask];
          if (pre_g != 0.0f)
            x += pre_g * (pre[(w - pre_tap.b) & pre_mask] - x);
          busker_fade_tap_advance (&pre_tap);

          for (int j = 0; j < N_DIFFUSERS; j++)
            {
              float z = diff[j].buf[(w - diff[j].len) & diff[j].mask];
              float v = busker_flush_denormal (x + DIFFUSER_GAIN * z);
              diff[j].buf[w & diff[j].mask] = v;
              x = z - DIFFUSER_GAIN * v;
            }

          float out[N_LINES], v[N_LINES];
          for (int i = 0; i < N_LINES; i++)
            out[i] = lines[((w - len[i]) & line_mask) * N_LINES + i];
          if (self->fade_pos != 0)
            {
              /* Size changed: cross-fade to the new taps. */
              float g = (float) self->fade_pos * self->fade_step;
              for (int i = 0; i < N_LINES; i++)
                out[i] += g * (lines[((w - self->len_next[i]) & line_mask) * N_LINES + i] - out[i]);
              if (++self->fade_pos > self->fade_len)
                {
                  memcpy (len, self->len_next, sizeof len);
                  memcpy (self->line_len, len, sizeof len);
                  self->fade_pos = 0;
                }
            }
          for (int i = 0; i < N_LINES; i++)
            {
              state[i] = busker_flush_denormal (state[i] + a * (out[i] - state[i]));
              v[i] = gain[i] * state[i];
            }
          hadamard8 (v);
          float *wp = lines + (w & line_mask) * N_LINES;
          float wet_l = 0.0f, wet_r = 0.0f;
          for (int i = 0; i < N_LINES; i++)
            {
              wp[i] = v[i] + INV_SQRT_N * inject[i] * x;
              wet_l += tap_l[i] * state[i];
              wet_r += tap_r[i] * state[i];
            }
          w++;

          float width = busker_smoothed_next (&self->width);
          float mix = busker_smoothed_next (&self->mix);
          float mid = (INV_SQRT_N * 0.5f) * (wet_l + wet_r);
          float side = width * (INV_SQRT_N * 0.5f) * (wet_l - wet_r);
          /* Not dry + mix * (wet - dry): at mix 1 this is the wet signal
           * exactly, so width 0 gives L = R to the bit. */
          left[s] = (1.0f - mix) * left[s] + mix * (mid + side);
          right[s] = (1.0f - mix) * right[s] + mix * (mid - side);
        }
    }

  memcpy (self->damp_state, state, sizeof state);
  self->write = w;
  self->pre_tap = pre_tap;

  if (!busker_stereo_is_finite (left, right, n))
    {
      silence (self, left, right, n);
      return false;
    }
  return true;
}

/* The effect class adapter. */

static void *
reverb_create (double sample_rate, uint32_t max_block)
{
  (void) max_block;
  return busker_reverb_new (sample_rate);
}

static void
reverb_destroy (void *self)
{
  busker_reverb_free (self);
}

static void
reverb_reset (void *self)
{
  busker_reverb_reset (self);
}

static void
reverb_set_param (void *self, uint32_t index, float value)
{
  switch (index)
    {
    case BUSKER_REVERB_DECAY_S:
      busker_reverb_set_decay_s (self, value);
      break;
    case BUSKER_REVERB_PREDELAY_MS:
      busker_reverb_set_predelay_ms (self, value);
      break;
    case BUSKER_REVERB_SIZE:
      busker_reverb_set_size (self, value);
      break;
    case BUSKER_REVERB_DAMPING_HZ:
      busker_reverb_set_damping_hz (self, value);
      break;
    case BUSKER_REVERB_WIDTH:
      busker_reverb_set_width (self, value);
      break;
    case BUSKER_REVERB_MIX:
      busker_reverb_set_mix (self, value);
      break;
    default:
      break;
    }
}

static bool
reverb_process (void *self, float *left, float *right, uint32_t n)
{
  return busker_reverb_process (self, left, right, n);
}

const BuskerEffectClass busker_reverb_class = {
  .type = "reverb",
  .label = BUSKER_N_ ("Reverb"),
  .params = busker_reverb_params,
  .n_params = BUSKER_REVERB_N_PARAMS,
  .create = reverb_create,
  .destroy = reverb_destroy,
  .reset = reverb_reset,
  .set_param = reverb_set_param,
  .process = reverb_process,
};
