/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * TEMPORARY — delete once main has src/widgets/busker-mixer.{c,h}.
 *
 * Stands in for the widgets branch's mixer with the same API, so the
 * window compiles unchanged against either. It shows the project's strip
 * names as text; it is not the mixer.
 */
#pragma once

#include <gtk/gtk.h>

#include "model/busker-project.h"
#include "session/busker-session.h"

G_BEGIN_DECLS

#define BUSKER_TYPE_MIXER (busker_mixer_get_type ())
G_DECLARE_FINAL_TYPE (BuskerMixer, busker_mixer, BUSKER, MIXER, GtkWidget)

GtkWidget *busker_mixer_new (void);
void busker_mixer_set_project (BuskerMixer *self, BuskerProject *project);
void busker_mixer_set_session (BuskerMixer *self, BuskerSession *session);

G_END_DECLS
