/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Stereo feedback delay.
 *
 * - Two ring buffers of a power-of-two length hold BUSKER_DELAY_MAX_MS at
 *   the rate given at creation; nothing is allocated later.
 * - The delay is a whole number of frames (time_ms rounded to the nearest
 *   frame, or the synced note length at the current tempo), so an impulse
 *   comes back at exactly that frame and repeats do not lose highs to
 *   fractional interpolation.
 * - A time change never moves a read head: a second head starts at the new
 *   time and the output cross-fades linearly to it over FADE_MS
 *   (fade-tap.h). A knob swept continuously gives a chain of such fades,
 *   each to the latest value. No pitch glide, no click.
 * - The low-cut and high-cut (Butterworth, 12 dB/oct) sit inside the loop,
 *   on the delayed signal before it goes to both the output and the
 *   feedback, so each repeat is filtered once more than the last.
 * - Ping-pong sums the input to mono into the left line and crosses the
 *   feedback, so repeats alternate left, right, left... It is a smoothed
 *   amount, so switching it morphs the routing instead of clicking.
 * - Cut-offs glide on a log scale; their biquads are redesigned every
 *   SUB_BLOCK frames while they move.
 */
#include "delay.h"
#include "fast-math.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "biquad.h"
#include "dsp-util.h"
#include "fade-tap.h"
#include "params.h"

#define SMOOTH_TAU_S 0.03f
#define FADE_MS 40.0f
#define SUB_BLOCK 32
#define DEFAULT_TEMPO_BPM 120.0f

struct BuskerDelay {
  float sample_rate;
  float *line[2];          /* left and right ring buffers */
  uint32_t mask;           /* ring length - 1 */
  uint32_t write;          /* next write position (before masking) */

  /* cached parameter values */
  float time_ms;
  int sync;
  float tempo_bpm;
  float feedback_param, mix_param, low_cut_param, high_cut_param;
  bool ping_pong_param;

  BuskerFadeTap tap;       /* both lines are read at the same delay */

  BuskerSmoothed feedback;
  BuskerSmoothed mix;
  BuskerSmoothed ping_pong;      /* 0 straight, 1 crossed */
  BuskerSmoothed low_cut_log2;   /* log2 of the cut-offs, per sub-block */
  BuskerSmoothed high_cut_log2;
  float designed_low_log2, designed_high_log2;
  BuskerBiquadCoefs low_cut, high_cut;
  BuskerBiquadState low_state[2], high_state[2];
};

static uint32_t
delay_frames (const BuskerDelay *self)
{
  float ms = self->time_ms;
  if (self->sync > 0)
    ms = busker_delay_sync_quarters[self->sync] * 60000.0f / self->tempo_bpm;
  if (!(ms >= 1.0f))
    ms = 1.0f;
  if (ms > BUSKER_DELAY_MAX_MS)
    ms = BUSKER_DELAY_MAX_MS;
  return (uint32_t) lrint ((double) ms * self->sample_rate / 1000.0);
}

static void
design_filters (BuskerDelay *self)
{
  float lo = self->low_cut_log2.value, hi = self->high_cut_log2.value;
  float nyquist_guard = 0.45f * self->sample_rate;
  float hi_hz = exp2f (hi);

  busker_biquad_design (&self->low_cut, BUSKER_BIQUAD_HIGH_PASS, self->sample_rate,
                        exp2f (lo), M_SQRT1_2, 0.0);
  busker_biquad_design (&self->high_cut, BUSKER_BIQUAD_LOW_PASS, self->sample_rate,
                        hi_hz < nyquist_guard ? hi_hz : nyquist_guard, M_SQRT1_2, 0.0);
  self->designed_low_log2 = lo;
  self->designed_high_log2 = hi;
}

BuskerDelay *
busker_delay_new (double sample_rate)
{
  BuskerDelay *self = calloc (1, sizeof *self);
  if (self == NULL)
    return NULL;

  uint32_t need = (uint32_t) ceil (BUSKER_DELAY_MAX_MS / 1000.0 * sample_rate) + 2;
  uint32_t len = 1;
  while (len < need)
    len <<= 1;
  self->mask = len - 1;
  for (int c = 0; c < 2; c++)
    {
      self->line[c] = calloc (len, sizeof (float));
      if (self->line[c] == NULL)
        {
          busker_delay_free (self);
          return NULL;
        }
    }

  float rate = self->sample_rate = (float) sample_rate;
  const BuskerParamSpec *p = busker_delay_params;
  self->time_ms = p[BUSKER_DELAY_TIME_MS].def;
  self->sync = (int) p[BUSKER_DELAY_SYNC].def;
  self->tempo_bpm = DEFAULT_TEMPO_BPM;
  self->feedback_param = p[BUSKER_DELAY_FEEDBACK].def;
  self->mix_param = p[BUSKER_DELAY_MIX].def;
  self->ping_pong_param = p[BUSKER_DELAY_PING_PONG].def != 0.0f;
  self->low_cut_param = p[BUSKER_DELAY_LOW_CUT_HZ].def;
  self->high_cut_param = p[BUSKER_DELAY_HIGH_CUT_HZ].def;

  busker_fade_tap_init (&self->tap, delay_frames (self), (uint32_t) (FADE_MS / 1000.0f * rate));

  busker_smoothed_init (&self->feedback, self->feedback_param, SMOOTH_TAU_S, rate);
  busker_smoothed_init (&self->mix, self->mix_param, SMOOTH_TAU_S, rate);
  busker_smoothed_init (&self->ping_pong, self->ping_pong_param, SMOOTH_TAU_S, rate);
  busker_smoothed_init (&self->low_cut_log2, log2f (self->low_cut_param),
                        SMOOTH_TAU_S, rate / SUB_BLOCK);
  busker_smoothed_init (&self->high_cut_log2, log2f (self->high_cut_param),
                        SMOOTH_TAU_S, rate / SUB_BLOCK);
  design_filters (self);
  return self;
}

