/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Second-order sections: design after Robert Bristow-Johnson's Audio EQ
 * Cookbook, processing in transposed direct form II (good numerical
 * behaviour in float, two state variables). Shared by the EQ, the
 * compressor's sidechain filter, the crossovers, delay and reverb filters.
 */
#pragma once

#include <stdint.h>

typedef struct {
  float b0, b1, b2, a1, a2; /* normalised so a0 = 1 */
} BuskerBiquadCoefs;

typedef struct {
  float z1, z2;
} BuskerBiquadState;

/* Double precision, for filters whose poles sit close to z = 1 (a few
 * tens of Hz at 96-192 kHz): float coefficients move such poles by a
 * fraction of a dB; the EQ and the crossovers use these. */
typedef struct {
  double b0, b1, b2, a1, a2;
} BuskerBiquadCoefsD;

typedef struct {
  double z1, z2;
} BuskerBiquadStateD;

typedef enum {
  BUSKER_BIQUAD_PEAK,
  BUSKER_BIQUAD_LOW_SHELF,
  BUSKER_BIQUAD_HIGH_SHELF,
  BUSKER_BIQUAD_LOW_PASS,
  BUSKER_BIQUAD_HIGH_PASS,
  BUSKER_BIQUAD_NOTCH,
  BUSKER_BIQUAD_BAND_PASS, /* constant 0 dB peak gain */
  BUSKER_BIQUAD_ALL_PASS,
} BuskerBiquadType;

/* Shelves use q as the cookbook's Q (0.707 gives S = 1 at 0 dB...); see
 * biquad.c for the exact formulas, which the tests restate. */
void busker_biquad_design (BuskerBiquadCoefs *c, BuskerBiquadType type,
                           double sample_rate, double freq_hz, double q,
                           double gain_db);

void busker_biquad_design_d (BuskerBiquadCoefsD *c, BuskerBiquadType type,
                             double sample_rate, double freq_hz, double q,
                             double gain_db);

/* First-order low or high pass (as a biquad with b2 = a2 = 0). */
void busker_biquad_design_one_pole (BuskerBiquadCoefs *c, int high_pass,
                                    double sample_rate, double freq_hz);

void busker_biquad_identity (BuskerBiquadCoefs *c);

/* Magnitude in dB of the section at freq_hz. */
double busker_biquad_magnitude_db (const BuskerBiquadCoefs *c,
                                   double sample_rate, double freq_hz);
double busker_biquad_magnitude_db_d (const BuskerBiquadCoefsD *c,
                                     double sample_rate, double freq_hz);

/* RT-safe */
static inline float
busker_biquad_tick (const BuskerBiquadCoefs *c, BuskerBiquadState *s, float x)
{
  float y = c->b0 * x + s->z1;
  s->z1 = c->b1 * x - c->a1 * y + s->z2;
  s->z2 = c->b2 * x - c->a2 * y;
  return y;
}

/* RT-safe: flushes denormal state at block ends. */
static inline void
busker_biquad_flush (BuskerBiquadState *s)
{
  if (s->z1 < 1e-25f && s->z1 > -1e-25f)
    s->z1 = 0.0f;
  if (s->z2 < 1e-25f && s->z2 > -1e-25f)
    s->z2 = 0.0f;
}

/* RT-safe */
static inline double
busker_biquad_tick_d (const BuskerBiquadCoefsD *c, BuskerBiquadStateD *s, double x)
{
  double y = c->b0 * x + s->z1;
  s->z1 = c->b1 * x - c->a1 * y + s->z2;
  s->z2 = c->b2 * x - c->a2 * y;
  return y;
}

/* RT-safe: flushes state that decayed far below audibility (and below
 * float's denormal range once it reaches the output). */
static inline void
busker_biquad_flush_d (BuskerBiquadStateD *s)
{
  if (s->z1 < 1e-25 && s->z1 > -1e-25)
    s->z1 = 0.0;
  if (s->z2 < 1e-25 && s->z2 > -1e-25)
    s->z2 = 0.0;
}
