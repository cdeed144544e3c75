/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Parameter tables: names and units as in FORMAT.md, ranges chosen to cover
 * what mixing engineers reach for, defaults that sound neutral or sensible
 * on a bus. Every layer reads these; nothing else states a range.
 */
#include "params.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#define N_ BUSKER_N_
#define FLOAT(n, l, u, lo, hi, d) \
  { n, N_ (l), u, BUSKER_PARAM_FLOAT, BUSKER_SCALE_LINEAR, lo, hi, d, NULL }
#define LOGF(n, l, u, lo, hi, d) \
  { n, N_ (l), u, BUSKER_PARAM_FLOAT, BUSKER_SCALE_LOG, lo, hi, d, NULL }
#define BOOL(n, l, d) \
  { n, N_ (l), "", BUSKER_PARAM_BOOL, BUSKER_SCALE_LINEAR, 0, 1, d, NULL }
#define CHOICE(n, l, c, count, d) \
  { n, N_ (l), "", BUSKER_PARAM_CHOICE, BUSKER_SCALE_LINEAR, 0, (count) - 1, d, c }

static const char *const eq_band_types[] = {
  "peak", "low_shelf", "high_shelf", "low_pass", "high_pass", "notch", "band_pass", NULL
};
static const char *const eq_channels[] = { "stereo", "mid", "side", "left", "right", NULL };

