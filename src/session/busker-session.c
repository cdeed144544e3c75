/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * BuskerSession: one open project, its running plan, the live node and
 * the transport, on the main thread.
 *
 * Decisions (docs/architecture.md has the thread table and the rebuild
 * rules; busker-session-watch.c sorts model changes):
 * - A parameter change is one atomic store into the plan last published
 *   (busker_plan_set_*), never a new plan. Objects are found in that plan
 *   through maps made when it was built; an object added since then is
 *   not in them, and is in the next plan anyway.
 * - A structural change schedules one rebuild in an idle source, so a
 *   burst of edits in one main-loop iteration (an undo that restores a
 *   strip with its sends, a drag that re-routes five strips) gives one
 *   plan. The rebuild: snapshot, busker_plan_new at the graph's rate and
 *   largest block, busker_transport_bind, busker_live_publish (plan and
 *   track map in one step; busker_plan_swap_publish offline), then the
 *   live node's remembered apps and latency. Running effect
 *   units carry over at the swap (busker_plan_adopt_units).
 * - Offline (busker_session_new_offline, or no daemon yet) the session
 *   builds plans all the same, at the project's rate, so the window and
 *   the tests see the same maps and stores; nothing runs them, meters
 *   stay at −inf and "live" is FALSE.
 * - Old plans are freed when the live node's data thread says it let go
 *   of one (busker-live-rt.c). A 100 ms timeout runs only while file
 *   tracks play or their tail sounds: it notices the transport stopping
 *   at the end. An idle session, or one only apps play through, has no
 *   timer of its own on the main loop.
 * - While the file tracks play, and after they stop until the effects'
 *   tails have died away (busker-export's rule: under −90 dBFS for 0.5 s,
 *   10 s at most), the live node is told to keep the graph running
 *   (busker_live_set_active); otherwise its links are passive and the
 *   graph may go idle.
 * - Without a project the session runs an empty mix (a master only), so
 *   the live node drops the previous project's sinks.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "engine/busker-plan-swap.h"
#include "engine/busker-recorder.h"
#include "engine/busker-transport.h"
#include "busker-session-private.h"
#include "busker-session-tap.h"
#include "busker-session-watch.h"

/* The largest block PipeWire runs (its default clock.quantum-limit):
 * offline plans and the transport are sized for it, so nothing needs
 * resizing when the live node connects. */
#define SESSION_MAX_BLOCK 8192
#define TICK_MS 100
/* busker-export's tail rule: the mix has ended when the master stayed
 * under −90 dBFS this long, or this long after the files ended. */
#define TAIL_QUIET_S 0.5
#define TAIL_MAX_S 10.0

struct _BuskerSession {
  GObject parent_instance;

  BuskerProject *project;      /* NULL: an empty mix */
  BuskerProject *empty;        /* the empty mix's project, made on demand */
  BuskerSessionWatch *watch;

  BuskerPlanSwap *swap;
  BuskerPlan *plan;            /* the one published last, owned by swap */
  BuskerMixDesc *desc;         /* its snapshot */
  GHashTable *strip_index;     /* BuskerStrip -> index + 1 in plan */
  GHashTable *loc;             /* BuskerInsert, BuskerSend -> LOC (strip, slot) */
  guint n_rebuilds;
  guint rebuild_idle;
  guint tick;

  uint32_t rate_hz;            /* what plans are built at */
  BuskerTransport *transport;
  BuskerSessionTap *tap;
  guint64 seen_cycles;   /* the live node's cycle count at cycles_seen_at */
  gint64 cycles_seen_at; /* monotonic µs */
  BuskerLive *live;            /* NULL offline */
  char *recording_path;        /* while recording */
  gboolean is_live;
  char *live_blocker;          /* busker_live_get_blocker as last notified */

  GListStore *streams;         /* of BuskerAppStream */
  gboolean playing;            /* as last notified */
  gboolean loop;
  gboolean active;             /* the live node keeps the graph running for us */
  gint64 stopped_us;           /* when the transport last stopped playing */
  double length_s;
};

G_DEFINE_FINAL_TYPE (BuskerSession, busker_session, G_TYPE_OBJECT)

enum { PROP_0, PROP_PROJECT, PROP_LIVE, PROP_LIVE_BLOCKER, PROP_PLAYING, PROP_LOOP, PROP_LENGTH,
       N_PROPS };
enum { SIGNAL_TRACK_PROBLEMS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];
static GParamSpec *pspecs[N_PROPS];

/* An insert's or a send's place in the plan: strip < 4096, slot < 4096. */
#define LOC(strip, slot) GUINT_TO_POINTER ((((strip) + 1u) << 12) | (slot))
#define LOC_STRIP(loc) ((GPOINTER_TO_UINT (loc) >> 12) - 1u)
#define LOC_SLOT(loc) (GPOINTER_TO_UINT (loc) & 0xfffu)

