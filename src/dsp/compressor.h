/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Feed-forward compressor, and the two pieces every dynamics unit of
 * Busker shares: the static gain computer and the attack/release
 * ballistics (the multiband compressor runs one of each per band).
 */
#pragma once

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "fast-math.h"
#include "params.h"

/* Static curve: the gain reduction in dB (>= 0) for a detector level in
 * dB. slope = 1 - 1/ratio. Below threshold - knee/2 nothing; above
 * threshold + knee/2 slope * (level - threshold); between, the quadratic
 * knee slope * (level - threshold + knee/2)^2 / (2 knee), which meets both
 * lines with equal slope. Written without branches (a noisy signal around
 * the knee would mispredict them every few samples): t is the way through
 * the knee, clamped to [0, knee]. RT-safe */
static inline float
busker_comp_gain_reduction_db (float level_db, float threshold_db, float slope,
                               float knee_db)
{
  float over = level_db - threshold_db;
  float t = busker_minf (busker_maxf (over + 0.5f * knee_db, 0.0f), knee_db);
  float above = busker_maxf (over - 0.5f * knee_db, 0.0f);
  return slope * (t * t * (0.5f / busker_maxf (knee_db, 1e-6f)) + above);
}

/* The ballistics below four samples at a time, for loops that hold the
 * targets as a vector. The release stage h' = max (a h + (1 - a) t, t),
 * a = 1 - release_coef (exact in float: busker_one_pole_coef returns
 * 1 - a float), composes over lanes 0..k into
 * h_k = max (h0 - (1 - a^(k+1)) h0 + B_k, D_k), and the attack stage
 * g' = b g + (1 - b) h into g_k = g0 - (1 - b^(k+1)) g0 + E_k. B, D and E
 * are prefix scans across the lanes, two steps each, that do not depend on
 * the state, so the serial chain per four samples is a few vector
 * operations where the scalar step has four per sample. 1 - a^k is
 * rounded from double (a^k rounded to float would put the fixed point of
 * a slow stage 1e-4 off). The same filters as
 * busker_comp_ballistics_step; the sums are associated differently, so
 * results differ in the last bits. */
typedef struct {
  BuskerV4f rel, rel2, rel_in;  /* a, a^2, 1 - a */
  BuskerV4f rel_out;             /* 1 - a^k for k = 1..4 */
  BuskerV4f att, att2, att_in, att_out; /* the same for b */
} BuskerCompBallisticsV4;

/* held and gr carry the state in all four lanes; returns the reductions
 * (dB) of the four samples. Targets must be >= 0 (reductions are), which
 * keeps the state >= 0 and lets the scans shift in zeros. RT-safe */
static inline BuskerV4f
busker_comp_ballistics_step_v4 (const BuskerCompBallisticsV4 *k, BuskerV4f *held,
                                BuskerV4f *gr, BuskerV4f target)
{
  BuskerV4f b = k->rel_in * target, d = target;
  d = busker_v4_max (k->rel * busker_v4_shift1 (d) + b, d);
  b += k->rel * busker_v4_shift1 (b);
  d = busker_v4_max (k->rel2 * busker_v4_shift2 (d) + b, d);
  b += k->rel2 * busker_v4_shift2 (b);
  BuskerV4f h = busker_v4_max (*held + (b - k->rel_out * *held), d);
  BuskerV4f e = k->att_in * h;
  e += k->att * busker_v4_shift1 (e);
  e += k->att2 * busker_v4_shift2 (e);
  BuskerV4f g = *gr + (e - k->att_out * *gr);
  *held = busker_v4_last (h);
  *gr = busker_v4_last (g);
  return g;
}

/* Attack and release as time constants, applied to the gain reduction in
 * dB: a release stage with instant attack (it holds the peaks of a
 * periodic signal so a steady tone gives a steady gain) followed by an
 * attack smoother. A step up reaches 1 - 1/e of its final reduction after
 * the attack time; a step down recovers 1 - 1/e after the release time
 * (plus a fraction of the attack time). */
typedef struct {
  float attack_coef, release_coef; /* one-pole coefficients per sample */
  float held_db;                   /* release stage */
  float gr_db;                     /* output, the smoothed reduction */
  BuskerCompBallisticsV4 v;        /* the coefficients for the vector step */
} BuskerCompBallistics;

void busker_comp_ballistics_set_times (BuskerCompBallistics *b, float attack_ms,
                                       float release_ms, float sample_rate);

/* RT-safe */
static inline float
busker_comp_ballistics_step (BuskerCompBallistics *b, float target_db)
{
  float held = b->held_db + b->release_coef * (target_db - b->held_db);
  held = held > target_db ? held : target_db;
  b->held_db = held;
  b->gr_db += b->attack_coef * (held - b->gr_db);
  return b->gr_db;
}

/* RT-safe: targets t[n] (dB, >= 0) to reductions in place, four at a
 * time with busker_comp_ballistics_step_v4 and the rest one by one. */
void busker_comp_ballistics_run (BuskerCompBallistics *b, float *t, uint32_t n);

/* RT-safe */
static inline void
busker_comp_ballistics_reset (BuskerCompBallistics *b)
{
  b->held_db = b->gr_db = 0.0f;
}

typedef struct BuskerCompressor BuskerCompressor;

BuskerCompressor *busker_compressor_new (double sample_rate);
void busker_compressor_free (BuskerCompressor *self);

/* RT-safe from here on. reset clears the state and settles parameters. */
void busker_compressor_reset (BuskerCompressor *self);
/* index into busker_compressor_params */
void busker_compressor_set_param (BuskerCompressor *self, uint32_t index, float value);
bool busker_compressor_process (BuskerCompressor *self, float *left, float *right,
                                uint32_t n);
/* The current gain reduction in dB (>= 0), the larger of both channels. */
float busker_compressor_gain_reduction_db (const BuskerCompressor *self);
