/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fast-math.h against libm and IEEE 754: busker_stereo_is_finite flags an
 * Inf or NaN at every position of either channel for every block length
 * up to 40 (the eight-, four- and one-frame paths) and passes the extreme
 * finite values; the fast log2 and exp2 stay within their stated 1e-5
 * of log2f and exp2f.
 */
#include <glib.h>
#include <math.h>

#include "dsp/fast-math.h"

static void
test_finite_check (void)
{
  static const float bad[] = { INFINITY, -INFINITY, NAN };
  static const float fine[] = { 0.0f, -0.0f, 3.4e38f, -3.4e38f, 1e-45f, 1.0f };
  float l[40], r[40];

  for (uint32_t n = 1; n <= 40; n++)
    {
      for (uint32_t i = 0; i < n; i++)
        l[i] = r[i] = fine[i % G_N_ELEMENTS (fine)];
      g_assert_true (busker_stereo_is_finite (l, r, n));
      for (uint32_t at = 0; at < n; at++)
        for (unsigned k = 0; k < G_N_ELEMENTS (bad); k++)
          for (int ch = 0; ch < 2; ch++)
            {
              float *x = ch ? r : l;
              float keep = x[at];
              x[at] = bad[k];
              g_assert_false (busker_stereo_is_finite (l, r, n));
              x[at] = keep;
            }
    }
}

static void
test_log2_exp2 (void)
{
  for (float x = 1e-30f; x < 1e30f; x *= 1.37f)
    g_assert_cmpfloat_with_epsilon (busker_fast_log2f (x), log2f (x), 1e-5 * fmaxf (1, fabsf (log2f (x))));
  for (float x = -100.0f; x < 100.0f; x += 0.173f)
    g_assert_cmpfloat_with_epsilon (busker_fast_exp2f (x) / exp2f (x), 1.0, 1e-5);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/fast-math/finite-check", test_finite_check);
  g_test_add_func ("/dsp/fast-math/log2-exp2", test_log2_exp2);
  return g_test_run ();
}
