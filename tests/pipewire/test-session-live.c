/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The session playing live on a private PipeWire (run under
 * tests/pipewire/pw-harness --wireplumber). Modes:
 *
 * live-export BUSKER BUSKER_EXPORT
 *   Live equals export: a file project (tracks, a subgroup with EQ and
 *   compressor, a reverb send, a look-ahead limiter on the master) is
 *   rendered by busker-export and played by `busker --headless --play
 *   --record`, while pw-record records the test speakers' monitor. Both
 *   recordings, aligned to the export, must match it to −60 dB residual or
 *   better: the same engine runs both paths, so any difference is a bug.
 *   (pw-record may lose buffers when the machine is overloaded: then each
 *   quarter second of its copy is aligned on its own, and only stretches
 *   where it lost frames may differ; see check_against_export.)
 *   The mix starts with 20 ms of silence: the transport fades every start
 *   of playback in over 5 ms (no click), which an export does not do.
 *
 * edits
 *   A 1 kHz sine plays through the session while the test edits the
 *   structure 240 times (a strip added and removed 100 times, the route
 *   switched between two equal subgroups, two transparent inserts swapped)
 *   and records the master. A second-difference click detector must find
 *   no discontinuity, the level must hold within 0.5 dB in every 10 ms,
 *   and each edit must have built exactly one plan.
 *
 * missing
 *   Two file tracks (440 Hz and 1 kHz) play; the 1 kHz file is deleted
 *   while playing. The session marks that track missing, the 1 kHz tone
 *   leaves the recording (below −80 dB) and the 440 Hz tone plays on at
 *   its level. Then playback stops: the master's links, active while the
 *   files played, are passive again once the tail is quiet (pw-dump).
 *
 * streams
 *   pw-play plays to the default device: the session lists it; routed
 *   onto a live track it is linked to that track's sink (pw-dump) and the
 *   track remembers the app (one undo step); routed back it is linked to
 *   the default device again and forgotten; when it ends the list empties.
 *
 * rate
 *   The graph switches from 48 to 44.1 kHz (clock.force-rate) while a
 *   48 kHz file plays and is recorded: the session runs a 44.1 kHz plan,
 *   the recording started before stays a 48 kHz file with the tone at its
 *   pitch and level after the switch too (converted), and one started
 *   after is a 44.1 kHz file with the tone at its pitch and level.
 *
 * capture-problems
 *   Capture tracks of a device that is not there, of the device the
 *   master plays on (its monitor would feed the mix back; by its name and
 *   by pactl's "<sink>.monitor") and of one of
 *   Busker's own sinks: each says why it is silent and none is linked;
 *   the live track beside them is. When the missing device appears, its
 *   track is linked and its problem gone.
 *
 * restart PW_HARNESS
 *   A file track and a live track play; the daemons are killed (-9) and
 *   started again: "live" goes off, comes back within 2 s of the daemon,
 *   the sink "Busker: Music" is made again, and the file track plays on at
 *   its level with the master's links active.
 *
 * headless-loop BUSKER
 *   `busker --headless P --play --loop --record OUT` of a one-second
 *   project is still running after 3.5 s; SIGINT ends it with status 0,
 *   and every second of OUT holds the project again.
 *
 * headless-demo BUSKER DEMO
 *   `busker --headless data/demo/desktop.busker --record OUT`: the sinks
 *   "Busker: Music", "Busker: Browser" and "Busker: Calls" appear; a
 *   second `busker --headless` of it exits 1 at once saying another Busker
 *   is live, and leaves the first one's sinks alone; so does a session
 *   here (not live, "live-blocker" set), which goes live once the first
 *   one has ended; pw-play plays a tone
 *   into Music twice, 3 s apart; SIGHUP (the terminal closed) ends it with
 *   exit 0, the sinks gone, and OUT as long as the recording ran (the
 *   pause in it as silence, not cut out), the two tones 4 s apart.
 *
 * Every process the test starts is stopped by it, pass or fail.
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <signal.h>
#include <sndfile.h>
#include <stdio.h>
#include <sys/wait.h>

#include "engine/busker-plan-private.h"
#include "session/busker-session-private.h"

#define RATE 48000
#define PROCESS_DEADLINE_S 40 /* hang guard only */

static char *tmpdir;

/* ---- audio files ---- */

typedef struct {
  float *l, *r;
  gsize n;
  int rate;
} Audio;

static void
audio_clear (Audio *a)
{
  g_free (a->l);
  g_free (a->r);
  *a = (Audio) { 0 };
}

static void
write_wav (const char *path, int channels, gsize frames, double (*f) (int ch, gsize i))
{
  SF_INFO info = { .samplerate = RATE, .channels = channels,
                   .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
  SNDFILE *sf = sf_open (path, SFM_WRITE, &info);
  g_assert_nonnull (sf);
  g_autofree float *buf = g_new (float, (gsize) channels * RATE);
  for (gsize done = 0; done < frames;)
    {
      gsize m = MIN ((gsize) RATE, frames - done);
      for (gsize i = 0; i < m; i++)
        for (int ch = 0; ch < channels; ch++)
          buf[i * channels + ch] = f (ch, done + i);
      g_assert_cmpint (sf_writef_float (sf, buf, m), ==, m);
      done += m;
    }
  g_assert_cmpint (sf_close (sf), ==, 0);
}

static void
read_audio (const char *path, Audio *a)
{
  SF_INFO info = { 0 };
  SNDFILE *sf = sf_open (path, SFM_READ, &info);
  if (sf == NULL)
    g_error ("%s: %s", path, sf_strerror (NULL));
  g_assert_cmpint (info.channels, ==, 2);
  g_autofree float *buf = g_new (float, (gsize) info.frames * 2 + 2);
  gsize n = sf_readf_float (sf, buf, info.frames);
  sf_close (sf);
  a->l = g_new (float, n + 1);
  a->r = g_new (float, n + 1);
  for (gsize i = 0; i < n; i++)
    {
      a->l[i] = buf[2 * i];
      a->r[i] = buf[2 * i + 1];
    }
  a->n = n;
  a->rate = info.samplerate;
}

static gsize
first_sound (const Audio *a, float threshold)
{
  for (gsize i = 0; i < a->n; i++)
    if (fabsf (a->l[i]) > threshold || fabsf (a->r[i]) > threshold)
      return i;
  return a->n;
}

/* Residual energy of x against ref (x shifted by lag), over ref's length
 * or the first n frames, relative to ref's energy, in dB. */
static double
residual_db (const Audio *ref, const Audio *x, gssize lag, gsize n)
{
  double e = 0, s = 0;
  n = MIN (n, ref->n);
  for (gsize i = 0; i < n; i++)
    {
      gssize j = (gssize) i + lag;
      float xl = j >= 0 && (gsize) j < x->n ? x->l[j] : 0;
      float xr = j >= 0 && (gsize) j < x->n ? x->r[j] : 0;
      e += (xl - ref->l[i]) * (double) (xl - ref->l[i]) + (xr - ref->r[i]) * (double) (xr - ref->r[i]);
      s += ref->l[i] * (double) ref->l[i] + ref->r[i] * (double) ref->r[i];
    }
  return 10 * log10 (MAX (e, 1e-30) / MAX (s, 1e-30));
}

/* The lag of x against ref: onsets first, then the best of ±512 frames
 * over the first second. */
static gssize
align (const Audio *ref, const Audio *x)
{
  gssize coarse = (gssize) first_sound (x, 1e-3f) - (gssize) first_sound (ref, 1e-3f);
  gssize best = coarse;
  double best_db = INFINITY;
  for (gssize d = -512; d <= 512; d++)
    {
      double db = residual_db (ref, x, coarse + d, RATE);
      if (db < best_db)
        {
          best_db = db;
          best = coarse + d;
        }
    }
  return best;
}

/* ---- processes ---- */

/* Runs argv to its end, killing it after the deadline; its exit status. */
static int
run_process (char **argv, GPid *out_pid)
{
  g_autoptr (GError) error = NULL;
  GPid pid;
  if (!g_spawn_async (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH,
                      NULL, NULL, &pid, &error))
    g_error ("%s: %s", argv[0], error->message);
  if (out_pid != NULL)
    {
      *out_pid = pid;
      return 0;
    }
  gint64 deadline = g_get_monotonic_time () + PROCESS_DEADLINE_S * G_USEC_PER_SEC;
  int status;
  while (waitpid (pid, &status, WNOHANG) == 0)
    {
      if (g_get_monotonic_time () > deadline)
        {
          kill (pid, SIGKILL);
          waitpid (pid, &status, 0);
          g_error ("%s did not end within %d s", argv[0], PROCESS_DEADLINE_S);
        }
      g_usleep (20000);
    }
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
stop_process (GPid pid)
{
  int status;
  kill (pid, SIGINT);
  for (int i = 0; i < 200 && waitpid (pid, &status, WNOHANG) == 0; i++)
    g_usleep (10000);
  if (waitpid (pid, &status, WNOHANG) == 0)
    {
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
    }
}

static char *
temp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static void
write_text (const char *path, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_set_contents (path, text, -1, &error));
}

/* ---- live equals export ---- */

static guint32
noise_state (gsize i)
{
  guint32 x = (guint32) i * 2654435761u + 12345u;
  x ^= x >> 13;
  x *= 0x5bd1e995u;
  return x ^ (x >> 15);
}

static double
drums (int ch, gsize i)
{
  /* Noise bursts, four per second, decaying. */
  gsize t = i % (RATE / 4);
  double env = exp (-(double) t / (0.03 * RATE));
  return 0.5 * env * ((noise_state (i * 2 + ch) / 4294967296.0) * 2 - 1);
}

static double
bass (int ch, gsize i)
{
  return 0.4 * sin (2 * G_PI * 110.0 * i / RATE);
}

static double
chord (int ch, gsize i)
{
  double t = (double) i / RATE;
  return 0.15 * (sin (2 * G_PI * 440 * t) + sin (2 * G_PI * (ch ? 554.37 : 659.25) * t));
}

static const char live_export_project[] =
  "{\"format\":1,\"sample_rate\":48000,\"strips\":["
  "{\"id\":\"drums\",\"kind\":\"track\",\"source\":{\"type\":\"file\",\"path\":\"drums.wav\",\"offset_s\":0.02},"
  " \"output\":\"band\",\"gain_db\":-3,\"sends\":[{\"to\":\"verb\",\"level_db\":-10}]},"
  "{\"id\":\"bass\",\"kind\":\"track\",\"source\":{\"type\":\"file\",\"path\":\"bass.wav\",\"offset_s\":0.02},"
  " \"output\":\"band\",\"pan\":-0.3},"
  "{\"id\":\"keys\",\"kind\":\"track\",\"source\":{\"type\":\"file\",\"path\":\"keys.wav\",\"offset_s\":0.5},"
  " \"sends\":[{\"to\":\"verb\",\"level_db\":-6,\"pre_fader\":true}]},"
  "{\"id\":\"band\",\"kind\":\"subgroup\",\"inserts\":["
  "  {\"type\":\"eq\",\"bands\":[{\"type\":\"peak\",\"freq_hz\":800,\"gain_db\":4,\"q\":1.2},"
  "                            {\"type\":\"high_pass\",\"freq_hz\":40}]},"
  "  {\"type\":\"compressor\",\"threshold_db\":-24,\"ratio\":4,\"attack_ms\":5,\"release_ms\":80}]},"
  "{\"id\":\"verb\",\"kind\":\"aux\",\"inserts\":[{\"type\":\"reverb\",\"decay_s\":0.8,\"mix\":1}]},"
  "{\"id\":\"master\",\"kind\":\"master\",\"inserts\":["
  "  {\"type\":\"limiter\",\"ceiling_db\":-3,\"lookahead_ms\":5}]}]}";

/* The best lag for ref's frames [at, at + n) within ±reach of near,
 * judged on a short probe, then the residual of the whole stretch. */
static double
segment_residual_db (const Audio *ref, const Audio *x, gsize at, gsize n, gssize near,
                     gssize reach, gssize *lag_out)
{
  enum { PROBE = 2048 };
  Audio part = { ref->l + at, ref->r + at, n, RATE };
  Audio probe = { ref->l + at, ref->r + at, MIN (n, PROBE), RATE };
  gssize best = near;
  double best_db = INFINITY;
  for (gssize lag = near - reach; lag <= near + reach; lag++)
    {
      double db = residual_db (&probe, x, lag + (gssize) at, probe.n);
      if (db < best_db)
        {
          best_db = db;
          best = lag;
        }
    }
  *lag_out = best;
  return residual_db (&part, x, best + (gssize) at, n);
}

/* x against the export: aligned as a whole, the residual must be −60 dB
 * or better. With lossy_capture (pw-record at the speakers), the capturing
 * client may lose buffers when the machine is overloaded — the test daemon
 * has no real-time scheduling — so there each quarter second, aligned on
 * its own, must match instead; those that do not are allowed only where
 * the capture lost frames (the lag never grows through them and is
 * smaller after them), a quarter of the length at most. Audio added to
 * what Busker played (a larger lag: a gap, a repeat) fails. */
static void
check_against_export (const char *what, const Audio *ref, const char *path,
                      gboolean lossy_capture)
{
  Audio x = { 0 };
  read_audio (path, &x);
  g_assert_cmpint (x.rate, ==, RATE);
  gssize lag = align (ref, &x);
  double db = residual_db (ref, &x, lag, ref->n);
  g_print ("# %s: %zu frames, aligned at %zd frames, residual %.1f dB against the export\n",
           what, x.n, lag, db);
  g_assert_cmpint (lag, >=, 0);
  if (db <= -60.0 && (gsize) lag + ref->n <= x.n)
    {
      audio_clear (&x);
      return;
    }
  g_assert_true (lossy_capture);

  enum { SEG = RATE / 4 };
  guint n_seg = (ref->n + SEG - 1) / SEG, lost = 0;
  g_autofree gssize *lags = g_new (gssize, n_seg);
  g_autofree double *dbs = g_new (double, n_seg);
  gssize seg_lag = lag;
  for (guint k = 0; k < n_seg; k++)
    {
      gsize at = (gsize) k * SEG;
      dbs[k] = segment_residual_db (ref, &x, at, MIN (ref->n - at, SEG), seg_lag, 4096, &seg_lag);
      lags[k] = seg_lag;
      g_print ("#   %.2f s: aligned at %zd, %.1f dB\n", (double) at / RATE, lags[k], dbs[k]);
    }
  /* Every run of differing quarter seconds must sit between matching ones,
   * with the lag never growing through it and smaller after it. */
  for (guint k = 0; k < n_seg; k++)
    {
      if (dbs[k] <= -60.0)
        continue;
      guint end = k;
      while (end + 1 < n_seg && dbs[end + 1] > -60.0)
        end++;
      gboolean capture_lost = k > 0 && end + 1 < n_seg && lags[end + 1] < lags[k - 1];
      for (guint i = k; i <= end + 1 && capture_lost && i < n_seg; i++)
        capture_lost = lags[i] <= lags[i - 1];
      if (!capture_lost)
        g_error ("%s: %.2f s to %.2f s differ from the export and are not frames the capture lost",
                 what, (double) k * SEG / RATE, (double) (end + 1) * SEG / RATE);
      lost += end - k + 1;
      k = end;
    }
  g_assert_cmpint (lags[0] - lags[n_seg - 1], <, (gssize) ref->n / 4);
  g_print ("# %s: the capture lost frames in %u of %u quarter seconds; all the rest is "
           "the export's audio\n", what, lost, n_seg);
  audio_clear (&x);
}

static int
test_live_export (const char *busker, const char *busker_export)
{
  g_autofree char *project = temp_path ("song.busker");
  g_autofree char *drums_wav = temp_path ("drums.wav");
  g_autofree char *bass_wav = temp_path ("bass.wav");
  g_autofree char *keys_wav = temp_path ("keys.wav");
  g_autofree char *ref_wav = temp_path ("export.wav");
  g_autofree char *live_wav = temp_path ("live.wav");
  g_autofree char *speakers_wav = temp_path ("speakers.wav");
  write_wav (drums_wav, 2, 3 * RATE, drums);
  write_wav (bass_wav, 1, 3 * RATE, bass);
  write_wav (keys_wav, 2, 2 * RATE, chord);
  write_text (project, live_export_project);

  char *export_argv[] = { (char *) busker_export, project, "-o", ref_wav, "--bits", "32f",
                          "--quiet", NULL };
  g_assert_cmpint (run_process (export_argv, NULL), ==, 0);

  const char *sink = g_getenv ("BUSKER_TEST_SINK");
  char *record_argv[] = { "pw-record", "--target", (char *) sink, "-P",
                          "{ stream.capture.sink = true }", "--format", "f32",
                          "--rate", "48000", "--channels", "2", speakers_wav, NULL };
  GPid recorder;
  run_process (record_argv, &recorder);
  char *busker_argv[] = { (char *) busker, "--headless", project, "--play", "--record",
                          live_wav, NULL };
  int status = run_process (busker_argv, NULL);
  g_usleep (200000); /* the last quanta reach the monitor */
  stop_process (recorder);
  g_assert_cmpint (status, ==, 0);

  Audio ref = { 0 };
  read_audio (ref_wav, &ref);
  g_print ("# export: %zu frames (%.2f s)\n", ref.n, (double) ref.n / RATE);
  check_against_export ("busker --headless --record", &ref, live_wav, FALSE);
  check_against_export ("pw-record of the test speakers", &ref, speakers_wav, TRUE);
  audio_clear (&ref);
  return 0;
}

/* ---- the session in this process ---- */

static gboolean
on_timeout_quit (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for ms milliseconds. */
static void
run_for (guint ms)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_timeout_add (ms, on_timeout_quit, loop);
  g_main_loop_run (loop);
}

static BuskerSession *
live_session (BuskerProject *project)
{
  BuskerSession *session = busker_session_new ();
  busker_session_set_project (session, project);
  for (int i = 0; i < 100 && !busker_session_get_live (session); i++)
    run_for (50);
  g_assert_true (busker_session_get_live (session));
  return session;
}

static BuskerProject *
load_temp_project (const char *name, const char *json)
{
  g_autofree char *path = temp_path (name);
  write_text (path, json);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  BuskerProject *project = busker_project_load (file, &error);
  g_assert_no_error (error);
  return project;
}

static double
tone_1k (int ch, gsize i)
{
  return 0.25 * sin (2 * G_PI * 1000.0 * i / RATE);
}

static double
tone_440 (int ch, gsize i)
{
  return 0.25 * sin (2 * G_PI * 440.0 * i / RATE);
}

/* Level of a frequency over a stretch at rate (Goertzel), dBFS of a
 * sine's peak. */
static double
tone_db_at (const float *x, gsize n, double freq, double rate)
{
  double w = 2 * G_PI * freq / rate, c = 2 * cos (w), s1 = 0, s2 = 0;
  for (gsize i = 0; i < n; i++)
    {
      double s0 = x[i] + c * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
  double power = s1 * s1 + s2 * s2 - c * s1 * s2;
  return 20 * log10 (MAX (2 * sqrt (power) / n, 1e-12));
}

static double
tone_db (const float *x, gsize n, double freq)
{
  return tone_db_at (x, n, freq, RATE);
}

typedef struct {
  BuskerSession *session;
  BuskerProject *project;
  guint step;
  guint rebuild_failures;
  gint64 edit_us_sum, edit_us_max;
  GMainLoop *loop;
} Edits;

enum { N_ADD_REMOVE = 100, N_ROUTES = 20, N_MOVES = 20 };

/* One structural edit per call; each must give exactly one new plan. */
static gboolean
on_edit (gpointer data)
{
  Edits *e = data;
  BuskerProject *p = e->project;
  guint before = busker_session_get_n_rebuilds (e->session);
  guint step = e->step++;
  gint64 start = g_get_monotonic_time ();
  g_autoptr (GError) error = NULL;

  if (step < 2 * N_ADD_REMOVE)
    {
      if (step % 2 == 0)
        {
          g_autoptr (BuskerStrip) strip = busker_strip_new (BUSKER_STRIP_TRACK, "extra");
          g_assert_true (busker_project_add_strip (p, strip, 0, &error));
        }
      else
        busker_project_remove_strip (p, busker_project_find_strip (p, "extra"));
    }
  else if (step < 2 * N_ADD_REMOVE + N_ROUTES)
    {
      BuskerStrip *tone = busker_project_find_strip (p, "tone");
      const char *to = g_str_equal (busker_strip_get_output (tone), "a") ? "b" : "a";
      g_assert_true (busker_project_set_output (p, tone, busker_project_find_strip (p, to), &error));
    }
  else if (step < 2 * N_ADD_REMOVE + N_ROUTES + N_MOVES)
    busker_strip_move_insert (busker_project_find_strip (p, "tone"), 0, 1);
  else
    {
      g_main_loop_quit (e->loop);
      return G_SOURCE_REMOVE;
    }
  g_assert_no_error (error);
  /* Let the idle rebuild run, then count. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  gint64 took = g_get_monotonic_time () - start;
  e->edit_us_sum += took;
  e->edit_us_max = MAX (e->edit_us_max, took);
  if (busker_session_get_n_rebuilds (e->session) != before + 1)
    e->rebuild_failures++;
  return G_SOURCE_CONTINUE;
}

static const char edits_project[] =
  "{\"format\":1,\"sample_rate\":48000,\"strips\":["
  "{\"id\":\"tone\",\"kind\":\"track\",\"source\":{\"type\":\"file\",\"path\":\"tone.wav\"},"
  " \"output\":\"a\",\"inserts\":["
  "  {\"type\":\"eq\",\"bands\":[{\"type\":\"peak\",\"freq_hz\":200,\"gain_db\":3,\"q\":1}]},"
  "  {\"type\":\"compressor\",\"threshold_db\":0,\"ratio\":2,\"knee_db\":0}]},"
  "{\"id\":\"a\",\"kind\":\"subgroup\"},"
  "{\"id\":\"b\",\"kind\":\"subgroup\"},"
  "{\"id\":\"master\",\"kind\":\"master\"}]}";

static int
test_edits (void)
{
  g_autofree char *tone_wav = temp_path ("tone.wav");
  g_autofree char *rec = temp_path ("edits.wav");
  write_wav (tone_wav, 1, 14 * RATE, tone_1k);
  g_autoptr (BuskerProject) project = load_temp_project ("edits.busker", edits_project);
  BuskerSession *session = live_session (project);
  g_autoptr (GError) error = NULL;
  g_assert_true (busker_session_start_recording (session, rec, &error));
  g_assert_no_error (error);
  busker_session_play (session);
  run_for (1000);

  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Edits e = { .session = session, .project = project, .loop = loop };
  gint64 start = g_get_monotonic_time ();
  g_timeout_add (20, on_edit, &e);
  g_main_loop_run (loop);
  double edit_s = (g_get_monotonic_time () - start) / 1e6;

  /* The meters of a steady tone, read as a widget would. */
  BuskerStripMeter sm;
  BuskerMasterMeter mm;
  BuskerStrip *tone = busker_project_find_strip (project, "tone");
  run_for (600);
  busker_session_read_strip_meter (session, tone, &sm);
  busker_session_read_master_meter (session, &mm);
  run_for (400);
  g_assert_true (busker_session_read_strip_meter (session, tone, &sm));
  g_assert_true (busker_session_read_master_meter (session, &mm));
  g_assert_true (busker_session_stop_recording (session, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (session);
  g_print ("# %u structural edits in %.1f s, %u of them not exactly one plan; edit + "
           "rebuild on the main thread %.2f ms on average, %.2f ms at most\n", e.step - 1,
           edit_s, e.rebuild_failures, e.edit_us_sum / 1e3 / MAX (e.step - 1, 1),
           e.edit_us_max / 1e3);
  g_assert_cmpuint (e.rebuild_failures, ==, 0);

  Audio a = { 0 };
  read_audio (rec, &a);
  gsize start_i = first_sound (&a, 1e-3f) + RATE / 2, end_i = a.n - RATE / 2;
  g_assert_cmpuint (end_i, >, start_i + 5 * RATE);
  /* The expected level: the tone through the EQ (the compressor is below
   * its threshold), measured over the first stretch; every 10 ms must
   * hold it within 0.5 dB. */
  double level = tone_db (a.l + start_i, RATE / 10, 1000);
  double worst_dev = 0, worst_d2 = 0;
  gsize clicks = 0;
  for (gsize i = start_i; i + RATE / 100 < end_i; i += RATE / 100)
    for (int ch = 0; ch < 2; ch++)
      worst_dev = MAX (worst_dev, fabs (tone_db ((ch ? a.r : a.l) + i, RATE / 100, 1000) - level));
  /* A sine of peak A has |x[n] − 2x[n−1] + x[n−2]| ≤ A·4·sin²(πf/fs);
   * anything past twice that is a discontinuity. */
  double peak = pow (10, level / 20);
  double bound = 2 * peak * 4 * pow (sin (G_PI * 1000 / RATE), 2);
  for (gsize i = start_i + 2; i < end_i; i++)
    for (int ch = 0; ch < 2; ch++)
      {
        const float *x = ch ? a.r : a.l;
        double d2 = fabs (x[i] - 2.0 * x[i - 1] + x[i - 2]);
        worst_d2 = MAX (worst_d2, d2);
        if (d2 > bound)
          clicks++;
      }
  g_print ("# tone at %.2f dBFS; 10 ms levels within %.3f dB; largest second difference "
           "%.5f (bound %.5f); %zu samples over it\n", level, worst_dev, worst_d2, bound, clicks);
  g_assert_cmpuint (clicks, ==, 0);
  g_assert_cmpfloat (worst_dev, <, 0.5);

  /* The tone strip's post-fader peak and RMS (a sine: peak − 3.01 dB),
   * the master's loudness (BS.1770: a sine in both channels near 1 kHz
   * reads its peak level in LUFS), true peak and correlation, against
   * the level measured in the recording. */
  g_print ("# meters: strip peak %.2f/%.2f dBFS, RMS %.2f/%.2f dBFS; master M %.2f S %.2f "
           "I %.2f LUFS, TP %.2f dBTP, correlation %.3f\n", sm.peak_db[0], sm.peak_db[1],
           sm.rms_db[0], sm.rms_db[1], mm.momentary_lufs, mm.short_term_lufs,
           mm.integrated_lufs, mm.true_peak_dbtp, mm.correlation);
  for (int ch = 0; ch < 2; ch++)
    {
      g_assert_cmpfloat (fabs (sm.peak_db[ch] - level), <, 0.1);
      g_assert_cmpfloat (fabs (sm.rms_db[ch] - (level - 3.01)), <, 0.2);
    }
  g_assert_cmpfloat (fabs (mm.momentary_lufs - level), <, 0.2);
  g_assert_cmpfloat (fabs (mm.short_term_lufs - level), <, 0.2);
  g_assert_cmpfloat (fabs (mm.integrated_lufs - level), <, 0.2);
  g_assert_cmpfloat (fabs (mm.true_peak_dbtp - level), <, 0.2);
  g_assert_cmpfloat (mm.correlation, >, 0.99);
  audio_clear (&a);
  return 0;
}

/* ---- application streams ---- */

/* pw-dump's objects, or NULL. */
static JsonParser *
pw_dump (void)
{
  g_autofree char *out = NULL;
  char *argv[] = { "pw-dump", NULL };
  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                     NULL, &out, NULL, NULL, NULL))
    return NULL;
  JsonParser *parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, out, -1, NULL)
      || !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    g_clear_object (&parser);
  return parser;
}

static JsonObject *
object_info (JsonObject *o)
{
  JsonNode *info = json_object_get_member (o, "info");
  return info != NULL && JSON_NODE_HOLDS_OBJECT (info) ? json_node_get_object (info) : NULL;
}

/* node id -> its props (JsonObject, owned by parser). */
static GHashTable *
node_props (JsonParser *parser)
{
  GHashTable *nodes = g_hash_table_new (NULL, NULL);
  JsonArray *objs = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (objs); i++)
    {
      JsonObject *o = json_array_get_object_element (objs, i);
      JsonObject *info = object_info (o);
      if (info != NULL && json_object_has_member (info, "props")
          && g_str_equal (json_object_get_string_member_with_default (o, "type", ""),
                          "PipeWire:Interface:Node"))
        g_hash_table_insert (nodes, GUINT_TO_POINTER (json_object_get_int_member (o, "id")),
                             json_object_get_object_member (info, "props"));
    }
  return nodes;
}

/* node.names the outputs of node id are linked to, from pw-dump. */
static GPtrArray *
linked_to (guint id)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (JsonParser) parser = pw_dump ();
  if (parser == NULL)
    return names;
  g_autoptr (GHashTable) nodes = node_props (parser);
  JsonArray *objs = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (objs); i++)
    {
      JsonObject *o = json_array_get_object_element (objs, i);
      JsonObject *info = object_info (o);
      if (info == NULL || !g_str_equal (json_object_get_string_member_with_default (o, "type", ""),
                                        "PipeWire:Interface:Link")
          || json_object_get_int_member_with_default (info, "output-node-id", -1) != id)
        continue;
      JsonObject *props = g_hash_table_lookup (
          nodes, GUINT_TO_POINTER (json_object_get_int_member (info, "input-node-id")));
      g_ptr_array_add (names, g_strdup (props ? json_object_get_string_member_with_default (
                                                    props, "node.name", "") : ""));
    }
  return names;
}

