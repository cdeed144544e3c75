/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Four floats in one SSE/NEON register, through GCC/Clang vector
 * extensions: GCC's -O2 does not vectorize loops of unknown length, and
 * the loops that use these run for every strip of every block. Unaligned
 * loads via memcpy, which compiles to one instruction. RT-safe.
 */
#pragma once

#include <stdint.h>
#include <string.h>
#if defined(__SSE__)
#include <xmmintrin.h>
#endif

typedef float v4f __attribute__ ((vector_size (16)));
typedef int32_t v4i __attribute__ ((vector_size (16)));

static inline v4f
load4 (const float *p)
{
  v4f v;
  memcpy (&v, p, sizeof v);
  return v;
}

static inline void
store4 (float *p, v4f v)
{
  memcpy (p, &v, sizeof v);
}

static inline v4f
abs4 (v4f x)
{
  return (v4f) ((v4i) x & 0x7fffffff);
}

/* Lane-wise a > b ? a : b (b when either is NaN): SSE's maxps exactly;
 * GCC does not find it in the mask form. */
static inline v4f
max4 (v4f a, v4f b)
{
#if defined(__SSE__)
  return (v4f) _mm_max_ps ((__m128) a, (__m128) b);
#else
  v4i gt = a > b;
  return (v4f) ((gt & (v4i) a) | (~gt & (v4i) b));
#endif
}
