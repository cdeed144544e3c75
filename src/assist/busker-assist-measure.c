/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The measuring pass of the mix assistant: one offline render of the
 * snapshot through the real engine, with the plan's tap
 * (busker_plan_set_tap) inside every strip.
 *
 * Decisions:
 * - Where: a track's level is taken where it enters its inserts (after
 *   trim and polarity), since that is what a trim changes and what its
 *   compressor hears. A bus is metered at that point, after each insert
 *   and where its post-fader inserts begin, so each insert's loudness
 *   change is the difference of two neighbouring meters and the chain's
 *   change (the loudness match of an A/B) is their sum. Buses need only
 *   integrated loudness (and differences of it): those meters are the DSP's
 *   own K-weighted gating accumulators (dsp/k-weighting.h, the meters.c
 *   code, within 0.02 LU of libebur128), several times cheaper than a
 *   libebur128 meter; on tracks the same meter gives the short-term
 *   maximum (3 s windows every 100 ms). Only the mix is metered by
 *   libebur128, as --analyze meters it.
 * - Gain reduction is read from the unit once per block (its value at the
 *   end of the block, as the GUI meter reads it) and averaged over the
 *   blocks whose input was above -70 dBFS, so silence does not dilute it.
 * - RMS counts the blocks above -70 dBFS only, for the same reason, and
 *   is the mean of both channels' squares: a full-scale sine is -3 dBFS.
 * - Mono by strip: each strip's own post-fader output folded to mono, its
 *   lost energy weighted by how loud it is in the mix (see
 *   docs/assistant.md for why not "render without each strip"). The lost
 *   energy of a fold to (L+R)/2 on both channels is exactly (L-R)^2/2 per
 *   frame, so it is summed directly; its spectrum (octave bands of a Hann
 *   windowed FFT of (L-R)/2, FFTW) is sampled every BAND_EVERY blocks,
 *   which is plenty for "where" and keeps the cost small.
 * - The taps run on the render's worker thread too, and each touches only
 *   its own strip's state; everything across strips (outputs, mono, aux
 *   feeders, the master) is read on this thread after each block.
 * - The render covers the sources and then the effect tail, ended as
 *   export ends it: once the master stays under -90 dBFS for 0.5 s, or
 *   after 10 s.
 */
#include "busker-assist.h"

#include <fftw3.h>
#include <math.h>
#include <string.h>

#include "dsp/k-weighting.h"
#include "dsp/params.h"
#include "engine/busker-render.h"
#include "dsp/fast-math.h"

#define ACTIVE_MS 1e-7          /* -70 dBFS as a mean square */
#define BAND_EVERY 4
#define FFT_SIZE 1024
#define TAIL_FLOOR 3.1622777e-5 /* -90 dBFS */
#define TAIL_QUIET_S 0.5
#define TAIL_MAX_S 10.0

typedef struct {
  BuskerGatedLoudness *meter;   /* after this insert: buses, not bypassed */
  bool feeds_gr;                /* the next active insert reports gain reduction */
  double gr_sum;
  float gr_max;
  int64_t gr_blocks;
} InsertState;

typedef struct {
  bool is_bus;
  bool has_post;                /* an active post-fader insert */
  float in_peak, pre_fader_peak;
  double in_ms_sum;
  int64_t in_ms_frames;
  BuskerGatedLoudness *in_meter;   /* tracks: short-term maximum; buses: integrated */
  BuskerGatedLoudness *post_meter; /* where post-fader inserts begin: buses with some */
  bool last_active;             /* the signal entering the next insert was above -70 dBFS */
  InsertState *inserts;

  /* Read after each block on the analysis thread. */
  float out_peak;
  double out_energy, lost_energy;
  bool time_effect;              /* an aux bus with a reverb or delay */
  BuskerGatedLoudness *return_meter; /* its output, unless its chain's end gives it */
  BuskerGatedLoudness *dry_meter;    /* the sum of the strips that send to it */
} StripState;

typedef struct {
  const BuskerMixDesc *desc;
  StripState *strips;
} Measure;

static inline float
sum4 (BuskerV4f v)
{
  return (v[0] + v[1]) + (v[2] + v[3]);
}

