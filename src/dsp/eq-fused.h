/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The settled stereo bands of one EQ block, run fused: every section of
 * every such band in one pass per group of up to three sections (up to six
 * sections in one skewed pass), left and right as the two lanes of one
 * vector register. One band per pass leaves the CPU waiting on each
 * section's recursion; several sections in one loop overlap their chains.
 * A group rounds to float once, at its output. Two builds (dsp-isa.h);
 * eq.c picks one per instance. RT-safe.
 */
#pragma once

#include <stdint.h>

#include "biquad.h"
#include "dsp-isa.h"

/* One section: its coefficients and the left and right states. */
typedef struct {
  const BuskerBiquadCoefsD *c;
  BuskerBiquadStateD *z0, *z1;
} BuskerEqFusedSection;

/* Runs sec[0 .. *ns - 1] in order over l and r (n frames, in place) and
 * sets *ns to 0. */
typedef void (*BuskerEqFusedFlush) (const BuskerEqFusedSection *sec, int *ns, float *l,
                                    float *r, uint32_t n);

void busker_eq_fused_flush_baseline (const BuskerEqFusedSection *sec, int *ns, float *l,
                                     float *r, uint32_t n);
void busker_eq_fused_flush_v3 (const BuskerEqFusedSection *sec, int *ns, float *l, float *r,
                               uint32_t n);
