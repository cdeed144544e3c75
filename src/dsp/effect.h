/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The contract between an effect unit and everything above it.
 *
 * Each insert type of the file format (FORMAT.md) has one BuskerEffectClass.
 * Its parameter table (params.c) is the single source of truth: the file
 * format reads key names, ranges and defaults from it, the GUI builds knobs
 * from it, and the engine addresses parameters by their index in it.
 *
 * Arrays of the file format are flattened into indexed names that are the
 * JSON path below the insert object: "bands[2].freq_hz", "crossovers_hz[0]".
 * Choices travel as a float holding the index into `choices`; booleans as
 * 0 or 1.
 *
 * Threads: create/destroy on the main thread (they may allocate); every
 * other function is RT-safe and runs on the audio thread.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks a string for translation without pulling GLib into src/dsp/. */
#define BUSKER_N_(s) (s)

typedef enum {
  BUSKER_PARAM_FLOAT,
  BUSKER_PARAM_BOOL,
  BUSKER_PARAM_CHOICE,
} BuskerParamKind;

/* How a knob maps its travel onto the range. */
typedef enum {
  BUSKER_SCALE_LINEAR,
  BUSKER_SCALE_LOG, /* frequencies, times, ratios: min must be > 0 */
} BuskerParamScale;

typedef struct {
  const char *name;  /* key in the file format, e.g. "threshold_db" */
  const char *label; /* English, marked with BUSKER_N_ for gettext */
  const char *unit;  /* "dB", "Hz", "ms", "s", "%" or "" */
  BuskerParamKind kind;
  BuskerParamScale scale;
  float min, max, def;
  const char *const *choices; /* CHOICE only: NULL-terminated file names */
} BuskerParamSpec;

typedef struct BuskerEffectClass BuskerEffectClass;

struct BuskerEffectClass {
  const char *type;  /* as in FORMAT.md: "eq", "compressor", ... */
  const char *label; /* English, BUSKER_N_ */
  const BuskerParamSpec *params;
  uint32_t n_params;

  /* Main thread. Returns NULL on allocation failure. The unit starts with
   * every parameter at its default, already settled (no ramp from zero). */
  void *(*create) (double sample_rate, uint32_t max_block);
  void (*destroy) (void *self);

  /* RT-safe from here on. */
  void (*reset) (void *self);
  /* value is already clamped to the spec's range by the caller; the unit
   * smooths it. tempo_bpm reaches tempo-synced units through set_tempo. */
  void (*set_param) (void *self, uint32_t index, float value);
  /* In place, planar stereo, n <= max_block. Returns false when the input,
   * a parameter or the state went non-finite: that block is silenced and
   * the unit has reset itself, so the next block is clean again. */
  bool (*process) (void *self, float *left, float *right, uint32_t n);
  /* Look-ahead in frames at the current settings; NULL means 0. */
  uint32_t (*latency) (const void *self);
  /* Current gain reduction in dB (>= 0); NULL when the unit has none. */
  float (*gain_reduction_db) (const void *self);
  /* Tempo for synced units; NULL when the unit ignores tempo. */
  void (*set_tempo) (void *self, float bpm);
};

/* Every effect type, in menu order, NULL-terminated. */
extern const BuskerEffectClass *const busker_effect_classes[];

/* NULL when no effect of that type exists. */
const BuskerEffectClass *busker_effect_class_lookup (const char *type);

/* Index of a parameter by name, or -1. */
int busker_effect_class_find_param (const BuskerEffectClass *klass,
                                    const char *name);

/* Clamps to range; rounds choices and booleans; NaN gives the default. */
float busker_param_spec_clamp (const BuskerParamSpec *spec, float value);

#ifdef __cplusplus
}
#endif
