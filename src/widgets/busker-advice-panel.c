/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The mix assistant's panel (busker-advice-panel.h).
 *
 * Decisions:
 * - The analysis works on a snapshot taken when "Analyze" is pressed, on a
 *   GTask thread, so the window stays responsive; edits made meanwhile
 *   are not in it. Changing the project cancels it (the render checks a
 *   flag once per block) and clears the list.
 * - Rows keep strip ids, not pointers: a strip removed since the analysis
 *   is reported by a message instead of being shown.
 * - A/B goes through the model (insert bypass and the bus trim, one undo
 *   step each way), so what is heard, saved and undone agree; the trim is
 *   the compensation because it sits before the inserts, and is put back
 *   exactly when the switch goes off.
 */
#include "config.h"

#include "busker-advice-panel.h"

#include <glib/gi18n.h>
#include <math.h>
#include <signal.h>

#include "assist/busker-assist.h"
#include "model/busker-project-trims.h"

typedef struct {
  BuskerMixDesc *desc;
  BuskerAssistMix *mix;
  GPtrArray *advice;
  volatile sig_atomic_t cancel;
} Analysis;

/* One bus's A/B switch. */
typedef struct {
  char *strip_id;
  double change_lu;      /* the chain's loudness change, inserts on vs bypassed */
  GPtrArray *bypassed;   /* BuskerInsert refs this switch bypassed */
  GtkToggleButton *toggle; /* unowned: lives in the list as long as the entry */
  double trim_before;
} AbEntry;

struct _BuskerAdvicePanel
{
  GtkWidget parent_instance;

  BuskerProject *project;
  Analysis *running;     /* owned by its task; NULL when idle */
  Analysis *shown;       /* the analysis the list shows, or NULL */
  GPtrArray *ab;         /* of AbEntry */

  /* template */
  GtkWidget *box;
  GtkSpinner *spinner;
  GtkWidget *analyze_button;
  GtkLabel *status_label;
  GtkListBox *advice_list;
  GtkWidget *ab_label;
  GtkListBox *ab_list;
  GtkWidget *trims_button;
};

G_DEFINE_FINAL_TYPE (BuskerAdvicePanel, busker_advice_panel, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_PROJECT, PROP_BUSY, N_PROPS };
static GParamSpec *props[N_PROPS];

enum { SHOW_STRIP, MESSAGE, ANALYZED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
analysis_free (Analysis *a)
{
  if (a == NULL)
    return;
  g_clear_pointer (&a->advice, g_ptr_array_unref);
  g_clear_pointer (&a->mix, busker_assist_mix_free);
  g_clear_pointer (&a->desc, busker_mix_desc_free);
  g_free (a);
}

static void
ab_entry_free (gpointer data)
{
  AbEntry *e = data;
  g_free (e->strip_id);
  g_ptr_array_unref (e->bypassed);
  g_free (e);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
clear_results (BuskerAdvicePanel *self)
{
  clear_list (self->advice_list);
  clear_list (self->ab_list);
  g_ptr_array_set_size (self->ab, 0);
  gtk_widget_set_visible (self->ab_label, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->ab_list), FALSE);
  gtk_widget_set_sensitive (self->trims_button, FALSE);
  g_clear_pointer (&self->shown, analysis_free);
}

static void
set_busy (BuskerAdvicePanel *self, Analysis *running)
{
  self->running = running;
  gtk_spinner_set_spinning (self->spinner, running != NULL);
  gtk_widget_set_sensitive (self->analyze_button, running == NULL && self->project != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BUSY]);
}

static GtkWidget *
advice_row (const BuskerAdvice *a, const BuskerAssistStrip *s)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name (a->warning ? "dialog-warning-symbolic"
                                                             : "dialog-information-symbolic");
  GtkWidget *label = gtk_label_new (a->message);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_margin_top (hbox, 6);
  gtk_widget_set_margin_bottom (hbox, 6);
  gtk_widget_set_margin_start (hbox, 6);
  gtk_widget_set_margin_end (hbox, 6);
  gtk_box_append (GTK_BOX (hbox), icon);
  gtk_box_append (GTK_BOX (hbox), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), hbox);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  a->message, -1);
  g_object_set_data_full (G_OBJECT (row), "strip-id", g_strdup (s->desc->id), g_free);
  g_object_set_data (G_OBJECT (row), "insert", GINT_TO_POINTER (a->insert));
  return row;
}

