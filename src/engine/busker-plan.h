/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A render plan: a mix snapshot compiled into what process() runs. See
 * busker-plan.c for the design.
 *
 * Threads: new/free and every setter/getter below run on the main thread
 * (or the one thread that owns an offline render). The audio side only
 * touches a plan through busker-process.h.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "busker-mix-desc.h"

G_BEGIN_DECLS

typedef struct _BuskerPlan BuskerPlan;

/* Refuses a snapshot with no master, a routing cycle or an impossible
 * route with BUSKER_ENGINE_ERROR_INVALID, naming the strip; an effect that
 * cannot be created gives BUSKER_ENGINE_ERROR_FAILED. */
BuskerPlan *busker_plan_new (const BuskerMixDesc *desc, uint32_t max_block,
                             GError **error);
void busker_plan_free (BuskerPlan *plan);

uint32_t busker_plan_get_n_strips (const BuskerPlan *plan);
uint32_t busker_plan_get_max_block (const BuskerPlan *plan);
uint32_t busker_plan_get_master (const BuskerPlan *plan);
/* Frames between a track's input and the master's output. */
uint32_t busker_plan_get_latency (const BuskerPlan *plan);
/* Frames between a track's input and this strip's output. */
uint32_t busker_plan_get_strip_latency (const BuskerPlan *plan, uint32_t strip);

/* A track fed by a one-channel file pans with constant power instead of
 * balance. Set before the plan first runs. */
void busker_plan_set_strip_mono_source (BuskerPlan *plan, uint32_t strip,
                                        bool mono);

/* Runtime parameters: atomic stores, picked up by the next block and
 * smoothed there. Out-of-range indices are ignored with a critical. */
void busker_plan_set_strip_trim_db (BuskerPlan *plan, uint32_t strip, float db);
void busker_plan_set_strip_polarity_invert (BuskerPlan *plan, uint32_t strip,
                                            bool invert);
void busker_plan_set_strip_gain_db (BuskerPlan *plan, uint32_t strip, float db);
void busker_plan_set_strip_pan (BuskerPlan *plan, uint32_t strip, float pan);
void busker_plan_set_strip_mute (BuskerPlan *plan, uint32_t strip, bool mute);
void busker_plan_set_strip_solo (BuskerPlan *plan, uint32_t strip, bool solo);
void busker_plan_set_send_level_db (BuskerPlan *plan, uint32_t strip,
                                    uint32_t send, float db);
void busker_plan_set_send_pan (BuskerPlan *plan, uint32_t strip, uint32_t send,
                               float pan);
void busker_plan_set_send_mute (BuskerPlan *plan, uint32_t strip, uint32_t send,
                                bool mute);
/* value is clamped to the parameter's spec here. */
void busker_plan_set_insert_param (BuskerPlan *plan, uint32_t strip,
                                   uint32_t insert, uint32_t index, float value);
void busker_plan_set_insert_bypass (BuskerPlan *plan, uint32_t strip,
                                    uint32_t insert, bool bypass);

/* An offline observer of the signal inside each strip, for analysis (the
 * mix assistant). process() calls it on the thread that runs the strip:
 * at BUSKER_PLAN_TAP_INPUT where the strip enters its pre-fader inserts
 * (after the input sum and trim/polarity), at BUSKER_PLAN_TAP_POST_FADER
 * after its fader and pan, where post-fader inserts begin, and with
 * point = k after insert k (bypassed ones too), gr_db then being the
 * unit's gain reduction at the end of the block (0 without one). l and r
 * hold n frames, valid during the call. The callback need not be RT-safe,
 * so only offline renders set one; the live engine never does. Set before
 * the plan first runs; NULL (the default) removes it. */
enum { BUSKER_PLAN_TAP_INPUT = -1, BUSKER_PLAN_TAP_POST_FADER = -2 };
typedef void (*BuskerPlanTapFunc) (void *data, uint32_t strip, int32_t point,
                                   const float *l, const float *r, uint32_t n,
                                   float gr_db);
/* Main thread, before the plan first runs, for a plan of which only the
 * master's output is read after a run (the live node's): a bus whose one
 * input is another strip's output, which nothing else reads (that strip
 * has no sends) and which needs no latency delay, then works in that
 * strip's buffers instead of summing them into its own; the feeder's
 * output is not kept. Saves a copy per channel and block per such bus;
 * the output is the same (the sum of one input is that input). */
void busker_plan_share_buffers (BuskerPlan *plan);
void busker_plan_set_tap (BuskerPlan *plan, BuskerPlanTapFunc tap, void *data);

/* Whether the strip is heard under the current mute/solo state. */
bool busker_plan_get_strip_audible (const BuskerPlan *plan, uint32_t strip);

/* Meters, read from a frame-clock tick. Peak is the largest sample since
 * the previous read (reading resets it); RMS is integrated over ~300 ms. */
float busker_plan_read_strip_peak_db (BuskerPlan *plan, uint32_t strip,
                                      uint32_t channel);
float busker_plan_get_strip_rms_db (const BuskerPlan *plan, uint32_t strip,
                                    uint32_t channel);
float busker_plan_get_insert_gain_reduction_db (const BuskerPlan *plan,
                                                uint32_t strip, uint32_t insert);
/* True when the strip produced a non-finite block or an insert failed
 * since the last read; reading clears it. */
bool busker_plan_read_strip_fault (BuskerPlan *plan, uint32_t strip);

G_END_DECLS
