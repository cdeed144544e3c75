/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The compressor against its formulas: the static curve (restated here)
 * measured with steady sines, attack and release times measured on level
 * steps, makeup, parallel mix, stereo link and the sidechain filter.
 */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "dsp/compressor.h"

/* The quadratic soft-knee curve (Giannoulis, Massberg, Reiss 2012),
 * restated: output level for input level x. */
static double
curve_out_db (double x, double thr, double ratio, double knee)
{
  if (2 * (x - thr) < -knee)
    return x;
  if (knee > 0 && 2 * fabs (x - thr) <= knee)
    return x + (1 / ratio - 1) * pow (x - thr + knee / 2, 2) / (2 * knee);
  return thr + (x - thr) / ratio;
}

static void
set (BuskerCompressor *c, int idx, double v)
{
  busker_compressor_set_param (c, idx, (float) v);
}

static void
run (BuskerCompressor *c, float *l, float *r, int n)
{
  for (int off = 0; off < n; off += 256)
    g_assert_true (busker_compressor_process (c, l + off, r + off, MIN (256, n - off)));
}

/* Amplitude of the sine of frequency f in x[from, from+len), len a whole
 * number of periods. */
static double
sine_amp (const float *x, int from, int len, double f, double fs)
{
  double cs = 0, sn = 0;
  for (int i = from; i < from + len; i++)
    {
      double ph = 2 * M_PI * f * i / fs;
      cs += x[i] * cos (ph);
      sn += x[i] * sin (ph);
    }
  return 2 * sqrt (cs * cs + sn * sn) / len;
}

typedef struct {
  double thr, ratio, knee;
  BuskerDetector det;
} CurveCase;

static void
test_static_curve (void)
{
  static const CurveCase cases[] = {
    { -20, 4, 6, BUSKER_DETECTOR_PEAK },
    { -30, 2, 0, BUSKER_DETECTOR_PEAK },
    { -12, 10, 12, BUSKER_DETECTOR_PEAK },
    { -20, 4, 6, BUSKER_DETECTOR_RMS },
    { -40, 1.5, 24, BUSKER_DETECTOR_RMS },
  };
  const double fs = 48000, f = 1000;
  const int n = 24000, tail = 4800; /* measure the last 100 ms */
  float *l = g_new (float, n), *r = g_new (float, n);

  for (guint ci = 0; ci < G_N_ELEMENTS (cases); ci++)
    for (double level = -60; level <= 0; level += 2)
      {
        const CurveCase *cc = &cases[ci];
        BuskerCompressor *c = busker_compressor_new (fs);
        set (c, BUSKER_COMP_THRESHOLD_DB, cc->thr);
        set (c, BUSKER_COMP_RATIO, cc->ratio);
        set (c, BUSKER_COMP_KNEE_DB, cc->knee);
        set (c, BUSKER_COMP_DETECTOR, cc->det);
        set (c, BUSKER_COMP_ATTACK_MS, 1);
        set (c, BUSKER_COMP_RELEASE_MS, 2000);
        busker_compressor_reset (c);
        double amp = pow (10, level / 20);
        for (int i = 0; i < n; i++)
          l[i] = r[i] = (float) (amp * sin (2 * M_PI * f * i / fs));
        run (c, l, r, n);
        double gain_db = 20 * log10 (sine_amp (l, n - tail, tail, f, fs) / amp);
        /* Peak detector sees the amplitude, RMS the amplitude - 3.01 dB. */
        double x = cc->det == BUSKER_DETECTOR_RMS ? level - 10 * log10 (2) : level;
        double want = curve_out_db (x, cc->thr, cc->ratio, cc->knee) - x;
        if (fabs (gain_db - want) > 0.1)
          g_error ("thr %.0f ratio %.1f knee %.0f det %d at %.0f dB: gain %.3f dB, curve %.3f dB",
                   cc->thr, cc->ratio, cc->knee, cc->det, level, gain_db, want);
        /* The readout agrees with the measurement. */
        g_assert_cmpfloat_with_epsilon (busker_compressor_gain_reduction_db (c), -want, 0.1);
        busker_compressor_free (c);
      }
  g_free (l);
  g_free (r);
}

