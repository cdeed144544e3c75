/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Meters: loudness against libebur128 (within 0.1 LU; the light
 * integrated meter of k-weighting.h within 0.02 LU), true peak against
 * an 8x FFT interpolation, sample peak and RMS against formulas,
 * correlation of identical, inverted and independent channels. */
#include <ebur128.h>
#include <glib.h>
#include <math.h>

#include "dsp/k-weighting.h"
#include "dsp/meters.h"
#include "spectrum-check.h"

typedef struct {
  double freq_hz, amp_l, amp_r; /* a sine; freq 0: noise */
  bool pink;
} Segment;

/* Fills l, r with segs, each seconds long. */
static void
generate (float *l, float *r, double rate, const Segment *segs, int n_segs,
          double seconds, guint32 seed)
{
  GRand *rng = g_rand_new_with_seed (seed);
  int len = (int) (seconds * rate);
  double b[2][3] = { { 0 } };
  for (int s = 0; s < n_segs; s++)
    for (int i = 0; i < len; i++)
      {
        int k = s * len + i;
        const Segment *g = &segs[s];
        if (g->freq_hz > 0)
          {
            l[k] = g->amp_l * sin (2 * M_PI * g->freq_hz * k / rate);
            r[k] = g->amp_r * sin (2 * M_PI * g->freq_hz * k / rate + 0.7);
            continue;
          }
        for (int ch = 0; ch < 2; ch++)
          {
            double w = g_rand_double_range (rng, -1.0, 1.0);
            double v = w;
            if (g->pink)
              {
                /* three one-pole sections: roughly -3 dB/octave */
                b[ch][0] = 0.99765 * b[ch][0] + w * 0.0990460;
                b[ch][1] = 0.96300 * b[ch][1] + w * 0.2965164;
                b[ch][2] = 0.57000 * b[ch][2] + w * 1.0526913;
                v = (b[ch][0] + b[ch][1] + b[ch][2] + w * 0.1848) * 0.25;
              }
            (ch ? r : l)[k] = v * (ch ? g->amp_r : g->amp_l);
          }
      }
  g_rand_free (rng);
}

static void
compare_with_ebur128 (double rate, const Segment *segs, int n_segs, double seconds,
                      const char *what)
{
  int total = (int) (seconds * rate) * n_segs;
  g_autofree float *l = g_new (float, total);
  g_autofree float *r = g_new (float, total);
  g_autofree float *il = g_new (float, 2 * total);
  generate (l, r, rate, segs, n_segs, seconds, 1234);
  for (int i = 0; i < total; i++)
    {
      il[2 * i] = l[i];
      il[2 * i + 1] = r[i];
    }
  ebur128_state *st = ebur128_init (2, (unsigned long) rate,
                                    EBUR128_MODE_M | EBUR128_MODE_S | EBUR128_MODE_I
                                    | EBUR128_MODE_LRA);
  g_assert_nonnull (st);
  g_assert_cmpint (ebur128_add_frames_float (st, il, total), ==, EBUR128_SUCCESS);
  double m, s, i, lra;
  ebur128_loudness_momentary (st, &m);
  ebur128_loudness_shortterm (st, &s);
  ebur128_loudness_global (st, &i);
  ebur128_loudness_range (st, &lra);
  ebur128_destroy (&st);

  BuskerMeter *meter = busker_meter_new (rate);
  BuskerGatedLoudness *gated = busker_gated_loudness_new (rate);
  for (int done = 0, b = 1; done < total; b = (b * 5 + 1) % 1024 + 1)
    {
      int k = MIN (b, total - done);
      g_assert_true (busker_meter_process (meter, l + done, r + done, k));
      busker_gated_loudness_add (gated, l + done, r + done, (uint32_t) k);
      done += k;
    }
  double gi = busker_gated_loudness_integrated (gated);
  busker_gated_loudness_free (gated);
  g_test_message ("%s @%.0f: light integrated %.3f, libebur128 %.3f", what, rate, gi, i);
  g_assert_cmpfloat (fabs (gi - i), <=, 0.02);
  BuskerMeterReadout out;
  busker_meter_read (meter, &out);
  busker_meter_free (meter);
  g_test_message ("%s @%.0f: M %.2f/%.2f S %.2f/%.2f I %.2f/%.2f LRA %.2f/%.2f", what, rate,
                  out.momentary_lufs, m, out.short_term_lufs, s, out.integrated_lufs, i,
                  out.loudness_range_lu, lra);
  g_assert_cmpfloat (fabs (out.momentary_lufs - m), <=, 0.1);
  g_assert_cmpfloat (fabs (out.short_term_lufs - s), <=, 0.1);
  g_assert_cmpfloat (fabs (out.integrated_lufs - i), <=, 0.1);
  g_assert_cmpfloat (fabs (out.loudness_range_lu - lra), <=, 0.1);
}

