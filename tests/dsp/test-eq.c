/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The EQ against analytic truth: the impulse response of the processor,
 * transformed with FFTW, must match the RBJ Audio EQ Cookbook formulas
 * (restated here, not taken from biquad.c) and, for the high and low pass
 * filters, the magnitude of the bilinear-transformed analogue Butterworth
 * filter, within 0.05 dB below 0.4 fs at 44.1, 48, 96 and 192 kHz.
 */
#include <complex.h>
#include <fftw3.h>
#include <glib.h>
#include <math.h>

#include "dsp/eq.h"

static const double rates[] = { 44100, 48000, 96000, 192000 };

/* ---- The cookbook, restated. */

typedef struct {
  double b[3], a[3];
} Ref;

static Ref
rbj (BuskerEqBandType type, double fs, double f0, double q, double gain_db)
{
  double A = pow (10.0, gain_db / 40.0);
  double w0 = 2.0 * M_PI * f0 / fs;
  double cs = cos (w0), sn = sin (w0);
  double alpha = sn / (2.0 * q);
  double sqA = sqrt (A);
  Ref r;
  switch (type)
    {
    case BUSKER_EQ_PEAK:
      r = (Ref) { { 1 + alpha * A, -2 * cs, 1 - alpha * A },
                  { 1 + alpha / A, -2 * cs, 1 - alpha / A } };
      break;
    case BUSKER_EQ_LOW_SHELF:
      r = (Ref) { { A * ((A + 1) - (A - 1) * cs + 2 * sqA * alpha),
                    2 * A * ((A - 1) - (A + 1) * cs),
                    A * ((A + 1) - (A - 1) * cs - 2 * sqA * alpha) },
                  { (A + 1) + (A - 1) * cs + 2 * sqA * alpha,
                    -2 * ((A - 1) + (A + 1) * cs),
                    (A + 1) + (A - 1) * cs - 2 * sqA * alpha } };
      break;
    case BUSKER_EQ_HIGH_SHELF:
      r = (Ref) { { A * ((A + 1) + (A - 1) * cs + 2 * sqA * alpha),
                    -2 * A * ((A - 1) + (A + 1) * cs),
                    A * ((A + 1) + (A - 1) * cs - 2 * sqA * alpha) },
                  { (A + 1) - (A - 1) * cs + 2 * sqA * alpha,
                    2 * ((A - 1) - (A + 1) * cs),
                    (A + 1) - (A - 1) * cs - 2 * sqA * alpha } };
      break;
    case BUSKER_EQ_NOTCH:
      r = (Ref) { { 1, -2 * cs, 1 }, { 1 + alpha, -2 * cs, 1 - alpha } };
      break;
    case BUSKER_EQ_BAND_PASS: /* constant 0 dB peak gain */
    default:
      r = (Ref) { { alpha, 0, -alpha }, { 1 + alpha, -2 * cs, 1 - alpha } };
      break;
    }
  return r;
}

static double
ref_db (const Ref *r, double fs, double f)
{
  double complex z1 = cexp (-I * 2.0 * M_PI * f / fs);
  double complex num = r->b[0] + r->b[1] * z1 + r->b[2] * z1 * z1;
  double complex den = r->a[0] + r->a[1] * z1 + r->a[2] * z1 * z1;
  return 20.0 * log10 (cabs (num / den));
}

/* Butterworth of order N through the bilinear transform, prewarped at fc. */
static double
butterworth_db (bool high_pass, int order, double fs, double fc, double f)
{
  double ratio = tan (M_PI * f / fs) / tan (M_PI * fc / fs);
  if (high_pass)
    ratio = 1.0 / ratio;
  return -10.0 * log10 (1.0 + pow (ratio, 2.0 * order));
}

/* ---- Measuring the processor. */

/* Magnitude in dB at every integer frequency 0..fs/2: the impulse response
 * over one second (fs samples) gives bins exactly 1 Hz apart. */
