/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Crash safety: an autosave of a project's unsaved edits to a recovery
 * file, never to the project file itself.
 *
 * - Where: beside the project, ".NAME.busker.recovery" (hidden, same
 *   folder, so relative source paths resolve as in the project); for a
 *   project never saved, "$XDG_STATE_HOME/busker/untitled-PID-N.busker.recovery".
 * - When: every BUSKER_AUTOSAVE_SECONDS seconds (default 60; tests set 1)
 *   the project's text is written if there are unsaved edits and it
 *   differs from what the recovery file already holds. Writing is atomic
 *   (temporary file + rename), so a crash mid-write leaves the previous one.
 * - Removed when the project is saved, or closed without saving.
 * - At the next open, a recovery file newer than its project (or any
 *   untitled one at a start with no file) is offered for restoring.
 *
 * Main thread only.
 */
#pragma once

#include <gio/gio.h>

#include "model/busker-project.h"

G_BEGIN_DECLS

typedef struct _BuskerRecovery BuskerRecovery;

typedef gboolean (*BuskerRecoveryModifiedFunc) (gpointer user_data);
/* One sentence naming the recovery file and what failed. */
typedef void (*BuskerRecoveryErrorFunc) (const char *sentence, gpointer user_data);

/* Starts autosaving project; modified says whether there are unsaved
 * edits (the project's dirty flag, or a restored autosave). */
BuskerRecovery *busker_recovery_new (BuskerProject *project,
                                     BuskerRecoveryModifiedFunc modified,
                                     BuskerRecoveryErrorFunc on_error,
                                     gpointer user_data);
/* Stops autosaving; the recovery file stays (a later start offers it). */
void busker_recovery_free (BuskerRecovery *self);
/* Deletes the recovery file: the edits were saved or discarded. */
void busker_recovery_discard (BuskerRecovery *self);
/* Writes now if there is anything unsaved; FALSE with error on failure. */
gboolean busker_recovery_write_now (BuskerRecovery *self, GError **error);
/* The file it writes (changes when the project is saved elsewhere). */
GFile *busker_recovery_get_file (BuskerRecovery *self);

/* The recovery file of a project file (whether or not it exists). */
GFile *busker_recovery_file_for (GFile *project_file);
/* A recovery file for project_file newer than it, or NULL. */
GFile *busker_recovery_find (GFile *project_file);
/* The newest recovery file of an untitled project, or NULL. */
GFile *busker_recovery_find_untitled (void);
/* The autosave interval in seconds (BUSKER_AUTOSAVE_SECONDS, default 60). */
guint busker_recovery_interval_s (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuskerRecovery, busker_recovery_free)

G_END_DECLS