/* The light meter's short-term maximum against libebur128's short-term
 * loudness read after every 100 ms: a sine stepping up and down. */
static void
test_light_short_term_max (void)
{
  const double rate = 48000;
  const Segment segs[] = { { 440, 0.1, 0.1 }, { 0, 0.3, 0.2 }, { 1000, 0.05, 0.05 } };
  int total = (int) (4.0 * rate) * 3;
  g_autofree float *l = g_new (float, total);
  g_autofree float *r = g_new (float, total);
  g_autofree float *il = g_new (float, 2 * total);
  generate (l, r, rate, segs, 3, 4.0, 99);
  for (int i = 0; i < total; i++)
    {
      il[2 * i] = l[i];
      il[2 * i + 1] = r[i];
    }
  ebur128_state *st = ebur128_init (2, (unsigned long) rate, EBUR128_MODE_S);
  BuskerGatedLoudness *gated = busker_gated_loudness_new (rate);
  double best = -INFINITY;
  for (int done = 0; done < total; done += 4800)
    {
      double v;
      g_assert_cmpint (ebur128_add_frames_float (st, il + 2 * done, 4800), ==, EBUR128_SUCCESS);
      busker_gated_loudness_add (gated, l + done, r + done, 4800);
      if (done + 4800 >= 3 * 48000 && ebur128_loudness_shortterm (st, &v) == EBUR128_SUCCESS)
        best = MAX (best, v);
    }
  double mine = busker_gated_loudness_short_term_max (gated);
  ebur128_destroy (&st);
  busker_gated_loudness_free (gated);
  g_test_message ("short-term max %.3f LUFS, libebur128 %.3f", mine, best);
  g_assert_cmpfloat (fabs (mine - best), <=, 0.02);
}

static void
test_loudness_sines (void)
{
  static const double rates[] = { 44100, 48000, 96000 };
  static const double freqs[] = { 60, 440, 997, 3000, 10000 };
  for (guint ri = 0; ri < G_N_ELEMENTS (rates); ri++)
    for (guint f = 0; f < G_N_ELEMENTS (freqs); f++)
      {
        /* three levels in a row: gating and a loudness range to measure */
        Segment segs[] = {
          { freqs[f], 0.5, 0.5 },
          { freqs[f], 0.05, 0.1 },
          { freqs[f], 0.2, 0.02 },
        };
        compare_with_ebur128 (rates[ri], segs, 3, 4.0, "sines");
      }
}

static void
test_loudness_noise (void)
{
  Segment segs[] = {
    { 0, 0.3, 0.3, true },
    { 0, 0.03, 0.01, true },
    { 0, 0.0001, 0.0001, false }, /* under the absolute gate */
    { 0, 0.5, 0.1, false },
    { 0, 0.1, 0.4, true },
  };
  compare_with_ebur128 (48000, segs, G_N_ELEMENTS (segs), 5.0, "noise");
  compare_with_ebur128 (44100, segs, G_N_ELEMENTS (segs), 5.0, "noise");
}

static void
test_peaks (void)
{
  const double rate = 48000;
  static const double freqs[] = { 997, 5000, 12000, 15000 };
  for (guint f = 0; f < G_N_ELEMENTS (freqs); f++)
    for (double ph = 0.0; ph < 1.6; ph += 0.39)
      {
        const int n = 48000;
        g_autofree float *l = g_new (float, n);
        g_autofree float *r = g_new (float, n);
        float want_peak = 0.0f;
        for (int i = 0; i < n; i++)
          {
            /* fade in and out so the FFT check sees no wrap step */
            double env = fmin (1.0, fmin (i, n - 1 - i) / 2000.0);
            l[i] = 0.8 * env * sin (2 * M_PI * freqs[f] * i / rate + ph);
            r[i] = 0.5f * l[i];
            want_peak = fmaxf (want_peak, fabsf (l[i]));
          }
        BuskerMeter *m = busker_meter_new (rate);
        g_assert_true (busker_meter_process (m, l, r, n));
        BuskerMeterReadout out;
        busker_meter_read (m, &out);
        g_assert_cmpfloat (out.peak[0], ==, want_peak);
        double tp_ref = 20 * log10 (true_peak_8x (l, n));
        double tp = 20 * log10 (out.true_peak[0]);
        g_test_message ("%.0f Hz phase %.2f: true peak %.3f dB, 8x %.3f dB", freqs[f], ph,
                        tp, tp_ref);
        g_assert_cmpfloat (fabs (tp - tp_ref), <, 0.25);
        g_assert_cmpfloat (fabs (out.true_peak[1] - 0.5f * out.true_peak[0]), <, 1e-5);
        g_assert_cmpfloat (out.true_peak_max, ==, out.true_peak[0]);
        /* a read starts new peaks */
        busker_meter_read (m, &out);
        g_assert_cmpfloat (out.peak[0], ==, 0.0f);
        g_assert_cmpfloat (out.true_peak_max, >, 0.0f);
        busker_meter_free (m);
      }
}

