/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * BS.1770 loudness pieces (see k-weighting.h).
 *
 * Design decisions:
 * - The K-weighting is the standard's two sections re-derived for any rate
 *   through the bilinear transform from their analogue parameters, run in
 *   double (the parameters are those libebur128 derives).
 * - The histogram (fixed bins, count and energy per bin) keeps integrated
 *   loudness RT-safe: nothing grows with the length of the signal.
 * - The light meter runs both channels' filters as one two-lane vector
 *   (GCC vector extension): the recursion is serial in time, so the
 *   channels are the only parallelism there is. It sums the weighted
 *   energy per 100 ms sub-block and keeps the last four, so each gating
 *   block costs four additions (and a short-term value thirty), not a re-read of 400 ms of samples.
 */
#include "k-weighting.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void
busker_k_weighting_design (BuskerKWeighting *kw, double rate)
{
  /* pre-filter: high shelf */
  double f0 = 1681.974450955533, g_db = 3.999843853973347, q = 0.7071752369554196;
  double k = tan (M_PI * f0 / rate);
  double vh = pow (10.0, g_db / 20.0);
  double vb = pow (vh, 0.4996667741545416);
  double a0 = 1.0 + k / q + k * k;
  kw->shelf = (BuskerBiquadCoefsD) {
    .b0 = (vh + vb * k / q + k * k) / a0,
    .b1 = 2.0 * (k * k - vh) / a0,
    .b2 = (vh - vb * k / q + k * k) / a0,
    .a1 = 2.0 * (k * k - 1.0) / a0,
    .a2 = (1.0 - k / q + k * k) / a0,
  };
  /* RLB: second-order high pass, numerator 1 -2 1 as in the standard */
  f0 = 38.13547087602444;
  q = 0.5003270373238773;
  k = tan (M_PI * f0 / rate);
  a0 = 1.0 + k / q + k * k;
  kw->highpass = (BuskerBiquadCoefsD) {
    .b0 = 1.0, .b1 = -2.0, .b2 = 1.0,
    .a1 = 2.0 * (k * k - 1.0) / a0,
    .a2 = (1.0 - k / q + k * k) / a0,
  };
}

double
busker_k_energy_to_lufs (double e)
{
  return e > 0.0 ? -0.691 + 10.0 * log10 (e) : -INFINITY;
}

void
busker_k_hist_add (BuskerKHistogram *h, double energy)
{
  double l = busker_k_energy_to_lufs (energy);
  if (!(l >= BUSKER_K_HIST_MIN_LUFS))
    return;
  int bin = (int) ((l - BUSKER_K_HIST_MIN_LUFS) / BUSKER_K_HIST_BIN_LU);
  if (bin >= BUSKER_K_HIST_BINS)
    bin = BUSKER_K_HIST_BINS - 1;
  h->count[bin]++;
  h->energy[bin] += energy;
  h->total++;
}

int
busker_k_hist_gate (const BuskerKHistogram *h, double relative_lu, double *gate_e)
{
  double sum = 0.0;
  for (int i = 0; i < BUSKER_K_HIST_BINS; i++)
    sum += h->energy[i];
  double gate = sum / (double) h->total * pow (10.0, relative_lu / 10.0);
  double gate_lufs = busker_k_energy_to_lufs (gate);
  int first = (int) floor ((gate_lufs - BUSKER_K_HIST_MIN_LUFS) / BUSKER_K_HIST_BIN_LU);
  if (first < 0)
    first = 0;
  /* the straddling bin counts if its blocks' mean is over the gate */
  if (first < BUSKER_K_HIST_BINS && h->count[first] > 0
      && h->energy[first] / h->count[first] < gate)
    first++;
  *gate_e = gate;
  return first;
}

double
busker_k_hist_integrated (const BuskerKHistogram *h)
{
  if (h->total == 0)
    return -INFINITY;
  double gate_e;
  int first = busker_k_hist_gate (h, -10.0, &gate_e);
  double sum = 0.0;
  uint64_t n = 0;
  for (int i = first; i < BUSKER_K_HIST_BINS; i++)
    {
      sum += h->energy[i];
      n += h->count[i];
    }
  return n ? busker_k_energy_to_lufs (sum / (double) n) : -INFINITY;
}

typedef double v2d __attribute__ ((vector_size (16)));

struct BuskerGatedLoudness {
  v2d b[2][3], a[2][2];   /* [section] coefficients, both lanes alike */
  v2d z[2][2];            /* [section][z1, z2], lane 0 left, 1 right */
  v2d acc;                /* weighted energy of the current sub-block */
  uint32_t sub_len, sub_fill;
  double ring[30];        /* the last 30 finished sub-blocks (3 s) */
  uint64_t n_sub;
  double short_term_max;  /* largest 3 s mean energy, at 100 ms steps */
  BuskerKHistogram hist;
};

