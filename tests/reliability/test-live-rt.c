/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The real-time trap on the live node's data thread, on a real PipeWire
 * graph (run inside tests/pipewire/pw-harness --wireplumber). The node's
 * hooks bracket each cycle's plan run: before_run enters the trap (and
 * fills the two file tracks with noise, as the transport would), the
 * rest of the input copy, busker_process_run and after_run follow, and
 * after_run leaves it, counting what was trapped. Meanwhile the main
 * thread moves faders, pans, sends and knobs every 20 ms and publishes a
 * rebuilt plan (an insert added or removed) every 250 ms.
 *
 * The graph only runs Busker while something plays into it: pw-play plays
 * 30 s of noise into the live track "l1" (stopped at the end, pass or
 * fail).
 *
 * Passes when at least 1500 cycles (quantum 256) ran the plan, at least 10 plans were
 * swapped in, and not one trapped call (allocation, lock, blocking call,
 * log) happened inside the bracket. Prints the figures.
 */
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <sndfile.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "engine/busker-live.h"
#include "engine/busker-process.h"
#include "rt-trap.h"

enum { FILE1, FILE2, LIVE1, LIVE2, BUS, AUX, MASTER, N_STRIPS };

typedef struct {
  GMainLoop *loop;
  BuskerPlanSwap *swap;
  BuskerLive *live;
  BuskerMixDesc *desc;
  BuskerPlan *plan; /* the last published: the main side's handle */
  uint32_t rate;
  guint published, moves;
  GPid player;
  char *noise; /* the file pw-play plays */
  gboolean variant;
  /* Written by the data thread. */
  atomic_uint cycles, trapped;
  _Atomic (const char *) first;
  uint64_t frame; /* data thread only */
} Host;

static BuskerMixDesc *
make_desc (gboolean variant, uint32_t rate)
{
  static const char *const ids[] = { "f1", "f2", "l1", "l2", "bus", "aux", "master" };
  BuskerMixDesc *d = busker_mix_desc_new (N_STRIPS, rate);
  for (int i = 0; i < N_STRIPS; i++)
    {
      d->strips[i].id = g_strdup (ids[i]);
      d->strips[i].name = g_strdup (ids[i]);
      d->strips[i].output = i < BUS ? BUS : MASTER;
      d->strips[i].gain_db = -6;
    }
  d->strips[FILE1].source = d->strips[FILE2].source = BUSKER_SOURCE_FILE;
  d->strips[FILE1].source_path = g_strdup ("/nonexistent/f1.wav");
  d->strips[FILE2].source_path = g_strdup ("/nonexistent/f2.wav");
  d->strips[LIVE1].source = d->strips[LIVE2].source = BUSKER_SOURCE_LIVE;
  d->strips[BUS].kind = BUSKER_STRIP_SUBGROUP;
  d->strips[AUX].kind = BUSKER_STRIP_AUX;
  d->strips[MASTER].kind = BUSKER_STRIP_MASTER;
  d->strips[MASTER].output = -1;
  busker_strip_desc_alloc_sends (&d->strips[FILE1], 1);
  d->strips[FILE1].sends[0] = (BuskerSendDesc) { .to = AUX, .level_db = -12, .pre_fader = true };
  busker_strip_desc_alloc_sends (&d->strips[FILE2], 1);
  d->strips[FILE2].sends[0] = (BuskerSendDesc) { .to = AUX, .level_db = -12 };

  static const char *const bus_chain[] = { "eq", "compressor", "saturation", "limiter" };
  busker_strip_desc_alloc_inserts (&d->strips[BUS], variant ? 4 : 3);
  for (uint32_t k = 0; k < d->strips[BUS].n_inserts; k++)
    busker_insert_desc_init (&d->strips[BUS].inserts[k],
                             busker_effect_class_lookup (bus_chain[variant ? k : (k == 2 ? 3 : k)]));
  busker_strip_desc_alloc_inserts (&d->strips[AUX], 1);
  busker_insert_desc_init (&d->strips[AUX].inserts[0], busker_effect_class_lookup ("reverb"));
  return d;
}

static void
before_run (void *data, BuskerPlan *plan, uint32_t n, uint32_t rate_hz,
            uint64_t time_ns)
{
  Host *h = data;
  rt_trap_enter ();
  for (uint32_t s = FILE1; s <= FILE2; s++)
    for (uint32_t c = 0; c < 2; c++)
      {
        float *in = busker_process_track_input (plan, s, c);
        for (uint32_t i = 0; i < n; i++)
          {
            uint64_t x = (h->frame + i + 1) * 0x9E3779B97F4A7C15ull ^ (s * 2 + c);
            x ^= x >> 31;
            in[i] = 0.25f * ((float) ((x >> 40) & 0xFFFF) / 65536.0f - 0.5f);
          }
      }
  h->frame += n;
}

static void
after_run (void *data, BuskerPlan *plan, uint32_t n, uint32_t rate_hz,
           uint64_t time_ns)
{
  Host *h = data;
  const char *first = NULL;
  unsigned hits = rt_trap_leave_quiet (&first);
  if (hits > 0)
    {
      const char *none = NULL;
      atomic_compare_exchange_strong (&h->first, &none, first);
      atomic_fetch_add (&h->trapped, hits);
    }
  atomic_fetch_add (&h->cycles, 1);
}

