/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Oversampling.
 *
 * Design decisions:
 * - Up/down sampling is a cascade of linear-phase halfband FIR stages
 *   (Kaiser-windowed sinc at a quarter of the high rate). In a halfband
 *   every other tap is zero and the centre tap is 1/2, so one polyphase
 *   branch is a plain delay: 2x costs one short FIR per low-rate sample in
 *   each direction. Stage A (1x <-> 2x, 71 taps, beta 9) passes 0.417 fs and
 *   stops from 0.583 fs at about -90 dB, i.e. 20 kHz / 28 kHz at 48 kHz, so
 *   harmonics a curve makes between 28 and 68 kHz cannot fold back into the
 *   audio band. Stage B (2x <-> 4x, 31 taps) only has to remove images
 *   above 1.5 fs, so it is short.
 * - Linear phase keeps the dry/wet mix of the saturation free of combing;
 *   the 4x path adds one 2x-rate sample of delay so its round trip is a
 *   whole number of frames (43 at any rate; 2x: 35).
 * - True-peak detection needs only the up direction and the largest of the
 *   four phases, so it is a separate polyphase windowed-sinc interpolator
 *   (63 taps, 16 per phase, as four vector lanes). Its cutoff is a
 *   parameter: a meter wants a flat pass band below Nyquist, a limiter
 *   would rather over-read near Nyquist than under-read.
 * - Coefficients are computed at init (doubles, Kaiser window); each
 *   polyphase branch of the interpolator is normalised to unit DC gain so a
 *   constant reads exactly.
 * - Histories are mirrored rings (each sample written twice) so every dot
 *   product reads contiguous memory without wrap checks; dot products use
 *   four accumulators, which breaks the add dependency chain without
 *   -ffast-math.
 */
#include "oversample.h"

#include <math.h>
#include <string.h>

#include "dsp-util.h"

static double
bessel_i0 (double x)
{
  double sum = 1.0, term = 1.0;
  for (int k = 1; k < 50; k++)
    {
      term *= (x / (2.0 * k)) * (x / (2.0 * k));
      sum += term;
      if (term < 1e-12 * sum)
        break;
    }
  return sum;
}

/* Kaiser window value at tap j of n. */
static double
kaiser (int j, int n, double beta)
{
  double t = 2.0 * j / (n - 1) - 1.0;
  return bessel_i0 (beta * sqrt (fmax (0.0, 1.0 - t * t))) / bessel_i0 (beta);
}

static double
sinc (double x)
{
  return fabs (x) < 1e-12 ? 1.0 : sin (M_PI * x) / (M_PI * x);
}

/* The m nonzero taps of a halfband of length 2m - 1 (centre excluded),
 * scaled by 2 so each branch has unit DC gain. */
static void
design_halfband (float *g, uint32_t m, double beta)
{
  int n = 2 * (int) m - 1; /* length 4k + 3 with m = 2k + 2 even-index taps */
  int c = (n - 1) / 2;
  double sum = 0.0;
  double tmp[BUSKER_HB_MAX_TAPS];
  for (uint32_t i = 0; i < m; i++)
    {
      int j = 2 * (int) i; /* even index; c is odd so j - c is odd */
      tmp[i] = 0.5 * sinc ((j - c) / 2.0) * kaiser (j, n, beta);
      sum += tmp[i];
    }
  for (uint32_t i = 0; i < m; i++)
    g[i] = (float) (tmp[i] / sum);
}

static float
dot (const float *a, const float *b, uint32_t n)
{
  float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
  for (uint32_t i = 0; i < n; i += 4)
    {
      s0 += a[i] * b[i];
      s1 += a[i + 1] * b[i + 1];
      s2 += a[i + 2] * b[i + 2];
      s3 += a[i + 3] * b[i + 3];
    }
  return (s0 + s1) + (s2 + s3);
}

static void
halfband_init (BuskerHalfband *hb, const float *g, uint32_t m)
{
  memset (hb, 0, sizeof *hb);
  hb->g = g;
  hb->m = m;
  hb->d = m / 2 - 1;
}

static void
halfband_reset (BuskerHalfband *hb)
{
  memset (hb->ring, 0, sizeof hb->ring);
  memset (hb->oring, 0, sizeof hb->oring);
  hb->pos = hb->opos = 0;
}

static inline const float *
push (float *ring, uint32_t *pos, uint32_t m, float x)
{
  uint32_t p = *pos == 0 ? m - 1 : *pos - 1;
  *pos = p;
  ring[p] = ring[p + m] = x;
  return ring + p;
}

/* RT-safe */
static void
halfband_up (BuskerHalfband *hb, const float *in, float *out, uint32_t n)
{
  for (uint32_t i = 0; i < n; i++)
    {
      const float *r = push (hb->ring, &hb->pos, hb->m, in[i]);
      out[2 * i] = dot (hb->g, r, hb->m);
      out[2 * i + 1] = r[hb->d];
    }
}

