/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Export speed, printed, never asserted:
 *  1. the demo session through build/src/busker-export, as a multiple of
 *     real time;
 *  2. 16 stereo tracks x 60 s, each through an 80 Hz high-pass and an
 *     8 kHz low-pass, summed into a 24-bit WAV, once by ecasound and once
 *     by busker-export; the figure is the ratio of the children's CPU
 *     time (user + sys, from getrusage (RUSAGE_CHILDREN)). Target <= 0.5.
 * Both programs run as child processes the same way, so start-up costs
 * count on both sides.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>

#define RATE 48000
#define N_TRACKS 16
#define SECONDS 60

typedef struct {
  double cpu_s, wall_s;
} Cost;

static double
tv_s (struct timeval tv)
{
  return (double) tv.tv_sec + (double) tv.tv_usec / 1e6;
}

/* Runs argv to completion; FALSE (with its stderr printed) on failure. */
static gboolean
run_child (char **argv, Cost *cost)
{
  struct rusage before, after;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  int status = 0;

  getrusage (RUSAGE_CHILDREN, &before);
  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("%s failed: %s\n%s", argv[0], error->message, err ? err : "");
      return FALSE;
    }
  getrusage (RUSAGE_CHILDREN, &after);
  cost->wall_s = (double) (g_get_monotonic_time () - t0) / 1e6;
  cost->cpu_s = tv_s (after.ru_utime) - tv_s (before.ru_utime) +
                tv_s (after.ru_stime) - tv_s (before.ru_stime);
  return TRUE;
}

/* Best of n runs: the machine is shared, the minimum is the honest cost. */
static gboolean
run_best (char **argv, int n, Cost *best)
{
  best->cpu_s = best->wall_s = INFINITY;
  for (int i = 0; i < n; i++)
    {
      Cost c;
      if (!run_child (argv, &c))
        return FALSE;
      best->cpu_s = MIN (best->cpu_s, c.cpu_s);
      best->wall_s = MIN (best->wall_s, c.wall_s);
    }
  return TRUE;
}

