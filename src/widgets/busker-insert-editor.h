/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * BuskerInsertEditor: a window with one labelled control per parameter of
 * an insert, generated from its table in src/dsp/params.c: numbers as a
 * slider (along a log scale for frequencies, times and ratios) plus a spin
 * button in the parameter's unit, switches as check
 * buttons, choices as drop-downs. Every parameter is reachable by
 * keyboard and named "<label> (<unit>)". Edits go through the model (a
 * slider drag is one undo step); the controls follow the model.
 * Until the effect-editor issue lands this is every insert's editor.
 */
#pragma once

#include <adwaita.h>

#include "model/busker-project.h"

G_BEGIN_DECLS

#define BUSKER_TYPE_INSERT_EDITOR (busker_insert_editor_get_type ())
G_DECLARE_FINAL_TYPE (BuskerInsertEditor, busker_insert_editor, BUSKER, INSERT_EDITOR, AdwWindow)

/* title: what the window is called, e.g. "Vocal EQ". */
GtkWidget *busker_insert_editor_new (BuskerProject *project, BuskerInsert *insert,
                                     const char *title);

G_END_DECLS
