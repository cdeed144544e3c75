/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The form is generated once; controls hold their parameter index in
 * object data. Model → control goes through the insert's
 * ::value-changed (index), control → model through
 * busker_insert_set_value; `updating` stops the echo.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "busker-a11y.h"
#include "busker-gesture.h"
#include "busker-insert-editor.h"

struct _BuskerInsertEditor
{
  AdwWindow parent_instance;

  BuskerProject *project;
  BuskerInsert *insert;
  GPtrArray *controls; /* by parameter index: GtkAdjustment, GtkCheckButton or GtkDropDown */
  gboolean updating;

  /* template */
  AdwWindowTitle *window_title;
  GtkWidget *bypass_button;
  GtkGrid *grid;
};

G_DEFINE_FINAL_TYPE (BuskerInsertEditor, busker_insert_editor, ADW_TYPE_WINDOW)

#define INDEX_KEY "busker-param-index"

static guint
control_index (gpointer control)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (control), INDEX_KEY));
}

static void
set_value (BuskerInsertEditor *self, guint index, float value)
{
  if (!self->updating)
    busker_insert_set_value (self->insert, index, value);
}

static void
on_adjustment_changed_cb (GtkAdjustment *adj, BuskerInsertEditor *self)
{
  set_value (self, control_index (adj), (float) gtk_adjustment_get_value (adj));
}

static void
on_check_toggled_cb (GtkCheckButton *check, BuskerInsertEditor *self)
{
  set_value (self, control_index (check), gtk_check_button_get_active (check) ? 1.0f : 0.0f);
}

static void
on_choice_selected_cb (GtkDropDown *dropdown, GParamSpec *pspec, BuskerInsertEditor *self)
{
  set_value (self, control_index (dropdown), (float) gtk_drop_down_get_selected (dropdown));
}

static void
show_value (BuskerInsertEditor *self, guint index)
{
  gpointer control = g_ptr_array_index (self->controls, index);
  float value = busker_insert_get_value (self->insert, index);

  self->updating = TRUE;
  if (GTK_IS_ADJUSTMENT (control))
    gtk_adjustment_set_value (control, value);
  else if (GTK_IS_CHECK_BUTTON (control))
    gtk_check_button_set_active (control, value >= 0.5f);
  else if (GTK_IS_DROP_DOWN (control))
    gtk_drop_down_set_selected (control, (guint) lroundf (value));
  self->updating = FALSE;
}

static void
on_value_changed_cb (BuskerInsert *insert, guint index, BuskerInsertEditor *self)
{
  if (index < self->controls->len)
    show_value (self, index);
}

/* "Threshold (dB)", or just "Mix" for unitless parameters. */
static char *
param_title (const BuskerParamSpec *spec)
{
  if (spec->unit == NULL || spec->unit[0] == '\0')
    return g_strdup (_(spec->label));
  return g_strdup_printf ("%s (%s)", _(spec->label), spec->unit);
}

static int
digits_for (const BuskerParamSpec *spec)
{
  float span = spec->max - spec->min;

  return span <= 2.0f ? 2 : span <= 100.0f ? 1 : 0;
}

/* Log-scaled parameters (frequencies, times, ratios): the slider moves
 * over log(value), 0…1, and follows the value's adjustment. */
typedef struct {
  GtkAdjustment *value;    /* in the parameter's unit */
  GtkAdjustment *position; /* 0 … 1 along log(value) */
  float min, max;
  gboolean syncing;
} LogSlider;

static void
log_value_changed_cb (GtkAdjustment *value, LogSlider *log)
{
  if (log->syncing)
    return;
  log->syncing = TRUE;
  gtk_adjustment_set_value (log->position,
                            log10 (gtk_adjustment_get_value (value) / log->min)
                            / log10 (log->max / log->min));
  log->syncing = FALSE;
}

static void
log_position_changed_cb (GtkAdjustment *position, LogSlider *log)
{
  if (log->syncing)
    return;
  log->syncing = TRUE;
  gtk_adjustment_set_value (log->value,
                            log->min * pow (log->max / log->min, gtk_adjustment_get_value (position)));
  log->syncing = FALSE;
}

