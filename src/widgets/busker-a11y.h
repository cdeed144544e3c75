/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Accessible names of the mixer's controls: the strip's name, then the
 * control ("Kick fader"); docs/accessibility.md is the convention.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Sets widget's accessible label (GTK_ACCESSIBLE_PROPERTY_LABEL) and,
 * when tooltip is TRUE, its tooltip to the same text. format is a
 * translated string such as _("%s fader"). */
void busker_a11y_set_label (GtkWidget *widget, gboolean tooltip,
                            const char *format, ...) G_GNUC_PRINTF (3, 4);

G_END_DECLS
