/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Limiter: the output's true peak, measured by an independent 8x FFT
 * interpolation (spectrum-check.h), never exceeds the ceiling on worst-case
 * material; under the ceiling the limiter is a pure delay; NaN recovery. */
#include <glib.h>
#include <math.h>

#include "dsp/limiter.h"
#include "dsp/params.h"
#include "spectrum-check.h"

typedef enum {
  SIG_QUARTER_45,  /* fs/4 sine at 45 degrees: samples 0.707, peak 1 */
  SIG_SQUARE,      /* naive square, Gibbs overshoot between samples */
  SIG_NOISE,       /* full-scale white noise */
  SIG_BURST,       /* silence, then a full-scale 10 kHz sine at once */
  SIG_NOISE_BURSTS,
  SIG_NEAR_NYQUIST,
  N_SIGS
} Sig;

static float
gen (Sig sig, int i, double rate, GRand *rng, int ch)
{
  double t = i / rate;
  switch (sig)
    {
    case SIG_QUARTER_45:
      return sinf (M_PI / 2 * i + M_PI / 4 + ch * 0.1);
    case SIG_SQUARE:
      return fmod (t * (ch ? 1000.0 : 7000.0), 1.0) < 0.5 ? 1.0f : -1.0f;
    case SIG_NOISE:
      return (float) g_rand_double_range (rng, -1.0, 1.0);
    case SIG_BURST:
      return t < 0.3 ? 0.0f : sinf (2 * M_PI * 10000.0 * t + 1.0 + ch);
    case SIG_NOISE_BURSTS:
      return fmod (t, 0.12) < 0.03 ? (float) g_rand_double_range (rng, -1.0, 1.0) : 0.0f;
    case SIG_NEAR_NYQUIST:
      return sinf (2 * M_PI * 0.45 * rate * t + ch);
    default:
      g_assert_not_reached ();
    }
}

/* Runs sig through a limiter and returns the output true peak in dB. */
static double
run (Sig sig, double rate, float ceiling_db, float in_db, float release_ms,
     float lookahead_ms, double seconds)
{
  const BuskerEffectClass *k = &busker_limiter_class;
  void *lim = k->create (rate, 512);
  k->set_param (lim, BUSKER_LIMITER_CEILING_DB, ceiling_db);
  k->set_param (lim, BUSKER_LIMITER_INPUT_GAIN_DB, in_db);
  k->set_param (lim, BUSKER_LIMITER_RELEASE_MS, release_ms);
  k->set_param (lim, BUSKER_LIMITER_LOOKAHEAD_MS, lookahead_ms);
  k->reset (lim); /* start settled at these values */
  uint32_t lat = k->latency (lim);
  int len = (int) (seconds * rate);
  int total = ((len + lat + 2000) / 4096 + 1) * 4096;
  g_autofree float *l = g_new0 (float, total);
  g_autofree float *r = g_new0 (float, total);
  GRand *rng = g_rand_new_with_seed (42 + sig);
  for (int i = 0; i < len; i++)
    {
      l[i] = gen (sig, i, rate, rng, 0);
      r[i] = gen (sig, i, rate, rng, 1);
    }
  g_rand_free (rng);
  /* varying block sizes */
  for (int done = 0, b = 1; done < total; b = (b * 7 + 3) % 512 + 1)
    {
      int m = MIN (b, total - done);
      g_assert_true (k->process (lim, l + done, r + done, m));
      done += m;
    }
  k->destroy (lim);
  double tp = fmax (true_peak_8x (l, total), true_peak_8x (r, total));
  return 20.0 * log10 (tp);
}

static void
test_ceiling (void)
{
  static const double rates[] = { 44100, 48000, 96000, 192000 };
  double worst = -100.0;
  for (guint ri = 0; ri < G_N_ELEMENTS (rates); ri++)
    for (int sig = 0; sig < N_SIGS; sig++)
      for (int in = 0; in <= 20; in += 20)
        {
          float ceiling = ri % 2 ? -1.0f : 0.0f;
          double secs = rates[ri] > 50000 ? 0.5 : 1.0;
          double tp = run (sig, rates[ri], ceiling, in, ri == 2 ? 1.0f : 50.0f,
                           ri == 3 ? 0.5f : 5.0f, secs);
          g_test_message ("rate %.0f sig %d +%d dB: true peak %.3f dB (ceiling %.1f)",
                          rates[ri], sig, in, tp, ceiling);
          worst = fmax (worst, tp - ceiling);
        }
  g_test_message ("worst true peak over ceiling: %.3f dB", worst);
  g_assert_cmpfloat (worst, <=, 1e-3);
  /* the limiter does limit: it is not far below the ceiling either */
  g_assert_cmpfloat (worst, >, -1.0);
}