static double *
measure (BuskerEq *eq, double fs, int channel)
{
  int n = (int) fs;
  float *l = fftwf_alloc_real (n), *r = fftwf_alloc_real (n);
  fftwf_complex *spec = fftwf_alloc_complex (n / 2 + 1);
  for (int i = 0; i < n; i++)
    l[i] = r[i] = 0.0f;
  l[0] = r[0] = 1.0f;
  for (int off = 0; off < n; off += 512)
    g_assert_true (busker_eq_process (eq, l + off, r + off, MIN (512, n - off)));

  fftwf_plan plan = fftwf_plan_dft_r2c_1d (n, channel == 0 ? l : r, spec, FFTW_ESTIMATE);
  fftwf_execute (plan);
  double *db = g_new (double, n / 2 + 1);
  for (int k = 0; k <= n / 2; k++)
    {
      /* complex.h is included first, so fftwf_complex is float complex. */
      double re = crealf (spec[k]), im = cimagf (spec[k]);
      db[k] = 10.0 * log10 (re * re + im * im + 1e-30);
    }
  fftwf_destroy_plan (plan);
  fftwf_free (l);
  fftwf_free (r);
  fftwf_free (spec);
  return db;
}

/* Gain in dB at freq_hz (an even number of Hz) of the left channel,
 * measured with a sine: a quarter second to settle, then the correlation
 * with sine and cosine over half a second (a whole number of periods). */
static double
sine_db (BuskerEq *eq, double fs, int freq_hz)
{
  int settle = (int) fs / 4, len = (int) fs / 2;
  int n = settle + len;
  float *l = g_new (float, n), *r = g_new (float, n);
  for (int i = 0; i < n; i++)
    l[i] = r[i] = (float) sin (2 * M_PI * freq_hz * (double) i / fs);
  for (int off = 0; off < n; off += 512)
    g_assert_true (busker_eq_process (eq, l + off, r + off, MIN (512, n - off)));
  double cs = 0, sn = 0;
  for (int i = settle; i < n; i++)
    {
      double ph = 2 * M_PI * freq_hz * (double) i / fs;
      cs += l[i] * cos (ph);
      sn += l[i] * sin (ph);
    }
  g_free (l);
  g_free (r);
  return 20.0 * log10 (2.0 * sqrt (cs * cs + sn * sn) / len);
}

static void
set_band (BuskerEq *eq, int band, BuskerEqBandType type, double freq, double gain_db,
          double q, int slope, BuskerEqChannel channel)
{
  busker_eq_set_param (eq, BUSKER_EQ_PARAM (band, BUSKER_EQ_BAND_TYPE), type);
  busker_eq_set_param (eq, BUSKER_EQ_PARAM (band, BUSKER_EQ_BAND_FREQ_HZ), (float) freq);
  busker_eq_set_param (eq, BUSKER_EQ_PARAM (band, BUSKER_EQ_BAND_GAIN_DB), (float) gain_db);
  busker_eq_set_param (eq, BUSKER_EQ_PARAM (band, BUSKER_EQ_BAND_Q), (float) q);
  busker_eq_set_param (eq, BUSKER_EQ_PARAM (band, BUSKER_EQ_BAND_SLOPE_DB_OCT), (float) slope);
  busker_eq_set_param (eq, BUSKER_EQ_PARAM (band, BUSKER_EQ_BAND_CHANNEL), channel);
  busker_eq_set_param (eq, BUSKER_EQ_PARAM (band, BUSKER_EQ_BAND_ENABLED), 1.0f);
}

typedef struct {
  BuskerEqBandType type;
  double freq, gain_db, q;
} Case;

static void
test_cookbook (void)
{
  static const Case cases[] = {
    { BUSKER_EQ_PEAK, 1000, 6, 1 },
    { BUSKER_EQ_PEAK, 150, -9, 2 },
    { BUSKER_EQ_PEAK, 8000, 12, 0.5 },
    { BUSKER_EQ_LOW_SHELF, 200, 6, 0.707 },
    { BUSKER_EQ_LOW_SHELF, 80, -10, 1.2 },
    { BUSKER_EQ_HIGH_SHELF, 5000, -6, 0.707 },
    { BUSKER_EQ_HIGH_SHELF, 10000, 8, 0.5 },
    { BUSKER_EQ_NOTCH, 2000, 0, 4 },
    { BUSKER_EQ_BAND_PASS, 700, 0, 1 },
  };

  for (guint ri = 0; ri < G_N_ELEMENTS (rates); ri++)
    for (guint ci = 0; ci < G_N_ELEMENTS (cases); ci++)
      {
        const Case *c = &cases[ci];
        double fs = rates[ri];
        BuskerEq *eq = busker_eq_new (fs, 512);
        set_band (eq, 3, c->type, c->freq, c->gain_db, c->q, 12, BUSKER_EQ_STEREO);
        busker_eq_reset (eq);
        double *db = measure (eq, fs, 0);
        Ref ref = rbj (c->type, fs, c->freq, c->q, c->gain_db);
        double worst = 0;
        for (int f = 20; f < 0.4 * fs; f++)
          {
            double want = ref_db (&ref, fs, f);
            if (want < -40.0) /* the notch's floor: only require depth */
              {
                g_assert_cmpfloat (db[f], <, -30.0);
                continue;
              }
            worst = MAX (worst, fabs (db[f] - want));
          }
        if (worst > 0.05)
          g_error ("type %d %.0f Hz at %.0f Hz: %.4f dB off the cookbook",
                   c->type, c->freq, fs, worst);
        g_free (db);
        busker_eq_free (eq);
      }
}

