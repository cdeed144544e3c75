/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Latency compensation: two routes of one source must still null after
 * the bus where they meet, whatever look-ahead sits on one of them.
 */
#include "engine-test.h"

#define BLOCK 128
#define N_BLOCKS 40

enum { T0, T1, SUB_A, SUB_B, MASTER, N };

/* The same noise on T0 and T1; T0 -> A (with `klass`), T1 -> B, both
 * to the master. */
static BuskerMixDesc *
make_desc (const BuskerEffectClass *klass)
{
  BuskerMixDesc *d = busker_mix_desc_new (N, 48000);
  d->strips[T0].output = SUB_A;
  d->strips[T1].output = SUB_B;
  d->strips[SUB_A].kind = BUSKER_STRIP_SUBGROUP;
  d->strips[SUB_A].output = MASTER;
  d->strips[SUB_B].kind = BUSKER_STRIP_SUBGROUP;
  d->strips[SUB_B].output = MASTER;
  d->strips[MASTER].kind = BUSKER_STRIP_MASTER;
  busker_strip_desc_alloc_inserts (&d->strips[SUB_A], 1);
  busker_insert_desc_init (&d->strips[SUB_A].inserts[0], klass);
  return d;
}

/* Runs N_BLOCKS with the same quiet noise (-20 dBFS peak) on both tracks
 * and returns the worst error of the master against gain x input delayed
 * by the plan's latency, in dB. */
static double
run_against_delayed_input (BuskerPlan *plan, double gain, uint32_t skip)
{
  uint32_t latency = busker_plan_get_latency (plan);
  double err = 0, peak = 0;
  for (uint32_t b = 0; b < N_BLOCKS; b++)
    {
      for (uint32_t s = T0; s <= T1; s++)
        for (int c = 0; c < 2; c++)
          {
            float *in = busker_process_track_input (plan, s, c);
            for (uint32_t i = 0; i < BLOCK; i++)
              in[i] = 0.2f * test_noise (c, b * BLOCK + i);
          }
      busker_process_run (plan, BLOCK);
      for (int c = 0; c < 2; c++)
        {
          const float *out = busker_process_strip_output (plan, MASTER, c);
          for (uint32_t i = 0; i < BLOCK; i++)
            {
              int64_t t = (int64_t) (b * BLOCK + i) - latency;
              double want = t >= 0 ? gain * 0.2f * test_noise (c, t) : 0.0;
              if (b * BLOCK + i < skip)
                continue;
              err = fmax (err, fabs (want - out[i]));
              peak = fmax (peak, fabs (want));
            }
        }
    }
  return 20 * log10 (fmax (err, 1e-30) / peak);
}

static void
test_latency_delay_unit (void)
{
  g_autoptr (BuskerMixDesc) d = make_desc (&test_delay_class);
  d->strips[SUB_A].inserts[0].values[0] = 37;
  d->strips[SUB_A].inserts[0].values[1] = 0.5f;
  g_autoptr (GError) error = NULL;
  BuskerPlan *plan = busker_plan_new (d, BLOCK, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (busker_plan_get_latency (plan), ==, 37);

  g_assert_cmpfloat (run_against_delayed_input (plan, 1.5, 0), <, -120);

  /* Bypassed, the unit becomes a plain delay: the timing holds (the
   * first frames still hold the previous run). */
  busker_plan_set_insert_bypass (plan, SUB_A, 0, true);
  g_assert_cmpfloat (run_against_delayed_input (plan, 2.0, 64), <, -120);
  busker_plan_free (plan);
}

static void
test_latency_pre_fader_send (void)
{
  /* One track with a post-fader look-ahead unit and a pre-fader send:
   * the send taps before the unit, so the aux return must be delayed. */
  g_autoptr (BuskerMixDesc) d = busker_mix_desc_new (3, 48000);
  d->strips[0].output = 2;
  d->strips[1].kind = BUSKER_STRIP_AUX;
  d->strips[1].output = 2;
  d->strips[2].kind = BUSKER_STRIP_MASTER;
  busker_strip_desc_alloc_inserts (&d->strips[0], 1);
  busker_insert_desc_init (&d->strips[0].inserts[0], &test_delay_class);
  d->strips[0].inserts[0].values[0] = 50;
  d->strips[0].inserts[0].post_fader = true;
  busker_strip_desc_alloc_sends (&d->strips[0], 1);
  d->strips[0].sends[0] = (BuskerSendDesc) { .to = 1, .level_db = 0, .pre_fader = true };
  g_autoptr (GError) error = NULL;
  BuskerPlan *plan = busker_plan_new (d, BLOCK, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (busker_plan_get_latency (plan), ==, 50);

  double err = 0;
  for (uint32_t b = 0; b < 10; b++)
    {
      for (int c = 0; c < 2; c++)
        for (uint32_t i = 0; i < BLOCK; i++)
          busker_process_track_input (plan, 0, c)[i] = test_noise (c, b * BLOCK + i);
      busker_process_run (plan, BLOCK);
      const float *out = busker_process_strip_output (plan, 2, 0);
      for (uint32_t i = 0; i < BLOCK; i++)
        {
          int64_t t = (int64_t) (b * BLOCK + i) - 50;
          err = fmax (err, fabs ((t >= 0 ? 2.0 * test_noise (0, t) : 0.0) - out[i]));
        }
    }
  g_assert_cmpfloat (err, <, 1e-6);
  busker_plan_free (plan);
}

static void
test_latency_limiter (void)
{
  const BuskerEffectClass *limiter = busker_effect_class_lookup ("limiter");
  if (limiter == NULL)
    {
      g_test_skip ("no limiter class registered yet");
      return;
    }
  /* Ceiling 0 dBTP and input 20 dB below it: the limiter only delays. */
  g_autoptr (BuskerMixDesc) d = make_desc (limiter);
  d->strips[SUB_A].inserts[0].values[BUSKER_LIMITER_CEILING_DB] = 0;
  g_autoptr (GError) error = NULL;
  BuskerPlan *plan = busker_plan_new (d, BLOCK, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (busker_plan_get_latency (plan), >, 0);
  double err = run_against_delayed_input (plan, 2.0, 0);
  g_test_message ("limiter path null: %.1f dB", err);
  /* Below its ceiling the limiter is transparent, if not bit-exact. */
  g_assert_cmpfloat (err, <, -100);
  busker_plan_free (plan);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/latency/delay-unit", test_latency_delay_unit);
  g_test_add_func ("/engine/latency/pre-fader-send", test_latency_pre_fader_send);
  g_test_add_func ("/engine/latency/limiter", test_latency_limiter);
  return g_test_run ();
}
