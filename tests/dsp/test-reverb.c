/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reverb, measured the way acousticians do (ISO 3382): the RT60 of the
 * impulse response from Schroeder backward integration, a least-squares
 * line through the decay curve from -5 to -35 dB, extrapolated to -60 dB.
 * It must match decay_s within 15 % from 0.2 to 10 s at 44.1 to 192 kHz,
 * with the default damping and also with heavy damping and both sizes.
 * The tail must die away to exact zeros, show no mode standing far above
 * its neighbours in a late window (no metallic ringing), and the wet
 * signal must be mono at width 0 and decorrelated at width 1. Pre-delay
 * shifts the response by exactly its length, mix 0 is the dry signal, and
 * moving the parameters while a sine plays does not click.
 */
#include <fftw3.h>
#include <glib.h>
#include <math.h>
#include <string.h>

#include "dsp/params.h"
#include "dsp/reverb.h"

#define BLOCK 256

typedef struct {
  float decay_s, size, damping_hz, width;
} Settings;

/* Impulse response (both channels) of the wet signal, n frames. */
static void
impulse_response (double rate, const Settings *set, float *l, float *r, uint32_t n)
{
  const BuskerEffectClass *k = &busker_reverb_class;
  void *unit = k->create (rate, BLOCK);

  k->set_param (unit, BUSKER_REVERB_DECAY_S, set->decay_s);
  k->set_param (unit, BUSKER_REVERB_SIZE, set->size);
  k->set_param (unit, BUSKER_REVERB_DAMPING_HZ, set->damping_hz);
  k->set_param (unit, BUSKER_REVERB_WIDTH, set->width);
  k->set_param (unit, BUSKER_REVERB_PREDELAY_MS, 0.0f);
  k->set_param (unit, BUSKER_REVERB_MIX, 1.0f);
  k->reset (unit);
  memset (l, 0, n * sizeof *l);
  memset (r, 0, n * sizeof *r);
  l[0] = r[0] = 1.0f;
  for (uint32_t i = 0; i < n; i += BLOCK)
    g_assert_true (k->process (unit, l + i, r + i, MIN (BLOCK, n - i)));
  k->destroy (unit);
}

/* RT60 in seconds by Schroeder integration and a -5..-35 dB fit. */
static double
schroeder_rt60 (const float *h, uint32_t n, double rate)
{
  double *edc = g_new (double, n);
  double acc = 0;
  for (uint32_t i = n; i-- > 0;)
    {
      acc += (double) h[i] * h[i];
      edc[i] = acc;
    }
  double sx = 0, sy = 0, sxx = 0, sxy = 0, m = 0;
  for (uint32_t i = 0; i < n; i++)
    {
      double db = 10 * log10 (edc[i] / edc[0]);
      if (db > -5)
        continue;
      if (db < -35)
        break;
      double t = i / rate;
      sx += t;
      sy += db;
      sxx += t * t;
      sxy += t * db;
      m++;
    }
  g_free (edc);
  g_assert_cmpfloat (m, >, 100);
  double slope = (m * sxy - sx * sy) / (m * sxx - sx * sx);
  return -60 / slope;
}

static void
check_rt60 (double rate, const Settings *set)
{
  /* 1.5 RT60 is -90 dB: the cut-off end does not bend the fit. */
  uint32_t n = (uint32_t) ((1.5 * set->decay_s + 0.1) * rate);
  float *l = g_new (float, n), *r = g_new (float, n);

  impulse_response (rate, set, l, r, n);
  double rt_l = schroeder_rt60 (l, n, rate), rt_r = schroeder_rt60 (r, n, rate);
  g_test_message ("%.0f Hz, decay %.1f s, size %.1f, damping %.0f Hz: RT60 %.3f / %.3f s",
                  rate, set->decay_s, set->size, set->damping_hz, rt_l, rt_r);
  g_assert_cmpfloat (fabs (rt_l / set->decay_s - 1), <, 0.15);
  g_assert_cmpfloat (fabs (rt_r / set->decay_s - 1), <, 0.15);
  g_free (l);
  g_free (r);
}

static void
test_rt60 (void)
{
  const double rates[] = { 48000, 44100, 96000, 192000 };
  const float decays[] = { 0.2f, 0.5f, 1, 2, 5, 10 };
  for (guint ri = 0; ri < G_N_ELEMENTS (rates); ri++)
    for (guint di = 0; di < G_N_ELEMENTS (decays); di++)
      {
        Settings set = { decays[di], 0.6f, 6000, 1 };
        check_rt60 (rates[ri], &set);
      }
}

