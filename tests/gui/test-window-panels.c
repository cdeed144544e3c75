/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Where the window's parts meet: the side panels fill the height the
 * window gives them; Play (win.play-pause, the button and Space) is there
 * only with live audio and file tracks; an Apps panel row names the track
 * its stream plays on and its output menu routes it by keyboard (with
 * PipeWire); an insert editor's drop-downs show
 * names, not file-format keys, and its bands count from 1. Run without PipeWire and inside
 * tests/pipewire/pw-harness (BUSKER_TEST_SINK set: live audio expected).
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "app/busker-application.h"
#include "app/busker-apps-panel.h"
#include "app/busker-loudness-readout.h"
#include "app/busker-window.h"
#include "dsp/params.h"
#include "model/busker-project.h"
#include "widgets/busker-insert-editor.h"
#include "session/busker-session.h"
#include "gui-util.h"

static GApplication *app;

static BuskerWindow *
show_new_window (void)
{
  BuskerWindow *window = busker_window_new (GTK_APPLICATION (app));

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  gui_wait_until (gui_is_mapped, window, "the window to map");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  return window;
}

static gboolean
panel_shown (gpointer panel)
{
  return gtk_widget_get_mapped (panel) && gtk_widget_get_height (panel) > 0;
}

/* The Apps panel is as tall as its column (the window's height less the
 * header and transport bars): its list has the room, and "Default
 * output" sits at the bottom. It kept its natural height before, a
 * single row of streams, and scrolled the others out of sight. */
static void
test_apps_panel_fills_column (void)
{
  BuskerWindow *window = show_new_window ();
  GtkWidget *panel = gui_find_descendant (GTK_WIDGET (window), BUSKER_TYPE_APPS_PANEL);
  GtkWidget *column;
  int panel_h, column_h;

  g_assert_nonnull (panel);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-apps", NULL));
  gui_wait_until (panel_shown, panel, "the Apps panel to show");
  gui_spin (0.5); /* the revealer's slide */
  column = gtk_widget_get_parent (panel);
  panel_h = gtk_widget_get_height (panel);
  column_h = gtk_widget_get_height (column);
  g_test_message ("Apps panel %d px high in a column of %d px", panel_h, column_h);
  g_assert_cmpint (column_h, >, 400);
  g_assert_cmpint (panel_h, ==, column_h);
  gui_screenshot ("busker-apps-panel.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
session_live (gpointer window)
{
  return busker_session_get_live (busker_window_get_session (window));
}

static gboolean
play_enabled (BuskerWindow *window)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (window), "play-pause");
}

static void
open_project (BuskerWindow *window, const char *env)
{
  const char *path = g_getenv (env);
  g_autoptr (GFile) file = NULL;

  g_assert_nonnull (path);
  file = g_file_new_for_path (path);
  busker_window_open_file (window, file);
  gui_spin (0.3);
  g_assert_nonnull (busker_window_get_project (window));
}

/* The demo (file tracks) can play only with PipeWire; the desktop
 * preset (live tracks only, no length) never: its transport has nothing
 * to move. Before, Play was always on and turned into "Pause" while the
 * position stayed at 0:00.0. */
