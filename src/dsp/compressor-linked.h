/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The compressor's settled gain computer and its linked pass, shared by
 * compressor.c and the two builds of compressor-linked.c (dsp-isa.h).
 */
#pragma once

#include <stdint.h>

#include "compressor.h"
#include "dsp-isa.h"
#include "fast-math.h"

#define BUSKER_DB_PER_LOG2 6.02059991f /* 20 log10 2 */

/* The settled gain computer on four detector values: reduction in dB.
 * RT-safe */
typedef struct {
  BuskerV4f db_per_log2, thr, slope, knee, half_knee, inv_2knee, floor, zero;
} BuskerCompGainComputer;

static inline BuskerV4f
busker_comp_gain_computer_v4 (const BuskerCompGainComputer *gc, BuskerV4f v)
{
  BuskerV4f over = gc->db_per_log2 * busker_fast_log2_v4 (busker_v4_max (v, gc->floor))
                   - gc->thr;
  BuskerV4f k = busker_v4_min (busker_v4_max (over + gc->half_knee, gc->zero), gc->knee);
  BuskerV4f above = busker_v4_max (over - gc->half_knee, gc->zero);
  return gc->slope * (k * k * gc->inv_2knee + above);
}

/* Linked and settled (busker_compressor_process picks it): detector
 * (the peak of both channels, or the given levels), gain computer, ballistics and gain stage, four samples at a
 * time and all in vectors; the only serial chain is the ballistics'
 * state, one short step per four samples. Three passes per chunk rather
 * than one loop: one group's path from input to gain is a few hundred
 * cycles of latency, and a single loop fills the scheduler with waiting
 * work before the next groups can overlap it (measured 1.6 times slower).
 * A last partial group runs the same operations with the scalar
 * ballistics. levels: m detector values, or NULL for the peak of l
 * and r. In place on l and r (m frames). RT-safe */
typedef void (*BuskerCompLinkedRun) (const BuskerCompGainComputer *gc, BuskerCompBallistics *b,
                                     const float *levels, float *l, float *r, uint32_t m,
                                     BuskerV4f v_dry, BuskerV4f v_wet);

void busker_comp_linked_run_baseline (const BuskerCompGainComputer *gc, BuskerCompBallistics *b,
                                      const float *levels, float *l, float *r, uint32_t m,
                                      BuskerV4f v_dry, BuskerV4f v_wet);
void busker_comp_linked_run_v3 (const BuskerCompGainComputer *gc, BuskerCompBallistics *b,
                                const float *levels, float *l, float *r, uint32_t m,
                                BuskerV4f v_dry, BuskerV4f v_wet);
