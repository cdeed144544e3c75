/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The strip's controls are built once from the template and bound to the
 * model strip; nothing is copied but the accessible names, which are
 * redone on rename. Strip colours become one CSS class per colour in a
 * single display-wide provider, so 64 strips add one provider, not 64.
 *
 * Drawing: the strip paints its meter's bars itself, over an image of
 * everything else that is redone only when a control changes. GTK 4.8's
 * cairo renderer walks the whole window's node tree for every frame,
 * however small the damaged part (some 190 nodes a strip: labels, scale
 * marks, shadows), so with meters moving at 60 Hz that walk was most of
 * the cost; as one image node per strip it is nearly free (docs/mixer.md
 * "Speed"). The GL renderer uploads the image once and keeps it.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "busker-a11y.h"
#include "busker-channel-strip.h"
#include "busker-fader.h"
#include "busker-insert-rack.h"
#include "busker-send-row.h"

struct _BuskerChannelStrip
{
  GtkWidget parent_instance;

  BuskerProject *project;
  BuskerStrip *strip;
  gboolean selected;
  gboolean missing;
  char *problem;          /* a live or capture track not heard, or NULL */
  BuskerStrip *output_target; /* weak, for its name */
  gulong output_name_handler;
  char *color_class;

  GtkWidget *fader;
  GtkWidget *meter;
  GtkWidget *pan;
  GtkWidget *trim;
  GtkWidget *rack;

  /* template */
  GtkWidget *box;
  GtkWidget *header;
  GtkWidget *color_bar;
  GtkStack *name_stack;
  GtkLabel *name_label;
  GtkEntry *name_entry;
  GtkLabel *source_label;
  GtkWidget *trim_row;
  GtkWidget *polarity_button;
  GtkWidget *rack_box;
  GtkWidget *sends_area;
  GtkWidget *sends_box;
  GtkWidget *add_send_button;
  GtkWidget *add_insert_button;
  GtkWidget *pan_row;
  GtkWidget *fader_row;
  GtkEntry *gain_entry;
  GtkWidget *mute_button;
  GtkWidget *solo_button;
  GtkButton *output_button;
  GtkWidget *output_popover; /* made when first opened */
  GtkWidget *master_output_label;

  /* The strip's controls as last drawn (the box's node), and the same
   * flattened into one image (see busker_channel_strip_snapshot). */
  GskRenderNode *controls_node;
  GskRenderNode *flat_node;
  int flat_scale;
};

#define BUSKER_CHANNEL_STRIP_WIDTH 80

G_DEFINE_FINAL_TYPE (BuskerChannelStrip, busker_channel_strip, GTK_TYPE_WIDGET)

