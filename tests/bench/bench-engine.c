/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Offline render speed and peak memory of a big session: 64 file tracks
 * (EQ + compressor, sends to a reverb and a delay aux), 8 subgroups (EQ +
 * compressor + saturation), the two aux returns and a master with a
 * multiband compressor and a limiter; 3 minutes at 48 kHz. Eight of the
 * tracks are 44.1 kHz files, so resampling is in the figure too.
 *
 * Prints the real-time factor and peak RSS; asserts nothing about time.
 * Targets: >= 15x real time, <= 200 MB. Effect types not registered yet
 * are left out and listed.
 *
 *   meson test -C build --benchmark --suite engine --print-errorlogs -v
 *   BUSKER_RENDER_THREADS=1 to measure the single-threaded path.
 */
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sndfile.h>
#include <sys/resource.h>

#include "dsp/params.h"
#include "engine/busker-render.h"

#define RATE 48000
#define SECONDS 180
#define N_TRACKS 64
#define N_SUBS 8

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

static BuskerMixDesc *
make_session (const char *dir)
{
  const uint32_t sub0 = N_TRACKS, reverb = sub0 + N_SUBS, delay = reverb + 1,
                 master = delay + 1;
  BuskerMixDesc *d = busker_mix_desc_new (master + 1, RATE);

  for (uint32_t t = 0; t < N_TRACKS; t++)
    {
      BuskerStripDesc *s = &d->strips[t];
      s->name = g_strdup_printf ("Track %u", t + 1);
      s->source = BUSKER_SOURCE_FILE;
      s->source_path = write_track (dir, t, t % 8 == 7 ? 44100 : RATE);
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

static double
cpu_seconds (void)
{
  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6
         + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void
remove_dir (const char *dir)
{
  GDir *gd = g_dir_open (dir, 0, NULL);
  const char *name;
  while (gd != NULL && (name = g_dir_read_name (gd)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  if (gd != NULL)
    g_dir_close (gd);
  g_rmdir (dir);
}

int
main (void)
{
  g_autofree char *dir = g_dir_make_tmp ("busker-bench-XXXXXX", NULL);
  missing = g_string_new (NULL);

  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (BuskerMixDesc) desc = make_session (dir);
  gint64 t1 = g_get_monotonic_time ();
  double load[1] = { 0 };
  if (getloadavg (load, 1) == 1)
    printf ("load average at start: %.2f on %u cores (timings are shared)\n", load[0],
            g_get_num_processors ());
  printf ("generated %d tracks x %d s in %.1f s\n", N_TRACKS, SECONDS, (t1 - t0) / 1e6);
  printf ("effect types missing (left out):%s\n", missing->len ? missing->str : " none");

  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerRender) render = busker_render_new (desc, &error);
  g_assert_no_error (error);

  int64_t len = busker_render_source_length (render);
  uint32_t block = busker_render_max_block (render);
  double peak = 0;
  double cpu0 = cpu_seconds ();
  gint64 start = g_get_monotonic_time ();
  for (int64_t pos = 0; pos < len; pos += block)
    {
      uint32_t n = (uint32_t) MIN ((int64_t) block, len - pos);
      if (!busker_render_process (render, n, &error))
        g_error ("%s", error->message);
      const float *l = busker_render_strip_output (render, desc->n_strips - 1, 0);
      for (uint32_t i = 0; i < n; i++)
        peak = fmax (peak, fabs (l[i]));
    }
  double elapsed_s = (g_get_monotonic_time () - start) / 1e6;
  double cpu_s = cpu_seconds () - cpu0;

  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  double audio_s = (double) len / RATE;
  printf ("threads: %s\n", g_getenv ("BUSKER_RENDER_THREADS") ? g_getenv ("BUSKER_RENDER_THREADS") : "auto");
  printf ("rendered %.1f s of audio in %.2f s: %.1fx real time (target >= 15x)\n",
          audio_s, elapsed_s, audio_s / elapsed_s);
  /* On a machine shared with other jobs the wall clock says little; CPU
   * time says what an idle machine would do. */
  printf ("render CPU time %.2f s (all threads): %.1fx real time per core busy, "
          "~%.1fx on %u idle cores\n", cpu_s, audio_s / cpu_s,
          audio_s / cpu_s * MIN (g_get_num_processors (), 2), MIN (g_get_num_processors (), 2));
  printf ("peak RSS %.1f MB (target <= 200 MB)\n", ru.ru_maxrss / 1024.0);
  printf ("master peak %.1f dBFS, latency %u frames\n", 20 * log10 (fmax (peak, 1e-12)),
          busker_render_latency (render));

  g_clear_pointer (&render, busker_render_free);
  remove_dir (dir);
  g_string_free (missing, TRUE);
  return 0;
}