static void
add_float_row (BuskerInsertEditor *self, guint index, const BuskerParamSpec *spec, int row,
               GtkWidget *label, const char *title)
{
  int digits = digits_for (spec);
  double step = pow (10.0, -digits);
  GtkAdjustment *adj = gtk_adjustment_new (spec->def, spec->min, spec->max, step,
                                           (spec->max - spec->min) / 10.0, 0);
  gboolean log_scale = spec->scale == BUSKER_SCALE_LOG && spec->min > 0;
  GtkAdjustment *travel = adj;
  GtkWidget *scale, *spin = gtk_spin_button_new (adj, step, digits);

  if (log_scale)
    {
      LogSlider *log = g_new0 (LogSlider, 1);

      travel = gtk_adjustment_new (0, 0, 1, 0.01, 0.1, 0);
      log->value = adj;
      log->position = travel;
      log->min = spec->min;
      log->max = spec->max;
      g_object_set_data_full (G_OBJECT (travel), "busker-log-slider", log, g_free);
      g_signal_connect (adj, "value-changed", G_CALLBACK (log_value_changed_cb), log);
      g_signal_connect (travel, "value-changed", G_CALLBACK (log_position_changed_cb), log);
      log_value_changed_cb (adj, log);
    }
  scale = gtk_scale_new (GTK_ORIENTATION_HORIZONTAL, travel);
  g_object_set_data (G_OBJECT (adj), INDEX_KEY, GUINT_TO_POINTER (index));
  gtk_widget_set_hexpand (scale, TRUE);
  gtk_scale_set_draw_value (GTK_SCALE (scale), FALSE);
  if (log_scale)
    {
      /* The number in the unit is the spin button's; the slider's is a
       * position. */
      /* TRANSLATORS: accessible name of a slider that moves along a log scale */
      busker_a11y_set_label (scale, FALSE, _("%s position"), title);
      busker_a11y_set_label (spin, FALSE, "%s", title);
    }
  else
    {
      busker_a11y_set_label (scale, FALSE, "%s", title);
      /* TRANSLATORS: accessible name of the number field beside a slider */
      busker_a11y_set_label (spin, FALSE, _("%s value"), title);
    }
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), spin);
  busker_gesture_attach (scale, self->project);
  gtk_grid_attach (self->grid, scale, 1, row, 1, 1);
  gtk_grid_attach (self->grid, spin, 2, row, 1, 1);
  g_ptr_array_index (self->controls, index) = adj;
  g_signal_connect_object (adj, "value-changed", G_CALLBACK (on_adjustment_changed_cb), self, 0);
}

/* What the drop-downs show for the file format's choice names; a name
 * not listed here is shown as it is (delay sync "1/8d"). */
static const struct
{
  const char *name, *label;
} choice_labels[] = {
  { "peak", N_("Peak") },
  { "low_shelf", N_("Low shelf") },
  { "high_shelf", N_("High shelf") },
  { "low_pass", N_("Low-pass") },
  { "high_pass", N_("High-pass") },
  { "notch", N_("Notch") },
  { "band_pass", N_("Band-pass") },
  { "stereo", N_("Stereo") },
  { "mid", N_("Mid") },
  { "side", N_("Side") },
  { "left", N_("Left") },
  { "right", N_("Right") },
  { "rms", N_("RMS") },
  { "tape", N_("Tape") },
  { "tube", N_("Tube") },
  { "soft_clip", N_("Soft clip") },
  { "off", N_("Off") },
};

/* A NULL-terminated array of the labels (translated, static) for choices;
 * free the array only. */
static const char **
choice_names (const char *const *choices)
{
  guint n = g_strv_length ((char **) choices);
  const char **names = g_new0 (const char *, n + 1);

  for (guint i = 0; i < n; i++)
    {
      names[i] = choices[i];
      for (guint k = 0; k < G_N_ELEMENTS (choice_labels); k++)
        if (g_str_equal (choices[i], choice_labels[k].name))
          names[i] = _(choice_labels[k].label);
    }
  return names;
}