static void
test_transparent (void)
{
  const double rate = 48000;
  BuskerLimiter *lim = busker_limiter_new (rate, 1024);
  busker_limiter_set_ceiling_db (lim, -1.0f);
  uint32_t lat = busker_limiter_latency (lim);
  g_assert_cmpuint (lat, ==, 240 + 7); /* 5 ms default look-ahead + detector */
  const int n = 48000;
  g_autofree float *x = g_new (float, n);
  g_autofree float *l = g_new (float, n);
  g_autofree float *r = g_new (float, n);
  /* -3 dBFS at 1 kHz: clear of the ceiling and of the internal margin */
  for (int i = 0; i < n; i++)
    x[i] = l[i] = r[i] = 0.7071f * sinf (2 * M_PI * 1000.0 * i / rate);
  for (int done = 0; done < n; done += 1024)
    g_assert_true (busker_limiter_process (lim, l + done, r + done, MIN (1024, n - done)));
  for (int i = 0; i < n; i++)
    {
      float want = i < (int) lat ? 0.0f : x[i - lat];
      g_assert_cmpfloat (l[i], ==, want);
      g_assert_cmpfloat (r[i], ==, want);
    }
  g_assert_cmpfloat (busker_limiter_gain_reduction_db (lim), ==, 0.0f);
  busker_limiter_free (lim);
}

static void
test_release (void)
{
  /* a loud burst, then a quiet sine: gain reduction shows, then recovers */
  const double rate = 48000;
  BuskerLimiter *lim = busker_limiter_new (rate, 480);
  busker_limiter_set_release_ms (lim, 20.0f);
  float l[480], r[480];
  for (int b = 0; b < 200; b++)
    {
      for (int i = 0; i < 480; i++)
        {
          double a = b < 20 ? 4.0 : 0.1;
          l[i] = r[i] = a * sin (2 * M_PI * 440.0 * (b * 480 + i) / rate);
        }
      g_assert_true (busker_limiter_process (lim, l, r, 480));
      if (b == 19)
        g_assert_cmpfloat (busker_limiter_gain_reduction_db (lim), >, 12.0);
    }
  g_assert_cmpfloat (busker_limiter_gain_reduction_db (lim), ==, 0.0f);
  busker_limiter_free (lim);
}

static void
test_nan (void)
{
  BuskerLimiter *lim = busker_limiter_new (48000, 256);
  float l[256], r[256];
  for (int pass = 0; pass < 3; pass++)
    {
      for (int i = 0; i < 256; i++)
        l[i] = r[i] = 0.5f;
      if (pass == 0)
        r[100] = NAN;
      else if (pass == 1)
        l[3] = INFINITY;
      else
        busker_limiter_set_input_gain_db (lim, NAN);
      g_assert_false (busker_limiter_process (lim, l, r, 256));
      for (int i = 0; i < 256; i++)
        g_assert_true (l[i] == 0.0f && r[i] == 0.0f);
      /* recovers on the next clean block */
      for (int b = 0; b < 4; b++)
        {
          for (int i = 0; i < 256; i++)
            l[i] = r[i] = 0.5f;
          g_assert_true (busker_limiter_process (lim, l, r, 256));
        }
      g_assert_cmpfloat (fabsf (l[255] - 0.5f), <, 1e-6);
    }
  busker_limiter_free (lim);
}

static void
test_lookahead_change (void)
{
  /* changing the look-ahead while limiting hard keeps the ceiling */
  const double rate = 48000;
  BuskerLimiter *lim = busker_limiter_new (rate, 512);
  busker_limiter_set_input_gain_db (lim, 20.0f);
  busker_limiter_set_ceiling_db (lim, -1.0f);
  const int n = 512 * 200;
  g_autofree float *l = g_new0 (float, n + 8192);
  g_autofree float *r = g_new0 (float, n + 8192);
  GRand *rng = g_rand_new_with_seed (7);
  for (int i = 0; i < n; i++)
    l[i] = r[i] = g_rand_double_range (rng, -1.0, 1.0);
  g_rand_free (rng);
  for (int b = 0; b < (n + 8192) / 512; b++)
    {
      if (b % 20 == 10)
        busker_limiter_set_lookahead_ms (lim, (b / 20) % 2 ? 0.5f : 15.0f);
      g_assert_true (busker_limiter_process (lim, l + b * 512, r + b * 512, 512));
    }
  double tp = 20 * log10 (true_peak_8x (l, n + 8192));
  g_test_message ("look-ahead changes: true peak %.3f dB", tp);
  g_assert_cmpfloat (tp, <=, -1.0 + 1e-3);
  busker_limiter_free (lim);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/limiter/transparent", test_transparent);
  g_test_add_func ("/limiter/ceiling", test_ceiling);
  g_test_add_func ("/limiter/release", test_release);
  g_test_add_func ("/limiter/nan", test_nan);
  g_test_add_func ("/limiter/lookahead-change", test_lookahead_change);
  return g_test_run ();
}
