/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Offline render speed and peak memory of a big session: 64 file tracks
 * (EQ + compressor, sends to a reverb and a delay aux), 8 subgroups (EQ +
 * compressor + saturation), the two aux returns and a master with a
 * multiband compressor and a limiter; 3 minutes at 48 kHz. Eight of the
 * tracks are 44.1 kHz files, so resampling is in the figure too.
 *
 * Prints the real-time factor and peak RSS; asserts nothing about time.
 * Targets: >= 15x real time, <= 200 MB. Effect types not registered yet
 * are left out and listed.
 *
 *   meson test -C build --benchmark --suite engine --print-errorlogs -v
 *   BUSKER_RENDER_THREADS=1 to measure the single-threaded path.
 */
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sndfile.h>
#include <sys/resource.h>

#include "dsp/params.h"
#include "engine/busker-render.h"

#include "bench-session.h"

static GString *missing;

static double
cpu_seconds (void)
{
  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6
         + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void
remove_dir (const char *dir)
{
  GDir *gd = g_dir_open (dir, 0, NULL);
  const char *name;
  while (gd != NULL && (name = g_dir_read_name (gd)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  if (gd != NULL)
    g_dir_close (gd);
  g_rmdir (dir);
}

int
main (void)
{
  g_autofree char *dir = g_dir_make_tmp ("busker-bench-XXXXXX", NULL);
  missing = g_string_new (NULL);

  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (BuskerMixDesc) desc = bench_session_new (dir, missing);
  gint64 t1 = g_get_monotonic_time ();
  double load[1] = { 0 };
  if (getloadavg (load, 1) == 1)
    printf ("load average at start: %.2f on %u cores (timings are shared)\n", load[0],
            g_get_num_processors ());
  printf ("generated %d tracks x %d s in %.1f s\n", N_TRACKS, SECONDS, (t1 - t0) / 1e6);
  printf ("effect types missing (left out):%s\n", missing->len ? missing->str : " none");

  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerRender) render = busker_render_new (desc, &error);
  g_assert_no_error (error);

  int64_t len = busker_render_source_length (render);
  uint32_t block = busker_render_max_block (render);
  double peak = 0;
  double cpu0 = cpu_seconds ();
  gint64 start = g_get_monotonic_time ();
  for (int64_t pos = 0; pos < len; pos += block)
    {
      uint32_t n = (uint32_t) MIN ((int64_t) block, len - pos);
      if (!busker_render_process (render, n, &error))
        g_error ("%s", error->message);
      const float *l = busker_render_strip_output (render, desc->n_strips - 1, 0);
      for (uint32_t i = 0; i < n; i++)
        peak = fmax (peak, fabs (l[i]));
    }
  double elapsed_s = (g_get_monotonic_time () - start) / 1e6;
  double cpu_s = cpu_seconds () - cpu0;

  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  double audio_s = (double) len / RATE;
  printf ("threads: %s\n", g_getenv ("BUSKER_RENDER_THREADS") ? g_getenv ("BUSKER_RENDER_THREADS") : "auto");
  printf ("rendered %.1f s of audio in %.2f s: %.1fx real time (target >= 15x)\n",
          audio_s, elapsed_s, audio_s / elapsed_s);
  /* On a machine shared with other jobs the wall clock says little; CPU
   * time says what an idle machine would do. */
  printf ("render CPU time %.2f s (all threads): %.1fx real time per core busy, "
          "~%.1fx on %u idle cores\n", cpu_s, audio_s / cpu_s,
          audio_s / cpu_s * MIN (g_get_num_processors (), 2), MIN (g_get_num_processors (), 2));
  printf ("peak RSS %.1f MB (target <= 200 MB)\n", ru.ru_maxrss / 1024.0);
  printf ("master peak %.1f dBFS, latency %u frames\n", 20 * log10 (fmax (peak, 1e-12)),
          busker_render_latency (render));

  g_clear_pointer (&render, busker_render_free);
  remove_dir (dir);
  g_string_free (missing, TRUE);
  return 0;
}
