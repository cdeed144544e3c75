/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The project: strips in display order (it is their GListModel), routing
 * rules, solo resolution, undo glue and the engine snapshot. Load and save
 * live in busker-project-load.c and busker-project-save.c.
 *
 * Routing is a graph whose edges are outputs and sends. A new edge
 * strip -> target makes a loop exactly when target already reaches strip,
 * so one breadth-first walk from target answers both "may I" and "which
 * loop" (its parent links give the path the message names).
 */
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "busker-model-private.h"
#include "engine/busker-solo.h"

struct _BuskerProject {
  GObject parent_instance;
  GListStore *strips;
  GHashTable *by_id; /* id -> strip, unowned; NULL when stale */
  GFile *file;
  char *name;
  double sample_rate;
  double tempo_bpm;
  gboolean dirty;
  gboolean can_undo, can_redo;
  BuskerUndo *undo;
  GPtrArray *warnings; /* NULL-terminated */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BuskerProject, busker_project, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      list_model_iface_init))

enum {
  PROP_0,
  PROP_FILE,
  PROP_DIRTY,
  PROP_NAME,
  PROP_SAMPLE_RATE,
  PROP_TEMPO_BPM,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  N_PROPS
};
static GParamSpec *pspecs[N_PROPS];

G_DEFINE_QUARK (busker-project-error-quark, busker_project_error)

static GType
get_item_type (GListModel *model)
{
  return BUSKER_TYPE_STRIP;
}

static guint
get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (BUSKER_PROJECT (model)->strips));
}

static gpointer
get_item (GListModel *model, guint position)
{
  return g_list_model_get_item (G_LIST_MODEL (BUSKER_PROJECT (model)->strips), position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
on_strips_changed (GListModel *list, guint position, guint removed,
                   guint added, BuskerProject *self)
{
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static void
update_flag (BuskerProject *self, gboolean *field, gboolean value, guint prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[prop]);
}

static void
on_undo_changed (BuskerProject *self)
{
  update_flag (self, &self->dirty, !busker_undo_is_clean (self->undo), PROP_DIRTY);
  update_flag (self, &self->can_undo, busker_undo_can_undo (self->undo), PROP_CAN_UNDO);
  update_flag (self, &self->can_redo, busker_undo_can_redo (self->undo), PROP_CAN_REDO);
}

BuskerProject *
busker_project_new (void)
{
  BuskerProject *self = g_object_new (BUSKER_TYPE_PROJECT, NULL);
  g_autoptr (BuskerStrip) master = busker_strip_new (BUSKER_STRIP_MASTER, "master");
  /* Named as strips are shown (its id is the file's key, "master"). */
  busker_strip_set_name (master, _("Master"));
  busker_model_set_owner (master, self);
  g_list_store_append (self->strips, master);
  return self;
}

BuskerUndo *
_busker_project_get_undo (BuskerProject *project)
{
  return project->undo;
}

void
_busker_project_set_file (BuskerProject *self, GFile *file)
{
  if (g_set_object (&self->file, file))
    g_object_notify_by_pspec (G_OBJECT (self), pspecs[PROP_FILE]);
  busker_undo_mark_clean (self->undo);
}

void
_busker_project_take_strips (BuskerProject *self, GPtrArray *strips)
{
  for (guint i = 0; i < strips->len; i++)
    busker_model_set_owner (g_ptr_array_index (strips, i), self);
  g_list_store_splice (self->strips,
                       g_list_model_get_n_items (G_LIST_MODEL (self->strips)),
                       0, strips->pdata, strips->len);
}

void
_busker_project_add_warning (BuskerProject *self, char *warning)
{
  g_ptr_array_insert (self->warnings, self->warnings->len - 1, warning);
}

const char *const *
busker_project_get_load_warnings (BuskerProject *self)
{
  g_return_val_if_fail (BUSKER_IS_PROJECT (self), NULL);
  return (const char *const *) self->warnings->pdata;
}

GFile *
busker_project_get_file (BuskerProject *self)
{
  g_return_val_if_fail (BUSKER_IS_PROJECT (self), NULL);
  return self->file;
}

gboolean
busker_project_get_dirty (BuskerProject *self)
{
  g_return_val_if_fail (BUSKER_IS_PROJECT (self), FALSE);
  return self->dirty;
}

const char *
busker_project_get_name (BuskerProject *self)
{
  g_return_val_if_fail (BUSKER_IS_PROJECT (self), NULL);
  return self->name;
}

void
busker_project_set_name (BuskerProject *self, const char *name)
{
  g_return_if_fail (BUSKER_IS_PROJECT (self));
  if (g_strcmp0 (self->name, name) == 0)
    return;
  busker_undo_add_prop (self->undo, G_OBJECT (self), pspecs[PROP_NAME], NULL);
  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[PROP_NAME]);
}

double
busker_project_get_sample_rate (BuskerProject *self)
{
  g_return_val_if_fail (BUSKER_IS_PROJECT (self), 0);
  return self->sample_rate;
}

static void
set_double (BuskerProject *self, double *field, double value, guint prop)
{
  if (*field == value)
    return;
  busker_undo_add_prop (self->undo, G_OBJECT (self), pspecs[prop], NULL);
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[prop]);
}

