/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Limiter: the output's true peak, measured by an independent 8x FFT
 * interpolation (spectrum-check.h), never exceeds the ceiling on worst-case
 * material; under the ceiling the limiter is a pure delay; NaN recovery.
 * Sample-peak detection (true_peak off): no output sample exceeds the
 * ceiling (10^(dB/20) in double); a signal whose samples stay under it
 * passes bit-exact even when its true peak does not; a step gets the gain
 * reduction its level asks for, reached by a linear ramp over the
 * look-ahead; switching the mode while limiting keeps the ceiling. */
#include <glib.h>
#include <math.h>
#include <string.h>

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

/* Runs sig through a limiter and returns the output true peak in dB (or,
 * with sample_peak, its largest |sample| in dB). */
static double
run_mode (Sig sig, double rate, float ceiling_db, float in_db, float release_ms,
          float lookahead_ms, double seconds, bool sample_peak)
{
  const BuskerEffectClass *k = &busker_limiter_class;
  void *lim = k->create (rate, 512);
  k->set_param (lim, BUSKER_LIMITER_TRUE_PEAK, sample_peak ? 0.0f : 1.0f);
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
  double tp = 0.0;
  if (sample_peak)
    for (int i = 0; i < total; i++)
      tp = fmax (tp, fmax (fabs (l[i]), fabs (r[i])));
  else
    tp = fmax (true_peak_8x (l, total), true_peak_8x (r, total));
  return 20.0 * log10 (tp);
}

