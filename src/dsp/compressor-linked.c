/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The compressor's linked pass (compressor-linked.h). Compiled twice, for
 * the baseline and for x86-64-v3 (dsp-isa.h).
 */
#include "compressor-linked.h"

#include <math.h>
#include <string.h>

/* Frames per pass: the gains of a chunk wait in a stack array. */
#define LINKED_CHUNK 64

/* RT-safe */
void
BUSKER_DSP_KERNEL (busker_comp_linked_run) (const BuskerCompGainComputer *gc,
                                            BuskerCompBallistics *b, const float *levels,
                                            float *l, float *r, uint32_t m, BuskerV4f v_dry,
                                            BuskerV4f v_wet)
{
  const BuskerV4i abs_mask = { 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff };
  BuskerV4f held = busker_v4_splat (b->held_db), gr = busker_v4_splat (b->gr_db);
  const uint32_t whole = m & ~3u;
  BuskerV4f t[LINKED_CHUNK / 4];

  for (uint32_t off = 0; off < whole; off += LINKED_CHUNK)
    {
      const uint32_t groups = (whole - off < LINKED_CHUNK ? whole - off : LINKED_CHUNK) / 4;
      float *pl = l + off, *pr = r + off;
      for (uint32_t j = 0; j < groups; j++)
        {
          BuskerV4f v;
          if (levels != NULL)
            memcpy (&v, levels + off + 4 * j, sizeof v);
          else
            {
              BuskerV4i a, c;
              memcpy (&a, pl + 4 * j, sizeof a);
              memcpy (&c, pr + 4 * j, sizeof c);
              v = busker_v4_max ((BuskerV4f) (a & abs_mask), (BuskerV4f) (c & abs_mask));
            }
          t[j] = busker_comp_gain_computer_v4 (gc, v);
        }
      for (uint32_t j = 0; j < groups; j++)
        t[j] = busker_comp_ballistics_step_v4 (&b->v, &held, &gr, t[j]);
      for (uint32_t j = 0; j < groups; j++)
        {
          BuskerV4f k = v_dry + v_wet * busker_fast_exp2_v4 (t[j] * (-1.0f / BUSKER_DB_PER_LOG2));
          BuskerV4f vl, vr;
          memcpy (&vl, pl + 4 * j, sizeof vl);
          memcpy (&vr, pr + 4 * j, sizeof vr);
          vl *= k;
          vr *= k;
          memcpy (pl + 4 * j, &vl, sizeof vl);
          memcpy (pr + 4 * j, &vr, sizeof vr);
        }
    }
  b->held_db = held[0];
  b->gr_db = gr[0];
  if (whole == m)
    return;
  BuskerV4f v = busker_v4_splat (0.0f);
  for (uint32_t j = whole; j < m; j++)
    v[j - whole] = levels != NULL ? levels[j] : busker_maxf (fabsf (l[j]), fabsf (r[j]));
  BuskerV4f g = busker_comp_gain_computer_v4 (gc, v);
  for (uint32_t j = whole; j < m; j++)
    g[j - whole] = busker_comp_ballistics_step (b, g[j - whole]);
  BuskerV4f k = v_dry + v_wet * busker_fast_exp2_v4 (g * (-1.0f / BUSKER_DB_PER_LOG2));
  for (uint32_t j = whole; j < m; j++)
    {
      l[j] *= k[j - whole];
      r[j] *= k[j - whole];
    }
}