static inline float
hmax4 (BuskerV4f v)
{
  return MAX (MAX (v[0], v[1]), MAX (v[2], v[3]));
}

typedef struct {
  double energy; /* sum of l^2 + r^2 */
  double lost;   /* sum of (l - r)^2 / 2: what a fold to (L+R)/2 loses */
  float peak;
} BlockStats;

static BlockStats
block_stats (const float *l, const float *r, uint32_t n, bool with_lost)
{
  BuskerV4f e = { 0 }, d = { 0 }, pk = { 0 };
  uint32_t i = 0;
  BlockStats st;

  for (; i + 4 <= n; i += 4)
    {
      BuskerV4f a = busker_v4_load (l + i), b = busker_v4_load (r + i), diff = a - b;
      e += a * a + b * b;
      if (with_lost)
        d += diff * diff;
      pk = busker_v4_max (pk, busker_v4_max (busker_v4_abs (a), busker_v4_abs (b)));
    }
  st.energy = sum4 (e);
  st.lost = 0.5 * sum4 (d);
  st.peak = hmax4 (pk);
  for (; i < n; i++)
    {
      st.energy += (double) l[i] * l[i] + (double) r[i] * r[i];
      st.lost += 0.5 * ((double) l[i] - r[i]) * ((double) l[i] - r[i]);
      st.peak = MAX (st.peak, MAX (fabsf (l[i]), fabsf (r[i])));
    }
  return st;
}

/* Mean square of both channels; raises *peak to the block's peak. */
static double
block_ms (const float *l, const float *r, uint32_t n, float *peak)
{
  BlockStats st = block_stats (l, r, n, false);
  *peak = MAX (*peak, st.peak);
  return n > 0 ? st.energy / (2.0 * n) : 0.0;
}

/* The plan's tap: on the thread rendering this strip, touching only its
 * state. */
static void
on_tap (void *data, uint32_t strip, int32_t point, const float *l, const float *r, uint32_t n,
        float gr_db)
{
  Measure *m = data;
  StripState *st = &m->strips[strip];
  const BuskerStripDesc *sd = &m->desc->strips[strip];
  float peak = 0.0f;
  double ms;

  if (point == BUSKER_PLAN_TAP_INPUT)
    {
      ms = block_ms (l, r, n, &st->in_peak);
      st->pre_fader_peak = MAX (st->pre_fader_peak, st->in_peak);
      if (ms > ACTIVE_MS)
        {
          st->in_ms_sum += ms * n;
          st->in_ms_frames += n;
        }
      if (st->in_meter != NULL)
        busker_gated_loudness_add (st->in_meter, l, r, n);
      st->last_active = ms > ACTIVE_MS;
      return;
    }
  if (point == BUSKER_PLAN_TAP_POST_FADER)
    {
      if (!st->has_post)
        return;
      ms = block_ms (l, r, n, &peak);
      if (st->post_meter != NULL)
        busker_gated_loudness_add (st->post_meter, l, r, n);
      st->last_active = ms > ACTIVE_MS;
      return;
    }

  InsertState *is = &st->inserts[point];
  const BuskerInsertDesc *id = &sd->inserts[point];
  if (id->bypass)
    return;
  if (st->last_active && id->klass->gain_reduction_db != NULL)
    {
      is->gr_sum += gr_db;
      is->gr_max = MAX (is->gr_max, gr_db);
      is->gr_blocks++;
    }
  if (is->meter != NULL)
    busker_gated_loudness_add (is->meter, l, r, n);
  /* The level only where a rule reads it: before the fader (clipping),
   * or going into a unit with gain reduction (its gating). */
  if (!id->post_fader || is->feeds_gr)
    {
      ms = block_ms (l, r, n, &peak);
      if (!id->post_fader)
        st->pre_fader_peak = MAX (st->pre_fader_peak, peak);
      st->last_active = ms > ACTIVE_MS;
    }
}

static bool
has_time_effect (const BuskerStripDesc *sd)
{
  for (uint32_t k = 0; k < sd->n_inserts; k++)
    if (!sd->inserts[k].bypass && (strcmp (sd->inserts[k].klass->type, "reverb") == 0 ||
                                   strcmp (sd->inserts[k].klass->type, "delay") == 0))
      return true;
  return false;
}

