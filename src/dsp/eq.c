/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Parametric EQ, eight bands in series, then an output gain.
 *
 * Design decisions
 * - Every band is a cascade of up to four second-order sections (biquad.c,
 *   RBJ cookbook, transposed direct form II, in double precision: with
 *   float coefficients a 80 Hz shelf at 192 kHz is 0.4 dB off). Peak, shelves, notch and band
 *   pass are one section using the band's Q. High and low pass of 12, 24,
 *   36 or 48 dB/oct are Butterworth filters of order 2, 4, 6, 8 made of
 *   1-4 sections whose Qs are the Butterworth pole Qs
 *   1 / (2 cos ((2k + 1) pi / 2N)); the band's Q only shapes the 12 dB/oct
 *   filter (0.707 is Butterworth), a steeper filter stays maximally flat.
 * - Channels: a stereo band filters both sides; left/right one of them; a
 *   mid or side band converts to M = (L+R)/2, S = (L-R)/2, filters one of
 *   them and converts back, so a side band leaves the mid untouched.
 * - No clicks: frequency (in octaves), gain and Q glide with a one-pole
 *   smoother that steps once per 16-sample sub-block, and the coefficients
 *   are recomputed per sub-block only while something glides. Discrete
 *   changes (type, channel, slope) and enabling fade the band's wet/dry mix
 *   linearly over 10 ms: out to dry, switch while silent, back in.
 * - Cost: the settled stereo bands run fused (eq-fused.c), up to six
 *   sections per loop over the block with left/right in one vector
 *   register, skewed so one iteration runs each section on a different
 *   sample and the sections' recursions overlap instead of each waiting on
 *   its own; on CPUs with FMA a build that uses it (dsp-isa.h).
 *   Inside such a group the sections hand doubles to each other and the
 *   output is rounded to float once, so it can differ from one band at a
 *   time (which rounds after every band) by float rounding; the per-band
 *   rounding was a third of the loop's work. Other bands run one tight
 *   loop per section. A band that is a no-op (disabled, or a peak/shelf at
 *   0 dB) is skipped.
 * - Frequencies are clamped below 0.47 fs so every rate from 44.1 to
 *   192 kHz gets a valid design.
 */
#include "eq.h"

#include <math.h>
#include <stdlib.h>

#include "biquad.h"
#include "dsp-util.h"
#include "eq-fused.h"
#include "fast-math.h"

#define MAX_SECTIONS 4
#define SUB_BLOCK 16
#define GLIDE_TAU_S 0.02f
#define FADE_S 0.01f

typedef struct {
  /* Targets as last set: what the user asked for, read by the GUI curve. */
  BuskerEqBandType type;
  BuskerEqChannel channel;
  int sections; /* pass filters: slope / 12 */
  bool enabled;
  float freq_hz, gain_db, q;

  /* What the filters run now. Differs from the targets above while a
   * discrete change waits for the band to fade out. */
  BuskerEqBandType run_type;
  BuskerEqChannel run_channel;
  int run_sections;
  float mix; /* 0 = bypassed, 1 = fully in; moves linearly by mix_step */

  /* Continuous parameters glide per sub-block: log2 frequency (even in
   * octaves), gain in dB, log2 Q. */
  BuskerSmoothed log2_freq, gain_db_s, log2_q;

  /* Double precision: float coefficients detune low bands at high rates
   * by tenths of a dB (poles too close to z = 1). */
  BuskerBiquadCoefsD c[MAX_SECTIONS];
  BuskerBiquadStateD z[2][MAX_SECTIONS]; /* [L or M][section], [R or S][...] */
} EqBand;

struct BuskerEq {
  double sample_rate;
  float mix_step; /* per sample, 1 / fade length */
  EqBand band[BUSKER_EQ_MAX_BANDS];
  BuskerEqFusedFlush fused_flush; /* this CPU's build (dsp-isa.h) */
  float output_gain_db;     /* target as set */
  BuskerSmoothed out_gain;  /* linear */
};

