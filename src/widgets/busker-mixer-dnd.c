/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Drag and drop in the mixer (gtk4-widgets.md §4).
 * - A strip is dragged by its name header; the content is the ids of the
 *   dragged strips (G_TYPE_STRV): the selection when the strip is
 *   selected, else that strip alone.
 * - At drag-begin every bus (subgroup, aux, master) asks the model whether
 *   each dragged strip may feed it (busker_project_can_route); a bus
 *   that would loop gets .drop-refused and the model's sentence as its
 *   tooltip, and its drop target answers 0 in enter/motion, so GTK shows
 *   the no-drop cursor and a release there drops nothing. The source then
 *   gets drag-cancel; the mixer repeats the sentence of the refused bus
 *   under the pointer as a "message".
 * - Dropped on a subgroup or the master: the output; on an aux bus: a
 *   send. All strips of one drop are one undo step.
 * - Files (GdkFileList) dropped anywhere on the mixer become file tracks;
 *   an application stream (BuskerAppStream) dropped on a live track is
 *   routed there by the session.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "busker-mixer-private.h"
#include "busker-mixer-session.h"

#define REFUSAL_KEY "busker-drop-refusal"

static gboolean
is_bus (BuskerStrip *strip)
{
  return busker_strip_get_kind (strip) != BUSKER_STRIP_TRACK;
}

/* ---- source ---------------------------------------------------------------- */

static GdkContentProvider *
on_prepare_cb (GtkDragSource *source, double x, double y, BuskerChannelStrip *cs)
{
  BuskerMixer *mixer = BUSKER_MIXER (gtk_widget_get_ancestor (GTK_WIDGET (cs), BUSKER_TYPE_MIXER));
  GPtrArray *strips = _busker_mixer_strips (mixer);
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();
  g_auto (GStrv) strv = NULL;

  if (busker_strip_get_kind (busker_channel_strip_get_strip (cs)) == BUSKER_STRIP_MASTER)
    return NULL;
  if (busker_channel_strip_get_selected (cs))
    {
      for (guint i = 0; i < strips->len; i++)
        {
          BuskerChannelStrip *other = g_ptr_array_index (strips, i);
          BuskerStrip *strip = busker_channel_strip_get_strip (other);
          if (busker_channel_strip_get_selected (other)
              && busker_strip_get_kind (strip) != BUSKER_STRIP_MASTER)
            g_strv_builder_add (ids, busker_strip_get_id (strip));
        }
    }
  else
    g_strv_builder_add (ids, busker_strip_get_id (busker_channel_strip_get_strip (cs)));
  strv = g_strv_builder_end (ids);
  return gdk_content_provider_new_typed (G_TYPE_STRV, strv);
}

/* The first reason why one of ids may not feed target, or NULL. */
static char *
refusal_for (BuskerProject *project, const char *const *ids, BuskerStrip *target)
{
  for (guint i = 0; ids[i] != NULL; i++)
    {
      BuskerStrip *strip = busker_project_find_strip (project, ids[i]);
      char *reason = NULL;
      if (strip != NULL && !busker_project_can_route (project, strip, target, &reason))
        return reason != NULL ? reason : g_strdup (_("This routing is not possible."));
    }
  return NULL;
}

static void
on_drag_begin_cb (GtkDragSource *source, GdkDrag *drag, BuskerChannelStrip *cs)
{
  BuskerMixer *mixer = BUSKER_MIXER (gtk_widget_get_ancestor (GTK_WIDGET (cs), BUSKER_TYPE_MIXER));
  BuskerProject *project = _busker_mixer_project (mixer);
  GPtrArray *strips = _busker_mixer_strips (mixer);
  GValue value = G_VALUE_INIT;
  g_autoptr (GdkPaintable) icon = gtk_widget_paintable_new (GTK_WIDGET (cs));

  gtk_drag_source_set_icon (source, icon, 0, 0);
  g_value_init (&value, G_TYPE_STRV);
  if (!gdk_content_provider_get_value (gdk_drag_get_content (drag), &value, NULL))
    return;
  for (guint i = 0; i < strips->len; i++)
    {
      GtkWidget *target = g_ptr_array_index (strips, i);
      BuskerStrip *strip = busker_channel_strip_get_strip (BUSKER_CHANNEL_STRIP (target));
      char *reason;

      if (!is_bus (strip))
        continue;
      reason = refusal_for (project, g_value_get_boxed (&value), strip);
      if (reason != NULL)
        {
          gtk_widget_add_css_class (target, "drop-refused");
          gtk_widget_set_tooltip_text (target, reason);
        }
      g_object_set_data_full (G_OBJECT (target), REFUSAL_KEY, reason, g_free);
    }
  g_value_unset (&value);
}

