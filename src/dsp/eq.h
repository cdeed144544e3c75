/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Parametric EQ: eight bands (peak, shelves, Butterworth high/low pass of
 * 12-48 dB/oct, notch, band pass), each on stereo, left, right, mid or
 * side, and an output gain. Parameters are addressed by their index in
 * busker_eq_params (params.h, BUSKER_EQ_PARAM (band, field)).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "params.h"

typedef struct BuskerEq BuskerEq;

/* Main thread; NULL on allocation failure. Starts at the defaults. */
BuskerEq *busker_eq_new (double sample_rate, uint32_t max_block);
void busker_eq_free (BuskerEq *self);

/* RT-safe: clears the filter state and settles every parameter at its
 * target (no glide). */
void busker_eq_reset (BuskerEq *self);
/* RT-safe: index into busker_eq_params, value within its range. */
void busker_eq_set_param (BuskerEq *self, uint32_t index, float value);
/* RT-safe: in place; false (and silence) when input or state went
 * non-finite, the EQ has then reset itself. */
bool busker_eq_process (BuskerEq *self, float *left, float *right, uint32_t n);

/* Main thread (reads the parameter targets, not the audio state): the
 * magnitude in dB heard on `channel` at each frequency, for the GUI curve.
 * Stereo bands count on every channel; a left, right, mid or side band
 * only on its own. The output gain is included. */
void busker_eq_response_db (const BuskerEq *self, const float *freqs_hz,
                            float *out_db, uint32_t n, BuskerEqChannel channel);