enum { MESSAGE, HEADER_CLICKED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
emit_message (BuskerChannelStrip *self, const char *sentence)
{
  g_signal_emit (self, signals[MESSAGE], 0, sentence);
}

/* ---- colour ------------------------------------------------------------ */

static const char *
color_class_for (const char *color)
{
  static GtkCssProvider *provider;
  static GHashTable *known; /* "#rrggbb" → class name */
  static GString *css;
  GdkRGBA rgba;
  const char *klass;

  if (color == NULL || !gdk_rgba_parse (&rgba, color))
    return NULL;
  if (known == NULL)
    {
      known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      css = g_string_new (NULL);
      provider = gtk_css_provider_new ();
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }
  klass = g_hash_table_lookup (known, color);
  if (klass == NULL)
    {
      g_autofree char *hex = g_ascii_strdown (color + 1, -1);
      char *name = g_strdup_printf ("strip-color-%s", hex);
      g_string_append_printf (css, ".%s { background-color: #%s; }\n", name, hex);
      gtk_css_provider_load_from_data (provider, css->str, -1);
      g_hash_table_insert (known, g_strdup (color), name);
      klass = name;
    }
  return klass;
}

static void
update_color (BuskerChannelStrip *self)
{
  const char *klass = color_class_for (busker_strip_get_color (self->strip));

  if (self->color_class != NULL)
    gtk_widget_remove_css_class (self->color_bar, self->color_class);
  g_free (self->color_class);
  self->color_class = g_strdup (klass);
  if (klass != NULL)
    gtk_widget_add_css_class (self->color_bar, klass);
}

static void
on_color_response_cb (GtkDialog *dialog, int response, BuskerChannelStrip *self)
{
  if (response == GTK_RESPONSE_OK)
    {
      GdkRGBA rgba;
      g_autofree char *color = NULL;

      gtk_color_chooser_get_rgba (GTK_COLOR_CHOOSER (dialog), &rgba);
      color = g_strdup_printf ("#%02x%02x%02x", (int) lroundf (rgba.red * 255),
                               (int) lroundf (rgba.green * 255), (int) lroundf (rgba.blue * 255));
      busker_strip_set_color (self->strip, color);
    }
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
on_color_clicked_cb (BuskerChannelStrip *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *title = g_strdup_printf (_("Colour of %s"), busker_strip_get_name (self->strip));
  GtkWidget *dialog = gtk_color_chooser_dialog_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  const char *color = busker_strip_get_color (self->strip);
  GdkRGBA rgba;

  gtk_color_chooser_set_use_alpha (GTK_COLOR_CHOOSER (dialog), FALSE);
  if (color != NULL && gdk_rgba_parse (&rgba, color))
    gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (dialog), &rgba);
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_color_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- names --------------------------------------------------------------- */

static void
update_names (BuskerChannelStrip *self)
{
  const char *name = busker_strip_get_name (self->strip);

  gtk_label_set_label (self->name_label, name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), name);
  /* TRANSLATORS: accessible names: the strip's name, then the control */
  busker_a11y_set_label (self->fader, FALSE, _("%s fader"), name);
  busker_a11y_set_label (self->meter, FALSE, _("%s meter"), name);
  busker_a11y_set_label (self->color_bar, FALSE, _("%s colour"), name);
  busker_a11y_set_label (self->pan, FALSE, _("%s pan"), name);
  busker_a11y_set_label (self->trim, FALSE, _("%s trim"), name);
  busker_a11y_set_label (self->polarity_button, FALSE, _("%s polarity"), name);
  busker_a11y_set_label (self->mute_button, FALSE, _("%s mute"), name);
  busker_a11y_set_label (self->solo_button, FALSE, _("%s solo"), name);
  busker_a11y_set_label (GTK_WIDGET (self->gain_entry), FALSE, _("%s fader level"), name);
  busker_a11y_set_label (GTK_WIDGET (self->output_button), FALSE, _("%s output"), name);
  busker_a11y_set_label (self->add_send_button, FALSE, _("%s add send"), name);
  busker_a11y_set_label (self->add_insert_button, FALSE, _("%s add insert"), name);
  busker_a11y_set_label (GTK_WIDGET (self->name_entry), FALSE, _("%s name"), name);
}

static void
update_source (BuskerChannelStrip *self)
{
  BuskerSource *source = busker_strip_get_source (self->strip);
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;

  switch (busker_strip_get_kind (self->strip))
    {
    case BUSKER_STRIP_SUBGROUP: text = g_strdup (_("Subgroup")); break;
    case BUSKER_STRIP_AUX: text = g_strdup (_("Aux bus")); break;
    case BUSKER_STRIP_MASTER: text = g_strdup (_("Master")); break;
    case BUSKER_STRIP_TRACK:
    default:
      if (source == NULL)
        text = g_strdup (_("No source"));
      else if (busker_source_get_kind (source) == BUSKER_SOURCE_FILE)
        {
          const char *path = busker_source_get_path (source);
          text = g_path_get_basename (path);
          tooltip = self->missing
                    ? g_strdup_printf (_("“%s” is missing: the track plays silence."), path)
                    : g_strdup (path);
        }
      else if (busker_source_get_kind (source) == BUSKER_SOURCE_LIVE)
        {
          text = g_strdup (_("Live"));
          tooltip = g_strdup (self->problem);
        }
      else
        {
          text = g_strdup (busker_source_get_node (source));
          tooltip = self->problem != NULL ? g_strdup (self->problem)
                                          : g_strdup_printf (_("Capture device %s"), text);
        }
      break;
    }
  if (self->missing || self->problem != NULL)
    {
      g_autofree char *marked = g_strdup_printf ("⚠ %s", text);
      g_free (text);
      text = g_steal_pointer (&marked);
      gtk_widget_add_css_class (GTK_WIDGET (self->source_label), "error");
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->source_label), "error");
  gtk_label_set_label (self->source_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->source_label), tooltip);
}

/* ---- rename -------------------------------------------------------------- */

