/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The transport (busker-transport.h): file tracks played live.
 *
 * Threads
 * - main: new/free, bind, set_rate and the play/pause/stop/seek/loop
 *   requests. It owns the strip id -> stream table and opens the readers.
 * - disk (one GThread, "busker-disk"): owns the readers once a stream is
 *   handed over, reads every stream's source (busker-source-reader: file
 *   formats, offset, soxr) into its ring, follows seek requests, wraps at
 *   the project end when looping, and notices files deleted or truncated
 *   under it. It sleeps on a GCond with a short timeout (1 ms during a
 *   seek, 5 ms while playing, 250 ms otherwise or when no audio thread
 *   calls fill); the main thread signals it, the audio thread never does:
 *   the timeout is what notices the space the audio freed.
 * - audio (busker_transport_fill, RT-safe): copies from the rings into the
 *   plan's track inputs; no lock, allocation, log or I/O.
 *
 * The rings
 * - One ring per stream (planar stereo, `capacity` frames each, a power of
 *   two near one second), allocated on the main thread when the stream is
 *   created. All rings share ONE pair of indices: the disk thread writes
 *   the same frames into every stream's ring and then publishes `w` once
 *   (release); the audio thread reads the same slots of every ring and
 *   publishes `r` once. Both are frame counters that only grow (64 bits, no
 *   wrap); the slot is counter & mask. So all tracks stay sample-locked to
 *   one another by construction. A parallel `frame_at` array tells which
 *   project frame each slot holds (a loop wrap is just a jump in it), from
 *   which the audio thread publishes the position.
 * - A stream added while playing (bind) is caught up by the disk thread
 *   over the slots already published and gets `valid_from` = the read
 *   index at that moment; before that the audio thread plays it silent.
 *   bind waits (bounded) for that, so normally a new track plays at once.
 *
 * Seek protocol (stop, seek, a rate change, toggling loop near the end)
 * - main: req_frame, then req_seq + 1 (release).
 * - audio: sees req_seq != its epoch, fades out over 5 ms (still
 *   consuming), then waits silent.
 * - disk: sees req_seq, stops producing, publishes halt_seq = s (after its
 *   last w of the old epoch).
 * - audio (faded out, halt_seq == s): drops everything published (r = w),
 *   publishes ack_seq = s; it will not read a ring until ready.
 * - disk (ack_seq == s): the rings are empty and it is their only user;
 *   seeks every reader to req_frame, fills an eighth of the ring (~170
 *   ms; two blocks at least), publishes ready_seq = s.
 * - audio (ready_seq == s): epoch = s, fades in if playing.
 *   So no sample of before the seek is ever heard after it, and every
 *   start and stop of sound is a 5 ms linear fade. A later request
 *   simply supersedes an unfinished one.
 *
 * Binding: the strip -> stream table the audio thread reads lives in the
 * plan itself (BuskerPlan.binding, freed with the plan). A plan is freed on
 * the main thread only after the audio thread let go of it (plan swap), so
 * the table and the streams it references (reference-counted by tables
 * and bindings, main thread only) can never vanish under the audio thread.
 * A stream whose last reference goes is handed back to the disk thread,
 * which removes it from its list and frees it. An atomic pointer of its own
 * would need a second hand-over protocol in step with the plan's; riding
 * on the plan's lifetime needs none.
 *
 * Decisions
 * - Playing from the project's first frame starts without a fade: from
 *   the top, live is sample for sample what export renders (which starts
 *   the same way); anywhere else play fades in.
 * - The position is the frame the audio thread plays next, published
 *   after every cycle; while a seek is under way it reads as the target.
 * - At the project end without loop the transport stops by itself
 *   (is_at_end); play then starts again from the beginning.
 * - A deleted or truncated file (checked every 250 ms: gone, another
 *   inode, or smaller) or a read error marks the stream missing; the
 *   audio thread fades that track out in 5 ms and plays it silent until
 *   it is bound again. The other tracks play on.
 * - An under-run plays silence for the rest of the cycle and is counted;
 *   the position does not jump, so the tracks stay together, and the
 *   sound comes back with a fade-in.
 * - Toggling loop within a ring's length of the end re-seeks to the
 *   current position (a 10 ms dip) so the read-ahead follows the new rule.
 */
