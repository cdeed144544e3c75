/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The live node: Busker on a running PipeWire graph. One pw_filter
 * ("Busker") on a pw_thread_loop runs the current plan once per graph
 * cycle; one null-audio-sink adapter ("Busker: <track name>") per live
 * track, whose monitor ports Busker links into that track's filter input
 * pair; capture tracks linked from their node; the master pair linked to
 * the default device (never to one of Busker's own sinks). It also watches
 * the application streams and moves them between the track sinks and the
 * default device. See ../shared/notes/pipewire.md for why it is built so.
 *
 * This header is the contract the session (src/session/) is written
 * against. No GObject and no model types here.
 *
 * Threads: everything below runs on the main thread (the GMainContext
 * given to busker_live_new); callbacks arrive there too. The data thread
 * only runs the plan taken from the BuskerPlanSwap, and calls the
 * BuskerLiveHooks (RT-safe) around it.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "busker-mix-desc.h"
#include "busker-plan-swap.h"

G_BEGIN_DECLS

typedef struct _BuskerLive BuskerLive;

typedef enum {
  BUSKER_LIVE_DISCONNECTED, /* no daemon (yet); it retries on its own */
  BUSKER_LIVE_CONNECTED,
} BuskerLiveState;

/* One application stream the graph plays (a browser tab, a player).
 * Strings are owned by the live node and valid until the next
 * streams_changed callback. */
typedef struct {
  uint32_t node_id;
  const char *app_name;   /* application.name, or the binary */
  const char *app_key;    /* what FORMAT.md's "apps" remembers: application.id,
                           * else application.process.binary, else application.name */
  const char *icon_name;  /* application.icon-name, or NULL */
  const char *media_name; /* media.name, or NULL */
  const char *track_id;   /* the live track it plays into, or NULL (default device) */
} BuskerLiveStream;

/* Called on the audio thread each cycle, RT-safe. before_run fills the
 * inputs of tracks the live node does not feed (file tracks: the
 * transport) for the n frames about to run at rate_hz; after_run may read
 * the master's output (the recorder). time_ns: when the cycle started
 * (the driver's spa_io_clock.nsec, CLOCK_MONOTONIC). Either may be
 * NULL. */
typedef struct {
  void (*before_run) (void *data, BuskerPlan *plan, uint32_t n, uint32_t rate_hz,
                      uint64_t time_ns);
  void (*after_run) (void *data, BuskerPlan *plan, uint32_t n, uint32_t rate_hz,
                     uint64_t time_ns);
  void *data;
} BuskerLiveHooks;

/* Why a live or capture track is not heard, or OK. */
typedef enum {
  BUSKER_LIVE_TRACK_OK,
  BUSKER_LIVE_TRACK_NO_SLOT,      /* beyond BUSKER_LIVE_MAX_TRACKS of them */
  BUSKER_LIVE_TRACK_NODE_MISSING, /* capture: no node of that name (yet) */
  BUSKER_LIVE_TRACK_NODE_OURS,    /* capture: one of Busker's own nodes */
  BUSKER_LIVE_TRACK_FEEDBACK,     /* capture: the device the master plays on */
} BuskerLiveTrackProblem;

/* Live and capture tracks the node hears at most (its input pairs). */
#define BUSKER_LIVE_MAX_TRACKS 256

/* Main-thread notifications. */
typedef struct {
  void (*state_changed) (void *data, BuskerLiveState state);
  void (*streams_changed) (void *data);
  /* Some track's BuskerLiveTrackProblem changed. */
  void (*tracks_changed) (void *data);
  /* The graph's rate or quantum changed; the session may rebuild the plan
   * for the new rate (max_block stays at the quantum limit). */
  void (*format_changed) (void *data, uint32_t rate_hz, uint32_t quantum);
  void *data;
} BuskerLiveCallbacks;

typedef enum {
  /* Take the one-live-Busker lock before connecting (busker-live-lock.h):
   * the app's sessions do; test hosts that run beside a Busker on purpose,
   * with sinks of other names, do not. */
  BUSKER_LIVE_EXCLUSIVE = 1 << 0,
} BuskerLiveFlags;

/* Connects when a daemon is there and keeps retrying (every ~1 s) when it
 * is not or when it goes away (or, EXCLUSIVE, while another Busker holds
 * the sound server); never blocks more than a bounded time. Takes no
 * ownership of swap; swap must outlive the node. */
BuskerLive *busker_live_new (BuskerPlanSwap *swap,
                             const BuskerLiveHooks *hooks,
                             const BuskerLiveCallbacks *callbacks,
                             BuskerLiveFlags flags);
/* Moves every stream it routed back to the default device, removes its
 * sinks and links, and disconnects. */
void busker_live_free (BuskerLive *live);

BuskerLiveState busker_live_get_state (BuskerLive *live);
/* Why the node does not connect although it could: another Busker
 * process is live on the same sound server (busker-live-lock.h); NULL
 * otherwise. It tries again with each connection attempt; a change comes
 * with a state_changed call. Main thread. */
const char *busker_live_get_blocker (BuskerLive *live);
/* The graph's rate (Hz) and the largest block the data thread may run
 * (frames); plans for the live node are built with this max_block. */
uint32_t busker_live_get_rate (BuskerLive *live);
uint32_t busker_live_get_max_block (BuskerLive *live);

/* Tells the node which strips of the plan just published (or about to
 * be) are live or capture tracks, so it makes or keeps their sinks and
 * links: one sink per live track, by strip id, named "Busker: <name>".
 * Sinks of tracks no longer live are removed. Call after every publish. */
void busker_live_set_tracks (BuskerLive *live, const BuskerMixDesc *desc);

/* busker_plan_swap_publish (swap, plan) and busker_live_set_tracks (desc)
 * in one step, plan made from desc (takes the plan). Prefer it for edits
 * while playing: the data thread then never runs the new plan with the
 * old track map, whereas between a separate publish and set_tracks it
 * can, for one cycle, and that cycle plays every track silent (or, when
 * the strip count did not change, feeds a shifted track). */
void busker_live_publish (BuskerLive *live, BuskerPlan *plan,
                          const BuskerMixDesc *desc);

/* Remembered routing: streams of applications in apps (NULL-terminated,
 * matched case-insensitively against application.id, process.binary or
 * application.name) go to track_id's sink whenever they appear. Replaces
 * the previous list of that track. */
void busker_live_set_track_apps (BuskerLive *live, const char *track_id,
                                 const char *const *apps);

/* The application streams now playing; *n_streams of them. */
const BuskerLiveStream *busker_live_get_streams (BuskerLive *live,
                                                 uint32_t *n_streams);
/* Moves one stream to a live track's sink, or back to the default device
 * with track_id NULL. */
/* The track's problem (track_id: a live or capture track of the last
 * set_tracks or publish); OK for other ids. A missing capture node is
 * told only once the graph as it was at connection is known. Main
 * thread. */
BuskerLiveTrackProblem busker_live_get_track_problem (BuskerLive *live, const char *track_id);

bool busker_live_move_stream (BuskerLive *live, uint32_t node_id,
                              const char *track_id);

/* Active: something Busker plays by itself (the transport's file tracks)
 * needs the graph to run, so the master's links to the device are made
 * active; inactive (the start): every link is passive and the graph may
 * go idle when no application plays. */
void busker_live_set_active (BuskerLive *live, bool active);

/* Frames of look-ahead reported to the graph as process latency. */
void busker_live_set_latency (BuskerLive *live, uint32_t frames);

/* Cycles in which the data thread found no plan in time or ran late, since
 * the last call (reading clears). For tests and the soak. */
uint32_t busker_live_read_xruns (BuskerLive *live);

/* Graph cycles the data thread has run, since the live node was made (any
 * thread). It stands still while the graph idles, when meters' running
 * values are stale. */
uint64_t busker_live_get_cycles (BuskerLive *live);

G_END_DECLS
