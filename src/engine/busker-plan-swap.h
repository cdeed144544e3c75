/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Handing a new plan to a running audio thread without stopping it. See
 * busker-plan-swap.c.
 */
#pragma once

#include "busker-plan.h"

G_BEGIN_DECLS

typedef struct _BuskerPlanSwap BuskerPlanSwap;

BuskerPlanSwap *busker_plan_swap_new (void);
/* Frees every plan it holds; the audio side must have stopped. */
void busker_plan_swap_free (BuskerPlanSwap *swap);

/* Main thread. Takes the plan; it replaces the current one at the start
 * of the audio side's next cycle. A plan published before and never
 * picked up is freed at once. */
void busker_plan_swap_publish (BuskerPlanSwap *swap, BuskerPlan *plan);
/* Main thread: frees the plan the audio side let go of (the live node
 * calls it when its data thread says it swapped). Returns how many plans
 * it freed (0 or 1). */
guint busker_plan_swap_collect (BuskerPlanSwap *swap);

/* Audio thread, once at the start of each cycle: the plan to run, or
 * NULL before the first publish. RT-safe */
BuskerPlan *busker_plan_swap_acquire (BuskerPlanSwap *swap);

G_END_DECLS
