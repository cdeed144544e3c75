/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * BS.1770 loudness pieces shared by the strip meters (meters.c) and the
 * mix assistant's many integrated-loudness measurements: the K-weighting
 * filter, the fixed histogram of gating blocks with its gated mean, and a
 * light stereo meter built from them that measures integrated loudness
 * only. See k-weighting.c.
 *
 * Threads: new/free anywhere; a meter is used by one thread at a time.
 * Everything but new/free is RT-safe.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "biquad.h"

/* BS.1770's two sections: a high shelf (+4 dB around 1.7 kHz) and the RLB
 * 38 Hz high pass, for sample_rate in Hz. */
typedef struct {
  BuskerBiquadCoefsD shelf, highpass;
} BuskerKWeighting;

void busker_k_weighting_design (BuskerKWeighting *k, double sample_rate);

/* Mean K-weighted energy (sum over channels of the mean square) to LUFS;
 * -INFINITY for 0. */
double busker_k_energy_to_lufs (double energy);

/* Gating blocks on fixed 0.02 LU bins from -70 to +10 LUFS (louder blocks
 * go to the top bin); each bin keeps its count and exact energy sum. */
#define BUSKER_K_HIST_MIN_LUFS -70.0
#define BUSKER_K_HIST_BIN_LU 0.02
#define BUSKER_K_HIST_BINS 4000
typedef struct {
  uint32_t count[BUSKER_K_HIST_BINS];
  double energy[BUSKER_K_HIST_BINS];
  uint64_t total;
} BuskerKHistogram;

/* Adds one block's mean energy; blocks under -70 LUFS (the absolute gate)
 * are dropped. */
void busker_k_hist_add (BuskerKHistogram *h, double energy);
/* First bin whose blocks pass a gate relative_lu under the mean of all
 * blocks (h->total > 0); *gate_e is the gate as an energy. */
int busker_k_hist_gate (const BuskerKHistogram *h, double relative_lu, double *gate_e);
/* BS.1770-4 integrated loudness (relative gate -10 LU) in LUFS, -INFINITY
 * when no block passed; exact but for the bin straddling the gate. */
double busker_k_hist_integrated (const BuskerKHistogram *h);

/* Integrated loudness of a stereo signal: K-weighting of both channels
 * side by side, 100 ms sub-blocks, 400 ms gating blocks every 100 ms, as
 * meters.c and libebur128. */
typedef struct BuskerGatedLoudness BuskerGatedLoudness;

/* NULL on allocation failure. */
BuskerGatedLoudness *busker_gated_loudness_new (double sample_rate);
void busker_gated_loudness_free (BuskerGatedLoudness *self);
/* n frames, planar. A sub-block whose energy is not finite is dropped and
 * the filters restart. RT-safe */
void busker_gated_loudness_add (BuskerGatedLoudness *self, const float *left,
                                const float *right, uint32_t n);
/* LUFS so far; -INFINITY for silence or under 400 ms. RT-safe, one
 * histogram scan. */
/* Largest short-term (3 s) loudness so far, taken every 100 ms, in LUFS;
 * -INFINITY for silence or under 3 s. RT-safe */
double busker_gated_loudness_short_term_max (const BuskerGatedLoudness *self);
double busker_gated_loudness_integrated (const BuskerGatedLoudness *self);
