/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The soak's live mixer (tests/reliability/soak runs it on a private
 * PipeWire graph): the real live node, transport and engine from
 * libbusker, with a project of 32 strips built through the model —
 * 16 file tracks (looping), 12 live tracks, 2 subgroups with EQ and
 * compressor, an aux bus with a reverb, a master with a limiter.
 *
 * While it plays: 100 random parameter changes per second (fader, pan,
 * trim, send level, an insert parameter, each within its legal range),
 * and every 2 s a structural edit made in the model (a small insert added
 * to a track or the aux, or the one added before removed; a track moved
 * to the other subgroup), snapshotted into a new
 * plan, bound to the transport and swapped in while running — the same
 * path the session takes.
 *
 * Once a second it adds up the live node's xruns (cycles Busker ran late
 * or had no plan: busker_live_read_xruns) and the strips' fault flags, and
 * reads its resident memory (VmRSS, after collecting retired plans and
 * malloc_trim (0), so memory glibc merely keeps for reuse after freeing a
 * plan is not counted — a leak still is). The samples from 30 s in are
 * split in quarters; the growth is the median of the last quarter minus
 * the median of the first: a single sample swings by ±1 MB with the
 * inserts the edits happen to have added, a leak moves the median. At
 * the end it prints one line,
 *   soak: S s, N changes, M edits, X xruns, F faults, RSS A kB -> B kB (+G kB)
 * measured from 30 s in (after the first plans, buffers, caches and the
 * first edits), and
 * exits 1 if X or F is not 0 or G is above 1024 kB.
 *
 * Usage: soak-host --seconds S SOURCE.wav [SOURCE.wav...]
 *        soak-host --save PROJECT.busker --prefix h SOURCE.wav...   (the
 *        same project with ids "hf1", "hl1"…, saved for `busker --headless`,
 *        then exit)
 */
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/busker-live.h"
#include "engine/busker-process.h"
#include "engine/busker-transport.h"
#include "model/busker-project.h"

typedef struct {
  GMainLoop *loop;
  GRand *rand;
  BuskerProject *project;
  BuskerPlanSwap *swap;
  BuskerLive *live;
  BuskerTransport *transport;
  BuskerMixDesc *desc; /* of the current plan */
  BuskerPlan *plan;
  uint32_t rate;
  double seconds;
  gint64 start_us;
  guint changes, edits, xruns, faults;
  long rss_base_kb, rss_kb;
  GArray *rss_samples; /* long, kB, one a second from 30 s in */
} Soak;

/* Put before every strip id: the project saved for `busker --headless`
 * gets its own ids, so its track sinks do not share names with ours. */
static const char *id_prefix = "";

static long
rss_kb (void)
{
  malloc_trim (0);
  g_autofree char *status = NULL;
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  const char *line = strstr (status, "VmRSS:");
  return line ? strtol (line + 6, NULL, 10) : -1;
}

static BuskerProject *
make_project (char **sources)
{
  BuskerProject *p = busker_project_new ();
  BuskerStrip *master = busker_project_get_master (p);
  g_autoptr (BuskerInsert) limiter = busker_insert_new ("limiter");
  busker_strip_insert_insert (master, 0, limiter);

  BuskerStrip *subs[2], *aux;
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *id = g_strdup_printf ("%ssub%d", id_prefix, i + 1);
      g_autoptr (BuskerStrip) s = busker_strip_new (BUSKER_STRIP_SUBGROUP, id);
      g_autoptr (BuskerInsert) eq = busker_insert_new ("eq");
      g_autoptr (BuskerInsert) comp = busker_insert_new ("compressor");
      busker_strip_insert_insert (s, 0, eq);
      busker_strip_insert_insert (s, 1, comp);
      g_assert_true (busker_project_add_strip (p, s, G_MAXUINT, NULL));
      subs[i] = s;
    }
  {
    g_autofree char *id = g_strdup_printf ("%sverb", id_prefix);
    g_autoptr (BuskerStrip) s = busker_strip_new (BUSKER_STRIP_AUX, id);
    g_autoptr (BuskerInsert) reverb = busker_insert_new ("reverb");
    busker_strip_insert_insert (s, 0, reverb);
    g_assert_true (busker_project_add_strip (p, s, G_MAXUINT, NULL));
    aux = s;
  }
  guint n_sources = g_strv_length (sources);
  for (int i = 0; i < 28; i++)
    {
      g_autofree char *id = g_strdup_printf (i < 16 ? "%sf%d" : "%sl%d", id_prefix,
                                             i < 16 ? i + 1 : i - 15);
      g_autoptr (BuskerStrip) s = busker_strip_new (BUSKER_STRIP_TRACK, id);
      g_autoptr (BuskerSource) source =
          i < 16 ? busker_source_new_file (sources[i % n_sources], 0.05 * i)
                 : busker_source_new (BUSKER_SOURCE_LIVE);
      busker_strip_set_source (s, source);
      busker_strip_set_gain_db (s, -18);
      g_assert_true (busker_project_add_strip (p, s, 0, NULL));
      g_assert_true (busker_project_set_output (p, s, subs[i % 2], NULL));
      if (i % 4 == 0)
        g_assert_nonnull (busker_project_add_send (p, s, aux, NULL));
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (p)), ==, 32);
  return p;
}

