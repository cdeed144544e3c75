/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * BuskerFader: a GtkScale that behaves like a mixer's control. It is a
 * GtkRange, so assistive technology reads its value (GTK 4.8 has no
 * GtkAccessibleRange): the adjustment is in the control's own unit (dB
 * for gain, trim and send levels, −1…+1 for pan).
 *
 * Drag, wheel and keys come from GtkScale (Shift-drag is fine mode; the
 * keyboard moves one step: 0.5 dB, or 0.05 of pan). Double-click or
 * Ctrl+click returns to the default (0 dB, centre). For the gain kinds
 * the bottom of the travel is −inf. Bound to a model property, one
 * pointer drag or one burst of wheel steps is one undo step
 * (busker_project_begin_gesture / end_gesture).
 */
#pragma once

#include <gtk/gtk.h>

#include "model/busker-project.h"

G_BEGIN_DECLS

typedef enum {
  BUSKER_FADER_GAIN,  /* −inf, BUSKER_FADER_GAIN_FLOOR_DB … +12 dB, default 0 */
  BUSKER_FADER_TRIM,  /* −24 … +24 dB, default 0 */
  BUSKER_FADER_PAN,   /* −1 (left) … +1 (right), default 0 */
} BuskerFaderKind;

/* The lowest travel position of a gain fader; it stands for −inf. */
#define BUSKER_FADER_GAIN_FLOOR_DB (-60.0)

#define BUSKER_TYPE_FADER (busker_fader_get_type ())
G_DECLARE_FINAL_TYPE (BuskerFader, busker_fader, BUSKER, FADER, GtkScale)

GtkWidget *busker_fader_new (BuskerFaderKind kind, GtkOrientation orientation);
BuskerFaderKind busker_fader_get_kind (BuskerFader *self);

/* Follows object's double property both ways (−INFINITY at the floor of
 * the gain kinds); edits are grouped into gestures of project (may be
 * NULL). Replaces an earlier binding. */
void busker_fader_bind (BuskerFader *self, GObject *object,
                        const char *property, BuskerProject *project);

/* "−∞", "−4.5", "+2.0" (dB kinds) or "L 30", "C", "R 30" (pan), in the
 * user's locale; the numeric entries show these. */
char *busker_fader_format_value (BuskerFaderKind kind, double value);
/* The inverse for what a user typed ("-inf", "−6", "3 dB", "L30", "c");
 * FALSE when it is not a value of the kind. */
gboolean busker_fader_parse_value (BuskerFaderKind kind, const char *text,
                                   double *value);

G_END_DECLS