void
busker_project_set_sample_rate (BuskerProject *self, double rate_hz)
{
  g_return_if_fail (BUSKER_IS_PROJECT (self));
  g_return_if_fail (rate_hz >= 8000 && rate_hz <= 768000);
  set_double (self, &self->sample_rate, rate_hz, PROP_SAMPLE_RATE);
}

double
busker_project_get_tempo_bpm (BuskerProject *self)
{
  g_return_val_if_fail (BUSKER_IS_PROJECT (self), 0);
  return self->tempo_bpm;
}

void
busker_project_set_tempo_bpm (BuskerProject *self, double tempo_bpm)
{
  g_return_if_fail (BUSKER_IS_PROJECT (self));
  g_return_if_fail (isfinite (tempo_bpm));
  set_double (self, &self->tempo_bpm, CLAMP (tempo_bpm, 20.0, 999.0), PROP_TEMPO_BPM);
}

static GHashTable *
get_index (BuskerProject *self)
{
  if (self->by_id == NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->strips));
      self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < n; i++)
        {
          BuskerStrip *strip = g_list_model_get_item (G_LIST_MODEL (self->strips), i);
          g_hash_table_insert (self->by_id, (char *) busker_strip_get_id (strip),
                               GUINT_TO_POINTER (i + 1));
          g_object_unref (strip); /* the store keeps it alive */
        }
    }
  return self->by_id;
}

static BuskerStrip *
nth_strip (BuskerProject *self, guint i)
{
  /* Borrowed: the store holds a reference. */
  BuskerStrip *strip = g_list_model_get_item (G_LIST_MODEL (self->strips), i);
  g_object_unref (strip);
  return strip;
}

int
busker_project_get_strip_position (BuskerProject *self, BuskerStrip *strip)
{
  g_return_val_if_fail (BUSKER_IS_PROJECT (self), -1);
  g_return_val_if_fail (BUSKER_IS_STRIP (strip), -1);
  gpointer p = g_hash_table_lookup (get_index (self), busker_strip_get_id (strip));
  if (p == NULL || nth_strip (self, GPOINTER_TO_UINT (p) - 1) != strip)
    return -1;
  return (int) GPOINTER_TO_UINT (p) - 1;
}

BuskerStrip *
busker_project_find_strip (BuskerProject *self, const char *id)
{
  g_return_val_if_fail (BUSKER_IS_PROJECT (self), NULL);
  if (id == NULL)
    return NULL;
  gpointer p = g_hash_table_lookup (get_index (self), id);
  return p ? nth_strip (self, GPOINTER_TO_UINT (p) - 1) : NULL;
}

BuskerStrip *
busker_project_get_master (BuskerProject *self)
{
  return busker_project_find_strip (self, "master");
}

