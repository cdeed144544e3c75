/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The transport against independent truths: the noise formula the test
 * files were written from (rate-matched files), and the offline path's
 * reader and renderer (a resampled file, the master). The audio side is
 * driven with block sizes that vary from 1 to max_block while the disk
 * thread races; it waits for the disk thread's read-ahead rather than
 * counting on timing.
 */
#include <unistd.h>

#include "transport-test.h"
#include "engine/busker-plan-swap.h"
#include "engine/busker-render.h"
#include "engine/busker-source-reader.h"

#define RATE 48000
#define MAX_BLOCK 512
#define FADE 240 /* 5 ms at 48 kHz */

static char *tmpdir;

static uint32_t
next_block_up_to (uint32_t *rng, uint32_t max)
{
  *rng ^= *rng << 13;
  *rng ^= *rng >> 17;
  *rng ^= *rng << 5;
  return 1 + *rng % max;
}

static uint32_t
next_block (uint32_t *rng)
{
  return next_block_up_to (rng, MAX_BLOCK);
}

/* The frame of a noise file of `frames` frames placed at offset (frames)
 * on the timeline, as the project plays it: silence outside the file. */
static float
placed (uint32_t seed, int64_t offset, int64_t frames, int64_t f)
{
  int64_t i = f - offset;
  return i >= 0 && i < frames ? test_noise (seed, (uint64_t) i) : 0.0f;
}

/* frames of the source through the offline reader, from frame `from`
 * (a seek, as busker_render_seek does it), in 1024 blocks: what the
 * renderer feeds the track. */
static float *
reader_from (const char *path, double offset_s, double rate, int c, int64_t from,
             int64_t frames)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerSourceReader) r = busker_source_reader_new (path, offset_s, rate, 1024, &error);
  g_assert_no_error (error);
  g_assert_true (busker_source_reader_seek (r, from, &error));
  float *out[2] = { g_new0 (float, frames + 1024), g_new0 (float, frames + 1024) };
  for (int64_t f = 0; f < frames; f += 1024)
    g_assert_true (busker_source_reader_read (r, out[0] + f, out[1] + f, 1024, &error));
  g_free (out[1 - c]);
  return out[c];
}

static float *
reader_all (const char *path, double offset_s, double rate, int c, int64_t frames)
{
  return reader_from (path, offset_s, rate, c, 0, frames);
}

/* One audio cycle: fill, run, and keep each track's input. */
static void
cycle (BuskerTransport *t, BuskerPlan *plan, uint32_t n, const uint32_t *strips,
       uint32_t n_strips, float **out, int64_t at)
{
  busker_transport_fill (t, plan, n);
  for (uint32_t s = 0; s < n_strips; s++)
    for (int c = 0; c < 2; c++)
      if (out[2 * s + c] != NULL)
        memcpy (out[2 * s + c] + at, busker_process_track_input (plan, strips[s], c),
                n * sizeof (float));
  busker_process_run (plan, n);
}

/* ---- the whole project, from a second thread ---- */

typedef struct {
  BuskerTransport *t;
  BuskerPlan *plan;
  uint32_t max_block;
  int64_t length;
  uint32_t strips[4];
  float *out[8];
  float *master[2];
} WholeRun;

static gpointer
whole_audio (gpointer data)
{
  WholeRun *run = data;
  uint32_t rng = 0x1234567;
  int64_t done = 0;

  while (done < run->length)
    {
      uint32_t n = next_block_up_to (&rng, run->max_block);
      transport_test_wait (run->t, (uint32_t) MIN ((int64_t) n, run->length - done));
      cycle (run->t, run->plan, n, run->strips, 4, run->out, done);
      for (int c = 0; c < 2; c++)
        memcpy (run->master[c] + done,
                busker_process_strip_output (run->plan, 4, c), n * sizeof (float));
      done += n;
    }
  /* One more cycle past the end: silence. */
  cycle (run->t, run->plan, run->max_block, run->strips, 4, run->out, done);
  return NULL;
}

