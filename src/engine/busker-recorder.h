/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The recorder: writes what the master plays to a file while it plays
 * (busker --headless --record OUT). The audio thread pushes into a
 * lock-free ring; a writer thread drains it through libsndfile into a
 * temporary file beside OUT, renamed onto OUT by busker_recorder_finish.
 *
 * Threads: new/finish/free on the main thread; push on the audio thread.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef struct _BuskerRecorder BuskerRecorder;

/* The format comes from path's extension (wav, flac, ogg, aiff, mp3,
 * opus), 32-bit float where the format has it. Fails with one sentence
 * naming path (BUSKER_ENGINE_ERROR_FAILED, busker-render.h). */
BuskerRecorder *busker_recorder_new (const char *path, uint32_t rate_hz,
                                     GError **error);
/* Audio thread: n frames played at rate_hz (the graph's rate; frames at
 * another rate than the file's are converted to it by the writer) in the
 * cycle that started at time_ns (CLOCK_MONOTONIC, as spa_io_clock.nsec;
 * 0 when unknown). A cycle that starts more than 10 ms after the last
 * one ended (or after the recorder was made) is preceded by silence for
 * the time between, so the file keeps time while the graph pauses; with
 * 0 the frames follow the last ones. Frames that do not fit in the ring
 * are counted as dropped, never waited for. RT-safe */
void busker_recorder_push (BuskerRecorder *recorder, const float *left,
                           const float *right, uint32_t n, uint32_t rate_hz,
                           uint64_t time_ns);
/* Drains, adds the silence from the last cycle's end to now when pushes
 * carried times, closes and renames onto the target; false (and no file
 * at the target) on failure or when frames were dropped. The audio side
 * must push no more. Frees the recorder. */
bool busker_recorder_finish (BuskerRecorder *recorder, GError **error);

G_END_DECLS