void
busker_channel_strip_start_rename (BuskerChannelStrip *self)
{
  g_return_if_fail (BUSKER_IS_CHANNEL_STRIP (self));
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), busker_strip_get_name (self->strip));
  gtk_stack_set_visible_child_name (self->name_stack, "entry");
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

/* Another strip of the project already called name (output menus, send
 * rows and the loop sentences name strips; two alike cannot be told
 * apart), or NULL. Compared case-insensitively, as people read them. */
static BuskerStrip *
strip_named (BuskerChannelStrip *self, const char *name)
{
  GListModel *strips = G_LIST_MODEL (self->project);
  g_autofree char *folded = g_utf8_casefold (name, -1);

  for (guint i = 0; i < g_list_model_get_n_items (strips); i++)
    {
      g_autoptr (BuskerStrip) other = g_list_model_get_item (strips, i);
      g_autofree char *other_folded = g_utf8_casefold (busker_strip_get_name (other), -1);

      if (other != self->strip && g_str_equal (folded, other_folded))
        return other; /* the project holds it */
    }
  return NULL;
}

static void
finish_rename (BuskerChannelStrip *self, gboolean apply)
{
  if (!g_str_equal (gtk_stack_get_visible_child_name (self->name_stack), "entry"))
    return;
  if (apply)
    {
      g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));
      if (*name == '\0')
        emit_message (self, _("A strip needs a name: the old one is kept."));
      else if (self->project != NULL && strip_named (self, name) != NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("Another strip is called “%s”: the old name is kept."), name);
          emit_message (self, message);
        }
      else if (!g_str_equal (name, busker_strip_get_name (self->strip)))
        busker_strip_set_name (self->strip, name);
    }
  gtk_stack_set_visible_child_name (self->name_stack, "label");
}

static void
on_name_entry_activate_cb (BuskerChannelStrip *self)
{
  finish_rename (self, TRUE);
}

static void
on_name_focus_leave_cb (GtkEventControllerFocus *focus, BuskerChannelStrip *self)
{
  finish_rename (self, TRUE);
}

static gboolean
on_name_key_cb (GtkEventControllerKey *key, guint keyval, guint keycode,
                GdkModifierType state, BuskerChannelStrip *self)
{
  if (keyval != GDK_KEY_Escape)
    return GDK_EVENT_PROPAGATE;
  finish_rename (self, FALSE);
  return GDK_EVENT_STOP;
}

/* M and S toggle mute and solo of the strip that has the focus (never
 * window-wide: a text field in the strip takes its letters first). */
static gboolean
toggle_shortcut_cb (GtkWidget *widget, GVariant *args, gpointer data)
{
  BuskerChannelStrip *self = BUSKER_CHANNEL_STRIP (widget);
  GtkWidget *button = g_variant_get_int32 (args) == 'm' ? self->mute_button : self->solo_button;

  if (!gtk_widget_get_visible (button))
    return FALSE;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button),
                                !gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
  return TRUE;
}

static gboolean
rename_shortcut_cb (GtkWidget *widget, GVariant *args, gpointer data)
{
  busker_channel_strip_start_rename (BUSKER_CHANNEL_STRIP (widget));
  return TRUE;
}

static void
on_header_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y,
                      BuskerChannelStrip *self)
{
  if (n_press == 2)
    busker_channel_strip_start_rename (self);
}

/* Selection on release: a press that becomes a drag (the drag source
 * then claims the pointer and this gesture never sees the release)
 * keeps the selection, so several selected strips drag together. */
static void
on_header_released_cb (GtkGestureClick *gesture, int n_press, double x, double y,
                       BuskerChannelStrip *self)
{
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));

  if (n_press == 1)
    g_signal_emit (self, signals[HEADER_CLICKED], 0, (state & GDK_CONTROL_MASK) != 0);
}

/* ---- fader entry ----------------------------------------------------------- */

static void
update_gain_entry (BuskerChannelStrip *self)
{
  g_autofree char *text = busker_fader_format_value (BUSKER_FADER_GAIN,
                                                     busker_strip_get_gain_db (self->strip));
  gtk_editable_set_text (GTK_EDITABLE (self->gain_entry), text);
}

static void
on_gain_entry_activate_cb (BuskerChannelStrip *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->gain_entry));
  double db;

  if (busker_fader_parse_value (BUSKER_FADER_GAIN, text, &db))
    busker_strip_set_gain_db (self->strip, isinf (db) ? db : CLAMP (db, -144.0, 12.0));
  else
    {
      g_autofree char *sentence =
        g_strdup_printf (_("“%s” is not a level in dB: type a number such as −6, or −inf."), text);
      emit_message (self, sentence);
    }
  update_gain_entry (self);
}