/* max_block: 512, and 8192 (the live node's largest quantum). */
static void
test_transport_whole_project (gconstpointer data)
{
  const uint32_t max_block = GPOINTER_TO_UINT (data);
  /* t0: 48 kHz stereo 2 s; t1: 44.1 kHz (resampled) at +0.25 s; t2: mono
   * at +1.3 s (the end: 2.3 s); t3: starts 0.5 s into its file. */
  g_autofree char *p0 = transport_test_wav (tmpdir, "w0.wav", RATE, 2, 2 * RATE, 10);
  g_autofree char *p1 = transport_test_wav (tmpdir, "w1.wav", 44100, 2, 66150, 20);
  g_autofree char *p2 = transport_test_wav (tmpdir, "w2.wav", RATE, 1, RATE, 30);
  g_autofree char *p3 = transport_test_wav (tmpdir, "w3.wav", RATE, 2, RATE, 40);
  char *paths[] = { p0, p1, p2, p3 };
  const double offsets[] = { 0, 0.25, 1.3, -0.5 };
  g_autoptr (BuskerMixDesc) desc = transport_test_desc (4, paths, offsets, RATE);
  desc->strips[0].gain_db = -6.0f;
  desc->strips[1].pan = 0.3f;
  const int64_t length = 110400; /* 1.3 s + 1 s at 48 kHz */

  g_autoptr (GError) error = NULL;
  BuskerTransport *t = busker_transport_new (RATE, max_block);
  BuskerPlan *plan = busker_plan_new (desc, max_block, &error);
  g_assert_no_error (error);
  busker_transport_bind (t, desc, plan);
  g_assert_cmpfloat (busker_transport_get_length_s (t), ==, 2.3);
  g_assert_false (busker_transport_is_missing (t, "t1"));

  WholeRun run = { .t = t, .plan = plan, .max_block = max_block, .length = length,
                   .strips = { 0, 1, 2, 3 } };
  for (int i = 0; i < 8; i++)
    run.out[i] = g_new0 (float, length + 2 * max_block);
  for (int c = 0; c < 2; c++)
    run.master[c] = g_new0 (float, length + max_block);

  busker_transport_play (t);
  g_assert_true (busker_transport_is_playing (t));
  GThread *audio = g_thread_new ("test-audio", whole_audio, &run);
  g_thread_join (audio);

  g_assert_true (busker_transport_is_at_end (t));
  g_assert_false (busker_transport_is_playing (t));
  g_assert_cmpfloat (busker_transport_get_position_s (t), ==, 2.3);
  g_assert_cmpuint (busker_transport_read_underruns (t), ==, 0);

  /* Rate-matched tracks: the noise they were written from, bit-exact from
   * the first frame (play from the top does not fade in). */
  const uint32_t seeds[] = { 10, 0, 30, 40 };
  const int64_t offs[] = { 0, 0, 62400, -RATE / 2 };
  const int64_t lens[] = { 2 * RATE, 0, RATE, RATE };
  for (int s = 0; s < 4; s++)
    {
      if (s == 1)
        continue;
      for (int c = 0; c < 2; c++)
        for (int64_t f = 0; f < length + max_block; f++)
          {
            float want = placed (seeds[s] + (s == 2 ? 0 : c), offs[s], lens[s], f);
            float got = run.out[2 * s + c][f];
            if (got != want)
              g_error ("track %d channel %d frame %" G_GINT64_FORMAT ": %g, want %g",
                       s, c, f, got, want);
          }
    }

  /* The resampled track: what the offline reader gives, bit-exact. */
  for (int c = 0; c < 2; c++)
    {
      g_autofree float *want = reader_all (p1, 0.25, RATE, c, length);
      for (int64_t f = 0; f < length; f++)
        if (run.out[2 + c][f] != want[f])
          g_error ("resampled channel %d frame %" G_GINT64_FORMAT ": %g, want %g", c, f,
                   run.out[2 + c][f], want[f]);
    }

  /* The master: the offline renderer of the same snapshot. */
  g_autoptr (BuskerRender) render = busker_render_new (desc, &error);
  g_assert_no_error (error);
  float *want[2] = { g_new0 (float, length + 1024), g_new0 (float, length + 1024) };
  for (int64_t f = 0; f < length; f += 1024)
    {
      g_assert_true (busker_render_process (render, 1024, &error));
      for (int c = 0; c < 2; c++)
        memcpy (want[c] + f, busker_render_strip_output (render, 4, c), 1024 * sizeof (float));
    }
  for (int c = 0; c < 2; c++)
    for (int64_t f = 0; f < length; f++)
      if (run.master[c][f] != want[c][f])
        g_error ("master channel %d frame %" G_GINT64_FORMAT ": %g, want %g", c, f,
                 run.master[c][f], want[c][f]);
  g_free (want[0]);
  g_free (want[1]);

  for (int i = 0; i < 8; i++)
    g_free (run.out[i]);
  for (int c = 0; c < 2; c++)
    g_free (run.master[c]);
  busker_plan_free (plan);
  busker_transport_free (t);
}