/* The damping correction holds at the ends of the damping and size ranges. */
static void
test_rt60_damped (void)
{
  const float decays[] = { 0.3f, 2, 8 };
  const float sizes[] = { 0, 1 };
  const float damping[] = { 1000, 20000 };
  for (guint di = 0; di < G_N_ELEMENTS (decays); di++)
    for (guint si = 0; si < G_N_ELEMENTS (sizes); si++)
      for (guint hi = 0; hi < G_N_ELEMENTS (damping); hi++)
        {
          Settings set = { decays[di], sizes[si], damping[hi], 1 };
          check_rt60 (48000, &set);
        }
}

static double
energy (const float *x, uint32_t from, uint32_t to)
{
  double e = 0;
  for (uint32_t i = from; i < to; i++)
    e += (double) x[i] * x[i];
  return e;
}

static void
test_tail_dies (void)
{
  const double rate = 48000;
  const float decays[] = { 0.5f, 2 };
  for (guint di = 0; di < G_N_ELEMENTS (decays); di++)
    {
      Settings set = { decays[di], 0.6f, 6000, 1 };
      uint32_t n = (uint32_t) (2.5 * set.decay_s * rate);
      float *l = g_new (float, n), *r = g_new (float, n);
      impulse_response (rate, &set, l, r, n);
      /* After 2 RT60 the level is -120 dB by definition; allow -80 dB for
       * the slower decay of the lows under the damping correction. */
      double total = energy (l, 0, n);
      uint32_t from = (uint32_t) (2 * set.decay_s * rate);
      g_assert_cmpfloat (10 * log10 (energy (l, from, n) / total), <, -80);
      g_assert_cmpfloat (10 * log10 (energy (r, from, n) / total), <, -80);
      g_free (l);
      g_free (r);
    }

  /* Much later the denormal flushing leaves exact zeros. */
  Settings set = { 0.5f, 0.6f, 6000, 1 };
  uint32_t n = (uint32_t) (15 * rate);
  float *l = g_new (float, n), *r = g_new (float, n);
  impulse_response (rate, &set, l, r, n);
  for (uint32_t i = n - (uint32_t) rate; i < n; i++)
    {
      g_assert_cmpfloat (l[i], ==, 0.0f);
      g_assert_cmpfloat (r[i], ==, 0.0f);
    }
  g_free (l);
  g_free (r);
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Power spectrum of a late window; no bin may stand more than 22 dB above
 * the median of the 128 bins around it (a local median, so the damping's
 * tilt does not count). For a dense, noise-like tail a bin's power is
 * exponentially distributed: the largest of a few thousand is about 11 dB
 * above the median; the sparser modes of the smallest size reach about
 * 20 dB. Degenerate modes ring far higher: with all eight lines of equal
 * length this measures 31 dB. */
static void
test_no_ringing (void)
{
  const double rate = 48000;
  const float sizes[] = { 0, 0.6f, 1 };
  const uint32_t fft_n = 16384, half_span = 64;

  for (guint si = 0; si < G_N_ELEMENTS (sizes); si++)
    {
      Settings set = { 2, sizes[si], 20000, 1 };
      uint32_t n = (uint32_t) (1.5 * rate) + fft_n;
      float *l = g_new (float, n), *r = g_new (float, n);
      float *in = fftwf_alloc_real (fft_n);
      fftwf_complex *out = fftwf_alloc_complex (fft_n / 2 + 1);
      fftwf_plan plan = fftwf_plan_dft_r2c_1d ((int) fft_n, in, out, FFTW_ESTIMATE);
      double *power = g_new (double, fft_n / 2 + 1), *near = g_new (double, 2 * half_span + 1);

      impulse_response (rate, &set, l, r, n);
      /* From 1.5 s on: the tail is 45 dB down. */
      for (uint32_t i = 0; i < fft_n; i++)
        in[i] = l[(uint32_t) (1.5 * rate) + i]
                * (float) (0.5 - 0.5 * cos (2 * M_PI * i / fft_n));
      fftwf_execute (plan);
      for (uint32_t b = 0; b <= fft_n / 2; b++)
        power[b] = (double) out[b][0] * out[b][0] + (double) out[b][1] * out[b][1];

      double worst = -1e9;
      uint32_t lo = (uint32_t) (100.0 / rate * fft_n), hi = (uint32_t) (15000.0 / rate * fft_n);
      lo = MAX (lo, half_span); /* the neighbourhood must start inside the spectrum */
      for (uint32_t b = lo; b < hi; b++)
        {
          memcpy (near, power + b - half_span, (2 * half_span + 1) * sizeof (double));
          qsort (near, 2 * half_span + 1, sizeof (double), cmp_double);
          worst = MAX (worst, 10 * log10 (power[b] / near[half_span]));
        }
      g_test_message ("size %.1f: largest bin %.1f dB above its neighbourhood median",
                      set.size, worst);
      g_assert_cmpfloat (worst, <, 22);
      g_assert_cmpfloat (worst, >, 3); /* it measured a spectrum */

      fftwf_destroy_plan (plan);
      fftwf_free (in);
      fftwf_free (out);
      g_free (power);
      g_free (near);
      g_free (l);
      g_free (r);
    }
}

static double
correlation (const float *a, const float *b, uint32_t n)
{
  double ab = 0, aa = 0, bb = 0;
  for (uint32_t i = 0; i < n; i++)
    {
      ab += (double) a[i] * b[i];
      aa += (double) a[i] * a[i];
      bb += (double) b[i] * b[i];
    }
  return ab / sqrt (aa * bb);
}

static void
test_width (void)
{
  const BuskerEffectClass *k = &busker_reverb_class;
  const uint32_t n = 48000;
  float *l = g_new (float, n), *r = g_new (float, n);
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);

  /* Width 0, wet only: L = R to the bit, even for a stereo input. */
  void *unit = k->create (48000, BLOCK);
  k->set_param (unit, BUSKER_REVERB_WIDTH, 0.0f);
  k->set_param (unit, BUSKER_REVERB_MIX, 1.0f);
  k->reset (unit);
  for (uint32_t i = 0; i < n; i++)
    {
      l[i] = (float) g_rand_double_range (rand, -1, 1);
      r[i] = i < n / 2 ? (float) g_rand_double_range (rand, -1, 1) : 0.0f;
    }
  for (uint32_t i = 0; i < n; i += BLOCK)
    g_assert_true (k->process (unit, l + i, r + i, MIN (BLOCK, n - i)));
  g_assert_cmpfloat (energy (l, 0, n), >, 1.0);
  g_assert_cmpint (memcmp (l, r, n * sizeof *l), ==, 0);
  k->destroy (unit);

  /* Width 1: the impulse response's L and R are nearly uncorrelated. */
  Settings set = { 2, 0.6f, 6000, 1 };
  impulse_response (48000, &set, l, r, n);
  double c = correlation (l + 2400, r + 2400, n - 2400);
  g_test_message ("L/R correlation of the tail at width 1: %.3f", c);
  g_assert_cmpfloat (fabs (c), <, 0.2);
  g_free (l);
  g_free (r);
}

