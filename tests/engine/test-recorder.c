/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The recorder: what is pushed from an audio-thread stand-in is what
 * libsndfile reads back (bit-exact for float WAV, to the LSB for 24-bit
 * FLAC); nothing appears at the target before finish; a dropped frame
 * fails the recording and leaves no file (and an old one untouched).
 * When the graph switches rate while recording, the file keeps its rate
 * and what played at the other rates is in it at its pitch, level and
 * length (a Goertzel filter, the rates' ratio). And the file keeps time:
 * cycles that come after a pause of the graph (by their times) follow
 * that much silence, and so does the first after the recorder was made.
 */
#include <glib/gstdio.h>
#include <math.h>
#include <sndfile.h>

#include "transport-test.h"
#include "engine/busker-recorder.h"
#include "engine/busker-render.h"

#define RATE 48000

static char *tmpdir;

typedef struct {
  BuskerRecorder *rec;
  int64_t frames;
  const char *target;
  gboolean target_seen; /* the target existed while recording */
} PushRun;

static float
pushed (int c, int64_t f)
{
  return test_noise (200 + c, (uint64_t) f);
}

/* Pushes `frames` of noise in blocks of 1 to 1024, a little faster than
 * real time. */
static gpointer
push_audio (gpointer data)
{
  PushRun *run = data;
  float l[1024], r[1024];
  uint32_t rng = 42;

  for (int64_t done = 0; done < run->frames;)
    {
      rng = rng * 1664525u + 1013904223u;
      uint32_t n = (uint32_t) MIN ((int64_t) (1 + (rng >> 8) % 1024), run->frames - done);
      for (uint32_t i = 0; i < n; i++)
        {
          l[i] = pushed (0, done + (int64_t) i);
          r[i] = pushed (1, done + (int64_t) i);
        }
      busker_recorder_push (run->rec, l, r, n, RATE, 0);
      done += n;
      run->target_seen |= g_file_test (run->target, G_FILE_TEST_EXISTS);
      g_usleep (n * 1000000 / RATE / 4);
    }
  return NULL;
}

static guint
count_hidden (void)
{
  GDir *d = g_dir_open (tmpdir, 0, NULL);
  guint n = 0;
  for (const char *name; (name = g_dir_read_name (d)) != NULL;)
    n += name[0] == '.';
  g_dir_close (d);
  return n;
}

static void
record (const char *name, int64_t frames, int want_format, double tolerance)
{
  g_autofree char *out = g_build_filename (tmpdir, name, NULL);
  g_autoptr (GError) error = NULL;
  BuskerRecorder *rec = busker_recorder_new (out, RATE, &error);
  g_assert_no_error (error);

  /* Writing goes to a hidden file beside the target. */
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_hidden (), ==, 1);

  PushRun run = { .rec = rec, .frames = frames, .target = out };
  GThread *audio = g_thread_new ("test-audio", push_audio, &run);
  g_thread_join (audio);
  g_assert_false (run.target_seen);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  g_assert_true (busker_recorder_finish (rec, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_hidden (), ==, 0);

  SF_INFO info;
  g_autofree float *back = transport_test_read (out, &info);
  g_assert_cmpint (info.format, ==, want_format);
  g_assert_cmpint (info.samplerate, ==, RATE);
  g_assert_cmpint (info.channels, ==, 2);
  g_assert_cmpint (info.frames, ==, frames);
  for (int64_t i = 0; i < frames; i++)
    for (int c = 0; c < 2; c++)
      if (fabsf (back[2 * i + c] - pushed (c, i)) > tolerance)
        g_error ("%s frame %" G_GINT64_FORMAT " channel %d: %.9g, pushed %.9g", name, i, c,
                 back[2 * i + c], pushed (c, i));
  g_unlink (out);
}

static void
test_recorder_float_wav (void)
{
  record ("out.wav", 3 * RATE + 123, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 0.0);
}

static void
test_recorder_flac (void)
{
  /* 24-bit PCM: within half a step of 2^-23. */
  record ("out.flac", RATE, SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 0.5 / 8388608.0 + 1e-9);
}

/* Lossy formats: a 1 kHz sine at -6 dBFS comes back at its length (give
 * or take the codec's framing) and its level (RMS 0.5/sqrt 2, within
 * 0.5 dB). */
static void
record_lossy (const char *name, int want_major)
{
  g_autofree char *out = g_build_filename (tmpdir, name, NULL);
  g_autoptr (GError) error = NULL;
  BuskerRecorder *rec = busker_recorder_new (out, RATE, &error);
  g_assert_no_error (error);

  float l[480], r[480];
  for (int64_t done = 0; done < 2 * RATE; done += 480)
    {
      for (int i = 0; i < 480; i++)
        l[i] = r[i] = 0.5f * (float) sin (2 * G_PI * 1000.0 * (double) (done + i) / RATE);
      busker_recorder_push (rec, l, r, 480, RATE, 0);
      g_usleep (1000);
    }
  g_assert_true (busker_recorder_finish (rec, &error));
  g_assert_no_error (error);

  SF_INFO info;
  g_autofree float *back = transport_test_read (out, &info);
  g_assert_cmpint (info.format & SF_FORMAT_TYPEMASK, ==, want_major);
  g_assert_cmpint (info.frames, >=, 2 * RATE - 2048);
  g_assert_cmpint (info.frames, <=, 2 * RATE + 4096);
  double ms = 0.0;
  int64_t from = RATE / 2, to = MIN (info.frames, 3 * RATE / 2);
  for (int64_t i = from; i < to; i++)
    ms += back[2 * i] * (double) back[2 * i];
  double rms_db = 10 * log10 (ms / (double) (to - from));
  g_assert_cmpfloat_with_epsilon (rms_db, 20 * log10 (0.5 / sqrt (2.0)), 0.5);
  g_unlink (out);
}

static void
test_recorder_lossy (void)
{
  record_lossy ("out.opus", SF_FORMAT_OGG);
  record_lossy ("out.mp3", SF_FORMAT_MPEG);
}

static void
test_recorder_dropped (void)
{
  g_autofree char *out = g_build_filename (tmpdir, "dropped.wav", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_set_contents (out, "old", -1, NULL));

  /* Far more than the ring holds, at once: the rest is dropped. */
  const uint32_t n = 10 * RATE;
  g_autofree float *l = g_new0 (float, n), *r = g_new0 (float, n);
  BuskerRecorder *rec = busker_recorder_new (out, RATE, &error);
  g_assert_no_error (error);
  busker_recorder_push (rec, l, r, n, RATE, 0);
  g_assert_false (busker_recorder_finish (rec, &error));
  g_assert_error (error, BUSKER_ENGINE_ERROR, BUSKER_ENGINE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, out));
  g_assert_nonnull (strstr (error->message, "lost"));

  /* The old file is untouched and no temporary is left. */
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "old");
  g_assert_cmpuint (count_hidden (), ==, 0);
  g_unlink (out);
}

