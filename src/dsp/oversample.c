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
 * - The halfband FIRs run block-wise: the history and up to 64 new
 *   samples are laid out in a stack buffer and eight outputs are computed
 *   at once as two 4-float vectors with even and odd taps in separate
 *   sums (a float sum is not reordered by the compiler without
 *   -ffast-math, so the parallelism has to be written out). The taps are
 *   symmetric, so the two samples that share one are added first: half
 *   the multiplies, and the taps are kept pre-broadcast to four lanes. The
 *   interpolator keeps a mirrored ring (each sample written twice) so its
 *   per-sample tick reads contiguous memory.
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
 * scaled by 2 so each branch has unit DC gain. The window and sinc are
 * symmetric; averaging the mirrored taps makes the float taps exactly
 * so, which the folded FIR relies on. */
static void
design_halfband (double *g, uint32_t m, double beta)
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
    g[i] = 0.5 * (tmp[i] + tmp[m - 1 - i]) / sum;
}

/* The first half of the taps, times scale, each in four lanes. */
static void
splat_half (BuskerV4f *v, const double *g, uint32_t m, double scale)
{
  for (uint32_t k = 0; k < m / 2; k++)
    {
      float x = (float) g[k] * (float) scale;
      v[k] = (BuskerV4f) { x, x, x, x };
    }
}

#if defined(__clang__)
#define SHUFFLE(a, b, i0, i1, i2, i3) __builtin_shufflevector (a, b, i0, i1, i2, i3)
#else
typedef int32_t V4i __attribute__ ((vector_size (16)));
#define SHUFFLE(a, b, i0, i1, i2, i3) __builtin_shuffle (a, b, (V4i) { i0, i1, i2, i3 })
#endif


static void
halfband_init (BuskerHalfband *hb, const BuskerV4f *g, uint32_t m)
{
  memset (hb, 0, sizeof *hb);
  hb->g = g;
  hb->m = m;
  hb->d = m / 2 - 1;
}

static void
halfband_reset (BuskerHalfband *hb)
{
  memset (hb->hist, 0, sizeof hb->hist);
  memset (hb->ohist, 0, sizeof hb->ohist);
}

/* Frames per pass through the stack buffers below. */
#define CHUNK 64

/* RT-safe: y[i] = sum_k g[k] buf[m - 1 + i - k] for i < n, with the
 * symmetric taps folded: g[k] (buf[m - 1 + i - k] + buf[i + k]) over the
 * first m / 2 (g holds those). Eight outputs at a time as two vectors,
 * even and odd taps in separate sums: four independent add chains and no
 * horizontal sums. */
static inline __attribute__ ((always_inline)) void
fir_block_m (const BuskerV4f *g, uint32_t m, const float *buf, float *y, uint32_t n)
{
  const uint32_t half = m / 2; /* even */
  uint32_t i = 0;
  for (; i + 8 <= n; i += 8)
    {
      const float *p = buf + m - 1 + i, *q = buf + i;
      BuskerV4f a0 = { 0.0f, 0.0f, 0.0f, 0.0f }, a1 = a0, b0 = a0, b1 = a0;
#pragma GCC unroll 9
      for (uint32_t k = 0; k < half; k += 2)
        {
          a0 += (busker_v4_load (p - k) + busker_v4_load (q + k)) * g[k];
          b0 += (busker_v4_load (p + 4 - k) + busker_v4_load (q + 4 + k)) * g[k];
          a1 += (busker_v4_load (p - k - 1) + busker_v4_load (q + k + 1)) * g[k + 1];
          b1 += (busker_v4_load (p + 3 - k) + busker_v4_load (q + 5 + k)) * g[k + 1];
        }
      busker_v4_store (y + i, a0 + a1);
      busker_v4_store (y + i + 4, b0 + b1);
    }
  for (; i < n; i++)
    {
      const float *p = buf + m - 1 + i, *q = buf + i;
      float acc = 0.0f;
      for (uint32_t k = 0; k < half; k++)
        acc += g[k][0] * (p[-(int32_t) k] + q[k]);
      y[i] = acc;
    }
}

/* fir_block_m with the tap count known to the compiler, so the tap loop
 * unrolls. RT-safe */
static void
fir_block (const BuskerV4f *g, uint32_t m, const float *buf, float *y, uint32_t n)
{
  if (m == BUSKER_HB_A_TAPS)
    fir_block_m (g, BUSKER_HB_A_TAPS, buf, y, n);
  else if (m == BUSKER_HB_B_TAPS)
    fir_block_m (g, BUSKER_HB_B_TAPS, buf, y, n);
  else
    fir_block_m (g, m, buf, y, n);
}

/* RT-safe: in[n] -> out[2n]. out may start at or before in, see
 * busker_oversampler_up. */
