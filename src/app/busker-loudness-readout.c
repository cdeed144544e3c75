/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The master loudness readout at the end of the transport bar:
 * "S −17.9  I −18.5 LUFS  TP −1.2 dBTP  Corr +0.86".
 *
 * Design decisions:
 * - Numbers, not bars: the strip meters show level; loudness is what a
 *   mix is delivered at (Streaming −14, EBU R 128 −23), and the export
 *   dialog speaks the same units.
 * - Five reads a second from a timeout, not the frame clock: text that
 *   changes 60 times a second cannot be read and costs a relayout each
 *   time. A label is set only when its text changes.
 * - True peak is the largest since the integrated measurement began (the
 *   session reads it "since the previous read"); it starts again when the
 *   session restarts the integration (Stop, another project), which the
 *   readout sees as integrated loudness going back to −inf.
 * - Without live audio there is nothing to read: no timer, and the
 *   readout is hidden (the window's banner says live audio is off).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "busker-loudness-readout.h"

#define READ_MS 200

enum { VALUE_SHORT_TERM, VALUE_INTEGRATED, VALUE_TRUE_PEAK, VALUE_CORRELATION, N_VALUES };

struct _BuskerLoudnessReadout
{
  GtkWidget parent_instance;

  BuskerSession *session;
  GtkLabel *values[N_VALUES];
  float true_peak_max;
  guint timer;
};

G_DEFINE_FINAL_TYPE (BuskerLoudnessReadout, busker_loudness_readout, GTK_TYPE_WIDGET)

char *
busker_loudness_format (float value)
{
  /* Under the BS.1770 absolute gate, −70 LUFS, loudness is not measured
   * (a node idling at −109 read as if something played). */
  if (!isfinite (value) || value < -70.0f)
    return g_strdup ("—");
  /* U+2212 minus, as the mixer's dB labels. */
  return value < -0.05f ? g_strdup_printf ("−%.1f", -value) : g_strdup_printf ("%.1f", value);
}

static void
set_value (BuskerLoudnessReadout *self, int which, char *text)
{
  g_autofree char *owned = text;

  if (g_strcmp0 (gtk_label_get_text (self->values[which]), text) != 0)
    gtk_label_set_text (self->values[which], text);
}

static char *
format_correlation (float value)
{
  if (!isfinite (value))
    return g_strdup ("—");
  return g_strdup_printf (value < -0.005f ? "−%.2f" : "+%.2f", fabsf (value));
}

static void
show (BuskerLoudnessReadout *self, const BuskerMasterMeter *m)
{
  if (!isfinite (m->integrated_lufs))
    self->true_peak_max = -INFINITY;
  else if (m->true_peak_dbtp > self->true_peak_max)
    self->true_peak_max = m->true_peak_dbtp;
  set_value (self, VALUE_SHORT_TERM, busker_loudness_format (m->short_term_lufs));
  set_value (self, VALUE_INTEGRATED, busker_loudness_format (m->integrated_lufs));
  set_value (self, VALUE_TRUE_PEAK, busker_loudness_format (self->true_peak_max));
  set_value (self, VALUE_CORRELATION,
             format_correlation (isfinite (m->short_term_lufs) ? m->correlation : NAN));
}

static gboolean
read_meter (gpointer user_data)
{
  BuskerLoudnessReadout *self = user_data;
  BuskerMasterMeter meter;

  if (!busker_session_read_master_meter (self->session, &meter))
    meter = (BuskerMasterMeter) { -INFINITY, -INFINITY, -INFINITY, -INFINITY, NAN };
  show (self, &meter);
  return G_SOURCE_CONTINUE;
}

static void
on_live_changed (BuskerLoudnessReadout *self)
{
  gboolean live = busker_session_get_live (self->session);

  if (live && self->timer == 0)
    self->timer = g_timeout_add (READ_MS, read_meter, self);
  else if (!live)
    g_clear_handle_id (&self->timer, g_source_remove);
  if (!live)
    show (self, &(BuskerMasterMeter) { -INFINITY, -INFINITY, -INFINITY, -INFINITY, NAN });
  /* Nothing to read without live audio (the banner says why). */
  gtk_widget_set_visible (GTK_WIDGET (self), live);
}

/* A caption ("S") and its value label, with the unit after the value when
 * one is given; the pair reads as one name for a screen reader. */
static GtkLabel *
add_value (BuskerLoudnessReadout *self, const char *caption, const char *unit,
           const char *description)
{
  GtkWidget *cap = gtk_label_new (caption);
  GtkWidget *value = gtk_label_new ("—");

  gtk_widget_add_css_class (cap, "dim-label");
  gtk_widget_add_css_class (value, "numeric");
  /* Room for "−88.8" so the bar does not jump as digits change. */
  gtk_label_set_width_chars (GTK_LABEL (value), 5);
  gtk_label_set_xalign (GTK_LABEL (value), 1.0f);
  gtk_widget_set_tooltip_text (cap, description);
  gtk_widget_set_tooltip_text (value, description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  description, -1);
  gtk_widget_set_parent (cap, GTK_WIDGET (self));
  gtk_widget_set_parent (value, GTK_WIDGET (self));
  if (unit == NULL)
    gtk_widget_set_margin_end (value, 6);
  else
    {
      GtkWidget *u = gtk_label_new (unit);
      gtk_widget_add_css_class (u, "dim-label");
      gtk_widget_set_margin_end (u, 6);
      gtk_widget_set_parent (u, GTK_WIDGET (self));
    }
  return GTK_LABEL (value);
}

static void
busker_loudness_readout_dispose (GObject *object)
{
  BuskerLoudnessReadout *self = BUSKER_LOUDNESS_READOUT (object);
  GtkWidget *child;

  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (busker_loudness_readout_parent_class)->dispose (object);
}

static void
busker_loudness_readout_class_init (BuskerLoudnessReadoutClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = busker_loudness_readout_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "loudnessreadout");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
busker_loudness_readout_init (BuskerLoudnessReadout *self)
{
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 4);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Master loudness"), -1);
  /* TRANSLATORS: "S" for short-term loudness (3 s), as on loudness meters */
  self->values[VALUE_SHORT_TERM] = add_value (self, C_("loudness", "S"), NULL,
                                              _("Short-term loudness of the master (3 s), LUFS"));
  /* TRANSLATORS: "I" for integrated loudness, as on loudness meters */
  self->values[VALUE_INTEGRATED] = add_value (self, C_("loudness", "I"), "LUFS",
                                              _("Integrated loudness of the master since the project opened or Stop, LUFS"));
  /* TRANSLATORS: "TP" for true peak, as on loudness meters */
  self->values[VALUE_TRUE_PEAK] = add_value (self, C_("loudness", "TP"), "dBTP",
                                             _("Highest true peak of the master since the project opened or Stop, dBTP"));
  /* TRANSLATORS: short for stereo correlation, −1 … +1 */
  self->values[VALUE_CORRELATION] = add_value (self, C_("loudness", "Corr"), NULL,
                                               _("Stereo correlation of the master: +1 mono, 0 wide, below 0 out of phase"));
  self->true_peak_max = -INFINITY;
}

GtkWidget *
busker_loudness_readout_new (BuskerSession *session)
{
  BuskerLoudnessReadout *self = g_object_new (BUSKER_TYPE_LOUDNESS_READOUT, NULL);

  self->session = g_object_ref (session);
  g_signal_connect_swapped (session, "notify::live", G_CALLBACK (on_live_changed), self);
  on_live_changed (self);
  return GTK_WIDGET (self);
}
