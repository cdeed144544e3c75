/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The recorder (busker-recorder.h).
 *
 * - The audio thread writes planar stereo into a single-producer,
 *   single-consumer ring (C11 atomics; two frame counters that only grow,
 *   the slot is counter & mask) of about two seconds, and only ever
 *   publishes its write counter. What does not fit is counted as dropped,
 *   never waited for.
 * - The writer thread ("busker-record") wakes every 10 ms (a timed wait;
 *   the audio thread signals nothing), drains the ring, interleaves and
 *   writes through libsndfile into a hidden temporary beside the target
 *   (busker-file-target, shared with export).
 * - finish stops the writer after a last drain, closes the file and only
 *   then renames it onto the target; a dropped frame or a write error
 *   removes the temporary instead and fails with one sentence naming the
 *   file. So the target is never half-written and never silently short.
 * - Formats from the extension: WAV and AIFF as 32-bit float, FLAC as
 *   24-bit PCM (FLAC has no float), Ogg as Vorbis.
 */
#include "busker-recorder.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sndfile.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "busker-export.h"
#include "busker-file-target.h"
#include "busker-render.h"

/* Frames the writer interleaves and writes at once. */
#define CHUNK 4096
#define WAKE_US (10 * G_TIME_SPAN_MILLISECOND)

struct _BuskerRecorder {
  char *target;
  char *temp;             /* NULL when the target is written in place */
  SNDFILE *file;

  uint32_t capacity, mask;
  float *ring[2];
  _Atomic uint64_t w;     /* audio -> writer */
  _Atomic uint64_t r;     /* writer -> audio */
  _Atomic uint64_t dropped;

  GThread *thread;
  GMutex lock;
  GCond wake;
  gboolean quit;          /* under lock */
  int write_error;        /* writer: the first sf error, 0 if none */
  float *interleaved;     /* writer: CHUNK frames */
};

static int
sf_format_for (const char *path)
{
  BuskerExportFormat format;

  if (!busker_export_format_from_path (path, &format))
    return 0;
  switch (format)
    {
    case BUSKER_EXPORT_WAV:
      return SF_FORMAT_WAV | SF_FORMAT_FLOAT;
    case BUSKER_EXPORT_FLAC:
      return SF_FORMAT_FLAC | SF_FORMAT_PCM_24;
    case BUSKER_EXPORT_OGG:
      return SF_FORMAT_OGG | SF_FORMAT_VORBIS;
    case BUSKER_EXPORT_AIFF:
      return SF_FORMAT_AIFF | SF_FORMAT_FLOAT;
    case BUSKER_EXPORT_MP3:
    case BUSKER_EXPORT_OPUS:
      break; /* export formats only: a recording stays lossless */
    }
  return 0;
}

/* Writes what the ring holds; returns the frames taken. */
static uint64_t
drain (BuskerRecorder *rec)
{
  uint64_t r = atomic_load_explicit (&rec->r, memory_order_relaxed);
  uint64_t w = atomic_load_explicit (&rec->w, memory_order_acquire);
  uint64_t taken = w - r;

  while (r < w)
    {
      uint32_t n = (uint32_t) MIN ((uint64_t) CHUNK, w - r);
      for (uint32_t i = 0; i < n; i++)
        {
          uint32_t at = (uint32_t) ((r + i) & rec->mask);
          rec->interleaved[2 * i] = rec->ring[0][at];
          rec->interleaved[2 * i + 1] = rec->ring[1][at];
        }
      if (rec->write_error == 0
          && sf_writef_float (rec->file, rec->interleaved, n) != (sf_count_t) n)
        rec->write_error = sf_error (rec->file) != 0 ? sf_error (rec->file) : SF_ERR_SYSTEM;
      r += n;
      atomic_store_explicit (&rec->r, r, memory_order_release);
    }
  return taken;
}

static gpointer
writer_main (gpointer data)
{
  BuskerRecorder *rec = data;

  g_mutex_lock (&rec->lock);
  while (!rec->quit)
    {
      g_mutex_unlock (&rec->lock);
      uint64_t taken = drain (rec);
      g_mutex_lock (&rec->lock);
      if (taken == 0 && !rec->quit)
        g_cond_wait_until (&rec->wake, &rec->lock, g_get_monotonic_time () + WAKE_US);
    }
  g_mutex_unlock (&rec->lock);
  drain (rec);
  return NULL;
}

