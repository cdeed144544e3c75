/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The fader is a GtkScale subclass (gtk4-widgets.md §1): GtkScale brings
 * the key bindings, wheel, Shift fine mode and focus ring; this file adds
 * the return-to-default click, −inf at the floor and gesture grouping.
 * Undo grouping is busker-gesture.c's.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>

#include "busker-fader.h"
#include "busker-gesture.h"

struct _BuskerFader
{
  GtkScale parent_instance;

  BuskerFaderKind kind;
  GBinding *binding;
  /* The value while it moves: a small label drawn over the handle until
   * VALUE_SHOWN_MS after the last change. */
  PangoLayout *value_layout;
  guint hide_value_timeout;
};

#define VALUE_SHOWN_MS 800

G_DEFINE_FINAL_TYPE (BuskerFader, busker_fader, GTK_TYPE_SCALE)

static double
kind_default (BuskerFaderKind kind)
{
  return 0.0;
}

static gboolean
kind_has_floor (BuskerFaderKind kind)
{
  return kind == BUSKER_FADER_GAIN;
}

char *
busker_fader_format_value (BuskerFaderKind kind, double value)
{
  if (kind == BUSKER_FADER_PAN)
    {
      int percent = (int) lround (value * 100.0);
      if (percent == 0)
        /* TRANSLATORS: pan position "centre", one letter */
        return g_strdup (C_("pan", "C"));
      /* TRANSLATORS: pan position left/right and a percentage, e.g. "L 30" */
      return percent < 0 ? g_strdup_printf (C_("pan", "L %d"), -percent)
                         : g_strdup_printf (C_("pan", "R %d"), percent);
    }
  if (isinf (value) && value < 0)
    return g_strdup ("−∞");
  if (kind_has_floor (kind) && value <= BUSKER_FADER_GAIN_FLOOR_DB)
    return g_strdup ("−∞");
  if (fabs (value) < 0.05)
    return g_strdup ("0.0");
  /* A real minus sign, as typography wants; a plus on gains. */
  return value < 0 ? g_strdup_printf ("−%.1f", -value) : g_strdup_printf ("+%.1f", value);
}

gboolean
busker_fader_parse_value (BuskerFaderKind kind, const char *text, double *value)
{
  g_autofree char *s = NULL;
  g_autoptr (GString) ascii = NULL;
  char *end;
  double v;

  if (text == NULL)
    return FALSE;
  /* Accept the minus sign we print, and a decimal comma. */
  ascii = g_string_new (text);
  g_string_replace (ascii, "−", "-", 0);
  g_string_replace (ascii, ",", ".", 0);
  s = g_strstrip (g_ascii_strdown (ascii->str, -1));

  if (kind == BUSKER_FADER_PAN)
    {
      g_autofree char *centre = g_utf8_strdown (C_("pan", "C"), -1);
      double sign = 1.0;
      if (*s == '\0' || g_str_equal (s, "c") || g_str_equal (s, centre))
        {
          *value = 0.0;
          return TRUE;
        }
      if (*s == 'l' || *s == 'r')
        {
          sign = *s == 'l' ? -1.0 : 1.0;
          v = g_ascii_strtod (s + 1, &end);
          v = sign * v / 100.0;
        }
      else
        v = g_ascii_strtod (s, &end) / 100.0;
      if (end == s || (*end != '\0' && *end != '%') || !isfinite (v))
        return FALSE;
      *value = CLAMP (v, -1.0, 1.0);
      return TRUE;
    }

  if (g_str_has_prefix (s, "-inf") || g_str_has_prefix (s, "-∞"))
    {
      if (!kind_has_floor (kind))
        return FALSE;
      *value = -INFINITY;
      return TRUE;
    }
  v = g_ascii_strtod (s, &end);
  if (end == s || !isfinite (v))
    return FALSE;
  while (*end == ' ')
    end++;
  if (*end != '\0' && g_ascii_strcasecmp (end, "db") != 0)
    return FALSE;
  *value = v;
  return TRUE;
}

