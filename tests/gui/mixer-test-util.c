/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "app/busker-application.h"
#include "mixer-test-util.h"

static void
on_message_cb (BuskerMixer *mixer, const char *sentence, MixerHost *host)
{
  g_test_message ("mixer says: %s", sentence);
  g_ptr_array_add (host->messages, g_strdup (sentence));
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (GTK_WIDGET (widget));
}

static gboolean
undo_cb (GtkWidget *widget, GVariant *args, gpointer data)
{
  MixerHost *host = data;

  if (busker_project_can_undo (host->project))
    busker_project_undo (host->project);
  return TRUE;
}

/* What AdwApplication does for the real window: the app's style sheet. */
static void
load_style (void)
{
  static GtkCssProvider *provider;

  if (provider != NULL)
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/busker/Busker/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

MixerHost *
mixer_host_new (const char *path, int width, int height, const char *title)
{
  MixerHost *host = g_new0 (MixerHost, 1);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  GtkEventController *shortcuts;

  busker_ensure_resources ();
  load_style ();
  host->project = busker_project_load (file, &error);
  g_assert_no_error (error);
  host->messages = g_ptr_array_new_with_free_func (g_free);
  host->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (host->window, title);
  gtk_window_set_decorated (host->window, FALSE);
  gtk_window_set_default_size (host->window, width, height);
  host->mixer = BUSKER_MIXER (busker_mixer_new ());
  busker_mixer_set_project (host->mixer, host->project);
  g_signal_connect (host->mixer, "message", G_CALLBACK (on_message_cb), host);
  gtk_window_set_child (host->window, GTK_WIDGET (host->mixer));
  /* What the real window does with Ctrl+Z (src/app owns that one). */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_GLOBAL);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_z, GDK_CONTROL_MASK),
                                                          gtk_callback_action_new (undo_cb, host, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (host->window), shortcuts);
  gtk_window_present (host->window);
  mixer_wait_until (is_mapped, host->window, "the window to map");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (host->window));
  return host;
}

void
mixer_host_free (MixerHost *host)
{
  gtk_window_destroy (host->window);
  g_clear_object (&host->project);
  g_ptr_array_unref (host->messages);
  g_free (host);
}

static gboolean
keep_waking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
mixer_wait_until (gboolean (*cond) (gpointer), gpointer data, const char *what)
{
  gint64 give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint waker = g_timeout_add (10, keep_waking, NULL);

  while (!cond (data))
    {
      if (g_get_monotonic_time () > give_up)
        g_error ("gave up waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (waker);
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
set_true (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
mixer_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_true, &done);
  mixer_wait_until (is_true, &done, "a pause");
}

static void
on_xdotool_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;

  g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &error);
  g_assert_no_error (error);
  *(gboolean *) data = TRUE;
}

void
mixer_xdotool (const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) proc = NULL;
  gboolean done = FALSE;

  g_ptr_array_add (argv, (char *) "xdotool");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char *const *) argv->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (proc, NULL, on_xdotool_done, &done);
  mixer_wait_until (is_true, &done, "xdotool");
}

void
mixer_widget_centre (GtkWidget *widget, GtkWindow *window, int *x, int *y)
{
  graphene_point_t out;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (window),
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0f,
                                                                 gtk_widget_get_height (widget) / 2.0f),
                                           &out));
  *x = (int) out.x;
  *y = (int) out.y;
}

void
mixer_screenshot (const char *name)
{
  const char *dir = g_getenv ("BUSKER_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;

  if (dir == NULL)
    return;
  path = g_build_filename (dir, name, NULL);
  const char *argv[] = { "import", "-window", "root", path, NULL };
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_test_message ("screenshot: %s", path);
}
