/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * File sources through libsndfile (WAV, FLAC, Ogg Vorbis/Opus, AIFF, and
 * MP3 where the installed libsndfile reads it).
 *
 * - Streamed: only one block of the file is in memory at a time.
 * - A file at another rate goes through soxr (high quality) in pull mode:
 *   soxr asks the reader's input function for more file frames as needed,
 *   so every read returns exactly the frames asked for. soxr output is
 *   time-aligned with its input (it drops its own filter delay).
 * - Channels: mono feeds both sides; more than two keep the first two.
 * - offset_s shifts the file on the project timeline; a negative offset
 *   starts part-way into the file.
 * - Seeking a resampled file restarts soxr 2048 frames early on a file
 *   frame that lies exactly on the project's sample grid and drops the
 *   lead-in, so a seek gives the samples a render from the start gives.
 * - A file whose header promises more audio than it holds is refused at
 *   open time as truncated (libsndfile notes "should be" in its log); a
 *   read error later fails the read with the file's name.
 */
#include "busker-source-reader.h"

#include <math.h>
#include <sndfile.h>
#include <soxr.h>
#include <string.h>

#include "busker-render.h"

/* File frames handed to soxr per request. */
#define CHUNK_FRAMES 1024

struct _BuskerSourceReader {
  char *path;
  SNDFILE *file;
  SF_INFO info;
  double project_rate;
  uint32_t max_block;
  int64_t offset;      /* project frames */
  int64_t length;      /* project frames of the file */
  int64_t pos;         /* next project frame to produce */
  soxr_t soxr;         /* NULL when the rates match */
  gboolean eof;        /* file exhausted (and soxr flushed) */
  gboolean read_failed;
  float *file_buf;     /* interleaved, CHUNK_FRAMES or max_block frames */
  float *out_buf;      /* interleaved, max_block frames */
};

static gboolean read_stream (BuskerSourceReader *r, uint32_t n, uint32_t *got,
                             GError **error);

static gboolean
source_error (GError **error, const char *path, const char *what)
{
  g_set_error (error, BUSKER_ENGINE_ERROR, BUSKER_ENGINE_ERROR_SOURCE,
               "Audio file “%s”: %s", path, what);
  return FALSE;
}

static gboolean
is_truncated (SNDFILE *file)
{
  char log[8192] = "";
  sf_command (file, SFC_GET_LOG_INFO, log, sizeof log);
  for (char *line = strtok (log, "\n"); line != NULL; line = strtok (NULL, "\n"))
    if ((g_str_has_prefix (line, "data") || g_str_has_prefix (line, "SSND"))
        && strstr (line, "should be") != NULL)
      return TRUE;
  return FALSE;
}

static size_t
soxr_input (void *data, soxr_in_t *buf, size_t requested)
{
  BuskerSourceReader *r = data;
  sf_count_t got = sf_readf_float (r->file, r->file_buf, CHUNK_FRAMES);
  if (got < 0 || sf_error (r->file) != SF_ERR_NO_ERROR)
    {
      r->read_failed = TRUE;
      *buf = NULL;
      return 0;
    }
  *buf = r->file_buf;
  return (size_t) got;
}

static gboolean
start_resampler (BuskerSourceReader *r, GError **error)
{
  g_clear_pointer (&r->soxr, soxr_delete);
  if ((double) r->info.samplerate == r->project_rate)
    return TRUE;

  soxr_error_t err = NULL;
  soxr_io_spec_t io = soxr_io_spec (SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  soxr_quality_spec_t q = soxr_quality_spec (SOXR_HQ, 0);
  r->soxr = soxr_create (r->info.samplerate, r->project_rate, r->info.channels,
                         &err, &io, &q, NULL);
  if (err == NULL)
    err = soxr_set_input_fn (r->soxr, soxr_input, r, CHUNK_FRAMES);
  if (err != NULL)
    {
      g_autofree char *what = g_strdup_printf ("cannot resample (%s)", err);
      return source_error (error, r->path, what);
    }
  return TRUE;
}

BuskerSourceReader *
busker_source_reader_new (const char *path, double offset_s, double project_rate,
                          uint32_t max_block, GError **error)
{
  g_autoptr (BuskerSourceReader) r = g_new0 (BuskerSourceReader, 1);

  r->path = g_strdup (path);
  r->project_rate = project_rate;
  r->max_block = max_block;
  r->offset = llround (offset_s * project_rate);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      source_error (error, path, "the file does not exist; relink or remove the track");
      return NULL;
    }
  r->file = sf_open (path, SFM_READ, &r->info);
  if (r->file == NULL)
    {
      g_autofree char *what = g_strdup_printf ("not a readable audio file (%s)",
                                               sf_strerror (NULL));
      source_error (error, path, what);
      return NULL;
    }
  if (r->info.channels < 1 || r->info.samplerate <= 0)
    {
      source_error (error, path, "the file holds no audio channels");
      return NULL;
    }
  if (is_truncated (r->file))
    {
      source_error (error, path, "the file is truncated (shorter than its header says)");
      return NULL;
    }

  r->length = (int64_t) ceil ((double) r->info.frames * project_rate / r->info.samplerate);
  r->file_buf = g_new (float, (size_t) MAX (CHUNK_FRAMES, max_block) * r->info.channels);
  r->out_buf = g_new (float, (size_t) max_block * r->info.channels);
  if (!busker_source_reader_seek (r, 0, error))
    return NULL;
  return g_steal_pointer (&r);
}

