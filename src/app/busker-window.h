/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BUSKER_TYPE_WINDOW (busker_window_get_type ())
G_DECLARE_FINAL_TYPE (BuskerWindow, busker_window, BUSKER, WINDOW, AdwApplicationWindow)

BuskerWindow *busker_window_new (GtkApplication *application);

/* Opens a project; on failure the window stays empty and a toast says
 * which file and what is wrong. */
void busker_window_open_file (BuskerWindow *self, GFile *file);

G_END_DECLS