static void
test_butterworth (void)
{
  for (guint ri = 0; ri < G_N_ELEMENTS (rates); ri++)
    for (int hp = 0; hp < 2; hp++)
      for (int slope = 12; slope <= 48; slope += 12)
        {
          double fs = rates[ri];
          double fc = hp ? 2000 : 3000;
          int order = slope / 6;
          BuskerEq *eq = busker_eq_new (fs, 512);
          set_band (eq, 0, hp ? BUSKER_EQ_HIGH_PASS : BUSKER_EQ_LOW_PASS, fc, 0, M_SQRT1_2,
                    slope, BUSKER_EQ_STEREO);
          busker_eq_reset (eq);
          double *db = measure (eq, fs, 1);
          double worst = 0;
          for (int f = 20; f < 0.4 * fs; f++)
            {
              double want = butterworth_db (hp, order, fs, fc, f);
              if (want > -60.0)
                worst = MAX (worst, fabs (db[f] - want));
            }
          if (worst > 0.05)
            g_error ("%s %d dB/oct at %.0f Hz: %.4f dB off Butterworth", hp ? "HP" : "LP",
                     slope, fs, worst);

          /* The slope between two and three octaves into the stop band,
           * measured with sines (an impulse's FFT has its float noise
           * floor near -100 dB): 6.02 dB per order. The low pass is
           * steepened by the bilinear transform's warping near Nyquist, so
           * it is measured at 96 kHz and above only. */
          g_free (db);
          busker_eq_reset (eq);
          set_band (eq, 0, hp ? BUSKER_EQ_HIGH_PASS : BUSKER_EQ_LOW_PASS, hp ? 2000 : 500,
                    0, M_SQRT1_2, slope, BUSKER_EQ_STEREO);
          busker_eq_reset (eq);
          double per_oct = hp ? sine_db (eq, fs, 500) - sine_db (eq, fs, 250)
                              : sine_db (eq, fs, 2000) - sine_db (eq, fs, 4000);
          db = NULL;
          if (hp)
            {
              if (fabs (per_oct - 6.0206 * order) > 0.5)
                g_error ("HP %d dB/oct measured %.2f dB/oct", slope, per_oct);
            }
          else if (fs >= 96000)
            {
              if (fabs (per_oct - 6.0206 * order) > 0.5)
                g_error ("LP %d dB/oct measured %.2f dB/oct at %.0f Hz", slope, per_oct, fs);
            }
          g_free (db);
          busker_eq_free (eq);
        }
}

/* All eight bands at once: the product of the sections, i.e. the sum in
 * dB, and the GUI curve of busker_eq_response_db agrees with both. */
