/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Limits for hostile audio files (docs/reliability.md, "Hostile audio
 * files"). WAV headers are written byte by byte here, so every field can
 * lie; each file goes through the audio import contract
 * (tests/fuzz/fuzz-audio-check.h: a sentence naming the file, or audio
 * that renders finite; no crash, no hang, no read past a buffer under
 * the sanitizer build). Honest files must play, with the length their
 * header gives, at every channel count and rate libsndfile accepts:
 * 1 to 1024 channels, 1 Hz to 768 kHz. Headers that lie about the data
 * or RIFF size play exactly the frames the file holds (issue 8: read to
 * the end with a warning); other lies (block align, odd bit depths) are
 * refused with a sentence or play no longer than the file could hold.
 */
#include <glib/gstdio.h>
#include <math.h>

#include "engine/busker-source-reader.h"
#include "fuzz/fuzz-audio-check.h"

#define PROJECT_RATE 48000

typedef struct {
  guint16 format;   /* 1 PCM, 3 float */
  guint16 channels;
  guint32 rate;
  guint16 bits;
  guint32 frames;   /* frames actually in the file */
  gint64 data_size; /* what the header says; -1: the truth */
  gint64 riff_size; /* -1: the truth */
  gint16 block_align; /* -1: the truth */
} Wav;

static GByteArray *
wav_bytes (const Wav *w)
{
  GByteArray *b = g_byte_array_new ();
  guint32 align = w->block_align >= 0 ? (guint32) w->block_align
                                      : (guint32) w->channels * (w->bits / 8);
  guint32 real = (guint32) w->frames * w->channels * (w->bits / 8);
  guint32 data = w->data_size >= 0 ? (guint32) w->data_size : real;
  guint32 riff = w->riff_size >= 0 ? (guint32) w->riff_size : 36 + real;
  guint32 byte_rate = w->rate * align;
#define PUT(v, n)                                                              \
  do                                                                           \
    {                                                                          \
      guint64 _v = (v);                                                        \
      for (int _i = 0; _i < (n); _i++)                                         \
        {                                                                      \
          guint8 _c = (guint8) (_v >> (8 * _i));                               \
          g_byte_array_append (b, &_c, 1);                                     \
        }                                                                      \
    }                                                                          \
  while (0)
  g_byte_array_append (b, (const guint8 *) "RIFF", 4);
  PUT (riff, 4);
  g_byte_array_append (b, (const guint8 *) "WAVEfmt ", 8);
  PUT (16, 4);
  PUT (w->format, 2);
  PUT (w->channels, 2);
  PUT (w->rate, 4);
  PUT (byte_rate, 4);
  PUT (align, 2);
  PUT (w->bits, 2);
  g_byte_array_append (b, (const guint8 *) "data", 4);
  PUT (data, 4);
  /* A ramp, so audio that plays is not silence. */
  for (guint32 i = 0; i < real / 2; i++)
    PUT ((guint16) (i * 97), 2);
  if (real % 2)
    PUT (0x55, 1);
#undef PUT
  return b;
}

static char *
write_wav (const Wav *w)
{
  g_autoptr (GByteArray) b = wav_bytes (w);
  char *path = g_build_filename (g_get_tmp_dir (), "busker-hostile.wav", NULL);
  g_assert_true (g_file_set_contents (path, (const char *) b->data, b->len, NULL));
  return path;
}

/* The contract on the file, and whether it opened; *end is the project
 * frame just past its end when it did. */
static gboolean
opens (const Wav *w, int64_t *end, char **message)
{
  g_autoptr (GByteArray) b = wav_bytes (w);
  (void) busker_fuzz_audio_check (b->data, b->len);

  g_autofree char *path = write_wav (w);
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerSourceReader) r =
      busker_source_reader_new (path, 0, PROJECT_RATE, 1024, &error);
  g_unlink (path);
  if (r == NULL)
    {
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, path));
      *message = g_strdup (error->message);
      return FALSE;
    }
  *end = busker_source_reader_get_end (r);
  *message = NULL;
  return TRUE;
}

/* Project frames a file of `frames` at `rate` lasts. */
static int64_t
project_frames (guint32 frames, guint32 rate)
{
  return (int64_t) ceil ((double) frames * PROJECT_RATE / rate);
}

static void
test_channels (void)
{
  static const guint16 honest[] = { 1, 2, 3, 6, 8, 16, 64, 255, 256, 1024 };
  for (guint i = 0; i < G_N_ELEMENTS (honest); i++)
    {
      Wav w = { 1, honest[i], 48000, 16, 480, -1, -1, -1 };
      int64_t end;
      g_autofree char *msg = NULL;
      if (!opens (&w, &end, &msg))
        g_error ("%u channels refused: %s", honest[i], msg);
      g_assert_cmpint (end, ==, 480);
    }
  /* 0 channels, and more than libsndfile's limit of 1024: refused. */
  static const guint16 refused[] = { 0, 1025, 65535 };
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      Wav w = { 1, refused[i], 48000, 16, 16, -1, -1, -1 };
      int64_t end;
      g_autofree char *msg = NULL;
      g_assert_false (opens (&w, &end, &msg));
      g_test_message ("%u channels: %s", refused[i], msg);
    }
}

