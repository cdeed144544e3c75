/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window's file actions: New, Open…, Open Recent, Save, Save As…, and
 * the offer to restore an autosave when a project opens.
 *
 * File choosers are GtkFileChooserNative (GtkFileDialog is GTK 4.10): the
 * portal's dialog inside Flatpak, GTK's own outside.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "busker-window-private.h"

/* Newest first, no duplicates, a short list: what a "recent" menu shows. */
#define N_RECENT_PROJECTS 10

static void
rebuild_recent_menu (BuskerWindow *self)
{
  g_auto (GStrv) recent = NULL;

  g_menu_remove_all (self->recent_menu);
  if (self->settings == NULL)
    return;
  recent = g_settings_get_strv (self->settings, "recent-projects");
  for (guint i = 0; recent[i] != NULL; i++)
    {
      g_autofree char *label = g_filename_display_basename (recent[i]);
      g_autoptr (GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "win.open-recent",
                                               g_variant_new_string (recent[i]));
      g_menu_append_item (self->recent_menu, item);
    }
}

void
busker_window_remember_recent (BuskerWindow *self, GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_auto (GStrv) old = NULL;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) recent = NULL;
  guint n = 1;

  if (self->settings == NULL || path == NULL)
    return;
  old = g_settings_get_strv (self->settings, "recent-projects");
  g_strv_builder_add (builder, path);
  for (guint i = 0; old[i] != NULL && n < N_RECENT_PROJECTS; i++)
    if (!g_str_equal (old[i], path))
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  recent = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-projects", (const char *const *) recent);
}

/* The window to show a newly opened or created project in: this one
 * unless it holds unsaved changes. */
static BuskerWindow *
target_window (BuskerWindow *self)
{
  BuskerWindow *other;

  if (!busker_window_get_modified (self))
    return self;
  other = busker_window_new (gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_present (GTK_WINDOW (other));
  return other;
}

typedef struct
{
  BuskerWindow *window;
  GFile *file;
  GFile *recovery;
} RestoreOffer;

static void
restore_offer_free (RestoreOffer *offer)
{
  g_object_unref (offer->window);
  g_clear_object (&offer->file);
  g_object_unref (offer->recovery);
  g_free (offer);
}

static void
on_restore_response (AdwMessageDialog *dialog, const char *response, RestoreOffer *offer)
{
  BuskerWindow *self = offer->window;

  if (g_str_equal (response, "restore"))
    {
      g_autofree char *data = NULL;
      gsize length = 0;
      g_autoptr (GError) error = NULL;
      g_autoptr (BuskerProject) project = NULL;

      if (g_file_load_contents (offer->recovery, NULL, &data, &length, NULL, &error))
        project = busker_project_load_from_data (data, length, offer->file, &error);
      if (project == NULL)
        {
          busker_window_show_message (self, error->message);
          restore_offer_free (offer);
          return;
        }
      busker_window_set_project (self, project, TRUE);
      /* An untitled project autosaves under a new name: write it now, and
       * only then drop the old one, so a crash meanwhile loses nothing. */
      if (offer->file == NULL && self->recovery != NULL
          && busker_recovery_write_now (self->recovery, NULL))
        g_file_delete (offer->recovery, NULL, NULL);
    }
  else if (g_str_equal (response, "discard"))
    g_file_delete (offer->recovery, NULL, NULL);
  restore_offer_free (offer);
}

/* Asks whether to restore the autosave; file is NULL for an untitled one. */
static void
offer_restore (BuskerWindow *self, GFile *file, GFile *recovery)
{
  RestoreOffer *offer = g_new0 (RestoreOffer, 1);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Restore Unsaved Changes?"),
                                              NULL);

  if (file != NULL)
    {
      g_autofree char *name = g_file_get_basename (file);
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                      _("Busker closed before the last changes to “%s” were saved. An autosave holds them."),
                                      name);
    }
  else
    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                                 _("Busker closed before a new project was saved. An autosave holds it."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "discard", _("_Discard"),
                                    "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "restore",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "restore");
  /* Escape keeps the autosave for another time. */
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "later");
  offer->window = g_object_ref (self);
  offer->file = file ? g_object_ref (file) : NULL;
  offer->recovery = g_object_ref (recovery);
  g_signal_connect (dialog, "response", G_CALLBACK (on_restore_response), offer);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
busker_window_offer_untitled_restore (BuskerWindow *self)
{
  g_autoptr (GFile) recovery = busker_recovery_find_untitled ();

  if (recovery != NULL)
    offer_restore (self, NULL, recovery);
}