static long
first_sound (const float *x, uint32_t n)
{
  for (uint32_t i = 0; i < n; i++)
    if (x[i] != 0.0f)
      return i;
  return -1;
}

/* The pre-delay moves the whole response by exactly its length; mix 0 is
 * the dry signal to the bit. */
static void
test_predelay_and_mix (void)
{
  const BuskerEffectClass *k = &busker_reverb_class;
  const double rates[] = { 44100, 48000, 192000 };
  for (guint ri = 0; ri < G_N_ELEMENTS (rates); ri++)
    {
      uint32_t n = (uint32_t) (0.4 * rates[ri]);
      float *l = g_new (float, n), *r = g_new (float, n);
      long onset[2];
      const float predelay_ms[2] = { 0, 150 };
      for (int p = 0; p < 2; p++)
        {
          void *unit = k->create (rates[ri], BLOCK);
          k->set_param (unit, BUSKER_REVERB_PREDELAY_MS, predelay_ms[p]);
          k->set_param (unit, BUSKER_REVERB_MIX, 1.0f);
          k->reset (unit);
          memset (l, 0, n * sizeof *l);
          memset (r, 0, n * sizeof *r);
          l[0] = r[0] = 1.0f;
          for (uint32_t i = 0; i < n; i += BLOCK)
            g_assert_true (k->process (unit, l + i, r + i, MIN (BLOCK, n - i)));
          onset[p] = first_sound (l, n);
          k->destroy (unit);
        }
      g_assert_cmpint (onset[0], >, 0);
      g_assert_cmpint (onset[1] - onset[0], ==, lround (0.150 * rates[ri]));

      g_autoptr (GRand) rand = g_rand_new_with_seed (9);
      float *l0 = g_new (float, n), *r0 = g_new (float, n);
      void *unit = k->create (rates[ri], BLOCK);
      k->set_param (unit, BUSKER_REVERB_MIX, 0.0f);
      k->reset (unit);
      for (uint32_t i = 0; i < n; i++)
        {
          l[i] = l0[i] = (float) g_rand_double_range (rand, -1, 1);
          r[i] = r0[i] = (float) g_rand_double_range (rand, -1, 1);
        }
      for (uint32_t i = 0; i < n; i += BLOCK)
        g_assert_true (k->process (unit, l + i, r + i, MIN (BLOCK, n - i)));
      g_assert_cmpint (memcmp (l, l0, n * sizeof *l), ==, 0);
      g_assert_cmpint (memcmp (r, r0, n * sizeof *r), ==, 0);
      k->destroy (unit);
      g_free (l0);
      g_free (r0);
      g_free (l);
      g_free (r);
    }
}

