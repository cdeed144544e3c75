/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WAV files whose recorder stopped before it wrote the sizes: the `data`
 * chunk says 0 bytes although audio follows. libsndfile then reads
 * nothing; ffmpeg reads to the end of the file, and so do we, by opening
 * the file through a view whose header carries the real sizes.
 *
 * (Sizes that are too large — the 0xFFFFFFFF and 0x7FFFFFFF placeholders,
 * a header written for a longer take — need no repair: libsndfile reads
 * what the file holds and notes it in its log.)
 *
 * One thread at a time; not RT.
 */
#pragma once

#include <glib.h>
#include <sndfile.h>

G_BEGIN_DECLS

typedef struct _BuskerWavRepair BuskerWavRepair;

/* When path is a RIFF WAVE file whose data chunk claims 0 bytes and audio
 * follows, opens it through the repaired view: *file and *info are set and
 * the view is returned (free it after sf_close). NULL when the file needs
 * no such repair or is not a WAV file: open it the usual way. */
BuskerWavRepair *busker_wav_repair_open (const char *path, SF_INFO *info, SNDFILE **file);
void busker_wav_repair_free (BuskerWavRepair *repair);

G_END_DECLS
