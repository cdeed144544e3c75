/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Feed-forward compressor.
 *
 * Design decisions
 * - Sidechain: the input itself, optionally through a 12 dB/oct Butterworth
 *   high pass (sidechain_hpf_hz, 0 = off) so bass does not pump the mix.
 * - Detector: peak (|x|) or RMS (mean square through a 10 ms one-pole).
 *   Levels are linked in the detector domain: each channel's level moves
 *   towards the louder one by stereo_link (1 = both get the same gain, so
 *   the image does not shift).
 * - Gain computer and ballistics live in compressor.h because the
 *   multiband compressor runs the same code per band: a quadratic soft
 *   knee, then attack/release time constants on the reduction in dB.
 * - Output: x * ((1 - mix) + mix * makeup * gain), i.e. makeup belongs to
 *   the compressed (wet) path of the parallel mix.
 * - Smoothing: threshold, ratio (as slope 1 - 1/ratio), knee, makeup and mix
 *   glide per sample with 20 ms one-poles; the loop only does that work
 *   while one of them moves.
 * - Cost: one log2 and one exp2 per channel and sample (one per sample
 *   when fully linked), with fast-math.h approximations, and no branch
 *   that depends on the signal. Settled and linked (the defaults) the
 *   whole unit is one pass of four-lane vectors, the ballistics included
 *   as prefix scans (compressor.h); their results differ from the
 *   per-sample recursion by float rounding only (under 1e-3 dB of
 *   reduction, tests/dsp/test-compressor.c checks it against the
 *   recursion in double).
 * - A non-finite input is not checked for before processing: the gain
 *   is finite, so the output check catches it with the same result
 *   (silence, reset, false).
 */
#include "compressor.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "biquad.h"
#include "dsp-util.h"
#include "compressor-linked.h"
#include "fast-math.h"

#define SMOOTH_TAU_S 0.02f
#define RMS_TAU_S 0.01f
#define CHUNK 64

void
busker_comp_ballistics_set_times (BuskerCompBallistics *b, float attack_ms,
                                  float release_ms, float sample_rate)
{
  b->attack_coef = busker_one_pole_coef (attack_ms * 0.001f, sample_rate);
  b->release_coef = busker_one_pole_coef (release_ms * 0.001f, sample_rate);
  /* Powers in double, rounded once. */
  double a = 1.0 - (double) b->release_coef, g = 1.0 - (double) b->attack_coef;
  b->v.rel = busker_v4_splat ((float) a);
  b->v.rel2 = busker_v4_splat ((float) (a * a));
  b->v.rel_out = (BuskerV4f) { (float) (1.0 - a), (float) (1.0 - a * a),
                               (float) (1.0 - a * a * a), (float) (1.0 - a * a * a * a) };
  b->v.rel_in = busker_v4_splat (b->release_coef);
  b->v.att = busker_v4_splat ((float) g);
  b->v.att2 = busker_v4_splat ((float) (g * g));
  b->v.att_out = (BuskerV4f) { (float) (1.0 - g), (float) (1.0 - g * g),
                               (float) (1.0 - g * g * g), (float) (1.0 - g * g * g * g) };
  b->v.att_in = busker_v4_splat (b->attack_coef);
}

/* RT-safe */
void
busker_comp_ballistics_run (BuskerCompBallistics *b, float *t, uint32_t n)
{
  BuskerV4f held = busker_v4_splat (b->held_db), gr = busker_v4_splat (b->gr_db);
  size_t i = 0;
  for (; i + 4 <= n; i += 4)
    {
      BuskerV4f v;
      memcpy (&v, t + i, sizeof v);
      v = busker_comp_ballistics_step_v4 (&b->v, &held, &gr, v);
      memcpy (t + i, &v, sizeof v);
    }
  b->held_db = held[0];
  b->gr_db = gr[0];
  for (; i < n; i++)
    t[i] = busker_comp_ballistics_step (b, t[i]);
}

struct BuskerCompressor {
  float sample_rate;
  /* Parameters as last set, to recompute only on a change. */
  float attack_ms, release_ms, hpf_hz;
  BuskerDetector detector;
  float stereo_link;