static void
halfband_up (BuskerHalfband *hb, const float *in, float *out, uint32_t n)
{
  const uint32_t m = hb->m, h = m - 1;
  float buf[BUSKER_HB_MAX_TAPS + CHUNK], y[CHUNK];
  memcpy (buf, hb->hist, h * sizeof (float));
  while (n > 0)
    {
      uint32_t c = n < CHUNK ? n : CHUNK;
      memcpy (buf + h, in, c * sizeof (float));
      fir_block (hb->g, m, buf, y, c);
      /* interleave: the filtered branch, then the centre tap's delay */
      const float *x = buf + h - hb->d;
      size_t i = 0;
      for (; i + 4 <= c; i += 4)
        {
          BuskerV4f e = busker_v4_load (y + i), o = busker_v4_load (x + i);
          busker_v4_store (out + 2 * i, SHUFFLE (e, o, 0, 4, 1, 5));
          busker_v4_store (out + 2 * i + 4, SHUFFLE (e, o, 2, 6, 3, 7));
        }
      for (; i < c; i++)
        {
          out[2 * i] = y[i];
          out[2 * i + 1] = x[i];
        }
      memmove (buf, buf + c, h * sizeof (float));
      in += c;
      out += 2 * c;
      n -= c;
    }
  memcpy (hb->hist, buf, h * sizeof (float));
}

/* RT-safe: in[2n] -> out[n]; out may alias in. */
static void
halfband_down (BuskerHalfband *hb, const float *in, float *out, uint32_t n)
{
  const uint32_t m = hb->m, h = m - 1, oh = hb->d + 1;
  float ebuf[BUSKER_HB_MAX_TAPS + CHUNK], obuf[BUSKER_HB_MAX_TAPS + CHUNK], y[CHUNK];
  memcpy (ebuf, hb->hist, h * sizeof (float));
  memcpy (obuf, hb->ohist, oh * sizeof (float));
  while (n > 0)
    {
      uint32_t c = n < CHUNK ? n : CHUNK;
      size_t i = 0;
      for (; i + 4 <= c; i += 4)
        {
          BuskerV4f a = busker_v4_load (in + 2 * i), b = busker_v4_load (in + 2 * i + 4);
          busker_v4_store (ebuf + h + i, SHUFFLE (a, b, 0, 2, 4, 6));
          busker_v4_store (obuf + oh + i, SHUFFLE (a, b, 1, 3, 5, 7));
        }
      for (; i < c; i++)
        {
          ebuf[h + i] = in[2 * i];
          obuf[oh + i] = in[2 * i + 1];
        }
      /* the taps carry the 1/2; the odd branch is the centre tap: the odd
       * sample d + 1 back */
      fir_block (hb->g, m, ebuf, y, c);
      for (i = 0; i + 4 <= c; i += 4)
        busker_v4_store (out + i, busker_v4_load (y + i) + 0.5f * busker_v4_load (obuf + i));
      for (; i < c; i++)
        out[i] = y[i] + 0.5f * obuf[i];
      memmove (ebuf, ebuf + c, h * sizeof (float));
      memmove (obuf, obuf + c, oh * sizeof (float));
      in += 2 * c;
      out += c;
      n -= c;
    }
  memcpy (hb->hist, ebuf, h * sizeof (float));
  memcpy (hb->ohist, obuf, oh * sizeof (float));
}

void
busker_oversampler_init (BuskerOversampler *os, uint32_t factor)
{
  memset (os, 0, sizeof *os);
  os->factor = factor >= 4 ? 4 : factor >= 2 ? 2 : 1;
  double g_a[BUSKER_HB_A_TAPS], g_b[BUSKER_HB_B_TAPS];
  design_halfband (g_a, BUSKER_HB_A_TAPS, 9.0);
  design_halfband (g_b, BUSKER_HB_B_TAPS, 10.0);
  splat_half (os->up_coef_a, g_a, BUSKER_HB_A_TAPS, 1.0);
  splat_half (os->down_coef_a, g_a, BUSKER_HB_A_TAPS, 0.5);
  splat_half (os->up_coef_b, g_b, BUSKER_HB_B_TAPS, 1.0);
  splat_half (os->down_coef_b, g_b, BUSKER_HB_B_TAPS, 0.5);
  halfband_init (&os->up_a, os->up_coef_a, BUSKER_HB_A_TAPS);
  halfband_init (&os->down_a, os->down_coef_a, BUSKER_HB_A_TAPS);
  halfband_init (&os->up_b, os->up_coef_b, BUSKER_HB_B_TAPS);
  halfband_init (&os->down_b, os->down_coef_b, BUSKER_HB_B_TAPS);
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
  halfband_up (&os->up_b, mid, out, 2 * n);
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
  if (n > 0)
    {
      float z = in[2 * n - 1];
      memmove (in + 1, in, (2 * n - 1) * sizeof (float));
      in[0] = os->z_2x;
      os->z_2x = busker_flush_denormal (z);
    }
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

float
busker_true_peak_gain_bound (const BuskerTruePeak *tp)
{
  float bound = 0.0f;
  for (int p = 0; p < 4; p++)
    {
      double sum = 0.0;
      for (int k = 0; k < BUSKER_TP_TAPS; k++)
        sum += fabs (tp->h[k][p]);
      bound = fmaxf (bound, (float) sum);
    }
  return bound;
}

void
busker_true_peak_reset (BuskerTruePeak *tp)
{
  memset (tp->ring, 0, sizeof tp->ring);
  tp->pos = 0;
}
