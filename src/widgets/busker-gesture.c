/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "busker-gesture.h"

typedef struct {
  BuskerProject *project; /* weak */
  gboolean pointer_down;
  guint wheel_timeout;
} Tracker;

static void
end_one (Tracker *t)
{
  if (t->project != NULL)
    busker_project_end_gesture (t->project);
}

static void
end_all (Tracker *t)
{
  if (t->pointer_down)
    {
      t->pointer_down = FALSE;
      end_one (t);
    }
  if (t->wheel_timeout != 0)
    {
      g_clear_handle_id (&t->wheel_timeout, g_source_remove);
      end_one (t);
    }
}

static void
tracker_free (gpointer data)
{
  Tracker *t = data;

  end_all (t);
  g_clear_weak_pointer (&t->project);
  g_free (t);
}

static gboolean
wheel_done_cb (gpointer data)
{
  Tracker *t = data;

  t->wheel_timeout = 0;
  end_one (t);
  return G_SOURCE_REMOVE;
}

static gboolean
on_event_cb (GtkEventControllerLegacy *controller, GdkEvent *event, Tracker *t)
{
  switch (gdk_event_get_event_type (event))
    {
    case GDK_BUTTON_PRESS:
      if (!t->pointer_down && t->project != NULL)
        {
          t->pointer_down = TRUE;
          busker_project_begin_gesture (t->project);
        }
      break;
    case GDK_BUTTON_RELEASE:
    case GDK_GRAB_BROKEN:
      if (t->pointer_down)
        {
          t->pointer_down = FALSE;
          end_one (t);
        }
      break;
    case GDK_SCROLL:
      if (t->project == NULL)
        break;
      if (t->wheel_timeout == 0)
        busker_project_begin_gesture (t->project);
      else
        g_source_remove (t->wheel_timeout);
      t->wheel_timeout = g_timeout_add (BUSKER_GESTURE_WHEEL_MS, wheel_done_cb, t);
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
on_unmap_cb (GtkWidget *widget, Tracker *t)
{
  end_all (t);
}

void
busker_gesture_attach (GtkWidget *widget, BuskerProject *project)
{
  Tracker *t;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  t = g_object_get_data (G_OBJECT (widget), "busker-gesture");
  if (t == NULL)
    {
      GtkEventController *legacy = gtk_event_controller_legacy_new ();

      t = g_new0 (Tracker, 1);
      g_object_set_data_full (G_OBJECT (widget), "busker-gesture", t, tracker_free);
      gtk_event_controller_set_propagation_phase (legacy, GTK_PHASE_CAPTURE);
      g_signal_connect (legacy, "event", G_CALLBACK (on_event_cb), t);
      gtk_widget_add_controller (widget, legacy);
      g_signal_connect (widget, "unmap", G_CALLBACK (on_unmap_cb), t);
    }
  end_all (t);
  g_clear_weak_pointer (&t->project);
  g_set_weak_pointer (&t->project, project);
}