#include "busker-transport.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "busker-plan-private.h"
#include "busker-process.h"
#include "busker-render.h"
#include "busker-source-reader.h"

/* Frames the disk thread reads per stream and step. */
#define CHUNK 1024
#define FADE_S 0.005
#define MISSING_CHECK_US (250 * G_TIME_SPAN_MILLISECOND)
#define WAIT_PLAYING_US (5 * G_TIME_SPAN_MILLISECOND)
#define WAIT_IDLE_US (250 * G_TIME_SPAN_MILLISECOND)
#define WAIT_SEEK_US G_TIME_SPAN_MILLISECOND /* for the audio side's hand-shake */
/* No fill for this long: no audio thread runs (no daemon, graph idle). */
#define AUDIO_GONE_US (500 * G_TIME_SPAN_MILLISECOND)
/* How long bind waits for new streams to be filled. */
#define BIND_WAIT_US (250 * G_TIME_SPAN_MILLISECOND)
#define NONE UINT32_MAX

typedef struct _Stream Stream;

struct _Stream {
  /* main */
  char *id;
  char *path;
  double offset_s;
  int64_t end;                 /* project frame past the source's end */
  bool mono;                   /* a one-channel file */
  int refs;
  BuskerTransport *transport;  /* NULL once the transport is gone */

  /* disk (the main thread's until handed over) */
  BuskerSourceReader *reader;
  int64_t reader_frame;        /* where the reader stands */
  guint64 inode;
  goffset size;
  gint64 next_check_us;

  /* shared */
  float *ring[2];              /* NULL when the source could not be opened */
  _Atomic bool missing;
  _Atomic uint64_t valid_from; /* first ring index holding this stream's audio */
  char *missing_reason;        /* under the transport's lock */

  /* audio */
  uint32_t fade_k;             /* missing fade-out, fade_frames down to 0 */
};

typedef struct {
  uint32_t strip;
  Stream *stream; /* NULL: a track with no file, fed silence */
} BindingEntry;

typedef struct {
  BuskerTransport *transport;
  BindingEntry *entries;
  uint32_t n;
} Binding;

typedef enum { OP_ADD, OP_DROP, OP_SET_READER } OpKind;

typedef struct {
  OpKind kind;
  Stream *stream;
  BuskerSourceReader *reader; /* SET_READER */
} Op;

struct _BuskerTransport {
  /* main */
  uint32_t rate_hz;
  uint32_t max_block;
  GHashTable *table;           /* strip id -> Stream (a reference) */
  GPtrArray *all;              /* every live stream, for set_rate and free */
  uint32_t main_seq;
  bool loop_main;

  uint32_t capacity, mask;
  uint32_t prefill;            /* frames read after a seek before it sounds */
  int64_t *frame_at;

  /* main <-> disk */
  GMutex lock;
  GCond wake;                  /* main -> disk */
  GCond done;                  /* disk -> main */
  GQueue ops;
  guint64 ops_posted, ops_done;
  gboolean quit;
  GThread *thread;

  /* requests, main -> disk and audio */
  _Atomic int64_t req_frame;
  _Atomic uint32_t req_seq;
  _Atomic bool want_play;
  _Atomic bool loop;
  _Atomic int64_t length;
  _Atomic uint32_t fade_frames;

  /* the ring indices and the seek hand-shake */
  _Atomic uint64_t w;          /* disk -> audio */
  _Atomic uint64_t r;          /* audio -> disk */
  _Atomic uint64_t end_index;  /* disk: w at the project end, or UINT64_MAX */
  _Atomic uint32_t halt_seq;   /* disk */
  _Atomic uint32_t ack_seq;    /* audio */
  _Atomic uint32_t ready_seq;  /* disk */
  _Atomic int64_t epoch_frame; /* disk: where the ready epoch starts */

  /* audio -> main */
  _Atomic uint32_t audio_epoch;
  _Atomic int64_t audio_pos;
  _Atomic bool at_end;
  _Atomic uint32_t underruns;
  _Atomic uint32_t cycles;     /* fill calls: whether an audio thread runs */

