/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The rules of the mix assistant: measurements in, advice out. Pure
 * functions on numbers (no render, no I/O), so each rule is tested with
 * numbers made up for it as well as through a real render.
 *
 * Decisions (thresholds and the reasons are in docs/assistant.md):
 * - Trim target: both are upper bounds, so the suggested change is the
 *   smaller of (target peak - peak) and (target RMS - RMS): a dense track
 *   is set by its RMS, a spiky one by its peaks. Trims stay in the
 *   model's -24...+24 dB range.
 * - A compressor that crosses both its mean and its largest reduction
 *   limits is one piece of advice (the mean one), and a chain whose rise
 *   is already explained by a flagged saturation is not named twice.
 * - A fast attack matters only on a compressor that acts (largest
 *   reduction of 1 dB or more): one that never reduces cannot blunt
 *   anything.
 * - Only trims are suggestions; everything else is a warning.
 */
#include "config.h"

#include "busker-assist.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "dsp/params.h"

#define TRIM_MIN_DB -24.0
#define TRIM_MAX_DB 24.0
#define ATTACK_NEEDS_GR_DB 1.0
#define MONO_NAME_SHARE 0.2
#define MONO_NAME_MAX 3

void
busker_assist_config_init (BuskerAssistConfig *c)
{
  *c = (BuskerAssistConfig) {
    .target_peak_dbfs = -10.0,
    .target_rms_dbfs = -18.0,
    .trim_tolerance_db = 3.0,
    .bus_comp_mean_gr_db = 3.0,
    .bus_comp_max_gr_db = 6.0,
    .bus_attack_ms = 10.0,
    .bus_eq_boost_db = 6.0,
    .bus_eq_q = 4.0,
    .loudness_rise_lu = 1.0,
    .master_limiter_gr_db = 3.0,
    .strip_mono_loss_db = 4.5,
    .mix_mono_loss_lu = 3.0,
  };
}

const char *
busker_assist_strip_name (const BuskerAssistStrip *strip)
{
  const BuskerStripDesc *d = strip->desc;
  return d->name != NULL && *d->name ? d->name : d->id != NULL ? d->id : "?";
}

static void
advice_free (gpointer data)
{
  BuskerAdvice *a = data;
  g_free (a->message);
  g_free (a);
}

static BuskerAdvice *
add (GPtrArray *out, BuskerAdviceKind kind, const BuskerAssistStrip *s, int32_t insert,
     int32_t band, double value, double limit, double fix, char *message)
{
  BuskerAdvice *a = g_new0 (BuskerAdvice, 1);
  *a = (BuskerAdvice) { kind, kind != BUSKER_ADVICE_TRIM, s->index, insert, band,
                        value, limit, fix, message };
  g_ptr_array_add (out, a);
  return a;
}

/* "Drums bus compressor", "Master limiter": what a person calls the insert. */
static char *
insert_title (const BuskerAssistStrip *s, uint32_t k)
{
  /* Translators: "yes" when an effect's name is written in lower case
   * inside a sentence ("Drums bus compressor"), anything else to keep it
   * as it is (German nouns keep their capital). */
  gboolean lower = g_str_equal (C_("lower-case effect names in sentences", "yes"), "yes");
  g_autofree char *label = lower ? g_utf8_strdown (_(s->inserts[k].klass->label), -1)
                                 : g_strdup (_(s->inserts[k].klass->label));
  if (s->desc->kind == BUSKER_STRIP_MASTER)
    return g_strdup_printf (C_("insert on the master", "%s %s"), busker_assist_strip_name (s), label);
  return g_strdup_printf (C_("insert on a bus", "%s bus %s"), busker_assist_strip_name (s), label);
}

static const char *
band_name (int band)
{
  static const char *const names[BUSKER_ASSIST_N_BANDS] = {
    "31 Hz", "63 Hz", "125 Hz", "250 Hz", "500 Hz", "1 kHz", "2 kHz", "4 kHz", "8 kHz", "16 kHz",
  };
  return band >= 0 && band < BUSKER_ASSIST_N_BANDS ? names[band] : "?";
}