/* A 500 Hz sine through the reverb (wet only) makes a quasi-sine whose
 * largest sample step is bounded by its slope. Moving size (new read taps),
 * pre-delay, decay and damping while it plays must not step further than
 * it did before: a jumped read tap would step by about the amplitude,
 * ten times the slope bound. */
static void
test_parameter_changes_no_click (void)
{
  const BuskerEffectClass *k = &busker_reverb_class;
  const double rate = 48000;
  const uint32_t n = (uint32_t) (4 * rate), second = (uint32_t) rate;
  float *l = g_new (float, n), *r = g_new (float, n);
  const struct {
    uint32_t at;
    uint32_t index;
    float value;
  } moves[] = {
    { 2 * second, BUSKER_REVERB_SIZE, 0.1f },
    { 2 * second + second / 4, BUSKER_REVERB_PREDELAY_MS, 150 },
    { 2 * second + second / 2, BUSKER_REVERB_DECAY_S, 0.7f },
    { 2 * second + second / 2, BUSKER_REVERB_DAMPING_HZ, 2000 },
    { 3 * second, BUSKER_REVERB_SIZE, 1 },
    { 3 * second + second / 4, BUSKER_REVERB_PREDELAY_MS, 0 },
  };
  void *unit = k->create (rate, BLOCK);

  k->set_param (unit, BUSKER_REVERB_MIX, 1.0f);
  k->reset (unit);
  for (uint32_t i = 0; i < n; i++)
    l[i] = r[i] = (float) (0.5 * sin (2 * M_PI * 500 * i / rate));
  guint next = 0;
  for (uint32_t i = 0; i < n; i += BLOCK)
    {
      while (next < G_N_ELEMENTS (moves) && moves[next].at <= i)
        {
          k->set_param (unit, moves[next].index, moves[next].value);
          next++;
        }
      g_assert_true (k->process (unit, l + i, r + i, BLOCK));
    }

  /* Steps relative to the local level (RMS over 20 ms around), so a
   * louder or quieter tail after a change does not count. */
  double before = 0, after = 0;
  const uint32_t half = (uint32_t) (0.01 * rate);
  for (uint32_t i = second; i < n - half; i++)
    {
      double step = MAX (fabsf (l[i] - l[i - 1]), fabsf (r[i] - r[i - 1]));
      double rms = sqrt ((energy (l, i - half, i + half) + energy (r, i - half, i + half))
                         / (4.0 * half));
      if (i < 2 * second)
        before = MAX (before, step / rms);
      else
        after = MAX (after, step / rms);
    }
  g_test_message ("largest step / local RMS: %.3f before the moves, %.3f after", before, after);
  g_assert_cmpfloat (after, <, 1.5 * before);
  k->destroy (unit);
  g_free (l);
  g_free (r);
}

/* Line lengths are distinct primes (so mutually prime) and grow with size. */
static void
test_line_lengths (void)
{
  const double rates[] = { 44100, 48000, 96000, 192000 };
  for (guint ri = 0; ri < G_N_ELEMENTS (rates); ri++)
    {
      BuskerReverb *rv = busker_reverb_new (rates[ri]);
      uint32_t small[BUSKER_REVERB_N_LINES], big[BUSKER_REVERB_N_LINES];
      busker_reverb_set_size (rv, 0);
      busker_reverb_get_line_frames (rv, small);
      busker_reverb_set_size (rv, 1);
      busker_reverb_get_line_frames (rv, big);
      for (int i = 0; i < BUSKER_REVERB_N_LINES; i++)
        {
          for (uint32_t d = 2; d * d <= big[i]; d++)
            g_assert_cmpuint (big[i] % d, !=, 0);
          for (uint32_t d = 2; d * d <= small[i]; d++)
            g_assert_cmpuint (small[i] % d, !=, 0);
          for (int j = 0; j < i; j++)
            g_assert_cmpuint (big[j], <, big[i]);
          g_assert_cmpuint (small[i] * 2, <, big[i]);
        }
      busker_reverb_free (rv);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reverb/line-lengths", test_line_lengths);
  g_test_add_func ("/reverb/rt60", test_rt60);
  g_test_add_func ("/reverb/rt60-damped", test_rt60_damped);
  g_test_add_func ("/reverb/tail-dies", test_tail_dies);
  g_test_add_func ("/reverb/no-ringing", test_no_ringing);
  g_test_add_func ("/reverb/width", test_width);
  g_test_add_func ("/reverb/predelay-and-mix", test_predelay_and_mix);
  g_test_add_func ("/reverb/parameter-changes-no-click", test_parameter_changes_no_click);
  return g_test_run ();
}
