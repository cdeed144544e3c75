/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Rows are rebuilt from the strip's insert list whenever it or an
 * insert's pre/post flag changes: a rack holds a handful of inserts, so
 * rebuilding is cheaper to get right than patching. A drag carries the
 * BuskerInsert itself; a drop is accepted only from the same strip.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dsp/params.h"
#include "busker-a11y.h"
#include "busker-insert-editor.h"
#include "busker-insert-rack.h"

struct _BuskerInsertRack
{
  GtkWidget parent_instance;

  BuskerProject *project;
  BuskerStrip *strip;
  GPtrArray *watched; /* BuskerInsert whose notify::post-fader we follow */
  guint rebuild_idle; /* rows are rebuilt after the handler that changed them */

  /* template */
  GtkWidget *box;
  GtkWidget *pre_box;
  GtkWidget *fader_line;
  GtkWidget *post_box;
};

G_DEFINE_FINAL_TYPE (BuskerInsertRack, busker_insert_rack, GTK_TYPE_WIDGET)

enum { MESSAGE, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The name in menus and accessible names, and the abbreviation a narrow
 * strip's rack shows (the tooltip says the name). */
static const struct {
  const char *type;
  const char *label;
  const char *abbrev;
} effect_labels[] = {
  /* TRANSLATORS: the abbreviations are shown on 70-pixel-wide insert
   * buttons: keep them to about four letters */
  { "eq", N_("EQ"), N_("EQ") },
  { "compressor", N_("Compressor"), N_("Comp") },
  { "multiband_compressor", N_("Multiband"), N_("MB") },
  { "limiter", N_("Limiter"), N_("Lim") },
  { "saturation", N_("Saturation"), N_("Sat") },
  { "delay", N_("Delay"), N_("Dly") },
  { "reverb", N_("Reverb"), N_("Rev") },
  { "stereo_width", N_("Width"), N_("Wid") },
  { "transient_shaper", N_("Transient"), N_("Trn") },
  { "gain", N_("Gain"), N_("Gain") },
};

const char *
busker_insert_rack_effect_label (const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (effect_labels); i++)
    if (g_str_equal (effect_labels[i].type, type))
      return _(effect_labels[i].label);
  return type;
}

static const char *
effect_abbrev (const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (effect_labels); i++)
    if (g_str_equal (effect_labels[i].type, type))
      return _(effect_labels[i].abbrev);
  return type;
}

/* "EQ", or "EQ 2" for the second EQ of the strip; abbreviated ("Comp 2")
 * when abbrev. */
static char *
insert_title (BuskerInsertRack *self, guint position, gboolean abbrev)
{
  GListModel *inserts = busker_strip_get_inserts (self->strip);
  g_autoptr (BuskerInsert) insert = g_list_model_get_item (inserts, position);
  const char *type = busker_insert_get_effect_type (insert);
  guint same_before = 0, same = 0;

  for (guint i = 0; i < g_list_model_get_n_items (inserts); i++)
    {
      g_autoptr (BuskerInsert) other = g_list_model_get_item (inserts, i);
      if (g_str_equal (busker_insert_get_effect_type (other), type))
        {
          same++;
          if (i < position)
            same_before++;
        }
    }
  const char *name = abbrev ? effect_abbrev (type) : busker_insert_rack_effect_label (type);

  if (same < 2)
    return g_strdup (name);
  return g_strdup_printf ("%s %u", name, same_before + 1);
}

static int
insert_position (BuskerInsertRack *self, BuskerInsert *insert)
{
  GListModel *inserts = busker_strip_get_inserts (self->strip);

  for (guint i = 0; i < g_list_model_get_n_items (inserts); i++)
    {
      g_autoptr (BuskerInsert) item = g_list_model_get_item (inserts, i);
      if (item == insert)
        return (int) i;
    }
  return -1;
}

/* ---- drag and drop --------------------------------------------------------- */

static GdkContentProvider *
on_drag_prepare_cb (GtkDragSource *source, double x, double y, BuskerInsert *insert)
{
  return gdk_content_provider_new_typed (BUSKER_TYPE_INSERT, insert);
}

static void
on_drag_begin_cb (GtkDragSource *source, GdkDrag *drag, GtkWidget *row)
{
  g_autoptr (GdkPaintable) icon = gtk_widget_paintable_new (row);
  gtk_drag_source_set_icon (source, icon, 0, 0);
}

