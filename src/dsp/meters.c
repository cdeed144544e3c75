/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Stereo meters.
 *
 * Design decisions:
 * - Loudness follows ITU-R BS.1770-4 / EBU R 128 and Tech 3342. The
 *   K-weighting and the gating histogram are k-weighting.c's.
 * - Weighted energy is summed per 100 ms sub-block into a ring of 30:
 *   momentary is the last 4 (400 ms), short-term the last 30 (3 s), both
 *   updated at 10 Hz. Every 100 ms a 400 ms gating block is added to the
 *   integrated histogram; every 1 s (2/3 overlap, the hop libebur128 uses)
 *   a short-term block to the range histogram.
 * - Integrated loudness and range must be RT-safe, so no list of blocks
 *   grows: both histograms have fixed 0.02 LU bins from -70 to +10 LUFS
 *   (blocks louder than that go to the top bin), allocated at creation.
 *   Each bin keeps its count and its exact energy sum, so the gated mean
 *   is exact except for blocks in the one bin that straddles the relative
 *   gate; percentiles are off by at most half a bin (0.01 LU).
 * - True peak: a 4x polyphase interpolator per channel (oversample.h)
 *   with its cutoff at 0.95 x Nyquist, as BS.1770 Annex 2 suggests.
 * - RMS and correlation use one-pole averages with a 300 ms time constant
 *   so a widget polling at any rate sees smooth values.
 * - A block with a NaN or Inf is ignored (the meter shows what it showed):
 *   nothing downstream depends on a meter, and an integrated measurement
 *   should not be lost to one bad block.
 */
#include "meters.h"
#include "fast-math.h"
#include "k-weighting.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dsp-util.h"
#include "oversample.h"

#define N_SUB 30          /* sub-blocks of 100 ms in the short-term window */
#define TP_CUTOFF 0.95f
#define AVG_TAU_S 0.3f

typedef BuskerKHistogram Histogram;

struct BuskerMeter {
  double rate;
  BuskerKWeighting kw;
  BuskerBiquadStateD k[2][2]; /* [channel][section] */

  uint32_t sub_len;       /* frames in 100 ms */
  uint32_t sub_fill;      /* frames in the current sub-block */
  double sub_acc;         /* weighted energy of the current sub-block */
  double ring[N_SUB];     /* weighted energy of finished sub-blocks */
  uint64_t n_sub;         /* finished sub-blocks since reset */

  Histogram *gating;      /* 400 ms blocks */
  Histogram *range;       /* 3 s blocks */
  bool integrated_dirty, range_dirty;
  float integrated_lufs, range_lu;

  BuskerTruePeak tp[2];
  float peak[2], true_peak[2], true_peak_max;
  float avg_coef;
  float ms[2];            /* mean squares for RMS */
  float lr, ll, rr;       /* averages for correlation */
  float gain_reduction_db;
};

static inline double
energy_to_lufs (double e)
{
  return busker_k_energy_to_lufs (e);
}

/* Loudness of the block at rank (0-based) among the gated blocks. */
static double
hist_rank_lufs (const Histogram *h, int first, uint64_t rank)
{
  uint64_t seen = 0;
  for (int i = first; i < BUSKER_K_HIST_BINS; i++)
    {
      seen += h->count[i];
      if (seen > rank)
        return energy_to_lufs (h->energy[i] / h->count[i]);
    }
  return -INFINITY;
}

static float
compute_range (const Histogram *h)
{
  if (h->total == 0)
    return 0.0f;
  double gate_e;
  int first = busker_k_hist_gate (h, -20.0, &gate_e);
  uint64_t n = 0;
  for (int i = first; i < BUSKER_K_HIST_BINS; i++)
    n += h->count[i];
  if (n == 0)
    return 0.0f;
  /* nearest rank, as Tech 3342's reference implementation */
  uint64_t lo = (uint64_t) ((double) (n - 1) * 0.10 + 0.5);
  uint64_t hi = (uint64_t) ((double) (n - 1) * 0.95 + 0.5);
  return (float) (hist_rank_lufs (h, first, hi) - hist_rank_lufs (h, first, lo));
}