static void
on_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, BuskerFader *self)
{
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));

  if (n_press == 2 || (n_press == 1 && (state & GDK_CONTROL_MASK)))
    {
      /* Claiming denies GtkRange's own drag, so the slider stays put. */
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      gtk_range_set_value (GTK_RANGE (self), kind_default (self->kind));
    }
}

static gboolean
to_adjustment (GBinding *binding, const GValue *from, GValue *to, gpointer data)
{
  BuskerFader *self = data;
  GtkAdjustment *adj = gtk_range_get_adjustment (GTK_RANGE (self));
  double v = g_value_get_double (from);

  g_value_set_double (to, CLAMP (v, gtk_adjustment_get_lower (adj), gtk_adjustment_get_upper (adj)));
  return TRUE;
}

static gboolean
from_adjustment (GBinding *binding, const GValue *from, GValue *to, gpointer data)
{
  BuskerFader *self = data;
  double v = g_value_get_double (from);

  if (kind_has_floor (self->kind) && v <= BUSKER_FADER_GAIN_FLOOR_DB)
    v = -INFINITY;
  g_value_set_double (to, v);
  return TRUE;
}

void
busker_fader_bind (BuskerFader *self, GObject *object, const char *property,
                   BuskerProject *project)
{
  g_return_if_fail (BUSKER_IS_FADER (self));
  g_return_if_fail (G_IS_OBJECT (object));

  if (self->binding != NULL)
    g_binding_unbind (self->binding);
  busker_gesture_attach (GTK_WIDGET (self), project);
  self->binding =
    g_object_bind_property_full (object, property,
                                 gtk_range_get_adjustment (GTK_RANGE (self)), "value",
                                 G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                 to_adjustment, from_adjustment, self, NULL);
}

BuskerFaderKind
busker_fader_get_kind (BuskerFader *self)
{
  g_return_val_if_fail (BUSKER_IS_FADER (self), BUSKER_FADER_GAIN);
  return self->kind;
}

static void
setup_kind (BuskerFader *self)
{
  GtkRange *range = GTK_RANGE (self);
  GtkScale *scale = GTK_SCALE (self);
  GtkAdjustment *adj;

  switch (self->kind)
    {
    case BUSKER_FADER_GAIN:
      adj = gtk_adjustment_new (0, BUSKER_FADER_GAIN_FLOOR_DB, 12, 0.5, 6, 0);
      break;
    case BUSKER_FADER_TRIM:
      adj = gtk_adjustment_new (0, -24, 24, 0.5, 6, 0);
      break;
    case BUSKER_FADER_PAN:
    default:
      adj = gtk_adjustment_new (0, -1, 1, 0.05, 0.25, 0);
      break;
    }
  gtk_range_set_adjustment (range, adj);
  gtk_scale_set_draw_value (scale, FALSE);
  gtk_range_set_round_digits (range, self->kind == BUSKER_FADER_PAN ? 2 : 1);
  gtk_widget_add_css_class (GTK_WIDGET (self),
                            self->kind == BUSKER_FADER_GAIN ? "fader"
                            : self->kind == BUSKER_FADER_TRIM ? "trim" : "pan");
  if (self->kind == BUSKER_FADER_PAN)
    gtk_scale_add_mark (scale, 0, GTK_POS_BOTTOM, NULL);
}

static void
add_gain_marks (BuskerFader *self)
{
  static const double marks[] = { 12, 6, 0, -6, -12, -20, -30, -40 };
  GtkScale *scale = GTK_SCALE (self);

  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    {
      g_autofree char *text = g_strdup_printf ("%s%g", marks[i] < 0 ? "−" : "", fabs (marks[i]));
      gtk_scale_add_mark (scale, marks[i], GTK_POS_LEFT, text);
    }
  gtk_scale_add_mark (scale, BUSKER_FADER_GAIN_FLOOR_DB, GTK_POS_LEFT, "−∞");
}

