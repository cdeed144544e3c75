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
 * BuskerTransportBinding: the strip -> stream table the audio thread reads lives in the
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
#include <string.h>
#include <sys/stat.h>

#include "busker-plan-private.h"
#include "busker-transport-private.h"

/* ---- streams (main thread) ---- */

void
busker_transport_stream_free (BuskerTransportStream *s)
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
post_op (BuskerTransport *t, BuskerTransportOp op)
{
  g_mutex_lock (&t->lock);
  g_queue_push_tail (&t->ops, g_memdup2 (&op, sizeof op));
  t->ops_posted++;
  g_cond_signal (&t->wake);
  g_mutex_unlock (&t->lock);
}

static BuskerTransportStream *
stream_ref (BuskerTransportStream *s)
{
  s->refs++;
  return s;
}

static void
stream_unref (BuskerTransportStream *s)
{
  if (--s->refs > 0)
    return;
  if (s->transport == NULL)
    {
      busker_transport_stream_free (s);
      return;
    }
  g_ptr_array_remove_fast (s->transport->all, s);
  post_op (s->transport, (BuskerTransportOp) { .kind = OP_DROP, .stream = s });
}

void
busker_transport_set_missing (BuskerTransport *t, BuskerTransportStream *s, const char *reason)
{
  g_mutex_lock (&t->lock);
  if (s->missing_reason == NULL)
    s->missing_reason = g_strdup (reason);
  g_mutex_unlock (&t->lock);
  atomic_store_explicit (&s->missing, true, memory_order_release);
}

static void
remember_file (BuskerTransportStream *s)
{
  GStatBuf st;
  if (g_stat (s->path, &st) == 0)
    {
      s->inode = (guint64) st.st_ino;
      s->size = (goffset) st.st_size;
    }
}

static BuskerTransportStream *
stream_new (BuskerTransport *t, const BuskerStripDesc *desc)
{
  BuskerTransportStream *s = g_new0 (BuskerTransportStream, 1);
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
      busker_transport_set_missing (t, s, what);
      s->fade_k = 0;
      return s;
    }
  s->reader = busker_source_reader_new (s->path, s->offset_s, t->rate_hz, TRANSPORT_CHUNK, &error);
  if (s->reader == NULL)
    {
      busker_transport_set_missing (t, s, error->message);
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
  BuskerTransportBinding *b = data;
  for (uint32_t i = 0; i < b->n; i++)
    if (b->entries[i].stream != NULL)
      stream_unref (b->entries[i].stream);
  g_free (b->entries);
  g_free (b);
}

/* ---- main thread ---- */

static uint32_t
fade_frames_for (uint32_t rate_hz)
{
  return MAX (1u, (uint32_t) lround (rate_hz * TRANSPORT_FADE_S));
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
  uint32_t want = MAX (MAX (rate_hz, 4 * max_block), 8 * TRANSPORT_CHUNK);
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
  atomic_init (&t->ready_seq, TRANSPORT_NONE);
  atomic_init (&t->epoch_frame, 0);
  atomic_init (&t->audio_epoch, TRANSPORT_NONE);
  atomic_init (&t->audio_pos, 0);
  atomic_init (&t->at_end, false);
  atomic_init (&t->underruns, 0);
  atomic_init (&t->cycles, 0);
  atomic_init (&t->disk_cpu_ns, 0);

  /* Epoch 0 starts at frame 0 and is acknowledged from the start: the
   * audio side has nothing to drop yet. */
  t->rt.epoch = TRANSPORT_NONE;
  t->rt.acked = 0;
  t->streams = g_ptr_array_new ();
  for (int c = 0; c < 2; c++)
    t->scratch[c] = g_new0 (float, TRANSPORT_CHUNK);
  t->disk_epoch = 0;
  t->thread = g_thread_new ("busker-disk", busker_transport_disk_main, t);
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
  for (BuskerTransportOp *op; (op = g_queue_pop_head (&t->ops)) != NULL; g_free (op))
    if (op->kind == OP_DROP)
      {
        g_ptr_array_remove_fast (t->streams, op->stream);
        busker_transport_stream_free (op->stream);
      }
    else if (op->kind == OP_SET_READER)
      {
        busker_source_reader_free (op->stream->reader);
        op->stream->reader = op->reader;
      }

  /* Streams still referenced by plans outlive the transport; they are
   * freed with the last plan. */
  for (guint i = 0; i < t->all->len; i++)
    ((BuskerTransportStream *) g_ptr_array_index (t->all, i))->transport = NULL;
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
  if (t->main_seq == TRANSPORT_NONE)
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
    length = MAX (length, ((BuskerTransportStream *) value)->end);
  atomic_store (&t->length, length);
}

/* Waits (bounded) until the disk thread took every posted op and has a
 * eighth of a ring in hand or reached the end. */
static void
wait_disk (BuskerTransport *t)
{
  gint64 deadline = g_get_monotonic_time () + TRANSPORT_BIND_WAIT_US;

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
same_source (const BuskerTransportStream *s, const BuskerStripDesc *d)
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
  BuskerTransportBinding *b = g_new0 (BuskerTransportBinding, 1);
  bool added = false;
  b->transport = t;
  b->entries = g_new0 (BuskerTransportBindingEntry, MAX (desc->n_strips, 1));

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
          b->entries[b->n++] = (BuskerTransportBindingEntry) { i, NULL };
          continue;
        }

      BuskerTransportStream *s = g_hash_table_lookup (next, d->id); /* a repeated id shares */
      if (s != NULL)
        {
          b->entries[b->n++] = (BuskerTransportBindingEntry) { i, stream_ref (s) };
          continue;
        }
      s = g_hash_table_lookup (t->table, d->id);
      if (s != NULL && same_source (s, d))
        stream_ref (s);
      else
        {
          s = stream_new (t, d);
          post_op (t, (BuskerTransportOp) { .kind = OP_ADD, .stream = s });
          added = true;
        }
      g_hash_table_insert (next, s->id, s);
      b->entries[b->n++] = (BuskerTransportBindingEntry) { i, stream_ref (s) };
      busker_plan_set_strip_mono_source (plan, i, s->mono);
    }

  g_hash_table_destroy (t->table);
  t->table = next;
  update_length (t);
  plan->binding = b;
  plan->binding_free = binding_free;
  /* An edit that adds no track never waits for the disk. */
  if (added)
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
      BuskerTransportStream *s = g_ptr_array_index (t->all, i);
      g_autoptr (GError) error = NULL;
      BuskerSourceReader *reader = NULL;

      if (s->ring[0] == NULL || atomic_load (&s->missing))
        continue;
      reader = busker_source_reader_new (s->path, s->offset_s, rate_hz, TRANSPORT_CHUNK, &error);
      if (reader == NULL)
        busker_transport_set_missing (t, s, error->message);
      else
        s->end = busker_source_reader_get_end (reader);
      post_op (t, (BuskerTransportOp) { .kind = OP_SET_READER, .stream = s, .reader = reader });
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
  if (length > 0 && length - pos < (int64_t) t->capacity + TRANSPORT_CHUNK)
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
  BuskerTransportStream *s = g_hash_table_lookup (t->table, strip_id);
  return s != NULL && atomic_load (&s->missing);
}

char *
busker_transport_dup_missing_reason (BuskerTransport *t, const char *strip_id)
{
  BuskerTransportStream *s = g_hash_table_lookup (t->table, strip_id);
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
