/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The real-time rule for the transport and the recorder: no allocation,
 * free, lock, blocking call or logging (the real-time trap, rt-trap.h) in
 * a whole audio cycle — plan acquire, busker_transport_fill, process and
 * busker_recorder_push — while the main side seeks, loops, pauses, binds
 * new plans (tracks added, removed, moved) and a source goes missing, and
 * the disk and writer threads run. The trap is per thread, so those
 * threads may allocate. Not run under AddressSanitizer, which owns malloc
 * itself.
 */
#include <stdlib.h>

#include "rt-trap.h"
#include "transport-test.h"
#include "engine/busker-plan-swap.h"
#include "engine/busker-recorder.h"

#define RATE 48000
#define BLOCK 256

static void
test_transport_realtime_no_allocation (void)
{
  /* The trap is live. */
  rt_trap_enter ();
  free (g_malloc (16));
  g_assert_cmpuint (rt_trap_leave_quiet (NULL), ==, 2);

  g_autofree char *dir = g_dir_make_tmp ("busker-transport-rt-XXXXXX", NULL);
  char *paths[4] = {
    transport_test_wav (dir, "a.wav", RATE, 2, 2 * RATE, 1),
    transport_test_wav (dir, "b.wav", 44100, 1, 2 * 44100, 3),
    transport_test_wav (dir, "c.wav", RATE, 2, RATE, 5),
    transport_test_wav (dir, "d.wav", RATE, 2, 2 * RATE, 7),
  };
  const double offsets[] = { 0, 0.1, 0.5, 0 };
  g_autoptr (BuskerMixDesc) all = transport_test_desc (4, paths, offsets, RATE);
  char *two[] = { paths[2], paths[0] };
  g_autoptr (BuskerMixDesc) some = transport_test_desc (2, two, NULL, RATE);
  g_free (some->strips[0].id);
  some->strips[0].id = g_strdup ("t2");
  g_free (some->strips[1].id);
  some->strips[1].id = g_strdup ("t0");

  g_autoptr (GError) error = NULL;
  BuskerTransport *t = busker_transport_new (RATE, BLOCK);
  BuskerPlanSwap *swap = busker_plan_swap_new ();
  g_autofree char *out = g_build_filename (dir, "rec.wav", NULL);
  BuskerRecorder *rec = busker_recorder_new (out, RATE, &error);
  g_assert_no_error (error);

  busker_transport_play (t);
  for (int round = 0; round < 600; round++)
    {
      /* The main side, between cycles. */
      if (round % 50 == 0)
        {
          const BuskerMixDesc *d = round % 100 == 0 ? all : some;
          BuskerPlan *plan = busker_plan_new (d, BLOCK, &error);
          g_assert_no_error (error);
          busker_transport_bind (t, d, plan);
          busker_plan_swap_publish (swap, plan);
        }
      if (round % 37 == 5)
        busker_transport_seek (t, (round % 7) * 0.25);
      if (round % 120 == 60)
        busker_transport_set_loop (t, round % 240 == 60);
      if (round % 90 == 30)
        busker_transport_pause (t);
      if (round % 90 == 40)
        busker_transport_play (t);
      if (round == 300)
        g_unlink (paths[3]);
      busker_plan_swap_collect (swap);

      /* The audio side. */
      rt_trap_enter ();
      BuskerPlan *plan = busker_plan_swap_acquire (swap);
      busker_transport_fill (t, plan, BLOCK - (round % 3) * 17);
      busker_process_run (plan, BLOCK - (round % 3) * 17);
      uint32_t master = busker_plan_get_master (plan);
      busker_recorder_push (rec, busker_process_strip_output (plan, master, 0),
                            busker_process_strip_output (plan, master, 1),
                            BLOCK - (round % 3) * 17, RATE, 0);
      rt_trap_leave ();
      g_usleep (1000);
    }

  g_assert_true (busker_recorder_finish (rec, &error));
  g_assert_no_error (error);

  /* The cycles did play the files (the recording is not silence). */
  SF_INFO info;
  g_autofree float *back = transport_test_read (out, &info);
  float peak = 0.0f;
  for (sf_count_t i = 0; i < 2 * info.frames; i++)
    peak = fmaxf (peak, fabsf (back[i]));
  g_assert_cmpfloat (peak, >, 0.3f);
  busker_plan_swap_free (swap);
  busker_transport_free (t);
  for (int i = 0; i < 4; i++)
    g_free (paths[i]);
  transport_test_rmdir (g_steal_pointer (&dir));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/transport-realtime/no-allocation",
                   test_transport_realtime_no_allocation);
  return g_test_run ();
}
