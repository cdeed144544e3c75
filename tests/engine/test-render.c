/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The offline renderer on WAV files the test writes with libsndfile:
 * offsets, mono sources, resampling, errors that name the file, and the
 * two-thread level split against a hand-computed sum.
 */
#include <glib/gstdio.h>
#include <sndfile.h>

#include "engine-test.h"
#include "engine/busker-render.h"
#include "test-tmpdir.h"

static char *tmpdir;

static char *
write_wav (const char *name, int rate, int channels, sf_count_t frames,
           float (*gen) (int channel, sf_count_t frame))
{
  char *path = g_build_filename (tmpdir, name, NULL);
  SF_INFO info = { .samplerate = rate, .channels = channels,
                   .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
  SNDFILE *f = sf_open (path, SFM_WRITE, &info);
  g_assert_nonnull (f);
  g_autofree float *buf = g_new (float, frames * channels);
  for (sf_count_t i = 0; i < frames; i++)
    for (int c = 0; c < channels; c++)
      buf[i * channels + c] = gen (c, i);
  g_assert_cmpint (sf_writef_float (f, buf, frames), ==, frames);
  sf_close (f);
  return path;
}

static float
gen_noise (int c, sf_count_t i)
{
  return test_noise (100 + c, i);
}

static float
gen_sines (int c, sf_count_t i)
{
  return (float) (0.5 * sin (2 * G_PI * (c ? 2000 : 1000) * i / 44100.0));
}

static BuskerMixDesc *
one_track_desc (const char *path, double offset_s)
{
  BuskerMixDesc *d = busker_mix_desc_new (2, 48000);
  d->strips[0].output = 1;
  d->strips[0].source = BUSKER_SOURCE_FILE;
  d->strips[0].source_path = g_strdup (path);
  d->strips[0].source_offset_s = offset_s;
  d->strips[1].kind = BUSKER_STRIP_MASTER;
  return d;
}

/* Renders the whole source and returns channel c of the master. */
static float *
render_all (BuskerRender *render, int c, int64_t *n_frames)
{
  int64_t len = busker_render_source_length (render);
  uint32_t block = busker_render_max_block (render);
  float *out = g_new0 (float, len + block);
  g_autoptr (GError) error = NULL;
  for (int64_t pos = 0; pos < len; pos += block)
    {
      uint32_t n = (uint32_t) MIN ((int64_t) block, len - pos);
      g_assert_true (busker_render_process (render, n, &error));
      g_assert_no_error (error);
      memcpy (out + pos, busker_render_strip_output (render, 1, c), n * sizeof (float));
    }
  *n_frames = len;
  return out;
}

static void
test_render_mono_offset (void)
{
  g_autofree char *path = write_wav ("mono.wav", 48000, 1, 30000, gen_noise);
  g_autoptr (BuskerMixDesc) d = one_track_desc (path, 0.1);
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerRender) render = busker_render_new (d, &error);
  g_assert_no_error (error);
  g_assert_cmpint (busker_render_source_length (render), ==, 4800 + 30000);
  g_assert_cmpuint (busker_render_latency (render), ==, 0);
  g_assert_cmpuint (busker_render_strip_latency (render, 0), ==, 0);

  for (int c = 0; c < 2; c++)
    {
      int64_t n;
      g_assert_true (busker_render_seek (render, 0, &error));
      g_autofree float *out = render_all (render, c, &n);
      g_autofree double *want = g_new (double, n);
      for (int64_t i = 0; i < n; i++)
        want[i] = i < 4800 ? 0.0 : G_SQRT2 / 2 * test_noise (100, i - 4800);
      g_assert_cmpfloat (test_error_db (want, out, n), <, -120);
    }
}

