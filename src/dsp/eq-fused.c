/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The EQ's settled stereo bands of one block, run fused (eq-fused.h).
 * Compiled twice, for the baseline and for x86-64-v3 (dsp-isa.h).
 */
#include "eq-fused.h"

#include "biquad-v2.h"

/* RT-safe */
static inline BuskerV2d
load_lr (const float *l, const float *r, uint32_t i)
{
  return (BuskerV2d) { l[i], r[i] };
}

/* RT-safe */
static inline void
store_lr (float *l, float *r, uint32_t i, BuskerV2d y)
{
  l[i] = (float) y[0];
  r[i] = (float) y[1];
}

/* RT-safe */
static void
fused_run (const BuskerEqFusedSection *sec, int ns, float *l, float *r, uint32_t n)
{
  BuskerSectionV2 c[3];
  BuskerV2d s1[3], s2[3];

  for (int k = 0; k < ns; k++)
    {
      c[k] = busker_section_v2 (sec[k].c);
      s1[k] = (BuskerV2d) { sec[k].z0->z1, sec[k].z1->z1 };
      s2[k] = (BuskerV2d) { sec[k].z0->z2, sec[k].z1->z2 };
    }
  if (ns == 3 && n >= 2)
    {
      /* Skewed: one iteration runs section 1 on sample i, section 2 on
       * i - 1 and section 3 on i - 2, so the three are independent within
       * it and the path through all three spreads over three iterations. */
      BuskerV2d p1 = s1[0], p2 = s2[0], q1 = s1[1], q2 = s2[1], w1 = s1[2], w2 = s2[2];
      BuskerV2d a = busker_section_v2_step (&c[0], &p1, &p2, load_lr (l, r, 0));
      BuskerV2d b = busker_section_v2_step (&c[1], &q1, &q2, a);
      a = busker_section_v2_step (&c[0], &p1, &p2, load_lr (l, r, 1));
      for (uint32_t i = 2; i < n; i++)
        {
          BuskerV2d y = busker_section_v2_step (&c[2], &w1, &w2, b);
          b = busker_section_v2_step (&c[1], &q1, &q2, a);
          a = busker_section_v2_step (&c[0], &p1, &p2, load_lr (l, r, i));
          store_lr (l, r, i - 2, y);
        }
      store_lr (l, r, n - 2, busker_section_v2_step (&c[2], &w1, &w2, b));
      b = busker_section_v2_step (&c[1], &q1, &q2, a);
      store_lr (l, r, n - 1, busker_section_v2_step (&c[2], &w1, &w2, b));
      s1[0] = p1, s2[0] = p2, s1[1] = q1, s2[1] = q2, s1[2] = w1, s2[2] = w2;
    }
  else if (ns >= 2 && n >= 1)
    {
      /* Skewed as above: section 1 on sample i, section 2 on i - 1; a
       * third section, for n = 1, runs after. */
      BuskerV2d p1 = s1[0], p2 = s2[0], q1 = s1[1], q2 = s2[1];
      BuskerV2d a = busker_section_v2_step (&c[0], &p1, &p2, load_lr (l, r, 0));
      for (uint32_t i = 1; i < n; i++)
        {
          BuskerV2d y = busker_section_v2_step (&c[1], &q1, &q2, a);
          a = busker_section_v2_step (&c[0], &p1, &p2, load_lr (l, r, i));
          store_lr (l, r, i - 1, y);
        }
      store_lr (l, r, n - 1, busker_section_v2_step (&c[1], &q1, &q2, a));
      s1[0] = p1, s2[0] = p2, s1[1] = q1, s2[1] = q2;
      if (ns == 3)
        for (uint32_t i = 0; i < n; i++)
          store_lr (l, r, i, busker_section_v2_step (&c[2], &s1[2], &s2[2], load_lr (l, r, i)));
    }
  else if (ns == 1)
    {
      BuskerV2d p1 = s1[0], p2 = s2[0];
      for (uint32_t i = 0; i < n; i++)
        store_lr (l, r, i, busker_section_v2_step (&c[0], &p1, &p2, load_lr (l, r, i)));
      s1[0] = p1, s2[0] = p2;
    }
  for (int k = 0; k < ns; k++)
    {
      sec[k].z0->z1 = s1[k][0];
      sec[k].z1->z1 = s1[k][1];
      sec[k].z0->z2 = s2[k][0];
      sec[k].z1->z2 = s2[k][1];
    }
}