static void
on_drag_end_cb (GtkDragSource *source, GdkDrag *drag, gboolean delete_data, BuskerChannelStrip *cs)
{
  GtkWidget *mixer = gtk_widget_get_ancestor (GTK_WIDGET (cs), BUSKER_TYPE_MIXER);
  GPtrArray *strips;

  if (mixer == NULL)
    return;
  strips = _busker_mixer_strips (BUSKER_MIXER (mixer));
  for (guint i = 0; i < strips->len; i++)
    {
      GtkWidget *target = g_ptr_array_index (strips, i);
      if (g_object_get_data (G_OBJECT (target), REFUSAL_KEY) != NULL)
        {
          gtk_widget_remove_css_class (target, "drop-refused");
          gtk_widget_set_tooltip_text (target, NULL);
        }
      g_object_set_data (G_OBJECT (target), REFUSAL_KEY, NULL);
    }
}

/* The strip widget under the pointer of drag, or NULL. */
static BuskerChannelStrip *
strip_under_pointer (GtkWidget *widget, GdkDrag *drag)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface;
  double x, y, dx, dy;
  GtkWidget *picked;

  if (native == NULL)
    return NULL;
  surface = gtk_native_get_surface (native);
  if (!gdk_surface_get_device_position (surface, gdk_drag_get_device (drag), &x, &y, NULL))
    return NULL;
  gtk_native_get_surface_transform (native, &dx, &dy);
  picked = gtk_widget_pick (GTK_WIDGET (native), x - dx, y - dy, GTK_PICK_DEFAULT);
  if (picked == NULL)
    return NULL;
  return BUSKER_IS_CHANNEL_STRIP (picked)
         ? BUSKER_CHANNEL_STRIP (picked)
         : (BuskerChannelStrip *) gtk_widget_get_ancestor (picked, BUSKER_TYPE_CHANNEL_STRIP);
}

static gboolean
on_drag_cancel_cb (GtkDragSource *source, GdkDrag *drag, GdkDragCancelReason reason,
                   BuskerChannelStrip *cs)
{
  GtkWidget *mixer = gtk_widget_get_ancestor (GTK_WIDGET (cs), BUSKER_TYPE_MIXER);
  BuskerChannelStrip *under;
  const char *refusal;

  if (mixer == NULL || reason != GDK_DRAG_CANCEL_NO_TARGET)
    return FALSE;
  under = strip_under_pointer (mixer, drag);
  refusal = under != NULL ? g_object_get_data (G_OBJECT (under), REFUSAL_KEY) : NULL;
  if (refusal != NULL)
    _busker_mixer_emit_message (BUSKER_MIXER (mixer), refusal);
  return FALSE;
}

/* ---- strip targets --------------------------------------------------------- */

static GdkDragAction
on_enter_cb (GtkDropTarget *target, double x, double y, BuskerChannelStrip *cs)
{
  GdkDrop *drop = gtk_drop_target_get_current_drop (target);
  GdkDragAction offered = drop != NULL ? gdk_drop_get_actions (drop) : GDK_ACTION_COPY;

  if (g_object_get_data (G_OBJECT (cs), REFUSAL_KEY) != NULL)
    return 0;
  /* Strips come as a copy (routing adds, nothing leaves the source); the
   * Apps panel offers its streams as a move. */
  return (offered & GDK_ACTION_COPY) ? GDK_ACTION_COPY : (offered & GDK_ACTION_MOVE);
}

static gboolean
already_sends_to (BuskerStrip *strip, BuskerStrip *aux)
{
  GListModel *sends = busker_strip_get_sends (strip);

  for (guint i = 0; i < g_list_model_get_n_items (sends); i++)
    {
      g_autoptr (BuskerSend) send = g_list_model_get_item (sends, i);
      if (g_str_equal (busker_send_get_to (send), busker_strip_get_id (aux)))
        return TRUE;
    }
  return FALSE;
}