  /* disk */
  GPtrArray *streams;
  uint32_t disk_epoch;
  int64_t next_frame;
  bool ended;
  bool ready_sent;
  uint64_t epoch_filled;
  float *scratch[2];
  uint32_t seen_cycles;
  gint64 audio_seen_us;        /* when fill was last seen running */
  _Atomic uint64_t disk_cpu_ns;

  /* audio */
  struct {
    uint32_t epoch, acked;
    uint64_t r;
    uint32_t k;                /* fade gain in steps of 1/fade_frames */
    bool at_end;
  } rt;
};

/* ---- streams (main thread) ---- */

static void
stream_free (Stream *s)
{
  busker_source_reader_free (s->reader);
  g_free (s->ring[0]);
  g_free (s->ring[1]);
  g_free (s->missing_reason);
  g_free (s->id);
  g_free (s->path);
  g_free (s);
}

static void
post_op (BuskerTransport *t, Op op)
{
  g_mutex_lock (&t->lock);
  g_queue_push_tail (&t->ops, g_memdup2 (&op, sizeof op));
  t->ops_posted++;
  g_cond_signal (&t->wake);
  g_mutex_unlock (&t->lock);
}

static Stream *
stream_ref (Stream *s)
{
  s->refs++;
  return s;
}

static void
stream_unref (Stream *s)
{
  if (--s->refs > 0)
    return;
  if (s->transport == NULL)
    {
      stream_free (s);
      return;
    }
  g_ptr_array_remove_fast (s->transport->all, s);
  post_op (s->transport, (Op) { .kind = OP_DROP, .stream = s });
}

static void
set_missing (BuskerTransport *t, Stream *s, const char *reason)
{
  g_mutex_lock (&t->lock);
  if (s->missing_reason == NULL)
    s->missing_reason = g_strdup (reason);
  g_mutex_unlock (&t->lock);
  atomic_store_explicit (&s->missing, true, memory_order_release);
}

static void
remember_file (Stream *s)
{
  GStatBuf st;
  if (g_stat (s->path, &st) == 0)
    {
      s->inode = (guint64) st.st_ino;
      s->size = (goffset) st.st_size;
    }
}

static Stream *
stream_new (BuskerTransport *t, const BuskerStripDesc *desc)
{
  Stream *s = g_new0 (Stream, 1);
  g_autoptr (GError) error = NULL;

  s->id = g_strdup (desc->id);
  s->path = g_strdup (desc->source_path);
  s->offset_s = desc->source_offset_s;
  s->refs = 1; /* the caller's */
  s->transport = t;
  s->fade_k = atomic_load (&t->fade_frames);
  atomic_init (&s->missing, false);
  atomic_init (&s->valid_from, UINT64_MAX);
  g_ptr_array_add (t->all, s);

  if (s->path == NULL)
    {
      g_autofree char *what = g_strdup_printf ("Track “%s” has a file source without a path",
                                               desc->name ? desc->name : desc->id);
      set_missing (t, s, what);
      s->fade_k = 0;
      return s;
    }
  s->reader = busker_source_reader_new (s->path, s->offset_s, t->rate_hz, CHUNK, &error);
  if (s->reader == NULL)
    {
      set_missing (t, s, error->message);
      s->fade_k = 0;
      return s;
    }
  remember_file (s);
  s->end = busker_source_reader_get_end (s->reader);
  s->mono = busker_source_reader_get_channels (s->reader) == 1;
  for (int c = 0; c < 2; c++)
    s->ring[c] = g_new0 (float, t->capacity);
  return s;
}

static void
binding_free (void *data)
{
  Binding *b = data;
  for (uint32_t i = 0; i < b->n; i++)
    if (b->entries[i].stream != NULL)
      stream_unref (b->entries[i].stream);
  g_free (b->entries);
  g_free (b);
}

/* ---- disk thread ---- */

static void
disk_missing (BuskerTransport *t, Stream *s, const char *reason)
{
  if (atomic_load (&s->missing))
    return;
  set_missing (t, s, reason);
  g_clear_pointer (&s->reader, busker_source_reader_free);
}

static void
disk_read_error (BuskerTransport *t, Stream *s, GError *error)
{
  disk_missing (t, s, error->message);
  g_error_free (error);
}

