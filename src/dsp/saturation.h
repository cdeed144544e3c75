/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Oversampled saturation ("saturation" insert): tape, tube, soft clip.
 * See saturation.c.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "effect.h"

typedef struct BuskerSaturation BuskerSaturation;

extern const BuskerEffectClass busker_saturation_class;

/* Main thread. factor is the oversampling (2 or 4); the class uses
 * busker_saturation_default_factor (). NULL on allocation failure. */
BuskerSaturation *busker_saturation_new (double sample_rate, uint32_t max_block,
                                         uint32_t factor);
void busker_saturation_free (BuskerSaturation *self);
uint32_t busker_saturation_default_factor (double sample_rate);

/* RT-safe from here on. */
void busker_saturation_reset (BuskerSaturation *self);
void busker_saturation_set_drive_db (BuskerSaturation *self, float db);
void busker_saturation_set_character (BuskerSaturation *self, int character);
void busker_saturation_set_mix (BuskerSaturation *self, float mix);
void busker_saturation_set_output_db (BuskerSaturation *self, float db);
bool busker_saturation_process (BuskerSaturation *self, float *left, float *right, uint32_t n);
uint32_t busker_saturation_latency (const BuskerSaturation *self);

/* The curves at unit drive, for tests and the GUI's transfer plot. */
float busker_saturation_curve (int character, float x);
