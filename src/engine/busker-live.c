/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The live node: connection, the filter, the public API. The data-thread
 * side is busker-live-rt.c, the graph and its links busker-live-graph.c,
 * application streams busker-live-streams.c; docs/live.md tells the
 * whole story (threads, sinks and links, reconnecting, the default
 * device).
 *
 * Connecting never blocks: pw_context_connect on a missing daemon fails at
 * once, and the only wait for the daemon (flushing the routing on free)
 * is bounded by pw_thread_loop_timed_wait_full. A lost daemon (core error
 * PW_ID_CORE / -EPIPE) is reported through the eventfd; the main thread
 * tears down and retries every RETRY_MS, and on success makes the filter
 * and every sink again under the same node names; the remembered apps are
 * routed again as their streams show up in the new registry.
 */
#include "busker-live-private.h"

#include <errno.h>
#include <glib-unix.h>
#include <spa/param/latency-utils.h>
#include <spa/pod/builder.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define RETRY_MS 500
#define FLUSH_TIMEOUT_NS (1000 * SPA_NSEC_PER_MSEC)

static void
track_free (gpointer data)
{
  BuskerLiveTrack *t = data;
  busker_live_graph_drop_sink (t);
  g_free (t->id);
  g_free (t->name);
  g_free (t->node_name);
  g_free (t);
}

/* 0.3.x makes the data thread real-time only with client-rt.conf; 1.x
 * dropped that file and does it in client.conf. */
static const char *
client_config (void)
{
  return g_str_has_prefix (pw_get_library_version (), "0.") ? "client-rt.conf" : NULL;
}

static void
set_state (BuskerLive *live, BuskerLiveState state, bool notify)
{
  if (live->state == state)
    return;
  live->state = state;
  if (notify && live->callbacks.state_changed != NULL)
    live->callbacks.state_changed (live->callbacks.data, state);
}

/* Core ----------------------------------------------------------------- */

static void
on_core_error (void *data, uint32_t id, int seq, int res, const char *message)
{
  BuskerLive *live = data;

  /* Torn down on the main thread, never inside the core's own callback. */
  if (id == PW_ID_CORE && res == -EPIPE)
    busker_live_post (live, BUSKER_LIVE_NOTIFY_LOST);
}

static void
on_core_done (void *data, uint32_t id, int seq)
{
  BuskerLive *live = data;

  if (id == PW_ID_CORE && seq == live->pending_sync)
    {
      live->synced = true;
      pw_thread_loop_signal (live->loop, false);
    }
  if (id == PW_ID_CORE && seq == live->graph_sync && !live->graph_known)
    {
      live->graph_known = true;
      busker_live_graph_request_reconcile (live);
    }
}

static const struct pw_core_events core_events = {
  PW_VERSION_CORE_EVENTS,
  .done = on_core_done,
  .error = on_core_error,
};

/* Filter --------------------------------------------------------------- */

static void
on_filter_state (void *data, enum pw_filter_state old, enum pw_filter_state state,
                 const char *error)
{
  /* The node id is known from PAUSED on: links can be made. */
  busker_live_graph_request_reconcile (data);
}

static const struct pw_filter_events filter_events = {
  PW_VERSION_FILTER_EVENTS,
  .state_changed = on_filter_state,
  .process = busker_live_rt_process,
};

static void *
add_port (BuskerLive *live, enum spa_direction direction, const char *name)
{
  return pw_filter_add_port (live->filter, direction, PW_FILTER_PORT_FLAG_MAP_BUFFERS, 0,
                             pw_properties_new (PW_KEY_FORMAT_DSP, "32 bit float mono audio",
                                                PW_KEY_PORT_NAME, name, NULL),
                             NULL, 0);
}

/* Ports are only ever added, one pair per slot the first time a track
 * needs it, and reused: 0.3.65 has no data loop lock, and removing a port
 * frees it under the running data thread. Unused ports are not made:
 * PipeWire visits every port of the node every cycle. */
