/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The mixer inside the real window (src/app's BuskerWindow, opened the way
 * `busker demo.busker` opens it): a real xdotool drag of a track by its
 * name onto a subgroup changes its output in the model, and the window's
 * own Ctrl+Z undoes it; in a window too short for the strips the wheel
 * scrolls them up and down and Shift+wheel sideways.
 */
#include "config.h"

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>

#include "app/busker-application.h"
#include "app/busker-i18n.h"
#include "app/busker-window.h"
#include "gui-util.h"
#include "widgets/busker-mixer-private.h"
#include "test-tmpdir.h"

static BuskerApplication *app;

static void
xdotool (const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* widget's centre in its window's X surface (CSD shadows included). */
static void
surface_point (GtkWidget *widget, GtkWindow *window, int *x, int *y)
{
  graphene_point_t p;
  double dx, dy;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (window),
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0f,
                                                                 gtk_widget_get_height (widget) / 2.0f),
                                           &p));
  gtk_native_get_surface_transform (GTK_NATIVE (window), &dx, &dy);
  *x = (int) (p.x + dx);
  *y = (int) (p.y + dy);
}

static void
move_to (const char *xid, int x, int y)
{
  g_autofree char *sx = g_strdup_printf ("%d", x);
  g_autofree char *sy = g_strdup_printf ("%d", y);

  xdotool ((const char *[]) { "xdotool", "mousemove", "--window", xid, sx, sy, NULL });
}