/* The links from the node called from to the node called to; *passive
 * (may be NULL) gets how many of them were made passive. */
static guint
links_between (const char *from, const char *to, guint *passive)
{
  g_autoptr (JsonParser) parser = pw_dump ();
  guint n = 0, n_passive = 0;
  if (parser == NULL)
    return 0;
  g_autoptr (GHashTable) nodes = node_props (parser);
  JsonArray *objs = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (objs); i++)
    {
      JsonObject *o = json_array_get_object_element (objs, i);
      JsonObject *info = object_info (o);
      if (info == NULL || !g_str_equal (json_object_get_string_member_with_default (o, "type", ""),
                                        "PipeWire:Interface:Link"))
        continue;
      JsonObject *out = g_hash_table_lookup (
          nodes, GUINT_TO_POINTER (json_object_get_int_member (info, "output-node-id")));
      JsonObject *in = g_hash_table_lookup (
          nodes, GUINT_TO_POINTER (json_object_get_int_member (info, "input-node-id")));
      if (out == NULL || in == NULL
          || g_strcmp0 (json_object_get_string_member_with_default (out, "node.name", NULL), from)
          || g_strcmp0 (json_object_get_string_member_with_default (in, "node.name", NULL), to))
        continue;
      JsonObject *props = json_object_has_member (info, "props")
                              ? json_object_get_object_member (info, "props") : NULL;
      JsonNode *flag = props ? json_object_get_member (props, "link.passive") : NULL;
      n++;
      n_passive += flag != NULL && JSON_NODE_HOLDS_VALUE (flag)
                   && (json_node_get_value_type (flag) == G_TYPE_BOOLEAN
                           ? json_node_get_boolean (flag)
                           : g_strcmp0 (json_node_get_string (flag), "true") == 0);
    }
  if (passive != NULL)
    *passive = n_passive;
  return n;
}