static void
grow_slots (BuskerLive *live, uint32_t needed)
{
  static const char *const side[2] = { "FL", "FR" };
  char name[32];

  if (live->filter == NULL || needed <= live->n_slots)
    return;
  needed = MIN (needed, BUSKER_LIVE_MAX_SLOTS);
  for (uint32_t k = live->n_slots; k < needed; k++)
    for (int c = 0; c < 2; c++)
      {
        snprintf (name, sizeof name, "input_%u_%s", k, side[c]);
        atomic_store_explicit (&live->rt.in_ports[k][c], add_port (live, SPA_DIRECTION_INPUT, name),
                               memory_order_release);
      }
  live->n_slots = needed;
}

static uint32_t
slots_needed (BuskerLive *live)
{
  uint32_t needed = 1;
  for (guint i = 0; i < live->tracks->len; i++)
    {
      BuskerLiveTrack *t = g_ptr_array_index (live->tracks, i);
      needed = MAX (needed, (uint32_t) t->slot + 1);
    }
  return needed;
}

static const struct spa_pod *
latency_param (BuskerLive *live, struct spa_pod_builder *b)
{
  struct spa_process_latency_info info = SPA_PROCESS_LATENCY_INFO_INIT (
      .rate = live->latency_frames);
  return spa_process_latency_build (b, SPA_PARAM_ProcessLatency, &info);
}

static void
make_filter (BuskerLive *live)
{
  uint8_t buf[256];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (buf, sizeof buf);
  const struct spa_pod *params[1];

  live->filter = pw_filter_new (live->core, "Busker",
                                pw_properties_new (PW_KEY_MEDIA_TYPE, "Audio",
                                                   PW_KEY_MEDIA_CATEGORY, "Filter",
                                                   PW_KEY_MEDIA_ROLE, "DSP",
                                                   PW_KEY_NODE_NAME, "Busker",
                                                   PW_KEY_NODE_DESCRIPTION, "Busker", NULL));
  pw_filter_add_listener (live->filter, &live->filter_listener, &filter_events, live);
  live->rt.out_ports[0] = add_port (live, SPA_DIRECTION_OUTPUT, "output_FL");
  live->rt.out_ports[1] = add_port (live, SPA_DIRECTION_OUTPUT, "output_FR");
  live->n_slots = 0;
  grow_slots (live, slots_needed (live));
  params[0] = latency_param (live, &b);
  pw_filter_connect (live->filter, PW_FILTER_FLAG_RT_PROCESS, params, 1);
}

/* Connection ----------------------------------------------------------- */

/* Main thread, lock held. */
static void
teardown_locked (BuskerLive *live)
{
  live->graph_known = false;
  if (live->filter != NULL)
    {
      spa_hook_remove (&live->filter_listener);
      /* After this, process() no longer runs. */
      pw_filter_destroy (live->filter);
      live->filter = NULL;
    }
  for (uint32_t k = 0; k < BUSKER_LIVE_MAX_SLOTS; k++)
    for (int c = 0; c < 2; c++)
      atomic_store (&live->rt.in_ports[k][c], NULL);
  live->rt.out_ports[0] = live->rt.out_ports[1] = NULL;
  live->n_slots = 0;
  for (guint i = 0; i < live->tracks->len; i++)
    {
      BuskerLiveTrack *t = g_ptr_array_index (live->tracks, i);
      busker_live_graph_drop_sink (t);
    }
  busker_live_graph_clear (live);
  if (live->metadata != NULL)
    {
      spa_hook_remove (&live->metadata_listener);
      pw_proxy_destroy ((struct pw_proxy *) live->metadata);
      live->metadata = NULL;
    }
  if (live->registry != NULL)
    {
      spa_hook_remove (&live->registry_listener);
      pw_proxy_destroy ((struct pw_proxy *) live->registry);
      live->registry = NULL;
    }
  if (live->core != NULL)
    {
      spa_hook_remove (&live->core_listener);
      pw_core_disconnect (live->core);
      live->core = NULL;
    }
}

/* Takes the lock that keeps two Buskers off one sound server, or says
 * who holds it (a state_changed call when that changes). */