static int
loudest_band (const double *bands)
{
  int best = -1;
  for (int b = 0; b < BUSKER_ASSIST_N_BANDS; b++)
    if (bands[b] > 0.0 && (best < 0 || bands[b] > bands[best]))
      best = b;
  return best;
}

static bool
is_bus (const BuskerAssistStrip *s)
{
  return s->desc->kind != BUSKER_STRIP_TRACK;
}

/* Gain staging of one track: the suggestion, and whether it clips. */
static void
rule_track_levels (GPtrArray *out, BuskerAssistStrip *s, const BuskerAssistConfig *c)
{
  const char *name = busker_assist_strip_name (s);
  double delta;

  if (!isfinite (s->input_peak_dbfs))
    return;
  delta = c->target_peak_dbfs - s->input_peak_dbfs;
  if (isfinite (s->input_rms_dbfs))
    delta = MIN (delta, c->target_rms_dbfs - s->input_rms_dbfs);
  s->suggested_trim_db = CLAMP (s->desc->trim_db + delta, TRIM_MIN_DB, TRIM_MAX_DB);
  delta = s->suggested_trim_db - s->desc->trim_db;

  if (s->pre_fader_peak_dbfs > 0.0)
    {
      double fix = MIN (delta, -s->pre_fader_peak_dbfs);
      add (out, BUSKER_ADVICE_TRACK_CLIPS, s, -1, -1, s->pre_fader_peak_dbfs, 0.0, fix,
           g_strdup_printf (_("%s: peaks at %+.1f dBFS before its fader (over 0 dBFS): "
                              "lower its trim by %.1f dB"),
                            name, s->pre_fader_peak_dbfs, -fix));
      return;
    }
  if (fabs (delta) > c->trim_tolerance_db)
    add (out, BUSKER_ADVICE_TRIM, s, -1, -1, s->input_peak_dbfs, c->target_peak_dbfs, delta,
         g_strdup_printf (_("%s: peaks at %.1f dBFS, RMS %.1f dBFS at its input (targets %.0f "
                            "and %.0f dBFS): change its trim by %+.1f dB"),
                          name, s->input_peak_dbfs, s->input_rms_dbfs, c->target_peak_dbfs,
                          c->target_rms_dbfs, delta));
}

static void
rule_bus_levels (GPtrArray *out, const BuskerAssistStrip *s)
{
  const char *name = busker_assist_strip_name (s);
  double inside = MAX (s->input_peak_dbfs, s->pre_fader_peak_dbfs);

  if (s->output_peak_dbfs > 0.0)
    add (out, BUSKER_ADVICE_BUS_CLIPS, s, -1, -1, s->output_peak_dbfs, 0.0, -s->output_peak_dbfs,
         g_strdup_printf (_("%s: peaks at %+.1f dBFS at its output (over 0 dBFS): lower its "
                            "fader or what feeds it by %.1f dB"),
                          name, s->output_peak_dbfs, s->output_peak_dbfs));
  else if (inside > 0.0)
    add (out, BUSKER_ADVICE_BUS_CLIPS, s, -1, -1, inside, 0.0, -inside,
         g_strdup_printf (_("%s: peaks at %+.1f dBFS before its fader (over 0 dBFS): lower "
                            "the strips that feed it by %.1f dB"),
                          name, inside, inside));
}