/* Opens a copy of the demo in a width×height window; the mixer. */
static BuskerMixer *
open_demo (int width, int height, BuskerWindow **window_out, char **dir_out)
{
  g_autofree char *dir = g_dir_make_tmp ("busker-mixer-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "demo.busker", NULL);
  g_autofree char *demo = g_build_filename (SOURCE_DATADIR, "demo", "demo.busker", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (path);
  BuskerWindow *window;

  g_assert_true (g_file_get_contents (demo, &text, NULL, NULL));
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  window = busker_window_new (GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  busker_window_open_file (window, file);
  gui_wait_until (gui_is_mapped, window, "the window to map");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gui_spin (0.5);
  *window_out = window;
  *dir_out = g_steal_pointer (&dir);
  return BUSKER_MIXER (gui_find_descendant (GTK_WIDGET (window), BUSKER_TYPE_MIXER));
}

static void
test_drag_in_window (void)
{
  g_autofree char *dir = NULL;
  BuskerWindow *window;
  BuskerMixer *mixer = open_demo (1366, 768, &window, &dir);
  BuskerProject *project;
  BuskerStrip *kick, *music;
  g_autofree char *xid = NULL;
  int x0, y0, x1, y1;

  g_assert_nonnull (mixer);
  project = busker_mixer_get_project (mixer);
  g_assert_nonnull (project);
  kick = busker_project_find_strip (project, "kick");
  music = busker_project_find_strip (project, "music");
  g_assert_cmpstr (busker_strip_get_output (kick), ==, "drums");

  xid = g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (
                                  gtk_native_get_surface (GTK_NATIVE (window))));
  surface_point (busker_channel_strip_get_header (busker_mixer_get_strip_widget (mixer, kick)),
                 GTK_WINDOW (window), &x0, &y0);
  surface_point (GTK_WIDGET (busker_mixer_get_strip_widget (mixer, music)), GTK_WINDOW (window),
                 &x1, &y1);
  move_to (xid, x0, y0);
  xdotool ((const char *[]) { "xdotool", "mousedown", "1", NULL });
  for (int step = 1; step <= 12; step++)
    {
      move_to (xid, x0 + (x1 - x0) * step / 12, y0 + (y1 - y0) * step / 12);
      gui_spin (0.05);
    }
  gui_spin (0.2);
  xdotool ((const char *[]) { "xdotool", "mouseup", "1", NULL });
  gui_spin (0.5);
  g_assert_cmpstr (busker_strip_get_output (kick), ==, "music");
  gui_screenshot ("busker-window-mixer-drag.png");

  /* The window's own undo (its menu action and accelerator). */
  gui_press_keys (GTK_WINDOW (window), "ctrl+z");
  gui_spin (0.5);
  g_assert_cmpstr (busker_strip_get_output (kick), ==, "drums");

  busker_project_save (project, busker_project_get_file (project), NULL); /* nothing to ask on close */
  gtk_window_destroy (GTK_WINDOW (window));
  gui_spin (0.2);
  test_remove_tree (dir);
}

/* A window too short for the strips (1024×600): the wheel over the row
 * scrolls the strips up and down, so the faders' entries, M/S and the
 * output buttons can be reached; Shift+wheel moves the row sideways. The
 * wheel only moved the row sideways before, and the rest was reachable
 * only by the thin overlay scrollbar. */
static void
test_wheel_in_short_window (void)
{
  BuskerWindow *window;
  g_autofree char *dir = NULL;
  BuskerMixer *mixer = open_demo (1024, 600, &window, &dir);
  GtkWidget *outer = gtk_widget_get_ancestor (GTK_WIDGET (mixer), GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *row = gtk_widget_get_ancestor (
    busker_channel_strip_get_header (busker_mixer_get_strip_widget (
      mixer, busker_project_find_strip (busker_mixer_get_project (mixer), "kick"))),
    GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (outer));
  GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (row));
  g_autofree char *xid = g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (
                                            gtk_native_get_surface (GTK_NATIVE (window))));
  BuskerStrip *kick = busker_project_find_strip (busker_mixer_get_project (mixer), "kick");
  int x, y;

  g_assert_true (outer != row);
  g_test_message ("strips %.0f px high in %.0f px", gtk_adjustment_get_upper (v),
                  gtk_adjustment_get_page_size (v));
  g_assert_cmpfloat (gtk_adjustment_get_upper (v), >, gtk_adjustment_get_page_size (v));
  g_assert_cmpfloat (gtk_adjustment_get_value (v), ==, 0);
  g_assert_cmpfloat (gtk_adjustment_get_value (h), ==, 0);
  surface_point (busker_channel_strip_get_header (busker_mixer_get_strip_widget (mixer, kick)),
                 GTK_WINDOW (window), &x, &y);
  move_to (xid, x, y);
  for (int i = 0; i < 3; i++)
    xdotool ((const char *[]) { "xdotool", "click", "5", NULL });
  gui_spin (0.5);
  g_test_message ("wheel: down %.0f px, sideways %.0f px", gtk_adjustment_get_value (v),
                  gtk_adjustment_get_value (h));
  g_assert_cmpfloat (gtk_adjustment_get_value (v), >, 0);
  g_assert_cmpfloat (gtk_adjustment_get_value (h), ==, 0);

  xdotool ((const char *[]) { "xdotool", "keydown", "shift", NULL });
  for (int i = 0; i < 3; i++)
    xdotool ((const char *[]) { "xdotool", "click", "5", NULL });
  xdotool ((const char *[]) { "xdotool", "keyup", "shift", NULL });
  gui_spin (0.5);
  g_test_message ("shift+wheel: sideways %.0f px", gtk_adjustment_get_value (h));
  g_assert_cmpfloat (gtk_adjustment_get_value (h), >, 0);
  gui_screenshot ("busker-window-short-scrolled.png");

  busker_project_save (busker_mixer_get_project (mixer),
                       busker_project_get_file (busker_mixer_get_project (mixer)), NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  gui_spin (0.2);
  test_remove_tree (dir);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  busker_i18n_init ();
  gtk_test_init (&argc, &argv, NULL);
  app = busker_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/gui/mixer/drag-in-window", test_drag_in_window);
  g_test_add_func ("/gui/mixer/wheel-in-short-window", test_wheel_in_short_window);
  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