/* Finishes rec (which must succeed) and reads out back: interleaved
 * stereo at RATE, *frames of it. */
static float *
finish_and_read (BuskerRecorder *rec, const char *out, sf_count_t *frames)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (busker_recorder_finish (rec, &error));
  g_assert_no_error (error);
  SF_INFO info = { 0 };
  SNDFILE *f = sf_open (out, SFM_READ, &info);
  g_assert_nonnull (f);
  g_assert_cmpint (info.samplerate, ==, RATE);
  g_assert_cmpint (info.channels, ==, 2);
  float *x = g_new (float, 2 * info.frames);
  g_assert_cmpint (sf_readf_float (f, x, info.frames), ==, info.frames);
  sf_close (f);
  *frames = info.frames;
  return x;
}

/* Amplitude of freq (Hz) in x (n frames at rate): the Goertzel
 * filter's magnitude, 2 |X| / n. */
static double
tone_amplitude (const float *x, size_t stride, size_t n, double freq, double rate)
{
  double w = 2 * G_PI * freq / rate, c = 2 * cos (w), s1 = 0, s2 = 0;
  for (size_t i = 0; i < n; i++)
    {
      double s0 = x[i * stride] + c * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
  return 2 * sqrt (s1 * s1 + s2 * s2 - c * s1 * s2) / (double) n;
}

static void
test_recorder_rate_switch (void)
{
  /* The graph's rate, seconds: the file is made at the first. */
  static const struct { uint32_t rate; double s; } parts[] = {
    { 48000, 1.0 }, { 44100, 1.0 }, { 96000, 0.5 }, { 48000, 0.5 },
  };
  g_autofree char *out = g_build_filename (tmpdir, "switch.wav", NULL);
  g_autoptr (GError) error = NULL;
  BuskerRecorder *rec = busker_recorder_new (out, RATE, &error);
  g_assert_no_error (error);

  float l[480], r[480];
  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    {
      uint32_t frames = (uint32_t) (parts[p].rate * parts[p].s), done = 0;
      while (done < frames)
        {
          uint32_t n = MIN (480u, frames - done);
          for (uint32_t i = 0; i < n; i++)
            {
              l[i] = 0.5f * sinf ((float) (2 * G_PI * 1000.0 * (done + i) / parts[p].rate));
              r[i] = -l[i];
            }
          busker_recorder_push (rec, l, r, n, parts[p].rate, 0);
          done += n;
          g_usleep (500);
        }
    }
  sf_count_t frames;
  g_autofree float *x = finish_and_read (rec, out, &frames);
  /* 3 s at 48 kHz; each conversion may round its length by a frame. */
  g_test_message ("%" G_GINT64_FORMAT " frames for 3 s at 48 kHz", (gint64) frames);
  g_assert_cmpint (labs ((long) frames - 3 * RATE), <=, 2);

  double start = 0;
  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    {
      /* The middle of the part, a whole number of 1 kHz periods long. */
      size_t from = (size_t) ((start + 0.05) * RATE), n = (size_t) ((parts[p].s - 0.1) * RATE);
      n -= n % 48;
      start += parts[p].s;
      double wrong = 1000.0 * RATE / parts[p].rate; /* where it would be, unconverted */
      double left = 20 * log10 (tone_amplitude (x + 2 * from, 2, n, 1000, RATE) / 0.5);
      double right = 20 * log10 (tone_amplitude (x + 2 * from + 1, 2, n, 1000, RATE) / 0.5);
      g_test_message ("part %u (%u Hz): 1 kHz at %.3f / %.3f dB", p, parts[p].rate, left, right);
      g_assert_cmpfloat (fabs (left), <, 0.05);
      g_assert_cmpfloat (fabs (right), <, 0.05);
      if (parts[p].rate != RATE)
        {
          double off = 20 * log10 (tone_amplitude (x + 2 * from, 2, n, wrong, RATE) / 0.5);
          g_test_message ("part %u: %.0f Hz at %.1f dB", p, wrong, off);
          g_assert_cmpfloat (off, <, -40);
        }
    }
  g_unlink (out);
}

/* Frames at or under `level` in x[from .. to) (interleaved stereo). */
static gboolean
quiet (const float *x, size_t from, size_t to, float level)
{
  for (size_t i = 2 * from; i < 2 * to; i++)
    if (fabsf (x[i]) > level)
      return FALSE;
  return TRUE;
}

static void
test_recorder_keeps_time (void)
{
  g_autofree char *out = g_build_filename (tmpdir, "pauses.wav", NULL);
  g_autoptr (GError) error = NULL;
  uint64_t t0 = (uint64_t) g_get_monotonic_time () * 1000;
  BuskerRecorder *rec = busker_recorder_new (out, RATE, &error);
  g_assert_no_error (error);

  /* The graph's cycles, by their start times: the first 0.5 s after the
   * recorder was made, 1 s of them, a pause of 2 s, 1 s at 44.1 kHz. */
  static const struct { double start_s, s; uint32_t rate; } runs[] = {
    { 0.5, 1.0, 48000 }, { 3.5, 1.0, 44100 },
  };
  float l[480], r[480]; /* 10 ms at 48 kHz */
  for (guint k = 0; k < G_N_ELEMENTS (runs); k++)
    for (uint32_t done = 0, n = runs[k].rate / 100; done < runs[k].rate * runs[k].s; done += n)
      {
        for (uint32_t i = 0; i < n; i++)
          l[i] = r[i] = 0.5f * sinf ((float) (2 * G_PI * 1000.0 * (done + i) / runs[k].rate));
        uint64_t t = t0 + (uint64_t) (runs[k].start_s * 1e9)
                     + (uint64_t) done * 1000000000u / runs[k].rate;
        busker_recorder_push (rec, l, r, n, runs[k].rate, t);
        g_usleep (200);
      }
  sf_count_t frames;
  g_autofree float *x = finish_and_read (rec, out, &frames);
  g_test_message ("%.4f s recorded for cycles ending 4.5 s after the start",
                  (double) frames / RATE);
  /* The recorder read the clock a little after t0: up to 1 ms less. */
  g_assert_cmpint (frames, <=, 9 * RATE / 2);
  g_assert_cmpint (frames, >=, 9 * RATE / 2 - RATE / 1000);
  size_t lead = (size_t) frames - 9 * RATE / 2 + RATE / 2; /* where the tone starts */
  g_assert_true (quiet (x, 0, lead, 0.0f));
  g_assert_false (quiet (x, lead, lead + 48, 0.1f));
  /* Silent through the pause, but for the resampler's pre-ringing of the
   * tone's onset in its last milliseconds. */
  g_assert_true (quiet (x, lead + RATE + 1, lead + 3 * RATE - RATE / 100, 1e-4f));
  g_assert_false (quiet (x, lead + 3 * RATE, lead + 3 * RATE + 48, 0.1f));
  double at = 20 * log10 (tone_amplitude (x + 2 * (lead + 3 * RATE + RATE / 10), 2,
                                          RATE / 2, 1000, RATE) / 0.5);
  g_test_message ("after the pause (44.1 kHz, converted): 1 kHz at %.3f dB", at);
  g_assert_cmpfloat (fabs (at), <, 0.05);
  g_unlink (out);
}

/* Cycles of the first 0.5 s, pushed at once; finish 1.5 s after the
 * recorder was made: the file is 1.5 s long, silent after 0.5 s. */
static void
test_recorder_tail (void)
{
  g_autofree char *out = g_build_filename (tmpdir, "tail.wav", NULL);
  g_autoptr (GError) error = NULL;
  uint64_t t0 = (uint64_t) g_get_monotonic_time () * 1000;
  BuskerRecorder *rec = busker_recorder_new (out, RATE, &error);
  g_assert_no_error (error);
  float l[480], r[480];
  for (uint32_t i = 0; i < 480; i++)
    l[i] = r[i] = 0.5f;
  for (uint32_t done = 0; done < RATE / 2; done += 480)
    busker_recorder_push (rec, l, r, 480, RATE, t0 + (uint64_t) done * 1000000000u / RATE);
  gint64 wait_us = (gint64) (t0 / 1000) + 3 * G_USEC_PER_SEC / 2 - g_get_monotonic_time ();
  g_usleep (wait_us > 0 ? (gulong) wait_us : 0);
  gint64 finish_at = g_get_monotonic_time ();
  sf_count_t frames;
  g_autofree float *x = finish_and_read (rec, out, &frames);
  double want_s = (double) (finish_at - (gint64) (t0 / 1000)) / G_USEC_PER_SEC;
  g_test_message ("finished %.4f s after the start: %.4f s recorded", want_s,
                  (double) frames / RATE);
  g_assert_cmpfloat (fabs ((double) frames / RATE - want_s), <, 0.002);
  g_assert_true (x[2 * (RATE / 2 - 1)] == 0.5f);
  g_assert_true (quiet (x, RATE / 2, (size_t) frames, 0.0f));
  g_unlink (out);
}

static void
test_recorder_bad_name (void)
{
  g_autofree char *out = g_build_filename (tmpdir, "out.mid", NULL);
  g_autofree char *opus = g_build_filename (tmpdir, "out.opus", NULL);
  g_autofree char *nodir = g_build_filename (tmpdir, "no", "such", "dir.wav", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_null (busker_recorder_new (out, RATE, &error));
  g_assert_error (error, BUSKER_ENGINE_ERROR, BUSKER_ENGINE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, out));
  g_clear_error (&error);
  g_assert_null (busker_recorder_new (nodir, RATE, &error));
  g_assert_nonnull (strstr (error->message, nodir));
  g_clear_error (&error);
  /* Opus has no 44.1 kHz: refused at the start, not at the end. */
  g_assert_null (busker_recorder_new (opus, 44100, &error));
  g_assert_nonnull (strstr (error->message, opus));
  g_assert_false (g_file_test (opus, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_hidden (), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("busker-recorder-XXXXXX", NULL);
  g_test_add_func ("/engine/recorder/float-wav", test_recorder_float_wav);
  g_test_add_func ("/engine/recorder/flac", test_recorder_flac);
  g_test_add_func ("/engine/recorder/lossy", test_recorder_lossy);
  g_test_add_func ("/engine/recorder/dropped", test_recorder_dropped);
  g_test_add_func ("/engine/recorder/bad-name", test_recorder_bad_name);
  g_test_add_func ("/engine/recorder/rate-switch", test_recorder_rate_switch);
  g_test_add_func ("/engine/recorder/keeps-time", test_recorder_keeps_time);
  g_test_add_func ("/engine/recorder/tail", test_recorder_tail);
  int ret = g_test_run ();
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return ret;
}