static void
set_section (BuskerGatedLoudness *self, int s, const BuskerBiquadCoefsD *c)
{
  self->b[s][0] = (v2d) { c->b0, c->b0 };
  self->b[s][1] = (v2d) { c->b1, c->b1 };
  self->b[s][2] = (v2d) { c->b2, c->b2 };
  self->a[s][0] = (v2d) { c->a1, c->a1 };
  self->a[s][1] = (v2d) { c->a2, c->a2 };
}

BuskerGatedLoudness *
busker_gated_loudness_new (double sample_rate)
{
  BuskerGatedLoudness *self = aligned_alloc (16, sizeof *self);
  BuskerKWeighting kw;
  if (self == NULL)
    return NULL;
  memset (self, 0, sizeof *self);
  busker_k_weighting_design (&kw, sample_rate);
  set_section (self, 0, &kw.shelf);
  set_section (self, 1, &kw.highpass);
  self->sub_len = (uint32_t) lround (sample_rate * 0.1);
  return self;
}

void
busker_gated_loudness_free (BuskerGatedLoudness *self)
{
  free (self);
}

/* RT-safe */
static void
finish_sub_block (BuskerGatedLoudness *self)
{
  double e = self->acc[0] + self->acc[1];
  self->acc = (v2d) { 0.0, 0.0 };
  self->sub_fill = 0;
  if (!isfinite (e))
    {
      memset (self->z, 0, sizeof self->z);
      return;
    }
  self->ring[self->n_sub % 30] = e;
  self->n_sub++;
  if (self->n_sub >= 4)
    {
      double g = 0.0;
      for (uint64_t j = self->n_sub - 4; j < self->n_sub; j++)
        g += self->ring[j % 30];
      busker_k_hist_add (&self->hist, g / (4.0 * self->sub_len));
    }
  if (self->n_sub >= 30)
    {
      double st = 0.0;
      for (int j = 0; j < 30; j++)
        st += self->ring[j];
      st /= 30.0 * self->sub_len;
      if (st > self->short_term_max)
        self->short_term_max = st;
    }
}

/* RT-safe */
void
busker_gated_loudness_add (BuskerGatedLoudness *self, const float *left, const float *right,
                           uint32_t n)
{
  const v2d b00 = self->b[0][0], b01 = self->b[0][1], b02 = self->b[0][2];
  const v2d a01 = self->a[0][0], a02 = self->a[0][1];
  const v2d b10 = self->b[1][0], b11 = self->b[1][1], b12 = self->b[1][2];
  const v2d a11 = self->a[1][0], a12 = self->a[1][1];
  v2d z01 = self->z[0][0], z02 = self->z[0][1], z11 = self->z[1][0], z12 = self->z[1][1];
  v2d acc = self->acc;
  uint32_t i = 0;

  while (i < n)
    {
      uint32_t run = self->sub_len - self->sub_fill;
      if (run > n - i)
        run = n - i;
      for (uint32_t end = i + run; i < end; i++)
        {
          v2d x = { left[i], right[i] };
          v2d y = b00 * x + z01;
          z01 = b01 * x - a01 * y + z02;
          z02 = b02 * x - a02 * y;
          v2d w = b10 * y + z11;
          z11 = b11 * y - a11 * w + z12;
          z12 = b12 * y - a12 * w;
          acc += w * w;
        }
      self->sub_fill += run;
      if (self->sub_fill == self->sub_len)
        {
          self->acc = acc;
          self->z[0][0] = z01, self->z[0][1] = z02, self->z[1][0] = z11, self->z[1][1] = z12;
          finish_sub_block (self);
          acc = self->acc;
          z01 = self->z[0][0], z02 = self->z[0][1], z11 = self->z[1][0], z12 = self->z[1][1];
        }
    }
  /* flush denormals: a decayed filter state would slow everything after */
  v2d *zs[4] = { &z01, &z02, &z11, &z12 };
  for (int s = 0; s < 4; s++)
    for (int c = 0; c < 2; c++)
      if (fabs ((*zs[s])[c]) < 1e-30)
        (*zs[s])[c] = 0.0;
  self->acc = acc;
  self->z[0][0] = z01, self->z[0][1] = z02, self->z[1][0] = z11, self->z[1][1] = z12;
}

double
busker_gated_loudness_integrated (const BuskerGatedLoudness *self)
{
  return busker_k_hist_integrated (&self->hist);
}

double
busker_gated_loudness_short_term_max (const BuskerGatedLoudness *self)
{
  return busker_k_energy_to_lufs (self->short_term_max);
}
