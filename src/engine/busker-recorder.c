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
 * - The file keeps the rate it was made at. When the graph switches rate
 *   while recording, the audio thread notes the frame where the new rate
 *   starts (a mark: a small single-producer queue beside the ring) and
 *   the writer converts what was played at another rate with soxr (very
 *   high quality) before writing it: the file holds all that played, each
 *   part at its pitch and length.
 * - The file keeps time, too. When nothing plays, the graph stops running
 *   Busker's node and no cycles come; each push carries its cycle's time
 *   (the driver's CLOCK_MONOTONIC nanoseconds), and a push later than the
 *   previous one's end by more than GAP_NS notes a mark with that much
 *   silence, which the writer writes before the frames. So an hour's
 *   recording of a stream with pauses is an hour long: the silence from
 *   the start of the recording to the first cycle is in it, and so is the
 *   silence from the last cycle to finish.
 * - More than 64 marks between two drains of the writer (10 ms apart)
 *   count as dropped frames, which fails the recording.
 * - Formats from the extension: WAV and AIFF as 32-bit float, FLAC as
 *   24-bit PCM (FLAC has no float), Ogg as Vorbis, MP3 and Opus at
 *   libsndfile's default bit rates (Opus only at the rates it takes,
 *   8 to 48 kHz; anything else fails at start naming the file).
 */
#include "busker-recorder.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sndfile.h>
#include <soxr.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "busker-export.h"
#include "busker-file-target.h"
#include "busker-render.h"

/* Frames the writer interleaves and writes at once. */
#define CHUNK 4096
#define WAKE_US (10 * G_TIME_SPAN_MILLISECOND)
#define MAX_MARKS 64
/* Later than expected by this much, a cycle follows a pause of the graph;
 * a driver's cycles keep their times to microseconds. */
#define GAP_NS (10 * 1000000ull)

/* Frames from `frame` on were played at rate_hz, after `silence` frames
 * (at rate_hz) of nothing. */
typedef struct {
  uint64_t frame;
  uint32_t rate_hz;
  uint64_t silence;
} Mark;

struct _BuskerRecorder {
  char *target;
  char *temp;             /* NULL when the target is written in place */
  SNDFILE *file;
  uint32_t rate_hz;       /* the file's */

  uint32_t capacity, mask;
  float *ring[2];
  _Atomic uint64_t w;     /* audio -> writer */
  _Atomic uint64_t r;     /* writer -> audio */
  _Atomic uint64_t dropped;
  Mark marks[MAX_MARKS];
  _Atomic uint64_t marks_w; /* audio -> writer */
  _Atomic uint64_t marks_r; /* writer -> audio */
  uint32_t push_rate;     /* audio: the rate of the frames pushed last */
  uint64_t next_ns;       /* audio: when the next cycle is due, 0 if unknown */

  GThread *thread;
  GMutex lock;
  GCond wake;
  gboolean quit;          /* under lock */
  uint64_t finish_ns;     /* under lock: when finish was called */
  int write_error;        /* writer: the first sf error, 0 if none */
  float *interleaved;     /* writer: CHUNK frames */
  uint32_t in_rate;       /* writer: the rate of the frame at r */
  soxr_t soxr;            /* writer: in_rate -> rate_hz, NULL when they match */
  uint32_t soxr_in_rate;
  float *converted;       /* writer: soxr's output, CONVERTED frames */
  const char *convert_error; /* writer: soxr's, NULL if none */
};

/* soxr's output per call; it keeps what does not fit for the next. */
#define CONVERTED (2 * CHUNK)

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
      return SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
    case BUSKER_EXPORT_OPUS:
      return SF_FORMAT_OGG | SF_FORMAT_OPUS;
    }
  return 0;
}

/* Writer: n interleaved frames at the file's rate. */
static void
write_file (BuskerRecorder *rec, const float *frames, size_t n)
{
  if (n > 0 && rec->write_error == 0
      && sf_writef_float (rec->file, frames, (sf_count_t) n) != (sf_count_t) n)
    rec->write_error = sf_error (rec->file) != 0 ? sf_error (rec->file) : SF_ERR_SYSTEM;
}

