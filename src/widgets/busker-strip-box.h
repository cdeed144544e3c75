/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * BuskerStripBox: a horizontal row of strips, laid out like a GtkBox, that
 * draws only the strips inside its scrolled window's view. GTK 4.8's
 * renderers walk every render node of the window each frame, so 64
 * strips' worth of off-screen nodes cost as much as visible ones; here
 * they are left out of the snapshot. The strips stay mapped: keyboard
 * focus, drag and drop and assistive technology see all of them.
 * Call busker_strip_box_view_changed when the view scrolls.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BUSKER_TYPE_STRIP_BOX (busker_strip_box_get_type ())
G_DECLARE_FINAL_TYPE (BuskerStripBox, busker_strip_box, BUSKER, STRIP_BOX, GtkWidget)

GtkWidget *busker_strip_box_new (void);
/* After sibling (NULL: first). */
void busker_strip_box_insert_after (BuskerStripBox *self, GtkWidget *child, GtkWidget *sibling);
void busker_strip_box_remove (BuskerStripBox *self, GtkWidget *child);
/* The visible part changed (scrolling, resizing): redraw with the strips
 * now in view. */
void busker_strip_box_view_changed (BuskerStripBox *self);

G_END_DECLS