/* ---- seek ---- */

/* Paused: fills until the seek went through and the disk thread read
 * ahead, at most 10 s; nothing is consumed. */
static void
settle (BuskerTransport *t, BuskerPlan *plan)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  double pos = busker_transport_get_position_s (t);
  g_assert_false (busker_transport_is_playing (t));
  while (g_get_monotonic_time () < deadline)
    {
      busker_transport_fill (t, plan, 64);
      if (!busker_transport_is_seeking (t) && busker_transport_get_buffered_frames (t) >= 8192)
        break;
      g_usleep (500);
    }
  g_assert_false (busker_transport_is_seeking (t));
  g_assert_cmpfloat (busker_transport_get_position_s (t), ==, pos);
}

typedef void (*WaitCheck) (const float *block, int64_t at, uint32_t n, gconstpointer data);

/* Cycles blocks of 1 to MAX_BLOCK frames until a seek went through (at
 * most 10 s, however long a busy machine takes). Each block while seeking
 * lands at out[][0] and, if check is given, goes to it with the number of
 * frames played since the request; the first block of the new place is
 * left at out[][0]. Returns its length; *waited gets the frames before. */
static uint32_t
cycle_through_seek (BuskerTransport *t, BuskerPlan *plan, const uint32_t *strips,
                    uint32_t n_strips, float **out, uint32_t *rng, WaitCheck check,
                    gconstpointer data, int64_t *waited)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  uint32_t n = 0;

  *waited = 0;
  while (g_get_monotonic_time () < deadline)
    {
      n = next_block (rng);
      cycle (t, plan, n, strips, n_strips, out, 0);
      if (!busker_transport_is_seeking (t))
        break;
      if (check != NULL)
        check (out[0], *waited, n, data);
      *waited += n;
      g_usleep (200);
    }
  g_assert_false (busker_transport_is_seeking (t));
  g_assert_cmpint (*waited, >=, FADE);
  return n;
}

/* While a seek is under way: a 5 ms fade-out of what played from frame
 * *data on, then silence. */
static void
check_fade_out (const float *block, int64_t at, uint32_t n, gconstpointer data)
{
  const int64_t before = *(const int64_t *) data;
  for (uint32_t i = 0; i < n; i++)
    {
      int64_t f = at + i;
      float want = f < FADE ? test_noise (50, (uint64_t) (before + f)) * (FADE - 1 - f) / FADE
                            : 0.0f;
      g_assert_cmpfloat_with_epsilon (block[i], want, 1e-6);
    }
}

