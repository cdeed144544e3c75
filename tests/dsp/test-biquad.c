/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The shared second-order sections: designs against the RBJ cookbook
 * values computed here by hand, the first-order filters against their
 * analogue prototypes through the bilinear transform, the magnitude helper
 * against a sine run through the section, float and double variants
 * against each other, and denormal flushing.
 */
#include <glib.h>
#include <math.h>

#include "dsp/biquad.h"

/* Cookbook peaking EQ at fs 48 kHz, f0 1 kHz, Q 2, +6 dB, by hand. */
static void
test_peak_coefficients (void)
{
  double fs = 48000, f0 = 1000, q = 2, gain_db = 6;
  double A = pow (10, gain_db / 40), w0 = 2 * M_PI * f0 / fs, alpha = sin (w0) / (2 * q);
  double a0 = 1 + alpha / A;
  BuskerBiquadCoefsD c;
  busker_biquad_design_d (&c, BUSKER_BIQUAD_PEAK, fs, f0, q, gain_db);
  g_assert_cmpfloat_with_epsilon (c.b0, (1 + alpha * A) / a0, 1e-12);
  g_assert_cmpfloat_with_epsilon (c.b1, -2 * cos (w0) / a0, 1e-12);
  g_assert_cmpfloat_with_epsilon (c.b2, (1 - alpha * A) / a0, 1e-12);
  g_assert_cmpfloat_with_epsilon (c.a1, -2 * cos (w0) / a0, 1e-12);
  g_assert_cmpfloat_with_epsilon (c.a2, (1 - alpha / A) / a0, 1e-12);

  /* The float design is the double one, rounded. */
  BuskerBiquadCoefs f;
  busker_biquad_design (&f, BUSKER_BIQUAD_PEAK, fs, f0, q, gain_db);
  g_assert_cmpfloat (f.b0, ==, (float) c.b0);
  g_assert_cmpfloat (f.a2, ==, (float) c.a2);

  /* At f0 the peak's gain is exactly gain_db. */
  g_assert_cmpfloat_with_epsilon (busker_biquad_magnitude_db_d (&c, fs, f0), gain_db, 1e-9);
}

/* Landmarks every cookbook filter must hit: low/high pass -3.01 dB at f0
 * for Q = 1/sqrt 2, shelves gain_db/2 at f0, notch -inf at f0, band pass
 * 0 dB at f0, all-pass 0 dB everywhere. */
static void
test_landmarks (void)
{
  static const double rates[] = { 44100, 96000, 192000 };
  for (guint ri = 0; ri < G_N_ELEMENTS (rates); ri++)
    {
      double fs = rates[ri], f0 = 2500;
      BuskerBiquadCoefsD c;
      busker_biquad_design_d (&c, BUSKER_BIQUAD_LOW_PASS, fs, f0, M_SQRT1_2, 0);
      g_assert_cmpfloat_with_epsilon (busker_biquad_magnitude_db_d (&c, fs, f0),
                                      -10 * log10 (2), 1e-9);
      g_assert_cmpfloat_with_epsilon (busker_biquad_magnitude_db_d (&c, fs, 1), 0, 1e-6);
      busker_biquad_design_d (&c, BUSKER_BIQUAD_HIGH_PASS, fs, f0, M_SQRT1_2, 0);
      g_assert_cmpfloat_with_epsilon (busker_biquad_magnitude_db_d (&c, fs, f0),
                                      -10 * log10 (2), 1e-9);
      busker_biquad_design_d (&c, BUSKER_BIQUAD_LOW_SHELF, fs, f0, M_SQRT1_2, 8);
      g_assert_cmpfloat_with_epsilon (busker_biquad_magnitude_db_d (&c, fs, f0), 4, 1e-9);
      g_assert_cmpfloat_with_epsilon (busker_biquad_magnitude_db_d (&c, fs, 1), 8, 1e-4);
      busker_biquad_design_d (&c, BUSKER_BIQUAD_HIGH_SHELF, fs, f0, M_SQRT1_2, -8);
      g_assert_cmpfloat_with_epsilon (busker_biquad_magnitude_db_d (&c, fs, f0), -4, 1e-9);
      busker_biquad_design_d (&c, BUSKER_BIQUAD_NOTCH, fs, f0, 3, 0);
      g_assert_cmpfloat (busker_biquad_magnitude_db_d (&c, fs, f0), <, -100);
      busker_biquad_design_d (&c, BUSKER_BIQUAD_BAND_PASS, fs, f0, 3, 0);
      g_assert_cmpfloat_with_epsilon (busker_biquad_magnitude_db_d (&c, fs, f0), 0, 1e-9);
      busker_biquad_design_d (&c, BUSKER_BIQUAD_ALL_PASS, fs, f0, 0.9, 0);
      for (double f = 10; f < fs / 2; f *= 1.7)
        g_assert_cmpfloat_with_epsilon (busker_biquad_magnitude_db_d (&c, fs, f), 0, 1e-9);
    }
}

