/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A small live mixer for the pipewire tests: the real BuskerLive from
 * libbusker on a GMainLoop, with a mix built by hand:
 *
 *   live tracks -> subgroup "bus" (optionally an EQ, +12 dB peak at 1 kHz,
 *   Q 1; optionally EQ + compressor + limiter) -> master
 *
 * Options:
 *   --tracks N       live tracks t1..tN (default: one, "music", "Music")
 *   --gain DB        every track's fader (default -6)
 *   --eq             the bus gets the EQ
 *   --chain          the bus gets EasyEffects' benchmark chain instead: five
 *                    EQ bands, compressor, limiter (tests/bench/bench-chain-desc.c); the limiter
 *                    detects sample peaks, as the EasyEffects preset's
 *                    ("oversampling: None")
 *   --true-peak      with --chain: the limiter detects true peaks instead
 *                    (Busker's default)
 *   --app TRACK=APP  remember APP on TRACK (busker_live_set_track_apps)
 *   --capture NAME   one more track "mic", a capture of node NAME
 *   --separate       publish plans with busker_plan_swap_publish and then
 *                    busker_live_set_tracks (default: busker_live_publish)
 *
 * It prints one line per event on stdout (flushed), for the driver script:
 *   state connected|disconnected, streams N, format RATE QUANTUM,
 *   latency FRAMES (of each plan published),
 *   stream ID KEY TRACK (after "streams"), xruns N, freed
 * and reads commands on stdin: "streams", "xruns", "move ID TRACK|-",
 * "stats" (cycles run and ns spent in process(): "stats cycles N busy_ns N"),
 * "edit" (a structural edit: an aux strip added in front of every other
 * strip, or removed again; a new plan published; answers "edited"),
 * "free" (busker_live_free, the process stays), "quit".
 */
#include <glib-unix.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsp/params.h"
#include "engine/busker-live-private.h" /* stats: the data thread's counters */
#include "engine/busker-live.h"
#include "engine/busker-plan.h"
#include "../bench/bench-chain-desc.h"

typedef struct {
  int n_tracks;
  float gain_db;
  gboolean eq, chain, true_peak, separate, extra;
  char *capture;
  GMainLoop *loop;
  BuskerPlanSwap *swap;
  BuskerLive *live;
  BuskerMixDesc *desc;
  GPtrArray *apps; /* "TRACK=APP" */
} Host;

static BuskerMixDesc *
make_desc (int n_tracks, float gain_db, bool eq, bool chain, bool true_peak, const char *capture,
           bool extra)
{
  /* extra: an aux strip in front of everything, so every strip index
   * moves (the structural edit of the "edit" command). */
  uint32_t o = extra ? 1 : 0;
  uint32_t n = (uint32_t) n_tracks + 2 + (capture ? 1 : 0) + o;
  BuskerMixDesc *d = busker_mix_desc_new (n, 48000);
  uint32_t bus = n - 2, master = n - 1;

  if (extra)
    {
      d->strips[0].id = g_strdup ("extra");
      d->strips[0].name = g_strdup ("Extra");
      d->strips[0].kind = BUSKER_STRIP_AUX;
      d->strips[0].output = (int32_t) master;
    }
  for (int i = 0; i < n_tracks; i++)
    {
      BuskerStripDesc *s = &d->strips[o + i];
      if (n_tracks == 1)
        {
          s->id = g_strdup ("music");
          s->name = g_strdup ("Music");
        }
      else
        {
          s->id = g_strdup_printf ("t%d", i + 1);
          s->name = g_strdup_printf ("Track %d", i + 1);
        }
      s->kind = BUSKER_STRIP_TRACK;
      s->source = BUSKER_SOURCE_LIVE;
      s->gain_db = gain_db;
      s->output = (int32_t) bus;
    }
  if (capture != NULL)
    {
      BuskerStripDesc *s = &d->strips[o + n_tracks];
      s->id = g_strdup ("mic");
      s->name = g_strdup ("Mic");
      s->kind = BUSKER_STRIP_TRACK;
      s->source = BUSKER_SOURCE_CAPTURE;
      s->source_node = g_strdup (capture);
      s->gain_db = 0;
      s->output = (int32_t) bus;
    }
  BuskerStripDesc *b = &d->strips[bus];
  b->id = g_strdup ("bus");
  b->name = g_strdup ("Bus");
  b->kind = BUSKER_STRIP_SUBGROUP;
  b->output = (int32_t) master;
  if (chain)
    bench_chain_set_inserts (b, true_peak);
  else if (eq)
    {
      busker_strip_desc_alloc_inserts (b, 1);
      busker_insert_desc_init (&b->inserts[0], busker_effect_class_lookup ("eq"));
      b->inserts[0].values[BUSKER_EQ_PARAM (0, BUSKER_EQ_BAND_TYPE)] = BUSKER_EQ_PEAK;
      b->inserts[0].values[BUSKER_EQ_PARAM (0, BUSKER_EQ_BAND_FREQ_HZ)] = 1000;
      b->inserts[0].values[BUSKER_EQ_PARAM (0, BUSKER_EQ_BAND_GAIN_DB)] = 12;
      b->inserts[0].values[BUSKER_EQ_PARAM (0, BUSKER_EQ_BAND_Q)] = 1;
      b->inserts[0].values[BUSKER_EQ_PARAM (0, BUSKER_EQ_BAND_ENABLED)] = 1;
    }
  BuskerStripDesc *m = &d->strips[master];
  m->id = g_strdup ("master");
  m->name = g_strdup ("Master");
  m->kind = BUSKER_STRIP_MASTER;
  m->output = -1;
  return d;
}

static void
publish (Host *h, uint32_t rate)
{
  GError *error = NULL;

  h->desc->sample_rate = rate;
  BuskerPlan *plan = busker_plan_new (h->desc, busker_live_get_max_block (h->live), &error);
  if (plan == NULL)
    {
      fprintf (stderr, "live-host: %s\n", error->message);
      exit (1);
    }
  busker_plan_share_buffers (plan); /* as the session does */
  busker_live_set_latency (h->live, busker_plan_get_latency (plan));
  printf ("latency %u\n", busker_plan_get_latency (plan));
  fflush (stdout);
  if (h->separate)
    {
      busker_plan_swap_publish (h->swap, plan);
      busker_live_set_tracks (h->live, h->desc);
    }
  else
    busker_live_publish (h->live, plan, h->desc);
}

static void
on_state (void *data, BuskerLiveState state)
{
  printf ("state %s\n", state == BUSKER_LIVE_CONNECTED ? "connected" : "disconnected");
  fflush (stdout);
}

static void
on_streams (void *data)
{
  Host *h = data;
  uint32_t n;
  busker_live_get_streams (h->live, &n);
  printf ("streams %u\n", n);
  fflush (stdout);
}

static void
on_format (void *data, uint32_t rate, uint32_t quantum)
{
  Host *h = data;
  printf ("format %u %u\n", rate, quantum);
  fflush (stdout);
  if (rate != (uint32_t) h->desc->sample_rate)
    publish (h, rate);
}


static void
command (Host *h, char *line)
{
  g_strstrip (line);
  if (strcmp (line, "quit") == 0)
    g_main_loop_quit (h->loop);
  else if (strcmp (line, "free") == 0 && h->live != NULL)
    {
      busker_live_free (h->live);
      h->live = NULL;
      printf ("freed\n");
    }
  else if (strcmp (line, "edit") == 0 && h->live != NULL)
    {
      /* A structural edit: an aux strip added in front, or removed. */
      h->extra = !h->extra;
      uint32_t rate = (uint32_t) h->desc->sample_rate;
      busker_mix_desc_free (h->desc);
      h->desc = make_desc (h->n_tracks, h->gain_db, h->eq, h->chain, h->true_peak, h->capture,
                           h->extra);
      publish (h, rate);
      printf ("edited\n");
    }
  else if (strcmp (line, "stats") == 0 && h->live != NULL)
    printf ("stats cycles %" G_GUINT64_FORMAT " busy_ns %" G_GUINT64_FORMAT "\n",
            (guint64) atomic_load (&h->live->rt.cycles),
            (guint64) atomic_load (&h->live->rt.busy_ns));
  else if (strcmp (line, "xruns") == 0 && h->live != NULL)
    printf ("xruns %u\n", busker_live_read_xruns (h->live));
  else if (strcmp (line, "streams") == 0 && h->live != NULL)
    {
      uint32_t n;
      const BuskerLiveStream *s = busker_live_get_streams (h->live, &n);
      for (uint32_t i = 0; i < n; i++)
        printf ("stream %u %s %s\n", s[i].node_id, s[i].app_key ? s[i].app_key : "-",
                s[i].track_id ? s[i].track_id : "-");
      printf ("end\n");
    }
  else if (g_str_has_prefix (line, "move ") && h->live != NULL)
    {
      g_auto (GStrv) parts = g_strsplit (line, " ", 3);
      if (g_strv_length (parts) == 3)
        printf ("moved %d\n",
                busker_live_move_stream (h->live, (uint32_t) atoi (parts[1]),
                                         strcmp (parts[2], "-") == 0 ? NULL : parts[2]));
    }
  else
    printf ("unknown %s\n", line);
  fflush (stdout);
}

static gboolean
on_stdin (gint fd, GIOCondition condition, gpointer data)
{
  Host *h = data;
  static GString *pending;
  char buf[512];
  ssize_t got = read (fd, buf, sizeof buf);

  if (pending == NULL)
    pending = g_string_new (NULL);
  if (got <= 0)
    {
      g_main_loop_quit (h->loop);
      return G_SOURCE_REMOVE;
    }
  g_string_append_len (pending, buf, got);
  char *nl;
  while ((nl = strchr (pending->str, '\n')) != NULL)
    {
      g_autofree char *line = g_strndup (pending->str, (gsize) (nl - pending->str));
      g_string_erase (pending, 0, (gssize) (nl - pending->str) + 1);
      command (h, line);
    }
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char *argv[])
{
  Host h = { .n_tracks = 1 };
  double gain_db = -6;
  char **apps = NULL;
  GOptionEntry entries[] = {
    { "tracks", 0, 0, G_OPTION_ARG_INT, &h.n_tracks, "live tracks", "N" },
    { "gain", 0, 0, G_OPTION_ARG_DOUBLE, &gain_db, "fader", "DB" },
    { "eq", 0, 0, G_OPTION_ARG_NONE, &h.eq, "EQ on the bus", NULL },
    { "chain", 0, 0, G_OPTION_ARG_NONE, &h.chain, "EQ, compressor, limiter (sample peak)", NULL },
    { "true-peak", 0, 0, G_OPTION_ARG_NONE, &h.true_peak, "with --chain: a true-peak limiter",
      NULL },
    { "app", 0, 0, G_OPTION_ARG_STRING_ARRAY, &apps, "remember APP", "TRACK=APP" },
    { "capture", 0, 0, G_OPTION_ARG_STRING, &h.capture, "capture track", "NODE" },
    { "separate", 0, 0, G_OPTION_ARG_NONE, &h.separate,
      "busker_plan_swap_publish + busker_live_set_tracks instead of busker_live_publish", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) oc = g_option_context_new ("- Busker live node test host");
  GError *error = NULL;

  g_option_context_add_main_entries (oc, entries, NULL);
  if (!g_option_context_parse (oc, &argc, &argv, &error))
    {
      fprintf (stderr, "live-host: %s\n", error->message);
      return 2;
    }

  BuskerLiveCallbacks callbacks = {
    .state_changed = on_state, .streams_changed = on_streams, .format_changed = on_format,
    .data = &h,
  };
  h.loop = g_main_loop_new (NULL, FALSE);
  h.swap = busker_plan_swap_new ();
  h.gain_db = (float) gain_db;
  h.desc = make_desc (h.n_tracks, h.gain_db, h.eq, h.chain, h.true_peak, h.capture, false);
  h.live = busker_live_new (h.swap, NULL, &callbacks, 0);
  printf ("state %s\n", busker_live_get_state (h.live) == BUSKER_LIVE_CONNECTED ? "connected"
                                                                                : "disconnected");
  fflush (stdout);
  publish (&h, busker_live_get_rate (h.live));
  for (char **a = apps; a != NULL && *a != NULL; a++)
    {
      g_auto (GStrv) kv = g_strsplit (*a, "=", 2);
      const char *list[2] = { kv[1], NULL };
      if (kv[1] != NULL)
        busker_live_set_track_apps (h.live, kv[0], list);
    }
  g_unix_fd_add (0, G_IO_IN | G_IO_HUP, on_stdin, &h);
  g_main_loop_run (h.loop);

  busker_live_free (h.live);
  busker_plan_swap_free (h.swap);
  busker_mix_desc_free (h.desc);
  g_main_loop_unref (h.loop);
  g_strfreev (apps);
  g_free (h.capture);
  return 0;
}
