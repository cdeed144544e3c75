/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The live node's view of the graph and the links it keeps ([loop]: the
 * PipeWire thread, or the main thread holding the thread loop's lock).
 *
 * The registry is mirrored into three tables (nodes, ports, links). After
 * any change a reconcile is requested (a pw_loop event, so a burst of
 * registry events costs one pass); the pass computes the links Busker
 * wants and makes the difference:
 *   - each live track: busker.<id>'s monitor_FL/FR -> the track's filter
 *     input pair; each capture track: the named node's outputs (its
 *     monitor when it has no others) -> the pair;
 *   - the filter's output pair -> the master device (see choose_master),
 *     ports matched by audio.channel (a mono device gets both channels).
 * Every link is passive (the graph may suspend when nothing plays) and
 * dies with Busker (object.linger=false) — but while the session says the
 * node is active (busker_live_set_active: file tracks are playing, which
 * no application stream would wake the graph for), the master's links
 * are made active instead, so the device runs Busker; a change of that
 * makes the master's links again. A link that fails is not made
 * again until the graph changes, so an impossible link cannot spin.
 */
#include "busker-live-private.h"

#include <spa/utils/result.h>
#include <stdio.h>
#include <string.h>

static void
port_free (gpointer data)
{
  BuskerLivePort *p = data;
  g_free (p->name);
  g_free (p->channel);
  g_free (p);
}

static void
own_link_free (gpointer data)
{
  BuskerLiveOwnLink *l = data;
  if (l->proxy != NULL)
    {
      spa_hook_remove (&l->listener);
      pw_proxy_destroy (l->proxy);
    }
  g_free (l);
}

void
busker_live_graph_init (BuskerLive *live)
{
  live->nodes = g_hash_table_new_full (NULL, NULL, NULL, busker_live_node_free);
  live->ports = g_hash_table_new_full (NULL, NULL, NULL, port_free);
  live->links = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  live->own_links = g_ptr_array_new_with_free_func (own_link_free);
  live->failed_links = g_hash_table_new (g_int64_hash, g_int64_equal);
}

/* Forgets the graph (after the connection is gone or before it goes). */
void
busker_live_graph_clear (BuskerLive *live)
{
  g_ptr_array_set_size (live->own_links, 0);
  g_hash_table_remove_all (live->nodes);
  g_hash_table_remove_all (live->ports);
  g_hash_table_remove_all (live->links);
  g_hash_table_remove_all (live->failed_links);
  g_clear_pointer (&live->default_sink, g_free);
  live->filter_node_id = SPA_ID_INVALID;
}

BuskerLiveNode *
busker_live_graph_find_node (BuskerLive *live, const char *name)
{
  GHashTableIter iter;
  gpointer value;

  if (name == NULL)
    return NULL;
  g_hash_table_iter_init (&iter, live->nodes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      BuskerLiveNode *n = value;
      if (n->name != NULL && strcmp (n->name, name) == 0)
        return n;
    }
  return NULL;
}

BuskerLiveTrack *
busker_live_graph_find_track (BuskerLive *live, const char *id)
{
  for (guint i = 0; i < live->tracks->len; i++)
    {
      BuskerLiveTrack *t = g_ptr_array_index (live->tracks, i);
      if (strcmp (t->id, id) == 0)
        return t;
    }
  return NULL;
}

static bool
is_sink (const BuskerLiveNode *n)
{
  return n->media_class != NULL
         && (strcmp (n->media_class, "Audio/Sink") == 0
             || strcmp (n->media_class, "Audio/Duplex") == 0);
}

/* The node a track takes its sound from: a live track's own sink (by the
 * id our proxy was bound to, not by name: another Busker may have a sink
 * of the same name), a capture track's node by name. */
BuskerLiveNode *
busker_live_graph_track_node (BuskerLive *live, const BuskerLiveTrack *t)
{
  if (t->kind == BUSKER_SOURCE_CAPTURE)
    {
      BuskerLiveNode *n = busker_live_graph_find_node (live, t->node_name);
      /* "<sink>.monitor", as pactl names a sink's monitor source: the
       * sink, whose outputs are its monitor ports. */
      if (n == NULL && g_str_has_suffix (t->node_name, ".monitor"))
        {
          g_autofree char *sink = g_strndup (t->node_name,
                                             strlen (t->node_name) - strlen (".monitor"));
          n = busker_live_graph_find_node (live, sink);
          if (n != NULL && !is_sink (n))
            n = NULL;
        }
      return n;
    }
  if (t->sink == NULL)
    return NULL;
  uint32_t id = pw_proxy_get_bound_id (t->sink);
  return id != SPA_ID_INVALID ? g_hash_table_lookup (live->nodes, GUINT_TO_POINTER (id)) : NULL;
}

