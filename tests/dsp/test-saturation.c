/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Saturation: aliasing of a driven 10 kHz sine at 48 kHz below -60 dB
 * (Blackman-Harris FFT, fftw3f), even harmonics from tube only, dry/wet
 * alignment at the reported latency, NaN recovery. */
#include <glib.h>
#include <math.h>

#include "dsp/params.h"
#include "dsp/saturation.h"
#include "spectrum-check.h"

#define RATE 48000.0
#define FFT_N 32768

/* Runs a sine through the class (or a given factor) and returns the
 * steady-state output, FFT_N frames of the left channel. */
static float *
run_sine (int character, double freq, double amp, float drive_db, uint32_t factor)
{
  BuskerSaturation *sat = busker_saturation_new (RATE, 256, factor);
  busker_saturation_set_character (sat, character);
  busker_saturation_set_drive_db (sat, drive_db);
  busker_saturation_reset (sat);
  const int skip = 8192, total = skip + FFT_N;
  float *l = g_new (float, total);
  g_autofree float *r = g_new (float, total);
  for (int i = 0; i < total; i++)
    l[i] = r[i] = amp * sin (2 * M_PI * freq * i / RATE);
  for (int done = 0; done < total; done += 256)
    g_assert_true (busker_saturation_process (sat, l + done, r + done, MIN (256, total - done)));
  busker_saturation_free (sat);
  memmove (l, l + skip, FFT_N * sizeof (float));
  return l;
}

/* Largest component that is not a harmonic of f0 (nor DC), re the
 * fundamental, in dB. Blackman-Harris main lobe: +-4 bins. */
static double
worst_alias_db (const float *y, double f0, double *h2_db)
{
  double *db = spectrum_db (y, FFT_N);
  double bin_hz = RATE / FFT_N;
  double fund = -300, worst = -300;
  *h2_db = -300;
  for (int k = 0; k <= FFT_N / 2; k++)
    {
      double f = k * bin_hz;
      double h = f / f0;
      double near = fabs (h - round (h)) * f0 / bin_hz; /* bins from a harmonic */
      if (near <= 5.0 && round (h) == 1)
        fund = fmax (fund, db[k]);
      else if (near <= 5.0 && round (h) == 2)
        *h2_db = fmax (*h2_db, db[k]);
      else if (near > 5.0 && f > 30.0)
        worst = fmax (worst, db[k]);
    }
  g_free (db);
  *h2_db -= fund;
  return worst - fund;
}

static void
test_aliasing (void)
{
  static const char *names[] = { "tape", "tube", "soft_clip" };
  for (int c = BUSKER_SAT_TAPE; c <= BUSKER_SAT_SOFT_CLIP; c++)
    for (int fac = 2; fac <= 4; fac += 2)
      {
        double h2;
        g_autofree float *y = run_sine (c, 10000.0, 0.5, 12.0f, fac);
        double alias = worst_alias_db (y, 10000.0, &h2);
        g_test_message ("%s %dx: worst alias %.1f dB re fundamental", names[c], fac, alias);
        /* the class runs at the default factor; that one must pass */
        if ((uint32_t) fac == busker_saturation_default_factor (RATE))
          g_assert_cmpfloat (alias, <=, -60.0);
      }
}

static void
test_harmonics (void)
{
  /* 1 kHz, -6 dBFS, +12 dB drive: harmonics well inside the band */
  for (int c = BUSKER_SAT_TAPE; c <= BUSKER_SAT_SOFT_CLIP; c++)
    {
      g_autofree float *y = run_sine (c, 1000.0, 0.5, 12.0f, 4);
      double f = tone_db (y, FFT_N, RATE, 1000.0);
      double h2 = tone_db (y, FFT_N, RATE, 2000.0) - f;
      double h3 = tone_db (y, FFT_N, RATE, 3000.0) - f;
      g_test_message ("character %d: H2 %.1f dB, H3 %.1f dB", c, h2, h3);
      g_assert_cmpfloat (h3, >, -40.0); /* it does saturate */
      if (c == BUSKER_SAT_TUBE)
        g_assert_cmpfloat (h2, >, -30.0);
      else
        g_assert_cmpfloat (h2, <, -100.0);
    }
}