/* Targets of a strip's edges: its output, then its sends. */
static GPtrArray *
strip_targets (BuskerProject *self, BuskerStrip *strip)
{
  GPtrArray *out = g_ptr_array_new ();
  BuskerStrip *t = busker_project_find_strip (self, busker_strip_get_output (strip));
  if (t)
    g_ptr_array_add (out, t);
  GListModel *sends = busker_strip_get_sends (strip);
  guint n = g_list_model_get_n_items (sends);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BuskerSend) send = g_list_model_get_item (sends, i);
      t = busker_project_find_strip (self, busker_send_get_to (send));
      if (t)
        g_ptr_array_add (out, t);
    }
  return out;
}

/* When target reaches strip, the loop "strip → target → … → strip"; else
 * NULL. */
static char *
find_loop (BuskerProject *self, BuskerStrip *strip, BuskerStrip *target)
{
  g_autoptr (GHashTable) parent = g_hash_table_new (NULL, NULL);
  g_autoptr (GQueue) queue = g_queue_new ();
  g_hash_table_insert (parent, target, target);
  g_queue_push_tail (queue, target);
  while (!g_queue_is_empty (queue))
    {
      BuskerStrip *s = g_queue_pop_head (queue);
      if (s == strip)
        {
          GPtrArray *path = g_ptr_array_new ();
          for (BuskerStrip *p = s; ; p = g_hash_table_lookup (parent, p))
            {
              g_ptr_array_insert (path, 0, p);
              if (p == target)
                break;
            }
          g_autoptr (GString) chain = g_string_new (busker_strip_get_name (strip));
          for (guint i = 0; i < path->len; i++)
            g_string_append_printf (chain, " → %s",
                                    busker_strip_get_name (g_ptr_array_index (path, i)));
          g_ptr_array_unref (path);
          /* TRANSLATORS: %s is a routing chain, "Drums → Music → Drums" */
          return g_strdup_printf (_("%s would feed back"), chain->str);
        }
      g_autoptr (GPtrArray) next = strip_targets (self, s);
      for (guint i = 0; i < next->len; i++)
        {
          BuskerStrip *t = g_ptr_array_index (next, i);
          if (!g_hash_table_contains (parent, t))
            {
              g_hash_table_insert (parent, t, s);
              g_queue_push_tail (queue, t);
            }
        }
    }
  return NULL;
}

