/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The transport's audio side: busker_transport_fill and what it calls,
 * all RT-safe (no allocation, lock, log or I/O). The protocol is
 * described at the top of busker-transport.c.
 */
#include <string.h>

#include "busker-plan-private.h"
#include "busker-process.h"
#include "busker-transport-private.h"

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
copy_stream (BuskerTransport *t, BuskerPlan *plan, const BuskerTransportBindingEntry *e, uint32_t m,
             uint32_t n, bool up, uint32_t k0, uint32_t fade)
{
  BuskerTransportStream *s = e->stream;
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
  BuskerTransportBinding *b = plan != NULL ? plan->binding : NULL;
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
