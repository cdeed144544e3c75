/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The "Apps" side panel. A GtkListView over busker_session_get_streams
 * (a list, not a box: streams come and go, there are few, and rows hold
 * no state worth keeping). Each row is a GtkDragSource whose content is
 * the BuskerAppStream itself (GType BUSKER_TYPE_APP_STREAM): in-app drag
 * and drop hands the object over, so a live track's drop target reads it
 * with gdk_content_provider_get_value. The "Default output" row is the
 * drop target that sends a stream back to the default device.
 *
 * The same routing without a pointer: each row ends in an output button
 * (named "<app> output", like a strip's) whose menu lists "Default
 * output" and the project's live tracks, built when it opens; its radio
 * mark is where the stream plays now. The menu's items activate the row's
 * own "row.route" action (the track id, "" for the default device), so
 * keyboard and screen-reader users route apps too.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "busker-apps-panel.h"
#include "model/busker-project.h"

struct _BuskerAppsPanel
{
  GtkWidget parent_instance;

  BuskerSession *session;
  GtkWidget *box;
  GtkStack *stack;
};

G_DEFINE_FINAL_TYPE (BuskerAppsPanel, busker_apps_panel, GTK_TYPE_WIDGET)

enum { SIGNAL_MESSAGE, N_SIGNALS };
static guint signals[N_SIGNALS];

static GdkContentProvider *
on_drag_prepare (GtkDragSource *source, double x, double y, GtkListItem *item)
{
  BuskerAppStream *stream = gtk_list_item_get_item (item);

  if (stream == NULL)
    return NULL;
  return gdk_content_provider_new_typed (BUSKER_TYPE_APP_STREAM, stream);
}

static void
on_drag_begin (GtkDragSource *source, GdkDrag *drag, GtkWidget *row)
{
  g_autoptr (GdkPaintable) icon = gtk_widget_paintable_new (row);

  gtk_drag_source_set_icon (source, icon, 0, 0);
}

static BuskerAppsPanel *
panel_of (GtkWidget *widget)
{
  return BUSKER_APPS_PANEL (gtk_widget_get_ancestor (widget, BUSKER_TYPE_APPS_PANEL));
}

/* row.route(track id): the stream of the row onto that live track, or
 * with "" back to the default device. */
static void
on_route (GSimpleAction *action, GVariant *target, GtkListItem *item)
{
  BuskerAppStream *stream = gtk_list_item_get_item (item);
  BuskerAppsPanel *self = panel_of (gtk_list_item_get_child (item));
  const char *track_id = g_variant_get_string (target, NULL);
  BuskerStrip *track = NULL;
  g_autoptr (GError) error = NULL;

  if (stream == NULL || self == NULL)
    return;
  if (*track_id != '\0')
    {
      track = busker_project_find_strip (busker_session_get_project (self->session), track_id);
      if (track == NULL)
        return; /* removed while the menu was open */
    }
  g_simple_action_set_state (action, target);
  if (!busker_session_route_stream (self->session, stream, track, &error))
    g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, error->message);
}

static gboolean
is_live_track (BuskerStrip *strip)
{
  BuskerSource *source = busker_strip_get_source (strip);

  return source != NULL && busker_source_get_kind (source) == BUSKER_SOURCE_LIVE;
}

/* The output menu of a row, made as it opens: the tracks may have changed. */
static void
build_route_menu (GtkMenuButton *button, gpointer user_data)
{
  GtkListItem *item = user_data;
  BuskerAppStream *stream = gtk_list_item_get_item (item);
  BuskerAppsPanel *self = panel_of (GTK_WIDGET (button));
  g_autoptr (GMenu) menu = g_menu_new ();
  g_autoptr (GMenu) tracks = g_menu_new ();
  GActionGroup *group;
  GAction *route;
  GListModel *strips;
  const char *now;

  if (stream == NULL || self == NULL)
    return;
  strips = G_LIST_MODEL (busker_session_get_project (self->session));
  g_menu_append (menu, _("Default output"), "row.route::");
  for (guint i = 0; i < g_list_model_get_n_items (strips); i++)
    {
      g_autoptr (BuskerStrip) strip = g_list_model_get_item (strips, i);
      g_autoptr (GMenuItem) entry = NULL;

      if (!is_live_track (strip))
        continue;
      entry = g_menu_item_new (busker_strip_get_name (strip), NULL);
      g_menu_item_set_action_and_target (entry, "row.route", "s", busker_strip_get_id (strip));
      g_menu_append_item (tracks, entry);
    }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (tracks));

  group = g_object_get_data (G_OBJECT (gtk_list_item_get_child (item)), "row-actions");
  route = g_action_map_lookup_action (G_ACTION_MAP (group), "route");
  now = busker_app_stream_get_track_id (stream);
  g_simple_action_set_state (G_SIMPLE_ACTION (route), g_variant_new_string (now ? now : ""));
  gtk_menu_button_set_menu_model (button, G_MENU_MODEL (menu));
}

