/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The session's audio-thread hooks.
 *
 * Decisions:
 * - The plan meters every strip's peak and RMS but not loudness: an R 128
 *   meter on every strip would cost a K-weighting and a 4x true-peak
 *   interpolator per strip, and only the master's loudness is shown. So
 *   the master gets one BuskerMeter here, run after the plan.
 * - Handing over a meter or a recorder: the main thread stores the new
 *   pointer, then waits until the audio side is outside the hook ("busy"
 *   is clear) before it frees or finishes the old one. With sequentially
 *   consistent atomics, a hook that starts after the store sees the new
 *   pointer, and one that started before is waited for: no lock, no
 *   allocation and no waiting on the audio side. The wait is one cycle at
 *   most and happens only on a rate change or at the end of a recording.
 * - The meter runs at the rate it was made for; a cycle at another rate
 *   (the graph changed rate, the session has not caught up yet) is not
 *   metered rather than measured wrongly.
 * - A recording keeps the rate it started at: cycles at another rate
 *   (the graph switched) are converted to it by the recorder's writer.
 * - Values cross as atomic floats, written once per cycle; the true peak
 *   is the largest since the main thread last read it (a compare-exchange
 *   maximum the main thread resets by exchanging in 0).
 */
#include "busker-session-tap.h"

#include <math.h>
#include <stdatomic.h>

#include "dsp/meters.h"
#include "engine/busker-process.h"

/* −90 dBFS: the silence of busker-export's tail rule. */
#define QUIET_LEVEL 3.1622777e-5f
#define HANDOVER_WAIT_US (2 * G_USEC_PER_SEC) /* a cycle is ≤ 8192 frames ≈ 0.2 s */

struct _BuskerSessionTap {
  BuskerTransport *transport;

  _Atomic (BuskerMeter *) meter;
  _Atomic uint32_t meter_rate;
  _Atomic (BuskerRecorder *) recorder;
  _Atomic int busy;          /* the audio side is inside a hook */
  _Atomic int reset_request;

  /* audio -> main */
  _Atomic float momentary_lufs, short_term_lufs, integrated_lufs;
  _Atomic float true_peak;   /* linear, largest since the last read */
  _Atomic float correlation;
  _Atomic uint64_t quiet_frames; /* since the master last reached QUIET_LEVEL */
  _Atomic uint32_t quiet_rate;   /* the rate those frames ran at */
};

BuskerSessionTap *
busker_session_tap_new (BuskerTransport *transport)
{
  BuskerSessionTap *tap = g_new0 (BuskerSessionTap, 1);
  tap->transport = transport;
  atomic_init (&tap->meter, NULL);
  atomic_init (&tap->recorder, NULL);
  atomic_init (&tap->momentary_lufs, -INFINITY);
  atomic_init (&tap->short_term_lufs, -INFINITY);
  atomic_init (&tap->integrated_lufs, -INFINITY);
  atomic_init (&tap->true_peak, 0.0f);
  atomic_init (&tap->correlation, 0.0f);
  return tap;
}

void
busker_session_tap_free (BuskerSessionTap *tap)
{
  if (tap == NULL)
    return;
  busker_meter_free (atomic_exchange (&tap->meter, NULL));
  /* A recording still running here was never finished: drop it, so no
   * half-written file lands at the target. */
  BuskerRecorder *recorder = atomic_exchange (&tap->recorder, NULL);
  if (recorder != NULL)
    busker_recorder_finish (recorder, NULL);
  g_free (tap);
}

BuskerLiveHooks
busker_session_tap_hooks (BuskerSessionTap *tap)
{
  return (BuskerLiveHooks) {
    .before_run = busker_session_tap_before_run,
    .after_run = busker_session_tap_after_run,
    .data = tap,
  };
}

/* Main thread: returns once no hook that could have seen the old pointers
 * is still running. */
static void
wait_outside_hook (BuskerSessionTap *tap)
{
  gint64 give_up = g_get_monotonic_time () + HANDOVER_WAIT_US;
  while (atomic_load (&tap->busy) && g_get_monotonic_time () < give_up)
    g_usleep (50);
}

gboolean
busker_session_tap_set_rate (BuskerSessionTap *tap, uint32_t rate_hz)
{
  g_return_val_if_fail (rate_hz > 0, FALSE);
  BuskerMeter *meter = busker_meter_new (rate_hz);
  if (meter == NULL)
    return FALSE;
  /* The rate first: a hook that sees the new meter must not meter it at
   * the old rate, and one that sees the new rate with the old meter only
   * skips a cycle. */
  atomic_store (&tap->meter_rate, 0);
  BuskerMeter *old = atomic_exchange (&tap->meter, meter);
  atomic_store (&tap->meter_rate, rate_hz);
  wait_outside_hook (tap);
  busker_meter_free (old);
  atomic_store (&tap->momentary_lufs, -INFINITY);
  atomic_store (&tap->short_term_lufs, -INFINITY);
  atomic_store (&tap->integrated_lufs, -INFINITY);
  return TRUE;
}