/* ---- output ---------------------------------------------------------------- */

/* A button that opens a menu built when opened, not a GtkDropDown, which
 * builds a popover with a list view per strip up front (64 strips: most
 * of the first frame); and not a GtkMenuButton, whose inner button GTK 4.8
 * names after its label ("Drums") rather than "Kick output". */

static void
forget_output_target (BuskerChannelStrip *self)
{
  if (self->output_target != NULL)
    g_signal_handler_disconnect (self->output_target, self->output_name_handler);
  self->output_name_handler = 0;
  g_clear_weak_pointer (&self->output_target);
}

static void
update_output_label (BuskerChannelStrip *self)
{
  const char *id = busker_strip_get_output (self->strip);
  BuskerStrip *target = id != NULL ? busker_project_find_strip (self->project, id) : NULL;

  forget_output_target (self);
  if (target != NULL)
    {
      g_set_weak_pointer (&self->output_target, target);
      self->output_name_handler = g_signal_connect_swapped (target, "notify::name",
                                                            G_CALLBACK (update_output_label), self);
    }
  gtk_button_set_label (self->output_button,
                             target != NULL ? busker_strip_get_name (target) : (id != NULL ? id : ""));
}

static GMenuModel *
make_output_menu (BuskerChannelStrip *self)
{
  GMenu *menu = g_menu_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->project));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BuskerStrip) target = g_list_model_get_item (G_LIST_MODEL (self->project), i);
      BuskerStripKind kind = busker_strip_get_kind (target);
      g_autoptr (GMenuItem) item = NULL;

      if (target == self->strip || (kind != BUSKER_STRIP_SUBGROUP && kind != BUSKER_STRIP_MASTER))
        continue;
      item = g_menu_item_new (busker_strip_get_name (target), NULL);
      g_menu_item_set_action_and_target (item, "strip.set-output", "s", busker_strip_get_id (target));
      g_menu_append_item (menu, item);
    }
  return G_MENU_MODEL (menu);
}

static void
on_output_clicked_cb (BuskerChannelStrip *self)
{
  g_autoptr (GMenuModel) menu = make_output_menu (self);

  graphene_rect_t bounds;

  /* The strip is the popover's parent (it presents it in size_allocate),
   * pointing at the button. */
  if (self->output_popover == NULL)
    {
      self->output_popover = gtk_popover_menu_new_from_model (menu);
      gtk_widget_set_parent (self->output_popover, GTK_WIDGET (self));
    }
  else
    gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->output_popover), menu);
  if (gtk_widget_compute_bounds (GTK_WIDGET (self->output_button), GTK_WIDGET (self), &bounds))
    gtk_popover_set_pointing_to (GTK_POPOVER (self->output_popover),
                                 &(GdkRectangle) { (int) bounds.origin.x, (int) bounds.origin.y,
                                                   (int) bounds.size.width, (int) bounds.size.height });
  gtk_popover_popup (GTK_POPOVER (self->output_popover));
}

static void
set_output_action (GtkWidget *widget, const char *action, GVariant *param)
{
  BuskerChannelStrip *self = BUSKER_CHANNEL_STRIP (widget);
  BuskerStrip *target = busker_project_find_strip (self->project, g_variant_get_string (param, NULL));
  g_autoptr (GError) error = NULL;

  if (target == NULL
      || g_strcmp0 (busker_strip_get_output (self->strip), busker_strip_get_id (target)) == 0)
    return;
  if (!busker_project_set_output (self->project, self->strip, target, &error))
    emit_message (self, error->message);
}

static void
setup_output (BuskerChannelStrip *self)
{
  update_output_label (self);
  g_signal_connect_object (self->strip, "notify::output", G_CALLBACK (update_output_label), self,
                           G_CONNECT_SWAPPED);
}

/* ---- sends ----------------------------------------------------------------- */

static void
forward_message_cb (GtkWidget *child, const char *sentence, BuskerChannelStrip *self)
{
  emit_message (self, sentence);
}

