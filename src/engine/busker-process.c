/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * process(): one block of one strip, and of the whole plan.
 *
 * Per strip: inputs summed (buses: feeder outputs and sends, through the
 * latency-compensation delays) or the track input -> trim/polarity ->
 * pre-fader inserts -> [pre-fader send tap] -> fader -> pan -> post-fader
 * inserts -> output (the tap of post-fader sends).
 *
 * - Every gain is a BuskerSmoothed stepped per sample while it moves and a
 *   plain multiply once settled, so the settled case is exact (null tests)
 *   and a move is click-free.
 * - Pan law: constant power for a mono source (-3 dB centre), balance for
 *   stereo (src/dsp/gain.h's law). A send's pan uses the strip's law on a
 *   pre-fader tap; on a post-fader tap the signal is already panned, so
 *   the send pans it as stereo (balance).
 * - Mute/solo: an inaudible strip ramps its output and its pre-fader tap
 *   to zero, so its sends fall silent too.
 * - Faults: an insert returning false, or a non-finite output (found by
 *   the sum of squares the meters need anyway), silences the strip's
 *   output and taps for that block and raises its fault flag. A bus only
 *   ever reads finite feeders, so the master stays finite. The block's
 *   samples cannot be trusted, so the output (and the pre-fader tap) does
 *   not cut to zero: it ramps from the last good sample to zero over
 *   FAULT_FADE_FRAMES, and the blocks after a fault fade back in (5 ms
 *   one-pole, like mute).
 * - Insert parameters: the unit's table is scanned only when its serial
 *   moved; set_param is called only for values that changed.
 */
#include "busker-process.h"

#include "busker-plan-private.h"
#include "dsp/fast-math.h"
#include "dsp/gain.h"

#include <math.h>
#include <string.h>

/* RT-safe */
static inline float
load (_Atomic float *slot)
{
  return atomic_load_explicit (slot, memory_order_relaxed);
}

/* Sets a smoother's target; a move smaller than -140 dB of full scale is
 * taken at once, so a fade to zero ends at exactly zero. RT-safe */
static inline void
smooth_to (BuskerSmoothed *g, float target)
{
  busker_smoothed_set (g, target);
  if (fabsf (target - g->value) < 1e-7f)
    busker_smoothed_snap (g);
}

/* x *= g. RT-safe */
static void
scale (float *restrict x, uint32_t n, float g)
{
  size_t i = 0;
  if (g == 1.0f)
    return;
  for (; i + 4 <= n; i += 4)
    busker_v4_store (x + i, busker_v4_load (x + i) * g);
  for (; i < n; i++)
    x[i] *= g;
}

/* dst += g * src. RT-safe */
static void
mix (float *restrict dst, const float *restrict src, uint32_t n, float g)
{
  size_t i = 0;
  if (g == 0.0f)
    return;
  for (; i + 4 <= n; i += 4)
    busker_v4_store (dst + i, busker_v4_load (dst + i) + busker_v4_load (src + i) * g);
  for (; i < n; i++)
    dst[i] += g * src[i];
}

/* Multiplies n_bufs buffers by one smoothed gain. RT-safe */
static void
apply_gain (BuskerSmoothed *g, float *const *bufs, uint32_t n_bufs, uint32_t n)
{
  if (busker_smoothed_settled (g))
    {
      for (uint32_t b = 0; b < n_bufs; b++)
        scale (bufs[b], n, g->value);
      return;
    }
  for (uint32_t i = 0; i < n; i++)
    {
      float v = busker_smoothed_next (g);
      for (uint32_t b = 0; b < n_bufs; b++)
        bufs[b][i] *= v;
    }
}

/* dst += g * (delayed) src. RT-safe */
static void
mix_edge_channel (float *restrict dst, const float *restrict src, uint32_t n, BuskerSmoothed *g,
                  float *ring, uint32_t delay, uint32_t ring_pos, bool gained)
{
  if (delay == 0 && (!gained || busker_smoothed_settled (g)))
    {
      mix (dst, src, n, gained ? g->value : 1.0f);
      return;
    }
  for (uint32_t i = 0; i < n; i++)
    {
      float x = src[i];
      if (delay > 0)
        {
          float y = ring[ring_pos];
          ring[ring_pos] = x;
          if (++ring_pos == delay)
            ring_pos = 0;
          x = y;
        }
      dst[i] += gained ? busker_smoothed_next (g) * x : x;
    }
}

/* busker_db_to_gain, converted again only when db moved. RT-safe */
static float
db_gain (BuskerDbGain *cache, float db)
{
  if (db != cache->db)
    {
      cache->db = db;
      cache->gain = busker_db_to_gain (db);
    }
  return cache->gain;
}

/* busker_pan_gains, worked out again only when pan or the law moved.
 * RT-safe */
static void
pan_gains (BuskerPanGains *cache, float pan, bool mono, float *gl, float *gr)
{
  if (pan != cache->pan || mono != cache->mono)
    {
      cache->pan = pan;
      cache->mono = mono;
      busker_pan_gains (pan, mono, &cache->l, &cache->r);
    }
  *gl = cache->l;
  *gr = cache->r;
}

/* Reads the strip's and its input sends' atomics into the smoothers'
 * targets. RT-safe */
static void
update_targets (BuskerPlan *plan, BuskerPlanStrip *s)
{
  float trim = db_gain (&s->trim_gain, load (&s->trim_db));
  float gl, gr;

  smooth_to (&s->in_gain, load (&s->polarity) != 0.0f ? -trim : trim);
  smooth_to (&s->fader, db_gain (&s->fader_gain, load (&s->gain_db)));
  pan_gains (&s->pan_gains, load (&s->pan), s->mono_source, &gl, &gr);
  smooth_to (&s->pan_gain[0], gl);
  smooth_to (&s->pan_gain[1], gr);
  smooth_to (&s->on, atomic_load_explicit (&s->audible, memory_order_acquire) ? 1.0f : 0.0f);

  for (uint32_t e = 0; e < s->n_edges; e++)
    {
      BuskerPlanEdge *edge = &s->edges[e];
      if (edge->send < 0)
        continue;
      BuskerPlanStrip *from = &plan->strips[edge->from];
      BuskerPlanSend *send = &from->sends[edge->send];
      float level = load (&send->mute) != 0.0f ? 0.0f
                    : db_gain (&edge->level, load (&send->level_db));
      pan_gains (&edge->pan, load (&send->pan), send->pre_fader && from->mono_source, &gl, &gr);
      smooth_to (&edge->gain[0], level * gl);
      smooth_to (&edge->gain[1], level * gr);
    }
}

void
busker_plan_settle (BuskerPlan *plan)
{
  for (uint32_t i = 0; i < plan->n_strips; i++)
    {
      BuskerPlanStrip *s = &plan->strips[i];
      update_targets (plan, s);
      busker_smoothed_snap (&s->in_gain);
      busker_smoothed_snap (&s->fader);
      busker_smoothed_snap (&s->pan_gain[0]);
      busker_smoothed_snap (&s->pan_gain[1]);
      busker_smoothed_snap (&s->on);
      for (uint32_t e = 0; e < s->n_edges; e++)
        for (int c = 0; c < 2; c++)
          busker_smoothed_snap (&s->edges[e].gain[c]);
    }
}

#define MIX_GROUP 4

/* dst (+)= sum of g[k] * src[k] for k < K, in k order per sample, as K
 * calls of mix() would add them; with first, dst starts from 0 (no
 * memset needed). One pass instead of K: the bus buffer is loaded and
 * stored once. RT-safe */
static inline __attribute__ ((always_inline)) void
mix_k (float *restrict dst, const float *const *src, const float *g, uint32_t K, bool first,
       uint32_t n)
{
  /* Locals, so the stores to dst cannot be taken to change them. */
  const float *sp[MIX_GROUP];
  float gk[MIX_GROUP];
  for (uint32_t k = 0; k < K; k++)
    {
      sp[k] = src[k];
      gk[k] = g[k];
    }
  /* size_t and a precomputed bound: "i + 4 <= n" in uint32_t cost GCC
   * four instructions of index arithmetic per vector. */
  const size_t n4 = n & ~(size_t) 3;
  size_t i = 0;
  for (; i < n4; i += 4)
    {
      BuskerV4f acc = first ? (BuskerV4f) { 0.0f, 0.0f, 0.0f, 0.0f } : busker_v4_load (dst + i);
#pragma GCC unroll 4
      for (uint32_t k = 0; k < K; k++)
        acc += busker_v4_load (sp[k] + i) * gk[k];
      busker_v4_store (dst + i, acc);
    }
  for (; i < n; i++)
    {
      float acc = first ? 0.0f : dst[i];
#pragma GCC unroll 4
      for (uint32_t k = 0; k < K; k++)
        acc += gk[k] * sp[k][i];
      dst[i] = acc;
    }
}

/* One mix_k per group size and start, so neither is looked at per sample.
 * RT-safe */
static void
mix_group (float *restrict dst, const float *const *src, const float *g, uint32_t k, bool first,
           uint32_t n)
{
#define MIX_CASE(K)                                                                      \
  case K:                                                                                \
    if (first)                                                                           \
      mix_k (dst, src, g, K, true, n);                                                   \
    else                                                                                 \
      mix_k (dst, src, g, K, false, n);                                                  \
    break;
  switch (k)
    {
      MIX_CASE (1)
      MIX_CASE (2)
      MIX_CASE (3)
    default:
      MIX_CASE (4)
    }
#undef MIX_CASE
}

/* The inputs of a bus, in edge order. Runs of edges without delay and
 * with a settled gain are summed MIX_GROUP at a time (mix_group), the
 * others one by one (mix_edge_channel); every sample sees the same adds
 * in the same order as one edge at a time. RT-safe */
static void
sum_inputs (BuskerPlan *plan, BuskerPlanStrip *s, uint32_t n)
{
  if (s->in_place)
    return; /* its buffers hold its one input already */
  for (int c = 0; c < 2; c++)
    {
      const float *src[MIX_GROUP];
      float g[MIX_GROUP];
      uint32_t k = 0;
      bool first = true; /* nothing written to the bus buffer yet */

      for (uint32_t e = 0; e < s->n_edges; e++)
        {
          BuskerPlanEdge *edge = &s->edges[e];
          BuskerPlanStrip *from = &plan->strips[edge->from];
          bool gained = edge->send >= 0;
          const float *x = gained && from->sends[edge->send].pre_fader ? from->pre[c]
                                                                        : from->buf[c];
          if (edge->delay == 0 && (!gained || busker_smoothed_settled (&edge->gain[c])))
            {
              float gain = gained ? edge->gain[c].value : 1.0f;
              if (gain == 0.0f)
                continue;
              src[k] = x;
              g[k++] = gain;
              if (k == MIX_GROUP)
                {
                  mix_group (s->buf[c], src, g, k, first, n);
                  first = false;
                  k = 0;
                }
              continue;
            }
          if (k > 0 || first)
            {
              if (k > 0)
                mix_group (s->buf[c], src, g, k, first, n);
              else
                memset (s->buf[c], 0, n * sizeof (float));
              first = false;
              k = 0;
            }
          mix_edge_channel (s->buf[c], x, n, &edge->gain[c], edge->ring[c], edge->delay,
                            edge->ring_pos, gained);
        }
      if (k > 0)
        mix_group (s->buf[c], src, g, k, first, n);
      else if (first)
        memset (s->buf[c], 0, n * sizeof (float));
    }
  for (uint32_t e = 0; e < s->n_edges; e++)
    {
      BuskerPlanEdge *edge = &s->edges[e];
      if (edge->delay > 0)
        edge->ring_pos = (edge->ring_pos + n) % edge->delay;
    }
}

/* Pushes changed parameters to the unit. RT-safe */
static void
update_params (BuskerPlanInsert *pi)
{
  uint32_t serial = atomic_load_explicit (&pi->serial, memory_order_acquire);
  if (serial == pi->seen_serial)
    return;
  pi->seen_serial = serial;
  for (uint32_t j = 0; j < pi->klass->n_params; j++)
    {
      float v = load (&pi->params[j]);
      if (v != pi->pushed[j])
        {
          pi->pushed[j] = v;
          pi->klass->set_param (pi->self, j, v);
        }
    }
}

/* A bypassed unit with look-ahead is replaced by a delay of the same
 * length, so timing and compensation do not move. RT-safe */
static void
bypass_delay (BuskerPlanInsert *pi, float *l, float *r, uint32_t n)
{
  uint32_t pos = pi->bypass_pos;
  for (uint32_t i = 0; i < n; i++)
    {
      float tl = pi->bypass_ring[0][pos], tr = pi->bypass_ring[1][pos];
      pi->bypass_ring[0][pos] = l[i];
      pi->bypass_ring[1][pos] = r[i];
      l[i] = tl;
      r[i] = tr;
      if (++pos == pi->latency)
        pos = 0;
    }
  pi->bypass_pos = pos;
}

/* Offline analysis only (busker_plan_set_tap): no tap is set on a live
 * plan, so this is one predictable branch there. RT-safe */
static inline void
tap (BuskerPlan *plan, BuskerPlanStrip *s, int32_t point, const float *l, const float *r,
     uint32_t n, float gr_db)
{
  if (__builtin_expect (plan->tap != NULL, 0))
    plan->tap (plan->tap_data, (uint32_t) (s - plan->strips), point, l, r, n, gr_db);
}

/* Runs the pre- or post-fader inserts in order; false when one failed.
 * RT-safe */
static bool
run_inserts (BuskerPlan *plan, BuskerPlanStrip *s, bool post_fader, float *l, float *r,
             uint32_t n)
{
  bool ok = true;

  for (uint32_t k = 0; k < s->n_inserts; k++)
    {
      BuskerPlanInsert *pi = &s->inserts[k];
      if (pi->post_fader != post_fader)
        continue;

      update_params (pi);
      bool bypass = load (&pi->bypass) != 0.0f;
      if (bypass)
        {
          if (pi->latency > 0)
            bypass_delay (pi, l, r, n);
          pi->was_bypassed = true;
          atomic_store_explicit (&pi->gr_db, 0.0f, memory_order_relaxed);
          tap (plan, s, (int32_t) k, l, r, n, 0.0f);
          continue;
        }
      if (pi->was_bypassed)
        {
          /* Its state is from before the bypass: start clean. */
          pi->klass->reset (pi->self);
          pi->was_bypassed = false;
        }
      ok &= pi->klass->process (pi->self, l, r, n);
      float gr = 0.0f;
      if (pi->klass->gain_reduction_db != NULL)
        {
          gr = pi->klass->gain_reduction_db (pi->self);
          atomic_store_explicit (&pi->gr_db, gr, memory_order_relaxed);
        }
      tap (plan, s, (int32_t) k, l, r, n, gr);
    }
  return ok;
}

/* Sum of squares and peak per channel. The sum is non-finite when any
 * sample is (or is beyond 1e19, which is just as broken). Four lanes so
 * the adds overlap: lane k sums samples i + k (and i + 4 + k, in a
 * second set of lanes). RT-safe */
static void
measure (const BuskerPlanStrip *s, uint32_t n, float *sumsq, float *peak)
{
  for (int c = 0; c < 2; c++)
    {
      const float *x = s->buf[c];
      BuskerV4f acc = { 0.0f, 0.0f, 0.0f, 0.0f }, pk = acc, acc1 = acc, pk1 = acc;
      const size_t n8 = n & ~(size_t) 7, n4 = n & ~(size_t) 3;
      size_t i = 0;
      /* eight at a time into two sets of lanes: the adds of one set wait
       * on each other, the two sets do not */
      for (; i < n8; i += 8)
        {
          BuskerV4f v = busker_v4_load (x + i), w = busker_v4_load (x + i + 4);
          acc += v * v;
          acc1 += w * w;
          pk = busker_v4_max (busker_v4_abs (v), pk);
          pk1 = busker_v4_max (busker_v4_abs (w), pk1);
        }
      acc += acc1;
      pk = busker_v4_max (pk, pk1);
      for (; i < n4; i += 4)
        {
          BuskerV4f v = busker_v4_load (x + i);
          acc += v * v;
          pk = busker_v4_max (busker_v4_abs (v), pk);
        }
      for (; i < n; i++)
        {
          float v = x[i];
          float a = v < 0 ? -v : v;
          acc[0] += v * v;
          pk[0] = a > pk[0] ? a : pk[0];
        }
      sumsq[c] = (acc[0] + acc[1]) + (acc[2] + acc[3]);
      float p01 = pk[0] > pk[1] ? pk[0] : pk[1];
      float p23 = pk[2] > pk[3] ? pk[2] : pk[3];
      peak[c] = p01 > p23 ? p01 : p23;
    }
}

/* RT-safe */
static void
update_meters (BuskerPlan *plan, BuskerPlanStrip *s, uint32_t n,
               const float *sumsq, const float *peak)
{
  /* One-pole over blocks: the coefficient for n frames. */
  if (n != plan->rms_block)
    {
      plan->rms_block = n;
      plan->rms_coef_block = 1.0 - pow (1.0 - plan->rms_coef_per_frame, n);
    }
  double a = plan->rms_coef_block;
  for (int c = 0; c < 2; c++)
    {
      s->ms[c] += a * (sumsq[c] / n - s->ms[c]);
      atomic_store_explicit (&s->rms[c], (float) sqrt (s->ms[c]), memory_order_relaxed);
      if (peak[c] > atomic_load_explicit (&s->peak[c], memory_order_relaxed))
        atomic_store_explicit (&s->peak[c], peak[c], memory_order_relaxed);
    }
}

/* Frames over which a faulted strip's output falls from its last good
 * sample to zero: about 2.7 ms at 48 kHz, short enough to keep the bad
 * block out, long enough to turn the step into a ramp. */
#define FAULT_FADE_FRAMES 128

/* x falls from *last to zero over FAULT_FADE_FRAMES and stays there;
 * *last becomes where it got to. RT-safe */
static void
ramp_down (float *x, uint32_t n, float *last)
{
  const uint32_t fade = n < FAULT_FADE_FRAMES ? n : FAULT_FADE_FRAMES;
  for (uint32_t i = 0; i < fade; i++)
    x[i] = *last * (1.0f - (float) (i + 1) / (float) FAULT_FADE_FRAMES);
  memset (x + fade, 0, (n - fade) * sizeof (float));
  *last = fade > 0 && fade < FAULT_FADE_FRAMES ? x[fade - 1] : 0.0f;
}

/* A faulted block: the output and the pre-fader tap ramp from their last
 * good samples down to zero; the next blocks fade back in. RT-safe */
static void
silence (BuskerPlanStrip *s, uint32_t n)
{
  for (int c = 0; c < 2; c++)
    {
      ramp_down (s->buf[c], n, &s->last_out[c]);
      if (s->pre[c] != NULL)
        ramp_down (s->pre[c], n, &s->last_out[2 + c]);
    }
  busker_smoothed_set (&s->fault_gain, 0.0f);
  busker_smoothed_snap (&s->fault_gain);
  busker_smoothed_set (&s->fault_gain, 1.0f);
}

/* RT-safe */
void
busker_process_strip (BuskerPlan *plan, uint32_t strip, uint32_t n)
{
  BuskerPlanStrip *s = &plan->strips[strip];
  float *l = s->buf[0], *r = s->buf[1];
  bool ok;

  update_targets (plan, s);
  if (s->kind != BUSKER_STRIP_TRACK)
    sum_inputs (plan, s, n);

  apply_gain (&s->in_gain, s->buf, 2, n);

  tap (plan, s, BUSKER_PLAN_TAP_INPUT, l, r, n, 0.0f);
  ok = run_inserts (plan, s, false, l, r, n);

  if (s->has_pre_sends)
    {
      memcpy (s->pre[0], l, n * sizeof (float));
      memcpy (s->pre[1], r, n * sizeof (float));
    }

  if (busker_smoothed_settled (&s->fader) && busker_smoothed_settled (&s->pan_gain[0])
      && busker_smoothed_settled (&s->pan_gain[1]))
    {
      /* The common case: fader and pan in one pass. */
      scale (l, n, s->fader.value * s->pan_gain[0].value);
      scale (r, n, s->fader.value * s->pan_gain[1].value);
    }
  else
    {
      apply_gain (&s->fader, s->buf, 2, n);
      apply_gain (&s->pan_gain[0], &s->buf[0], 1, n);
      apply_gain (&s->pan_gain[1], &s->buf[1], 1, n);
    }

  tap (plan, s, BUSKER_PLAN_TAP_POST_FADER, l, r, n, 0.0f);
  ok &= run_inserts (plan, s, true, l, r, n);

  float *taps[4] = { l, r, s->pre[0], s->pre[1] };
  apply_gain (&s->on, taps, s->has_pre_sends ? 4 : 2, n);
  apply_gain (&s->fault_gain, taps, s->has_pre_sends ? 4 : 2, n);

  /* Checked after the mute ramp on purpose: 0 * NaN is still NaN. The
   * pre-fader tap needs no check of its own, since anything non-finite
   * in it reaches the output too unless a unit failed (ok is false). */
  float sumsq[2], peak[2];
  measure (s, n, sumsq, peak);
  if (!ok || !isfinite (sumsq[0] + sumsq[1]))
    {
      silence (s, n);
      atomic_store_explicit (&s->fault, 1, memory_order_relaxed);
      sumsq[0] = sumsq[1] = 0.0f;
      peak[0] = peak[1] = 0.0f;
    }
  else if (n > 0)
    {
      s->last_out[0] = l[n - 1];
      s->last_out[1] = r[n - 1];
      if (s->has_pre_sends)
        {
          s->last_out[2] = s->pre[0][n - 1];
          s->last_out[3] = s->pre[1][n - 1];
        }
    }
  update_meters (plan, s, n, sumsq, peak);
}

/* RT-safe */
float *
busker_process_track_input (BuskerPlan *plan, uint32_t strip, uint32_t channel)
{
  return plan->strips[strip].buf[channel & 1];
}

/* RT-safe */
void
busker_process_run (BuskerPlan *plan, uint32_t n)
{
  busker_dsp_enable_ftz ();
  for (uint32_t o = 0; o < plan->n_strips; o++)
    busker_process_strip (plan, plan->order[o], n);
}

/* RT-safe */
uint32_t
busker_process_n_levels (const BuskerPlan *plan)
{
  return plan->n_levels;
}

/* RT-safe */
const uint32_t *
busker_process_level (const BuskerPlan *plan, uint32_t level, uint32_t *n_strips)
{
  *n_strips = plan->level_start[level + 1] - plan->level_start[level];
  return plan->order + plan->level_start[level];
}

/* RT-safe */
const float *
busker_process_strip_output (const BuskerPlan *plan, uint32_t strip, uint32_t channel)
{
  return plan->strips[strip].buf[channel & 1];
}