static double
clamp_freq (double freq_hz, double sample_rate)
{
  double max_hz = 0.47 * sample_rate;
  if (freq_hz > max_hz)
    freq_hz = max_hz;
  if (freq_hz < 1.0)
    freq_hz = 1.0;
  return freq_hz;
}

static bool
is_pass (BuskerEqBandType type)
{
  return type == BUSKER_EQ_LOW_PASS || type == BUSKER_EQ_HIGH_PASS;
}

/* Designs a band's sections; returns their number. RT-safe (no
 * allocation; libm only). */
static int
design_band (BuskerBiquadCoefsD *c, BuskerEqBandType type, int sections,
             double sample_rate, double freq_hz, double q, double gain_db)
{
  static const BuskerBiquadType map[] = {
    [BUSKER_EQ_PEAK] = BUSKER_BIQUAD_PEAK,
    [BUSKER_EQ_LOW_SHELF] = BUSKER_BIQUAD_LOW_SHELF,
    [BUSKER_EQ_HIGH_SHELF] = BUSKER_BIQUAD_HIGH_SHELF,
    [BUSKER_EQ_LOW_PASS] = BUSKER_BIQUAD_LOW_PASS,
    [BUSKER_EQ_HIGH_PASS] = BUSKER_BIQUAD_HIGH_PASS,
    [BUSKER_EQ_NOTCH] = BUSKER_BIQUAD_NOTCH,
    [BUSKER_EQ_BAND_PASS] = BUSKER_BIQUAD_BAND_PASS,
  };
  freq_hz = clamp_freq (freq_hz, sample_rate);

  if (!is_pass (type) || sections <= 1)
    {
      busker_biquad_design_d (c, map[type], sample_rate, freq_hz, q, gain_db);
      return 1;
    }
  int order = 2 * sections;
  for (int k = 0; k < sections; k++)
    {
      double qk = 1.0 / (2.0 * cos ((2 * k + 1) * M_PI / (2.0 * order)));
      busker_biquad_design_d (&c[k], map[type], sample_rate, freq_hz, qk, 0.0);
    }
  return sections;
}

static void
band_design_now (BuskerEq *self, EqBand *b)
{
  design_band (b->c, b->run_type, b->run_sections, self->sample_rate,
               exp2f (b->log2_freq.value), exp2f (b->log2_q.value),
               b->gain_db_s.value);
}

static void
band_clear_state (EqBand *b)
{
  for (int ch = 0; ch < 2; ch++)
    for (int k = 0; k < MAX_SECTIONS; k++)
      b->z[ch][k] = (BuskerBiquadStateD) { 0.0, 0.0 };
}

static bool
band_pending (const EqBand *b)
{
  return b->run_type != b->type || b->run_channel != b->channel
         || (is_pass (b->type) && b->run_sections != b->sections);
}

static void
band_settle (BuskerEq *self, EqBand *b)
{
  b->run_type = b->type;
  b->run_channel = b->channel;
  b->run_sections = is_pass (b->type) ? b->sections : 1;
  busker_smoothed_snap (&b->log2_freq);
  busker_smoothed_snap (&b->gain_db_s);
  busker_smoothed_snap (&b->log2_q);
  b->mix = b->enabled ? 1.0f : 0.0f;
  band_clear_state (b);
  band_design_now (self, b);
}

