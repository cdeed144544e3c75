/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Transient shaper on drum-like bursts: attack changes the onset and
 * leaves a steady tail alone (within 1 dB); sustain changes a decaying
 * tail; a steady tone is untouched at any setting.
 */
#include <glib.h>
#include <math.h>

#include "dsp/transient.h"

#define FS 48000.0
#define N 62400 /* 1.3 s */
#define ONSET 4800

typedef enum { STEADY_TAIL, DECAY, STEADY_TONE } Shape;

static void
burst (float *l, float *r, Shape shape)
{
  for (int i = 0; i < N; i++)
    {
      double t = (i - ONSET) / FS, env;
      if (shape == STEADY_TONE)
        env = 0.3;
      else if (i < ONSET)
        env = 0.0;
      else if (shape == STEADY_TAIL)
        env = 0.1 + 0.9 * exp (-t / 0.03); /* hit, then a held -20 dB note */
      else
        env = exp (-t / 0.08); /* hit that rings out */
      l[i] = r[i] = (float) (env * sin (2 * M_PI * 180 * i / FS));
    }
}

/* RMS in dB of x[from, from + len). */
static double
rms_db (const float *x, int from, int len)
{
  double acc = 0;
  for (int i = from; i < from + len; i++)
    acc += (double) x[i] * x[i];
  return 10 * log10 (acc / len);
}

/* Level change in dB the shaper makes in a window of the given shape. */
static double
change_db (Shape shape, double attack_db, double sustain_db, double from_s, double len_s)
{
  static float l[N], r[N], dry[N];
  burst (dry, r, shape);
  burst (l, r, shape);
  BuskerTransient *t = busker_transient_new (FS);
  busker_transient_set_param (t, BUSKER_TRANSIENT_ATTACK_DB, (float) attack_db);
  busker_transient_set_param (t, BUSKER_TRANSIENT_SUSTAIN_DB, (float) sustain_db);
  busker_transient_reset (t);
  for (int off = 0; off < N; off += 256)
    g_assert_true (busker_transient_process (t, l + off, r + off, MIN (256, N - off)));
  busker_transient_free (t);
  int from = ONSET + (int) (from_s * FS), len = (int) (len_s * FS);
  return rms_db (l, from, len) - rms_db (dry, from, len);
}

static void
test_attack (void)
{
  double onset_up = change_db (STEADY_TAIL, 6, 0, 0, 0.01);
  double tail_up = change_db (STEADY_TAIL, 6, 0, 0.6, 0.3);
  double onset_down = change_db (STEADY_TAIL, -6, 0, 0, 0.01);
  double tail_down = change_db (STEADY_TAIL, -6, 0, 0.6, 0.3);
  g_test_message ("attack +6: onset %+.2f dB, tail %+.2f dB; -6: %+.2f, %+.2f", onset_up,
                  tail_up, onset_down, tail_down);
  g_assert_cmpfloat (onset_up, >, 3.0);
  g_assert_cmpfloat (onset_up, <, 6.5);
  g_assert_cmpfloat (fabs (tail_up), <, 1.0);
  g_assert_cmpfloat (onset_down, <, -3.0);
  g_assert_cmpfloat (fabs (tail_down), <, 1.0);
}

static void
test_sustain (void)
{
  double tail_up = change_db (DECAY, 0, 6, 0.15, 0.15);
  double tail_down = change_db (DECAY, 0, -6, 0.15, 0.15);
  double onset_up = change_db (DECAY, 0, 6, 0, 0.005);
  g_test_message ("sustain +6: tail %+.2f dB, onset %+.2f dB; -6: tail %+.2f dB", tail_up,
                  onset_up, tail_down);
  g_assert_cmpfloat (tail_up, >, 2.0);
  g_assert_cmpfloat (tail_up, <, 6.5);
  g_assert_cmpfloat (tail_down, <, -2.0);
  /* The hit itself is left to the attack control. */
  g_assert_cmpfloat (fabs (onset_up), <, 1.0);
}

static void
test_steady_tone (void)
{
  for (int a = -12; a <= 12; a += 12)
    for (int s = -12; s <= 12; s += 12)
      g_assert_cmpfloat (fabs (change_db (STEADY_TONE, a, s, 0.5, 0.5)), <, 0.5);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/transient/attack", test_attack);
  g_test_add_func ("/dsp/transient/sustain", test_sustain);
  g_test_add_func ("/dsp/transient/steady-tone", test_steady_tone);
  return g_test_run ();
}
