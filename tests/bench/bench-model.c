/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Load and save of a 500-strip project (random strips with inserts, sends
 * and sources), printed as the median of several runs. Target: under
 * 100 ms each. Prints figures only; asserts no time.
 *   meson test -C build --benchmark --suite unit --verbose bench-model
 */
#include <glib/gstdio.h>

#include "unit/model-random.h"

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (GArray *times)
{
  g_array_sort (times, cmp_double);
  return g_array_index (times, double, times->len / 2);
}

int
main (int argc, char **argv)
{
  const guint n_strips = 500, runs = 15;
  g_autoptr (GRand) rand = g_rand_new_with_seed (500);
  g_autoptr (BuskerProject) project = random_project (rand, n_strips - 1);
  g_autofree char *dir = g_dir_make_tmp ("busker-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "big.busker", NULL);
  g_autofree char *bak = g_strconcat (path, ".bak", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) load_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) save_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) snap_ms = g_array_new (FALSE, FALSE, sizeof (double));
  guint n_inserts = 0, n_sends = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (project)); i++)
    {
      g_autoptr (BuskerStrip) s = g_list_model_get_item (G_LIST_MODEL (project), i);
      n_inserts += g_list_model_get_n_items (busker_strip_get_inserts (s));
      n_sends += g_list_model_get_n_items (busker_strip_get_sends (s));
    }

  for (guint r = 0; r < runs; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      if (!busker_project_save (project, file, &error))
        g_error ("%s", error->message);
      gint64 t1 = g_get_monotonic_time ();
      g_autoptr (BuskerProject) loaded = busker_project_load (file, &error);
      if (loaded == NULL)
        g_error ("%s", error->message);
      gint64 t2 = g_get_monotonic_time ();
      g_autoptr (BuskerMixDesc) desc = busker_project_snapshot (loaded);
      gint64 t3 = g_get_monotonic_time ();
      double ms[3] = { (t1 - t0) / 1000.0, (t2 - t1) / 1000.0, (t3 - t2) / 1000.0 };
      g_array_append_val (save_ms, ms[0]);
      g_array_append_val (load_ms, ms[1]);
      g_array_append_val (snap_ms, ms[2]);
    }

  GStatBuf st;
  g_stat (path, &st);
  g_print ("bench-model: %u strips, %u inserts, %u sends, file %.1f KiB\n",
           n_strips, n_inserts, n_sends, st.st_size / 1024.0);
  g_print ("bench-model: load %.2f ms, save %.2f ms (atomic, fsync), snapshot %.2f ms "
           "(median of %u; target < 100 ms)\n",
           median (load_ms), median (save_ms), median (snap_ms), runs);
  g_unlink (path);
  g_unlink (bak);
  g_rmdir (dir);
  return 0;
}