static bool
any_solo (const BuskerMixDesc *desc)
{
  for (uint32_t i = 0; i < desc->n_strips; i++)
    if (desc->strips[i].solo)
      return true;
  return false;
}

static bool
is_saturation (const BuskerInsertDesc *in)
{
  return strcmp (in->klass->type, "saturation") == 0;
}

/* Which inserts of a bus get a meter after them: the last active one of
 * each section (pre- and post-fader), so the chain's change is whole, and
 * a saturation and the insert before it, so its own change is known. The
 * others are not needed by any rule and each meter costs about as much as
 * an EQ. */
static void
choose_meters (const BuskerStripDesc *sd, bool *metered)
{
  for (uint32_t k = 0; k < sd->n_inserts; k++)
    {
      const BuskerInsertDesc *in = &sd->inserts[k];
      int32_t next = -1;
      if (in->bypass)
        continue;
      for (uint32_t j = k + 1; j < sd->n_inserts && next < 0; j++)
        if (!sd->inserts[j].bypass && sd->inserts[j].post_fader == in->post_fader)
          next = (int32_t) j;
      metered[k] = next < 0 || is_saturation (in) || is_saturation (&sd->inserts[next]);
    }
}

static BuskerGatedLoudness *
gated_new (double rate)
{
  BuskerGatedLoudness *g = busker_gated_loudness_new (rate);
  if (g == NULL)
    g_error ("Out of memory for a loudness meter");
  return g;
}

static void
measure_init (Measure *m, const BuskerMixDesc *desc)
{
  double rate = desc->sample_rate;

  m->desc = desc;
  m->strips = g_new0 (StripState, desc->n_strips);
  for (uint32_t i = 0; i < desc->n_strips; i++)
    {
      const BuskerStripDesc *sd = &desc->strips[i];
      StripState *st = &m->strips[i];
      g_autofree bool *metered = g_new0 (bool, MAX (sd->n_inserts, 1));
      bool post = false;

      st->is_bus = sd->kind != BUSKER_STRIP_TRACK;
      st->inserts = g_new0 (InsertState, MAX (sd->n_inserts, 1));
      for (uint32_t k = 0; k < sd->n_inserts; k++)
        st->has_post |= sd->inserts[k].post_fader && !sd->inserts[k].bypass;
      for (uint32_t k = 0; k < sd->n_inserts; k++)
        for (uint32_t j = k + 1; j < sd->n_inserts; j++)
          if (!sd->inserts[j].bypass)
            {
              st->inserts[k].feeds_gr = sd->inserts[j].klass->gain_reduction_db != NULL;
              break;
            }
      st->in_meter = gated_new (rate);
      if (!st->is_bus)
        continue;
      choose_meters (sd, metered);
      for (uint32_t k = 0; k < sd->n_inserts; k++)
        {
          post |= sd->inserts[k].post_fader && !sd->inserts[k].bypass;
          if (metered[k])
            st->inserts[k].meter = gated_new (rate);
        }
      if (post)
        st->post_meter = gated_new (rate);
      if (sd->kind == BUSKER_STRIP_AUX && has_time_effect (sd))
        {
          st->time_effect = true;
          st->dry_meter = gated_new (rate);
          /* Centred, with no post-fader insert and no mute or solo, the
           * return is its chain's end times its fader: no meter needed. */
          if (post || sd->pan != 0.0f || sd->mute || any_solo (desc))
            st->return_meter = gated_new (rate);
        }
    }
}

static void
measure_clear (Measure *m)
{
  for (uint32_t i = 0; m->strips != NULL && i < m->desc->n_strips; i++)
    {
      StripState *st = &m->strips[i];
      busker_gated_loudness_free (st->in_meter);
      busker_gated_loudness_free (st->post_meter);
      busker_gated_loudness_free (st->return_meter);
      busker_gated_loudness_free (st->dry_meter);
      for (uint32_t k = 0; k < m->desc->strips[i].n_inserts; k++)
        busker_gated_loudness_free (st->inserts[k].meter);
      g_free (st->inserts);
    }
  g_free (m->strips);
}