gboolean
busker_project_can_route (BuskerProject *self, BuskerStrip *strip,
                          BuskerStrip *target, char **reason)
{
  g_return_val_if_fail (BUSKER_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (BUSKER_IS_STRIP (strip), FALSE);
  g_return_val_if_fail (BUSKER_IS_STRIP (target), FALSE);

  char *why = NULL;
  BuskerStripKind kind = busker_strip_get_kind (target);
  if (strip == target)
    why = g_strdup_printf (_("%s cannot feed itself"), busker_strip_get_name (strip));
  else if (busker_strip_get_kind (strip) == BUSKER_STRIP_MASTER)
    why = g_strdup (_("The master bus feeds the speakers and the export only"));
  else if (kind == BUSKER_STRIP_TRACK)
    why = g_strdup_printf (_("%s is a track; only buses take signal"),
                           busker_strip_get_name (target));
  else
    why = find_loop (self, strip, target);

  if (reason)
    *reason = why;
  else
    g_free (why);
  return why == NULL;
}

static gboolean
check_route (BuskerProject *self, BuskerStrip *strip, BuskerStrip *target,
             BuskerStripKind want, GError **error)
{
  char *reason = NULL;
  BuskerStripKind kind = busker_strip_get_kind (target);
  if (want == BUSKER_STRIP_AUX && kind != BUSKER_STRIP_AUX && strip != target)
    reason = g_strdup_printf (_("%s is not an aux bus; sends go to aux buses"),
                              busker_strip_get_name (target));
  else if (want != BUSKER_STRIP_AUX && kind == BUSKER_STRIP_AUX && strip != target)
    reason = g_strdup_printf (_("%s is an aux bus; it is fed by sends, not outputs"),
                              busker_strip_get_name (target));
  if (reason == NULL && busker_project_can_route (self, strip, target, &reason))
    return TRUE;
  g_set_error_literal (error, BUSKER_PROJECT_ERROR, BUSKER_PROJECT_ERROR_ROUTING,
                       reason);
  g_free (reason);
  return FALSE;
}

gboolean
busker_project_set_output (BuskerProject *self, BuskerStrip *strip,
                           BuskerStrip *target, GError **error)
{
  g_return_val_if_fail (BUSKER_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (busker_project_get_strip_position (self, strip) >= 0, FALSE);
  g_return_val_if_fail (busker_project_get_strip_position (self, target) >= 0, FALSE);
  if (!check_route (self, strip, target, BUSKER_STRIP_SUBGROUP, error))
    return FALSE;
  _busker_strip_set_output (strip, busker_strip_get_id (target));
  return TRUE;
}

BuskerSend *
busker_project_add_send (BuskerProject *self, BuskerStrip *strip,
                         BuskerStrip *target, GError **error)
{
  g_return_val_if_fail (BUSKER_IS_PROJECT (self), NULL);
  g_return_val_if_fail (busker_project_get_strip_position (self, strip) >= 0, NULL);
  g_return_val_if_fail (busker_project_get_strip_position (self, target) >= 0, NULL);
  if (!check_route (self, strip, target, BUSKER_STRIP_AUX, error))
    return NULL;
  GListStore *store = _busker_strip_get_send_store (strip);
  g_autoptr (BuskerSend) send = busker_send_new (busker_strip_get_id (target));
  guint position = g_list_model_get_n_items (G_LIST_MODEL (store));
  busker_model_set_owner (send, self);
  g_list_store_append (store, send);
  busker_model_record_list (self, store, position, send, TRUE);
  return send; /* the store holds it */
}

static void
remove_send_at (BuskerProject *self, GListStore *store, guint position)
{
  g_autoptr (BuskerSend) send = g_list_model_get_item (G_LIST_MODEL (store), position);
  busker_model_record_list (self, store, position, send, FALSE);
  g_list_store_remove (store, position);
  busker_model_set_owner (send, NULL);
}

void
busker_project_remove_send (BuskerProject *self, BuskerStrip *strip,
                            BuskerSend *send)
{
  guint position;
  g_return_if_fail (BUSKER_IS_PROJECT (self));
  GListStore *store = _busker_strip_get_send_store (strip);
  g_return_if_fail (g_list_store_find (store, send, &position));
  remove_send_at (self, store, position);
}

gboolean
busker_project_add_strip (BuskerProject *self, BuskerStrip *strip,
                          guint position, GError **error)
{
  g_return_val_if_fail (BUSKER_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (BUSKER_IS_STRIP (strip), FALSE);
  g_return_val_if_fail (busker_model_get_owner (strip) == NULL, FALSE);

  const char *id = busker_strip_get_id (strip);
  if (busker_project_find_strip (self, id))
    {
      g_set_error (error, BUSKER_PROJECT_ERROR, BUSKER_PROJECT_ERROR_INVALID,
                   _("A strip with the id “%s” already exists"), id);
      return FALSE;
    }
  if (busker_strip_get_kind (strip) == BUSKER_STRIP_MASTER)
    {
      g_set_error_literal (error, BUSKER_PROJECT_ERROR, BUSKER_PROJECT_ERROR_INVALID,
                           _("A project has exactly one master bus"));
      return FALSE;
    }
  BuskerStrip *out = busker_project_find_strip (self, busker_strip_get_output (strip));
  if (out == NULL)
    {
      g_set_error (error, BUSKER_PROJECT_ERROR, BUSKER_PROJECT_ERROR_ROUTING,
                   _("%s feeds “%s”, which does not exist"),
                   busker_strip_get_name (strip), busker_strip_get_output (strip));
      return FALSE;
    }
  /* A new strip has no inputs yet, so only its own targets can be wrong. */
  if (!check_route (self, strip, out, BUSKER_STRIP_SUBGROUP, error))
    return FALSE;
  GListModel *sends = busker_strip_get_sends (strip);
  for (guint i = 0; i < g_list_model_get_n_items (sends); i++)
    {
      g_autoptr (BuskerSend) send = g_list_model_get_item (sends, i);
      BuskerStrip *to = busker_project_find_strip (self, busker_send_get_to (send));
      if (to == NULL)
        {
          g_set_error (error, BUSKER_PROJECT_ERROR, BUSKER_PROJECT_ERROR_ROUTING,
                       _("%s sends to “%s”, which does not exist"),
                       busker_strip_get_name (strip), busker_send_get_to (send));
          return FALSE;
        }
      if (!check_route (self, strip, to, BUSKER_STRIP_AUX, error))
        return FALSE;
    }

  position = MIN (position, g_list_model_get_n_items (G_LIST_MODEL (self->strips)));
  busker_model_set_owner (strip, self);
  g_list_store_insert (self->strips, position, strip);
  busker_model_record_list (self, self->strips, position, strip, TRUE);
  return TRUE;
}

void
busker_project_remove_strip (BuskerProject *self, BuskerStrip *strip)
{
  g_return_if_fail (BUSKER_IS_PROJECT (self));
  int position = busker_project_get_strip_position (self, strip);
  g_return_if_fail (position >= 0);
  g_return_if_fail (busker_strip_get_kind (strip) != BUSKER_STRIP_MASTER);

  /* Alive across its removal from the store. */
  G_GNUC_UNUSED g_autoptr (BuskerStrip) keep = g_object_ref (strip);
  const char *id = busker_strip_get_id (strip);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->strips));

  busker_undo_begin (self->undo);
  for (guint i = 0; i < n; i++)
    {
      BuskerStrip *other = nth_strip (self, i);
      if (g_strcmp0 (busker_strip_get_output (other), id) == 0)
        _busker_strip_set_output (other, "master");
      GListStore *sends = _busker_strip_get_send_store (other);
      for (guint j = g_list_model_get_n_items (G_LIST_MODEL (sends)); j > 0; j--)
        {
          g_autoptr (BuskerSend) send = g_list_model_get_item (G_LIST_MODEL (sends), j - 1);
          if (g_strcmp0 (busker_send_get_to (send), id) == 0)
            remove_send_at (self, sends, j - 1);
        }
    }
  busker_model_record_list (self, self->strips, position, strip, FALSE);
  g_list_store_remove (self->strips, position);
  busker_model_set_owner (strip, NULL);
  busker_undo_end (self->undo);
}

void
busker_project_move_strip (BuskerProject *self, BuskerStrip *strip,
                           guint position)
{
  g_return_if_fail (BUSKER_IS_PROJECT (self));
  int from = busker_project_get_strip_position (self, strip);
  g_return_if_fail (from >= 0);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->strips));
  position = MIN (position, n - 1);
  if ((guint) from == position)
    return;
  /* Alive across its removal from the store. */
  G_GNUC_UNUSED g_autoptr (BuskerStrip) keep = g_object_ref (strip);
  busker_undo_begin (self->undo);
  busker_model_record_list (self, self->strips, from, strip, FALSE);
  g_list_store_remove (self->strips, from);
  g_list_store_insert (self->strips, position, strip);
  busker_model_record_list (self, self->strips, position, strip, TRUE);
  busker_undo_end (self->undo);
}