static void
test_play_needs_live_and_files (void)
{
  BuskerWindow *window = show_new_window ();
  gboolean live_expected = g_getenv ("BUSKER_TEST_SINK") != NULL;

  if (live_expected)
    gui_wait_until (session_live, window, "live audio");
  else
    g_assert_false (session_live (window));
  open_project (window, "BUSKER_DEMO");
  g_assert_cmpfloat (busker_session_get_length_s (busker_window_get_session (window)), >, 30.0);
  g_assert_true (play_enabled (window) == live_expected);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "stop"));

  open_project (window, "BUSKER_DESKTOP");
  g_assert_cmpfloat (busker_session_get_length_s (busker_window_get_session (window)), ==, 0.0);
  g_assert_false (play_enabled (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
collect (GtkWidget *root, GType type, GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (out, root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect (c, type, out);
}

/* The demo's Hats EQ (band 1 a 300 Hz high-pass): the type drop-down
 * reads "High-pass", not the file's "high_pass"; its rows say "Band 1",
 * not "Band 0". (The log travel of its sliders is the widgets' test.) */
static void
test_insert_editor_names (void)
{
  g_autoptr (GFile) file = g_file_new_for_path (g_getenv ("BUSKER_DEMO"));
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerProject) project = busker_project_load (file, &error);
  g_autoptr (BuskerInsert) eq = NULL;
  g_autoptr (GPtrArray) dropdowns = g_ptr_array_new ();
  GtkWidget *editor;
  GObject *item;

  g_assert_no_error (error);
  eq = g_list_model_get_item (busker_strip_get_inserts (busker_project_find_strip (project, "hats")), 0);
  g_assert_cmpstr (busker_insert_get_effect_type (eq), ==, "eq");
  g_assert_cmpfloat_with_epsilon (busker_insert_get_value (eq, BUSKER_EQ_BAND_FREQ_HZ), 300.0, 1e-3);
  editor = busker_insert_editor_new (project, eq, "Hats EQ");
  gtk_window_present (GTK_WINDOW (editor));
  gtk_test_widget_wait_for_draw (editor);

  collect (editor, GTK_TYPE_DROP_DOWN, dropdowns);
  /* Bands are counted from 1 on screen (the file's bands[0] is band 1). */
  {
    g_autoptr (GPtrArray) labels = g_ptr_array_new ();
    gboolean band1 = FALSE, band0 = FALSE;
    collect (editor, GTK_TYPE_LABEL, labels);
    for (guint i = 0; i < labels->len; i++)
      {
        const char *text = gtk_label_get_text (g_ptr_array_index (labels, i));
        band1 |= g_str_equal (text, "Band 1 frequency (Hz)");
        band0 |= g_str_has_prefix (text, "Band 0");
      }
    g_assert_true (band1);
    g_assert_false (band0);
  }

  item = gtk_drop_down_get_selected_item (g_ptr_array_index (dropdowns, 0));
  g_assert_cmpstr (gtk_string_object_get_string (GTK_STRING_OBJECT (item)), ==, "High-pass");
  gtk_window_destroy (GTK_WINDOW (editor));
}

static gboolean
panel_says (gpointer data)
{
  GtkWidget *panel = data;
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  gboolean app = FALSE, track = FALSE;

  collect (panel, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);
      if (!gtk_widget_get_mapped (label))
        continue;
      app |= g_str_equal (gtk_label_get_text (GTK_LABEL (label)), "Rhythmbox");
      track |= g_str_equal (gtk_label_get_text (GTK_LABEL (label)), "On Music");
    }
  return app && track;
}

/* pw-play of wav calling itself app (application.name), as a real player
 * names itself; the demo's pad stem when wav is NULL. */
static GSubprocess *
play_as (const char *app, const char *wav)
{
  g_autofree char *dir = g_path_get_dirname (g_getenv ("BUSKER_DEMO"));
  g_autofree char *pad = g_build_filename (dir, "stems", "pad.wav", NULL);
  g_autofree char *props = g_strdup_printf ("{ application.name = \"%s\" }", app);
  g_autoptr (GError) error = NULL;
  GSubprocess *player = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "pw-play", "-P",
                                          props, wav != NULL ? wav : pad, NULL);

  g_assert_no_error (error);
  return player;
}

/* With PipeWire only: a real player (pw-play calling itself Rhythmbox,
 * which desktop.busker's Music track lists) is routed to Music, and its
 * row in the Apps panel says so ("On Music"); it said only the app's
 * name, so nothing told where a stream went. */
static void
test_apps_row_names_track (void)
{
  BuskerWindow *window = show_new_window ();
  GtkWidget *panel = gui_find_descendant (GTK_WIDGET (window), BUSKER_TYPE_APPS_PANEL);
  g_autoptr (GSubprocess) player = NULL;

  gui_wait_until (session_live, window, "live audio");
  open_project (window, "BUSKER_DESKTOP");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-apps", NULL));
  player = play_as ("Rhythmbox", NULL);
  gui_wait_until (panel_says, panel, "the Apps panel to show Rhythmbox \"On Music\"");
  gui_spin (0.5); /* the revealer's slide */
  gui_screenshot ("busker-apps-panel-live.png");
  g_subprocess_force_exit (player);
  g_subprocess_wait (player, NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Where pw-play's output is linked, by pw-link -l (the daemon's word,
 * not the session's): TRUE when some pw-play output port feeds a port of
 * the node named node. */
static gboolean
pw_play_linked_to (const char *node)
{
  g_autofree char *out = NULL;
  g_autofree char *want = g_strdup_printf ("|-> %s:", node);
  g_auto (GStrv) lines = NULL;
  gboolean in_play = FALSE;

  g_assert_true (g_spawn_command_line_sync ("pw-link -l", &out, NULL, NULL, NULL));
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);
      if (g_str_has_prefix (line, "|"))
        {
          if (in_play && g_str_has_prefix (line, want))
            return TRUE;
          continue;
        }
      in_play = g_str_has_prefix (line, "pw-play:output_");
    }
  return FALSE;
}