static void schedule_rebuild (BuskerSession *self);

/* ---- the plan ---- */

static BuskerProject *
mix_project (BuskerSession *self)
{
  if (self->project != NULL)
    return self->project;
  if (self->empty == NULL)
    self->empty = busker_project_new ();
  return self->empty;
}

static gboolean
is_live_track (BuskerStrip *strip)
{
  BuskerSource *source = busker_strip_get_source (strip);
  return busker_strip_get_kind (strip) == BUSKER_STRIP_TRACK && source != NULL
         && busker_source_get_kind (source) == BUSKER_SOURCE_LIVE;
}

/* Maps the model's objects to the plan's indices the way
 * busker_project_snapshot lays them out: strips in project order; sends
 * to a strip that is not there and inserts of an unknown effect left
 * out. */
static void
map_objects (BuskerSession *self, BuskerProject *project)
{
  g_hash_table_remove_all (self->strip_index);
  g_hash_table_remove_all (self->loc);
  GListModel *strips = G_LIST_MODEL (project);
  for (guint s = 0, n = g_list_model_get_n_items (strips); s < n; s++)
    {
      g_autoptr (BuskerStrip) strip = g_list_model_get_item (strips, s);
      g_hash_table_insert (self->strip_index, strip, GUINT_TO_POINTER (s + 1));

      GListModel *inserts = busker_strip_get_inserts (strip);
      for (guint i = 0, k = 0, m = g_list_model_get_n_items (inserts); i < m; i++)
        {
          g_autoptr (BuskerInsert) insert = g_list_model_get_item (inserts, i);
          const BuskerEffectClass *klass =
              busker_effect_class_lookup (busker_insert_get_effect_type (insert));
          guint n_params;
          busker_insert_get_params (insert, &n_params);
          if (klass != NULL && klass->n_params == n_params)
            g_hash_table_insert (self->loc, insert, LOC (s, k++));
        }

      GListModel *sends = busker_strip_get_sends (strip);
      for (guint i = 0, k = 0, m = g_list_model_get_n_items (sends); i < m; i++)
        {
          g_autoptr (BuskerSend) send = g_list_model_get_item (sends, i);
          if (busker_project_find_strip (project, busker_send_get_to (send)) != NULL)
            g_hash_table_insert (self->loc, send, LOC (s, k++));
        }
    }
}

static void
send_track_apps (BuskerSession *self, BuskerStrip *strip)
{
  if (self->live == NULL || !is_live_track (strip))
    return;
  busker_live_set_track_apps (self->live, busker_strip_get_id (strip),
                              busker_source_get_apps (busker_strip_get_source (strip)));
}

static void
update_length (BuskerSession *self)
{
  double length_s = busker_transport_get_length_s (self->transport);
  if (length_s == self->length_s)
    return;
  self->length_s = length_s;
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[PROP_LENGTH]);
}

static void
follow_rate (BuskerSession *self, uint32_t rate_hz)
{
  if (rate_hz == 0 || rate_hz == self->rate_hz)
    return;
  self->rate_hz = rate_hz;
  busker_transport_set_rate (self->transport, rate_hz);
  busker_session_tap_set_rate (self->tap, rate_hz);
}

static void
rebuild (BuskerSession *self)
{
  g_clear_handle_id (&self->rebuild_idle, g_source_remove);
  BuskerProject *project = mix_project (self);
  g_autoptr (BuskerMixDesc) desc = busker_project_snapshot (project);
  uint32_t max_block = SESSION_MAX_BLOCK;
  if (self->is_live)
    {
      follow_rate (self, busker_live_get_rate (self->live));
      desc->sample_rate = self->rate_hz;
      max_block = MAX (busker_live_get_max_block (self->live), 1);
    }
  else
    follow_rate (self, (uint32_t) desc->sample_rate);

  g_autoptr (GError) error = NULL;
  BuskerPlan *plan = busker_plan_new (desc, MIN (max_block, SESSION_MAX_BLOCK), &error);
  if (plan == NULL)
    {
      /* The model refuses what the engine would refuse, so this is an
       * effect that could not be made (memory): keep the mix running. */
      g_warning ("The mix could not be rebuilt: %s", error->message);
      return;
    }
  /* Only the master's output is read after a run (the tap, the recorder,
   * the live node's output), so buses may work in their feeder's buffers. */
  busker_plan_share_buffers (plan);
  busker_transport_bind (self->transport, desc, plan);
  /* With a live node, the plan and its track map switch in one step, so
   * the data thread never runs the new plan with the old map. */
  if (self->live != NULL)
    busker_live_publish (self->live, plan, desc);
  else
    busker_plan_swap_publish (self->swap, plan);
  self->plan = plan;
  self->n_rebuilds++;

  if (self->live != NULL)
    {
      GListModel *strips = G_LIST_MODEL (project);
      for (guint i = 0, n = g_list_model_get_n_items (strips); i < n; i++)
        {
          g_autoptr (BuskerStrip) strip = g_list_model_get_item (strips, i);
          send_track_apps (self, strip);
        }
      busker_live_set_latency (self->live, busker_plan_get_latency (plan));
    }

  busker_mix_desc_free (self->desc);
  self->desc = g_steal_pointer (&desc);
  map_objects (self, project);
  if (self->watch != NULL)
    busker_session_watch_refresh (self->watch);
  update_length (self);
}