  BuskerSmoothed threshold_db, slope, knee_db;
  BuskerSmoothed makeup; /* linear */
  BuskerSmoothed mix;

  float rms_coef;
  float mean_square[2]; /* RMS detector state per channel */
  BuskerBiquadCoefs hpf;
  BuskerBiquadState hpf_z[2];
  BuskerCompBallistics bal[2];
  BuskerCompLinkedRun linked_run; /* this CPU's build (dsp-isa.h) */
  float gr_db; /* readout: the larger reduction at the end of the block */
};

static void
init_smoothed (BuskerCompressor *self, BuskerSmoothed *s, float v)
{
  busker_smoothed_init (s, v, SMOOTH_TAU_S, self->sample_rate);
}

BuskerCompressor *
busker_compressor_new (double sample_rate)
{
  BuskerCompressor *self = calloc (1, sizeof *self);
  if (self == NULL)
    return NULL;
  const BuskerParamSpec *p = busker_compressor_params;
  self->sample_rate = (float) sample_rate;
  self->linked_run = BUSKER_DSP_PICK (busker_comp_linked_run);
  self->attack_ms = p[BUSKER_COMP_ATTACK_MS].def;
  self->release_ms = p[BUSKER_COMP_RELEASE_MS].def;
  self->detector = (BuskerDetector) p[BUSKER_COMP_DETECTOR].def;
  self->stereo_link = p[BUSKER_COMP_STEREO_LINK].def;
  self->hpf_hz = 0.0f;
  init_smoothed (self, &self->threshold_db, p[BUSKER_COMP_THRESHOLD_DB].def);
  init_smoothed (self, &self->slope, 1.0f - 1.0f / p[BUSKER_COMP_RATIO].def);
  init_smoothed (self, &self->knee_db, p[BUSKER_COMP_KNEE_DB].def);
  init_smoothed (self, &self->makeup, busker_db_to_gain (p[BUSKER_COMP_MAKEUP_DB].def));
  init_smoothed (self, &self->mix, p[BUSKER_COMP_MIX].def);
  self->rms_coef = busker_one_pole_coef (RMS_TAU_S, self->sample_rate);
  busker_biquad_identity (&self->hpf);
  for (int c = 0; c < 2; c++)
    busker_comp_ballistics_set_times (&self->bal[c], self->attack_ms, self->release_ms,
                                      self->sample_rate);
  busker_compressor_set_param (self, BUSKER_COMP_SIDECHAIN_HPF_HZ,
                               p[BUSKER_COMP_SIDECHAIN_HPF_HZ].def);
  busker_compressor_reset (self);
  return self;
}

void
busker_compressor_free (BuskerCompressor *self)
{
  free (self);
}

/* RT-safe */
void
busker_compressor_reset (BuskerCompressor *self)
{
  busker_smoothed_snap (&self->threshold_db);
  busker_smoothed_snap (&self->slope);
  busker_smoothed_snap (&self->knee_db);
  busker_smoothed_snap (&self->makeup);
  busker_smoothed_snap (&self->mix);
  for (int c = 0; c < 2; c++)
    {
      self->mean_square[c] = 0.0f;
      self->hpf_z[c] = (BuskerBiquadState) { 0.0f, 0.0f };
      busker_comp_ballistics_reset (&self->bal[c]);
    }
  self->gr_db = 0.0f;
}

