/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The 64-track reference session of the engine benchmarks (bench-engine,
 * bench-assist): 64 file tracks (EQ + compressor, sends to a reverb and a
 * delay aux), 8 subgroups (EQ + compressor + saturation), the two aux
 * returns and a master with a multiband compressor and a limiter; 3
 * minutes at 48 kHz. Eight of the tracks are 44.1 kHz files, so
 * resampling is in the figure too.
 */
#include "bench-session.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sndfile.h>

#include "dsp/params.h"

int
bench_session_seconds (void)
{
  const char *env = g_getenv ("BUSKER_BENCH_SECONDS");
  return env != NULL && atoi (env) > 0 ? atoi (env) : 180;
}


/* Cheap synthetic material: a decaying tone burst per beat plus a little
 * noise, different per track. 16-bit mono keeps the files at 17 MB. */
static char *
write_track (const char *dir, int t, int rate)
{
  char *path = g_strdup_printf ("%s/track%02d.wav", dir, t);
  SF_INFO info = { .samplerate = rate, .channels = 1,
                   .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
  SNDFILE *f = sf_open (path, SFM_WRITE, &info);
  g_assert_nonnull (f);

  enum { CHUNK = 8192 };
  float buf[CHUNK];
  double freq = 55.0 * pow (2.0, (t % 36) / 12.0);
  double w = 2 * G_PI * freq / rate;
  double s0 = 0, s1 = sin (-w), k = 2 * cos (w); /* recursive oscillator */
  guint32 seed = 12345 + t;
  int64_t beat = rate / 2;
  int64_t total = (int64_t) SECONDS * rate;

  for (int64_t pos = 0; pos < total; pos += CHUNK)
    {
      int n = (int) MIN (CHUNK, total - pos);
      for (int i = 0; i < n; i++)
        {
          double s2 = k * s0 - s1;
          s1 = s0;
          s0 = s2;
          if (pos + i == 0)
            s0 = sin (w), s1 = 0;
          double env = exp (-(double) ((pos + i + t * 997) % beat) / (0.15 * rate));
          seed = seed * 1664525u + 1013904223u;
          double noise = ((seed >> 8) / 16777216.0 - 0.5) * 0.05;
          buf[i] = (float) (0.4 * env * s0 + noise);
        }
      sf_writef_float (f, buf, n);
    }
  sf_close (f);
  return path;
}

static GString *missing;

static void
add_insert (BuskerStripDesc *s, const char *type)
{
  const BuskerEffectClass *k = busker_effect_class_lookup (type);
  if (k == NULL)
    {
      if (strstr (missing->str, type) == NULL)
        g_string_append_printf (missing, " %s", type);
      return;
    }
  BuskerInsertDesc *old = s->inserts;
  s->inserts = g_new0 (BuskerInsertDesc, s->n_inserts + 1);
  memcpy (s->inserts, old, s->n_inserts * sizeof *old);
  g_free (old);
  busker_insert_desc_init (&s->inserts[s->n_inserts++], k);
}

/* A typical channel EQ: high-pass, one bell, a high shelf; the other
 * bands off, as on a real strip. */
static void
shape_eq (BuskerStripDesc *s)
{
  if (s->n_inserts == 0 || strcmp (s->inserts[s->n_inserts - 1].klass->type, "eq") != 0)
    return;
  float *v = s->inserts[s->n_inserts - 1].values;
  for (int b = 0; b < BUSKER_EQ_MAX_BANDS; b++)
    v[BUSKER_EQ_PARAM (b, BUSKER_EQ_BAND_ENABLED)] = 0;
  v[BUSKER_EQ_PARAM (0, BUSKER_EQ_BAND_TYPE)] = BUSKER_EQ_HIGH_PASS;
  v[BUSKER_EQ_PARAM (0, BUSKER_EQ_BAND_FREQ_HZ)] = 80;
  v[BUSKER_EQ_PARAM (0, BUSKER_EQ_BAND_ENABLED)] = 1;
  v[BUSKER_EQ_PARAM (3, BUSKER_EQ_BAND_GAIN_DB)] = 2;
  v[BUSKER_EQ_PARAM (3, BUSKER_EQ_BAND_ENABLED)] = 1;
  v[BUSKER_EQ_PARAM (6, BUSKER_EQ_BAND_TYPE)] = BUSKER_EQ_HIGH_SHELF;
  v[BUSKER_EQ_PARAM (6, BUSKER_EQ_BAND_GAIN_DB)] = -1;
  v[BUSKER_EQ_PARAM (6, BUSKER_EQ_BAND_ENABLED)] = 1;
}

BuskerMixDesc *
bench_session_new (const char *dir, GString *missing_types)
{
  missing = missing_types;
  const uint32_t sub0 = N_TRACKS, reverb = sub0 + N_SUBS, delay = reverb + 1,
                 master = delay + 1;
  BuskerMixDesc *d = busker_mix_desc_new (master + 1, RATE);

  for (uint32_t t = 0; t < N_TRACKS; t++)
    {
      BuskerStripDesc *s = &d->strips[t];
      s->name = g_strdup_printf ("Track %u", t + 1);
      if (dir != NULL)
        {
          s->source = BUSKER_SOURCE_FILE;
          s->source_path = write_track (dir, t, t % 8 == 7 ? 44100 : RATE);
        }
      s->gain_db = -12;
      s->pan = ((int) (t % 9) - 4) / 4.0f;
      s->output = sub0 + t % N_SUBS;
      add_insert (s, "eq");
      shape_eq (s);
      add_insert (s, "compressor");
      busker_strip_desc_alloc_sends (s, 2);
      s->sends[0] = (BuskerSendDesc) { .to = reverb, .level_db = -18 };
      s->sends[1] = (BuskerSendDesc) { .to = delay, .level_db = -24 };
    }
  for (uint32_t g = 0; g < N_SUBS; g++)
    {
      BuskerStripDesc *s = &d->strips[sub0 + g];
      s->name = g_strdup_printf ("Group %u", g + 1);
      s->kind = BUSKER_STRIP_SUBGROUP;
      s->output = master;
      add_insert (s, "eq");
      shape_eq (s);
      add_insert (s, "compressor");
      add_insert (s, "saturation");
    }
  d->strips[reverb].kind = d->strips[delay].kind = BUSKER_STRIP_AUX;
  d->strips[reverb].output = d->strips[delay].output = master;
  add_insert (&d->strips[reverb], "reverb");
  add_insert (&d->strips[delay], "delay");
  d->strips[master].kind = BUSKER_STRIP_MASTER;
  add_insert (&d->strips[master], "multiband_compressor");
  add_insert (&d->strips[master], "limiter");
  return d;
}