BuskerEq *
busker_eq_new (double sample_rate, uint32_t max_block)
{
  BuskerEq *self = calloc (1, sizeof *self);
  if (self == NULL)
    return NULL;
  self->sample_rate = sample_rate;
  self->fused_flush = BUSKER_DSP_PICK (busker_eq_fused_flush);
  self->mix_step = (float) (1.0 / (FADE_S * sample_rate));
  float sub_rate = (float) (sample_rate / SUB_BLOCK);
  for (int i = 0; i < BUSKER_EQ_MAX_BANDS; i++)
    {
      EqBand *b = &self->band[i];
      const BuskerParamSpec *p = &busker_eq_params[BUSKER_EQ_PARAM (i, 0)];
      b->type = (BuskerEqBandType) p[BUSKER_EQ_BAND_TYPE].def;
      b->channel = (BuskerEqChannel) p[BUSKER_EQ_BAND_CHANNEL].def;
      b->sections = (int) (p[BUSKER_EQ_BAND_SLOPE_DB_OCT].def / 12.0f + 0.5f);
      b->enabled = p[BUSKER_EQ_BAND_ENABLED].def >= 0.5f;
      b->freq_hz = p[BUSKER_EQ_BAND_FREQ_HZ].def;
      b->gain_db = p[BUSKER_EQ_BAND_GAIN_DB].def;
      b->q = p[BUSKER_EQ_BAND_Q].def;
      busker_smoothed_init (&b->log2_freq, log2f (b->freq_hz), GLIDE_TAU_S, sub_rate);
      busker_smoothed_init (&b->gain_db_s, b->gain_db, GLIDE_TAU_S, sub_rate);
      busker_smoothed_init (&b->log2_q, log2f (b->q), GLIDE_TAU_S, sub_rate);
      band_settle (self, b);
    }
  self->output_gain_db = busker_eq_params[BUSKER_EQ_OUTPUT_GAIN_DB].def;
  busker_smoothed_init (&self->out_gain, busker_db_to_gain (self->output_gain_db),
                        GLIDE_TAU_S, (float) sample_rate);
  return self;
}

void
busker_eq_free (BuskerEq *self)
{
  free (self);
}

/* RT-safe */
void
busker_eq_reset (BuskerEq *self)
{
  for (int i = 0; i < BUSKER_EQ_MAX_BANDS; i++)
    band_settle (self, &self->band[i]);
  busker_smoothed_snap (&self->out_gain);
}

/* RT-safe */
void
busker_eq_set_param (BuskerEq *self, uint32_t index, float value)
{
  if (index == BUSKER_EQ_OUTPUT_GAIN_DB)
    {
      if (value != self->output_gain_db)
        {
          self->output_gain_db = value;
          busker_smoothed_set (&self->out_gain, busker_db_to_gain (value));
        }
      return;
    }
  if (index >= BUSKER_EQ_OUTPUT_GAIN_DB)
    return;

  EqBand *b = &self->band[index / BUSKER_EQ_BAND_STRIDE];
  switch (index % BUSKER_EQ_BAND_STRIDE)
    {
    case BUSKER_EQ_BAND_TYPE:
      if (value >= 0.0f && value <= BUSKER_EQ_BAND_PASS)
        b->type = (BuskerEqBandType) (int) (value + 0.5f);
      break;
    case BUSKER_EQ_BAND_FREQ_HZ:
      if (value > 0.0f && value != b->freq_hz)
        {
          b->freq_hz = value;
          busker_smoothed_set (&b->log2_freq, log2f (value));
        }
      break;
    case BUSKER_EQ_BAND_GAIN_DB:
      if (value != b->gain_db && isfinite (value))
        {
          b->gain_db = value;
          busker_smoothed_set (&b->gain_db_s, value);
        }
      break;
    case BUSKER_EQ_BAND_Q:
      if (value > 0.0f && value != b->q)
        {
          b->q = value;
          busker_smoothed_set (&b->log2_q, log2f (value));
        }
      break;
    case BUSKER_EQ_BAND_SLOPE_DB_OCT:
      {
        int s = (int) (value / 12.0f + 0.5f);
        b->sections = s < 1 ? 1 : s > MAX_SECTIONS ? MAX_SECTIONS : s;
      }
      break;
    case BUSKER_EQ_BAND_CHANNEL:
      if (value >= 0.0f && value <= BUSKER_EQ_RIGHT)
        b->channel = (BuskerEqChannel) (int) (value + 0.5f);
      break;
    case BUSKER_EQ_BAND_ENABLED:
      b->enabled = value >= 0.5f;
      break;
    default:
      break;
    }
}

/* The settled fast paths: one loop per section with the state in locals.
 * RT-safe */