static void
on_ab_toggled_cb (GtkToggleButton *button, BuskerAdvicePanel *self)
{
  AbEntry *e = g_object_get_data (G_OBJECT (button), "entry");
  BuskerStrip *strip = self->project != NULL
                         ? busker_project_find_strip (self->project, e->strip_id) : NULL;
  gboolean on = gtk_toggle_button_get_active (button);

  if (strip == NULL)
    {
      g_autofree char *msg = g_strdup_printf (_("The strip “%s” is gone; analyze the mix again."),
                                              e->strip_id);
      g_signal_emit (self, signals[MESSAGE], 0, msg);
      return;
    }
  if (on == (e->bypassed->len > 0))
    return;

  busker_project_begin_gesture (self->project);
  if (on)
    {
      GListModel *inserts = busker_strip_get_inserts (strip);
      for (guint k = 0; k < g_list_model_get_n_items (inserts); k++)
        {
          g_autoptr (BuskerInsert) insert = g_list_model_get_item (inserts, k);
          if (busker_insert_get_bypass (insert))
            continue;
          busker_insert_set_bypass (insert, TRUE);
          g_ptr_array_add (e->bypassed, g_object_ref (insert));
        }
      e->trim_before = busker_strip_get_trim_db (strip);
      busker_strip_set_trim_db (strip, e->trim_before + e->change_lu);
    }
  else
    {
      for (guint k = 0; k < e->bypassed->len; k++)
        busker_insert_set_bypass (e->bypassed->pdata[k], FALSE);
      g_ptr_array_set_size (e->bypassed, 0);
      busker_strip_set_trim_db (strip, e->trim_before);
    }
  busker_project_end_gesture (self->project);
}

static GtkWidget *
ab_row (BuskerAdvicePanel *self, const BuskerAssistStrip *s)
{
  AbEntry *e = g_new0 (AbEntry, 1);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_autofree char *text = g_strdup_printf (_("%s: %+.1f LU with its inserts"),
                                           busker_assist_strip_name (s), s->chain_change_lu);
  g_autofree char *name = g_strdup_printf (_("%s bypassed at equal loudness"),
                                           busker_assist_strip_name (s));
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *toggle = gtk_toggle_button_new_with_label (_("Bypass"));

  e->strip_id = g_strdup (s->desc->id);
  e->change_lu = s->chain_change_lu;
  e->bypassed = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->ab, e);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_tooltip_text (toggle, _("Bypass this bus's inserts, its level compensated, so "
                                         "only the tone changes (one undo step)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  name, -1);
  g_object_set_data (G_OBJECT (toggle), "entry", e);
  e->toggle = GTK_TOGGLE_BUTTON (toggle);
  g_signal_connect (toggle, "toggled", G_CALLBACK (on_ab_toggled_cb), self);
  gtk_widget_set_margin_top (hbox, 3);
  gtk_widget_set_margin_bottom (hbox, 3);
  gtk_widget_set_margin_start (hbox, 6);
  gtk_widget_set_margin_end (hbox, 6);
  gtk_box_append (GTK_BOX (hbox), label);
  gtk_box_append (GTK_BOX (hbox), toggle);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), hbox);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static void
show_results (BuskerAdvicePanel *self, Analysis *a)
{
  guint warnings = 0;
  gboolean trims = FALSE;

  clear_results (self);
  self->shown = a;
  for (guint i = 0; i < a->advice->len; i++)
    {
      const BuskerAdvice *adv = a->advice->pdata[i];
      const BuskerAssistStrip *s = &a->mix->strips[adv->strip];
      warnings += adv->warning;
      trims |= (adv->kind == BUSKER_ADVICE_TRIM || adv->kind == BUSKER_ADVICE_TRACK_CLIPS) &&
               isfinite (s->suggested_trim_db);
      gtk_list_box_append (self->advice_list, advice_row (adv, s));
    }
  for (uint32_t i = 0; i < a->desc->n_strips; i++)
    {
      const BuskerAssistStrip *s = &a->mix->strips[i];
      gboolean active = FALSE;
      for (uint32_t k = 0; k < s->desc->n_inserts; k++)
        active |= !s->desc->inserts[k].bypass;
      if (s->desc->kind == BUSKER_STRIP_TRACK || !active || !isfinite (s->chain_change_lu))
        continue;
      gtk_list_box_append (self->ab_list, ab_row (self, s));
    }
  gtk_widget_set_visible (self->ab_label, self->ab->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->ab_list), self->ab->len > 0);
  gtk_widget_set_sensitive (self->trims_button, trims);

  if (a->advice->len == 0)
    gtk_label_set_label (self->status_label,
                         _("No advice: levels, bus processing and mono compatibility look fine."));
  else
    {
      g_autofree char *status = g_strdup_printf (_("Warnings: %u, suggestions: %u."), warnings,
                                                 a->advice->len - warnings);
      gtk_label_set_label (self->status_label, status);
    }
  g_signal_emit (self, signals[ANALYZED], 0);
}

