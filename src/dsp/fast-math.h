/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * log2 and exp2 for the per-sample paths of the dynamics units, about five
 * times cheaper than libm and accurate to a few 1e-6 (3e-5 dB): far below
 * what a gain computer needs. Inputs outside the float range are the
 * caller's business (log2 needs x > 0 and normal; exp2 is clamped to
 * [-126, 127]). RT-safe.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE__)
#include <xmmintrin.h>
#endif

static inline float
busker_fast_log2f (float x)
{
  int32_t bits;
  memcpy (&bits, &x, sizeof bits);
  /* Split x = m 2^e with m in [0.707, 1.414), without a branch (a noisy
   * signal would mispredict one half of the time): subtracting the bits of
   * 1/sqrt 2 moves the exponent boundary there. */
  int32_t e = (bits - 0x3f3504f3) >> 23;
  bits -= (int32_t) ((uint32_t) e << 23);
  float m;
  memcpy (&m, &bits, sizeof m);
  /* ln m = 2 atanh t, t = (m - 1) / (m + 1), |t| < 0.172. */
  float t = (m - 1.0f) / (m + 1.0f);
  float t2 = t * t;
  float ln_m = 2.0f * t * (1.0f + t2 * (1.0f / 3 + t2 * (1.0f / 5 + t2 * (1.0f / 7))));
  return (float) e + ln_m * 1.44269504f;
}

static inline float
busker_fast_exp2f (float x)
{
  x = x < -126.0f ? -126.0f : x;
  x = x > 127.0f ? 127.0f : x;
  int n = (int) (x + 128.5f) - 128; /* round to nearest, no branch */
  float f = (x - (float) n) * 0.69314718f; /* |f| <= ln2 / 2 */
  /* e^f, Taylor to degree 6: error below 2e-7 on that interval. */
  float p = 1.0f + f * (1.0f + f * (0.5f + f * (1.0f / 6 + f * (1.0f / 24
            + f * (1.0f / 120 + f * (1.0f / 720))))));
  uint32_t bits = (uint32_t) (n + 127) << 23;
  float scale;
  memcpy (&scale, &bits, sizeof scale);
  return p * scale;
}

/* max and min that compile to one instruction: libm's fmaxf/fminf are
 * calls unless NaN semantics are relaxed, and these paths never see NaN
 * (the units check their blocks). */
static inline float
busker_maxf (float a, float b)
{
  return a > b ? a : b;
}

static inline float
busker_minf (float a, float b)
{
  return a < b ? a : b;
}

/* Four lanes at once with GCC/Clang vector extensions (SSE on x86-64, NEON
 * on ARM, plain code elsewhere): the same approximations as above, for
 * loops the compiler will not vectorize by itself. */
typedef float BuskerV4f __attribute__ ((vector_size (16)));
typedef int32_t BuskerV4i __attribute__ ((vector_size (16)));

static inline BuskerV4f
busker_v4_splat (float x)
{
  return (BuskerV4f) { x, x, x, x };
}

/* Four floats from p and to p, unaligned (memcpy compiles to one
 * instruction), and lane-wise |v| by clearing the sign bits. */
static inline BuskerV4f
busker_v4_load (const float *p)
{
  BuskerV4f v;
  memcpy (&v, p, sizeof v);
  return v;
}

static inline void
busker_v4_store (float *p, BuskerV4f v)
{
  memcpy (p, &v, sizeof v);
}

static inline BuskerV4f
busker_v4_abs (BuskerV4f v)
{
  const BuskerV4i mask = { 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff };
  return (BuskerV4f) ((BuskerV4i) v & mask);
}

/* Lane-wise a > b ? a : b, and a < b ? a : b. SSE's maxps and minps are
 * exactly that (b when either is NaN, b for +0 and -0); the compiler does
 * not find them in the mask form, which takes four instructions. */
static inline BuskerV4f
busker_v4_max (BuskerV4f a, BuskerV4f b)
{
#if defined(__SSE__)
  return (BuskerV4f) _mm_max_ps ((__m128) a, (__m128) b);
#else
  BuskerV4i m = a > b;
  return (BuskerV4f) (((BuskerV4i) a & m) | ((BuskerV4i) b & ~m));
#endif
}