/* Writer: n interleaved frames at rec->soxr's input rate; frames NULL
 * drains what soxr still holds. */
static void
convert (BuskerRecorder *rec, const float *frames, size_t n)
{
  for (;;)
    {
      size_t used = 0, made = 0;
      soxr_error_t err = soxr_process (rec->soxr, frames, n, &used, rec->converted,
                                       CONVERTED, &made);
      if (err != NULL)
        {
          rec->convert_error = rec->convert_error != NULL ? rec->convert_error : err;
          return;
        }
      write_file (rec, rec->converted, made);
      if (frames != NULL)
        {
          frames += 2 * used;
          n -= used;
          if (n == 0)
            return;
        }
      else if (made == 0)
        return;
    }
}

/* Writer: ends the conversion of the last other rate, if any. */
static void
end_conversion (BuskerRecorder *rec)
{
  if (rec->soxr == NULL)
    return;
  convert (rec, NULL, 0);
  g_clear_pointer (&rec->soxr, soxr_delete);
}

/* Writer: n interleaved frames at rec->in_rate. */
static void
write_frames (BuskerRecorder *rec, const float *frames, size_t n)
{
  if (rec->in_rate == rec->rate_hz)
    {
      end_conversion (rec);
      write_file (rec, frames, n);
      return;
    }
  if (rec->soxr != NULL && rec->soxr_in_rate != rec->in_rate)
    end_conversion (rec);
  if (rec->soxr == NULL)
    {
      soxr_error_t err = NULL;
      soxr_io_spec_t io = soxr_io_spec (SOXR_FLOAT32_I, SOXR_FLOAT32_I);
      soxr_quality_spec_t q = soxr_quality_spec (SOXR_VHQ, 0);
      rec->soxr = soxr_create (rec->in_rate, rec->rate_hz, 2, &err, &io, &q, NULL);
      rec->soxr_in_rate = rec->in_rate;
      if (rec->soxr == NULL)
        {
          rec->convert_error = rec->convert_error != NULL ? rec->convert_error : err;
          return;
        }
    }
  convert (rec, frames, n);
}

/* Writer: n frames of silence at rec->in_rate. */
static void
write_silence (BuskerRecorder *rec, uint64_t n)
{
  memset (rec->interleaved, 0, 2 * CHUNK * sizeof (float));
  for (; n > 0 && rec->write_error == 0 && rec->convert_error == NULL;)
    {
      uint32_t k = (uint32_t) MIN ((uint64_t) CHUNK, n);
      write_frames (rec, rec->interleaved, k);
      n -= k;
    }
}

