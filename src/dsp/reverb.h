/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stereo feedback-delay-network reverb; see reverb.c for the design. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "effect.h"

#define BUSKER_REVERB_N_LINES 8

typedef struct BuskerReverb BuskerReverb;

/* Main thread: allocates the lines for size 1 and 200 ms of pre-delay at
 * this rate. NULL on failure. */
BuskerReverb *busker_reverb_new (double sample_rate);
void busker_reverb_free (BuskerReverb *self);

/* RT-safe from here on. */
void busker_reverb_reset (BuskerReverb *self);
/* Broadband RT60 of the tail, as measured by Schroeder integration. */
void busker_reverb_set_decay_s (BuskerReverb *self, float decay_s);
void busker_reverb_set_predelay_ms (BuskerReverb *self, float predelay_ms);
/* 0 (small room) to 1 (hall): scales the line lengths. */
void busker_reverb_set_size (BuskerReverb *self, float size);
/* Corner of the low pass in the loop: highs die sooner above it. */
void busker_reverb_set_damping_hz (BuskerReverb *self, float hz);
/* Stereo width of the wet signal: 0 mono, 1 full. */
void busker_reverb_set_width (BuskerReverb *self, float width);
void busker_reverb_set_mix (BuskerReverb *self, float mix);
/* Delay of each line in frames, for tests. */
void busker_reverb_get_line_frames (const BuskerReverb *self,
                                    uint32_t frames[BUSKER_REVERB_N_LINES]);
bool busker_reverb_process (BuskerReverb *self, float *left, float *right, uint32_t n);

extern const BuskerEffectClass busker_reverb_class;
