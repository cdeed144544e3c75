/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The export pipeline end to end on a snapshot built here: two file
 * tracks into a subgroup, a send into an aux bus, both into the master.
 * With every fader at 0 dB, centred stereo sources and no inserts the mix
 * is the hand sum a + b + 0.5 a; every file is read back with libsndfile
 * and loudness is measured with libebur128 directly, not through the
 * code under test. */
#include <ebur128.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sndfile.h>
#include <string.h>

#include "dsp/params.h"
#include "engine/busker-export.h"
#include "test-tmpdir.h"

#define RATE 48000
#define LEN_A 72000 /* 1.5 s */
#define LEN_B 57600 /* 1.2 s */

typedef struct {
  char *dir;
  float *a, *b; /* interleaved stereo sources */
  float *sum;   /* the expected mix, LEN_A frames */
  BuskerMixDesc *desc;
} Fixture;

typedef struct {
  float *data; /* interleaved stereo */
  sf_count_t frames;
  int rate;
} Audio;

static void
audio_clear (Audio *a)
{
  g_free (a->data);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Audio, audio_clear)

static void
write_wav (const char *path, const float *data, sf_count_t frames)
{
  SF_INFO info = { .samplerate = RATE, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
  SNDFILE *f = sf_open (path, SFM_WRITE, &info);
  g_assert_nonnull (f);
  g_assert_cmpint (sf_writef_float (f, data, frames), ==, frames);
  g_assert_cmpint (sf_close (f), ==, 0);
}

static Audio
read_audio (const char *path)
{
  SF_INFO info = { 0 };
  SNDFILE *f = sf_open (path, SFM_READ, &info);
  Audio a;

  g_assert_nonnull (f);
  g_assert_cmpint (info.channels, ==, 2);
  a.frames = info.frames;
  a.rate = info.samplerate;
  a.data = g_new0 (float, 2 * (size_t) MAX (info.frames, 1));
  g_assert_cmpint (sf_readf_float (f, a.data, info.frames), ==, info.frames);
  sf_close (f);
  return a;
}

static char *
path_in (Fixture *fx, const char *name)
{
  return g_build_filename (fx->dir, name, NULL);
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autofree char *pa = NULL, *pb = NULL;
  gboolean clicks = GPOINTER_TO_INT (data);

  fx->dir = g_dir_make_tmp ("busker-export-XXXXXX", NULL);
  g_assert_nonnull (fx->dir);
  fx->a = g_new0 (float, 2 * LEN_A);
  fx->b = g_new0 (float, 2 * LEN_B);
  fx->sum = g_new0 (float, 2 * LEN_A);
  for (int i = 0; i < LEN_A; i++)
    {
      double t = (double) i / RATE;
      fx->a[2 * i] = (float) (0.25 * sin (2 * G_PI * 440 * t));
      fx->a[2 * i + 1] = (float) (0.2 * sin (2 * G_PI * 440 * t + 0.3));
    }
  for (int i = 0; i < LEN_B; i++)
    {
      double t = (double) i / RATE;
      float x = (float) (0.1 * sin (2 * G_PI * 1234 * t));
      /* Sparse full-scale clicks make a crest factor that needs a limiter. */
      if (clicks && i % 12000 == 6000)
        x = 0.9f;
      fx->b[2 * i] = x;
      fx->b[2 * i + 1] = -x;
    }
  for (int i = 0; i < LEN_A; i++)
    for (int c = 0; c < 2; c++)
      fx->sum[2 * i + c] = 1.5f * fx->a[2 * i + c] + (i < LEN_B ? fx->b[2 * i + c] : 0.0f);

  pa = path_in (fx, "a.wav");
  pb = path_in (fx, "b.wav");
  write_wav (pa, fx->a, LEN_A);
  write_wav (pb, fx->b, LEN_B);

  /* 0 t1 (a) -> grp, send -6 dB -> verb; 1 t2 (b) -> grp;
   * 2 grp -> master; 3 verb -> master; 4 master. */
  fx->desc = busker_mix_desc_new (5, RATE);
  static const char *const ids[] = { "t1", "t2", "grp", "verb", "master" };
  static const BuskerStripKind kinds[] = { BUSKER_STRIP_TRACK, BUSKER_STRIP_TRACK,
                                           BUSKER_STRIP_SUBGROUP, BUSKER_STRIP_AUX,
                                           BUSKER_STRIP_MASTER };
  static const int outputs[] = { 2, 2, 4, 4, -1 };
  for (int i = 0; i < 5; i++)
    {
      BuskerStripDesc *s = &fx->desc->strips[i];
      s->id = g_strdup (ids[i]);
      s->name = g_strdup (ids[i]);
      s->kind = kinds[i];
      s->output = outputs[i];
    }
  fx->desc->strips[0].source = BUSKER_SOURCE_FILE;
  fx->desc->strips[0].source_path = g_steal_pointer (&pa);
  fx->desc->strips[1].source = BUSKER_SOURCE_FILE;
  fx->desc->strips[1].source_path = g_steal_pointer (&pb);
  busker_strip_desc_alloc_sends (&fx->desc->strips[0], 1);
  fx->desc->strips[0].sends[0].to = 3;
  fx->desc->strips[0].sends[0].level_db = (float) (20.0 * log10 (0.5));
  fx->desc->strips[0].sends[0].pre_fader = false;
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  test_remove_tree (fx->dir);
  busker_mix_desc_free (fx->desc);
  g_free (fx->a);
  g_free (fx->b);
  g_free (fx->sum);
  g_free (fx->dir);
}

static void
export_ok (Fixture *fx, const char *out, const BuskerExportOptions *opt,
           BuskerExportResult *result)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = busker_export_run (fx->desc, out, opt, result, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static float
max_diff (const float *x, const float *y, size_t n)
{
  float m = 0.0f;
  for (size_t i = 0; i < n; i++)
    m = fmaxf (m, fabsf (x[i] - y[i]));
  return m;
}

/* Integrated loudness and true peak straight from libebur128. */
static void
ebu_measure (const Audio *a, double *lufs, double *tp_dbtp)
{
  ebur128_state *st = ebur128_init (2, (unsigned long) a->rate,
                                    EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK);
  double p0, p1;
  ebur128_add_frames_float (st, a->data, (size_t) a->frames);
  ebur128_loudness_global (st, lufs);
  ebur128_true_peak (st, 0, &p0);
  ebur128_true_peak (st, 1, &p1);
  *tp_dbtp = 20.0 * log10 (MAX (p0, p1));
  ebur128_destroy (&st);
}

static void
test_float_is_hand_sum (Fixture *fx, gconstpointer data)
{
  g_autofree char *out = path_in (fx, "mix.wav");
  BuskerExportOptions opt;
  BuskerExportResult result;

  busker_export_options_init (&opt);
  opt.bits = BUSKER_EXPORT_BITS_32F;
  export_ok (fx, out, &opt, &result);

  g_auto (Audio) mix = read_audio (out);
  g_assert_cmpint (mix.rate, ==, RATE);
  /* No effects: the tail ends where the sources end. */
  g_assert_cmpint (mix.frames, ==, LEN_A);
  g_assert_cmpint (result.frames, ==, LEN_A);
  g_assert_cmpfloat (max_diff (mix.data, fx->sum, 2 * LEN_A), <, 1e-5f);
}

static void
test_round_trip (Fixture *fx, gconstpointer data)
{
  static const struct {
    BuskerExportFormat format;
    BuskerExportBits bits;
    float tolerance; /* rounding + TPDF dither: at most 1.5 LSB */
  } cases[] = {
    { BUSKER_EXPORT_WAV, BUSKER_EXPORT_BITS_16, 1.501f / 32768 },
    { BUSKER_EXPORT_WAV, BUSKER_EXPORT_BITS_24, 1.501f / 8388608 },
    { BUSKER_EXPORT_WAV, BUSKER_EXPORT_BITS_32F, 1e-7f },
    { BUSKER_EXPORT_AIFF, BUSKER_EXPORT_BITS_16, 1.501f / 32768 },
    { BUSKER_EXPORT_AIFF, BUSKER_EXPORT_BITS_24, 1.501f / 8388608 },
    { BUSKER_EXPORT_AIFF, BUSKER_EXPORT_BITS_32F, 1e-7f },
    { BUSKER_EXPORT_FLAC, BUSKER_EXPORT_BITS_16, 1.501f / 32768 },
    { BUSKER_EXPORT_FLAC, BUSKER_EXPORT_BITS_24, 1.501f / 8388608 },
  };
  g_autofree char *ref_path = path_in (fx, "ref.wav");
  BuskerExportOptions opt;

  busker_export_options_init (&opt);
  opt.bits = BUSKER_EXPORT_BITS_32F;
  export_ok (fx, ref_path, &opt, NULL);
  g_auto (Audio) ref = read_audio (ref_path);

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("out-%zu.%s", i,
                                               busker_export_format_extension (cases[i].format));
      g_autofree char *out = path_in (fx, name);
      float diff;
      double rms = 0.0;

      busker_export_options_init (&opt);
      opt.format = cases[i].format;
      opt.bits = cases[i].bits;
      export_ok (fx, out, &opt, NULL);
      g_auto (Audio) got = read_audio (out);
      g_assert_cmpint (got.frames, ==, ref.frames);
      diff = max_diff (got.data, ref.data, 2 * (size_t) ref.frames);
      g_test_message ("%s: max error %.3g (allowed %.3g)", name, diff, cases[i].tolerance);
      g_assert_cmpfloat (diff, <=, cases[i].tolerance);
      /* Dithered PCM is not plain rounding: the error has noise power. */
      if (cases[i].bits != BUSKER_EXPORT_BITS_32F)
        {
          for (sf_count_t k = 0; k < 2 * ref.frames; k++)
            rms += (got.data[k] - ref.data[k]) * (got.data[k] - ref.data[k]);
          g_assert_cmpfloat (sqrt (rms / (2.0 * ref.frames)), >, 0.3 * cases[i].tolerance / 2);
        }
    }

  /* Ogg Vorbis is lossy: same length and the same loudness. */
  {
    g_autofree char *out = path_in (fx, "out.ogg");
    double l_ref, l_got, tp;
    busker_export_options_init (&opt);
    opt.format = BUSKER_EXPORT_OGG;
    export_ok (fx, out, &opt, NULL);
    g_auto (Audio) got = read_audio (out);
    g_assert_cmpint (got.frames, ==, ref.frames);
    ebu_measure (&ref, &l_ref, &tp);
    ebu_measure (&got, &l_got, &tp);
    g_assert_cmpfloat_with_epsilon (l_got, l_ref, 0.3);
  }

  /* FLAC holds no float samples. */
  {
    g_autofree char *out = path_in (fx, "bad.flac");
    g_autoptr (GError) error = NULL;
    busker_export_options_init (&opt);
    opt.format = BUSKER_EXPORT_FLAC;
    opt.bits = BUSKER_EXPORT_BITS_32F;
    g_assert_false (busker_export_run (fx->desc, out, &opt, NULL, &error));
    g_assert_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_INPUT);
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  }
}

