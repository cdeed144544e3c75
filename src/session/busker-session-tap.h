/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the session runs on the audio thread around the plan (the live
 * node's BuskerLiveHooks): before the plan, the transport fills the file
 * tracks; after it, the master is metered (EBU R 128 loudness, true peak,
 * correlation: src/dsp/meters.h) and, when asked, recorded. Results cross
 * to the main thread through atomics.
 *
 * Threads: new/free, set_*, read and reset on the main thread;
 * busker_session_tap_before_run/after_run on the audio thread (RT-safe).
 */
#pragma once

#include "engine/busker-live.h"
#include "engine/busker-recorder.h"
#include "engine/busker-transport.h"
#include "busker-session.h"

G_BEGIN_DECLS

typedef struct _BuskerSessionTap BuskerSessionTap;

/* transport may be NULL; it must outlive the tap's use on the audio side. */
BuskerSessionTap *busker_session_tap_new (BuskerTransport *transport);
/* The audio side must have stopped calling the hooks. */
void busker_session_tap_free (BuskerSessionTap *tap);

/* The hooks to hand to busker_live_new. */
BuskerLiveHooks busker_session_tap_hooks (BuskerSessionTap *tap);

/* Meters the master at rate_hz from now on (a fresh measurement). Blocks
 * at most one graph cycle while the audio side lets go of the old meter.
 * FALSE when the meter cannot be allocated. */
gboolean busker_session_tap_set_rate (BuskerSessionTap *tap, uint32_t rate_hz);
/* Starts (recorder) or stops (NULL) recording the master; returns the
 * recorder it replaced, which the audio side no longer touches. Each
 * cycle is pushed with the rate it ran at (the recorder converts). */
BuskerRecorder *busker_session_tap_set_recorder (BuskerSessionTap *tap,
                                                 BuskerRecorder *recorder);
/* The master's loudness; true peak since the previous read. */
void busker_session_tap_read (BuskerSessionTap *tap, BuskerMasterMeter *meter);
/* Seconds the master has stayed under −90 dBFS (the silence of
 * busker-export's tail rule), counted over the cycles that ran; 0 while
 * it plays something. */
double busker_session_tap_get_quiet_s (BuskerSessionTap *tap);

/* Starts the integrated loudness afresh at the next cycle. */
void busker_session_tap_reset_loudness (BuskerSessionTap *tap);

/* Audio thread. RT-safe */
void busker_session_tap_before_run (void *tap, BuskerPlan *plan, uint32_t n,
                                    uint32_t rate_hz, uint64_t time_ns);
void busker_session_tap_after_run (void *tap, BuskerPlan *plan, uint32_t n,
                                   uint32_t rate_hz, uint64_t time_ns);

G_END_DECLS
