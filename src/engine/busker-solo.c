/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Solo-in-place.
 *
 * With no strip soloed, a strip is audible unless it is muted.
 *
 * With at least one strip soloed, a strip is audible when
 *  - it is soloed itself, or
 *  - it is downstream of a soloed strip, following outputs and send
 *    targets (the subgroup, aux and master a soloed track feeds), or
 *  - it is upstream of a soloed strip through output chains only (the
 *    tracks and subgroups that feed a soloed subgroup: soloing a drum bus
 *    plays the drums), or
 *  - it is an aux bus or the master: returns are "solo safe", so a soloed
 *    track keeps its reverb. Only the audible strips' sends reach an aux,
 *    so the aux carries nothing but the soloed material.
 * Upstream does not follow sends: soloing an aux does not un-mute every
 * track that sends to it (that is what soloing those tracks is for).
 *
 * An explicitly muted strip is never audible, whatever the solos say; the
 * engine silences an inaudible strip's output and its sends alike.
 *
 * Cost is O(strips + edges) downstream and O(strips x depth) upstream. It
 * allocates scratch arrays, so it runs on the main thread; the engine calls
 * it whenever a mute or solo changes and publishes the result as atomics.
 * It terminates on any routing, cycles included (marks only ever grow).
 */
#include "busker-solo.h"

#include <string.h>

static bool
valid_index (const BuskerMixDesc *desc, int64_t index)
{
  return index >= 0 && index < (int64_t) desc->n_strips;
}

/* Marks everything reachable downstream of the strips already marked. */
static void
mark_downstream (const BuskerMixDesc *desc, bool *mark, uint32_t *stack)
{
  uint32_t top = 0;

  for (uint32_t i = 0; i < desc->n_strips; i++)
    if (mark[i])
      stack[top++] = i;

  while (top > 0)
    {
      const BuskerStripDesc *s = &desc->strips[stack[--top]];

      if (valid_index (desc, s->output) && !mark[s->output])
        {
          mark[s->output] = true;
          stack[top++] = (uint32_t) s->output;
        }
      for (uint32_t k = 0; k < s->n_sends; k++)
        {
          uint32_t to = s->sends[k].to;
          if (valid_index (desc, to) && !mark[to])
            {
              mark[to] = true;
              stack[top++] = to;
            }
        }
    }
}

/* Marks every strip whose output chain reaches a soloed strip. Iterates to
 * a fixed point; output chains are short, so this stays cheap. */
static void
mark_upstream (const BuskerMixDesc *desc, const bool *soloed, bool *mark)
{
  bool changed = true;

  while (changed)
    {
      changed = false;
      for (uint32_t i = 0; i < desc->n_strips; i++)
        {
          int32_t out = desc->strips[i].output;
          if (!mark[i] && valid_index (desc, out) && (soloed[out] || mark[out]))
            {
              mark[i] = true;
              changed = true;
            }
        }
    }
}

void
busker_solo_resolve (const BuskerMixDesc *desc, bool *audible)
{
  uint32_t n = desc->n_strips;
  bool any_solo = false;

  for (uint32_t i = 0; i < n; i++)
    any_solo |= desc->strips[i].solo;

  if (!any_solo)
    {
      for (uint32_t i = 0; i < n; i++)
        audible[i] = !desc->strips[i].mute;
      return;
    }

  g_autofree bool *soloed = g_new (bool, n);
  g_autofree bool *up = g_new0 (bool, n);
  /* Each strip is pushed at most once. */
  g_autofree uint32_t *stack = g_new (uint32_t, n);

  for (uint32_t i = 0; i < n; i++)
    soloed[i] = audible[i] = desc->strips[i].solo;

  mark_downstream (desc, audible, stack);
  mark_upstream (desc, soloed, up);

  for (uint32_t i = 0; i < n; i++)
    {
      const BuskerStripDesc *s = &desc->strips[i];
      bool safe = s->kind == BUSKER_STRIP_AUX || s->kind == BUSKER_STRIP_MASTER;
      audible[i] = (audible[i] || up[i] || safe) && !s->mute;
    }
}