static void
test_transport_seek (void)
{
  g_autofree char *p0 = transport_test_wav (tmpdir, "s0.wav", RATE, 2, 3 * RATE, 50);
  g_autofree char *p1 = transport_test_wav (tmpdir, "s1.wav", 44100, 2, 3 * 44100, 60);
  char *paths[] = { p0, p1 };
  g_autoptr (BuskerMixDesc) desc = transport_test_desc (2, paths, NULL, RATE);
  g_autoptr (GError) error = NULL;
  BuskerTransport *t = busker_transport_new (RATE, MAX_BLOCK);
  BuskerPlan *plan = busker_plan_new (desc, MAX_BLOCK, &error);
  busker_transport_bind (t, desc, plan);
  /* The resampled track after a seek: the offline reader seeked to the
   * same frame (bit-exact), which is within -120 dB of a read from 0 (the
   * reader restarts soxr with 2048 frames of history). */
  g_autofree float *ref1 = reader_all (p1, 0, RATE, 0, 3 * RATE);
  const int64_t x = 12345 + 7, y = 70001;
  g_autofree float *ref1x = reader_from (p1, 0, RATE, 0, x, RATE);
  g_autofree float *ref1y = reader_from (p1, 0, RATE, 0, y, RATE);
  for (int64_t i = 0; i < RATE; i++)
    {
      g_assert_cmpfloat_with_epsilon (ref1x[i], ref1[x + i], 1e-6);
      g_assert_cmpfloat_with_epsilon (ref1y[i], ref1[y + i], 1e-6);
    }
  const uint32_t strips[] = { 0, 1 };
  float *out[4];
  for (int i = 0; i < 4; i++)
    out[i] = g_new0 (float, 2 * RATE);

  /* Paused: the seek lands on the frame, play fades in from it. */
  busker_transport_seek (t, (double) x / RATE);
  g_assert_cmpfloat (busker_transport_get_position_s (t), ==, (double) x / RATE);
  settle (t, plan);
  busker_transport_play (t);
  uint32_t rng = 99;
  int64_t got = 0;
  while (got < RATE / 2)
    {
      uint32_t n = next_block (&rng);
      transport_test_wait (t, n);
      cycle (t, plan, n, strips, 2, out, got);
      got += n;
    }
  g_assert_cmpfloat (busker_transport_get_position_s (t), ==, (double) (x + got) / RATE);
  for (int64_t i = 0; i < got; i++)
    {
      float g = i < FADE ? (float) (i + 1) / FADE : 1.0f;
      float want0 = test_noise (50, (uint64_t) (x + i));
      if (i < FADE)
        {
          g_assert_cmpfloat_with_epsilon (out[0][i], want0 * g, 1e-6);
          g_assert_cmpfloat_with_epsilon (out[2][i], ref1x[i] * g, 1e-6);
        }
      else if (out[0][i] != want0 || out[2][i] != ref1x[i])
        g_error ("after the seek to %" G_GINT64_FORMAT ", frame %" G_GINT64_FORMAT
                 ": %.9g %.9g, want %.9g %.9g", x, i, out[0][i], out[2][i], want0, ref1x[i]);
    }

  /* Playing: a 5 ms fade-out of what played, silence, then the new place
   * faded in; nothing stale in between. Cycles run until the seek went
   * through (checked block by block, however long a busy machine takes),
   * then half a second is kept. */
  const int64_t before = x + got;
  busker_transport_seek (t, (double) y / RATE);
  int64_t waited;
  uint32_t n = cycle_through_seek (t, plan, strips, 2, out, &rng, check_fade_out, &before,
                                   &waited);
  /* The first cycle of the new place; the block was all new. */
  g_assert_cmpfloat (busker_transport_get_position_s (t), ==, (double) (y + n) / RATE);
  got = n;
  while (got < RATE / 2)
    {
      n = next_block (&rng);
      transport_test_wait (t, n);
      cycle (t, plan, n, strips, 2, out, got);
      got += n;
    }
  for (int64_t k = 0; k < got; k++)
    {
      float g = k < FADE ? (float) (k + 1) / FADE : 1.0f;
      g_assert_cmpfloat_with_epsilon (out[0][k], test_noise (50, (uint64_t) (y + k)) * g, 1e-6);
      g_assert_cmpfloat_with_epsilon (out[2][k], ref1y[k] * g, 1e-6);
      if (k >= FADE)
        g_assert_true (out[0][k] == test_noise (50, (uint64_t) (y + k)) && out[2][k] == ref1y[k]);
    }
  g_assert_cmpuint (busker_transport_read_underruns (t), ==, 0);

  /* Stop: paused at the start. */
  busker_transport_stop (t);
  g_assert_false (busker_transport_is_playing (t));
  g_assert_cmpfloat (busker_transport_get_position_s (t), ==, 0.0);

  for (int i = 0; i < 4; i++)
    g_free (out[i]);
  busker_plan_free (plan);
  busker_transport_free (t);
}

/* ---- loop ---- */

