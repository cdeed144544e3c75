/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * MP3 decoding on libmpg123 (see busker-mp3-decoder.h for why).
 *
 * - Output is float32 at the stream's own rate and channel count; the
 *   reader resamples and folds.
 * - mpg123_scan() reads every frame header once at open time (no
 *   decoding, a few ms for a song), which gives the exact length and a
 *   full seek index, so seeking is sample-exact.
 * - Gapless decoding (the LAME tag's encoder delay and padding) is
 *   libmpg123's default, as it is ffmpeg's; both give the same length.
 * - A change of format mid-stream (a spliced file) is a decoding error:
 *   the rest would come out at the wrong speed.
 */
#include "busker-mp3-decoder.h"

#include <mpg123.h>
#include <stdio.h>

struct _BuskerMp3Decoder {
  mpg123_handle *h;
  long rate;
  int channels;
  int64_t frames;
};

static gpointer
init_once (gpointer data)
{
  /* A no-op since libmpg123 1.27, required before it. */
  return GINT_TO_POINTER (mpg123_init ());
}

BuskerMp3Decoder *
busker_mp3_decoder_open (const char *path, char **problem)
{
  static GOnce once = G_ONCE_INIT;
  g_autoptr (BuskerMp3Decoder) dec = g_new0 (BuskerMp3Decoder, 1);
  int err = GPOINTER_TO_INT (g_once (&once, init_once, NULL)), enc;
  off_t length;

  if (err == MPG123_OK)
    dec->h = mpg123_new (NULL, &err);
  if (dec->h == NULL)
    {
      *problem = g_strdup_printf ("cannot start the MP3 decoder (%s)",
                                  mpg123_plain_strerror (err));
      return NULL;
    }
  mpg123_param (dec->h, MPG123_ADD_FLAGS, MPG123_QUIET | MPG123_GAPLESS, 0);
  /* Float output at whatever rate and channels the stream has. */
  mpg123_format_none (dec->h);
  const long *rates = NULL;
  size_t n_rates = 0;
  mpg123_rates (&rates, &n_rates);
  for (size_t i = 0; i < n_rates; i++)
    mpg123_format (dec->h, rates[i], MPG123_MONO | MPG123_STEREO, MPG123_ENC_FLOAT_32);
  if (mpg123_open (dec->h, path) != MPG123_OK ||
      mpg123_scan (dec->h) != MPG123_OK ||
      mpg123_getformat (dec->h, &dec->rate, &dec->channels, &enc) != MPG123_OK)
    {
      *problem = g_strdup_printf ("not a readable MP3 file (%s)", mpg123_strerror (dec->h));
      return NULL;
    }
  length = mpg123_length (dec->h);
  if (length < 0 || dec->rate <= 0 || dec->channels < 1 || dec->channels > 2)
    {
      *problem = g_strdup ("not a readable MP3 file (no audio frames)");
      return NULL;
    }
  dec->frames = (int64_t) length;
  return g_steal_pointer (&dec);
}

void
busker_mp3_decoder_free (BuskerMp3Decoder *dec)
{
  if (dec == NULL)
    return;
  if (dec->h != NULL)
    {
      mpg123_close (dec->h);
      mpg123_delete (dec->h);
    }
  g_free (dec);
}

int
busker_mp3_decoder_get_rate (const BuskerMp3Decoder *dec)
{
  return (int) dec->rate;
}

int
busker_mp3_decoder_get_channels (const BuskerMp3Decoder *dec)
{
  return dec->channels;
}

int64_t
busker_mp3_decoder_get_frames (const BuskerMp3Decoder *dec)
{
  return dec->frames;
}

int64_t
busker_mp3_decoder_read (BuskerMp3Decoder *dec, float *frames, int64_t n)
{
  const size_t frame_bytes = sizeof (float) * (size_t) dec->channels;
  size_t want = (size_t) n * frame_bytes, got_bytes = 0;

  while (got_bytes < want)
    {
      size_t done = 0;
      int err = mpg123_read (dec->h, (unsigned char *) frames + got_bytes,
                             want - got_bytes, &done);
      got_bytes += done;
      if (err == MPG123_DONE)
        break;
      if (err == MPG123_NEW_FORMAT)
        {
          long rate;
          int channels, enc;
          mpg123_getformat (dec->h, &rate, &channels, &enc);
          if (rate != dec->rate || channels != dec->channels)
            return -1;
          continue;
        }
      if (err != MPG123_OK)
        return -1;
      if (done == 0)
        break;
    }
  return (int64_t) (got_bytes / frame_bytes);
}

gboolean
busker_mp3_decoder_seek (BuskerMp3Decoder *dec, int64_t frame)
{
  return mpg123_seek (dec->h, (off_t) frame, SEEK_SET) >= 0;
}