void
busker_source_reader_free (BuskerSourceReader *r)
{
  if (r == NULL)
    return;
  g_clear_pointer (&r->soxr, soxr_delete);
  if (r->file != NULL)
    sf_close (r->file);
  g_free (r->file_buf);
  g_free (r->out_buf);
  g_free (r->path);
  g_free (r);
}

uint32_t
busker_source_reader_get_channels (const BuskerSourceReader *r)
{
  return (uint32_t) r->info.channels;
}

int64_t
busker_source_reader_get_end (const BuskerSourceReader *r)
{
  return r->offset + r->length;
}

static int64_t
gcd64 (int64_t a, int64_t b)
{
  while (b != 0)
    {
      int64_t t = a % b;
      a = b;
      b = t;
    }
  return a;
}

/* Reads and drops n project frames. */
static gboolean
skip_output (BuskerSourceReader *r, int64_t n, GError **error)
{
  while (n > 0 && !r->eof)
    {
      uint32_t chunk = (uint32_t) MIN (n, (int64_t) r->max_block), got;
      if (!read_stream (r, chunk, &got, error))
        return FALSE;
      n -= chunk;
    }
  return TRUE;
}

gboolean
busker_source_reader_seek (BuskerSourceReader *r, int64_t frame, GError **error)
{
  int64_t in_file = MAX (frame - r->offset, 0);
  int64_t file_rate = r->info.samplerate, project_rate = llround (r->project_rate);
  int64_t g = gcd64 (file_rate, project_rate);
  /* project frames = file frames * up / down, in lowest terms */
  int64_t up = project_rate / g, down = file_rate / g;
  sf_count_t start = (sf_count_t) (in_file * down / up);
  int64_t skip = 0;

  if (r->soxr != NULL || file_rate != project_rate)
    {
      /* Restart the resampler a little before the target, at a file frame
       * that falls exactly on the project grid (a multiple of down), and
       * drop the output up to the target: the filter has its history, so
       * the seek lands on the very samples a render from 0 produces. */
      const int64_t history = 2048;
      start = MAX ((in_file * down / up - history) / down * down, 0);
      skip = in_file - start * up / down;
    }

  r->pos = frame;
  r->eof = FALSE;
  r->read_failed = FALSE;
  if (start >= r->info.frames)
    {
      r->eof = TRUE;
      return TRUE;
    }
  if (sf_seek (r->file, start, SEEK_SET) < 0)
    return source_error (error, r->path, "cannot seek in the file");
  if (!start_resampler (r, error))
    return FALSE;
  return skip_output (r, skip, error);
}

/* Up to n interleaved project-rate frames from the stream into out_buf. */
static gboolean
read_stream (BuskerSourceReader *r, uint32_t n, uint32_t *got, GError **error)
{
  *got = 0;
  if (r->eof)
    return TRUE;
  if (r->soxr != NULL)
    {
      *got = (uint32_t) soxr_output (r->soxr, r->out_buf, n);
      if (r->read_failed || soxr_error (r->soxr) != NULL)
        return source_error (error, r->path, "reading failed part-way (damaged file?)");
    }
  else
    {
      sf_count_t c = sf_readf_float (r->file, r->out_buf, n);
      if (c < 0 || sf_error (r->file) != SF_ERR_NO_ERROR)
        return source_error (error, r->path, "reading failed part-way (damaged file?)");
      *got = (uint32_t) c;
    }
  if (*got < n)
    r->eof = TRUE;
  return TRUE;
}

gboolean
busker_source_reader_read (BuskerSourceReader *r, float *left, float *right,
                           uint32_t n, GError **error)
{
  uint32_t done = 0;

  g_return_val_if_fail (n <= r->max_block, FALSE);

  if (r->pos < r->offset)
    {
      done = (uint32_t) MIN ((int64_t) n, r->offset - r->pos);
      memset (left, 0, done * sizeof (float));
      memset (right, 0, done * sizeof (float));
    }

  uint32_t got = 0;
  if (done < n && !read_stream (r, n - done, &got, error))
    return FALSE;

  const uint32_t ch = (uint32_t) r->info.channels;
  const float *x = r->out_buf;
  for (uint32_t i = 0; i < got; i++, x += ch)
    {
      left[done + i] = x[0];
      right[done + i] = ch > 1 ? x[1] : x[0];
    }
  done += got;
  memset (left + done, 0, (n - done) * sizeof (float));
  memset (right + done, 0, (n - done) * sizeof (float));
  r->pos += n;
  return TRUE;
}
