/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * busker --headless PROJECT.busker [--play] [--loop] [--record OUT]: the
 * live mixer with no window (FORMAT.md, "Command line"), driving one
 * BuskerSession like the window does.
 *
 * Decisions:
 * - Dispatched from main() before GTK starts, so it needs no display.
 * - Exit 0 after SIGINT/SIGTERM/SIGHUP or the end of the mix; 1 when
 *   there is no PipeWire daemon (after waiting CONNECT_WAIT_S for the
 *   first connection), another Busker is live on it (busker-live-lock.h)
 *   or the recording failed; 2 for bad usage, a bad project
 *   or a recording target that cannot be made. A failure is one line on
 *   stderr, naming the file, as busker-export does.
 * - "Live tracks" for the end rule are live and capture tracks: both play
 *   for as long as someone feeds them, so such a project runs until a
 *   signal. Otherwise, with --play and without --loop, it stops when the
 *   transport passed the end and the master stayed under −90 dBFS for
 *   0.5 s (10 s at most) — the tail rule of busker-export, so a recording
 *   holds everything an export of the same project holds.
 * - Once live it says what runs on stdout (the sinks apps can play into,
 *   how it stops) and warns on stderr of each file track whose file cannot
 *   be read (it plays as silence; the window marks such a strip).
 * - At the end the recording is finished first (nothing of the teardown
 *   is recorded), then the session goes: the live node moves the streams
 *   it routed back to the default device and removes its sinks.
 */
#include "config.h"

#include "busker-headless.h"

#include "busker-cli.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "session/busker-session.h"

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

#define CONNECT_WAIT_S 3
#define POLL_MS 50
#define TAIL_QUIET_S 0.5
#define TAIL_MAX_S 10.0

typedef struct {
  GMainLoop *loop;
  BuskerSession *session;
  gboolean stop_at_end;
  gint64 end_us;      /* when the transport passed the end, or 0 */
} Run;

/* One line, no matter what the message holds. */
#define fail(status, ...) busker_cli_fail ("busker", status, __VA_ARGS__)

gboolean
busker_headless_requested (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--"))
        return FALSE;
      if (g_str_equal (argv[i], "--headless"))
        return TRUE;
    }
  return FALSE;
}

