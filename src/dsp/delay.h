/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stereo feedback delay; see delay.c for the design. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "effect.h"

#define BUSKER_DELAY_MAX_MS 4000.0f

typedef struct BuskerDelay BuskerDelay;

/* Main thread: allocates the lines for BUSKER_DELAY_MAX_MS. NULL on
 * failure. */
BuskerDelay *busker_delay_new (double sample_rate);
void busker_delay_free (BuskerDelay *self);

/* RT-safe from here on. */
void busker_delay_reset (BuskerDelay *self);
void busker_delay_set_time_ms (BuskerDelay *self, float time_ms);
/* Index into busker_delay_sync_quarters; 0 uses time_ms. */
void busker_delay_set_sync (BuskerDelay *self, int sync);
void busker_delay_set_tempo (BuskerDelay *self, float bpm);
void busker_delay_set_feedback (BuskerDelay *self, float feedback);
void busker_delay_set_mix (BuskerDelay *self, float mix);
void busker_delay_set_ping_pong (BuskerDelay *self, bool ping_pong);
void busker_delay_set_low_cut_hz (BuskerDelay *self, float hz);
void busker_delay_set_high_cut_hz (BuskerDelay *self, float hz);
/* The delay in frames the parameters ask for (after sync and clamping). */
uint32_t busker_delay_get_delay_frames (const BuskerDelay *self);
bool busker_delay_process (BuskerDelay *self, float *left, float *right, uint32_t n);

extern const BuskerEffectClass busker_delay_class;