/* First order: H(s) = 1/(1+s) or s/(1+s), prewarped: |H|^2 at f is
 * 1/(1+r^2) or r^2/(1+r^2), r = tan(pi f/fs)/tan(pi fc/fs). */
static void
test_one_pole (void)
{
  double fs = 48000, fc = 700;
  for (int hp = 0; hp < 2; hp++)
    {
      BuskerBiquadCoefs c;
      busker_biquad_design_one_pole (&c, hp, fs, fc);
      g_assert_cmpfloat (c.b2, ==, 0.0f);
      g_assert_cmpfloat (c.a2, ==, 0.0f);
      for (double f = 20; f < 20000; f *= 1.3)
        {
          double r = tan (M_PI * f / fs) / tan (M_PI * fc / fs);
          double want = hp ? 10 * log10 (r * r / (1 + r * r)) : -10 * log10 (1 + r * r);
          g_assert_cmpfloat_with_epsilon (busker_biquad_magnitude_db (&c, fs, f), want, 1e-3);
        }
    }
}

/* The tick functions realise the magnitude the helper reports. */
static void
test_tick_matches_magnitude (void)
{
  double fs = 48000, f = 3000;
  BuskerBiquadCoefs c;
  BuskerBiquadCoefsD d;
  busker_biquad_design (&c, BUSKER_BIQUAD_PEAK, fs, 2500, 1.5, -7);
  busker_biquad_design_d (&d, BUSKER_BIQUAD_PEAK, fs, 2500, 1.5, -7);
  BuskerBiquadState s = { 0, 0 };
  BuskerBiquadStateD sd = { 0, 0 };
  int n = 48000, from = 24000;
  double cs = 0, sn = 0, csd = 0, snd = 0;
  for (int i = 0; i < n; i++)
    {
      double ph = 2 * M_PI * f * i / fs;
      float y = busker_biquad_tick (&c, &s, (float) sin (ph));
      double yd = busker_biquad_tick_d (&d, &sd, sin (ph));
      if (i >= from)
        {
          cs += y * cos (ph), sn += y * sin (ph);
          csd += yd * cos (ph), snd += yd * sin (ph);
        }
    }
  double got = 20 * log10 (2 * sqrt (cs * cs + sn * sn) / (n - from));
  double got_d = 20 * log10 (2 * sqrt (csd * csd + snd * snd) / (n - from));
  g_assert_cmpfloat_with_epsilon (got, busker_biquad_magnitude_db (&c, fs, f), 1e-3);
  g_assert_cmpfloat_with_epsilon (got_d, busker_biquad_magnitude_db_d (&d, fs, f), 1e-6);
}

static void
test_flush (void)
{
  BuskerBiquadState s = { 1e-30f, -3e-26f };
  busker_biquad_flush (&s);
  g_assert_cmpfloat (s.z1, ==, 0.0f);
  g_assert_cmpfloat (s.z2, ==, 0.0f);
  s = (BuskerBiquadState) { 1e-20f, -0.5f };
  busker_biquad_flush (&s);
  g_assert_cmpfloat (s.z1, ==, 1e-20f);
  BuskerBiquadStateD d = { 1e-300, 2e-26 };
  busker_biquad_flush_d (&d);
  g_assert_cmpfloat (d.z1, ==, 0.0);
  g_assert_cmpfloat (d.z2, ==, 0.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/biquad/peak-coefficients", test_peak_coefficients);
  g_test_add_func ("/dsp/biquad/landmarks", test_landmarks);
  g_test_add_func ("/dsp/biquad/one-pole", test_one_pole);
  g_test_add_func ("/dsp/biquad/tick-matches-magnitude", test_tick_matches_magnitude);
  g_test_add_func ("/dsp/biquad/flush", test_flush);
  return g_test_run ();
}