static void
reset_short (BuskerMeter *self)
{
  memset (self->k, 0, sizeof self->k);
  memset (self->ring, 0, sizeof self->ring);
  self->sub_fill = 0;
  self->sub_acc = 0.0;
  busker_true_peak_reset (&self->tp[0]);
  busker_true_peak_reset (&self->tp[1]);
  self->ms[0] = self->ms[1] = 0.0f;
  self->lr = self->ll = self->rr = 0.0f;
}

void
busker_meter_reset (BuskerMeter *self)
{
  reset_short (self);
  self->n_sub = 0;
  memset (self->gating, 0, sizeof *self->gating);
  memset (self->range, 0, sizeof *self->range);
  self->integrated_dirty = self->range_dirty = false;
  self->integrated_lufs = -INFINITY;
  self->range_lu = 0.0f;
  self->peak[0] = self->peak[1] = 0.0f;
  self->true_peak[0] = self->true_peak[1] = self->true_peak_max = 0.0f;
  self->gain_reduction_db = 0.0f;
}

BuskerMeter *
busker_meter_new (double sample_rate)
{
  BuskerMeter *self = calloc (1, sizeof *self);
  if (!self)
    return NULL;
  self->gating = calloc (1, sizeof (Histogram));
  self->range = calloc (1, sizeof (Histogram));
  if (!self->gating || !self->range)
    {
      busker_meter_free (self);
      return NULL;
    }
  self->rate = sample_rate;
  self->sub_len = (uint32_t) lround (sample_rate * 0.1);
  busker_k_weighting_design (&self->kw, sample_rate);
  busker_true_peak_init (&self->tp[0], TP_CUTOFF);
  busker_true_peak_init (&self->tp[1], TP_CUTOFF);
  self->avg_coef = busker_one_pole_coef (AVG_TAU_S, (float) sample_rate);
  busker_meter_reset (self);
  return self;
}

void
busker_meter_free (BuskerMeter *self)
{
  if (!self)
    return;
  free (self->gating);
  free (self->range);
  free (self);
}

void
busker_meter_set_gain_reduction_db (BuskerMeter *self, float db)
{
  self->gain_reduction_db = isfinite (db) ? fmaxf (db, 0.0f) : 0.0f;
}

/* RT-safe: a 100 ms sub-block is complete. */
static void
finish_sub_block (BuskerMeter *self)
{
  self->ring[self->n_sub % N_SUB] = self->sub_acc;
  self->n_sub++;
  self->sub_acc = 0.0;
  self->sub_fill = 0;
  if (self->n_sub >= 4)
    {
      double e = 0.0;
      for (uint64_t j = self->n_sub - 4; j < self->n_sub; j++)
        e += self->ring[j % N_SUB];
      busker_k_hist_add (self->gating, e / (4.0 * self->sub_len));
      self->integrated_dirty = true;
    }
  if (self->n_sub >= N_SUB && (self->n_sub - N_SUB) % 10 == 0)
    {
      double e = 0.0;
      for (int j = 0; j < N_SUB; j++)
        e += self->ring[j];
      busker_k_hist_add (self->range, e / ((double) N_SUB * self->sub_len));
      self->range_dirty = true;
    }
}

