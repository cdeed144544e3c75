/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * process() against sums computed by hand in double precision: routing
 * through buses, trim/polarity/fader/pan, pre- and post-fader sends,
 * mute/solo, and NaN containment.
 */
#include "engine-test.h"

#define BLOCK 256
#define N_BLOCKS 8
#define N_FRAMES (BLOCK * N_BLOCKS)

enum { T0, T1, T2, SUB, AUX, MASTER, N };

/* t0, t1 -> sub -> master; t2 -> master; t0 pre-fader send, t1
 * post-fader send -> aux -> master. */
static BuskerMixDesc *
make_desc (void)
{
  BuskerMixDesc *d = busker_mix_desc_new (N, 48000);
  d->strips[T0].output = SUB;
  d->strips[T0].gain_db = -6;
  d->strips[T1].output = SUB;
  d->strips[T1].gain_db = -10;
  d->strips[T1].pan = 0.5f;
  d->strips[T2].output = MASTER;
  d->strips[T2].trim_db = 3;
  d->strips[T2].polarity_invert = true;
  d->strips[T2].pan = -0.25f;
  d->strips[SUB].kind = BUSKER_STRIP_SUBGROUP;
  d->strips[SUB].output = MASTER;
  d->strips[SUB].gain_db = 2;
  d->strips[AUX].kind = BUSKER_STRIP_AUX;
  d->strips[AUX].output = MASTER;
  d->strips[AUX].gain_db = -3;
  d->strips[MASTER].kind = BUSKER_STRIP_MASTER;
  d->strips[MASTER].gain_db = -1;

  busker_strip_desc_alloc_sends (&d->strips[T0], 1);
  d->strips[T0].sends[0] = (BuskerSendDesc) { .to = AUX, .level_db = -6, .pan = -0.5f, .pre_fader = true };
  busker_strip_desc_alloc_sends (&d->strips[T1], 1);
  d->strips[T1].sends[0] = (BuskerSendDesc) { .to = AUX, .level_db = -12, .pan = 0.3f };
  return d;
}

/* Balance law, written out independently of the engine. */
static void
balance (double pan, double *l, double *r)
{
  *l = pan > 0 ? cos (pan * G_PI / 2) : 1.0;
  *r = pan < 0 ? cos (pan * G_PI / 2) : 1.0;
}

/* Runs the plan and returns the chosen strip's output, interleaved by
 * channel blocks: out[c * N_FRAMES + i]. */
static float *
run (BuskerPlan *plan, const BuskerMixDesc *d, uint32_t strip)
{
  float *out = g_new (float, 2 * N_FRAMES);
  for (uint32_t b = 0; b < N_BLOCKS; b++)
    {
      test_fill_tracks (plan, d, b * BLOCK, BLOCK);
      busker_process_run (plan, BLOCK);
      for (int c = 0; c < 2; c++)
        memcpy (out + c * N_FRAMES + b * BLOCK, busker_process_strip_output (plan, strip, c),
                BLOCK * sizeof (float));
    }
  return out;
}

static double
x (uint32_t strip, int c, uint32_t i)
{
  return test_noise (strip * 2 + c, i);
}

/* What each strip contributes, by hand. mask says which strips are heard. */
static void
expected (double *want, uint32_t strip, unsigned mask)
{
  double bl, br;
  for (uint32_t i = 0; i < N_FRAMES; i++)
    for (int c = 0; c < 2; c++)
      {
        double t0 = 0, t1 = 0, t2 = 0, aux = 0;
        if (mask & (1 << T0))
          {
            t0 = test_db (-6) * x (T0, c, i);
            balance (-0.5, &bl, &br);
            aux += test_db (-6) * (c ? br : bl) * x (T0, c, i);
          }
        if (mask & (1 << T1))
          {
            balance (0.5, &bl, &br);
            t1 = test_db (-10) * (c ? br : bl) * x (T1, c, i);
            balance (0.3, &bl, &br);
            aux += test_db (-12) * (c ? br : bl) * t1;
          }
        if (mask & (1 << T2))
          {
            balance (-0.25, &bl, &br);
            t2 = -test_db (3) * (c ? br : bl) * x (T2, c, i);
          }
        double sub = test_db (2) * (t0 + t1);
        aux *= test_db (-3);
        double master = test_db (-1) * (sub + aux + t2);
        want[c * N_FRAMES + i] = strip == AUX ? aux
                                 : strip == MASTER ? master : sub;
      }
}