static void
publish (Host *h)
{
  GError *error = NULL;
  busker_mix_desc_free (h->desc);
  h->desc = make_desc (h->variant, h->rate);
  BuskerPlan *plan = busker_plan_new (h->desc, busker_live_get_max_block (h->live), &error);
  g_assert_no_error (error);
  busker_live_set_latency (h->live, busker_plan_get_latency (plan));
  busker_plan_swap_publish (h->swap, plan);
  busker_live_set_tracks (h->live, h->desc);
  h->plan = plan;
  h->published++;
}

static void
on_state (void *data, BuskerLiveState state)
{
  Host *h = data;
  g_printerr ("live-rt: %s\n", state == BUSKER_LIVE_CONNECTED ? "connected" : "disconnected");
  if (state == BUSKER_LIVE_CONNECTED && h->plan == NULL)
    {
      h->rate = busker_live_get_rate (h->live) ? busker_live_get_rate (h->live) : 48000;
      publish (h);
    }
}

static void
on_format (void *data, uint32_t rate, uint32_t quantum)
{
  Host *h = data;
  g_printerr ("live-rt: format %u Hz, quantum %u\n", rate, quantum);
  if (rate != h->rate)
    {
      h->rate = rate;
      publish (h);
    }
}

static char *
write_noise (void)
{
  const int frames = 48000 * 30;
  g_autofree float *x = g_new (float, 2 * (size_t) frames);
  SF_INFO info = { .samplerate = 48000, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
  char *path = g_build_filename (g_get_tmp_dir (), "busker-live-rt-noise.wav", NULL);
  for (int i = 0; i < 2 * frames; i++)
    x[i] = 0.2f * (float) g_random_double_range (-1, 1);
  SNDFILE *f = sf_open (path, SFM_WRITE, &info);
  g_assert_nonnull (f);
  sf_writef_float (f, x, frames);
  sf_close (f);
  return path;
}

/* Once the track sinks exist: something to play, so the graph runs. */
static gboolean
on_start_player (gpointer data)
{
  Host *h = data;
  g_autoptr (GError) error = NULL;
  const char *argv[] = { "pw-play", "--target", "busker.l1", h->noise, NULL };
  if (h->plan == NULL)
    return G_SOURCE_CONTINUE;
  if (!g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                      NULL, NULL, &h->player, &error))
    {
      g_printerr ("live-rt: cannot start pw-play: %s\n", error->message);
      g_main_loop_quit (h->loop);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
on_move (gpointer data)
{
  Host *h = data;
  if (h->plan == NULL)
    return G_SOURCE_CONTINUE;
  float t = (float) h->moves++;
  busker_plan_set_strip_gain_db (h->plan, FILE1, -6.0f - 6.0f * sinf (t * 0.1f));
  busker_plan_set_strip_pan (h->plan, FILE2, sinf (t * 0.07f));
  busker_plan_set_send_level_db (h->plan, FILE1, 0, -12.0f + 6.0f * sinf (t * 0.05f));
  busker_plan_set_insert_param (h->plan, BUS, 0, 2, 6.0f * sinf (t * 0.03f));
  busker_plan_set_strip_mute (h->plan, LIVE1, h->moves % 50 < 25);
  busker_plan_swap_collect (h->swap);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_rebuild (gpointer data)
{
  Host *h = data;
  if (h->plan != NULL)
    {
      h->variant = !h->variant;
      publish (h);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_check (gpointer data)
{
  Host *h = data;
  if (atomic_load (&h->cycles) >= 1500 && h->published >= 10)
    g_main_loop_quit (h->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_timeout (gpointer data)
{
  Host *h = data;
  g_printerr ("live-rt: timed out\n");
  g_main_loop_quit (h->loop);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  Host h = { .loop = g_main_loop_new (NULL, FALSE), .swap = busker_plan_swap_new () };
  BuskerLiveHooks hooks = { before_run, after_run, &h };
  BuskerLiveCallbacks callbacks = { .state_changed = on_state, .format_changed = on_format, .data = &h };

  /* Small cycles: many of them in a few seconds. */
  const char *force[] = { "pw-metadata", "-n", "settings", "0", "clock.force-quantum", "256", NULL };
  if (!g_spawn_sync (NULL, (char **) force, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, NULL, NULL))
    g_printerr ("live-rt: could not force quantum 256\n");
  h.noise = write_noise ();
  h.live = busker_live_new (h.swap, &hooks, &callbacks, 0);
  if (busker_live_get_state (h.live) == BUSKER_LIVE_CONNECTED)
    on_state (&h, BUSKER_LIVE_CONNECTED);
  g_timeout_add (500, on_start_player, &h);
  g_timeout_add (20, on_move, &h);
  g_timeout_add (250, on_rebuild, &h);
  g_timeout_add (100, on_check, &h);
  g_timeout_add_seconds (60, on_timeout, &h);
  g_main_loop_run (h.loop);

  if (h.player != 0)
    {
      kill (h.player, SIGTERM);
      waitpid (h.player, NULL, 0);
      g_spawn_close_pid (h.player);
    }
  g_unlink (h.noise);
  g_free (h.noise);
  unsigned cycles = atomic_load (&h.cycles), trapped = atomic_load (&h.trapped);
  const char *first = atomic_load (&h.first);
  busker_live_free (h.live);
  busker_plan_swap_free (h.swap);
  busker_mix_desc_free (h.desc);
  g_main_loop_unref (h.loop);

  printf ("live-rt: %u cycles with the trap set, %u plans published, %u parameter moves, "
          "%u trapped calls%s%s\n", cycles, h.published, h.moves, trapped,
          first ? ", first " : "", first ? first : "");
  if (trapped > 0 || cycles < 1500 || h.published < 10)
    return 1;
  return 0;
}
