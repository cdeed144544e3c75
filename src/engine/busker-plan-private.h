/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The inside of a plan, shared by the compiler (busker-plan.c) and the
 * process (busker-process.c). Fields marked "main" are written by the main
 * thread only, "RT" by the thread processing that strip only; atomics cross.
 */
#pragma once

#include <stdatomic.h>

#include "busker-plan.h"
#include "dsp/dsp-util.h"

typedef struct {
  const BuskerEffectClass *klass;
  void *self;
  bool post_fader;
  _Atomic float *params;    /* main -> RT, one slot per parameter */
  _Atomic uint32_t serial;  /* bumped after any params store: RT scans only then */
  uint32_t seen_serial;     /* RT */
  float *pushed;            /* RT: last value given to set_param */
  _Atomic float bypass;     /* 0 or 1 */
  bool was_bypassed;        /* RT */
  uint32_t latency;         /* at build; a bypassed unit is replaced by a delay of this length */
  float *bypass_ring[2];    /* latency frames each, NULL when latency is 0 */
  uint32_t bypass_pos;      /* RT */
  _Atomic float gr_db;      /* RT -> main */
} BuskerPlanInsert;

/* A level in dB and its gain, the last one the audio thread converted:
 * levels rarely move, and powf on every strip every cycle showed in
 * live profiles (cold code after each wake-up). db starts as NaN. */
typedef struct {
  float db, gain;
} BuskerDbGain;

/* A pan position, its law and its two gains (busker_pan_gains), the last
 * ones the audio thread worked out: cosf every cycle showed in profiles
 * too. pan starts as NaN. */
typedef struct {
  float pan, l, r;
  bool mono;
} BuskerPanGains;

typedef struct {
  uint32_t to;
  bool pre_fader;
  _Atomic float level_db, pan, mute;
} BuskerPlanSend;

/* One input of a bus: a feeder's output, or one of its sends. The bus
 * that owns the edge is the only one to run it, so its state is RT-only. */
typedef struct {
  uint32_t from;
  int32_t send;             /* -1 for the feeder's output */
  uint32_t delay;           /* latency compensation, frames */
  float *ring[2];           /* delay frames each, or NULL */
  uint32_t ring_pos;
  BuskerSmoothed gain[2];   /* send level x send pan; unused for outputs */
  BuskerDbGain level;       /* RT: the send's level */
  BuskerPanGains pan;       /* RT: the send's pan */
} BuskerPlanEdge;

typedef struct {
  BuskerStripKind kind;
  char *name;
  bool mono_source;

  _Atomic float trim_db, polarity, gain_db, pan, mute, solo;
  _Atomic int audible;      /* main (solo resolve) -> RT */

  BuskerPlanInsert *inserts;
  uint32_t n_inserts;
  BuskerPlanSend *sends;
  uint32_t n_sends;
  bool has_pre_sends;
  BuskerPlanEdge *edges;    /* buses only */
  uint32_t n_edges;

  float *buf[2];            /* the strip's signal; its output after a block */
  float *own[2];            /* the buffers allocated for it (buf, unless shared) */
  bool in_place;            /* buf is its only feeder's (busker_plan_share_buffers) */
  float *pre[2];            /* pre-fader tap, when it has pre-fader sends */

  /* RT smoothing state */
  BuskerSmoothed in_gain, fader, pan_gain[2], on;
  BuskerDbGain trim_gain, fader_gain;
  BuskerPanGains pan_gains;
  BuskerSmoothed fault_gain; /* 0 after a faulted block, ramping back to 1 */
  float last_out[4];         /* the last output (L, R) and pre-fader tap (L, R)
                              * samples, where a fault fades from */
  double ms[2];             /* RMS integrator */

  _Atomic float peak[2], rms[2];
  _Atomic int fault;

  uint32_t latency_pre, latency_in, latency_out;
  uint32_t level;
} BuskerPlanStrip;

/* Identifies an insert across plans: strip id, effect type and how many
 * inserts of that type come before it on the strip. Sorted by key so two
 * plans can be matched in one merge pass on the audio thread. */
typedef struct {
  uint64_t key;
  BuskerPlanInsert *insert;
} BuskerPlanInsertKey;

struct _BuskerPlan {
  double sample_rate;
  uint32_t max_block;
  uint32_t n_strips;
  BuskerPlanStrip *strips;
  uint32_t master;
  uint32_t *order;          /* strips by level */
  uint32_t *level_start;    /* n_levels + 1 offsets into order */
  uint32_t n_levels;
  float rms_coef_per_frame; /* one-pole for 300 ms */
  uint32_t rms_block;       /* RT: the block length rms_coef_block is for */
  double rms_coef_block;    /* RT: the one-pole over rms_block frames */
  BuskerMixDesc *routing;   /* main: kind/output/sends/mute/solo for busker_solo_resolve */
  BuskerPlanInsertKey *keys;
  uint32_t n_keys;
  /* The transport's strip -> stream table for this plan (busker-transport.c):
   * it lives exactly as long as the plan, so the audio thread never sees a
   * stream freed under it. Freed with the plan, on the main thread. */
  void *binding;
  void (*binding_free) (void *binding);
  BuskerPlanTapFunc tap;    /* offline analysis only, see busker_plan_set_tap */
  void *tap_data;
};

/* Snaps every smoothed gain to its current target: a new plan starts at
 * its snapshot's values, not gliding from unity. Main thread, before the
 * plan first runs. */
void busker_plan_settle (BuskerPlan *plan);

/* At a swap, on the audio thread: every insert of next that matches one
 * of prev (same strip id, type and occurrence) takes over prev's running
 * unit, so reverb tails, compressor envelopes and look-ahead buffers run
 * on through an edit; prev keeps next's fresh unit and is freed with it.
 * RT-safe (a merge over two sorted arrays, pointer swaps). */
void busker_plan_adopt_units (BuskerPlan *next, BuskerPlan *prev);