static void
filter_one (const BuskerBiquadCoefsD *c, BuskerBiquadStateD *z, int ns,
            float *x, uint32_t n)
{
  for (int k = 0; k < ns; k++)
    {
      const double b0 = c[k].b0, b1 = c[k].b1, b2 = c[k].b2;
      const double a1 = c[k].a1, a2 = c[k].a2;
      double s1 = z[k].z1, s2 = z[k].z2;
      for (uint32_t i = 0; i < n; i++)
        {
          double u = x[i];
          double y = b0 * u + s1;
          s1 = b1 * u - a1 * y + s2;
          s2 = b2 * u - a2 * y;
          x[i] = (float) y;
        }
      z[k].z1 = s1;
      z[k].z2 = s2;
    }
}

/* RT-safe */
static void
filter_two (const BuskerBiquadCoefsD *c, BuskerBiquadStateD *z0,
            BuskerBiquadStateD *z1, int ns, float *x0, float *x1, uint32_t n)
{
  for (int k = 0; k < ns; k++)
    {
      const double b0 = c[k].b0, b1 = c[k].b1, b2 = c[k].b2;
      const double a1 = c[k].a1, a2 = c[k].a2;
      double p1 = z0[k].z1, p2 = z0[k].z2, q1 = z1[k].z1, q2 = z1[k].z2;
      for (uint32_t i = 0; i < n; i++)
        {
          double u = x0[i], v = x1[i];
          double y = b0 * u + p1;
          double w = b0 * v + q1;
          p1 = b1 * u - a1 * y + p2;
          q1 = b1 * v - a1 * w + q2;
          p2 = b2 * u - a2 * y;
          q2 = b2 * v - a2 * w;
          x0[i] = (float) y;
          x1[i] = (float) w;
        }
      z0[k].z1 = p1;
      z0[k].z2 = p2;
      z1[k].z1 = q1;
      z1[k].z2 = q2;
    }
}

/* While the band fades: per sample, dry/wet by the moving mix.
 * RT-safe */
static float
filter_fading (const BuskerBiquadCoefsD *c, BuskerBiquadStateD *z, int ns,
               float *x, uint32_t n, float mix, float target, float step)
{
  for (uint32_t i = 0; i < n; i++)
    {
      mix = target > mix ? fminf (mix + step, target) : fmaxf (mix - step, target);
      double dry = x[i], y = dry;
      for (int k = 0; k < ns; k++)
        y = busker_biquad_tick_d (&c[k], &z[k], y);
      x[i] = (float) (dry + mix * (y - dry));
    }
  return mix;
}

/* RT-safe */
static void
to_mid_side (float *l, float *r, uint32_t n)
{
  for (uint32_t i = 0; i < n; i++)
    {
      float m = 0.5f * (l[i] + r[i]), s = 0.5f * (l[i] - r[i]);
      l[i] = m;
      r[i] = s;
    }
}

/* RT-safe */
static void
from_mid_side (float *m, float *s, uint32_t n)
{
  for (uint32_t i = 0; i < n; i++)
    {
      float l = m[i] + s[i], r = m[i] - s[i];
      m[i] = l;
      s[i] = r;
    }
}

/* Runs one band over a region whose coefficients are fixed.
 * RT-safe */
static void
band_run (EqBand *b, float *l, float *r, uint32_t n, float mix_target, float step)
{
  const int ns = b->run_sections;
  const BuskerEqChannel ch = b->run_channel;
  const bool ms = ch == BUSKER_EQ_MID || ch == BUSKER_EQ_SIDE;
  const bool use0 = ch != BUSKER_EQ_RIGHT && ch != BUSKER_EQ_SIDE;
  const bool use1 = ch != BUSKER_EQ_LEFT && ch != BUSKER_EQ_MID;

  if (ms)
    to_mid_side (l, r, n);
  if (b->mix == 1.0f && mix_target == 1.0f)
    {
      if (use0 && use1)
        filter_two (b->c, b->z[0], b->z[1], ns, l, r, n);
      else if (use0)
        filter_one (b->c, b->z[0], ns, l, n);
      else
        filter_one (b->c, b->z[1], ns, r, n);
    }
  else
    {
      float m = b->mix;
      if (use0)
        m = filter_fading (b->c, b->z[0], ns, l, n, b->mix, mix_target, step);
      if (use1)
        m = filter_fading (b->c, b->z[1], ns, r, n, b->mix, mix_target, step);
      b->mix = m;
    }
  if (ms)
    from_mid_side (l, r, n);
}

