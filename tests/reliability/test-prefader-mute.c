/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * docs/architecture.md promises: "Mute silences a strip's output and all
 * its sends, pre-fader sends included; a strip made inaudible by someone
 * else's solo is treated the same. Aux buses and the master are
 * solo-safe." Checked on the aux bus's own output against the hand sum:
 * the pre-fader send of a track whose fader is closed reaches the aux at
 * exactly the send's gain; muted (or silenced by another track's solo) it
 * is gone, every sample 0; unmuted it is back. And a send's own mute
 * (busker_plan_set_send_mute) silences that send alone, pre- or
 * post-fader, while the track's own output is untouched.
 */
#include "engine/engine-test.h"

#define BLOCK 256

enum { TRACK, OTHER, AUX, MASTER, N };

static BuskerMixDesc *
make_desc (void)
{
  BuskerMixDesc *d = busker_mix_desc_new (N, 48000);
  d->strips[TRACK].output = MASTER;
  d->strips[TRACK].gain_db = -INFINITY; /* the fader is closed: a pre-fader tap ignores it */
  d->strips[OTHER].output = MASTER;
  d->strips[AUX].kind = BUSKER_STRIP_AUX;
  d->strips[AUX].output = MASTER;
  d->strips[MASTER].kind = BUSKER_STRIP_MASTER;
  busker_strip_desc_alloc_sends (&d->strips[TRACK], 1);
  d->strips[TRACK].sends[0] = (BuskerSendDesc) { .to = AUX, .level_db = -6, .pre_fader = true };
  return d;
}

/* Runs 40 blocks (past any ramp), then returns the largest deviation of
 * the aux's output from gain * the track's input over 8 more blocks. */
static double
aux_error (BuskerPlan *plan, const BuskerMixDesc *d, double gain, uint64_t *frame)
{
  double err = 0.0;
  for (int b = 0; b < 48; b++, *frame += BLOCK)
    {
      test_fill_tracks (plan, d, *frame, BLOCK);
      busker_process_run (plan, BLOCK);
      if (b < 40)
        continue;
      for (int c = 0; c < 2; c++)
        {
          const float *out = busker_process_strip_output (plan, AUX, c);
          for (int i = 0; i < BLOCK; i++)
            err = fmax (err, fabs (out[i] - gain * test_noise (TRACK * 2 + c, *frame + i)));
        }
    }
  return err;
}

static void
test_prefader_send_follows_mute_and_solo (void)
{
  g_autoptr (BuskerMixDesc) d = make_desc ();
  g_autoptr (GError) error = NULL;
  BuskerPlan *plan = busker_plan_new (d, BLOCK, &error);
  g_assert_no_error (error);
  uint64_t frame = 0;
  /* Balance law at centre: both sides at 1 (FORMAT.md "pan"). */
  const double send = pow (10.0, -6.0 / 20.0);

  g_assert_cmpfloat (aux_error (plan, d, send, &frame), <, 1e-6);

  busker_plan_set_strip_mute (plan, TRACK, true);
  g_assert_cmpfloat (aux_error (plan, d, 0.0, &frame), ==, 0.0);

  busker_plan_set_strip_mute (plan, TRACK, false);
  g_assert_cmpfloat (aux_error (plan, d, send, &frame), <, 1e-6);

  /* Another track's solo makes this one inaudible: its send goes too,
   * while the aux itself (solo-safe) stays audible. */
  busker_plan_set_strip_solo (plan, OTHER, true);
  g_assert_cmpfloat (aux_error (plan, d, 0.0, &frame), ==, 0.0);
  g_assert_true (busker_plan_get_strip_audible (plan, AUX));
  g_assert_false (busker_plan_get_strip_audible (plan, TRACK));

  /* Soloing the track itself brings the send back. */
  busker_plan_set_strip_solo (plan, TRACK, true);
  g_assert_cmpfloat (aux_error (plan, d, send, &frame), <, 1e-6);
  busker_plan_free (plan);
}

static void
test_send_mute (void)
{
  g_autoptr (BuskerMixDesc) d = make_desc ();
  d->strips[TRACK].gain_db = 0;
  g_autoptr (GError) error = NULL;
  uint64_t frame = 0;
  const double send = pow (10.0, -6.0 / 20.0);

  for (int pre = 0; pre < 2; pre++)
    {
      d->strips[TRACK].sends[0].pre_fader = pre;
      BuskerPlan *plan = busker_plan_new (d, BLOCK, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat (aux_error (plan, d, send, &frame), <, 1e-6);
      busker_plan_set_send_mute (plan, TRACK, 0, true);
      g_assert_cmpfloat (aux_error (plan, d, 0.0, &frame), ==, 0.0);
      /* The track itself still plays: the master is it plus the other
       * track, both at 0 dB, and nothing from the aux. */
      const float *m = busker_process_strip_output (plan, MASTER, 0);
      for (int i = 0; i < BLOCK; i++)
        g_assert_cmpfloat (fabsf (m[i] - test_noise (TRACK * 2, frame - BLOCK + i)
                                  - test_noise (OTHER * 2, frame - BLOCK + i)), <, 1e-6f);
      busker_plan_set_send_mute (plan, TRACK, 0, false);
      g_assert_cmpfloat (aux_error (plan, d, send, &frame), <, 1e-6);
      busker_plan_free (plan);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reliability/prefader-send/mute-and-solo",
                   test_prefader_send_follows_mute_and_solo);
  g_test_add_func ("/reliability/send/mute", test_send_mute);
  return g_test_run ();
}
