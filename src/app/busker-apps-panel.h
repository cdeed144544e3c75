/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "session/busker-session.h"

G_BEGIN_DECLS

#define BUSKER_TYPE_APPS_PANEL (busker_apps_panel_get_type ())
G_DECLARE_FINAL_TYPE (BuskerAppsPanel, busker_apps_panel, BUSKER, APPS_PANEL, GtkWidget)

/* The "Apps" side panel: the session's application streams, each a drag
 * source whose content is its BuskerAppStream (drop it on a live track);
 * a "Default output" row takes a stream back to the default device.
 * Signal "message" (const char *sentence): a routing failure to show. */
GtkWidget *busker_apps_panel_new (BuskerSession *session);

G_END_DECLS
