/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Look-ahead true-peak (or sample-peak) limiter ("limiter" insert). See
 * limiter.c.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "effect.h"

typedef struct BuskerLimiter BuskerLimiter;

extern const BuskerEffectClass busker_limiter_class;

/* Main thread; NULL on allocation failure. Parameters start at the
 * defaults of busker_limiter_params. */
BuskerLimiter *busker_limiter_new (double sample_rate, uint32_t max_block);
void busker_limiter_free (BuskerLimiter *self);

/* RT-safe from here on. */
void busker_limiter_reset (BuskerLimiter *self);
void busker_limiter_set_ceiling_db (BuskerLimiter *self, float db);
void busker_limiter_set_input_gain_db (BuskerLimiter *self, float db);
void busker_limiter_set_release_ms (BuskerLimiter *self, float ms);
/* true (the default): true-peak detection, the ceiling holds between the
 * samples too (4x interpolation); false: sample peak, the ceiling holds at
 * the samples only, at about half the cost. Same latency either way;
 * applied from the next block on. */
void busker_limiter_set_true_peak (BuskerLimiter *self, bool on);
/* Changes the latency from the next block on. */
void busker_limiter_set_lookahead_ms (BuskerLimiter *self, float ms);
bool busker_limiter_process (BuskerLimiter *self, float *left, float *right, uint32_t n);
uint32_t busker_limiter_latency (const BuskerLimiter *self);
float busker_limiter_gain_reduction_db (const BuskerLimiter *self);
