/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Writing an output file so that it appears complete or not at all: the
 * data goes to a hidden temporary beside the target, renamed onto it when
 * finished. Shared by export and the recorder.
 *
 * Any thread but the audio thread (file I/O).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Creates ".BASENAME.XXXXXX" in target's folder with the mode a new file
 * would get and returns its descriptor, the temporary's path in *temp. A
 * target that exists and is not a regular file (a device, a FIFO) is
 * opened for writing in place instead and *temp is NULL: renaming over it
 * would be wrong. Returns -1 with errno set on failure. */
int busker_file_target_open (const char *target, char **temp);

/* Moves the finished temporary onto target; FALSE with errno set. */
gboolean busker_file_target_commit (const char *temp, const char *target);

G_END_DECLS
