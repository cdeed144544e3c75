/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The transport: plays a project's file tracks live. A disk thread reads
 * each file track's source (busker-source-reader, with soxr when the
 * file's rate differs from the graph's) into a lock-free ring buffer; the
 * audio thread copies from the rings into the plan's track inputs. Play,
 * pause, stop, seek and loop are requests the audio thread picks up at
 * the next cycle.
 *
 * This header is the contract the session and the live node are written
 * against.
 *
 * Threads: new/free and every call but busker_transport_fill on the main
 * thread; busker_transport_fill on the audio thread (RT-safe: no
 * allocation, lock, log or I/O; an empty ring plays silence and counts an
 * under-run).
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "busker-mix-desc.h"
#include "busker-plan.h"

G_BEGIN_DECLS

typedef struct _BuskerTransport BuskerTransport;

/* rate_hz: the graph's (or the render's) rate; max_block: the largest n
 * busker_transport_fill will be called with. */
BuskerTransport *busker_transport_new (uint32_t rate_hz, uint32_t max_block);
void busker_transport_free (BuskerTransport *transport);

/* Binds the file tracks of desc (by strip id: a track kept across edits
 * keeps its stream and position) and records in plan which stream feeds
 * which strip; tracks without a file source get silence. Call once per
 * plan, before publishing it; the binding switches with the plan and is
 * freed with it. A source that fails to open is marked missing
 * (busker_transport_dup_missing_reason says why) and the others still
 * play; binding again retries it. New streams are read ahead before this
 * returns (it waits up to 250 ms for the disk thread). The transport must
 * outlive the audio thread's use of every plan bound to it; plans may
 * outlive the transport. */
void busker_transport_bind (BuskerTransport *transport, const BuskerMixDesc *desc,
                            BuskerPlan *plan);

/* The graph's rate changed: streams are re-prepared (on the main thread). */
void busker_transport_set_rate (BuskerTransport *transport, uint32_t rate_hz);

void busker_transport_play (BuskerTransport *transport);
void busker_transport_pause (BuskerTransport *transport);
/* Pause and return to the start. */
void busker_transport_stop (BuskerTransport *transport);
void busker_transport_seek (BuskerTransport *transport, double position_s);
/* Loop the whole project length (the longest file track plus offset). */
void busker_transport_set_loop (BuskerTransport *transport, bool loop);

bool busker_transport_is_playing (BuskerTransport *transport);
/* Seconds from the project start of the frame the audio thread plays next. */
double busker_transport_get_position_s (BuskerTransport *transport);
double busker_transport_get_length_s (BuskerTransport *transport);
/* True once the position passed the end without loop. */
bool busker_transport_is_at_end (BuskerTransport *transport);
/* True while a seek, stop or rate change is under way: the audio side
 * has not reached the new place yet (the position reads as the target). */
bool busker_transport_is_seeking (BuskerTransport *transport);

/* A source that could not be read (deleted or truncated while playing):
 * true for that strip id until it is bound again. */
bool busker_transport_is_missing (BuskerTransport *transport, const char *strip_id);
/* Why strip_id's source is missing: one sentence naming the file (newly
 * allocated), or NULL when it plays. */
char *busker_transport_dup_missing_reason (BuskerTransport *transport,
                                           const char *strip_id);
/* Cycles since the last call in which a ring ran dry (reading clears). */
uint32_t busker_transport_read_underruns (BuskerTransport *transport);
/* Frames read ahead by the disk thread and not yet played (diagnostics,
 * tests). */
uint32_t busker_transport_get_buffered_frames (BuskerTransport *transport);
/* CPU time the disk thread has used so far, in seconds (benchmarks). */
double busker_transport_get_disk_cpu_s (BuskerTransport *transport);

/* Audio thread: writes the next n frames of every bound file track into
 * plan's track inputs, silence when stopped. RT-safe */
void busker_transport_fill (BuskerTransport *transport, BuskerPlan *plan, uint32_t n);

G_END_DECLS
