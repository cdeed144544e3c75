/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Transient shaper: attack_db lifts or softens the onsets, sustain_db the
 * decays, each +-12 dB, independent of the signal's level.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "params.h"

typedef struct BuskerTransient BuskerTransient;

BuskerTransient *busker_transient_new (double sample_rate);
void busker_transient_free (BuskerTransient *self);

/* RT-safe from here on. reset clears the state and settles parameters. */
void busker_transient_reset (BuskerTransient *self);
void busker_transient_set_param (BuskerTransient *self, uint32_t index, float value);
bool busker_transient_process (BuskerTransient *self, float *left, float *right,
                               uint32_t n);
