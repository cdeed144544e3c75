/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pan law and gain helpers against their formulas, and the gain
 * insert's settled output against hand computation. */
#include <glib.h>
#include <math.h>

#include "dsp/gain.h"
#include "dsp/params.h"

static double
db (double g)
{
  return 20.0 * log10 (g);
}

static void
test_pan_mono (void)
{
  for (int i = -20; i <= 20; i++)
    {
      double pan = i / 20.0;
      float gl, gr;
      busker_pan_gains ((float) pan, true, &gl, &gr);
      /* Constant power: left = cos, right = sin of (pan + 1) * 45 degrees. */
      double theta = (pan + 1.0) * M_PI / 4.0;
      g_assert_cmpfloat_with_epsilon (gl, cos (theta), 1e-6);
      g_assert_cmpfloat_with_epsilon (gr, sin (theta), 1e-6);
      g_assert_cmpfloat_with_epsilon ((double) gl * gl + (double) gr * gr, 1.0, 1e-6);
    }

  float gl, gr;
  busker_pan_gains (0.0f, true, &gl, &gr);
  g_assert_cmpfloat_with_epsilon (db (gl), -3.0103, 0.001);
  g_assert_cmpfloat_with_epsilon (db (gr), -3.0103, 0.001);
  busker_pan_gains (-1.0f, true, &gl, &gr);
  g_assert_cmpfloat_with_epsilon (gl, 1.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (gr, 0.0, 1e-6);
  busker_pan_gains (1.0f, true, &gl, &gr);
  g_assert_cmpfloat_with_epsilon (gl, 0.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (gr, 1.0, 1e-6);
  /* Out of range is clamped. */
  busker_pan_gains (7.0f, true, &gl, &gr);
  g_assert_cmpfloat_with_epsilon (gr, 1.0, 1e-6);
  busker_pan_gains (NAN, true, &gl, &gr);
  g_assert_true (isfinite (gl) && isfinite (gr));
}

static void
test_balance_stereo (void)
{
  float gl, gr;
  busker_pan_gains (0.0f, false, &gl, &gr);
  g_assert_cmpfloat (gl, ==, 1.0f);
  g_assert_cmpfloat (gr, ==, 1.0f);
  for (int i = 1; i <= 20; i++)
    {
      double pan = i / 20.0;
      busker_pan_gains ((float) pan, false, &gl, &gr);
      g_assert_cmpfloat (gr, ==, 1.0f);
      g_assert_cmpfloat_with_epsilon (gl, cos (pan * M_PI / 2.0), 1e-6);
      busker_pan_gains ((float) -pan, false, &gl, &gr);
      g_assert_cmpfloat (gl, ==, 1.0f);
      g_assert_cmpfloat_with_epsilon (gr, cos (pan * M_PI / 2.0), 1e-6);
    }
}

static void
test_trim_and_ramp (void)
{
  g_assert_cmpfloat_with_epsilon (busker_trim_gain (6.0f, false), pow (10, 6.0 / 20), 1e-5);
  g_assert_cmpfloat_with_epsilon (busker_trim_gain (-12.0f, true), -pow (10, -12.0 / 20), 1e-6);

  float x[8];
  for (int i = 0; i < 8; i++)
    x[i] = 1.0f;
  busker_gain_apply_ramp (x, 8, 0.0f, 1.0f);
  for (int i = 0; i < 8; i++)
    g_assert_cmpfloat_with_epsilon (x[i], (i + 1) / 8.0, 1e-6);
}

#define N 4800

static void
test_unit (void)
{
  const BuskerEffectClass *k = busker_effect_class_lookup ("gain");
  g_assert_nonnull (k);
  void *u = k->create (48000, N);
  static float l[N], r[N];

  /* Defaults are unity and settled from the first sample. */
  for (int i = 0; i < N; i++)
    l[i] = 0.5f, r[i] = -0.25f;
  g_assert_true (k->process (u, l, r, N));
  g_assert_cmpfloat (l[0], ==, 0.5f);
  g_assert_cmpfloat (r[N - 1], ==, -0.25f);

  k->set_param (u, BUSKER_GAIN_GAIN_DB, -6.0f);
  k->set_param (u, BUSKER_GAIN_SWAP_LR, 1.0f);
  for (int block = 0; block < 20; block++)
    {
      for (int i = 0; i < N; i++)
        l[i] = 0.5f, r[i] = -0.25f;
      g_assert_true (k->process (u, l, r, N));
      /* Every intermediate sample stays between the old and new values. */
      for (int i = 1; i < N; i++)
        g_assert_cmpfloat (fabsf (l[i] - l[i - 1]), <, 0.01f);
    }
  double g = pow (10, -6.0 / 20);
  g_assert_cmpfloat_with_epsilon (l[N - 1], -0.25 * g, 1e-6);
  g_assert_cmpfloat_with_epsilon (r[N - 1], 0.5 * g, 1e-6);

  k->set_param (u, BUSKER_GAIN_MONO, 1.0f);
  for (int block = 0; block < 20; block++)
    {
      for (int i = 0; i < N; i++)
        l[i] = 0.5f, r[i] = -0.25f;
      g_assert_true (k->process (u, l, r, N));
    }
  g_assert_cmpfloat_with_epsilon (l[N - 1], 0.125 * g, 1e-6);
  g_assert_cmpfloat_with_epsilon (r[N - 1], 0.125 * g, 1e-6);

  /* Non-finite input: silence and false. */
  l[3] = NAN;
  g_assert_false (k->process (u, l, r, N));
  g_assert_cmpfloat (l[3], ==, 0.0f);
  g_assert_cmpfloat (r[0], ==, 0.0f);
  k->destroy (u);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/gain/pan-mono", test_pan_mono);
  g_test_add_func ("/dsp/gain/balance-stereo", test_balance_stereo);
  g_test_add_func ("/dsp/gain/trim-ramp", test_trim_and_ramp);
  g_test_add_func ("/dsp/gain/unit", test_unit);
  return g_test_run ();
}
