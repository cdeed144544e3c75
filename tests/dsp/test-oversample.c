/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Oversampler: round trip is a pure delay in the pass band, images and
 * aliases are rejected, the true-peak interpolator reads inter-sample
 * peaks. Truth: sine formulas and a windowed DFT (spectrum-check.h). */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "dsp/oversample.h"
#include "spectrum-check.h"

#define RATE 48000.0
#define N 16384

static void
test_round_trip (void)
{
  static const uint32_t factors[] = { 2, 4 };
  for (guint f = 0; f < G_N_ELEMENTS (factors); f++)
    for (double freq = 100.0; freq < 20000.0; freq *= 2.3)
      {
        uint32_t fac = factors[f];
        BuskerOversampler os;
        busker_oversampler_init (&os, fac);
        uint32_t lat = busker_oversampler_latency (fac);
        g_autofree float *x = g_new (float, N);
        g_autofree float *y = g_new (float, N);
        g_autofree float *hi = g_new (float, N * fac);
        for (int i = 0; i < N; i++)
          x[i] = 0.5f * sinf (2.0 * M_PI * freq * i / RATE + 0.3);
        /* odd block sizes to exercise the ring wrap */
        for (uint32_t done = 0; done < N;)
          {
            uint32_t b = MIN (N - done, 77u);
            busker_oversampler_up (&os, x + done, hi, b);
            busker_oversampler_down (&os, hi, y + done, b);
            done += b;
          }
        double err = 0.0;
        for (int i = 200; i < N; i++)
          err = fmax (err, fabs (y[i] - x[i - lat]));
        /* pass-band ripple of both stages: well below -60 dB */
        g_assert_cmpfloat (err, <, 0.5 * 1e-3);
      }
}

static void
test_images (void)
{
  for (uint32_t fac = 2; fac <= 4; fac *= 2)
    {
      BuskerOversampler os;
      busker_oversampler_init (&os, fac);
      g_autofree float *x = g_new (float, N);
      g_autofree float *hi = g_new (float, N * fac);
      double f0 = 10000.0;
      for (int i = 0; i < N; i++)
        x[i] = sinf (2.0 * M_PI * f0 * i / RATE);
      busker_oversampler_up (&os, x, hi, N);
      double hr = RATE * fac;
      double fund = tone_db (hi + 1000, N * fac - 1000, hr, f0);
      g_assert_cmpfloat (fabs (fund), <, 0.01);
      /* zero stuffing puts images at k fs +/- f0 */
      for (int k = 1; k < (int) fac; k++)
        {
          double im1 = tone_db (hi + 1000, N * fac - 1000, hr, k * RATE - f0);
          double im2 = tone_db (hi + 1000, N * fac - 1000, hr, k * RATE + f0);
          g_assert_cmpfloat (im1, <, -85.0);
          g_assert_cmpfloat (im2, <, -85.0);
        }
    }
}

static void
test_aliases (void)
{
  /* A tone above the base Nyquist at the high rate must not fold back. */
  for (uint32_t fac = 2; fac <= 4; fac *= 2)
    {
      static const double tones[] = { 28500.0, 35000.0, 47000.0, 70000.0, 90000.0 };
      for (guint t = 0; t < G_N_ELEMENTS (tones); t++)
        {
          double hr = RATE * fac, ft = tones[t];
          if (ft >= hr / 2)
            continue;
          BuskerOversampler os;
          busker_oversampler_init (&os, fac);
          g_autofree float *hi = g_new (float, N * fac);
          g_autofree float *y = g_new (float, N);
          for (int i = 0; i < N * (int) fac; i++)
            hi[i] = sinf (2.0 * M_PI * ft * i / hr);
          busker_oversampler_down (&os, hi, y, N);
          double folded = fmod (ft, RATE);
          if (folded > RATE / 2)
            folded = RATE - folded;
          double lvl = tone_db (y + 200, N - 200, RATE, folded);
          g_assert_cmpfloat (lvl, <, -85.0);
        }
    }
}

