/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Parameter tables of every effect type, and the indices the units use to
 * read them. The tables themselves are in params.c; FORMAT.md is the
 * user-facing copy of the names.
 */
#pragma once

#include "effect.h"

/* eq: 8 bands of 7 fields, then the output gain. */
enum {
  BUSKER_EQ_MAX_BANDS = 8,
  BUSKER_EQ_BAND_TYPE = 0,  /* choice, busker_eq_band_types */
  BUSKER_EQ_BAND_FREQ_HZ,
  BUSKER_EQ_BAND_GAIN_DB,
  BUSKER_EQ_BAND_Q,
  BUSKER_EQ_BAND_SLOPE_DB_OCT, /* 12, 24, 36 or 48; the unit rounds */
  BUSKER_EQ_BAND_CHANNEL,      /* choice, busker_eq_channels */
  BUSKER_EQ_BAND_ENABLED,
  BUSKER_EQ_BAND_STRIDE,
  BUSKER_EQ_OUTPUT_GAIN_DB = BUSKER_EQ_MAX_BANDS * BUSKER_EQ_BAND_STRIDE,
  BUSKER_EQ_N_PARAMS,
};
#define BUSKER_EQ_PARAM(band, field) ((band) * BUSKER_EQ_BAND_STRIDE + (field))

typedef enum {
  BUSKER_EQ_PEAK,
  BUSKER_EQ_LOW_SHELF,
  BUSKER_EQ_HIGH_SHELF,
  BUSKER_EQ_LOW_PASS,
  BUSKER_EQ_HIGH_PASS,
  BUSKER_EQ_NOTCH,
  BUSKER_EQ_BAND_PASS,
} BuskerEqBandType;

typedef enum {
  BUSKER_EQ_STEREO,
  BUSKER_EQ_MID,
  BUSKER_EQ_SIDE,
  BUSKER_EQ_LEFT,
  BUSKER_EQ_RIGHT,
} BuskerEqChannel;

enum {
  BUSKER_COMP_THRESHOLD_DB,
  BUSKER_COMP_RATIO,
  BUSKER_COMP_ATTACK_MS,
  BUSKER_COMP_RELEASE_MS,
  BUSKER_COMP_KNEE_DB,
  BUSKER_COMP_MAKEUP_DB,
  BUSKER_COMP_MIX,
  BUSKER_COMP_DETECTOR, /* choice: peak, rms */
  BUSKER_COMP_SIDECHAIN_HPF_HZ, /* 0 = off */
  BUSKER_COMP_STEREO_LINK,
  BUSKER_COMP_N_PARAMS,
};

typedef enum { BUSKER_DETECTOR_PEAK, BUSKER_DETECTOR_RMS } BuskerDetector;

/* multiband_compressor: the number of crossovers (1-3, so 2-4 bands) is
 * the length of the file's crossovers_hz array, carried as its own
 * parameter "crossovers_hz.length". */
enum {
  BUSKER_MBC_MAX_CROSSOVERS = 3,
  BUSKER_MBC_MAX_BANDS = 4,
  BUSKER_MBC_CROSSOVER_COUNT = 0,
  BUSKER_MBC_CROSSOVER_HZ, /* + i, i < 3 */
  BUSKER_MBC_BAND0 = BUSKER_MBC_CROSSOVER_HZ + BUSKER_MBC_MAX_CROSSOVERS,
  BUSKER_MBC_BAND_THRESHOLD_DB = 0,
  BUSKER_MBC_BAND_RATIO,
  BUSKER_MBC_BAND_ATTACK_MS,
  BUSKER_MBC_BAND_RELEASE_MS,
  BUSKER_MBC_BAND_MAKEUP_DB,
  BUSKER_MBC_BAND_BYPASS,
  BUSKER_MBC_BAND_STRIDE,
  BUSKER_MBC_OUTPUT_GAIN_DB = BUSKER_MBC_BAND0 + BUSKER_MBC_MAX_BANDS * BUSKER_MBC_BAND_STRIDE,
  BUSKER_MBC_N_PARAMS,
};
#define BUSKER_MBC_PARAM(band, field) \
  (BUSKER_MBC_BAND0 + (band) * BUSKER_MBC_BAND_STRIDE + (field))