/* i: the index in the file format; n: the band as people count, from 1. */
#define EQ_BAND(i, n, freq)                                                          \
  CHOICE ("bands[" #i "].type", "Band " #n " type", eq_band_types, 7, BUSKER_EQ_PEAK), \
  LOGF ("bands[" #i "].freq_hz", "Band " #n " frequency", "Hz", 10, 22000, freq),  \
  FLOAT ("bands[" #i "].gain_db", "Band " #n " gain", "dB", -24, 24, 0),           \
  LOGF ("bands[" #i "].q", "Band " #n " Q", "", 0.1f, 20, 0.707f),                 \
  FLOAT ("bands[" #i "].slope_db_oct", "Band " #n " slope", "dB/oct", 12, 48, 12), \
  CHOICE ("bands[" #i "].channel", "Band " #n " channel", eq_channels, 5, BUSKER_EQ_STEREO), \
  BOOL ("bands[" #i "].enabled", "Band " #n " enabled", 1)

const BuskerParamSpec busker_eq_params[BUSKER_EQ_N_PARAMS] = {
  EQ_BAND (0, 1, 60), EQ_BAND (1, 2, 150), EQ_BAND (2, 3, 400), EQ_BAND (3, 4, 1000),
  EQ_BAND (4, 5, 2500), EQ_BAND (5, 6, 5000), EQ_BAND (6, 7, 10000), EQ_BAND (7, 8, 16000),
  FLOAT ("output_gain_db", "Output gain", "dB", -24, 24, 0),
};

static const char *const detectors[] = { "peak", "rms", NULL };

const BuskerParamSpec busker_compressor_params[BUSKER_COMP_N_PARAMS] = {
  FLOAT ("threshold_db", "Threshold", "dB", -60, 0, -18),
  LOGF ("ratio", "Ratio", ":1", 1, 20, 4),
  LOGF ("attack_ms", "Attack", "ms", 0.1f, 200, 10),
  LOGF ("release_ms", "Release", "ms", 5, 2000, 100),
  FLOAT ("knee_db", "Knee", "dB", 0, 24, 6),
  FLOAT ("makeup_db", "Makeup", "dB", 0, 24, 0),
  FLOAT ("mix", "Mix", "", 0, 1, 1),
  CHOICE ("detector", "Detector", detectors, 2, BUSKER_DETECTOR_PEAK),
  FLOAT ("sidechain_hpf_hz", "Sidechain high-pass", "Hz", 0, 500, 0),
  FLOAT ("stereo_link", "Stereo link", "", 0, 1, 1),
};

#define MBC_BAND(i, n, thr)                                                         \
  FLOAT ("bands[" #i "].threshold_db", "Band " #n " threshold", "dB", -60, 0, thr), \
  LOGF ("bands[" #i "].ratio", "Band " #n " ratio", ":1", 1, 20, 2),              \
  LOGF ("bands[" #i "].attack_ms", "Band " #n " attack", "ms", 0.1f, 200, 10),    \
  LOGF ("bands[" #i "].release_ms", "Band " #n " release", "ms", 5, 2000, 150),   \
  FLOAT ("bands[" #i "].makeup_db", "Band " #n " makeup", "dB", 0, 24, 0),        \
  BOOL ("bands[" #i "].bypass", "Band " #n " bypass", 0)

const BuskerParamSpec busker_multiband_params[BUSKER_MBC_N_PARAMS] = {
  FLOAT ("crossovers_hz.length", "Crossovers", "", 1, 3, 2),
  LOGF ("crossovers_hz[0]", "Crossover 1", "Hz", 20, 20000, 120),
  LOGF ("crossovers_hz[1]", "Crossover 2", "Hz", 20, 20000, 1000),
  LOGF ("crossovers_hz[2]", "Crossover 3", "Hz", 20, 20000, 6000),
  MBC_BAND (0, 1, -20), MBC_BAND (1, 2, -20), MBC_BAND (2, 3, -20), MBC_BAND (3, 4, -20),
  FLOAT ("output_gain_db", "Output gain", "dB", -24, 24, 0),
};

const BuskerParamSpec busker_limiter_params[BUSKER_LIMITER_N_PARAMS] = {
  FLOAT ("ceiling_db", "Ceiling", "dBTP", -24, 0, -1),
  FLOAT ("input_gain_db", "Input gain", "dB", -24, 24, 0),
  LOGF ("release_ms", "Release", "ms", 1, 1000, 50),
  LOGF ("lookahead_ms", "Look-ahead", "ms", 0.5f, 20, 5),
  /* Off: the ceiling holds at the samples only (sample peak, LSP's
   * "oversampling: none"); about half the limiter's cost. */
  BOOL ("true_peak", "True peak", 1),
};

static const char *const characters[] = { "tape", "tube", "soft_clip", NULL };

const BuskerParamSpec busker_saturation_params[BUSKER_SAT_N_PARAMS] = {
  FLOAT ("drive_db", "Drive", "dB", 0, 36, 6),
  CHOICE ("character", "Character", characters, 3, BUSKER_SAT_TAPE),
  FLOAT ("mix", "Mix", "", 0, 1, 1),
  FLOAT ("output_db", "Output", "dB", -24, 12, 0),
};

static const char *const delay_syncs[] = {
  "off", "1/1", "1/2", "1/2d", "1/2t", "1/4", "1/4d", "1/4t",
  "1/8", "1/8d", "1/8t", "1/16", "1/16d", "1/16t", "1/32", NULL
};
const float busker_delay_sync_quarters[] = {
  0, 4, 2, 3, 4.0f / 3, 1, 1.5f, 2.0f / 3,
  0.5f, 0.75f, 1.0f / 3, 0.25f, 0.375f, 1.0f / 6, 0.125f
};

const BuskerParamSpec busker_delay_params[BUSKER_DELAY_N_PARAMS] = {
  LOGF ("time_ms", "Time", "ms", 1, 4000, 375),
  CHOICE ("sync", "Sync", delay_syncs, 15, 0),
  FLOAT ("feedback", "Feedback", "", 0, 0.95f, 0.35f),
  FLOAT ("mix", "Mix", "", 0, 1, 0.3f),
  BOOL ("ping_pong", "Ping-pong", 0),
  LOGF ("low_cut_hz", "Low cut", "Hz", 20, 2000, 100),
  LOGF ("high_cut_hz", "High cut", "Hz", 1000, 20000, 8000),
};

const BuskerParamSpec busker_reverb_params[BUSKER_REVERB_N_PARAMS] = {
  LOGF ("decay_s", "Decay", "s", 0.2f, 10, 2),
  FLOAT ("predelay_ms", "Pre-delay", "ms", 0, 200, 20),
  FLOAT ("size", "Size", "", 0, 1, 0.6f),
  LOGF ("damping_hz", "Damping", "Hz", 1000, 20000, 6000),
  FLOAT ("width", "Width", "", 0, 1, 1),
  FLOAT ("mix", "Mix", "", 0, 1, 0.3f),
};

const BuskerParamSpec busker_width_params[BUSKER_WIDTH_N_PARAMS] = {
  FLOAT ("width", "Width", "", 0, 2, 1),
  FLOAT ("bass_mono_hz", "Bass mono below", "Hz", 0, 500, 0),
};

const BuskerParamSpec busker_transient_params[BUSKER_TRANSIENT_N_PARAMS] = {
  FLOAT ("attack_db", "Attack", "dB", -12, 12, 0),
  FLOAT ("sustain_db", "Sustain", "dB", -12, 12, 0),
};

const BuskerParamSpec busker_gain_params[BUSKER_GAIN_N_PARAMS] = {
  FLOAT ("gain_db", "Gain", "dB", -48, 24, 0),
  BOOL ("mono", "Mono", 0),
  BOOL ("swap_lr", "Swap left and right", 0),
};

float
busker_param_spec_clamp (const BuskerParamSpec *spec, float value)
{
  if (isnan (value))
    return spec->def;
  if (value < spec->min)
    value = spec->min;
  if (value > spec->max)
    value = spec->max;
  if (spec->kind != BUSKER_PARAM_FLOAT)
    value = roundf (value);
  return value;
}

int
busker_effect_class_find_param (const BuskerEffectClass *klass, const char *name)
{
  for (uint32_t i = 0; i < klass->n_params; i++)
    if (strcmp (klass->params[i].name, name) == 0)
      return (int) i;
  return -1;
}

const BuskerEffectClass *
busker_effect_class_lookup (const char *type)
{
  for (const BuskerEffectClass *const *k = busker_effect_classes; *k; k++)
    if (strcmp ((*k)->type, type) == 0)
      return *k;
  return NULL;
}

#define TABLE(t, p) { t, p, sizeof (p) / sizeof (p[0]) }
static const struct {
  const char *type;
  const BuskerParamSpec *params;
  uint32_t n_params;
} param_tables[] = {
  TABLE ("eq", busker_eq_params),
  TABLE ("compressor", busker_compressor_params),
  TABLE ("multiband_compressor", busker_multiband_params),
  TABLE ("limiter", busker_limiter_params),
  TABLE ("saturation", busker_saturation_params),
  TABLE ("delay", busker_delay_params),
  TABLE ("reverb", busker_reverb_params),
  TABLE ("stereo_width", busker_width_params),
  TABLE ("transient_shaper", busker_transient_params),
  TABLE ("gain", busker_gain_params),
};

const char *const busker_effect_type_names[] = {
  "eq", "compressor", "multiband_compressor", "limiter", "saturation",
  "delay", "reverb", "stereo_width", "transient_shaper", "gain", NULL
};

const BuskerParamSpec *
busker_effect_params_lookup (const char *type, uint32_t *n_params)
{
  for (size_t i = 0; i < sizeof (param_tables) / sizeof (param_tables[0]); i++)
    if (strcmp (param_tables[i].type, type) == 0)
      {
        *n_params = param_tables[i].n_params;
        return param_tables[i].params;
      }
  *n_params = 0;
  return NULL;
}
