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

typedef struct _BuskerSourceReader BuskerSourceReader;

/* Errors are BUSKER_ENGINE_ERROR_SOURCE and name the file. */
BuskerSourceReader *busker_source_reader_new (const char *path, double offset_s,
                                              double project_rate, uint32_t max_block,
                                              GError **error);
void busker_source_reader_free (BuskerSourceReader *reader);

uint32_t busker_source_reader_get_channels (const BuskerSourceReader *reader);
/* Project frame just past the end of the file (offset included). */
int64_t busker_source_reader_get_end (const BuskerSourceReader *reader);

gboolean busker_source_reader_seek (BuskerSourceReader *reader, int64_t frame,
                                    GError **error);
/* The next n (<= max_block) project frames, planar; silence before the
 * offset and after the end; a mono file fills both channels. */
gboolean busker_source_reader_read (BuskerSourceReader *reader, float *left,
                                    float *right, uint32_t n, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuskerSourceReader, busker_source_reader_free)

G_END_DECLS
