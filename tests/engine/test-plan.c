/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The plan compiler: refusals, levels, latency bookkeeping. */
#include "engine-test.h"
#include "engine/busker-render.h"

static BuskerMixDesc *
chain_desc (void)
{
  /* 0 track -> 1 sub -> 3 master; 2 aux -> 3 master */
  BuskerMixDesc *d = busker_mix_desc_new (4, 48000);
  d->strips[0].output = 1;
  d->strips[1].kind = BUSKER_STRIP_SUBGROUP;
  d->strips[1].output = 3;
  d->strips[1].name = g_strdup ("Drums");
  d->strips[2].kind = BUSKER_STRIP_AUX;
  d->strips[2].output = 3;
  d->strips[2].name = g_strdup ("Reverb");
  d->strips[3].kind = BUSKER_STRIP_MASTER;
  return d;
}

static void
expect_invalid (const BuskerMixDesc *d, const char *needle)
{
  g_autoptr (GError) error = NULL;
  BuskerPlan *plan = busker_plan_new (d, 256, &error);
  g_assert_null (plan);
  g_assert_error (error, BUSKER_ENGINE_ERROR, BUSKER_ENGINE_ERROR_INVALID);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” does not name “%s”", error->message, needle);
}

static void
test_plan_refusals (void)
{
  g_autoptr (BuskerMixDesc) d = chain_desc ();

  d->sample_rate = 0;
  expect_invalid (d, "sample rate");
  d->sample_rate = 48000;

  d->strips[3].kind = BUSKER_STRIP_SUBGROUP;
  expect_invalid (d, "master");
  d->strips[3].kind = BUSKER_STRIP_MASTER;

  /* A track into an aux is not a route. */
  d->strips[0].output = 2;
  expect_invalid (d, "Reverb");
  d->strips[0].output = 1;

  /* Drums sends to Reverb, Reverb outputs to Drums: a loop. */
  busker_strip_desc_alloc_sends (&d->strips[1], 1);
  d->strips[1].sends[0].to = 2;
  d->strips[2].output = 1;
  expect_invalid (d, "Drums");
  d->strips[2].output = 3;

  /* The same routing without the loop compiles, in three levels. */
  g_autoptr (GError) error = NULL;
  BuskerPlan *plan = busker_plan_new (d, 256, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (busker_process_n_levels (plan), ==, 4);
  uint32_t n;
  const uint32_t *lvl = busker_process_level (plan, 3, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (lvl[0], ==, 3);
  g_assert_cmpuint (busker_plan_get_master (plan), ==, 3);
  busker_plan_free (plan);
}

static void
test_plan_latency (void)
{
  g_autoptr (BuskerMixDesc) d = chain_desc ();
  busker_strip_desc_alloc_inserts (&d->strips[1], 2);
  busker_insert_desc_init (&d->strips[1].inserts[0], &test_delay_class);
  d->strips[1].inserts[0].values[0] = 100;
  busker_insert_desc_init (&d->strips[1].inserts[1], &test_delay_class);
  d->strips[1].inserts[1].values[0] = 20;
  d->strips[1].inserts[1].post_fader = true;
  d->strips[1].inserts[1].bypass = true; /* still counted: it becomes a delay */

  g_autoptr (GError) error = NULL;
  BuskerPlan *plan = busker_plan_new (d, 256, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (busker_plan_get_strip_latency (plan, 0), ==, 0);
  g_assert_cmpuint (busker_plan_get_strip_latency (plan, 1), ==, 120);
  g_assert_cmpuint (busker_plan_get_latency (plan), ==, 120);
  busker_plan_free (plan);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/plan/refusals", test_plan_refusals);
  g_test_add_func ("/engine/plan/latency", test_plan_latency);
  return g_test_run ();
}
