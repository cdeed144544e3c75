/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Files that change under an open project or a running export.
 * - The project file replaced by garbage, truncated, or emptied while the
 *   project is open: loading it again is refused with one sentence naming
 *   the file, the open project is untouched (its JSON, its dirty flag)
 *   and saving it puts a good file back.
 * - A source file deleted part-way through an export: the open file is
 *   still read whole (POSIX keeps it), so the export is the same as
 *   without the deletion, sample for sample.
 * - A source file truncated part-way through an export: the export must
 *   fail with a sentence naming the source or finish with the lost part
 *   reported (a warning in BuskerExportResult naming the track); it must
 *   never succeed quietly with silence where the audio was: the
 *   silence must come with a warning naming the track and when.
 */
#include <glib/gstdio.h>
#include <math.h>
#include <sndfile.h>
#include <unistd.h>

#include "engine/busker-export.h"
#include "model/busker-project.h"
#include "unit/model-random.h"

static void
test_project_replaced (void)
{
  g_autofree char *dir = g_dir_make_tmp ("busker-faults-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "song.busker", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerProject) built = random_project (rand, 6);
  g_assert_true (busker_project_save (built, file, &error));
  g_autoptr (BuskerProject) open = busker_project_load (file, &error);
  g_assert_no_error (error);
  busker_strip_set_gain_db (busker_project_get_master (open), -3.5); /* unsaved work */
  g_autofree char *work = busker_project_to_data (open, NULL);
  g_autofree char *good = NULL;
  gsize good_len;
  g_assert_true (g_file_get_contents (path, &good, &good_len, NULL));

  const struct { const char *what; const char *data; gssize len; } damage[] = {
    { "garbage", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR garbage", 24 },
    { "truncated", good, (gssize) good_len / 2 },
    { "empty", "", 0 },
    { "other JSON", "{\"hello\": [1, 2, 3]}", -1 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (damage); i++)
    {
      g_assert_true (g_file_set_contents (path, damage[i].data, damage[i].len, NULL));
      g_autoptr (BuskerProject) again = busker_project_load (file, &error);
      g_assert_null (again);
      g_assert_nonnull (error);
      g_test_message ("%s: %s", damage[i].what, error->message);
      g_assert_nonnull (strstr (error->message, "song.busker"));
      g_assert_null (strchr (error->message, '\n'));
      g_clear_error (&error);

      g_autofree char *now = busker_project_to_data (open, NULL);
      g_assert_cmpstr (now, ==, work);
      g_assert_true (busker_project_get_dirty (open));
    }
  /* Saving the open project brings a good file back: nothing was lost. */
  g_assert_true (busker_project_save (open, file, &error));
  g_autoptr (BuskerProject) back = busker_project_load (file, &error);
  g_assert_no_error (error);
  g_autofree char *reloaded = busker_project_to_data (back, NULL);
  g_assert_cmpstr (reloaded, ==, work);

  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
}

#define RATE 48000
#define FRAMES (RATE * 4)

typedef struct {
  char *dir, *source, *out;
  BuskerMixDesc *desc;
  enum { NOTHING, DELETE, TRUNCATE } fault;
  gboolean done;
} Export;

static void
export_set_up (Export *e)
{
  g_autofree float *x = g_new (float, 2 * FRAMES);
  SF_INFO info = { .samplerate = RATE, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
  for (int i = 0; i < 2 * FRAMES; i++)
    x[i] = 0.5f * sinf ((float) i * 0.003f);
  e->dir = g_dir_make_tmp ("busker-faults-XXXXXX", NULL);
  e->source = g_build_filename (e->dir, "source.wav", NULL);
  e->out = g_build_filename (e->dir, "mix.wav", NULL);
  SNDFILE *f = sf_open (e->source, SFM_WRITE, &info);
  g_assert_cmpint (sf_writef_float (f, x, FRAMES), ==, FRAMES);
  sf_close (f);
  e->desc = busker_mix_desc_new (2, RATE);
  e->desc->strips[0].id = g_strdup ("t");
  e->desc->strips[0].output = 1;
  e->desc->strips[0].source = BUSKER_SOURCE_FILE;
  e->desc->strips[0].source_path = g_strdup (e->source);
  e->desc->strips[1].id = g_strdup ("master");
  e->desc->strips[1].kind = BUSKER_STRIP_MASTER;
}

static void
export_tear_down (Export *e)
{
  g_unlink (e->source);
  g_unlink (e->out);
  g_rmdir (e->dir);
  busker_mix_desc_free (e->desc);
  g_free (e->source);
  g_free (e->out);
  g_free (e->dir);
}

/* A quarter of the way in, the source goes away or loses its second
 * half. */
static void
on_progress (double fraction, gpointer data)
{
  Export *e = data;
  if (e->done || fraction < 0.25)
    return;
  e->done = TRUE;
  if (e->fault == DELETE)
    g_assert_cmpint (g_unlink (e->source), ==, 0);
  else if (e->fault == TRUNCATE)
    g_assert_cmpint (truncate (e->source, 44 + FRAMES / 2 * 2 * sizeof (float)), ==, 0);
}

/* Returns the export's warnings in *warnings (may be NULL). */
static gboolean
run_export (Export *e, float **samples, sf_count_t *frames, GPtrArray **warnings,
            GError **error)
{
  BuskerExportOptions opt;
  BuskerExportResult result = { 0 };
  busker_export_options_init (&opt);
  opt.bits = BUSKER_EXPORT_BITS_32F;
  opt.progress = on_progress;
  opt.progress_data = e;
  if (!busker_export_run (e->desc, e->out, &opt, &result, error))
    return FALSE;
  *warnings = g_steal_pointer (&result.warnings);
  busker_export_result_clear (&result);
  SF_INFO info = { 0 };
  SNDFILE *f = sf_open (e->out, SFM_READ, &info);
  g_assert_nonnull (f);
  *frames = info.frames;
  *samples = g_new (float, 2 * info.frames);
  g_assert_cmpint (sf_readf_float (f, *samples, info.frames), ==, info.frames);
  sf_close (f);
  return TRUE;
}

static void
test_source_deleted (void)
{
  Export e = { .fault = NOTHING };
  g_autofree float *clean = NULL, *faulted = NULL;
  sf_count_t n_clean, n_faulted;
  g_autoptr (GError) error = NULL;

  g_autoptr (GPtrArray) w1 = NULL, w2 = NULL;
  export_set_up (&e);
  g_assert_true (run_export (&e, &clean, &n_clean, &w1, &error));
  e.fault = DELETE;
  e.done = FALSE;
  g_assert_true (run_export (&e, &faulted, &n_faulted, &w2, &error));
  g_assert_null (w2);
  g_assert_no_error (error);
  g_assert_true (e.done);
  g_assert_false (g_file_test (e.source, G_FILE_TEST_EXISTS));
  g_assert_cmpint (n_faulted, ==, n_clean);
  g_assert_cmpint (memcmp (clean, faulted, 2 * sizeof (float) * (size_t) n_clean), ==, 0);
  export_tear_down (&e);
}

static void
test_source_truncated (void)
{
  Export e = { .fault = TRUNCATE };
  g_autofree float *got = NULL;
  sf_count_t frames = 0;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) warnings = NULL;

  export_set_up (&e);
  if (!run_export (&e, &got, &frames, &warnings, &error))
    {
      g_assert_true (e.done);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, e.source));
      g_assert_false (g_file_test (e.out, G_FILE_TEST_EXISTS));
      export_tear_down (&e);
      return;
    }
  g_assert_true (e.done);
  /* It finished: how much of the second half is silent? */
  sf_count_t silent = 0;
  for (sf_count_t i = FRAMES / 2 + 1; i < MIN (frames, FRAMES); i++)
    silent += got[2 * i] == 0.0f && got[2 * i + 1] == 0.0f;
  g_test_message ("export succeeded with %" G_GINT64_FORMAT " frames, %" G_GINT64_FORMAT
                  " of the lost half silent, %u warnings", (gint64) frames, (gint64) silent,
                  warnings ? warnings->len : 0);
  gboolean reported = FALSE;
  for (guint i = 0; warnings != NULL && i < warnings->len; i++)
    {
      BuskerRenderWarning *w = g_ptr_array_index (warnings, i);
      g_test_message ("warning: %s", w->message);
      /* It names the track and covers the lost second half. */
      reported |= g_strcmp0 (w->strip_id, "t") == 0
                  && (isnan (w->start_s) || w->start_s <= 2.0 + 0.1);
    }
  export_tear_down (&e);
  /* Silence where audio was is allowed only when a warning says so. */
  if (frames < FRAMES || silent > 0)
    g_assert_true (reported);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reliability/faults/project-replaced", test_project_replaced);
  g_test_add_func ("/reliability/faults/source-deleted", test_source_deleted);
  g_test_add_func ("/reliability/faults/source-truncated", test_source_truncated);
  return g_test_run ();
}
