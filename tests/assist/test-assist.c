/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The mix assistant against answers known by construction: every project
 * here is built so the right number follows from arithmetic (a compressor's
 * static curve, a polarity-inverted channel, a +3 dB output stage, sines
 * of known peak), and the advice must name the right strip, and only it.
 * The light short-term meter is checked against libebur128's own
 * short-term loudness read every 100 ms.
 */
#include <ebur128.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sndfile.h>
#include <string.h>

#include "assist/busker-assist.h"
#include "dsp/params.h"
#include "model/busker-project-trims.h"
#include "model/busker-project.h"

#define RATE 48000
#define SECONDS 5.0

typedef void (*Generator) (uint64_t frame, float *l, float *r, gpointer data);

typedef struct {
  double amp, freq_hz;
  double right; /* right channel = left * right */
} Sine;

static void
sine_gen (uint64_t t, float *l, float *r, gpointer data)
{
  const Sine *s = data;
  double x = s->amp * sin (2.0 * G_PI * s->freq_hz * (double) t / RATE);
  *l = (float) x;
  *r = (float) (x * s->right);
}

static char *tmp_dir;

/* A stereo float WAV of SECONDS in the test's folder; returns its path. */
static char *
write_wav (const char *name, Generator gen, gpointer data)
{
  char *path = g_build_filename (tmp_dir, name, NULL);
  SF_INFO info = { .samplerate = RATE, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
  SNDFILE *f = sf_open (path, SFM_WRITE, &info);
  float buf[2 * 1024];
  uint64_t total = (uint64_t) (SECONDS * RATE);

  g_assert_nonnull (f);
  for (uint64_t pos = 0; pos < total;)
    {
      uint64_t n = MIN (total - pos, (uint64_t) 1024);
      for (uint64_t i = 0; i < n; i++)
        gen (pos + i, &buf[2 * i], &buf[2 * i + 1], data);
      g_assert_cmpint (sf_writef_float (f, buf, (sf_count_t) n), ==, (sf_count_t) n);
      pos += n;
    }
  sf_close (f);
  return path;
}

static char *
write_sine (const char *name, double peak_dbfs, double freq_hz, double right)
{
  Sine s = { pow (10.0, peak_dbfs / 20.0), freq_hz, right };
  return write_wav (name, sine_gen, &s);
}

static void
set_track (BuskerMixDesc *d, uint32_t i, const char *id, const char *name, char *path,
           uint32_t output)
{
  BuskerStripDesc *s = &d->strips[i];
  s->id = g_strdup (id);
  s->name = g_strdup (name);
  s->kind = BUSKER_STRIP_TRACK;
  s->source = BUSKER_SOURCE_FILE;
  s->source_path = path;
  s->output = (int32_t) output;
}

static void
set_bus (BuskerMixDesc *d, uint32_t i, const char *id, const char *name, BuskerStripKind kind,
         int32_t output)
{
  BuskerStripDesc *s = &d->strips[i];
  s->id = g_strdup (id);
  s->name = g_strdup (name);
  s->kind = kind;
  s->output = output;
}

static BuskerInsertDesc *
add_insert (BuskerStripDesc *s, const char *type)
{
  BuskerInsertDesc *old = s->inserts;
  s->inserts = g_new0 (BuskerInsertDesc, s->n_inserts + 1);
  if (old != NULL)
    memcpy (s->inserts, old, s->n_inserts * sizeof *old);
  g_free (old);
  busker_insert_desc_init (&s->inserts[s->n_inserts], busker_effect_class_lookup (type));
  return &s->inserts[s->n_inserts++];
}

static void print_advice (GPtrArray *advice);

/* The measurement and the advice of d, which must render. */
static BuskerAssistMix *
analyse (const BuskerMixDesc *d, GPtrArray **advice)
{
  g_autoptr (GError) error = NULL;
  BuskerAssistMix *mix = busker_assist_measure (d, NULL, &error);
  g_assert_no_error (error);
  *advice = busker_assist_advise (mix, NULL);
  print_advice (*advice);
  return mix;
}

/* Power gain of the BS.1770 K-weighting at f (its two biquads at 48 kHz,
 * coefficients from the Recommendation). */
static double
k_weight_power (double f)
{
  static const double b[2][3] = { { 1.53512485958697, -2.69169618940638, 1.19839281085285 },
                                  { 1.0, -2.0, 1.0 } };
  static const double a[2][3] = { { 1.0, -1.69065929318241, 0.73248077421585 },
                                  { 1.0, -1.99004745483398, 0.99007225036621 } };
  double w = 2 * G_PI * f / RATE, g = 1.0;
  for (int s = 0; s < 2; s++)
    {
      double nr = b[s][0] + b[s][1] * cos (w) + b[s][2] * cos (2 * w);
      double ni = -b[s][1] * sin (w) - b[s][2] * sin (2 * w);
      double dr = a[s][0] + a[s][1] * cos (w) + a[s][2] * cos (2 * w);
      double di = -a[s][1] * sin (w) - a[s][2] * sin (2 * w);
      g *= (nr * nr + ni * ni) / (dr * dr + di * di);
    }
  return g;
}

static guint
count_kind (GPtrArray *advice, BuskerAdviceKind kind)
{
  guint n = 0;
  for (guint i = 0; i < advice->len; i++)
    n += ((BuskerAdvice *) advice->pdata[i])->kind == kind;
  return n;
}

static const BuskerAdvice *
find_advice (GPtrArray *advice, BuskerAdviceKind kind, uint32_t strip)
{
  for (guint i = 0; i < advice->len; i++)
    {
      const BuskerAdvice *a = advice->pdata[i];
      if (a->kind == kind && a->strip == strip)
        return a;
    }
  return NULL;
}

static void
print_advice (GPtrArray *advice)
{
  for (guint i = 0; i < advice->len; i++)
    g_test_message ("advice: %s", ((BuskerAdvice *) advice->pdata[i])->message);
}

/* A compressor on a bus with threshold -18 dB, ratio 4, hard knee and an
 * RMS detector, fed a steady 1 kHz sine whose RMS is -10 dBFS: 8 dB over,
 * so (1 - 1/4) * 8 = 6 dB of reduction, and the bus 6 LU quieter. */
static void
test_compressor_6db (void)
{
  g_autoptr (BuskerMixDesc) d = busker_mix_desc_new (3, RATE);
  set_track (d, 0, "tone", "Tone", write_sine ("tone.wav", -10.0 + 20 * log10 (G_SQRT2), 1000, 1),
             1);
  set_bus (d, 1, "drums", "Drums", BUSKER_STRIP_SUBGROUP, 2);
  set_bus (d, 2, "master", "Master", BUSKER_STRIP_MASTER, -1);
  float *v = add_insert (&d->strips[1], "compressor")->values;
  v[BUSKER_COMP_THRESHOLD_DB] = -18;
  v[BUSKER_COMP_RATIO] = 4;
  v[BUSKER_COMP_KNEE_DB] = 0;
  v[BUSKER_COMP_ATTACK_MS] = 30;
  v[BUSKER_COMP_RELEASE_MS] = 150;
  v[BUSKER_COMP_DETECTOR] = BUSKER_DETECTOR_RMS;

  g_autoptr (GPtrArray) advice = NULL;
  g_autoptr (BuskerAssistMix) mix = analyse (d, &advice);

  const BuskerAssistInsert *c = &mix->strips[1].inserts[0];
  g_test_message ("mean %.2f dB, max %.2f dB, loudness %+.2f LU", c->gr_mean_db, c->gr_max_db,
                  c->loudness_change_lu);
  g_assert_cmpfloat_with_epsilon (c->gr_mean_db, 6.0, 0.5);
  g_assert_cmpfloat_with_epsilon (c->gr_max_db, 6.0, 0.5);
  g_assert_cmpfloat_with_epsilon (c->loudness_change_lu, -6.0, 0.5);
  g_assert_cmpfloat_with_epsilon (mix->strips[1].chain_change_lu, -6.0, 0.5);
  g_assert_cmpfloat_with_epsilon (mix->strips[1].input_rms_dbfs, -10.0, 0.1);

  const BuskerAdvice *a = find_advice (advice, BUSKER_ADVICE_COMP_MEAN, 1);
  g_assert_nonnull (a);
  g_assert_cmpint (a->insert, ==, 0);
  g_assert_cmpfloat_with_epsilon (a->value, 6.0, 0.5);
  g_assert_nonnull (strstr (a->message, "Drums bus compressor: "));
  g_assert_nonnull (strstr (a->message, "mean gain reduction"));
  /* The attack is 30 ms, and nothing else is overdone. */
  g_assert_cmpuint (count_kind (advice, BUSKER_ADVICE_FAST_ATTACK), ==, 0);
  g_assert_cmpuint (count_kind (advice, BUSKER_ADVICE_COMP_MAX), ==, 0);
}

/* Three tracks: two with identical channels, and "Wide Synth" whose right
 * channel is the polarity-inverted copy of its left (a 1 kHz sine): it,
 * and it alone, cancels completely in mono, and the cancellation is in
 * the 1 kHz octave. */
static void
test_mono_polarity (void)
{
  g_autoptr (BuskerMixDesc) d = busker_mix_desc_new (4, RATE);
  set_track (d, 0, "bass", "Bass", write_sine ("bass.wav", -20, 110, 1), 3);
  set_track (d, 1, "keys", "Keys", write_sine ("keys.wav", -24, 440, 1), 3);
  set_track (d, 2, "wide", "Wide Synth", write_sine ("wide.wav", -12, 1000, -1), 3);
  set_bus (d, 3, "master", "Master", BUSKER_STRIP_MASTER, -1);

  g_autoptr (GPtrArray) advice = NULL;
  g_autoptr (BuskerAssistMix) mix = analyse (d, &advice);

  g_assert_true (isinf (mix->strips[2].mono_loss_db) && mix->strips[2].mono_loss_db > 0);
  g_assert_cmpfloat_with_epsilon (mix->strips[0].mono_loss_db, 0.0, 0.01);
  g_assert_cmpfloat_with_epsilon (mix->strips[1].mono_loss_db, 0.0, 0.01);
  g_assert_cmpfloat_with_epsilon (mix->strips[2].mono_share, 1.0, 1e-6);

  /* The mix loses exactly the Wide Synth's part: the K-weighted power of
   * all three against that of the two that survive the fold. */
  double p_bass = pow (10, -20 / 10.0) * k_weight_power (110);
  double p_keys = pow (10, -24 / 10.0) * k_weight_power (440);
  double p_wide = pow (10, -12 / 10.0) * k_weight_power (1000);
  double want = 10 * log10 ((p_bass + p_keys + p_wide) / (p_bass + p_keys));
  g_test_message ("mix mono loss %.2f LU, hand sum %.2f", mix->mix.mono_loss_lu, want);
  g_assert_cmpfloat_with_epsilon (mix->mix.mono_loss_lu, want, 0.1);

  g_assert_cmpuint (count_kind (advice, BUSKER_ADVICE_MONO_STRIP), ==, 1);
  const BuskerAdvice *a = find_advice (advice, BUSKER_ADVICE_MONO_STRIP, 2);
  g_assert_nonnull (a);
  g_assert_cmpint (a->band, ==, 5); /* the octave around 1 kHz */
  g_assert_nonnull (strstr (a->message, "Wide Synth"));
  g_assert_nonnull (strstr (a->message, "1 kHz"));
  const BuskerAdvice *m = find_advice (advice, BUSKER_ADVICE_MONO_MIX, 3);
  g_assert_nonnull (m);
  g_assert_nonnull (strstr (m->message, "Wide Synth (100%)"));
  for (guint i = 0; i < advice->len; i++)
    {
      const BuskerAdvice *x = advice->pdata[i];
      if (x->kind != BUSKER_ADVICE_MONO_MIX && x->kind != BUSKER_ADVICE_MONO_STRIP)
        continue;
      g_assert_null (strstr (x->message, "Bass"));
      g_assert_null (strstr (x->message, "Keys"));
    }
}

/* A sine track "Guitar" into the subgroup "Music" (strip 1), then the
 * master. */
static BuskerMixDesc *
guitar_to_music (const char *file, double peak_dbfs, double freq_hz)
{
  BuskerMixDesc *d = busker_mix_desc_new (3, RATE);
  set_track (d, 0, "gtr", "Guitar", write_sine (file, peak_dbfs, freq_hz, 1), 1);
  set_bus (d, 1, "music", "Music", BUSKER_STRIP_SUBGROUP, 2);
  set_bus (d, 2, "master", "Master", BUSKER_STRIP_MASTER, -1);
  return d;
}

/* A saturation with no drive is transparent at -30 dBFS (unit slope at
 * 0), so +3 dB on its output is +3 LU. */
static void
test_saturation_louder (void)
{
  g_autoptr (BuskerMixDesc) d = guitar_to_music ("gtr.wav", -30, 300);
  float *v = add_insert (&d->strips[1], "saturation")->values;
  v[BUSKER_SAT_DRIVE_DB] = 0;
  v[BUSKER_SAT_OUTPUT_DB] = 3;

  g_autoptr (GPtrArray) advice = NULL;
  g_autoptr (BuskerAssistMix) mix = analyse (d, &advice);

  g_test_message ("saturation %+.3f LU", mix->strips[1].inserts[0].loudness_change_lu);
  g_assert_cmpfloat_with_epsilon (mix->strips[1].inserts[0].loudness_change_lu, 3.0, 0.2);
  const BuskerAdvice *a = find_advice (advice, BUSKER_ADVICE_LOUDER_INSERT, 1);
  g_assert_nonnull (a);
  g_assert_cmpfloat_with_epsilon (a->value, 3.0, 0.2);
  g_assert_cmpfloat_with_epsilon (a->fix, -3.0, 0.2);
  g_assert_nonnull (strstr (a->message, "Music bus saturation: "));
  /* The chain's rise is the saturation's: not said twice. */
  g_assert_cmpuint (count_kind (advice, BUSKER_ADVICE_LOUDER_CHAIN), ==, 0);
}

/* A chain split by the fader: a pre-fader -4 dB gain and a post-fader
 * +6 dB gain on a bus at -10 dB: the chain (inserts on against bypassed)
 * is +2 LU; the fader is not part of it. */
static void
test_post_fader_chain (void)
{
  g_autoptr (BuskerMixDesc) d = guitar_to_music ("gtr2.wav", -20, 500);
  d->strips[1].gain_db = -10;
  add_insert (&d->strips[1], "gain")->values[BUSKER_GAIN_GAIN_DB] = -4;
  BuskerInsertDesc *post = add_insert (&d->strips[1], "gain");
  post->values[BUSKER_GAIN_GAIN_DB] = 6;
  post->post_fader = true;

  g_autoptr (GPtrArray) advice = NULL;
  g_autoptr (BuskerAssistMix) mix = analyse (d, &advice);
  g_test_message ("chain %+.3f LU, output peak %.2f dBFS", mix->strips[1].chain_change_lu,
                  mix->strips[1].output_peak_dbfs);
  g_assert_cmpfloat_with_epsilon (mix->strips[1].chain_change_lu, 2.0, 0.05);
  g_assert_cmpfloat_with_epsilon (mix->strips[1].output_peak_dbfs, -20 - 4 - 10 + 6, 0.05);
  const BuskerAdvice *a = find_advice (advice, BUSKER_ADVICE_LOUDER_CHAIN, 1);
  g_assert_nonnull (a);
  g_assert_nonnull (strstr (a->message, "Music: "));
}

/* Sines of known peak: the RMS is 3.01 dB under the peak, so the trim is
 * min(-10 - peak, -18 - rms) away from the current one. */
static void
test_trims (void)
{
  static const struct { const char *id, *name; double peak, trim; } t[] = {
    { "kick", "Kick", -3, 0 },    /* min(-7, -11.99) = -11.99 */
    { "pad", "Pad", -36, 0 },     /* min(26, 21.01) = +21.01 */
    { "vox", "Vox", -13, 0 },     /* min(3, -1.99): within 3 dB, no advice */
    { "hot", "Hot", -3, 6 },      /* +3 dBFS after its trim: clips */
    { "lead", "Lead", -20, 4 },   /* input -16: min(6, 1.01): none */
  };
  const uint32_t n = G_N_ELEMENTS (t);
  g_autoptr (BuskerMixDesc) d = busker_mix_desc_new (n + 1, RATE);
  for (uint32_t i = 0; i < n; i++)
    {
      g_autofree char *file = g_strdup_printf ("%s.wav", t[i].id);
      set_track (d, i, t[i].id, t[i].name, write_sine (file, t[i].peak, 200 + 100 * i, 1), n);
      d->strips[i].trim_db = (float) t[i].trim;
      d->strips[i].gain_db = -20;
    }
  set_bus (d, n, "master", "Master", BUSKER_STRIP_MASTER, -1);

  g_autoptr (GPtrArray) advice = NULL;
  g_autoptr (BuskerAssistMix) mix = analyse (d, &advice);

  for (uint32_t i = 0; i < n; i++)
    {
      double in_peak = t[i].peak + t[i].trim, in_rms = in_peak - 10 * log10 (2.0);
      double want = t[i].trim + MIN (-10 - in_peak, -18 - in_rms);
      g_test_message ("%s: peak %.2f rms %.2f, trim %.2f (want %.2f)", t[i].id,
                      mix->strips[i].input_peak_dbfs, mix->strips[i].input_rms_dbfs,
                      mix->strips[i].suggested_trim_db, want);
      g_assert_cmpfloat_with_epsilon (mix->strips[i].input_peak_dbfs, in_peak, 0.05);
      g_assert_cmpfloat_with_epsilon (mix->strips[i].suggested_trim_db, want, 0.5);
    }
  const BuskerAdvice *a = find_advice (advice, BUSKER_ADVICE_TRIM, 0);
  g_assert_nonnull (a);
  g_assert_cmpfloat_with_epsilon (a->fix, -11.99, 0.5);
  g_assert_nonnull (strstr (a->message, "Kick: "));
  a = find_advice (advice, BUSKER_ADVICE_TRIM, 1);
  g_assert_nonnull (a);
  g_assert_cmpfloat_with_epsilon (a->fix, 21.01, 0.5);
  g_assert_nonnull (strstr (a->message, "Pad: "));
  g_assert_null (find_advice (advice, BUSKER_ADVICE_TRIM, 2));
  g_assert_null (find_advice (advice, BUSKER_ADVICE_TRIM, 4));
  a = find_advice (advice, BUSKER_ADVICE_TRACK_CLIPS, 3);
  g_assert_nonnull (a);
  g_assert_cmpfloat_with_epsilon (a->value, 3.0, 0.05);
  g_assert_nonnull (strstr (a->message, "Hot: "));
  g_assert_cmpuint (count_kind (advice, BUSKER_ADVICE_TRACK_CLIPS), ==, 1);
  /* Clipping comes first. */
  g_assert_cmpint (((BuskerAdvice *) advice->pdata[0])->kind, ==, BUSKER_ADVICE_TRACK_CLIPS);
}

/* The rules on numbers made up for them: EQ, attack, limiter, return. */
static void
test_rules (void)
{
  g_autoptr (BuskerMixDesc) d = busker_mix_desc_new (4, RATE);
  set_bus (d, 0, "verb", "Verb", BUSKER_STRIP_AUX, 3);
  set_bus (d, 1, "drums", "Drums", BUSKER_STRIP_SUBGROUP, 3);
  set_bus (d, 2, "spare", "Spare", BUSKER_STRIP_SUBGROUP, 3);
  set_bus (d, 3, "master", "Master", BUSKER_STRIP_MASTER, -1);
  add_insert (&d->strips[0], "reverb");
  float *eq = add_insert (&d->strips[1], "eq")->values;
  float *comp = add_insert (&d->strips[1], "compressor")->values;
  float *lim = add_insert (&d->strips[3], "limiter")->values;
  for (int b = 0; b < BUSKER_EQ_MAX_BANDS; b++)
    eq[BUSKER_EQ_PARAM (b, BUSKER_EQ_BAND_ENABLED)] = 0;
  eq[BUSKER_EQ_PARAM (1, BUSKER_EQ_BAND_ENABLED)] = 1;
  eq[BUSKER_EQ_PARAM (1, BUSKER_EQ_BAND_GAIN_DB)] = 8;
  eq[BUSKER_EQ_PARAM (2, BUSKER_EQ_BAND_ENABLED)] = 1;
  eq[BUSKER_EQ_PARAM (2, BUSKER_EQ_BAND_GAIN_DB)] = -3;
  eq[BUSKER_EQ_PARAM (2, BUSKER_EQ_BAND_Q)] = 6;
  eq[BUSKER_EQ_PARAM (3, BUSKER_EQ_BAND_ENABLED)] = 1;
  eq[BUSKER_EQ_PARAM (3, BUSKER_EQ_BAND_GAIN_DB)] = 0; /* narrow but flat: nothing */
  eq[BUSKER_EQ_PARAM (3, BUSKER_EQ_BAND_Q)] = 10;
  comp[BUSKER_COMP_ATTACK_MS] = 2;
  (void) lim;

  BuskerAssistMix mix = { .desc = d, .strips = g_new0 (BuskerAssistStrip, 4) };
  for (uint32_t i = 0; i < 4; i++)
    {
      BuskerAssistStrip *s = &mix.strips[i];
      s->desc = &d->strips[i];
      s->index = i;
      s->input_peak_dbfs = s->pre_fader_peak_dbfs = s->output_peak_dbfs = -6;
      s->mono_loss_db = 1;
      s->suggested_trim_db = NAN;
      s->inserts = g_new0 (BuskerAssistInsert, MAX (d->strips[i].n_inserts, 1));
      for (uint32_t k = 0; k < d->strips[i].n_inserts; k++)
        s->inserts[k] = (BuskerAssistInsert) { d->strips[i].inserts[k].klass,
                                               d->strips[i].inserts[k].values, false, false,
                                               0.0, NAN, NAN };
    }
  mix.mix.mono_loss_lu = 0.5;
  mix.strips[0].time_effect = true;
  mix.strips[0].return_lufs = -20;
  mix.strips[0].dry_feeders_lufs = -22.5;
  mix.strips[1].inserts[1].gr_mean_db = 2; /* under 3: only the attack speaks */
  mix.strips[1].inserts[1].gr_max_db = 4;
  mix.strips[3].inserts[0].gr_mean_db = 4.5;
  mix.strips[3].inserts[0].gr_max_db = 9;
  mix.strips[2].output_peak_dbfs = 1.5;

  g_autoptr (GPtrArray) advice = busker_assist_advise (&mix, NULL);
  print_advice (advice);
  const BuskerAdvice *a;

  a = find_advice (advice, BUSKER_ADVICE_EQ_BOOST, 1);
  g_assert_nonnull (a);
  g_assert_cmpint (a->band, ==, 1);
  g_assert_nonnull (strstr (a->message, "Drums bus equalizer band 2: +8.0 dB boost"));
  a = find_advice (advice, BUSKER_ADVICE_EQ_NARROW, 1);
  g_assert_nonnull (a);
  g_assert_cmpint (a->band, ==, 2);
  g_assert_cmpuint (count_kind (advice, BUSKER_ADVICE_EQ_NARROW), ==, 1);
  a = find_advice (advice, BUSKER_ADVICE_FAST_ATTACK, 1);
  g_assert_nonnull (a);
  g_assert_nonnull (strstr (a->message, "Drums bus compressor: 2.0 ms attack"));
  g_assert_cmpuint (count_kind (advice, BUSKER_ADVICE_COMP_MEAN), ==, 0);
  a = find_advice (advice, BUSKER_ADVICE_LIMITER, 3);
  g_assert_nonnull (a);
  g_assert_cmpfloat_with_epsilon (a->fix, -1.5, 1e-9);
  g_assert_nonnull (strstr (a->message, "Master limiter: 4.5 dB mean gain reduction"));
  a = find_advice (advice, BUSKER_ADVICE_RETURN_LOUDER, 0);
  g_assert_nonnull (a);
  g_assert_cmpfloat_with_epsilon (a->value, 2.5, 1e-9);
  g_assert_nonnull (strstr (a->message, "Verb: "));
  a = find_advice (advice, BUSKER_ADVICE_BUS_CLIPS, 2);
  g_assert_nonnull (a);
  g_assert_nonnull (strstr (a->message, "Spare: peaks at +1.5 dBFS at its output"));
  g_assert_cmpuint (advice->len, ==, 6);
  /* Most important first: the clipping bus, then the limiter. */
  g_assert_cmpint (((BuskerAdvice *) advice->pdata[0])->kind, ==, BUSKER_ADVICE_BUS_CLIPS);
  g_assert_cmpint (((BuskerAdvice *) advice->pdata[1])->kind, ==, BUSKER_ADVICE_LIMITER);

  for (uint32_t i = 0; i < 4; i++)
    g_free (mix.strips[i].inserts);
  g_free (mix.strips);
}

/* The light meter's short-term maximum against libebur128 reading its own
 * short-term loudness every 100 ms: -30 dBFS noise-free sine, a 4 s burst
 * at -14 dBFS, then -30 again. */
static void
test_short_term_max (void)
{
  g_autoptr (BuskerLoudness) light = busker_loudness_new_light (RATE, BUSKER_LOUDNESS_SHORT_TERM);
  ebur128_state *ref = ebur128_init (2, RATE, EBUR128_MODE_S);
  float l[480], r[480], inter[960];
  double best = -HUGE_VAL, v;

  for (int block = 0; block < 100 * 12; block++)
    {
      for (int i = 0; i < 480; i++)
        {
          double t = (double) (block * 480 + i) / RATE;
          double amp = t >= 4.0 && t < 8.0 ? pow (10, -14 / 20.0) : pow (10, -30 / 20.0);
          l[i] = r[i] = (float) (amp * sin (2 * G_PI * 997 * t));
          inter[2 * i] = inter[2 * i + 1] = l[i];
        }
      busker_loudness_add_planar (light, l, r, 480);
      ebur128_add_frames_float (ref, inter, 480);
      if (ebur128_loudness_shortterm (ref, &v) == EBUR128_SUCCESS)
        best = MAX (best, v);
    }
  ebur128_destroy (&ref);
  g_test_message ("short-term max %.2f LUFS, libebur128 %.2f", 
                  busker_loudness_get_short_term_max (light), best);
  g_assert_cmpfloat_with_epsilon (busker_loudness_get_short_term_max (light), best, 0.2);
}

/* "Set input levels": trims and the compensating fader moves are one undo
 * step; a strip that is not a track changes nothing. */
static void
test_apply_trims (void)
{
  static const char json[] =
    "{\"format\": 1, \"strips\": ["
    "{\"id\": \"a\", \"kind\": \"track\", \"trim_db\": 2, \"gain_db\": -6},"
    "{\"id\": \"b\", \"kind\": \"track\", \"gain_db\": 10},"
    "{\"id\": \"bus\", \"kind\": \"subgroup\"},"
    "{\"id\": \"master\", \"kind\": \"master\"}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerProject) p = busker_project_load_from_data (json, sizeof json - 1, NULL, &error);
  g_assert_no_error (error);
  BuskerStrip *a = busker_project_find_strip (p, "a"), *b = busker_project_find_strip (p, "b");
  const char *ids[] = { "a", "b" };
  const double trims[] = { -7.5, -6 };

  g_assert_true (busker_project_apply_trims (p, ids, trims, 2, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (busker_strip_get_trim_db (a), ==, -7.5);
  g_assert_cmpfloat (busker_strip_get_gain_db (a), ==, 3.5); /* -6 + 9.5 */
  g_assert_cmpfloat (busker_strip_get_trim_db (b), ==, -6);
  g_assert_cmpfloat (busker_strip_get_gain_db (b), ==, 12); /* 16 clamped to the top */
  busker_project_undo (p);
  g_assert_cmpfloat (busker_strip_get_trim_db (a), ==, 2);
  g_assert_cmpfloat (busker_strip_get_gain_db (a), ==, -6);
  g_assert_cmpfloat (busker_strip_get_trim_db (b), ==, 0);
  g_assert_cmpfloat (busker_strip_get_gain_db (b), ==, 10);
  g_assert_false (busker_project_can_undo (p));

  const char *bad[] = { "a", "bus" };
  g_assert_false (busker_project_apply_trims (p, bad, trims, 2, &error));
  g_assert_error (error, BUSKER_PROJECT_ERROR, BUSKER_PROJECT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "bus"));
  g_assert_cmpfloat (busker_strip_get_trim_db (a), ==, 2);
  g_assert_false (busker_project_can_undo (p));
}

static void
remove_tmp (void)
{
  g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *p = g_build_filename (tmp_dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (tmp_dir);
}

int
main (int argc, char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("busker-assist-XXXXXX", NULL);
  g_test_add_func ("/assist/compressor-6db", test_compressor_6db);
  g_test_add_func ("/assist/mono-polarity", test_mono_polarity);
  g_test_add_func ("/assist/saturation-louder", test_saturation_louder);
  g_test_add_func ("/assist/post-fader-chain", test_post_fader_chain);
  g_test_add_func ("/assist/trims", test_trims);
  g_test_add_func ("/assist/rules", test_rules);
  g_test_add_func ("/assist/short-term-max", test_short_term_max);
  g_test_add_func ("/assist/apply-trims", test_apply_trims);
  status = g_test_run ();
  remove_tmp ();
  g_free (tmp_dir);
  return status;
}