static void
check (BuskerPlan *plan, const BuskerMixDesc *d, uint32_t strip, unsigned mask)
{
  g_autofree float *got = run (plan, d, strip);
  g_autofree double *want = g_new (double, 2 * N_FRAMES);
  expected (want, strip, mask);
  double err = test_error_db (want, got, 2 * N_FRAMES);
  g_test_message ("strip %u mask %x: error %.1f dB", strip, mask, err);
  g_assert_cmpfloat (err, <, -120.0);
}

static void
test_process_null (void)
{
  g_autoptr (BuskerMixDesc) d = make_desc ();
  g_autoptr (GError) error = NULL;
  BuskerPlan *plan = busker_plan_new (d, BLOCK, &error);
  g_assert_no_error (error);

  check (plan, d, MASTER, 0x7);
  check (plan, d, SUB, 0x7);
  check (plan, d, AUX, 0x7);
  busker_plan_free (plan);
}

static void
test_process_sends (void)
{
  g_autoptr (BuskerMixDesc) d = make_desc ();
  g_autoptr (GError) error = NULL;

  /* Pull both faders down in the snapshot: the pre-fader send keeps its
   * level, the post-fader one follows the fader. */
  d->strips[T0].gain_db = -INFINITY;
  d->strips[T1].gain_db = -30;
  BuskerPlan *plan = busker_plan_new (d, BLOCK, &error);
  g_assert_no_error (error);
  g_autofree float *got = run (plan, d, AUX);

  double bl, br, want_pre = 0, want_post = 0, err = 0;
  for (uint32_t i = 0; i < N_FRAMES; i++)
    {
      balance (-0.5, &bl, &br);
      double pre = test_db (-6) * bl * x (T0, 0, i);
      balance (0.5, &bl, &br);
      double t1 = test_db (-30) * bl * x (T1, 0, i);
      balance (0.3, &bl, &br);
      double post = test_db (-12) * bl * t1;
      want_pre = fmax (want_pre, fabs (pre));
      want_post = fmax (want_post, fabs (post));
      err = fmax (err, fabs (test_db (-3) * (pre + post) - got[i]));
    }
  g_assert_cmpfloat (want_pre, >, 100 * want_post);
  g_assert_cmpfloat (20 * log10 (err / want_pre), <, -120);
  busker_plan_free (plan);
}

static void
test_process_pan_law (void)
{
  /* One mono-source track straight into the master, at several pans. */
  const float pans[] = { -1, -0.5f, 0, 0.5f, 1 };
  for (guint p = 0; p < G_N_ELEMENTS (pans); p++)
    for (int mono = 0; mono < 2; mono++)
      {
        g_autoptr (BuskerMixDesc) d = busker_mix_desc_new (2, 48000);
        d->strips[0].output = 1;
        d->strips[0].pan = pans[p];
        d->strips[1].kind = BUSKER_STRIP_MASTER;
        g_autoptr (GError) error = NULL;
        BuskerPlan *plan = busker_plan_new (d, 64, &error);
        g_assert_no_error (error);
        busker_plan_set_strip_mono_source (plan, 0, mono);
        for (int c = 0; c < 2; c++)
          for (int i = 0; i < 64; i++)
            busker_process_track_input (plan, 0, c)[i] = 1.0f;
        busker_process_run (plan, 64);
        float l = busker_process_strip_output (plan, 1, 0)[63];
        float r = busker_process_strip_output (plan, 1, 1)[63];
        double wl, wr;
        if (mono)
          {
            wl = cos ((pans[p] + 1) * G_PI / 4);
            wr = sin ((pans[p] + 1) * G_PI / 4);
          }
        else
          balance (pans[p], &wl, &wr);
        g_assert_cmpfloat_with_epsilon (l, wl, 1e-6);
        g_assert_cmpfloat_with_epsilon (r, wr, 1e-6);
        if (mono && pans[p] == 0)
          {
            /* -3 dB at the centre, power constant everywhere. */
            g_assert_cmpfloat_with_epsilon (20 * log10 (l), -3.0103, 1e-3);
          }
        if (mono)
          g_assert_cmpfloat_with_epsilon (l * l + r * r, 1.0, 1e-6);
        busker_plan_free (plan);
      }
}

static void
settle (BuskerPlan *plan, const BuskerMixDesc *d)
{
  /* Mute ramps take a few ms; a quarter second is far past them. */
  for (int b = 0; b < 48; b++)
    {
      test_fill_tracks (plan, d, 0, BLOCK);
      busker_process_run (plan, BLOCK);
    }
}

