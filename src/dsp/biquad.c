/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "biquad.h"

#include <math.h>

void
busker_biquad_identity (BuskerBiquadCoefs *c)
{
  *c = (BuskerBiquadCoefs) { 1.0f, 0.0f, 0.0f, 0.0f, 0.0f };
}

void
busker_biquad_design (BuskerBiquadCoefs *c, BuskerBiquadType type,
                      double sample_rate, double freq_hz, double q,
                      double gain_db)
{
  BuskerBiquadCoefsD d;
  busker_biquad_design_d (&d, type, sample_rate, freq_hz, q, gain_db);
  c->b0 = (float) d.b0;
  c->b1 = (float) d.b1;
  c->b2 = (float) d.b2;
  c->a1 = (float) d.a1;
  c->a2 = (float) d.a2;
}

void
busker_biquad_design_d (BuskerBiquadCoefsD *c, BuskerBiquadType type,
                        double sample_rate, double freq_hz, double q,
                        double gain_db)
{
  double w0 = 2.0 * M_PI * freq_hz / sample_rate;
  double cw = cos (w0), sw = sin (w0);
  double alpha = sw / (2.0 * q);
  double A = pow (10.0, gain_db / 40.0);
  double b0, b1, b2, a0, a1, a2;

  switch (type)
    {
    case BUSKER_BIQUAD_PEAK:
      b0 = 1.0 + alpha * A; b1 = -2.0 * cw; b2 = 1.0 - alpha * A;
      a0 = 1.0 + alpha / A; a1 = -2.0 * cw; a2 = 1.0 - alpha / A;
      break;
    case BUSKER_BIQUAD_LOW_SHELF:
      {
        double sa = 2.0 * sqrt (A) * alpha;
        b0 = A * ((A + 1) - (A - 1) * cw + sa);
        b1 = 2 * A * ((A - 1) - (A + 1) * cw);
        b2 = A * ((A + 1) - (A - 1) * cw - sa);
        a0 = (A + 1) + (A - 1) * cw + sa;
        a1 = -2 * ((A - 1) + (A + 1) * cw);
        a2 = (A + 1) + (A - 1) * cw - sa;
      }
      break;
    case BUSKER_BIQUAD_HIGH_SHELF:
      {
        double sa = 2.0 * sqrt (A) * alpha;
        b0 = A * ((A + 1) + (A - 1) * cw + sa);
        b1 = -2 * A * ((A - 1) + (A + 1) * cw);
        b2 = A * ((A + 1) + (A - 1) * cw - sa);
        a0 = (A + 1) - (A - 1) * cw + sa;
        a1 = 2 * ((A - 1) - (A + 1) * cw);
        a2 = (A + 1) - (A - 1) * cw - sa;
      }
      break;
    case BUSKER_BIQUAD_LOW_PASS:
      b0 = (1 - cw) / 2; b1 = 1 - cw; b2 = (1 - cw) / 2;
      a0 = 1 + alpha; a1 = -2 * cw; a2 = 1 - alpha;
      break;
    case BUSKER_BIQUAD_HIGH_PASS:
      b0 = (1 + cw) / 2; b1 = -(1 + cw); b2 = (1 + cw) / 2;
      a0 = 1 + alpha; a1 = -2 * cw; a2 = 1 - alpha;
      break;
    case BUSKER_BIQUAD_NOTCH:
      b0 = 1; b1 = -2 * cw; b2 = 1;
      a0 = 1 + alpha; a1 = -2 * cw; a2 = 1 - alpha;
      break;
    case BUSKER_BIQUAD_BAND_PASS:
      b0 = alpha; b1 = 0; b2 = -alpha;
      a0 = 1 + alpha; a1 = -2 * cw; a2 = 1 - alpha;
      break;
    case BUSKER_BIQUAD_ALL_PASS:
    default:
      b0 = 1 - alpha; b1 = -2 * cw; b2 = 1 + alpha;
      a0 = 1 + alpha; a1 = -2 * cw; a2 = 1 - alpha;
      break;
    }

  c->b0 = b0 / a0;
  c->b1 = b1 / a0;
  c->b2 = b2 / a0;
  c->a1 = a1 / a0;
  c->a2 = a2 / a0;
}

void
busker_biquad_design_one_pole (BuskerBiquadCoefs *c, int high_pass,
                               double sample_rate, double freq_hz)
{
  /* Bilinear transform of 1/(1+s) or s/(1+s), prewarped. */
  double k = tan (M_PI * freq_hz / sample_rate);
  double a0 = k + 1.0;
  if (high_pass)
    *c = (BuskerBiquadCoefs) { (float) (1.0 / a0), (float) (-1.0 / a0), 0.0f,
                               (float) ((k - 1.0) / a0), 0.0f };
  else
    *c = (BuskerBiquadCoefs) { (float) (k / a0), (float) (k / a0), 0.0f,
                               (float) ((k - 1.0) / a0), 0.0f };
}

double
busker_biquad_magnitude_db (const BuskerBiquadCoefs *c, double sample_rate,
                            double freq_hz)
{
  BuskerBiquadCoefsD d = { c->b0, c->b1, c->b2, c->a1, c->a2 };
  return busker_biquad_magnitude_db_d (&d, sample_rate, freq_hz);
}

double
busker_biquad_magnitude_db_d (const BuskerBiquadCoefsD *c, double sample_rate,
                              double freq_hz)
{
  double w = 2.0 * M_PI * freq_hz / sample_rate;
  double cr1 = cos (w), ci1 = -sin (w), cr2 = cos (2 * w), ci2 = -sin (2 * w);
  double nr = c->b0 + c->b1 * cr1 + c->b2 * cr2;
  double ni = c->b1 * ci1 + c->b2 * ci2;
  double dr = 1.0 + c->a1 * cr1 + c->a2 * cr2;
  double di = c->a1 * ci1 + c->a2 * ci2;
  return 10.0 * log10 ((nr * nr + ni * ni) / (dr * dr + di * di));
}