static gboolean
on_music (gpointer data)
{
  return pw_play_linked_to ("busker.music");
}

static gboolean
on_speakers (gpointer data)
{
  return pw_play_linked_to (g_getenv ("BUSKER_TEST_SINK"));
}

static gboolean
panel_has_button (gpointer panel)
{
  GtkWidget *button = gui_find_descendant (panel, GTK_TYPE_MENU_BUTTON);
  return button != NULL && gtk_widget_get_mapped (button);
}

/* Opens the row's output menu with the keyboard and picks the item
 * `downs` places below the first ("Default output"). */
static void
route_by_keys (BuskerWindow *window, GtkWidget *button, int downs)
{
  g_autoptr (GString) keys = g_string_new ("Return");

  g_assert_true (gtk_widget_grab_focus (button));
  for (int i = 0; i < downs; i++)
    g_string_append (keys, " Down");
  gui_press_keys (GTK_WINDOW (window), "Return");
  gui_spin (0.3);
  if (downs > 0)
    {
      gui_press_keys (GTK_WINDOW (window), keys->str + strlen ("Return "));
      gui_screenshot ("busker-apps-route-menu.png");
    }
  gui_press_keys (GTK_WINDOW (window), "Return");
}

/* With PipeWire only: an app no track remembers (pw-play calling itself
 * Audacious) is routed without a pointer: Return on its row's output
 * button opens "Default output, Music, Browser, Calls"; Down, Return
 * moves it onto Music, as pw-link reports, and Music remembers it; the
 * same menu takes it back to the test speakers. Before, only a drag could
 * route an app. */