static void
test_eight_bands (void)
{
  double fs = 48000;
  BuskerEq *eq = busker_eq_new (fs, 512);
  static const Case cases[8] = {
    { BUSKER_EQ_HIGH_PASS, 30, 0, M_SQRT1_2 }, { BUSKER_EQ_LOW_SHELF, 120, 4, 0.707 },
    { BUSKER_EQ_PEAK, 300, -5, 1.5 },          { BUSKER_EQ_PEAK, 1000, 3, 0.8 },
    { BUSKER_EQ_NOTCH, 3000, 0, 8 },           { BUSKER_EQ_PEAK, 6000, 2, 2 },
    { BUSKER_EQ_HIGH_SHELF, 10000, -3, 0.7 },  { BUSKER_EQ_LOW_PASS, 18000, 0, M_SQRT1_2 },
  };
  for (int b = 0; b < 8; b++)
    set_band (eq, b, cases[b].type, cases[b].freq, cases[b].gain_db, cases[b].q, 12,
              BUSKER_EQ_STEREO);
  busker_eq_set_param (eq, BUSKER_EQ_OUTPUT_GAIN_DB, -2.0f);
  busker_eq_reset (eq);
  double *db = measure (eq, fs, 0);

  static float freqs[200], curve[200];
  for (int i = 0; i < 200; i++)
    freqs[i] = roundf (20.0f * powf (2.0f, i * 0.0665f));
  busker_eq_response_db (eq, freqs, curve, 200, BUSKER_EQ_LEFT);

  for (int i = 0; i < 200 && freqs[i] < 0.4 * fs; i++)
    {
      int f = (int) freqs[i];
      double want = -2.0;
      for (int b = 0; b < 8; b++)
        {
          Ref r = rbj (cases[b].type, fs, cases[b].freq, cases[b].q, cases[b].gain_db);
          if (cases[b].type == BUSKER_EQ_HIGH_PASS)
            want += butterworth_db (true, 2, fs, cases[b].freq, f);
          else if (cases[b].type == BUSKER_EQ_LOW_PASS)
            want += butterworth_db (false, 2, fs, cases[b].freq, f);
          else
            want += ref_db (&r, fs, f);
        }
      if (want < -40)
        continue;
      g_assert_cmpfloat_with_epsilon (db[f], want, 0.05);
      g_assert_cmpfloat_with_epsilon (curve[i], want, 0.05);
    }
  g_free (db);
  busker_eq_free (eq);
}

#define NOISE_N 48000

static void
noise (float *l, float *r, int n, guint32 seed)
{
  GRand *rand = g_rand_new_with_seed (seed);
  for (int i = 0; i < n; i++)
    {
      l[i] = (float) g_rand_double_range (rand, -0.5, 0.5);
      r[i] = (float) g_rand_double_range (rand, -0.5, 0.5);
    }
  g_rand_free (rand);
}

static void
run (BuskerEq *eq, float *l, float *r, int n)
{
  for (int off = 0; off < n; off += 256)
    g_assert_true (busker_eq_process (eq, l + off, r + off, MIN (256, n - off)));
}

static void
test_channels (void)
{
  static float l[NOISE_N], r[NOISE_N], l0[NOISE_N], r0[NOISE_N];
  static const BuskerEqChannel chans[] = { BUSKER_EQ_SIDE, BUSKER_EQ_MID, BUSKER_EQ_LEFT,
                                           BUSKER_EQ_RIGHT };

  for (guint ci = 0; ci < G_N_ELEMENTS (chans); ci++)
    {
      BuskerEq *eq = busker_eq_new (48000, 256);
      set_band (eq, 2, BUSKER_EQ_PEAK, 1000, 12, 1, 12, chans[ci]);
      set_band (eq, 5, BUSKER_EQ_HIGH_PASS, 500, 0, 0.7, 24, chans[ci]);
      busker_eq_reset (eq);
      noise (l0, r0, NOISE_N, 7);
      memcpy (l, l0, sizeof l);
      memcpy (r, r0, sizeof r);
      run (eq, l, r, NOISE_N);

      double untouched = 0, touched = 0;
      for (int i = 0; i < NOISE_N; i++)
        {
          double in[2], out[2];
          if (chans[ci] == BUSKER_EQ_SIDE || chans[ci] == BUSKER_EQ_MID)
            {
              double m0 = 0.5 * (l0[i] + r0[i]), s0 = 0.5 * (l0[i] - r0[i]);
              double m = 0.5 * (l[i] + r[i]), s = 0.5 * (l[i] - r[i]);
              in[0] = chans[ci] == BUSKER_EQ_SIDE ? m0 : s0;
              out[0] = chans[ci] == BUSKER_EQ_SIDE ? m : s;
              in[1] = chans[ci] == BUSKER_EQ_SIDE ? s0 : m0;
              out[1] = chans[ci] == BUSKER_EQ_SIDE ? s : m;
            }
          else
            {
              in[0] = chans[ci] == BUSKER_EQ_LEFT ? r0[i] : l0[i];
              out[0] = chans[ci] == BUSKER_EQ_LEFT ? r[i] : l[i];
              in[1] = chans[ci] == BUSKER_EQ_LEFT ? l0[i] : r0[i];
              out[1] = chans[ci] == BUSKER_EQ_LEFT ? l[i] : r[i];
            }
          untouched = MAX (untouched, fabs (out[0] - in[0]));
          touched = MAX (touched, fabs (out[1] - in[1]));
        }
      /* The other signal is bit-exact or within float rounding of M/S. */
      g_assert_cmpfloat (untouched, <, 1e-6);
      g_assert_cmpfloat (touched, >, 0.1);
      busker_eq_free (eq);
    }
}

