/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * File sources through libsndfile (WAV, FLAC, Ogg Vorbis/Opus, AIFF, ...)
 * and libmpg123 (MP3).
 *
 * - Streamed: only one block of the file is in memory at a time.
 * - A file at another rate goes through soxr (high quality) in pull mode:
 *   soxr asks the reader's input function for more file frames as needed,
 *   so every read returns exactly the frames asked for. soxr output is
 *   time-aligned with its input (it drops its own filter delay).
 * - Channels: mono feeds both sides; more than two are folded to stereo
 *   by the ITU-R BS.775 downmix (centre and surrounds at -3 dB into their
 *   side, LFE dropped) with a warning. The layout is the file's channel
 *   map when it has one, the WAVE default order otherwise (3: L R C,
 *   4: L R Ls Rs, 5: L R C Ls Rs, 6: 5.1 L R C LFE Ls Rs, 7: 6.1 with a
 *   back centre, 8: 7.1 L R C LFE Lb Rb Ls Rs); a channel with no known
 *   place goes to both sides at -3 dB, like a centre.
 * - Non-finite samples (NaN, ±Inf) are replaced by 0 one by one as they
 *   come out of the decoder, before resampling and folding (a NaN in soxr
 *   would smear over its whole filter), and counted for the export's
 *   report.
 * - Headers that lie about the length: a `data` size of 0 is repaired
 *   (busker-wav-repair.c); a size larger than the file (the 0xFFFFFFFF and
 *   0x7FFFFFFF placeholders, a header written for a longer take) reads what
 *   the file holds, as libsndfile does. Both with a warning. MP3 is
 *   decoded by libmpg123 with an exact length (busker-mp3-decoder.c).
 * - offset_s shifts the file on the project timeline; a negative offset
 *   starts part-way into the file; beyond ±BUSKER_SOURCE_MAX_OFFSET_S it is
 *   refused.
 * - Seeking a resampled file restarts soxr 2048 frames early on a file
 *   frame that lies exactly on the project's sample grid and drops the
 *   lead-in, so a seek gives the samples a render from the start gives.
 * - A read error fails the read with the file's name. A file that ends
 *   before the length it had when opened (cut while being read) gives
 *   silence from there, noted for busker_source_reader_get_ended_early.
 */
#include "busker-source-reader.h"

#include <inttypes.h>
#include <math.h>
#include <sndfile.h>
#include <soxr.h>
#include <stdio.h>
#include <string.h>

#include "busker-mp3-decoder.h"
#include "busker-render.h"
#include "busker-wav-repair.h"

/* File frames handed to soxr per request. */
#define CHUNK_FRAMES 1024
#define MINUS_3DB 0.70710678f

