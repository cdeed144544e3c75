/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Application streams ([loop]): which ones Busker lists, and moving them
 * between the track sinks and the default device.
 *
 * Listed: every Stream/Output/Audio node except Busker's own, monitor
 * streams, event and notification sounds, streams that chose their own
 * target (target.object / node.target) and node.dont-reconnect streams.
 *
 * Moving: the "default" metadata's target.object and target.node, both
 * set to the sink's node.name (WirePlumber's policy takes a name as well
 * as a serial or id); both cleared to send a stream back to the default
 * device. A name, because WirePlumber 0.4's restore-stream remembers every
 * target it can resolve from a serial or id, keyed by media.role when the
 * stream has one: one move of a "Music" player made every later Music
 * stream land on that track, in any project, even apps no track names.
 * It resolves no name, so it keeps nothing of Busker's moves. Remembered apps
 * are routed from the registry's global event, before the session
 * manager has linked the stream, so nothing plays on the default device
 * first; and again after any graph change (a track's sink appearing after
 * a reconnect), so a player that opens a new stream per song stays put.
 */
#include "busker-live-private.h"

#include <stdio.h>
#include <string.h>

void
busker_live_node_free (gpointer data)
{
  BuskerLiveNode *n = data;
  if (n->proxy != NULL)
    {
      spa_hook_remove (&n->listener);
      pw_proxy_destroy (n->proxy);
    }
  g_free (n->name);
  g_free (n->media_class);
  g_free (n->app_id);
  g_free (n->app_binary);
  g_free (n->app_name);
  g_free (n->icon_name);
  g_free (n->media_name);
  g_free (n->routed_to);
  g_free (n);
}

static bool
same_app (const char *remembered, const char *value)
{
  if (value == NULL)
    return false;
  g_autofree char *folded = g_utf8_casefold (value, -1);
  return strcmp (remembered, folded) == 0;
}

/* The live track whose apps list names the stream's application, or
 * NULL. The most specific name wins across all tracks: application.id,
 * then application.name, then the process binary last, since unrelated
 * apps share one (paplay and pw-play streams are all "pacat" and
 * "pw-cat"; interpreters, Wine): a track that remembers "Spotify" keeps
 * Spotify even when another track remembers "pacat". */
static const char *
remembered_track (BuskerLive *live, const BuskerLiveNode *n)
{
  const char *by[] = { n->app_id, n->app_name, n->app_binary };

  for (guint k = 0; k < G_N_ELEMENTS (by); k++)
    {
      GHashTableIter iter;
      gpointer key, value;

      if (by[k] == NULL)
        continue;
      g_hash_table_iter_init (&iter, live->track_apps);
      while (g_hash_table_iter_next (&iter, &key, &value))
        for (char **app = value; *app != NULL; app++)
          if (same_app (*app, by[k]))
            return key;
    }
  return NULL;
}

/* A stream Busker sent to a track whose sink has since been made again
 * (a rename recreates it; the metadata still names the old serial). */
static bool
sink_remade (BuskerLive *live, const BuskerLiveNode *n)
{
  BuskerLiveTrack *t;
  BuskerLiveNode *sink;

  if (n->routed_to == NULL)
    return false;
  t = busker_live_graph_find_track (live, n->routed_to);
  sink = t != NULL && t->kind == BUSKER_SOURCE_LIVE ? busker_live_graph_track_node (live, t) : NULL;
  return sink != NULL && sink->serial != n->routed_serial;
}

static bool
skipped_role (const char *role)
{
  return role != NULL
         && (g_ascii_strcasecmp (role, "Event") == 0
             || g_ascii_strcasecmp (role, "Notification") == 0);
}

static void
replace (char **field, const char *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
}

/* The node's full properties: decides whether it is listed, and routes
 * it if its application is remembered and the global event could not
 * tell (application.id and the binary are not in the global). */
static void
on_node_info (void *data, const struct pw_node_info *info)
{
  BuskerLiveNode *n = data;
  BuskerLive *live = n->live;
  const struct spa_dict *props = info->props;

  if (!(info->change_mask & PW_NODE_CHANGE_MASK_PROPS) || props == NULL)
    return;
  bool listed = !spa_atob (spa_dict_lookup (props, PW_KEY_STREAM_MONITOR))
                && !spa_atob (spa_dict_lookup (props, PW_KEY_NODE_DONT_RECONNECT))
                && spa_dict_lookup (props, PW_KEY_TARGET_OBJECT) == NULL
                && spa_dict_lookup (props, "node.target") == NULL
                && !skipped_role (spa_dict_lookup (props, PW_KEY_MEDIA_ROLE));
  replace (&n->app_id, spa_dict_lookup (props, PW_KEY_APP_ID));
  replace (&n->app_binary, spa_dict_lookup (props, PW_KEY_APP_PROCESS_BINARY));
  replace (&n->app_name, spa_dict_lookup (props, PW_KEY_APP_NAME));
  replace (&n->icon_name, spa_dict_lookup (props, PW_KEY_APP_ICON_NAME));
  replace (&n->media_name, spa_dict_lookup (props, PW_KEY_MEDIA_NAME));

  if (!listed)
    {
      /* Routed early by name, but it chose its own way: undo. */
      if (n->routed_to != NULL)
        busker_live_streams_set_target (live, n, NULL);
      n->stream = false;
      return;
    }
  n->stream = true;
  const char *track = n->manual ? NULL : remembered_track (live, n);
  if (track != NULL && g_strcmp0 (track, n->routed_to) != 0)
    busker_live_streams_set_target (live, n, track);
  busker_live_post (live, BUSKER_LIVE_NOTIFY_STREAMS);
}

