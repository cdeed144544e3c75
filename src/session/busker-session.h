/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * BuskerSession: the main-thread controller of one open project. It owns
 * the BuskerProject, the live node (src/engine/busker-live.h; absent while
 * PipeWire is not running) and the transport, turns model notifications
 * into atomic parameter stores (fader, pan, knobs) or new plans
 * (structure), publishes meters and lists the application streams. The
 * window and `busker --headless` each drive one.
 *
 * This header is the contract the window (src/app, src/widgets) is
 * written against.
 *
 * Threads: main thread only.
 */
#pragma once

#include <gio/gio.h>

#include "model/busker-project.h"
#include "model/busker-strip.h"

G_BEGIN_DECLS

#define BUSKER_TYPE_SESSION (busker_session_get_type ())
G_DECLARE_FINAL_TYPE (BuskerSession, busker_session, BUSKER, SESSION, GObject)

#define BUSKER_TYPE_APP_STREAM (busker_app_stream_get_type ())
G_DECLARE_FINAL_TYPE (BuskerAppStream, busker_app_stream, BUSKER, APP_STREAM, GObject)

/* Properties of BuskerAppStream (read-only): "app-name", "icon-name" (may
 * be NULL), "media-name" (may be NULL), "app-key" (what a live track's
 * "apps" remembers), "track-id" (NULL: the default device), "node-id". */
const char *busker_app_stream_get_app_name (BuskerAppStream *stream);
const char *busker_app_stream_get_icon_name (BuskerAppStream *stream);
const char *busker_app_stream_get_media_name (BuskerAppStream *stream);
const char *busker_app_stream_get_app_key (BuskerAppStream *stream);
const char *busker_app_stream_get_track_id (BuskerAppStream *stream);

/* Per-strip meter values, dBFS (−inf for silence or no live audio). */
typedef struct {
  float peak_db[2];          /* largest sample since the previous read */
  float rms_db[2];           /* ~300 ms */
  float gain_reduction_db;   /* the largest of the strip's dynamics inserts, ≥ 0 */
  gboolean fault;            /* the strip was silenced (non-finite audio, failed insert) since the last read */
} BuskerStripMeter;

typedef struct {
  float momentary_lufs, short_term_lufs, integrated_lufs; /* −inf until measured */
  float true_peak_dbtp;      /* since the previous read */
  float correlation;         /* −1 … +1 */
} BuskerMasterMeter;

/* Properties: "project" (BuskerProject, read-write, may be NULL),
 * "live" (gboolean, read-only: the live node is connected to PipeWire),
 * "playing" (gboolean), "loop" (gboolean, read-write),
 * "length" (double seconds, read-only). Position is polled. */
BuskerSession *busker_session_new (void);
/* Live audio off: for the window's tests and for export-only use. */
BuskerSession *busker_session_new_offline (void);

BuskerProject *busker_session_get_project (BuskerSession *self);
void busker_session_set_project (BuskerSession *self, BuskerProject *project);
gboolean busker_session_get_live (BuskerSession *self);
/* Why live audio stays off although PipeWire may run: one sentence when
 * another Busker process is live on the same sound server (the session
 * goes live when it ends; busker-live-lock.h), else NULL. Property
 * "live-blocker", notified. */
const char *busker_session_get_live_blocker (BuskerSession *self);
/* Why a live or capture track is not heard, in one sentence naming it
 * (too many live tracks; a capture device that is not there, is one of
 * Busker's own sinks or is the device the master plays on), or NULL.
 * Free with g_free. The signal "track-problems-changed" (no arguments)
 * says when to ask again. */
char *busker_session_dup_track_problem (BuskerSession *self, BuskerStrip *strip);

/* Transport for the file tracks. */
void busker_session_play (BuskerSession *self);
void busker_session_pause (BuskerSession *self);
void busker_session_stop (BuskerSession *self);
void busker_session_seek (BuskerSession *self, double position_s);
gboolean busker_session_get_playing (BuskerSession *self);
gboolean busker_session_get_loop (BuskerSession *self);
void busker_session_set_loop (BuskerSession *self, gboolean loop);
double busker_session_get_position_s (BuskerSession *self);
double busker_session_get_length_s (BuskerSession *self);
/* TRUE once playback passed the end of the file tracks without loop (the
 * effects' tails may still ring). */
gboolean busker_session_get_at_end (BuskerSession *self);
/* Seconds the master has stayed under −90 dBFS while the graph ran (0
 * while it plays something): with get_at_end, the end of a mix's tail. */
double busker_session_get_master_quiet_s (BuskerSession *self);

/* Records the master as it plays (busker-recorder.h: the format from the
 * extension, a temporary file beside path renamed onto it when recording
 * stops). FALSE with a sentence naming path when live audio is off or the
 * file cannot be made. A recording already running is finished first. */
gboolean busker_session_start_recording (BuskerSession *self, const char *path,
                                         GError **error);
/* Finishes the recording; FALSE with a sentence (and no file at the path)
 * when it failed or audio was lost. TRUE when nothing was recording. The
 * file keeps the rate the graph had when recording started: when the
 * graph switches rate, what follows is left out and this returns FALSE
 * with a sentence saying so (the file holds what played before). */
gboolean busker_session_stop_recording (BuskerSession *self, GError **error);

/* Meters, read from a frame-clock tick. Reading resets the peaks. FALSE
 * when the strip is not in the running plan (the values are then −inf). */
gboolean busker_session_read_strip_meter (BuskerSession *self, BuskerStrip *strip,
                                          BuskerStripMeter *meter);
gboolean busker_session_read_master_meter (BuskerSession *self,
                                           BuskerMasterMeter *meter);
/* A file track whose source could not be read. */
gboolean busker_session_strip_is_missing (BuskerSession *self, BuskerStrip *strip);

/* The running application streams (BuskerAppStream), updated as they come
 * and go. Empty while live audio is off. */
GListModel *busker_session_get_streams (BuskerSession *self);
/* Moves a stream onto a live track (remembering its app in the track's
 * "apps", one undo step) or back to the default device with track NULL
 * (forgetting it). FALSE with a sentence when track is not live. */
gboolean busker_session_route_stream (BuskerSession *self, BuskerAppStream *stream,
                                      BuskerStrip *track, GError **error);

G_END_DECLS
