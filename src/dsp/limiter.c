/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Look-ahead true-peak (or sample-peak) limiter, after the structure of
 * x42's dpl.
 *
 * Design decisions:
 * - Two detection modes, the "true_peak" parameter (a switch as in Pro-L;
 *   LSP's limiter sets the same with its oversampling): true peak, the
 *   default, described below; or sample peak, max |x| of the two channels,
 *   which holds the ceiling at the samples only (the EasyEffects preset
 *   the live benchmark copies runs LSP without oversampling). Sample peak
 *   reads TP_DELAY frames late like the interpolator, so the latency, and
 *   everything after detection, are the same in both modes and a switch
 *   needs no new plan; its threshold sits 0.001 dB under the ceiling, for
 *   the three float roundings between a reading and an output sample
 *   (the needed gain, the envelope's float, the product: < 2e-7 of it).
 *   A switch at a block boundary rebuilds the new detector's history from
 *   the delay line (switch_detection). True peak stays the default: files
 *   written before the parameter existed load as true and play bit for bit
 *   as before.
 * - Detection runs on the input (after the input gain) through a 4x
 *   polyphase interpolator per channel (16 taps per phase), stereo-linked
 *   by the larger peak. A short interpolator under-reads the ideal
 *   (band-limited) peak only through content near Nyquist, whose sinc
 *   tails it truncates: full-scale white noise or a naive square reads up
 *   to 2 dB low. Instead of a kernel hundreds of taps long, the detector
 *   adds the held peak of a 4th-order high pass at 0.8 x Nyquist to the
 *   interpolated peak (weight 1). Music has little energy up there, so the
 *   cost is over-limiting of near-Nyquist test tones only (a 0.45 fs sine
 *   ends about 5 dB under the ceiling). The threshold also sits 0.2 dB
 *   under the ceiling for what a 4x grid misses between its points. Both
 *   were measured against an independent 8x check in
 *   tests/dsp/test-limiter.c on noise, bursts, squares and fs/4 at 45 deg.
 * - Each detector tick gives the gain r that the samples around it need.
 *   A sliding-window minimum over W + 1 ticks (a monotonic deque, O(1)
 *   amortised) followed by a moving average over W ticks gives an envelope
 *   that ramps down linearly over the look-ahead and is at or below r by
 *   the time the sample arrives: the audio is delayed by W plus the
 *   detector's own delay, which is the reported latency.
 * - Release is a one-pole rise of the envelope; falls follow the averaged
 *   minimum at once (it is already a ramp).
 * - With no reduction every factor is exactly 1.0, so a signal under the
 *   ceiling passes bit-exact (only delayed). The running sum of the
 *   average is a double and is recomputed on each wrap so it cannot drift.
 * - A look-ahead change rebuilds the window state from the history of r
 *   and pre-fills the average with the smallest recent r: safe, at the
 *   cost of a short dip; the delay jump itself is unavoidable.
 * - At 44.1 kHz the high-pass corner is 17.6 kHz, so bright cymbals can
 *   add a few tenths of a dB of extra reduction on their peaks; at 88.2 kHz
 *   and above the band is ultrasonic and costs nothing.
 * - process() runs short passes over 64-frame chunks (gains, high pass
 *   with its four sections side by side, detection, needed gain, then the
 *   serial envelope and delay), which keeps each loop in registers: about
 *   42-45 ns per stereo frame at 48 kHz while limiting, 15-18 ns under the
 *   ceiling (tests/bench/bench-dsp-oversampled, shared machine). The
 *   element-wise passes are written four lanes at a time (GCC -O2 leaves
 *   loops of unknown length scalar); each lane does what the scalar loop
 *   did, so the output is bit-identical. The needed gain is only computed
 *   for chunks that reach the threshold, and the output's finite check is
 *   one vector pass per block.
 * - The interpolator is skipped (its history still pushed) for a run of 16
 *   frames where it cannot matter: no interpolated point exceeds the
 *   largest per-phase sum of |taps| (busker_true_peak_gain_bound) times
 *   the largest |x| of the run and the 15 frames before it, so when that
 *   bound (raised by 1e-4 for float rounding) plus the near-Nyquist term
 *   stays at or under the threshold, the needed gain is exactly 1 either
 *   way. A chunk whose every r is 1 while the envelope rests (window
 *   minimum 1, average sum exactly w) skips the serial envelope too and
 *   only delays, as block copies (the ring read before the chunk is
 *   written: with 20 ms of look-ahead the ring may be less than a chunk
 *   longer than the delay). Output is bit-identical (checked against the
 *   previous code on 224 signal/level/block-size cases, and again for the
 *   four-lane passes on 960 cases at 8-192 kHz in both modes); a signal
 *   under the ceiling (a bus limiter most of the time) costs about half
 *   (36 -> 18 ns), limiting about 5 % more (the skip test; 42 -> 45 ns).
 *   In live-host --chain's plan (callgrind, 2048-frame blocks) the limiter
 *   took 177 instructions per frame with true peak (57 of them the
 *   near-Nyquist high pass) and now takes 142; with sample peak 32.
 * - All buffers are sized at creation for 20 ms at the given rate.
 */
#include "limiter.h"
#include "fast-math.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "biquad.h"
#include "dsp-util.h"
#include "oversample.h"
#include "params.h"

#define MARGIN_DB 0.2f
#define SP_MARGIN_DB 0.001f /* sample peak: float rounding only, see above */
#define DETECT_CUTOFF 1.0f
#define HF_CORNER 0.8   /* of Nyquist */
#define HF_WEIGHT 1.0f /* per unit of near-Nyquist peak, see above */
#define HF_HOLD_FRAMES 16.0f
#define MAX_LOOKAHEAD_MS 20.0f
#define SMOOTH_S 0.02f
#define CHUNK 64
#define TP_RUN 16            /* frames per skip decision */
#define TP_BOUND_SLACK 1.0001f /* float rounding of the FIR, < 1e-6 */

struct BuskerLimiter {
  float rate;
  /* parameters as set (cached) */
  float ceiling_db, input_gain_db, release_ms, lookahead_ms;
  bool true_peak_set; /* as set; true_peak follows at the next block */
  bool param_fault; /* a non-finite value reached a setter */
  BuskerSmoothed thr;     /* ceiling minus margin, linear */
  BuskerSmoothed in_gain; /* linear */
  float release_coef;

  bool true_peak; /* detection in use: true peak, else sample peak */
  /* sample peak: max |x| of both channels over the last TP_DELAY frames,
   * oldest first (the detector's delay is the same in both modes) */
  float sp_hist[BUSKER_TP_DELAY];

  BuskerTruePeak tp_l, tp_r;
  float tp_bound;    /* no point of a tick exceeds this times max |x| */
  float tp_recent;   /* >= |x| of both channels' last TAPS - 1 inputs */
  /* near-Nyquist band: what a short interpolator under-reads */
  BuskerBiquadCoefs hf_c[2];
  BuskerBiquadState hf_l[2], hf_r[2];
  float hf_hold, hf_decay;

  uint32_t w;         /* look-ahead window in frames */
  uint32_t w_pending; /* applied at the next block */

  /* delay line, power-of-two ring */
  float *dl, *dr;
  uint32_t dmask, dpos;

  /* history of r for rebuilding the window on a look-ahead change */
  float *rhist;
  uint32_t rmask;
  uint64_t tick; /* ticks since reset: index of the next r */

  /* sliding minimum: deque of (tick, r), power-of-two ring */
  float *qv;
  uint64_t *qi;
  uint32_t qmask, qhead, qlen;

  /* moving average of the window minimum */
  float *avg;
  uint32_t apos;
  double asum;

  double env;   /* gain applied, after release; double so a slow release
                 * still reaches exactly 1 */
  float gr_db;  /* for the meter, largest of the last block */
};

static uint32_t
pow2_at_least (uint32_t n)
{
  uint32_t p = 1;
  while (p < n)
    p <<= 1;
  return p;
}

static uint32_t
window_frames (const BuskerLimiter *self, float ms)
{
  float f = roundf (ms * 0.001f * self->rate);
  return f < 1.0f ? 1u : (uint32_t) f;
}

static void
fill_average (BuskerLimiter *self, float v)
{
  for (uint32_t i = 0; i < self->w; i++)
    self->avg[i] = v;
  self->apos = 0;
  self->asum = (double) v * self->w;
}

/* Rebuilds the minimum and the average for window w from the r history.
 * RT-safe: bounded by the preallocated window. */
static void
apply_window (BuskerLimiter *self, uint32_t w)
{
  self->w = w;
  self->qhead = self->qlen = 0;
  uint64_t n = self->tick;
  uint64_t first = n > w + 1 ? n - (w + 1) : 0;
  float floor_v = (float) self->env;
  for (uint64_t j = first; j < n; j++)
    {
      float r = self->rhist[j & self->rmask];
      floor_v = fminf (floor_v, r);
      while (self->qlen > 0 && self->qv[(self->qhead + self->qlen - 1) & self->qmask] >= r)
        self->qlen--;
      uint32_t slot = (self->qhead + self->qlen) & self->qmask;
      self->qv[slot] = r;
      self->qi[slot] = j;
      self->qlen++;
    }
  fill_average (self, floor_v);
  self->env = floor_v;
}

void
busker_limiter_reset (BuskerLimiter *self)
{
  self->true_peak = self->true_peak_set;
  memset (self->sp_hist, 0, sizeof self->sp_hist);
  busker_true_peak_reset (&self->tp_l);
  busker_true_peak_reset (&self->tp_r);
  self->tp_recent = 0.0f;
  memset (self->hf_l, 0, sizeof self->hf_l);
  memset (self->hf_r, 0, sizeof self->hf_r);
  self->hf_hold = 0.0f;
  memset (self->dl, 0, (self->dmask + 1) * sizeof (float));
  memset (self->dr, 0, (self->dmask + 1) * sizeof (float));
  for (uint32_t i = 0; i <= self->rmask; i++)
    self->rhist[i] = 1.0f;
  self->dpos = 0;
  self->tick = 0;
  self->qhead = self->qlen = 0;
  self->env = 1.0f;
  self->gr_db = 0.0f;
  self->w = self->w_pending;
  fill_average (self, 1.0f);
  busker_smoothed_snap (&self->thr);
  busker_smoothed_snap (&self->in_gain);
  self->param_fault = false;
}

BuskerLimiter *
busker_limiter_new (double sample_rate, uint32_t max_block)
{
  BuskerLimiter *self = calloc (1, sizeof *self);
  if (!self)
    return NULL;
  self->rate = (float) sample_rate;
  uint32_t wmax = window_frames (self, MAX_LOOKAHEAD_MS);
  /* at least a chunk: the at-rest path writes a chunk at once */
  uint32_t dsize = pow2_at_least (wmax + BUSKER_TP_DELAY + 2 > CHUNK ? wmax + BUSKER_TP_DELAY + 2
                                                                    : CHUNK);
  uint32_t rsize = pow2_at_least (wmax + 4 > CHUNK ? wmax + 4 : CHUNK);
  self->dmask = dsize - 1;
  self->rmask = rsize - 1;
  self->qmask = rsize - 1;
  self->dl = calloc (dsize, sizeof (float));
  self->dr = calloc (dsize, sizeof (float));
  self->rhist = calloc (rsize, sizeof (float));
  self->qv = calloc (rsize, sizeof (float));
  self->qi = calloc (rsize, sizeof (uint64_t));
  self->avg = calloc (wmax + 1, sizeof (float));
  if (!self->dl || !self->dr || !self->rhist || !self->qv || !self->qi || !self->avg)
    {
      busker_limiter_free (self);
      return NULL;
    }
  busker_true_peak_init (&self->tp_l, DETECT_CUTOFF);
  busker_true_peak_init (&self->tp_r, DETECT_CUTOFF);
  self->tp_bound = TP_BOUND_SLACK * fmaxf (busker_true_peak_gain_bound (&self->tp_l),
                                           busker_true_peak_gain_bound (&self->tp_r));
  busker_biquad_design (&self->hf_c[0], BUSKER_BIQUAD_HIGH_PASS, sample_rate,
                        HF_CORNER * sample_rate / 2, 0.5412, 0.0);
  busker_biquad_design (&self->hf_c[1], BUSKER_BIQUAD_HIGH_PASS, sample_rate,
                        HF_CORNER * sample_rate / 2, 1.3066, 0.0);
  self->hf_decay = expf (-1.0f / HF_HOLD_FRAMES);
  const BuskerParamSpec *p = busker_limiter_params;
  busker_smoothed_init (&self->thr, 1.0f, SMOOTH_S, self->rate);
  busker_smoothed_init (&self->in_gain, 1.0f, SMOOTH_S, self->rate);
  self->ceiling_db = self->input_gain_db = self->release_ms = self->lookahead_ms = NAN;
  busker_limiter_set_ceiling_db (self, p[BUSKER_LIMITER_CEILING_DB].def);
  busker_limiter_set_input_gain_db (self, p[BUSKER_LIMITER_INPUT_GAIN_DB].def);
  busker_limiter_set_release_ms (self, p[BUSKER_LIMITER_RELEASE_MS].def);
  busker_limiter_set_lookahead_ms (self, p[BUSKER_LIMITER_LOOKAHEAD_MS].def);
  busker_limiter_set_true_peak (self, p[BUSKER_LIMITER_TRUE_PEAK].def != 0.0f);
  busker_limiter_reset (self);
  return self;
}

void
busker_limiter_free (BuskerLimiter *self)
{
  if (!self)
    return;
  free (self->dl);
  free (self->dr);
  free (self->rhist);
  free (self->qv);
  free (self->qi);
  free (self->avg);
  free (self);
}

/* The threshold the detector compares with: the ceiling less the margin
 * of the detection mode as set. */
static void
set_threshold (BuskerLimiter *self)
{
  float margin = self->true_peak_set ? MARGIN_DB : SP_MARGIN_DB;
  busker_smoothed_set (&self->thr, busker_db_to_gain (fminf (self->ceiling_db, 0.0f) - margin));
}

/* Setters: RT-safe, cached, a non-finite value is remembered as a fault
 * that the next process() reports. */
void
busker_limiter_set_ceiling_db (BuskerLimiter *self, float db)
{
  if (!isfinite (db))
    {
      self->param_fault = true;
      return;
    }
  if (db == self->ceiling_db)
    return;
  self->ceiling_db = db;
  set_threshold (self);
}

void
busker_limiter_set_true_peak (BuskerLimiter *self, bool on)
{
  if (on == self->true_peak_set)
    return;
  self->true_peak_set = on;
  if (isfinite (self->ceiling_db))
    set_threshold (self);
}

void
busker_limiter_set_input_gain_db (BuskerLimiter *self, float db)
{
  if (!isfinite (db))
    {
      self->param_fault = true;
      return;
    }
  if (db == self->input_gain_db)
    return;
  self->input_gain_db = db;
  busker_smoothed_set (&self->in_gain, busker_db_to_gain (db));
}

void
busker_limiter_set_release_ms (BuskerLimiter *self, float ms)
{
  if (!isfinite (ms))
    {
      self->param_fault = true;
      return;
    }
  if (ms == self->release_ms)
    return;
  self->release_ms = ms;
  self->release_coef = busker_one_pole_coef (fmaxf (ms, 0.1f) * 0.001f, self->rate);
}

void
busker_limiter_set_lookahead_ms (BuskerLimiter *self, float ms)
{
  if (!isfinite (ms))
    {
      self->param_fault = true;
      return;
    }
  if (ms == self->lookahead_ms)
    return;
  self->lookahead_ms = ms;
  self->w_pending = window_frames (self, fminf (fmaxf (ms, 0.0f), MAX_LOOKAHEAD_MS));
}

uint32_t
busker_limiter_latency (const BuskerLimiter *self)
{
  return self->w_pending + BUSKER_TP_DELAY;
}

float
busker_limiter_gain_reduction_db (const BuskerLimiter *self)
{
  return self->gr_db;
}

/* RT-safe: a detection mode change, at a block boundary. The new
 * detector's history is rebuilt from the delay line, which holds the
 * inputs (after the input gain): the interpolator gets its last taps, the
 * sample-peak path its last TP_DELAY frames. The near-Nyquist high pass
 * starts from rest: its onset transient over-reads, never under-reads. */
static void
switch_detection (BuskerLimiter *self)
{
  const uint32_t dmask = self->dmask, dpos = self->dpos;

  self->true_peak = self->true_peak_set;
  if (self->true_peak)
    {
      float m = 0.0f;
      busker_true_peak_reset (&self->tp_l);
      busker_true_peak_reset (&self->tp_r);
      for (uint32_t j = BUSKER_TP_TAPS; j-- > 0;)
        {
          float l = self->dl[(dpos - j) & dmask], r = self->dr[(dpos - j) & dmask];
          busker_true_peak_push (&self->tp_l, l);
          busker_true_peak_push (&self->tp_r, r);
          m = busker_maxf (m, busker_maxf (fabsf (l), fabsf (r)));
        }
      self->tp_recent = m;
      memset (self->hf_l, 0, sizeof self->hf_l);
      memset (self->hf_r, 0, sizeof self->hf_r);
      self->hf_hold = 0.0f;
    }
  else
    for (uint32_t j = 0; j < BUSKER_TP_DELAY; j++)
      {
        uint32_t k = (dpos - (BUSKER_TP_DELAY - 1 - j)) & dmask;
        self->sp_hist[j] = busker_maxf (fabsf (self->dl[k]), fabsf (self->dr[k]));
      }
}

/* Element-wise helpers, four lanes at a time and the tail one by one:
 * each lane does what the plain loop did, so results are identical.
 * RT-safe. */
/* dst[i] = src[i] * g */
static void
scale (float *restrict dst, const float *restrict src, float g, uint32_t n)
{
  size_t i = 0;
  for (; i + 4 <= n; i += 4)
    busker_v4_store (dst + i, busker_v4_load (src + i) * g);
  for (; i < n; i++)
    dst[i] = src[i] * g;
}

static void
fill (float *dst, float v, uint32_t n)
{
  size_t i = 0;
  for (; i + 4 <= n; i += 4)
    busker_v4_store (dst + i, busker_v4_splat (v));
  for (; i < n; i++)
    dst[i] = v;
}

/* dst[i] = max (|a[i]|, |b[i]|) */
static void
stereo_abs_max (float *restrict dst, const float *a, const float *b, uint32_t n)
{
  size_t i = 0;
  for (; i + 4 <= n; i += 4)
    busker_v4_store (dst + i, busker_v4_max (busker_v4_abs (busker_v4_load (a + i)), busker_v4_abs (busker_v4_load (b + i))));
  for (; i < n; i++)
    dst[i] = busker_maxf (fabsf (a[i]), fabsf (b[i]));
}

/* any x[i] > thr[i] */
static bool
any_over (const float *x, const float *thr, uint32_t n)
{
  BuskerV4i over = { 0, 0, 0, 0 };
  size_t i = 0;
  for (; i + 4 <= n; i += 4)
    over |= busker_v4_load (x + i) > busker_v4_load (thr + i);
  int any = over[0] | over[1] | over[2] | over[3];
  for (; i < n; i++)
    any |= x[i] > thr[i];
  return any != 0;
}

/* The gain each detector reading needs: r[i] = pk[i] > thr[i] ? thr[i] /
 * pk[i] : 1 (r may be pk). */
static void
needed_gain (float *r, const float *pk, const float *thr, uint32_t n)
{
  size_t i = 0;
  for (; i + 4 <= n; i += 4)
    {
      BuskerV4f p = busker_v4_load (pk + i), t = busker_v4_load (thr + i);
      BuskerV4i m = p > t;
      BuskerV4f q = t / p; /* lanes where p <= t are not used */
      busker_v4_store (r + i, (BuskerV4f) (((BuskerV4i) q & m) | ((BuskerV4i) busker_v4_splat (1.0f) & ~m)));
    }
  for (; i < n; i++)
    r[i] = pk[i] > thr[i] ? thr[i] / pk[i] : 1.0f;
}

/* Power-of-two rings (mask + 1 >= n): n values from pos on, wrapping. */
static void
ring_write (float *ring, uint32_t mask, uint32_t pos, const float *src, uint32_t n)
{
  uint32_t first = n < mask + 1 - pos ? n : mask + 1 - pos;
  memcpy (ring + pos, src, first * sizeof (float));
  memcpy (ring, src + first, (n - first) * sizeof (float));
}

static void
ring_fill (float *ring, uint32_t mask, uint32_t pos, float v, uint32_t n)
{
  uint32_t first = n < mask + 1 - pos ? n : mask + 1 - pos;
  fill (ring + pos, v, first);
  fill (ring, v, n - first);
}

static void
ring_read_scaled (float *dst, const float *ring, uint32_t mask, uint32_t pos, float g,
                  uint32_t n)
{
  uint32_t first = n < mask + 1 - pos ? n : mask + 1 - pos;
  scale (dst, ring + pos, g, first);
  scale (dst + first, ring, g, n - first);
}

static void
silence (float *l, float *r, uint32_t n)
{
  memset (l, 0, n * sizeof (float));
  memset (r, 0, n * sizeof (float));
}

/* RT-safe */
bool
busker_limiter_process (BuskerLimiter *self, float *left, float *right, uint32_t n)
{
  if (self->param_fault || !busker_stereo_is_finite (left, right, n))
    {
      silence (left, right, n);
      busker_limiter_reset (self);
      return false;
    }
  if (self->w_pending != self->w)
    apply_window (self, self->w_pending);
  if (self->true_peak != self->true_peak_set)
    switch_detection (self);

  /* locals for the loop */
  const uint32_t w = self->w, delay = w + BUSKER_TP_DELAY;
  const uint32_t dmask = self->dmask, rmask = self->rmask, qmask = self->qmask;
  const float rel = self->release_coef;
  const double inv_w = 1.0 / w;
  uint32_t dpos = self->dpos, apos = self->apos, qhead = self->qhead, qlen = self->qlen;
  uint64_t tick = self->tick;
  double asum = self->asum;
  double env = self->env;
  /* the envelope's resting value: the loop's target for asum == w */
  const double rest = (double) w * inv_w < 1.0 ? (double) w * inv_w : 1.0;
  float env_min = 1.0f;
  float hf = self->hf_hold;
  float tp_recent = self->tp_recent;
  const float tp_bound = self->tp_bound;
  const float hf_decay = self->hf_decay;
  const bool true_peak = self->true_peak;
  /* buffers as locals: stores through them cannot change these pointers */
  float *const dl = self->dl, *const dr = self->dr, *const rhist = self->rhist;
  float *const qv = self->qv, *const avg = self->avg;
  uint64_t *const qi = self->qi;

  /* Short passes over chunks: each loop keeps its state in registers and
   * the arithmetic ones vectorise. */
  for (uint32_t off = 0; off < n; off += CHUNK)
    {
      const uint32_t c = n - off < CHUNK ? n - off : CHUNK;
      float *left_c = left + off, *right_c = right + off;
      float xl[CHUNK], xr[CHUNK], pk[CHUNK], thr[CHUNK], hl[CHUNK], hv[CHUNK];

      /* input gain and threshold, constant when settled */
      if (busker_smoothed_settled (&self->in_gain))
        {
          scale (xl, left_c, self->in_gain.value, c);
          scale (xr, right_c, self->in_gain.value, c);
        }
      else
        for (uint32_t i = 0; i < c; i++)
          {
            float g_in = busker_smoothed_next (&self->in_gain);
            xl[i] = left_c[i] * g_in;
            xr[i] = right_c[i] * g_in;
          }
      if (busker_smoothed_settled (&self->thr))
        fill (thr, self->thr.value, c);
      else
        for (uint32_t i = 0; i < c; i++)
          thr[i] = busker_smoothed_next (&self->thr);

      int reduce = 0; /* 0: every r of the chunk is 1 */
      if (true_peak)
        {
        /* detection: held near-Nyquist peak plus 4x true peak; the
         * four sections in one loop: their recursions run side by side */
        for (uint32_t i = 0; i < c; i++)
          {
            float a = busker_biquad_tick (&self->hf_c[0], &self->hf_l[0], xl[i]);
            float b = busker_biquad_tick (&self->hf_c[0], &self->hf_r[0], xr[i]);
            a = busker_biquad_tick (&self->hf_c[1], &self->hf_l[1], a);
            b = busker_biquad_tick (&self->hf_c[1], &self->hf_r[1], b);
            hl[i] = busker_maxf (fabsf (a), fabsf (b));
          }
        for (uint32_t i = 0; i < c; i++)
          {
            hf = busker_maxf (hf * hf_decay, hl[i]);
            hv[i] = HF_WEIGHT * hf;
          }
        for (uint32_t s = 0; s < c; s += TP_RUN)
          {
            const uint32_t e = c - s < TP_RUN ? c : s + TP_RUN;
            float m = 0.0f;
            for (uint32_t i = s; i < e; i++)
              m = busker_maxf (m, busker_maxf (fabsf (xl[i]), fabsf (xr[i])));
            /* bounds every point a tick of this run could return */
            const float bound = tp_bound * busker_maxf (tp_recent, m);
            tp_recent = e - s >= BUSKER_TP_TAPS - 1 ? m : busker_maxf (tp_recent, m);
            int over = 0;
            for (uint32_t i = s; i < e; i++)
              over |= bound + hv[i] > thr[i];
            reduce |= over;
            if (over)
              for (uint32_t i = s; i < e; i++)
                pk[i] = busker_maxf (busker_true_peak_tick (&self->tp_l, xl[i]),
                                     busker_true_peak_tick (&self->tp_r, xr[i]))
                        + hv[i];
            else
              for (uint32_t i = s; i < e; i++)
                {
                  busker_true_peak_push (&self->tp_l, xl[i]);
                  busker_true_peak_push (&self->tp_r, xr[i]);
                  pk[i] = hv[i]; /* <= thr: the needed gain is 1 */
                }
          }
        }
      else
        {
          /* sample peak, TP_DELAY frames late like the interpolator */
          float m[CHUNK + BUSKER_TP_DELAY];
          memcpy (m, self->sp_hist, sizeof self->sp_hist);
          stereo_abs_max (m + BUSKER_TP_DELAY, xl, xr, c);
          memcpy (pk, m, c * sizeof (float));
          reduce = any_over (pk, thr, c);
          memcpy (self->sp_hist, m + c, sizeof self->sp_hist);
        }

      if (!reduce && qlen > 0 && qv[qhead] == 1.0f && asum == (double) w && env == rest)
        {
          /* At rest: every r is 1, so is the window minimum (the deque
           * ends as the one newest tick), the average holds only ones
           * (asum == w can hold no other way: an entry under 1 lowers the
           * sum by >= 2^-24, rounding moves it by < 2^-26 for any w up to
           * 20 ms at 384 kHz) and the
           * envelope stays at rest. The loop below would only delay. */
          const float g = (float) env;
          /* Output i is the input of tick i - delay: from the ring for
           * i < delay (read before this chunk's writes, which may
           * overwrite it when the ring is less than a chunk longer than
           * the delay), from this chunk's input after that. */
          const uint32_t k = c < delay ? c : delay;
          ring_read_scaled (left_c, dl, dmask, (dpos + 1 - delay) & dmask, g, k);
          ring_read_scaled (right_c, dr, dmask, (dpos + 1 - delay) & dmask, g, k);
          scale (left_c + k, xl, g, c - k);
          scale (right_c + k, xr, g, c - k);
          ring_write (dl, dmask, (dpos + 1) & dmask, xl, c);
          ring_write (dr, dmask, (dpos + 1) & dmask, xr, c);
          ring_fill (rhist, rmask, tick & rmask, 1.0f, c);
          dpos = (dpos + c) & dmask;
          tick += c;
          qlen = 1;
          qi[qhead] = tick - 1;
          apos = (uint32_t) ((apos + c) % w);
          env_min = busker_minf (env_min, g);
        }
      else
        {
        /* needed gain, in place of pk; all 1 when nothing is over */
        if (reduce)
          needed_gain (pk, pk, thr, c);
        else
          fill (pk, 1.0f, c);
        for (uint32_t i = 0; i < c; i++)
          {
            float r = pk[i];
            dpos = (dpos + 1) & dmask;
            dl[dpos] = xl[i];
            dr[dpos] = xr[i];
            rhist[tick & rmask] = r;

            /* sliding minimum over the last w + 1 ticks */
            while (qlen > 0 && qv[(qhead + qlen - 1) & qmask] >= r)
              qlen--;
            uint32_t slot = (qhead + qlen) & qmask;
            qv[slot] = r;
            qi[slot] = tick;
            qlen++;
            while (qi[qhead] + w + 1 <= tick)
              {
                qhead = (qhead + 1) & qmask;
                qlen--;
              }
            float g_min = qv[qhead];
            tick++;

            /* moving average over w ticks */
            asum += (double) g_min - avg[apos];
            avg[apos] = g_min;
            if (++apos == w)
              {
                apos = 0;
                double sum = 0.0;
                for (uint32_t k = 0; k < w; k++)
                  sum += avg[k];
                asum = sum;
              }
            double target = asum * inv_w;
            target = target < 1.0 ? target : 1.0;

            if (target <= env || target - env < 1e-7)
              env = target;
            else
              env += rel * (target - env);
            float g = (float) env;
            env_min = busker_minf (env_min, g);

            uint32_t rd = (dpos - delay) & dmask;
            left_c[i] = dl[rd] * g;
            right_c[i] = dr[rd] * g;
          }
        }
    }

  self->dpos = dpos;
  self->apos = apos;
  self->qhead = qhead;
  self->qlen = qlen;
  self->tick = tick;
  self->asum = asum;
  self->env = env < 1e-30 ? 0.0 : env;
  self->hf_hold = busker_flush_denormal (hf);
  self->tp_recent = tp_recent;
  for (int s = 0; s < 2; s++)
    {
      busker_biquad_flush (&self->hf_l[s]);
      busker_biquad_flush (&self->hf_r[s]);
    }
  /* For the meter, once a block: the fast log (3e-5 dB) keeps cold libm
   * code off the audio thread's wake-ups; at rest there is nothing to log. */
  self->gr_db = env_min >= 1.0f ? 0.0f
                : env_min <= 1e-8f ? 160.0f
                                  : -6.02059991f * busker_fast_log2f (env_min);

  if (!isfinite (env) || !busker_stereo_is_finite (left, right, n))
    {
      silence (left, right, n);
      busker_limiter_reset (self);
      return false;
    }
  return true;
}

/* The BuskerEffectClass adapter. */

static void *
limiter_create (double sample_rate, uint32_t max_block)
{
  return busker_limiter_new (sample_rate, max_block);
}

static void
limiter_destroy (void *self)
{
  busker_limiter_free (self);
}

static void
limiter_reset (void *self)
{
  busker_limiter_reset (self);
}

static void
limiter_set_param (void *self, uint32_t index, float value)
{
  switch (index)
    {
    case BUSKER_LIMITER_CEILING_DB:
      busker_limiter_set_ceiling_db (self, value);
      break;
    case BUSKER_LIMITER_INPUT_GAIN_DB:
      busker_limiter_set_input_gain_db (self, value);
      break;
    case BUSKER_LIMITER_RELEASE_MS:
      busker_limiter_set_release_ms (self, value);
      break;
    case BUSKER_LIMITER_LOOKAHEAD_MS:
      busker_limiter_set_lookahead_ms (self, value);
      break;
    case BUSKER_LIMITER_TRUE_PEAK:
      busker_limiter_set_true_peak (self, value >= 0.5f);
      break;
    default:
      break;
    }
}

static bool
limiter_process (void *self, float *left, float *right, uint32_t n)
{
  return busker_limiter_process (self, left, right, n);
}

static uint32_t
limiter_latency (const void *self)
{
  return busker_limiter_latency (self);
}

static float
limiter_gain_reduction_db (const void *self)
{
  return busker_limiter_gain_reduction_db (self);
}

const BuskerEffectClass busker_limiter_class = {
  .type = "limiter",
  .label = BUSKER_N_ ("Limiter"),
  .params = busker_limiter_params,
  .n_params = BUSKER_LIMITER_N_PARAMS,
  .create = limiter_create,
  .destroy = limiter_destroy,
  .reset = limiter_reset,
  .set_param = limiter_set_param,
  .process = limiter_process,
  .latency = limiter_latency,
  .gain_reduction_db = limiter_gain_reduction_db,
  .set_tempo = NULL,
};
