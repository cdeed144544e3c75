/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "model/busker-project.h"
#include "session/busker-session.h"

G_BEGIN_DECLS

#define BUSKER_TYPE_WINDOW (busker_window_get_type ())
G_DECLARE_FINAL_TYPE (BuskerWindow, busker_window, BUSKER, WINDOW, AdwApplicationWindow)

BuskerWindow *busker_window_new (GtkApplication *application);

/* Opens a project with the model's loader. On failure a toast gives the
 * loader's sentence and the window keeps what it showed. When an autosave
 * newer than the file lies beside it, a dialog offers to restore it. */
void busker_window_open_file (BuskerWindow *self, GFile *file);

/* At a start without files: offers to restore the newest autosave of a
 * project that was never saved, if there is one. */
void busker_window_offer_untitled_restore (BuskerWindow *self);

/* Shows a new, empty project (a master bus only) in this window. */
void busker_window_new_project (BuskerWindow *self);

/* The shown project (NULL while the window is empty) and its session. */
BuskerProject *busker_window_get_project (BuskerWindow *self);
BuskerSession *busker_window_get_session (BuskerWindow *self);

/* Unsaved changes: the project's edits, or a restored autosave. Property
 * "modified"; the title shows it as "•". */
gboolean busker_window_get_modified (BuskerWindow *self);

/* Shows a toast (takes the floating reference). */
void busker_window_add_toast (BuskerWindow *self, AdwToast *toast);

/* A toast with the sentence as plain text (not markup). */
void busker_window_show_message (BuskerWindow *self, const char *sentence);

G_END_DECLS