/* The device the master plays on: the default sink; when that is one of
 * Busker's own (it would feed back into itself), the device the master
 * played on before if it is still there, else the non-Busker sink with
 * the highest priority.session (what a session manager would pick). */
static BuskerLiveNode *
choose_master (BuskerLive *live)
{
  BuskerLiveNode *d = busker_live_graph_find_node (live, live->default_sink);
  GHashTableIter iter;
  gpointer value;

  if (d != NULL && !d->ours && is_sink (d))
    goto chosen;
  d = busker_live_graph_find_node (live, live->master_sink);
  if (d != NULL && !d->ours && is_sink (d))
    goto chosen;
  d = NULL;
  g_hash_table_iter_init (&iter, live->nodes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      BuskerLiveNode *n = value;
      if (!n->ours && is_sink (n) && (d == NULL || n->priority_session > d->priority_session
                                      || (n->priority_session == d->priority_session
                                          && n->id < d->id)))
        d = n;
    }
  if (d == NULL)
    return NULL;
chosen:
  if (g_strcmp0 (live->master_sink, d->name) != 0)
    {
      g_free (live->master_sink);
      live->master_sink = g_strdup (d->name);
    }
  return d;
}

/* 0 left, 1 right, 2 both (mono), -1 unknown. */
static int
channel_index (const char *channel)
{
  static const char *const left[] = { "FL", "AUX0", "SL", "RL", "FC", NULL };
  static const char *const right[] = { "FR", "AUX1", "SR", "RR", NULL };

  if (channel == NULL)
    return -1;
  if (strcmp (channel, "MONO") == 0)
    return 2;
  if (g_strv_contains (left, channel))
    return 0;
  if (g_strv_contains (right, channel))
    return 1;
  return -1;
}

/* The node's ports of one direction, as a left and right port id
 * (SPA_ID_INVALID where none): by audio.channel, else the first two in
 * id order. With monitors false, monitor ports are skipped unless the
 * node has nothing else. */
static void
node_pair (BuskerLive *live, uint32_t node, bool output, int monitors, uint32_t pair[2])
{
  GHashTableIter iter;
  gpointer value;
  uint32_t first[2] = { SPA_ID_INVALID, SPA_ID_INVALID };
  int pass;

  pair[0] = pair[1] = SPA_ID_INVALID;
  /* monitors: 1 only monitors, 0 prefer non-monitors, -1 never. */
  for (pass = 0; pass < 2; pass++)
    {
      bool want_monitor = monitors == 1 || pass == 1;
      if (pass == 1 && monitors != 0)
        break;
      g_hash_table_iter_init (&iter, live->ports);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          BuskerLivePort *p = value;
          if (p->node != node || p->output != output || p->monitor != want_monitor)
            continue;
          switch (channel_index (p->channel))
            {
            case 0:
              pair[0] = MIN (pair[0], p->id);
              break;
            case 1:
              pair[1] = MIN (pair[1], p->id);
              break;
            case 2:
              pair[0] = pair[1] = MIN (pair[0], p->id);
              break;
            default:
              if (p->id < first[0])
                {
                  first[1] = first[0];
                  first[0] = p->id;
                }
              else if (p->id < first[1])
                first[1] = p->id;
            }
        }
      if (pair[0] == SPA_ID_INVALID && pair[1] == SPA_ID_INVALID && first[0] != SPA_ID_INVALID)
        {
          pair[0] = first[0];
          pair[1] = first[1] != SPA_ID_INVALID ? first[1] : first[0];
        }
      if (pair[0] != SPA_ID_INVALID || pair[1] != SPA_ID_INVALID)
        return;
    }
}

static uint32_t
filter_port (BuskerLive *live, const char *name)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, live->ports);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      BuskerLivePort *p = value;
      if (p->node == live->filter_node_id && g_strcmp0 (p->name, name) == 0)
        return p->id;
    }
  return SPA_ID_INVALID;
}

static uint64_t
pair_key (uint32_t out_port, uint32_t in_port)
{
  return ((uint64_t) out_port << 32) | in_port;
}