static void
analyze_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Analysis *a = data;
  GError *error = NULL;

  a->mix = busker_assist_measure (a->desc, &a->cancel, &error);
  if (a->mix == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  a->advice = busker_assist_advise (a->mix, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
analyze_done (GObject *source, GAsyncResult *result, gpointer data)
{
  BuskerAdvicePanel *self = BUSKER_ADVICE_PANEL (source);
  Analysis *a = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (self->running == a)
    set_busy (self, NULL);
  if (a->cancel)
    {
      analysis_free (a);
      return;
    }
  if (!ok)
    {
      gtk_label_set_label (self->status_label, error->message);
      g_signal_emit (self, signals[MESSAGE], 0, error->message);
      analysis_free (a);
      return;
    }
  show_results (self, a);
}

void
busker_advice_panel_analyze (BuskerAdvicePanel *self)
{
  g_return_if_fail (BUSKER_IS_ADVICE_PANEL (self));
  if (self->running != NULL || self->project == NULL)
    return;

  /* Switched to B, the mix would be measured bypassed: back to A first. */
  for (guint i = 0; i < self->ab->len; i++)
    {
      AbEntry *e = self->ab->pdata[i];
      if (e->bypassed->len > 0)
        gtk_toggle_button_set_active (e->toggle, FALSE);
    }

  Analysis *a = g_new0 (Analysis, 1);
  a->desc = busker_project_snapshot (self->project);
  g_autoptr (GTask) task = g_task_new (self, NULL, analyze_done, NULL);
  /* No destroy notify: analyze_done owns the analysis from here. */
  g_task_set_task_data (task, a, NULL);
  gtk_label_set_label (self->status_label, _("Rendering the mix…"));
  set_busy (self, a);
  g_task_run_in_thread (task, analyze_thread);
}

static void
on_analyze_clicked_cb (BuskerAdvicePanel *self)
{
  busker_advice_panel_analyze (self);
}

static void
on_advice_activated_cb (BuskerAdvicePanel *self, GtkListBoxRow *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "strip-id");
  int insert = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "insert"));
  BuskerStrip *strip = self->project != NULL ? busker_project_find_strip (self->project, id)
                                             : NULL;

  if (strip == NULL)
    {
      g_autofree char *msg = g_strdup_printf (_("The strip “%s” is gone; analyze the mix again."),
                                              id);
      g_signal_emit (self, signals[MESSAGE], 0, msg);
      return;
    }
  if (insert >= (int) g_list_model_get_n_items (busker_strip_get_inserts (strip)))
    insert = -1;
  g_signal_emit (self, signals[SHOW_STRIP], 0, strip, insert);
}

static void
on_trims_clicked_cb (BuskerAdvicePanel *self)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  g_autoptr (GArray) trims = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GError) error = NULL;
  g_autofree char *msg = NULL;
  Analysis *a = self->shown;

  if (a == NULL || self->project == NULL)
    return;
  for (guint i = 0; i < a->advice->len; i++)
    {
      const BuskerAdvice *adv = a->advice->pdata[i];
      const BuskerAssistStrip *s = &a->mix->strips[adv->strip];
      if ((adv->kind != BUSKER_ADVICE_TRIM && adv->kind != BUSKER_ADVICE_TRACK_CLIPS) ||
          !isfinite (s->suggested_trim_db))
        continue;
      g_ptr_array_add (ids, s->desc->id);
      g_array_append_val (trims, s->suggested_trim_db);
    }
  if (!busker_project_apply_trims (self->project, (const char *const *) ids->pdata,
                                   (const double *) (void *) trims->data, ids->len, &error))
    {
      g_signal_emit (self, signals[MESSAGE], 0, error->message);
      return;
    }
  gtk_widget_set_sensitive (self->trims_button, FALSE);
  msg = g_strdup_printf (ngettext ("Set the input level of %u track.",
                                   "Set the input levels of %u tracks.", ids->len),
                         ids->len);
  g_signal_emit (self, signals[MESSAGE], 0, msg);
}