/* Time in ms for the gain (in dB) to cover 1 - 1/e of its change after a
 * step at sample `at`. DC input makes the gain readable sample by sample. */
static double
time_constant_ms (const float *out, const float *in, int at, int end, double fs)
{
  double g0 = 20 * log10 (out[at - 1] / in[at - 1]);
  double g1 = 20 * log10 (out[end - 1] / in[end - 1]);
  double mark = g0 + (1 - exp (-1)) * (g1 - g0);
  for (int i = at; i < end; i++)
    {
      double g = 20 * log10 (out[i] / in[i]);
      if ((g1 < g0 && g <= mark) || (g1 > g0 && g >= mark))
        return (i - at + 1) * 1000.0 / fs;
    }
  return INFINITY;
}

static void
test_attack_release (void)
{
  static const double rates[] = { 44100, 96000 };
  static const double times[][2] = { { 10, 300 }, { 2, 100 }, { 30, 1000 } };
  for (guint ri = 0; ri < G_N_ELEMENTS (rates); ri++)
    for (guint ti = 0; ti < G_N_ELEMENTS (times); ti++)
      {
        double fs = rates[ri], att = times[ti][0], rel = times[ti][1];
        int step = (int) (0.2 * fs), back = step + (int) (att * 20e-3 * fs);
        int n = back + (int) (rel * 15e-3 * fs);
        float *l = g_new (float, n), *r = g_new (float, n), *in = g_new (float, n);
        for (int i = 0; i < n; i++)
          in[i] = l[i] = r[i] = i >= step && i < back ? 1.0f : 0.01f; /* -40 / 0 dBFS */

        BuskerCompressor *c = busker_compressor_new (fs);
        set (c, BUSKER_COMP_THRESHOLD_DB, -30);
        set (c, BUSKER_COMP_RATIO, 4);
        set (c, BUSKER_COMP_KNEE_DB, 0);
        set (c, BUSKER_COMP_ATTACK_MS, att);
        set (c, BUSKER_COMP_RELEASE_MS, rel);
        busker_compressor_reset (c);
        run (c, l, r, n);
        /* Settled values: 22.5 dB of reduction at 0 dBFS, none at -40. */
        g_assert_cmpfloat_with_epsilon (20 * log10 (l[back - 1]), -22.5, 0.05);
        double ta = time_constant_ms (l, in, step, back, fs);
        double tr = time_constant_ms (l, in, back, n, fs);
        if (fabs (ta - att) > 0.1 * att || fabs (tr - rel) > 0.1 * rel)
          g_error ("%.0f Hz: attack %.2f ms (set %.0f), release %.1f ms (set %.0f)", fs, ta,
                   att, tr, rel);
        busker_compressor_free (c);
        g_free (l);
        g_free (r);
        g_free (in);
      }
}

/* Makeup and the parallel mix: out = x ((1 - mix) + mix * makeup * g). */
static void
test_makeup_mix (void)
{
  const double fs = 48000;
  const int n = 48000;
  float *l = g_new (float, n), *r = g_new (float, n);
  static const double mixes[] = { 1, 0.5, 0.25, 0 };
  for (guint mi = 0; mi < G_N_ELEMENTS (mixes); mi++)
    for (int loud = 0; loud < 2; loud++)
      {
        BuskerCompressor *c = busker_compressor_new (fs);
        set (c, BUSKER_COMP_THRESHOLD_DB, -20);
        set (c, BUSKER_COMP_RATIO, 5);
        set (c, BUSKER_COMP_KNEE_DB, 0);
        set (c, BUSKER_COMP_MAKEUP_DB, 6);
        set (c, BUSKER_COMP_MIX, mixes[mi]);
        busker_compressor_reset (c);
        double x = loud ? 0.5 : 0.05; /* -6 dB over by 14 dB, or below */
        for (int i = 0; i < n; i++)
          l[i] = r[i] = (float) x;
        run (c, l, r, n);
        double over = 20 * log10 (x) + 20;
        double g = over > 0 ? pow (10, -(over * (1 - 1 / 5.0)) / 20) : 1;
        double want = x * ((1 - mixes[mi]) + mixes[mi] * pow (10, 6 / 20.0) * g);
        g_assert_cmpfloat_with_epsilon (l[n - 1], want, 1e-4 * want);
        g_assert_cmpfloat_with_epsilon (r[n - 1], want, 1e-4 * want);
        busker_compressor_free (c);
      }
  g_free (l);
  g_free (r);
}

