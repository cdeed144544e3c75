/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Multiband compressor.
 *
 * Design decisions
 * - Bands: a tree of Linkwitz-Riley 24 dB/oct crossovers (each half two
 *   identical 12 dB/oct Butterworth sections, in double precision because
 *   a 20 Hz crossover at 192 kHz has poles very close to z = 1). The input
 *   splits at the lowest crossover; the high part splits again at the
 *   next, and so on. LR4 low + high pass sum to a second-order all-pass at
 *   the crossover frequency, so each lower band also runs through the
 *   all-passes of the crossovers above it: then every band has the same
 *   phase and the sum of neutral bands is an all-pass, flat in magnitude.
 * - Per band a linked peak detector feeds the compressor's gain computer
 *   and ballistics (compressor.h, shared code); the knee is fixed at 6 dB
 *   (the file format has no per-band knee). Makeup and a bypass that
 *   cross-fades the band's gain to unity glide over 20 ms.
 * - Crossover frequencies glide (in octaves) per 32-sample chunk and are
 *   kept ascending and below 0.45 fs. A change of the number of bands
 *   fades the output out over 5 ms, restarts the filters while silent and
 *   fades back in: a short dip instead of a click.
 * - Processing runs in chunks of 32 frames on stack buffers, so there is
 *   no allocation and no limit on the block size.
 */
#include "multiband.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "biquad.h"
#include "biquad-v2.h"
#include "compressor.h"
#include "dsp-util.h"
#include "fast-math.h"

#define CHUNK 32
#define SMOOTH_TAU_S 0.02f
#define KNEE_DB 6.0f
#define SWITCH_FADE_S 0.005f
#define DB_PER_LOG2 6.02059991f
#define NX BUSKER_MBC_MAX_CROSSOVERS
#define NB BUSKER_MBC_MAX_BANDS

typedef struct {
  float attack_ms, release_ms; /* as set, to recompute only on change */
  BuskerSmoothed threshold_db, slope, makeup, bypass; /* bypass 0..1 */
  BuskerCompBallistics bal;
} MbcBand;

struct BuskerMultiband {
  double sample_rate;
  int n_crossovers;     /* as set, 1-3 */
  int run_crossovers;   /* what the filters run */
  float crossover_hz[NX];           /* as set */
  BuskerSmoothed log2_crossover[NX]; /* glide per chunk */
  BuskerBiquadCoefsD lp[NX], hp[NX], ap[NX];
  /* [channel][crossover][section] of the LR4 halves; [channel][band]
   * [crossover] of the phase-compensating all-passes. */
  BuskerBiquadStateD lp_z[2][NX][2], hp_z[2][NX][2], ap_z[2][NB][NX];
  MbcBand band[NB];
  BuskerSmoothed output_gain; /* linear */
  float switch_gain; /* 1, or fading around a change of the band count */
  float switch_step; /* per sample */
  float gr_db;
};

static void
design_crossovers (BuskerMultiband *self)
{
  double prev = 0.0, max_hz = 0.45 * self->sample_rate;
  for (int k = 0; k < NX; k++)
    {
      double f = exp2 (self->log2_crossover[k].value);
      f = f < prev ? prev : f;
      f = f > max_hz ? max_hz : f;
      prev = f;
      busker_biquad_design_d (&self->lp[k], BUSKER_BIQUAD_LOW_PASS, self->sample_rate, f,
                              M_SQRT1_2, 0.0);
      busker_biquad_design_d (&self->hp[k], BUSKER_BIQUAD_HIGH_PASS, self->sample_rate, f,
                              M_SQRT1_2, 0.0);
      busker_biquad_design_d (&self->ap[k], BUSKER_BIQUAD_ALL_PASS, self->sample_rate, f,
                              M_SQRT1_2, 0.0);
    }
}

