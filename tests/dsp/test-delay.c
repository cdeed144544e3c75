/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Delay: the first repeat of an impulse starts at exactly time_ms (and at
 * the note length for a synced delay: 60000 / bpm * quarters); repeat n of
 * a band-limited burst has amplitude feedback^n with the filters open and
 * feedback^n |H(f)|^(n+1) with a high cut (|H| from the Butterworth
 * formula); ping-pong alternates channels; a time change while a sine
 * plays moves the output no faster than the sine itself does.
 */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "dsp/delay.h"
#include "dsp/params.h"

#define BLOCK 256

static void
run (const BuskerEffectClass *k, void *unit, float *l, float *r, uint32_t n)
{
  for (uint32_t i = 0; i < n; i += BLOCK)
    g_assert_true (k->process (unit, l + i, r + i, MIN (BLOCK, n - i)));
}

static void *
make (double rate, float time_ms, float feedback, float mix)
{
  const BuskerEffectClass *k = &busker_delay_class;
  void *unit = k->create (rate, BLOCK);
  k->set_param (unit, BUSKER_DELAY_TIME_MS, time_ms);
  k->set_param (unit, BUSKER_DELAY_FEEDBACK, feedback);
  k->set_param (unit, BUSKER_DELAY_MIX, mix);
  k->reset (unit); /* settle every parameter */
  return unit;
}

static void
open_filters (void *unit)
{
  busker_delay_class.set_param (unit, BUSKER_DELAY_LOW_CUT_HZ, 20.0f);
  busker_delay_class.set_param (unit, BUSKER_DELAY_HIGH_CUT_HZ, 20000.0f);
  busker_delay_class.reset (unit);
}

/* Index of the first sample whose magnitude exceeds 1e-9, or -1. */
static long
first_sound (const float *x, uint32_t n)
{
  for (uint32_t i = 0; i < n; i++)
    if (fabsf (x[i]) > 1e-9f)
      return i;
  return -1;
}

static long
arg_max (const float *x, uint32_t n)
{
  long best = 0;
  for (uint32_t i = 1; i < n; i++)
    if (fabsf (x[i]) > fabsf (x[best]))
      best = i;
  return best;
}

/* Impulse at frame 0, wet only, no feedback: where does it come back? */
static void
check_impulse (double rate, void *unit, long expected, gboolean open)
{
  uint32_t n = (uint32_t) expected + (uint32_t) (0.1 * rate);
  float *l = g_new0 (float, n), *r = g_new0 (float, n);
  l[0] = r[0] = 1.0f;
  run (&busker_delay_class, unit, l, r, n);
  g_assert_cmpint (first_sound (l, n), ==, expected);
  g_assert_cmpint (first_sound (r, n), ==, expected);
  if (open)
    {
      /* The 20 kHz Butterworth high cut, h(t) ~ exp(-at) sin(at) with
       * a = 2 pi fc / sqrt 2, peaks at t = pi / 4a = sqrt 2 / (8 fc). */
      long lag = (long) ceil (M_SQRT2 / (8 * 20000.0) * rate);
      g_assert_cmpint (arg_max (l, n), >=, expected);
      g_assert_cmpint (arg_max (l, n), <=, expected + lag);
    }
  g_free (l);
  g_free (r);
}

static void
test_time (void)
{
  const double rates[] = { 44100, 48000, 96000, 192000 };
  const float times_ms[] = { 1, 250, 375, 1000, 4000 };
  for (guint ri = 0; ri < G_N_ELEMENTS (rates); ri++)
    for (guint ti = 0; ti < G_N_ELEMENTS (times_ms); ti++)
      {
        long expected = lround (times_ms[ti] * rates[ri] / 1000.0);
        void *unit = make (rates[ri], times_ms[ti], 0.0f, 1.0f);
        check_impulse (rates[ri], unit, expected, FALSE); /* default filters */
        busker_delay_class.destroy (unit);
        unit = make (rates[ri], times_ms[ti], 0.0f, 1.0f);
        open_filters (unit);
        check_impulse (rates[ri], unit, expected, TRUE);
        busker_delay_class.destroy (unit);
      }
}

static int
sync_index (const char *name)
{
  const char *const *c = busker_delay_params[BUSKER_DELAY_SYNC].choices;
  for (int i = 0; c[i]; i++)
    if (strcmp (c[i], name) == 0)
      return i;
  g_assert_not_reached ();
}