static void
rebuild_sends (BuskerChannelStrip *self)
{
  GListModel *sends = busker_strip_get_sends (self->strip);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->sends_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->sends_box), child);
  for (guint i = 0; i < g_list_model_get_n_items (sends); i++)
    {
      g_autoptr (BuskerSend) send = g_list_model_get_item (sends, i);
      GtkWidget *row = busker_send_row_new (self->project, self->strip, send);
      g_signal_connect_object (row, "message", G_CALLBACK (forward_message_cb), self, 0);
      gtk_box_append (GTK_BOX (self->sends_box), row);
    }
}

static GMenuModel *
make_send_menu (BuskerChannelStrip *self)
{
  GMenu *menu = g_menu_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->project));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BuskerStrip) aux = g_list_model_get_item (G_LIST_MODEL (self->project), i);
      g_autoptr (GMenuItem) item = NULL;
      if (busker_strip_get_kind (aux) != BUSKER_STRIP_AUX || aux == self->strip)
        continue;
      item = g_menu_item_new (busker_strip_get_name (aux), NULL);
      g_menu_item_set_action_and_target (item, "strip.add-send", "s", busker_strip_get_id (aux));
      g_menu_append_item (menu, item);
    }
  if (g_menu_model_get_n_items (G_MENU_MODEL (menu)) == 0)
    {
      g_autoptr (GMenuItem) item = g_menu_item_new (_("No aux buses"), "strip.none");
      g_menu_append_item (menu, item);
    }
  return G_MENU_MODEL (menu);
}

static void
create_send_popup_cb (GtkMenuButton *button, gpointer data)
{
  g_autoptr (GMenuModel) menu = make_send_menu (BUSKER_CHANNEL_STRIP (data));
  gtk_menu_button_set_menu_model (button, menu);
}

static void
add_send_action (GtkWidget *widget, const char *action, GVariant *param)
{
  BuskerChannelStrip *self = BUSKER_CHANNEL_STRIP (widget);
  BuskerStrip *aux = busker_project_find_strip (self->project, g_variant_get_string (param, NULL));
  g_autoptr (GError) error = NULL;

  if (aux == NULL)
    return;
  if (busker_project_add_send (self->project, self->strip, aux, &error) == NULL)
    emit_message (self, error->message);
}

static void
add_insert_action (GtkWidget *widget, const char *action, GVariant *param)
{
  BuskerChannelStrip *self = BUSKER_CHANNEL_STRIP (widget);

  busker_insert_rack_add (BUSKER_INSERT_RACK (self->rack), g_variant_get_string (param, NULL));
}

/* Made when first opened: 64 strips' menus up front would cost a good part
 * of the first frame. */
static void
create_insert_popup_cb (GtkMenuButton *button, gpointer data)
{
  g_autoptr (GMenuModel) menu = busker_insert_rack_make_add_menu ("strip.add-insert");

  gtk_menu_button_set_menu_model (button, menu);
  gtk_menu_button_set_create_popup_func (button, NULL, NULL, NULL);
}

/* ---- public ---------------------------------------------------------------- */

BuskerStrip *
busker_channel_strip_get_strip (BuskerChannelStrip *self)
{
  g_return_val_if_fail (BUSKER_IS_CHANNEL_STRIP (self), NULL);
  return self->strip;
}

BuskerLevelMeter *
busker_channel_strip_get_meter (BuskerChannelStrip *self)
{
  g_return_val_if_fail (BUSKER_IS_CHANNEL_STRIP (self), NULL);
  return BUSKER_LEVEL_METER (self->meter);
}

GtkWidget *
busker_channel_strip_get_header (BuskerChannelStrip *self)
{
  g_return_val_if_fail (BUSKER_IS_CHANNEL_STRIP (self), NULL);
  return self->header;
}

gboolean
busker_channel_strip_get_selected (BuskerChannelStrip *self)
{
  g_return_val_if_fail (BUSKER_IS_CHANNEL_STRIP (self), FALSE);
  return self->selected;
}

void
busker_channel_strip_set_selected (BuskerChannelStrip *self, gboolean selected)
{
  g_return_if_fail (BUSKER_IS_CHANNEL_STRIP (self));
  self->selected = selected;
  if (selected)
    gtk_widget_add_css_class (GTK_WIDGET (self), "selected");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "selected");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->header), GTK_ACCESSIBLE_STATE_SELECTED,
                               selected, -1);
}

void
busker_channel_strip_set_missing (BuskerChannelStrip *self, gboolean missing)
{
  g_return_if_fail (BUSKER_IS_CHANNEL_STRIP (self));
  if (self->missing == missing)
    return;
  self->missing = missing;
  update_source (self);
}