static bool
take_lock (BuskerLive *live)
{
  g_autoptr (GError) error = NULL;
  if (!live->exclusive)
    return true;
  if (live->lock == NULL)
    live->lock = busker_live_lock_acquire (&error);
  const char *why = live->lock == NULL ? error->message : NULL;
  if (g_strcmp0 (why, live->blocker) != 0)
    {
      g_free (live->blocker);
      live->blocker = g_strdup (why);
      if (live->callbacks.state_changed != NULL)
        live->callbacks.state_changed (live->callbacks.data, live->state);
    }
  return live->lock != NULL;
}

static bool
try_connect (BuskerLive *live)
{
  /* The daemon first, then the lock: without a daemon there is nothing
   * to hold it for. */
  pw_thread_loop_lock (live->loop);
  live->core = pw_context_connect (live->pw_context, NULL, 0);
  pw_thread_loop_unlock (live->loop);
  if (live->core == NULL)
    return false;
  if (!take_lock (live))
    {
      pw_thread_loop_lock (live->loop);
      pw_core_disconnect (live->core);
      live->core = NULL;
      pw_thread_loop_unlock (live->loop);
      return false;
    }
  pw_thread_loop_lock (live->loop);
  pw_core_add_listener (live->core, &live->core_listener, &core_events, live);
  busker_live_graph_add_registry (live);
  live->graph_known = false;
  live->graph_sync = pw_core_sync (live->core, PW_ID_CORE, 0);
  make_filter (live);
  for (guint i = 0; i < live->tracks->len; i++)
    busker_live_graph_make_sink (live, g_ptr_array_index (live->tracks, i));
  busker_live_graph_request_reconcile (live);
  pw_thread_loop_unlock (live->loop);
  return true;
}

