/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The real main window on a real display (tests/gui/run-under-xvfb): the
 * application is registered like `busker` does, windows are opened through
 * the same GApplication paths (activate, open), and the checks read what a
 * user sees: the title, the menu labels (in English, or in German when
 * LANGUAGE=de), the dialogs the menu opens, the toast for a bad file, the
 * icon in the empty state. A screenshot of the screen goes into
 * BUSKER_SCREENSHOT_DIR for people to look at.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "app/busker-application.h"
#include "app/busker-i18n.h"
#include "app/busker-window.h"
#include "model/busker-project.h"
#include "gui-util.h"

/* The smallest project the loader takes: a master bus. */
#define MINIMAL_PROJECT "{\"format\": 1, \"strips\": [{\"id\": \"master\", \"kind\": \"master\"}]}\n"

static BuskerApplication *app;
static gboolean german;

typedef struct
{
  const char *action;
  const char *english;
  const char *german;
} MenuEntry;

/* What the primary menu must say, in order. */
static const MenuEntry menu_entries[] = {
  { "win.new", "_New Project", "_Neues Projekt" },
  { "win.open", "_Open…", "Ö_ffnen…" },
  { NULL, "Open _Recent", "_Zuletzt geöffnet" },
  { "win.save", "_Save", "_Speichern" },
  { "win.save-as", "Save _As…", "Speichern _unter…" },
  { "win.undo", "_Undo", "_Rückgängig" },
  { "win.redo", "_Redo", "_Wiederholen" },
  { "win.export", "_Export Mixdown…", "Mixdown _exportieren…" },
  { "win.export-stems", "Export S_tems…", "_Stems exportieren…" },
  { "win.mix-assistant", "Mix _Assistant", "Mix-_Assistent" },
  { "win.show-help-overlay", "_Keyboard Shortcuts", "_Tastenkürzel" },
  { "app.about", "_About Busker", "_Info zu Busker" },
};

static BuskerWindow *
show_new_window (void)
{
  BuskerWindow *window = busker_window_new (GTK_APPLICATION (app));

  gtk_window_present (GTK_WINDOW (window));
  gui_wait_until (gui_is_mapped, window, "the window to map");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  return window;
}

/* Opens through GApplication::open, as `busker FILE` does, and returns the
 * window that appeared. */
static BuskerWindow *
open_in_new_window (GFile *file)
{
  g_autoptr (GList) before = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));
  BuskerWindow *window = NULL;

  g_application_open (G_APPLICATION (app), &file, 1, "");
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (g_list_find (before, l->data) == NULL)
      window = l->data;
  g_assert_nonnull (window);
  gui_wait_until (gui_is_mapped, window, "the window to map");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  return window;
}

static void
test_title_and_screenshot (void)
{
  BuskerWindow *window = show_new_window ();
  AdwStatusPage *empty;

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Busker");
  g_assert_true (gui_find_descendant (GTK_WIDGET (window), ADW_TYPE_HEADER_BAR) != NULL);

  empty = ADW_STATUS_PAGE (gui_find_descendant (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE));
  g_assert_nonnull (empty);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (empty)));
  g_assert_cmpstr (adw_status_page_get_title (empty), ==,
                   german ? "Noch keine Kanalzüge" : "No Strips Yet");

  gui_screenshot (german ? "busker-window-de.png" : "busker-window.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Uninstalled, the icon must come from the source tree's data/icons. */
static void
test_icon_from_source_tree (void)
{
  BuskerWindow *window = show_new_window ();
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (window)));
  g_autoptr (GtkIconPaintable) icon = NULL;
  g_autoptr (GFile) file = NULL;
  g_autofree char *path = NULL;

  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ID));
  icon = gtk_icon_theme_lookup_icon (theme, APP_ID, NULL, 128, 1, GTK_TEXT_DIR_LTR, 0);
  file = gtk_icon_paintable_get_file (icon);
  g_assert_nonnull (file);
  path = g_file_get_path (file);
  g_assert_true (g_str_has_prefix (path, SOURCE_DATADIR "/icons/"));
  g_assert_true (g_str_has_suffix (path, APP_ID ".svg"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
collect_menu (GMenuModel *model, GPtrArray *labels, GPtrArray *actions)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr (GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      g_autoptr (GMenuModel) submenu = g_menu_model_get_item_link (model, i, G_MENU_LINK_SUBMENU);
      char *label = NULL, *action = NULL;

      if (section != NULL)
        {
          collect_menu (section, labels, actions);
          continue;
        }
      g_assert_true (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label));
      /* A submenu (Open Recent) has no action of its own. */
      g_assert_true (submenu != NULL ||
                     g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action));
      g_ptr_array_add (labels, label);
      g_ptr_array_add (actions, action);
    }
}

