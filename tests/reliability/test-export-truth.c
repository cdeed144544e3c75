/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Two promises of the export (src/engine/busker-export.c), each against a
 * truth the export does not compute:
 * - the tail: without a range the file ends exactly one frame after the
 *   last sample at or above -90 dBFS. The truth is the renderer run on
 *   its own (busker-render.h, latency dropped) for the sources and 10 s
 *   more: the exported 32-bit float file must have exactly that many
 *   frames and the very samples. And at the boundary: a sample exactly
 *   at -90 dBFS (the float the export compares with) delayed past the
 *   sources by a test effect ends the file; one just under it does not.
 * - loudness normalization lands within the documented 0.05 LU of the
 *   target, measured on the written file by libebur128 directly — also
 *   when a crest factor of 30 dB makes the true-peak limiter work hard.
 */
#include <ebur128.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sndfile.h>

#include "dsp/params.h"
#include "engine/busker-export.h"
#include "engine/busker-render.h"
#include "engine/engine-test.h"
#include "test-tmpdir.h"

#define RATE 48000
#define LEN (RATE * 3)

typedef struct {
  char *dir;
  char *source;
  BuskerMixDesc *desc;
} Fixture;

/* A 220 Hz tone at -20 dBFS with a full-scale click every 0.25 s: its
 * true peak sits 20 dB over its loudness, so a loud target needs the
 * limiter to take 10 dB or more off every click. */
static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autofree float *x = g_new (float, 2 * LEN);
  SF_INFO info = { .samplerate = RATE, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };

  for (int i = 0; i < LEN; i++)
    {
      float v = 0.1f * sinf (2.0f * (float) G_PI * 220.0f * i / RATE);
      if (i % (RATE / 4) < 8)
        v = i % 2 ? -1.0f : 1.0f;
      x[2 * i] = v;
      x[2 * i + 1] = 0.8f * v;
    }
  fx->dir = g_dir_make_tmp ("busker-truth-XXXXXX", NULL);
  fx->source = g_build_filename (fx->dir, "src.wav", NULL);
  SNDFILE *f = sf_open (fx->source, SFM_WRITE, &info);
  g_assert_nonnull (f);
  g_assert_cmpint (sf_writef_float (f, x, LEN), ==, LEN);
  sf_close (f);

  fx->desc = busker_mix_desc_new (2, RATE);
  fx->desc->strips[0].id = g_strdup ("t");
  fx->desc->strips[0].output = 1;
  fx->desc->strips[0].source = BUSKER_SOURCE_FILE;
  fx->desc->strips[0].source_path = g_strdup (fx->source);
  fx->desc->strips[1].id = g_strdup ("master");
  fx->desc->strips[1].kind = BUSKER_STRIP_MASTER;
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  test_remove_tree (fx->dir);
  busker_mix_desc_free (fx->desc);
  g_free (fx->source);
  g_free (fx->dir);
}

static float *
read_file (const char *path, sf_count_t *frames)
{
  SF_INFO info = { 0 };
  SNDFILE *f = sf_open (path, SFM_READ, &info);
  g_assert_nonnull (f);
  g_assert_cmpint (info.channels, ==, 2);
  float *data = g_new0 (float, 2 * (size_t) MAX (info.frames, 1));
  g_assert_cmpint (sf_readf_float (f, data, info.frames), ==, info.frames);
  sf_close (f);
  *frames = info.frames;
  return data;
}

static void
export_to (Fixture *fx, const char *name, const BuskerExportOptions *opt,
           BuskerExportResult *result, char **path)
{
  g_autoptr (GError) error = NULL;
  *path = g_build_filename (fx->dir, name, NULL);
  g_assert_true (busker_export_run (fx->desc, *path, opt, result, &error));
  g_assert_no_error (error);
}

static void
test_tail_ends_after_last_loud_sample (Fixture *fx, gconstpointer data)
{
  const BuskerEffectClass *delay_class = busker_effect_class_lookup ("delay");
  const float floor_amp = powf (10.0f, -90.0f / 20.0f);
  BuskerExportOptions opt;
  g_autofree char *out = NULL;
  sf_count_t frames;

  /* Echoes every 130 ms, 3 dB down each: a tail of a few seconds. */
  busker_strip_desc_alloc_inserts (&fx->desc->strips[0], 1);
  BuskerInsertDesc *delay = &fx->desc->strips[0].inserts[0];
  busker_insert_desc_init (delay, delay_class);
  delay->values[BUSKER_DELAY_TIME_MS] = 130.0f;
  delay->values[BUSKER_DELAY_SYNC] = 0.0f;
  delay->values[BUSKER_DELAY_FEEDBACK] = 0.7f;
  delay->values[BUSKER_DELAY_MIX] = 0.5f;

  busker_export_options_init (&opt);
  opt.bits = BUSKER_EXPORT_BITS_32F;
  export_to (fx, "tail.wav", &opt, NULL, &out);
  g_autofree float *got = read_file (out, &frames);

  /* The truth: render on our own, drop the latency, find the last loud
   * frame. */
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerRender) render = busker_render_new (fx->desc, &error);
  g_assert_no_error (error);
  const int64_t total = busker_render_source_length (render) + 10 * RATE;
  const uint32_t block = busker_render_max_block (render);
  int64_t skip = busker_render_latency (render), n = 0, last_loud = -1;
  g_autofree float *want = g_new (float, 2 * (size_t) total);
  g_assert_cmpint (busker_render_source_length (render), ==, LEN);
  while (n < total)
    {
      g_assert_true (busker_render_process (render, block, &error));
      const float *l = busker_render_strip_output (render, 1, 0);
      const float *r = busker_render_strip_output (render, 1, 1);
      for (uint32_t i = 0; i < block && n < total; i++)
        {
          if (skip > 0)
            {
              skip--;
              continue;
            }
          want[2 * n] = l[i];
          want[2 * n + 1] = r[i];
          if (fabsf (l[i]) >= floor_amp || fabsf (r[i]) >= floor_amp)
            last_loud = n;
          n++;
        }
    }
  g_test_message ("last frame at or above -90 dBFS: %" G_GINT64_FORMAT
                  " (%.3f s after the source); exported %" G_GINT64_FORMAT " frames",
                  last_loud, (double) (last_loud - LEN) / RATE, (gint64) frames);
  g_assert_cmpint (last_loud, >, LEN + RATE);     /* there is a real tail */
  g_assert_cmpint (last_loud, <, total - 2 * RATE); /* and it ended */
  g_assert_cmpint (frames, ==, last_loud + 1);
  for (sf_count_t i = 0; i < 2 * frames; i++)
    if (got[i] != want[i])
      g_error ("exported sample %" G_GINT64_FORMAT " is %g, the render gave %g",
               (gint64) i, got[i], want[i]);
}