static void
test_render_latency (void)
{
  /* A look-ahead unit on the master: the mix is late by its length, the
   * track's own output (a stem) is not. */
  g_autofree char *path = write_wav ("lat.wav", 48000, 1, 4000, gen_noise);
  g_autoptr (BuskerMixDesc) d = one_track_desc (path, 0);
  busker_strip_desc_alloc_inserts (&d->strips[1], 1);
  busker_insert_desc_init (&d->strips[1].inserts[0], &test_delay_class);
  d->strips[1].inserts[0].values[0] = 64;
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerRender) render = busker_render_new (d, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (busker_render_latency (render), ==, 64);
  g_assert_cmpuint (busker_render_strip_latency (render, 1), ==, 64);
  g_assert_cmpuint (busker_render_strip_latency (render, 0), ==, 0);

  g_assert_true (busker_render_process (render, 1024, &error));
  const float *mix = busker_render_strip_output (render, 1, 0);
  const float *stem = busker_render_strip_output (render, 0, 0);
  for (int i = 0; i < 1024 - 64; i++)
    g_assert_cmpfloat (mix[i + 64], ==, stem[i]);
}

static void
test_render_negative_offset (void)
{
  /* A negative offset starts part-way into the file; a seek lands on the
   * same sample as rendering from the start would. */
  g_autofree char *path = write_wav ("mono-neg.wav", 48000, 1, 30000, gen_noise);
  g_autoptr (BuskerMixDesc) d = one_track_desc (path, -0.05);
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerRender) render = busker_render_new (d, &error);
  g_assert_no_error (error);
  g_assert_cmpint (busker_render_source_length (render), ==, 30000 - 2400);

  g_assert_true (busker_render_seek (render, 5000, &error));
  g_assert_true (busker_render_process (render, 1000, &error));
  const float *out = busker_render_strip_output (render, 1, 0);
  g_autofree double *want = g_new (double, 1000);
  for (int i = 0; i < 1000; i++)
    want[i] = G_SQRT2 / 2 * test_noise (100, 2400 + 5000 + i);
  g_assert_cmpfloat (test_error_db (want, out, 1000), <, -120);
}

static void
test_render_resample (void)
{
  g_autofree char *path = write_wav ("sines-44k.wav", 44100, 2, 44100, gen_sines);
  g_autoptr (BuskerMixDesc) d = one_track_desc (path, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerRender) render = busker_render_new (d, &error);
  g_assert_no_error (error);
  g_assert_cmpint (busker_render_source_length (render), ==, 48000);

  for (int c = 0; c < 2; c++)
    {
      int64_t n;
      g_assert_true (busker_render_seek (render, 0, &error));
      g_autofree float *out = render_all (render, c, &n);
      /* The same sines at 48 kHz, away from the file's abrupt ends. */
      double err = 0;
      for (int64_t i = 2000; i < n - 2000; i++)
        err = fmax (err, fabs (0.5 * sin (2 * G_PI * (c ? 2000 : 1000) * i / 48000.0) - out[i]));
      g_test_message ("resampled channel %d: error %.1f dB", c, 20 * log10 (err / 0.5));
      g_assert_cmpfloat (20 * log10 (err / 0.5), <, -100);

      /* A seek lands on the samples of the continuous render. */
      const int64_t at = 12345;
      g_assert_true (busker_render_seek (render, at, &error));
      g_assert_true (busker_render_process (render, 1000, &error));
      g_autofree double *want = g_new (double, 1000);
      for (int i = 0; i < 1000; i++)
        want[i] = out[at + i];
      double seek_err = test_error_db (want, busker_render_strip_output (render, 1, c), 1000);
      g_test_message ("after a seek: %.1f dB", seek_err);
      g_assert_cmpfloat (seek_err, <, -100);
    }
}

static void
expect_source_error (const char *path)
{
  g_autoptr (BuskerMixDesc) d = one_track_desc (path, 0);
  g_autoptr (GError) error = NULL;
  BuskerRender *render = busker_render_new (d, &error);
  g_assert_null (render);
  g_assert_error (error, BUSKER_ENGINE_ERROR, BUSKER_ENGINE_ERROR_SOURCE);
  g_assert_nonnull (strstr (error->message, path));
  g_test_message ("%s", error->message);
}