/* Writes what the ring holds; returns the frames taken. */
static uint64_t
drain (BuskerRecorder *rec)
{
  uint64_t r = atomic_load_explicit (&rec->r, memory_order_relaxed);
  uint64_t w = atomic_load_explicit (&rec->w, memory_order_acquire);
  /* Loaded after w: every mark of a frame before w is there. */
  uint64_t marks_w = atomic_load_explicit (&rec->marks_w, memory_order_acquire);
  uint64_t mark = atomic_load_explicit (&rec->marks_r, memory_order_relaxed);
  uint64_t taken = w - r;

  while (r < w)
    {
      for (; mark < marks_w && rec->marks[mark % MAX_MARKS].frame <= r; mark++)
        {
          rec->in_rate = rec->marks[mark % MAX_MARKS].rate_hz;
          write_silence (rec, rec->marks[mark % MAX_MARKS].silence);
          atomic_store_explicit (&rec->marks_r, mark + 1, memory_order_release);
        }
      uint64_t end = mark < marks_w ? MIN (w, rec->marks[mark % MAX_MARKS].frame) : w;
      uint32_t n = (uint32_t) MIN ((uint64_t) CHUNK, end - r);
      for (uint32_t i = 0; i < n; i++)
        {
          uint32_t at = (uint32_t) ((r + i) & rec->mask);
          rec->interleaved[2 * i] = rec->ring[0][at];
          rec->interleaved[2 * i + 1] = rec->ring[1][at];
        }
      write_frames (rec, rec->interleaved, n);
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
  /* The audio side pushes no more (finish's contract): its clock is ours. */
  if (rec->next_ns != 0 && rec->finish_ns > rec->next_ns + GAP_NS)
    write_silence (rec, (rec->finish_ns - rec->next_ns) / 1000 * rec->push_rate / 1000000u);
  end_conversion (rec);
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
                   "Cannot record to “%s”: the name must end in .wav, .flac, .ogg, "
                   ".aiff, .mp3 or .opus",
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
  rec->rate_hz = rec->push_rate = rec->in_rate = rate_hz;
  rec->next_ns = (uint64_t) g_get_monotonic_time () * 1000; /* CLOCK_MONOTONIC */
  rec->capacity = 1;
  while (rec->capacity < 2 * rate_hz)
    rec->capacity <<= 1;
  rec->mask = rec->capacity - 1;
  for (int c = 0; c < 2; c++)
    rec->ring[c] = g_new0 (float, rec->capacity);
  rec->interleaved = g_new (float, 2 * CHUNK);
  rec->converted = g_new (float, 2 * CONVERTED);
  atomic_init (&rec->w, 0);
  atomic_init (&rec->r, 0);
  atomic_init (&rec->dropped, 0);
  g_mutex_init (&rec->lock);
  g_cond_init (&rec->wake);
  rec->thread = g_thread_new ("busker-record", writer_main, rec);
  return rec;
}

void
busker_recorder_push (BuskerRecorder *rec, const float *left, const float *right, uint32_t n,
                      uint32_t rate_hz, uint64_t time_ns)
{
  uint64_t w = atomic_load_explicit (&rec->w, memory_order_relaxed);
  uint64_t r = atomic_load_explicit (&rec->r, memory_order_acquire);
  uint64_t silence = 0;

  if (time_ns != 0 && rec->next_ns != 0 && time_ns > rec->next_ns + GAP_NS)
    silence = (time_ns - rec->next_ns) / 1000 * rate_hz / 1000000u; /* via us: no overflow */
  if (rate_hz != rec->push_rate || silence > 0)
    {
      uint64_t mw = atomic_load_explicit (&rec->marks_w, memory_order_relaxed);
      if (mw - atomic_load_explicit (&rec->marks_r, memory_order_acquire) == MAX_MARKS)
        {
          atomic_fetch_add_explicit (&rec->dropped, n, memory_order_relaxed);
          return; /* no room to say at which rate: tried again next time */
        }
      rec->marks[mw % MAX_MARKS] = (Mark) { w, rate_hz, silence };
      atomic_store_explicit (&rec->marks_w, mw + 1, memory_order_release);
      rec->push_rate = rate_hz;
    }
  rec->next_ns = time_ns != 0 ? time_ns + (uint64_t) n * 1000000000u / rate_hz : 0;
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
  rec->finish_ns = (uint64_t) g_get_monotonic_time () * 1000;
  rec->quit = TRUE;
  g_cond_signal (&rec->wake);
  g_mutex_unlock (&rec->lock);
  g_thread_join (rec->thread);

  uint64_t dropped = atomic_load (&rec->dropped);
  int close_error = sf_close (rec->file);
  bool ok = false;

  if (rec->convert_error != NULL)
    g_set_error (error, BUSKER_ENGINE_ERROR, BUSKER_ENGINE_ERROR_FAILED,
                 "Recording “%s” failed: cannot convert what played at another rate (%s); "
                 "nothing was written", rec->target, rec->convert_error);
  else if (rec->write_error != 0 || close_error != 0)
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
  g_free (rec->converted);
  g_mutex_clear (&rec->lock);
  g_cond_clear (&rec->wake);
  g_free (rec);
  return ok;
}