/* Section k's input in a pass of skewed_run: the sample, or section
 * k - 1's output of the pass before, rounded to float where two groups
 * of three meet. RT-safe */
static inline __attribute__ ((always_inline)) BuskerV2d
skewed_input (const BuskerV2d *y, int k, const float *l, const float *r, uint32_t i)
{
  if (k == 0)
    return load_lr (l, r, i);
  if (k % 3 == 0)
    return __builtin_convertvector (__builtin_convertvector (y[k - 1], BuskerV2f), BuskerV2d);
  return y[k - 1];
}

/* One pass of skewed_run for sample i: the sections in falling order, so
 * each reads its neighbour's output of the pass before; with every_one
 * false only those with a sample (i - k in 0 .. n - 1). RT-safe */
static inline __attribute__ ((always_inline)) void
skewed_pass (const BuskerSectionV2 *c, BuskerV2d *s1, BuskerV2d *s2, BuskerV2d *y, const int NS,
             const float *l, const float *r, int64_t i, int64_t n, bool every_one)
{
#pragma GCC unroll 6
  for (int k = NS - 1; k >= 0; k--)
    if (every_one || (i - k >= 0 && i - k < n))
      y[k] = busker_section_v2_step (&c[k], &s1[k], &s2[k], skewed_input (y, k, l, r, (uint32_t) i));
}

/* NS (4 to 6, a constant) sections in one skewed loop: in pass i, section
 * k works on sample i - k, so all NS recursions overlap, where
 * fused_run's groups of three leave the second group waiting on its
 * chains (about a tenth faster for five bands). The signal rounds to
 * float between sections 3 and 4 and at the output, as it does between
 * fused_run's groups: the same bits. RT-safe */
static inline __attribute__ ((always_inline)) void
skewed_run (const BuskerEqFusedSection *sec, const int NS, float *l, float *r, uint32_t n)
{
  BuskerSectionV2 c[6];
  BuskerV2d s1[6], s2[6], y[6];
  const int64_t last = NS - 1, end = (int64_t) n + last;
  int64_t i = 0;

#pragma GCC unroll 6
  for (int k = 0; k < NS; k++)
    {
      c[k] = busker_section_v2 (sec[k].c);
      s1[k] = (BuskerV2d) { sec[k].z0->z1, sec[k].z1->z1 };
      s2[k] = (BuskerV2d) { sec[k].z0->z2, sec[k].z1->z2 };
      y[k] = (BuskerV2d) { 0, 0 };
    }
  for (; i < last; i++) /* filling: nothing comes out yet */
    skewed_pass (c, s1, s2, y, NS, l, r, i, n, false);
  for (; i < (int64_t) n; i++)
    {
      skewed_pass (c, s1, s2, y, NS, l, r, i, n, true);
      store_lr (l, r, (uint32_t) (i - last), y[NS - 1]);
    }
  for (; i < end; i++) /* draining */
    {
      skewed_pass (c, s1, s2, y, NS, l, r, i, n, false);
      store_lr (l, r, (uint32_t) (i - last), y[NS - 1]);
    }
#pragma GCC unroll 6
  for (int k = 0; k < NS; k++)
    {
      sec[k].z0->z1 = s1[k][0];
      sec[k].z1->z1 = s1[k][1];
      sec[k].z0->z2 = s2[k][0];
      sec[k].z1->z2 = s2[k][1];
    }
}

/* Runs the collected sections: up to six in one skewed loop, more in
 * groups of three. RT-safe */
void
BUSKER_DSP_KERNEL (busker_eq_fused_flush) (const BuskerEqFusedSection *sec, int *ns, float *l,
                                           float *r, uint32_t n)
{
  int k = 0;

  if (*ns == 4)
    skewed_run (sec, 4, l, r, n), k = 4;
  else if (*ns == 5)
    skewed_run (sec, 5, l, r, n), k = 5;
  else if (*ns == 6)
    skewed_run (sec, 6, l, r, n), k = 6;
  for (; k < *ns; k += 3)
    fused_run (sec + k, *ns - k < 3 ? *ns - k : 3, l, r, n);
  *ns = 0;
}