void
busker_channel_strip_set_problem (BuskerChannelStrip *self, const char *problem)
{
  g_return_if_fail (BUSKER_IS_CHANNEL_STRIP (self));
  if (g_strcmp0 (self->problem, problem) == 0)
    return;
  g_free (self->problem);
  self->problem = g_strdup (problem);
  update_source (self);
}

void
busker_channel_strip_set_size_groups (BuskerChannelStrip *self, GtkSizeGroup *rack,
                                      GtkSizeGroup *sends)
{
  g_return_if_fail (BUSKER_IS_CHANNEL_STRIP (self));
  gtk_size_group_add_widget (rack, self->rack_box);
  gtk_size_group_add_widget (sends, self->sends_area);
}

static void
build (BuskerChannelStrip *self)
{
  BuskerStripKind kind = busker_strip_get_kind (self->strip);
  GObject *strip = G_OBJECT (self->strip);

  self->trim = busker_fader_new (BUSKER_FADER_TRIM, GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_hexpand (self->trim, TRUE);
  gtk_box_append (GTK_BOX (self->trim_row), self->trim);
  busker_fader_bind (BUSKER_FADER (self->trim), strip, "trim-db", self->project);
  g_object_bind_property (strip, "polarity-invert", self->polarity_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  self->rack = busker_insert_rack_new (self->project, self->strip);
  g_signal_connect_object (self->rack, "message", G_CALLBACK (forward_message_cb), self, 0);
  gtk_box_append (GTK_BOX (self->rack_box), self->rack);

  self->pan = busker_fader_new (BUSKER_FADER_PAN, GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_hexpand (self->pan, TRUE);
  gtk_box_append (GTK_BOX (self->pan_row), self->pan);
  busker_fader_bind (BUSKER_FADER (self->pan), strip, "pan", self->project);

  self->fader = busker_fader_new (BUSKER_FADER_GAIN, GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_vexpand (self->fader, TRUE);
  gtk_box_append (GTK_BOX (self->fader_row), self->fader);
  busker_fader_bind (BUSKER_FADER (self->fader), strip, "gain-db", self->project);
  self->meter = busker_level_meter_new ();
  gtk_box_append (GTK_BOX (self->fader_row), self->meter);
  busker_level_meter_set_host (BUSKER_LEVEL_METER (self->meter), GTK_WIDGET (self));

  g_object_bind_property (strip, "mute", self->mute_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (strip, "solo", self->solo_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  if (kind == BUSKER_STRIP_MASTER)
    {
      /* The master feeds playback; it is solo-safe and sends nowhere. */
      gtk_widget_set_visible (GTK_WIDGET (self->output_button), FALSE);
      gtk_widget_set_visible (self->master_output_label, TRUE);
      gtk_widget_set_visible (self->solo_button, FALSE);
      gtk_widget_set_visible (self->add_send_button, FALSE);
    }
  else
    setup_output (self);
  gtk_widget_add_css_class (GTK_WIDGET (self), busker_strip_kind_to_string (kind));

  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (self->add_send_button),
                                         create_send_popup_cb, self, NULL);
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (self->add_insert_button),
                                         create_insert_popup_cb, NULL, NULL);
  rebuild_sends (self);
  g_signal_connect_object (busker_strip_get_sends (self->strip), "items-changed",
                           G_CALLBACK (rebuild_sends), self, G_CONNECT_SWAPPED);

  update_names (self);
  update_source (self);
  update_color (self);
  update_gain_entry (self);
  g_signal_connect_object (strip, "notify::name", G_CALLBACK (update_names), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (strip, "notify::source", G_CALLBACK (update_source), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (strip, "notify::color", G_CALLBACK (update_color), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (strip, "notify::gain-db", G_CALLBACK (update_gain_entry), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
busker_channel_strip_new (BuskerProject *project, BuskerStrip *strip)
{
  BuskerChannelStrip *self;

  g_return_val_if_fail (BUSKER_IS_PROJECT (project), NULL);
  g_return_val_if_fail (BUSKER_IS_STRIP (strip), NULL);

  self = g_object_new (BUSKER_TYPE_CHANNEL_STRIP, NULL);
  self->project = g_object_ref (project);
  self->strip = g_object_ref (strip);
  build (self);
  return GTK_WIDGET (self);
}

static void
busker_channel_strip_dispose (GObject *object)
{
  BuskerChannelStrip *self = BUSKER_CHANNEL_STRIP (object);

  forget_output_target (self);
  g_clear_pointer (&self->output_popover, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), BUSKER_TYPE_CHANNEL_STRIP);
  g_clear_object (&self->strip);
  g_clear_object (&self->project);
  g_clear_pointer (&self->color_class, g_free);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->controls_node, gsk_render_node_unref);
  g_clear_pointer (&self->flat_node, gsk_render_node_unref);
  G_OBJECT_CLASS (busker_channel_strip_parent_class)->dispose (object);
}

/* Do the two nodes draw the same? Cheap and conservative: the box's
 * node is GTK's cached node of the box while no control changed, maybe
 * under a transform node made anew each frame. */
static gboolean
same_node (GskRenderNode *a, GskRenderNode *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL || gsk_render_node_get_node_type (a) != gsk_render_node_get_node_type (b))
    return FALSE;
  if (gsk_render_node_get_node_type (a) == GSK_TRANSFORM_NODE)
    return gsk_transform_equal (gsk_transform_node_get_transform (a),
                                gsk_transform_node_get_transform (b))
           && same_node (gsk_transform_node_get_child (a), gsk_transform_node_get_child (b));
  return FALSE;
}

/* controls drawn into an image at the window's scale, as a cairo node
 * (under the cairo renderer a paint of that image, clipped to what is
 * damaged; under GL one texture). */
static GskRenderNode *
flatten (GskRenderNode *controls, int scale)
{
  graphene_rect_t bounds;
  cairo_surface_t *image;
  GskRenderNode *flat;
  cairo_t *cr;
  int x, y, width, height;

  gsk_render_node_get_bounds (controls, &bounds);
  x = (int) floorf (bounds.origin.x);
  y = (int) floorf (bounds.origin.y);
  width = (int) ceilf (bounds.origin.x + bounds.size.width) - x;
  height = (int) ceilf (bounds.origin.y + bounds.size.height) - y;
  if (width <= 0 || height <= 0)
    return NULL;

  image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale, height * scale);
  cairo_surface_set_device_scale (image, scale, scale);
  cr = cairo_create (image);
  cairo_translate (cr, -x, -y);
  gsk_render_node_draw (controls, cr);
  cairo_destroy (cr);

  flat = gsk_cairo_node_new (&GRAPHENE_RECT_INIT (x, y, width, height));
  cr = gsk_cairo_node_get_draw_context (flat);
  cairo_set_source_surface (cr, image, x, y);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_destroy (image);
  return flat;
}

static void
busker_channel_strip_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  BuskerChannelStrip *self = BUSKER_CHANNEL_STRIP (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  GtkSnapshot *controls_snapshot = gtk_snapshot_new ();
  GskRenderNode *controls;
  graphene_point_t at;

  gtk_widget_snapshot_child (widget, self->box, controls_snapshot);
  controls = gtk_snapshot_free_to_node (controls_snapshot);
  if (same_node (controls, self->controls_node) && scale == self->flat_scale)
    {
      /* Unchanged since the last frame: from now on the image (made
       * once, on the first frame where only the meter moved). */
      if (self->flat_node == NULL && controls != NULL)
        self->flat_node = flatten (controls, scale);
      g_clear_pointer (&controls, gsk_render_node_unref);
    }
  else
    {
      /* New or changing (a fader being dragged, a button's hover): drawn
       * as it is; flattening every frame would cost more than it saves. */
      g_clear_pointer (&self->flat_node, gsk_render_node_unref);
      g_clear_pointer (&self->controls_node, gsk_render_node_unref);
      self->controls_node = controls;
      self->flat_scale = scale;
    }
  if (self->flat_node != NULL)
    gtk_snapshot_append_node (snapshot, self->flat_node);
  else if (self->controls_node != NULL)
    gtk_snapshot_append_node (snapshot, self->controls_node);

  if (gtk_widget_get_mapped (self->meter)
      && gtk_widget_compute_point (self->meter, widget, &GRAPHENE_POINT_INIT (0, 0), &at))
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &at);
      busker_level_meter_snapshot_bars (BUSKER_LEVEL_METER (self->meter), snapshot);
      gtk_snapshot_restore (snapshot);
    }
}

/* Narrow strips of one width, whatever their controls would like: the
 * natural width is the minimum of the content, but at least
 * BUSKER_CHANNEL_STRIP_WIDTH (16 strips fit 1366 pixels). */
static void
busker_channel_strip_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                              int *minimum, int *natural, int *minimum_baseline,
                              int *natural_baseline)
{
  BuskerChannelStrip *self = BUSKER_CHANNEL_STRIP (widget);

  gtk_widget_measure (self->box, orientation, for_size, minimum, natural, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = MAX (*minimum, BUSKER_CHANNEL_STRIP_WIDTH);
}

static void
busker_channel_strip_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  BuskerChannelStrip *self = BUSKER_CHANNEL_STRIP (widget);

  gtk_widget_allocate (self->box, width, height, baseline, NULL);
  if (self->output_popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->output_popover));
}

static void
busker_channel_strip_class_init (BuskerChannelStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = busker_channel_strip_dispose;

  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[HEADER_CLICKED] = g_signal_new ("header-clicked", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/busker/Busker/busker-channel-strip.ui");
  gtk_widget_class_bind_template_child (widget_class, BuskerChannelStrip, box);
  gtk_widget_class_bind_template_child (widget_class, BuskerChannelStrip, header);
  gtk_widget_class_bind_template_child (widget_class, BuskerChannelStrip, color_bar);
  gtk_widget_class_bind_template_child (widget_class, BuskerChannelStrip, name_stack);
  gtk_widget_class_bind_template_child (widget_class, BuskerChannelStrip, name_label);
  gtk_widget_class_bind_template_child (widget_class, BuskerChannelStrip, name_entry);
  gtk_widget_class_bind_template_child (widget_class, BuskerChannelStrip, source_label);
  gtk_widget_class_bind_template_child (widget_class, BuskerChannelStrip, trim_row);
  gtk_widget_class_bind_template_child (widget_class, BuskerChannelStrip, polarity_button);
  gtk_widget_class_bind_template_child (widget_class, BuskerChannelStrip, rack_box);
  gtk_widget_class_bind_template_child (widget_class, BuskerChannelStrip, sends_area);
  gtk_widget_class_bind_template_child (widget_class, BuskerChannelStrip, sends_box);
  gtk_widget_class_bind_template_child (widget_class, BuskerChannelStrip, add_send_button);
  gtk_widget_class_bind_template_child (widget_class, BuskerChannelStrip, add_insert_button);
  gtk_widget_class_bind_template_child (widget_class, BuskerChannelStrip, pan_row);
  gtk_widget_class_bind_template_child (widget_class, BuskerChannelStrip, fader_row);
  gtk_widget_class_bind_template_child (widget_class, BuskerChannelStrip, gain_entry);
  gtk_widget_class_bind_template_child (widget_class, BuskerChannelStrip, mute_button);
  gtk_widget_class_bind_template_child (widget_class, BuskerChannelStrip, solo_button);
  gtk_widget_class_bind_template_child (widget_class, BuskerChannelStrip, output_button);
  gtk_widget_class_bind_template_child (widget_class, BuskerChannelStrip, master_output_label);
  gtk_widget_class_bind_template_callback (widget_class, on_name_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_gain_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_output_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_color_clicked_cb);

  gtk_widget_class_install_action (widget_class, "strip.add-send", "s", add_send_action);
  gtk_widget_class_install_action (widget_class, "strip.add-insert", "s", add_insert_action);
  gtk_widget_class_install_action (widget_class, "strip.set-output", "s", set_output_action);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F2, 0, rename_shortcut_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_m, 0, toggle_shortcut_cb, "i", (int) 'm');
  gtk_widget_class_add_binding (widget_class, GDK_KEY_s, 0, toggle_shortcut_cb, "i", (int) 's');

  widget_class->measure = busker_channel_strip_measure;
  widget_class->size_allocate = busker_channel_strip_size_allocate;
  widget_class->snapshot = busker_channel_strip_snapshot;
  gtk_widget_class_set_css_name (widget_class, "channelstrip");
}

static void
busker_channel_strip_init (BuskerChannelStrip *self)
{
  GtkGesture *click;
  GtkEventController *focus, *key;

  gtk_widget_init_template (GTK_WIDGET (self));

  click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (on_header_pressed_cb), self);
  g_signal_connect (click, "released", G_CALLBACK (on_header_released_cb), self);
  gtk_widget_add_controller (self->header, GTK_EVENT_CONTROLLER (click));

  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "leave", G_CALLBACK (on_name_focus_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->name_entry), focus);
  key = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_name_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->name_entry), key);
}