/* RT-safe */
void
busker_compressor_set_param (BuskerCompressor *self, uint32_t index, float value)
{
  switch (index)
    {
    case BUSKER_COMP_THRESHOLD_DB:
      busker_smoothed_set (&self->threshold_db, value);
      break;
    case BUSKER_COMP_RATIO:
      busker_smoothed_set (&self->slope, value >= 1.0f ? 1.0f - 1.0f / value : 0.0f);
      break;
    case BUSKER_COMP_ATTACK_MS:
    case BUSKER_COMP_RELEASE_MS:
      {
        float *field = index == BUSKER_COMP_ATTACK_MS ? &self->attack_ms : &self->release_ms;
        if (*field == value)
          break;
        *field = value;
        for (int c = 0; c < 2; c++)
          busker_comp_ballistics_set_times (&self->bal[c], self->attack_ms, self->release_ms,
                                            self->sample_rate);
      }
      break;
    case BUSKER_COMP_KNEE_DB:
      busker_smoothed_set (&self->knee_db, value > 0.0f ? value : 0.0f);
      break;
    case BUSKER_COMP_MAKEUP_DB:
      busker_smoothed_set (&self->makeup, busker_db_to_gain (value));
      break;
    case BUSKER_COMP_MIX:
      busker_smoothed_set (&self->mix, value);
      break;
    case BUSKER_COMP_DETECTOR:
      self->detector = value >= 0.5f ? BUSKER_DETECTOR_RMS : BUSKER_DETECTOR_PEAK;
      break;
    case BUSKER_COMP_SIDECHAIN_HPF_HZ:
      if (value == self->hpf_hz && value > 0.0f)
        break;
      if (self->hpf_hz <= 0.0f && value > 0.0f)
        self->hpf_z[0] = self->hpf_z[1] = (BuskerBiquadState) { 0.0f, 0.0f }; /* stale */
      self->hpf_hz = value;
      if (value > 0.0f)
        {
          double f = value < 0.45 * self->sample_rate ? value : 0.45 * self->sample_rate;
          busker_biquad_design (&self->hpf, BUSKER_BIQUAD_HIGH_PASS, self->sample_rate, f,
                                M_SQRT1_2, 0.0);
        }
      break;
    case BUSKER_COMP_STEREO_LINK:
      self->stereo_link = value;
      break;
    default:
      break;
    }
}

float
busker_compressor_gain_reduction_db (const BuskerCompressor *self)
{
  return self->gr_db;
}

/* RT-safe */
static void
silence (float *l, float *r, uint32_t n)
{
  for (uint32_t i = 0; i < n; i++)
    l[i] = r[i] = 0.0f;
}

/* The peak detector without sidechain filter, four lanes at a time:
 * the same operations as the per-sample loop. Returns how many samples
 * it did (a multiple of four); the loop does the rest. RT-safe */
static uint32_t
peak_levels (const float *l, const float *r, float *t0, float *t1, uint32_t m, float link)
{
  const BuskerV4i abs_mask = { 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff };
  const BuskerV4f v_link = busker_v4_splat (link);
  size_t i = 0;
  for (; i + 4 <= m; i += 4)
    {
      BuskerV4i a, b;
      memcpy (&a, l + i, sizeof a);
      memcpy (&b, r + i, sizeof b);
      BuskerV4f vl = (BuskerV4f) (a & abs_mask), vr = (BuskerV4f) (b & abs_mask);
      BuskerV4f v = busker_v4_max (vl, vr);
      BuskerV4f x0 = vl + v_link * (v - vl), x1 = vr + v_link * (v - vr);
      memcpy (t0 + i, &x0, sizeof x0);
      memcpy (t1 + i, &x1, sizeof x1);
    }
  return i;
}