GtkWidget *
busker_fader_new (BuskerFaderKind kind, GtkOrientation orientation)
{
  BuskerFader *self = g_object_new (BUSKER_TYPE_FADER, "orientation", orientation, NULL);

  self->kind = kind;
  setup_kind (self);
  if (orientation == GTK_ORIENTATION_VERTICAL)
    gtk_range_set_inverted (GTK_RANGE (self), TRUE);
  if (kind == BUSKER_FADER_GAIN && orientation == GTK_ORIENTATION_VERTICAL)
    add_gain_marks (self);
  return GTK_WIDGET (self);
}

static void
busker_fader_dispose (GObject *object)
{
  BuskerFader *self = BUSKER_FADER (object);

  g_clear_handle_id (&self->hide_value_timeout, g_source_remove);
  g_clear_object (&self->value_layout);
  if (self->binding != NULL)
    {
      g_binding_unbind (self->binding);
      self->binding = NULL;
    }
  G_OBJECT_CLASS (busker_fader_parent_class)->dispose (object);
}

static gboolean
hide_value_cb (gpointer data)
{
  BuskerFader *self = data;

  self->hide_value_timeout = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

static void
on_value_changed_cb (GtkRange *range, BuskerFader *self)
{
  g_autofree char *text = NULL;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  text = busker_fader_format_value (self->kind, gtk_range_get_value (range));
  if (self->value_layout == NULL)
    self->value_layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  pango_layout_set_text (self->value_layout, text, -1);
  g_clear_handle_id (&self->hide_value_timeout, g_source_remove);
  self->hide_value_timeout = g_timeout_add (VALUE_SHOWN_MS, hide_value_cb, self);
}

static void
busker_fader_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  static const GdkRGBA box = { 0.0f, 0.0f, 0.0f, 0.75f };
  static const GdkRGBA ink = { 1.0f, 1.0f, 1.0f, 1.0f };
  BuskerFader *self = BUSKER_FADER (widget);
  int start, end, w, h;
  float x, y;
  GskRoundedRect rect;

  GTK_WIDGET_CLASS (busker_fader_parent_class)->snapshot (widget, snapshot);
  if (self->hide_value_timeout == 0 || self->value_layout == NULL)
    return;

  /* Beside the handle, inside the widget: above it on a vertical fader,
   * over it on a horizontal one. */
  gtk_range_get_slider_range (GTK_RANGE (self), &start, &end);
  pango_layout_get_pixel_size (self->value_layout, &w, &h);
  if (gtk_orientable_get_orientation (GTK_ORIENTABLE (self)) == GTK_ORIENTATION_VERTICAL)
    {
      x = (gtk_widget_get_width (widget) - w) / 2.0f;
      y = MAX (0, start - h - 4);
    }
  else
    {
      x = CLAMP ((start + end - w) / 2.0f, 0.0f, (float) MAX (0, gtk_widget_get_width (widget) - w));
      y = (gtk_widget_get_height (widget) - h) / 2.0f;
    }
  gsk_rounded_rect_init_from_rect (&rect, &GRAPHENE_RECT_INIT (x - 3, y - 1, w + 6, h + 2), 4);
  gtk_snapshot_push_rounded_clip (snapshot, &rect);
  gtk_snapshot_append_color (snapshot, &box, &rect.bounds);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, self->value_layout, &ink);
  gtk_snapshot_restore (snapshot);
}

static void
busker_fader_class_init (BuskerFaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = busker_fader_dispose;
  widget_class->snapshot = busker_fader_snapshot;
  gtk_widget_class_set_css_name (widget_class, "scale");
}

static void
busker_fader_init (BuskerFader *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (self, "value-changed", G_CALLBACK (on_value_changed_cb), self);
}