/* Octave band of each FFT bin, or -1 outside 22 Hz ... 22.6 kHz. */
static void
band_map (double rate, int *map)
{
  for (int k = 0; k <= FFT_SIZE / 2; k++)
    {
      double f = k * rate / FFT_SIZE;
      map[k] = -1;
      for (int b = 0; b < BUSKER_ASSIST_N_BANDS; b++)
        {
          double c = 31.25 * exp2 (b);
          if (f >= c / G_SQRT2 && f < c * G_SQRT2)
            map[k] = b;
        }
    }
}

typedef struct {
  fftwf_plan plan;
  float *in;
  fftwf_complex *out;
  float window[FFT_SIZE];
  int map[FFT_SIZE / 2 + 1];
} Spectrum;

static void
spectrum_init (Spectrum *sp, double rate)
{
  sp->in = fftwf_alloc_real (FFT_SIZE);
  sp->out = fftwf_alloc_complex (FFT_SIZE / 2 + 1);
  sp->plan = fftwf_plan_dft_r2c_1d (FFT_SIZE, sp->in, sp->out, FFTW_ESTIMATE);
  for (int i = 0; i < FFT_SIZE; i++)
    sp->window[i] = (float) (0.5 - 0.5 * cos (2 * G_PI * i / FFT_SIZE));
  band_map (rate, sp->map);
}

static void
spectrum_clear (Spectrum *sp)
{
  fftwf_destroy_plan (sp->plan);
  fftwf_free (sp->in);
  fftwf_free (sp->out);
}

/* Adds the band energies of (l - r)/2 to bands; the scale is arbitrary but
 * the same for every strip. */
static void
spectrum_add_side (Spectrum *sp, const float *l, const float *r, double *bands)
{
  for (int i = 0; i < FFT_SIZE; i++)
    sp->in[i] = 0.5f * (l[i] - r[i]) * sp->window[i];
  fftwf_execute (sp->plan);
  for (int k = 0; k <= FFT_SIZE / 2; k++)
    if (sp->map[k] >= 0)
      bands[sp->map[k]] += (double) sp->out[k][0] * sp->out[k][0]
                           + (double) sp->out[k][1] * sp->out[k][1];
}

static double
db_or_inf (double amplitude)
{
  return amplitude > 0.0 ? 20.0 * log10 (amplitude) : -INFINITY;
}

/* After each block, on this thread: outputs, mono, aux feeders. */
static void
after_block (Measure *m, BuskerRender *render, BuskerAssistMix *mix, Spectrum *sp,
             float *dry_l, float *dry_r, uint32_t n, bool sample_bands)
{
  const BuskerMixDesc *desc = m->desc;

  for (uint32_t i = 0; i < desc->n_strips; i++)
    {
      StripState *st = &m->strips[i];
      const float *l = busker_render_strip_output (render, i, 0);
      const float *r = busker_render_strip_output (render, i, 1);
      bool master = desc->strips[i].kind == BUSKER_STRIP_MASTER;
      BlockStats bs = block_stats (l, r, n, !master);
      double lost = bs.lost;

      st->out_peak = MAX (st->out_peak, bs.peak);
      st->out_energy += bs.energy;
      st->lost_energy += bs.lost;
      if (sample_bands && lost > 1e-9 * n && !master)
        spectrum_add_side (sp, l, r, mix->strips[i].band_lost);
      if (st->return_meter != NULL)
        busker_gated_loudness_add (st->return_meter, l, r, n);
    }

  /* Dry feeders of each aux with a reverb or delay. */
  for (uint32_t a = 0; a < desc->n_strips; a++)
    {
      if (m->strips[a].dry_meter == NULL)
        continue;
      memset (dry_l, 0, n * sizeof (float));
      memset (dry_r, 0, n * sizeof (float));
      for (uint32_t i = 0; i < desc->n_strips; i++)
        {
          const BuskerStripDesc *sd = &desc->strips[i];
          bool feeds = false;
          for (uint32_t s = 0; s < sd->n_sends; s++)
            feeds |= sd->sends[s].to == a && !sd->sends[s].mute;
          if (!feeds)
            continue;
          const float *l = busker_render_strip_output (render, i, 0);
          const float *r = busker_render_strip_output (render, i, 1);
          for (uint32_t j = 0; j < n; j++)
            {
              dry_l[j] += l[j];
              dry_r[j] += r[j];
            }
        }
      busker_gated_loudness_add (m->strips[a].dry_meter, dry_l, dry_r, n);
    }
}

