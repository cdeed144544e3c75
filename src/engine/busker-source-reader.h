/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One file source of the offline renderer, streamed block by block and
 * resampled to the project rate. See busker-source-reader.c.
 *
 * One thread at a time (not RT: it does file I/O).
 */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* The longest timeline a source may sit on: an offset_s beyond ±48 hours
 * is refused (it would overflow frame counts or render days of silence). */
#define BUSKER_SOURCE_MAX_OFFSET_S (48.0 * 3600.0)

typedef struct _BuskerSourceReader BuskerSourceReader;

/* Errors are BUSKER_ENGINE_ERROR_SOURCE and name the file. */
BuskerSourceReader *busker_source_reader_new (const char *path, double offset_s,
                                              double project_rate, uint32_t max_block,
                                              GError **error);
void busker_source_reader_free (BuskerSourceReader *reader);

/* 1 for a mono file, 2 otherwise (more channels are folded to stereo). */
uint32_t busker_source_reader_get_channels (const BuskerSourceReader *reader);
/* Project frame just past the end of the file (offset included). */
int64_t busker_source_reader_get_end (const BuskerSourceReader *reader);

gboolean busker_source_reader_seek (BuskerSourceReader *reader, int64_t frame,
                                    GError **error);
/* The next n (<= max_block) project frames, planar; silence before the
 * offset and after the end; a mono file fills both channels. */
gboolean busker_source_reader_read (BuskerSourceReader *reader, float *left,
                                    float *right, uint32_t n, GError **error);

/* What opening the file found and worked around, as sentences without the
 * file's name ("the header was incomplete …", "6 channels folded …");
 * NULL-terminated, never NULL, owned by the reader. */
const char *const *busker_source_reader_get_warnings (const BuskerSourceReader *reader);

/* Non-finite samples (NaN, ±Inf) read so far, each replaced by 0 on its
 * own (one sample of one channel; its neighbours are kept). Returns the
 * count; *first_s and *last_s (may be NULL) get the project times in
 * seconds of the first and last one. */
uint64_t busker_source_reader_get_replaced (const BuskerSourceReader *reader,
                                            double *first_s, double *last_s);

/* TRUE when the file ended before the length it had when it was opened
 * (it was cut while being read; the rest played as silence); *at_s and
 * *end_s (may be NULL) get the project times where it ended and where it
 * should have. */
gboolean busker_source_reader_get_ended_early (const BuskerSourceReader *reader,
                                               double *at_s, double *end_s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuskerSourceReader, busker_source_reader_free)

G_END_DECLS
