/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "busker-a11y.h"

static void
set_label (GtkWidget *widget, const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

void
busker_a11y_set_label (GtkWidget *widget, gboolean tooltip, const char *format, ...)
{
  g_autofree char *label = NULL;
  va_list args;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  va_start (args, format);
  label = g_strdup_vprintf (format, args);
  va_end (args);
  set_label (widget, label);
  if (tooltip)
    gtk_widget_set_tooltip_text (widget, label);
}