/* Reads n project frames from frame into ring slots from index. */
static void
disk_read (BuskerTransport *t, Stream *s, int64_t frame, uint64_t index, uint32_t n)
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
disk_catch_up (BuskerTransport *t, Stream *s)
{
  uint64_t r0 = atomic_load_explicit (&t->r, memory_order_acquire);
  uint64_t w = atomic_load_explicit (&t->w, memory_order_relaxed);

  for (uint64_t i = r0; i < w;)
    {
      int64_t f = t->frame_at[i & t->mask];
      uint32_t run = 1;
      while (i + run < w && run < CHUNK && t->frame_at[(i + run) & t->mask] == f + run)
        run++;
      disk_read (t, s, f, i, run);
      i += run;
    }
  atomic_store_explicit (&s->valid_from, r0, memory_order_release);
}

static void
disk_apply (BuskerTransport *t, Op *op)
{
  Stream *s = op->stream;

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
      stream_free (s);
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
      Stream *s = g_ptr_array_index (t->streams, i);
      if (atomic_load (&s->valid_from) > w)
        atomic_store_explicit (&s->valid_from, w, memory_order_release);
    }
  atomic_store_explicit (&t->epoch_frame, frame, memory_order_release);
}

/* One step of at most CHUNK frames into every ring; FALSE when there is
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

  uint32_t n = (uint32_t) MIN (MIN ((uint64_t) CHUNK, room), (uint64_t) (length - t->next_frame));
  for (guint i = 0; i < t->streams->len; i++)
    {
      Stream *s = g_ptr_array_index (t->streams, i);
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
      Stream *s = g_ptr_array_index (t->streams, i);
      GStatBuf st;

      if (s->reader == NULL || now < s->next_check_us)
        continue;
      s->next_check_us = now + MISSING_CHECK_US;
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

static gpointer
disk_main (gpointer data)
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

      for (Op *op; (op = g_queue_pop_head (&ops)) != NULL; g_free (op))
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
      bool audio_runs = now - t->audio_seen_us < AUDIO_GONE_US;
      gint64 wait = WAIT_IDLE_US;
      if (audio_runs && seq != t->disk_epoch)
        wait = WAIT_SEEK_US;
      else if (audio_runs && atomic_load (&t->want_play))
        wait = WAIT_PLAYING_US;
      g_cond_wait_until (&t->wake, &t->lock, now + wait);
    }
  g_mutex_unlock (&t->lock);
  return NULL;
}

/* ---- main thread ---- */

static uint32_t
fade_frames_for (uint32_t rate_hz)
{
  return MAX (1u, (uint32_t) lround (rate_hz * FADE_S));
}

BuskerTransport *
busker_transport_new (uint32_t rate_hz, uint32_t max_block)
{
  g_return_val_if_fail (rate_hz > 0 && max_block > 0, NULL);

  BuskerTransport *t = g_new0 (BuskerTransport, 1);
  t->rate_hz = rate_hz;
  t->max_block = max_block;
  t->table = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                    (GDestroyNotify) stream_unref);
  t->all = g_ptr_array_new ();
  /* About a second of read-ahead, and room for several blocks. */
  uint32_t want = MAX (MAX (rate_hz, 4 * max_block), 8 * CHUNK);
  t->capacity = 1;
  while (t->capacity < want)
    t->capacity <<= 1;
  t->mask = t->capacity - 1;
  /* An eighth of the ring (~170 ms) so a seek sounds soon, but two of the
   * largest blocks at least. */
  t->prefill = MIN (t->capacity / 2, MAX (t->capacity / 8, 2 * max_block));
  t->frame_at = g_new0 (int64_t, t->capacity);

  g_mutex_init (&t->lock);
  g_cond_init (&t->wake);
  g_cond_init (&t->done);
  g_queue_init (&t->ops);
  atomic_init (&t->req_frame, 0);
  atomic_init (&t->req_seq, 0);
  atomic_init (&t->want_play, false);
  atomic_init (&t->loop, false);
  atomic_init (&t->length, 0);
  atomic_init (&t->fade_frames, fade_frames_for (rate_hz));
  atomic_init (&t->w, 0);
  atomic_init (&t->r, 0);
  atomic_init (&t->end_index, UINT64_MAX);
  atomic_init (&t->halt_seq, 0);
  atomic_init (&t->ack_seq, 0);
  atomic_init (&t->ready_seq, NONE);
  atomic_init (&t->epoch_frame, 0);
  atomic_init (&t->audio_epoch, NONE);
  atomic_init (&t->audio_pos, 0);
  atomic_init (&t->at_end, false);
  atomic_init (&t->underruns, 0);
  atomic_init (&t->cycles, 0);
  atomic_init (&t->disk_cpu_ns, 0);

  /* Epoch 0 starts at frame 0 and is acknowledged from the start: the
   * audio side has nothing to drop yet. */
  t->rt.epoch = NONE;
  t->rt.acked = 0;
  t->streams = g_ptr_array_new ();
  for (int c = 0; c < 2; c++)
    t->scratch[c] = g_new0 (float, CHUNK);
  t->disk_epoch = 0;
  t->thread = g_thread_new ("busker-disk", disk_main, t);
  return t;
}