static void
test_process_mute_solo (void)
{
  g_autoptr (BuskerMixDesc) d = make_desc ();
  g_autoptr (GError) error = NULL;
  BuskerPlan *plan = busker_plan_new (d, BLOCK, &error);
  g_assert_no_error (error);

  busker_plan_set_strip_solo (plan, T0, true);
  settle (plan, d);
  check (plan, d, MASTER, 1 << T0);

  busker_plan_set_strip_solo (plan, SUB, true);
  settle (plan, d);
  check (plan, d, MASTER, 1 << T0 | 1 << T1);

  busker_plan_set_strip_solo (plan, T0, false);
  busker_plan_set_strip_solo (plan, SUB, false);
  busker_plan_set_strip_mute (plan, T1, true);
  settle (plan, d);
  check (plan, d, MASTER, 1 << T0 | 1 << T2);
  g_assert_false (busker_plan_get_strip_audible (plan, T1));

  busker_plan_set_strip_mute (plan, T1, false);
  settle (plan, d);
  check (plan, d, MASTER, 0x7);
  busker_plan_free (plan);
}

static void
test_process_nan (void)
{
  g_autoptr (BuskerMixDesc) d = make_desc ();
  /* T1 gets a unit that will fail on demand. */
  busker_strip_desc_alloc_inserts (&d->strips[T1], 1);
  busker_insert_desc_init (&d->strips[T1].inserts[0], &test_delay_class);
  g_autoptr (GError) error = NULL;
  BuskerPlan *plan = busker_plan_new (d, BLOCK, &error);
  g_assert_no_error (error);

  /* A NaN in T2's input: T2 alone goes silent for that block. */
  test_fill_tracks (plan, d, 0, BLOCK);
  busker_process_track_input (plan, T2, 1)[17] = NAN;
  busker_process_run (plan, BLOCK);
  g_assert_true (busker_plan_read_strip_fault (plan, T2));
  g_assert_false (busker_plan_read_strip_fault (plan, T0));
  g_assert_false (busker_plan_read_strip_fault (plan, MASTER));
  const float *m = busker_process_strip_output (plan, MASTER, 0);
  double bl, br;
  balance (0.5, &bl, &br);
  for (uint32_t i = 0; i < BLOCK; i++)
    {
      double t0 = test_db (-6) * x (T0, 0, i);
      double t1 = test_db (-10) * bl * x (T1, 0, i);
      double aux;
      balance (-0.5, &bl, &br);
      aux = test_db (-6) * bl * x (T0, 0, i);
      balance (0.3, &bl, &br);
      aux += test_db (-12) * bl * t1;
      balance (0.5, &bl, &br);
      double want = test_db (-1) * (test_db (2) * (t0 + t1) + test_db (-3) * aux);
      g_assert_cmpfloat (fabs (m[i] - want), <, 1e-6);
    }

  /* A failing insert on T1: T1 and its send are silent, nothing else.
   * T1's output does not cut: it ramps from its last good sample to 0
   * over 128 frames (busker-process.c, FAULT_FADE_FRAMES). */
  float last[2] = { busker_process_strip_output (plan, T1, 0)[BLOCK - 1],
                    busker_process_strip_output (plan, T1, 1)[BLOCK - 1] };
  g_assert_cmpfloat (fabsf (last[0]), >, 1e-3f);
  busker_plan_set_insert_param (plan, T1, 0, 2, 1);
  test_fill_tracks (plan, d, 0, BLOCK);
  busker_process_run (plan, BLOCK);
  g_assert_true (busker_plan_read_strip_fault (plan, T1));
  g_assert_false (busker_plan_read_strip_fault (plan, T2));
  for (int c = 0; c < 2; c++)
    for (uint32_t i = 0; i < BLOCK; i++)
      {
        float want = i < 128 ? last[c] * (1.0f - (float) (i + 1) / 128.0f) : 0.0f;
        g_assert_cmpfloat (fabsf (busker_process_strip_output (plan, T1, c)[i] - want), <, 1e-7f);
      }
  for (uint32_t i = 0; i < BLOCK; i++)
    g_assert_true (isfinite (busker_process_strip_output (plan, MASTER, 0)[i]));
  busker_plan_free (plan);
}