struct _BuskerSourceReader {
  char *path;
  SNDFILE *file;           /* libsndfile, or */
  BuskerWavRepair *repair; /* (the view under file, when repaired) */
  BuskerMp3Decoder *mp3;   /* libmpg123 */
  int file_rate;
  uint32_t file_channels;
  int64_t file_frames;
  uint32_t channels;       /* after the fold: 1 or 2 */
  float *fold;             /* 2 * file_channels gains (left, right); NULL: no fold */
  double project_rate;
  uint32_t max_block;
  int64_t offset;          /* project frames */
  int64_t length;          /* project frames of the file */
  int64_t pos;             /* next project frame to produce */
  int64_t file_pos;        /* next file frame the decoder gives */
  soxr_t soxr;             /* NULL when the rates match */
  gboolean eof;            /* file exhausted (and soxr flushed) */
  gboolean read_failed;
  float *raw_buf;          /* file_channels, MAX (CHUNK_FRAMES, max_block) frames */
  float *file_buf;         /* channels, CHUNK_FRAMES frames: soxr's input */
  float *out_buf;          /* channels, max_block frames */
  GPtrArray *warnings;     /* char *, NULL-terminated */
  uint64_t replaced;
  int64_t replaced_first, replaced_last; /* file frames */
  int64_t ended_at;        /* file frame where it ended before its length, or -1 */
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

static void
add_warning (BuskerSourceReader *r, char *sentence)
{
  g_ptr_array_insert (r->warnings, (int) r->warnings->len - 1, sentence);
}

/* ---- decoding: file frames, repaired and folded ---- */

static int64_t
decoder_read (BuskerSourceReader *r, float *frames, uint32_t n)
{
  if (r->mp3 != NULL)
    return busker_mp3_decoder_read (r->mp3, frames, n);
  sf_count_t got = sf_readf_float (r->file, frames, n);
  return got < 0 || sf_error (r->file) != SF_ERR_NO_ERROR ? -1 : got;
}

static gboolean
decoder_seek (BuskerSourceReader *r, int64_t frame)
{
  if (r->mp3 != NULL)
    return busker_mp3_decoder_seek (r->mp3, frame);
  return sf_seek (r->file, frame, SEEK_SET) >= 0;
}

/* Replaces each non-finite sample by 0 and counts it. */
static void
repair_non_finite (BuskerSourceReader *r, float *x, int64_t frames)
{
  const size_t n = (size_t) frames * r->file_channels;
  for (size_t i = 0; i < n; i++)
    if (G_UNLIKELY (!isfinite (x[i])))
      {
        int64_t frame = r->file_pos + (int64_t) (i / r->file_channels);
        x[i] = 0.0f;
        if (r->replaced++ == 0)
          r->replaced_first = frame;
        r->replaced_last = frame;
      }
}

/* Up to n (<= max (CHUNK_FRAMES, max_block)) file frames, r->channels
 * interleaved, into dst; the count, or -1 on a read error. */
static int64_t
decode (BuskerSourceReader *r, float *dst, uint32_t n)
{
  float *raw = r->fold != NULL ? r->raw_buf : dst;
  int64_t got = decoder_read (r, raw, n);

  if (got < 0)
    return got;
  repair_non_finite (r, raw, got);
  r->file_pos += got;
  /* A short read is the end of the file: early, when it was cut while we
   * read it. */
  if (got < n && r->file_pos < r->file_frames && r->ended_at < 0)
    r->ended_at = r->file_pos;
  if (got == 0)
    return 0;
  if (r->fold != NULL)
    {
      const uint32_t ch = r->file_channels;
      const float *gl = r->fold, *gr = r->fold + ch;
      for (int64_t i = 0; i < got; i++)
        {
          const float *x = raw + (size_t) i * ch;
          float l = 0.0f, rr = 0.0f;
          for (uint32_t c = 0; c < ch; c++)
            {
              l += gl[c] * x[c];
              rr += gr[c] * x[c];
            }
          dst[2 * i] = l;
          dst[2 * i + 1] = rr;
        }
    }
  return got;
}

/* ---- the fold to stereo (ITU-R BS.775) ---- */

static const char *
position_name (int pos)
{
  switch (pos)
    {
    case SF_CHANNEL_MAP_LEFT: case SF_CHANNEL_MAP_FRONT_LEFT: return "L";
    case SF_CHANNEL_MAP_RIGHT: case SF_CHANNEL_MAP_FRONT_RIGHT: return "R";
    case SF_CHANNEL_MAP_CENTER: case SF_CHANNEL_MAP_FRONT_CENTER: return "C";
    case SF_CHANNEL_MAP_MONO: return "M";
    case SF_CHANNEL_MAP_LFE: return "LFE";
    case SF_CHANNEL_MAP_REAR_LEFT: return "Lb";
    case SF_CHANNEL_MAP_REAR_RIGHT: return "Rb";
    case SF_CHANNEL_MAP_REAR_CENTER: return "Cb";
    case SF_CHANNEL_MAP_SIDE_LEFT: return "Ls";
    case SF_CHANNEL_MAP_SIDE_RIGHT: return "Rs";
    case SF_CHANNEL_MAP_FRONT_LEFT_OF_CENTER: return "Lc";
    case SF_CHANNEL_MAP_FRONT_RIGHT_OF_CENTER: return "Rc";
    default: return "?";
    }
}

/* Gains of one channel into the left and right of the fold. */
static void
position_gains (int pos, float *l, float *r)
{
  switch (pos)
    {
    case SF_CHANNEL_MAP_LEFT: case SF_CHANNEL_MAP_FRONT_LEFT:
    case SF_CHANNEL_MAP_FRONT_LEFT_OF_CENTER:
      *l = 1.0f, *r = 0.0f;
      break;
    case SF_CHANNEL_MAP_RIGHT: case SF_CHANNEL_MAP_FRONT_RIGHT:
    case SF_CHANNEL_MAP_FRONT_RIGHT_OF_CENTER:
      *l = 0.0f, *r = 1.0f;
      break;
    case SF_CHANNEL_MAP_REAR_LEFT: case SF_CHANNEL_MAP_SIDE_LEFT:
    case SF_CHANNEL_MAP_TOP_FRONT_LEFT: case SF_CHANNEL_MAP_TOP_REAR_LEFT:
      *l = MINUS_3DB, *r = 0.0f;
      break;
    case SF_CHANNEL_MAP_REAR_RIGHT: case SF_CHANNEL_MAP_SIDE_RIGHT:
    case SF_CHANNEL_MAP_TOP_FRONT_RIGHT: case SF_CHANNEL_MAP_TOP_REAR_RIGHT:
      *l = 0.0f, *r = MINUS_3DB;
      break;
    case SF_CHANNEL_MAP_LFE:
      *l = *r = 0.0f;
      break;
    default: /* centre, back centre, top centre, mono, unknown */
      *l = *r = MINUS_3DB;
      break;
    }
}

static void
default_map (int *map, uint32_t channels)
{
  static const int order[] = {
    SF_CHANNEL_MAP_FRONT_LEFT, SF_CHANNEL_MAP_FRONT_RIGHT, SF_CHANNEL_MAP_FRONT_CENTER,
    SF_CHANNEL_MAP_LFE, SF_CHANNEL_MAP_REAR_LEFT, SF_CHANNEL_MAP_REAR_RIGHT,
    SF_CHANNEL_MAP_SIDE_LEFT, SF_CHANNEL_MAP_SIDE_RIGHT,
  };
  static const int quad[] = { SF_CHANNEL_MAP_FRONT_LEFT, SF_CHANNEL_MAP_FRONT_RIGHT,
                              SF_CHANNEL_MAP_REAR_LEFT, SF_CHANNEL_MAP_REAR_RIGHT };
  static const int five[] = { SF_CHANNEL_MAP_FRONT_LEFT, SF_CHANNEL_MAP_FRONT_RIGHT,
                              SF_CHANNEL_MAP_FRONT_CENTER, SF_CHANNEL_MAP_REAR_LEFT,
                              SF_CHANNEL_MAP_REAR_RIGHT };
  static const int seven[] = { SF_CHANNEL_MAP_FRONT_LEFT, SF_CHANNEL_MAP_FRONT_RIGHT,
                               SF_CHANNEL_MAP_FRONT_CENTER, SF_CHANNEL_MAP_LFE,
                               SF_CHANNEL_MAP_REAR_CENTER, SF_CHANNEL_MAP_SIDE_LEFT,
                               SF_CHANNEL_MAP_SIDE_RIGHT };
  const int *src = channels == 4 ? quad : channels == 5 ? five : channels == 7 ? seven : order;
  for (uint32_t c = 0; c < channels; c++)
    map[c] = c < (channels == 4 ? 4u : channels == 5 ? 5u : channels == 7 ? 7u : 8u)
               ? src[c] : SF_CHANNEL_MAP_INVALID;
}

static void
setup_fold (BuskerSourceReader *r)
{
  const uint32_t ch = r->file_channels;
  g_autofree int *map = g_new0 (int, ch);
  g_autoptr (GString) layout = g_string_new (NULL);
  gboolean from_file = r->file != NULL &&
                       sf_command (r->file, SFC_GET_CHANNEL_MAP_INFO, map,
                                   (int) (ch * sizeof (int))) == SF_TRUE;

  if (!from_file)
    default_map (map, ch);
  r->fold = g_new (float, 2 * ch);
  for (uint32_t c = 0; c < ch; c++)
    {
      position_gains (map[c], &r->fold[c], &r->fold[ch + c]);
      g_string_append_printf (layout, "%s%s", c ? " " : "", position_name (map[c]));
    }
  r->channels = 2;
  add_warning (r, g_strdup_printf ("%u channels (%s, %s) were folded to stereo by the "
                                   "ITU-R BS.775 downmix: centre and surrounds at −3 dB, "
                                   "LFE dropped",
                                   ch, layout->str,
                                   from_file ? "the file's channel map" : "the WAVE default order"));
}

/* ---- headers that lie ---- */

static double
frames_to_s (const BuskerSourceReader *r, int64_t frames)
{
  return (double) frames / r->file_rate;
}

/* libsndfile notes "data : CLAIMED (should be REAL)" when the header says
 * more than the file holds; it then reads what is there. */
static void
check_size_claims (BuskerSourceReader *r)
{
  char log[8192] = "";
  sf_command (r->file, SFC_GET_LOG_INFO, log, sizeof log);
  for (char *line = strtok (log, "\n"); line != NULL; line = strtok (NULL, "\n"))
    {
      uint64_t claimed, real;
      if (!(g_str_has_prefix (line, "data") || g_str_has_prefix (line, "SSND")) ||
          sscanf (line + 4, " : %" SCNu64 " (should be %" SCNu64 ")", &claimed, &real) != 2 ||
          claimed <= real)
        continue;
      if (claimed == 0xFFFFFFFFu || claimed == 0x7FFFFFFFu || claimed == 0xFFFFFFFEu)
        add_warning (r, g_strdup_printf ("the header's data size is the placeholder 0x%08" PRIX64
                                         " of a recording that was not finished; read to "
                                         "the end of the file (%.3f s)",
                                         claimed, frames_to_s (r, r->file_frames)));
      else
        add_warning (r, g_strdup_printf ("the file is shorter than its header says (%.3f s "
                                         "instead of %.3f s); read to the end of the file",
                                         frames_to_s (r, r->file_frames),
                                         real > 0 ? frames_to_s (r, r->file_frames) *
                                                      (double) claimed / (double) real
                                                  : 0.0));
      return;
    }
}

/* ---- open ---- */

static gboolean
open_file (BuskerSourceReader *r, GError **error)
{
  SF_INFO info = { 0 };
  g_autofree char *sf_problem = NULL;
  char *mp3_problem = NULL;

  r->repair = busker_wav_repair_open (r->path, &info, &r->file);
  if (r->file != NULL)
    add_warning (r, g_strdup_printf ("the header was incomplete (its data size was 0, a "
                                     "recording that was not finished); read to the end "
                                     "of the file (%.3f s)",
                                     (double) info.frames / MAX (info.samplerate, 1)));
  else
    r->file = sf_open (r->path, SFM_READ, &info);
  if (r->file == NULL)
    sf_problem = g_strdup (sf_strerror (NULL));

  /* MP3 goes to libmpg123 whether libsndfile knows it or not. */
  if (r->file == NULL ? g_str_has_suffix (r->path, ".mp3") || g_str_has_suffix (r->path, ".MP3")
                      : (info.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_MPEG)
    {
      g_clear_pointer (&r->file, sf_close);
      r->mp3 = busker_mp3_decoder_open (r->path, &mp3_problem);
      if (r->mp3 == NULL)
        {
          source_error (error, r->path, mp3_problem);
          g_free (mp3_problem);
          return FALSE;
        }
      r->file_rate = busker_mp3_decoder_get_rate (r->mp3);
      r->file_channels = (uint32_t) busker_mp3_decoder_get_channels (r->mp3);
      r->file_frames = busker_mp3_decoder_get_frames (r->mp3);
      return TRUE;
    }
  if (r->file == NULL)
    {
      g_autofree char *what = g_strdup_printf ("not a readable audio file (%s)", sf_problem);
      return source_error (error, r->path, what);
    }
  if (info.channels < 1 || info.samplerate <= 0)
    return source_error (error, r->path, "the file holds no audio channels");
  r->file_rate = info.samplerate;
  r->file_channels = (uint32_t) info.channels;
  r->file_frames = info.frames;
  check_size_claims (r);
  return TRUE;
}

static soxr_t free_soxr (soxr_t s) { soxr_delete (s); return NULL; }

BuskerSourceReader *
busker_source_reader_new (const char *path, double offset_s, double project_rate,
                          uint32_t max_block, GError **error)
{
  g_autoptr (BuskerSourceReader) r = g_new0 (BuskerSourceReader, 1);

  r->path = g_strdup (path);
  r->project_rate = project_rate;
  r->max_block = max_block;
  r->warnings = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (r->warnings, NULL);
  r->ended_at = -1;

  if (!(fabs (offset_s) <= BUSKER_SOURCE_MAX_OFFSET_S))
    {
      g_autofree char *what = g_strdup_printf ("the offset of %g s is beyond the ±%.0f hours "
                                               "a track may be moved; correct offset_s",
                                               offset_s, BUSKER_SOURCE_MAX_OFFSET_S / 3600.0);
      source_error (error, path, what);
      return NULL;
    }
  r->offset = llround (offset_s * project_rate);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      source_error (error, path, "the file does not exist; relink or remove the track");
      return NULL;
    }
  if (!open_file (r, error))
    return NULL;

  r->channels = MIN (r->file_channels, 2u);
  if (r->file_channels > 2)
    setup_fold (r);
  r->length = (int64_t) ceil ((double) r->file_frames * project_rate / r->file_rate);
  r->raw_buf = g_new (float, (size_t) MAX (CHUNK_FRAMES, max_block) * r->file_channels);
  r->file_buf = g_new (float, (size_t) MAX (CHUNK_FRAMES, max_block) * r->channels);
  r->out_buf = g_new (float, (size_t) max_block * r->channels);
  if (!busker_source_reader_seek (r, 0, error))
    return NULL;
  return g_steal_pointer (&r);
}

void
busker_source_reader_free (BuskerSourceReader *r)
{
  if (r == NULL)
    return;
  g_clear_pointer (&r->soxr, free_soxr);
  if (r->file != NULL)
    sf_close (r->file);
  busker_wav_repair_free (r->repair);
  busker_mp3_decoder_free (r->mp3);
  g_free (r->fold);
  g_free (r->raw_buf);
  g_free (r->file_buf);
  g_free (r->out_buf);
  if (r->warnings != NULL)
    g_ptr_array_unref (r->warnings);
  g_free (r->path);
  g_free (r);
}

uint32_t
busker_source_reader_get_channels (const BuskerSourceReader *r)
{
  return r->channels;
}

int64_t
busker_source_reader_get_end (const BuskerSourceReader *r)
{
  return r->offset + r->length;
}

const char *const *
busker_source_reader_get_warnings (const BuskerSourceReader *r)
{
  return (const char *const *) r->warnings->pdata;
}

uint64_t
busker_source_reader_get_replaced (const BuskerSourceReader *r, double *first_s,
                                   double *last_s)
{
  double offset_s = (double) r->offset / r->project_rate;
  if (first_s != NULL)
    *first_s = r->replaced ? offset_s + frames_to_s (r, r->replaced_first) : NAN;
  if (last_s != NULL)
    *last_s = r->replaced ? offset_s + frames_to_s (r, r->replaced_last) : NAN;
  return r->replaced;
}

gboolean
busker_source_reader_get_ended_early (const BuskerSourceReader *r, double *at_s,
                                      double *end_s)
{
  double offset_s = (double) r->offset / r->project_rate;
  if (r->ended_at < 0)
    return FALSE;
  if (at_s != NULL)
    *at_s = offset_s + frames_to_s (r, r->ended_at);
  if (end_s != NULL)
    *end_s = offset_s + frames_to_s (r, r->file_frames);
  return TRUE;
}

/* ---- streaming ---- */

static size_t
soxr_input (void *data, soxr_in_t *buf, size_t requested)
{
  BuskerSourceReader *r = data;
  int64_t got = decode (r, r->file_buf, CHUNK_FRAMES);
  if (got < 0)
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
  g_clear_pointer (&r->soxr, free_soxr);
  if ((double) r->file_rate == r->project_rate)
    return TRUE;

  soxr_error_t err = NULL;
  soxr_io_spec_t io = soxr_io_spec (SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  soxr_quality_spec_t q = soxr_quality_spec (SOXR_HQ, 0);
  r->soxr = soxr_create (r->file_rate, r->project_rate, r->channels, &err, &io, &q, NULL);
  if (err == NULL)
    err = soxr_set_input_fn (r->soxr, soxr_input, r, CHUNK_FRAMES);
  if (err != NULL)
    {
      g_autofree char *what = g_strdup_printf ("cannot resample (%s)", err);
      return source_error (error, r->path, what);
    }
  return TRUE;
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
  int64_t file_rate = r->file_rate, project_rate = llround (r->project_rate);
  int64_t g = gcd64 (file_rate, project_rate);
  /* project frames = file frames * up / down, in lowest terms */
  int64_t up = project_rate / g, down = file_rate / g;
  int64_t start = in_file >= r->length ? r->file_frames : in_file * down / up;
  int64_t skip = 0;

  if (r->soxr != NULL || file_rate != project_rate)
    {
      /* Restart the resampler a little before the target, at a file frame
       * that falls exactly on the project grid (a multiple of down), and
       * drop the output up to the target: the filter has its history, so
       * the seek lands on the very samples a render from 0 produces. */
      const int64_t history = 2048;
      start = MAX ((start - history) / down * down, 0);
      skip = in_file - start * up / down;
    }

  r->pos = frame;
  r->eof = FALSE;
  r->read_failed = FALSE;
  if (start >= r->file_frames)
    {
      r->eof = TRUE;
      return TRUE;
    }
  if (!decoder_seek (r, start))
    return source_error (error, r->path, "cannot seek in the file");
  r->file_pos = start;
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
      int64_t c = decode (r, r->out_buf, n);
      if (c < 0)
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

  const uint32_t ch = r->channels;
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
