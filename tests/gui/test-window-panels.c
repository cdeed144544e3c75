/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Where the window's parts meet: the side panels fill the height the
 * window gives them.
 */
#include "config.h"

#include <adwaita.h>

#include "app/busker-application.h"
#include "app/busker-apps-panel.h"
#include "app/busker-window.h"
#include "gui-util.h"

static GApplication *app;

static BuskerWindow *
show_new_window (void)
{
  BuskerWindow *window = busker_window_new (GTK_APPLICATION (app));

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  gui_wait_until (gui_is_mapped, window, "the window to map");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  return window;
}

static gboolean
panel_shown (gpointer panel)
{
  return gtk_widget_get_mapped (panel) && gtk_widget_get_height (panel) > 0;
}

/* The Apps panel is as tall as its column (the window's height less the
 * header and transport bars): its list has the room, and "Default
 * output" sits at the bottom. It kept its natural height before, a
 * single row of streams, and scrolled the others out of sight. */
static void
test_apps_panel_fills_column (void)
{
  BuskerWindow *window = show_new_window ();
  GtkWidget *panel = gui_find_descendant (GTK_WIDGET (window), BUSKER_TYPE_APPS_PANEL);
  GtkWidget *column;
  int panel_h, column_h;

  g_assert_nonnull (panel);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-apps", NULL));
  gui_wait_until (panel_shown, panel, "the Apps panel to show");
  gui_spin (0.5); /* the revealer's slide */
  column = gtk_widget_get_parent (panel);
  panel_h = gtk_widget_get_height (panel);
  column_h = gtk_widget_get_height (column);
  g_test_message ("Apps panel %d px high in a column of %d px", panel_h, column_h);
  g_assert_cmpint (column_h, >, 400);
  g_assert_cmpint (panel_h, ==, column_h);
  gui_screenshot ("busker-apps-panel.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  app = G_APPLICATION (busker_application_new ());
  g_assert_true (g_application_register (app, NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/gui/window-panels/apps-panel-fills-column", test_apps_panel_fills_column);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