/* Moves insert to final position `to` with the post-fader flag, as one
 * undo step. */
static void
place_insert (BuskerInsertRack *self, BuskerInsert *insert, guint to, gboolean post_fader)
{
  int from = insert_position (self, insert);

  if (from < 0)
    return;
  busker_project_begin_gesture (self->project);
  busker_insert_set_post_fader (insert, post_fader);
  if ((guint) from != to)
    busker_strip_move_insert (self->strip, (guint) from, to);
  busker_project_end_gesture (self->project);
}

static GdkDragAction
on_drop_enter_cb (GtkDropTarget *target, double x, double y, BuskerInsertRack *self)
{
  const GValue *value = gtk_drop_target_get_value (target);

  /* Only this strip's own inserts move here. */
  if (value != NULL && G_VALUE_HOLDS (value, BUSKER_TYPE_INSERT)
      && insert_position (self, g_value_get_object (value)) < 0)
    return 0;
  return GDK_ACTION_MOVE;
}

static gboolean
on_row_drop_cb (GtkDropTarget *target, const GValue *value, double x, double y,
                BuskerInsert *onto)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  BuskerInsertRack *self = BUSKER_INSERT_RACK (gtk_widget_get_ancestor (row, BUSKER_TYPE_INSERT_RACK));
  BuskerInsert *insert = g_value_get_object (value);
  int to = insert_position (self, onto);

  if (insert_position (self, insert) < 0 || to < 0 || insert == onto)
    return FALSE;
  place_insert (self, insert, (guint) to, busker_insert_get_post_fader (onto));
  return TRUE;
}

/* Dropped on the line or an empty part of a section: the last place of
 * the section the drop is in. */
static gboolean
on_section_drop_cb (GtkDropTarget *target, const GValue *value, double x, double y,
                    BuskerInsertRack *self)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  BuskerInsert *insert = g_value_get_object (value);
  GListModel *inserts = busker_strip_get_inserts (self->strip);
  guint n = g_list_model_get_n_items (inserts);
  int from = insert_position (self, insert);
  gboolean post;
  guint to;

  if (from < 0)
    return FALSE;
  if (widget == self->fader_line)
    post = !busker_insert_get_post_fader (insert);
  else
    post = widget == self->post_box;
  /* Pre-fader: after the last pre-fader insert; post-fader: the end. */
  to = post ? n - 1 : 0;
  if (!post)
    for (guint i = 0; i < n; i++)
      {
        g_autoptr (BuskerInsert) item = g_list_model_get_item (inserts, i);
        if (!busker_insert_get_post_fader (item) && item != insert)
          to = i >= (guint) from ? i : i + 1;
      }
  place_insert (self, insert, MIN (to, n - 1), post);
  return TRUE;
}

static GtkDropTarget *
new_insert_drop_target (void)
{
  return gtk_drop_target_new (BUSKER_TYPE_INSERT, GDK_ACTION_MOVE);
}

/* ---- rows ------------------------------------------------------------------ */

static void
on_open_editor_cb (GtkButton *button, BuskerInsert *insert)
{
  BuskerInsertRack *self =
    BUSKER_INSERT_RACK (gtk_widget_get_ancestor (GTK_WIDGET (button), BUSKER_TYPE_INSERT_RACK));
  const char *title = g_object_get_data (G_OBJECT (button), "busker-insert-title");
  g_autofree char *full = g_strdup_printf ("%s %s", busker_strip_get_name (self->strip), title);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *editor = busker_insert_editor_new (self->project, insert, full);

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (editor));
}

static void
on_remove_cb (GtkButton *button, BuskerInsert *insert)
{
  BuskerInsertRack *self =
    BUSKER_INSERT_RACK (gtk_widget_get_ancestor (GTK_WIDGET (button), BUSKER_TYPE_INSERT_RACK));
  int position = insert_position (self, insert);

  if (position >= 0)
    busker_strip_remove_insert (self->strip, (guint) position);
}

