/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The offline renderer: a render plan fed from file sources, run block by
 * block as fast as the machine allows. Export (busker-export and the
 * window's dialog) drives it; the live PipeWire node runs the same plan's
 * process() with live inputs instead.
 *
 * Main thread (or one export thread); not RT.
 */
#pragma once

#include <glib.h>

#include "busker-mix-desc.h"
#include "busker-plan.h"

G_BEGIN_DECLS

#define BUSKER_ENGINE_ERROR (busker_engine_error_quark ())
GQuark busker_engine_error_quark (void);

typedef enum {
  BUSKER_ENGINE_ERROR_SOURCE,  /* a source file is missing, truncated or not audio */
  BUSKER_ENGINE_ERROR_INVALID, /* the snapshot is not a valid mix (routing, master) */
  BUSKER_ENGINE_ERROR_FAILED,  /* anything else at run time */
} BuskerEngineError;

typedef struct _BuskerRender BuskerRender;

/* Something the render altered or worked around, for the person who
 * exports: a source whose header lied, channels folded, non-finite samples
 * replaced, a strip silenced by a fault. */
typedef struct {
  char *strip_id;  /* the strip it concerns */
  double start_s;  /* project time it covers, in seconds; NAN when it */
  double end_s;    /* concerns the whole source */
  char *message;   /* one sentence naming the strip (and file), what happened
                    * and what was done */
} BuskerRenderWarning;

void busker_render_warning_free (BuskerRenderWarning *warning);

/* Compiles the snapshot and opens every file source (streamed, resampled to
 * desc->sample_rate when needed). Live and capture sources render silence.
 * An error names the file or strip and what is wrong. */
BuskerRender *busker_render_new (const BuskerMixDesc *desc, GError **error);
void busker_render_free (BuskerRender *render);

/* Frames from 0 to the end of the last file source (offset included), at
 * the project rate. Effect tails are the caller's business. */
int64_t busker_render_source_length (BuskerRender *render);

/* Total plan latency in frames (look-ahead of the master path): the caller
 * drops this many frames from the start of the output to keep it aligned. */
uint32_t busker_render_latency (BuskerRender *render);

/* The same for one strip's output (a stem): a subgroup without look-ahead
 * is ahead of a master with a limiter, so each stem drops its own count. */
uint32_t busker_render_strip_latency (BuskerRender *render, uint32_t strip_index);

/* Channels of the strip's file source (1 or 2), 0 for a strip without
 * one. A one-channel file reaches the track's inserts on both channels. */
uint32_t busker_render_source_channels (BuskerRender *render, uint32_t strip_index);

/* Positions every source at this frame (project rate). */
gboolean busker_render_seek (BuskerRender *render, int64_t frame, GError **error);

/* Renders the next n frames (n <= busker_render_max_block ()). Returns FALSE
 * with an error when a source read fails mid-way. */
gboolean busker_render_process (BuskerRender *render, uint32_t n, GError **error);
uint32_t busker_render_max_block (BuskerRender *render);

/* The last block's post-fader output of a strip (stems) or of the master:
 * channel 0 is left, 1 right; valid until the next process call. */
const float *busker_render_strip_output (BuskerRender *render,
                                         uint32_t strip_index,
                                         uint32_t channel);

/* The warnings so far, in time order within each kind (sources found at
 * open time, replaced samples, faults): a new array of
 * BuskerRenderWarning*, freed with g_ptr_array_unref. Faults are read from
 * the plan after each process call; a strip faulting in consecutive blocks
 * is one warning. */
GPtrArray *busker_render_get_warnings (BuskerRender *render);
/* Observes the signal inside every strip while rendering (see
 * busker_plan_set_tap, busker-plan.h). The callback runs on the thread
 * that renders the strip, possibly the worker: it may only touch state of
 * that strip. Set before the first process call. */
void busker_render_set_tap (BuskerRender *render, BuskerPlanTapFunc tap, void *data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuskerRender, busker_render_free)

G_END_DECLS