static void
link_gone (BuskerLiveOwnLink *l, bool failed)
{
  BuskerLive *live = l->live;
  if (failed)
    {
      gint64 *key = g_new (gint64, 1);
      *key = (gint64) pair_key (l->out_port, l->in_port);
      g_hash_table_add (live->failed_links, key);
    }
  l->dead = true;
  busker_live_graph_request_reconcile (live);
}

static void
on_link_removed (void *data)
{
  link_gone (data, false);
}

static void
on_link_error (void *data, int seq, int res, const char *message)
{
  link_gone (data, true);
}

static const struct pw_proxy_events own_link_events = {
  PW_VERSION_PROXY_EVENTS,
  .removed = on_link_removed,
  .error = on_link_error,
};

static void
make_link (BuskerLive *live, uint32_t out_port, uint32_t in_port)
{
  BuskerLivePort *op = g_hash_table_lookup (live->ports, GUINT_TO_POINTER (out_port));
  BuskerLivePort *ip = g_hash_table_lookup (live->ports, GUINT_TO_POINTER (in_port));
  char buf[4][16];
  BuskerLiveOwnLink *l;

  if (op == NULL || ip == NULL)
    return;
  bool active = live->active && op->node == live->filter_node_id;
  snprintf (buf[0], sizeof buf[0], "%u", op->node);
  snprintf (buf[1], sizeof buf[1], "%u", out_port);
  snprintf (buf[2], sizeof buf[2], "%u", ip->node);
  snprintf (buf[3], sizeof buf[3], "%u", in_port);
  struct pw_properties *props = pw_properties_new (
      PW_KEY_LINK_OUTPUT_NODE, buf[0], PW_KEY_LINK_OUTPUT_PORT, buf[1],
      PW_KEY_LINK_INPUT_NODE, buf[2], PW_KEY_LINK_INPUT_PORT, buf[3],
      PW_KEY_LINK_PASSIVE, active ? "false" : "true", PW_KEY_OBJECT_LINGER, "false", NULL);
  l = g_new0 (BuskerLiveOwnLink, 1);
  l->live = live;
  l->active = active;
  l->out_port = out_port;
  l->in_port = in_port;
  l->proxy = pw_core_create_object (live->core, "link-factory", PW_TYPE_INTERFACE_Link,
                                    PW_VERSION_LINK, &props->dict, 0);
  pw_properties_free (props);
  if (l->proxy == NULL)
    {
      g_free (l);
      return;
    }
  pw_proxy_add_listener (l->proxy, &l->listener, &own_link_events, l);
  g_ptr_array_add (live->own_links, l);
}

static void
want_pair (GArray *want, const uint32_t from[2], const uint32_t to[2])
{
  for (int c = 0; c < 2; c++)
    if (from[c] != SPA_ID_INVALID && to[c] != SPA_ID_INVALID)
      {
        uint64_t key = pair_key (from[c], to[c]);
        g_array_append_val (want, key);
      }
}

static bool
registry_has_link (BuskerLive *live, uint64_t key)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, live->links);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      BuskerLiveLinkInfo *li = value;
      if (pair_key (li->out_port, li->in_port) == key)
        return true;
    }
  return false;
}

/* Why t is not heard. A capture of Busker's own nodes, or of the device
 * the master plays on (its monitor), would feed the mix back into itself:
 * such a track is not linked. A missing node is told only once the graph
 * at connection is known, not while the registry is still listing it. */
static BuskerLiveTrackProblem
track_problem (BuskerLive *live, const BuskerLiveTrack *t, const BuskerLiveNode *src,
               const BuskerLiveNode *device)
{
  if (t->slot < 0)
    return BUSKER_LIVE_TRACK_NO_SLOT;
  if (t->kind != BUSKER_SOURCE_CAPTURE)
    return BUSKER_LIVE_TRACK_OK;
  if (src == NULL)
    return live->graph_known ? BUSKER_LIVE_TRACK_NODE_MISSING : t->problem;
  if (src->ours)
    return BUSKER_LIVE_TRACK_NODE_OURS;
  if (src == device)
    return BUSKER_LIVE_TRACK_FEEDBACK;
  return BUSKER_LIVE_TRACK_OK;
}