/* A loud left and a quiet right: linked, the right gets the left's
 * reduction; unlinked, it is untouched; half-linked, in between. */
static void
test_stereo_link (void)
{
  const double fs = 48000;
  const int n = 24000;
  float *l = g_new (float, n), *r = g_new (float, n);
  double right_gain[3];
  for (int k = 0; k < 3; k++)
    {
      BuskerCompressor *c = busker_compressor_new (fs);
      set (c, BUSKER_COMP_THRESHOLD_DB, -20);
      set (c, BUSKER_COMP_RATIO, 4);
      set (c, BUSKER_COMP_KNEE_DB, 0);
      set (c, BUSKER_COMP_STEREO_LINK, k * 0.5);
      busker_compressor_reset (c);
      for (int i = 0; i < n; i++)
        {
          l[i] = 1.0f;  /* 20 dB over: 15 dB reduction */
          r[i] = 0.01f; /* 40 dB under */
        }
      run (c, l, r, n);
      g_assert_cmpfloat_with_epsilon (20 * log10 (l[n - 1]), -15, 0.01);
      right_gain[k] = 20 * log10 (r[n - 1] / 0.01);
      busker_compressor_free (c);
    }
  g_assert_cmpfloat_with_epsilon (right_gain[0], 0, 1e-4);
  g_assert_cmpfloat_with_epsilon (right_gain[2], -15, 0.01);
  g_assert_cmpfloat (right_gain[1], <, -1);
  g_assert_cmpfloat (right_gain[1], >, -15);
  g_free (l);
  g_free (r);
}

/* A 40 Hz tone over threshold is compressed, less so with the sidechain
 * high pass at 300 Hz (12 dB/oct: about 35 dB down at 40 Hz). */
static void
test_sidechain_hpf (void)
{
  const double fs = 48000, f = 40;
  const int n = 48000, tail = 4800;
  float *l = g_new (float, n), *r = g_new (float, n);
  double gain[2];
  for (int k = 0; k < 2; k++)
    {
      BuskerCompressor *c = busker_compressor_new (fs);
      set (c, BUSKER_COMP_THRESHOLD_DB, -30);
      set (c, BUSKER_COMP_RATIO, 4);
      set (c, BUSKER_COMP_RELEASE_MS, 1000);
      set (c, BUSKER_COMP_SIDECHAIN_HPF_HZ, k ? 300 : 0);
      busker_compressor_reset (c);
      for (int i = 0; i < n; i++)
        l[i] = r[i] = (float) (0.5 * sin (2 * M_PI * f * i / fs));
      run (c, l, r, n);
      gain[k] = 20 * log10 (sine_amp (l, n - tail, tail, f, fs) / 0.5);
      busker_compressor_free (c);
    }
  g_assert_cmpfloat (gain[0], <, -15);
  g_assert_cmpfloat (gain[1], >, -1);
  g_free (l);
  g_free (r);
}

/* The ballistics four samples at a time (busker_comp_ballistics_run,
 * prefix scans across vector lanes) against the recursion of
 * compressor.h restated in double: held = max (held + rc (t - held), t),
 * gr += ac (held - gr). Targets are bursts of random reductions with
 * silent gaps, blocks of odd lengths so the scalar tail runs too, time
 * constants from the parameter range's ends at 44.1 and 192 kHz. */