/* RT-safe */
static void
halfband_down (BuskerHalfband *hb, const float *in, float *out, uint32_t n)
{
  for (uint32_t i = 0; i < n; i++)
    {
      const float *r = push (hb->ring, &hb->pos, hb->m, in[2 * i]);
      /* oring still ends with the odd sample before this even one */
      const float *o = hb->oring + hb->opos;
      out[i] = 0.5f * dot (hb->g, r, hb->m) + 0.5f * o[hb->d];
      push (hb->oring, &hb->opos, hb->m, in[2 * i + 1]);
    }
}

void
busker_oversampler_init (BuskerOversampler *os, uint32_t factor)
{
  memset (os, 0, sizeof *os);
  os->factor = factor >= 4 ? 4 : factor >= 2 ? 2 : 1;
  design_halfband (os->coef_a, BUSKER_HB_A_TAPS, 9.0);
  design_halfband (os->coef_b, BUSKER_HB_B_TAPS, 10.0);
  halfband_init (&os->up_a, os->coef_a, BUSKER_HB_A_TAPS);
  halfband_init (&os->down_a, os->coef_a, BUSKER_HB_A_TAPS);
  halfband_init (&os->up_b, os->coef_b, BUSKER_HB_B_TAPS);
  halfband_init (&os->down_b, os->coef_b, BUSKER_HB_B_TAPS);
}

void
busker_oversampler_reset (BuskerOversampler *os)
{
  halfband_reset (&os->up_a);
  halfband_reset (&os->up_b);
  halfband_reset (&os->down_a);
  halfband_reset (&os->down_b);
  os->z_2x = 0.0f;
}

uint32_t
busker_oversampler_latency (uint32_t factor)
{
  /* a stage's round trip is its centre delay 2d + 1 in low-rate samples */
  uint32_t a = 2 * (BUSKER_HB_A_TAPS / 2 - 1) + 1;
  uint32_t b = 2 * (BUSKER_HB_B_TAPS / 2 - 1) + 1;
  if (factor >= 4)
    return a + (b + 1) / 2; /* b is in 2x samples, plus z_2x */
  if (factor >= 2)
    return a;
  return 0;
}

/* RT-safe */
void
busker_oversampler_up (BuskerOversampler *os, const float *in, float *out, uint32_t n)
{
  if (os->factor == 1)
    {
      memmove (out, in, n * sizeof (float));
      return;
    }
  if (os->factor == 2)
    {
      halfband_up (&os->up_a, in, out, n);
      return;
    }
  /* 2x into the upper half of out, then 4x over the whole of it: stage B
   * reads index i before writing 2i and 2i + 1, and 2n + i >= 2i + 1. */
  float *mid = out + 2 * n;
  halfband_up (&os->up_a, in, mid, n);
  for (uint32_t i = 0; i < 2 * n; i++)
    {
      float x = mid[i];
      const float *r = push (os->up_b.ring, &os->up_b.pos, os->up_b.m, x);
      out[2 * i] = dot (os->up_b.g, r, os->up_b.m);
      out[2 * i + 1] = r[os->up_b.d];
    }
}

/* RT-safe */
void
busker_oversampler_down (BuskerOversampler *os, float *in, float *out, uint32_t n)
{
  if (os->factor == 1)
    {
      memmove (out, in, n * sizeof (float));
      return;
    }
  if (os->factor == 2)
    {
      halfband_down (&os->down_a, in, out, n);
      return;
    }
  /* 4x -> 2x in place at the start of in (i < 2i + 1), delayed by one. */
  halfband_down (&os->down_b, in, in, 2 * n);
  float z = os->z_2x;
  for (uint32_t i = 0; i < 2 * n; i++)
    {
      float x = in[i];
      in[i] = z;
      z = x;
    }
  os->z_2x = busker_flush_denormal (z);
  halfband_down (&os->down_a, in, out, n);
}

void
busker_true_peak_init (BuskerTruePeak *tp, float cutoff)
{
  memset (tp, 0, sizeof *tp);
  const int n = 4 * BUSKER_TP_TAPS - 1; /* odd: the last tap of phase 3 is 0 */
  const double c = (n - 1) / 2.0;
  const double beta = 5.0;
  for (int p = 0; p < 4; p++)
    {
      double sum = 0.0;
      double tmp[BUSKER_TP_TAPS];
      for (int k = 0; k < BUSKER_TP_TAPS; k++)
        {
          int j = 4 * k + p;
          tmp[k] = j < n ? cutoff * sinc (cutoff * (j - c) / 4.0) * kaiser (j, n, beta) : 0.0;
          sum += tmp[k];
        }
      for (int k = 0; k < BUSKER_TP_TAPS; k++)
        tp->h[k][p] = (float) (tmp[k] / sum);
    }
}

void
busker_true_peak_reset (BuskerTruePeak *tp)
{
  memset (tp->ring, 0, sizeof tp->ring);
  tp->pos = 0;
}
