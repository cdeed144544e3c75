/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ns per stereo frame at 48 kHz, 256-frame blocks, of the oversampled
 * units and the meters. Prints figures; asserts nothing about time.
 * Targets from issue 3: limiter <= 40 ns, saturation 2x <= 30 ns.
 * The figure is the best of several runs (the machine is shared). */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <time.h>

#include "dsp/dsp-util.h"
#include "dsp/limiter.h"
#include "dsp/meters.h"
#include "dsp/params.h"
#include "dsp/saturation.h"

#define RATE 48000.0
#define BLOCK 256
#define FRAMES (48000 * 4)
#define RUNS 7

typedef bool (*ProcessFunc) (void *unit, float *l, float *r, uint32_t n);

static float src_l[FRAMES], src_r[FRAMES];

static double
now_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts); /* descheduled time does not count */
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double
measure (ProcessFunc process, void *unit)
{
  static float l[BLOCK], r[BLOCK];
  double best = INFINITY;
  for (int run = 0; run < RUNS; run++)
    {
      double t0 = now_ns ();
      for (int done = 0; done < FRAMES; done += BLOCK)
        {
          memcpy (l, src_l + done, sizeof l);
          memcpy (r, src_r + done, sizeof r);
          process (unit, l, r, BLOCK);
        }
      best = fmin (best, (now_ns () - t0) / FRAMES);
    }
  return best;
}

static bool
sat_process (void *unit, float *l, float *r, uint32_t n)
{
  return busker_saturation_process (unit, l, r, n);
}

static bool
meter_process (void *unit, float *l, float *r, uint32_t n)
{
  return busker_meter_process (unit, l, r, n);
}

static bool
copy_process (void *unit, float *l, float *r, uint32_t n)
{
  return true;
}

int
main (void)
{
  busker_dsp_enable_ftz ();
  GRand *rng = g_rand_new_with_seed (1);
  for (int i = 0; i < FRAMES; i++)
    {
      /* music-like: a loud low tone plus noise, limiting most of the time */
      double t = i / RATE;
      src_l[i] = 0.6 * sin (2 * M_PI * 110 * t) + 0.3 * g_rand_double_range (rng, -1, 1);
      src_r[i] = 0.6 * sin (2 * M_PI * 165 * t) + 0.3 * g_rand_double_range (rng, -1, 1);
    }
  g_rand_free (rng);

  double base = measure (copy_process, NULL);

  const BuskerEffectClass *lk = &busker_limiter_class;
  void *lim = lk->create (RATE, BLOCK);
  lk->set_param (lim, BUSKER_LIMITER_INPUT_GAIN_DB, 6.0f);
  double t_lim = measure (lk->process, lim) - base;
  lk->destroy (lim);
  /* the same material 12 dB lower: peaks at -13 dBFS, no reduction (a bus
   * limiter most of the time), where the interpolator can be skipped */
  lim = lk->create (RATE, BLOCK);
  lk->set_param (lim, BUSKER_LIMITER_INPUT_GAIN_DB, -12.0f);
  double t_lim_under = measure (lk->process, lim) - base;
  lk->destroy (lim);
  /* sample-peak detection (true_peak off), limiting and under */
  lim = lk->create (RATE, BLOCK);
  lk->set_param (lim, BUSKER_LIMITER_TRUE_PEAK, 0.0f);
  lk->set_param (lim, BUSKER_LIMITER_INPUT_GAIN_DB, 6.0f);
  lk->reset (lim);
  double t_lim_sp = measure (lk->process, lim) - base;
  lk->destroy (lim);
  lim = lk->create (RATE, BLOCK);
  lk->set_param (lim, BUSKER_LIMITER_TRUE_PEAK, 0.0f);
  lk->set_param (lim, BUSKER_LIMITER_INPUT_GAIN_DB, -12.0f);
  lk->reset (lim);
  double t_lim_sp_under = measure (lk->process, lim) - base;
  lk->destroy (lim);

  BuskerSaturation *s2 = busker_saturation_new (RATE, BLOCK, 2);
  double t_sat2 = measure (sat_process, s2) - base;
  busker_saturation_free (s2);

  const BuskerEffectClass *sk = &busker_saturation_class;
  void *s4 = sk->create (RATE, BLOCK);
  double t_sat4 = measure (sk->process, s4) - base;
  sk->destroy (s4);

  BuskerMeter *m = busker_meter_new (RATE);
  double t_meter = measure (meter_process, m) - base;
  busker_meter_free (m);

  printf ("ns per stereo frame at 48 kHz (best of %d runs of %d s, block %d):\n", RUNS,
          FRAMES / 48000, BLOCK);
  printf ("  limiter (true peak, 5 ms)   %6.1f ns  (target <= 40)\n", t_lim);
  printf ("  limiter, 12 dB under         %6.1f ns\n", t_lim_under);
  printf ("  limiter (sample peak, 5 ms) %6.1f ns\n", t_lim_sp);
  printf ("  limiter (sample peak), under %6.1f ns\n", t_lim_sp_under);
  printf ("  saturation 2x               %6.1f ns  (target <= 30)\n", t_sat2);
  printf ("  saturation 4x (class)       %6.1f ns\n", t_sat4);
  printf ("  meters (peak/TP/RMS/R128)   %6.1f ns\n", t_meter);
  return 0;
}