void
busker_live_graph_reconcile (BuskerLive *live)
{
  g_autoptr (GArray) want = g_array_new (FALSE, FALSE, sizeof (uint64_t));
  char name[32];

  if (live->core == NULL || live->filter == NULL)
    return;
  live->filter_node_id = pw_filter_get_node_id (live->filter);
  if (live->filter_node_id == SPA_ID_INVALID)
    return;

  BuskerLiveNode *device = choose_master (live);
  bool problems_changed = false;
  for (guint i = 0; i < live->tracks->len; i++)
    {
      BuskerLiveTrack *t = g_ptr_array_index (live->tracks, i);
      BuskerLiveNode *src = busker_live_graph_track_node (live, t);
      uint32_t from[2], to[2];

      BuskerLiveTrackProblem problem = track_problem (live, t, src, device);
      problems_changed |= problem != t->problem;
      t->problem = problem;
      if (problem != BUSKER_LIVE_TRACK_OK || src == NULL || src->id == live->filter_node_id)
        continue;
      node_pair (live, src->id, true, t->kind == BUSKER_SOURCE_LIVE ? 1 : 0, from);
      snprintf (name, sizeof name, "input_%d_FL", t->slot);
      to[0] = filter_port (live, name);
      snprintf (name, sizeof name, "input_%d_FR", t->slot);
      to[1] = filter_port (live, name);
      want_pair (want, from, to);
    }

  if (problems_changed)
    busker_live_post (live, BUSKER_LIVE_NOTIFY_TRACKS);
  if (device != NULL)
    {
      uint32_t from[2] = { filter_port (live, "output_FL"), filter_port (live, "output_FR") };
      uint32_t to[2];
      node_pair (live, device->id, false, -1, to);
      want_pair (want, from, to);
    }

  /* Drop what is dead or no longer wanted. A master link that changes
   * between passive and active is made again at once below: the daemon
   * handles our destroy before the new link, so the registry still
   * listing the old one must not hold the new one back for a round trip
   * (the device would miss Busker for that long). */
  g_autoptr (GArray) replaced = g_array_new (FALSE, FALSE, sizeof (uint64_t));
  for (guint i = live->own_links->len; i-- > 0;)
    {
      BuskerLiveOwnLink *l = g_ptr_array_index (live->own_links, i);
      uint64_t key = pair_key (l->out_port, l->in_port);
      bool wanted = false;
      for (guint w = 0; w < want->len && !wanted; w++)
        wanted = g_array_index (want, uint64_t, w) == key;
      BuskerLivePort *op = g_hash_table_lookup (live->ports, GUINT_TO_POINTER (l->out_port));
      bool master = op != NULL && op->node == live->filter_node_id;
      bool toggled = master && l->active != live->active;
      if (wanted && toggled && !l->dead)
        g_array_append_val (replaced, key);
      if (l->dead || !wanted || toggled)
        g_ptr_array_remove_index_fast (live->own_links, i);
    }
  /* Make what is missing. */
  for (guint w = 0; w < want->len; w++)
    {
      uint64_t key = g_array_index (want, uint64_t, w);
      bool have = false;
      for (guint i = 0; i < live->own_links->len && !have; i++)
        {
          BuskerLiveOwnLink *l = g_ptr_array_index (live->own_links, i);
          have = pair_key (l->out_port, l->in_port) == key;
        }
      bool was_ours = false;
      for (guint r = 0; r < replaced->len && !was_ours; r++)
        was_ours = g_array_index (replaced, uint64_t, r) == key;
      if (have || (!was_ours && registry_has_link (live, key))
          || g_hash_table_contains (live->failed_links, &(gint64){ (gint64) key }))
        continue;
      make_link (live, (uint32_t) (key >> 32), (uint32_t) key);
    }

  busker_live_streams_route_all (live);
}

static void
on_reconcile (void *data, uint64_t count)
{
  busker_live_graph_reconcile (data);
}

void
busker_live_graph_request_reconcile (BuskerLive *live)
{
  if (live->reconcile_event == NULL)
    live->reconcile_event = pw_loop_add_event (pw_thread_loop_get_loop (live->loop),
                                               on_reconcile, live);
  pw_loop_signal_event (pw_thread_loop_get_loop (live->loop), live->reconcile_event);
}

static void
on_sink_bound (void *data, uint32_t global_id)
{
  BuskerLiveTrack *t = data;
  /* Links and routing find the sink by this id. */
  busker_live_graph_request_reconcile (t->live);
}

static const struct pw_proxy_events sink_events = {
  PW_VERSION_PROXY_EVENTS,
  .bound = on_sink_bound,
};

void
busker_live_graph_drop_sink (BuskerLiveTrack *track)
{
  if (track->sink == NULL)
    return;
  spa_hook_remove (&track->sink_listener);
  pw_proxy_destroy (track->sink);
  track->sink = NULL;
}