/* How the links from the node called from to the node called to were
 * made: 1 all passive, 0 all active, -1 none or mixed. */
static int
links_passive (const char *from, const char *to)
{
  guint passive;
  guint n = links_between (from, to, &passive);
  return n == 0 || (passive != 0 && passive != n) ? -1 : passive == n;
}

/* The node.description of the node called name, or NULL. */
static char *
node_description (const char *name)
{
  g_autoptr (JsonParser) parser = pw_dump ();
  if (parser == NULL)
    return NULL;
  g_autoptr (GHashTable) nodes = node_props (parser);
  GHashTableIter iter;
  gpointer props;
  g_hash_table_iter_init (&iter, nodes);
  while (g_hash_table_iter_next (&iter, NULL, &props))
    if (g_strcmp0 (json_object_get_string_member_with_default (props, "node.name", NULL), name) == 0)
      return g_strdup (json_object_get_string_member_with_default (props, "node.description", ""));
  return NULL;
}

static gboolean
linked_only_to (guint id, const char *name)
{
  g_autoptr (GPtrArray) names = linked_to (id);
  for (guint i = 0; i < names->len; i++)
    if (g_strcmp0 (names->pdata[i], name) != 0)
      return FALSE;
  return names->len > 0;
}

/* Runs the main loop until check holds, at most timeout_s; the seconds it
 * took, or -1. */