static void
rule_compressor (GPtrArray *out, const BuskerAssistStrip *s, uint32_t k,
                 const BuskerAssistConfig *c)
{
  const BuskerAssistInsert *in = &s->inserts[k];
  g_autofree char *title = insert_title (s, k);
  bool multiband = strcmp (in->klass->type, "multiband_compressor") == 0;
  float attack = INFINITY;

  if (in->gr_mean_db > c->bus_comp_mean_gr_db)
    add (out, BUSKER_ADVICE_COMP_MEAN, s, (int32_t) k, -1, in->gr_mean_db,
         c->bus_comp_mean_gr_db, NAN,
         g_strdup_printf (_("%s: %.1f dB mean gain reduction (more than %.0f dB): raise the "
                            "threshold or lower the ratio"),
                          title, in->gr_mean_db, c->bus_comp_mean_gr_db));
  else if (in->gr_max_db > c->bus_comp_max_gr_db)
    add (out, BUSKER_ADVICE_COMP_MAX, s, (int32_t) k, -1, in->gr_max_db, c->bus_comp_max_gr_db,
         NAN,
         g_strdup_printf (_("%s: %.1f dB largest gain reduction (more than %.0f dB): raise the "
                            "threshold or lower the ratio"),
                          title, in->gr_max_db, c->bus_comp_max_gr_db));

  if (!(in->gr_max_db >= ATTACK_NEEDS_GR_DB))
    return;
  if (!multiband)
    attack = in->values[BUSKER_COMP_ATTACK_MS];
  else
    {
      int n_bands = (int) lroundf (in->values[BUSKER_MBC_CROSSOVER_COUNT]) + 1;
      for (int b = 0; b < n_bands && b < BUSKER_MBC_MAX_BANDS; b++)
        if (in->values[BUSKER_MBC_PARAM (b, BUSKER_MBC_BAND_BYPASS)] < 0.5f)
          attack = MIN (attack, in->values[BUSKER_MBC_PARAM (b, BUSKER_MBC_BAND_ATTACK_MS)]);
    }
  if (attack < c->bus_attack_ms)
    add (out, BUSKER_ADVICE_FAST_ATTACK, s, (int32_t) k, -1, attack, c->bus_attack_ms, NAN,
         g_strdup_printf (_("%s: %.1f ms attack (under %.0f ms on a bus) blunts the "
                            "transients: set the attack to %.0f ms or more"),
                          title, attack, c->bus_attack_ms, c->bus_attack_ms));
}

static void
rule_limiter (GPtrArray *out, const BuskerAssistStrip *s, uint32_t k, const BuskerAssistConfig *c)
{
  const BuskerAssistInsert *in = &s->inserts[k];
  g_autofree char *title = insert_title (s, k);

  if (in->gr_mean_db > c->master_limiter_gr_db)
    {
      double fix = in->gr_mean_db - c->master_limiter_gr_db;
      add (out, BUSKER_ADVICE_LIMITER, s, (int32_t) k, -1, in->gr_mean_db,
           c->master_limiter_gr_db, -fix,
           g_strdup_printf (_("%s: %.1f dB mean gain reduction (more than %.0f dB): lower its "
                              "input gain by %.1f dB"),
                            title, in->gr_mean_db, c->master_limiter_gr_db, fix));
    }
}

static void
rule_eq (GPtrArray *out, const BuskerAssistStrip *s, uint32_t k, const BuskerAssistConfig *c)
{
  const BuskerAssistInsert *in = &s->inserts[k];
  g_autofree char *title = insert_title (s, k);

  for (int b = 0; b < BUSKER_EQ_MAX_BANDS; b++)
    {
      const float *v = in->values + BUSKER_EQ_PARAM (b, 0);
      int type = (int) lroundf (v[BUSKER_EQ_BAND_TYPE]);
      float gain = v[BUSKER_EQ_BAND_GAIN_DB], q = v[BUSKER_EQ_BAND_Q];
      bool has_gain = type == BUSKER_EQ_PEAK || type == BUSKER_EQ_LOW_SHELF ||
                      type == BUSKER_EQ_HIGH_SHELF;

      if (v[BUSKER_EQ_BAND_ENABLED] < 0.5f)
        continue;
      if (has_gain && gain > c->bus_eq_boost_db)
        add (out, BUSKER_ADVICE_EQ_BOOST, s, (int32_t) k, b, gain, c->bus_eq_boost_db, NAN,
             g_strdup_printf (_("%s band %d: %+.1f dB boost (more than %.0f dB on a bus): boost "
                                "less, or on the tracks that need it"),
                              title, b + 1, gain, c->bus_eq_boost_db));
      /* A peak band at 0 dB does nothing however narrow it is. */
      if (q > c->bus_eq_q && !(type == BUSKER_EQ_PEAK && fabsf (gain) < 0.5f))
        add (out, BUSKER_ADVICE_EQ_NARROW, s, (int32_t) k, b, q, c->bus_eq_q, NAN,
             g_strdup_printf (_("%s band %d: Q %.1f (more than %.0f on a bus): widen it, or make "
                                "narrow corrections on the tracks"),
                              title, b + 1, q, c->bus_eq_q));
    }
}