static gboolean
drop_strips (BuskerMixer *mixer, BuskerStrip *target, const char *const *ids)
{
  BuskerProject *project = _busker_mixer_project (mixer);
  gboolean aux = busker_strip_get_kind (target) == BUSKER_STRIP_AUX;
  gboolean changed = FALSE;

  busker_project_begin_gesture (project);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      BuskerStrip *strip = busker_project_find_strip (project, ids[i]);
      g_autoptr (GError) error = NULL;

      if (strip == NULL || strip == target)
        continue;
      if (aux)
        {
          if (already_sends_to (strip, target))
            {
              g_autofree char *sentence =
                g_strdup_printf (_("%s already sends to %s."), busker_strip_get_name (strip),
                                 busker_strip_get_name (target));
              _busker_mixer_emit_message (mixer, sentence);
              continue;
            }
          if (busker_project_add_send (project, strip, target, &error) != NULL)
            changed = TRUE;
        }
      else if (g_strcmp0 (busker_strip_get_output (strip), busker_strip_get_id (target)) != 0)
        {
          if (busker_project_set_output (project, strip, target, &error))
            changed = TRUE;
        }
      if (error != NULL)
        _busker_mixer_emit_message (mixer, error->message);
    }
  busker_project_end_gesture (project);
  return changed;
}

static gboolean
on_drop_cb (GtkDropTarget *target, const GValue *value, double x, double y,
            BuskerChannelStrip *cs)
{
  BuskerMixer *mixer = BUSKER_MIXER (gtk_widget_get_ancestor (GTK_WIDGET (cs), BUSKER_TYPE_MIXER));
  BuskerStrip *strip = busker_channel_strip_get_strip (cs);
  GObject *session = _busker_mixer_session (mixer);

  if (G_VALUE_HOLDS (value, G_TYPE_STRV))
    {
      const char *refusal = g_object_get_data (G_OBJECT (cs), REFUSAL_KEY);
      if (refusal != NULL)
        {
          _busker_mixer_emit_message (mixer, refusal);
          return FALSE;
        }
      return is_bus (strip) && drop_strips (mixer, strip, g_value_get_boxed (value));
    }
  if (busker_mixer_app_stream_type () != G_TYPE_INVALID
      && G_VALUE_HOLDS (value, busker_mixer_app_stream_type ()) && session != NULL)
    {
      g_autoptr (GError) error = NULL;
      if (!busker_mixer_session_route_stream (session, g_value_get_object (value), strip, &error))
        {
          _busker_mixer_emit_message (mixer, error->message);
          return FALSE;
        }
      return TRUE;
    }
  return FALSE;
}

void
_busker_mixer_dnd_setup_strip (BuskerMixer *self, BuskerChannelStrip *cs)
{
  BuskerStrip *strip = busker_channel_strip_get_strip (cs);
  GtkDragSource *source;
  GtkDropTarget *target;
  GType types[2];
  guint n_types = 0;

  if (busker_strip_get_kind (strip) != BUSKER_STRIP_MASTER)
    {
      source = gtk_drag_source_new ();
      gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
      g_signal_connect (source, "prepare", G_CALLBACK (on_prepare_cb), cs);
      g_signal_connect (source, "drag-begin", G_CALLBACK (on_drag_begin_cb), cs);
      g_signal_connect (source, "drag-end", G_CALLBACK (on_drag_end_cb), cs);
      g_signal_connect (source, "drag-cancel", G_CALLBACK (on_drag_cancel_cb), cs);
      gtk_widget_add_controller (busker_channel_strip_get_header (cs), GTK_EVENT_CONTROLLER (source));
    }

  if (is_bus (strip))
    types[n_types++] = G_TYPE_STRV;
  else if (busker_mixer_app_stream_type () != G_TYPE_INVALID)
    types[n_types++] = busker_mixer_app_stream_type ();
  if (n_types == 0)
    return;
  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY | GDK_ACTION_MOVE);
  gtk_drop_target_set_gtypes (target, types, n_types);
  g_signal_connect (target, "enter", G_CALLBACK (on_enter_cb), cs);
  g_signal_connect (target, "motion", G_CALLBACK (on_enter_cb), cs);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop_cb), cs);
  gtk_widget_add_controller (GTK_WIDGET (cs), GTK_EVENT_CONTROLLER (target));
}

/* ---- files ----------------------------------------------------------------- */

static gboolean
on_files_drop_cb (GtkDropTarget *target, const GValue *value, double x, double y,
                  BuskerMixer *self)
{
  GSList *list = g_value_get_boxed (value);
  g_autoptr (GPtrArray) files = g_ptr_array_new ();

  if (_busker_mixer_project (self) == NULL)
    return FALSE;
  for (GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, l->data);
  return _busker_mixer_add_file_tracks (self, (GFile **) files->pdata, files->len) > 0;
}

void
_busker_mixer_dnd_setup_files (BuskerMixer *self, GtkWidget *widget)
{
  GtkDropTarget *target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  g_signal_connect (target, "drop", G_CALLBACK (on_files_drop_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (target));
}
