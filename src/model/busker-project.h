/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A Busker project: the strips of a mix (a GListModel of BuskerStrip in
 * display order), its routing rules, undo history and .busker file.
 * docs/project-format.md is the file format; the main thread owns it.
 */
#pragma once

#include <gio/gio.h>

#include "engine/busker-mix-desc.h"
#include "busker-insert.h"
#include "busker-model-enums.h"
#include "busker-send.h"
#include "busker-source.h"
#include "busker-strip.h"

G_BEGIN_DECLS

#define BUSKER_PROJECT_ERROR (busker_project_error_quark ())
GQuark busker_project_error_quark (void);

typedef enum {
  BUSKER_PROJECT_ERROR_PARSE,         /* not JSON */
  BUSKER_PROJECT_ERROR_INVALID,       /* JSON, but not a valid project */
  BUSKER_PROJECT_ERROR_NEWER_FORMAT,  /* written by a newer Busker */
  BUSKER_PROJECT_ERROR_TOO_LARGE,     /* above BUSKER_PROJECT_MAX_FILE_SIZE */
  BUSKER_PROJECT_ERROR_ROUTING,       /* a refused output or send */
} BuskerProjectError;

/* The newest "format" this build reads and the one it writes. */
#define BUSKER_PROJECT_FORMAT 1

/* Limits of the loader (docs/project-format.md). */
#define BUSKER_PROJECT_MAX_FILE_SIZE (64 * 1024 * 1024)
#define BUSKER_PROJECT_MAX_STRIPS 4096
#define BUSKER_PROJECT_MAX_INSERTS 64
#define BUSKER_PROJECT_MAX_SENDS 256
#define BUSKER_PROJECT_MAX_STRING 4096
#define BUSKER_PROJECT_MAX_DEPTH 64

#define BUSKER_PROJECT_UNDO_DEPTH 1000

#define BUSKER_TYPE_PROJECT (busker_project_get_type ())
G_DECLARE_FINAL_TYPE (BuskerProject, busker_project, BUSKER, PROJECT, GObject)

/* An empty project: a master bus, 48 kHz, 120 BPM, no file. */
BuskerProject *busker_project_new (void);

/* Errors name the file and the key path ("strips[3].inserts[0].ratio:
 * expected a number"). Clamped values are not errors: see
 * busker_project_get_load_warnings. */
BuskerProject *busker_project_load (GFile *file, GError **error);
/* The same from memory; base (may be NULL) is where relative source paths
 * resolve and what messages name. */
BuskerProject *busker_project_load_from_data (const char *data, gsize length,
                                              GFile *base, GError **error);
/* Atomic: a temporary file in the same folder, fsync, rename; the previous
 * file is kept as NAME.busker.bak. Sets the project's file and clears
 * the dirty flag. */
gboolean busker_project_save (BuskerProject *project, GFile *file,
                              GError **error);
/* The JSON text busker_project_save writes. */
char *busker_project_to_data (BuskerProject *project, gsize *length);

/* What the loader clamped or ignored, one sentence each; NULL-terminated,
 * never NULL. */
const char *const *busker_project_get_load_warnings (BuskerProject *project);

/* File sources resolved to absolute paths (relative to the project file's
 * folder), inserts to class + values, routing to strip indices. Inserts
 * whose effect class is not registered are left out. */
BuskerMixDesc *busker_project_snapshot (BuskerProject *project);

GFile *busker_project_get_file (BuskerProject *project);
gboolean busker_project_get_dirty (BuskerProject *project);
const char *busker_project_get_name (BuskerProject *project);
void busker_project_set_name (BuskerProject *project, const char *name);
double busker_project_get_sample_rate (BuskerProject *project);
void busker_project_set_sample_rate (BuskerProject *project, double rate_hz);
double busker_project_get_tempo_bpm (BuskerProject *project);
void busker_project_set_tempo_bpm (BuskerProject *project, double tempo_bpm);

BuskerStrip *busker_project_get_master (BuskerProject *project);
BuskerStrip *busker_project_find_strip (BuskerProject *project, const char *id);
/* -1 when the strip is not in the project. */
int busker_project_get_strip_position (BuskerProject *project,
                                       BuskerStrip *strip);

/* Refuses a duplicate id, a second master, or an output that is missing
 * or would loop. */
gboolean busker_project_add_strip (BuskerProject *project, BuskerStrip *strip,
                                   guint position, GError **error);
/* Strips that fed a removed bus are rerouted to the master and sends to a
 * removed aux bus are removed; undo restores all of it. Not the master. */
void busker_project_remove_strip (BuskerProject *project, BuskerStrip *strip);
void busker_project_move_strip (BuskerProject *project, BuskerStrip *strip,
                                guint position);

/* target must be a subgroup or the master, and no loop may follow. */
gboolean busker_project_set_output (BuskerProject *project, BuskerStrip *strip,
                                    BuskerStrip *target, GError **error);
/* target must be an aux bus, and no loop may follow. Returns the new send
 * (owned by the strip). */
BuskerSend *busker_project_add_send (BuskerProject *project, BuskerStrip *strip,
                                     BuskerStrip *target, GError **error);
void busker_project_remove_send (BuskerProject *project, BuskerStrip *strip,
                                 BuskerSend *send);
/* Could strip feed target (as output for a subgroup or the master, as a
 * send for an aux bus)? When not, *reason (may be NULL) says why. */
gboolean busker_project_can_route (BuskerProject *project, BuskerStrip *strip,
                                   BuskerStrip *target, char **reason);

/* Solo-in-place: is the strip heard given every mute and solo? */
gboolean busker_project_is_audible (BuskerProject *project, BuskerStrip *strip);

/* Undo: every edit of the project or anything in it is one step, unless
 * it happens between begin and end of a gesture (a fader drag), which
 * makes all of it one step. Gestures nest. */
void busker_project_begin_gesture (BuskerProject *project);
void busker_project_end_gesture (BuskerProject *project);
gboolean busker_project_can_undo (BuskerProject *project);
gboolean busker_project_can_redo (BuskerProject *project);
void busker_project_undo (BuskerProject *project);
void busker_project_redo (BuskerProject *project);

G_END_DECLS