BuskerMultiband *
busker_multiband_new (double sample_rate)
{
  BuskerMultiband *self = calloc (1, sizeof *self);
  if (self == NULL)
    return NULL;
  const BuskerParamSpec *p = busker_multiband_params;
  float fs = (float) sample_rate;
  self->sample_rate = sample_rate;
  self->switch_step = 1.0f / (SWITCH_FADE_S * fs);
  self->n_crossovers = self->run_crossovers = (int) p[BUSKER_MBC_CROSSOVER_COUNT].def;
  for (int k = 0; k < NX; k++)
    {
      self->crossover_hz[k] = p[BUSKER_MBC_CROSSOVER_HZ + k].def;
      busker_smoothed_init (&self->log2_crossover[k], log2f (self->crossover_hz[k]),
                            SMOOTH_TAU_S, fs / CHUNK);
    }
  for (int b = 0; b < NB; b++)
    {
      MbcBand *band = &self->band[b];
      const BuskerParamSpec *bp = &p[BUSKER_MBC_PARAM (b, 0)];
      band->attack_ms = bp[BUSKER_MBC_BAND_ATTACK_MS].def;
      band->release_ms = bp[BUSKER_MBC_BAND_RELEASE_MS].def;
      busker_comp_ballistics_set_times (&band->bal, band->attack_ms, band->release_ms, fs);
      busker_smoothed_init (&band->threshold_db, bp[BUSKER_MBC_BAND_THRESHOLD_DB].def,
                            SMOOTH_TAU_S, fs);
      busker_smoothed_init (&band->slope, 1.0f - 1.0f / bp[BUSKER_MBC_BAND_RATIO].def,
                            SMOOTH_TAU_S, fs);
      busker_smoothed_init (&band->makeup, busker_db_to_gain (bp[BUSKER_MBC_BAND_MAKEUP_DB].def),
                            SMOOTH_TAU_S, fs);
      busker_smoothed_init (&band->bypass, bp[BUSKER_MBC_BAND_BYPASS].def, SMOOTH_TAU_S, fs);
    }
  busker_smoothed_init (&self->output_gain,
                        busker_db_to_gain (p[BUSKER_MBC_OUTPUT_GAIN_DB].def), SMOOTH_TAU_S, fs);
  busker_multiband_reset (self);
  return self;
}

void
busker_multiband_free (BuskerMultiband *self)
{
  free (self);
}

static void
clear_filters (BuskerMultiband *self)
{
  memset (self->lp_z, 0, sizeof self->lp_z);
  memset (self->hp_z, 0, sizeof self->hp_z);
  memset (self->ap_z, 0, sizeof self->ap_z);
}

/* RT-safe */
void
busker_multiband_reset (BuskerMultiband *self)
{
  self->run_crossovers = self->n_crossovers;
  for (int k = 0; k < NX; k++)
    busker_smoothed_snap (&self->log2_crossover[k]);
  design_crossovers (self);
  clear_filters (self);
  for (int b = 0; b < NB; b++)
    {
      MbcBand *band = &self->band[b];
      busker_smoothed_snap (&band->threshold_db);
      busker_smoothed_snap (&band->slope);
      busker_smoothed_snap (&band->makeup);
      busker_smoothed_snap (&band->bypass);
      busker_comp_ballistics_reset (&band->bal);
    }
  busker_smoothed_snap (&self->output_gain);
  self->switch_gain = 1.0f;
  self->gr_db = 0.0f;
}

/* RT-safe */
void
busker_multiband_set_param (BuskerMultiband *self, uint32_t index, float value)
{
  if (index == BUSKER_MBC_CROSSOVER_COUNT)
    {
      int count = (int) (value + 0.5f);
      self->n_crossovers = count < 1 ? 1 : count > NX ? NX : count;
      return;
    }
  if (index < BUSKER_MBC_BAND0)
    {
      int k = (int) index - BUSKER_MBC_CROSSOVER_HZ;
      if (value > 0.0f && value != self->crossover_hz[k])
        {
          self->crossover_hz[k] = value;
          busker_smoothed_set (&self->log2_crossover[k], log2f (value));
        }
      return;
    }
  if (index == BUSKER_MBC_OUTPUT_GAIN_DB)
    {
      busker_smoothed_set (&self->output_gain, busker_db_to_gain (value));
      return;
    }
  if (index > BUSKER_MBC_OUTPUT_GAIN_DB)
    return;

  MbcBand *band = &self->band[(index - BUSKER_MBC_BAND0) / BUSKER_MBC_BAND_STRIDE];
  switch ((index - BUSKER_MBC_BAND0) % BUSKER_MBC_BAND_STRIDE)
    {
    case BUSKER_MBC_BAND_THRESHOLD_DB:
      busker_smoothed_set (&band->threshold_db, value);
      break;
    case BUSKER_MBC_BAND_RATIO:
      busker_smoothed_set (&band->slope, value >= 1.0f ? 1.0f - 1.0f / value : 0.0f);
      break;
    case BUSKER_MBC_BAND_ATTACK_MS:
    case BUSKER_MBC_BAND_RELEASE_MS:
      {
        bool attack = (index - BUSKER_MBC_BAND0) % BUSKER_MBC_BAND_STRIDE
                      == BUSKER_MBC_BAND_ATTACK_MS;
        float *field = attack ? &band->attack_ms : &band->release_ms;
        if (*field != value)
          {
            *field = value;
            busker_comp_ballistics_set_times (&band->bal, band->attack_ms, band->release_ms,
                                              (float) self->sample_rate);
          }
      }
      break;
    case BUSKER_MBC_BAND_MAKEUP_DB:
      busker_smoothed_set (&band->makeup, busker_db_to_gain (value));
      break;
    case BUSKER_MBC_BAND_BYPASS:
      busker_smoothed_set (&band->bypass, value >= 0.5f ? 1.0f : 0.0f);
      break;
    default:
      break;
    }
}

