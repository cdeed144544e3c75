/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The main window: header bar with the primary menu, a bar while live
 * audio is off, the mixer (an empty state until a project is shown), the
 * "Apps" side panel, the transport bar and a toast overlay.
 *
 * Decisions:
 * - One project per window. Open replaces the shown project when it has
 *   no unsaved changes, and opens a new window otherwise, so opening never
 *   needs a "save first?" question. A file that fails to load changes
 *   nothing: the loader's sentence goes to a toast.
 * - The title is the project's name (its file name without ".busker"
 *   when the project has none), "•" in front while there are unsaved
 *   changes; the subtitle is the folder. The window title (what window
 *   lists and AT-SPI show) is "• Name — Busker".
 * - Closing with unsaved changes asks Save / Discard / Cancel.
 * - Every window has one BuskerSession for its whole life; the shown
 *   project is handed to it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "busker-apps-panel.h"
#include "busker-loudness-readout.h"
#include "busker-transport-bar.h"
#include "busker-window-private.h"
#include "widgets/busker-mixer.h"

G_DEFINE_FINAL_TYPE (BuskerWindow, busker_window, ADW_TYPE_APPLICATION_WINDOW)

enum { PROP_0, PROP_MODIFIED, N_PROPS };
static GParamSpec *pspecs[N_PROPS];