static BuskerMixDesc *build_desc (BuskerProject *self, gboolean routing_only);

gboolean
busker_project_is_audible (BuskerProject *self, BuskerStrip *strip)
{
  g_return_val_if_fail (BUSKER_IS_PROJECT (self), FALSE);
  int position = busker_project_get_strip_position (self, strip);
  g_return_val_if_fail (position >= 0, FALSE);
  g_autoptr (BuskerMixDesc) desc = build_desc (self, TRUE);
  g_autofree bool *audible = g_new0 (bool, desc->n_strips);
  busker_solo_resolve (desc, audible);
  return audible[position];
}

/* routing_only: what solo resolution needs (kind, mute, solo, routing). */
static void
snapshot_strip (BuskerProject *self, BuskerStrip *strip, BuskerStripDesc *d,
                GFile *folder, gboolean routing_only)
{
  d->id = g_strdup (busker_strip_get_id (strip));
  d->name = g_strdup (busker_strip_get_name (strip));
  d->kind = busker_strip_get_kind (strip);
  d->trim_db = busker_strip_get_trim_db (strip);
  d->polarity_invert = busker_strip_get_polarity_invert (strip);
  d->gain_db = busker_strip_get_gain_db (strip);
  d->pan = busker_strip_get_pan (strip);
  d->mute = busker_strip_get_mute (strip);
  d->solo = busker_strip_get_solo (strip);
  BuskerStrip *out = busker_project_find_strip (self, busker_strip_get_output (strip));
  d->output = out ? busker_project_get_strip_position (self, out) : -1;

  GListModel *sends = busker_strip_get_sends (strip);
  guint n = g_list_model_get_n_items (sends), k = 0;
  busker_strip_desc_alloc_sends (d, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BuskerSend) send = g_list_model_get_item (sends, i);
      BuskerStrip *to = busker_project_find_strip (self, busker_send_get_to (send));
      if (to == NULL)
        continue;
      BuskerSendDesc *sd = &d->sends[k++];
      sd->to = busker_project_get_strip_position (self, to);
      sd->level_db = busker_send_get_level_db (send);
      sd->pan = busker_send_get_pan (send);
      sd->pre_fader = busker_send_get_pre_fader (send);
      sd->mute = busker_send_get_mute (send);
    }
  d->n_sends = k;
  if (routing_only)
    return;

  BuskerSource *source = busker_strip_get_source (strip);
  d->source = source ? busker_source_get_kind (source) : BUSKER_SOURCE_NONE;
  if (d->source == BUSKER_SOURCE_FILE && busker_source_get_path (source))
    {
      const char *path = busker_source_get_path (source);
      g_autoptr (GFile) f = folder ? g_file_resolve_relative_path (folder, path)
                                   : g_file_new_for_path (path);
      d->source_path = g_file_get_path (f);
      d->source_offset_s = busker_source_get_offset_s (source);
    }
  else if (d->source == BUSKER_SOURCE_CAPTURE)
    d->source_node = g_strdup (busker_source_get_node (source));

  GListModel *inserts = busker_strip_get_inserts (strip);
  n = g_list_model_get_n_items (inserts);
  k = 0;
  busker_strip_desc_alloc_inserts (d, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BuskerInsert) insert = g_list_model_get_item (inserts, i);
      const BuskerEffectClass *klass =
          busker_effect_class_lookup (busker_insert_get_effect_type (insert));
      guint n_params;
      busker_insert_get_params (insert, &n_params);
      if (klass == NULL || klass->n_params != n_params)
        {
          g_debug ("%s: effect “%s” is not available, left out of the mix",
                   busker_strip_get_id (strip), busker_insert_get_effect_type (insert));
          continue;
        }
      BuskerInsertDesc *id = &d->inserts[k++];
      busker_insert_desc_init (id, klass);
      for (guint p = 0; p < n_params; p++)
        id->values[p] = busker_insert_get_value (insert, p);
      id->bypass = busker_insert_get_bypass (insert);
      id->post_fader = busker_insert_get_post_fader (insert);
    }
  d->n_inserts = k;
}

