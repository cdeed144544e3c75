/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The live node's insides, shared by busker-live*.c. See docs/live.md for
 * which thread owns what:
 *
 * - main thread (the GMainContext of busker_live_new): the public API,
 *   the callbacks, connecting and tearing down, the retry timer;
 * - PipeWire thread (pw_thread_loop): registry, metadata, proxies; every
 *   field of BuskerLive marked [loop] is only touched with the thread
 *   loop's lock held (the loop holds it while it dispatches);
 * - data thread (the context's RT data loop): busker_live_rt_process and
 *   the BuskerLiveRt fields marked [rt]; it reads [shared] atomics.
 */
#pragma once

#include <pipewire/filter.h>
#include <pipewire/pipewire.h>
#include <pipewire/extensions/metadata.h>
#include <spa/utils/json.h>
#include <stdatomic.h>

#include "busker-live.h"
#include "busker-live-lock.h"

G_BEGIN_DECLS

/* Largest block the graph can ask for (clock.quantum-limit's ceiling);
 * plans and buffers are made for it up front. */
#define BUSKER_LIVE_MAX_BLOCK 8192
/* Input pairs the filter can ever have; ports are made as slots are
 * first used (each port costs its node about 0.25 µs a cycle here,
 * linked or not: docs/live.md). */
#define BUSKER_LIVE_MAX_SLOTS BUSKER_LIVE_MAX_TRACKS

/* Notifications posted to the main thread through the eventfd. */
enum {
  BUSKER_LIVE_NOTIFY_LOST = 1 << 0,    /* the daemon went away */
  BUSKER_LIVE_NOTIFY_STREAMS = 1 << 1, /* the stream list changed */
  BUSKER_LIVE_NOTIFY_FORMAT = 1 << 2,  /* rate or quantum changed */
  BUSKER_LIVE_NOTIFY_RETIRED = 1 << 3, /* the data thread let go of a plan */
  BUSKER_LIVE_NOTIFY_TRACKS = 1 << 4,  /* a track's problem changed */
};

/* Which filter input pair feeds which track strip. Made on the main
 * thread, read by the data thread, freed once the data thread has run a
 * cycle with a newer map (gen). */
typedef struct _BuskerLiveMap BuskerLiveMap;
struct _BuskerLiveMap {
  uint64_t gen;
  const BuskerPlan *plan; /* the plan it was made for (busker_live_publish),
                           * or NULL: any plan of the same shape */
  BuskerLiveMap *prev;    /* the map published before it (data thread walks
                           * back to the one for its plan, never past the
                           * one it used last) */
  uint32_t n_strips; /* of the desc it was made from: a plan of another
                      * shape is fed silence until the next map */
  uint32_t n_feeds;
  struct { uint32_t strip, slot; } *feeds;
  uint32_t n_tracks; /* every track strip, for the silence check: */
  uint32_t *tracks;  /* those without a feed first (n_unfed) */
  uint32_t n_unfed;
  BuskerLiveMap *next; /* retired list, main thread */
};

typedef struct {
  BuskerPlanSwap *swap;
  BuskerLiveHooks hooks;
  int notify_fd;               /* eventfd to the main thread */

  /* [shared] set on the main thread before a map naming the slot is
   * published, or before the filter connects. */
  void *_Atomic in_ports[BUSKER_LIVE_MAX_SLOTS][2];
  void *out_ports[2];

  _Atomic (BuskerLiveMap *) map;     /* [shared] main -> data */
  _Atomic uint64_t map_seen;         /* [shared] data -> main */
  _Atomic uint32_t xruns;            /* [shared] data -> main */
  _Atomic uint32_t rate_hz;          /* [shared] data -> main */
  _Atomic uint32_t quantum;          /* [shared] data -> main */
  _Atomic uint64_t cycles;           /* [shared] for tests and the bench */
  _Atomic uint64_t busy_ns;          /* [shared] time spent in process() */

  uint32_t quiet_cycles; /* [rt] cycles of silent input and silent output */
  const BuskerPlan *last_plan; /* [rt] the plan of the last cycle; compared, never read */
  uint64_t used_gen;     /* [rt] the map generation of the last cycle */
} BuskerLiveRt;

typedef struct {
  BuskerLive *live;
  uint32_t id;
  uint64_t serial;
  char *name;        /* node.name */
  char *media_class;
  int priority_session;
  bool ours;         /* Busker's filter or one of its sinks */
  /* application streams */
  bool stream;       /* an app stream Busker lists and may move */
  char *app_id, *app_binary, *app_name, *icon_name, *media_name;
  char *routed_to;   /* track id Busker sent it to, or NULL */
  uint64_t routed_serial; /* that track's sink then (object.serial): a sink
                           * made again (a rename) gets its streams back */
  bool manual;       /* moved by busker_live_move_stream: not re-routed */
  /* candidate streams are bound: the registry's global carries only a
   * few properties, the node's info has them all */
  struct pw_proxy *proxy;
  struct spa_hook listener;
} BuskerLiveNode;

typedef struct {
  uint32_t id;
  uint32_t node;
  bool output;
  bool monitor;
  char *name;    /* port.name */
  char *channel; /* audio.channel, or NULL */
} BuskerLivePort;

typedef struct {
  uint32_t id, out_node, out_port, in_node, in_port;
} BuskerLiveLinkInfo;

typedef struct {
  BuskerLive *live;
  uint32_t out_port, in_port;
  struct pw_proxy *proxy;
  struct spa_hook listener;
  bool dead;
  bool active;           /* made without link.passive (the master, while active) */
} BuskerLiveOwnLink;

typedef struct {
  char *id;
  char *name;
  BuskerSourceKind kind; /* LIVE or CAPTURE */
  char *node_name;       /* LIVE: busker.<id>; CAPTURE: the device's */
  int slot;              /* filter input pair */
  struct pw_proxy *sink; /* LIVE: our null-audio-sink, while connected */
  struct spa_hook sink_listener;
  BuskerLive *live;
  BuskerLiveTrackProblem problem; /* from the last reconcile */
} BuskerLiveTrack;

struct _BuskerLive {
  BuskerLiveRt rt;
  BuskerLiveCallbacks callbacks;
  GMainContext *context;
  GSource *notify_source, *retry_source;
  _Atomic int notify_flags;
  BuskerLiveState state;

  struct pw_thread_loop *loop;
  struct pw_context *pw_context;

  /* [loop] while connected */
  struct pw_core *core;
  struct spa_hook core_listener;
  struct pw_registry *registry;
  struct spa_hook registry_listener;
  struct pw_metadata *metadata; /* the "default" metadata */
  uint32_t metadata_id;
  struct spa_hook metadata_listener;
  struct pw_filter *filter;
  struct spa_hook filter_listener;
  uint32_t n_slots;        /* input pairs the filter has */
  uint32_t filter_node_id; /* from the registry */
  struct spa_source *reconcile_event;
  int pending_sync;
  bool synced;
  int graph_sync;          /* the sync after the registry was added */
  bool graph_known;        /* its done came: every node then is known */

  /* [loop] the graph as the registry shows it, by global id */
  GHashTable *nodes;  /* BuskerLiveNode */
  GHashTable *ports;  /* BuskerLivePort */
  GHashTable *links;  /* BuskerLiveLinkInfo */
  GPtrArray *own_links; /* BuskerLiveOwnLink */
  GHashTable *failed_links; /* out<<32|in of links that failed */
  char *default_sink;   /* default.audio.sink's name */
  char *master_sink;    /* the device the master plays on now */

  /* [loop] what the session asked for; survives reconnects */
  GPtrArray *tracks;        /* BuskerLiveTrack */
  GHashTable *track_apps;   /* track id -> char** (lower case) */
  uint32_t latency_frames;
  bool active;              /* busker_live_set_active */

  /* main thread */
  bool exclusive;           /* BUSKER_LIVE_EXCLUSIVE */
  BuskerLiveLock *lock;     /* held from the first connection on */
  char *blocker;            /* why it cannot take the lock, or NULL */
  BuskerLiveMap *retired;   /* maps the data thread may still read */
  uint64_t map_gen;
  GArray *streams;          /* BuskerLiveStream snapshot */
  GPtrArray *stream_strings;
};

/* busker-live-rt.c */
void busker_live_rt_process (void *data, struct spa_io_position *position);
void busker_live_rt_publish_map (BuskerLive *live, BuskerLiveMap *map);
BuskerLiveMap *busker_live_make_map (BuskerLive *live, const BuskerMixDesc *desc,
                                     const BuskerPlan *plan);
void busker_live_rt_collect_maps (BuskerLive *live, bool all);
void busker_live_rt_free_maps (BuskerLive *live);
void busker_live_post (BuskerLive *live, int flags);

/* busker-live-graph.c ([loop]) */
void busker_live_graph_init (BuskerLive *live);
void busker_live_graph_clear (BuskerLive *live);
void busker_live_graph_add_registry (BuskerLive *live);
void busker_live_graph_request_reconcile (BuskerLive *live);
void busker_live_graph_reconcile (BuskerLive *live);
BuskerLiveNode *busker_live_graph_find_node (BuskerLive *live, const char *name);
BuskerLiveTrack *busker_live_graph_find_track (BuskerLive *live, const char *id);
BuskerLiveNode *busker_live_graph_track_node (BuskerLive *live, const BuskerLiveTrack *t);
void busker_live_graph_make_sink (BuskerLive *live, BuskerLiveTrack *track);
void busker_live_graph_drop_sink (BuskerLiveTrack *track);

/* busker-live-streams.c ([loop]) */
void busker_live_streams_node_added (BuskerLive *live, BuskerLiveNode *node,
                                     const struct spa_dict *props);
void busker_live_streams_route_all (BuskerLive *live);
bool busker_live_streams_set_target (BuskerLive *live, BuskerLiveNode *node,
                                     const char *track_id);
void busker_live_streams_unroute_all (BuskerLive *live);
const char *busker_live_streams_track_of (BuskerLive *live, BuskerLiveNode *node);
void busker_live_node_free (gpointer data);

G_END_DECLS