float
busker_multiband_gain_reduction_db (const BuskerMultiband *self)
{
  return self->gr_db;
}

/* One section over both channels' buffers, state in locals; the two
 * channels share the loop so their dependency chains overlap. RT-safe */
static void
section_run (const BuskerBiquadCoefsD *c, BuskerBiquadStateD *zl, BuskerBiquadStateD *zr,
             const float *in_l, const float *in_r, float *out_l, float *out_r, uint32_t n)
{
  const double b0 = c->b0, b1 = c->b1, b2 = c->b2, a1 = c->a1, a2 = c->a2;
  double p1 = zl->z1, p2 = zl->z2, q1 = zr->z1, q2 = zr->z2;
  for (uint32_t i = 0; i < n; i++)
    {
      double u = in_l[i], v = in_r[i];
      double y = b0 * u + p1, w = b0 * v + q1;
      p1 = b1 * u - a1 * y + p2;
      q1 = b1 * v - a1 * w + q2;
      p2 = b2 * u - a2 * y;
      q2 = b2 * v - a2 * w;
      out_l[i] = (float) y;
      out_r[i] = (float) w;
    }
  zl->z1 = p1;
  zl->z2 = p2;
  zr->z1 = q1;
  zr->z2 = q2;
}

/* One crossover: the LR4 low pass of rest into out, the LR4 high pass of
 * rest back into rest, all four sections in one loop with left/right in
 * one register, so their recursions overlap. Same bits as four
 * section_run() passes. RT-safe */
static void
crossover_run (const BuskerBiquadCoefsD *lp, const BuskerBiquadCoefsD *hp,
               BuskerBiquadStateD *lzl, BuskerBiquadStateD *lzr, BuskerBiquadStateD *hzl,
               BuskerBiquadStateD *hzr, float *rest_l, float *rest_r, float *out_l,
               float *out_r, uint32_t n)
{
  const BuskerSectionV2 cl = busker_section_v2 (lp), ch = busker_section_v2 (hp);
  BuskerV2d l1[2], l2[2], h1[2], h2[2];
  for (int j = 0; j < 2; j++)
    {
      l1[j] = (BuskerV2d) { lzl[j].z1, lzr[j].z1 };
      l2[j] = (BuskerV2d) { lzl[j].z2, lzr[j].z2 };
      h1[j] = (BuskerV2d) { hzl[j].z1, hzr[j].z1 };
      h2[j] = (BuskerV2d) { hzl[j].z2, hzr[j].z2 };
    }
  BuskerV2d a1 = l1[0], a2 = l2[0], b1 = l1[1], b2 = l2[1];
  BuskerV2d c1 = h1[0], c2 = h2[0], d1 = h1[1], d2 = h2[1];
  for (uint32_t i = 0; i < n; i++)
    {
      BuskerV2d u = { rest_l[i], rest_r[i] };
      BuskerV2d lo = busker_section_v2_tick (&cl, &a1, &a2, u);
      BuskerV2d hi = busker_section_v2_tick (&ch, &c1, &c2, u);
      lo = busker_section_v2_tick (&cl, &b1, &b2, lo);
      hi = busker_section_v2_tick (&ch, &d1, &d2, hi);
      out_l[i] = (float) lo[0];
      out_r[i] = (float) lo[1];
      rest_l[i] = (float) hi[0];
      rest_r[i] = (float) hi[1];
    }
  l1[0] = a1, l2[0] = a2, l1[1] = b1, l2[1] = b2;
  h1[0] = c1, h2[0] = c2, h1[1] = d1, h2[1] = d2;
  for (int j = 0; j < 2; j++)
    {
      lzl[j] = (BuskerBiquadStateD) { l1[j][0], l2[j][0] };
      lzr[j] = (BuskerBiquadStateD) { l1[j][1], l2[j][1] };
      hzl[j] = (BuskerBiquadStateD) { h1[j][0], h2[j][0] };
      hzr[j] = (BuskerBiquadStateD) { h1[j][1], h2[j][1] };
    }
}

