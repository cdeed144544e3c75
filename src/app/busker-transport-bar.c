/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The transport bar: play/pause (Space, through win.play-pause), stop,
 * the position "0:12.3 / 3:05.0", loop. The position is polled every
 * 100 ms while the session plays (the session's position is not a
 * property: the engine moves it on its own thread).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "busker-transport-bar.h"

#define POLL_MS 100

struct _BuskerTransportBar
{
  GtkWidget parent_instance;

  BuskerSession *session;
  GtkButton *play_button;
  GtkLabel *position_label;
  guint poll;
};

G_DEFINE_FINAL_TYPE (BuskerTransportBar, busker_transport_bar, GTK_TYPE_WIDGET)

char *
busker_transport_format_time (double seconds)
{
  int minutes;

  if (!isfinite (seconds) || seconds < 0)
    return g_strdup ("−:−−");
  minutes = (int) (seconds / 60.0);
  return g_strdup_printf ("%d:%04.1f", minutes, seconds - 60.0 * minutes);
}

static void
show_position (BuskerTransportBar *self)
{
  g_autofree char *position = busker_transport_format_time (busker_session_get_position_s (self->session));
  g_autofree char *length = busker_transport_format_time (busker_session_get_length_s (self->session));
  /* Translators: transport position, "0:12.3 / 3:05.0" */
  g_autofree char *text = g_strdup_printf (_("%s / %s"), position, length);

  gtk_label_set_text (self->position_label, text);
}

static gboolean
poll_position (gpointer user_data)
{
  show_position (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_playing_changed (BuskerTransportBar *self)
{
  gboolean playing = busker_session_get_playing (self->session);
  const char *label = playing ? _("Pause") : _("Play");

  gtk_button_set_icon_name (self->play_button,
                            playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  if (playing && self->poll == 0)
    self->poll = g_timeout_add (POLL_MS, poll_position, self);
  else if (!playing)
    g_clear_handle_id (&self->poll, g_source_remove);
  show_position (self);
}

static GtkWidget *
transport_button (const char *icon, const char *label, const char *action)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  /* A click leaves the focus where it was, so Space keeps playing. */
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return button;
}

static void
busker_transport_bar_dispose (GObject *object)
{
  BuskerTransportBar *self = BUSKER_TRANSPORT_BAR (object);
  GtkWidget *child;

  g_clear_handle_id (&self->poll, g_source_remove);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (busker_transport_bar_parent_class)->dispose (object);
}

static void
busker_transport_bar_class_init (BuskerTransportBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = busker_transport_bar_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "transportbar");
}

static void
busker_transport_bar_init (BuskerTransportBar *self)
{
  GtkWidget *stop, *loop, *buttons;

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 12);
  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (buttons, "linked");
  self->play_button = GTK_BUTTON (transport_button ("media-playback-start-symbolic", _("Play"),
                                                    "win.play-pause"));
  stop = transport_button ("media-playback-stop-symbolic", _("Stop"), "win.stop");
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->play_button));
  gtk_box_append (GTK_BOX (buttons), stop);
  gtk_widget_set_parent (buttons, GTK_WIDGET (self));

  self->position_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->position_label), "numeric");
  gtk_widget_set_parent (GTK_WIDGET (self->position_label), GTK_WIDGET (self));

  loop = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (loop), "media-playlist-repeat-symbolic");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (loop), "win.loop");
  gtk_widget_set_focus_on_click (loop, FALSE);
  gtk_widget_set_tooltip_text (loop, _("Loop"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (loop), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Loop"), -1);
  gtk_widget_set_parent (loop, GTK_WIDGET (self));
}

GtkWidget *
busker_transport_bar_new (BuskerSession *session)
{
  BuskerTransportBar *self = g_object_new (BUSKER_TYPE_TRANSPORT_BAR, NULL);

  self->session = g_object_ref (session);
  g_signal_connect_swapped (session, "notify::playing", G_CALLBACK (on_playing_changed), self);
  g_signal_connect_swapped (session, "notify::length", G_CALLBACK (show_position), self);
  on_playing_changed (self);
  return GTK_WIDGET (self);
}