void
busker_delay_free (BuskerDelay *self)
{
  if (self == NULL)
    return;
  free (self->line[0]);
  free (self->line[1]);
  free (self);
}

/* RT-safe: clears the whole lines, a bounded memset of at most 8 MB. */
void
busker_delay_reset (BuskerDelay *self)
{
  for (int c = 0; c < 2; c++)
    memset (self->line[c], 0, (self->mask + 1) * sizeof (float));
  memset (self->low_state, 0, sizeof self->low_state);
  memset (self->high_state, 0, sizeof self->high_state);
  self->write = 0;
  busker_fade_tap_snap (&self->tap);
  busker_smoothed_snap (&self->feedback);
  busker_smoothed_snap (&self->mix);
  busker_smoothed_snap (&self->ping_pong);
  busker_smoothed_snap (&self->low_cut_log2);
  busker_smoothed_snap (&self->high_cut_log2);
  design_filters (self);
}

/* RT-safe */
void
busker_delay_set_time_ms (BuskerDelay *self, float time_ms)
{
  self->time_ms = time_ms;
  busker_fade_tap_set (&self->tap, delay_frames (self));
}

/* RT-safe */
void
busker_delay_set_sync (BuskerDelay *self, int sync)
{
  int n = 0;
  while (busker_delay_params[BUSKER_DELAY_SYNC].choices[n] != NULL)
    n++;
  self->sync = sync >= 0 && sync < n ? sync : 0;
  busker_fade_tap_set (&self->tap, delay_frames (self));
}

/* RT-safe */
void
busker_delay_set_tempo (BuskerDelay *self, float bpm)
{
  self->tempo_bpm = isfinite (bpm) && bpm >= 1.0f ? bpm : DEFAULT_TEMPO_BPM;
  busker_fade_tap_set (&self->tap, delay_frames (self));
}

/* RT-safe */
void
busker_delay_set_feedback (BuskerDelay *self, float feedback)
{
  if (feedback == self->feedback_param)
    return;
  self->feedback_param = feedback;
  busker_smoothed_set (&self->feedback, feedback);
}

/* RT-safe */
void
busker_delay_set_mix (BuskerDelay *self, float mix)
{
  if (mix == self->mix_param)
    return;
  self->mix_param = mix;
  busker_smoothed_set (&self->mix, mix);
}

/* RT-safe */
void
busker_delay_set_ping_pong (BuskerDelay *self, bool ping_pong)
{
  if (ping_pong == self->ping_pong_param)
    return;
  self->ping_pong_param = ping_pong;
  busker_smoothed_set (&self->ping_pong, ping_pong ? 1.0f : 0.0f);
}

/* RT-safe */
void
busker_delay_set_low_cut_hz (BuskerDelay *self, float hz)
{
  if (hz == self->low_cut_param)
    return;
  self->low_cut_param = hz;
  busker_smoothed_set (&self->low_cut_log2, log2f (hz));
}

/* RT-safe */
void
busker_delay_set_high_cut_hz (BuskerDelay *self, float hz)
{
  if (hz == self->high_cut_param)
    return;
  self->high_cut_param = hz;
  busker_smoothed_set (&self->high_cut_log2, log2f (hz));
}

uint32_t
busker_delay_get_delay_frames (const BuskerDelay *self)
{
  return self->tap.target;
}

/* RT-safe */
static void
silence (BuskerDelay *self, float *left, float *right, uint32_t n)
{
  memset (left, 0, n * sizeof *left);
  memset (right, 0, n * sizeof *right);
  busker_delay_reset (self);
}