/* Adds the flags and xruns of the running plan to the totals. */
static void
count_faults (Soak *s)
{
  if (s->plan == NULL)
    return;
  for (uint32_t i = 0; i < busker_plan_get_n_strips (s->plan); i++)
    if (busker_plan_read_strip_fault (s->plan, i))
      {
        g_printerr ("soak: strip %s faulted\n", s->desc->strips[i].id);
        s->faults++;
      }
}

static void
publish (Soak *s)
{
  GError *error = NULL;
  count_faults (s);
  BuskerMixDesc *desc = busker_project_snapshot (s->project);
  desc->sample_rate = s->rate;
  BuskerPlan *plan = busker_plan_new (desc, busker_live_get_max_block (s->live), &error);
  if (plan == NULL)
    g_error ("soak: %s", error->message);
  busker_transport_bind (s->transport, desc, plan);
  busker_live_set_latency (s->live, busker_plan_get_latency (plan));
  busker_plan_swap_publish (s->swap, plan);
  if (g_getenv ("BUSKER_SOAK_NO_SET_TRACKS") == NULL || s->plan == NULL)
    busker_live_set_tracks (s->live, desc);
  g_clear_pointer (&s->desc, busker_mix_desc_free);
  s->desc = desc;
  s->plan = plan;
}

static void
before_run (void *data, BuskerPlan *plan, uint32_t n, uint32_t rate_hz, uint64_t time_ns)
{
  Soak *s = data;
  busker_transport_fill (s->transport, plan, n); /* RT-safe */
}

static void
on_format (void *data, uint32_t rate, uint32_t quantum)
{
  Soak *s = data;
  g_printerr ("soak: graph at %u Hz, quantum %u\n", rate, quantum);
  if (rate != s->rate)
    {
      s->rate = rate;
      busker_transport_set_rate (s->transport, rate);
      publish (s);
    }
}

/* One random legal parameter change on the running plan. */
static void
change_one (Soak *s)
{
  GRand *r = s->rand;
  uint32_t strip = (uint32_t) g_rand_int_range (r, 0, (gint32) s->desc->n_strips);
  const BuskerStripDesc *sd = &s->desc->strips[strip];

  switch (g_rand_int_range (r, 0, 5))
    {
    case 0:
      busker_plan_set_strip_gain_db (s->plan, strip, (float) g_rand_double_range (r, -40, 0));
      break;
    case 1:
      busker_plan_set_strip_pan (s->plan, strip, (float) g_rand_double_range (r, -1, 1));
      break;
    case 2:
      busker_plan_set_strip_trim_db (s->plan, strip, (float) g_rand_double_range (r, -12, 6));
      break;
    case 3:
      if (sd->n_sends > 0)
        busker_plan_set_send_level_db (s->plan, strip, 0, (float) g_rand_double_range (r, -40, 0));
      break;
    default:
      if (sd->n_inserts > 0)
        {
          uint32_t k = (uint32_t) g_rand_int_range (r, 0, (gint32) sd->n_inserts);
          const BuskerEffectClass *klass = sd->inserts[k].klass;
          uint32_t p = (uint32_t) g_rand_int_range (r, 0, (gint32) klass->n_params);
          const BuskerParamSpec *spec = &klass->params[p];
          /* Look-ahead changes are structural (a new plan): not here. */
          if (strstr (spec->name, "lookahead") == NULL)
            busker_plan_set_insert_param (s->plan, strip, k, p,
                                          (float) g_rand_double_range (r, spec->min, spec->max));
        }
      break;
    }
  s->changes++;
}