static gboolean
action_exists (GtkWidget *window, const char *detailed)
{
  g_auto (GStrv) parts = g_strsplit (detailed, ".", 2);
  GActionGroup *group = NULL;

  if (g_str_equal (parts[0], "win"))
    group = G_ACTION_GROUP (window);
  else if (g_str_equal (parts[0], "app"))
    group = G_ACTION_GROUP (app);
  return group != NULL && g_action_group_has_action (group, parts[1]);
}

/* The header bar has two menu buttons (Add, and the primary menu). */
static GtkMenuButton *
find_primary_menu_button (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget)))
    return GTK_MENU_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkMenuButton *found = find_primary_menu_button (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_menu (void)
{
  BuskerWindow *window = show_new_window ();
  GtkMenuButton *button;
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);

  button = find_primary_menu_button (GTK_WIDGET (window));
  g_assert_nonnull (button);
  collect_menu (gtk_menu_button_get_menu_model (button), labels, actions);

  g_assert_cmpuint (labels->len, ==, G_N_ELEMENTS (menu_entries));
  for (guint i = 0; i < labels->len; i++)
    {
      const MenuEntry *want = &menu_entries[i];

      g_assert_cmpstr (actions->pdata[i], ==, want->action);
      g_assert_cmpstr (labels->pdata[i], ==, german ? want->german : want->english);
      g_assert_true (want->action == NULL || action_exists (GTK_WIDGET (window), want->action));
    }

  /* What a user sees when the menu opens. */
  gtk_menu_button_popup (button);
  gui_wait_until (gui_is_mapped, gtk_menu_button_get_popover (button), "the menu to open");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (gtk_menu_button_get_popover (button)));
  gui_screenshot (german ? "busker-menu-de.png" : "busker-menu.png");
  gtk_menu_button_popdown (button);

  /* The two that work today must be usable; accelerators are app-wide. */
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "about"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "show-help-overlay"));
  {
    g_auto (GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.save");
    g_assert_cmpstr (accels[0], ==, "<Control>s");
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
about_shown (gpointer data)
{
  GtkWindow *about = gui_find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  return about != NULL && gtk_widget_get_mapped (GTK_WIDGET (about));
}

static void
test_about (void)
{
  BuskerWindow *window = show_new_window ();
  GtkWindow *about;

  g_assert_null (gui_find_toplevel (ADW_TYPE_ABOUT_WINDOW));
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  gui_wait_until (about_shown, NULL, "the About window");
  about = gui_find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Busker");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));
  gtk_window_destroy (about);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
shortcuts_shown (gpointer data)
{
  GtkWindow *window = gui_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

static void
test_shortcuts (void)
{
  BuskerWindow *window = show_new_window ();
  GtkShortcutsWindow *overlay;
  g_autoptr (GString) text = g_string_new (NULL);

  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (overlay);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  gui_wait_until (shortcuts_shown, NULL, "the Keyboard Shortcuts window");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (overlay));
  gui_collect_labels (GTK_WIDGET (overlay), text);
  g_assert_nonnull (strstr (text->str, german ? "Projekt speichern" : "Save"));
  gtk_widget_set_visible (GTK_WIDGET (overlay), FALSE);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Size and maximized state survive a close (GSettings, memory backend). */
static void
test_window_state_saved (void)
{
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  BuskerWindow *window = show_new_window ();
  int width, height;

  gtk_window_set_default_size (GTK_WINDOW (window), 812, 604);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 812);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 604);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  window = busker_window_new (GTK_APPLICATION (app));
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 812);
  g_assert_cmpint (height, ==, 604);
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

static void
assert_toast_for (GFile *file, const char *expected)
{
  BuskerWindow *window = open_in_new_window (file);
  g_autofree char *texts = gui_toast_texts (GTK_WIDGET (window));
  AdwWindowTitle *title;

  g_test_message ("toast: %s", texts);
  g_assert_nonnull (strstr (texts, expected));
  /* Nothing was opened: no project name under the title. */
  title = ADW_WINDOW_TITLE (gui_find_descendant (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE));
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A project opens (the title names it) and goes to the top of the recent
 * list, once, however often it is opened; failures are not remembered. */
static void
test_open_remembers_recent (void)
{
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *dir = g_dir_make_tmp ("busker-gui-XXXXXX", NULL);
  g_autofree char *a_path = g_build_filename (dir, "a.busker", NULL);
  g_autofree char *b_path = g_build_filename (dir, "b.busker", NULL);
  g_autofree char *gone_path = g_build_filename (dir, "gone.busker", NULL);
  g_autoptr (GFile) a = g_file_new_for_path (a_path);
  g_autoptr (GFile) b = g_file_new_for_path (b_path);
  g_autoptr (GFile) gone = g_file_new_for_path (gone_path);
  const char *order[] = { a_path, b_path, a_path, NULL };
  g_auto (GStrv) recent = NULL;

  g_settings_reset (settings, "recent-projects");
  g_assert_true (g_file_set_contents (a_path, MINIMAL_PROJECT, -1, NULL));
  g_assert_true (g_file_set_contents (b_path, MINIMAL_PROJECT, -1, NULL));
  for (guint i = 0; order[i] != NULL; i++)
    {
      g_autoptr (GFile) file = g_file_new_for_path (order[i]);
      g_autofree char *basename = g_file_get_basename (file);
      g_autofree char *name = g_strndup (basename, strlen (basename) - strlen (".busker"));
      BuskerWindow *window = open_in_new_window (file);
      AdwWindowTitle *title = ADW_WINDOW_TITLE (gui_find_descendant (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE));
      g_autofree char *texts = gui_toast_texts (GTK_WIDGET (window));

      /* Named after the file (the project has no name); the folder below. */
      g_assert_cmpstr (adw_window_title_get_title (title), ==, name);
      g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, dir);
      g_assert_cmpstr (texts, ==, "");
      gtk_window_destroy (GTK_WINDOW (window));
    }
  gtk_window_destroy (GTK_WINDOW (open_in_new_window (gone)));

  recent = g_settings_get_strv (settings, "recent-projects");
  g_assert_cmpuint (g_strv_length (recent), ==, 2);
  g_assert_cmpstr (recent[0], ==, a_path);
  g_assert_cmpstr (recent[1], ==, b_path);

  /* The menu's Open Recent lists them, newest first, and opens one. */
  {
    BuskerWindow *window = show_new_window ();
    GMenuModel *menu = gtk_menu_button_get_menu_model (find_primary_menu_button (GTK_WIDGET (window)));
    g_autoptr (GMenuModel) file_section = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
    g_autoptr (GMenuModel) submenu = g_menu_model_get_item_link (file_section, 2, G_MENU_LINK_SUBMENU);
    g_autoptr (GVariant) target = NULL;
    char *label = NULL;

    g_assert_nonnull (submenu);
    g_assert_cmpint (g_menu_model_get_n_items (submenu), ==, 2);
    g_assert_true (g_menu_model_get_item_attribute (submenu, 0, G_MENU_ATTRIBUTE_LABEL, "s", &label));
    g_assert_cmpstr (label, ==, "a.busker");
    g_free (label);
    target = g_menu_model_get_item_attribute_value (submenu, 1, G_MENU_ATTRIBUTE_TARGET,
                                                    G_VARIANT_TYPE_STRING);
    g_assert_cmpstr (g_variant_get_string (target, NULL), ==, b_path);
    g_action_group_activate_action (G_ACTION_GROUP (window), "open-recent", target);
    g_assert_nonnull (busker_window_get_project (window));
    g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (gui_find_descendant (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE))), ==, "b");
    gtk_window_destroy (GTK_WINDOW (window));
  }

  g_settings_reset (settings, "recent-projects");
  g_unlink (a_path);
  g_unlink (b_path);
  g_rmdir (dir);
}