static gboolean
on_retry (gpointer data)
{
  BuskerLive *live = data;

  if (!try_connect (live))
    return G_SOURCE_CONTINUE;
  live->retry_source = NULL;
  set_state (live, BUSKER_LIVE_CONNECTED, true);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (BuskerLive *live)
{
  if (live->retry_source != NULL)
    return;
  live->retry_source = g_timeout_source_new (RETRY_MS);
  g_source_set_callback (live->retry_source, on_retry, live, NULL);
  g_source_attach (live->retry_source, live->context);
  g_source_unref (live->retry_source);
}

/* Streams snapshot ----------------------------------------------------- */

static const char *
keep (BuskerLive *live, const char *s)
{
  char *copy = g_strdup (s);
  if (copy != NULL)
    g_ptr_array_add (live->stream_strings, copy);
  return copy;
}

static int
compare_streams (gconstpointer a, gconstpointer b)
{
  uint32_t x = ((const BuskerLiveStream *) a)->node_id, y = ((const BuskerLiveStream *) b)->node_id;
  return x < y ? -1 : x > y;
}

static void
snapshot_streams (BuskerLive *live)
{
  GHashTableIter iter;
  gpointer value;

  g_array_set_size (live->streams, 0);
  g_ptr_array_set_size (live->stream_strings, 0);
  pw_thread_loop_lock (live->loop);
  g_hash_table_iter_init (&iter, live->nodes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      BuskerLiveNode *n = value;
      if (!n->stream)
        continue;
      /* What a drag remembers: the most specific name (remembered_track's
       * order); binaries are shared by unrelated apps. */
      const char *key = n->app_id ? n->app_id : n->app_name ? n->app_name : n->app_binary;
      BuskerLiveStream s = {
        .node_id = n->id,
        .app_name = keep (live, n->app_name ? n->app_name : n->app_binary),
        .app_key = keep (live, key),
        .icon_name = keep (live, n->icon_name),
        .media_name = keep (live, n->media_name),
        .track_id = keep (live, busker_live_streams_track_of (live, n)),
      };
      g_array_append_val (live->streams, s);
    }
  pw_thread_loop_unlock (live->loop);
  g_array_sort (live->streams, compare_streams);
}

/* Notifications from the other threads --------------------------------- */

static gboolean
on_notify (gint fd, GIOCondition condition, gpointer data)
{
  BuskerLive *live = data;
  uint64_t count;
  int flags;

  if (read (fd, &count, sizeof count) < 0 && errno != EAGAIN)
    return G_SOURCE_CONTINUE;
  flags = atomic_exchange (&live->notify_flags, 0);

  if ((flags & BUSKER_LIVE_NOTIFY_LOST) && live->core != NULL)
    {
      pw_thread_loop_lock (live->loop);
      teardown_locked (live);
      pw_thread_loop_unlock (live->loop);
      busker_live_rt_collect_maps (live, true);
      set_state (live, BUSKER_LIVE_DISCONNECTED, true);
      schedule_retry (live);
      flags |= BUSKER_LIVE_NOTIFY_STREAMS;
    }
  if (flags & BUSKER_LIVE_NOTIFY_STREAMS)
    {
      snapshot_streams (live);
      if (live->callbacks.streams_changed != NULL)
        live->callbacks.streams_changed (live->callbacks.data);
    }
  if ((flags & BUSKER_LIVE_NOTIFY_TRACKS) && live->callbacks.tracks_changed != NULL)
    live->callbacks.tracks_changed (live->callbacks.data);
  if (flags & BUSKER_LIVE_NOTIFY_RETIRED)
    busker_plan_swap_collect (live->rt.swap);
  if ((flags & BUSKER_LIVE_NOTIFY_FORMAT) && live->callbacks.format_changed != NULL)
    live->callbacks.format_changed (live->callbacks.data, busker_live_get_rate (live),
                                    atomic_load (&live->rt.quantum));
  busker_live_rt_collect_maps (live, false);
  return G_SOURCE_CONTINUE;
}

/* Public --------------------------------------------------------------- */

BuskerLive *
busker_live_new (BuskerPlanSwap *swap, const BuskerLiveHooks *hooks,
                 const BuskerLiveCallbacks *callbacks, BuskerLiveFlags flags)
{
  BuskerLive *live;
  const char *config;

  g_return_val_if_fail (swap != NULL, NULL);

  live = g_new0 (BuskerLive, 1);
  live->rt.swap = swap;
  live->exclusive = (flags & BUSKER_LIVE_EXCLUSIVE) != 0;
  if (hooks != NULL)
    live->rt.hooks = *hooks;
  if (callbacks != NULL)
    live->callbacks = *callbacks;
  live->context = g_main_context_ref_thread_default ();
  live->state = BUSKER_LIVE_DISCONNECTED;
  live->filter_node_id = SPA_ID_INVALID;
  live->tracks = g_ptr_array_new_with_free_func (track_free);
  live->track_apps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_strfreev);
  live->streams = g_array_new (FALSE, TRUE, sizeof (BuskerLiveStream));
  live->stream_strings = g_ptr_array_new_with_free_func (g_free);
  busker_live_graph_init (live);

  live->rt.notify_fd = eventfd (0, EFD_NONBLOCK | EFD_CLOEXEC);
  live->notify_source = g_unix_fd_source_new (live->rt.notify_fd, G_IO_IN);
  g_source_set_callback (live->notify_source, G_SOURCE_FUNC (on_notify), live, NULL);
  g_source_attach (live->notify_source, live->context);

  pw_init (NULL, NULL);
  config = client_config ();
  live->loop = pw_thread_loop_new ("busker-pw", NULL);
  live->pw_context = pw_context_new (pw_thread_loop_get_loop (live->loop),
                                     config ? pw_properties_new (PW_KEY_CONFIG_NAME, config, NULL)
                                            : NULL,
                                     0);
  pw_thread_loop_start (live->loop);

  if (try_connect (live))
    live->state = BUSKER_LIVE_CONNECTED;
  else
    schedule_retry (live);
  return live;
}

