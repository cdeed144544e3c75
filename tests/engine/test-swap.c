/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Plan swap under a running process thread: the audio side only ever runs
 * whole blocks of one plan, never goes back to an older plan, and ends on
 * the last one published; the main thread frees every retired plan.
 */
#include "engine-test.h"
#include "engine/busker-plan-swap.h"

#include <stdatomic.h>

#define N_PLANS 300
#define BLOCK 64

typedef struct {
  BuskerPlanSwap *swap;
  gint stop;
  _Atomic float last_gain; /* read by the main thread while it waits */
  guint cycles;
  gboolean bad_block;
  gboolean went_back;
} Audio;

static gpointer
audio_thread (gpointer data)
{
  Audio *a = data;
  while (!g_atomic_int_get (&a->stop))
    {
      BuskerPlan *plan = busker_plan_swap_acquire (a->swap);
      if (plan == NULL)
        continue;
      for (int c = 0; c < 2; c++)
        for (int i = 0; i < BLOCK; i++)
          busker_process_track_input (plan, 0, c)[i] = 1.0f;
      busker_process_run (plan, BLOCK);
      const float *out = busker_process_strip_output (plan, 1, 0);
      for (int i = 1; i < BLOCK; i++)
        if (out[i] != out[0])
          a->bad_block = TRUE;
      if (out[0] < a->last_gain)
        a->went_back = TRUE;
      a->last_gain = out[0];
      a->cycles++;
    }
  return NULL;
}

static BuskerPlan *
plan_with_gain (int k)
{
  g_autoptr (BuskerMixDesc) d = busker_mix_desc_new (2, 48000);
  d->strips[0].output = 1;
  d->strips[1].kind = BUSKER_STRIP_MASTER;
  d->strips[1].gain_db = -40.0f + 0.1f * k;
  g_autoptr (GError) error = NULL;
  BuskerPlan *plan = busker_plan_new (d, BLOCK, &error);
  g_assert_no_error (error);
  return plan;
}

static void
test_swap_running (void)
{
  Audio a = { .swap = busker_plan_swap_new () };
  GThread *thread = g_thread_new ("audio", audio_thread, &a);

  for (int k = 0; k < N_PLANS; k++)
    {
      busker_plan_swap_publish (a.swap, plan_with_gain (k));
      if (k % 7 == 0)
        g_usleep (200);
      busker_plan_swap_collect (a.swap);
    }
  /* Wait (bounded) for the last plan to come through. */
  float want = powf (10.0f, (-40.0f + 0.1f * (N_PLANS - 1)) / 20.0f);
  for (int tries = 0; tries < 5000 && g_atomic_int_get (&a.stop) == 0; tries++)
    {
      busker_plan_swap_collect (a.swap);
      if (fabsf (atomic_load (&a.last_gain) - want) < 1e-6f * want)
        break;
      g_usleep (1000);
    }
  g_atomic_int_set (&a.stop, 1);
  g_thread_join (thread);

  g_test_message ("%u audio cycles", a.cycles);
  g_assert_false (a.bad_block);
  g_assert_false (a.went_back);
  g_assert_cmpuint (a.cycles, >, 0);
  g_assert_cmpfloat_with_epsilon (a.last_gain, want, 1e-6 * want);
  busker_plan_swap_free (a.swap);
}

/* A track with a 100-frame delay unit into the master at master_db. */
static BuskerPlan *
delay_plan (float master_db, const char *extra_strip)
{
  g_autoptr (BuskerMixDesc) d = busker_mix_desc_new (extra_strip ? 3 : 2, 48000);
  d->strips[0].id = g_strdup ("t");
  d->strips[0].output = 1;
  busker_strip_desc_alloc_inserts (&d->strips[0], 1);
  busker_insert_desc_init (&d->strips[0].inserts[0], &test_delay_class);
  d->strips[0].inserts[0].values[0] = 100;
  d->strips[1].id = g_strdup ("master");
  d->strips[1].kind = BUSKER_STRIP_MASTER;
  d->strips[1].gain_db = master_db;
  if (extra_strip)
    {
      /* A structural edit: a new track in front of the others' units. */
      d->strips[2].id = g_strdup (extra_strip);
      d->strips[2].output = 1;
    }
  g_autoptr (GError) error = NULL;
  BuskerPlan *plan = busker_plan_new (d, BLOCK, &error);
  g_assert_no_error (error);
  return plan;
}

static void
test_swap_keeps_state (void)
{
  /* An impulse goes into the delay just before the swap; it must come out
   * of the new plan 100 frames later, at the new plan's master gain. */
  BuskerPlanSwap *swap = busker_plan_swap_new ();
  busker_plan_swap_publish (swap, delay_plan (0, NULL));
  BuskerPlan *plan = busker_plan_swap_acquire (swap);
  for (int c = 0; c < 2; c++)
    {
      memset (busker_process_track_input (plan, 0, c), 0, BLOCK * sizeof (float));
      busker_process_track_input (plan, 0, c)[BLOCK - 10] = 1.0f;
    }
  busker_process_run (plan, BLOCK);

  busker_plan_swap_publish (swap, delay_plan (-6, "new-track"));
  plan = busker_plan_swap_acquire (swap);
  float got = 0.0f;
  int at = -1;
  for (int b = 0; b < 4; b++)
    {
      for (uint32_t s = 0; s < 3; s += 2)
        for (int c = 0; c < 2; c++)
          memset (busker_process_track_input (plan, s, c), 0, BLOCK * sizeof (float));
      busker_process_run (plan, BLOCK);
      const float *out = busker_process_strip_output (plan, 1, 0);
      for (int i = 0; i < BLOCK; i++)
        if (out[i] != 0.0f)
          {
            got = out[i];
            at = BLOCK + b * BLOCK + i;
          }
    }
  g_assert_cmpint (at, ==, BLOCK - 10 + 100);
  g_assert_cmpfloat_with_epsilon (got, powf (10.0f, -6.0f / 20), 1e-6);
  g_assert_cmpuint (busker_plan_swap_collect (swap), ==, 1);
  busker_plan_swap_free (swap);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/swap/running", test_swap_running);
  g_test_add_func ("/engine/swap/keeps-state", test_swap_keeps_state);
  return g_test_run ();
}