void
busker_transport_free (BuskerTransport *t)
{
  if (t == NULL)
    return;

  g_mutex_lock (&t->lock);
  t->quit = TRUE;
  g_cond_signal (&t->wake);
  g_mutex_unlock (&t->lock);
  g_thread_join (t->thread);

  /* Streams dropped but never collected by the disk thread. */
  for (Op *op; (op = g_queue_pop_head (&t->ops)) != NULL; g_free (op))
    if (op->kind == OP_DROP)
      {
        g_ptr_array_remove_fast (t->streams, op->stream);
        stream_free (op->stream);
      }
    else if (op->kind == OP_SET_READER)
      {
        busker_source_reader_free (op->stream->reader);
        op->stream->reader = op->reader;
      }

  /* Streams still referenced by plans outlive the transport; they are
   * freed with the last plan. */
  for (guint i = 0; i < t->all->len; i++)
    ((Stream *) g_ptr_array_index (t->all, i))->transport = NULL;
  g_hash_table_destroy (t->table);

  g_ptr_array_free (t->all, TRUE);
  g_ptr_array_free (t->streams, TRUE);
  for (int c = 0; c < 2; c++)
    g_free (t->scratch[c]);
  g_free (t->frame_at);
  g_mutex_clear (&t->lock);
  g_cond_clear (&t->wake);
  g_cond_clear (&t->done);
  g_free (t);
}

static void
post_seek (BuskerTransport *t, int64_t frame)
{
  g_mutex_lock (&t->lock);
  atomic_store (&t->req_frame, frame);
  t->main_seq++;
  if (t->main_seq == NONE)
    t->main_seq = 1;
  atomic_store_explicit (&t->req_seq, t->main_seq, memory_order_release);
  g_cond_signal (&t->wake);
  g_mutex_unlock (&t->lock);
}

static void
update_length (BuskerTransport *t)
{
  GHashTableIter it;
  gpointer value;
  int64_t length = 0;

  g_hash_table_iter_init (&it, t->table);
  while (g_hash_table_iter_next (&it, NULL, &value))
    length = MAX (length, ((Stream *) value)->end);
  atomic_store (&t->length, length);
}

/* Waits (bounded) until the disk thread took every posted op and has a
 * eighth of a ring in hand or reached the end. */
static void
wait_disk (BuskerTransport *t)
{
  gint64 deadline = g_get_monotonic_time () + BIND_WAIT_US;

  g_mutex_lock (&t->lock);
  g_cond_signal (&t->wake);
  while (t->ops_done < t->ops_posted
         || (busker_transport_get_buffered_frames (t) < t->prefill
             && atomic_load (&t->end_index) == UINT64_MAX
             && atomic_load (&t->ready_seq) == atomic_load (&t->req_seq)))
    if (!g_cond_wait_until (&t->done, &t->lock, deadline))
      break;
  g_mutex_unlock (&t->lock);
}

static bool
same_source (const Stream *s, const BuskerStripDesc *d)
{
  return g_strcmp0 (s->path, d->source_path) == 0 && s->offset_s == d->source_offset_s
         && !atomic_load (&s->missing);
}