/* 100 per second on average: a late timer (a loaded machine) catches up. */
static gboolean
on_change (gpointer data)
{
  Soak *s = data;
  guint due = (guint) ((g_get_monotonic_time () - s->start_us) / 10000);
  while (s->changes < due)
    change_one (s);
  return G_SOURCE_CONTINUE;
}

/* One structural edit through the model, then a new plan. */
static gboolean
on_edit (gpointer data)
{
  Soak *s = data;
  GRand *r = s->rand;
  if ((g_get_monotonic_time () - s->start_us) / 1e6 > s->seconds - 3
      || g_getenv ("BUSKER_SOAK_NO_EDITS") != NULL)
    return G_SOURCE_CONTINUE;
  GListModel *strips = G_LIST_MODEL (s->project);
  g_autoptr (BuskerStrip) strip =
      g_list_model_get_item (strips, g_rand_int_range (r, 0, (gint32) g_list_model_get_n_items (strips)));
  GListModel *inserts = busker_strip_get_inserts (strip);

  /* The project keeps its size: an edit either moves a track, or takes
   * away the insert an earlier edit added to this strip, or adds one
   * (small units; a delay line or reverb added and removed at random
   * would make the resident memory follow the dice). */
  static const char *const extra[] = { "eq", "saturation", "stereo_width", "gain",
                                       "transient_shaper" };
  guint n = g_list_model_get_n_items (inserts);
  g_autoptr (BuskerInsert) last = n ? g_list_model_get_item (inserts, n - 1) : NULL;
  gboolean has_extra = last != NULL && busker_strip_get_kind (strip) != BUSKER_STRIP_MASTER
                       && busker_strip_get_kind (strip) != BUSKER_STRIP_SUBGROUP
                       && g_strv_contains (extra, busker_insert_get_effect_type (last));

  if (busker_strip_get_kind (strip) == BUSKER_STRIP_TRACK && g_rand_boolean (r))
    {
      g_autofree char *sub1 = g_strdup_printf ("%ssub1", id_prefix);
      g_autofree char *sub2 = g_strdup_printf ("%ssub2", id_prefix);
      const char *to = g_strcmp0 (busker_strip_get_output (strip), sub1) == 0 ? sub2 : sub1;
      g_assert_true (busker_project_set_output (s->project, strip,
                                                busker_project_find_strip (s->project, to), NULL));
    }
  else if (has_extra)
    busker_strip_remove_insert (strip, n - 1);
  else if (busker_strip_get_kind (strip) == BUSKER_STRIP_TRACK
           || busker_strip_get_kind (strip) == BUSKER_STRIP_AUX)
    {
      g_autoptr (BuskerInsert) insert = busker_insert_new (extra[g_rand_int_range (r, 0, 5)]);
      busker_strip_insert_insert (strip, G_MAXUINT, insert);
    }
  publish (s);
  s->edits++;
  return G_SOURCE_CONTINUE;
}

static int
compare_long (gconstpointer a, gconstpointer b)
{
  long x = *(const long *) a, y = *(const long *) b;
  return (x > y) - (x < y);
}

/* Median of samples [from, to). */
static long
median_kb (GArray *samples, guint from, guint to)
{
  if (to <= from)
    return -1;
  g_autofree long *v = g_memdup2 (&g_array_index (samples, long, from), (to - from) * sizeof (long));
  qsort (v, to - from, sizeof (long), compare_long);
  return v[(to - from) / 2];
}