/* The phase compensation of three crossovers in one loop: band 0 through
 * the all-passes of crossovers 1 and 2, band 1 through that of 2. Same
 * bits as three section_run() passes. RT-safe */
static void
allpasses_run3 (BuskerMultiband *self, float bl[NB][CHUNK], float br[NB][CHUNK], uint32_t n)
{
  const BuskerSectionV2 c1 = busker_section_v2 (&self->ap[1]);
  const BuskerSectionV2 c2 = busker_section_v2 (&self->ap[2]);
  BuskerBiquadStateD (*z)[NB][NX] = self->ap_z;
  BuskerV2d p1 = { z[0][0][1].z1, z[1][0][1].z1 }, p2 = { z[0][0][1].z2, z[1][0][1].z2 };
  BuskerV2d q1 = { z[0][0][2].z1, z[1][0][2].z1 }, q2 = { z[0][0][2].z2, z[1][0][2].z2 };
  BuskerV2d w1 = { z[0][1][2].z1, z[1][1][2].z1 }, w2 = { z[0][1][2].z2, z[1][1][2].z2 };
  for (uint32_t i = 0; i < n; i++)
    {
      BuskerV2d u = { bl[0][i], br[0][i] }, v = { bl[1][i], br[1][i] };
      u = busker_section_v2_tick (&c1, &p1, &p2, u);
      v = busker_section_v2_tick (&c2, &w1, &w2, v);
      u = busker_section_v2_tick (&c2, &q1, &q2, u);
      bl[0][i] = (float) u[0];
      br[0][i] = (float) u[1];
      bl[1][i] = (float) v[0];
      br[1][i] = (float) v[1];
    }
  z[0][0][1] = (BuskerBiquadStateD) { p1[0], p2[0] };
  z[1][0][1] = (BuskerBiquadStateD) { p1[1], p2[1] };
  z[0][0][2] = (BuskerBiquadStateD) { q1[0], q2[0] };
  z[1][0][2] = (BuskerBiquadStateD) { q1[1], q2[1] };
  z[0][1][2] = (BuskerBiquadStateD) { w1[0], w2[0] };
  z[1][1][2] = (BuskerBiquadStateD) { w1[1], w2[1] };
}

/* Splits a chunk into bands[0..nx]. RT-safe */
static void
split (BuskerMultiband *self, const float *l, const float *r, float bl[NB][CHUNK],
       float br[NB][CHUNK], uint32_t n)
{
  const int nx = self->run_crossovers;
  float rest_l[CHUNK], rest_r[CHUNK];
  memcpy (rest_l, l, n * sizeof *l);
  memcpy (rest_r, r, n * sizeof *r);
  for (int k = 0; k < nx; k++)
    {
      BuskerBiquadStateD (*lz)[NX][2] = self->lp_z, (*hz)[NX][2] = self->hp_z;
      crossover_run (&self->lp[k], &self->hp[k], lz[0][k], lz[1][k], hz[0][k], hz[1][k],
                     rest_l, rest_r, bl[k], br[k], n);
    }
  memcpy (bl[nx], rest_l, n * sizeof *l);
  memcpy (br[nx], rest_r, n * sizeof *r);
  /* Phase compensation: band b also passes the crossovers above it. */
  if (nx == 3)
    {
      allpasses_run3 (self, bl, br, n);
      return;
    }
  for (int b = 0; b < nx - 1; b++)
    for (int k = b + 1; k < nx; k++)
      section_run (&self->ap[k], &self->ap_z[0][b][k], &self->ap_z[1][b][k], bl[b], br[b],
                   bl[b], br[b], n);
}

/* Compresses one band of a chunk in place, both channels: while a
 * parameter glides, per sample; settled, in the compressor's passes, all
 * four lanes at a time (the ballistics as compressor.h's lane scans).
 * RT-safe */
