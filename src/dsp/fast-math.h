/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * log2 and exp2 for the per-sample paths of the dynamics units, about five
 * times cheaper than libm and accurate to a few 1e-6 (3e-5 dB): far below
 * what a gain computer needs. Inputs outside the float range are the
 * caller's business (log2 needs x > 0 and normal; exp2 is clamped to
 * [-126, 127]). RT-safe.
 */
#pragma once

#include <stdint.h>
#include <string.h>

static inline float
busker_fast_log2f (float x)
{
  uint32_t bits;
  memcpy (&bits, &x, sizeof bits);
  int e = (int) ((bits >> 23) & 0xff) - 127;
  bits = (bits & 0x007fffffu) | 0x3f800000u; /* mantissa in [1, 2) */
  float m;
  memcpy (&m, &bits, sizeof m);
  if (m > 1.41421356f) /* centre on 1: m in [0.707, 1.414) */
    {
      m *= 0.5f;
      e += 1;
    }
  /* ln m = 2 atanh t, t = (m - 1) / (m + 1), |t| < 0.172. */
  float t = (m - 1.0f) / (m + 1.0f);
  float t2 = t * t;
  float ln_m = 2.0f * t * (1.0f + t2 * (1.0f / 3 + t2 * (1.0f / 5 + t2 * (1.0f / 7))));
  return (float) e + ln_m * 1.44269504f;
}

static inline float
busker_fast_exp2f (float x)
{
  if (x < -126.0f)
    x = -126.0f;
  if (x > 127.0f)
    x = 127.0f;
  float n = x < 0.0f ? (float) (int) (x - 0.5f) : (float) (int) (x + 0.5f);
  float f = (x - n) * 0.69314718f; /* |f| <= ln2 / 2 */
  /* e^f, Taylor to degree 6: error below 2e-7 on that interval. */
  float p = 1.0f + f * (1.0f + f * (0.5f + f * (1.0f / 6 + f * (1.0f / 24
            + f * (1.0f / 120 + f * (1.0f / 720))))));
  uint32_t bits = (uint32_t) ((int) n + 127) << 23;
  float scale;
  memcpy (&scale, &bits, sizeof scale);
  return p * scale;
}