static bool
band_gliding (const EqBand *b)
{
  return !busker_smoothed_settled (&b->log2_freq)
         || !busker_smoothed_settled (&b->gain_db_s)
         || !busker_smoothed_settled (&b->log2_q);
}

/* RT-safe */
static void
band_process (BuskerEq *self, EqBand *b, float *l, float *r, uint32_t n)
{
  bool pending = band_pending (b);
  float mix_target = b->enabled && !pending ? 1.0f : 0.0f;

  /* Silent and staying so: switch at once, no need to glide. */
  if (b->mix == 0.0f && mix_target == 0.0f)
    {
      if (pending || band_gliding (b))
        band_settle (self, b);
      b->mix = 0.0f;
      if (!b->enabled)
        return;
      mix_target = 1.0f;
    }

  /* A settled 0 dB peak or shelf is exactly the identity: skip it. */
  if (b->mix == 1.0f && mix_target == 1.0f && !band_gliding (b)
      && b->gain_db_s.value == 0.0f
      && (b->run_type == BUSKER_EQ_PEAK || b->run_type == BUSKER_EQ_LOW_SHELF
          || b->run_type == BUSKER_EQ_HIGH_SHELF))
    return;

  uint32_t off = 0;
  while (off < n)
    {
      bool glide = band_gliding (b);
      uint32_t len = n - off;
      if ((glide || b->mix != mix_target) && len > SUB_BLOCK)
        len = SUB_BLOCK;
      if (glide)
        {
          busker_smoothed_next (&b->log2_freq);
          busker_smoothed_next (&b->gain_db_s);
          busker_smoothed_next (&b->log2_q);
          band_design_now (self, b);
        }
      band_run (b, l + off, r + off, len, mix_target, self->mix_step);
      off += len;

      if (b->mix == 0.0f && mix_target == 0.0f)
        {
          /* Faded out: apply the discrete change and fade back in. */
          band_settle (self, b);
          b->mix = 0.0f;
          mix_target = b->enabled ? 1.0f : 0.0f;
          if (mix_target == 0.0f)
            break;
        }
    }

  for (int ch = 0; ch < 2; ch++)
    for (int k = 0; k < b->run_sections; k++)
      busker_biquad_flush_d (&b->z[ch][k]);
}

/* A band that band_process() would leave alone without touching
 * anything: off, faded out, nothing pending. */
static bool
band_inert (const EqBand *b)
{
  return !b->enabled && b->mix == 0.0f && !band_pending (b) && !band_gliding (b);
}

/* A settled, fully-in stereo band: band_process() would run filter_two()
 * over the whole block, or skip it as the identity. */
static bool
band_plain (const EqBand *b)
{
  return b->enabled && b->mix == 1.0f && b->run_channel == BUSKER_EQ_STEREO
         && !band_pending (b) && !band_gliding (b);
}

static bool
band_identity (const EqBand *b)
{
  return b->gain_db_s.value == 0.0f
         && (b->run_type == BUSKER_EQ_PEAK || b->run_type == BUSKER_EQ_LOW_SHELF
             || b->run_type == BUSKER_EQ_HIGH_SHELF);
}

