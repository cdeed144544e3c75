/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TEMPORARY stand-in for src/widgets/busker-mixer.c: see the header. */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "busker-mixer-placeholder.h"

struct _BuskerMixer
{
  GtkWidget parent_instance;
  AdwStatusPage *page;
  BuskerProject *project;
};

G_DEFINE_FINAL_TYPE (BuskerMixer, busker_mixer, GTK_TYPE_WIDGET)

static void
show_strips (BuskerMixer *self)
{
  GListModel *strips = self->project ? G_LIST_MODEL (self->project) : NULL;
  g_autoptr (GString) names = g_string_new (NULL);

  for (guint i = 0; strips != NULL && i < g_list_model_get_n_items (strips); i++)
    {
      g_autoptr (BuskerStrip) strip = g_list_model_get_item (strips, i);
      g_autofree char *name = NULL;

      g_object_get (strip, "name", &name, NULL);
      g_string_append_printf (names, "%s%s", i ? " · " : "", name ? name : "");
    }
  adw_status_page_set_description (self->page, names->str);
}

void
busker_mixer_set_project (BuskerMixer *self, BuskerProject *project)
{
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_set_object (&self->project, project);
  if (project != NULL)
    g_signal_connect_swapped (project, "items-changed", G_CALLBACK (show_strips), self);
  show_strips (self);
}

void
busker_mixer_set_session (BuskerMixer *self, BuskerSession *session)
{
}

static void
busker_mixer_dispose (GObject *object)
{
  BuskerMixer *self = BUSKER_MIXER (object);

  busker_mixer_set_project (self, NULL);
  if (self->page != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->page));
  self->page = NULL;
  G_OBJECT_CLASS (busker_mixer_parent_class)->dispose (object);
}

static void
busker_mixer_class_init (BuskerMixerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = busker_mixer_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
  g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
busker_mixer_init (BuskerMixer *self)
{
  self->page = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->page, "io.github.busker.Busker");
  gtk_widget_set_parent (GTK_WIDGET (self->page), GTK_WIDGET (self));
}

GtkWidget *
busker_mixer_new (void)
{
  return g_object_new (BUSKER_TYPE_MIXER, NULL);
}