void
busker_transport_bind (BuskerTransport *t, const BuskerMixDesc *desc, BuskerPlan *plan)
{
  g_return_if_fail (t != NULL && desc != NULL && plan != NULL);
  g_return_if_fail (plan->binding == NULL);
  g_return_if_fail (desc->n_strips == plan->n_strips);

  GHashTable *next = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) stream_unref);
  Binding *b = g_new0 (Binding, 1);
  b->transport = t;
  b->entries = g_new0 (BindingEntry, MAX (desc->n_strips, 1));

  for (uint32_t i = 0; i < desc->n_strips; i++)
    {
      const BuskerStripDesc *d = &desc->strips[i];
      if (d->kind != BUSKER_STRIP_TRACK
          || d->source == BUSKER_SOURCE_LIVE || d->source == BUSKER_SOURCE_CAPTURE)
        continue;
      /* A track with nothing to play still gets silence every cycle: its
       * input buffer would otherwise hold its own last output. */
      if (d->source != BUSKER_SOURCE_FILE || d->id == NULL)
        {
          b->entries[b->n++] = (BindingEntry) { i, NULL };
          continue;
        }

      Stream *s = g_hash_table_lookup (next, d->id); /* a repeated id shares */
      if (s != NULL)
        {
          b->entries[b->n++] = (BindingEntry) { i, stream_ref (s) };
          continue;
        }
      s = g_hash_table_lookup (t->table, d->id);
      if (s != NULL && same_source (s, d))
        stream_ref (s);
      else
        {
          s = stream_new (t, d);
          post_op (t, (Op) { .kind = OP_ADD, .stream = s });
        }
      g_hash_table_insert (next, s->id, s);
      b->entries[b->n++] = (BindingEntry) { i, stream_ref (s) };
      busker_plan_set_strip_mono_source (plan, i, s->mono);
    }

  g_hash_table_destroy (t->table);
  t->table = next;
  update_length (t);
  plan->binding = b;
  plan->binding_free = binding_free;
  wait_disk (t);
}

void
busker_transport_set_rate (BuskerTransport *t, uint32_t rate_hz)
{
  g_return_if_fail (t != NULL && rate_hz > 0);
  if (rate_hz == t->rate_hz)
    return;

  double pos_s = busker_transport_get_position_s (t);
  t->rate_hz = rate_hz;
  atomic_store (&t->fade_frames, fade_frames_for (rate_hz));

  for (guint i = 0; i < t->all->len; i++)
    {
      Stream *s = g_ptr_array_index (t->all, i);
      g_autoptr (GError) error = NULL;
      BuskerSourceReader *reader = NULL;

      if (s->ring[0] == NULL || atomic_load (&s->missing))
        continue;
      reader = busker_source_reader_new (s->path, s->offset_s, rate_hz, CHUNK, &error);
      if (reader == NULL)
        set_missing (t, s, error->message);
      else
        s->end = busker_source_reader_get_end (reader);
      post_op (t, (Op) { .kind = OP_SET_READER, .stream = s, .reader = reader });
    }
  update_length (t);
  post_seek (t, llround (pos_s * rate_hz));
  wait_disk (t);
}

void
busker_transport_play (BuskerTransport *t)
{
  if (busker_transport_is_at_end (t))
    post_seek (t, 0);
  atomic_store (&t->want_play, true);
  g_mutex_lock (&t->lock);
  g_cond_signal (&t->wake);
  g_mutex_unlock (&t->lock);
}

void
busker_transport_pause (BuskerTransport *t)
{
  atomic_store (&t->want_play, false);
}

void
busker_transport_stop (BuskerTransport *t)
{
  atomic_store (&t->want_play, false);
  post_seek (t, 0);
}

void
busker_transport_seek (BuskerTransport *t, double position_s)
{
  int64_t length = atomic_load (&t->length);
  int64_t frame = llround (position_s * t->rate_hz);
  post_seek (t, CLAMP (frame, 0, length));
}

void
busker_transport_set_loop (BuskerTransport *t, bool loop)
{
  if (loop == t->loop_main)
    return;
  t->loop_main = loop;
  atomic_store (&t->loop, loop);

  /* The read-ahead may already hold the other rule's idea of the end. */
  int64_t length = atomic_load (&t->length);
  int64_t pos = llround (busker_transport_get_position_s (t) * t->rate_hz);
  if (length > 0 && length - pos < (int64_t) t->capacity + CHUNK)
    post_seek (t, pos % length);
}

