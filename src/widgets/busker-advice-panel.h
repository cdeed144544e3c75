/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * BuskerAdvicePanel: the mix assistant in the window (docs/assistant.md).
 *
 * "Analyze" renders the project once on a worker thread (src/assist) and
 * lists the advice, most important first; activating a row emits
 * "show-strip" (BuskerStrip *strip, int insert: its index in the strip's
 * inserts, or -1) so the window can select the strip and open the insert.
 * "Set Input Levels" applies the suggested trims as one undo step
 * (busker_project_apply_trims). Every bus with inserts gets an A/B switch:
 * on, its inserts are bypassed and its trim raised by the measured
 * loudness change of its chain, so only the tone changes; off puts both
 * back. Each switch is one undo step.
 *
 * Property "project" (BuskerProject, may be NULL); property "busy" (an
 * analysis runs); signal "message" (const char *sentence) for a toast;
 * signal "analyzed" when the list is filled.
 */
#pragma once

#include <gtk/gtk.h>

#include "model/busker-project.h"

G_BEGIN_DECLS

#define BUSKER_TYPE_ADVICE_PANEL (busker_advice_panel_get_type ())
G_DECLARE_FINAL_TYPE (BuskerAdvicePanel, busker_advice_panel, BUSKER, ADVICE_PANEL, GtkWidget)

GtkWidget *busker_advice_panel_new (void);

BuskerProject *busker_advice_panel_get_project (BuskerAdvicePanel *self);
/* Drops the shown advice (it was about another mix). */
void busker_advice_panel_set_project (BuskerAdvicePanel *self, BuskerProject *project);

/* Starts an analysis of the project as it is now (the "Analyze" button).
 * Ignored while one runs or without a project. */
void busker_advice_panel_analyze (BuskerAdvicePanel *self);
gboolean busker_advice_panel_get_busy (BuskerAdvicePanel *self);

G_END_DECLS
