/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * MP3 files through libmpg123, for the source reader: libsndfile's MP3
 * length is an estimate from the first frame when there is no Xing/Info
 * header (a VBR file then plays only a few seconds), so MP3 is decoded
 * here, with the exact length from a scan of the whole file.
 *
 * One thread at a time; not RT (file I/O).
 */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef struct _BuskerMp3Decoder BuskerMp3Decoder;

/* NULL with *problem (a phrase without the file name) when the file is
 * not an MP3 stream libmpg123 can decode. */
BuskerMp3Decoder *busker_mp3_decoder_open (const char *path, char **problem);
void busker_mp3_decoder_free (BuskerMp3Decoder *dec);

int busker_mp3_decoder_get_rate (const BuskerMp3Decoder *dec);         /* Hz */
int busker_mp3_decoder_get_channels (const BuskerMp3Decoder *dec);     /* 1 or 2 */
int64_t busker_mp3_decoder_get_frames (const BuskerMp3Decoder *dec);   /* exact, after a scan */

/* Up to n interleaved float frames; the count read (0 at the end), or -1
 * on a decoding error. */
int64_t busker_mp3_decoder_read (BuskerMp3Decoder *dec, float *frames, int64_t n);
/* Sample-exact (the scan built the seek index). */
gboolean busker_mp3_decoder_seek (BuskerMp3Decoder *dec, int64_t frame);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuskerMp3Decoder, busker_mp3_decoder_free)

G_END_DECLS