static void
test_transport_loop (void)
{
  const int64_t len = RATE; /* the project: one 1 s file */
  g_autofree char *p0 = transport_test_wav (tmpdir, "l0.wav", RATE, 2, len, 70);
  char *paths[] = { p0 };
  g_autoptr (BuskerMixDesc) desc = transport_test_desc (1, paths, NULL, RATE);
  g_autoptr (GError) error = NULL;
  BuskerTransport *t = busker_transport_new (RATE, MAX_BLOCK);
  BuskerPlan *plan = busker_plan_new (desc, MAX_BLOCK, &error);
  busker_transport_bind (t, desc, plan);
  const uint32_t strips[] = { 0 };
  float *out[2] = { g_new0 (float, 4 * RATE), NULL };

  busker_transport_set_loop (t, true);
  const int64_t from = len - 3000;
  busker_transport_seek (t, (double) from / RATE);
  settle (t, plan);
  busker_transport_play (t);
  uint32_t rng = 7;
  int64_t got = 0;
  /* Three and a half passes over the wrap. */
  while (got < 3 * len + len / 2)
    {
      uint32_t n = next_block (&rng);
      transport_test_wait (t, n);
      cycle (t, plan, n, strips, 1, out, got);
      got += n;
    }
  for (int64_t i = FADE; i < got; i++)
    if (out[0][i] != test_noise (70, (uint64_t) ((from + i) % len)))
      g_error ("loop frame %" G_GINT64_FORMAT " (project %" G_GINT64_FORMAT "): %g, want %g",
               i, (from + i) % len, out[0][i], test_noise (70, (uint64_t) ((from + i) % len)));

  /* Over the first wrap: the sum is the file's last 3000 frames plus its
   * first 3000, summed from the file. */
  double sum = 0.0, want = 0.0;
  for (int64_t i = 0; i < 6000; i++)
    sum += out[0][i];
  for (int64_t f = 0; f < 3000; f++)
    want += test_noise (70, (uint64_t) (len - 3000 + f)) + test_noise (70, (uint64_t) f);
  for (int64_t i = 0; i < FADE; i++)
    want -= test_noise (70, (uint64_t) (from + i)) * (1.0 - (double) (i + 1) / FADE);
  g_assert_cmpfloat_with_epsilon (sum, want, 1e-4);

  g_assert_false (busker_transport_is_at_end (t));
  g_assert_true (busker_transport_is_playing (t));
  g_assert_cmpfloat_with_epsilon (busker_transport_get_position_s (t),
                                  (double) ((from + got) % len) / RATE, 1e-12);
  g_assert_cmpuint (busker_transport_read_underruns (t), ==, 0);

  /* Loop off with the read-ahead already past the wrap: the transport
   * re-reads from where it is (a fade out and in), plays to the end and
   * stops there, never wrapping again. */
  const int64_t at = (from + got) % len;
  busker_transport_set_loop (t, false);
  g_assert_true (busker_transport_is_seeking (t));
  int64_t waited;
  uint32_t n = cycle_through_seek (t, plan, strips, 1, out, &rng, NULL, NULL, &waited);
  got = n;
  while (!busker_transport_is_at_end (t) && got < 2 * len)
    {
      n = next_block (&rng);
      transport_test_wait (t, (uint32_t) MAX (0, MIN ((int64_t) n, len - at - got)));
      cycle (t, plan, n, strips, 1, out, got);
      got += n;
    }
  g_assert_true (busker_transport_is_at_end (t));
  g_assert_false (busker_transport_is_playing (t));
  g_assert_cmpfloat (busker_transport_get_position_s (t), ==, 1.0);
  for (int64_t i = FADE; i < got; i++)
    {
      int64_t f = at + i;
      g_assert_true (out[0][i] == (f < len ? test_noise (70, (uint64_t) f) : 0.0f));
    }

  g_free (out[0]);
  busker_plan_free (plan);
  busker_transport_free (t);
}

/* ---- binding across plan swaps ---- */