/* Loudness: a saturation louder than its input, then the whole chain. */
static void
rule_loudness (GPtrArray *out, const BuskerAssistStrip *s, const BuskerAssistConfig *c)
{
  double explained = 0.0;

  for (uint32_t k = 0; k < s->desc->n_inserts; k++)
    {
      const BuskerAssistInsert *in = &s->inserts[k];
      if (in->bypass || strcmp (in->klass->type, "saturation") != 0 ||
          !(in->loudness_change_lu > c->loudness_rise_lu))
        continue;
      g_autofree char *title = insert_title (s, k);
      explained += in->loudness_change_lu;
      add (out, BUSKER_ADVICE_LOUDER_INSERT, s, (int32_t) k, -1, in->loudness_change_lu,
           c->loudness_rise_lu, -in->loudness_change_lu,
           g_strdup_printf (_("%s: %.1f LU louder than its input (more than %.0f LU), so it wins "
                              "by level, not tone: lower its output by %.1f dB"),
                            title, in->loudness_change_lu, c->loudness_rise_lu,
                            in->loudness_change_lu));
    }
  if (s->chain_change_lu - explained > c->loudness_rise_lu)
    add (out, BUSKER_ADVICE_LOUDER_CHAIN, s, -1, -1, s->chain_change_lu, c->loudness_rise_lu,
         -s->chain_change_lu,
         g_strdup_printf (_("%s: its inserts make it %.1f LU louder than bypassed (more than %.0f "
                            "LU): lower their output by %.1f dB so an A/B compares tone, not "
                            "level"),
                          busker_assist_strip_name (s), s->chain_change_lu, c->loudness_rise_lu,
                          s->chain_change_lu));
}

static void
rule_return (GPtrArray *out, const BuskerAssistStrip *s)
{
  double over = s->return_lufs - s->dry_feeders_lufs;

  if (!s->time_effect || !isfinite (s->return_lufs) || !(over > 0.0))
    return;
  add (out, BUSKER_ADVICE_RETURN_LOUDER, s, -1, -1, over, 0.0, -over,
       isfinite (s->dry_feeders_lufs)
         ? g_strdup_printf (_("%s: the return is %.1f LU louder than the dry strips that feed "
                              "it: lower its fader or the sends by %.1f dB or more"),
                            busker_assist_strip_name (s), over, over)
         : g_strdup_printf (_("%s: the return is heard while the strips that feed it are "
                              "silent: raise their faders or lower the sends"),
                            busker_assist_strip_name (s)));
}

static int
by_share (gconstpointer a, gconstpointer b)
{
  const BuskerAssistStrip *x = *(BuskerAssistStrip *const *) a;
  const BuskerAssistStrip *y = *(BuskerAssistStrip *const *) b;
  return (y->mono_share > x->mono_share) - (y->mono_share < x->mono_share);
}