static void
setup_row (GtkSignalListItemFactory *factory, GtkListItem *item)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *media = gtk_label_new (NULL);
  GtkWidget *track = gtk_label_new (NULL);
  GtkDragSource *source = gtk_drag_source_new ();
  GtkWidget *output = gtk_menu_button_new ();
  g_autoptr (GSimpleActionGroup) actions = g_simple_action_group_new ();
  g_autoptr (GSimpleAction) route = g_simple_action_new_stateful (
    "route", G_VARIANT_TYPE_STRING, g_variant_new_string (""));

  gtk_image_set_icon_size (GTK_IMAGE (icon), GTK_ICON_SIZE_LARGE);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_xalign (GTK_LABEL (media), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_ellipsize (GTK_LABEL (media), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (media, "dim-label");
  gtk_widget_add_css_class (media, "caption");
  gtk_label_set_xalign (GTK_LABEL (track), 0);
  gtk_label_set_ellipsize (GTK_LABEL (track), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (track, "accent");
  gtk_widget_add_css_class (track, "caption");
  gtk_box_append (GTK_BOX (texts), name);
  gtk_box_append (GTK_BOX (texts), media);
  gtk_box_append (GTK_BOX (texts), track);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (row), icon);
  gtk_box_append (GTK_BOX (row), texts);
  gtk_box_append (GTK_BOX (row), output);
  gtk_widget_set_margin_top (row, 6);
  gtk_widget_set_margin_bottom (row, 6);
  gtk_widget_set_margin_start (row, 6);
  gtk_widget_set_margin_end (row, 6);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (output), "view-more-symbolic");
  gtk_widget_set_valign (output, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (output, "flat");
  gtk_widget_set_tooltip_text (output, _("Choose where this app plays"));
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (output), build_route_menu, item, NULL);
  g_signal_connect (route, "activate", G_CALLBACK (on_route), item);
  g_action_map_add_action (G_ACTION_MAP (actions), G_ACTION (route));
  gtk_widget_insert_action_group (row, "row", G_ACTION_GROUP (actions));
  g_object_set_data (G_OBJECT (row), "row-actions", actions);

  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (on_drag_prepare), item);
  g_signal_connect (source, "drag-begin", G_CALLBACK (on_drag_begin), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (source));
  gtk_list_item_set_child (item, row);
}

/* "On Music": the live track the stream plays on now, by its name;
 * hidden while it plays on the default device (or elsewhere). */
static void
show_track (BuskerAppStream *stream, GParamSpec *pspec, GtkWidget *label)
{
  BuskerAppsPanel *self = BUSKER_APPS_PANEL (gtk_widget_get_ancestor (label, BUSKER_TYPE_APPS_PANEL));
  const char *track_id = busker_app_stream_get_track_id (stream);
  BuskerProject *project = self != NULL ? busker_session_get_project (self->session) : NULL;
  BuskerStrip *strip = project != NULL && track_id != NULL
                           ? busker_project_find_strip (project, track_id) : NULL;
  g_autofree char *text = NULL;

  if (strip != NULL)
    /* TRANSLATORS: under an app in the Apps panel: the track it plays on */
    text = g_strdup_printf (_("On %s"), busker_strip_get_name (strip));
  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
  gtk_widget_set_visible (label, text != NULL);
}

/* "Firefox output", as a strip's output button is "Kick output". */
static void
name_output_button (GtkWidget *button, BuskerAppStream *stream)
{
  /* TRANSLATORS: accessible name of an app's routing button in the Apps
   * panel, like a strip's "Kick output"; %s is the app's name */
  g_autofree char *label = g_strdup_printf (_("%s output"), busker_app_stream_get_app_name (stream));

  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
bind_row (GtkSignalListItemFactory *factory, GtkListItem *item)
{
  BuskerAppStream *stream = gtk_list_item_get_item (item);
  GtkWidget *row = gtk_list_item_get_child (item);
  GtkWidget *icon = gtk_widget_get_first_child (row);
  GtkWidget *texts = gtk_widget_get_next_sibling (icon);
  GtkWidget *name = gtk_widget_get_first_child (texts);
  GtkWidget *media = gtk_widget_get_next_sibling (name);
  const char *icon_name = busker_app_stream_get_icon_name (stream);
  const char *media_name = busker_app_stream_get_media_name (stream);

  gtk_image_set_from_icon_name (GTK_IMAGE (icon),
                                icon_name ? icon_name : "application-x-executable-symbolic");
  gtk_label_set_text (GTK_LABEL (name), busker_app_stream_get_app_name (stream));
  gtk_label_set_text (GTK_LABEL (media), media_name ? media_name : "");
  gtk_widget_set_visible (media, media_name != NULL && *media_name != '\0');
  show_track (stream, NULL, gtk_widget_get_next_sibling (media));
  g_signal_connect_object (stream, "notify::track-id", G_CALLBACK (show_track),
                           gtk_widget_get_next_sibling (media), 0);
  gtk_widget_set_tooltip_text (texts, _("Drag onto a live track to mix this app there"));
  name_output_button (gtk_widget_get_last_child (row), stream);
}

static void
unbind_row (GtkSignalListItemFactory *factory, GtkListItem *item)
{
  GtkWidget *texts = gtk_widget_get_next_sibling (gtk_widget_get_first_child (gtk_list_item_get_child (item)));
  GtkWidget *track = gtk_widget_get_last_child (texts);

  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), show_track, track);
}