void
busker_live_free (BuskerLive *live)
{
  if (live == NULL)
    return;

  pw_thread_loop_lock (live->loop);
  if (live->core != NULL)
    {
      /* Apps back to the default device, sinks and links gone, and the
       * daemon has seen it all before we hang up. */
      struct timespec deadline;
      busker_live_streams_unroute_all (live);
      for (guint i = 0; i < live->tracks->len; i++)
        {
          BuskerLiveTrack *t = g_ptr_array_index (live->tracks, i);
          busker_live_graph_drop_sink (t);
        }
      g_ptr_array_set_size (live->own_links, 0);
      live->synced = false;
      live->pending_sync = pw_core_sync (live->core, PW_ID_CORE, 0);
      pw_thread_loop_get_time (live->loop, &deadline, FLUSH_TIMEOUT_NS);
      while (!live->synced)
        if (pw_thread_loop_timed_wait_full (live->loop, &deadline) < 0)
          break;
    }
  teardown_locked (live);
  if (live->reconcile_event != NULL)
    pw_loop_destroy_source (pw_thread_loop_get_loop (live->loop), live->reconcile_event);
  live->reconcile_event = NULL;
  pw_thread_loop_unlock (live->loop);
  pw_thread_loop_stop (live->loop);
  pw_context_destroy (live->pw_context);
  pw_thread_loop_destroy (live->loop);

  if (live->retry_source != NULL)
    g_source_destroy (live->retry_source);
  g_source_destroy (live->notify_source);
  g_source_unref (live->notify_source);
  close (live->rt.notify_fd);
  g_main_context_unref (live->context);

  busker_live_rt_free_maps (live);
  g_ptr_array_unref (live->tracks);
  g_hash_table_unref (live->track_apps);
  g_ptr_array_unref (live->own_links);
  g_hash_table_unref (live->failed_links);
  g_hash_table_unref (live->nodes);
  g_hash_table_unref (live->ports);
  g_hash_table_unref (live->links);
  g_free (live->default_sink);
  g_free (live->master_sink);
  g_array_unref (live->streams);
  g_ptr_array_unref (live->stream_strings);
  /* Last: the sinks are gone, another Busker may take over. */
  busker_live_lock_release (live->lock);
  g_free (live->blocker);
  g_free (live);
}

BuskerLiveState
busker_live_get_state (BuskerLive *live)
{
  g_return_val_if_fail (live != NULL, BUSKER_LIVE_DISCONNECTED);
  return live->state;
}

const char *
busker_live_get_blocker (BuskerLive *live)
{
  g_return_val_if_fail (live != NULL, NULL);
  return live->blocker;
}

uint32_t
busker_live_get_rate (BuskerLive *live)
{
  g_return_val_if_fail (live != NULL, 48000);
  uint32_t rate = atomic_load (&live->rt.rate_hz);
  return rate != 0 ? rate : 48000;
}

uint32_t
busker_live_get_max_block (BuskerLive *live)
{
  return BUSKER_LIVE_MAX_BLOCK;
}

