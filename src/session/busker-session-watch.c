/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The session's model watcher.
 *
 * Which change is which (docs/architecture.md, "Rebuild rules"):
 * - Parameters, one atomic store each: a strip's trim, polarity, fader,
 *   pan, mute and solo; a send's level, pan and mute; an insert's
 *   parameter values and bypass.
 * - Structure, a new plan: strips added, removed or moved; a strip's
 *   name (its sink is named after it), source (kind, file, offset, node)
 *   or output; inserts added, removed or moved, or turned post-fader;
 *   sends added or removed, or turned pre-fader; a look-ahead parameter
 *   (latency compensation is sized when a plan is built); the project's
 *   sample rate, tempo (tempo-synced delays read it at creation) and file
 *   (relative source paths resolve against it).
 * - A live track's "apps" needs neither: the live node re-routes.
 * - Colours and names of the project change nothing that plays.
 *
 * Every watched object is held (a reference) so its handlers can be cut
 * by data at refresh, also after the object left the project.
 */
#include "busker-session-watch.h"

#include <string.h>

struct _BuskerSessionWatch {
  BuskerProject *project;   /* owned */
  BuskerWatchFunc func;
  gpointer data;
  GPtrArray *watched;       /* of GObject, owned: everything with our handlers */
  GHashTable *strip_of;     /* source, insert, send -> strip (unowned, in watched) */
};

static void
emit (BuskerSessionWatch *watch, BuskerWatchEvent event, gpointer object, guint index)
{
  watch->func (watch->data, event, object, index);
}

static void
on_items_changed (GListModel *list, guint position, guint removed, guint added,
                  BuskerSessionWatch *watch)
{
  emit (watch, BUSKER_WATCH_STRUCTURE, list, 0);
}

static void
on_project_notify (BuskerProject *project, GParamSpec *pspec, BuskerSessionWatch *watch)
{
  static const char *const structural[] = { "sample-rate", "tempo-bpm", "file", NULL };
  if (g_strv_contains (structural, pspec->name))
    emit (watch, BUSKER_WATCH_STRUCTURE, project, 0);
}

static const struct {
  const char *name;
  BuskerWatchEvent event;
} strip_events[] = {
  { "trim-db", BUSKER_WATCH_TRIM },
  { "polarity-invert", BUSKER_WATCH_POLARITY },
  { "gain-db", BUSKER_WATCH_GAIN },
  { "pan", BUSKER_WATCH_PAN },
  { "mute", BUSKER_WATCH_MUTE },
  { "solo", BUSKER_WATCH_SOLO },
  { "name", BUSKER_WATCH_STRUCTURE },
  { "source", BUSKER_WATCH_STRUCTURE },
  { "output", BUSKER_WATCH_STRUCTURE },
}, send_events[] = {
  { "level-db", BUSKER_WATCH_SEND_LEVEL },
  { "pan", BUSKER_WATCH_SEND_PAN },
  { "mute", BUSKER_WATCH_SEND_MUTE },
  { "pre-fader", BUSKER_WATCH_STRUCTURE },
}, insert_events[] = {
  { "bypass", BUSKER_WATCH_INSERT_BYPASS },
  { "post-fader", BUSKER_WATCH_STRUCTURE },
}, source_events[] = {
  { "apps", BUSKER_WATCH_APPS },
  { "path", BUSKER_WATCH_STRUCTURE },
  { "offset-s", BUSKER_WATCH_STRUCTURE },
  { "node", BUSKER_WATCH_STRUCTURE },
};

#define FORWARD_NOTIFY(kind, table, target)                                     \
  static void                                                                   \
  on_##kind##_notify (GObject *object, GParamSpec *pspec,                       \
                      BuskerSessionWatch *watch)                                \
  {                                                                             \
    for (guint i = 0; i < G_N_ELEMENTS (table); i++)                            \
      if (g_str_equal (pspec->name, table[i].name))                             \
        {                                                                       \
          emit (watch, table[i].event, target, 0);                              \
          return;                                                               \
        }                                                                       \
  }

FORWARD_NOTIFY (strip, strip_events, object)
FORWARD_NOTIFY (send, send_events, object)
FORWARD_NOTIFY (insert, insert_events, object)
/* "apps" is reported on the strip: that is what the live node routes to. */
FORWARD_NOTIFY (source, source_events, g_hash_table_lookup (watch->strip_of, object))

/* Look-ahead sets a latency, and latency compensation is sized when a
 * plan is built (src/engine/busker-plan.c). */
