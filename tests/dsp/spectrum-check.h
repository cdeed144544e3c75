/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Independent measurements for the tests of the oversampled units and the
 * meters: a windowed single-frequency DFT and an 8x true peak by FFT
 * zero-padding (fftw3f). Neither shares code with src/dsp/.
 */
#pragma once

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* 4-term Blackman-Harris: side lobes below -92 dB. */
static inline double
bh_window (size_t i, size_t n)
{
  double t = 2.0 * M_PI * (double) i / (double) (n - 1);
  return 0.35875 - 0.48829 * cos (t) + 0.14128 * cos (2 * t) - 0.01168 * cos (3 * t);
}

/* Level in dB of the component at freq_hz, 0 dB for a sine of amplitude 1. */
static inline double
tone_db (const float *x, size_t n, double rate, double freq_hz)
{
  double re = 0.0, im = 0.0, wsum = 0.0;
  for (size_t i = 0; i < n; i++)
    {
      double w = bh_window (i, n);
      double ph = 2.0 * M_PI * freq_hz * (double) i / rate;
      re += w * x[i] * cos (ph);
      im -= w * x[i] * sin (ph);
      wsum += w;
    }
  double a = 2.0 * sqrt (re * re + im * im) / wsum;
  return 20.0 * log10 (a + 1e-30);
}

/* Windowed magnitude spectrum in dB re a unit sine, n / 2 + 1 bins. */
static inline double *
spectrum_db (const float *x, size_t n)
{
  float *in = fftwf_alloc_real (n);
  fftwf_complex *out = fftwf_alloc_complex (n / 2 + 1);
  fftwf_plan plan = fftwf_plan_dft_r2c_1d ((int) n, in, out, FFTW_ESTIMATE);
  double wsum = 0.0;
  for (size_t i = 0; i < n; i++)
    {
      double w = bh_window (i, n);
      in[i] = (float) (x[i] * w);
      wsum += w;
    }
  fftwf_execute (plan);
  double *db = malloc ((n / 2 + 1) * sizeof (double));
  for (size_t k = 0; k <= n / 2; k++)
    {
      double a = 2.0 * hypot (out[k][0], out[k][1]) / wsum;
      db[k] = 20.0 * log10 (a + 1e-30);
    }
  fftwf_destroy_plan (plan);
  fftwf_free (in);
  fftwf_free (out);
  return db;
}

/* Largest magnitude of the band-limited (periodic) interpolation of x at
 * 8 times the rate. Pad x with silence so the wrap-around is quiet. */
static inline double
true_peak_8x (const float *x, size_t n)
{
  size_t m = 8 * n;
  float *in = fftwf_alloc_real (m);
  fftwf_complex *spec = fftwf_alloc_complex (m / 2 + 1);
  fftwf_plan fwd = fftwf_plan_dft_r2c_1d ((int) n, in, spec, FFTW_ESTIMATE);
  fftwf_plan inv = fftwf_plan_dft_c2r_1d ((int) m, spec, in, FFTW_ESTIMATE);
  memcpy (in, x, n * sizeof (float));
  fftwf_execute (fwd);
  /* Split the Nyquist bin between +/- fs/2 so the interpolation is real. */
  if (n % 2 == 0)
    {
      spec[n / 2][0] *= 0.5f;
      spec[n / 2][1] *= 0.5f;
    }
  for (size_t k = n / 2 + 1; k <= m / 2; k++)
    spec[k][0] = spec[k][1] = 0.0f;
  fftwf_execute (inv);
  double peak = 0.0;
  for (size_t i = 0; i < m; i++)
    peak = fmax (peak, fabs (in[i] / (double) n));
  fftwf_destroy_plan (fwd);
  fftwf_destroy_plan (inv);
  fftwf_free (in);
  fftwf_free (spec);
  return peak;
}