static gboolean
has_live_tracks (BuskerProject *project)
{
  GListModel *strips = G_LIST_MODEL (project);
  for (guint i = 0, n = g_list_model_get_n_items (strips); i < n; i++)
    {
      g_autoptr (BuskerStrip) strip = g_list_model_get_item (strips, i);
      BuskerSource *source = busker_strip_get_source (strip);
      if (source != NULL && busker_source_get_kind (source) != BUSKER_SOURCE_FILE)
        return TRUE;
    }
  return FALSE;
}

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (((Run *) data)->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_connect_timeout (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
on_live_notify (BuskerSession *session, GParamSpec *pspec, GMainLoop *loop)
{
  if (busker_session_get_live (session))
    g_main_loop_quit (loop);
}

/* Waits for the live node's first connection, a bounded time. */
static gboolean
wait_for_live (BuskerSession *session)
{
  if (busker_session_get_live (session))
    return TRUE;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  gulong handler = g_signal_connect (session, "notify::live", G_CALLBACK (on_live_notify), loop);
  guint timeout = g_timeout_add_seconds (CONNECT_WAIT_S, on_connect_timeout, loop);
  g_main_loop_run (loop);
  if (busker_session_get_live (session))
    g_source_remove (timeout);
  g_signal_handler_disconnect (session, handler);
  return busker_session_get_live (session);
}

/* File tracks whose file cannot be read play as silence; the window marks
 * them, here it is one line each on stderr. */
static void
warn_missing (BuskerSession *session, BuskerProject *project, const char *name)
{
  GListModel *strips = G_LIST_MODEL (project);

  for (guint i = 0; i < g_list_model_get_n_items (strips); i++)
    {
      g_autoptr (BuskerStrip) strip = g_list_model_get_item (strips, i);
      BuskerSource *source = busker_strip_get_source (strip);

      if (busker_session_strip_is_missing (session, strip))
        fprintf (stderr, "busker: %s: track “%s”: “%s” cannot be read; it plays as silence\n",
                 name, busker_strip_get_name (strip), busker_source_get_path (source));
    }
}

/* Live and capture tracks that are not heard (too many, a capture device
 * missing or one that would loop): a line on stderr when that starts or
 * its reason changes, and one when it is heard again. said: track id ->
 * the sentence last printed. */
static void
warn_track_problems (BuskerSession *session, GHashTable *said)
{
  GListModel *strips = G_LIST_MODEL (busker_session_get_project (session));

  for (guint i = 0; i < g_list_model_get_n_items (strips); i++)
    {
      g_autoptr (BuskerStrip) strip = g_list_model_get_item (strips, i);
      const char *id = busker_strip_get_id (strip);
      g_autofree char *problem = busker_session_dup_track_problem (session, strip);
      const char *before = g_hash_table_lookup (said, id);

      if (g_strcmp0 (problem, before) == 0)
        continue;
      if (problem != NULL)
        fprintf (stderr, "busker: %s\n", problem);
      else
        fprintf (stderr, "busker: %s: heard again\n", busker_strip_get_name (strip));
      if (problem != NULL)
        g_hash_table_replace (said, g_strdup (id), g_steal_pointer (&problem));
      else
        g_hash_table_remove (said, id);
    }
}

/* What runs, on stdout: the sinks apps can play into and how to stop. */
static void
say_live (BuskerProject *project, gboolean stop_at_end)
{
  GListModel *strips = G_LIST_MODEL (project);
  g_autoptr (GString) sinks = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (strips); i++)
    {
      g_autoptr (BuskerStrip) strip = g_list_model_get_item (strips, i);
      BuskerSource *source = busker_strip_get_source (strip);

      if (source != NULL && busker_source_get_kind (source) == BUSKER_SOURCE_LIVE)
        g_string_append_printf (sinks, "%s“Busker: %s”", sinks->len ? ", " : "",
                                busker_strip_get_name (strip));
    }
  if (sinks->len > 0)
    printf ("Busker is live; apps can play into %s.\n", sinks->str);
  else
    printf ("Busker is live.\n");
  printf (stop_at_end ? "It stops at the end of the mix, or with Ctrl+C.\n"
                      : "Ctrl+C stops it.\n");
  fflush (stdout);
}

/* The end of the mix: past the end of the files, then the tail. */
static gboolean
on_poll (gpointer data)
{
  Run *run = data;
  gint64 now = g_get_monotonic_time ();

  if (!busker_session_get_at_end (run->session))
    return G_SOURCE_CONTINUE;
  if (run->end_us == 0)
    run->end_us = now;
  if (busker_session_get_master_quiet_s (run->session) >= TAIL_QUIET_S
      || now - run->end_us >= TAIL_MAX_S * G_USEC_PER_SEC)
    g_main_loop_quit (run->loop);
  return G_SOURCE_CONTINUE;
}

int
busker_headless_main (int argc, char **argv)
{
  gboolean headless = FALSE, play = FALSE, loop = FALSE;
  g_autofree char *record = NULL;
  g_auto (GStrv) args = NULL;
  const GOptionEntry entries[] = {
    { "headless", 0, 0, G_OPTION_ARG_NONE, &headless, N_("Run the live mixer without a window"), NULL },
    { "play", 0, 0, G_OPTION_ARG_NONE, &play, N_("Play the file tracks from the start"), NULL },
    { "loop", 0, 0, G_OPTION_ARG_NONE, &loop, N_("Play them again and again"), NULL },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &record, N_("Record the master to this file as it plays"), "OUT" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, "PROJECT.busker" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;

  g_option_context_set_summary (context, _("Runs a Busker project live on PipeWire, without a window."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (EXIT_USAGE, "%s (see --headless --help)", error->message);
  if (args == NULL || g_strv_length (args) != 1)
    return fail (EXIT_USAGE, "give exactly one PROJECT.busker (see --headless --help)");
  if (loop && !play)
    fprintf (stderr, "busker: --loop without --play: the file tracks do not play; add --play\n");

  g_autoptr (GFile) file = g_file_new_for_commandline_arg (args[0]);
  g_autoptr (BuskerProject) project = busker_project_load (file, &error);
  if (project == NULL)
    return fail (EXIT_USAGE, "%s", error->message);
  for (const char *const *w = busker_project_get_load_warnings (project); *w != NULL; w++)
    fprintf (stderr, "busker: %s: %s\n", args[0], *w);

  /* Before the session: freed after it, so no handler outlives it. */
  g_autoptr (GHashTable) problems_said = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                                g_free, g_free);
  g_autoptr (BuskerSession) session = busker_session_new ();
  busker_session_set_project (session, project);
  g_signal_connect (session, "track-problems-changed", G_CALLBACK (warn_track_problems),
                    problems_said);
  if (busker_session_get_live_blocker (session) != NULL)
    return fail (EXIT_RUNTIME, "%s; stop it first", busker_session_get_live_blocker (session));
  if (!wait_for_live (session))
    return fail (EXIT_RUNTIME, "no PipeWire daemon is running, so there is nothing to play "
                               "on; start PipeWire and try again");

  if (record != NULL && !busker_session_start_recording (session, record, &error))
    return fail (EXIT_USAGE, "%s", error->message);

  g_autoptr (GMainLoop) main_loop = g_main_loop_new (NULL, FALSE);
  Run run = {
    .loop = main_loop,
    .session = session,
    .stop_at_end = play && !loop && !has_live_tracks (project),
  };
  /* SIGHUP: the terminal closed. All three end the run cleanly, so a
   * recording is finished and renamed into place. */
  guint sigint = g_unix_signal_add (SIGINT, on_signal, &run);
  guint sigterm = g_unix_signal_add (SIGTERM, on_signal, &run);
  guint sighup = g_unix_signal_add (SIGHUP, on_signal, &run);
  /* Only a run that ends by itself needs to look; a live mixer sleeps. */
  guint poll = run.stop_at_end ? g_timeout_add (POLL_MS, on_poll, &run) : 0;

  busker_session_set_loop (session, loop);
  if (play)
    busker_session_play (session);
  warn_missing (session, project, args[0]);
  warn_track_problems (session, problems_said);
  say_live (project, run.stop_at_end);
  g_main_loop_run (main_loop);

  g_clear_handle_id (&poll, g_source_remove);
  g_source_remove (sighup);
  g_source_remove (sigterm);
  g_source_remove (sigint);
  busker_session_stop (session);
  int status = 0;
  if (!busker_session_stop_recording (session, &error))
    status = fail (EXIT_RUNTIME, "%s", error->message);
  g_clear_object (&session);
  return status;
}