static void
test_sync (void)
{
  const struct {
    const char *note;
    float bpm;
    double ms; /* by hand: a quarter lasts 60000 / bpm ms */
  } cases[] = {
    { "1/8d", 120, 375 },     /* 3/4 of 500 */
    { "1/4", 120, 500 },
    { "1/4t", 100, 400 },     /* 2/3 of 600 */
    { "1/16", 90, 166.6667 }, /* 1/4 of 666.67 */
    { "1/2d", 140, 1285.714 },
    { "1/1", 30, 4000 },      /* 8 s, clamped to the 4 s maximum */
  };
  const double rate = 48000;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      void *unit = make (rate, 1000.0f, 0.0f, 1.0f);
      busker_delay_class.set_param (unit, BUSKER_DELAY_SYNC, sync_index (cases[i].note));
      busker_delay_class.set_tempo (unit, cases[i].bpm);
      busker_delay_class.reset (unit);
      check_impulse (rate, unit, lround (cases[i].ms * rate / 1000), FALSE);
      busker_delay_class.destroy (unit);
    }
}

/* Hann-windowed burst of freq_hz lasting burst_s, fed in both channels;
 * returns the RMS amplitude of each repeat window (1 for the burst). */
static void
echo_peaks (double rate, float time_ms, float feedback, float high_cut_hz,
            double freq_hz, double burst_s, double *peaks, int n_echoes)
{
  const BuskerEffectClass *k = &busker_delay_class;
  uint32_t d = (uint32_t) lround (time_ms * rate / 1000);
  uint32_t n = d * (n_echoes + 1);
  uint32_t burst = (uint32_t) (burst_s * rate);
  float *l = g_new0 (float, n), *r = g_new0 (float, n);
  void *unit = make (rate, time_ms, feedback, 1.0f);

  open_filters (unit);
  if (high_cut_hz > 0)
    {
      k->set_param (unit, BUSKER_DELAY_HIGH_CUT_HZ, high_cut_hz);
      k->reset (unit);
    }
  double burst_energy = 0;
  for (uint32_t i = 0; i < burst; i++)
    {
      l[i] = r[i] = (float) (0.5 * (1 - cos (2 * M_PI * i / burst)) * sin (2 * M_PI * freq_hz * i / rate));
      burst_energy += (double) l[i] * l[i];
    }
  run (k, unit, l, r, n);
  for (int e = 0; e < n_echoes; e++)
    {
      /* Energy, not the peak sample, which depends on where the samples
       * fall on the crest. */
      double energy = 0;
      for (uint32_t i = d * (e + 1); i < d * (e + 2); i++)
        energy += (double) l[i] * l[i];
      peaks[e] = sqrt (energy / burst_energy);
    }
  k->destroy (unit);
  g_free (l);
  g_free (r);
}

static void
test_feedback (void)
{
  const float feedbacks[] = { 0.3f, 0.7f, 0.95f };
  double peaks[12];

  for (guint f = 0; f < G_N_ELEMENTS (feedbacks); f++)
    {
      echo_peaks (48000, 100, feedbacks[f], 0, 1000, 0.02, peaks, 12);
      for (int e = 0; e < 12; e++)
        g_assert_cmpfloat_with_epsilon (peaks[e] / pow (feedbacks[f], e), 1.0, 0.01);
    }

  /* High cut at 4 kHz, burst at 6 kHz: each pass through the loop scales
   * by the 2nd-order Butterworth |H| = 1 / sqrt (1 + (f/fc)^4) (bilinear:
   * with prewarped frequencies). */
  const double rate = 48000, fc = 4000, f = 6000;
  double wf = tan (M_PI * f / rate), wc = tan (M_PI * fc / rate);
  double h = 1 / sqrt (1 + pow (wf / wc, 4));
  /* A long burst keeps its spectrum narrow around f. */
  echo_peaks (rate, 300, 0.9f, (float) fc, f, 0.2, peaks, 5);
  for (int e = 0; e < 5; e++)
    g_assert_cmpfloat_with_epsilon (peaks[e] / (pow (0.9, e) * pow (h, e + 1)), 1.0, 0.02);
}

static double
window_rms (const float *x, uint32_t from, uint32_t to)
{
  double e = 0;
  for (uint32_t i = from; i < to; i++)
    e += (double) x[i] * x[i];
  return sqrt (e);
}