static gboolean
is_lookahead (BuskerInsert *insert, guint index)
{
  guint n_params;
  const BuskerParamSpec *params = busker_insert_get_params (insert, &n_params);
  return index < n_params && strstr (params[index].name, "lookahead") != NULL;
}

static void
on_insert_value_changed (BuskerInsert *insert, guint index, BuskerSessionWatch *watch)
{
  emit (watch, is_lookahead (insert, index) ? BUSKER_WATCH_STRUCTURE
                                            : BUSKER_WATCH_INSERT_VALUE,
        insert, index);
}

static void
watch_object (BuskerSessionWatch *watch, gpointer object, const char *signal,
              GCallback callback)
{
  g_ptr_array_add (watch->watched, g_object_ref (object));
  g_signal_connect (object, signal, callback, watch);
}

static void
watch_strip (BuskerSessionWatch *watch, BuskerStrip *strip)
{
  watch_object (watch, strip, "notify", G_CALLBACK (on_strip_notify));

  BuskerSource *source = busker_strip_get_source (strip);
  if (source != NULL)
    {
      watch_object (watch, source, "notify", G_CALLBACK (on_source_notify));
      g_hash_table_insert (watch->strip_of, source, strip);
    }

  GListModel *inserts = busker_strip_get_inserts (strip);
  watch_object (watch, inserts, "items-changed", G_CALLBACK (on_items_changed));
  for (guint i = 0, n = g_list_model_get_n_items (inserts); i < n; i++)
    {
      g_autoptr (BuskerInsert) insert = g_list_model_get_item (inserts, i);
      watch_object (watch, insert, "notify", G_CALLBACK (on_insert_notify));
      g_signal_connect (insert, "value-changed", G_CALLBACK (on_insert_value_changed), watch);
      g_hash_table_insert (watch->strip_of, insert, strip);
    }

  GListModel *sends = busker_strip_get_sends (strip);
  watch_object (watch, sends, "items-changed", G_CALLBACK (on_items_changed));
  for (guint i = 0, n = g_list_model_get_n_items (sends); i < n; i++)
    {
      g_autoptr (BuskerSend) send = g_list_model_get_item (sends, i);
      watch_object (watch, send, "notify", G_CALLBACK (on_send_notify));
      g_hash_table_insert (watch->strip_of, send, strip);
    }
}

static void
unwatch_all (BuskerSessionWatch *watch)
{
  for (guint i = 0; i < watch->watched->len; i++)
    g_signal_handlers_disconnect_by_data (watch->watched->pdata[i], watch);
  g_ptr_array_set_size (watch->watched, 0);
  g_hash_table_remove_all (watch->strip_of);
}

void
busker_session_watch_refresh (BuskerSessionWatch *watch)
{
  g_return_if_fail (watch != NULL);
  unwatch_all (watch);
  GListModel *strips = G_LIST_MODEL (watch->project);
  for (guint i = 0, n = g_list_model_get_n_items (strips); i < n; i++)
    {
      g_autoptr (BuskerStrip) strip = g_list_model_get_item (strips, i);
      watch_strip (watch, strip);
    }
}

BuskerSessionWatch *
busker_session_watch_new (BuskerProject *project, BuskerWatchFunc func, gpointer data)
{
  g_return_val_if_fail (BUSKER_IS_PROJECT (project), NULL);
  BuskerSessionWatch *watch = g_new0 (BuskerSessionWatch, 1);
  watch->project = g_object_ref (project);
  watch->func = func;
  watch->data = data;
  watch->watched = g_ptr_array_new_with_free_func (g_object_unref);
  watch->strip_of = g_hash_table_new (NULL, NULL);
  g_signal_connect (project, "items-changed", G_CALLBACK (on_items_changed), watch);
  g_signal_connect (project, "notify", G_CALLBACK (on_project_notify), watch);
  busker_session_watch_refresh (watch);
  return watch;
}

void
busker_session_watch_free (BuskerSessionWatch *watch)
{
  if (watch == NULL)
    return;
  unwatch_all (watch);
  g_signal_handlers_disconnect_by_data (watch->project, watch);
  g_ptr_array_unref (watch->watched);
  g_hash_table_unref (watch->strip_of);
  g_object_unref (watch->project);
  g_free (watch);
}

BuskerStrip *
busker_session_watch_get_strip (BuskerSessionWatch *watch, gpointer object)
{
  g_return_val_if_fail (watch != NULL, NULL);
  return g_hash_table_lookup (watch->strip_of, object);
}