enum {
  BUSKER_LIMITER_CEILING_DB,
  BUSKER_LIMITER_INPUT_GAIN_DB,
  BUSKER_LIMITER_RELEASE_MS,
  BUSKER_LIMITER_LOOKAHEAD_MS,
  BUSKER_LIMITER_TRUE_PEAK, /* bool: 4x true-peak detection (default) or sample peak */
  BUSKER_LIMITER_N_PARAMS,
};

enum {
  BUSKER_SAT_DRIVE_DB,
  BUSKER_SAT_CHARACTER, /* choice: tape, tube, soft_clip */
  BUSKER_SAT_MIX,
  BUSKER_SAT_OUTPUT_DB,
  BUSKER_SAT_N_PARAMS,
};

typedef enum { BUSKER_SAT_TAPE, BUSKER_SAT_TUBE, BUSKER_SAT_SOFT_CLIP } BuskerSatCharacter;

enum {
  BUSKER_DELAY_TIME_MS,
  BUSKER_DELAY_SYNC, /* choice: off or a note value, see busker_delay_syncs */
  BUSKER_DELAY_FEEDBACK,
  BUSKER_DELAY_MIX,
  BUSKER_DELAY_PING_PONG,
  BUSKER_DELAY_LOW_CUT_HZ,
  BUSKER_DELAY_HIGH_CUT_HZ,
  BUSKER_DELAY_N_PARAMS,
};

/* Length of each busker_delay_syncs entry in quarter notes (0 for "off"). */
extern const float busker_delay_sync_quarters[];

enum {
  BUSKER_REVERB_DECAY_S,
  BUSKER_REVERB_PREDELAY_MS,
  BUSKER_REVERB_SIZE,
  BUSKER_REVERB_DAMPING_HZ,
  BUSKER_REVERB_WIDTH,
  BUSKER_REVERB_MIX,
  BUSKER_REVERB_N_PARAMS,
};

enum {
  BUSKER_WIDTH_WIDTH,
  BUSKER_WIDTH_BASS_MONO_HZ, /* 0 = off */
  BUSKER_WIDTH_N_PARAMS,
};

enum {
  BUSKER_TRANSIENT_ATTACK_DB,
  BUSKER_TRANSIENT_SUSTAIN_DB,
  BUSKER_TRANSIENT_N_PARAMS,
};

enum {
  BUSKER_GAIN_GAIN_DB,
  BUSKER_GAIN_MONO,
  BUSKER_GAIN_SWAP_LR,
  BUSKER_GAIN_N_PARAMS,
};

extern const BuskerParamSpec busker_eq_params[BUSKER_EQ_N_PARAMS];
extern const BuskerParamSpec busker_compressor_params[BUSKER_COMP_N_PARAMS];
extern const BuskerParamSpec busker_multiband_params[BUSKER_MBC_N_PARAMS];
extern const BuskerParamSpec busker_limiter_params[BUSKER_LIMITER_N_PARAMS];
extern const BuskerParamSpec busker_saturation_params[BUSKER_SAT_N_PARAMS];
extern const BuskerParamSpec busker_delay_params[BUSKER_DELAY_N_PARAMS];
extern const BuskerParamSpec busker_reverb_params[BUSKER_REVERB_N_PARAMS];
extern const BuskerParamSpec busker_width_params[BUSKER_WIDTH_N_PARAMS];
extern const BuskerParamSpec busker_transient_params[BUSKER_TRANSIENT_N_PARAMS];
extern const BuskerParamSpec busker_gain_params[BUSKER_GAIN_N_PARAMS];

/* The parameter table of an effect type without needing its class to be
 * registered (the file format and the model use it). NULL and *n_params 0
 * when the type is unknown. busker_effect_type_names lists every type in
 * menu order, NULL-terminated. */
const BuskerParamSpec *busker_effect_params_lookup (const char *type,
                                                    uint32_t *n_params);
extern const char *const busker_effect_type_names[];