static void
test_process_meters (void)
{
  g_autoptr (BuskerMixDesc) d = busker_mix_desc_new (2, 48000);
  d->strips[0].output = 1;
  d->strips[1].kind = BUSKER_STRIP_MASTER;
  g_autoptr (GError) error = NULL;
  BuskerPlan *plan = busker_plan_new (d, 480, &error);
  g_assert_no_error (error);
  /* A full-scale sine at 1 kHz: peak 0 dB, RMS -3.01 dB once integrated. */
  for (int b = 0; b < 200; b++)
    {
      for (int c = 0; c < 2; c++)
        for (int i = 0; i < 480; i++)
          busker_process_track_input (plan, 0, c)[i] = sin (2 * G_PI * 1000 * (b * 480 + i) / 48000.0);
      busker_process_run (plan, 480);
    }
  g_assert_cmpfloat_with_epsilon (busker_plan_read_strip_peak_db (plan, 1, 0), 0.0, 0.01);
  g_assert_cmpfloat_with_epsilon (busker_plan_get_strip_rms_db (plan, 1, 1), -3.0103, 0.01);
  busker_plan_free (plan);
}

static void
test_process_fader_glide (void)
{
  /* DC into a track; the fader jumps from 0 to -40 dB at run time. The
   * output must glide (no step above 1% of full scale between samples,
   * monotonic) and arrive within 100 ms. */
  g_autoptr (BuskerMixDesc) d = busker_mix_desc_new (2, 48000);
  d->strips[0].output = 1;
  d->strips[1].kind = BUSKER_STRIP_MASTER;
  g_autoptr (GError) error = NULL;
  BuskerPlan *plan = busker_plan_new (d, 64, &error);
  g_assert_no_error (error);

  float prev = 1.0f, max_step = 0.0f;
  busker_plan_set_strip_gain_db (plan, 0, -40);
  for (int b = 0; b < 75; b++) /* 100 ms */
    {
      for (int c = 0; c < 2; c++)
        for (int i = 0; i < 64; i++)
          busker_process_track_input (plan, 0, c)[i] = 1.0f;
      busker_process_run (plan, 64);
      const float *out = busker_process_strip_output (plan, 1, 0);
      for (int i = 0; i < 64; i++)
        {
          g_assert_cmpfloat (out[i], <=, prev);
          max_step = fmaxf (max_step, prev - out[i]);
          prev = out[i];
        }
    }
  g_test_message ("largest step %.4f", max_step);
  g_assert_cmpfloat (max_step, <, 0.01f);
  g_assert_cmpfloat_with_epsilon (prev, 0.01, 1e-4);
  busker_plan_free (plan);
}

/* Steady-state gain reduction of the track's compressor after a fader
 * move from 0 to -20 dB. */
static void
gain_reduction_around_fader_move (const BuskerEffectClass *comp, bool post_fader,
                                  float *before, float *after)
{
  g_autoptr (BuskerMixDesc) d = busker_mix_desc_new (2, 48000);
  d->strips[0].output = 1;
  d->strips[1].kind = BUSKER_STRIP_MASTER;
  busker_strip_desc_alloc_inserts (&d->strips[0], 1);
  busker_insert_desc_init (&d->strips[0].inserts[0], comp);
  d->strips[0].inserts[0].values[BUSKER_COMP_THRESHOLD_DB] = -30;
  d->strips[0].inserts[0].values[BUSKER_COMP_RATIO] = 4;
  d->strips[0].inserts[0].values[BUSKER_COMP_KNEE_DB] = 0;
  d->strips[0].inserts[0].post_fader = post_fader;
  g_autoptr (GError) error = NULL;
  BuskerPlan *plan = busker_plan_new (d, BLOCK, &error);
  g_assert_no_error (error);

  /* A -10 dBFS sine, one second per phase: far past attack and release. */
  for (int phase = 0; phase < 2; phase++)
    {
      if (phase == 1)
        busker_plan_set_strip_gain_db (plan, 0, -20);
      for (int b = 0; b < 48000 / BLOCK; b++)
        {
          for (int c = 0; c < 2; c++)
            for (int i = 0; i < BLOCK; i++)
              busker_process_track_input (plan, 0, c)[i] =
                test_db (-10) * sin (2 * G_PI * 500 * (b * BLOCK + i) / 48000.0);
          busker_process_run (plan, BLOCK);
        }
      *(phase ? after : before) = busker_plan_get_insert_gain_reduction_db (plan, 0, 0);
    }
  busker_plan_free (plan);
}