void
busker_window_add_toast (BuskerWindow *self, AdwToast *toast)
{
  g_return_if_fail (BUSKER_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
busker_window_show_message (BuskerWindow *self, const char *sentence)
{
  /* A toast title is Pango markup (libadwaita 1.2); file names are not. */
  g_autofree char *escaped = g_markup_escape_text (sentence, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 0); /* a sentence about a problem stays until dismissed */
  /* Shown at once; an older toast still open goes back into the queue
   * (otherwise a sentence that stays would hide every later one). */
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

BuskerProject *
busker_window_get_project (BuskerWindow *self)
{
  g_return_val_if_fail (BUSKER_IS_WINDOW (self), NULL);
  return self->project;
}

BuskerSession *
busker_window_get_session (BuskerWindow *self)
{
  g_return_val_if_fail (BUSKER_IS_WINDOW (self), NULL);
  return self->session;
}

gboolean
busker_window_get_modified (BuskerWindow *self)
{
  g_return_val_if_fail (BUSKER_IS_WINDOW (self), FALSE);
  return self->project != NULL && (self->restored || busker_project_get_dirty (self->project));
}

static char *
project_display_name (BuskerProject *project)
{
  const char *name = busker_project_get_name (project);
  GFile *file = busker_project_get_file (project);

  if (name != NULL && *name != '\0')
    return g_strdup (name);
  if (file != NULL)
    {
      g_autofree char *base = g_file_get_basename (file);
      if (g_str_has_suffix (base, ".busker") && strlen (base) > strlen (".busker"))
        base[strlen (base) - strlen (".busker")] = '\0';
      return g_steal_pointer (&base);
    }
  return g_strdup (_("Untitled Project"));
}

void
busker_window_update_title (BuskerWindow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *window_title = NULL;
  g_autofree char *folder = NULL;
  GFile *file;

  if (self->project == NULL)
    {
      adw_window_title_set_title (self->window_title, _("Busker"));
      adw_window_title_set_subtitle (self->window_title, "");
      gtk_window_set_title (GTK_WINDOW (self), _("Busker"));
      return;
    }
  name = project_display_name (self->project);
  shown = busker_window_get_modified (self) ? g_strdup_printf ("• %s", name) : g_strdup (name);
  file = busker_project_get_file (self->project);
  if (file != NULL)
    {
      g_autoptr (GFile) parent = g_file_get_parent (file);
      g_autoptr (GFile) home = g_file_new_for_path (g_get_home_dir ());
      g_autofree char *relative = g_file_get_relative_path (home, parent);

      /* "~/Music/Live set", as GNOME's editors show a folder. */
      folder = relative ? g_build_filename ("~", relative, NULL) : g_file_get_parse_name (parent);
    }
  adw_window_title_set_title (self->window_title, shown);
  adw_window_title_set_subtitle (self->window_title, folder ? folder : "");
  /* Translators: the window title, "• Project name — Busker" */
  window_title = g_strdup_printf (_("%s — Busker"), shown);
  gtk_window_set_title (GTK_WINDOW (self), window_title);
}

static void
modified_changed (BuskerWindow *self)
{
  busker_window_update_title (self);
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[PROP_MODIFIED]);
}

void
busker_window_set_restored (BuskerWindow *self, gboolean restored)
{
  if (self->restored == restored)
    return;
  self->restored = restored;
  modified_changed (self);
}

static gboolean
recovery_modified (gpointer user_data)
{
  return busker_window_get_modified (BUSKER_WINDOW (user_data));
}

static void
recovery_failed (const char *sentence, gpointer user_data)
{
  busker_window_show_message (BUSKER_WINDOW (user_data), sentence);
}

static void
mixer_show (BuskerWindow *self)
{
  busker_mixer_set_session (BUSKER_MIXER (self->mixer), self->session);
  busker_mixer_set_project (BUSKER_MIXER (self->mixer), self->project);
}

static void
on_project_notify (BuskerWindow *self)
{
  modified_changed (self);
  busker_window_actions_update (self);
}

void
busker_window_set_project (BuskerWindow *self, BuskerProject *project, gboolean restored)
{
  g_return_if_fail (project == NULL || BUSKER_IS_PROJECT (project));

  if (self->project != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (self->project_handlers); i++)
      g_clear_signal_handler (&self->project_handlers[i], self->project);
  g_clear_pointer (&self->recovery, busker_recovery_free);
  g_set_object (&self->project, project);
  self->restored = restored;

  if (project != NULL)
    {
      /* dirty, name, file, can-undo, can-redo: all show in title or menu. */
      self->project_handlers[0] = g_signal_connect_swapped (project, "notify",
                                                            G_CALLBACK (on_project_notify), self);
      self->recovery = busker_recovery_new (project, recovery_modified, recovery_failed, self);
    }
  busker_session_set_project (self->session, project);
  mixer_show (self);
  gtk_stack_set_visible_child_name (self->mixer_stack, project ? "mixer" : "empty");
  gtk_widget_set_visible (GTK_WIDGET (self->transport_bar), project != NULL);
  modified_changed (self);
  busker_window_actions_update (self);
}

static void
restore_window_state (BuskerWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    return;

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (BuskerWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
close_now (gpointer user_data)
{
  BuskerWindow *self = user_data;

  self->closing = TRUE;
  gtk_window_close (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

/* Closes once the question dialog, transient for this window, is gone:
 * closing inside its response would finalize the window under it. */
static void
close_later (BuskerWindow *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_now, g_object_ref (self), g_object_unref);
}

static void
close_after_save (BuskerWindow *self, gboolean saved)
{
  if (saved)
    close_later (self);
}

static void
on_close_response (AdwMessageDialog *dialog, const char *response, BuskerWindow *self)
{
  if (g_str_equal (response, "discard"))
    {
      if (self->recovery != NULL)
        busker_recovery_discard (self->recovery);
      close_later (self);
    }
  else if (g_str_equal (response, "save"))
    busker_window_save (self, FALSE, close_after_save);
}

static void
ask_before_close (BuskerWindow *self)
{
  g_autofree char *name = project_display_name (self->project);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Changes?"), NULL);

  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” has unsaved changes. Changes which are not saved will be permanently lost."),
                                  name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_close_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
busker_window_close_request (GtkWindow *window)
{
  BuskerWindow *self = BUSKER_WINDOW (window);

  if (!self->closing && busker_window_get_modified (self))
    {
      ask_before_close (self);
      return TRUE;
    }
  save_window_state (self);
  /* Closed without unsaved edits: nothing to recover. */
  if (self->recovery != NULL && !busker_window_get_modified (self))
    busker_recovery_discard (self->recovery);
  return GTK_WINDOW_CLASS (busker_window_parent_class)->close_request (window);
}

/* Space plays and pauses, as in every audio editor, unless the focused
 * widget wants Space itself: text, switches, menus, and buttons in the
 * mixer. The header bar's buttons are the exception: GtkWindow focuses the
 * first of them when the window opens, so there Space is the transport
 * (Enter still activates them). A window key binding would not do:
 * GtkWindow binds Space to activate-focus first. */
static gboolean
on_space (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (widget));

  if (focus != NULL
      && (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT (focus)
          || gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER) != NULL
          || gtk_widget_get_ancestor (focus, GTK_TYPE_EDITABLE) != NULL
          || ((GTK_IS_BUTTON (focus) || GTK_IS_CHECK_BUTTON (focus) || GTK_IS_SWITCH (focus))
              && gtk_widget_get_ancestor (focus, ADW_TYPE_HEADER_BAR) == NULL)))
    return FALSE;
  return gtk_widget_activate_action (widget, "win.play-pause", NULL);
}

static void
add_space_shortcut (BuskerWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_space, 0),
                                                          gtk_callback_action_new (on_space, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
on_mixer_message (BuskerWindow *self, const char *sentence)
{
  busker_window_show_message (self, sentence);
}

static void
busker_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BuskerWindow *self = BUSKER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_MODIFIED:
      g_value_set_boolean (value, busker_window_get_modified (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
busker_window_dispose (GObject *object)
{
  BuskerWindow *self = BUSKER_WINDOW (object);

  if (self->project != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (self->project_handlers); i++)
      g_clear_signal_handler (&self->project_handlers[i], self->project);
  g_clear_pointer (&self->recovery, busker_recovery_free);
  if (self->session != NULL)
    busker_session_set_project (self->session, NULL);
  g_clear_object (&self->project);
  g_clear_object (&self->settings);
  g_clear_object (&self->recent_menu);
  g_clear_object (&self->mixer_group);
  gtk_widget_dispose_template (GTK_WIDGET (self), BUSKER_TYPE_WINDOW);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (busker_window_parent_class)->dispose (object);
}

static void
busker_window_class_init (BuskerWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->get_property = busker_window_get_property;
  object_class->dispose = busker_window_dispose;
  window_class->close_request = busker_window_close_request;

  pspecs[PROP_MODIFIED] = g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS
                                                | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, pspecs);

  g_type_ensure (BUSKER_TYPE_TRANSPORT_BAR);
  g_type_ensure (BUSKER_TYPE_APPS_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/busker/Busker/busker-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BuskerWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BuskerWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, BuskerWindow, mixer_stack);
  gtk_widget_class_bind_template_child (widget_class, BuskerWindow, live_off_revealer);
  gtk_widget_class_bind_template_child (widget_class, BuskerWindow, live_off_label);
  gtk_widget_class_bind_template_child (widget_class, BuskerWindow, apps_revealer);
  gtk_widget_class_bind_template_child (widget_class, BuskerWindow, apps_box);
  gtk_widget_class_bind_template_child (widget_class, BuskerWindow, transport_bar);
  gtk_widget_class_bind_template_child (widget_class, BuskerWindow, transport_box);
  gtk_widget_class_bind_template_child (widget_class, BuskerWindow, file_section);
}

/* The bar's reason: no PipeWire, or another Busker live on it. */
static void
update_live_off_label (BuskerWindow *self)
{
  const char *blocker = busker_session_get_live_blocker (self->session);
  g_autofree char *text = NULL;
  if (blocker != NULL)
    /* Translators: the reason is a sentence, "another Busker … sinks". */
    text = g_strdup_printf (_("Live audio is off: %s. Editing, saving and export still work."),
                            blocker);
  gtk_label_set_label (self->live_off_label,
                       text != NULL ? text
                                    : _("Live audio is off: PipeWire is not running. Editing, "
                                        "saving and export still work."));
}

static void
busker_window_init (BuskerWindow *self)
{
  GtkWidget *transport, *apps, *mixer_scroller;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->session = busker_session_new ();
  g_object_bind_property (self->session, "live", self->live_off_revealer, "reveal-child",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_signal_connect_swapped (self->session, "notify::live-blocker",
                            G_CALLBACK (update_live_off_label), self);
  update_live_off_label (self);

  self->mixer = busker_mixer_new ();
  g_signal_connect_swapped (self->mixer, "message", G_CALLBACK (on_mixer_message), self);
  /* The mixer scrolls sideways itself; taller than the window (a small
   * screen), it scrolls down here, so the transport bar stays on screen. */
  mixer_scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (mixer_scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (mixer_scroller), self->mixer);
  gtk_stack_add_named (self->mixer_stack, mixer_scroller, "mixer");

  transport = busker_transport_bar_new (self->session);
  gtk_box_append (self->transport_box, transport);
  gtk_action_bar_pack_end (self->transport_bar, busker_loudness_readout_new (self->session));
  apps = busker_apps_panel_new (self->session);
  g_signal_connect_swapped (apps, "message", G_CALLBACK (on_mixer_message), self);
  gtk_box_append (self->apps_box, apps);
  busker_window_advice_init (self);

  busker_window_actions_init (self);
  busker_window_files_init (self);
  add_space_shortcut (self);
  restore_window_state (self);
  g_menu_insert_submenu (self->file_section, 2, _("Open _Recent"), G_MENU_MODEL (self->recent_menu));
  busker_window_files_watch_recent (self);
  busker_window_set_project (self, NULL, FALSE);
}

BuskerWindow *
busker_window_new (GtkApplication *application)
{
  return g_object_new (BUSKER_TYPE_WINDOW, "application", application, NULL);
}
