/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Stereo width: width 0 gives L = R exactly; width 1 with bass mono off is
 * a bit-exact pass-through; width 2 doubles the side (hand-computed M/S);
 * bass mono removes the side below the cut-off (the LR4 high pass is
 * -48 dB a bit more than two octaves down) and keeps it above.
 */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "dsp/params.h"
#include "dsp/width.h"

#define RATE 48000.0
#define BLOCK 256
#define N (48000 / BLOCK * BLOCK)

static void
fill_noise (float *l, float *r, uint32_t n, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  for (uint32_t i = 0; i < n; i++)
    {
      l[i] = (float) g_rand_double_range (rand, -1, 1);
      r[i] = (float) g_rand_double_range (rand, -1, 1);
    }
}

static void
run (const BuskerEffectClass *k, void *unit, float *l, float *r, uint32_t n)
{
  for (uint32_t i = 0; i < n; i += BLOCK)
    g_assert_true (k->process (unit, l + i, r + i, MIN (BLOCK, n - i)));
}

static void
test_pass_through (void)
{
  const BuskerEffectClass *k = &busker_width_class;
  static float l[N], r[N], l0[N], r0[N];
  void *unit = k->create (RATE, BLOCK);

  fill_noise (l, r, N, 1);
  memcpy (l0, l, sizeof l);
  memcpy (r0, r, sizeof r);
  run (k, unit, l, r, N);
  g_assert_cmpint (memcmp (l, l0, sizeof l), ==, 0);
  g_assert_cmpint (memcmp (r, r0, sizeof r), ==, 0);

  /* Away and back again: once settled it is exact again. */
  k->set_param (unit, BUSKER_WIDTH_WIDTH, 0.5f);
  k->set_param (unit, BUSKER_WIDTH_BASS_MONO_HZ, 120.0f);
  run (k, unit, l, r, N);
  k->set_param (unit, BUSKER_WIDTH_WIDTH, 1.0f);
  k->set_param (unit, BUSKER_WIDTH_BASS_MONO_HZ, 0.0f);
  run (k, unit, l, r, N);
  fill_noise (l, r, N, 2);
  memcpy (l0, l, sizeof l);
  memcpy (r0, r, sizeof r);
  run (k, unit, l, r, N);
  g_assert_cmpint (memcmp (l, l0, sizeof l), ==, 0);
  g_assert_cmpint (memcmp (r, r0, sizeof r), ==, 0);
  k->destroy (unit);
}

static void
test_mono (void)
{
  const BuskerEffectClass *k = &busker_width_class;
  static float l[N], r[N];
  void *unit = k->create (RATE, BLOCK);

  k->set_param (unit, BUSKER_WIDTH_WIDTH, 0.0f);
  k->reset (unit); /* settle at once */
  fill_noise (l, r, N, 3);
  run (k, unit, l, r, N);
  for (uint32_t i = 0; i < N; i++)
    g_assert_true (l[i] == r[i]);
  k->destroy (unit);
}

static void
test_width_two (void)
{
  const BuskerEffectClass *k = &busker_width_class;
  static float l[N], r[N], l0[N], r0[N];
  void *unit = k->create (RATE, BLOCK);

  k->set_param (unit, BUSKER_WIDTH_WIDTH, 2.0f);
  k->reset (unit);
  fill_noise (l, r, N, 4);
  memcpy (l0, l, sizeof l);
  memcpy (r0, r, sizeof r);
  run (k, unit, l, r, N);
  /* Side doubled: L' = M + 2S = (3L - R)/2, R' = (3R - L)/2. */
  for (uint32_t i = 0; i < N; i++)
    {
      g_assert_cmpfloat_with_epsilon (l[i], 1.5 * l0[i] - 0.5 * r0[i], 1e-6);
      g_assert_cmpfloat_with_epsilon (r[i], 1.5 * r0[i] - 0.5 * l0[i], 1e-6);
    }
  k->destroy (unit);
}

/* Ratio in dB of the side RMS of the last half second out to in, for a
 * sine in the left channel only. */