static gboolean
rebuild_idle_cb (gpointer data)
{
  BuskerSession *self = data;
  self->rebuild_idle = 0;
  rebuild (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_rebuild (BuskerSession *self)
{
  /* Before the redraw, so the first frame after an edit meters the new
   * plan. */
  if (self->rebuild_idle == 0)
    self->rebuild_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, rebuild_idle_cb, self, NULL);
}

static int
strip_index (BuskerSession *self, BuskerStrip *strip)
{
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->strip_index, strip)) - 1;
}

/* ---- model changes ---- */

static void
on_model_changed (gpointer data, BuskerWatchEvent event, GObject *object, guint index)
{
  BuskerSession *self = data;
  BuskerPlan *plan = self->plan;
  gpointer loc = NULL;
  int s = -1;

  if (event == BUSKER_WATCH_STRUCTURE)
    {
      schedule_rebuild (self);
      return;
    }
  if (event == BUSKER_WATCH_APPS)
    {
      send_track_apps (self, BUSKER_STRIP (object));
      return;
    }
  if (plan == NULL)
    return;
  if (BUSKER_IS_STRIP (object))
    s = strip_index (self, BUSKER_STRIP (object));
  else if (!g_hash_table_lookup_extended (self->loc, object, NULL, &loc))
    return; /* added since the last plan: the next one has it */

  BuskerStrip *strip = BUSKER_IS_STRIP (object) ? BUSKER_STRIP (object) : NULL;
  if (strip != NULL && s < 0)
    return;
  switch (event)
    {
    case BUSKER_WATCH_TRIM:
      busker_plan_set_strip_trim_db (plan, s, busker_strip_get_trim_db (strip));
      break;
    case BUSKER_WATCH_POLARITY:
      busker_plan_set_strip_polarity_invert (plan, s, busker_strip_get_polarity_invert (strip));
      break;
    case BUSKER_WATCH_GAIN:
      busker_plan_set_strip_gain_db (plan, s, busker_strip_get_gain_db (strip));
      break;
    case BUSKER_WATCH_PAN:
      busker_plan_set_strip_pan (plan, s, busker_strip_get_pan (strip));
      break;
    case BUSKER_WATCH_MUTE:
      busker_plan_set_strip_mute (plan, s, busker_strip_get_mute (strip));
      break;
    case BUSKER_WATCH_SOLO:
      busker_plan_set_strip_solo (plan, s, busker_strip_get_solo (strip));
      break;
    case BUSKER_WATCH_SEND_LEVEL:
      busker_plan_set_send_level_db (plan, LOC_STRIP (loc), LOC_SLOT (loc),
                                     busker_send_get_level_db (BUSKER_SEND (object)));
      break;
    case BUSKER_WATCH_SEND_PAN:
      busker_plan_set_send_pan (plan, LOC_STRIP (loc), LOC_SLOT (loc),
                                busker_send_get_pan (BUSKER_SEND (object)));
      break;
    case BUSKER_WATCH_SEND_MUTE:
      busker_plan_set_send_mute (plan, LOC_STRIP (loc), LOC_SLOT (loc),
                                 busker_send_get_mute (BUSKER_SEND (object)));
      break;
    case BUSKER_WATCH_INSERT_VALUE:
      busker_plan_set_insert_param (plan, LOC_STRIP (loc), LOC_SLOT (loc), index,
                                    busker_insert_get_value (BUSKER_INSERT (object), index));
      break;
    case BUSKER_WATCH_INSERT_BYPASS:
      busker_plan_set_insert_bypass (plan, LOC_STRIP (loc), LOC_SLOT (loc),
                                     busker_insert_get_bypass (BUSKER_INSERT (object)));
      break;
    case BUSKER_WATCH_STRUCTURE:
    case BUSKER_WATCH_APPS:
    default:
      g_assert_not_reached ();
    }
}

