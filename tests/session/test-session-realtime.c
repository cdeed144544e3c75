/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The session's audio-side hooks under the real-time trap (tests/rt-trap.h):
 * the master's loudness meter, the quiet counter and the recorder push,
 * run as the live node runs them after the plan, must not allocate, lock,
 * block or log. The main side meanwhile reads the meters and swaps the
 * meter for another rate. The recording then holds the frames of the
 * cycles at its own rate and, converted to it, those of the cycles at
 * another (libsndfile's count against the rates' ratio).
 */
#include <glib/gstdio.h>
#include <math.h>
#include <sndfile.h>

#include "engine/busker-process.h"
#include "rt-trap.h"
#include "session/busker-session-tap.h"

enum { RATE = 48000, BLOCK = 256, CYCLES = 600 };

static void
test_hooks_realtime (void)
{
  g_autoptr (BuskerMixDesc) desc = busker_mix_desc_new (2, RATE);
  desc->strips[0].id = g_strdup ("tone");
  desc->strips[0].output = 1;
  desc->strips[1].id = g_strdup ("master");
  desc->strips[1].kind = BUSKER_STRIP_MASTER;
  g_autoptr (GError) error = NULL;
  BuskerPlan *plan = busker_plan_new (desc, BLOCK, &error);
  g_assert_no_error (error);

  g_autofree char *dir = g_dir_make_tmp ("busker-tap-rt-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "master.wav", NULL);
  BuskerRecorder *recorder = busker_recorder_new (path, RATE, &error);
  g_assert_no_error (error);
  BuskerSessionTap *tap = busker_session_tap_new (NULL);
  g_assert_true (busker_session_tap_set_rate (tap, RATE));
  g_assert_null (busker_session_tap_set_recorder (tap, recorder));
  BuskerLiveHooks hooks = busker_session_tap_hooks (tap);

  guint64 t = 0, at_rate = 0, at_other = 0;
  for (int c = 0; c < CYCLES; c++)
    {
      /* Every tenth cycle runs at another rate, as after a graph switch
       * the session has not caught up with yet. */
      uint32_t rate = c % 10 == 9 ? 44100 : RATE;
      for (int i = 0; i < BLOCK; i++, t++)
        for (int ch = 0; ch < 2; ch++)
          busker_process_track_input (plan, 0, ch)[i] = 0.25f * sinf (2 * G_PI * 1000.0f * t / RATE);

      rt_trap_enter ();
      hooks.before_run (hooks.data, plan, BLOCK, rate, 0);
      busker_process_run (plan, BLOCK);
      hooks.after_run (hooks.data, plan, BLOCK, rate, 0);
      rt_trap_leave ();
      at_rate += rate == RATE ? BLOCK : 0;
      at_other += rate == RATE ? 0 : BLOCK;

      BuskerMasterMeter m;
      busker_session_tap_read (tap, &m);
      if (c == 300)
        g_assert_true (busker_session_tap_set_rate (tap, RATE));
      g_usleep (200);
    }

  g_assert_true (busker_session_tap_set_recorder (tap, NULL) == recorder);
  g_assert_true (busker_recorder_finish (recorder, &error));
  g_assert_no_error (error);
  SF_INFO info = { 0 };
  SNDFILE *f = sf_open (path, SFM_READ, &info);
  g_assert_nonnull (f);
  sf_close (f);
  /* Each stretch at 44.1 kHz is converted on its own: a frame of
   * rounding each. */
  double want = (double) at_rate + (double) at_other * RATE / 44100;
  g_test_message ("%d cycles under the trap; %" G_GINT64_FORMAT " frames recorded, %.1f "
                  "expected", CYCLES, (gint64) info.frames, want);
  g_assert_cmpfloat (fabs ((double) info.frames - want), <=, CYCLES / 10);
  g_assert_cmpint (info.samplerate, ==, RATE);

  busker_session_tap_free (tap);
  busker_plan_free (plan);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/session/realtime/hooks", test_hooks_realtime);
  return g_test_run ();
}