/* RT-safe */
bool
busker_delay_process (BuskerDelay *self, float *left, float *right, uint32_t n)
{
  if (!busker_stereo_is_finite (left, right, n))
    {
      silence (self, left, right, n);
      return false;
    }

  float *const line_l = self->line[0], *const line_r = self->line[1];
  const uint32_t mask = self->mask;
  uint32_t w = self->write;
  BuskerFadeTap tap = self->tap;
  BuskerBiquadState lo_l = self->low_state[0], lo_r = self->low_state[1];
  BuskerBiquadState hi_l = self->high_state[0], hi_r = self->high_state[1];

  for (uint32_t start = 0; start < n; start += SUB_BLOCK)
    {
      uint32_t end = start + SUB_BLOCK < n ? start + SUB_BLOCK : n;

      busker_smoothed_next (&self->low_cut_log2);
      busker_smoothed_next (&self->high_cut_log2);
      if (self->low_cut_log2.value != self->designed_low_log2
          || self->high_cut_log2.value != self->designed_high_log2)
        design_filters (self);
      const BuskerBiquadCoefs lc = self->low_cut, hc = self->high_cut;

      for (uint32_t i = start; i < end; i++)
        {
          float g = busker_fade_tap_weight (&tap);
          float xl = line_l[(w - tap.a) & mask];
          float xr = line_r[(w - tap.a) & mask];
          if (g != 0.0f)
            {
              xl += g * (line_l[(w - tap.b) & mask] - xl);
              xr += g * (line_r[(w - tap.b) & mask] - xr);
            }
          busker_fade_tap_advance (&tap);

          float yl = busker_biquad_tick (&hc, &hi_l, busker_biquad_tick (&lc, &lo_l, xl));
          float yr = busker_biquad_tick (&hc, &hi_r, busker_biquad_tick (&lc, &lo_r, xr));

          float fb = busker_smoothed_next (&self->feedback);
          float mix = busker_smoothed_next (&self->mix);
          float pp = busker_smoothed_next (&self->ping_pong);
          float dl = left[i], dr = right[i];
          float in_l = dl + pp * (0.5f * (dl + dr) - dl);
          float in_r = dr - pp * dr;
          float fb_l = yl + pp * (yr - yl);
          float fb_r = yr + pp * (yl - yr);

          line_l[w & mask] = busker_flush_denormal (in_l + fb * fb_l);
          line_r[w & mask] = busker_flush_denormal (in_r + fb * fb_r);
          w++;

          left[i] = dl + mix * (yl - dl);
          right[i] = dr + mix * (yr - dr);
        }
    }
  busker_biquad_flush (&lo_l);
  busker_biquad_flush (&lo_r);
  busker_biquad_flush (&hi_l);
  busker_biquad_flush (&hi_r);
  self->low_state[0] = lo_l;
  self->low_state[1] = lo_r;
  self->high_state[0] = hi_l;
  self->high_state[1] = hi_r;
  self->write = w;
  self->tap = tap;

  if (!busker_stereo_is_finite (left, right, n))
    {
      silence (self, left, right, n);
      return false;
    }
  return true;
}

/* The effect class adapter. */

static void *
delay_create (double sample_rate, uint32_t max_block)
{
  (void) max_block;
  return busker_delay_new (sample_rate);
}

static void
delay_destroy (void *self)
{
  busker_delay_free (self);
}

static void
delay_reset (void *self)
{
  busker_delay_reset (self);
}

static void
delay_set_param (void *self, uint32_t index, float value)
{
  switch (index)
    {
    case BUSKER_DELAY_TIME_MS:
      busker_delay_set_time_ms (self, value);
      break;
    case BUSKER_DELAY_SYNC:
      busker_delay_set_sync (self, (int) value);
      break;
    case BUSKER_DELAY_FEEDBACK:
      busker_delay_set_feedback (self, value);
      break;
    case BUSKER_DELAY_MIX:
      busker_delay_set_mix (self, value);
      break;
    case BUSKER_DELAY_PING_PONG:
      busker_delay_set_ping_pong (self, value >= 0.5f);
      break;
    case BUSKER_DELAY_LOW_CUT_HZ:
      busker_delay_set_low_cut_hz (self, value);
      break;
    case BUSKER_DELAY_HIGH_CUT_HZ:
      busker_delay_set_high_cut_hz (self, value);
      break;
    default:
      break;
    }
}

static bool
delay_process (void *self, float *left, float *right, uint32_t n)
{
  return busker_delay_process (self, left, right, n);
}

static void
delay_set_tempo (void *self, float bpm)
{
  busker_delay_set_tempo (self, bpm);
}

const BuskerEffectClass busker_delay_class = {
  .type = "delay",
  .label = BUSKER_N_ ("Delay"),
  .params = busker_delay_params,
  .n_params = BUSKER_DELAY_N_PARAMS,
  .create = delay_create,
  .destroy = delay_destroy,
  .reset = delay_reset,
  .set_param = delay_set_param,
  .process = delay_process,
  .set_tempo = delay_set_tempo,
};