static void
test_range (Fixture *fx, gconstpointer data)
{
  g_autofree char *out = path_in (fx, "range.wav");
  BuskerExportOptions opt;

  busker_export_options_init (&opt);
  opt.bits = BUSKER_EXPORT_BITS_32F;
  opt.has_range = TRUE;
  opt.start_s = 0.5;
  opt.end_s = 1.25;
  export_ok (fx, out, &opt, NULL);
  g_auto (Audio) got = read_audio (out);
  g_assert_cmpint (got.frames, ==, 36000);
  g_assert_cmpfloat (max_diff (got.data, fx->sum + 2 * 24000, 2 * 36000), <, 1e-5f);
}

static void
test_rate (Fixture *fx, gconstpointer data)
{
  g_autofree char *out = path_in (fx, "44k.wav");
  BuskerExportOptions opt;
  double e_got = 0.0, e_want = 0.0;

  busker_export_options_init (&opt);
  opt.bits = BUSKER_EXPORT_BITS_32F;
  opt.rate_hz = 44100;
  export_ok (fx, out, &opt, NULL);
  g_auto (Audio) got = read_audio (out);
  g_assert_cmpint (got.rate, ==, 44100);
  g_assert_cmpint (got.frames, ==, (sf_count_t) llround (LEN_A * 44100.0 / RATE));
  /* Between 1.25 s and 1.5 s only a plays: the same level at either rate,
   * and its 440 Hz period is 44100/440 samples long now. */
  for (int i = (int) (1.26 * 44100); i < (int) (1.49 * 44100); i++)
    e_got += got.data[2 * i] * got.data[2 * i];
  for (int i = (int) (1.26 * RATE); i < (int) (1.49 * RATE); i++)
    e_want += fx->sum[2 * i] * fx->sum[2 * i];
  g_assert_cmpfloat_with_epsilon (10 * log10 ((e_got / 44100) / (e_want / RATE)), 0.0, 0.05);
  {
    int crossings = 0;
    for (int i = (int) (1.26 * 44100); i < (int) (1.26 * 44100) + 44100 / 10; i++)
      crossings += (got.data[2 * i] < 0) != (got.data[2 * i + 2] < 0);
    g_assert_cmpint (crossings, >=, 87); /* 440 Hz over 0.1 s: 88 */
    g_assert_cmpint (crossings, <=, 89);
  }
}