static double
lufs_or_nan (const BuskerGatedLoudness *meter)
{
  return meter != NULL ? busker_gated_loudness_integrated (meter) : NAN;
}

/* Loudness after minus before; 0 when both are silent, NAN when either
 * meter is missing. */
static double
change_lu (double before, double after)
{
  if (isnan (before) || isnan (after))
    return NAN;
  if (isinf (before) && isinf (after))
    return 0.0;
  return after - before;
}

static void
collect (Measure *m, BuskerAssistMix *mix)
{
  const BuskerMixDesc *desc = m->desc;
  double total_lost = 0.0;

  for (uint32_t i = 0; i < desc->n_strips; i++)
    {
      const BuskerStripDesc *sd = &desc->strips[i];
      StripState *st = &m->strips[i];
      BuskerAssistStrip *as = &mix->strips[i];

      as->input_peak_dbfs = db_or_inf (st->in_peak);
      as->input_rms_dbfs = st->in_ms_frames > 0
                             ? 10.0 * log10 (st->in_ms_sum / st->in_ms_frames)
                             : -INFINITY;
      as->input_short_term_max_lufs = st->is_bus ? NAN
                                                 : busker_gated_loudness_short_term_max (st->in_meter);
      as->pre_fader_peak_dbfs = db_or_inf (st->pre_fader_peak);
      as->output_peak_dbfs = db_or_inf (st->out_peak);

      as->mono_lost_energy = st->lost_energy;
      if (st->out_energy <= 0.0)
        as->mono_loss_db = NAN;
      else if (st->out_energy - st->lost_energy <= 1e-9 * st->out_energy)
        as->mono_loss_db = INFINITY;
      else
        as->mono_loss_db = 10.0 * log10 (st->out_energy / (st->out_energy - st->lost_energy));
      if (sd->kind == BUSKER_STRIP_TRACK || sd->kind == BUSKER_STRIP_AUX)
        {
          total_lost += st->lost_energy;
          for (int b = 0; b < BUSKER_ASSIST_N_BANDS; b++)
            mix->mix_band_lost[b] += as->band_lost[b];
        }

      as->time_effect = st->time_effect;
      as->dry_feeders_lufs = lufs_or_nan (st->dry_meter);

      /* Each metered insert's change against the meter before it; that
       * is its own change when nothing unmetered sits between. */
      double before = lufs_or_nan (st->in_meter);
      bool direct = true, in_post = false;
      as->chain_change_lu = st->is_bus ? 0.0 : NAN;
      for (uint32_t k = 0; k < sd->n_inserts; k++)
        {
          BuskerAssistInsert *ai = &as->inserts[k];
          InsertState *is = &st->inserts[k];
          ai->gr_mean_db = is->gr_blocks > 0 ? is->gr_sum / is->gr_blocks : NAN;
          ai->gr_max_db = is->gr_blocks > 0 ? is->gr_max : NAN;
          ai->loudness_change_lu = sd->inserts[k].bypass && st->is_bus ? 0.0 : NAN;
          if (!st->is_bus || sd->inserts[k].bypass)
            continue;
          if (sd->inserts[k].post_fader && !in_post)
            {
              before = lufs_or_nan (st->post_meter);
              direct = in_post = true;
            }
          if (is->meter == NULL)
            {
              direct = false;
              continue;
            }
          double after = busker_gated_loudness_integrated (is->meter);
          double change = change_lu (before, after);
          if (direct)
            ai->loudness_change_lu = change;
          if (isfinite (change))
            as->chain_change_lu += change;
          before = after;
          direct = true;
        }
      if (st->time_effect)
        as->return_lufs = st->return_meter != NULL ? lufs_or_nan (st->return_meter)
                                                   : before + sd->gain_db;
    }
  for (uint32_t i = 0; i < desc->n_strips; i++)
    mix->strips[i].mono_share = total_lost > 0.0 &&
                                    (desc->strips[i].kind == BUSKER_STRIP_TRACK ||
                                     desc->strips[i].kind == BUSKER_STRIP_AUX)
                                  ? m->strips[i].lost_energy / total_lost
                                  : 0.0;
}