static double
wait_for (gboolean (*check) (gpointer), gpointer data, double timeout_s)
{
  gint64 start = g_get_monotonic_time ();
  while (!check (data))
    {
      if (g_get_monotonic_time () - start > timeout_s * G_USEC_PER_SEC)
        return -1;
      run_for (20);
    }
  return (g_get_monotonic_time () - start) / 1e6;
}

typedef struct {
  BuskerSession *session;
  BuskerAppStream *stream;
  guint node_id;
  const char *sink;
} StreamCheck;

static gboolean
has_stream (gpointer data)
{
  StreamCheck *c = data;
  GListModel *streams = busker_session_get_streams (c->session);
  return g_list_model_get_n_items (streams) > 0;
}

static gboolean
has_no_stream (gpointer data)
{
  return !has_stream (data);
}

static gboolean
stream_landed (gpointer data)
{
  StreamCheck *c = data;
  return linked_only_to (c->node_id, c->sink);
}

static int
test_streams (void)
{
  const char json[] = "{\"format\":1,\"strips\":["
                      "{\"id\":\"music\",\"kind\":\"track\",\"name\":\"Music\","
                      " \"source\":{\"type\":\"live\"}},"
                      "{\"id\":\"master\",\"kind\":\"master\"}]}";
  g_autofree char *tone_wav = temp_path ("player.wav");
  write_wav (tone_wav, 2, 20 * RATE, tone_440);
  g_autoptr (BuskerProject) project = load_temp_project ("streams.busker", json);
  BuskerSession *session = live_session (project);
  BuskerStrip *music = busker_project_find_strip (project, "music");
  const char *sink = g_getenv ("BUSKER_TEST_SINK");

  /* A real client, aimed at the default device. */
  char *play_argv[] = { "pw-play", tone_wav, NULL };
  GPid player;
  run_process (play_argv, &player);
  StreamCheck c = { .session = session };
  double listed_s = wait_for (has_stream, &c, 5);
  g_assert_cmpfloat (listed_s, >=, 0);
  g_autoptr (BuskerAppStream) stream = g_list_model_get_item (busker_session_get_streams (session), 0);
  c.node_id = busker_app_stream_get_node_id (stream);
  const char *key = busker_app_stream_get_app_key (stream);
  g_print ("# stream listed after %.2f s: \"%s\" (key \"%s\", media \"%s\", node %u)\n",
           listed_s, busker_app_stream_get_app_name (stream), key,
           busker_app_stream_get_media_name (stream), c.node_id);
  g_assert_nonnull (key);
  g_assert_null (busker_app_stream_get_track_id (stream));
  c.sink = sink;
  g_assert_cmpfloat (wait_for (stream_landed, &c, 5), >=, 0);

  /* Onto the track: the graph, the list and the project all say so. */
  g_autoptr (GError) error = NULL;
  g_assert_true (busker_session_route_stream (session, stream, music, &error));
  g_assert_no_error (error);
  c.sink = "busker.music";
  double moved_s = wait_for (stream_landed, &c, 5);
  g_print ("# routed onto Music: linked to busker.music after %.2f s\n", moved_s);
  g_assert_cmpfloat (moved_s, >=, 0);
  run_for (200);
  g_assert_cmpstr (busker_app_stream_get_track_id (stream), ==, "music");
  const char *const want[] = { key, NULL };
  g_assert_true (g_strv_equal (busker_source_get_apps (busker_strip_get_source (music)), want));
  g_assert_true (busker_project_can_undo (project));

  /* And back to the default device, forgotten. */
  g_assert_true (busker_session_route_stream (session, stream, NULL, &error));
  c.sink = sink;
  double back_s = wait_for (stream_landed, &c, 5);
  g_print ("# routed back: linked to %s after %.2f s\n", sink, back_s);
  g_assert_cmpfloat (back_s, >=, 0);
  g_assert_cmpuint (g_strv_length ((char **) busker_source_get_apps (busker_strip_get_source (music))), ==, 0);

  /* The player ends: the list empties. */
  stop_process (player);
  g_assert_cmpfloat (wait_for (has_no_stream, &c, 5), >=, 0);
  g_assert_finalize_object (session);
  return 0;
}