static gboolean
on_default_drop (GtkDropTarget *target, const GValue *value, double x, double y,
                 BuskerAppsPanel *self)
{
  BuskerAppStream *stream = g_value_get_object (value);
  g_autoptr (GError) error = NULL;

  if (!BUSKER_IS_APP_STREAM (stream))
    return FALSE;
  if (!busker_session_route_stream (self->session, stream, NULL, &error))
    {
      g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, error->message);
      return FALSE;
    }
  return TRUE;
}

static void
update_empty (BuskerAppsPanel *self)
{
  GListModel *streams = busker_session_get_streams (self->session);
  const char *page = "list";

  if (!busker_session_get_live (self->session))
    page = "off";
  else if (g_list_model_get_n_items (streams) == 0)
    page = "empty";
  gtk_stack_set_visible_child_name (self->stack, page);
}

static GtkWidget *
dim_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  return label;
}

static void
build (BuskerAppsPanel *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkNoSelection *selection;
  GtkWidget *list, *scrolled, *title, *default_row, *default_label;
  GtkDropTarget *drop;

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  title = gtk_label_new (_("Apps"));
  gtk_widget_add_css_class (title, "heading");
  gtk_widget_set_margin_top (title, 12);
  gtk_box_append (GTK_BOX (self->box), title);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
  selection = gtk_no_selection_new (g_object_ref (busker_session_get_streams (self->session)));
  list = gtk_list_view_new (GTK_SELECTION_MODEL (selection), factory);
  gtk_widget_add_css_class (list, "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Apps playing audio"), -1);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_stack_add_named (self->stack, scrolled, "list");
  gtk_stack_add_named (self->stack, dim_label (_("No app is playing audio.")), "empty");
  gtk_stack_add_named (self->stack, dim_label (_("Live audio is off.")), "off");
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->stack));

  default_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_add_css_class (default_row, "default-output");
  gtk_box_append (GTK_BOX (default_row), gtk_image_new_from_icon_name ("audio-speakers-symbolic"));
  default_label = gtk_label_new (_("Default output"));
  gtk_box_append (GTK_BOX (default_row), default_label);
  gtk_widget_set_tooltip_text (default_row, _("Drop an app here to play it on the default output again"));
  drop = gtk_drop_target_new (BUSKER_TYPE_APP_STREAM, GDK_ACTION_MOVE);
  g_signal_connect (drop, "drop", G_CALLBACK (on_default_drop), self);
  gtk_widget_add_controller (default_row, GTK_EVENT_CONTROLLER (drop));
  gtk_box_append (GTK_BOX (self->box), default_row);
}

static void
busker_apps_panel_dispose (GObject *object)
{
  BuskerAppsPanel *self = BUSKER_APPS_PANEL (object);

  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_signal_handlers_disconnect_by_data (busker_session_get_streams (self->session), self);
    }
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (busker_apps_panel_parent_class)->dispose (object);
}

static void
busker_apps_panel_class_init (BuskerAppsPanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = busker_apps_panel_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "appspanel");
  signals[SIGNAL_MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
busker_apps_panel_init (BuskerAppsPanel *self)
{
  /* A GtkWidget with a layout manager does not take its children's
   * expand flags: without this the panel kept its natural height, one
   * row of streams, and hid the others behind a scrollbar. */
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
}

GtkWidget *
busker_apps_panel_new (BuskerSession *session)
{
  BuskerAppsPanel *self = g_object_new (BUSKER_TYPE_APPS_PANEL, NULL);

  self->session = g_object_ref (session);
  build (self);
  g_signal_connect_swapped (session, "notify::live", G_CALLBACK (update_empty), self);
  g_signal_connect_swapped (busker_session_get_streams (session), "items-changed",
                            G_CALLBACK (update_empty), self);
  update_empty (self);
  return GTK_WIDGET (self);
}
