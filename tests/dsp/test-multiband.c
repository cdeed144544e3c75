/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Multiband compressor: with every band neutral the crossover tree must be
 * an all-pass (magnitude of the impulse response's FFT flat within
 * +-0.01 dB at every bin) for 2, 3 and 4 bands at 44.1-192 kHz; a band
 * compresses only its own frequencies, by the static curve; bypass, band
 * makeup and output gain are exact.
 */
#include <complex.h>
#include <fftw3.h>
#include <glib.h>
#include <math.h>

#include "dsp/multiband.h"

static void
set (BuskerMultiband *m, int idx, double v)
{
  busker_multiband_set_param (m, idx, (float) v);
}

static void
neutral (BuskerMultiband *m)
{
  for (int b = 0; b < BUSKER_MBC_MAX_BANDS; b++)
    set (m, BUSKER_MBC_PARAM (b, BUSKER_MBC_BAND_RATIO), 1);
}

static void
run (BuskerMultiband *m, float *l, float *r, int n)
{
  for (int off = 0; off < n; off += 300) /* not a multiple of the chunk */
    g_assert_true (busker_multiband_process (m, l + off, r + off, MIN (300, n - off)));
}

static void
test_flat_sum (void)
{
  static const double rates[] = { 44100, 48000, 96000, 192000 };
  static const double sets[][3] = { { 120, 1000, 6000 }, { 20, 500, 15000 }, { 250, 260, 4000 } };
  for (guint ri = 0; ri < G_N_ELEMENTS (rates); ri++)
    for (guint si = 0; si < G_N_ELEMENTS (sets); si++)
      for (int count = 1; count <= 3; count++)
        {
          double fs = rates[ri];
          int n = (int) fs;
          BuskerMultiband *m = busker_multiband_new (fs);
          neutral (m);
          set (m, BUSKER_MBC_CROSSOVER_COUNT, count);
          for (int k = 0; k < 3; k++)
            set (m, BUSKER_MBC_CROSSOVER_HZ + k, sets[si][k]);
          busker_multiband_reset (m);

          float *l = fftwf_alloc_real (n), *r = fftwf_alloc_real (n);
          fftwf_complex *spec = fftwf_alloc_complex (n / 2 + 1);
          for (int i = 0; i < n; i++)
            l[i] = r[i] = 0.0f;
          l[0] = r[0] = 1.0f;
          run (m, l, r, n);
          /* Not the identity: the bands really were split and summed, and
           * the all-pass moved energy out of the first sample. */
          double tail_energy = 0;
          for (int i = 1; i < n; i++)
            tail_energy += (double) l[i] * l[i];
          g_assert_cmpfloat (tail_energy, >, 1e-4);

          fftwf_plan plan = fftwf_plan_dft_r2c_1d (n, l, spec, FFTW_ESTIMATE);
          fftwf_execute (plan);
          double worst = 0;
          int worst_f = 0;
          for (int k = 1; k <= n / 2; k++)
            {
              double re = crealf (spec[k]), im = cimagf (spec[k]);
              double db = 10 * log10 (re * re + im * im);
              if (fabs (db) > worst)
                worst = fabs (db), worst_f = k;
            }
          if (worst > 0.01)
            g_error ("%d bands at %.0f Hz (set %u): %.4f dB off flat at %d Hz", count + 1, fs,
                     si, worst, worst_f);
          fftwf_destroy_plan (plan);
          fftwf_free (l);
          fftwf_free (r);
          fftwf_free (spec);
          busker_multiband_free (m);
        }
}

static double
sine_gain_db (BuskerMultiband *m, double fs, double f, double amp)
{
  int n = (int) fs, tail = (int) (fs / 10);
  float *l = g_new (float, n), *r = g_new (float, n);
  for (int i = 0; i < n; i++)
    l[i] = r[i] = (float) (amp * sin (2 * M_PI * f * i / fs));
  run (m, l, r, n);
  double cs = 0, sn = 0;
  for (int i = n - tail; i < n; i++)
    {
      cs += l[i] * cos (2 * M_PI * f * i / fs);
      sn += l[i] * sin (2 * M_PI * f * i / fs);
    }
  g_free (l);
  g_free (r);
  return 20 * log10 (2 * sqrt (cs * cs + sn * sn) / tail / amp);
}

static BuskerMultiband *
two_bands_high_compressed (double fs, bool bypass_high)
{
  BuskerMultiband *m = busker_multiband_new (fs);
  neutral (m);
  set (m, BUSKER_MBC_CROSSOVER_COUNT, 1);
  set (m, BUSKER_MBC_CROSSOVER_HZ, 1000);
  set (m, BUSKER_MBC_PARAM (1, BUSKER_MBC_BAND_THRESHOLD_DB), -40);
  set (m, BUSKER_MBC_PARAM (1, BUSKER_MBC_BAND_RATIO), 4);
  set (m, BUSKER_MBC_PARAM (1, BUSKER_MBC_BAND_ATTACK_MS), 1);
  set (m, BUSKER_MBC_PARAM (1, BUSKER_MBC_BAND_RELEASE_MS), 2000);
  set (m, BUSKER_MBC_PARAM (1, BUSKER_MBC_BAND_BYPASS), bypass_high);
  busker_multiband_reset (m);
  return m;
}