static void
test_apps_route_by_keyboard (void)
{
  BuskerWindow *window = show_new_window ();
  GtkWidget *panel = gui_find_descendant (GTK_WIDGET (window), BUSKER_TYPE_APPS_PANEL);
  g_autoptr (GSubprocess) player = NULL;
  GtkWidget *button;
  BuskerStrip *music;
  const char *const *apps;

  gui_wait_until (session_live, window, "live audio");
  open_project (window, "BUSKER_DESKTOP");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-apps", NULL));
  player = play_as ("Audacious", NULL);
  gui_wait_until (panel_has_button, panel, "the Apps panel to list Audacious");
  gui_wait_until (on_speakers, NULL, "pw-play on the test speakers");
  button = gui_find_descendant (panel, GTK_TYPE_MENU_BUTTON);

  route_by_keys (window, button, 1);
  gui_wait_until (on_music, NULL, "pw-play linked into busker.music");
  music = busker_project_find_strip (busker_window_get_project (window), "music");
  apps = busker_source_get_apps (busker_strip_get_source (music));
  g_assert_true (g_strv_contains (apps, "Audacious"));

  route_by_keys (window, button, 0);
  gui_wait_until (on_speakers, NULL, "pw-play back on the test speakers");
  g_assert_false (on_music (NULL));

  g_subprocess_force_exit (player);
  g_subprocess_wait (player, NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkLabel *short_term_label;

/* Short-term loudness needs 3 s of signal before it reads a value. */
static gboolean
short_term_reads (gpointer text)
{
  return g_strcmp0 (gtk_label_get_text (short_term_label), text) == 0;
}

/* The value label after the caption `caption` in the readout. */
static GtkLabel *
readout_value (GtkWidget *readout, const char *caption)
{
  for (GtkWidget *w = gtk_widget_get_first_child (readout); w != NULL; w = gtk_widget_get_next_sibling (w))
    if (g_str_equal (gtk_label_get_text (GTK_LABEL (w)), caption))
      return GTK_LABEL (gtk_widget_get_next_sibling (w));
  g_assert_not_reached ();
}

/* With PipeWire only: the master loudness readout of the transport bar
 * reads what the speakers get. A stereo 997 Hz sine of peak 0.1 (−20
 * dBFS) in both channels is −20.0 LUFS by ITU-R BS.1770 (the K filter's
 * gain at 997 Hz makes up the −0.691 offset; EBU Tech 3341 case 1), its
 * true peak −20.0 dBTP, its correlation +1. pw-play (calling itself
 * Rhythmbox, which the project's only live track remembers) plays it
 * through Music (0 dB, no inserts) into the master. */
static void
test_loudness_readout (void)
{
  BuskerWindow *window = show_new_window ();
  g_autofree char *dir = g_dir_make_tmp ("busker-loudness-XXXXXX", NULL);
  g_autofree char *project = g_build_filename (dir, "one.busker", NULL);
  g_autofree char *wav = g_build_filename (dir, "sine.wav", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (project);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) sox = NULL, player = NULL;
  GtkWidget *readout;

  g_assert_true (g_file_set_contents (project,
    "{\"format\": 1, \"name\": \"One\", \"sample_rate\": 48000, \"strips\": ["
    "{\"id\": \"music\", \"kind\": \"track\", \"name\": \"Music\","
    " \"source\": {\"type\": \"live\", \"apps\": [\"Rhythmbox\"]}, \"output\": \"master\"},"
    "{\"id\": \"master\", \"kind\": \"master\", \"name\": \"Master\"}]}", -1, NULL));
  sox = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "sox", "-n", "-r", "48000", "-c", "2",
                          "-e", "floating-point", "-b", "32", wav, "synth", "60", "sine", "997",
                          "vol", "0.1", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (sox, NULL, &error));
  g_assert_no_error (error);

  gui_wait_until (session_live, window, "live audio");
  busker_window_open_file (window, file);
  gui_spin (0.3);
  readout = gui_find_descendant (GTK_WIDGET (window), BUSKER_TYPE_LOUDNESS_READOUT);
  g_assert_nonnull (readout);
  short_term_label = readout_value (readout, "S");
  g_assert_cmpstr (gtk_label_get_text (short_term_label), ==, "—");
  g_assert_cmpstr (gtk_label_get_text (readout_value (readout, "I")), ==, "—");
  player = play_as ("Rhythmbox", wav);
  gui_wait_until (short_term_reads, (gpointer) "−20.0", "short-term loudness −20.0 LUFS");
  g_assert_cmpstr (gtk_label_get_text (readout_value (readout, "I")), ==, "−20.0");
  g_assert_cmpstr (gtk_label_get_text (readout_value (readout, "TP")), ==, "−20.0");
  g_assert_cmpstr (gtk_label_get_text (readout_value (readout, "Corr")), ==, "+1.00");
  gui_spin (0.3); /* a frame with the values */
  gui_screenshot ("busker-loudness-readout.png");

  /* The app stops: the graph idles and Busker's node is no longer run;
   * what plays now is silence (the readout kept the last values, and the
   * strip its RMS bar, for good), the programme's integration stands. */
  g_subprocess_force_exit (player);
  g_subprocess_wait (player, NULL, NULL);
  gui_wait_until (short_term_reads, (gpointer) "—", "short-term loudness back to —");
  g_assert_cmpstr (gtk_label_get_text (readout_value (readout, "I")), ==, "−20.0");
  {
    BuskerStripMeter meter;
    BuskerStrip *music = busker_project_find_strip (busker_window_get_project (window), "music");
    g_assert_true (busker_session_read_strip_meter (busker_window_get_session (window), music, &meter));
    g_assert_true (isinf (meter.rms_db[0]) && meter.rms_db[0] < 0);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (wav);
  g_unlink (project);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  app = G_APPLICATION (busker_application_new ());
  g_assert_true (g_application_register (app, NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/gui/window-panels/apps-panel-fills-column", test_apps_panel_fills_column);
  g_test_add_func ("/gui/window-panels/insert-editor-names", test_insert_editor_names);
  if (g_getenv ("BUSKER_TEST_SINK") != NULL) /* window-panels-live: inside pw-harness */
    {
      g_test_add_func ("/gui/window-panels/apps-row-names-track", test_apps_row_names_track);
      g_test_add_func ("/gui/window-panels/apps-route-by-keyboard", test_apps_route_by_keyboard);
      g_test_add_func ("/gui/window-panels/loudness-readout", test_loudness_readout);
    }
  g_test_add_func ("/gui/window-panels/play-needs-live-and-files", test_play_needs_live_and_files);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