static gboolean
on_second (gpointer data)
{
  Soak *s = data;
  double elapsed = (g_get_monotonic_time () - s->start_us) / 1e6;

  busker_plan_swap_collect (s->swap);
  count_faults (s);
  s->xruns += busker_live_read_xruns (s->live);
  s->rss_kb = rss_kb ();
  if ((int) elapsed % 10 == 0)
    g_printerr ("soak: %.0f s: RSS %ld kB, %u changes, %u edits, %u xruns, %u faults\n",
                elapsed, s->rss_kb, s->changes, s->edits, s->xruns, s->faults);
  if (elapsed >= 30.0)
    {
      if (s->rss_samples->len == 0)
        s->xruns = 0; /* the graph settling (quantum, first links) is not Busker's */
      g_array_append_val (s->rss_samples, s->rss_kb);
    }
  if (elapsed >= s->seconds)
    g_main_loop_quit (s->loop);
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  Soak s = { .seconds = 120 };
  g_autofree char *save = NULL, *prefix = NULL;
  GOptionEntry entries[] = {
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &s.seconds, "how long", "S" },
    { "save", 0, 0, G_OPTION_ARG_FILENAME, &save, "save the project and exit", "FILE" },
    { "prefix", 0, 0, G_OPTION_ARG_STRING, &prefix, "put before every strip id", "TEXT" },
    { NULL },
  };
  g_autoptr (GOptionContext) oc = g_option_context_new ("SOURCE.wav... - Busker soak host");
  GError *error = NULL;
  g_option_context_add_main_entries (oc, entries, NULL);
  if (!g_option_context_parse (oc, &argc, &argv, &error) || argc < 2)
    {
      g_printerr ("soak-host: %s\n", error ? error->message : "no source files given");
      return 2;
    }

  s.loop = g_main_loop_new (NULL, FALSE);
  s.rss_samples = g_array_new (FALSE, FALSE, sizeof (long));
  s.rand = g_rand_new_with_seed (20261130);
  if (prefix != NULL)
    id_prefix = prefix;
  s.project = make_project (argv + 1);
  if (save != NULL)
    {
      g_autoptr (GFile) file = g_file_new_for_path (save);
      gboolean saved = busker_project_save (s.project, file, &error);
      if (!saved)
        g_printerr ("soak-host: %s\n", error->message);
      g_clear_error (&error);
      g_object_unref (s.project);
      g_rand_free (s.rand);
      g_array_unref (s.rss_samples);
      g_main_loop_unref (s.loop);
      return saved ? 0 : 1;
    }
  s.swap = busker_plan_swap_new ();
  BuskerLiveHooks hooks = { before_run, NULL, &s };
  BuskerLiveCallbacks callbacks = { .format_changed = on_format, .data = &s };
  s.live = busker_live_new (s.swap, &hooks, &callbacks, 0); /* beside busker --headless */
  if (busker_live_get_state (s.live) != BUSKER_LIVE_CONNECTED)
    {
      g_printerr ("soak-host: no PipeWire daemon\n");
      return 1;
    }
  s.rate = busker_live_get_rate (s.live) ? busker_live_get_rate (s.live) : 48000;
  s.transport = busker_transport_new (s.rate, busker_live_get_max_block (s.live));
  busker_transport_set_loop (s.transport, true);
  publish (&s);
  busker_transport_play (s.transport);
  printf ("soak: playing\n");
  fflush (stdout);

  s.start_us = g_get_monotonic_time ();
  g_timeout_add (10, on_change, &s);
  g_timeout_add (2000, on_edit, &s);
  g_timeout_add (1000, on_second, &s);
  g_main_loop_run (s.loop);

  count_faults (&s);
  guint q = s.rss_samples->len / 4;
  s.rss_base_kb = median_kb (s.rss_samples, 0, q);
  s.rss_kb = median_kb (s.rss_samples, s.rss_samples->len - q, s.rss_samples->len);
  long growth = s.rss_kb - s.rss_base_kb;
  printf ("soak: %.0f s, %u changes, %u edits, %u xruns, %u faults, RSS %ld kB -> %ld kB (%+ld kB), "
          "transport underruns %u\n",
          s.seconds, s.changes, s.edits, s.xruns, s.faults, s.rss_base_kb, s.rss_kb, growth,
          busker_transport_read_underruns (s.transport));
  fflush (stdout);

  busker_live_free (s.live);
  busker_plan_swap_free (s.swap);
  busker_transport_free (s.transport);
  busker_mix_desc_free (s.desc);
  g_object_unref (s.project);
  g_rand_free (s.rand);
  g_array_unref (s.rss_samples);
  g_main_loop_unref (s.loop);
  return s.xruns == 0 && s.faults == 0 && q > 0 && s.rss_base_kb > 0 && growth <= 1024 ? 0 : 1;
}