void
busker_window_open_file (BuskerWindow *self, GFile *file)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerProject) project = NULL;
  g_autoptr (GFile) recovery = NULL;
  BuskerWindow *target;

  g_return_if_fail (BUSKER_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  project = busker_project_load (file, &error);
  if (project == NULL)
    {
      busker_window_show_message (self, error->message);
      return;
    }
  target = target_window (self);
  busker_window_set_project (target, project, FALSE);
  busker_window_remember_recent (target, file);
  for (const char *const *w = busker_project_get_load_warnings (project); *w != NULL; w++)
    busker_window_show_message (target, *w);
  recovery = busker_recovery_find (file);
  if (recovery != NULL)
    offer_restore (target, file, recovery);
}

void
busker_window_new_project (BuskerWindow *self)
{
  g_autoptr (BuskerProject) project = busker_project_new ();

  g_return_if_fail (BUSKER_IS_WINDOW (self));
  busker_window_set_project (target_window (self), project, FALSE);
}

static void
new_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  busker_window_new_project (BUSKER_WINDOW (user_data));
}

static GtkFileFilter *
project_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Busker Projects"));
  gtk_file_filter_add_mime_type (filter, "application/x-busker-project");
  gtk_file_filter_add_suffix (filter, "busker");
  return filter;
}

static void
on_open_response (GtkNativeDialog *chooser, int response, BuskerWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      busker_window_open_file (self, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
open_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BuskerWindow *self = BUSKER_WINDOW (user_data);
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = project_filter ();

  chooser = gtk_file_chooser_native_new (_("Open Project"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_recent_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_autoptr (GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));

  busker_window_open_file (BUSKER_WINDOW (user_data), file);
}

typedef struct
{
  BuskerWindow *window;
  void (*done) (BuskerWindow *self, gboolean saved);
} SaveRequest;

static void
save_to (BuskerWindow *self, GFile *file, void (*done) (BuskerWindow *, gboolean))
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) old_recovery = NULL;
  gboolean saved;

  if (self->recovery != NULL)
    old_recovery = busker_recovery_get_file (self->recovery);
  saved = busker_project_save (self->project, file, &error);
  if (saved)
    {
      if (old_recovery != NULL)
        g_file_delete (old_recovery, NULL, NULL);
      if (self->recovery != NULL)
        busker_recovery_discard (self->recovery);
      busker_window_set_restored (self, FALSE);
      busker_window_remember_recent (self, file);
    }
  else
    {
      /* A dialog, not a toast: the sentence names the file and the
       * reason, and a toast would cut it off; the user must know. */
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Could Not Save"),
                                                  error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
  if (done != NULL)
    done (self, saved);
}

static void
on_save_as_response (GtkNativeDialog *chooser, int response, SaveRequest *request)
{
  BuskerWindow *self = request->window;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      save_to (self, file, request->done);
    }
  else if (request->done != NULL)
    request->done (self, FALSE);
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (request->window);
  g_free (request);
}

void
busker_window_save (BuskerWindow *self, gboolean ask_for_file,
                    void (*done) (BuskerWindow *self, gboolean saved))
{
  GFile *file;
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = NULL;
  g_autofree char *name = NULL;
  SaveRequest *request;

  if (self->project == NULL)
    return;
  file = busker_project_get_file (self->project);
  if (file != NULL && !ask_for_file)
    {
      save_to (self, file, done);
      return;
    }

  chooser = gtk_file_chooser_native_new (_("Save Project"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  filter = project_filter ();
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (file != NULL)
    {
      g_autoptr (GFile) folder = g_file_get_parent (file);
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
      name = g_file_get_basename (file);
    }
  else
    /* Translators: the file name proposed for a new project */
    name = g_strdup_printf ("%s.busker", _("Untitled Project"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  request = g_new0 (SaveRequest, 1);
  request->window = g_object_ref (self);
  request->done = done;
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_as_response), request);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
save_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  busker_window_save (BUSKER_WINDOW (user_data), FALSE, NULL);
}

static void
save_as_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  busker_window_save (BUSKER_WINDOW (user_data), TRUE, NULL);
}

static const GActionEntry file_actions[] = {
  { "new", new_activated },
  { "open", open_activated },
  { "open-recent", open_recent_activated, "s" },
  { "save", save_activated },
  { "save-as", save_as_activated },
};

void
busker_window_files_init (BuskerWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), file_actions,
                                   G_N_ELEMENTS (file_actions), self);
  self->recent_menu = g_menu_new ();
}

/* Called once settings exist (busker-window.c restore_window_state). */
void
busker_window_files_watch_recent (BuskerWindow *self)
{
  if (self->settings == NULL)
    return;
  g_signal_connect_object (self->settings, "changed::recent-projects",
                           G_CALLBACK (rebuild_recent_menu), self, G_CONNECT_SWAPPED);
  rebuild_recent_menu (self);
}
