/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The transport's disk thread: reads every stream into its ring, follows
 * seeks, wraps at the loop, notices damaged files. The protocol is
 * described at the top of busker-transport.c.
 */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "busker-transport-private.h"

static void
disk_missing (BuskerTransport *t, BuskerTransportStream *s, const char *reason)
{
  if (atomic_load (&s->missing))
    return;
  busker_transport_set_missing (t, s, reason);
  g_clear_pointer (&s->reader, busker_source_reader_free);
}

static void
disk_read_error (BuskerTransport *t, BuskerTransportStream *s, GError *error)
{
  disk_missing (t, s, error->message);
  g_error_free (error);
}

/* Reads n project frames from frame into ring slots from index. */
static void
disk_read (BuskerTransport *t, BuskerTransportStream *s, int64_t frame, uint64_t index, uint32_t n)
{
  GError *error = NULL;

  if (s->reader == NULL)
    return;
  if (s->reader_frame != frame && !busker_source_reader_seek (s->reader, frame, &error))
    {
      disk_read_error (t, s, error);
      return;
    }
  s->reader_frame = frame;
  if (!busker_source_reader_read (s->reader, t->scratch[0], t->scratch[1], n, &error))
    {
      disk_read_error (t, s, error);
      return;
    }
  s->reader_frame += n;

  uint32_t at = (uint32_t) (index & t->mask);
  uint32_t first = MIN (n, t->capacity - at);
  for (int c = 0; c < 2; c++)
    {
      memcpy (s->ring[c] + at, t->scratch[c], first * sizeof (float));
      memcpy (s->ring[c], t->scratch[c] + first, (n - first) * sizeof (float));
    }
}

/* A stream that joins while an epoch runs: fill the slots the audio
 * thread has not played yet, run by run of consecutive project frames. */
static void
disk_catch_up (BuskerTransport *t, BuskerTransportStream *s)
{
  uint64_t r0 = atomic_load_explicit (&t->r, memory_order_acquire);
  uint64_t w = atomic_load_explicit (&t->w, memory_order_relaxed);

  for (uint64_t i = r0; i < w;)
    {
      int64_t f = t->frame_at[i & t->mask];
      uint32_t run = 1;
      while (i + run < w && run < TRANSPORT_CHUNK && t->frame_at[(i + run) & t->mask] == f + run)
        run++;
      disk_read (t, s, f, i, run);
      i += run;
    }
  atomic_store_explicit (&s->valid_from, r0, memory_order_release);
}

static void
disk_apply (BuskerTransport *t, BuskerTransportOp *op)
{
  BuskerTransportStream *s = op->stream;

  switch (op->kind)
    {
    case OP_ADD:
      g_ptr_array_add (t->streams, s);
      s->reader_frame = -1;
      /* While a seek is under way the epoch start fills it with the rest. */
      if (t->disk_epoch == atomic_load (&t->req_seq) && s->ring[0] != NULL)
        disk_catch_up (t, s);
      break;
    case OP_DROP:
      g_ptr_array_remove_fast (t->streams, s);
      busker_transport_stream_free (s);
      break;
    case OP_SET_READER:
      busker_source_reader_free (s->reader);
      s->reader = op->reader;
      s->reader_frame = -1;
      break;
    }
}

static void
disk_start_epoch (BuskerTransport *t, uint32_t seq)
{
  int64_t length = atomic_load (&t->length);
  int64_t frame = CLAMP (atomic_load (&t->req_frame), 0, MAX (length, 0));
  uint64_t w = atomic_load_explicit (&t->w, memory_order_relaxed);

  t->disk_epoch = seq;
  t->next_frame = frame;
  t->ended = false;
  t->ready_sent = false;
  t->epoch_filled = 0;
  atomic_store (&t->end_index, UINT64_MAX);
  for (guint i = 0; i < t->streams->len; i++)
    {
      BuskerTransportStream *s = g_ptr_array_index (t->streams, i);
      if (atomic_load (&s->valid_from) > w)
        atomic_store_explicit (&s->valid_from, w, memory_order_release);
    }
  atomic_store_explicit (&t->epoch_frame, frame, memory_order_release);
}

/* One step of at most TRANSPORT_CHUNK frames into every ring; FALSE when there is
 * nothing to write (the end without loop, or no room). */