static void
test_disabled_is_identity (void)
{
  static float l[NOISE_N], r[NOISE_N], l0[NOISE_N], r0[NOISE_N];
  BuskerEq *eq = busker_eq_new (44100, 256);
  for (int b = 0; b < 8; b++)
    {
      set_band (eq, b, (BuskerEqBandType) (b % 7), 100 + 1000 * b, 9, 2, 48, BUSKER_EQ_STEREO);
      busker_eq_set_param (eq, BUSKER_EQ_PARAM (b, BUSKER_EQ_BAND_ENABLED), 0.0f);
    }
  busker_eq_reset (eq);
  noise (l0, r0, NOISE_N, 9);
  memcpy (l, l0, sizeof l);
  memcpy (r, r0, sizeof r);
  run (eq, l, r, NOISE_N);
  g_assert_true (memcmp (l, l0, sizeof l) == 0);
  g_assert_true (memcmp (r, r0, sizeof r) == 0);
  busker_eq_free (eq);
}

/* A non-finite input sample with filtering bands (fused stereo, a side
 * band, a fading band) is reported and the block silenced (the EQ no
 * longer checks its input, only its output), and the next blocks are
 * clean. */
static void
test_non_finite_input (void)
{
  static const float poison[] = { NAN, INFINITY, -INFINITY };
  float l[256], r[256];
  for (guint k = 0; k < G_N_ELEMENTS (poison); k++)
    for (int fading = 0; fading < 2; fading++)
      {
        BuskerEq *eq = busker_eq_new (48000, 256);
        set_band (eq, 0, BUSKER_EQ_HIGH_PASS, 80, 0, 0.7, 24, BUSKER_EQ_STEREO);
        set_band (eq, 3, BUSKER_EQ_PEAK, 1000, 3, 1, 12, BUSKER_EQ_STEREO);
        set_band (eq, 5, BUSKER_EQ_HIGH_SHELF, 8000, -2, 0.7, 12, BUSKER_EQ_SIDE);
        busker_eq_reset (eq);
        if (fading)
          set_band (eq, 6, BUSKER_EQ_NOTCH, 3000, 0, 4, 12, BUSKER_EQ_STEREO);
        noise (l, r, 256, 11);
        l[100] = poison[k];
        g_assert_false (busker_eq_process (eq, l, r, 256));
        for (int i = 0; i < 256; i++)
          g_assert_true (l[i] == 0.0f && r[i] == 0.0f);
        for (int block = 0; block < 8; block++)
          {
            noise (l, r, 256, 12 + block);
            g_assert_true (busker_eq_process (eq, l, r, 256));
            for (int i = 0; i < 256; i++)
              g_assert_true (isfinite (l[i]) && isfinite (r[i]));
          }
        busker_eq_free (eq);
      }
}

/* Parameter moves are glides, not steps: the second difference of a sine
 * (A w^2 when clean) shows any click as a spike. */
static void
test_click_free (void)
{
  const double fs = 48000, f = 1000, w = 2 * M_PI * f / fs;
  static float l[NOISE_N], r[NOISE_N];
  BuskerEq *eq = busker_eq_new (fs, 256);
  set_band (eq, 0, BUSKER_EQ_PEAK, 1000, 0, 1, 12, BUSKER_EQ_STEREO);
  busker_eq_reset (eq);
  for (int i = 0; i < NOISE_N; i++)
    l[i] = r[i] = 0.25f * (float) sin (w * i);

  for (int off = 0; off < NOISE_N; off += 256)
    {
      if (off == 4096)
        busker_eq_set_param (eq, BUSKER_EQ_PARAM (0, BUSKER_EQ_BAND_GAIN_DB), 12.0f);
      if (off == 16384)
        busker_eq_set_param (eq, BUSKER_EQ_PARAM (0, BUSKER_EQ_BAND_FREQ_HZ), 3000.0f);
      if (off == 24576)
        busker_eq_set_param (eq, BUSKER_EQ_PARAM (0, BUSKER_EQ_BAND_TYPE), BUSKER_EQ_HIGH_PASS);
      if (off == 32768)
        busker_eq_set_param (eq, BUSKER_EQ_PARAM (0, BUSKER_EQ_BAND_ENABLED), 0.0f);
      g_assert_true (busker_eq_process (eq, l + off, r + off, MIN (256, NOISE_N - off)));
    }
  double bound = 1.2 * 0.25 * 4.0 * w * w; /* +12 dB is the loudest state */
  for (int i = 2; i < NOISE_N; i++)
    {
      double d2 = fabs ((double) l[i] - 2.0 * l[i - 1] + l[i - 2]);
      if (d2 > bound)
        g_error ("click at sample %d: second difference %.4f > %.4f", i, d2, bound);
    }
  busker_eq_free (eq);
}

