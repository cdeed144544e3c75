/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "busker-strip-box.h"

struct _BuskerStripBox
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (BuskerStripBox, busker_strip_box, GTK_TYPE_WIDGET)

/* The part of the box its viewport shows, in the box's coordinates;
 * everything when it is not in one. */
static gboolean
visible_rect (BuskerStripBox *self, graphene_rect_t *rect)
{
  GtkWidget *viewport = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_VIEWPORT);

  return viewport != NULL && gtk_widget_compute_bounds (viewport, GTK_WIDGET (self), rect);
}

static void
busker_strip_box_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  BuskerStripBox *self = BUSKER_STRIP_BOX (widget);
  graphene_rect_t view;
  gboolean cull = visible_rect (self, &view);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t bounds;

      if (cull && gtk_widget_compute_bounds (child, widget, &bounds)
          && !graphene_rect_intersection (&bounds, &view, NULL))
        continue;
      gtk_widget_snapshot_child (widget, child, snapshot);
    }
}

void
busker_strip_box_view_changed (BuskerStripBox *self)
{
  g_return_if_fail (BUSKER_IS_STRIP_BOX (self));
  /* The strips keep their cached nodes; only this list is redone. */
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
busker_strip_box_insert_after (BuskerStripBox *self, GtkWidget *child, GtkWidget *sibling)
{
  g_return_if_fail (BUSKER_IS_STRIP_BOX (self));
  g_return_if_fail (GTK_IS_WIDGET (child));
  gtk_widget_insert_after (child, GTK_WIDGET (self), sibling);
}

void
busker_strip_box_remove (BuskerStripBox *self, GtkWidget *child)
{
  g_return_if_fail (BUSKER_IS_STRIP_BOX (self));
  g_return_if_fail (gtk_widget_get_parent (child) == GTK_WIDGET (self));
  gtk_widget_unparent (child);
}

GtkWidget *
busker_strip_box_new (void)
{
  return g_object_new (BUSKER_TYPE_STRIP_BOX, NULL);
}

static void
busker_strip_box_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (busker_strip_box_parent_class)->dispose (object);
}

static void
busker_strip_box_class_init (BuskerStripBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = busker_strip_box_dispose;
  widget_class->snapshot = busker_strip_box_snapshot;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "stripbox");
}

static void
busker_strip_box_init (BuskerStripBox *self)
{
}