static void
test_rms_correlation (void)
{
  const double rate = 48000;
  const int n = 4 * 48000; /* > 10 time constants of the 300 ms averages */
  g_autofree float *l = g_new (float, n);
  g_autofree float *r = g_new (float, n);
  GRand *rng = g_rand_new_with_seed (3);
  for (int mode = 0; mode < 3; mode++)
    {
      for (int i = 0; i < n; i++)
        {
          l[i] = 0.5 * sin (2 * M_PI * 440.0 * i / rate);
          r[i] = mode == 0 ? l[i] : mode == 1 ? -l[i] : g_rand_double_range (rng, -0.5, 0.5);
          if (mode == 2)
            l[i] = g_rand_double_range (rng, -0.5, 0.5);
        }
      BuskerMeter *m = busker_meter_new (rate);
      busker_meter_set_gain_reduction_db (m, 3.5f);
      g_assert_true (busker_meter_process (m, l, r, n));
      BuskerMeterReadout out;
      busker_meter_read (m, &out);
      g_test_message ("mode %d: correlation %.4f rms %.3f", mode, out.correlation, out.rms_db[0]);
      if (mode == 0)
        g_assert_cmpfloat (out.correlation, >, 0.999);
      else if (mode == 1)
        g_assert_cmpfloat (out.correlation, <, -0.999);
      else
        g_assert_cmpfloat (fabs (out.correlation), <, 0.05);
      if (mode < 2) /* sine of 0.5: -9.03 dB */
        g_assert_cmpfloat (fabs (out.rms_db[0] - 20 * log10 (0.5 / sqrt (2))), <, 0.05);
      else /* uniform in +-0.5: rms 0.5 / sqrt 3 */
        g_assert_cmpfloat (fabs (out.rms_db[0] - 20 * log10 (0.5 / sqrt (3))), <, 0.3);
      g_assert_cmpfloat (out.gain_reduction_db, ==, 3.5f);
      busker_meter_free (m);
    }
  g_rand_free (rng);
}

static void
test_nan (void)
{
  /* a NaN block is refused and ignored: the integrated loudness equals
   * that of the clean blocks alone */
  const double rate = 48000;
  BuskerMeter *m = busker_meter_new (rate);
  BuskerMeter *clean = busker_meter_new (rate);
  float l[480], r[480];
  for (int b = 0; b < 600; b++)
    {
      for (int i = 0; i < 480; i++)
        l[i] = r[i] = 0.25 * sin (2 * M_PI * 1000.0 * (b * 480 + i) / rate);
      g_assert_true (busker_meter_process (clean, l, r, 480));
      g_assert_true (busker_meter_process (m, l, r, 480));
      if (b % 100 == 50)
        {
          l[7] = b % 200 == 50 ? NAN : INFINITY;
          g_assert_false (busker_meter_process (m, l, r, 480));
        }
    }
  BuskerMeterReadout a, c;
  busker_meter_read (m, &a);
  busker_meter_read (clean, &c);
  g_assert_true (isfinite (a.integrated_lufs) && isfinite (a.momentary_lufs));
  g_assert_cmpfloat (a.integrated_lufs, ==, c.integrated_lufs);
  g_assert_cmpfloat (a.true_peak_max, ==, c.true_peak_max);
  busker_meter_free (m);
  busker_meter_free (clean);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/meters/loudness-sines", test_loudness_sines);
  g_test_add_func ("/meters/loudness-noise", test_loudness_noise);
  g_test_add_func ("/meters/light-short-term-max", test_light_short_term_max);
  g_test_add_func ("/meters/peaks", test_peaks);
  g_test_add_func ("/meters/rms-correlation", test_rms_correlation);
  g_test_add_func ("/meters/nan", test_nan);
  return g_test_run ();
}