static void
build_form (BuskerInsertEditor *self)
{
  guint n = 0;
  const BuskerParamSpec *params = busker_insert_get_params (self->insert, &n);

  g_ptr_array_set_size (self->controls, n);
  for (guint i = 0; i < n; i++)
    {
      const BuskerParamSpec *spec = &params[i];
      g_autofree char *title = param_title (spec);
      GtkWidget *label = gtk_label_new (title);
      int row = (int) i;

      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
      gtk_grid_attach (self->grid, label, 0, row, 1, 1);
      switch (spec->kind)
        {
        case BUSKER_PARAM_BOOL:
          {
            GtkWidget *check = gtk_check_button_new ();
            g_object_set_data (G_OBJECT (check), INDEX_KEY, GUINT_TO_POINTER (i));
            busker_a11y_set_label (check, FALSE, "%s", title);
            gtk_label_set_mnemonic_widget (GTK_LABEL (label), check);
            gtk_grid_attach (self->grid, check, 1, row, 2, 1);
            g_ptr_array_index (self->controls, i) = check;
            g_signal_connect_object (check, "toggled", G_CALLBACK (on_check_toggled_cb), self, 0);
            break;
          }
        case BUSKER_PARAM_CHOICE:
          {
            g_autofree const char **names = choice_names (spec->choices);
            GtkWidget *dropdown = gtk_drop_down_new_from_strings (names);
            g_object_set_data (G_OBJECT (dropdown), INDEX_KEY, GUINT_TO_POINTER (i));
            busker_a11y_set_label (dropdown, FALSE, "%s", title);
            gtk_label_set_mnemonic_widget (GTK_LABEL (label), dropdown);
            gtk_grid_attach (self->grid, dropdown, 1, row, 2, 1);
            g_ptr_array_index (self->controls, i) = dropdown;
            g_signal_connect_object (dropdown, "notify::selected",
                                     G_CALLBACK (on_choice_selected_cb), self, 0);
            break;
          }
        case BUSKER_PARAM_FLOAT:
        default:
          add_float_row (self, i, spec, row, label, title);
          break;
        }
      show_value (self, i);
    }
}

GtkWidget *
busker_insert_editor_new (BuskerProject *project, BuskerInsert *insert, const char *title)
{
  BuskerInsertEditor *self;

  g_return_val_if_fail (BUSKER_IS_PROJECT (project), NULL);
  g_return_val_if_fail (BUSKER_IS_INSERT (insert), NULL);

  self = g_object_new (BUSKER_TYPE_INSERT_EDITOR, "title", title, NULL);
  self->project = g_object_ref (project);
  self->insert = g_object_ref (insert);
  adw_window_title_set_title (self->window_title, title);
  busker_a11y_set_label (self->bypass_button, FALSE, _("%s bypass"), title);
  g_object_bind_property (insert, "bypass", self->bypass_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  build_form (self);
  g_signal_connect_object (insert, "value-changed", G_CALLBACK (on_value_changed_cb), self, 0);
  return GTK_WIDGET (self);
}

static void
busker_insert_editor_dispose (GObject *object)
{
  BuskerInsertEditor *self = BUSKER_INSERT_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BUSKER_TYPE_INSERT_EDITOR);
  g_clear_pointer (&self->controls, g_ptr_array_unref);
  g_clear_object (&self->insert);
  g_clear_object (&self->project);
  G_OBJECT_CLASS (busker_insert_editor_parent_class)->dispose (object);
}

static void
busker_insert_editor_class_init (BuskerInsertEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = busker_insert_editor_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/busker/Busker/busker-insert-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BuskerInsertEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, BuskerInsertEditor, bypass_button);
  gtk_widget_class_bind_template_child (widget_class, BuskerInsertEditor, grid);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
busker_insert_editor_init (BuskerInsertEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->controls = g_ptr_array_new ();
}