static void
test_render_errors (void)
{
  g_autofree char *missing = g_build_filename (tmpdir, "missing.wav", NULL);
  expect_source_error (missing);

  g_autofree char *text = g_build_filename (tmpdir, "notes.wav", NULL);
  g_assert_true (g_file_set_contents (text, "not audio at all\n", -1, NULL));
  expect_source_error (text);

  /* A WAV cut short: its header still promises the full length. What is
   * there is read, with a warning (issue 8: sources are read whole). */
  g_autofree char *full = write_wav ("full.wav", 48000, 2, 48000, gen_noise);
  g_autofree char *contents = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (full, &contents, &len, NULL));
  g_autofree char *cut = g_build_filename (tmpdir, "cut.wav", NULL);
  g_assert_true (g_file_set_contents (cut, contents, len / 2, NULL));
  {
    g_autoptr (BuskerMixDesc) dc = one_track_desc (cut, 0);
    g_autoptr (GError) cut_error = NULL;
    g_autoptr (BuskerRender) render = busker_render_new (dc, &cut_error);
    g_assert_no_error (cut_error);
    /* What is left after the header, in 8-byte frames (stereo float). */
    int64_t header = (int64_t) len - 48000 * 8;
    g_assert_cmpint (busker_render_source_length (render), ==, ((int64_t) len / 2 - header) / 8);
    g_autoptr (GPtrArray) warnings = busker_render_get_warnings (render);
    g_assert_cmpuint (warnings->len, ==, 1);
    BuskerRenderWarning *w = warnings->pdata[0];
    g_test_message ("%s", w->message);
    g_assert_nonnull (strstr (w->message, "cut.wav"));
    g_assert_nonnull (strstr (w->message, "shorter than its header says"));
  }

  /* A mix with no master is INVALID, not SOURCE. */
  g_autoptr (BuskerMixDesc) d = one_track_desc (full, 0);
  d->strips[1].kind = BUSKER_STRIP_SUBGROUP;
  g_autoptr (GError) error = NULL;
  g_assert_null (busker_render_new (d, &error));
  g_assert_error (error, BUSKER_ENGINE_ERROR, BUSKER_ENGINE_ERROR_INVALID);
}

static float
gen_quantized (int c, sf_count_t i)
{
  /* Exactly representable in 16 bits, so lossless formats read it back
   * bit for bit. */
  return roundf (test_noise (300 + c, i) * 16384.0f) / 32768.0f;
}

/* Writes frames of gen_quantized in a format, NULL when this libsndfile
 * cannot write it. */
static char *
write_format (const char *name, int format, int channels, sf_count_t frames)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  SF_INFO info = { .samplerate = 48000, .channels = channels, .format = format };
  SNDFILE *f = sf_open (path, SFM_WRITE, &info);
  if (f == NULL)
    {
      g_free (path);
      return NULL;
    }
  g_autofree float *buf = g_new (float, frames * channels);
  for (sf_count_t i = 0; i < frames; i++)
    for (int c = 0; c < channels; c++)
      buf[i * channels + c] = gen_quantized (c, i);
  sf_writef_float (f, buf, frames);
  sf_close (f);
  return path;
}