BuskerRecorder *
busker_session_tap_set_recorder (BuskerSessionTap *tap, BuskerRecorder *recorder)
{
  BuskerRecorder *old = atomic_exchange (&tap->recorder, recorder);
  wait_outside_hook (tap);
  return old;
}

static float
lin_to_db (float x)
{
  return x > 0.0f ? 20.0f * log10f (x) : -INFINITY;
}

void
busker_session_tap_read (BuskerSessionTap *tap, BuskerMasterMeter *meter)
{
  meter->momentary_lufs = atomic_load (&tap->momentary_lufs);
  meter->short_term_lufs = atomic_load (&tap->short_term_lufs);
  meter->integrated_lufs = atomic_load (&tap->integrated_lufs);
  meter->true_peak_dbtp = lin_to_db (atomic_exchange (&tap->true_peak, 0.0f));
  meter->correlation = atomic_load (&tap->correlation);
}

double
busker_session_tap_get_quiet_s (BuskerSessionTap *tap)
{
  uint32_t rate = atomic_load (&tap->quiet_rate);
  return rate > 0 ? (double) atomic_load (&tap->quiet_frames) / rate : 0.0;
}

void
busker_session_tap_reset_loudness (BuskerSessionTap *tap)
{
  atomic_store (&tap->reset_request, 1);
  /* Read as reset at once: no cycle may come to apply the request (the
   * graph idles while nothing plays). A cycle still running stores its
   * values once more; the next one starts from the reset meter. */
  atomic_store (&tap->momentary_lufs, -INFINITY);
  atomic_store (&tap->short_term_lufs, -INFINITY);
  atomic_store (&tap->integrated_lufs, -INFINITY);
  atomic_store (&tap->true_peak, 0.0f);
}

/* RT-safe */
void
busker_session_tap_before_run (void *data, BuskerPlan *plan, uint32_t n,
                               uint32_t rate_hz, uint64_t time_ns)
{
  BuskerSessionTap *tap = data;
  if (tap->transport != NULL && plan != NULL)
    busker_transport_fill (tap->transport, plan, n);
}

/* RT-safe */
static void
store_max (_Atomic float *slot, float value)
{
  float seen = atomic_load_explicit (slot, memory_order_relaxed);
  while (value > seen
         && !atomic_compare_exchange_weak_explicit (slot, &seen, value,
                                                    memory_order_relaxed,
                                                    memory_order_relaxed))
    ;
}

/* RT-safe */
static void
meter_master (BuskerSessionTap *tap, const float *left, const float *right,
              uint32_t n, uint32_t rate_hz)
{
  BuskerMeter *meter = atomic_load (&tap->meter);
  if (meter == NULL || atomic_load (&tap->meter_rate) != rate_hz)
    return;
  if (atomic_exchange_explicit (&tap->reset_request, 0, memory_order_acquire))
    busker_meter_reset (meter);
  if (!busker_meter_process (meter, left, right, n))
    return;

  BuskerMeterReadout r;
  busker_meter_read (meter, &r);
  atomic_store_explicit (&tap->momentary_lufs, r.momentary_lufs, memory_order_relaxed);
  atomic_store_explicit (&tap->short_term_lufs, r.short_term_lufs, memory_order_relaxed);
  atomic_store_explicit (&tap->integrated_lufs, r.integrated_lufs, memory_order_relaxed);
  atomic_store_explicit (&tap->correlation, r.correlation, memory_order_relaxed);
  store_max (&tap->true_peak, fmaxf (r.true_peak[0], r.true_peak[1]));
}

/* RT-safe */
static void
count_quiet (BuskerSessionTap *tap, const float *left, const float *right, uint32_t n,
             uint32_t rate_hz)
{
  float peak = 0.0f;
  for (uint32_t i = 0; i < n; i++)
    peak = fmaxf (peak, fmaxf (fabsf (left[i]), fabsf (right[i])));
  if (peak < QUIET_LEVEL)
    atomic_fetch_add_explicit (&tap->quiet_frames, n, memory_order_relaxed);
  else
    atomic_store_explicit (&tap->quiet_frames, 0, memory_order_relaxed);
  atomic_store_explicit (&tap->quiet_rate, rate_hz, memory_order_relaxed);
}

/* RT-safe */
void
busker_session_tap_after_run (void *data, BuskerPlan *plan, uint32_t n,
                              uint32_t rate_hz, uint64_t time_ns)
{
  BuskerSessionTap *tap = data;
  if (plan == NULL)
    return;
  atomic_store (&tap->busy, 1);
  uint32_t master = busker_plan_get_master (plan);
  const float *left = busker_process_strip_output (plan, master, 0);
  const float *right = busker_process_strip_output (plan, master, 1);
  meter_master (tap, left, right, n, rate_hz);
  count_quiet (tap, left, right, n, rate_hz);
  BuskerRecorder *recorder = atomic_load (&tap->recorder);
  if (recorder != NULL)
    busker_recorder_push (recorder, left, right, n, rate_hz, time_ns);
  atomic_store (&tap->busy, 0);
}
