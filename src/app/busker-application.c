/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The application: one window per opened project, app-wide actions
 * (about, quit) and their accelerators. Files given on the command line
 * open in new windows; a path that is not a project opens an empty window
 * with a toast that says why.
 *
 * Run from the build tree, the icon is not installed yet: startup adds the
 * source data/icons folder to the icon theme so the window shows it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "busker-application.h"
#include "busker-renderer.h"
#include "busker-resources.h"
#include "busker-window.h"

struct _BuskerApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (BuskerApplication, busker_application, ADW_TYPE_APPLICATION)

BuskerApplication *
busker_application_new (void)
{
  busker_ensure_resources ();
  return g_object_new (BUSKER_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/io/github/busker/Busker",
                       NULL);
}

void
busker_ensure_resources (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      busker_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

static BuskerWindow *
new_window (BuskerApplication *self)
{
  return busker_window_new (GTK_APPLICATION (self));
}

static void
busker_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (new_window (BUSKER_APPLICATION (app)));
      gtk_window_present (window);
      busker_window_offer_untitled_restore (BUSKER_WINDOW (window));
      return;
    }
  gtk_window_present (window);
}

static void
busker_application_open (GApplication *app, GFile **files, int n_files,
                         const char *hint)
{
  for (int i = 0; i < n_files; i++)
    {
      BuskerWindow *window = new_window (BUSKER_APPLICATION (app));
      busker_window_open_file (window, files[i]);
      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
about_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Busker developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Busker"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Busker developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("A mixing desk with subgroup and aux buses for your desktop's audio"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

/* Quit closes every window the way its close button does, so a window
 * with unsaved changes asks first; the application ends with the last. */
static void
quit_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  /* Closing one may destroy another (a dialog with its parent). */
  for (GList *l = windows; l != NULL; l = l->next)
    g_object_ref (l->data);

  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free_full (windows, g_object_unref);
}

static const GActionEntry app_actions[] = {
  { "about", about_activated },
  { "quit", quit_activated },
};

/* The installed icon wins; the source folder only fills in when Busker
 * runs uninstalled (build-aux/run, tests). */
static void
add_source_icons (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  const char *icons_dir = SOURCE_DATADIR "/icons";

  if (display != NULL && g_file_test (icons_dir, G_FILE_TEST_IS_DIR))
    gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (display), icons_dir);
}

static void
busker_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *new_accels[] = { "<Control>n", NULL };
  static const char *open_accels[] = { "<Control>o", NULL };
  static const char *save_accels[] = { "<Control>s", NULL };
  static const char *save_as_accels[] = { "<Control><Shift>s", NULL };
  static const char *export_accels[] = { "<Control>e", NULL };
  static const char *undo_accels[] = { "<Control>z", NULL };
  static const char *redo_accels[] = { "<Control><Shift>z", NULL };
  static const char *help_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (busker_application_parent_class)->startup (app);
  busker_renderer_choose ();
  add_source_icons ();

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.new", new_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.open", open_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.save", save_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.save-as", save_as_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.export", export_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.undo", undo_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.redo", redo_accels);
}

static void
busker_application_class_init (BuskerApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = busker_application_startup;
  app_class->activate = busker_application_activate;
  app_class->open = busker_application_open;
}

static void
busker_application_init (BuskerApplication *self)
{
  /* busker --help: the files it opens and the other way to run it (main()
   * hands --headless over before GApplication sees the arguments). */
  g_application_set_option_context_parameter_string (G_APPLICATION (self),
                                                     _("[PROJECT.busker…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Opens each project in a window of its own. To run a "
                                              "project live on PipeWire without a window: "
                                              "busker --headless PROJECT.busker (see busker "
                                              "--headless --help)."));
}