bool
busker_transport_is_playing (BuskerTransport *t)
{
  return atomic_load (&t->want_play) && !busker_transport_is_at_end (t);
}

static bool
seek_pending (BuskerTransport *t)
{
  return atomic_load_explicit (&t->audio_epoch, memory_order_acquire) != t->main_seq;
}

double
busker_transport_get_position_s (BuskerTransport *t)
{
  int64_t frame = seek_pending (t) ? atomic_load (&t->req_frame) : atomic_load (&t->audio_pos);
  return (double) frame / t->rate_hz;
}

double
busker_transport_get_length_s (BuskerTransport *t)
{
  return (double) atomic_load (&t->length) / t->rate_hz;
}

bool
busker_transport_is_at_end (BuskerTransport *t)
{
  return !seek_pending (t) && atomic_load (&t->at_end);
}

bool
busker_transport_is_seeking (BuskerTransport *t)
{
  return seek_pending (t);
}

bool
busker_transport_is_missing (BuskerTransport *t, const char *strip_id)
{
  Stream *s = g_hash_table_lookup (t->table, strip_id);
  return s != NULL && atomic_load (&s->missing);
}

char *
busker_transport_dup_missing_reason (BuskerTransport *t, const char *strip_id)
{
  Stream *s = g_hash_table_lookup (t->table, strip_id);
  char *reason = NULL;

  if (s == NULL || !atomic_load (&s->missing))
    return NULL;
  g_mutex_lock (&t->lock);
  reason = g_strdup (s->missing_reason);
  g_mutex_unlock (&t->lock);
  return reason;
}

uint32_t
busker_transport_read_underruns (BuskerTransport *t)
{
  return atomic_exchange (&t->underruns, 0);
}

uint32_t
busker_transport_get_buffered_frames (BuskerTransport *t)
{
  uint64_t r = atomic_load_explicit (&t->r, memory_order_acquire);
  uint64_t w = atomic_load_explicit (&t->w, memory_order_acquire);
  return w > r ? (uint32_t) (w - r) : 0;
}

double
busker_transport_get_disk_cpu_s (BuskerTransport *t)
{
  return atomic_load (&t->disk_cpu_ns) * 1e-9;
}

/* ---- audio thread ---- */

/* Follows a seek while faded out. RT-safe */
static void
follow_seek (BuskerTransport *t, uint32_t seq)
{
  if (t->rt.acked != seq)
    {
      if (atomic_load_explicit (&t->halt_seq, memory_order_acquire) != seq)
        return;
      /* The disk thread wrote its last frame of the old epoch: drop them. */
      t->rt.r = atomic_load_explicit (&t->w, memory_order_acquire);
      atomic_store_explicit (&t->r, t->rt.r, memory_order_release);
      t->rt.acked = seq;
      atomic_store_explicit (&t->ack_seq, seq, memory_order_release);
    }
  if (atomic_load_explicit (&t->ready_seq, memory_order_acquire) != seq)
    return;
  t->rt.epoch = seq;
  t->rt.at_end = false;
  atomic_store (&t->at_end, false);
  atomic_store (&t->audio_pos, atomic_load_explicit (&t->epoch_frame, memory_order_acquire));
  atomic_store_explicit (&t->audio_epoch, seq, memory_order_release);
}

/* m frames of one stream from ring index r into its track input, faded
 * when the transport or the stream fades, silence after. RT-safe */