static void
test_normalize_peak (Fixture *fx, gconstpointer data)
{
  g_autofree char *out = path_in (fx, "peak.wav");
  BuskerExportOptions opt;
  float peak = 0.0f;

  busker_export_options_init (&opt);
  opt.bits = BUSKER_EXPORT_BITS_32F;
  opt.normalize = BUSKER_NORMALIZE_PEAK;
  opt.normalize_target = -1.0;
  export_ok (fx, out, &opt, NULL);
  g_auto (Audio) got = read_audio (out);
  for (sf_count_t i = 0; i < 2 * got.frames; i++)
    peak = fmaxf (peak, fabsf (got.data[i]));
  g_assert_cmpfloat_with_epsilon (20 * log10 (peak), -1.0, 0.01);
}

static void
normalize_lufs (Fixture *fx, double target, double ceiling, BuskerExportResult *result)
{
  g_autofree char *out = path_in (fx, "lufs.wav");
  BuskerExportOptions opt;
  double lufs, tp;

  busker_export_options_init (&opt);
  opt.bits = BUSKER_EXPORT_BITS_32F;
  opt.normalize = BUSKER_NORMALIZE_LUFS;
  opt.normalize_target = target;
  opt.true_peak_ceiling_dbtp = ceiling;
  export_ok (fx, out, &opt, result);
  g_auto (Audio) got = read_audio (out);
  ebu_measure (&got, &lufs, &tp);
  g_test_message ("target %.1f LUFS under %.1f dBTP: got %.2f LUFS, %.2f dBTP, gain %+.2f dB%s",
                  target, ceiling, lufs, tp, result->gain_db, result->limited ? ", limited" : "");
  g_assert_cmpfloat_with_epsilon (lufs, target, 0.3);
  g_assert_cmpfloat (tp, <=, ceiling);
}