static GtkWidget *
new_row (BuskerInsertRack *self, BuskerInsert *insert, guint position)
{
  const char *name = busker_strip_get_name (self->strip);
  g_autofree char *title = insert_title (self, position, FALSE);
  g_autofree char *shown = insert_title (self, position, TRUE);
  g_autofree char *tooltip = NULL;
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *open = gtk_button_new_with_label (shown);
  GtkWidget *bypass = gtk_toggle_button_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("window-close-symbolic");
  GtkDragSource *source = gtk_drag_source_new ();
  GtkDropTarget *target = new_insert_drop_target ();

  gtk_widget_add_css_class (row, "insert-row");
  gtk_widget_add_css_class (row, "linked");
  gtk_widget_set_hexpand (open, TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (open))), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (open, "small");
  /* TRANSLATORS: tooltip of an insert: its name, then what to do */
  tooltip = g_strdup_printf (_("%s: click to edit, drag to reorder"), title);
  gtk_widget_set_tooltip_text (open, tooltip);
  g_object_set_data_full (G_OBJECT (open), "busker-insert-title", g_strdup (title), g_free);
  /* TRANSLATORS: accessible name of an insert: strip name, effect name */
  busker_a11y_set_label (open, FALSE, _("%s %s"), name, title);
  g_signal_connect_object (open, "clicked", G_CALLBACK (on_open_editor_cb), insert, 0);

  gtk_button_set_icon_name (GTK_BUTTON (bypass), "system-shutdown-symbolic");
  gtk_widget_add_css_class (bypass, "small");
  gtk_widget_add_css_class (bypass, "bypass");
  gtk_widget_set_tooltip_text (bypass, _("Bypass"));
  busker_a11y_set_label (bypass, FALSE, _("%s %s bypass"), name, title);
  g_object_bind_property (insert, "bypass", bypass, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  gtk_widget_add_css_class (remove, "small");
  gtk_widget_set_tooltip_text (remove, _("Remove"));
  busker_a11y_set_label (remove, FALSE, _("%s %s remove"), name, title);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_cb), insert, 0);

  gtk_box_append (GTK_BOX (row), open);
  gtk_box_append (GTK_BOX (row), bypass);
  gtk_box_append (GTK_BOX (row), remove);

  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect_object (source, "prepare", G_CALLBACK (on_drag_prepare_cb), insert, 0);
  g_signal_connect (source, "drag-begin", G_CALLBACK (on_drag_begin_cb), row);
  gtk_widget_add_controller (open, GTK_EVENT_CONTROLLER (source));

  g_signal_connect (target, "enter", G_CALLBACK (on_drop_enter_cb), self);
  g_signal_connect (target, "motion", G_CALLBACK (on_drop_enter_cb), self);
  g_signal_connect_object (target, "drop", G_CALLBACK (on_row_drop_cb), insert, 0);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (target));
  return row;
}

static void clear_watched (BuskerInsertRack *self);
static void queue_rebuild (BuskerInsertRack *self);

static void
rebuild (BuskerInsertRack *self)
{
  GListModel *inserts = busker_strip_get_inserts (self->strip);
  GtkWidget *child;

  clear_watched (self);
  while ((child = gtk_widget_get_first_child (self->pre_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->pre_box), child);
  while ((child = gtk_widget_get_first_child (self->post_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->post_box), child);

  /* The line between pre- and post-fader inserts only where there is
   * something to drag across it. */
  gtk_widget_set_visible (self->fader_line, g_list_model_get_n_items (inserts) > 0);
  for (guint i = 0; i < g_list_model_get_n_items (inserts); i++)
    {
      g_autoptr (BuskerInsert) insert = g_list_model_get_item (inserts, i);
      GtkWidget *box = busker_insert_get_post_fader (insert) ? self->post_box : self->pre_box;
      gtk_box_append (GTK_BOX (box), new_row (self, insert, i));
      g_signal_connect_object (insert, "notify::post-fader", G_CALLBACK (queue_rebuild), self,
                               G_CONNECT_SWAPPED);
      g_ptr_array_add (self->watched, g_object_ref (insert));
    }
}

static void
clear_watched (BuskerInsertRack *self)
{
  for (guint i = 0; i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->watched, i), self);
  g_ptr_array_set_size (self->watched, 0);
}

static gboolean
rebuild_idle_cb (gpointer data)
{
  BuskerInsertRack *self = data;

  self->rebuild_idle = 0;
  rebuild (self);
  return G_SOURCE_REMOVE;
}

/* A drop handler runs on a row that the rebuild would destroy under it. */
static void
queue_rebuild (BuskerInsertRack *self)
{
  if (self->rebuild_idle == 0)
    /* Before the next layout and draw (GDK_PRIORITY_REDRAW). */
    self->rebuild_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, rebuild_idle_cb, self, NULL);
}