static void
test_process_fader_vs_compressor (void)
{
  const BuskerEffectClass *comp = busker_effect_class_lookup ("compressor");
  if (comp == NULL)
    {
      g_test_skip ("no compressor class registered yet");
      return;
    }
  float before, after;

  /* Pre-fader (the default): the fader cannot reach the compressor. */
  gain_reduction_around_fader_move (comp, false, &before, &after);
  g_test_message ("pre-fader compressor: %.3f dB -> %.3f dB", before, after);
  g_assert_cmpfloat (before, >, 5);
  g_assert_cmpfloat_with_epsilon (after, before, 0.01);

  /* The control: after the fader, the same move takes it out of action. */
  gain_reduction_around_fader_move (comp, true, &before, &after);
  g_test_message ("post-fader compressor: %.3f dB -> %.3f dB", before, after);
  g_assert_cmpfloat (before - after, >, 5);
}

/* busker_plan_share_buffers: a -> s1 -> s2 -> master and b -> master with
 * a post-fader send -> aux -> master. s1 and s2 each have one input and
 * work in a's buffers; aux (fed by a send) and master (three inputs) do
 * not. The master is the hand-computed sum, and the same bits as without
 * sharing. */
static void
test_process_shared_buffers (void)
{
  enum { A, B, S1, S2, AX, M, NS };
  g_autoptr (BuskerMixDesc) d = busker_mix_desc_new (NS, 48000);
  g_autoptr (GError) error = NULL;
  static const float gain_db[NS] = { -6, -10, 2, -3, -3, -1 };
  static const int32_t output[NS] = { S1, M, S2, M, M, -1 };
  static const BuskerStripKind kind[NS] = { BUSKER_STRIP_TRACK, BUSKER_STRIP_TRACK,
                                            BUSKER_STRIP_SUBGROUP, BUSKER_STRIP_SUBGROUP,
                                            BUSKER_STRIP_AUX, BUSKER_STRIP_MASTER };
  for (int i = 0; i < NS; i++)
    {
      d->strips[i].kind = kind[i];
      d->strips[i].output = output[i];
      d->strips[i].gain_db = gain_db[i];
    }
  busker_strip_desc_alloc_sends (&d->strips[B], 1);
  d->strips[B].sends[0] = (BuskerSendDesc) { .to = AX, .level_db = -12 };

  BuskerPlan *plain = busker_plan_new (d, BLOCK, &error);
  g_assert_no_error (error);
  BuskerPlan *shared = busker_plan_new (d, BLOCK, &error);
  g_assert_no_error (error);
  busker_plan_share_buffers (shared);
  g_assert_true (busker_process_strip_output (shared, S1, 0) == busker_process_strip_output (shared, A, 0));
  g_assert_true (busker_process_strip_output (shared, S2, 1) == busker_process_strip_output (shared, A, 1));
  g_assert_true (busker_process_strip_output (shared, AX, 0) != busker_process_strip_output (shared, B, 0));
  g_assert_true (busker_process_strip_output (shared, M, 0) != busker_process_strip_output (shared, S2, 0));

  g_autofree float *want_bits = run (plain, d, M);
  g_autofree float *got = run (shared, d, M);
  g_assert_true (memcmp (got, want_bits, 2 * N_FRAMES * sizeof (float)) == 0);

  g_autofree double *want = g_new (double, 2 * N_FRAMES);
  double g[NS];
  for (int i = 0; i < NS; i++)
    g[i] = pow (10.0, gain_db[i] / 20.0);
  double send = pow (10.0, -12 / 20.0);
  for (int c = 0; c < 2; c++)
    for (uint32_t i = 0; i < N_FRAMES; i++)
      want[c * N_FRAMES + i] = g[M] * (g[S2] * g[S1] * g[A] * x (A, c, i) + g[B] * x (B, c, i)
                                       + g[AX] * send * g[B] * x (B, c, i));
  g_assert_cmpfloat (test_error_db (want, got, 2 * N_FRAMES), <, -120);
  busker_plan_free (plain);
  busker_plan_free (shared);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/process/null", test_process_null);
  g_test_add_func ("/engine/process/shared-buffers", test_process_shared_buffers);
  g_test_add_func ("/engine/process/sends", test_process_sends);
  g_test_add_func ("/engine/process/pan-law", test_process_pan_law);
  g_test_add_func ("/engine/process/mute-solo", test_process_mute_solo);
  g_test_add_func ("/engine/process/nan", test_process_nan);
  g_test_add_func ("/engine/process/meters", test_process_meters);
  g_test_add_func ("/engine/process/fader-glide", test_process_fader_glide);
  g_test_add_func ("/engine/process/fader-vs-compressor", test_process_fader_vs_compressor);
  return g_test_run ();
}