static void
test_ping_pong (void)
{
  const BuskerEffectClass *k = &busker_delay_class;
  const double rate = 48000;
  const uint32_t d = 4800, n = d * 7, burst = 960;
  float *l = g_new0 (float, n), *r = g_new0 (float, n);
  void *unit = make (rate, 100, 0.5f, 1.0f);

  open_filters (unit);
  k->set_param (unit, BUSKER_DELAY_PING_PONG, 1);
  k->reset (unit);
  /* A centred 1 kHz burst. */
  for (uint32_t i = 0; i < burst; i++)
    l[i] = r[i] = (float) (0.5 * (1 - cos (2 * M_PI * i / burst)) * sin (2 * M_PI * 1000 * i / rate));
  double in_rms = window_rms (l, 0, burst);
  run (k, unit, l, r, n);
  for (uint32_t e = 1; e < 6; e++)
    {
      /* Odd repeats on the left, even ones on the right, the other
       * channel silent; amplitude feedback^(e-1). */
      const float *on = e % 2 ? l : r, *off = e % 2 ? r : l;
      double expected = in_rms * pow (0.5, e - 1);
      g_assert_cmpfloat (window_rms (off, e * d, (e + 1) * d), <, 1e-4 * expected);
      g_assert_cmpfloat_with_epsilon (window_rms (on, e * d, (e + 1) * d) / expected, 1.0, 0.01);
    }
  g_assert_cmpfloat (window_rms (l, 0, d), ==, 0.0);
  g_assert_cmpfloat (window_rms (r, 0, 2 * d), ==, 0.0);
  k->destroy (unit);
  g_free (l);
  g_free (r);
}

/* A 1 kHz sine at 48 kHz; delays of 300 ms and 123.25 ms put its copies a
 * quarter period apart, so jumping a read head would step by 0.35 (at
 * amplitude 0.5) against the sine's own largest step of 0.065. */
static void
test_time_change_no_click (void)
{
  const BuskerEffectClass *k = &busker_delay_class;
  const double rate = 48000, amp = 0.5, freq = 1000;
  const uint32_t n = 48000 * 3;
  const float times_ms[] = { 300, 123.25f, 2000.5f, 301, 300.5f };
  float *l = g_new0 (float, n), *r = g_new0 (float, n);

  for (guint mode = 0; mode < 2; mode++)
    {
      void *unit = make (rate, 300, mode ? 0.5f : 0.0f, mode ? 0.5f : 1.0f);
      for (uint32_t i = 0; i < n; i++)
        l[i] = r[i] = (float) (amp * sin (2 * M_PI * freq * i / rate));
      for (uint32_t b = 0; b * BLOCK < n; b++)
        {
          /* From 0.5 s on, change the time every 0.25 s; in the second
           * mode also sweep it a little every block. */
          uint32_t t = b * BLOCK;
          if (t >= 24000 && t % 12000 < BLOCK)
            k->set_param (unit, BUSKER_DELAY_TIME_MS, times_ms[(t / 12000) % 5]);
          else if (mode && t >= 24000)
            k->set_param (unit, BUSKER_DELAY_TIME_MS, 300.0f + (float) (t % 12000) / 1000.0f);
          g_assert_true (k->process (unit, l + t, r + t, MIN (BLOCK, n - t)));
        }
      /* Largest step the signal may take: the sine's own times the largest
       * sum of amplitudes (wet 1; or dry 0.5 + wet 0.5 / (1 - 0.5)). */
      double slope = amp * 2 * sin (M_PI * freq / rate) * (mode ? 1.5 : 1.0);
      double max_step = 0;
      for (uint32_t i = 1; i < n; i++)
        max_step = MAX (max_step, fabsf (l[i] - l[i - 1]));
      g_assert_cmpfloat (max_step, <, 1.1 * slope);
      g_assert_cmpfloat (max_step, >, 0.5 * slope); /* it did play */
      k->destroy (unit);
    }
  g_free (l);
  g_free (r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/delay/time", test_time);
  g_test_add_func ("/delay/sync", test_sync);
  g_test_add_func ("/delay/feedback", test_feedback);
  g_test_add_func ("/delay/ping-pong", test_ping_pong);
  g_test_add_func ("/delay/time-change-no-click", test_time_change_no_click);
  return g_test_run ();
}