static void
test_rates (void)
{
  static const guint32 honest[] = { 1, 8, 100, 4000, 8000, 11025, 22050, 44100, 48000,
                                    88200, 96000, 176400, 192000, 352800, 384000, 705600,
                                    768000 };
  for (guint i = 0; i < G_N_ELEMENTS (honest); i++)
    {
      /* At least 1 s of file, at most 0.25 s at high rates. */
      guint32 frames = MAX (honest[i] / 4, 4);
      Wav w = { 1, 2, honest[i], 16, frames, -1, -1, -1 };
      int64_t end;
      g_autofree char *msg = NULL;
      if (!opens (&w, &end, &msg))
        g_error ("%u Hz refused: %s", honest[i], msg);
      g_assert_cmpint (end, ==, project_frames (frames, honest[i]));
    }
  /* A rate of 0 is refused; absurd rates above libsndfile's limit are
   * refused or played, never a crash. */
  static const guint32 odd[] = { 0, 1000000, 2000000, 0x7fffffff, 0xffffffff };
  for (guint i = 0; i < G_N_ELEMENTS (odd); i++)
    {
      Wav w = { 1, 1, odd[i], 16, 64, -1, -1, -1 };
      int64_t end = 0;
      g_autofree char *msg = NULL;
      gboolean ok = opens (&w, &end, &msg);
      g_test_message ("%u Hz: %s", odd[i], ok ? "plays" : msg);
      if (odd[i] == 0)
        g_assert_false (ok);
    }
}

static void
test_lying_sizes (void)
{
  /* plays: the frames the file must play (the bytes it holds), or -1
   * when refusing is fine too. */
  static const struct {
    const char *what; gint64 data, riff; gint16 align; guint16 bits; int64_t plays;
  } lies[] = {
    { "data size 0", 0, -1, -1, 16, 4800 },
    { "data size 0xFFFFFFFF", 0xFFFFFFFF, -1, -1, 16, 4800 },
    { "data size 0x7FFFFFFF", 0x7FFFFFFF, -1, -1, 16, 4800 },
    { "data size twice the file", 2 * 4800 * 2 * 2, -1, -1, 16, 4800 },
    { "data size odd", 4800 * 2 * 2 - 1, -1, -1, 16, 4799 },
    { "RIFF size 0", -1, 0, -1, 16, 4800 },
    { "RIFF size 0xFFFFFFFF", -1, 0xFFFFFFFF, -1, 16, 4800 },
    { "block align 0", -1, -1, 0, 16, -1 },
    { "block align 1", -1, -1, 1, 16, -1 },
    { "block align 32767", -1, -1, 32767, 16, -1 },
    { "0 bits", -1, -1, -1, 0, -1 },
    { "7 bits", -1, -1, -1, 7, -1 },
    { "64-bit PCM", -1, -1, -1, 64, -1 },
  };
  const guint32 frames = 4800;
  for (guint i = 0; i < G_N_ELEMENTS (lies); i++)
    {
      Wav w = { 1, 2, 48000, lies[i].bits, frames, lies[i].data, lies[i].riff, lies[i].align };
      int64_t end = 0;
      g_autofree char *msg = NULL;
      gboolean ok = opens (&w, &end, &msg);
      g_test_message ("%s: %s%.0f", lies[i].what, ok ? "plays, frames " : msg,
                      ok ? (double) end : 0.0);
      /* Whatever a lying header says, it never plays longer than the
       * bytes in the file could hold (one byte per frame at worst). */
      g_autoptr (GByteArray) bytes = wav_bytes (&w);
      if (ok)
        g_assert_cmpint (end, <=, (int64_t) bytes->len * 8);
      /* A header that lies about sizes: read to the end of the file. */
      if (lies[i].plays >= 0)
        {
          g_assert_true (ok);
          g_assert_cmpint (end, ==, lies[i].plays);
        }
    }
}

/* Absurd lengths: a float file of many channels whose header claims
 * 4 GiB, and a 1 Hz file claiming 2^32 - 1 bytes (12 days at 48 kHz):
 * refused or played within the render limit, fast. */
static void
test_absurd_lengths (void)
{
  Wav huge = { 3, 255, 48000, 32, 8, 0xFFFFFFF0, -1, -1 };
  Wav slow = { 1, 1, 1, 16, 8, 0xFFFFFFFF, -1, -1 };
  const Wav *cases[] = { &huge, &slow };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int64_t end = 0;
      g_autofree char *msg = NULL;
      gint64 start = g_get_monotonic_time ();
      gboolean ok = opens (cases[i], &end, &msg);
      g_test_message ("absurd length %u: %s (%.2f s)", i,
                      ok ? "plays" : msg, (g_get_monotonic_time () - start) / 1e6);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reliability/hostile-audio/channels", test_channels);
  g_test_add_func ("/reliability/hostile-audio/rates", test_rates);
  g_test_add_func ("/reliability/hostile-audio/lying-sizes", test_lying_sizes);
  g_test_add_func ("/reliability/hostile-audio/absurd-lengths", test_absurd_lengths);
  return g_test_run ();
}