static double
side_gain_db (double rate, float bass_mono_hz, double freq_hz)
{
  const BuskerEffectClass *k = &busker_width_class;
  uint32_t n = (uint32_t) rate;
  float *l = g_new0 (float, n), *r = g_new0 (float, n);
  void *unit = k->create (rate, BLOCK);
  double side_in = 0, side_out = 0, mid_err = 0;

  k->set_param (unit, BUSKER_WIDTH_BASS_MONO_HZ, bass_mono_hz);
  k->reset (unit);
  for (uint32_t i = 0; i < n; i++)
    l[i] = (float) sin (2 * M_PI * freq_hz * i / rate);
  run (k, unit, l, r, n);
  for (uint32_t i = n / 2; i < n; i++)
    {
      double s_in = 0.5 * sin (2 * M_PI * freq_hz * i / rate);
      double s_out = 0.5 * (l[i] - r[i]);
      side_in += s_in * s_in;
      side_out += s_out * s_out;
      /* The mid (mono sum) is untouched. */
      mid_err = MAX (mid_err, fabs (0.5 * (l[i] + r[i]) - s_in));
    }
  g_assert_cmpfloat (mid_err, <, 1e-6);
  k->destroy (unit);
  g_free (l);
  g_free (r);
  return 10 * log10 (side_out / side_in);
}

static void
test_bass_mono (void)
{
  const double rates[] = { 44100, 48000, 96000, 192000 };
  for (guint i = 0; i < G_N_ELEMENTS (rates); i++)
    {
      /* LR4 high pass: |H| = (f/fc)^4 / (1 + (f/fc)^4) ≈ -48 dB at fc/4. */
      double low = side_gain_db (rates[i], 200.0f, 50.0);
      double expected_low = 20 * log10 (pow (0.25, 4) / (1 + pow (0.25, 4)));
      g_assert_cmpfloat_with_epsilon (low, expected_low, 0.5);
      /* -6 dB at the cut-off, flat well above. */
      g_assert_cmpfloat_with_epsilon (side_gain_db (rates[i], 200.0f, 200.0), -6.02, 0.1);
      g_assert_cmpfloat_with_epsilon (side_gain_db (rates[i], 200.0f, 5000.0), 0.0, 0.01);
      /* Off: the low side passes. */
      g_assert_cmpfloat_with_epsilon (side_gain_db (rates[i], 0.0f, 50.0), 0.0, 1e-4);
    }
}

/* Moving both knobs while noise plays stays bounded and finite: the
 * largest step of the output is no larger than that of the input times
 * the largest gain (1.5 + 0.5 at width 2). */
static void
test_smooth_changes (void)
{
  const BuskerEffectClass *k = &busker_width_class;
  static float l[N], r[N];
  void *unit = k->create (RATE, BLOCK);
  const float widths[] = { 0.0f, 2.0f, 1.0f, 0.3f };
  const float hz[] = { 300.0f, 0.0f, 80.0f, 500.0f };

  for (uint32_t i = 0; i < N; i++)
    l[i] = r[i] = 0.0f;
  for (uint32_t i = 0; i < N; i++)
    {
      l[i] = (float) sin (2 * M_PI * 100 * i / RATE);
      r[i] = (float) sin (2 * M_PI * 150 * i / RATE);
    }
  double max_in_step = 0, max_out_step = 0;
  for (uint32_t i = 1; i < N; i++)
    max_in_step = MAX (max_in_step, MAX (fabsf (l[i] - l[i - 1]), fabsf (r[i] - r[i - 1])));
  for (uint32_t b = 0; b < N / BLOCK; b++)
    {
      if (b % 40 == 0)
        {
          k->set_param (unit, BUSKER_WIDTH_WIDTH, widths[(b / 40) % 4]);
          k->set_param (unit, BUSKER_WIDTH_BASS_MONO_HZ, hz[(b / 40) % 4]);
        }
      g_assert_true (k->process (unit, l + b * BLOCK, r + b * BLOCK, BLOCK));
    }
  for (uint32_t i = 1; i < N; i++)
    max_out_step = MAX (max_out_step, MAX (fabsf (l[i] - l[i - 1]), fabsf (r[i] - r[i - 1])));
  g_assert_cmpfloat (max_out_step, <, 2.0 * max_in_step * 1.1);
  k->destroy (unit);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/width/pass-through", test_pass_through);
  g_test_add_func ("/width/mono", test_mono);
  g_test_add_func ("/width/width-two", test_width_two);
  g_test_add_func ("/width/bass-mono", test_bass_mono);
  g_test_add_func ("/width/smooth-changes", test_smooth_changes);
  return g_test_run ();
}