static BuskerMixDesc *
build_desc (BuskerProject *self, gboolean routing_only)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->strips));
  BuskerMixDesc *desc = busker_mix_desc_new (n, self->sample_rate);
  desc->tempo_bpm = self->tempo_bpm;
  g_autoptr (GFile) folder = self->file ? g_file_get_parent (self->file) : NULL;
  for (guint i = 0; i < n; i++)
    snapshot_strip (self, nth_strip (self, i), &desc->strips[i], folder, routing_only);
  return desc;
}

BuskerMixDesc *
busker_project_snapshot (BuskerProject *self)
{
  g_return_val_if_fail (BUSKER_IS_PROJECT (self), NULL);
  return build_desc (self, FALSE);
}

void
busker_project_begin_gesture (BuskerProject *self)
{
  g_return_if_fail (BUSKER_IS_PROJECT (self));
  busker_undo_begin (self->undo);
}

void
busker_project_end_gesture (BuskerProject *self)
{
  g_return_if_fail (BUSKER_IS_PROJECT (self));
  busker_undo_end (self->undo);
}

gboolean
busker_project_can_undo (BuskerProject *self)
{
  g_return_val_if_fail (BUSKER_IS_PROJECT (self), FALSE);
  return busker_undo_can_undo (self->undo);
}

gboolean
busker_project_can_redo (BuskerProject *self)
{
  g_return_val_if_fail (BUSKER_IS_PROJECT (self), FALSE);
  return busker_undo_can_redo (self->undo);
}

