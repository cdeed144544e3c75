/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Export: renders a mix snapshot offline into audio files (the mix, and
 * stems per subgroup and aux bus), with sample-rate conversion, dither,
 * normalization and an optional loudness report. The contract is the
 * busker-export command line in FORMAT.md; busker-export-cli.c and the
 * window's export dialog both drive this.
 *
 * Main thread or one export thread; not RT.
 */
#pragma once

#include <glib.h>
#include <signal.h>
#include <stdint.h>

#include "busker-loudness.h"
#include "busker-mix-desc.h"
#include "busker-render.h"

G_BEGIN_DECLS

#define BUSKER_EXPORT_ERROR (busker_export_error_quark ())
GQuark busker_export_error_quark (void);

typedef enum {
  BUSKER_EXPORT_ERROR_INPUT,     /* bad options, project or source: exit 2 */
  BUSKER_EXPORT_ERROR_FAILED,    /* rendering or writing failed: exit 1 */
  BUSKER_EXPORT_ERROR_CANCELLED, /* the cancel flag was raised */
} BuskerExportError;

typedef enum {
  BUSKER_EXPORT_WAV,
  BUSKER_EXPORT_FLAC,
  BUSKER_EXPORT_OGG,
  BUSKER_EXPORT_AIFF,
  BUSKER_EXPORT_MP3,  /* MPEG-1 Layer III through LAME, CBR; 32/44.1/48 kHz */
  BUSKER_EXPORT_OPUS, /* Ogg Opus; 8/12/16/24/48 kHz */
} BuskerExportFormat;

typedef enum {
  BUSKER_EXPORT_BITS_16,
  BUSKER_EXPORT_BITS_24,
  BUSKER_EXPORT_BITS_32F,
} BuskerExportBits;

typedef enum {
  BUSKER_NORMALIZE_NONE,
  BUSKER_NORMALIZE_PEAK, /* target in dBFS (sample peak) */
  BUSKER_NORMALIZE_LUFS, /* target in LUFS, under the true-peak ceiling */
} BuskerNormalize;

typedef void (*BuskerExportProgressFunc) (double fraction, gpointer user_data);

typedef struct {
  BuskerExportFormat format;
  BuskerExportBits bits;
  double rate_hz;               /* 0: the project's rate */
  BuskerNormalize normalize;
  double normalize_target;      /* dBFS or LUFS */
  double true_peak_ceiling_dbtp;
  gboolean has_range;
  double start_s, end_s;
  const char *stems_dir;        /* NULL: no stems */
  int bitrate_kbps;             /* MP3 and Opus; 0: 320 for MP3, 192 for Opus */
  /* Bytes past which WAV is written as RF64 and AIFF refused; 0: 4 GiB
   * (what a 32-bit RIFF size holds). Tests lower it. */
  uint64_t max_riff_bytes;
  gboolean analyze;             /* fill the result's loudness report */
  BuskerExportProgressFunc progress;
  gpointer progress_data;
  /* Checked once per block; a signal handler may raise it. */
  const volatile sig_atomic_t *cancel;
} BuskerExportOptions;

typedef struct {
  BuskerLoudnessReport report; /* of the mix as written, when analyze */
  double gain_db;              /* normalization gain applied */
  gboolean limited;            /* the true-peak limiter was needed */
  int64_t frames;              /* length of the mix at the output rate */
  double rate_hz;              /* the output rate */
  /* What the export altered or worked around (faults silenced, samples
   * replaced, headers that lied, stems renamed, RF64): BuskerRenderWarning*
   * in the order found; NULL when there was nothing to say. Free with
   * busker_export_result_clear (). */
  GPtrArray *warnings;
} BuskerExportResult;

/* WAV, 24 bits, project rate, no normalization, -1 dBTP ceiling. */
void busker_export_options_init (BuskerExportOptions *options);

/* "wav", "flac", "ogg" (also "oga"), "aiff" (also "aif"), "mp3", "opus";
 * FALSE otherwise. */
gboolean busker_export_format_from_name (const char *name, BuskerExportFormat *format);
/* From the file name's extension. */
gboolean busker_export_format_from_path (const char *path, BuskerExportFormat *format);
const char *busker_export_format_extension (BuskerExportFormat format);

/* Frees the warnings; the rest of the result stays readable. */
void busker_export_result_clear (BuskerExportResult *result);

/* The result as one JSON object: the loudness report's keys
 * (busker_loudness_report_to_json) and "warnings": [{"strip", "start_s",
 * "end_s", "message"}] (null where a value does not apply). */
char *busker_export_result_to_json (const BuskerExportResult *result);

/* Bytes of audio data a file of this many frames (stereo) takes in an
 * uncompressed format, for the container choice; 0 for compressed ones. */
uint64_t busker_export_data_bytes (BuskerExportFormat format, BuskerExportBits bits,
                                   int64_t frames);

/* Renders desc into out_path (may be NULL when only stems or the report
 * are wanted). On failure no file is left at any target and an existing
 * file there is untouched; the error is one sentence naming the file. */
gboolean busker_export_run (const BuskerMixDesc *desc,
                            const char *out_path,
                            const BuskerExportOptions *options,
                            BuskerExportResult *result,
                            GError **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BuskerExportResult, busker_export_result_clear)

G_END_DECLS