static void
test_transport_rebind (void)
{
  g_autofree char *pa = transport_test_wav (tmpdir, "ba.wav", RATE, 2, 4 * RATE, 80);
  g_autofree char *pb = transport_test_wav (tmpdir, "bb.wav", RATE, 2, 4 * RATE, 90);
  g_autofree char *pc = transport_test_wav (tmpdir, "bc.wav", RATE, 2, 4 * RATE, 100);
  char *first[] = { pa, pb };
  g_autoptr (BuskerMixDesc) d1 = transport_test_desc (2, first, NULL, RATE);
  g_autoptr (GError) error = NULL;
  BuskerTransport *t = busker_transport_new (RATE, MAX_BLOCK);
  BuskerPlanSwap *swap = busker_plan_swap_new ();
  BuskerPlan *p1 = busker_plan_new (d1, MAX_BLOCK, &error);
  busker_transport_bind (t, d1, p1);
  busker_plan_swap_publish (swap, p1);

  /* The second plan: "t0" (pa) moves to strip 1, "t1" is gone, a new
   * "t2" (pc) comes in at strip 0. */
  g_autoptr (BuskerMixDesc) d2 = transport_test_desc (2, (char *[]) { pc, pa }, NULL, RATE);
  g_free (d2->strips[0].id);
  d2->strips[0].id = g_strdup ("t2");
  g_free (d2->strips[1].id);
  d2->strips[1].id = g_strdup ("t0");

  float *a = g_new0 (float, 3 * RATE), *c = g_new0 (float, 3 * RATE);
  busker_transport_play (t);
  uint32_t rng = 5;
  int64_t got = 0, swapped_at = -1;
  for (int round = 0; got < 2 * RATE; round++)
    {
      if (round == 40)
        {
          BuskerPlan *p2 = busker_plan_new (d2, MAX_BLOCK, &error);
          busker_transport_bind (t, d2, p2);
          busker_plan_swap_publish (swap, p2);
          swapped_at = got;
        }
      uint32_t n = next_block (&rng);
      transport_test_wait (t, n);
      BuskerPlan *plan = busker_plan_swap_acquire (swap);
      busker_transport_fill (t, plan, n);
      bool second = swapped_at >= 0;
      memcpy (a + got, busker_process_track_input (plan, second ? 1 : 0, 0), n * sizeof (float));
      if (second)
        memcpy (c + got, busker_process_track_input (plan, 0, 0), n * sizeof (float));
      busker_process_run (plan, n);
      got += n;
      busker_plan_swap_collect (swap);
    }
  g_assert_cmpint (swapped_at, >, 0);
  /* The kept track runs on without a seam; the new one is in step. */
  for (int64_t f = 0; f < got; f++)
    g_assert_true (a[f] == test_noise (80, (uint64_t) f));
  for (int64_t f = swapped_at; f < got; f++)
    if (c[f] != test_noise (100, (uint64_t) f))
      g_error ("new track frame %" G_GINT64_FORMAT ": %g, want %g", f, c[f],
               test_noise (100, (uint64_t) f));
  g_assert_cmpuint (busker_transport_read_underruns (t), ==, 0);

  g_free (a);
  g_free (c);
  busker_plan_swap_free (swap);
  busker_transport_free (t);
}

/* ---- missing sources ---- */

