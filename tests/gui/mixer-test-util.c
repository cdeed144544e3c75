/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "app/busker-application.h"
#include "gui-util.h"
#include "mixer-test-util.h"
#include "widgets/busker-fader.h"

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


void
mixer_wait_until (gboolean (*cond) (gpointer), gpointer data, const char *what)
{
  gui_wait_until (cond, data, what);
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}


void
mixer_spin (guint ms)
{
  gui_spin (ms / 1000.0);
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
  gui_screenshot (name);
}

GtkWidget *
find_type (GtkWidget *widget, GType type)
{
  return gui_find_descendant (widget, type);
}


GtkWidget *
find_css_name (GtkWidget *widget, const char *name)
{
  if (g_str_equal (gtk_widget_get_css_name (widget), name))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_css_name (c, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}


GtkWidget *
find_css_class (GtkWidget *widget, const char *klass)
{
  if (gtk_widget_has_css_class (widget, klass))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_css_class (c, klass);
      if (found != NULL)
        return found;
    }
  return NULL;
}


void
collect_strips (GtkWidget *widget, GPtrArray *out)
{
  if (BUSKER_IS_CHANNEL_STRIP (widget))
    {
      g_ptr_array_add (out, widget);
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_strips (c, out);
}


BuskerFader *
fader_of (MixerHost *host, const char *id)
{
  BuskerStrip *strip = busker_project_find_strip (host->project, id);
  BuskerChannelStrip *cs = busker_mixer_get_strip_widget (host->mixer, strip);
  BuskerFader *fader = NULL;

  /* The vertical one is the fader; trim and pan are horizontal. */
  {
    GQueue queue = G_QUEUE_INIT;
    g_queue_push_tail (&queue, cs);
    while (!g_queue_is_empty (&queue))
      {
        GtkWidget *w = g_queue_pop_head (&queue);
        if (BUSKER_IS_FADER (w) && busker_fader_get_kind (BUSKER_FADER (w)) == BUSKER_FADER_GAIN
            && gtk_orientable_get_orientation (GTK_ORIENTABLE (w)) == GTK_ORIENTATION_VERTICAL)
          {
            fader = BUSKER_FADER (w);
            break;
          }
        for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
          g_queue_push_tail (&queue, c);
      }
    g_queue_clear (&queue);
  }
  g_assert_nonnull (fader);
  return fader;
}


void
drag_points (int x0, int y0, int x1, int y1)
{
  g_autofree char *sx = g_strdup_printf ("%d", x0);
  g_autofree char *sy = g_strdup_printf ("%d", y0);

  mixer_xdotool ((const char *const[]) { "mousemove", sx, sy, "mousedown", "1", NULL });
  /* Several steps: one jump does not start a drag. */
  for (int step = 1; step <= 12; step++)
    {
      g_autofree char *x = g_strdup_printf ("%d", x0 + (x1 - x0) * step / 12);
      g_autofree char *y = g_strdup_printf ("%d", y0 + (y1 - y0) * step / 12);
      mixer_xdotool ((const char *const[]) { "mousemove", x, y, NULL });
      mixer_spin (40);
    }
  mixer_spin (200);
  mixer_xdotool ((const char *const[]) { "mouseup", "1", NULL });
  mixer_spin (300);
}

void
drag_widget (MixerHost *host, GtkWidget *from, GtkWidget *onto)
{
  int x0, y0, x1, y1;

  mixer_widget_centre (from, host->window, &x0, &y0);
  mixer_widget_centre (onto, host->window, &x1, &y1);
  drag_points (x0, y0, x1, y1);
}

void
drag_strip (MixerHost *host, const char *from, const char *onto)
{
  BuskerChannelStrip *src =
    busker_mixer_get_strip_widget (host->mixer, busker_project_find_strip (host->project, from));
  BuskerChannelStrip *dst =
    busker_mixer_get_strip_widget (host->mixer, busker_project_find_strip (host->project, onto));

  drag_widget (host, busker_channel_strip_get_header (src), GTK_WIDGET (dst));
}

void
focus_host (MixerHost *host)
{
  g_autofree char *name = g_strdup_printf ("^%s$", gtk_window_get_title (host->window));

  mixer_xdotool ((const char *const[]) { "search", "--sync", "--name", name,
                                          "windowfocus", "--sync", NULL });
}

void
click_widget (MixerHost *host, GtkWidget *widget, const char *modifier)
{
  int x, y;
  g_autofree char *sx = NULL, *sy = NULL;

  mixer_widget_centre (widget, host->window, &x, &y);
  sx = g_strdup_printf ("%d", x);
  sy = g_strdup_printf ("%d", y);
  mixer_xdotool ((const char *const[]) { "mousemove", sx, sy, NULL });
  if (modifier != NULL)
    mixer_xdotool ((const char *const[]) { "keydown", modifier, "click", "1", "keyup", modifier, NULL });
  else
    mixer_xdotool ((const char *const[]) { "click", "1", NULL });
  mixer_spin (250);
}

gboolean
has_send_to (BuskerStrip *strip, const char *to)
{
  GListModel *sends = busker_strip_get_sends (strip);

  for (guint i = 0; i < g_list_model_get_n_items (sends); i++)
    {
      g_autoptr (BuskerSend) send = g_list_model_get_item (sends, i);
      if (g_str_equal (busker_send_get_to (send), to))
        return TRUE;
    }
  return FALSE;
}

