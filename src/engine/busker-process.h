/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The real-time side of a plan: one block of the whole mix. Everything
 * here is RT-safe (no allocation, lock, log or I/O).
 *
 * A cycle: fill every track's input (busker_process_track_input; silence
 * for tracks with nothing to play), then busker_process_run, then read
 * the master (or any strip) with busker_process_strip_output. An offline
 * renderer that spreads the work over threads runs the strips of each
 * level itself with busker_process_strip, levels in order.
 */
#pragma once

#include "busker-plan.h"

G_BEGIN_DECLS

/* Planar buffer of max_block frames that the track reads at the next
 * block; channel 0 left, 1 right. A mono source writes both. RT-safe */
float *busker_process_track_input (BuskerPlan *plan, uint32_t strip, uint32_t channel);

/* The whole plan, strips in level order; sets FTZ/DAZ on the calling
 * thread. n <= max_block. RT-safe */
void busker_process_run (BuskerPlan *plan, uint32_t n);

/* One strip. Every strip of lower levels must have run this block.
 * RT-safe */
void busker_process_strip (BuskerPlan *plan, uint32_t strip, uint32_t n);

/* Levels: strips of one level never depend on each other. */
uint32_t busker_process_n_levels (const BuskerPlan *plan);
/* Strip indices of a level, *n_strips of them. */
const uint32_t *busker_process_level (const BuskerPlan *plan, uint32_t level,
                                      uint32_t *n_strips);

/* The strip's post-fader output of the last block. RT-safe */
const float *busker_process_strip_output (const BuskerPlan *plan, uint32_t strip,
                                          uint32_t channel);

G_END_DECLS
