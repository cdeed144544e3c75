/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Transient shaper (differential envelopes, level independent).
 *
 * Design decisions
 * - Level: the mean square of the louder channel through two cascaded
 *   2 ms one-poles, in dB. Two poles keep a steady tone's ripple below
 *   0.2 dB down to 200 Hz, so steady notes are left alone; the rise time
 *   (about 5 ms) still catches drum hits.
 * - Attack: two followers of that level in dB with the same 100 ms release
 *   but 1 ms and 25 ms attack. On an onset the fast one leads; their
 *   difference (clamped to 0..10 dB, scaled to 0..1) times attack_db is
 *   the onset gain. On anything steady both agree and the gain is 0 dB.
 * - Sustain: two followers with the same 1 ms attack but 20 ms and 250 ms
 *   release. While a note decays the slow one stays above; the difference,
 *   scaled the same way, times sustain_db is the tail gain.
 * - The followers run on the dB level, so the shaping does not depend on
 *   how loud the input is. Gains glide 20 ms when the knobs move.
 */
#include "transient.h"

#include <math.h>
#include <stdlib.h>

#include "dsp-util.h"
#include "fast-math.h"

#define LEVEL_TAU_S 0.002f
#define SMOOTH_TAU_S 0.02f
#define RANGE_DB 10.0f
#define FLOOR_DB -100.0f
#define DB_PER_LOG2 6.02059991f

typedef struct {
  float attack_coef, release_coef;
  float env_db;
} Follower;

static void
follower_init (Follower *f, float attack_s, float release_s, float fs)
{
  f->attack_coef = busker_one_pole_coef (attack_s, fs);
  f->release_coef = busker_one_pole_coef (release_s, fs);
  f->env_db = FLOOR_DB;
}

/* RT-safe */
static inline float
follower_step (Follower *f, float level_db)
{
  float c = level_db > f->env_db ? f->attack_coef : f->release_coef;
  f->env_db += c * (level_db - f->env_db);
  return f->env_db;
}

struct BuskerTransient {
  float level_coef;
  float ms1, ms2;           /* the two mean-square poles */
  Follower att_fast, att_slow; /* same release, different attack */
  Follower sus_fast, sus_slow; /* same attack, different release */
  BuskerSmoothed attack_db, sustain_db;
};

BuskerTransient *
busker_transient_new (double sample_rate)
{
  BuskerTransient *self = calloc (1, sizeof *self);
  if (self == NULL)
    return NULL;
  float fs = (float) sample_rate;
  self->level_coef = busker_one_pole_coef (LEVEL_TAU_S, fs);
  follower_init (&self->att_fast, 0.001f, 0.1f, fs);
  follower_init (&self->att_slow, 0.025f, 0.1f, fs);
  follower_init (&self->sus_fast, 0.001f, 0.02f, fs);
  follower_init (&self->sus_slow, 0.001f, 0.25f, fs);
  busker_smoothed_init (&self->attack_db, busker_transient_params[BUSKER_TRANSIENT_ATTACK_DB].def,
                        SMOOTH_TAU_S, fs);
  busker_smoothed_init (&self->sustain_db,
                        busker_transient_params[BUSKER_TRANSIENT_SUSTAIN_DB].def, SMOOTH_TAU_S,
                        fs);
  busker_transient_reset (self);
  return self;
}

void
busker_transient_free (BuskerTransient *self)
{
  free (self);
}

/* RT-safe */
void
busker_transient_reset (BuskerTransient *self)
{
  self->ms1 = self->ms2 = 0.0f;
  self->att_fast.env_db = self->att_slow.env_db = FLOOR_DB;
  self->sus_fast.env_db = self->sus_slow.env_db = FLOOR_DB;
  busker_smoothed_snap (&self->attack_db);
  busker_smoothed_snap (&self->sustain_db);
}

/* RT-safe */
void
busker_transient_set_param (BuskerTransient *self, uint32_t index, float value)
{
  if (index == BUSKER_TRANSIENT_ATTACK_DB)
    busker_smoothed_set (&self->attack_db, value);
  else if (index == BUSKER_TRANSIENT_SUSTAIN_DB)
    busker_smoothed_set (&self->sustain_db, value);
}

/* RT-safe */
static void
silence (float *l, float *r, uint32_t n)
{
  for (uint32_t i = 0; i < n; i++)
    l[i] = r[i] = 0.0f;
}

/* RT-safe */
bool
busker_transient_process (BuskerTransient *self, float *left, float *right, uint32_t n)
{
  if (!busker_stereo_is_finite (left, right, n))
    {
      silence (left, right, n);
      busker_transient_reset (self);
      return false;
    }

  const float lc = self->level_coef;
  const float floor_ms = 1e-10f; /* FLOOR_DB as a mean square */
  float ms1 = self->ms1, ms2 = self->ms2;
  Follower af = self->att_fast, as = self->att_slow;
  Follower sf = self->sus_fast, ss = self->sus_slow;
  BuskerSmoothed att = self->attack_db, sus = self->sustain_db;

  for (uint32_t i = 0; i < n; i++)
    {
      float xl = left[i], xr = right[i];
      float x2 = busker_maxf (xl * xl, xr * xr);
      ms1 += lc * (x2 - ms1);
      ms2 += lc * (ms1 - ms2);
      float level_db = 0.5f * DB_PER_LOG2 * busker_fast_log2f (busker_maxf (ms2, floor_ms));

      float onset = follower_step (&af, level_db) - follower_step (&as, level_db);
      float decay = follower_step (&ss, level_db) - follower_step (&sf, level_db);
      onset = busker_minf (busker_maxf (onset, 0.0f), RANGE_DB) * (1.0f / RANGE_DB);
      decay = busker_minf (busker_maxf (decay, 0.0f), RANGE_DB) * (1.0f / RANGE_DB);

      float gain_db = busker_smoothed_next (&att) * onset + busker_smoothed_next (&sus) * decay;
      float g = busker_fast_exp2f (gain_db * (1.0f / DB_PER_LOG2));
      left[i] = xl * g;
      right[i] = xr * g;
    }

  self->ms1 = busker_flush_denormal (ms1);
  self->ms2 = busker_flush_denormal (ms2);
  self->att_fast = af;
  self->att_slow = as;
  self->sus_fast = sf;
  self->sus_slow = ss;
  self->attack_db = att;
  self->sustain_db = sus;

  if (!busker_stereo_is_finite (left, right, n))
    {
      silence (left, right, n);
      busker_transient_reset (self);
      return false;
    }
  return true;
}

/* The class adapter of effect.h. */

static void *
transient_create (double sample_rate, uint32_t max_block)
{
  return busker_transient_new (sample_rate);
}

static void
transient_destroy (void *self)
{
  busker_transient_free (self);
}

static void
transient_reset (void *self)
{
  busker_transient_reset (self);
}

static void
transient_set_param (void *self, uint32_t index, float value)
{
  busker_transient_set_param (self, index, value);
}

static bool
transient_process (void *self, float *left, float *right, uint32_t n)
{
  return busker_transient_process (self, left, right, n);
}

const BuskerEffectClass busker_transient_class = {
  .type = "transient_shaper",
  .label = BUSKER_N_ ("Transient shaper"),
  .params = busker_transient_params,
  .n_params = BUSKER_TRANSIENT_N_PARAMS,
  .create = transient_create,
  .destroy = transient_destroy,
  .reset = transient_reset,
  .set_param = transient_set_param,
  .process = transient_process,
};
