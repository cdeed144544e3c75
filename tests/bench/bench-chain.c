/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The plan of `live-host --chain` (one live track -> a subgroup with the
 * EasyEffects benchmark chain -> master), run offline the way the data
 * thread runs it: what bench-live-cpu measures live, without the graph's
 * wake-ups. Prints nanoseconds per stereo frame of busker_process_run at
 * the two quanta of bench-live-cpu, sample peak and true peak, best and
 * median of BUSKER_BENCH_ROUNDS (default 9) rounds of 10 s of pink-ish
 * noise each, the variants interleaved so that a busy machine slows all
 * of them alike. For instruction counts:
 *
 *   BUSKER_BENCH_ROUNDS=1 valgrind --tool=callgrind \
 *     --toggle-collect=busker_process_run build/tests/bench/bench-chain
 *
 * Each variant runs with both builds of the DSP kernels (dsp-isa.h) where
 * the CPU has the v3 one: "baseline" and "v3" lines, interleaved too.
 *
 * BUSKER_BENCH_ONLY=K runs variant K only (0: 2048 sample peak, 1: 256
 * sample peak, 2: 2048 true peak, 3: 256 true peak; 4-7 the same with the
 * v3 kernels), for profiles.
 * BUSKER_BENCH_HASH=1 also prints an FNV-1a hash of the master's output,
 * to show that a change left the output bits alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/busker-plan.h"
#include "engine/busker-process.h"
#include "bench-util.h"
#include "dsp/dsp-isa.h"
#include "dsp/effect.h"
#include "bench-chain-desc.h"

#define RATE 48000
#define AUDIO_S 10
#define MAX_BLOCK 2048

static BuskerMixDesc *
chain_desc (bool true_peak)
{
  BuskerMixDesc *d = busker_mix_desc_new (3, RATE);
  static const char *const ids[] = { "music", "bus", "master" };
  static const char *const names[] = { "Music", "Bus", "Master" };
  static const BuskerStripKind kinds[] = { BUSKER_STRIP_TRACK, BUSKER_STRIP_SUBGROUP,
                                           BUSKER_STRIP_MASTER };

  for (int i = 0; i < 3; i++)
    {
      d->strips[i].id = g_strdup (ids[i]);
      d->strips[i].name = g_strdup (names[i]);
      d->strips[i].kind = kinds[i];
      d->strips[i].output = i < 2 ? i + 1 : -1;
    }
  d->strips[0].source = BUSKER_SOURCE_LIVE;
  bench_chain_set_inserts (&d->strips[1], true_peak);
  return d;
}

/* Noise of about -19 dBFS RMS, summed octaves so the spectrum falls like
 * pink noise's (what sox's pinknoise gives the live benchmark). */
static void
fill_noise (float *x, uint32_t n)
{
  uint32_t seed = 1;
  float oct[8] = { 0 };

  for (uint32_t i = 0; i < n; i++)
    {
      float sum = 0;
      for (int k = 0; k < 8; k++)
        {
          if ((i & ((1u << k) - 1)) == 0)
            {
              seed = seed * 1664525u + 1013904223u;
              oct[k] = (float) (seed >> 8) / (float) (1u << 24) - 0.5f;
            }
          sum += oct[k];
        }
      x[i] = sum * 0.12f;
    }
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

typedef struct {
  uint32_t quantum;
  bool true_peak;
  bool v3;      /* the x86-64-v3 kernels, else the baseline ones */
  double *ns_per_frame; /* one per round */
  uint64_t hash;
} Variant;

/* One round: a fresh plan over AUDIO_S seconds; nanoseconds per frame. */
static double
run_round (Variant *v, const float *noise, uint32_t noise_len, bool hash)
{
  g_autoptr (BuskerMixDesc) desc = chain_desc (v->true_peak);
  g_autoptr (GError) error = NULL;
  g_setenv ("BUSKER_DSP_ISA", v->v3 ? "v3" : "baseline", TRUE); /* read by the units' new */
  BuskerPlan *plan = busker_plan_new (desc, MAX_BLOCK, &error);
  g_assert_no_error (error);
  busker_plan_share_buffers (plan); /* as the live node's plans */
  uint32_t n = v->quantum, blocks = AUDIO_S * RATE / n;
  uint64_t busy = 0, h = BENCH_FNV1A_START;

  for (uint32_t b = 0; b < blocks; b++)
    {
      for (uint32_t c = 0; c < 2; c++)
        memcpy (busker_process_track_input (plan, 0, c),
                noise + ((uint64_t) b * n + c * 4801) % (noise_len - n), n * sizeof (float));
      uint64_t t0 = bench_thread_ns ();
      busker_process_run (plan, n);
      busy += bench_thread_ns () - t0;
      for (uint32_t c = 0; hash && c < 2; c++)
        h = bench_fnv1a (h, busker_process_strip_output (plan, 2, c), n);
    }
  busker_plan_free (plan);
  v->hash = h;
  return (double) busy / ((double) blocks * n);
}

int
main (void)
{
  const char *env_r = g_getenv ("BUSKER_BENCH_ROUNDS");
  const int rounds = env_r != NULL && atoi (env_r) > 0 ? atoi (env_r) : 9;
  const bool hash = g_getenv ("BUSKER_BENCH_HASH") != NULL;
  const char *env_only = g_getenv ("BUSKER_BENCH_ONLY");
  const int only = env_only != NULL ? atoi (env_only) : -1;
  const uint32_t noise_len = 4 * RATE;
  float *noise = g_new (float, noise_len);
  Variant v[] = { { 2048, false }, { 256, false }, { 2048, true }, { 256, true },
                  { 2048, false, true }, { 256, false, true }, { 2048, true, true },
                  { 256, true, true } };
  g_unsetenv ("BUSKER_DSP_ISA");
  const bool have_v3 = busker_dsp_isa_v3 ();

  fill_noise (noise, noise_len);
  for (unsigned k = 0; k < G_N_ELEMENTS (v); k++)
    v[k].ns_per_frame = g_new (double, rounds);
  for (int r = 0; r < rounds; r++)
    for (unsigned k = 0; k < G_N_ELEMENTS (v); k++)
      if ((only < 0 || (int) k == only) && (have_v3 || !v[k].v3))
        v[k].ns_per_frame[r] = run_round (&v[k], noise, noise_len, hash);
  for (unsigned k = 0; k < G_N_ELEMENTS (v); k++)
    {
      if ((only >= 0 && (int) k != only) || (v[k].v3 && !have_v3))
        {
          g_free (v[k].ns_per_frame);
          continue;
        }
      qsort (v[k].ns_per_frame, rounds, sizeof (double), compare_double);
      printf ("%-8s quantum %4u, %-11s %6.1f ns a stereo frame best, %6.1f median of %d "
              "(%.1f us a cycle)\n",
              v[k].v3 ? "v3" : "baseline", v[k].quantum,
              v[k].true_peak ? "true peak:" : "sample peak:", v[k].ns_per_frame[0],
              v[k].ns_per_frame[rounds / 2], rounds, v[k].ns_per_frame[0] * v[k].quantum / 1000);
      if (hash)
        printf ("%-8s quantum %4u, %s: output hash %016llx\n", v[k].v3 ? "v3" : "baseline",
                v[k].quantum,
                v[k].true_peak ? "true peak" : "sample peak", (unsigned long long) v[k].hash);
      g_free (v[k].ns_per_frame);
    }
  g_free (noise);
  return 0;
}