static BuskerAssistMix *
mix_new (const BuskerMixDesc *desc)
{
  BuskerAssistMix *mix = g_new0 (BuskerAssistMix, 1);
  mix->desc = desc;
  mix->strips = g_new0 (BuskerAssistStrip, desc->n_strips);
  for (uint32_t i = 0; i < desc->n_strips; i++)
    {
      BuskerAssistStrip *as = &mix->strips[i];
      as->desc = &desc->strips[i];
      as->index = i;
      as->suggested_trim_db = NAN;
      as->inserts = g_new0 (BuskerAssistInsert, MAX (desc->strips[i].n_inserts, 1));
      for (uint32_t k = 0; k < desc->strips[i].n_inserts; k++)
        {
          const BuskerInsertDesc *id = &desc->strips[i].inserts[k];
          as->inserts[k] = (BuskerAssistInsert) { id->klass, id->values, id->bypass,
                                                  id->post_fader, NAN, NAN, NAN };
        }
    }
  return mix;
}

void
busker_assist_mix_free (BuskerAssistMix *mix)
{
  if (mix == NULL)
    return;
  for (uint32_t i = 0; i < mix->desc->n_strips; i++)
    g_free (mix->strips[i].inserts);
  g_free (mix->strips);
  g_free (mix);
}

BuskerAssistMix *
busker_assist_measure (const BuskerMixDesc *desc, const volatile sig_atomic_t *cancel,
                       GError **error)
{
  g_return_val_if_fail (desc != NULL, NULL);

  g_autoptr (BuskerRender) render = busker_render_new (desc, error);
  if (render == NULL)
    return NULL;
  int32_t master = busker_mix_desc_find_master (desc);
  g_autoptr (BuskerAssistMix) mix = mix_new (desc);
  g_autoptr (BuskerLoudness) mix_meter =
    busker_loudness_new_light (desc->sample_rate, BUSKER_LOUDNESS_WITH_MONO);
  uint32_t block = busker_render_max_block (render);
  g_autofree float *dry = g_new (float, 2 * block);
  int64_t length = busker_render_source_length (render);
  int64_t tail_max = llround (TAIL_MAX_S * desc->sample_rate);
  int64_t quiet_needed = llround (TAIL_QUIET_S * desc->sample_rate), quiet = 0;
  int64_t pos = 0, blocks = 0;
  Measure m = { 0 };
  Spectrum sp;
  gboolean ok = TRUE;

  measure_init (&m, desc);
  spectrum_init (&sp, desc->sample_rate);
  busker_render_set_tap (render, on_tap, &m);

  while (length > 0 && pos < length + tail_max)
    {
      uint32_t n = (uint32_t) MIN ((int64_t) block, length + tail_max - pos);
      if (cancel != NULL && *cancel)
        {
          g_set_error (error, BUSKER_ENGINE_ERROR, BUSKER_ENGINE_ERROR_FAILED,
                       "The analysis was cancelled");
          ok = FALSE;
          break;
        }
      if (!busker_render_process (render, n, error))
        {
          ok = FALSE;
          break;
        }
      after_block (&m, render, mix, &sp, dry, dry + block, n,
                   n == FFT_SIZE && blocks % BAND_EVERY == 0);
      const float *l = busker_render_strip_output (render, (uint32_t) master, 0);
      const float *r = busker_render_strip_output (render, (uint32_t) master, 1);
      float peak = 0.0f;
      block_ms (l, r, n, &peak);
      busker_loudness_add_planar (mix_meter, l, r, n);
      pos += n;
      blocks++;
      if (pos > length)
        {
          quiet = peak < TAIL_FLOOR ? quiet + n : 0;
          if (quiet >= quiet_needed)
            break;
        }
    }

  if (ok)
    {
      collect (&m, mix);
      busker_loudness_report (mix_meter, &mix->mix);
      /* The light meter has no true peak: not measured, not -inf. */
      mix->mix.true_peak_dbtp = NAN;
      mix->mix.loudness_range_lu = NAN;
      mix->mix.sample_peak_dbfs = mix->strips[master].output_peak_dbfs;
      mix->seconds = (double) pos / desc->sample_rate;
    }
  spectrum_clear (&sp);
  measure_clear (&m);
  return ok ? g_steal_pointer (&mix) : NULL;
}
