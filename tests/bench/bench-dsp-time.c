/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Cost of the time-based and stereo units in ns per stereo frame at
 * 48 kHz, 256-frame blocks of noise, best of 5 runs of 10 s of audio.
 * Prints figures only; the reverb's target is 80 ns per frame.
 *   meson test -C build --benchmark --suite dsp dsp-time --verbose
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dsp/delay.h"
#include "dsp/dsp-util.h"
#include "dsp/params.h"
#include "dsp/reverb.h"
#include "dsp/width.h"

#define RATE 48000.0
#define BLOCK 256
#define SECONDS 10
#define RUNS 5

typedef struct {
  uint32_t index;
  float value;
} Setting;

static double
now_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void
bench (const char *name, const BuskerEffectClass *klass, const Setting *settings,
       guint n_settings)
{
  static float l[BLOCK], r[BLOCK], src_l[BLOCK], src_r[BLOCK];
  g_autoptr (GRand) rand = g_rand_new_with_seed (1);
  const uint32_t blocks = (uint32_t) (SECONDS * RATE / BLOCK);
  double best = 1e30;

  for (uint32_t i = 0; i < BLOCK; i++)
    {
      src_l[i] = (float) g_rand_double_range (rand, -0.5, 0.5);
      src_r[i] = (float) g_rand_double_range (rand, -0.5, 0.5);
    }
  void *unit = klass->create (RATE, BLOCK);
  for (guint s = 0; s < n_settings; s++)
    klass->set_param (unit, settings[s].index, settings[s].value);
  klass->reset (unit);

  for (int run = 0; run < RUNS; run++)
    {
      double t0 = now_ns ();
      for (uint32_t b = 0; b < blocks; b++)
        {
          memcpy (l, src_l, sizeof l);
          memcpy (r, src_r, sizeof r);
          klass->process (unit, l, r, BLOCK);
        }
      double ns = (now_ns () - t0) / ((double) blocks * BLOCK);
      best = MIN (best, ns);
    }
  klass->destroy (unit);
  printf ("%-34s %7.1f ns/frame  (%5.2f %% of one core at 48 kHz)\n", name, best,
          best * RATE / 1e9 * 100);
}

int
main (void)
{
  busker_dsp_enable_ftz ();
  printf ("bench-dsp-time: stereo, %d-frame blocks, %.0f Hz, best of %d x %d s\n",
          BLOCK, RATE, RUNS, SECONDS);

  bench ("reverb (defaults)", &busker_reverb_class, NULL, 0);
  const Setting reverb_long[] = { { BUSKER_REVERB_DECAY_S, 10 }, { BUSKER_REVERB_SIZE, 1 } };
  bench ("reverb (10 s, size 1)", &busker_reverb_class, reverb_long, G_N_ELEMENTS (reverb_long));

  bench ("delay (defaults)", &busker_delay_class, NULL, 0);
  const Setting delay_pp[] = { { BUSKER_DELAY_PING_PONG, 1 }, { BUSKER_DELAY_FEEDBACK, 0.9f } };
  bench ("delay (ping-pong, feedback 0.9)", &busker_delay_class, delay_pp, G_N_ELEMENTS (delay_pp));

  bench ("stereo_width (pass-through)", &busker_width_class, NULL, 0);
  const Setting width_on[] = { { BUSKER_WIDTH_WIDTH, 1.5f }, { BUSKER_WIDTH_BASS_MONO_HZ, 120 } };
  bench ("stereo_width (1.5, bass mono 120)", &busker_width_class, width_on,
         G_N_ELEMENTS (width_on));
  return 0;
}