static double
run (Sig sig, double rate, float ceiling_db, float in_db, float release_ms,
     float lookahead_ms, double seconds)
{
  return run_mode (sig, rate, ceiling_db, in_db, release_ms, lookahead_ms, seconds, false);
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

static void
test_sample_peak_ceiling (void)
{
  static const double rates[] = { 44100, 48000, 96000, 192000 };
  double worst = -100.0;
  for (guint ri = 0; ri < G_N_ELEMENTS (rates); ri++)
    for (int sig = 0; sig < N_SIGS; sig++)
      for (int in = 0; in <= 20; in += 20)
        {
          float ceiling = ri % 2 ? -1.0f : -10.0f;
          double secs = rates[ri] > 50000 ? 0.5 : 1.0;
          double sp = run_mode (sig, rates[ri], ceiling, in, ri == 2 ? 1.0f : 50.0f,
                                ri == 3 ? 0.5f : 5.0f, secs, true);
          g_test_message ("rate %.0f sig %d +%d dB: sample peak %.4f dB (ceiling %.1f)",
                          rates[ri], sig, in, sp, ceiling);
          /* no tolerance: 10^(dB/20) in double is the truth */
          g_assert_cmpfloat (sp, <=, 20.0 * log10 (pow (10.0, ceiling / 20.0)));
          worst = fmax (worst, sp - ceiling);
        }
  g_test_message ("worst sample peak over ceiling: %.4f dB", worst);
  /* it limits to the ceiling, not under it (the margin is 0.001 dB) */
  g_assert_cmpfloat (worst, >, -0.01);
}

/* A naive square at -1.01 dBFS: its samples are under a -1 dB ceiling, its
 * true peak (Gibbs overshoot between the samples) is over it. */
static void
square (float *l, float *r, int n, double rate)
{
  const float a = (float) pow (10.0, -1.01 / 20.0);
  for (int i = 0; i < n; i++)
    {
      l[i] = fmod (i * 1000.0 / rate, 1.0) < 0.5 ? a : -a;
      r[i] = fmod (i * 3000.0 / rate, 1.0) < 0.5 ? a : -a;
    }
}

static void
test_sample_peak_transparent (void)
{
  const double rate = 48000;
  const int n = 24000;
  g_autofree float *x = g_new (float, n);
  g_autofree float *y = g_new (float, n);
  g_autofree float *l = g_new (float, n);
  g_autofree float *r = g_new (float, n);
  square (x, y, n, rate);
  g_assert_cmpfloat (20 * log10 (true_peak_8x (x, n)), >, -1.0 + 0.5);

  for (int tp = 0; tp <= 1; tp++)
    {
      BuskerLimiter *lim = busker_limiter_new (rate, 1024);
      busker_limiter_set_ceiling_db (lim, -1.0f);
      busker_limiter_set_true_peak (lim, tp);
      busker_limiter_reset (lim);
      uint32_t lat = busker_limiter_latency (lim);
      g_assert_cmpuint (lat, ==, 240 + 7); /* the same in both modes */
      memcpy (l, x, n * sizeof (float));
      memcpy (r, y, n * sizeof (float));
      float gr = 0.0f;
      for (int done = 0; done < n; done += 1000)
        {
          g_assert_true (busker_limiter_process (lim, l + done, r + done, MIN (1000, n - done)));
          gr = fmaxf (gr, busker_limiter_gain_reduction_db (lim));
        }
      if (tp)
        /* the true-peak limiter does reduce this square */
        g_assert_cmpfloat (gr, >, 0.3f);
      else
        {
          /* the sample-peak limiter is a pure delay */
          for (int i = 0; i < n; i++)
            {
              g_assert_cmpfloat (l[i], ==, i < (int) lat ? 0.0f : x[i - lat]);
              g_assert_cmpfloat (r[i], ==, i < (int) lat ? 0.0f : y[i - lat]);
            }
          g_assert_cmpfloat (gr, ==, 0.0f);
        }
      busker_limiter_free (lim);
    }
}

static void
test_sample_peak_step (void)
{
  /* DC at -20 dBFS, then at 0 dBFS, into a -6 dB ceiling: 6 dB of
   * reduction, reached by a linear ramp over the look-ahead window that
   * ends before the loud samples come out; the quiet part before the ramp
   * untouched */
  const double rate = 48000;
  const int n = 9600, step = 4800;
  const double ceiling = pow (10.0, -6.0 / 20.0);
  BuskerLimiter *lim = busker_limiter_new (rate, 512);
  busker_limiter_set_ceiling_db (lim, -6.0f);
  busker_limiter_set_release_ms (lim, 1000.0f);
  busker_limiter_set_true_peak (lim, false);
  busker_limiter_reset (lim);
  const int lat = (int) busker_limiter_latency (lim), w = 240, d = lat - w;
  g_autofree float *l = g_new (float, n);
  g_autofree float *r = g_new (float, n);
  for (int i = 0; i < n; i++)
    l[i] = r[i] = i < step ? 0.1f : 1.0f;
  for (int done = 0; done < n; done += 100)
    g_assert_true (busker_limiter_process (lim, l + done, r + done, 100));

  /* quiet output until the ramp: exactly the input */
  for (int t = lat; t < step + d; t++)
    g_assert_cmpfloat (l[t], ==, 0.1f);
  /* loud output: at the ceiling, at most 0.002 dB under it */
  for (int t = step + lat; t < n; t++)
    {
      g_assert_cmpfloat (l[t], <=, ceiling);
      g_assert_cmpfloat (l[t], >=, ceiling * pow (10.0, -0.002 / 20.0));
      g_assert_cmpfloat (r[t], ==, l[t]);
    }
  double g = l[n - 1]; /* the steady gain: input 1.0 */
  g_assert_cmpfloat (fabs (busker_limiter_gain_reduction_db (lim) + 20 * log10 (g)), <, 1e-4);
  g_assert_cmpfloat (busker_limiter_gain_reduction_db (lim), >=, 6.0f);
  g_assert_cmpfloat (busker_limiter_gain_reduction_db (lim), <, 6.002f);
  /* the ramp: a moving average of a step, linear from 1 to g over w */
  for (int k = 0; k < w; k++)
    {
      int t = step + d + k;
      double want = 1.0 - (k + 1) / (double) w * (1.0 - g);
      double got = l[t] / (t - lat < step ? 0.1 : 1.0);
      g_assert_cmpfloat (fabs (got - want), <, 1e-5);
    }
  busker_limiter_free (lim);
}

static void
test_mode_switch (void)
{
  /* switching the detection back and forth while limiting hard: no
   * output sample past the ceiling, at any switch */
  const double rate = 48000;
  const double ceiling = pow (10.0, -3.0 / 20.0);
  BuskerLimiter *lim = busker_limiter_new (rate, 512);
  busker_limiter_set_input_gain_db (lim, 12.0f);
  busker_limiter_set_ceiling_db (lim, -3.0f);
  const int n = 300 * 160;
  g_autofree float *l = g_new0 (float, n);
  g_autofree float *r = g_new0 (float, n);
  GRand *rng = g_rand_new_with_seed (11);
  for (int i = 0; i < n - 4800; i++)
    {
      double env = (i / 1200) % 3 == 0 ? 1.0 : 0.05; /* bursts */
      l[i] = env * g_rand_double_range (rng, -1.0, 1.0);
      r[i] = env * g_rand_double_range (rng, -1.0, 1.0);
    }
  g_rand_free (rng);
  for (int b = 0; b < n / 160; b++)
    {
      if (b % 7 == 3)
        busker_limiter_set_true_peak (lim, (b / 7) % 2);
      g_assert_true (busker_limiter_process (lim, l + b * 160, r + b * 160, 160));
    }
  double peak = 0.0;
  for (int i = 0; i < n; i++)
    peak = fmax (peak, fmax (fabs (l[i]), fabs (r[i])));
  g_test_message ("mode switches: sample peak %.4f dB", 20 * log10 (peak));
  g_assert_cmpfloat (peak, <=, ceiling);
  g_assert_cmpfloat (peak, >, ceiling * 0.9);
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
  g_test_add_func ("/limiter/sample-peak/ceiling", test_sample_peak_ceiling);
  g_test_add_func ("/limiter/sample-peak/transparent", test_sample_peak_transparent);
  g_test_add_func ("/limiter/sample-peak/step", test_sample_peak_step);
  g_test_add_func ("/limiter/mode-switch", test_mode_switch);
  return g_test_run ();
}
