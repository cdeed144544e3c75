/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers the window tests share: waiting on the main loop, finding
 * widgets and toplevels, toasts, screenshots and real input (xdotool). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Spins the main loop until cond holds; FALSE after give_up_s seconds (a
 * hang guard, not a performance figure). */
gboolean gui_wait (gboolean (*cond) (gpointer), gpointer data, double give_up_s);
/* The same, failing the test with what after 60 s. */
void gui_wait_until (gboolean (*cond) (gpointer), gpointer data, const char *what);
/* Runs the main loop for a while (lets a toast or dialog settle). */
void gui_spin (double seconds);

gboolean gui_is_mapped (gpointer widget);
GtkWidget *gui_find_descendant (GtkWidget *widget, GType type);
void gui_collect_labels (GtkWidget *widget, GString *out);
/* The text of every toast shown in window, one label a line. */
char *gui_toast_texts (GtkWidget *window);
/* A visible toplevel of the type, or NULL. */
GtkWindow *gui_find_toplevel (GType type);
/* For gui_wait_until, with the GType as data (GSIZE_TO_POINTER): a
 * toplevel of the type is mapped; none of the type is visible. */
gboolean gui_toplevel_shown (gpointer type);
gboolean gui_toplevel_gone (gpointer type);

/* Saves a screenshot of the screen to BUSKER_SCREENSHOT_DIR/name. */
void gui_screenshot (const char *name);

/* Gives window the keyboard focus (X11, no window manager) and presses
 * keys with xdotool, e.g. "ctrl+s". */
void gui_press_keys (GtkWindow *window, const char *keys);

G_END_DECLS