static void
rule_mono (GPtrArray *out, BuskerAssistMix *mix, const BuskerAssistConfig *c)
{
  const BuskerMixDesc *d = mix->desc;
  int32_t master = busker_mix_desc_find_master (d);
  g_autoptr (GPtrArray) named = g_ptr_array_new ();

  for (uint32_t i = 0; i < d->n_strips; i++)
    {
      BuskerAssistStrip *s = &mix->strips[i];
      if (s->desc->kind != BUSKER_STRIP_TRACK && s->desc->kind != BUSKER_STRIP_AUX)
        continue;
      if (s->mono_share >= MONO_NAME_SHARE)
        g_ptr_array_add (named, s);
      if (!(s->mono_loss_db > c->strip_mono_loss_db))
        continue;
      int band = loudest_band (s->band_lost);
      add (out, BUSKER_ADVICE_MONO_STRIP, s, -1, band, s->mono_loss_db, c->strip_mono_loss_db,
           NAN,
           isinf (s->mono_loss_db)
             ? g_strdup_printf (_("%s: cancels completely folded to mono (its channels are "
                                  "opposite), most around %s: check its polarity and stereo "
                                  "width"),
                                busker_assist_strip_name (s), band_name (band))
             : g_strdup_printf (_("%s: loses %.1f dB folded to mono (more than %.1f dB), most "
                                  "around %s: check its polarity and stereo width"),
                                busker_assist_strip_name (s), s->mono_loss_db,
                                c->strip_mono_loss_db, band_name (band)));
    }

  if (master < 0 || !(mix->mix.mono_loss_lu > c->mix_mono_loss_lu))
    return;
  g_ptr_array_sort (named, by_share);
  g_autoptr (GString) who = g_string_new (NULL);
  for (guint i = 0; i < named->len && i < MONO_NAME_MAX; i++)
    {
      const BuskerAssistStrip *s = named->pdata[i];
      g_string_append_printf (who, "%s%s (%.0f%%)", i > 0 ? ", " : "",
                              busker_assist_strip_name (s), 100.0 * s->mono_share);
    }
  int band = loudest_band (mix->mix_band_lost);
  char *msg;
  if (isinf (mix->mix.mono_loss_lu))
    msg = g_strdup_printf (_("%s: the mix cancels completely folded to mono, most from %s "
                             "around %s: check their polarity and stereo width"),
                           busker_assist_strip_name (&mix->strips[master]),
                           who->len ? who->str : "?", band_name (band));
  else
    msg = g_strdup_printf (_("%s: the mix loses %.1f LU folded to mono (more than %.0f LU), most "
                             "from %s around %s: check their polarity and stereo width"),
                           busker_assist_strip_name (&mix->strips[master]),
                           mix->mix.mono_loss_lu, c->mix_mono_loss_lu,
                           who->len ? who->str : "?", band_name (band));
  add (out, BUSKER_ADVICE_MONO_MIX, &mix->strips[master], -1, band, mix->mix.mono_loss_lu,
       c->mix_mono_loss_lu, NAN, msg);
}

static int
by_importance (gconstpointer a, gconstpointer b)
{
  const BuskerAdvice *x = *(BuskerAdvice *const *) a;
  const BuskerAdvice *y = *(BuskerAdvice *const *) b;
  double ex, ey;

  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  ex = fabs (x->value - x->limit);
  ey = fabs (y->value - y->limit);
  if (isinf (ex) || isinf (ey) || ex != ey)
    return (ey > ex) - (ey < ex);
  return (x->strip > y->strip) - (x->strip < y->strip);
}

GPtrArray *
busker_assist_advise (BuskerAssistMix *mix, const BuskerAssistConfig *config)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (advice_free);
  BuskerAssistConfig defaults;

  if (config == NULL)
    {
      busker_assist_config_init (&defaults);
      config = &defaults;
    }
  for (uint32_t i = 0; i < mix->desc->n_strips; i++)
    {
      BuskerAssistStrip *s = &mix->strips[i];
      if (!is_bus (s))
        {
          rule_track_levels (out, s, config);
          continue;
        }
      rule_bus_levels (out, s);
      for (uint32_t k = 0; k < s->desc->n_inserts; k++)
        {
          const char *type = s->inserts[k].klass->type;
          if (s->inserts[k].bypass)
            continue;
          if (strcmp (type, "compressor") == 0 || strcmp (type, "multiband_compressor") == 0)
            rule_compressor (out, s, k, config);
          else if (strcmp (type, "limiter") == 0)
            rule_limiter (out, s, k, config);
          else if (strcmp (type, "eq") == 0)
            rule_eq (out, s, k, config);
        }
      rule_loudness (out, s, config);
      rule_return (out, s);
    }
  rule_mono (out, mix, config);
  g_ptr_array_sort (out, by_importance);
  return out;
}