/* The toast is the loader's own sentence, which names the file. */
static void
assert_loader_sentence_shown (GFile *file, const char *what)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerProject) project = busker_project_load (file, &error);
  g_autofree char *name = g_file_get_parse_name (file);

  g_assert_null (project);
  g_assert_nonnull (strstr (error->message, name));
  g_assert_nonnull (strstr (error->message, what));
  assert_toast_for (file, error->message);
}

static void
test_toast_missing_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("busker-gui-XXXXXX", NULL);
  /* "&" and "<" would break a toast that takes its text as markup. */
  g_autofree char *path = g_build_filename (dir, "gone & <lost>.busker", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);

  assert_loader_sentence_shown (file, g_strerror (ENOENT));
  g_rmdir (dir);
}

static void
test_toast_not_a_project (void)
{
  g_autofree char *dir = g_dir_make_tmp ("busker-gui-XXXXXX", NULL);
  g_autofree char *text_path = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *json_path = g_build_filename (dir, "other.json", NULL);
  g_autoptr (GFile) text_file = g_file_new_for_path (text_path);
  g_autoptr (GFile) json_file = g_file_new_for_path (json_path);

  g_assert_true (g_file_set_contents (text_path, "just some words\n", -1, NULL));
  g_assert_true (g_file_set_contents (json_path, "{\"tracks\": []}\n", -1, NULL));
  assert_loader_sentence_shown (text_file, "not valid JSON");
  assert_loader_sentence_shown (json_file, "format");
  g_unlink (text_path);
  g_unlink (json_path);
  g_rmdir (dir);
}

