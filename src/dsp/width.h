/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stereo width with bass mono; see width.c for the design. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "effect.h"

typedef struct BuskerWidth BuskerWidth;

/* Main thread: may allocate. NULL on failure. */
BuskerWidth *busker_width_new (double sample_rate);
void busker_width_free (BuskerWidth *self);

/* RT-safe from here on. */
void busker_width_reset (BuskerWidth *self);
/* 0 mono, 1 unchanged, 2 twice the side signal. */
void busker_width_set_width (BuskerWidth *self, float width);
/* Side signal below this frequency is removed; 0 turns it off. */
void busker_width_set_bass_mono_hz (BuskerWidth *self, float hz);
bool busker_width_process (BuskerWidth *self, float *left, float *right, uint32_t n);

extern const BuskerEffectClass busker_width_class;
