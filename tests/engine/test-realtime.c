/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The real-time rule for the engine side: no allocation or free inside
 * busker_process_run or busker_plan_swap_acquire, with every registered
 * effect type in the plan, sends, buses, parameter changes, bypass, mute
 * and solo moving between blocks, and a plan swap. The allocator is
 * interposed and counts only while the audio side runs. Not run under
 * AddressSanitizer, which owns malloc itself.
 */
#include <stdlib.h>

#include "engine-test.h"
#include "engine/busker-plan-swap.h"

extern void *__libc_malloc (size_t size);
extern void *__libc_calloc (size_t n, size_t size);
extern void *__libc_realloc (void *p, size_t size);
extern void __libc_free (void *p);

static volatile int audio_side;
static volatile int calls;

void *
malloc (size_t size)
{
  calls += audio_side;
  return __libc_malloc (size);
}

void *
calloc (size_t n, size_t size)
{
  calls += audio_side;
  return __libc_calloc (n, size);
}

void *
realloc (void *p, size_t size)
{
  calls += audio_side;
  return __libc_realloc (p, size);
}

void
free (void *p)
{
  calls += audio_side && p != NULL;
  __libc_free (p);
}

#define BLOCK 256

/* Every registered effect on track 0 (pre-fader) and on the subgroup
 * (post-fader); track 1 sends pre- and post-fader to the aux. */
static BuskerPlan *
make_plan (float master_db)
{
  uint32_t n_classes = 0;
  while (busker_effect_classes[n_classes] != NULL)
    n_classes++;

  g_autoptr (BuskerMixDesc) d = busker_mix_desc_new (5, 48000);
  d->strips[0].id = g_strdup ("a");
  d->strips[0].output = 2;
  d->strips[1].id = g_strdup ("b");
  d->strips[1].output = 4;
  d->strips[2].id = g_strdup ("sub");
  d->strips[2].kind = BUSKER_STRIP_SUBGROUP;
  d->strips[2].output = 4;
  d->strips[3].id = g_strdup ("aux");
  d->strips[3].kind = BUSKER_STRIP_AUX;
  d->strips[3].output = 4;
  d->strips[4].id = g_strdup ("master");
  d->strips[4].kind = BUSKER_STRIP_MASTER;
  d->strips[4].gain_db = master_db;
  busker_strip_desc_alloc_inserts (&d->strips[0], n_classes);
  busker_strip_desc_alloc_inserts (&d->strips[2], n_classes);
  for (uint32_t k = 0; k < n_classes; k++)
    {
      busker_insert_desc_init (&d->strips[0].inserts[k], busker_effect_classes[k]);
      busker_insert_desc_init (&d->strips[2].inserts[k], busker_effect_classes[k]);
      d->strips[2].inserts[k].post_fader = true;
    }
  busker_strip_desc_alloc_sends (&d->strips[1], 2);
  d->strips[1].sends[0] = (BuskerSendDesc) { .to = 3, .level_db = -6, .pre_fader = true };
  d->strips[1].sends[1] = (BuskerSendDesc) { .to = 3, .level_db = -12, .pan = 0.5f };

  g_autoptr (GError) error = NULL;
  BuskerPlan *plan = busker_plan_new (d, BLOCK, &error);
  g_assert_no_error (error);
  return plan;
}

static void
run_blocks (BuskerPlanSwap *swap, int n_blocks, uint64_t *frame)
{
  for (int b = 0; b < n_blocks; b++, *frame += BLOCK)
    {
      audio_side = 1;
      BuskerPlan *plan = busker_plan_swap_acquire (swap);
      audio_side = 0;
      for (uint32_t s = 0; s < 2; s++)
        for (int c = 0; c < 2; c++)
          {
            float *in = busker_process_track_input (plan, s, c);
            for (int i = 0; i < BLOCK; i++)
              in[i] = 0.5f * test_noise (s * 2 + c, *frame + i);
          }
      audio_side = 1;
      busker_process_run (plan, BLOCK);
      audio_side = 0;
    }
}

static void
test_realtime_no_allocation (void)
{
  /* The interposition is live: one malloc and one free are seen. */
  audio_side = 1;
  free (g_malloc (16));
  audio_side = 0;
  g_assert_cmpint (calls, ==, 2);
  calls = 0;

  BuskerPlanSwap *swap = busker_plan_swap_new ();
  BuskerPlan *plan = make_plan (0);
  uint64_t frame = 0;
  busker_plan_swap_publish (swap, plan);
  run_blocks (swap, 4, &frame);

  /* Main-thread moves between blocks (not counted), audio blocks counted. */
  for (uint32_t k = 0; k < busker_plan_get_n_strips (plan); k++)
    busker_plan_set_strip_gain_db (plan, k, -3);
  busker_plan_set_strip_pan (plan, 0, -0.7f);
  busker_plan_set_send_level_db (plan, 1, 0, -20);
  busker_plan_set_insert_param (plan, 0, 0, 0, 0.5f);
  busker_plan_set_insert_bypass (plan, 2, 1, true);
  run_blocks (swap, 8, &frame);
  busker_plan_set_strip_solo (plan, 1, true);
  busker_plan_set_strip_mute (plan, 3, true);
  busker_plan_set_insert_bypass (plan, 2, 1, false);
  run_blocks (swap, 8, &frame);

  /* A structural edit arrives while running. */
  busker_plan_swap_publish (swap, make_plan (-6));
  run_blocks (swap, 8, &frame);
  busker_plan_swap_collect (swap);

  g_assert_cmpint (calls, ==, 0);
  busker_plan_swap_free (swap);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/realtime/no-allocation", test_realtime_no_allocation);
  return g_test_run ();
}