void
busker_live_graph_make_sink (BuskerLive *live, BuskerLiveTrack *track)
{
  g_autofree char *description = g_strdup_printf ("Busker: %s", track->name);
  struct pw_properties *props;

  if (live->core == NULL || track->kind != BUSKER_SOURCE_LIVE || track->sink != NULL)
    return;
  props = pw_properties_new (
      "factory.name", "support.null-audio-sink",
      PW_KEY_MEDIA_CLASS, "Audio/Sink",
      PW_KEY_NODE_NAME, track->node_name,
      PW_KEY_NODE_DESCRIPTION, description,
      PW_KEY_NODE_VIRTUAL, "true",
      PW_KEY_PRIORITY_SESSION, "0",
      "monitor.channel-volumes", "true",
      PW_KEY_OBJECT_LINGER, "false",
      "audio.position", "FL,FR",
      NULL);
  track->sink = pw_core_create_object (live->core, "adapter", PW_TYPE_INTERFACE_Node,
                                       PW_VERSION_NODE, &props->dict, 0);
  pw_properties_free (props);
  track->live = live;
  if (track->sink != NULL)
    pw_proxy_add_listener (track->sink, &track->sink_listener, &sink_events, track);
}

/* Registry ------------------------------------------------------------- */

static void
on_metadata_property (void *data, uint32_t subject, const char *key, const char *type,
                      const char *value);

static int
metadata_property (void *data, uint32_t subject, const char *key, const char *type,
                   const char *value)
{
  on_metadata_property (data, subject, key, type, value);
  return 0;
}

static const struct pw_metadata_events metadata_events = {
  PW_VERSION_METADATA_EVENTS,
  .property = metadata_property,
};

/* default.audio.sink holds {"name": "<node.name>"}. */
static char *
parse_default_name (const char *value)
{
  struct spa_json it[2];
  char key[64], name[512];

  if (value == NULL)
    return NULL;
  spa_json_init (&it[0], value, strlen (value));
  if (spa_json_enter_object (&it[0], &it[1]) <= 0)
    return NULL;
  while (spa_json_get_string (&it[1], key, sizeof key) > 0)
    {
      if (strcmp (key, "name") == 0)
        {
          if (spa_json_get_string (&it[1], name, sizeof name) <= 0)
            return NULL;
          return g_strdup (name);
        }
      if (spa_json_next (&it[1], &(const char *){ NULL }) <= 0)
        return NULL;
    }
  return NULL;
}

static void
on_metadata_property (void *data, uint32_t subject, const char *key, const char *type,
                      const char *value)
{
  BuskerLive *live = data;

  if (subject == PW_ID_CORE && (key == NULL || strcmp (key, "default.audio.sink") == 0))
    {
      g_free (live->default_sink);
      live->default_sink = key != NULL ? parse_default_name (value) : NULL;
      busker_live_graph_request_reconcile (live);
    }
}

static const char *
prop (const struct spa_dict *props, const char *key)
{
  return props != NULL ? spa_dict_lookup (props, key) : NULL;
}