static void
write_track (const char *path, int index)
{
  SF_INFO info = { .samplerate = RATE, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
  SNDFILE *f = sf_open (path, SFM_WRITE, &info);
  float buf[2 * 4800];
  uint32_t noise = 0x1234567u + (uint32_t) index;
  double f_hz = 55.0 * pow (2.0, index / 4.0);

  g_assert_nonnull (f);
  for (int block = 0; block < SECONDS * 10; block++)
    {
      for (int i = 0; i < 4800; i++)
        {
          double t = (double) (block * 4800 + i) / RATE;
          noise ^= noise << 13; noise ^= noise >> 17; noise ^= noise << 5;
          double n = (double) (int32_t) noise / 2147483648.0;
          buf[2 * i] = (float) (0.05 * sin (2 * G_PI * f_hz * t) + 0.02 * n);
          buf[2 * i + 1] = (float) (0.05 * sin (2 * G_PI * f_hz * 1.01 * t) - 0.02 * n);
        }
      sf_writef_float (f, buf, 4800);
    }
  sf_close (f);
}

/* The same mix as a Busker project: eq with an 80 Hz high-pass and an
 * 8 kHz low-pass (12 dB/oct, like ecasound's -efh/-efl), the other six
 * bands disabled. */
static void
write_project (const char *dir, const char *path)
{
  GString *json = g_string_new ("{\"format\": 1, \"name\": \"bench\", \"sample_rate\": 48000, "
                                "\"tempo_bpm\": 120, \"strips\": [\n");
  for (int i = 0; i < N_TRACKS; i++)
    {
      g_string_append_printf (json,
        "{\"id\": \"t%d\", \"kind\": \"track\", \"source\": {\"type\": \"file\", \"path\": \"t%d.wav\"},"
        " \"gain_db\": -12, \"inserts\": [{\"type\": \"eq\", \"bands\": ["
        "{\"type\": \"high_pass\", \"freq_hz\": 80, \"slope_db_oct\": 12},"
        "{\"type\": \"low_pass\", \"freq_hz\": 8000, \"slope_db_oct\": 12}", i, i);
      for (int b = 2; b < 8; b++)
        g_string_append (json, ", {\"enabled\": false}");
      g_string_append (json, "]}]},\n");
    }
  g_string_append (json, "{\"id\": \"master\", \"kind\": \"master\"}]}\n");
  g_assert_true (g_file_set_contents (path, json->str, -1, NULL));
  g_string_free (json, TRUE);
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
main (int argc, char *argv[])
{
  const char *builddir = g_getenv ("G_TEST_BUILDDIR"); /* build/tests */
  g_autofree char *root = g_path_get_dirname (builddir != NULL ? builddir : "build/tests");
  g_autofree char *exe = g_build_filename (root, "src", "busker-export", NULL);
  g_autofree char *demo = g_build_filename (root, "data", "demo", "demo.busker", NULL);
  g_autofree char *dir = g_dir_make_tmp ("busker-bench-XXXXXX", NULL);
  g_autofree char *demo_out = g_build_filename (dir, "demo.wav", NULL);
  g_autofree char *project = g_build_filename (dir, "bench.busker", NULL);
  g_autofree char *busker_out = g_build_filename (dir, "busker.wav", NULL);
  g_autofree char *eca_out = g_build_filename (dir, "ecasound.wav", NULL);
  g_autoptr (GPtrArray) eca = g_ptr_array_new_with_free_func (g_free);
  Cost demo_cost, busker_cost, eca_cost;
  SF_INFO info = { 0 };
  SNDFILE *f;
  int status = 0;

  /* 1. The demo. */
  {
    char *args[] = { exe, demo, "-o", demo_out, "-q", NULL };
    if (!run_best (args, 3, &demo_cost))
      return 1;
    f = sf_open (demo_out, SFM_READ, &info);
    g_assert_nonnull (f);
    sf_close (f);
    double audio_s = (double) info.frames / info.samplerate;
    printf ("demo: %.1f s of audio exported in %.2f s wall, %.2f s CPU: %.1fx real time "
            "(%.1fx per CPU second)\n", audio_s, demo_cost.wall_s, demo_cost.cpu_s,
            audio_s / demo_cost.wall_s, audio_s / demo_cost.cpu_s);
  }

  /* 2. Side by side with ecasound. */
  for (int i = 0; i < N_TRACKS; i++)
    {
      g_autofree char *p = g_strdup_printf ("%s/t%d.wav", dir, i);
      write_track (p, i);
    }
  write_project (dir, project);
  {
    char *args[] = { exe, project, "-o", busker_out, "-q", "--bits", "24", NULL };
    if (!run_best (args, 3, &busker_cost))
      status = 1;
  }
  if (g_find_program_in_path ("ecasound") == NULL)
    {
      printf ("ecasound is not installed: no comparison\n");
      remove_dir (dir);
      return status;
    }
  g_ptr_array_add (eca, g_strdup ("ecasound"));
  g_ptr_array_add (eca, g_strdup ("-q"));
  g_ptr_array_add (eca, g_strdup ("-z:mixmode,sum"));
  for (int i = 0; i < N_TRACKS; i++)
    {
      g_ptr_array_add (eca, g_strdup_printf ("-a:%d", i + 1));
      g_ptr_array_add (eca, g_strdup_printf ("-i:%s/t%d.wav", dir, i));
      g_ptr_array_add (eca, g_strdup ("-ea:25"));
      g_ptr_array_add (eca, g_strdup ("-efh:80"));
      g_ptr_array_add (eca, g_strdup ("-efl:8000"));
    }
  g_ptr_array_add (eca, g_strdup ("-a:all"));
  g_ptr_array_add (eca, g_strdup ("-f:s24_le,2,48000"));
  g_ptr_array_add (eca, g_strdup_printf ("-o:%s", eca_out));
  g_ptr_array_add (eca, NULL);
  if (status == 0 && !run_best ((char **) eca->pdata, 3, &eca_cost))
    status = 1;

  if (status == 0)
    {
      printf ("16 stereo tracks x 60 s, HPF 80 Hz + LPF 8 kHz each, to 24-bit WAV (best of 3):\n");
      printf ("  ecasound:      %.2f s CPU, %.2f s wall (%.0fx real time)\n",
              eca_cost.cpu_s, eca_cost.wall_s, SECONDS / eca_cost.wall_s);
      printf ("  busker-export: %.2f s CPU, %.2f s wall (%.0fx real time)\n",
              busker_cost.cpu_s, busker_cost.wall_s, SECONDS / busker_cost.wall_s);
      printf ("  CPU-time ratio busker-export / ecasound: %.2f (target <= 0.5)\n",
              busker_cost.cpu_s / eca_cost.cpu_s);
    }
  remove_dir (dir);
  return status;
}
