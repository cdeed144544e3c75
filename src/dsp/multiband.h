/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Multiband compressor: 2-4 bands split by Linkwitz-Riley 24 dB/oct
 * crossovers, one compressor (compressor.h's gain computer and ballistics)
 * per band. Parameters by index of busker_multiband_params.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "params.h"

typedef struct BuskerMultiband BuskerMultiband;

BuskerMultiband *busker_multiband_new (double sample_rate);
void busker_multiband_free (BuskerMultiband *self);

/* RT-safe from here on. reset clears the state and settles parameters. */
void busker_multiband_reset (BuskerMultiband *self);
void busker_multiband_set_param (BuskerMultiband *self, uint32_t index, float value);
bool busker_multiband_process (BuskerMultiband *self, float *left, float *right,
                               uint32_t n);
/* The largest gain reduction of the bands, in dB (>= 0). */
float busker_multiband_gain_reduction_db (const BuskerMultiband *self);