static void
test_normalize_lufs (Fixture *fx, gconstpointer data)
{
  BuskerExportResult result;
  normalize_lufs (fx, -20.0, -1.0, &result);
  g_assert_false (result.limited);
}

static void
test_normalize_lufs_limited (Fixture *fx, gconstpointer data)
{
  BuskerExportResult result;
  if (busker_effect_class_lookup ("limiter") == NULL)
    {
      g_test_skip ("the limiter effect is not in this build");
      return;
    }
  normalize_lufs (fx, -9.0, -1.0, &result);
  g_assert_true (result.limited);
}

static void
test_stems (Fixture *fx, gconstpointer data)
{
  g_autofree char *dir = path_in (fx, "stems");
  g_autofree char *p_grp = g_build_filename (dir, "grp.wav", NULL);
  g_autofree char *p_verb = g_build_filename (dir, "verb.wav", NULL);
  g_autofree char *p_mix = g_build_filename (dir, "mix.wav", NULL);
  g_autoptr (GDir) d = NULL;
  BuskerExportOptions opt;
  int n_files = 0;

  busker_export_options_init (&opt);
  opt.bits = BUSKER_EXPORT_BITS_32F;
  opt.stems_dir = dir;
  export_ok (fx, NULL, &opt, NULL);

  d = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (d) != NULL)
    n_files++;
  g_assert_cmpint (n_files, ==, 3);

  g_auto (Audio) grp = read_audio (p_grp);
  g_auto (Audio) verb = read_audio (p_verb);
  g_auto (Audio) mix = read_audio (p_mix);
  g_assert_cmpint (grp.frames, ==, mix.frames);
  g_assert_cmpint (verb.frames, ==, mix.frames);
  for (sf_count_t i = 0; i < 2 * mix.frames; i++)
    grp.data[i] += verb.data[i];
  g_assert_cmpfloat (max_diff (grp.data, mix.data, 2 * (size_t) mix.frames), <, 1e-6f);
  g_assert_cmpfloat (max_diff (mix.data, fx->sum, 2 * LEN_A), <, 1e-5f);
}

