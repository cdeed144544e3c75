/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A plain snapshot of a mix: what the model hands the engine, and what the
 * engine compiles into a render plan. It mirrors FORMAT.md, with routing
 * resolved to strip indices and insert parameters resolved to values in
 * the effect's parameter table. No GObject: the engine sits below the
 * model (DESIGN.md, layers), and a snapshot can be built by tests directly.
 *
 * Owned by the main thread. Strings and arrays belong to the snapshot.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "dsp/effect.h"

G_BEGIN_DECLS

typedef enum {
  BUSKER_STRIP_TRACK,
  BUSKER_STRIP_SUBGROUP,
  BUSKER_STRIP_AUX,
  BUSKER_STRIP_MASTER,
} BuskerStripKind;

typedef enum {
  BUSKER_SOURCE_NONE,    /* buses */
  BUSKER_SOURCE_FILE,
  BUSKER_SOURCE_LIVE,    /* a PipeWire sink named after the track */
  BUSKER_SOURCE_CAPTURE, /* a PipeWire node, by node.name */
} BuskerSourceKind;

typedef struct {
  const BuskerEffectClass *klass;
  float *values; /* klass->n_params, already clamped */
  bool bypass;
  bool post_fader;
} BuskerInsertDesc;

typedef struct {
  uint32_t to;    /* index of an aux strip */
  float level_db; /* -INFINITY is silence */
  float pan;      /* -1 ... +1 */
  bool pre_fader;
  bool mute;
} BuskerSendDesc;

typedef struct {
  char *id;
  char *name;
  BuskerStripKind kind;

  BuskerSourceKind source;
  char *source_path; /* FILE: absolute path */
  double source_offset_s;
  char *source_node; /* CAPTURE: node.name */

  float trim_db;
  bool polarity_invert;
  float gain_db; /* the fader; -INFINITY is silence */
  float pan;
  bool mute;
  bool solo;
  int32_t output; /* strip index; -1 on the master */

  BuskerInsertDesc *inserts;
  uint32_t n_inserts;
  BuskerSendDesc *sends;
  uint32_t n_sends;
} BuskerStripDesc;

typedef struct {
  double sample_rate;
  double tempo_bpm;
  BuskerStripDesc *strips;
  uint32_t n_strips;
} BuskerMixDesc;

/* Strips zeroed, with gain 0 dB, output -1 and kind TRACK. */
BuskerMixDesc *busker_mix_desc_new (uint32_t n_strips, double sample_rate);
void busker_mix_desc_free (BuskerMixDesc *desc);

/* Sets the strip's inserts/sends arrays to n zeroed entries. */
void busker_strip_desc_alloc_inserts (BuskerStripDesc *strip, uint32_t n);
void busker_strip_desc_alloc_sends (BuskerStripDesc *strip, uint32_t n);

/* An insert of that class with every parameter at its default. */
void busker_insert_desc_init (BuskerInsertDesc *insert,
                              const BuskerEffectClass *klass);

/* Index of the master strip, or -1. */
int32_t busker_mix_desc_find_master (const BuskerMixDesc *desc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuskerMixDesc, busker_mix_desc_free)

G_END_DECLS