/* ---- the live node ---- */

static void
sync_streams (BuskerSession *self)
{
  uint32_t n = 0;
  const BuskerLiveStream *now = self->live && self->is_live
                                    ? busker_live_get_streams (self->live, &n) : NULL;
  GListModel *list = G_LIST_MODEL (self->streams);

  for (guint i = g_list_model_get_n_items (list); i-- > 0;)
    {
      g_autoptr (BuskerAppStream) stream = g_list_model_get_item (list, i);
      guint id = busker_app_stream_get_node_id (stream);
      gboolean still = FALSE;
      for (uint32_t k = 0; k < n && !still; k++)
        still = now[k].node_id == id;
      if (!still)
        g_list_store_remove (self->streams, i);
    }
  for (uint32_t k = 0; k < n; k++)
    {
      gboolean found = FALSE;
      for (guint i = 0, m = g_list_model_get_n_items (list); i < m && !found; i++)
        {
          g_autoptr (BuskerAppStream) stream = g_list_model_get_item (list, i);
          if ((found = busker_app_stream_get_node_id (stream) == now[k].node_id))
            busker_app_stream_update (stream, &now[k]);
        }
      if (!found)
        {
          g_autoptr (BuskerAppStream) stream = busker_app_stream_new (&now[k]);
          g_list_store_append (self->streams, stream);
        }
    }
}

/* Says when another Busker starts or stops holding the sound server. */
static void
sync_blocker (BuskerSession *self)
{
  const char *blocker = self->live != NULL ? busker_live_get_blocker (self->live) : NULL;
  if (g_strcmp0 (blocker, self->live_blocker) == 0)
    return;
  g_free (self->live_blocker);
  self->live_blocker = g_strdup (blocker);
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[PROP_LIVE_BLOCKER]);
}

static void
on_live_state_changed (void *data, BuskerLiveState state)
{
  BuskerSession *self = data;
  gboolean is_live = state == BUSKER_LIVE_CONNECTED;
  /* self->live is NULL while busker_live_new runs: busker_session_new
   * asks for the state once it returns. */
  if (self->live == NULL)
    return;
  sync_blocker (self);
  if (is_live == self->is_live)
    return;
  self->is_live = is_live;
  /* At once, not in an idle: the node needs its tracks now, and a plan
   * at the graph's rate. */
  rebuild (self);
  sync_streams (self);
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[PROP_LIVE]);
}

static void
on_live_streams_changed (void *data)
{
  sync_streams (data);
}

static void
on_live_tracks_changed (void *data)
{
  g_signal_emit (data, signals[SIGNAL_TRACK_PROBLEMS_CHANGED], 0);
}

static void
on_live_format_changed (void *data, uint32_t rate_hz, uint32_t quantum)
{
  BuskerSession *self = data;
  if (self->is_live && rate_hz != self->rate_hz)
    schedule_rebuild (self);
}

static void
update_active (BuskerSession *self)
{
  gint64 now = g_get_monotonic_time ();
  gboolean active = self->playing
                    || (self->active
                        && busker_session_tap_get_quiet_s (self->tap) < TAIL_QUIET_S
                        && now - self->stopped_us < TAIL_MAX_S * G_USEC_PER_SEC);
  if (active == self->active)
    return;
  self->active = active;
  if (self->live != NULL)
    busker_live_set_active (self->live, active);
}

/* What the main thread checks TICK_MS apart while files play: the
 * transport's end, the tail of the mix. Returns whether it needs to look
 * again: the tick stops when no file plays, so an idle mixer (or one only
 * apps play through) does not wake ten times a second. Retired plans are
 * freed when the live node says so (busker-live-rt.c). */
static gboolean
tick (BuskerSession *self)
{
  gboolean playing = busker_transport_is_playing (self->transport);
  if (playing != self->playing)
    {
      self->playing = playing;
      if (!playing)
        self->stopped_us = g_get_monotonic_time ();
      g_object_notify_by_pspec (G_OBJECT (self), pspecs[PROP_PLAYING]);
    }
  update_active (self);
  return self->playing || self->active;
}

static gboolean
tick_cb (gpointer data)
{
  BuskerSession *self = data;
  if (tick (self))
    return G_SOURCE_CONTINUE;
  self->tick = 0;
  return G_SOURCE_REMOVE;
}

static void
wake_tick (BuskerSession *self)
{
  if (self->tick == 0)
    self->tick = g_timeout_add (TICK_MS, tick_cb, self);
}

/* ---- construction ---- */

BuskerSession *
busker_session_new_offline (void)
{
  return g_object_new (BUSKER_TYPE_SESSION, NULL);
}

