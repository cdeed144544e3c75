/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window's edit, transport, export and view actions, and which of
 * them are enabled: everything that needs a project is off in the empty
 * state; Undo and Redo follow the project's history.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "busker-export-dialog.h"
#include "busker-window-private.h"

static void
undo_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BuskerWindow *self = BUSKER_WINDOW (user_data);

  if (self->project != NULL && busker_project_can_undo (self->project))
    busker_project_undo (self->project);
}

static void
redo_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BuskerWindow *self = BUSKER_WINDOW (user_data);

  if (self->project != NULL && busker_project_can_redo (self->project))
    busker_project_redo (self->project);
}

static void
export_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BuskerWindow *self = BUSKER_WINDOW (user_data);

  if (self->project != NULL)
    busker_export_dialog_present (self, self->project, FALSE);
}

static void
export_stems_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BuskerWindow *self = BUSKER_WINDOW (user_data);

  if (self->project != NULL)
    busker_export_dialog_present (self, self->project, TRUE);
}

static void
play_pause_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BuskerWindow *self = BUSKER_WINDOW (user_data);

  if (self->project == NULL)
    return;
  if (busker_session_get_playing (self->session))
    busker_session_pause (self->session);
  else
    busker_session_play (self->session);
}

static void
stop_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BuskerWindow *self = BUSKER_WINDOW (user_data);

  if (self->project != NULL)
    busker_session_stop (self->session);
}

static void
on_show_items_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GFile) file = user_data;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      /* No file manager on the bus: open the folder itself. */
      g_autoptr (GFile) folder = g_file_get_parent (file);
      g_autofree char *uri = g_file_get_uri (folder);
      g_debug ("FileManager1.ShowItems: %s", error->message);
      g_app_info_launch_default_for_uri_async (uri, NULL, NULL, NULL, NULL);
    }
}

/* Shows an exported file in the file manager (FileManager1.ShowItems,
 * as Nautilus and others offer), or opens its folder. */
static void
show_in_folder_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BuskerWindow *self = BUSKER_WINDOW (user_data);
  const char *uri = g_variant_get_string (parameter, NULL);
  GDBusConnection *bus = g_application_get_dbus_connection (
    G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
  const char *uris[] = { uri, NULL };

  if (bus == NULL)
    {
      g_autoptr (GFile) file = g_file_new_for_uri (uri);
      g_autoptr (GFile) folder = g_file_get_parent (file);
      g_autofree char *folder_uri = g_file_get_uri (folder);
      g_app_info_launch_default_for_uri_async (folder_uri, NULL, NULL, NULL, NULL);
      return;
    }
  g_dbus_connection_call (bus, "org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1", "ShowItems",
                          g_variant_new ("(^ass)", uris, ""), NULL,
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, on_show_items_done,
                          g_file_new_for_uri (uri));
}

static const GActionEntry window_actions[] = {
  { "show-in-folder", show_in_folder_activated, "s" },
  { "undo", undo_activated },
  { "redo", redo_activated },
  { "export", export_activated },
  { "export-stems", export_stems_activated },
  { "play-pause", play_pause_activated },
  { "stop", stop_activated },
};

/* The mixer's own actions ("mixer.add-subgroup", …) live on the mixer
 * widget; the header bar's Add menu is outside it. A "mixer" group on the
 * window forwards them, and inside the mixer its own actions win. */
static const char *const mixer_actions[] = {
  "add-file-track", "add-live-track", "add-subgroup", "add-aux", "remove-selected",
};

static void
forward_to_mixer (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BuskerWindow *self = BUSKER_WINDOW (user_data);
  g_autofree char *name = g_strconcat ("mixer.", g_action_get_name (G_ACTION (action)), NULL);

  if (!gtk_widget_activate_action (self->mixer, name, NULL))
    g_debug ("the mixer has no action %s", name);
}

static void
set_enabled (BuskerWindow *self, const char *name, gboolean enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

/* Play needs something to play (file tracks give the project a length)
 * and somewhere to play it (PipeWire). Without them the button said
 * "Pause" while nothing moved. Stop stays, to leave a play begun before
 * live audio went away. */
static gboolean
can_play (BuskerWindow *self)
{
  return self->project != NULL && busker_session_get_live (self->session)
         && busker_session_get_length_s (self->session) > 0.0;
}

void
busker_window_actions_update (BuskerWindow *self)
{
  gboolean has_project = self->project != NULL;
  static const char *const need_project[] = {
    "save", "save-as", "export", "export-stems", "stop",
  };

  for (guint i = 0; i < G_N_ELEMENTS (need_project); i++)
    set_enabled (self, need_project[i], has_project);
  set_enabled (self, "play-pause", can_play (self));
  for (guint i = 0; i < G_N_ELEMENTS (mixer_actions); i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->mixer_group), mixer_actions[i]);
      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), has_project);
    }
  set_enabled (self, "undo", has_project && busker_project_can_undo (self->project));
  set_enabled (self, "redo", has_project && busker_project_can_redo (self->project));
}

void
busker_window_actions_init (BuskerWindow *self)
{
  g_autoptr (GPropertyAction) loop = g_property_action_new ("loop", self->session, "loop");
  g_autoptr (GPropertyAction) apps = g_property_action_new ("show-apps", self->apps_revealer,
                                                           "reveal-child");

  g_action_map_add_action_entries (G_ACTION_MAP (self), window_actions,
                                   G_N_ELEMENTS (window_actions), self);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (loop));
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (apps));
  g_signal_connect_object (self->session, "notify::live",
                           G_CALLBACK (busker_window_actions_update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::length",
                           G_CALLBACK (busker_window_actions_update), self, G_CONNECT_SWAPPED);

  self->mixer_group = g_simple_action_group_new ();
  for (guint i = 0; i < G_N_ELEMENTS (mixer_actions); i++)
    {
      g_autoptr (GSimpleAction) action = g_simple_action_new (mixer_actions[i], NULL);
      g_signal_connect (action, "activate", G_CALLBACK (forward_to_mixer), self);
      g_action_map_add_action (G_ACTION_MAP (self->mixer_group), G_ACTION (action));
    }
  gtk_widget_insert_action_group (GTK_WIDGET (self), "mixer", G_ACTION_GROUP (self->mixer_group));
}
