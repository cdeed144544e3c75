/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * BuskerMixer: the mixing desk of one project. One horizontally scrolling
 * row of strips in the project's order, grouped tracks | subgroups |
 * aux buses, and the master pinned at the right edge in its own box.
 * Routing by drag and drop (a strip's name onto a bus), audio files from
 * a file manager become file tracks, an application stream dropped on a
 * live track is routed there.
 *
 * Contract with src/app (the window embeds one):
 * - property "project" (BuskerProject, may be NULL): what is shown; every
 *   edit goes through the model (one undo step each, a fader drag one
 *   gesture).
 * - property "session" (BuskerSession, may be NULL): meters (from a
 *   frame-clock tick; −inf while NULL), missing-file marks, application
 *   stream drops.
 * - signal "message" (const char *sentence): a sentence for the user,
 *   shown by the window as a toast (a refused drop's reason).
 * - property "meter-rate" (double, Hz): see below.
 * - actions (gtk_widget_class_install_action): "mixer.add-file-track"
 *   (opens a file chooser), "mixer.add-live-track", "mixer.add-subgroup",
 *   "mixer.add-aux", "mixer.remove-selected".
 */
#pragma once

#include <gtk/gtk.h>

#include "model/busker-project.h"
#include "session/busker-session.h"

G_BEGIN_DECLS

#define BUSKER_TYPE_MIXER (busker_mixer_get_type ())
G_DECLARE_FINAL_TYPE (BuskerMixer, busker_mixer, BUSKER, MIXER, GtkWidget)

GtkWidget *busker_mixer_new (void);

BuskerProject *busker_mixer_get_project (BuskerMixer *self);
/* project may be NULL (an empty mixer). */
void busker_mixer_set_project (BuskerMixer *self, BuskerProject *project);

BuskerSession *busker_mixer_get_session (BuskerMixer *self);
/* session may be NULL: meters then stay at −inf. */
void busker_mixer_set_session (BuskerMixer *self, BuskerSession *session);

/* Property "meter-rate": how often a second the meters read and may
 * redraw, BUSKER_MIXER_METER_RATE_MIN … _MAX (a frame clock runs at most
 * at the display's rate). Lower rates cost less CPU. */
#define BUSKER_MIXER_METER_RATE_MIN 5.0
#define BUSKER_MIXER_METER_RATE_MAX 60.0
#define BUSKER_MIXER_METER_RATE_DEFAULT 30.0
double busker_mixer_get_meter_rate (BuskerMixer *self);
void busker_mixer_set_meter_rate (BuskerMixer *self, double rate_hz);

G_END_DECLS
