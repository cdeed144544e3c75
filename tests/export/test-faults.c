/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Export results that hold what they claim (issue 8), through the export
 * API the window's dialog uses: a faulted strip fades instead of cutting
 * and is reported in BuskerExportResult.warnings; WAV past the RIFF limit
 * becomes RF64 and AIFF is refused before rendering. Files are read back
 * with libsndfile; the reference signals are computed here. */
#include <glib/gstdio.h>
#include <math.h>
#include <sndfile.h>
#include <string.h>
#include <unistd.h>

#include "engine/busker-export.h"
#include "test-tmpdir.h"

#define RATE 48000
#define LEN (2 * RATE)
#define BAD_AT 30000 /* first of ten absurd samples */

typedef struct {
  char *dir;
  char *src;
  BuskerMixDesc *desc;
} Fixture;

static char *
write_mono (const char *dir, const char *name, gboolean with_fault)
{
  char *path = g_build_filename (dir, name, NULL);
  SF_INFO info = { .samplerate = RATE, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
  g_autofree float *x = g_new (float, LEN);
  SNDFILE *f;

  for (int i = 0; i < LEN; i++)
    x[i] = (float) (0.3 * sin (2 * G_PI * 440 * i / RATE));
  /* Finite, so the source keeps them, but +24 dB of trim makes them
   * infinite inside the strip: a fault of the engine, not of the file. */
  for (int i = BAD_AT; with_fault && i < BAD_AT + 10; i++)
    x[i] = 3e38f;
  f = sf_open (path, SFM_WRITE, &info);
  g_assert_nonnull (f);
  g_assert_cmpint (sf_writef_float (f, x, LEN), ==, LEN);
  g_assert_cmpint (sf_close (f), ==, 0);
  return path;
}

static BuskerMixDesc *
one_track (const char *path, double offset_s, float trim_db)
{
  BuskerMixDesc *d = busker_mix_desc_new (2, RATE);
  d->strips[0].id = g_strdup ("t");
  d->strips[0].name = g_strdup ("Tone");
  d->strips[0].kind = BUSKER_STRIP_TRACK;
  d->strips[0].output = 1;
  d->strips[0].source = BUSKER_SOURCE_FILE;
  d->strips[0].source_path = g_strdup (path);
  d->strips[0].source_offset_s = offset_s;
  d->strips[0].trim_db = trim_db;
  d->strips[1].id = g_strdup ("master");
  d->strips[1].kind = BUSKER_STRIP_MASTER;
  d->strips[1].output = -1;
  return d;
}

static void
set_up (Fixture *fx, gconstpointer data)
{
  fx->dir = g_dir_make_tmp ("busker-faults-XXXXXX", NULL);
  fx->src = write_mono (fx->dir, "tone.wav", FALSE);
  fx->desc = one_track (fx->src, 0, 0);
}

static void
tear_down (Fixture *fx, gconstpointer data)
{
  test_remove_tree (fx->dir);
  busker_mix_desc_free (fx->desc);
  g_free (fx->src);
  g_free (fx->dir);
}

/* Left channel of a stereo file. */
static float *
read_left (const char *path, sf_count_t *frames, int *format)
{
  SF_INFO info = { 0 };
  SNDFILE *f = sf_open (path, SFM_READ, &info);
  g_assert_nonnull (f);
  g_assert_cmpint (info.channels, ==, 2);
  g_autofree float *both = g_new (float, 2 * info.frames);
  float *left = g_new (float, info.frames);
  g_assert_cmpint (sf_readf_float (f, both, info.frames), ==, info.frames);
  sf_close (f);
  for (sf_count_t i = 0; i < info.frames; i++)
    left[i] = both[2 * i];
  *frames = info.frames;
  if (format != NULL)
    *format = info.format;
  return left;
}

static gboolean
warned (const BuskerExportResult *r, const char *words)
{
  for (guint i = 0; r->warnings != NULL && i < r->warnings->len; i++)
    if (strstr (((BuskerRenderWarning *) r->warnings->pdata[i])->message, words) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_fault_fades (Fixture *fx, gconstpointer data)
{
  g_autofree char *bad = write_mono (fx->dir, "bad.wav", TRUE);
  g_autoptr (BuskerMixDesc) faulty = one_track (bad, 0, 24);
  g_autofree char *ref_path = g_build_filename (fx->dir, "ref.wav", NULL);
  g_autofree char *out_path = g_build_filename (fx->dir, "out.wav", NULL);
  g_auto (BuskerExportResult) ref_result = { 0 };
  g_auto (BuskerExportResult) result = { 0 };
  g_autoptr (GError) error = NULL;
  BuskerExportOptions opt;
  sf_count_t n_ref, n;

  busker_export_options_init (&opt);
  opt.bits = BUSKER_EXPORT_BITS_32F;
  busker_mix_desc_free (fx->desc);
  fx->desc = one_track (fx->src, 0, 24);
  g_assert_true (busker_export_run (fx->desc, ref_path, &opt, &ref_result, &error));
  g_assert_null (ref_result.warnings);
  g_assert_true (busker_export_run (faulty, out_path, &opt, &result, &error));
  g_assert_no_error (error);

  g_autofree float *ref = read_left (ref_path, &n_ref, NULL);
  g_autofree float *out = read_left (out_path, &n, NULL);
  g_assert_cmpint (n, ==, n_ref);

  /* No click: a 440 Hz sine at 0.3 * 15.85 * 0.707 moves at most 0.31 a
   * sample; a cut to zero would jump by up to 3.4. */
  double worst_step = 0, ref_step = 0;
  for (sf_count_t i = 1; i < n; i++)
    {
      worst_step = fmax (worst_step, fabs (out[i] - out[i - 1]));
      ref_step = fmax (ref_step, fabs (ref[i] - ref[i - 1]));
    }
  g_test_message ("largest step %.3f (the clean sine: %.3f)", worst_step, ref_step);
  g_assert_cmpfloat (worst_step, <=, ref_step * 1.05);

  /* Only the faulted block (1024 frames from 29696) and the fade-in
   * after it differ from the clean render. */
  sf_count_t first_diff = -1, last_diff = -1;
  for (sf_count_t i = 0; i < n; i++)
    if (fabsf (out[i] - ref[i]) > 1e-6f)
      {
        if (first_diff < 0)
          first_diff = i;
        last_diff = i;
      }
  g_test_message ("differs at %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT,
                  (gint64) first_diff, (gint64) last_diff);
  g_assert_cmpint (first_diff, ==, 29696);
  /* The fade-in is a 5 ms one-pole: within 1e-6 of the clean signal
   * after about 60 ms. */
  g_assert_cmpint (last_diff, <, 30720 + RATE / 10);

  /* Reported through the API, with the time of the block. */
  g_assert_nonnull (result.warnings);
  g_assert_cmpuint (result.warnings->len, ==, 1);
  BuskerRenderWarning *w = result.warnings->pdata[0];
  g_test_message ("%s", w->message);
  g_assert_cmpstr (w->strip_id, ==, "t");
  g_assert_cmpfloat_with_epsilon (w->start_s, 29696.0 / RATE, 1e-9);
  g_assert_cmpfloat_with_epsilon (w->end_s, 30720.0 / RATE, 1e-9);
  g_assert_true (warned (&result, "Track “Tone”: its signal was not finite or an effect failed"
                                  " at 0.619–0.640 s"));
  g_autofree char *json = busker_export_result_to_json (&result);
  g_assert_nonnull (strstr (json, "\"warnings\": [{\"strip\": \"t\", \"start_s\": 0.619"));
}

/* The track's fader is down and a pre-fader send carries it to an aux
 * bus: the mix is the send. A fault must fade the send too. */
static BuskerMixDesc *
send_only (const char *path)
{
  BuskerMixDesc *d = busker_mix_desc_new (3, RATE);
  d->strips[0].id = g_strdup ("t");
  d->strips[0].name = g_strdup ("Tone");
  d->strips[0].kind = BUSKER_STRIP_TRACK;
  d->strips[0].output = 2;
  d->strips[0].source = BUSKER_SOURCE_FILE;
  d->strips[0].source_path = g_strdup (path);
  d->strips[0].trim_db = 24;
  d->strips[0].gain_db = -INFINITY;
  busker_strip_desc_alloc_sends (&d->strips[0], 1);
  d->strips[0].sends[0].to = 1;
  d->strips[0].sends[0].level_db = 0;
  d->strips[0].sends[0].pre_fader = true;
  d->strips[1].id = g_strdup ("fx");
  d->strips[1].kind = BUSKER_STRIP_AUX;
  d->strips[1].output = 2;
  d->strips[2].id = g_strdup ("master");
  d->strips[2].kind = BUSKER_STRIP_MASTER;
  d->strips[2].output = -1;
  return d;
}

static void
test_fault_fades_send (Fixture *fx, gconstpointer data)
{
  g_autofree char *bad = write_mono (fx->dir, "bad.wav", TRUE);
  g_autoptr (BuskerMixDesc) clean = send_only (fx->src);
  g_autoptr (BuskerMixDesc) faulty = send_only (bad);
  g_autofree char *ref_path = g_build_filename (fx->dir, "ref.wav", NULL);
  g_autofree char *out_path = g_build_filename (fx->dir, "out.wav", NULL);
  g_auto (BuskerExportResult) result = { 0 };
  g_autoptr (GError) error = NULL;
  BuskerExportOptions opt;
  sf_count_t n_ref, n;

  busker_export_options_init (&opt);
  opt.bits = BUSKER_EXPORT_BITS_32F;
  g_assert_true (busker_export_run (clean, ref_path, &opt, NULL, &error));
  g_assert_true (busker_export_run (faulty, out_path, &opt, &result, &error));
  g_assert_no_error (error);
  g_autofree float *ref = read_left (ref_path, &n_ref, NULL);
  g_autofree float *out = read_left (out_path, &n, NULL);
  g_assert_cmpint (n, ==, n_ref);

  double worst_step = 0, ref_step = 0, ref_peak = 0;
  for (sf_count_t i = 1; i < n; i++)
    {
      worst_step = fmax (worst_step, fabs (out[i] - out[i - 1]));
      ref_step = fmax (ref_step, fabs (ref[i] - ref[i - 1]));
      ref_peak = fmax (ref_peak, fabs (ref[i]));
    }
  g_test_message ("send: largest step %.3f (clean %.3f, peak %.3f)", worst_step, ref_step,
                  ref_peak);
  g_assert_cmpfloat (ref_peak, >, 1.0); /* the send does carry the track */
  g_assert_cmpfloat (worst_step, <=, ref_step * 1.05);
  g_assert_true (warned (&result, "Track “Tone”: its signal was not finite"));
}

static void
test_rf64 (Fixture *fx, gconstpointer data)
{
  g_autofree char *out_path = g_build_filename (fx->dir, "long.wav", NULL);
  g_auto (BuskerExportResult) result = { 0 };
  g_autoptr (GError) error = NULL;
  BuskerExportOptions opt;
  char magic[5] = "";
  sf_count_t n;
  int format;

  /* The container is chosen from the longest the render may last (the
   * sources plus the 10 s tail cap): 2 s + 10 s of 32-bit stereo at
   * 48 kHz is 4.6 MB, so a 1 MB limit stands in for 4 GiB. */
  busker_export_options_init (&opt);
  opt.bits = BUSKER_EXPORT_BITS_32F;
  opt.max_riff_bytes = 1000000;
  g_assert_true (busker_export_run (fx->desc, out_path, &opt, &result, &error));
  g_assert_no_error (error);
  g_assert_true (warned (&result, "written as RF64"));

  FILE *f = fopen (out_path, "rb");
  g_assert_cmpuint (fread (magic, 1, 4, f), ==, 4);
  fclose (f);
  g_assert_cmpstr (magic, ==, "RF64");
  g_autofree float *out = read_left (out_path, &n, &format);
  g_assert_cmpint (format & SF_FORMAT_TYPEMASK, ==, SF_FORMAT_RF64);
  g_assert_cmpint (n, ==, LEN);
  for (sf_count_t i = 0; i < n; i++)
    g_assert_cmpfloat (fabs (out[i] - 0.3 * sin (2 * G_PI * 440 * i / RATE) * G_SQRT2 / 2), <, 1e-6);

  /* Under the limit: plain RIFF, and no warning. */
  g_auto (BuskerExportResult) plain = { 0 };
  opt.max_riff_bytes = 0;
  g_assert_true (busker_export_run (fx->desc, out_path, &opt, &plain, &error));
  f = fopen (out_path, "rb");
  g_assert_cmpuint (fread (magic, 1, 4, f), ==, 4);
  fclose (f);
  g_assert_cmpstr (magic, ==, "RIFF");
  g_assert_null (plain.warnings);
}

static void
test_too_long_refused (Fixture *fx, gconstpointer data)
{
  g_autofree char *aiff = g_build_filename (fx->dir, "long.aiff", NULL);
  g_autofree char *wav = g_build_filename (fx->dir, "long.wav", NULL);
  g_autoptr (BuskerMixDesc) late = one_track (fx->src, 11298.0, 0);
  static volatile sig_atomic_t stop = 1;
  g_autoptr (GError) error = NULL;
  BuskerExportOptions opt;

  /* The export: 11 300 s (here a 2 s source at 11 298 s) of
   * 32-bit stereo is 4.34 GB, past 4 GiB; at 24 bits it is 3.26 GB. */
  g_assert_cmpuint (busker_export_data_bytes (BUSKER_EXPORT_WAV, BUSKER_EXPORT_BITS_32F,
                                              11300LL * RATE), ==, 11300ULL * RATE * 8);
  g_assert_cmpuint (busker_export_data_bytes (BUSKER_EXPORT_WAV, BUSKER_EXPORT_BITS_32F,
                                              11300LL * RATE), >, G_MAXUINT32);
  g_assert_cmpuint (busker_export_data_bytes (BUSKER_EXPORT_WAV, BUSKER_EXPORT_BITS_24,
                                              11300LL * RATE), <, G_MAXUINT32);
  g_assert_cmpuint (busker_export_data_bytes (BUSKER_EXPORT_MP3, BUSKER_EXPORT_BITS_24,
                                              11300LL * RATE), ==, 0);

  /* AIFF is refused before a frame is rendered, at the real 4 GiB limit;
   * the cancel flag is up, so had it started rendering it would say so. */
  busker_export_options_init (&opt);
  opt.format = BUSKER_EXPORT_AIFF;
  opt.bits = BUSKER_EXPORT_BITS_32F;
  opt.cancel = &stop;
  g_assert_false (busker_export_run (late, aiff, &opt, NULL, &error));
  g_assert_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_INPUT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "AIFF cannot hold 11310 s"));
  g_assert_false (g_file_test (aiff, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* WAV passes the check (as RF64) and reaches the render, which the
   * flag stops: nothing is left behind. */
  opt.format = BUSKER_EXPORT_WAV;
  g_assert_false (busker_export_run (late, wav, &opt, NULL, &error));
  g_assert_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_CANCELLED);
  g_assert_false (g_file_test (wav, G_FILE_TEST_EXISTS));
}

typedef struct {
  const char *path;
  goffset keep;
  gboolean done;
} Cut;

/* A quarter of the way in, the source loses its second half. */
static void
cut_source (double fraction, gpointer data)
{
  Cut *cut = data;
  if (cut->done || fraction < 0.25)
    return;
  cut->done = TRUE;
  g_assert_cmpint (truncate (cut->path, cut->keep), ==, 0);
}

static void
test_source_cut_while_read (Fixture *fx, gconstpointer data)
{
  g_autofree char *long_src = g_build_filename (fx->dir, "long.wav", NULL);
  g_autofree char *out_path = g_build_filename (fx->dir, "cut.wav", NULL);
  SF_INFO info = { .samplerate = RATE, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
  g_autofree float *x = g_new (float, 4 * RATE);
  g_auto (BuskerExportResult) result = { 0 };
  g_autoptr (GError) error = NULL;
  BuskerExportOptions opt;
  GStatBuf st;

  for (int i = 0; i < 4 * RATE; i++)
    x[i] = (float) (0.3 * sin (2 * G_PI * 440 * i / RATE));
  SNDFILE *f = sf_open (long_src, SFM_WRITE, &info);
  g_assert_cmpint (sf_writef_float (f, x, 4 * RATE), ==, 4 * RATE);
  sf_close (f);
  g_assert_cmpint (g_stat (long_src, &st), ==, 0);
  /* The header, then the first 2 s of 4-byte frames. */
  Cut cut = { long_src, st.st_size - 4 * RATE * 4 + 2 * RATE * 4, FALSE };

  g_autoptr (BuskerMixDesc) d = one_track (long_src, 0, 0);
  busker_export_options_init (&opt);
  opt.progress = cut_source;
  opt.progress_data = &cut;
  g_assert_true (busker_export_run (d, out_path, &opt, &result, &error));
  g_assert_no_error (error);
  g_assert_true (cut.done);
  g_assert_nonnull (result.warnings);
  BuskerRenderWarning *w = result.warnings->pdata[0];
  g_test_message ("%s", w->message);
  g_assert_true (warned (&result, "Track “Tone” (long.wav): the file ended at 2.000 s while it "
                                  "was read, 2.000 s early"));
  g_assert_cmpfloat_with_epsilon (w->start_s, 2.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (w->end_s, 4.0, 1e-9);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/faults/fade", Fixture, NULL, set_up, test_fault_fades, tear_down);
  g_test_add ("/faults/fade-send", Fixture, NULL, set_up, test_fault_fades_send, tear_down);
  g_test_add ("/faults/rf64", Fixture, NULL, set_up, test_rf64, tear_down);
  g_test_add ("/faults/too-long", Fixture, NULL, set_up, test_too_long_refused, tear_down);
  g_test_add ("/faults/source-cut", Fixture, NULL, set_up, test_source_cut_while_read, tear_down);
  return g_test_run ();
}