/* Sets one insert of that type on a strip, or skips the test. */
static BuskerInsertDesc *
add_insert (Fixture *fx, uint32_t strip, const char *type)
{
  const BuskerEffectClass *klass = busker_effect_class_lookup (type);
  if (klass == NULL)
    return NULL;
  busker_strip_desc_alloc_inserts (&fx->desc->strips[strip], 1);
  busker_insert_desc_init (&fx->desc->strips[strip].inserts[0], klass);
  return &fx->desc->strips[strip].inserts[0];
}

static void
test_tail (Fixture *fx, gconstpointer data)
{
  g_autofree char *out = path_in (fx, "tail.wav");
  BuskerInsertDesc *delay = add_insert (fx, 0, "delay");
  BuskerExportOptions opt;
  const float floor_amp = powf (10.0f, -90.0f / 20.0f);
  float last = 0.0f;

  if (delay == NULL)
    {
      g_test_skip ("the delay effect is not in this build");
      return;
    }
  /* Echoes every 100 ms, each 6 dB down: from about -12 dBFS they take
   * roughly 1.3 s to sink under -90 dBFS. */
  delay->values[BUSKER_DELAY_TIME_MS] = 100.0f;
  delay->values[BUSKER_DELAY_SYNC] = 0.0f;
  delay->values[BUSKER_DELAY_FEEDBACK] = 0.5f;
  delay->values[BUSKER_DELAY_MIX] = 0.5f;
  delay->values[BUSKER_DELAY_LOW_CUT_HZ] = 20.0f;
  delay->values[BUSKER_DELAY_HIGH_CUT_HZ] = 20000.0f;

  busker_export_options_init (&opt);
  opt.bits = BUSKER_EXPORT_BITS_32F;
  export_ok (fx, out, &opt, NULL);
  g_auto (Audio) got = read_audio (out);
  g_test_message ("tail of %.2f s", (double) (got.frames - LEN_A) / RATE);
  g_assert_cmpint (got.frames, >, LEN_A + RATE / 2);
  g_assert_cmpint (got.frames, <, LEN_A + 3 * RATE);
  /* Cut where the echoes fall under the floor, not 0.5 s of silence later. */
  for (sf_count_t i = got.frames - RATE / 20; i < got.frames; i++)
    last = fmaxf (last, fmaxf (fabsf (got.data[2 * i]), fabsf (got.data[2 * i + 1])));
  g_assert_cmpfloat (last, >=, floor_amp);
}

/* A look-ahead limiter on the master, far above the signal: it only
 * delays. FALSE (and the test skipped) when the build has no limiter. */
static gboolean
add_delaying_master_limiter (Fixture *fx)
{
  BuskerInsertDesc *limiter = add_insert (fx, 4, "limiter");

  if (limiter == NULL)
    {
      g_test_skip ("the limiter effect is not in this build");
      return FALSE;
    }
  limiter->values[BUSKER_LIMITER_CEILING_DB] = 0.0f;
  limiter->values[BUSKER_LIMITER_LOOKAHEAD_MS] = 5.0f;
  return TRUE;
}

