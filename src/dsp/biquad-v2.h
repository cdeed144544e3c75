/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Double-precision biquad sections (biquad.h's transposed direct form II)
 * with left and right as the two lanes of one SSE2 register, for loops
 * that run several sections per sample so their recursions overlap.
 *
 * Each step rounds its output to float, as a section-per-pass loop that
 * stores to a float buffer does, so a fused cascade gives the same bits.
 * The rounding goes through a float vector: GCC 12's SLP pass drops it
 * from (V2d) { (float) y[0], (float) y[1] }. RT-safe.
 */
#pragma once

#include "biquad.h"

typedef double BuskerV2d __attribute__ ((vector_size (16)));
typedef float BuskerV2f __attribute__ ((vector_size (8)));

typedef struct {
  BuskerV2d b0, b1, b2, a1, a2;
} BuskerSectionV2;

static inline BuskerSectionV2
busker_section_v2 (const BuskerBiquadCoefsD *c)
{
  return (BuskerSectionV2) { { c->b0, c->b0 }, { c->b1, c->b1 }, { c->b2, c->b2 },
                             { c->a1, c->a1 }, { c->a2, c->a2 } };
}

/* One step without rounding: for a cascade whose sections pass doubles
 * to each other and round once at the end. */
static inline BuskerV2d
busker_section_v2_step (const BuskerSectionV2 *c, BuskerV2d *s1, BuskerV2d *s2, BuskerV2d u)
{
  BuskerV2d y = c->b0 * u + *s1;
  /* (b1 u + s2) first: the recursion through y is then one multiply and
   * one subtraction (and the add into the next y) */
  *s1 = (c->b1 * u + *s2) - c->a1 * y;
  *s2 = c->b2 * u - c->a2 * y;
  return y;
}

/* One step; s1, s2 are the states (left, right). Returns the output
 * rounded to float precision. */
static inline BuskerV2d
busker_section_v2_tick (const BuskerSectionV2 *c, BuskerV2d *s1, BuskerV2d *s2, BuskerV2d u)
{
  BuskerV2d y = c->b0 * u + *s1;
  *s1 = c->b1 * u - c->a1 * y + *s2;
  *s2 = c->b2 * u - c->a2 * y;
  return __builtin_convertvector (__builtin_convertvector (y, BuskerV2f), BuskerV2d);
}