static void
test_mix_alignment (void)
{
  /* mix 0: the output is the input delayed by the latency, exactly.
   * drive 0 dB on a quiet signal: the curve is the identity to 1e-5, so
   * a half-wet mix must not comb: out equals the delayed input. At every
   * rate, with the factor the class picks for it. */
  static const double rates[] = { 44100, 48000, 88200, 96000, 192000 };
  const int n = 8192;
  for (guint ri = 0; ri < G_N_ELEMENTS (rates); ri++)
    for (int pass = 0; pass < 2; pass++)
      {
        double rate = rates[ri];
        uint32_t fac = busker_saturation_default_factor (rate);
        g_assert_cmpuint (fac, ==, rate < 88200 ? 4 : 2);
        BuskerSaturation *sat = busker_saturation_new (rate, 512, fac);
        busker_saturation_set_drive_db (sat, 0.0f);
        busker_saturation_set_mix (sat, pass == 0 ? 0.0f : 0.5f);
        busker_saturation_reset (sat);
        uint32_t lat = busker_saturation_latency (sat);
        /* halfband centre delays: 35 frames at 2x, 35 + 16 / 2 at 4x */
        g_assert_cmpuint (lat, ==, fac == 4 ? 43 : 35);
        g_autofree float *x = g_new (float, n);
        g_autofree float *l = g_new (float, n);
        g_autofree float *r = g_new (float, n);
        for (int i = 0; i < n; i++)
          x[i] = l[i] = r[i] = 0.001f * sinf (2 * M_PI * 5000.0 * i / rate);
        for (int done = 0; done < n; done += 512)
          g_assert_true (busker_saturation_process (sat, l + done, r + done, 512));
        double err = 0.0;
        for (int i = 4000; i < n; i++)
          err = fmax (err, fabs (l[i] - x[i - lat]));
        if (pass == 0)
          g_assert_cmpfloat (err, ==, 0.0);
        else
          g_assert_cmpfloat (err / 0.001, <, 5e-3);
        busker_saturation_free (sat);
      }
}

/* Largest sample-to-sample step of a run of 200 blocks of a 200 Hz sine,
 * switching character at block 100 when switch_to >= 0. */
static double
max_step (int switch_to)
{
  BuskerSaturation *sat = busker_saturation_new (RATE, 256, 4);
  busker_saturation_set_drive_db (sat, 12.0f);
  busker_saturation_reset (sat);
  float l[256], r[256], prev = 0.0f;
  double worst = 0.0;
  for (int b = 0; b < 200; b++)
    {
      if (b == 100 && switch_to >= 0)
        busker_saturation_set_character (sat, switch_to);
      for (int i = 0; i < 256; i++)
        l[i] = r[i] = 0.5 * sin (2 * M_PI * 200.0 * (b * 256 + i) / RATE);
      g_assert_true (busker_saturation_process (sat, l, r, 256));
      for (int i = 0; i < 256; i++)
        {
          if (b > 10)
            worst = fmax (worst, fabs (l[i] - prev));
          prev = l[i];
        }
    }
  busker_saturation_free (sat);
  return worst;
}

static void
test_character_switch (void)
{
  /* a character change is cross-faded: no step larger than the signal's
   * own (a hard switch tape -> tube at block 100 jumps by the difference
   * of the curves there, about 0.4) */
  double base = max_step (-1);
  for (int c = BUSKER_SAT_TUBE; c <= BUSKER_SAT_SOFT_CLIP; c++)
    {
      double s = max_step (c);
      g_test_message ("switch to %d: largest step %.4f (steady %.4f)", c, s, base);
      g_assert_cmpfloat (s, <, base * 1.2);
    }
}

static void
test_nan (void)
{
  const BuskerEffectClass *k = &busker_saturation_class;
  void *sat = k->create (RATE, 128);
  float l[128], r[128];
  for (int pass = 0; pass < 3; pass++)
    {
      for (int i = 0; i < 128; i++)
        l[i] = r[i] = 0.3f * sinf (i * 0.1f);
      if (pass == 0)
        l[50] = NAN;
      else if (pass == 1)
        r[0] = -INFINITY;
      else
        k->set_param (sat, BUSKER_SAT_DRIVE_DB, NAN);
      g_assert_false (k->process (sat, l, r, 128));
      for (int i = 0; i < 128; i++)
        g_assert_true (l[i] == 0.0f && r[i] == 0.0f);
      for (int b = 0; b < 3; b++)
        {
          for (int i = 0; i < 128; i++)
            l[i] = r[i] = 0.3f * sinf (i * 0.1f);
          g_assert_true (k->process (sat, l, r, 128));
        }
    }
  k->destroy (sat);
}

static void
test_curves (void)
{
  /* unit slope at 0 and bounded, from the formulas in saturation.c */
  for (int c = BUSKER_SAT_TAPE; c <= BUSKER_SAT_SOFT_CLIP; c++)
    {
      float e = 1e-4f;
      float slope = (busker_saturation_curve (c, e) - busker_saturation_curve (c, -e)) / (2 * e);
      g_assert_cmpfloat (fabsf (slope - 1.0f), <, 1e-3);
      g_assert_cmpfloat (fabsf (busker_saturation_curve (c, 1e6f)), <, 2.0f);
      g_assert_cmpfloat (fabsf (busker_saturation_curve (c, 0.0f)), <, 1e-7f);
    }
  g_assert_cmpfloat (fabsf (busker_saturation_curve (BUSKER_SAT_TAPE, 1.0f) - 0.70710678f), <, 1e-6);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/saturation/curves", test_curves);
  g_test_add_func ("/saturation/aliasing", test_aliasing);
  g_test_add_func ("/saturation/harmonics", test_harmonics);
  g_test_add_func ("/saturation/mix-alignment", test_mix_alignment);
  g_test_add_func ("/saturation/character-switch", test_character_switch);
  g_test_add_func ("/saturation/nan", test_nan);
  return g_test_run ();
}
