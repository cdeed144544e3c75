/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The main window: header bar, primary menu, the mixer area (an empty
 * state until a project is open) and a toast overlay for errors.
 *
 * Actions whose feature has not landed are registered but disabled, so the
 * menu shows them greyed out rather than pretending to work.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "busker-window.h"

struct _BuskerWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkStack *mixer_stack;

  GSettings *settings; /* NULL when the schema is not installed */
};

G_DEFINE_FINAL_TYPE (BuskerWindow, busker_window, ADW_TYPE_APPLICATION_WINDOW)

/* Actions that exist in the menu but whose feature is not there yet. */
static const char *const pending_actions[] = { "new", "open", "save", "save-as", "export" };

static void
show_error_toast (BuskerWindow *self, const char *message)
{
  /* A toast title is Pango markup (libadwaita 1.2); file names are not. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 0); /* an error stays until dismissed */
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Checks that the file is a project we could read; the project model
 * does the full load. Returns FALSE with a sentence for the user. */
static gboolean
check_project_file (GFile *file, GError **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_parse_name (file);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local_error = NULL;
  JsonNode *root;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("“%s” does not exist."), name);
      return FALSE;
    }
  if (!json_parser_load_from_mapped_file (parser, path, &local_error))
    {
      /* The parser's message repeats the path; the log keeps the detail. */
      g_debug ("%s", local_error->message);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not a Busker project: it is not a JSON file. Open a .busker file saved by Busker."),
                   name);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || !json_object_has_member (json_node_get_object (root), "format"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not a Busker project: it has no “format” key. Open a .busker file saved by Busker."),
                   name);
      return FALSE;
    }
  return TRUE;
}

/* Newest first, no duplicates, a short list: what a "recent" menu shows. */
#define N_RECENT_PROJECTS 10

static void
remember_recent (BuskerWindow *self, GFile *file)
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

void
busker_window_open_file (BuskerWindow *self, GFile *file)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *basename = g_file_get_basename (file);

  g_return_if_fail (BUSKER_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!check_project_file (file, &error))
    {
      show_error_toast (self, error->message);
      return;
    }
  adw_window_title_set_subtitle (self->window_title, basename);
  remember_recent (self, file);
}

static void
restore_window_state (BuskerWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    return;

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
busker_window_close_request (GtkWindow *window)
{
  BuskerWindow *self = BUSKER_WINDOW (window);

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
    }
  return GTK_WINDOW_CLASS (busker_window_parent_class)->close_request (window);
}

static void
pending_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
}

static void
busker_window_dispose (GObject *object)
{
  BuskerWindow *self = BUSKER_WINDOW (object);

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), BUSKER_TYPE_WINDOW);
  G_OBJECT_CLASS (busker_window_parent_class)->dispose (object);
}

static void
busker_window_class_init (BuskerWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = busker_window_dispose;
  window_class->close_request = busker_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/busker/Busker/busker-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BuskerWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BuskerWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, BuskerWindow, mixer_stack);
}

static void
busker_window_init (BuskerWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (pending_actions); i++)
    {
      g_autoptr (GSimpleAction) action = g_simple_action_new (pending_actions[i], NULL);
      g_signal_connect (action, "activate", G_CALLBACK (pending_activated), self);
      g_simple_action_set_enabled (action, FALSE);
      g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
    }

  restore_window_state (self);
}

BuskerWindow *
busker_window_new (GtkApplication *application)
{
  return g_object_new (BUSKER_TYPE_WINDOW, "application", application, NULL);
}
