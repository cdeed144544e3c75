/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Plan swap under a running process thread: the audio side only ever runs
 * whole blocks of one plan, never goes back to an older plan, and ends on
 * the last one published; the main thread frees every retired plan.
 */
#include "engine-test.h"
#include "engine/busker-plan-swap.h"

#define N_PLANS 300
#define BLOCK 64

typedef struct {
  BuskerPlanSwap *swap;
  gint stop;
  float last_gain;
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
      if (fabsf (((volatile Audio *) &a)->last_gain - want) < 1e-6f * want)
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/swap/running", test_swap_running);
  return g_test_run ();
}
