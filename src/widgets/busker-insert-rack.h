/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * BuskerInsertRack: a strip's inserts, pre-fader ones above a "fader"
 * line, post-fader ones below it. Add an effect by name from a menu of
 * FORMAT.md's types (the strip holds that button); drag one by its name to reorder, or across the line
 * to make it pre- or post-fader (one undo step); bypass; remove; click
 * its name to open its editor (BuskerInsertEditor). Names: "Vocal EQ",
 * "Vocal EQ bypass", "Vocal EQ remove"; a second insert of a type gets a
 * number ("Vocal EQ 2").
 * Signal "message" (const char *sentence).
 */
#pragma once

#include <gtk/gtk.h>

#include "model/busker-project.h"

G_BEGIN_DECLS

#define BUSKER_TYPE_INSERT_RACK (busker_insert_rack_get_type ())
G_DECLARE_FINAL_TYPE (BuskerInsertRack, busker_insert_rack, BUSKER, INSERT_RACK, GtkWidget)

GtkWidget *busker_insert_rack_new (BuskerProject *project, BuskerStrip *strip);

/* Adds an insert of type (FORMAT.md's name) last among the pre-fader
 * ones; a strip that is full says so with "message". */
void busker_insert_rack_add (BuskerInsertRack *self, const char *type);
/* A menu of every effect type, each item activating action (a "s"
 * action, e.g. "strip.add-insert") with the type as target. */
GMenuModel *busker_insert_rack_make_add_menu (const char *action);

/* The short, translated name of an effect type in menus and accessible
 * names: "EQ", "Compressor", … ; the type itself when unknown. */
const char *busker_insert_rack_effect_label (const char *type);

G_END_DECLS
