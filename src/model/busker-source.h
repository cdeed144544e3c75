/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "engine/busker-mix-desc.h"

G_BEGIN_DECLS

#define BUSKER_TYPE_SOURCE (busker_source_get_type ())
G_DECLARE_FINAL_TYPE (BuskerSource, busker_source, BUSKER, SOURCE, GObject)

/* kind is BUSKER_SOURCE_FILE, _LIVE or _CAPTURE (construct-only). */
BuskerSource *busker_source_new (BuskerSourceKind kind);
BuskerSource *busker_source_new_file (const char *path, double offset_s);
BuskerSource *busker_source_new_capture (const char *node);

BuskerSourceKind busker_source_get_kind (BuskerSource *self);
/* FILE: as written in the project, relative to the project's folder. */
const char *busker_source_get_path (BuskerSource *self);
void busker_source_set_path (BuskerSource *self, const char *path);
double busker_source_get_offset_s (BuskerSource *self);
void busker_source_set_offset_s (BuskerSource *self, double offset_s);
/* CAPTURE: PipeWire node.name. */
const char *busker_source_get_node (BuskerSource *self);
void busker_source_set_node (BuskerSource *self, const char *node);

/* LIVE: the applications whose streams go to this track (FORMAT.md
 * "apps": application.id, process binary or application.name, matched
 * case-insensitively). NULL-terminated, never NULL; NULL sets none. */
const char *const *busker_source_get_apps (BuskerSource *self);
void busker_source_set_apps (BuskerSource *self, const char *const *apps);

const char *busker_source_kind_to_string (BuskerSourceKind kind);

G_END_DECLS