static void
test_ballistics_vector (void)
{
  static const double rates[] = { 44100, 192000 };
  static const double times[][2] = { { 0.1, 5 }, { 10, 100 }, { 200, 2000 }, { 1, 2000 } };
  enum { N = 96000 };
  float *t = g_new (float, N), *out = g_new (float, N);
  guint32 seed = 99;
  double worst = 0;
  for (guint ri = 0; ri < G_N_ELEMENTS (rates); ri++)
    for (guint ti = 0; ti < G_N_ELEMENTS (times); ti++)
      {
        BuskerCompBallistics b;
        busker_comp_ballistics_set_times (&b, (float) times[ti][0], (float) times[ti][1],
                                          (float) rates[ri]);
        busker_comp_ballistics_reset (&b);
        for (int i = 0; i < N; i++)
          {
            seed = seed * 1664525u + 1013904223u;
            double u = (seed >> 8) / 16777216.0;
            /* 40 dB bursts, then 20 dB, then nothing, every 1000 samples */
            int phase = (i / 1000) % 3;
            t[i] = phase == 2 ? 0.0f : (float) ((phase ? 20 : 40) * u);
          }
        memcpy (out, t, N * sizeof (float));
        static const int lens[] = { 256, 37, 64, 3, 129 };
        for (int off = 0, k = 0; off < N; k++)
          {
            int len = MIN (lens[k % 5], N - off);
            busker_comp_ballistics_run (&b, out + off, (uint32_t) len);
            off += len;
          }
        double rc = b.release_coef, ac = b.attack_coef, held = 0, gr = 0;
        for (int i = 0; i < N; i++)
          {
            held = fmax (held + rc * (t[i] - held), t[i]);
            gr += ac * (held - gr);
            worst = fmax (worst, fabs (out[i] - gr));
          }
        g_assert_cmpfloat_with_epsilon (b.gr_db, gr, 1e-3);
      }
  /* Float state and coefficients: a few 1e-5 dB of 40 dB. */
  if (worst > 1e-3)
    g_error ("vector ballistics off the recursion by %.3g dB", worst);
  g_test_message ("largest difference %.3g dB", worst);
  g_free (t);
  g_free (out);
}

/* A non-finite input sample on every path (the fused default, unlinked,
 * RMS, sidechain filter, gliding parameters) is reported and the block
 * silenced (the compressor checks only its output), and the next blocks
 * are clean. */
static void
test_non_finite_input (void)
{
  static const float poison[] = { NAN, INFINITY, -INFINITY };
  float l[256], r[256];
  guint32 seed = 5;
  for (guint k = 0; k < G_N_ELEMENTS (poison); k++)
    for (int path = 0; path < 5; path++)
      {
        BuskerCompressor *c = busker_compressor_new (48000);
        if (path == 1)
          set (c, BUSKER_COMP_STEREO_LINK, 0.3);
        if (path == 2)
          set (c, BUSKER_COMP_DETECTOR, BUSKER_DETECTOR_RMS);
        if (path == 3)
          set (c, BUSKER_COMP_SIDECHAIN_HPF_HZ, 100);
        busker_compressor_reset (c);
        if (path == 4)
          set (c, BUSKER_COMP_THRESHOLD_DB, -40);
        for (int block = 0; block < 10; block++)
          {
            for (int i = 0; i < 256; i++)
              {
                seed = seed * 1664525u + 1013904223u;
                l[i] = r[i] = ((seed >> 8) / 16777216.0f - 0.5f);
              }
            if (block == 1)
              r[37] = poison[k];
            bool ok = busker_compressor_process (c, l, r, 256);
            g_assert_true (ok == (block != 1));
            for (int i = 0; i < 256; i++)
              g_assert_true (block == 1 ? l[i] == 0.0f && r[i] == 0.0f
                                        : isfinite (l[i]) && isfinite (r[i]));
          }
        busker_compressor_free (c);
      }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/compressor/static-curve", test_static_curve);
  g_test_add_func ("/dsp/compressor/attack-release", test_attack_release);
  g_test_add_func ("/dsp/compressor/makeup-mix", test_makeup_mix);
  g_test_add_func ("/dsp/compressor/stereo-link", test_stereo_link);
  g_test_add_func ("/dsp/compressor/sidechain-hpf", test_sidechain_hpf);
  g_test_add_func ("/dsp/compressor/ballistics-vector", test_ballistics_vector);
  g_test_add_func ("/dsp/compressor/non-finite-input", test_non_finite_input);
  return g_test_run ();
}