/* RT-safe */
bool
busker_compressor_process (BuskerCompressor *self, float *left, float *right, uint32_t n)
{
  /* No check of the input: x * gain with a finite gain keeps a
   * non-finite sample non-finite, so the check of the output below
   * catches it and resets, as a check here would. */
  const bool ramp = !busker_smoothed_settled (&self->threshold_db)
                    || !busker_smoothed_settled (&self->slope)
                    || !busker_smoothed_settled (&self->knee_db)
                    || !busker_smoothed_settled (&self->makeup)
                    || !busker_smoothed_settled (&self->mix);
  const bool rms = self->detector == BUSKER_DETECTOR_RMS;
  const bool hpf = self->hpf_hz > 0.0f;
  const float link = self->stereo_link;
  const bool linked = link >= 1.0f;
  /* log2 of the detector value to dB: 20 log10 for |x|, 10 log10 for x^2. */
  const float db_per_log2 = rms ? 0.5f * BUSKER_DB_PER_LOG2 : BUSKER_DB_PER_LOG2;
  const float rms_coef = self->rms_coef;
  const BuskerBiquadCoefs hc = self->hpf;

  BuskerSmoothed thr_s = self->threshold_db, slope_s = self->slope, knee_s = self->knee_db;
  BuskerSmoothed makeup_s = self->makeup, mix_s = self->mix;
  float thr = thr_s.value, slope = slope_s.value, knee = knee_s.value;
  float makeup = makeup_s.value, mix = mix_s.value;

  float ms0 = self->mean_square[0], ms1 = self->mean_square[1];
  BuskerBiquadState hz0 = self->hpf_z[0], hz1 = self->hpf_z[1];
  /* In place: the structs carry the vector coefficients, too big to copy
   * per block. */
  BuskerCompBallistics *b0 = &self->bal[0], *b1 = &self->bal[1];

  /* Settled and linked without sidechain filters (the default): one pass,
   * linked_run. Otherwise passes per chunk: the detector (with its
   * optional filters) and, four lanes at a time, the gain computer; the
   * ballistics, four samples per step; then, four lanes at a time, exp2
   * and the mix. While parameters glide the first and last passes run per
   * sample. */
  const BuskerCompGainComputer gc = {
    busker_v4_splat (db_per_log2), busker_v4_splat (thr), busker_v4_splat (slope),
    busker_v4_splat (knee), busker_v4_splat (0.5f * knee),
    busker_v4_splat (0.5f / busker_maxf (knee, 1e-6f)), busker_v4_splat (1e-20f),
    busker_v4_splat (0.0f)
  };
  const BuskerV4f v_dry_settled = busker_v4_splat (1.0f - mix);
  const BuskerV4f v_wet_settled = busker_v4_splat (mix * makeup);

  const bool fused = !ramp && linked && !hpf && !rms;
  if (fused)
    self->linked_run (&gc, b0, NULL, left, right, n, v_dry_settled, v_wet_settled);

  for (uint32_t off = 0; off < n && !fused; off += CHUNK)
    {
      const uint32_t m = n - off < CHUNK ? n - off : CHUNK;
      const uint32_t m4 = (m + 3) & ~3u;
      float *l = left + off, *r = right + off;
      /* Detector levels, then targets, then reductions (dB), then gains. */
      float t0[CHUNK] __attribute__ ((aligned (16)));
      float t1[CHUNK] __attribute__ ((aligned (16)));
      float wetv[CHUNK], dryv[CHUNK];

      uint32_t i_det = 0;
      if (!hpf && !rms)
        i_det = peak_levels (l, r, t0, t1, m, link);
      for (uint32_t i = i_det; i < m; i++)
        {
          float dl = l[i], dr = r[i];
          if (hpf)
            {
              dl = busker_biquad_tick (&hc, &hz0, dl);
              dr = busker_biquad_tick (&hc, &hz1, dr);
            }
          float vl, vr;
          if (rms)
            {
              ms0 += rms_coef * (dl * dl - ms0);
              ms1 += rms_coef * (dr * dr - ms1);
              vl = ms0;
              vr = ms1;
            }
          else
            {
              vl = fabsf (dl);
              vr = fabsf (dr);
            }
          float v = busker_maxf (vl, vr);
          t0[i] = vl + link * (v - vl);
          t1[i] = vr + link * (v - vr);
        }

      if (!ramp && linked)
        {
          self->linked_run (&gc, b0, t0, l, r, m, v_dry_settled, v_wet_settled);
          continue;
        }

      if (ramp)
        for (uint32_t i = 0; i < m; i++)
          {
            thr = busker_smoothed_next (&thr_s);
            slope = busker_smoothed_next (&slope_s);
            knee = busker_smoothed_next (&knee_s);
            makeup = busker_smoothed_next (&makeup_s);
            mix = busker_smoothed_next (&mix_s);
            wetv[i] = mix * makeup;
            dryv[i] = 1.0f - mix;
            t0[i] = busker_comp_gain_reduction_db (
              db_per_log2 * busker_fast_log2f (busker_maxf (t0[i], 1e-20f)), thr, slope, knee);
            t1[i] = busker_comp_gain_reduction_db (
              db_per_log2 * busker_fast_log2f (busker_maxf (t1[i], 1e-20f)), thr, slope, knee);
          }
      else
        {
          for (uint32_t i = m; i < m4; i++)
            t0[i] = t1[i] = 0.0f;
          for (uint32_t i = 0; i < m4; i += 4)
            for (int ch = 0; ch < (linked ? 1 : 2); ch++)
              {
                float *t = ch ? t1 : t0;
                BuskerV4f v;
                memcpy (&v, t + i, sizeof v);
                v = busker_comp_gain_computer_v4 (&gc, v);
                memcpy (t + i, &v, sizeof v);
              }
        }

      busker_comp_ballistics_run (b0, t0, m);
      if (!linked)
        busker_comp_ballistics_run (b1, t1, m);

      if (ramp)
        for (uint32_t i = 0; i < m; i++)
          {
            l[i] *= dryv[i] + wetv[i] * busker_fast_exp2f (t0[i] * (-1.0f / BUSKER_DB_PER_LOG2));
            r[i] *= dryv[i] + wetv[i]
                    * busker_fast_exp2f ((linked ? t0[i] : t1[i]) * (-1.0f / BUSKER_DB_PER_LOG2));
          }
      else
        {
          const BuskerV4f v_dry = busker_v4_splat (1.0f - mix);
          const BuskerV4f v_wet = busker_v4_splat (mix * makeup);
          for (uint32_t i = m; i < m4; i++)
            t0[i] = t1[i] = 0.0f;
          for (uint32_t i = 0; i < m4; i += 4)
            for (int ch = 0; ch < (linked ? 1 : 2); ch++)
              {
                float *t = ch ? t1 : t0;
                BuskerV4f g;
                memcpy (&g, t + i, sizeof g);
                g = v_dry + v_wet * busker_fast_exp2_v4 (g * (-1.0f / BUSKER_DB_PER_LOG2));
                memcpy (t + i, &g, sizeof g);
              }
          const float *kr = linked ? t0 : t1;
          for (uint32_t i = 0; i < m; i++)
            {
              l[i] *= t0[i];
              r[i] *= kr[i];
            }
        }
    }
  if (linked)
    {
      b1->held_db = b0->held_db;
      b1->gr_db = b0->gr_db;
    }

  /* Tiny reductions and levels decay forever: flush them. */
  busker_biquad_flush (&hz0);
  busker_biquad_flush (&hz1);
  b0->gr_db = busker_flush_denormal (b0->gr_db);
  b0->held_db = busker_flush_denormal (b0->held_db);
  b1->gr_db = busker_flush_denormal (b1->gr_db);
  b1->held_db = busker_flush_denormal (b1->held_db);
  self->mean_square[0] = busker_flush_denormal (ms0);
  self->mean_square[1] = busker_flush_denormal (ms1);
  self->hpf_z[0] = hz0;
  self->hpf_z[1] = hz1;
  self->threshold_db = thr_s;
  self->slope = slope_s;
  self->knee_db = knee_s;
  self->makeup = makeup_s;
  self->mix = mix_s;
  self->gr_db = busker_maxf (b0->gr_db, b1->gr_db);

  if (!isfinite (self->gr_db) || !busker_stereo_is_finite (left, right, n))
    {
      silence (left, right, n);
      busker_compressor_reset (self);
      return false;
    }
  return true;
}

/* The class adapter of effect.h. */

static void *
comp_create (double sample_rate, uint32_t max_block)
{
  return busker_compressor_new (sample_rate);
}

static void
comp_destroy (void *self)
{
  busker_compressor_free (self);
}

static void
comp_reset (void *self)
{
  busker_compressor_reset (self);
}

static void
comp_set_param (void *self, uint32_t index, float value)
{
  busker_compressor_set_param (self, index, value);
}

static bool
comp_process (void *self, float *left, float *right, uint32_t n)
{
  return busker_compressor_process (self, left, right, n);
}

static float
comp_gain_reduction_db (const void *self)
{
  return busker_compressor_gain_reduction_db (self);
}

const BuskerEffectClass busker_compressor_class = {
  .type = "compressor",
  .label = BUSKER_N_ ("Compressor"),
  .params = busker_compressor_params,
  .n_params = BUSKER_COMP_N_PARAMS,
  .create = comp_create,
  .destroy = comp_destroy,
  .reset = comp_reset,
  .set_param = comp_set_param,
  .process = comp_process,
  .gain_reduction_db = comp_gain_reduction_db,
};