/* ---- remembered apps: which name wins, a renamed track ---- */

/* The listed stream whose app is called name, or NULL. */
static BuskerAppStream *
stream_named (BuskerSession *session, const char *name)
{
  GListModel *streams = busker_session_get_streams (session);
  for (guint i = 0; i < g_list_model_get_n_items (streams); i++)
    {
      g_autoptr (BuskerAppStream) s = g_list_model_get_item (streams, i);
      if (g_strcmp0 (busker_app_stream_get_app_name (s), name) == 0)
        return s; /* the list holds it */
    }
  return NULL;
}

static gboolean
has_two_streams (gpointer data)
{
  StreamCheck *c = data;
  return g_list_model_get_n_items (busker_session_get_streams (c->session)) == 2;
}

static gboolean
music_sink_says_tunes (gpointer data)
{
  g_autofree char *description = node_description ("busker.music");
  return g_strcmp0 (description, "Busker: Tunes") == 0;
}

/* Two paplay streams share the binary "pacat": "Spotify", which Music
 * remembers by name, and "VLC", which the user routes onto Calls. Calls
 * must remember "VLC", not the binary, and Spotify stay on Music (it
 * followed VLC before: the key was the binary and the first match won).
 * Then Music is renamed, which makes its sink again (a new object.serial):
 * Spotify must land on the new sink, not stay on the device (the metadata
 * named the old serial and nothing retargeted it). */
static int
test_apps (void)
{
  static const char json[] =
    "{\"format\":1,\"strips\":["
    "{\"id\":\"music\",\"kind\":\"track\",\"name\":\"Music\","
    " \"source\":{\"type\":\"live\",\"apps\":[\"Spotify\"]}},"
    "{\"id\":\"calls\",\"kind\":\"track\",\"name\":\"Calls\","
    " \"source\":{\"type\":\"live\"}},"
    "{\"id\":\"master\",\"kind\":\"master\"}]}";
  g_autofree char *tone_wav = temp_path ("apps.wav");
  write_wav (tone_wav, 2, 60 * RATE, tone_440);
  g_autoptr (BuskerProject) project = load_temp_project ("apps.busker", json);
  BuskerSession *session = live_session (project);
  BuskerStrip *music = busker_project_find_strip (project, "music");
  BuskerStrip *calls = busker_project_find_strip (project, "calls");
  g_autoptr (GError) error = NULL;

  char *spotify_argv[] = { "paplay", "--property=application.name=Spotify", tone_wav, NULL };
  char *vlc_argv[] = { "paplay", "--property=application.name=VLC", tone_wav, NULL };
  GPid spotify_pid, vlc_pid;
  run_process (spotify_argv, &spotify_pid);
  run_process (vlc_argv, &vlc_pid);
  StreamCheck spotify = { .session = session }, vlc = { .session = session };
  g_assert_cmpfloat (wait_for (has_two_streams, &spotify, 10), >=, 0);
  spotify.node_id = busker_app_stream_get_node_id (stream_named (session, "Spotify"));
  vlc.node_id = busker_app_stream_get_node_id (stream_named (session, "VLC"));
  spotify.sink = "busker.music";
  vlc.sink = g_getenv ("BUSKER_TEST_SINK");
  g_assert_cmpfloat (wait_for (stream_landed, &spotify, 5), >=, 0);
  g_assert_cmpfloat (wait_for (stream_landed, &vlc, 5), >=, 0);

  g_assert_true (busker_session_route_stream (session, stream_named (session, "VLC"), calls, &error));
  g_assert_no_error (error);
  vlc.sink = "busker.calls";
  g_assert_cmpfloat (wait_for (stream_landed, &vlc, 5), >=, 0);
  run_for (500); /* any re-routing the graph change sets off */
  const char *const want_calls[] = { "VLC", NULL };
  g_assert_true (g_strv_equal (busker_source_get_apps (busker_strip_get_source (calls)), want_calls));
  g_assert_true (linked_only_to (spotify.node_id, "busker.music"));
  g_print ("# Calls remembers \"VLC\"; Spotify stays on Music\n");

  /* WirePlumber's restore-stream keeps no target of Busker's moves (it
   * writes its state a second after a change): with one kept, every later
   * stream of that app or media.role landed on the track, in any project. */
  run_for (2000);
  g_autofree char *state_path = g_build_filename (g_getenv ("XDG_STATE_HOME"), "wireplumber",
                                                  "restore-stream", NULL);
  g_autofree char *state = NULL;
  if (g_file_get_contents (state_path, &state, NULL, NULL))
    {
      g_print ("# WirePlumber's restore-stream:\n%s", state);
      g_assert_null (strstr (state, "target=busker."));
    }

  busker_strip_set_name (music, "Tunes");
  g_assert_cmpfloat (wait_for (music_sink_says_tunes, NULL, 10), >=, 0);
  double back_s = wait_for (stream_landed, &spotify, 5);
  g_print ("# Music renamed Tunes: its sink made again, Spotify back on it after %.2f s\n", back_s);
  g_assert_cmpfloat (back_s, >=, 0);
  run_for (500);
  g_assert_true (linked_only_to (spotify.node_id, "busker.music"));
  g_assert_true (linked_only_to (vlc.node_id, "busker.calls"));

  stop_process (spotify_pid);
  stop_process (vlc_pid);
  g_assert_finalize_object (session);
  return 0;
}

/* ---- busker --headless on the desktop demo ---- */

