/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window's side of the mix assistant: the advice panel in a revealer
 * beside the mixer, the "win.mix-assistant" toggle (primary menu,
 * Ctrl+Shift+A), and what a click on a piece of advice does: select the
 * strip in the mixer and open the insert it is about.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "busker-window-private.h"
#include "widgets/busker-advice-panel.h"
#include "widgets/busker-insert-editor.h"
#include "widgets/busker-insert-rack.h"
#include "widgets/busker-mixer-private.h"

static void
on_show_strip_cb (BuskerAdvicePanel *panel, BuskerStrip *strip, int insert, BuskerWindow *self)
{
  BuskerMixer *mixer = BUSKER_MIXER (self->mixer);
  GPtrArray *strips = _busker_mixer_strips (mixer);
  BuskerChannelStrip *target = busker_mixer_get_strip_widget (mixer, strip);

  for (guint i = 0; i < strips->len; i++)
    busker_channel_strip_set_selected (strips->pdata[i], strips->pdata[i] == target);
  if (target != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (target));
  if (insert < 0 || self->project == NULL)
    return;

  g_autoptr (BuskerInsert) in = g_list_model_get_item (busker_strip_get_inserts (strip),
                                                        (guint) insert);
  g_autofree char *title = g_strdup_printf ("%s %s", busker_strip_get_name (strip),
                                            busker_insert_rack_effect_label (
                                              busker_insert_get_effect_type (in)));
  GtkWidget *editor = busker_insert_editor_new (self->project, in, title);
  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (editor));
}

static void
on_message_cb (BuskerAdvicePanel *panel, const char *sentence, BuskerWindow *self)
{
  busker_window_show_message (self, sentence);
}

/* The primary menu: the header's menu button marked primary. */
static GMenu *
find_primary_menu (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget)))
    {
      GMenuModel *model = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget));
      return G_IS_MENU (model) ? G_MENU (model) : NULL;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GMenu *found = find_primary_menu (c);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
on_toggle_change_state (GSimpleAction *action, GVariant *state, gpointer data)
{
  GtkRevealer *revealer = data;
  gtk_revealer_set_reveal_child (revealer, g_variant_get_boolean (state));
  g_simple_action_set_state (action, state);
}

void
busker_window_advice_init (BuskerWindow *self)
{
  GtkWidget *revealer = gtk_revealer_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *panel = busker_advice_panel_new ();
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self->mixer_stack));
  g_autoptr (GSimpleAction) action =
    g_simple_action_new_stateful ("mix-assistant", NULL, g_variant_new_boolean (FALSE));
  g_autoptr (GMenu) section = g_menu_new ();
  GMenu *primary = find_primary_menu (GTK_WIDGET (self));
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  gtk_revealer_set_transition_type (GTK_REVEALER (revealer),
                                    GTK_REVEALER_TRANSITION_TYPE_SLIDE_LEFT);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_VERTICAL));
  gtk_box_append (GTK_BOX (box), panel);
  gtk_revealer_set_child (GTK_REVEALER (revealer), box);
  gtk_box_insert_child_after (GTK_BOX (parent), revealer, GTK_WIDGET (self->mixer_stack));

  g_object_bind_property (self->mixer, "project", panel, "project", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (panel, "show-strip", G_CALLBACK (on_show_strip_cb), self, 0);
  g_signal_connect_object (panel, "message", G_CALLBACK (on_message_cb), self, 0);

  g_signal_connect_object (action, "change-state", G_CALLBACK (on_toggle_change_state),
                           revealer, 0);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
  /* Its own section, after Export and before the help items. */
  g_menu_append (section, _("Mix _Assistant"), "win.mix-assistant");
  if (primary != NULL)
    g_menu_insert_section (primary, MAX (g_menu_model_get_n_items (G_MENU_MODEL (primary)) - 1, 0),
                           NULL, G_MENU_MODEL (section));
  /* Activating a stateless-parameter boolean action toggles it. */
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control><Shift>a"),
                      gtk_named_action_new ("win.mix-assistant")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}