BuskerRecorder *
busker_recorder_new (const char *path, uint32_t rate_hz, GError **error)
{
  g_return_val_if_fail (path != NULL && rate_hz > 0, NULL);

  SF_INFO info = { .samplerate = (int) rate_hz, .channels = 2, .format = sf_format_for (path) };
  if (info.format == 0)
    {
      g_set_error (error, BUSKER_ENGINE_ERROR, BUSKER_ENGINE_ERROR_FAILED,
                   "Cannot record to “%s”: the name must end in .wav, .flac, .ogg or .aiff",
                   path);
      return NULL;
    }

  char *temp = NULL;
  int fd = busker_file_target_open (path, &temp);
  if (fd < 0)
    {
      g_set_error (error, BUSKER_ENGINE_ERROR, BUSKER_ENGINE_ERROR_FAILED,
                   "Cannot record to “%s”: %s", path, g_strerror (errno));
      return NULL;
    }
  SNDFILE *file = sf_open_fd (fd, SFM_WRITE, &info, TRUE);
  if (file == NULL)
    {
      g_set_error (error, BUSKER_ENGINE_ERROR, BUSKER_ENGINE_ERROR_FAILED,
                   "Cannot record to “%s”: %s", path, sf_strerror (NULL));
      close (fd);
      if (temp != NULL)
        g_unlink (temp);
      g_free (temp);
      return NULL;
    }
  sf_command (file, SFC_SET_CLIPPING, NULL, SF_TRUE);

  BuskerRecorder *rec = g_new0 (BuskerRecorder, 1);
  rec->target = g_strdup (path);
  rec->temp = temp;
  rec->file = file;
  rec->capacity = 1;
  while (rec->capacity < 2 * rate_hz)
    rec->capacity <<= 1;
  rec->mask = rec->capacity - 1;
  for (int c = 0; c < 2; c++)
    rec->ring[c] = g_new0 (float, rec->capacity);
  rec->interleaved = g_new (float, 2 * CHUNK);
  atomic_init (&rec->w, 0);
  atomic_init (&rec->r, 0);
  atomic_init (&rec->dropped, 0);
  g_mutex_init (&rec->lock);
  g_cond_init (&rec->wake);
  rec->thread = g_thread_new ("busker-record", writer_main, rec);
  return rec;
}

void
busker_recorder_push (BuskerRecorder *rec, const float *left, const float *right, uint32_t n)
{
  uint64_t w = atomic_load_explicit (&rec->w, memory_order_relaxed);
  uint64_t r = atomic_load_explicit (&rec->r, memory_order_acquire);
  uint32_t m = (uint32_t) MIN ((uint64_t) n, rec->capacity - (w - r));
  uint32_t at = (uint32_t) (w & rec->mask);
  uint32_t first = MIN (m, rec->capacity - at);
  const float *src[2] = { left, right };

  for (int c = 0; c < 2; c++)
    {
      memcpy (rec->ring[c] + at, src[c], first * sizeof (float));
      memcpy (rec->ring[c], src[c] + first, (m - first) * sizeof (float));
    }
  atomic_store_explicit (&rec->w, w + m, memory_order_release);
  if (m < n)
    atomic_fetch_add_explicit (&rec->dropped, n - m, memory_order_relaxed);
}

bool
busker_recorder_finish (BuskerRecorder *rec, GError **error)
{
  g_return_val_if_fail (rec != NULL, false);

  g_mutex_lock (&rec->lock);
  rec->quit = TRUE;
  g_cond_signal (&rec->wake);
  g_mutex_unlock (&rec->lock);
  g_thread_join (rec->thread);

  uint64_t dropped = atomic_load (&rec->dropped);
  int close_error = sf_close (rec->file);
  bool ok = false;

  if (rec->write_error != 0 || close_error != 0)
    g_set_error (error, BUSKER_ENGINE_ERROR, BUSKER_ENGINE_ERROR_FAILED,
                 "Recording “%s” failed: %s; nothing was written", rec->target,
                 sf_error_number (rec->write_error != 0 ? rec->write_error : close_error));
  else if (dropped > 0)
    g_set_error (error, BUSKER_ENGINE_ERROR, BUSKER_ENGINE_ERROR_FAILED,
                 "Recording “%s” lost %" G_GUINT64_FORMAT " frames (the disk did not keep "
                 "up); nothing was written", rec->target, dropped);
  else if (rec->temp != NULL && !busker_file_target_commit (rec->temp, rec->target))
    g_set_error (error, BUSKER_ENGINE_ERROR, BUSKER_ENGINE_ERROR_FAILED,
                 "Recording “%s”: cannot move the finished file into place: %s",
                 rec->target, g_strerror (errno));
  else
    {
      ok = true;
      g_clear_pointer (&rec->temp, g_free);
    }

  if (rec->temp != NULL)
    g_unlink (rec->temp);
  g_free (rec->temp);
  g_free (rec->target);
  for (int c = 0; c < 2; c++)
    g_free (rec->ring[c]);
  g_free (rec->interleaved);
  g_mutex_clear (&rec->lock);
  g_cond_clear (&rec->wake);
  g_free (rec);
  return ok;
}