static inline BuskerV4f
busker_v4_min (BuskerV4f a, BuskerV4f b)
{
#if defined(__SSE__)
  return (BuskerV4f) _mm_min_ps ((__m128) a, (__m128) b);
#else
  BuskerV4i m = a < b;
  return (BuskerV4f) (((BuskerV4i) a & m) | ((BuskerV4i) b & ~m));
#endif
}

/* Lane moves for scans across the four lanes: { 0, v0, v1, v2 },
 * { 0, 0, v0, v1 } and { v3, v3, v3, v3 }. */
#if defined(__clang__)
#define BUSKER_V4_SHUFFLE(a, b, i0, i1, i2, i3) __builtin_shufflevector (a, b, i0, i1, i2, i3)
#else
#define BUSKER_V4_SHUFFLE(a, b, i0, i1, i2, i3) \
  __builtin_shuffle (a, b, (BuskerV4i) { i0, i1, i2, i3 })
#endif

static inline BuskerV4f
busker_v4_shift1 (BuskerV4f v)
{
  return BUSKER_V4_SHUFFLE (v, busker_v4_splat (0.0f), 4, 0, 1, 2);
}

static inline BuskerV4f
busker_v4_shift2 (BuskerV4f v)
{
  return BUSKER_V4_SHUFFLE (v, busker_v4_splat (0.0f), 4, 5, 0, 1);
}

static inline BuskerV4f
busker_v4_last (BuskerV4f v)
{
  return BUSKER_V4_SHUFFLE (v, v, 3, 3, 3, 3);
}

static inline BuskerV4f
busker_fast_log2_v4 (BuskerV4f x)
{
  BuskerV4i bits = (BuskerV4i) x;
  BuskerV4i e = (bits - 0x3f3504f3) >> 23;
  bits -= e << 23;
  BuskerV4f m = (BuskerV4f) bits;
  BuskerV4f t = (m - 1.0f) / (m + 1.0f);
  BuskerV4f t2 = t * t;
  BuskerV4f ln_m = 2.0f * t * (1.0f + t2 * (1.0f / 3 + t2 * (1.0f / 5 + t2 * (1.0f / 7))));
  return __builtin_convertvector (e, BuskerV4f) + ln_m * 1.44269504f;
}

static inline BuskerV4f
busker_fast_exp2_v4 (BuskerV4f x)
{
  x = busker_v4_min (busker_v4_max (x, busker_v4_splat (-126.0f)), busker_v4_splat (127.0f));
  BuskerV4i n = __builtin_convertvector (x + 128.5f, BuskerV4i) - 128;
  BuskerV4f f = (x - __builtin_convertvector (n, BuskerV4f)) * 0.69314718f;
  BuskerV4f p = 1.0f + f * (1.0f + f * (0.5f + f * (1.0f / 6 + f * (1.0f / 24
                + f * (1.0f / 120 + f * (1.0f / 720))))));
  return p * (BuskerV4f) ((n + 127) << 23);
}

/* True when every sample of both channels is finite: the check every unit
 * runs per block. x - x is 0 for every finite x and NaN for Inf and NaN,
 * so sums of it stay 0 until a sample is not finite. One pass, eight
 * frames at a time into four sums, so no add waits on the one before
 * (three quarters of the instructions of comparing exponent bits, which
 * this replaced: callgrind showed the check at a twelfth of the benchmark
 * chain). RT-safe */
static inline bool
busker_stereo_is_finite (const float *l, const float *r, uint32_t n)
{
  BuskerV4f s0 = busker_v4_splat (0.0f), s1 = s0, s2 = s0, s3 = s0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    {
      BuskerV4f a = busker_v4_load (l + i), b = busker_v4_load (r + i);
      BuskerV4f c = busker_v4_load (l + i + 4), d = busker_v4_load (r + i + 4);
      s0 += a - a;
      s1 += b - b;
      s2 += c - c;
      s3 += d - d;
    }
  for (; i + 4 <= n; i += 4)
    {
      BuskerV4f a = busker_v4_load (l + i), b = busker_v4_load (r + i);
      s0 += a - a;
      s1 += b - b;
    }
  BuskerV4f s = (s0 + s1) + (s2 + s3);
  float t = (s[0] + s[1]) + (s[2] + s[3]);
  for (; i < n; i++)
    t += (l[i] - l[i]) + (r[i] - r[i]);
  return t == 0.0f;
}

