/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gdk/x11/gdkx.h>

#include "gui-util.h"

static gboolean
keep_waking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
gui_wait (gboolean (*cond) (gpointer), gpointer data, double give_up_s)
{
  gint64 give_up = g_get_monotonic_time () + (gint64) (give_up_s * G_USEC_PER_SEC);
  guint waker = g_timeout_add (10, keep_waking, NULL);
  gboolean ok = TRUE;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > give_up)
        {
          ok = FALSE;
          break;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (waker);
  return ok;
}

void
gui_wait_until (gboolean (*cond) (gpointer), gpointer data, const char *what)
{
  if (!gui_wait (cond, data, 60.0))
    g_error ("gave up waiting for %s", what);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
gui_spin (double seconds)
{
  gui_wait (never, NULL, seconds);
}

gboolean
gui_is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (GTK_WIDGET (widget));
}

GtkWidget *
gui_find_descendant (GtkWidget *widget, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = gui_find_descendant (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

void
gui_collect_labels (GtkWidget *widget, GString *out)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gui_collect_labels (child, out);
}

static void
collect_toasts (GtkWidget *widget, GType toast_type, GString *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, toast_type))
    {
      gui_collect_labels (widget, out);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_toasts (child, toast_type, out);
}

char *
gui_toast_texts (GtkWidget *window)
{
  GType toast_type = g_type_from_name ("AdwToastWidget");
  GString *out = g_string_new (NULL);

  /* The type registers with the first toast of the process. */
  if (toast_type != 0)
    collect_toasts (window, toast_type, out);
  return g_string_free (out, FALSE);
}

GtkWindow *
gui_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

gboolean
gui_toplevel_shown (gpointer type)
{
  GtkWindow *window = gui_find_toplevel ((GType) GPOINTER_TO_SIZE (type));
  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

gboolean
gui_toplevel_gone (gpointer type)
{
  return gui_find_toplevel ((GType) GPOINTER_TO_SIZE (type)) == NULL;
}

static void
run (const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

void
gui_screenshot (const char *name)
{
  const char *dir = g_getenv ("BUSKER_SCREENSHOT_DIR");
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  path = g_build_filename (dir, name, NULL);
  run ((const char *[]) { "import", "-window", "root", path, NULL });
  g_test_message ("screenshot: %s", path);
}

void
gui_press_keys (GtkWindow *window, const char *keys)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (surface));

  run ((const char *[]) { "xdotool", "windowfocus", "--sync", xid, NULL });
  /* Let GTK see the focus change before the keys arrive. */
  gui_spin (0.2);
  run ((const char *[]) { "xdotool", "key", "--clearmodifiers", keys, NULL });
}