static void
test_latency_dropped (Fixture *fx, gconstpointer data)
{
  g_autofree char *out = path_in (fx, "aligned.wav");
  BuskerExportOptions opt;

  if (!add_delaying_master_limiter (fx))
    return;
  busker_export_options_init (&opt);
  opt.bits = BUSKER_EXPORT_BITS_32F;
  export_ok (fx, out, &opt, NULL);
  g_auto (Audio) got = read_audio (out);
  g_assert_cmpint (got.frames, ==, LEN_A);
  g_assert_cmpfloat (max_diff (got.data, fx->sum, 2 * LEN_A), <, 1e-4f);
}

/* A look-ahead limiter on the master delays the mix but not the buses
 * before it: each stem drops its own latency, so the stems still add up
 * to the mix sample for sample, and the mix to the hand sum. */
static void
test_stems_latency (Fixture *fx, gconstpointer data)
{
  g_autofree char *dir = path_in (fx, "stems");
  g_autofree char *p_grp = g_build_filename (dir, "grp.wav", NULL);
  g_autofree char *p_verb = g_build_filename (dir, "verb.wav", NULL);
  g_autofree char *p_mix = g_build_filename (dir, "mix.wav", NULL);
  BuskerExportOptions opt;

  if (!add_delaying_master_limiter (fx))
    return;
  busker_export_options_init (&opt);
  opt.bits = BUSKER_EXPORT_BITS_32F;
  opt.stems_dir = dir;
  export_ok (fx, NULL, &opt, NULL);

  g_auto (Audio) grp = read_audio (p_grp);
  g_auto (Audio) verb = read_audio (p_verb);
  g_auto (Audio) mix = read_audio (p_mix);
  g_assert_cmpint (mix.frames, ==, LEN_A);
  g_assert_cmpint (grp.frames, ==, LEN_A);
  g_assert_cmpfloat (max_diff (mix.data, fx->sum, 2 * LEN_A), <, 1e-4f);
  for (sf_count_t i = 0; i < 2 * mix.frames; i++)
    grp.data[i] += verb.data[i];
  g_assert_cmpfloat (max_diff (grp.data, mix.data, 2 * LEN_A), <, 1e-4f);
}

/* The two-pass path with stems: the same gain on every file. */
static void
test_stems_normalized (Fixture *fx, gconstpointer data)
{
  g_autofree char *dir = path_in (fx, "stems");
  g_autofree char *p_grp = g_build_filename (dir, "grp.wav", NULL);
  g_autofree char *p_verb = g_build_filename (dir, "verb.wav", NULL);
  g_autofree char *p_mix = g_build_filename (dir, "mix.wav", NULL);
  BuskerExportOptions opt;
  float peak = 0.0f;

  busker_export_options_init (&opt);
  opt.bits = BUSKER_EXPORT_BITS_32F;
  opt.stems_dir = dir;
  opt.normalize = BUSKER_NORMALIZE_PEAK;
  opt.normalize_target = -0.5;
  export_ok (fx, NULL, &opt, NULL);

  g_auto (Audio) grp = read_audio (p_grp);
  g_auto (Audio) verb = read_audio (p_verb);
  g_auto (Audio) mix = read_audio (p_mix);
  g_assert_cmpint (mix.frames, ==, LEN_A);
  for (sf_count_t i = 0; i < 2 * mix.frames; i++)
    {
      grp.data[i] += verb.data[i];
      peak = fmaxf (peak, fabsf (mix.data[i]));
    }
  g_assert_cmpfloat_with_epsilon (20 * log10 (peak), -0.5, 0.01);
  g_assert_cmpfloat (max_diff (grp.data, mix.data, 2 * (size_t) mix.frames), <, 1e-6f);
}

static void
test_analyze (Fixture *fx, gconstpointer data)
{
  g_autofree char *ref_path = path_in (fx, "ref.wav");
  BuskerExportOptions opt;
  BuskerExportResult result;
  double lufs, tp;

  busker_export_options_init (&opt);
  opt.bits = BUSKER_EXPORT_BITS_32F;
  export_ok (fx, ref_path, &opt, NULL);
  g_auto (Audio) ref = read_audio (ref_path);
  ebu_measure (&ref, &lufs, &tp);

  opt.analyze = TRUE;
  export_ok (fx, NULL, &opt, &result);
  g_assert_cmpfloat_with_epsilon (result.report.integrated_lufs, lufs, 0.01);
  g_assert_cmpfloat_with_epsilon (result.report.true_peak_dbtp, tp, 0.01);
  g_assert_cmpfloat_with_epsilon (result.report.sample_peak_dbfs,
                                  20 * log10 (1.5 * 0.25 + 0.1), 0.05);
}