static void
test_transport_missing (void)
{
  g_autofree char *p0 = transport_test_wav (tmpdir, "m0.wav", RATE, 2, 6 * RATE, 110);
  g_autofree char *p1 = transport_test_wav (tmpdir, "m1.wav", RATE, 2, 6 * RATE, 120);
  g_autofree char *p2 = transport_test_wav (tmpdir, "m2.wav", RATE, 2, 6 * RATE, 130);
  g_autofree char *gone = g_build_filename (tmpdir, "never-there.wav", NULL);
  char *paths[] = { p0, p1, p2, gone };
  g_autoptr (BuskerMixDesc) desc = transport_test_desc (4, paths, NULL, RATE);
  g_autoptr (GError) error = NULL;
  BuskerTransport *t = busker_transport_new (RATE, MAX_BLOCK);
  BuskerPlan *plan = busker_plan_new (desc, MAX_BLOCK, &error);
  busker_transport_bind (t, desc, plan);

  /* Missing at bind: marked, named, the rest plays. */
  g_assert_true (busker_transport_is_missing (t, "t3"));
  g_autofree char *why = busker_transport_dup_missing_reason (t, "t3");
  g_assert_nonnull (strstr (why, gone));
  g_assert_false (busker_transport_is_missing (t, "t0"));
  g_assert_null (busker_transport_dup_missing_reason (t, "t0"));

  const uint32_t strips[] = { 0, 1, 2, 3 };
  float *out[8];
  for (int i = 0; i < 8; i++)
    out[i] = g_new0 (float, 5 * RATE);
  busker_transport_play (t);
  uint32_t rng = 3;
  int64_t got = 0;
  while (got < RATE / 2)
    {
      uint32_t n = next_block (&rng);
      transport_test_wait (t, n);
      cycle (t, plan, n, strips, 4, out, got);
      got += n;
    }

  /* t1 deleted, t2 truncated under the running transport, with the ring
   * full (so nothing read from the damaged files is ever played). */
  transport_test_wait (t, 60000);
  /* t1 deleted, t2 truncated under the running transport. */
  g_assert_cmpint (g_unlink (p1), ==, 0);
  g_assert_cmpint (truncate (p2, 1000), ==, 0);
  gint64 deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  while ((!busker_transport_is_missing (t, "t1") || !busker_transport_is_missing (t, "t2"))
         && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  g_assert_true (busker_transport_is_missing (t, "t1"));
  g_assert_true (busker_transport_is_missing (t, "t2"));
  g_assert_false (busker_transport_is_missing (t, "t0"));
  g_autofree char *why1 = busker_transport_dup_missing_reason (t, "t1");
  g_assert_nonnull (strstr (why1, p1));

  const int64_t cut = got;
  while (got < cut + RATE / 2)
    {
      uint32_t n = next_block (&rng);
      transport_test_wait (t, n);
      cycle (t, plan, n, strips, 4, out, got);
      got += n;
    }
  for (int64_t f = 0; f < got; f++)
    {
      g_assert_true (out[0][f] == test_noise (110, (uint64_t) f));
      g_assert_true (out[6][f] == 0.0f && out[7][f] == 0.0f);
    }
  /* Before the cut the gone tracks played; after a 5 ms fade, silence. */
  for (int64_t f = 0; f < cut; f++)
    g_assert_true (out[2][f] == test_noise (120, (uint64_t) f));
  for (int64_t f = cut; f < got; f++)
    {
      float g = f - cut < FADE ? (float) (FADE - 1 - (f - cut)) / FADE : 0.0f;
      g_assert_cmpfloat_with_epsilon (out[2][f], test_noise (120, (uint64_t) f) * g, 1e-6);
      g_assert_cmpfloat_with_epsilon (out[4][f], test_noise (130, (uint64_t) f) * g, 1e-6);
    }
  g_assert_cmpuint (busker_transport_read_underruns (t), ==, 0);

  for (int i = 0; i < 8; i++)
    g_free (out[i]);
  busker_plan_free (plan);
  busker_transport_free (t);
}

/* ---- the graph's rate changes ---- */

static void
test_transport_set_rate (void)
{
  g_autofree char *p0 = transport_test_wav (tmpdir, "r0.wav", RATE, 2, 2 * RATE, 140);
  char *paths[] = { p0 };
  g_autoptr (BuskerMixDesc) desc = transport_test_desc (1, paths, NULL, RATE);
  g_autoptr (GError) error = NULL;
  BuskerTransport *t = busker_transport_new (RATE, MAX_BLOCK);
  BuskerPlan *plan = busker_plan_new (desc, MAX_BLOCK, &error);
  busker_transport_bind (t, desc, plan);

  busker_transport_seek (t, 0.5);
  settle (t, plan);
  busker_transport_set_rate (t, 96000);
  g_assert_cmpfloat (busker_transport_get_position_s (t), ==, 0.5);
  g_assert_cmpfloat (busker_transport_get_length_s (t), ==, 2.0);
  settle (t, plan);

  /* Now the 48 kHz file plays resampled to 96 kHz: what the offline
   * reader at 96 kHz gives from the same place. */
  g_autofree float *ref = reader_from (p0, 0, 96000, 0, 48000, RATE);
  const uint32_t strips[] = { 0 };
  float *out[2] = { g_new0 (float, RATE), NULL };
  busker_transport_play (t);
  int64_t got = 0;
  uint32_t rng = 11;
  while (got < RATE / 2)
    {
      uint32_t n = next_block (&rng);
      transport_test_wait (t, n);
      cycle (t, plan, n, strips, 1, out, got);
      got += n;
    }
  const int fade96 = 480;
  for (int64_t i = fade96; i < got; i++)
    if (out[0][i] != ref[i])
      g_error ("96 kHz frame %" G_GINT64_FORMAT ": %g, want %g", i, out[0][i], ref[i]);
  g_assert_cmpfloat (busker_transport_get_position_s (t), ==, (48000.0 + got) / 96000);

  g_free (out[0]);
  busker_plan_free (plan);
  busker_transport_free (t);
}

/* ---- the end without loop ---- */

static void
test_transport_end (void)
{
  g_autofree char *p0 = transport_test_wav (tmpdir, "e0.wav", RATE, 2, RATE / 4, 150);
  char *paths[] = { p0 };
  g_autoptr (BuskerMixDesc) desc = transport_test_desc (1, paths, NULL, RATE);
  g_autoptr (GError) error = NULL;
  BuskerTransport *t = busker_transport_new (RATE, MAX_BLOCK);
  BuskerPlan *plan = busker_plan_new (desc, MAX_BLOCK, &error);
  busker_transport_bind (t, desc, plan);

  busker_transport_play (t);
  for (int i = 0; i < 2 * RATE / 4 / 256 && !busker_transport_is_at_end (t); i++)
    {
      transport_test_wait (t, 1);
      busker_transport_fill (t, plan, 256);
    }
  g_assert_true (busker_transport_is_at_end (t));
  g_assert_false (busker_transport_is_playing (t));
  g_assert_cmpfloat (busker_transport_get_position_s (t), ==, 0.25);

  /* Play at the end starts again from the top. */
  busker_transport_play (t);
  g_assert_cmpfloat (busker_transport_get_position_s (t), ==, 0.0);
  g_assert_true (busker_transport_is_seeking (t));
  /* The first cycle that is no longer seeking plays the top (no fade at
   * the project's first frame). */
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (busker_transport_is_seeking (t) && g_get_monotonic_time () < deadline)
    {
      busker_transport_fill (t, plan, 256);
      if (busker_transport_is_seeking (t))
        g_usleep (500);
    }
  g_assert_false (busker_transport_is_seeking (t));
  g_assert_cmpfloat (busker_transport_get_position_s (t), ==, 256.0 / RATE);
  float *l = busker_process_track_input (plan, 0, 0);
  for (int i = 0; i < 256; i++)
    g_assert_true (l[i] == test_noise (150, i));
  g_assert_true (busker_transport_is_playing (t));

  busker_plan_free (plan);
  busker_transport_free (t);
}

/* A track with no source gets silence every cycle, never its own last
 * output back (the plan's input buffer holds the output after a block). */
static void
test_transport_silent_tracks (void)
{
  g_autofree char *p0 = transport_test_wav (tmpdir, "n0.wav", RATE, 2, RATE, 160);
  char *paths[] = { p0, p0 };
  g_autoptr (BuskerMixDesc) desc = transport_test_desc (2, paths, NULL, RATE);
  desc->strips[1].source = BUSKER_SOURCE_NONE;
  g_autoptr (GError) error = NULL;
  BuskerTransport *t = busker_transport_new (RATE, MAX_BLOCK);
  BuskerPlan *plan = busker_plan_new (desc, MAX_BLOCK, &error);
  busker_transport_bind (t, desc, plan);
  busker_transport_play (t);
  for (int b = 0; b < 20; b++)
    {
      float *in = busker_process_track_input (plan, 1, 0);
      for (int i = 0; i < 256; i++)
        in[i] = 1.0f;
      transport_test_wait (t, 256);
      busker_transport_fill (t, plan, 256);
      for (int i = 0; i < 256; i++)
        g_assert_cmpfloat (in[i], ==, 0.0f);
      busker_process_run (plan, 256);
    }
  busker_plan_free (plan);
  busker_transport_free (t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("busker-transport-XXXXXX", NULL);
  g_test_add_data_func ("/engine/transport/whole-project", GUINT_TO_POINTER (MAX_BLOCK),
                        test_transport_whole_project);
  g_test_add_data_func ("/engine/transport/whole-project-8192", GUINT_TO_POINTER (8192),
                        test_transport_whole_project);
  g_test_add_func ("/engine/transport/seek", test_transport_seek);
  g_test_add_func ("/engine/transport/loop", test_transport_loop);
  g_test_add_func ("/engine/transport/rebind", test_transport_rebind);
  g_test_add_func ("/engine/transport/missing", test_transport_missing);
  g_test_add_func ("/engine/transport/set-rate", test_transport_set_rate);
  g_test_add_func ("/engine/transport/end", test_transport_end);
  g_test_add_func ("/engine/transport/silent-tracks", test_transport_silent_tracks);
  int ret = g_test_run ();
  transport_test_rmdir (tmpdir);
  return ret;
}