static void
test_render_formats (void)
{
  const struct {
    const char *name;
    int format;
    gboolean lossless;
  } formats[] = {
    { "q.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, TRUE },
    { "q.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, TRUE },
    { "q.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_16, TRUE },
    { "q.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, FALSE },
    { "q.opus", SF_FORMAT_OGG | SF_FORMAT_OPUS, FALSE },
    { "q.mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, FALSE },
  };
  const sf_count_t frames = 24000;

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autofree char *path = write_format (formats[f].name, formats[f].format, 2, frames);
      if (path == NULL)
        {
          g_test_message ("%s: this libsndfile cannot write it, not tested", formats[f].name);
          continue;
        }
      g_autoptr (BuskerMixDesc) d = one_track_desc (path, 0);
      g_autoptr (GError) error = NULL;
      g_autoptr (BuskerRender) render = busker_render_new (d, &error);
      g_assert_no_error (error);
      int64_t n;
      g_autofree float *out = render_all (render, 1, &n);
      g_autofree double *want = g_new (double, n);
      double e_want = 0, e_got = 0;
      for (int64_t i = 0; i < n; i++)
        {
          want[i] = i < frames ? gen_quantized (1, i) : 0.0;
          e_want += want[i] * want[i];
          e_got += (double) out[i] * out[i];
        }
      double level_db = 10 * log10 (e_got / e_want);
      g_test_message ("%s: %" G_GINT64_FORMAT " frames, level %+.2f dB", formats[f].name, n, level_db);
      if (formats[f].lossless)
        {
          g_assert_cmpint (n, ==, frames);
          g_assert_cmpfloat (test_error_db (want, out, n), <, -120);
        }
      else
        {
          /* Lossy codecs: the right length (give or take padding) and
           * about the same energy. */
          g_assert_cmpint (n, >=, frames - 2048);
          g_assert_cmpint (n, <=, frames + 4096);
          g_assert_cmpfloat (fabs (level_db), <, 3.0);
        }
    }
}

#define N_TRACKS 16
#define TRACK_FRAMES 20000

static int current_track;

static float
gen_current (int c, sf_count_t i)
{
  return test_noise (200 + current_track, i);
}

static void
test_render_parallel_sum (void)
{
  /* 16 mono tracks, even ones -> sub A, odd ones -> sub B, both to the
   * master: enough strips for the renderer's two-thread split. */
  g_autoptr (BuskerMixDesc) d = busker_mix_desc_new (N_TRACKS + 3, 48000);
  const uint32_t a = N_TRACKS, b = N_TRACKS + 1, m = N_TRACKS + 2;
  for (int t = 0; t < N_TRACKS; t++)
    {
      g_autofree char *name = g_strdup_printf ("t%d.wav", t);
      current_track = t;
      BuskerStripDesc *s = &d->strips[t];
      s->source = BUSKER_SOURCE_FILE;
      s->source_path = write_wav (name, 48000, 1, TRACK_FRAMES, gen_current);
      s->gain_db = -1.0f * t;
      s->output = t % 2 ? b : a;
    }
  d->strips[a].kind = d->strips[b].kind = BUSKER_STRIP_SUBGROUP;
  d->strips[a].output = d->strips[b].output = m;
  d->strips[a].gain_db = -3;
  d->strips[b].gain_db = 2;
  d->strips[m].kind = BUSKER_STRIP_MASTER;

  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerRender) render = busker_render_new (d, &error);
  g_assert_no_error (error);

  /* Start part-way in, to cover seeking too. */
  const int64_t start = 1234;
  g_assert_true (busker_render_seek (render, start, &error));
  int64_t n = TRACK_FRAMES - start;
  g_autofree float *out = g_new (float, n);
  for (int64_t pos = 0; pos < n; pos += 1024)
    {
      uint32_t len = (uint32_t) MIN (1024, n - pos);
      g_assert_true (busker_render_process (render, len, &error));
      memcpy (out + pos, busker_render_strip_output (render, m, 0), len * sizeof (float));
    }
  g_autofree double *want = g_new0 (double, n);
  for (int64_t i = 0; i < n; i++)
    for (int t = 0; t < N_TRACKS; t++)
      want[i] += test_db (t % 2 ? 2 : -3) * test_db (-1.0 * t) * G_SQRT2 / 2
                 * test_noise (200 + t, start + i);
  g_assert_cmpfloat (test_error_db (want, out, n), <, -120);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("busker-render-XXXXXX", NULL);
  g_test_add_func ("/engine/render/mono-offset", test_render_mono_offset);
  g_test_add_func ("/engine/render/negative-offset", test_render_negative_offset);
  g_test_add_func ("/engine/render/latency", test_render_latency);
  g_test_add_func ("/engine/render/resample", test_render_resample);
  g_test_add_func ("/engine/render/errors", test_render_errors);
  g_test_add_func ("/engine/render/formats", test_render_formats);
  g_test_add_func ("/engine/render/parallel-sum", test_render_parallel_sum);
  int ret = g_test_run ();
  /* Remove what the tests wrote. */
  test_remove_tree (tmpdir);
  g_free (tmpdir);
  return ret;
}