/* Only the files the test put there: no temporary left behind. */
static void
assert_dir_holds (Fixture *fx, const char *const *names)
{
  g_autoptr (GDir) d = g_dir_open (fx->dir, 0, NULL);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    g_assert_true (g_strv_contains (names, name));
}

static void
expect_failure (Fixture *fx, const char *out, int code, const char *must_name)
{
  g_autoptr (GError) error = NULL;
  BuskerExportOptions opt;

  busker_export_options_init (&opt);
  g_assert_false (busker_export_run (fx->desc, out, &opt, NULL, &error));
  g_assert_error (error, BUSKER_EXPORT_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, must_name));
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_failures (Fixture *fx, gconstpointer data)
{
  static const char *const left[] = { "a.wav", "b.wav", "keep.wav", NULL };
  g_autofree char *keep = path_in (fx, "keep.wav");
  g_autofree char *missing_dir = path_in (fx, "no/such/dir/mix.wav");
  g_autofree char *contents = NULL;
  g_autofree char *pb = g_strdup (fx->desc->strips[1].source_path);

  g_assert_true (g_file_set_contents (keep, "precious", -1, NULL));

  /* A target folder that does not exist. */
  expect_failure (fx, missing_dir, BUSKER_EXPORT_ERROR_INPUT, missing_dir);

  /* A full device: written in place, the write fails. */
  if (g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    expect_failure (fx, "/dev/full", BUSKER_EXPORT_ERROR_FAILED, "/dev/full");

  /* A missing source: named, and the existing target stays as it was. */
  g_free (fx->desc->strips[1].source_path);
  fx->desc->strips[1].source_path = path_in (fx, "gone.wav");
  expect_failure (fx, keep, BUSKER_EXPORT_ERROR_INPUT, "gone.wav");
  g_free (fx->desc->strips[1].source_path);
  fx->desc->strips[1].source_path = g_steal_pointer (&pb);

  g_assert_true (g_file_get_contents (keep, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "precious");
  assert_dir_holds (fx, left);
}

static void
test_cancel (Fixture *fx, gconstpointer data)
{
  static const char *const left[] = { "a.wav", "b.wav", NULL };
  static volatile sig_atomic_t flag = 1;
  g_autofree char *out = path_in (fx, "mix.wav");
  g_autoptr (GError) error = NULL;
  BuskerExportOptions opt;

  busker_export_options_init (&opt);
  opt.cancel = &flag;
  g_assert_false (busker_export_run (fx->desc, out, &opt, NULL, &error));
  g_assert_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_CANCELLED);
  assert_dir_holds (fx, left);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func, clicks) \
  g_test_add ("/export/" path, Fixture, GINT_TO_POINTER (clicks), fixture_set_up, func, fixture_tear_down)
  ADD ("float-is-hand-sum", test_float_is_hand_sum, 0);
  ADD ("round-trip", test_round_trip, 0);
  ADD ("range", test_range, 0);
  ADD ("rate", test_rate, 0);
  ADD ("normalize-peak", test_normalize_peak, 0);
  ADD ("normalize-lufs", test_normalize_lufs, 0);
  ADD ("normalize-lufs-limited", test_normalize_lufs_limited, 1);
  ADD ("stems", test_stems, 0);
  ADD ("stems-normalized", test_stems_normalized, 0);
  ADD ("stems-latency", test_stems_latency, 0);
  ADD ("analyze", test_analyze, 0);
  ADD ("tail", test_tail, 0);
  ADD ("latency-dropped", test_latency_dropped, 0);
  ADD ("failures", test_failures, 0);
  ADD ("cancel", test_cancel, 0);
  return g_test_run ();
}
