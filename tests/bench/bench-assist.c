/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The mix assistant's cost: the analysis (busker_assist_measure + the
 * rules) of the 64-track reference session against a plain export of it
 * (busker_export_run to a 24-bit WAV, no report), both in this process
 * through the same render. Prints wall and CPU time (all threads) of
 * each and their ratios; target analysis <= 1.5x the export. Asserts
 * nothing about time.
 *
 *   meson test -C build --benchmark --suite assist --print-errorlogs -v
 */
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <sys/resource.h>

#include "assist/busker-assist.h"
#include "engine/busker-export.h"

#include "bench-session.h"

typedef struct {
  double wall_s, cpu_s;
} Cost;

static double
cpu_seconds (void)
{
  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
         ru.ru_stime.tv_usec / 1e6;
}

static void
cost_min (Cost *best, gint64 t0, double c0)
{
  best->wall_s = MIN (best->wall_s, (g_get_monotonic_time () - t0) / 1e6);
  best->cpu_s = MIN (best->cpu_s, cpu_seconds () - c0);
}

static void
remove_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
}

int
main (void)
{
  g_autofree char *dir = g_dir_make_tmp ("busker-bench-XXXXXX", NULL);
  g_autofree char *wav = g_build_filename (dir, "mix.wav", NULL);
  g_autoptr (GString) missing = g_string_new (NULL);
  g_autoptr (BuskerMixDesc) desc = bench_session_new (dir, missing);
  const char *repeat_env = g_getenv ("BUSKER_BENCH_REPEAT");
  int repeat = repeat_env != NULL ? MAX (1, atoi (repeat_env)) : 1;
  Cost export = { INFINITY, INFINITY }, assist = { INFINITY, INFINITY };
  double load[1] = { 0 };
  guint n_advice = 0;

  if (getloadavg (load, 1) == 1)
    printf ("load average at start: %.2f on %u cores (timings are shared)\n", load[0],
            g_get_num_processors ());
  printf ("effect types missing (left out):%s\n", missing->len ? missing->str : " none");

  for (int r = 0; r < repeat; r++)
    {
      BuskerExportOptions opt;
      BuskerExportResult result;
      g_autoptr (GError) error = NULL;

      busker_export_options_init (&opt);
      gint64 t0 = g_get_monotonic_time ();
      double c0 = cpu_seconds ();
      if (!busker_export_run (desc, wav, &opt, &result, &error))
        g_error ("export: %s", error->message);
      cost_min (&export, t0, c0);
      g_unlink (wav);

      t0 = g_get_monotonic_time ();
      c0 = cpu_seconds ();
      g_autoptr (BuskerAssistMix) mix = busker_assist_measure (desc, NULL, &error);
      if (mix == NULL)
        g_error ("analysis: %s", error->message);
      g_autoptr (GPtrArray) advice = busker_assist_advise (mix, NULL);
      cost_min (&assist, t0, c0);
      n_advice = advice->len;
    }

  printf ("64 tracks x %d s, best of %d:\n", SECONDS, repeat);
  printf ("  plain export:   %6.2f s wall, %6.2f s CPU\n", export.wall_s, export.cpu_s);
  printf ("  mix assistant:  %6.2f s wall, %6.2f s CPU (%u pieces of advice)\n", assist.wall_s,
          assist.cpu_s, n_advice);
  printf ("  ratio analysis / export: %.2fx wall, %.2fx CPU (target <= 1.5x)\n",
          assist.wall_s / export.wall_s, assist.cpu_s / export.cpu_s);
  remove_dir (dir);
  return 0;
}