/* All bands in order; the plain ones fused. RT-safe */
static void
bands_process (BuskerEq *self, float *l, float *r, uint32_t n)
{
  BuskerEqFusedSection sec[BUSKER_EQ_MAX_BANDS * MAX_SECTIONS];
  int ns = 0;
  bool fused[BUSKER_EQ_MAX_BANDS]; /* the bands whose sections went into sec */

  for (int i = 0; i < BUSKER_EQ_MAX_BANDS; i++)
    {
      EqBand *b = &self->band[i];
      fused[i] = false;
      if (band_inert (b))
        continue;
      if (!band_plain (b))
        {
          self->fused_flush (sec, &ns, l, r, n);
          band_process (self, b, l, r, n);
          continue;
        }
      if (band_identity (b))
        continue;
      fused[i] = true;
      for (int k = 0; k < b->run_sections; k++)
        sec[ns++] = (BuskerEqFusedSection) { &b->c[k], &b->z[0][k], &b->z[1][k] };
    }
  self->fused_flush (sec, &ns, l, r, n);

  /* As band_process() does after its run. */
  for (int i = 0; i < BUSKER_EQ_MAX_BANDS; i++)
    {
      EqBand *b = &self->band[i];
      if (fused[i])
        for (int ch = 0; ch < 2; ch++)
          for (int k = 0; k < b->run_sections; k++)
            busker_biquad_flush_d (&b->z[ch][k]);
    }
}

/* RT-safe */
static void
silence (float *l, float *r, uint32_t n)
{
  for (uint32_t i = 0; i < n; i++)
    l[i] = r[i] = 0.0f;
}

/* RT-safe */
bool
busker_eq_process (BuskerEq *self, float *left, float *right, uint32_t n)
{
  /* No check of the input: a non-finite sample stays non-finite through
   * the filters (and the states it enters), so the check of the output
   * below catches it and resets, as a check here would. */
  bands_process (self, left, right, n);

  if (busker_smoothed_settled (&self->out_gain))
    {
      const float g = self->out_gain.value;
      if (g != 1.0f)
        for (uint32_t i = 0; i < n; i++)
          {
            left[i] *= g;
            right[i] *= g;
          }
    }
  else
    {
      BuskerSmoothed og = self->out_gain;
      for (uint32_t i = 0; i < n; i++)
        {
          float g = busker_smoothed_next (&og);
          left[i] *= g;
          right[i] *= g;
        }
      self->out_gain = og;
    }

  if (!busker_stereo_is_finite (left, right, n))
    {
      silence (left, right, n);
      busker_eq_reset (self);
      return false;
    }
  return true;
}

void
busker_eq_response_db (const BuskerEq *self, const float *freqs_hz,
                       float *out_db, uint32_t n, BuskerEqChannel channel)
{
  for (uint32_t i = 0; i < n; i++)
    out_db[i] = self->output_gain_db;

  for (int bi = 0; bi < BUSKER_EQ_MAX_BANDS; bi++)
    {
      const EqBand *b = &self->band[bi];
      if (!b->enabled || (b->channel != BUSKER_EQ_STEREO && b->channel != channel))
        continue;
      BuskerBiquadCoefsD c[MAX_SECTIONS];
      int ns = design_band (c, b->type, is_pass (b->type) ? b->sections : 1,
                            self->sample_rate, b->freq_hz, b->q, b->gain_db);
      for (uint32_t i = 0; i < n; i++)
        for (int k = 0; k < ns; k++)
          out_db[i] += (float) busker_biquad_magnitude_db_d (&c[k], self->sample_rate,
                                                             freqs_hz[i]);
    }
}

/* The class adapter of effect.h. */

static void *
eq_create (double sample_rate, uint32_t max_block)
{
  return busker_eq_new (sample_rate, max_block);
}

static void
eq_destroy (void *self)
{
  busker_eq_free (self);
}

static void
eq_reset (void *self)
{
  busker_eq_reset (self);
}

static void
eq_set_param (void *self, uint32_t index, float value)
{
  busker_eq_set_param (self, index, value);
}

static bool
eq_process (void *self, float *left, float *right, uint32_t n)
{
  return busker_eq_process (self, left, right, n);
}

const BuskerEffectClass busker_eq_class = {
  .type = "eq",
  .label = BUSKER_N_ ("Equalizer"),
  .params = busker_eq_params,
  .n_params = BUSKER_EQ_N_PARAMS,
  .create = eq_create,
  .destroy = eq_destroy,
  .reset = eq_reset,
  .set_param = eq_set_param,
  .process = eq_process,
};