/* ---- adding ---------------------------------------------------------------- */

void
busker_insert_rack_add (BuskerInsertRack *self, const char *type)
{
  g_autoptr (BuskerInsert) insert = busker_insert_new (type);
  GListModel *inserts = busker_strip_get_inserts (self->strip);
  guint n = g_list_model_get_n_items (inserts), at = 0;

  if (insert == NULL)
    return;
  if (n >= BUSKER_PROJECT_MAX_INSERTS)
    {
      g_autofree char *sentence =
        g_strdup_printf (_("%s already has %d inserts, the most a strip can hold."),
                         busker_strip_get_name (self->strip), BUSKER_PROJECT_MAX_INSERTS);
      g_signal_emit (self, signals[MESSAGE], 0, sentence);
      return;
    }
  /* New inserts go last among the pre-fader ones, where a user expects
   * them: above the fader line. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BuskerInsert) item = g_list_model_get_item (inserts, i);
      if (!busker_insert_get_post_fader (item))
        at = i + 1;
    }
  busker_strip_insert_insert (self->strip, at, insert);
}

GMenuModel *
busker_insert_rack_make_add_menu (const char *action)
{
  GMenu *menu = g_menu_new ();

  for (const char *const *type = busker_effect_type_names; *type != NULL; type++)
    {
      g_autoptr (GMenuItem) item = g_menu_item_new (busker_insert_rack_effect_label (*type), NULL);
      g_menu_item_set_action_and_target (item, action, "s", *type);
      g_menu_append_item (menu, item);
    }
  return G_MENU_MODEL (menu);
}

static void
update_names (BuskerInsertRack *self)
{
  rebuild (self);
}

GtkWidget *
busker_insert_rack_new (BuskerProject *project, BuskerStrip *strip)
{
  BuskerInsertRack *self;

  g_return_val_if_fail (BUSKER_IS_PROJECT (project), NULL);
  g_return_val_if_fail (BUSKER_IS_STRIP (strip), NULL);

  self = g_object_new (BUSKER_TYPE_INSERT_RACK, NULL);
  self->project = g_object_ref (project);
  self->strip = g_object_ref (strip);
  update_names (self);
  g_signal_connect_object (busker_strip_get_inserts (strip), "items-changed",
                           G_CALLBACK (queue_rebuild), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (strip, "notify::name", G_CALLBACK (update_names), self,
                           G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}

static void
busker_insert_rack_dispose (GObject *object)
{
  BuskerInsertRack *self = BUSKER_INSERT_RACK (object);

  g_clear_handle_id (&self->rebuild_idle, g_source_remove);
  if (self->watched != NULL)
    clear_watched (self);
  g_clear_pointer (&self->watched, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), BUSKER_TYPE_INSERT_RACK);
  g_clear_object (&self->strip);
  g_clear_object (&self->project);
  G_OBJECT_CLASS (busker_insert_rack_parent_class)->dispose (object);
}

static void
busker_insert_rack_class_init (BuskerInsertRackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = busker_insert_rack_dispose;
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/busker/Busker/busker-insert-rack.ui");
  gtk_widget_class_bind_template_child (widget_class, BuskerInsertRack, box);
  gtk_widget_class_bind_template_child (widget_class, BuskerInsertRack, pre_box);
  gtk_widget_class_bind_template_child (widget_class, BuskerInsertRack, fader_line);
  gtk_widget_class_bind_template_child (widget_class, BuskerInsertRack, post_box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "insertrack");
}

static void
busker_insert_rack_init (BuskerInsertRack *self)
{
  GtkWidget *sections[3];

  gtk_widget_init_template (GTK_WIDGET (self));
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);

  sections[0] = self->pre_box;
  sections[1] = self->fader_line;
  sections[2] = self->post_box;
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      GtkDropTarget *target = new_insert_drop_target ();
      g_signal_connect (target, "enter", G_CALLBACK (on_drop_enter_cb), self);
      g_signal_connect (target, "motion", G_CALLBACK (on_drop_enter_cb), self);
      g_signal_connect (target, "drop", G_CALLBACK (on_section_drop_cb), self);
      gtk_widget_add_controller (sections[i], GTK_EVENT_CONTROLLER (target));
    }
}