static gboolean
demo_sinks_are (gboolean present)
{
  static const char *const sinks[][2] = {
    { "busker.music", "Busker: Music" },
    { "busker.browser", "Busker: Browser" },
    { "busker.calls", "Busker: Calls" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (sinks); i++)
    {
      g_autofree char *description = node_description (sinks[i][0]);
      if (present ? g_strcmp0 (description, sinks[i][1]) != 0 : description != NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean session_is_live (gpointer session);

static const char blocked_project[] =
  "{\"format\":1,\"strips\":[{\"id\":\"mine\",\"kind\":\"track\",\"source\":{\"type\":\"live\"}},"
  "{\"id\":\"master\",\"kind\":\"master\"}]}";

static int
test_headless_demo (const char *busker, const char *demo)
{
  g_autofree char *out = temp_path ("demo.wav");
  g_autofree char *tone_wav = temp_path ("tone1s.wav");
  write_wav (tone_wav, 2, RATE, tone_1k);
  char *argv[] = { (char *) busker, "--headless", (char *) demo, "--record", out, NULL };
  GPid pid;
  gint64 spawned = g_get_monotonic_time ();
  run_process (argv, &pid);
  gint64 start = g_get_monotonic_time ();
  while (!demo_sinks_are (TRUE) && g_get_monotonic_time () - start < 10 * G_USEC_PER_SEC)
    g_usleep (50000);
  double up_s = (g_get_monotonic_time () - start) / 1e6;
  gboolean up = demo_sinks_are (TRUE);
  g_print ("# the three sinks %s after %.2f s\n", up ? "appeared" : "did not appear", up_s);
  gint64 live_at = g_get_monotonic_time ();

  /* A second one: refused at once, the first one's sinks untouched. */
  char *second[] = { (char *) busker, "--headless", (char *) demo, NULL };
  g_autofree char *second_err = NULL;
  int second_status = -1;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, second, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                               &second_err, &second_status, &error));
  g_print ("# a second busker --headless: status %d, \"%s\"\n",
           WIFEXITED (second_status) ? WEXITSTATUS (second_status) : -1,
           g_strstrip (second_err));
  g_assert_true (WIFEXITED (second_status));
  g_assert_cmpint (WEXITSTATUS (second_status), ==, 1);
  g_assert_nonnull (strstr (second_err, "another Busker"));
  g_assert_true (demo_sinks_are (TRUE));
  g_autoptr (BuskerProject) project = load_temp_project ("blocked.busker", blocked_project);
  BuskerSession *blocked = busker_session_new ();
  busker_session_set_project (blocked, project);
  run_for (600); /* a retry or so */
  g_print ("# a session here: live %d, \"%s\"\n", busker_session_get_live (blocked),
           busker_session_get_live_blocker (blocked));
  g_assert_false (busker_session_get_live (blocked));
  g_assert_nonnull (busker_session_get_live_blocker (blocked));
  g_assert_true (demo_sinks_are (TRUE));

  /* A tone, a pause with nothing playing, the tone again. */
  char *play[] = { "pw-play", "--target", "busker.music", tone_wav, NULL };
  g_assert_cmpint (run_process (play, NULL), ==, 0);
  run_for (3000);
  g_assert_cmpint (run_process (play, NULL), ==, 0);
  run_for (500);

  /* SIGHUP: it ends by itself, exit 0, its sinks gone. */
  kill (pid, SIGHUP);
  gint64 hup_at = g_get_monotonic_time ();
  int status = -1;
  start = g_get_monotonic_time ();
  while (waitpid (pid, &status, WNOHANG) == 0)
    {
      if (g_get_monotonic_time () - start > 5 * G_USEC_PER_SEC)
        {
          stop_process (pid);
          g_error ("busker --headless did not end within 5 s of SIGTERM");
        }
      g_usleep (20000);
    }
  g_print ("# SIGHUP: exit status %d after %.2f s\n", WEXITSTATUS (status),
           (g_get_monotonic_time () - start) / 1e6);
  g_assert_true (up);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_true (demo_sinks_are (FALSE));
  double takeover_s = wait_for (session_is_live, blocked, 5);
  g_print ("# the session here went live %.2f s after the first Busker ended\n", takeover_s);
  g_assert_cmpfloat (takeover_s, >=, 0);
  g_assert_null (busker_session_get_live_blocker (blocked));
  g_assert_finalize_object (blocked);

  /* The recording ran from some time between the spawn and the sinks to
   * the signal, pauses included; the tones start 4 s apart (1 s of tone,
   * 3 s of nothing). */
  Audio a = { 0 };
  read_audio (out, &a);
  double length_s = (double) a.n / a.rate;
  gsize first = first_sound (&a, 1e-3f);
  gsize second_on = first + 2 * a.rate; /* past the first tone */
  while (second_on < a.n && fabsf (a.l[second_on]) <= 1e-3f)
    second_on++;
  double apart_s = (double) (second_on - first) / a.rate;
  g_print ("# the recording: %.2f s (it ran %.2f to %.2f s), the tones %.2f s apart\n",
           length_s, (hup_at - live_at) / 1e6, (hup_at - spawned) / 1e6, apart_s);
  g_assert_cmpfloat (length_s, >=, (hup_at - live_at) / 1e6 - 0.1);
  g_assert_cmpfloat (length_s, <=, (hup_at - spawned) / 1e6 + 0.1);
  /* 1 s of tone and 3 s of nothing, plus pw-play's own start and end. */
  g_assert_cmpfloat (apart_s, >=, 4.0);
  g_assert_cmpfloat (apart_s, <, 4.6);
  audio_clear (&a);
  return 0;
}

/* ---- the daemon restarted while playing ---- */

static gboolean
session_is_live (gpointer session)
{
  return busker_session_get_live (session);
}

static gboolean
session_is_off (gpointer session)
{
  return !busker_session_get_live (session);
}

static gboolean
music_sink_back (gpointer data)
{
  g_autofree char *description = node_description ("busker.music");
  return g_strcmp0 (description, "Busker: Music") == 0;
}

static const char restart_project[] =
  "{\"format\":1,\"strips\":["
  "{\"id\":\"music\",\"kind\":\"track\",\"name\":\"Music\",\"source\":{\"type\":\"live\"}},"
  "{\"id\":\"tone\",\"kind\":\"track\",\"source\":{\"type\":\"file\",\"path\":\"tone.wav\"}},"
  "{\"id\":\"master\",\"kind\":\"master\"}]}";

static int
test_restart (const char *harness)
{
  g_autofree char *tone_wav = temp_path ("tone.wav");
  write_wav (tone_wav, 1, 20 * RATE, tone_1k);
  g_autoptr (BuskerProject) project = load_temp_project ("restart.busker", restart_project);
  BuskerSession *session = live_session (project);
  BuskerStrip *tone = busker_project_find_strip (project, "tone");
  BuskerStripMeter sm;
  busker_session_play (session);
  run_for (500);
  g_assert_true (wait_for (music_sink_back, NULL, 5) >= 0);

  char *kill_argv[] = { (char *) harness, "--kill", NULL };
  g_assert_cmpint (run_process (kill_argv, NULL), ==, 0);
  double off_s = wait_for (session_is_off, session, 5);
  g_print ("# daemon killed: live off after %.2f s\n", off_s);
  g_assert_cmpfloat (off_s, >=, 0);
  guint rebuilds = busker_session_get_n_rebuilds (session);

  char *start_argv[] = { (char *) harness, "--start", NULL };
  gint64 started = g_get_monotonic_time ();
  g_assert_cmpint (run_process (start_argv, NULL), ==, 0);
  double start_s = (g_get_monotonic_time () - started) / 1e6;
  double live_s = wait_for (session_is_live, session, 10);
  double sink_s = wait_for (music_sink_back, NULL, 5);
  g_print ("# daemon back after %.2f s: live again %.2f s later, \"Busker: Music\" back "
           "%.2f s after that; %u new plans\n", start_s, live_s, sink_s,
           busker_session_get_n_rebuilds (session) - rebuilds);
  g_assert_cmpfloat (live_s, >=, 0);
  g_assert_cmpfloat (live_s, <=, 2.0);
  g_assert_cmpfloat (sink_s, >=, 0);
  g_assert_cmpuint (busker_session_get_n_rebuilds (session), >, rebuilds);

  /* The file track plays on through the new connection, at its level
   * (mono, centred: −3 dB each side), and the master reaches the device. */
  run_for (500);
  busker_session_read_strip_meter (session, tone, &sm);
  run_for (300);
  g_assert_true (busker_session_read_strip_meter (session, tone, &sm));
  g_print ("# after the restart: tone strip peak %.2f/%.2f dBFS, master links passive: %d\n",
           sm.peak_db[0], sm.peak_db[1], links_passive ("Busker", g_getenv ("BUSKER_TEST_SINK")));
  double want = 20 * log10 (0.25) - 3.01;
  g_assert_cmpfloat (fabs (sm.peak_db[0] - want), <, 0.1);
  g_assert_cmpfloat (fabs (sm.peak_db[1] - want), <, 0.1);
  g_assert_true (busker_session_get_playing (session));
  g_assert_cmpint (links_passive ("Busker", g_getenv ("BUSKER_TEST_SINK")), ==, 0);
  g_assert_finalize_object (session);
  return 0;
}

/* ---- capture tracks that cannot be heard ---- */

typedef struct {
  BuskerSession *session;
  BuskerProject *project;
  const char *id;
  const char *want; /* a word of the problem, or NULL for none */
  guint signals;
} ProblemCheck;

static gboolean
problem_is (gpointer data)
{
  ProblemCheck *c = data;
  BuskerStrip *strip = busker_project_find_strip (c->project, c->id);
  g_autofree char *problem = busker_session_dup_track_problem (c->session, strip);
  return c->want == NULL ? problem == NULL : problem != NULL && strstr (problem, c->want) != NULL;
}

static gboolean
had_problems_signal (gpointer data)
{
  return ((ProblemCheck *) data)->signals > 0;
}

static void
on_problems_changed (BuskerSession *session, gpointer data)
{
  ((ProblemCheck *) data)->signals++;
}

static int
test_capture_problems (void)
{
  const char *device = g_getenv ("BUSKER_TEST_SINK");
  g_autofree char *json = g_strdup_printf (
      "{\"format\":1,\"strips\":["
      "{\"id\":\"mic\",\"name\":\"Mic\",\"kind\":\"track\","
      "\"source\":{\"type\":\"capture\",\"node\":\"late.mic\"}},"
      "{\"id\":\"loop\",\"name\":\"Loop\",\"kind\":\"track\","
      "\"source\":{\"type\":\"capture\",\"node\":\"%s\"}},"
      "{\"id\":\"loopmon\",\"name\":\"Loop monitor\",\"kind\":\"track\","
      "\"source\":{\"type\":\"capture\",\"node\":\"%s.monitor\"}},"
      "{\"id\":\"own\",\"name\":\"Own\",\"kind\":\"track\","
      "\"source\":{\"type\":\"capture\",\"node\":\"busker.music\"}},"
      "{\"id\":\"music\",\"name\":\"Music\",\"kind\":\"track\",\"source\":{\"type\":\"live\"}},"
      "{\"id\":\"master\",\"kind\":\"master\"}]}",
      device, device);
  g_autoptr (BuskerProject) project = load_temp_project ("capture.busker", json);
  /* The handler before the project: the first problems come with it. */
  BuskerSession *session = busker_session_new ();
  ProblemCheck c = { session, project };
  g_signal_connect (session, "track-problems-changed", G_CALLBACK (on_problems_changed), &c);
  busker_session_set_project (session, project);
  g_assert_cmpfloat (wait_for (session_is_live, session, 5), >=, 0);
  static const struct { const char *id, *want; } expected[] = {
    { "mic", "no device" }, { "loop", "feed the mix back" },
    { "loopmon", "feed the mix back" }, /* pactl's name for the same monitor */
    { "own", "Busker's own" },
    { "music", NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      c.id = expected[i].id;
      c.want = expected[i].want;
      double s = wait_for (problem_is, &c, 5);
      g_autofree char *problem = busker_session_dup_track_problem (
          session, busker_project_find_strip (project, c.id));
      g_print ("# %s: %s (after %.2f s)\n", c.id, problem ? problem : "heard", s);
      g_assert_cmpfloat (s, >=, 0);
    }
  /* The problems can be read before the main loop has had the node's
   * notice that they changed: wait for the signal, do not expect it. */
  g_assert_cmpfloat (wait_for (had_problems_signal, &c, 5), >=, 0);
  run_for (300);
  guint from_device = links_between (device, "Busker", NULL);
  guint from_music = links_between ("busker.music", "Busker", NULL);
  g_print ("# links into Busker: %u from %s, %u from busker.music (the live track's pair)\n",
           from_device, device, from_music);
  g_assert_cmpuint (from_device, ==, 0);
  g_assert_cmpuint (from_music, ==, 2);

  /* The device appears: its track is heard. */
  char *make[] = { "pw-cli", "create-node", "adapter",
                   "{ factory.name=support.null-audio-sink node.name=late.mic "
                   "media.class=Audio/Source/Virtual audio.position=[ FL FR ] "
                   "object.linger=true }", NULL };
  g_assert_cmpint (run_process (make, NULL), ==, 0);
  c.id = "mic";
  c.want = NULL;
  double heard_s = wait_for (problem_is, &c, 5);
  run_for (300);
  guint from_mic = links_between ("late.mic", "Busker", NULL);
  g_print ("# late.mic made: Mic heard after %.2f s, %u links into Busker\n", heard_s, from_mic);
  g_assert_cmpfloat (heard_s, >=, 0);
  g_assert_cmpuint (from_mic, ==, 2);
  g_assert_finalize_object (session);
  return 0;
}

/* ---- the graph switches rate while playing and recording ---- */

static gboolean
plan_at_44k (gpointer session)
{
  BuskerPlan *plan = busker_session_get_plan (session);
  return plan != NULL && plan->sample_rate == 44100;
}

static int
test_rate (void)
{
  g_autofree char *tone_wav = temp_path ("tone.wav");
  g_autofree char *rec48 = temp_path ("at48.wav");
  g_autofree char *rec44 = temp_path ("at44.wav");
  write_wav (tone_wav, 1, 20 * RATE, tone_1k);
  g_autoptr (BuskerProject) project = load_temp_project ("rate.busker", restart_project);
  BuskerSession *session = live_session (project);
  g_autoptr (GError) error = NULL;
  g_assert_true (busker_session_start_recording (session, rec48, &error));
  busker_session_play (session);
  run_for (1500);

  char *force[] = { "pw-metadata", "-n", "settings", "0", "clock.force-rate", "44100", NULL };
  g_assert_cmpint (run_process (force, NULL), ==, 0);
  double switched_s = wait_for (plan_at_44k, session, 5);
  g_print ("# clock.force-rate 44100: the session ran a 44.1 kHz plan after %.2f s\n", switched_s);
  g_assert_cmpfloat (switched_s, >=, 0);

  /* A new recording finishes the first, which went on through the
   * switch; the new one is at 44.1 kHz. */
  run_for (1000);
  g_assert_true (busker_session_start_recording (session, rec44, &error));
  g_assert_no_error (error);
  run_for (1500);
  g_assert_true (busker_session_stop_recording (session, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (session);

  /* Both files hold the tone at its pitch and level: the transport
   * resampled the 48 kHz file for the 44.1 kHz graph. */
  double want = 20 * log10 (0.25) - 3.01;
  Audio a = { 0 }, b = { 0 };
  read_audio (rec48, &a);
  read_audio (rec44, &b);
  g_assert_cmpint (a.rate, ==, 48000);
  g_assert_cmpint (b.rate, ==, 44100);
  gsize on_a = first_sound (&a, 1e-3f) + a.rate / 10, on_b = b.rate / 4;
  gsize after_a = a.n - a.rate / 10 - a.rate / 2; /* the end: after the switch */
  g_assert_cmpuint (on_a + a.rate / 2, <=, after_a);
  g_assert_cmpuint (on_b + b.rate / 2, <=, b.n);
  double at48 = tone_db_at (a.l + on_a, a.rate / 2, 1000, a.rate);
  double at44 = tone_db_at (b.l + on_b, b.rate / 2, 1000, b.rate);
  double off44 = tone_db_at (b.l + on_b, b.rate / 2, 1000.0 * 48000 / 44100, b.rate);
  double at48_after = tone_db_at (a.l + after_a, a.rate / 2, 1000, a.rate);
  double off48_after = tone_db_at (a.l + after_a, a.rate / 2, 1000.0 * 44100 / 48000, a.rate);
  g_print ("# the 48 kHz recording after the switch (converted): 1 kHz at %.2f dB, 919 Hz "
           "(44.1 kHz cycles written unconverted) at %.2f dB\n", at48_after, off48_after);
  g_assert_cmpfloat (fabs (at48_after - want), <, 0.2);
  g_assert_cmpfloat (off48_after, <, want - 40);
  g_print ("# before the switch (48 kHz file): 1 kHz at %.2f dB; after (44.1 kHz file): 1 kHz "
           "at %.2f dB, 1088 Hz (a 48 kHz file played unconverted) at %.2f dB\n",
           at48, at44, off44);
  g_assert_cmpfloat (fabs (at48 - want), <, 0.2);
  g_assert_cmpfloat (fabs (at44 - want), <, 0.2);
  g_assert_cmpfloat (off44, <, want - 40);
  audio_clear (&a);
  audio_clear (&b);
  return 0;
}

/* ---- busker --headless --play --loop --record ---- */

static double
short_tone (int ch, gsize i)
{
  /* Half a second of 1 kHz, then half a second of silence. */
  return i < RATE / 2 ? 0.25 * sin (2 * G_PI * 1000.0 * i / RATE) : 0;
}

static int
test_headless_loop (const char *busker)
{
  g_autofree char *tone_wav = temp_path ("short.wav");
  g_autofree char *project = temp_path ("loop.busker");
  g_autofree char *out = temp_path ("loop.wav");
  write_wav (tone_wav, 1, RATE, short_tone);
  write_text (project, "{\"format\":1,\"strips\":["
                       "{\"id\":\"t\",\"kind\":\"track\",\"source\":{\"type\":\"file\","
                       "\"path\":\"short.wav\",\"offset_s\":0.02}},"
                       "{\"id\":\"master\",\"kind\":\"master\"}]}");
  char *argv[] = { (char *) busker, "--headless", project, "--play", "--loop", "--record", out, NULL };
  GPid pid;
  run_process (argv, &pid);
  g_usleep (3500000);
  int status = -1;
  gboolean still_running = waitpid (pid, &status, WNOHANG) == 0;
  kill (pid, SIGINT);
  gint64 start = g_get_monotonic_time ();
  while (still_running && waitpid (pid, &status, WNOHANG) == 0)
    {
      if (g_get_monotonic_time () - start > 5 * G_USEC_PER_SEC)
        {
          stop_process (pid);
          g_error ("busker --headless did not end within 5 s of SIGINT");
        }
      g_usleep (20000);
    }
  g_assert_true (still_running);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);

  /* The project (1.02 s: the file after its offset) came round at least
   * twice more: every round of the recording from the first sound holds
   * the tone, then silence. */
  Audio a = { 0 };
  read_audio (out, &a);
  gsize on = first_sound (&a, 1e-3f), length = RATE + RATE / 50;
  guint rounds = 0;
  for (gsize at = on; at + length <= a.n; at += length, rounds++)
    {
      double tone = tone_db (a.l + at + RATE / 10, RATE / 4, 1000);
      double quiet = tone_db (a.l + at + RATE / 2 + RATE / 10, RATE / 4, 1000);
      g_print ("# round %u: tone %.2f dB, gap %.1f dB\n", rounds, tone, quiet);
      g_assert_cmpfloat (fabs (tone - (20 * log10 (0.25) - 3.01)), <, 0.2);
      g_assert_cmpfloat (quiet, <, -100);
    }
  g_print ("# --loop: %u whole rounds recorded in %.2f s; SIGINT ended it with status 0\n",
           rounds, (double) a.n / RATE);
  g_assert_cmpuint (rounds, >=, 2);
  audio_clear (&a);
  return 0;
}

/* ---- a file deleted while playing ---- */

static const char missing_project[] =
  "{\"format\":1,\"sample_rate\":48000,\"strips\":["
  "{\"id\":\"low\",\"kind\":\"track\",\"source\":{\"type\":\"file\",\"path\":\"low.wav\"}},"
  "{\"id\":\"high\",\"kind\":\"track\",\"source\":{\"type\":\"file\",\"path\":\"high.wav\"}},"
  "{\"id\":\"master\",\"kind\":\"master\"}]}";

static int
test_missing (void)
{
  g_autofree char *low_wav = temp_path ("low.wav");
  g_autofree char *high_wav = temp_path ("high.wav");
  g_autofree char *rec = temp_path ("missing.wav");
  write_wav (low_wav, 1, 20 * RATE, tone_440);
  write_wav (high_wav, 1, 20 * RATE, tone_1k);
  g_autoptr (BuskerProject) project = load_temp_project ("missing.busker", missing_project);
  BuskerSession *session = live_session (project);
  BuskerStrip *low = busker_project_find_strip (project, "low");
  BuskerStrip *high = busker_project_find_strip (project, "high");
  g_autoptr (GError) error = NULL;
  g_assert_true (busker_session_start_recording (session, rec, &error));
  busker_session_play (session);
  run_for (1500);
  g_assert_false (busker_session_strip_is_missing (session, high));

  g_assert_cmpint (g_unlink (high_wav), ==, 0);
  gint64 deleted = g_get_monotonic_time ();
  while (!busker_session_strip_is_missing (session, high)
         && g_get_monotonic_time () - deleted < 10 * G_USEC_PER_SEC)
    run_for (50);
  double noticed_s = (g_get_monotonic_time () - deleted) / 1e6;
  g_print ("# the deleted file was marked missing after %.2f s\n", noticed_s);
  g_assert_true (busker_session_strip_is_missing (session, high));
  g_assert_false (busker_session_strip_is_missing (session, low));
  run_for (2000);
  g_assert_true (busker_session_get_playing (session));
  g_assert_true (busker_session_stop_recording (session, &error));
  g_assert_no_error (error);

  /* Playing, the master's links are active, so the graph runs for the
   * files; stopped, once the tail is quiet, they are passive again and
   * the graph may go idle. */
  const char *sink = g_getenv ("BUSKER_TEST_SINK");
  int passive_playing = links_passive ("Busker", sink);
  busker_session_stop (session);
  gint64 stopped = g_get_monotonic_time ();
  while (links_passive ("Busker", sink) != 1 && g_get_monotonic_time () - stopped < 5 * G_USEC_PER_SEC)
    run_for (50);
  double idle_s = (g_get_monotonic_time () - stopped) / 1e6;
  int passive_stopped = links_passive ("Busker", sink);
  g_print ("# master links passive while playing: %d; after stop: %d (%.2f s)\n",
           passive_playing, passive_stopped, idle_s);
  g_assert_cmpint (passive_playing, ==, 0);
  g_assert_cmpint (passive_stopped, ==, 1);
  g_assert_finalize_object (session);

  Audio a = { 0 };
  read_audio (rec, &a);
  /* Before: both tones (mono sources, centre pan: −3 dB each side). After:
   * the last second holds the 440 Hz tone alone. */
  gsize on = first_sound (&a, 1e-3f) + RATE / 2;
  gsize last = a.n - RATE - RATE / 4;
  double before_440 = tone_db (a.l + on, RATE / 2, 440), before_1k = tone_db (a.l + on, RATE / 2, 1000);
  double after_440 = tone_db (a.l + last, RATE, 440), after_1k = tone_db (a.l + last, RATE, 1000);
  g_print ("# before: 440 Hz %.2f dB, 1 kHz %.2f dB; after: 440 Hz %.2f dB, 1 kHz %.2f dB\n",
           before_440, before_1k, after_440, after_1k);
  double want = 20 * log10 (0.25) - 3.01;
  g_assert_cmpfloat (fabs (before_440 - want), <, 0.2);
  g_assert_cmpfloat (fabs (before_1k - want), <, 0.2);
  g_assert_cmpfloat (fabs (after_440 - want), <, 0.2);
  g_assert_cmpfloat (after_1k, <, -80);
  audio_clear (&a);
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc < 2)
    {
      g_printerr ("usage: %s live-export BUSKER BUSKER_EXPORT | edits | missing | streams"
                  " | apps | rate | capture-problems | restart PW_HARNESS | headless-loop BUSKER | headless-demo BUSKER DEMO | compare EXPORT CAPTURE\n",
                  argv[0]);
      return 2;
    }
  tmpdir = g_dir_make_tmp ("busker-session-live-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);
  int status;
  if (g_str_equal (argv[1], "live-export") && argc == 4)
    status = test_live_export (argv[2], argv[3]);
  else if (g_str_equal (argv[1], "edits"))
    status = test_edits ();
  else if (g_str_equal (argv[1], "missing"))
    status = test_missing ();
  else if (g_str_equal (argv[1], "streams"))
    status = test_streams ();
  else if (g_str_equal (argv[1], "apps"))
    status = test_apps ();
  else if (g_str_equal (argv[1], "compare") && argc == 4)
    {
      /* Diagnosis: a kept export against a kept capture, as above. */
      Audio ref = { 0 };
      read_audio (argv[2], &ref);
      check_against_export (argv[3], &ref, argv[3], TRUE);
      audio_clear (&ref);
      status = 0;
    }
  else if (g_str_equal (argv[1], "rate"))
    status = test_rate ();
  else if (g_str_equal (argv[1], "capture-problems"))
    status = test_capture_problems ();
  else if (g_str_equal (argv[1], "restart") && argc == 3)
    status = test_restart (argv[2]);
  else if (g_str_equal (argv[1], "headless-loop") && argc == 3)
    status = test_headless_loop (argv[2]);
  else if (g_str_equal (argv[1], "headless-demo") && argc == 4)
    status = test_headless_demo (argv[2], argv[3]);
  else
    {
      g_printerr ("unknown mode %s\n", argv[1]);
      status = 2;
    }
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", tmpdir);
  if (g_getenv ("BUSKER_TEST_KEEP") != NULL)
    g_print ("# kept %s\n", tmpdir);
  else if (system (rm) != 0)
    g_printerr ("could not remove %s\n", tmpdir);
  g_free (tmpdir);
  return status;
}