static void
copy_stream (BuskerTransport *t, BuskerPlan *plan, const BindingEntry *e, uint32_t m,
             uint32_t n, bool up, uint32_t k0, uint32_t fade)
{
  Stream *s = e->stream;
  float *dst[2] = { busker_process_track_input (plan, e->strip, 0),
                    busker_process_track_input (plan, e->strip, 1) };
  if (s == NULL)
    {
      memset (dst[0], 0, n * sizeof (float));
      memset (dst[1], 0, n * sizeof (float));
      return;
    }
  bool missing = atomic_load_explicit (&s->missing, memory_order_relaxed);

  if (s->fade_k > fade)
    s->fade_k = fade;
  if (s->ring[0] == NULL || (missing && s->fade_k == 0)
      || t->rt.r < atomic_load_explicit (&s->valid_from, memory_order_acquire))
    m = 0;

  uint32_t at = (uint32_t) (t->rt.r & t->mask);
  uint32_t first = MIN (m, t->capacity - at);
  for (int c = 0; c < 2 && m > 0; c++)
    {
      memcpy (dst[c], s->ring[c] + at, first * sizeof (float));
      memcpy (dst[c] + first, s->ring[c], (m - first) * sizeof (float));
    }
  for (int c = 0; c < 2; c++)
    memset (dst[c] + m, 0, (n - m) * sizeof (float));

  if (m == 0 || (up && k0 == fade && !missing))
    return;

  const float step = 1.0f / (float) fade;
  for (uint32_t i = 0; i < m; i++)
    {
      uint32_t k = up ? MIN (fade, k0 + i + 1) : k0 - i - 1;
      float g = (float) k * step;
      if (missing)
        g *= (float) (s->fade_k > i ? s->fade_k - i - 1 : 0) * step;
      dst[0][i] *= g;
      dst[1][i] *= g;
    }
  if (missing)
    s->fade_k = s->fade_k > m ? s->fade_k - m : 0;
}

void
busker_transport_fill (BuskerTransport *t, BuskerPlan *plan, uint32_t n)
{
  Binding *b = plan != NULL ? plan->binding : NULL;
  const uint32_t fade = atomic_load_explicit (&t->fade_frames, memory_order_relaxed);

  if (b != NULL && b->transport != t)
    b = NULL;
  atomic_fetch_add_explicit (&t->cycles, 1, memory_order_relaxed);
  if (plan != NULL && n > plan->max_block)
    n = plan->max_block;
  if (t->rt.k > fade)
    t->rt.k = fade;

  uint32_t seq = atomic_load_explicit (&t->req_seq, memory_order_acquire);
  if (t->rt.k == 0 && seq != t->rt.epoch)
    follow_seek (t, seq);

  bool up = atomic_load_explicit (&t->want_play, memory_order_relaxed) && seq == t->rt.epoch
            && !t->rt.at_end;
  uint32_t m = 0, k0 = t->rt.k;
  bool reached_end = false, underrun = false;
  uint64_t w = t->rt.r;

  if (up || k0 > 0)
    {
      w = atomic_load_explicit (&t->w, memory_order_acquire);
      /* Starting at the project's first frame: no fade, so a play from the
       * top is sample for sample what export renders. */
      if (up && k0 == 0 && t->rt.r < w && t->frame_at[t->rt.r & t->mask] == 0)
        k0 = fade;
      uint64_t avail = w - t->rt.r;
      m = up ? n : MIN (n, k0);
      if (avail < m)
        {
          if (atomic_load_explicit (&t->end_index, memory_order_acquire) == w)
            reached_end = true;
          else
            {
              underrun = true;
              atomic_fetch_add_explicit (&t->underruns, 1, memory_order_relaxed);
            }
          m = (uint32_t) avail;
        }
    }

  for (uint32_t i = 0; b != NULL && i < b->n; i++)
    copy_stream (t, plan, &b->entries[i], m, n, up, k0, fade);

  if (underrun)
    t->rt.k = 0; /* the cut cannot be faded; the return is */
  if (m == 0)
    {
      if (reached_end)
        {
          t->rt.at_end = true;
          t->rt.k = 0;
          atomic_store (&t->at_end, true);
        }
      return;
    }

  if (!underrun)
    t->rt.k = up ? MIN (fade, k0 + m) : k0 - m;
  t->rt.r += m;
  int64_t pos;
  if (t->rt.r < w)
    pos = t->frame_at[t->rt.r & t->mask];
  else
    {
      pos = t->frame_at[(t->rt.r - 1) & t->mask] + 1;
      int64_t length = atomic_load_explicit (&t->length, memory_order_relaxed);
      if (pos >= length && atomic_load_explicit (&t->loop, memory_order_relaxed))
        pos = 0;
    }
  atomic_store_explicit (&t->r, t->rt.r, memory_order_release);
  atomic_store_explicit (&t->audio_pos, pos, memory_order_relaxed);
  if (reached_end)
    {
      t->rt.at_end = true;
      t->rt.k = 0;
      atomic_store (&t->at_end, true);
    }
}