/* A file that is silent but for one sample of value v at its last frame
 * and noise up to 100 frames before it, through a pure delay of D frames
 * that declares no latency: the only loud thing after the sources is v. */
static sf_count_t
boundary_length (Fixture *fx, float v)
{
  enum { D = 1000 };
  static BuskerEffectClass delay_class;
  g_autofree float *x = g_new0 (float, 2 * LEN);
  SF_INFO info = { .samplerate = RATE, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
  BuskerExportOptions opt;
  g_autofree char *out = NULL;
  sf_count_t frames;

  for (int i = 0; i < LEN - 100; i++)
    x[2 * i] = x[2 * i + 1] = test_noise (1, i);
  x[2 * (LEN - 1)] = x[2 * (LEN - 1) + 1] = v;
  SNDFILE *f = sf_open (fx->source, SFM_WRITE, &info);
  g_assert_cmpint (sf_writef_float (f, x, LEN), ==, LEN);
  sf_close (f);

  delay_class = test_delay_class;
  delay_class.latency = NULL;
  busker_strip_desc_alloc_inserts (&fx->desc->strips[0], 1);
  busker_insert_desc_init (&fx->desc->strips[0].inserts[0], &delay_class);
  fx->desc->strips[0].inserts[0].values[0] = D;

  busker_export_options_init (&opt);
  opt.bits = BUSKER_EXPORT_BITS_32F;
  export_to (fx, "boundary.wav", &opt, NULL, &out);
  g_autofree float *got = read_file (out, &frames);
  g_test_message ("last sample %.9g: %" G_GINT64_FORMAT " frames", v, (gint64) frames);
  if (frames == LEN - 1 + D + 1)
    g_assert_cmpfloat (got[2 * (frames - 1)], ==, v);
  return frames;
}

static void
test_tail_boundary (Fixture *fx, gconstpointer data)
{
  const float floor_amp = powf (10.0f, -90.0f / 20.0f);
  /* At the floor: kept, and it is the last frame. */
  g_assert_cmpint (boundary_length (fx, floor_amp), ==, LEN - 1 + 1000 + 1);
  /* Just under it: the file ends after the last delayed noise sample. */
  g_assert_cmpint (boundary_length (fx, nextafterf (floor_amp, 0.0f)), ==, LEN - 101 + 1000 + 1);
}

static void
check_lufs (Fixture *fx, double target, gboolean want_limited)
{
  BuskerExportOptions opt;
  BuskerExportResult result;
  g_autofree char *out = NULL;
  sf_count_t frames;
  double lufs, tp[2];

  busker_export_options_init (&opt);
  opt.bits = BUSKER_EXPORT_BITS_32F;
  opt.normalize = BUSKER_NORMALIZE_LUFS;
  opt.normalize_target = target;
  opt.true_peak_ceiling_dbtp = -1.0;
  export_to (fx, "lufs.wav", &opt, &result, &out);
  g_autofree float *got = read_file (out, &frames);

  ebur128_state *st = ebur128_init (2, RATE, EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK);
  ebur128_add_frames_float (st, got, (size_t) frames);
  ebur128_loudness_global (st, &lufs);
  ebur128_true_peak (st, 0, &tp[0]);
  ebur128_true_peak (st, 1, &tp[1]);
  ebur128_destroy (&st);
  double tp_db = 20.0 * log10 (fmax (tp[0], tp[1]));
  g_test_message ("target %.1f LUFS: libebur128 reads %.3f LUFS, %.2f dBTP; gain %+.2f dB%s",
                  target, lufs, tp_db, result.gain_db, result.limited ? ", limited" : "");
  g_assert_cmpint (result.limited, ==, want_limited);
  g_assert_cmpfloat (fabs (lufs - target), <=, 0.05);
  g_assert_cmpfloat (tp_db, <=, -1.0 + 0.05);
}

static void
test_lufs_plain (Fixture *fx, gconstpointer data)
{
  check_lufs (fx, -30.0, FALSE);
}

static void
test_lufs_limited (Fixture *fx, gconstpointer data)
{
  check_lufs (fx, -14.0, TRUE);
}

static void
test_lufs_heavily_limited (Fixture *fx, gconstpointer data)
{
  check_lufs (fx, -9.0, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add ("/reliability/export/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("tail", test_tail_ends_after_last_loud_sample);
  ADD ("tail-boundary", test_tail_boundary);
  ADD ("lufs-plain", test_lufs_plain);
  ADD ("lufs-limited", test_lufs_limited);
  ADD ("lufs-heavily-limited", test_lufs_heavily_limited);
  return g_test_run ();
}