static bool
disk_produce (BuskerTransport *t)
{
  uint64_t w = atomic_load_explicit (&t->w, memory_order_relaxed);
  uint64_t r = atomic_load_explicit (&t->r, memory_order_acquire);
  uint64_t room = t->capacity - (w - r);
  int64_t length = atomic_load (&t->length);

  bool loop = atomic_load (&t->loop) && length > 0;

  if (t->ended && (t->next_frame < length || loop))
    {
      /* A bind made the project longer, or loop came on. */
      t->ended = false;
      atomic_store (&t->end_index, UINT64_MAX);
    }
  if (t->next_frame >= length)
    {
      if (loop)
        t->next_frame = 0;
      else
        {
          if (!t->ended)
            {
              t->ended = true;
              atomic_store_explicit (&t->end_index, w, memory_order_release);
            }
          return false;
        }
    }
  if (room == 0)
    return false;

  uint32_t n = (uint32_t) MIN (MIN ((uint64_t) TRANSPORT_CHUNK, room),
                               (uint64_t) (length - t->next_frame));
  for (guint i = 0; i < t->streams->len; i++)
    {
      BuskerTransportStream *s = g_ptr_array_index (t->streams, i);
      if (s->ring[0] != NULL)
        disk_read (t, s, t->next_frame, w, n);
    }
  for (uint32_t i = 0; i < n; i++)
    t->frame_at[(w + i) & t->mask] = t->next_frame + i;
  t->next_frame += n;
  t->epoch_filled += n;
  if (t->next_frame >= length && !loop)
    {
      /* Published with the last frames, so the audio thread never takes
       * the end for an under-run. */
      t->ended = true;
      atomic_store_explicit (&t->end_index, w + n, memory_order_release);
    }
  atomic_store_explicit (&t->w, w + n, memory_order_release);
  return true;
}

static void
disk_check_files (BuskerTransport *t, gint64 now)
{
  for (guint i = 0; i < t->streams->len; i++)
    {
      BuskerTransportStream *s = g_ptr_array_index (t->streams, i);
      GStatBuf st;

      if (s->reader == NULL || now < s->next_check_us)
        continue;
      s->next_check_us = now + TRANSPORT_MISSING_CHECK_US;
      if (g_stat (s->path, &st) != 0 || (guint64) st.st_ino != s->inode
          || (goffset) st.st_size < s->size)
        {
          g_autofree char *what = g_strdup_printf (
            "Audio file “%s”: the file was deleted, replaced or truncated while playing; "
            "relink or remove the track", s->path);
          disk_missing (t, s, what);
        }
    }
}

gpointer
busker_transport_disk_main (gpointer data)
{
  BuskerTransport *t = data;
  const uint32_t prefill = t->prefill;

  g_mutex_lock (&t->lock);
  while (!t->quit)
    {
      GQueue ops = t->ops;
      g_queue_init (&t->ops);
      guint n_ops = ops.length;
      g_mutex_unlock (&t->lock);

      for (BuskerTransportOp *op; (op = g_queue_pop_head (&ops)) != NULL; g_free (op))
        disk_apply (t, op);

      uint32_t seq = atomic_load_explicit (&t->req_seq, memory_order_acquire);
      bool busy = false;
      if (seq != t->disk_epoch)
        {
          atomic_store_explicit (&t->halt_seq, seq, memory_order_release);
          if (atomic_load_explicit (&t->ack_seq, memory_order_acquire) == seq)
            disk_start_epoch (t, seq);
        }
      if (seq == t->disk_epoch)
        {
          /* Produce while there is room, but look up between steps. */
          for (int step = 0; step < 16 && disk_produce (t); step++)
            {
              busy = true;
              if (!t->ready_sent && t->epoch_filled >= prefill)
                break;
            }
          if (!t->ready_sent && (t->epoch_filled >= prefill || t->ended || !busy))
            {
              t->ready_sent = true;
              atomic_store_explicit (&t->ready_seq, seq, memory_order_release);
            }
        }

      gint64 now = g_get_monotonic_time ();
      disk_check_files (t, now);

      struct timespec ts;
      clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
      atomic_store (&t->disk_cpu_ns, (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec);

      g_mutex_lock (&t->lock);
      t->ops_done += n_ops;
      g_cond_broadcast (&t->done);
      if (busy || t->quit || t->ops.length > 0)
        continue;
      /* Short naps only while an audio thread runs: without one (no
       * daemon, a suspended graph) nothing is consumed or acknowledged. */
      uint32_t cycles = atomic_load_explicit (&t->cycles, memory_order_relaxed);
      if (cycles != t->seen_cycles)
        t->audio_seen_us = now;
      t->seen_cycles = cycles;
      bool audio_runs = now - t->audio_seen_us < TRANSPORT_AUDIO_GONE_US;
      gint64 wait = TRANSPORT_WAIT_IDLE_US;
      if (audio_runs && seq != t->disk_epoch)
        wait = TRANSPORT_WAIT_SEEK_US;
      else if (audio_runs && atomic_load (&t->want_play))
        wait = TRANSPORT_WAIT_PLAYING_US;
      g_cond_wait_until (&t->wake, &t->lock, now + wait);
    }
  g_mutex_unlock (&t->lock);
  return NULL;
}