static gboolean user_chose_renderer;

/* Under Xvfb OpenGL can only be Mesa's software rasterizer: the window
 * must draw with cairo, which repaints only the moving meters (GL repaints
 * the whole window each frame: 99 % of a core in software against 17 %,
 * docs/mixer.md). Unless the user set GSK_RENDERER. */
static void
test_renderer_without_gpu (void)
{
  BuskerWindow *window = show_new_window ();
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  g_test_message ("renderer: %s", G_OBJECT_TYPE_NAME (renderer));
  if (user_chose_renderer)
    g_test_skip ("GSK_RENDERER is set: the user's choice stands");
  else
    g_assert_cmpstr (G_OBJECT_TYPE_NAME (renderer), ==, "GskCairoRenderer");
  gtk_window_destroy (GTK_WINDOW (window));
}

static BuskerStrip *
add_bus (BuskerProject *project, const char *id, const char *name)
{
  g_autoptr (BuskerStrip) strip = busker_strip_new (BUSKER_STRIP_SUBGROUP, id);
  g_autoptr (GError) error = NULL;

  busker_strip_set_name (strip, name);
  g_assert_true (busker_project_add_strip (project, strip, G_MAXUINT, &error));
  g_assert_no_error (error);
  return strip; /* borrowed from the project */
}

/* The model's routing refusals, which the mixer shows as tooltips and
 * toasts, speak the window's language (they were English in the German
 * window). The sentences are written out here for each language. */
static void
test_routing_refusal_language (void)
{
  g_autoptr (BuskerProject) project = busker_project_new ();
  BuskerStrip *drums = add_bus (project, "drums", "Drums");
  BuskerStrip *music = add_bus (project, "music", "Music");
  g_autoptr (GError) error = NULL;
  g_autofree char *loop = NULL, *self_feed = NULL;

  g_assert_true (busker_project_set_output (project, music, drums, &error));
  g_assert_no_error (error);
  g_assert_false (busker_project_can_route (project, drums, music, &loop));
  g_assert_false (busker_project_can_route (project, drums, drums, &self_feed));
  g_assert_cmpstr (loop, ==, german ? "Drums → Music → Drums würde rückkoppeln"
                                    : "Drums → Music → Drums would feed back");
  g_assert_cmpstr (self_feed, ==, german ? "Drums kann sich nicht selbst speisen"
                                         : "Drums cannot feed itself");
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  const char *language = g_getenv ("LANGUAGE");
  int status;

  busker_i18n_init ();
  german = language != NULL && g_str_has_prefix (language, "de");
  user_chose_renderer = g_getenv ("GSK_RENDERER") != NULL;
  g_test_init (&argc, &argv, NULL);

  app = busker_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  /* The session bus is there (run-under-xvfb), so no warning was raised. */
  g_assert_nonnull (g_application_get_dbus_connection (G_APPLICATION (app)));

  g_test_add_func ("/gui/window/title-and-screenshot", test_title_and_screenshot);
  g_test_add_func ("/gui/window/icon", test_icon_from_source_tree);
  g_test_add_func ("/gui/window/menu", test_menu);
  g_test_add_func ("/gui/window/about", test_about);
  g_test_add_func ("/gui/window/shortcuts", test_shortcuts);
  g_test_add_func ("/gui/window/state-saved", test_window_state_saved);
  g_test_add_func ("/gui/window/open-remembers-recent", test_open_remembers_recent);
  g_test_add_func ("/gui/window/toast-missing-file", test_toast_missing_file);
  g_test_add_func ("/gui/window/toast-not-a-project", test_toast_not_a_project);
  g_test_add_func ("/gui/window/routing-refusal-language", test_routing_refusal_language);
  g_test_add_func ("/gui/window/renderer-without-gpu", test_renderer_without_gpu);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