BuskerSession *
busker_session_new (void)
{
  BuskerSession *self = busker_session_new_offline ();
  static const BuskerLiveCallbacks callbacks = {
    .state_changed = on_live_state_changed,
    .streams_changed = on_live_streams_changed,
    .tracks_changed = on_live_tracks_changed,
    .format_changed = on_live_format_changed,
  };
  BuskerLiveCallbacks cb = callbacks;
  BuskerLiveHooks hooks = busker_session_tap_hooks (self->tap);
  cb.data = self;
  self->live = busker_live_new (self->swap, &hooks, &cb, BUSKER_LIVE_EXCLUSIVE);
  on_live_state_changed (self, busker_live_get_state (self->live));
  return self;
}

/* ---- project ---- */

BuskerProject *
busker_session_get_project (BuskerSession *self)
{
  g_return_val_if_fail (BUSKER_IS_SESSION (self), NULL);
  return self->project;
}

void
busker_session_set_project (BuskerSession *self, BuskerProject *project)
{
  g_return_if_fail (BUSKER_IS_SESSION (self));
  g_return_if_fail (project == NULL || BUSKER_IS_PROJECT (project));
  if (self->project == project)
    return;
  g_clear_pointer (&self->watch, busker_session_watch_free);
  g_set_object (&self->project, project);
  if (project != NULL)
    self->watch = busker_session_watch_new (project, on_model_changed, self);
  busker_transport_stop (self->transport);
  busker_session_tap_reset_loudness (self->tap);
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[PROP_PROJECT]);
}

gboolean
busker_session_get_live (BuskerSession *self)
{
  g_return_val_if_fail (BUSKER_IS_SESSION (self), FALSE);
  return self->is_live;
}

const char *
busker_session_get_live_blocker (BuskerSession *self)
{
  g_return_val_if_fail (BUSKER_IS_SESSION (self), NULL);
  return self->live_blocker;
}

char *
busker_session_dup_track_problem (BuskerSession *self, BuskerStrip *strip)
{
  g_return_val_if_fail (BUSKER_IS_SESSION (self), NULL);
  g_return_val_if_fail (BUSKER_IS_STRIP (strip), NULL);
  BuskerSource *source = busker_strip_get_source (strip);
  if (self->live == NULL || !self->is_live || source == NULL
      || busker_strip_get_kind (strip) != BUSKER_STRIP_TRACK
      || (busker_source_get_kind (source) != BUSKER_SOURCE_LIVE
          && busker_source_get_kind (source) != BUSKER_SOURCE_CAPTURE))
    return NULL;
  const char *name = busker_strip_get_name (strip);
  const char *node = busker_source_get_node (source);
  switch (busker_live_get_track_problem (self->live, busker_strip_get_id (strip)))
    {
    case BUSKER_LIVE_TRACK_NO_SLOT:
      return g_strdup_printf (_("%s: Busker hears %d live and capture tracks at most; this "
                                "one is silent"),
                              name, BUSKER_LIVE_MAX_TRACKS);
    case BUSKER_LIVE_TRACK_NODE_MISSING:
      return g_strdup_printf (_("%s: there is no device “%s” to capture; the track is silent "
                                "until it appears"),
                              name, node);
    case BUSKER_LIVE_TRACK_NODE_OURS:
      return g_strdup_printf (_("%s: “%s” is one of Busker's own nodes; capturing it would "
                                "loop, so the track is silent"),
                              name, node);
    case BUSKER_LIVE_TRACK_FEEDBACK:
      return g_strdup_printf (_("%s: “%s” is the device the master plays on; capturing it "
                                "would feed the mix back into itself, so the track is silent"),
                              name, node);
    case BUSKER_LIVE_TRACK_OK:
    default:
      return NULL;
    }
}

/* ---- transport ---- */

static void
sync_playing (BuskerSession *self)
{
  if (tick (self))
    wake_tick (self);
}

void
busker_session_play (BuskerSession *self)
{
  g_return_if_fail (BUSKER_IS_SESSION (self));
  busker_transport_play (self->transport);
  sync_playing (self);
}

void
busker_session_pause (BuskerSession *self)
{
  g_return_if_fail (BUSKER_IS_SESSION (self));
  busker_transport_pause (self->transport);
  sync_playing (self);
}

void
busker_session_stop (BuskerSession *self)
{
  g_return_if_fail (BUSKER_IS_SESSION (self));
  busker_transport_stop (self->transport);
  busker_session_tap_reset_loudness (self->tap);
  sync_playing (self);
}

void
busker_session_seek (BuskerSession *self, double position_s)
{
  g_return_if_fail (BUSKER_IS_SESSION (self));
  g_return_if_fail (isfinite (position_s));
  busker_transport_seek (self->transport, MAX (position_s, 0.0));
}

