/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The real-time rule for the engine side: no allocation, free, lock,
 * blocking call or logging inside busker_process_run or
 * busker_plan_swap_acquire (the real-time trap, tests/rt-trap.h), with
 * every registered effect type in the plan, sends, buses, parameter
 * changes, bypass, mute and solo moving between blocks, and plan swaps —
 * first between blocks on one thread, then from the main thread while an
 * audio thread runs marked. Not run under AddressSanitizer, which owns
 * malloc itself.
 */
#include <stdlib.h>

#include "engine-test.h"
#include "engine/busker-plan-swap.h"
#include "rt-trap.h"

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
      rt_trap_enter ();
      BuskerPlan *plan = busker_plan_swap_acquire (swap);
      rt_trap_leave ();
      for (uint32_t s = 0; s < 2; s++)
        for (int c = 0; c < 2; c++)
          {
            float *in = busker_process_track_input (plan, s, c);
            for (int i = 0; i < BLOCK; i++)
              in[i] = 0.5f * test_noise (s * 2 + c, *frame + i);
          }
      rt_trap_enter ();
      busker_process_run (plan, BLOCK);
      rt_trap_leave ();
    }
}

static void
test_realtime_no_allocation (void)
{
  /* The trap is live: one malloc and one free are seen. */
  rt_trap_enter ();
  free (g_malloc (16));
  g_assert_cmpuint (rt_trap_leave_quiet (NULL), ==, 2);

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
  busker_plan_swap_free (swap);
}

typedef struct {
  BuskerPlanSwap *swap;
  gint stop;
  gint cycles;
  float peak;
} AudioThread;

/* A real audio thread: marked for its whole life, one cycle after the
 * other; rt_trap_leave at the end fails the test if any cycle made an
 * unsafe call. Inputs are filled inside the marked region too: that is
 * what a node's process callback does. */
static gpointer
audio_thread (gpointer data)
{
  AudioThread *a = data;
  uint64_t frame = 0;
  rt_trap_enter ();
  while (!g_atomic_int_get (&a->stop))
    {
      BuskerPlan *plan = busker_plan_swap_acquire (a->swap);
      if (plan == NULL)
        continue;
      for (uint32_t s = 0; s < 2; s++)
        for (int c = 0; c < 2; c++)
          {
            float *in = busker_process_track_input (plan, s, c);
            for (int i = 0; i < BLOCK; i++)
              in[i] = 0.5f * test_noise (s * 2 + c, frame + i);
          }
      busker_process_run (plan, BLOCK);
      const float *out = busker_process_strip_output (plan, busker_plan_get_master (plan), 0);
      for (int i = 0; i < BLOCK; i++)
        a->peak = fmaxf (a->peak, fabsf (out[i]));
      frame += BLOCK;
      g_atomic_int_inc (&a->cycles);
    }
  rt_trap_leave ();
  return NULL;
}

static void
wait_cycles (AudioThread *a, int n)
{
  int until = g_atomic_int_get (&a->cycles) + n;
  while (g_atomic_int_get (&a->cycles) < until)
    g_usleep (100);
}

/* The main thread publishes 20 plans and moves parameters while the audio
 * thread runs; each swap is picked up (collect frees the old plan only
 * after the audio side let go of it). */
static void
test_realtime_threaded_swaps (void)
{
  AudioThread a = { .swap = busker_plan_swap_new () };
  BuskerPlan *plan = make_plan (0);
  busker_plan_swap_publish (a.swap, plan);
  GThread *thread = g_thread_new ("audio", audio_thread, &a);
  guint freed = 0;

  for (int k = 0; k < 20; k++)
    {
      wait_cycles (&a, 3);
      for (uint32_t s = 0; s < busker_plan_get_n_strips (plan); s++)
        busker_plan_set_strip_gain_db (plan, s, -(float) k);
      busker_plan_set_strip_mute (plan, 0, k % 2);
      busker_plan_set_send_pan (plan, 1, 1, (k % 3) - 1.0f);
      plan = make_plan (-(float) k);
      busker_plan_swap_publish (a.swap, plan);
      wait_cycles (&a, 3);
      freed += busker_plan_swap_collect (a.swap);
    }
  g_atomic_int_set (&a.stop, 1);
  g_thread_join (thread);
  freed += busker_plan_swap_collect (a.swap);
  busker_plan_swap_free (a.swap);
  /* Every plan but the last was let go of and freed on the main thread. */
  g_assert_cmpuint (freed, ==, 20);
  g_assert_cmpfloat (a.peak, >, 0.0f);
  g_assert_true (isfinite (a.peak));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/realtime/no-allocation", test_realtime_no_allocation);
  g_test_add_func ("/engine/realtime/threaded-swaps", test_realtime_threaded_swaps);
  return g_test_run ();
}
