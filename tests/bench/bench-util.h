/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the DSP benchmarks share: the calling thread's CPU time, and an
 * FNV-1a hash of output samples (to show a change left the bits alone). */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* CPU time of the calling thread, ns. */
static inline uint64_t
bench_thread_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

/* h, 64-bit FNV-1a, continued over the bytes of x[0 .. n - 1]. */
static inline uint64_t
bench_fnv1a (uint64_t h, const float *x, uint32_t n)
{
  const unsigned char *p = (const unsigned char *) x;
  for (size_t i = 0; i < n * sizeof (float); i++)
    h = (h ^ p[i]) * 1099511628211u;
  return h;
}

#define BENCH_FNV1A_START 14695981039346656037u
