/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A full disk loses nothing. Run by tests/reliability/in-small-tmpfs,
 * which mounts a private 1 MiB tmpfs at $BUSKER_FULL_DIR; a filler file
 * takes the space away on demand.
 * - Saving a project onto the full disk fails with one sentence naming
 *   the file; the previous file is byte for byte intact, no temporary is
 *   left beside it, the project stays dirty; once there is room again the
 *   save works and loads back to the same JSON.
 * - Exporting onto the full disk fails with one sentence naming the file;
 *   no file is left at the target and an older file there is untouched.
 * - A normalized export whose temporary render ($TMPDIR) runs out of room
 *   fails the same way, with the output folder untouched.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sndfile.h>
#include <unistd.h>

#include "engine/busker-export.h"
#include "model/busker-project.h"
#include "unit/model-random.h"

static const char *full_dir;
static char *roomy_dir; /* the $TMPDIR we were given */

static char *
make_roomy_dir (void)
{
  char *dir = g_build_filename (roomy_dir, "busker-full-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (dir));
  return dir;
}

/* Fills the tmpfs, then frees `room` bytes. */
static void
fill_disk (gsize room)
{
  g_autofree char *filler = g_build_filename (full_dir, "filler", NULL);
  int fd = open (filler, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  static char block[4096];
  g_assert_cmpint (fd, >=, 0);
  while (write (fd, block, sizeof block) > 0)
    ;
  g_assert_cmpint (errno, ==, ENOSPC);
  off_t size = lseek (fd, 0, SEEK_END);
  g_assert_cmpint (ftruncate (fd, size > (off_t) room ? size - (off_t) room : 0), ==, 0);
  close (fd);
}

static void
free_disk (void)
{
  g_autofree char *filler = g_build_filename (full_dir, "filler", NULL);
  g_unlink (filler);
}

/* Names in the folder other than the ones given. */
static guint
count_others (const char *dir, const char *const *known)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;
  while ((name = g_dir_read_name (d)) != NULL)
    if (!g_strv_contains (known, name))
      {
        g_test_message ("left in %s: %s", dir, name);
        n++;
      }
  return n;
}

static void
test_save (void)
{
  g_autofree char *path = g_build_filename (full_dir, "song.busker", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerProject) project = random_project (rand, 3);
  g_autofree char *before = NULL, *after = NULL, *edited = NULL;
  gsize len;

  g_assert_true (busker_project_save (project, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &before, &len, NULL));

  /* Edits that make the file far bigger than the room left. */
  for (int i = 0; i < 200; i++)
    {
      g_autoptr (BuskerStrip) strip = random_strip_of_kind (project, BUSKER_STRIP_TRACK);
      randomize_strip (rand, strip);
      g_assert_true (busker_project_add_strip (project, strip, 0, NULL));
    }
  edited = busker_project_to_data (project, NULL);
  g_assert_cmpuint (strlen (edited), >, 64 * 1024);
  fill_disk (16 * 1024);

  g_assert_false (busker_project_save (project, file, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, g_strerror (ENOSPC)));
  g_assert_null (strchr (error->message, '\n'));
  g_clear_error (&error);

  g_assert_true (g_file_get_contents (path, &after, &len, NULL));
  g_assert_cmpstr (after, ==, before);
  const char *known[] = { "song.busker", "song.busker.bak", "filler", NULL };
  g_assert_cmpuint (count_others (full_dir, known), ==, 0);
  g_assert_true (busker_project_get_dirty (project));
  g_autofree char *still = busker_project_to_data (project, NULL);
  g_assert_cmpstr (still, ==, edited);

  free_disk ();
  g_assert_true (busker_project_save (project, file, &error));
  g_assert_no_error (error);
  g_assert_false (busker_project_get_dirty (project));
  g_autoptr (BuskerProject) loaded = busker_project_load (file, &error);
  g_assert_no_error (error);
  g_autofree char *reloaded = busker_project_to_data (loaded, NULL);
  g_assert_cmpstr (reloaded, ==, edited);
  g_unlink (path);
  g_autofree char *bak = g_strconcat (path, ".bak", NULL);
  g_unlink (bak);
}

/* A 2 s stereo float WAV in `dir`, and a mix of it. */
static BuskerMixDesc *
make_mix (const char *dir, char **source)
{
  const int frames = 96000;
  g_autofree float *x = g_new (float, 2 * frames);
  SF_INFO info = { .samplerate = 48000, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
  for (int i = 0; i < 2 * frames; i++)
    x[i] = 0.25f * sinf ((float) i * 0.01f);
  *source = g_build_filename (dir, "source.wav", NULL);
  SNDFILE *f = sf_open (*source, SFM_WRITE, &info);
  g_assert_nonnull (f);
  g_assert_cmpint (sf_writef_float (f, x, frames), ==, frames);
  sf_close (f);

  BuskerMixDesc *d = busker_mix_desc_new (2, 48000);
  d->strips[0].id = g_strdup ("t");
  d->strips[0].output = 1;
  d->strips[0].source = BUSKER_SOURCE_FILE;
  d->strips[0].source_path = g_strdup (*source);
  d->strips[1].id = g_strdup ("master");
  d->strips[1].kind = BUSKER_STRIP_MASTER;
  return d;
}

static void
test_export (void)
{
  g_autofree char *roomy = make_roomy_dir ();
  g_autofree char *source = NULL;
  g_autoptr (BuskerMixDesc) d = make_mix (roomy, &source);
  g_autofree char *out = g_build_filename (full_dir, "mix.wav", NULL);
  g_autoptr (GError) error = NULL;
  BuskerExportOptions opt;
  const char *old = "an older export that must survive";
  g_autofree char *kept = NULL;

  g_assert_true (g_file_set_contents (out, old, -1, NULL));
  fill_disk (64 * 1024); /* 2 s at 24 bits is 576 kB */
  busker_export_options_init (&opt);
  g_assert_false (busker_export_run (d, out, &opt, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, out));
  g_assert_null (strchr (error->message, '\n'));
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (out, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, old);
  const char *known[] = { "mix.wav", "filler", NULL };
  g_assert_cmpuint (count_others (full_dir, known), ==, 0);

  /* With room the same export works: the failure was the disk. */
  free_disk ();
  g_assert_true (busker_export_run (d, out, &opt, NULL, &error));
  g_assert_no_error (error);
  g_unlink (out);
  g_unlink (source);
  g_rmdir (roomy);
}

/* $TMPDIR is the full tmpfs (set in main before GLib reads it): the
 * normalization spool cannot be written. */
static void
test_export_spool (void)
{
  g_autofree char *roomy = make_roomy_dir ();
  g_autofree char *source = NULL;
  g_autoptr (BuskerMixDesc) d = make_mix (roomy, &source);
  g_autofree char *out = g_build_filename (roomy, "mix.wav", NULL);
  g_autoptr (GError) error = NULL;
  BuskerExportOptions opt;

  fill_disk (16 * 1024);
  busker_export_options_init (&opt);
  opt.normalize = BUSKER_NORMALIZE_PEAK;
  opt.normalize_target = -1.0;
  g_assert_false (busker_export_run (d, out, &opt, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, full_dir));
  g_assert_null (strchr (error->message, '\n'));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  const char *known[] = { "source.wav", NULL };
  g_assert_cmpuint (count_others (roomy, known), ==, 0);
  free_disk ();
  g_unlink (source);
  g_rmdir (roomy);
}

int
main (int argc, char **argv)
{
  full_dir = g_getenv ("BUSKER_FULL_DIR");
  if (full_dir == NULL)
    {
      g_printerr ("run me through tests/reliability/in-small-tmpfs\n");
      return 77;
    }
  /* Before GLib caches it: temporaries go to the small disk too. */
  roomy_dir = g_getenv ("TMPDIR") ? g_strdup (g_getenv ("TMPDIR")) : g_strdup ("/tmp");
  g_setenv ("TMPDIR", full_dir, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reliability/disk-full/save", test_save);
  g_test_add_func ("/reliability/disk-full/export", test_export);
  g_test_add_func ("/reliability/disk-full/export-spool", test_export_spool);
  return g_test_run ();
}