gboolean
busker_session_get_playing (BuskerSession *self)
{
  g_return_val_if_fail (BUSKER_IS_SESSION (self), FALSE);
  return busker_transport_is_playing (self->transport);
}

gboolean
busker_session_get_at_end (BuskerSession *self)
{
  g_return_val_if_fail (BUSKER_IS_SESSION (self), FALSE);
  return busker_transport_is_at_end (self->transport);
}

double
busker_session_get_master_quiet_s (BuskerSession *self)
{
  g_return_val_if_fail (BUSKER_IS_SESSION (self), 0);
  return busker_session_tap_get_quiet_s (self->tap);
}

gboolean
busker_session_get_loop (BuskerSession *self)
{
  g_return_val_if_fail (BUSKER_IS_SESSION (self), FALSE);
  return self->loop;
}

void
busker_session_set_loop (BuskerSession *self, gboolean loop)
{
  g_return_if_fail (BUSKER_IS_SESSION (self));
  loop = !!loop;
  if (self->loop == loop)
    return;
  self->loop = loop;
  busker_transport_set_loop (self->transport, loop);
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[PROP_LOOP]);
}

double
busker_session_get_position_s (BuskerSession *self)
{
  g_return_val_if_fail (BUSKER_IS_SESSION (self), 0);
  return busker_transport_get_position_s (self->transport);
}

double
busker_session_get_length_s (BuskerSession *self)
{
  g_return_val_if_fail (BUSKER_IS_SESSION (self), 0);
  return self->length_s;
}

/* ---- recording ---- */

/* Finishes old (may be NULL). A rate switch of the graph during it is no
 * failure: the recorder converted what played at the new rate. */
static gboolean
finish_recording (BuskerRecorder *old, GError **error)
{
  return old == NULL || busker_recorder_finish (old, error);
}

gboolean
busker_session_start_recording (BuskerSession *self, const char *path, GError **error)
{
  g_return_val_if_fail (BUSKER_IS_SESSION (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  if (!self->is_live)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                   _("%s: nothing to record: live audio is off"), path);
      return FALSE;
    }
  BuskerRecorder *recorder = busker_recorder_new (path, self->rate_hz, error);
  if (recorder == NULL)
    return FALSE;
  BuskerRecorder *old = busker_session_tap_set_recorder (self->tap, recorder);
  gboolean ok = finish_recording (old, error);
  g_free (self->recording_path);
  self->recording_path = g_strdup (path);
  return ok;
}

gboolean
busker_session_stop_recording (BuskerSession *self, GError **error)
{
  g_return_val_if_fail (BUSKER_IS_SESSION (self), FALSE);
  BuskerRecorder *old = busker_session_tap_set_recorder (self->tap, NULL);
  gboolean ok = finish_recording (old, error);
  g_clear_pointer (&self->recording_path, g_free);
  return ok;
}

/* ---- meters ---- */

static void
clear_strip_meter (BuskerStripMeter *meter)
{
  for (int ch = 0; ch < 2; ch++)
    meter->peak_db[ch] = meter->rms_db[ch] = -INFINITY;
  meter->gain_reduction_db = 0;
  meter->fault = FALSE;
}

/* Whether the graph ran Busker's node lately. When the last app stops,
 * the sinks suspend and process() is no longer called, so the meters'
 * running values (RMS, loudness) stay where the last cycle left them: they
 * must read as silence then. 250 ms is more than the longest quantum
 * (8192 frames at 44.1 kHz, 186 ms). */
static gboolean
graph_running (BuskerSession *self)
{
  guint64 cycles = self->live != NULL ? busker_live_get_cycles (self->live) : 0;
  gint64 now = g_get_monotonic_time ();

  if (cycles != self->seen_cycles)
    {
      self->seen_cycles = cycles;
      self->cycles_seen_at = now;
      return TRUE;
    }
  return now - self->cycles_seen_at < 250 * G_TIME_SPAN_MILLISECOND;
}

gboolean
busker_session_read_strip_meter (BuskerSession *self, BuskerStrip *strip,
                                 BuskerStripMeter *meter)
{
  g_return_val_if_fail (BUSKER_IS_SESSION (self), FALSE);
  g_return_val_if_fail (BUSKER_IS_STRIP (strip), FALSE);
  g_return_val_if_fail (meter != NULL, FALSE);
  clear_strip_meter (meter);
  int s = strip_index (self, strip);
  if (s < 0 || self->plan == NULL)
    return FALSE;
  if (!self->is_live || !graph_running (self))
    return TRUE;
  for (int ch = 0; ch < 2; ch++)
    {
      meter->peak_db[ch] = busker_plan_read_strip_peak_db (self->plan, s, ch);
      meter->rms_db[ch] = busker_plan_get_strip_rms_db (self->plan, s, ch);
    }
  for (uint32_t i = 0; i < self->desc->strips[s].n_inserts; i++)
    meter->gain_reduction_db = MAX (meter->gain_reduction_db,
                                    busker_plan_get_insert_gain_reduction_db (self->plan, s, i));
  meter->fault = busker_plan_read_strip_fault (self->plan, s);
  return TRUE;
}

