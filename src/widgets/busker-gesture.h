/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One undo step per pointer gesture on a control: between a button press
 * and its release on widget, and over a burst of wheel steps (ended after
 * BUSKER_GESTURE_WHEEL_MS without another), edits of project are grouped
 * by busker_project_begin_gesture / end_gesture. A controller in the
 * capture phase watches the events without taking them, so the widget's
 * own drag (GtkRange's) works as before. Unmapping ends a gesture.
 */
#pragma once

#include <gtk/gtk.h>

#include "model/busker-project.h"

G_BEGIN_DECLS

#define BUSKER_GESTURE_WHEEL_MS 400

/* project may be NULL (nothing is grouped); a later call replaces it. */
void busker_gesture_attach (GtkWidget *widget, BuskerProject *project);

G_END_DECLS