static void
on_global (void *data, uint32_t id, uint32_t permissions, const char *type, uint32_t version,
           const struct spa_dict *props)
{
  BuskerLive *live = data;

  if (strcmp (type, PW_TYPE_INTERFACE_Node) == 0)
    {
      BuskerLiveNode *n = g_new0 (BuskerLiveNode, 1);
      const char *s;
      n->live = live;
      n->id = id;
      n->name = g_strdup (prop (props, PW_KEY_NODE_NAME));
      n->media_class = g_strdup (prop (props, PW_KEY_MEDIA_CLASS));
      s = prop (props, PW_KEY_PRIORITY_SESSION);
      n->priority_session = s != NULL ? atoi (s) : 0;
      s = prop (props, PW_KEY_OBJECT_SERIAL);
      n->serial = s != NULL ? g_ascii_strtoull (s, NULL, 10) : id;
      n->ours = n->name != NULL
                && (strcmp (n->name, "Busker") == 0 || g_str_has_prefix (n->name, "busker."));
      g_hash_table_replace (live->nodes, GUINT_TO_POINTER (id), n);
      g_hash_table_remove_all (live->failed_links);
      busker_live_streams_node_added (live, n, props);
    }
  else if (strcmp (type, PW_TYPE_INTERFACE_Port) == 0)
    {
      BuskerLivePort *p = g_new0 (BuskerLivePort, 1);
      const char *s;
      p->id = id;
      s = prop (props, PW_KEY_NODE_ID);
      p->node = s != NULL ? (uint32_t) atoi (s) : SPA_ID_INVALID;
      p->output = g_strcmp0 (prop (props, PW_KEY_PORT_DIRECTION), "out") == 0;
      p->monitor = g_strcmp0 (prop (props, PW_KEY_PORT_MONITOR), "true") == 0;
      p->name = g_strdup (prop (props, PW_KEY_PORT_NAME));
      p->channel = g_strdup (prop (props, PW_KEY_AUDIO_CHANNEL));
      g_hash_table_replace (live->ports, GUINT_TO_POINTER (id), p);
      g_hash_table_remove_all (live->failed_links);
    }
  else if (strcmp (type, PW_TYPE_INTERFACE_Link) == 0)
    {
      BuskerLiveLinkInfo *li = g_new0 (BuskerLiveLinkInfo, 1);
      const char *s;
      li->id = id;
      s = prop (props, PW_KEY_LINK_OUTPUT_NODE);
      li->out_node = s ? (uint32_t) atoi (s) : SPA_ID_INVALID;
      s = prop (props, PW_KEY_LINK_OUTPUT_PORT);
      li->out_port = s ? (uint32_t) atoi (s) : SPA_ID_INVALID;
      s = prop (props, PW_KEY_LINK_INPUT_NODE);
      li->in_node = s ? (uint32_t) atoi (s) : SPA_ID_INVALID;
      s = prop (props, PW_KEY_LINK_INPUT_PORT);
      li->in_port = s ? (uint32_t) atoi (s) : SPA_ID_INVALID;
      g_hash_table_replace (live->links, GUINT_TO_POINTER (id), li);
      BuskerLiveNode *n = g_hash_table_lookup (live->nodes, GUINT_TO_POINTER (li->out_node));
      if (n != NULL && n->stream)
        busker_live_post (live, BUSKER_LIVE_NOTIFY_STREAMS);
    }
  else if (strcmp (type, PW_TYPE_INTERFACE_Metadata) == 0)
    {
      if (live->metadata != NULL || g_strcmp0 (prop (props, PW_KEY_METADATA_NAME), "default") != 0)
        return;
      live->metadata = pw_registry_bind (live->registry, id, type, PW_VERSION_METADATA, 0);
      live->metadata_id = id;
      if (live->metadata != NULL)
        pw_metadata_add_listener (live->metadata, &live->metadata_listener, &metadata_events,
                                  live);
    }
  else
    return;
  busker_live_graph_request_reconcile (live);
}

static void
on_global_remove (void *data, uint32_t id)
{
  BuskerLive *live = data;
  gpointer key = GUINT_TO_POINTER (id);
  BuskerLiveNode *n = g_hash_table_lookup (live->nodes, key);
  BuskerLiveLinkInfo *li = g_hash_table_lookup (live->links, key);

  if (n != NULL && n->stream)
    busker_live_post (live, BUSKER_LIVE_NOTIFY_STREAMS);
  /* The daemon reuses node ids and the metadata outlives the node: the
   * routing Busker set for a stream that went must not move the next
   * node that gets its id. */
  if (n != NULL && n->routed_to != NULL)
    busker_live_streams_set_target (live, n, NULL);
  if (li != NULL)
    {
      BuskerLiveNode *from = g_hash_table_lookup (live->nodes, GUINT_TO_POINTER (li->out_node));
      if (from != NULL && from->stream)
        busker_live_post (live, BUSKER_LIVE_NOTIFY_STREAMS);
    }
  if (g_hash_table_remove (live->nodes, key) || g_hash_table_remove (live->ports, key))
    g_hash_table_remove_all (live->failed_links);
  g_hash_table_remove (live->links, key);
  if (live->metadata != NULL && id == live->metadata_id)
    {
      spa_hook_remove (&live->metadata_listener);
      pw_proxy_destroy ((struct pw_proxy *) live->metadata);
      live->metadata = NULL;
      g_clear_pointer (&live->default_sink, g_free);
    }
  busker_live_graph_request_reconcile (live);
}

static const struct pw_registry_events registry_events = {
  PW_VERSION_REGISTRY_EVENTS,
  .global = on_global,
  .global_remove = on_global_remove,
};

void
busker_live_graph_add_registry (BuskerLive *live)
{
  live->registry = pw_core_get_registry (live->core, PW_VERSION_REGISTRY, 0);
  pw_registry_add_listener (live->registry, &live->registry_listener, &registry_events, live);
}