gboolean
busker_session_read_master_meter (BuskerSession *self, BuskerMasterMeter *meter)
{
  g_return_val_if_fail (BUSKER_IS_SESSION (self), FALSE);
  g_return_val_if_fail (meter != NULL, FALSE);
  if (!self->is_live)
    {
      *meter = (BuskerMasterMeter) { -INFINITY, -INFINITY, -INFINITY, -INFINITY, 0 };
      return FALSE;
    }
  busker_session_tap_read (self->tap, meter);
  if (!graph_running (self))
    {
      /* What plays now is silence; the programme's integration stands. */
      meter->momentary_lufs = meter->short_term_lufs = -INFINITY;
      meter->true_peak_dbtp = -INFINITY;
      meter->correlation = 0;
    }
  return TRUE;
}

gboolean
busker_session_strip_is_missing (BuskerSession *self, BuskerStrip *strip)
{
  g_return_val_if_fail (BUSKER_IS_SESSION (self), FALSE);
  g_return_val_if_fail (BUSKER_IS_STRIP (strip), FALSE);
  return strip_index (self, strip) >= 0
         && busker_transport_is_missing (self->transport, busker_strip_get_id (strip));
}

/* ---- application streams ---- */

GListModel *
busker_session_get_streams (BuskerSession *self)
{
  g_return_val_if_fail (BUSKER_IS_SESSION (self), NULL);
  return G_LIST_MODEL (self->streams);
}

/* apps without key (case-insensitively), plus key when add; NULL when that
 * is what apps already holds. */
static GStrv
apps_with (const char *const *apps, const char *key, gboolean add)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *folded = g_utf8_casefold (key, -1);
  gboolean changed = FALSE, present = FALSE;
  for (; *apps != NULL; apps++)
    {
      g_autofree char *app = g_utf8_casefold (*apps, -1);
      gboolean same = g_str_equal (app, folded);
      if (same && add && !present)
        present = TRUE;
      else if (same)
        {
          changed = TRUE;
          continue;
        }
      g_strv_builder_add (builder, *apps);
    }
  if (add && !present)
    {
      g_strv_builder_add (builder, key);
      changed = TRUE;
    }
  return changed ? g_strv_builder_end (builder) : NULL;
}

gboolean
busker_session_route_stream (BuskerSession *self, BuskerAppStream *stream,
                             BuskerStrip *track, GError **error)
{
  g_return_val_if_fail (BUSKER_IS_SESSION (self), FALSE);
  g_return_val_if_fail (BUSKER_IS_APP_STREAM (stream), FALSE);
  g_return_val_if_fail (track == NULL || BUSKER_IS_STRIP (track), FALSE);

  if (track != NULL && !is_live_track (track))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a live track; only live tracks take application audio."),
                   busker_strip_get_name (track));
      return FALSE;
    }
  if (track != NULL && (self->project == NULL
                        || busker_project_get_strip_position (self->project, track) < 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not in the open project."), busker_strip_get_name (track));
      return FALSE;
    }

  /* Remember the choice: the app leaves every other track's list and
   * joins this one, all of it one undo step. */
  const char *key = busker_app_stream_get_app_key (stream);
  if (self->project != NULL && key != NULL && key[0] != '\0')
    {
      busker_project_begin_gesture (self->project);
      GListModel *strips = G_LIST_MODEL (self->project);
      for (guint i = 0, n = g_list_model_get_n_items (strips); i < n; i++)
        {
          g_autoptr (BuskerStrip) strip = g_list_model_get_item (strips, i);
          if (!is_live_track (strip))
            continue;
          BuskerSource *source = busker_strip_get_source (strip);
          g_auto (GStrv) apps = apps_with (busker_source_get_apps (source), key, strip == track);
          if (apps != NULL)
            busker_source_set_apps (source, (const char *const *) apps);
        }
      busker_project_end_gesture (self->project);
    }

  if (self->live != NULL && self->is_live)
    busker_live_move_stream (self->live, busker_app_stream_get_node_id (stream),
                             track ? busker_strip_get_id (track) : NULL);
  return TRUE;
}

/* ---- for tests ---- */

