/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "busker-a11y.h"
#include "busker-fader.h"
#include "busker-send-row.h"

struct _BuskerSendRow
{
  GtkWidget parent_instance;

  BuskerProject *project;
  BuskerStrip *strip;
  BuskerSend *send;
  BuskerStrip *target; /* weak: the aux bus, for its name */
  GtkWidget *level;
  GtkWidget *pan;

  /* template */
  GtkWidget *box;
  GtkWidget *level_row;
  GtkWidget *pan_row;
  GtkLabel *target_label;
  GtkWidget *pre_button;
  GtkWidget *mute_button;
  GtkWidget *remove_button;
};

G_DEFINE_FINAL_TYPE (BuskerSendRow, busker_send_row, GTK_TYPE_WIDGET)

enum { MESSAGE, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
update_names (BuskerSendRow *self)
{
  const char *name = busker_strip_get_name (self->strip);
  const char *to = self->target != NULL ? busker_strip_get_name (self->target)
                                        : busker_send_get_to (self->send);

  gtk_label_set_label (self->target_label, to);
  /* TRANSLATORS: accessible names: strip name, "send to", aux bus name, control */
  busker_a11y_set_label (self->level, FALSE, _("%s send to %s level"), name, to);
  busker_a11y_set_label (self->pan, FALSE, _("%s send to %s pan"), name, to);
  busker_a11y_set_label (self->pre_button, FALSE, _("%s send to %s pre-fader"), name, to);
  busker_a11y_set_label (self->mute_button, FALSE, _("%s send to %s mute"), name, to);
  busker_a11y_set_label (self->remove_button, FALSE, _("%s send to %s remove"), name, to);
}

static void
on_remove_clicked_cb (BuskerSendRow *self)
{
  busker_project_remove_send (self->project, self->strip, self->send);
}

BuskerSend *
busker_send_row_get_send (BuskerSendRow *self)
{
  g_return_val_if_fail (BUSKER_IS_SEND_ROW (self), NULL);
  return self->send;
}

GtkWidget *
busker_send_row_new (BuskerProject *project, BuskerStrip *strip, BuskerSend *send)
{
  BuskerSendRow *self;

  g_return_val_if_fail (BUSKER_IS_PROJECT (project), NULL);
  g_return_val_if_fail (BUSKER_IS_STRIP (strip), NULL);
  g_return_val_if_fail (BUSKER_IS_SEND (send), NULL);

  self = g_object_new (BUSKER_TYPE_SEND_ROW, NULL);
  self->project = g_object_ref (project);
  self->strip = g_object_ref (strip);
  self->send = g_object_ref (send);
  g_set_weak_pointer (&self->target, busker_project_find_strip (project, busker_send_get_to (send)));

  /* Send levels have the fader's −inf floor, laid out horizontally. */
  self->level = busker_fader_new (BUSKER_FADER_GAIN, GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_hexpand (self->level, TRUE);
  gtk_box_append (GTK_BOX (self->level_row), self->level);
  busker_fader_bind (BUSKER_FADER (self->level), G_OBJECT (send), "level-db", project);

  self->pan = busker_fader_new (BUSKER_FADER_PAN, GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_hexpand (self->pan, TRUE);
  gtk_box_prepend (GTK_BOX (self->pan_row), self->pan);
  busker_fader_bind (BUSKER_FADER (self->pan), G_OBJECT (send), "pan", project);

  g_object_bind_property (send, "pre-fader", self->pre_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (send, "mute", self->mute_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  update_names (self);
  g_signal_connect_object (strip, "notify::name", G_CALLBACK (update_names), self,
                           G_CONNECT_SWAPPED);
  if (self->target != NULL)
    g_signal_connect_object (self->target, "notify::name", G_CALLBACK (update_names), self,
                             G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}

static void
busker_send_row_dispose (GObject *object)
{
  BuskerSendRow *self = BUSKER_SEND_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BUSKER_TYPE_SEND_ROW);
  g_clear_weak_pointer (&self->target);
  g_clear_object (&self->send);
  g_clear_object (&self->strip);
  g_clear_object (&self->project);
  G_OBJECT_CLASS (busker_send_row_parent_class)->dispose (object);
}

static void
busker_send_row_class_init (BuskerSendRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = busker_send_row_dispose;
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/busker/Busker/busker-send-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BuskerSendRow, box);
  gtk_widget_class_bind_template_child (widget_class, BuskerSendRow, level_row);
  gtk_widget_class_bind_template_child (widget_class, BuskerSendRow, pan_row);
  gtk_widget_class_bind_template_child (widget_class, BuskerSendRow, target_label);
  gtk_widget_class_bind_template_child (widget_class, BuskerSendRow, pre_button);
  gtk_widget_class_bind_template_child (widget_class, BuskerSendRow, mute_button);
  gtk_widget_class_bind_template_child (widget_class, BuskerSendRow, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sendrow");
}

static void
busker_send_row_init (BuskerSendRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