static float
compress_band (MbcBand *band, float *l, float *r, uint32_t n)
{
  BuskerCompBallistics bal = band->bal;
  if (!busker_smoothed_settled (&band->threshold_db) || !busker_smoothed_settled (&band->slope)
      || !busker_smoothed_settled (&band->makeup) || !busker_smoothed_settled (&band->bypass))
    {
      BuskerSmoothed thr = band->threshold_db, slope = band->slope;
      BuskerSmoothed makeup = band->makeup, bypass = band->bypass;
      for (uint32_t i = 0; i < n; i++)
        {
          float t = busker_smoothed_next (&thr), s = busker_smoothed_next (&slope);
          float mk = busker_smoothed_next (&makeup), by = busker_smoothed_next (&bypass);
          float v = busker_maxf (busker_maxf (fabsf (l[i]), fabsf (r[i])), 1e-20f);
          float target = busker_comp_gain_reduction_db (DB_PER_LOG2 * busker_fast_log2f (v), t,
                                                        s, KNEE_DB);
          float gr = busker_comp_ballistics_step (&bal, target);
          float g = mk * busker_fast_exp2f (gr * (-1.0f / DB_PER_LOG2));
          g += by * (1.0f - g);
          l[i] *= g;
          r[i] *= g;
        }
      band->threshold_db = thr;
      band->slope = slope;
      band->makeup = makeup;
      band->bypass = bypass;
    }
  else
    {
      const uint32_t n4 = (n + 3) & ~3u;
      float t[CHUNK] __attribute__ ((aligned (16)));
      const BuskerV4i abs_mask = { 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff };
      uint32_t i0 = 0;
      for (; i0 + 4 <= n; i0 += 4)
        {
          BuskerV4i a, c;
          memcpy (&a, l + i0, sizeof a);
          memcpy (&c, r + i0, sizeof c);
          BuskerV4f v = busker_v4_max ((BuskerV4f) (a & abs_mask), (BuskerV4f) (c & abs_mask));
          memcpy (t + i0, &v, sizeof v);
        }
      for (uint32_t i = i0; i < n; i++)
        t[i] = busker_maxf (fabsf (l[i]), fabsf (r[i]));
      for (uint32_t i = n; i < n4; i++)
        t[i] = 0.0f;

      const BuskerV4f v_thr = busker_v4_splat (band->threshold_db.value);
      const BuskerV4f v_slope = busker_v4_splat (band->slope.value);
      const BuskerV4f v_knee = busker_v4_splat (KNEE_DB), v_half = busker_v4_splat (0.5f * KNEE_DB);
      const BuskerV4f v_inv = busker_v4_splat (0.5f / KNEE_DB), v_zero = busker_v4_splat (0.0f);
      for (uint32_t i = 0; i < n4; i += 4)
        {
          BuskerV4f v;
          memcpy (&v, t + i, sizeof v);
          BuskerV4f over = DB_PER_LOG2 * busker_fast_log2_v4 (busker_v4_max (v, busker_v4_splat (1e-20f)))
                           - v_thr;
          BuskerV4f k = busker_v4_min (busker_v4_max (over + v_half, v_zero), v_knee);
          v = v_slope * (k * k * v_inv + busker_v4_max (over - v_half, v_zero));
          memcpy (t + i, &v, sizeof v);
        }

      busker_comp_ballistics_run (&bal, t, n);

      const float by = band->bypass.value;
      const BuskerV4f v_mk = busker_v4_splat ((1.0f - by) * band->makeup.value);
      const BuskerV4f v_by = busker_v4_splat (by);
      for (uint32_t i = 0; i < n4; i += 4)
        {
          BuskerV4f g;
          memcpy (&g, t + i, sizeof g);
          g = v_by + v_mk * busker_fast_exp2_v4 (g * (-1.0f / DB_PER_LOG2));
          memcpy (t + i, &g, sizeof g);
        }
      uint32_t i1 = 0;
      for (; i1 + 4 <= n; i1 += 4)
        {
          BuskerV4f g, a, c;
          memcpy (&g, t + i1, sizeof g);
          memcpy (&a, l + i1, sizeof a);
          memcpy (&c, r + i1, sizeof c);
          a *= g;
          c *= g;
          memcpy (l + i1, &a, sizeof a);
          memcpy (r + i1, &c, sizeof c);
        }
      for (uint32_t i = i1; i < n; i++)
        {
          l[i] *= t[i];
          r[i] *= t[i];
        }
    }
  bal.gr_db = busker_flush_denormal (bal.gr_db);
  bal.held_db = busker_flush_denormal (bal.held_db);
  band->bal = bal;
  return band->bypass.value >= 1.0f ? 0.0f : bal.gr_db;
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
busker_multiband_process (BuskerMultiband *self, float *left, float *right, uint32_t n)
{
  if (!busker_stereo_is_finite (left, right, n))
    {
      silence (left, right, n);
      busker_multiband_reset (self);
      return false;
    }
  float gr_max = 0.0f;
  for (uint32_t off = 0; off < n; off += CHUNK)
    {
      const uint32_t m = n - off < CHUNK ? n - off : CHUNK;
      float *l = left + off, *r = right + off;
      float bl[NB][CHUNK], br[NB][CHUNK];

      bool glide = false;
      for (int k = 0; k < NX; k++)
        if (!busker_smoothed_settled (&self->log2_crossover[k]))
          {
            busker_smoothed_next (&self->log2_crossover[k]);
            glide = true;
          }
      if (glide)
        design_crossovers (self);

      const int nb = self->run_crossovers + 1;
      const float switch_target = self->run_crossovers != self->n_crossovers ? 0.0f : 1.0f;
      split (self, l, r, bl, br, m);
      gr_max = 0.0f;
      for (int b = 0; b < nb; b++)
        gr_max = busker_maxf (gr_max, compress_band (&self->band[b], bl[b], br[b], m));

      BuskerSmoothed og = self->output_gain;
      float sg = self->switch_gain;
      const float step = self->switch_step;
      for (uint32_t i = 0; i < m; i++)
        {
          if (sg != switch_target)
            sg = switch_target > sg ? busker_minf (sg + step, 1.0f) : busker_maxf (sg - step, 0.0f);
          float sl = 0.0f, sr = 0.0f;
          for (int b = 0; b < nb; b++)
            {
              sl += bl[b][i];
              sr += br[b][i];
            }
          float g = busker_smoothed_next (&og) * sg;
          l[i] = g * sl;
          r[i] = g * sr;
        }
      self->output_gain = og;
      self->switch_gain = sg;
      if (sg == 0.0f && switch_target == 0.0f)
        {
          /* Silent now: switch the band count and start clean. */
          self->run_crossovers = self->n_crossovers;
          clear_filters (self);
        }
    }

  for (int ch = 0; ch < 2; ch++)
    for (int k = 0; k < NX; k++)
      {
        busker_biquad_flush_d (&self->lp_z[ch][k][0]);
        busker_biquad_flush_d (&self->lp_z[ch][k][1]);
        busker_biquad_flush_d (&self->hp_z[ch][k][0]);
        busker_biquad_flush_d (&self->hp_z[ch][k][1]);
        for (int b = 0; b < NB; b++)
          busker_biquad_flush_d (&self->ap_z[ch][b][k]);
      }
  self->gr_db = gr_max;

  if (!isfinite (gr_max) || !busker_stereo_is_finite (left, right, n))
    {
      silence (left, right, n);
      busker_multiband_reset (self);
      return false;
    }
  return true;
}

/* The class adapter of effect.h. */

static void *
mbc_create (double sample_rate, uint32_t max_block)
{
  return busker_multiband_new (sample_rate);
}

static void
mbc_destroy (void *self)
{
  busker_multiband_free (self);
}

static void
mbc_reset (void *self)
{
  busker_multiband_reset (self);
}

static void
mbc_set_param (void *self, uint32_t index, float value)
{
  busker_multiband_set_param (self, index, value);
}

static bool
mbc_process (void *self, float *left, float *right, uint32_t n)
{
  return busker_multiband_process (self, left, right, n);
}

static float
mbc_gain_reduction_db (const void *self)
{
  return busker_multiband_gain_reduction_db (self);
}

const BuskerEffectClass busker_multiband_class = {
  .type = "multiband_compressor",
  .label = BUSKER_N_ ("Multiband compressor"),
  .params = busker_multiband_params,
  .n_params = BUSKER_MBC_N_PARAMS,
  .create = mbc_create,
  .destroy = mbc_destroy,
  .reset = mbc_reset,
  .set_param = mbc_set_param,
  .process = mbc_process,
  .gain_reduction_db = mbc_gain_reduction_db,
};