static void
test_true_peak (void)
{
  /* fs/4 at 45 degrees: samples at +-0.707, true peak 1.0 */
  BuskerTruePeak tp;
  busker_true_peak_init (&tp, 0.9f);
  float peak = 0.0f;
  for (int i = 0; i < 4800; i++)
    {
      float x = sinf (M_PI / 2 * i + M_PI / 4);
      float p = busker_true_peak_tick (&tp, x);
      if (i > 100)
        peak = fmaxf (peak, p);
    }
  g_assert_cmpfloat (fabs (20 * log10 (peak)), <, 0.05);

  /* DC reads exactly (each phase has unit gain) */
  busker_true_peak_reset (&tp);
  for (int i = 0; i < 100; i++)
    peak = busker_true_peak_tick (&tp, 0.25f);
  g_assert_cmpfloat (fabs (peak - 0.25f), <, 1e-6);

  /* with the cutoff at Nyquist the sample-aligned phase is the identity:
   * an impulse shows up BUSKER_TP_DELAY samples later, at its own height */
  busker_true_peak_init (&tp, 1.0f);
  for (int i = 0; i < 30; i++)
    {
      float p = busker_true_peak_tick (&tp, i == 5 ? 1.0f : 0.0f);
      if (i == 5 + BUSKER_TP_DELAY)
        g_assert_cmpfloat (fabs (p - 1.0f), <, 1e-3);
    }
}

/* busker_true_peak_gain_bound, which lets the limiter skip the
 * interpolator, is a true bound and a tight one. Truth: the ticks
 * themselves, on random input (never above bound x max |x| of the last
 * BUSKER_TP_TAPS inputs) and on each phase's sign pattern (reaches it). */
static void
test_true_peak_bound (void)
{
  const float cutoffs[] = { 0.9f, 1.0f };
  for (unsigned c = 0; c < G_N_ELEMENTS (cutoffs); c++)
    {
      BuskerTruePeak tp;
      busker_true_peak_init (&tp, cutoffs[c]);
      const float bound = busker_true_peak_gain_bound (&tp);
      g_assert_cmpfloat (bound, >=, 1.0f); /* each phase sums to 1 */

      GRand *rng = g_rand_new_with_seed (7 + c);
      float hist[BUSKER_TP_TAPS] = { 0 };
      for (int i = 0; i < 200000; i++)
        {
          float amp = (i / 1000) % 3 == 0 ? 1.0f : 0.01f;
          float x = (float) (g_rand_boolean (rng) ? amp : -amp) * (float) g_rand_double (rng);
          memmove (hist + 1, hist, (BUSKER_TP_TAPS - 1) * sizeof *hist);
          hist[0] = x;
          float m = 0.0f;
          for (int k = 0; k < BUSKER_TP_TAPS; k++)
            m = fmaxf (m, fabsf (hist[k]));
          g_assert_cmpfloat (busker_true_peak_tick (&tp, x), <=, bound * m * 1.00001f);
        }
      g_rand_free (rng);

      float reached = 0.0f;
      for (int p = 0; p < 4; p++)
        {
          busker_true_peak_reset (&tp);
          float out = 0.0f;
          for (int j = 0; j < BUSKER_TP_TAPS; j++) /* the last input meets h[0] */
            out = busker_true_peak_tick (&tp, tp.h[BUSKER_TP_TAPS - 1 - j][p] < 0 ? -1.0f : 1.0f);
          reached = fmaxf (reached, out);
        }
      g_assert_cmpfloat (fabsf (reached - bound), <, 1e-5f * bound);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/oversample/round-trip", test_round_trip);
  g_test_add_func ("/oversample/images", test_images);
  g_test_add_func ("/oversample/aliases", test_aliases);
  g_test_add_func ("/oversample/true-peak", test_true_peak);
  g_test_add_func ("/oversample/true-peak-bound", test_true_peak_bound);
  return g_test_run ();
}
