/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The mix assistant: one offline render of a mix, tapped inside every
 * strip (busker-assist-measure.c), turned into advice by pure functions
 * on the numbers (busker-assist-rules.c) and written for a person or as
 * JSON (busker-assist-report.c). docs/assistant.md is the user's side:
 * what is measured where, every rule and its threshold, the JSON keys.
 *
 * No GTK and no model: it works on a mix snapshot (busker-mix-desc.h), so
 * busker-export, the window and the tests all drive it the same way.
 * Main thread (or one analysis thread); not RT.
 */
#pragma once

#include <glib.h>
#include <signal.h>
#include <stdbool.h>

#include "engine/busker-loudness.h"
#include "engine/busker-mix-desc.h"

G_BEGIN_DECLS

/* Octave bands of the mono diagnosis: centres 31.5 Hz ... 16 kHz. */
#define BUSKER_ASSIST_N_BANDS 10

/* Thresholds of the rules; busker_assist_config_init gives the defaults
 * documented in docs/assistant.md. Levels in dBFS/dB, loudness in LU. */
typedef struct {
  double target_peak_dbfs;     /* gain staging: peaks around this (-10) */
  double target_rms_dbfs;      /* ... and RMS around this (-18) */
  double trim_tolerance_db;    /* no trim advice within this of the target (3) */
  double bus_comp_mean_gr_db;  /* compressor on a bus: mean reduction (3) */
  double bus_comp_max_gr_db;   /* ... and largest reduction (6) */
  double bus_attack_ms;        /* compressor attack on a bus below this (10) */
  double bus_eq_boost_db;      /* EQ boost on a bus above this (6) */
  double bus_eq_q;             /* EQ Q on a bus above this (4) */
  double loudness_rise_lu;     /* an insert or chain louder by more (1) */
  double master_limiter_gr_db; /* mean limiter reduction (3) */
  double strip_mono_loss_db;   /* a strip's own fold-down loss above this (4.5) */
  double mix_mono_loss_lu;     /* the mix's fold-down loss above this (3) */
} BuskerAssistConfig;

void busker_assist_config_init (BuskerAssistConfig *config);

/* One insert as measured. NAN where nothing was measured (bypassed, or a
 * unit without gain reduction). */
typedef struct {
  const BuskerEffectClass *klass;
  const float *values;        /* klass->n_params, owned by the snapshot */
  bool bypass, post_fader;
  double loudness_change_lu;  /* integrated loudness after minus before */
  double gr_mean_db;          /* over the blocks where the insert had input */
  double gr_max_db;
} BuskerAssistInsert;

/* One strip as measured. Levels in dBFS, loudness in LUFS; -INFINITY for
 * silence. "Input" is where the strip enters its inserts: after its
 * input sum (buses), trim and polarity. */
typedef struct {
  const BuskerStripDesc *desc; /* owned by the snapshot */
  uint32_t index;

  double input_peak_dbfs;      /* largest sample of either channel */
  double input_rms_dbfs;       /* over the blocks above -70 dBFS; a full-scale sine is -3 */
  double input_short_term_max_lufs; /* tracks only */
  double pre_fader_peak_dbfs;  /* largest at the input or after a pre-fader insert */
  double output_peak_dbfs;     /* post-fader output (what feeds its bus) */

  /* Mono: the strip's own post-fader output folded to (L+R)/2. */
  double mono_loss_db;         /* 10 log10 (E(L^2+R^2) / E((L+R)^2/2)); INFINITY when it cancels totally; NAN for silence */
  double mono_lost_energy;     /* sum of (L-R)^2/2 over the render: what the fold loses */
  double band_lost[BUSKER_ASSIST_N_BANDS]; /* the same per octave band (sampled blocks) */
  double mono_share;           /* of the lost energy of all tracks and aux returns, 0...1 */

  /* Aux buses with a reverb or delay: loudness of the return (its output)
   * and of the sum of the dry outputs of the strips that send to it. */
  bool time_effect;
  double return_lufs;
  double dry_feeders_lufs;

  BuskerAssistInsert *inserts; /* desc->n_inserts */
  double chain_change_lu;      /* sum of the inserts' loudness changes (buses) */

  double suggested_trim_db;    /* tracks: absolute trim for the targets; NAN without signal */
} BuskerAssistStrip;