/* RT-safe */
bool
busker_meter_process (BuskerMeter *self, const float *left, const float *right, uint32_t n)
{
  if (!busker_stereo_is_finite (left, right, n))
    return false;
  const float c = self->avg_coef;
  float ms0 = self->ms[0], ms1 = self->ms[1];
  float lr = self->lr, ll = self->ll, rr = self->rr;
  float pk0 = self->peak[0], pk1 = self->peak[1];
  float tp0 = self->true_peak[0], tp1 = self->true_peak[1];
  for (uint32_t i = 0; i < n; i++)
    {
      float l = left[i], r = right[i];
      pk0 = busker_maxf (pk0, fabsf (l));
      pk1 = busker_maxf (pk1, fabsf (r));
      tp0 = busker_maxf (tp0, busker_true_peak_tick (&self->tp[0], l));
      tp1 = busker_maxf (tp1, busker_true_peak_tick (&self->tp[1], r));
      ms0 += c * (l * l - ms0);
      ms1 += c * (r * r - ms1);
      lr += c * (l * r - lr);
      ll += c * (l * l - ll);
      rr += c * (r * r - rr);

      double kl = busker_biquad_tick_d (&self->kw.highpass, &self->k[0][1],
                                   busker_biquad_tick_d (&self->kw.shelf, &self->k[0][0], l));
      double kr = busker_biquad_tick_d (&self->kw.highpass, &self->k[1][1],
                                   busker_biquad_tick_d (&self->kw.shelf, &self->k[1][0], r));
      self->sub_acc += kl * kl + kr * kr;
      if (++self->sub_fill == self->sub_len)
        finish_sub_block (self);
    }
  self->ms[0] = busker_flush_denormal (ms0);
  self->ms[1] = busker_flush_denormal (ms1);
  self->lr = busker_flush_denormal (lr);
  self->ll = busker_flush_denormal (ll);
  self->rr = busker_flush_denormal (rr);
  self->peak[0] = pk0;
  self->peak[1] = pk1;
  self->true_peak[0] = tp0;
  self->true_peak[1] = tp1;
  self->true_peak_max = busker_maxf (self->true_peak_max, busker_maxf (tp0, tp1));
  for (int ch = 0; ch < 2; ch++)
    for (int s = 0; s < 2; s++)
      {
        BuskerBiquadStateD *st = &self->k[ch][s];
        if (fabs (st->z1) < 1e-30)
          st->z1 = 0.0;
        if (fabs (st->z2) < 1e-30)
          st->z2 = 0.0;
      }
  if (!isfinite (self->sub_acc) || !isfinite (ms0 + ms1 + lr + ll + rr))
    {
      reset_short (self);
      return false;
    }
  return true;
}

static float
window_lufs (const BuskerMeter *self, uint32_t subs)
{
  if (self->n_sub < subs)
    return -INFINITY;
  double e = 0.0;
  for (uint64_t j = self->n_sub - subs; j < self->n_sub; j++)
    e += self->ring[j % N_SUB];
  return (float) energy_to_lufs (e / ((double) subs * self->sub_len));
}

/* RT-safe: at most two histogram scans per 100 ms of audio. */
void
busker_meter_read (BuskerMeter *self, BuskerMeterReadout *out)
{
  if (self->integrated_dirty)
    {
      self->integrated_lufs = (float) busker_k_hist_integrated (self->gating);
      self->integrated_dirty = false;
    }
  if (self->range_dirty)
    {
      self->range_lu = compute_range (self->range);
      self->range_dirty = false;
    }
  for (int ch = 0; ch < 2; ch++)
    {
      out->peak[ch] = self->peak[ch];
      out->true_peak[ch] = self->true_peak[ch];
      out->rms_db[ch] = busker_gain_to_db (sqrtf (self->ms[ch]));
      self->peak[ch] = self->true_peak[ch] = 0.0f;
    }
  out->true_peak_max = self->true_peak_max;
  out->momentary_lufs = window_lufs (self, 4);
  out->short_term_lufs = window_lufs (self, N_SUB);
  out->integrated_lufs = self->integrated_lufs;
  out->loudness_range_lu = self->range_lu;
  float den = self->ll * self->rr;
  out->correlation = den > 1e-20f ? fmaxf (-1.0f, fminf (1.0f, self->lr / sqrtf (den))) : 0.0f;
  out->gain_reduction_db = self->gain_reduction_db;
}