/* node.name of a live track's sink: ASCII, stable across runs. */
static char *
sink_node_name (const char *id)
{
  GString *s = g_string_new ("busker.");
  for (const char *p = id; *p != '\0'; p++)
    g_string_append_c (s, g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.' ? *p : '_');
  return g_string_free (s, FALSE);
}

static int
free_slot (BuskerLive *live)
{
  for (int slot = 0;; slot++)
    {
      bool used = false;
      for (guint i = 0; i < live->tracks->len && !used; i++)
        used = ((BuskerLiveTrack *) g_ptr_array_index (live->tracks, i))->slot == slot;
      if (!used)
        return slot;
    }
}

BuskerLiveMap *
busker_live_make_map (BuskerLive *live, const BuskerMixDesc *desc, const BuskerPlan *plan)
{
  BuskerLiveMap *map = g_new0 (BuskerLiveMap, 1);

  map->plan = plan;
  map->n_strips = desc->n_strips;
  map->feeds = g_new0 (typeof (*map->feeds), desc->n_strips + 1);
  map->tracks = g_new0 (uint32_t, desc->n_strips + 1);
  /* the tracks without a feed first: the data thread silences those */
  for (int fed = 0; fed <= 1; fed++)
    for (uint32_t s = 0; s < desc->n_strips; s++)
      {
        const BuskerStripDesc *sd = &desc->strips[s];
        if (sd->kind != BUSKER_STRIP_TRACK)
          continue;
        BuskerLiveTrack *t = sd->id ? busker_live_graph_find_track (live, sd->id) : NULL;
        bool has_feed = t != NULL && t->slot >= 0 && (uint32_t) t->slot < BUSKER_LIVE_MAX_SLOTS;
        if (has_feed != (fed == 1))
          continue;
        map->tracks[map->n_tracks++] = s;
        if (has_feed)
          {
            map->feeds[map->n_feeds].strip = s;
            map->feeds[map->n_feeds].slot = (uint32_t) t->slot;
            map->n_feeds++;
          }
      }
  map->n_unfed = map->n_tracks - map->n_feeds;
  return map;
}

/* Lock held. Makes, keeps or drops the tracks' sinks and slots. */
static void
update_tracks (BuskerLive *live, const BuskerMixDesc *desc)
{
  g_autoptr (GPtrArray) keep = g_ptr_array_new ();
  for (uint32_t s = 0; s < desc->n_strips; s++)
    {
      const BuskerStripDesc *sd = &desc->strips[s];
      if (sd->kind != BUSKER_STRIP_TRACK || sd->id == NULL
          || (sd->source != BUSKER_SOURCE_LIVE && sd->source != BUSKER_SOURCE_CAPTURE)
          || (sd->source == BUSKER_SOURCE_CAPTURE && sd->source_node == NULL))
        continue;
      g_autofree char *node_name = sd->source == BUSKER_SOURCE_LIVE ? sink_node_name (sd->id)
                                                                     : g_strdup (sd->source_node);
      /* What its sink shows: one line in every sound settings panel. */
      g_autofree char *name = g_strdup (sd->name != NULL && *sd->name != '\0' ? sd->name : sd->id);
      for (char *c = name; *c != '\0'; c++)
        if ((unsigned char) *c < 0x20 || *c == 0x7f)
          *c = ' ';
      BuskerLiveTrack *t = busker_live_graph_find_track (live, sd->id);
      if (t == NULL)
        {
          t = g_new0 (BuskerLiveTrack, 1);
          t->id = g_strdup (sd->id);
          t->slot = free_slot (live);
          g_ptr_array_add (live->tracks, t);
        }
      else if (t->kind != sd->source || strcmp (t->node_name, node_name) != 0
               || strcmp (t->name, name) != 0)
        busker_live_graph_drop_sink (t); /* made again below */
      t->kind = sd->source;
      g_free (t->name);
      t->name = g_steal_pointer (&name);
      g_free (t->node_name);
      t->node_name = g_steal_pointer (&node_name);
      if (t->slot >= BUSKER_LIVE_MAX_SLOTS)
        t->slot = -1; /* beyond the filter's ports: not heard */
      g_ptr_array_add (keep, t);
    }
  for (guint i = live->tracks->len; i-- > 0;)
    if (!g_ptr_array_find (keep, g_ptr_array_index (live->tracks, i), NULL))
      g_ptr_array_remove_index (live->tracks, i);

  grow_slots (live, slots_needed (live));
  for (guint i = 0; i < live->tracks->len; i++)
    busker_live_graph_make_sink (live, g_ptr_array_index (live->tracks, i));
  if (live->core != NULL)
    busker_live_graph_request_reconcile (live);
}

void
busker_live_set_tracks (BuskerLive *live, const BuskerMixDesc *desc)
{
  g_return_if_fail (live != NULL && desc != NULL);

  pw_thread_loop_lock (live->loop);
  update_tracks (live, desc);
  busker_live_rt_publish_map (live, busker_live_make_map (live, desc, NULL));
  pw_thread_loop_unlock (live->loop);
}

void
busker_live_publish (BuskerLive *live, BuskerPlan *plan, const BuskerMixDesc *desc)
{
  g_return_if_fail (live != NULL && plan != NULL && desc != NULL);

  pw_thread_loop_lock (live->loop);
  update_tracks (live, desc);
  /* The map first: when the data thread takes the plan, its map is there. */
  busker_live_rt_publish_map (live, busker_live_make_map (live, desc, plan));
  busker_plan_swap_publish (live->rt.swap, plan);
  pw_thread_loop_unlock (live->loop);
}

void
busker_live_set_track_apps (BuskerLive *live, const char *track_id, const char *const *apps)
{
  g_return_if_fail (live != NULL && track_id != NULL);

  pw_thread_loop_lock (live->loop);
  if (apps == NULL || apps[0] == NULL)
    g_hash_table_remove (live->track_apps, track_id);
  else
    {
      guint n = g_strv_length ((char **) apps);
      char **folded = g_new0 (char *, n + 1);
      for (guint i = 0; i < n; i++)
        folded[i] = g_utf8_casefold (apps[i], -1);
      g_hash_table_replace (live->track_apps, g_strdup (track_id), folded);
    }
  if (live->core != NULL)
    busker_live_graph_request_reconcile (live);
  pw_thread_loop_unlock (live->loop);
}

BuskerLiveTrackProblem
busker_live_get_track_problem (BuskerLive *live, const char *track_id)
{
  g_return_val_if_fail (live != NULL && track_id != NULL, BUSKER_LIVE_TRACK_OK);
  pw_thread_loop_lock (live->loop);
  BuskerLiveTrack *t = busker_live_graph_find_track (live, track_id);
  BuskerLiveTrackProblem problem = t != NULL ? t->problem : BUSKER_LIVE_TRACK_OK;
  pw_thread_loop_unlock (live->loop);
  return problem;
}

const BuskerLiveStream *
busker_live_get_streams (BuskerLive *live, uint32_t *n_streams)
{
  g_return_val_if_fail (live != NULL && n_streams != NULL, NULL);
  *n_streams = live->streams->len;
  return (const BuskerLiveStream *) (void *) live->streams->data;
}

bool
busker_live_move_stream (BuskerLive *live, uint32_t node_id, const char *track_id)
{
  bool ok = false;

  g_return_val_if_fail (live != NULL, false);
  pw_thread_loop_lock (live->loop);
  BuskerLiveNode *n = g_hash_table_lookup (live->nodes, GUINT_TO_POINTER (node_id));
  if (n != NULL && n->stream)
    ok = busker_live_streams_set_target (live, n, track_id);
  if (ok)
    n->manual = true;
  pw_thread_loop_unlock (live->loop);
  return ok;
}

void
busker_live_set_latency (BuskerLive *live, uint32_t frames)
{
  g_return_if_fail (live != NULL);

  pw_thread_loop_lock (live->loop);
  if (frames != live->latency_frames)
    {
      live->latency_frames = frames;
      if (live->filter != NULL)
        {
          uint8_t buf[256];
          struct spa_pod_builder b = SPA_POD_BUILDER_INIT (buf, sizeof buf);
          const struct spa_pod *param = latency_param (live, &b);
          pw_filter_update_params (live->filter, NULL, &param, 1);
        }
    }
  pw_thread_loop_unlock (live->loop);
}

void
busker_live_set_active (BuskerLive *live, bool active)
{
  g_return_if_fail (live != NULL);

  pw_thread_loop_lock (live->loop);
  if (active != live->active)
    {
      live->active = active;
      busker_live_graph_request_reconcile (live);
    }
  pw_thread_loop_unlock (live->loop);
}

uint32_t
busker_live_read_xruns (BuskerLive *live)
{
  g_return_val_if_fail (live != NULL, 0);
  return atomic_exchange (&live->rt.xruns, 0);
}

uint64_t
busker_live_get_cycles (BuskerLive *live)
{
  g_return_val_if_fail (live != NULL, 0);
  return atomic_load_explicit (&live->rt.cycles, memory_order_relaxed);
}