/* Four to six settled bands run as one skewed cascade (eq.c's
 * skewed_run), whose first and last passes per block are special: every
 * block length gives the same bits as one long block, and that output is
 * the cookbook cascade computed here in double precision (white noise,
 * error under -100 dB of the signal). */
static void
test_skewed_blocks (void)
{
  enum { N = 4096 };
  static const double fs = 48000, freqs[6] = { 80, 250, 900, 2500, 7000, 14000 };
  static const double gains[6] = { 4, -3, 2, -4, 3, 5 };
  static const int blocks[] = { 1, 2, 3, 5, 7, 64, 333 };
  static float in_l[N], in_r[N], l[N], r[N], whole_l[N], whole_r[N];

  noise (in_l, in_r, N, 7);
  for (int n_bands = 4; n_bands <= 6; n_bands++)
    {
      BuskerEq *eq = busker_eq_new (fs, N);
      for (int b = 0; b < n_bands; b++)
        set_band (eq, b, BUSKER_EQ_PEAK, freqs[b], gains[b], 1.0, 12, BUSKER_EQ_STEREO);
      busker_eq_reset (eq);
      memcpy (whole_l, in_l, sizeof l);
      memcpy (whole_r, in_r, sizeof r);
      g_assert_true (busker_eq_process (eq, whole_l, whole_r, N));

      /* the cascade, restated */
      double err = 0, sig = 0;
      double z1[6] = { 0 }, z2[6] = { 0 };
      for (int i = 0; i < N; i++)
        {
          double x = in_l[i];
          for (int b = 0; b < n_bands; b++)
            {
              Ref c = rbj (BUSKER_EQ_PEAK, fs, freqs[b], 1.0, gains[b]);
              double a0 = c.a[0];
              double y = c.b[0] / a0 * x + z1[b];
              z1[b] = c.b[1] / a0 * x - c.a[1] / a0 * y + z2[b];
              z2[b] = c.b[2] / a0 * x - c.a[2] / a0 * y;
              x = y;
            }
          err += (whole_l[i] - x) * (whole_l[i] - x);
          sig += x * x;
        }
      g_assert_cmpfloat (10 * log10 (err / sig), <, -100);

      for (unsigned k = 0; k < G_N_ELEMENTS (blocks); k++)
        {
          busker_eq_reset (eq);
          memcpy (l, in_l, sizeof l);
          memcpy (r, in_r, sizeof r);
          for (int off = 0; off < N; off += blocks[k])
            g_assert_true (busker_eq_process (eq, l + off, r + off, MIN (blocks[k], N - off)));
          g_assert_true (memcmp (l, whole_l, sizeof l) == 0);
          g_assert_true (memcmp (r, whole_r, sizeof r) == 0);
        }
      busker_eq_free (eq);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/eq/cookbook", test_cookbook);
  g_test_add_func ("/dsp/eq/butterworth", test_butterworth);
  g_test_add_func ("/dsp/eq/eight-bands", test_eight_bands);
  g_test_add_func ("/dsp/eq/channels", test_channels);
  g_test_add_func ("/dsp/eq/disabled-is-identity", test_disabled_is_identity);
  g_test_add_func ("/dsp/eq/click-free", test_click_free);
  g_test_add_func ("/dsp/eq/non-finite-input", test_non_finite_input);
  g_test_add_func ("/dsp/eq/skewed-blocks", test_skewed_blocks);
  return g_test_run ();
}