typedef struct {
  const BuskerMixDesc *desc;   /* not owned: keep it alive */
  BuskerAssistStrip *strips;   /* desc->n_strips */
  BuskerLoudnessReport mix;    /* the master's output, as --analyze measures it */
  double mix_band_lost[BUSKER_ASSIST_N_BANDS];
  double seconds;              /* rendered, tail included */
} BuskerAssistMix;

typedef enum {
  /* In order of importance: the report lists them so. */
  BUSKER_ADVICE_TRACK_CLIPS,     /* a track over 0 dBFS before its fader */
  BUSKER_ADVICE_BUS_CLIPS,       /* a bus over 0 dBFS at its input or output */
  BUSKER_ADVICE_MONO_MIX,        /* the mix loses too much folded to mono */
  BUSKER_ADVICE_MONO_STRIP,      /* a strip cancels in mono */
  BUSKER_ADVICE_LIMITER,         /* a limiter averaging too much reduction */
  BUSKER_ADVICE_COMP_MEAN,       /* a bus compressor's mean reduction */
  BUSKER_ADVICE_COMP_MAX,        /* ... its largest reduction */
  BUSKER_ADVICE_LOUDER_INSERT,   /* a saturation raising loudness */
  BUSKER_ADVICE_LOUDER_CHAIN,    /* a bus chain raising loudness */
  BUSKER_ADVICE_RETURN_LOUDER,   /* a reverb/delay return louder than its feeders */
  BUSKER_ADVICE_FAST_ATTACK,     /* a fast compressor attack on a bus */
  BUSKER_ADVICE_EQ_BOOST,        /* a large EQ boost on a bus */
  BUSKER_ADVICE_EQ_NARROW,       /* a narrow EQ band on a bus */
  BUSKER_ADVICE_TRIM,            /* a track's input level off target */
} BuskerAdviceKind;

typedef struct {
  BuskerAdviceKind kind;
  bool warning;       /* false: a suggestion (only trims are) */
  uint32_t strip;     /* index in the snapshot */
  int32_t insert;     /* index in the strip's inserts, or -1 */
  int32_t band;       /* EQ band, or -1 */
  double value;       /* the measurement (unit as in docs/assistant.md) */
  double limit;       /* the threshold it crossed */
  double fix;         /* the suggested change (trim, output) in dB, or NAN */
  char *message;      /* one sentence: strip, measurement, fix */
} BuskerAdvice;

/* Renders desc once (sources to their end plus the effect tail, as export
 * does) with every strip tapped. cancel (may be NULL) is checked once per
 * block. Errors as busker_render_new/process (BUSKER_ENGINE_ERROR). */
BuskerAssistMix *busker_assist_measure (const BuskerMixDesc *desc,
                                        const volatile sig_atomic_t *cancel,
                                        GError **error);
void busker_assist_mix_free (BuskerAssistMix *mix);

/* The rules: fills each track's suggested_trim_db and returns the advice,
 * most important first (GPtrArray of BuskerAdvice, freeing them). Pure:
 * numbers in, numbers and sentences out. */
GPtrArray *busker_assist_advise (BuskerAssistMix *mix, const BuskerAssistConfig *config);

/* The strip's display name (its name, else its id). */
const char *busker_assist_strip_name (const BuskerAssistStrip *strip);

/* The report: one line per advice, then the loudness match of every bus
 * chain; or everything as one JSON object (docs/assistant.md). */
char *busker_assist_report_text (const BuskerAssistMix *mix, GPtrArray *advice);
char *busker_assist_report_json (const BuskerAssistMix *mix, GPtrArray *advice);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuskerAssistMix, busker_assist_mix_free)

G_END_DECLS
