/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * DSP load of the live node: the 64-track reference session
 * (bench-session.c, without its files) run the way the data thread runs it, one block of
 * the graph's quantum at a time on one thread, every track fed noise,
 * at quantum 64, 128 and 256, 48 kHz. Load is the thread's CPU time per
 * block divided by the block's period; printed as mean, the worst
 * 1 % of blocks and the median (the median moves least with other
 * processes on a shared machine). Target: <= 10 % of one core at 256.
 *
 *   meson test -C build --benchmark --suite pipewire live-dsp-load -v
 *
 * BUSKER_BENCH_SECONDS shortens the 20 s of audio per quantum and
 * BUSKER_BENCH_QUANTUM runs one quantum only, for instruction counts:
 *
 *   BUSKER_BENCH_SECONDS=2 BUSKER_BENCH_QUANTUM=256 valgrind --tool=callgrind \
 *     --toggle-collect=busker_process_run build/tests/bench/bench-live
 *
 * BUSKER_BENCH_HASH=1 also prints an FNV-1a hash of every strip's output
 * (outside the timed part), to show that a change to the engine left the
 * output bits alone.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/busker-plan.h"
#include "engine/busker-process.h"
#include "bench-util.h"
#include "bench-session.h"

#define MAX_BLOCK 8192
#define AUDIO_S 20 /* seconds of audio per quantum, by default */

static int
compare_u64 (const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
  return x < y ? -1 : x > y;
}

int
main (void)
{
  static const uint32_t quanta[] = { 64, 128, 256 };
  g_autoptr (GString) missing = g_string_new (NULL);
  g_autoptr (BuskerMixDesc) desc = bench_session_new (NULL, missing);
  g_autoptr (GError) error = NULL;
  float *noise = g_new (float, MAX_BLOCK * 4);
  uint32_t seed = 1;
  const char *env_s = g_getenv ("BUSKER_BENCH_SECONDS");
  const char *env_q = g_getenv ("BUSKER_BENCH_QUANTUM");
  const int audio_s = env_s != NULL && atoi (env_s) > 0 ? atoi (env_s) : AUDIO_S;
  const uint32_t only_q = env_q != NULL ? (uint32_t) atoi (env_q) : 0;
  const bool hash = g_getenv ("BUSKER_BENCH_HASH") != NULL;

  for (int i = 0; i < MAX_BLOCK * 4; i++)
    {
      seed = seed * 1664525u + 1013904223u;
      noise[i] = ((float) (seed >> 8) / (float) (1u << 24) - 0.5f) * 0.5f;
    }
  printf ("effect types missing (left out):%s\n", missing->len ? missing->str : " none");

  for (unsigned q = 0; q < G_N_ELEMENTS (quanta); q++)
    {
      uint32_t n = quanta[q];
      if (only_q != 0 && n != only_q)
        continue;
      uint32_t blocks = audio_s * RATE / n;
      uint64_t *cost = g_new (uint64_t, blocks);
      BuskerPlan *plan = busker_plan_new (desc, MAX_BLOCK, &error);
      g_assert_no_error (error);
      uint64_t h = BENCH_FNV1A_START;

      for (uint32_t b = 0; b < blocks; b++)
        {
          uint64_t t0 = bench_thread_ns ();
          for (uint32_t t = 0; t < N_TRACKS; t++)
            for (uint32_t c = 0; c < 2; c++)
              memcpy (busker_process_track_input (plan, t, c),
                      noise + (b * 7 + t * 131 + c * 977) % (MAX_BLOCK * 3),
                      n * sizeof (float));
          busker_process_run (plan, n);
          cost[b] = bench_thread_ns () - t0;
          for (uint32_t st = 0; hash && st < busker_plan_get_n_strips (plan); st++)
            for (uint32_t c = 0; c < 2; c++)
              h = bench_fnv1a (h, busker_process_strip_output (plan, st, c), n);
        }
      double period_ns = 1e9 * n / RATE, sum = 0;
      for (uint32_t b = 0; b < blocks; b++)
        sum += (double) cost[b];
      qsort (cost, blocks, sizeof *cost, compare_u64);
      printf ("quantum %4u @ %d Hz (%.2f ms): DSP load %.1f %% of one core mean, "
              "%.1f %% at the 99th percentile, %.1f %% worst block, %.1f %% median\n",
              n, RATE, period_ns / 1e6, 100 * sum / blocks / period_ns,
              100 * cost[blocks * 99 / 100] / period_ns, 100 * cost[blocks - 1] / period_ns,
              100 * cost[blocks / 2] / period_ns);
      if (hash)
        printf ("quantum %4u: output hash %016llx\n", n, (unsigned long long) h);
      busker_plan_free (plan);
      g_free (cost);
    }
  g_free (noise);
  return 0;
}