void
busker_project_undo (BuskerProject *self)
{
  g_return_if_fail (BUSKER_IS_PROJECT (self));
  busker_undo_undo (self->undo);
}

void
busker_project_redo (BuskerProject *self)
{
  g_return_if_fail (BUSKER_IS_PROJECT (self));
  busker_undo_redo (self->undo);
}

static void
busker_project_dispose (GObject *object)
{
  BuskerProject *self = BUSKER_PROJECT (object);
  /* The history holds strips that may outlive us: cut their owner link. */
  guint n = self->strips ? g_list_model_get_n_items (G_LIST_MODEL (self->strips)) : 0;
  for (guint i = 0; i < n; i++)
    busker_model_set_owner (nth_strip (self, i), NULL);
  g_clear_pointer (&self->undo, busker_undo_free);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  if (self->strips)
    {
      g_signal_handlers_disconnect_by_data (self->strips, self);
      g_clear_object (&self->strips);
    }
  g_clear_object (&self->file);
  G_OBJECT_CLASS (busker_project_parent_class)->dispose (object);
}

static void
busker_project_finalize (GObject *object)
{
  BuskerProject *self = BUSKER_PROJECT (object);
  g_free (self->name);
  g_ptr_array_unref (self->warnings);
  G_OBJECT_CLASS (busker_project_parent_class)->finalize (object);
}

static void
busker_project_get_property (GObject *object, guint prop_id, GValue *value,
                             GParamSpec *pspec)
{
  BuskerProject *self = BUSKER_PROJECT (object);
  switch (prop_id)
    {
    case PROP_FILE: g_value_set_object (value, self->file); break;
    case PROP_DIRTY: g_value_set_boolean (value, self->dirty); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_SAMPLE_RATE: g_value_set_double (value, self->sample_rate); break;
    case PROP_TEMPO_BPM: g_value_set_double (value, self->tempo_bpm); break;
    case PROP_CAN_UNDO: g_value_set_boolean (value, self->can_undo); break;
    case PROP_CAN_REDO: g_value_set_boolean (value, self->can_redo); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
busker_project_set_property (GObject *object, guint prop_id,
                             const GValue *value, GParamSpec *pspec)
{
  BuskerProject *self = BUSKER_PROJECT (object);
  switch (prop_id)
    {
    case PROP_NAME: busker_project_set_name (self, g_value_get_string (value)); break;
    case PROP_SAMPLE_RATE: busker_project_set_sample_rate (self, g_value_get_double (value)); break;
    case PROP_TEMPO_BPM: busker_project_set_tempo_bpm (self, g_value_get_double (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
busker_project_class_init (BuskerProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = busker_project_dispose;
  object_class->finalize = busker_project_finalize;
  object_class->get_property = busker_project_get_property;
  object_class->set_property = busker_project_set_property;

  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  pspecs[PROP_FILE] = g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE, ro);
  pspecs[PROP_DIRTY] = g_param_spec_boolean ("dirty", NULL, NULL, FALSE, ro);
  pspecs[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  pspecs[PROP_SAMPLE_RATE] = g_param_spec_double ("sample-rate", NULL, NULL,
                                                  8000, 768000, 48000, rw);
  pspecs[PROP_TEMPO_BPM] = g_param_spec_double ("tempo-bpm", NULL, NULL,
                                                20, 999, 120, rw);
  pspecs[PROP_CAN_UNDO] = g_param_spec_boolean ("can-undo", NULL, NULL, FALSE, ro);
  pspecs[PROP_CAN_REDO] = g_param_spec_boolean ("can-redo", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, pspecs);
}

static void
busker_project_init (BuskerProject *self)
{
  self->strips = g_list_store_new (BUSKER_TYPE_STRIP);
  g_signal_connect (self->strips, "items-changed", G_CALLBACK (on_strips_changed), self);
  self->sample_rate = 48000;
  self->tempo_bpm = 120;
  self->undo = busker_undo_new (BUSKER_PROJECT_UNDO_DEPTH, G_CALLBACK (on_undo_changed), self);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->warnings, NULL);
}