BuskerProject *
busker_advice_panel_get_project (BuskerAdvicePanel *self)
{
  g_return_val_if_fail (BUSKER_IS_ADVICE_PANEL (self), NULL);
  return self->project;
}

void
busker_advice_panel_set_project (BuskerAdvicePanel *self, BuskerProject *project)
{
  g_return_if_fail (BUSKER_IS_ADVICE_PANEL (self));
  g_return_if_fail (project == NULL || BUSKER_IS_PROJECT (project));

  if (self->project == project)
    return;
  if (self->running != NULL)
    {
      self->running->cancel = 1;
      set_busy (self, NULL);
    }
  g_set_object (&self->project, project);
  clear_results (self);
  gtk_label_set_label (self->status_label,
                       _("Analyze the mix for advice on levels, bus processing and mono "
                         "compatibility."));
  gtk_widget_set_sensitive (self->analyze_button, project != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PROJECT]);
}

gboolean
busker_advice_panel_get_busy (BuskerAdvicePanel *self)
{
  g_return_val_if_fail (BUSKER_IS_ADVICE_PANEL (self), FALSE);
  return self->running != NULL;
}

GtkWidget *
busker_advice_panel_new (void)
{
  return g_object_new (BUSKER_TYPE_ADVICE_PANEL, NULL);
}

static void
busker_advice_panel_get_property (GObject *object, guint prop_id, GValue *value,
                                  GParamSpec *pspec)
{
  BuskerAdvicePanel *self = BUSKER_ADVICE_PANEL (object);

  switch (prop_id)
    {
    case PROP_PROJECT: g_value_set_object (value, self->project); break;
    case PROP_BUSY: g_value_set_boolean (value, self->running != NULL); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
busker_advice_panel_set_property (GObject *object, guint prop_id, const GValue *value,
                                  GParamSpec *pspec)
{
  BuskerAdvicePanel *self = BUSKER_ADVICE_PANEL (object);

  switch (prop_id)
    {
    case PROP_PROJECT: busker_advice_panel_set_project (self, g_value_get_object (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
busker_advice_panel_dispose (GObject *object)
{
  BuskerAdvicePanel *self = BUSKER_ADVICE_PANEL (object);

  /* A running analysis ends by itself and finds its flag raised. */
  if (self->running != NULL)
    self->running->cancel = 1;
  self->running = NULL;
  clear_results (self);
  g_clear_object (&self->project);
  gtk_widget_dispose_template (GTK_WIDGET (self), BUSKER_TYPE_ADVICE_PANEL);
  G_OBJECT_CLASS (busker_advice_panel_parent_class)->dispose (object);
}

static void
busker_advice_panel_finalize (GObject *object)
{
  BuskerAdvicePanel *self = BUSKER_ADVICE_PANEL (object);

  g_ptr_array_unref (self->ab);
  G_OBJECT_CLASS (busker_advice_panel_parent_class)->finalize (object);
}

static void
busker_advice_panel_class_init (BuskerAdvicePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = busker_advice_panel_get_property;
  object_class->set_property = busker_advice_panel_set_property;
  object_class->dispose = busker_advice_panel_dispose;
  object_class->finalize = busker_advice_panel_finalize;

  props[PROP_PROJECT] = g_param_spec_object ("project", NULL, NULL, BUSKER_TYPE_PROJECT,
                                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                               G_PARAM_STATIC_STRINGS);
  props[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SHOW_STRIP] = g_signal_new ("show-strip", G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                      BUSKER_TYPE_STRIP, G_TYPE_INT);
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[ANALYZED] = g_signal_new ("analyzed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/busker/Busker/busker-advice-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, BuskerAdvicePanel, box);
  gtk_widget_class_bind_template_child (widget_class, BuskerAdvicePanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, BuskerAdvicePanel, analyze_button);
  gtk_widget_class_bind_template_child (widget_class, BuskerAdvicePanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, BuskerAdvicePanel, advice_list);
  gtk_widget_class_bind_template_child (widget_class, BuskerAdvicePanel, ab_label);
  gtk_widget_class_bind_template_child (widget_class, BuskerAdvicePanel, ab_list);
  gtk_widget_class_bind_template_child (widget_class, BuskerAdvicePanel, trims_button);
  gtk_widget_class_bind_template_callback (widget_class, on_analyze_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_advice_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_trims_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "advicepanel");
}

static void
busker_advice_panel_init (BuskerAdvicePanel *self)
{
  self->ab = g_ptr_array_new_with_free_func (ab_entry_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_sensitive (self->analyze_button, FALSE);
}
