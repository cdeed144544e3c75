/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Plan swap: three pointers, no lock.
 *
 * - pending: main -> audio. publish() exchanges it; whatever it held was
 *   never seen by the audio side and is freed right there.
 * - current: the audio side's own; only acquire() touches it while the
 *   audio runs.
 * - retired: audio -> main. acquire() parks the plan it stops using here
 *   and collect() frees it. While retired is occupied, acquire() leaves
 *   pending alone for a cycle, so a plan is never dropped on the audio
 *   side and the audio side never frees.
 * The swap happens between two cycles, so the old plan has finished its
 * last block when it is parked, and the new plan takes over the old one's
 * running effect units where they match (busker_plan_adopt_units): an
 * edit does not cut a reverb tail or reset a compressor.
 */
#include "busker-plan-swap.h"

#include "busker-plan-private.h"

struct _BuskerPlanSwap {
  _Atomic (BuskerPlan *) pending;
  _Atomic (BuskerPlan *) retired;
  BuskerPlan *current;
};

BuskerPlanSwap *
busker_plan_swap_new (void)
{
  BuskerPlanSwap *swap = g_new0 (BuskerPlanSwap, 1);
  atomic_init (&swap->pending, NULL);
  atomic_init (&swap->retired, NULL);
  return swap;
}

void
busker_plan_swap_free (BuskerPlanSwap *swap)
{
  if (swap == NULL)
    return;
  busker_plan_free (atomic_exchange (&swap->pending, NULL));
  busker_plan_free (atomic_exchange (&swap->retired, NULL));
  busker_plan_free (swap->current);
  g_free (swap);
}

void
busker_plan_swap_publish (BuskerPlanSwap *swap, BuskerPlan *plan)
{
  busker_plan_swap_collect (swap);
  busker_plan_free (atomic_exchange_explicit (&swap->pending, plan, memory_order_acq_rel));
}

guint
busker_plan_swap_collect (BuskerPlanSwap *swap)
{
  BuskerPlan *old = atomic_exchange_explicit (&swap->retired, NULL, memory_order_acq_rel);
  if (old == NULL)
    return 0;
  busker_plan_free (old);
  return 1;
}

BuskerPlan *
busker_plan_swap_acquire (BuskerPlanSwap *swap)
{
  if (atomic_load_explicit (&swap->pending, memory_order_relaxed) == NULL
      || atomic_load_explicit (&swap->retired, memory_order_acquire) != NULL)
    return swap->current;

  BuskerPlan *next = atomic_exchange_explicit (&swap->pending, NULL, memory_order_acq_rel);
  if (next != NULL)
    {
      if (swap->current != NULL)
        {
          busker_plan_adopt_units (next, swap->current);
          atomic_store_explicit (&swap->retired, swap->current, memory_order_release);
        }
      swap->current = next;
    }
  return swap->current;
}
