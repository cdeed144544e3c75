/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "session/busker-session.h"

G_BEGIN_DECLS

#define BUSKER_TYPE_TRANSPORT_BAR (busker_transport_bar_get_type ())
G_DECLARE_FINAL_TYPE (BuskerTransportBar, busker_transport_bar, BUSKER, TRANSPORT_BAR, GtkWidget)

/* Play/pause, stop, position and loop for the session's file tracks; the
 * buttons drive the window's actions win.play-pause, win.stop, win.loop. */
GtkWidget *busker_transport_bar_new (BuskerSession *session);

/* "1:02.3" for 62.3 s; "−:−−" for a value that is not finite. */
char *busker_transport_format_time (double seconds);

G_END_DECLS