static void
test_band_compression (void)
{
  const double fs = 48000, amp = pow (10, -10 / 20.0);
  BuskerMultiband *m = two_bands_high_compressed (fs, false);
  /* 5 kHz at -10 dBFS: 30 dB over a 4:1 threshold, 22.5 dB of reduction
   * (the LR4 high pass is -0.01 dB there, the low band -56 dB). */
  g_assert_cmpfloat_with_epsilon (sine_gain_db (m, fs, 5000, amp), -22.5, 0.2);
  g_assert_cmpfloat_with_epsilon (busker_multiband_gain_reduction_db (m), 22.5, 0.2);
  busker_multiband_free (m);

  /* 100 Hz belongs to the neutral low band (the high band's share is
   * -80 dB and compressed further): unchanged. */
  m = two_bands_high_compressed (fs, false);
  g_assert_cmpfloat_with_epsilon (sine_gain_db (m, fs, 100, amp), 0.0, 0.02);
  busker_multiband_free (m);

  /* Bypassed, the high band passes 5 kHz at unity. */
  m = two_bands_high_compressed (fs, true);
  g_assert_cmpfloat_with_epsilon (sine_gain_db (m, fs, 5000, amp), 0.0, 0.02);
  busker_multiband_free (m);
}

static void
test_makeup_output (void)
{
  const double fs = 44100;
  BuskerMultiband *m = busker_multiband_new (fs);
  neutral (m);
  set (m, BUSKER_MBC_CROSSOVER_COUNT, 3);
  set (m, BUSKER_MBC_PARAM (0, BUSKER_MBC_BAND_MAKEUP_DB), 6);
  set (m, BUSKER_MBC_OUTPUT_GAIN_DB, -2);
  busker_multiband_reset (m);
  /* 30 Hz sits in band 0 (crossover 120 Hz; band 1's share is -28 dB). */
  double g = sine_gain_db (m, fs, 30, 0.1);
  double low = pow (10, 6 / 20.0), f = 30.0 / 120, lp2 = 1 / (1 + pow (f, 4));
  /* LR4 halves at f/fc (prewarping is negligible at 30 and 120 Hz):
   * |LP| = 1/(1+(f/fc)^4), |HP| = (f/fc)^4/(1+(f/fc)^4), in phase, so the
   * sum is makeup * LP + HP; the bands above 1 kHz add nothing at 30 Hz
   * but an all-pass, which the compensation applies to every band. */
  double want = 20 * log10 (low * lp2 + (1 - lp2)) - 2;
  g_assert_cmpfloat_with_epsilon (g, want, 0.05);
  busker_multiband_free (m);
}

/* Changing the number of bands mid-stream is a short dip, not a click:
 * the second difference of a sine (A w^2 when clean) shows a click as a
 * spike. */
static void
test_band_count_change_click_free (void)
{
  const double fs = 48000, f = 1000, w = 2 * M_PI * f / fs, amp = 0.5;
  const int n = 24000;
  float *l = g_new (float, n), *r = g_new (float, n);
  BuskerMultiband *m = busker_multiband_new (fs);
  neutral (m);
  busker_multiband_reset (m);
  for (int i = 0; i < n; i++)
    l[i] = r[i] = (float) (amp * sin (w * i));
  for (int off = 0; off < n; off += 256)
    {
      if (off == 4096)
        set (m, BUSKER_MBC_CROSSOVER_COUNT, 3);
      if (off == 12288)
        set (m, BUSKER_MBC_CROSSOVER_COUNT, 1);
      g_assert_true (busker_multiband_process (m, l + off, r + off, MIN (256, n - off)));
    }
  double bound = 1.3 * amp * w * w;
  for (int i = 2048; i < n; i++) /* after the sine's own start */
    {
      double d2 = fabs ((double) l[i] - 2.0 * l[i - 1] + l[i - 2]);
      if (d2 > bound)
        g_error ("click at sample %d: second difference %.4f > %.4f", i, d2, bound);
    }
  /* And it came back to full level. */
  double peak = 0;
  for (int i = n - 480; i < n; i++)
    peak = MAX (peak, fabs (l[i]));
  g_assert_cmpfloat_with_epsilon (peak, amp, 0.01);
  busker_multiband_free (m);
  g_free (l);
  g_free (r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/multiband/flat-sum", test_flat_sum);
  g_test_add_func ("/dsp/multiband/band-compression", test_band_compression);
  g_test_add_func ("/dsp/multiband/makeup-output", test_makeup_output);
  g_test_add_func ("/dsp/multiband/band-count-change", test_band_count_change_click_free);
  return g_test_run ();
}