BuskerPlan *
busker_session_get_plan (BuskerSession *self)
{
  g_return_val_if_fail (BUSKER_IS_SESSION (self), NULL);
  return self->plan;
}

guint
busker_session_get_n_rebuilds (BuskerSession *self)
{
  g_return_val_if_fail (BUSKER_IS_SESSION (self), 0);
  return self->n_rebuilds;
}

int
busker_session_get_strip_index (BuskerSession *self, BuskerStrip *strip)
{
  g_return_val_if_fail (BUSKER_IS_SESSION (self), -1);
  return strip_index (self, strip);
}

/* ---- GObject ---- */

static void
busker_session_dispose (GObject *object)
{
  BuskerSession *self = BUSKER_SESSION (object);
  g_clear_handle_id (&self->rebuild_idle, g_source_remove);
  g_clear_handle_id (&self->tick, g_source_remove);
  /* The live node first: it stops the data thread that runs the hooks and
   * the plans, moves the streams back and removes the sinks. */
  g_clear_pointer (&self->live, busker_live_free);
  self->is_live = FALSE;
  g_clear_pointer (&self->watch, busker_session_watch_free);
  g_clear_object (&self->project);
  g_clear_object (&self->empty);
  if (self->streams != NULL)
    g_list_store_remove_all (self->streams);
  G_OBJECT_CLASS (busker_session_parent_class)->dispose (object);
}

static void
busker_session_finalize (GObject *object)
{
  BuskerSession *self = BUSKER_SESSION (object);
  busker_session_tap_free (self->tap);
  busker_transport_free (self->transport);
  self->plan = NULL;
  busker_plan_swap_free (self->swap);
  busker_mix_desc_free (self->desc);
  g_free (self->recording_path);
  g_free (self->live_blocker);
  g_hash_table_unref (self->strip_index);
  g_hash_table_unref (self->loc);
  g_clear_object (&self->streams);
  G_OBJECT_CLASS (busker_session_parent_class)->finalize (object);
}

static void
busker_session_get_property (GObject *object, guint prop_id, GValue *value,
                             GParamSpec *pspec)
{
  BuskerSession *self = BUSKER_SESSION (object);
  switch (prop_id)
    {
    case PROP_PROJECT: g_value_set_object (value, self->project); break;
    case PROP_LIVE: g_value_set_boolean (value, self->is_live); break;
    case PROP_LIVE_BLOCKER: g_value_set_string (value, self->live_blocker); break;
    case PROP_PLAYING: g_value_set_boolean (value, busker_session_get_playing (self)); break;
    case PROP_LOOP: g_value_set_boolean (value, self->loop); break;
    case PROP_LENGTH: g_value_set_double (value, self->length_s); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
busker_session_set_property (GObject *object, guint prop_id, const GValue *value,
                             GParamSpec *pspec)
{
  BuskerSession *self = BUSKER_SESSION (object);
  switch (prop_id)
    {
    case PROP_PROJECT: busker_session_set_project (self, g_value_get_object (value)); break;
    case PROP_LOOP: busker_session_set_loop (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
busker_session_class_init (BuskerSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = busker_session_dispose;
  object_class->finalize = busker_session_finalize;
  object_class->get_property = busker_session_get_property;
  object_class->set_property = busker_session_set_property;

  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  pspecs[PROP_PROJECT] = g_param_spec_object ("project", NULL, NULL, BUSKER_TYPE_PROJECT, rw);
  pspecs[PROP_LIVE] = g_param_spec_boolean ("live", NULL, NULL, FALSE, ro);
  pspecs[PROP_LIVE_BLOCKER] = g_param_spec_string ("live-blocker", NULL, NULL, NULL, ro);
  pspecs[PROP_PLAYING] = g_param_spec_boolean ("playing", NULL, NULL, FALSE, ro);
  pspecs[PROP_LOOP] = g_param_spec_boolean ("loop", NULL, NULL, FALSE, rw);
  pspecs[PROP_LENGTH] = g_param_spec_double ("length", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, pspecs);
  signals[SIGNAL_TRACK_PROBLEMS_CHANGED] =
    g_signal_new ("track-problems-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
busker_session_init (BuskerSession *self)
{
  self->swap = busker_plan_swap_new ();
  self->rate_hz = 48000;
  self->transport = busker_transport_new (self->rate_hz, SESSION_MAX_BLOCK);
  self->tap = busker_session_tap_new (self->transport);
  busker_session_tap_set_rate (self->tap, self->rate_hz);
  self->strip_index = g_hash_table_new (NULL, NULL);
  self->loc = g_hash_table_new (NULL, NULL);
  self->streams = g_list_store_new (BUSKER_TYPE_APP_STREAM);
  rebuild (self);
}
