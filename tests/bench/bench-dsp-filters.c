/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Cost of the filter and dynamics units in ns per stereo frame at 48 kHz,
 * 256-frame blocks of noise, settled parameters. Targets from the design:
 * a 5-band EQ <= 25 ns, the compressor <= 15 ns. Prints figures only.
 *   meson test -C build --benchmark --suite dsp dsp-filters --verbose
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "dsp/compressor.h"
#include "dsp/dsp-util.h"
#include "dsp/eq.h"
#include "dsp/multiband.h"
#include "dsp/transient.h"

#define RATE 48000
#define BLOCK 256

static float noise_l[RATE], noise_r[RATE];

static double
now_s (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef bool (*ProcessFunc) (void *unit, float *l, float *r, uint32_t n);

/* Thread CPU time, best of nine runs of two seconds of audio: the machine
 * is shared, the minimum is the cost. */
static double
ns_per_frame (void *unit, ProcessFunc process)
{
  static float l[BLOCK], r[BLOCK];
  double best = 1e9;
  for (int run = 0; run < 9; run++)
    {
      double t0 = now_s ();
      long frames = 0;
      for (int s = 0; s < 2; s++)
        for (int off = 0; off + BLOCK <= RATE; off += BLOCK)
          {
            for (int i = 0; i < BLOCK; i++)
              {
                l[i] = noise_l[off + i];
                r[i] = noise_r[off + i];
              }
            process (unit, l, r, BLOCK);
            frames += BLOCK;
          }
      double ns = (now_s () - t0) * 1e9 / frames;
      if (ns < best)
        best = ns;
    }
  return best;
}

/* The copy-in loop of ns_per_frame alone, subtracted from every figure. */
static bool
nothing (void *unit, float *l, float *r, uint32_t n)
{
  __asm__ volatile ("" : : "r" (l), "r" (r) : "memory");
  return true;
}

static bool
eq_process (void *u, float *l, float *r, uint32_t n)
{
  return busker_eq_process (u, l, r, n);
}

static bool
comp_process (void *u, float *l, float *r, uint32_t n)
{
  return busker_compressor_process (u, l, r, n);
}

static bool
mbc_process (void *u, float *l, float *r, uint32_t n)
{
  return busker_multiband_process (u, l, r, n);
}

static bool
transient_process (void *u, float *l, float *r, uint32_t n)
{
  return busker_transient_process (u, l, r, n);
}

int
main (void)
{
  busker_dsp_enable_ftz ();
  srand (1);
  for (int i = 0; i < RATE; i++)
    {
      noise_l[i] = 0.5f * ((float) rand () / RAND_MAX - 0.5f);
      noise_r[i] = 0.5f * ((float) rand () / RAND_MAX - 0.5f);
    }
  double base = ns_per_frame (NULL, nothing);

  /* A typical channel EQ: high pass, low shelf, two peaks, high shelf. */
  BuskerEq *eq = busker_eq_new (RATE, BLOCK);
  static const struct { BuskerEqBandType type; float f, g, q; } bands[5] = {
    { BUSKER_EQ_HIGH_PASS, 80, 0, 0.707f }, { BUSKER_EQ_LOW_SHELF, 200, 3, 0.707f },
    { BUSKER_EQ_PEAK, 500, -4, 1.2f },      { BUSKER_EQ_PEAK, 3000, 2, 0.8f },
    { BUSKER_EQ_HIGH_SHELF, 10000, 2, 0.707f },
  };
  for (int b = 0; b < 5; b++)
    {
      busker_eq_set_param (eq, BUSKER_EQ_PARAM (b, BUSKER_EQ_BAND_TYPE), bands[b].type);
      busker_eq_set_param (eq, BUSKER_EQ_PARAM (b, BUSKER_EQ_BAND_FREQ_HZ), bands[b].f);
      busker_eq_set_param (eq, BUSKER_EQ_PARAM (b, BUSKER_EQ_BAND_GAIN_DB), bands[b].g);
      busker_eq_set_param (eq, BUSKER_EQ_PARAM (b, BUSKER_EQ_BAND_Q), bands[b].q);
    }
  busker_eq_reset (eq);
  double eq_ns = ns_per_frame (eq, eq_process) - base;

  /* The same five bands on mid/side and left/right mixes. */
  for (int b = 0; b < 5; b++)
    busker_eq_set_param (eq, BUSKER_EQ_PARAM (b, BUSKER_EQ_BAND_CHANNEL),
                         b % 2 ? BUSKER_EQ_SIDE : BUSKER_EQ_LEFT);
  busker_eq_reset (eq);
  double eq_ms_ns = ns_per_frame (eq, eq_process) - base;
  busker_eq_free (eq);

  BuskerCompressor *comp = busker_compressor_new (RATE);
  busker_compressor_set_param (comp, BUSKER_COMP_THRESHOLD_DB, -24);
  busker_compressor_reset (comp);
  double comp_ns = ns_per_frame (comp, comp_process) - base;
  busker_compressor_set_param (comp, BUSKER_COMP_DETECTOR, BUSKER_DETECTOR_RMS);
  busker_compressor_set_param (comp, BUSKER_COMP_STEREO_LINK, 0.5f);
  busker_compressor_set_param (comp, BUSKER_COMP_SIDECHAIN_HPF_HZ, 100);
  busker_compressor_reset (comp);
  double comp_full_ns = ns_per_frame (comp, comp_process) - base;
  busker_compressor_free (comp);

  BuskerMultiband *mbc = busker_multiband_new (RATE);
  busker_multiband_set_param (mbc, BUSKER_MBC_CROSSOVER_COUNT, 3);
  busker_multiband_reset (mbc);
  double mbc_ns = ns_per_frame (mbc, mbc_process) - base;
  busker_multiband_free (mbc);

  BuskerTransient *tr = busker_transient_new (RATE);
  busker_transient_set_param (tr, BUSKER_TRANSIENT_ATTACK_DB, 6);
  busker_transient_set_param (tr, BUSKER_TRANSIENT_SUSTAIN_DB, -3);
  busker_transient_reset (tr);
  double tr_ns = ns_per_frame (tr, transient_process) - base;
  busker_transient_free (tr);

  printf ("ns per stereo frame at 48 kHz (block %d, thread CPU time, best of 9, copy loop %.2f ns subtracted)\n",
          BLOCK, base);
  printf ("eq 5 bands stereo        %7.2f ns  (target <= 25)\n", eq_ns);
  printf ("eq 5 bands left/side     %7.2f ns\n", eq_ms_ns);
  printf ("compressor peak linked   %7.2f ns  (target <= 15)\n", comp_ns);
  printf ("compressor rms 0.5 hpf   %7.2f ns\n", comp_full_ns);
  printf ("multiband 4 bands        %7.2f ns\n", mbc_ns);
  printf ("transient shaper         %7.2f ns\n", tr_ns);
  return 0;
}