static const struct pw_node_events node_events = {
  PW_VERSION_NODE_EVENTS,
  .info = on_node_info,
};

/* From the registry's global event: binds candidate streams, and moves
 * one whose application.name is remembered at once, before the session
 * manager links it to the default device. */
void
busker_live_streams_node_added (BuskerLive *live, BuskerLiveNode *n, const struct spa_dict *props)
{
  if (props == NULL || n->ours || g_strcmp0 (n->media_class, "Stream/Output/Audio") != 0
      || skipped_role (spa_dict_lookup (props, PW_KEY_MEDIA_ROLE)))
    return;
  n->app_name = g_strdup (spa_dict_lookup (props, PW_KEY_APP_NAME));
  n->proxy = pw_registry_bind (live->registry, n->id, PW_TYPE_INTERFACE_Node, PW_VERSION_NODE, 0);
  if (n->proxy != NULL)
    pw_proxy_add_object_listener (n->proxy, &n->listener, &node_events, n);

  const char *track = remembered_track (live, n);
  if (track != NULL)
    busker_live_streams_set_target (live, n, track);
}

void
busker_live_streams_route_all (BuskerLive *live)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, live->nodes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      BuskerLiveNode *n = value;
      const char *track;
      if (n->stream && sink_remade (live, n))
        {
          busker_live_streams_set_target (live, n, n->routed_to);
          continue;
        }
      if (!n->stream || n->manual)
        continue; /* not listed (yet), or moved by hand */
      track = remembered_track (live, n);
      if (track != NULL && g_strcmp0 (track, n->routed_to) != 0)
        busker_live_streams_set_target (live, n, track);
    }
}

bool
busker_live_streams_set_target (BuskerLive *live, BuskerLiveNode *n, const char *track_id)
{
  if (live->metadata == NULL)
    return false;
  if (track_id == NULL)
    {
      pw_metadata_set_property (live->metadata, n->id, "target.object", NULL, NULL);
      pw_metadata_set_property (live->metadata, n->id, "target.node", NULL, NULL);
      g_clear_pointer (&n->routed_to, g_free);
      n->routed_serial = 0;
    }
  else
    {
      BuskerLiveTrack *t = busker_live_graph_find_track (live, track_id);
      BuskerLiveNode *sink = t != NULL && t->kind == BUSKER_SOURCE_LIVE
                                 ? busker_live_graph_track_node (live, t)
                                 : NULL;
      if (sink == NULL)
        return false;
      pw_metadata_set_property (live->metadata, n->id, "target.object", NULL, sink->name);
      pw_metadata_set_property (live->metadata, n->id, "target.node", NULL, sink->name);
      if (n->routed_to != track_id)
        {
          g_free (n->routed_to);
          n->routed_to = g_strdup (track_id);
        }
      n->routed_serial = sink->serial;
    }
  busker_live_post (live, BUSKER_LIVE_NOTIFY_STREAMS);
  return true;
}

void
busker_live_streams_unroute_all (BuskerLive *live)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, live->nodes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      BuskerLiveNode *n = value;
      if (n->routed_to != NULL)
        busker_live_streams_set_target (live, n, NULL);
    }
}

/* The live track the stream is linked into now; while the session
 * manager is still moving it, the one Busker asked for. */
const char *
busker_live_streams_track_of (BuskerLive *live, BuskerLiveNode *n)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, live->links);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      BuskerLiveLinkInfo *li = value;
      if (li->out_node != n->id)
        continue;
      BuskerLiveNode *to = g_hash_table_lookup (live->nodes, GUINT_TO_POINTER (li->in_node));
      if (to == NULL || !to->ours)
        return NULL; /* plays somewhere else */
      for (guint i = 0; i < live->tracks->len; i++)
        {
          BuskerLiveTrack *t = g_ptr_array_index (live->tracks, i);
          if (t->kind == BUSKER_SOURCE_LIVE && busker_live_graph_track_node (live, t) == to)
            return t->id;
        }
      return NULL;
    }
  return n->routed_to;
}
