/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The mixer widget on the demo project, on a real display
 * (run-under-xvfb), driven by real input (xdotool): strips in order and
 * grouped, names, fader ↔ model both ways, keyboard steps, double-click
 * and Ctrl+click to 0 dB, drags of a strip by its name onto a subgroup,
 * an aux bus and a bus that would loop, Ctrl+Z. The expected values come
 * from data/demo/demo.busker as written by hand, and from the model's own
 * routing answer for the refusal sentence.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdatomic.h>

#include "app/busker-application.h"
#include "mixer-test-util.h"
#include "engine/busker-plan-private.h"
#include "session/busker-session-private.h"
#include "widgets/busker-fader.h"

#define TITLE "Busker mixer test"

static char *demo_path;

/* data/demo/demo.busker, strips grouped: tracks, subgroups, aux, master. */
static const char *const demo_order[] = {
  "Kick", "Snare", "Hats", "Bass", "Keys", "Pad", "Lead", "Vocal",
  "Drums", "Music", "Reverb", "Delay", "Master",
};

static void
test_strips_in_order (void)
{
  MixerHost *host = mixer_host_new (demo_path, 1366, 768, TITLE);
  g_autoptr (GPtrArray) strips = g_ptr_array_new ();
  GtkWidget *scroller = find_type (GTK_WIDGET (host->mixer), GTK_TYPE_SCROLLED_WINDOW);

  collect_strips (GTK_WIDGET (host->mixer), strips);
  g_assert_cmpuint (strips->len, ==, G_N_ELEMENTS (demo_order));
  for (guint i = 0; i < strips->len; i++)
    {
      BuskerChannelStrip *cs = g_ptr_array_index (strips, i);
      BuskerStrip *strip = busker_channel_strip_get_strip (cs);
      GtkWidget *label = find_type (busker_channel_strip_get_header (cs), GTK_TYPE_LABEL);

      g_assert_cmpstr (busker_strip_get_name (strip), ==, demo_order[i]);
      /* The name label reads exactly the strip's name. */
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, demo_order[i]);
      /* Only the master is outside the scrolled row: pinned. */
      g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (cs), scroller)
                     == (i + 1 < strips->len));
    }
  /* Rename goes to the label. */
  busker_strip_set_name (busker_project_find_strip (host->project, "kick"), "Kick In");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_type (busker_channel_strip_get_header (g_ptr_array_index (strips, 0)), GTK_TYPE_LABEL))),
                   ==, "Kick In");

  mixer_screenshot ("busker-mixer.png");
  mixer_host_free (host);
}

static void
test_add_and_remove_strips (void)
{
  MixerHost *host = mixer_host_new (demo_path, 1366, 768, TITLE);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (host->project));
  g_autoptr (GPtrArray) strips = g_ptr_array_new ();
  BuskerStrip *added;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (host->mixer), "mixer.add-aux", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (host->project)), ==, n + 1);
  added = busker_project_find_strip (host->project, "aux-1");
  g_assert_nonnull (added);
  g_assert_cmpint (busker_strip_get_kind (added), ==, BUSKER_STRIP_AUX);
  g_assert_cmpstr (busker_strip_get_name (added), ==, "Aux 1");
  /* Shown among the aux buses: after Delay, before the master. */
  collect_strips (GTK_WIDGET (host->mixer), strips);
  g_assert_true (busker_channel_strip_get_strip (g_ptr_array_index (strips, 12)) == added);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (host->mixer), "mixer.add-subgroup", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (host->mixer), "mixer.add-live-track", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (host->project)), ==, n + 3);

  /* Select two strips and remove them: one undo step brings both back. */
  busker_channel_strip_set_selected (busker_mixer_get_strip_widget (host->mixer, added), TRUE);
  busker_channel_strip_set_selected (
    busker_mixer_get_strip_widget (host->mixer, busker_project_find_strip (host->project, "kick")), TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (host->mixer), "mixer.remove-selected", NULL));
  g_assert_null (busker_project_find_strip (host->project, "kick"));
  g_assert_null (busker_project_find_strip (host->project, "aux-1"));
  busker_project_undo (host->project);
  g_assert_nonnull (busker_project_find_strip (host->project, "kick"));
  g_assert_nonnull (busker_project_find_strip (host->project, "aux-1"));
  g_assert_nonnull (busker_mixer_get_strip_widget (host->mixer, busker_project_find_strip (host->project, "kick")));
  mixer_host_free (host);
}

static void
test_fader_binding (void)
{
  MixerHost *host = mixer_host_new (demo_path, 1366, 768, TITLE);
  BuskerStrip *kick = busker_project_find_strip (host->project, "kick");
  GtkRange *fader = GTK_RANGE (fader_of (host, "kick"));

  /* The file says −4 dB. */
  g_assert_cmpfloat (gtk_range_get_value (fader), ==, -4.0);
  busker_strip_set_gain_db (kick, -7.5);
  g_assert_cmpfloat (gtk_range_get_value (fader), ==, -7.5);
  gtk_range_set_value (fader, 3.0);
  g_assert_cmpfloat (busker_strip_get_gain_db (kick), ==, 3.0);
  /* The bottom of the travel is silence. */
  gtk_range_set_value (fader, -1000.0);
  g_assert_true (isinf (busker_strip_get_gain_db (kick)) && busker_strip_get_gain_db (kick) < 0);
  busker_strip_set_gain_db (kick, -INFINITY);
  g_assert_cmpfloat (gtk_range_get_value (fader), ==, BUSKER_FADER_GAIN_FLOOR_DB);
  mixer_host_free (host);
}

/* A real drag of a fader's handle with a session attached: the gain
 * goes to the running plan's store as it moves, and no plan is built
 * (the session counts every plan it builds). */
static void
test_fader_drag_no_rebuild (void)
{
  MixerHost *host = mixer_host_new (demo_path, 1366, 768, TITLE);
  g_autoptr (BuskerSession) session = busker_session_new_offline ();
  BuskerStrip *kick = busker_project_find_strip (host->project, "kick");
  GtkWidget *slider = find_css_name (GTK_WIDGET (fader_of (host, "kick")), "slider");
  BuskerPlan *plan;
  guint rebuilds;
  int x, y;

  busker_session_set_project (session, host->project);
  busker_mixer_set_session (host->mixer, session);
  mixer_spin (300);
  plan = busker_session_get_plan (session);
  g_assert_nonnull (plan);
  rebuilds = busker_session_get_n_rebuilds (session);

  /* The file says −4 dB; 150 px up is several dB louder. */
  g_assert_cmpfloat (busker_strip_get_gain_db (kick), ==, -4.0);
  mixer_widget_centre (slider, host->window, &x, &y);
  drag_points (x, y, x, y - 150);
  g_assert_cmpfloat (busker_strip_get_gain_db (kick), >, -1.0);
  g_assert_cmpfloat (atomic_load (&plan->strips[busker_session_get_strip_index (session, kick)].gain_db),
                     ==, (float) busker_strip_get_gain_db (kick));
  mixer_spin (300);
  g_assert_cmpuint (busker_session_get_n_rebuilds (session), ==, rebuilds);
  g_assert_true (busker_session_get_plan (session) == plan);
  /* The counter does count: a new bus is a new plan. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (host->mixer), "mixer.add-aux", NULL));
  mixer_spin (300);
  g_assert_cmpuint (busker_session_get_n_rebuilds (session), ==, rebuilds + 1);

  busker_mixer_set_session (host->mixer, NULL);
  mixer_host_free (host);
}

static float test_level_db = -INFINITY;

static gboolean
test_meter_reader (BuskerStrip *strip, BuskerStripMeter *meter, gpointer data)
{
  meter->peak_db[0] = meter->peak_db[1] = test_level_db;
  meter->rms_db[0] = meter->rms_db[1] = test_level_db;
  meter->gain_reduction_db = 0.0f;
  meter->fault = FALSE;
  return TRUE;
}

static void
count_frames_cb (GdkFrameClock *clock, guint *frames)
{
  (*frames)++;
}

static gboolean
meter_shows_level (gpointer data)
{
  return busker_level_meter_get_peak_db (data, 0) == test_level_db;
}

/* Meters at rest cost no frames: after a second of silence the frame
 * clock stops; a sound that starts shows at once (within the 100 ms of
 * the resting reader) and the frames resume. */
static void
test_meters_rest_in_silence (void)
{
  MixerHost *host = mixer_host_new (demo_path, 1366, 768, TITLE);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (host->window));
  BuskerLevelMeter *meter =
    busker_channel_strip_get_meter (busker_mixer_get_strip_widget (host->mixer,
                                                                   busker_project_find_strip (host->project, "kick")));
  guint frames = 0;
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (count_frames_cb), &frames);

  /* The pointer off the window: no tooltip comes up to draw frames. */
  mixer_xdotool ((const char *const[]) { "mousemove", "1590", "890", NULL });
  test_level_db = -INFINITY;
  busker_mixer_set_meter_rate (host->mixer, 60);
  busker_mixer_set_meter_reader (host->mixer, test_meter_reader, NULL);
  mixer_spin (300);
  g_assert_cmpuint (frames, >, 5); /* ticking */
  mixer_spin (1200);
  frames = 0;
  mixer_spin (500);
  g_assert_cmpuint (frames, ==, 0);

  test_level_db = -20.0f;
  mixer_spin (150);
  g_assert_cmpfloat (busker_level_meter_get_peak_db (meter, 0), ==, -20.0f);
  g_assert_cmpuint (frames, >, 0);
  /* A steady level is at rest too. */
  mixer_spin (1500);
  frames = 0;
  mixer_spin (500);
  g_assert_cmpuint (frames, ==, 0);
  test_level_db = -10.0f;
  mixer_wait_until (meter_shows_level, meter, "the meter to show -10 dB");

  g_signal_handler_disconnect (clock, handler);
  busker_mixer_set_meter_reader (host->mixer, NULL, NULL);
  mixer_host_free (host);
}

static void
test_fader_keys_and_clicks (void)
{
  MixerHost *host = mixer_host_new (demo_path, 1366, 768, TITLE);
  BuskerStrip *snare = busker_project_find_strip (host->project, "snare");
  GtkWidget *fader = GTK_WIDGET (fader_of (host, "snare"));
  g_autofree char *xs = NULL, *ys = NULL;
  int x, y;

  focus_host (host);
  /* Keys: 0.5 dB steps (the file says −2 dB). */
  gtk_widget_grab_focus (fader);
  mixer_spin (100);
  mixer_xdotool ((const char *const[]) { "key", "--delay", "50", "Up", "Up", "Up", NULL });
  mixer_spin (100);
  g_assert_cmpfloat_with_epsilon (busker_strip_get_gain_db (snare), -0.5, 1e-9);
  mixer_xdotool ((const char *const[]) { "key", "Down", NULL });
  mixer_spin (100);
  g_assert_cmpfloat_with_epsilon (busker_strip_get_gain_db (snare), -1.0, 1e-9);
  /* The value shows beside the handle while it moves. */
  mixer_screenshot ("busker-fader-moving.png");
  /* M and S on the focused strip: its mute and solo, one step each. */
  mixer_xdotool ((const char *const[]) { "key", "--delay", "50", "m", "s", NULL });
  mixer_spin (100);
  g_assert_true (busker_strip_get_mute (snare));
  g_assert_true (busker_strip_get_solo (snare));
  g_assert_false (busker_strip_get_mute (busker_project_find_strip (host->project, "kick")));
  busker_project_undo (host->project);
  busker_project_undo (host->project);
  g_assert_false (busker_strip_get_mute (snare));

  /* Double-click on the handle returns to 0 dB, as one undo step. */
  busker_strip_set_gain_db (snare, -12.0);
  mixer_spin (100);
  /* On the handle (GtkRange's "slider" node), where a user grabs it. */
  mixer_widget_centre (find_css_name (fader, "slider"), host->window, &x, &y);
  xs = g_strdup_printf ("%d", x);
  ys = g_strdup_printf ("%d", y);
  mixer_xdotool ((const char *const[]) { "mousemove", xs, ys, "click", "--repeat", "2",
                                          "--delay", "80", "1", NULL });
  mixer_spin (300);
  g_assert_cmpfloat (busker_strip_get_gain_db (snare), ==, 0.0);
  busker_project_undo (host->project);
  g_assert_cmpfloat (busker_strip_get_gain_db (snare), ==, -12.0);

  /* Ctrl+click anywhere on the fader: 0 dB. */
  mixer_spin (300);
  mixer_xdotool ((const char *const[]) { "keydown", "ctrl", "click", "1", "keyup", "ctrl", NULL });
  mixer_spin (300);
  g_assert_cmpfloat (busker_strip_get_gain_db (snare), ==, 0.0);
  mixer_host_free (host);
}

static void
test_drag_routing (void)
{
  MixerHost *host = mixer_host_new (demo_path, 1366, 768, TITLE);
  BuskerStrip *kick = busker_project_find_strip (host->project, "kick");
  BuskerStrip *drums = busker_project_find_strip (host->project, "drums");
  BuskerStrip *music = busker_project_find_strip (host->project, "music");
  g_autofree char *reason = NULL;
  g_autoptr (GError) error = NULL;

  focus_host (host);
  /* Onto a subgroup: the output (the file says drums). */
  g_assert_cmpstr (busker_strip_get_output (kick), ==, "drums");
  drag_strip (host, "kick", "music");
  g_assert_cmpstr (busker_strip_get_output (kick), ==, "music");

  /* Ctrl+Z, a real key press: back to drums. */
  mixer_xdotool ((const char *const[]) { "key", "ctrl+z", NULL });
  mixer_spin (200);
  g_assert_cmpstr (busker_strip_get_output (kick), ==, "drums");

  /* Onto an aux bus: a send. */
  g_assert_false (has_send_to (kick, "reverb"));
  drag_strip (host, "kick", "reverb");
  g_assert_true (has_send_to (kick, "reverb"));
  g_assert_cmpstr (busker_strip_get_output (kick), ==, "drums");

  /* Onto the master: back to the master. */
  drag_strip (host, "kick", "master");
  g_assert_cmpstr (busker_strip_get_output (kick), ==, "master");

  /* The output button opens a menu of the buses (a real click); its
   * action sets the output through the model. */
  {
    BuskerChannelStrip *cs = busker_mixer_get_strip_widget (host->mixer, kick);
    GtkWidget *button = find_css_class (GTK_WIDGET (cs), "output");
    GtkWidget *popover;
    int x, y;
    g_autofree char *sx = NULL, *sy = NULL;

    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Master");
    mixer_widget_centre (button, host->window, &x, &y);
    sx = g_strdup_printf ("%d", x);
    sy = g_strdup_printf ("%d", y);
    mixer_xdotool ((const char *const[]) { "mousemove", sx, sy, "click", "1", NULL });
    mixer_spin (300);
    popover = find_type (GTK_WIDGET (cs), GTK_TYPE_POPOVER_MENU);
    g_assert_nonnull (popover);
    g_assert_true (gtk_widget_get_mapped (popover));
    mixer_screenshot ("busker-mixer-output-menu.png");
    mixer_xdotool ((const char *const[]) { "key", "Escape", NULL });
    mixer_spin (200);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (cs), "strip.set-output", "s", "drums"));
    g_assert_cmpstr (busker_strip_get_output (kick), ==, "drums");
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Drums");
    busker_strip_set_name (drums, "Drum Bus");
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Drum Bus");
    busker_project_undo (host->project);
    busker_project_undo (host->project);
  }

  /* A loop: Music feeds Drums, so Drums onto Music is refused with the
   * model's sentence, and nothing changes. */
  g_assert_true (busker_project_set_output (host->project, music, drums, &error));
  g_assert_no_error (error);
  g_assert_false (busker_project_can_route (host->project, drums, music, &reason));
  g_assert_nonnull (strstr (reason, "would feed back"));
  g_ptr_array_set_size (host->messages, 0);
  drag_strip (host, "drums", "music");
  g_assert_cmpstr (busker_strip_get_output (drums), ==, "master");
  g_assert_cmpuint (host->messages->len, >=, 1);
  g_assert_cmpstr (g_ptr_array_index (host->messages, 0), ==, reason);
  mixer_screenshot ("busker-mixer-after-drags.png");
  mixer_host_free (host);
}

/* Files dragged from another program (a stand-in file manager, its own
 * process: a real XDND drop): audio files become file tracks, one undo
 * step; a text file is refused with a sentence naming it. */
static void
test_drop_files (void)
{
  MixerHost *host = mixer_host_new (demo_path, 1366, 768, TITLE);
  g_autofree char *dir = g_dir_make_tmp ("busker-drop-XXXXXX", NULL);
  g_autofree char *wav = g_build_filename (dir, "loop.wav", NULL);
  g_autofree char *txt = g_build_filename (dir, "notes.txt", NULL);
  const char *source_bin = g_getenv ("BUSKER_FILE_DRAG_SOURCE");
  /* RIFF/WAVE magic, so the content type is audio by data, not only name */
  static const char wave[] = "RIFF\x24\0\0\0WAVEfmt ";
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) source = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *ready = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (host->project));
  BuskerStrip *loop;
  int x, y;

  g_assert_nonnull (source_bin);
  g_assert_true (g_file_set_contents (wav, wave, sizeof wave, &error));
  g_assert_true (g_file_set_contents (txt, "just words\n", -1, &error));
  source = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, source_bin,
                             "Busker file source", wav, txt, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (source));
  ready = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_cmpstr (ready, ==, "ready");
  /* Below the mixer window (both sit at 0,0 without a window manager). */
  mixer_xdotool ((const char *const[]) { "search", "--sync", "--name", "^Busker file source$",
                                          "windowmove", "--sync", "100", "800", NULL });
  mixer_spin (300);
  mixer_widget_centre (GTK_WIDGET (host->mixer), host->window, &x, &y);
  drag_points (200, 840, x, y);
  for (int i = 0; i < 40 && g_list_model_get_n_items (G_LIST_MODEL (host->project)) == n; i++)
    mixer_spin (100);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (host->project)), ==, n + 1);
  loop = busker_project_find_strip (host->project, "loop");
  g_assert_nonnull (loop);
  g_assert_cmpint (busker_strip_get_kind (loop), ==, BUSKER_STRIP_TRACK);
  g_assert_cmpstr (busker_strip_get_name (loop), ==, "loop");
  g_assert_cmpstr (busker_source_get_path (busker_strip_get_source (loop)), ==, wav);
  g_assert_nonnull (busker_mixer_get_strip_widget (host->mixer, loop));
  g_assert_cmpuint (host->messages->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (host->messages, 0), "notes.txt"));
  g_assert_nonnull (strstr (g_ptr_array_index (host->messages, 0), "is not an audio file"));
  busker_project_undo (host->project);
  g_assert_null (busker_project_find_strip (host->project, "loop"));

  g_subprocess_force_exit (source);
  g_subprocess_wait (source, NULL, NULL);
  g_unlink (wav);
  g_unlink (txt);
  g_rmdir (dir);
  mixer_host_free (host);
}

static GdkContentProvider *
on_stream_prepare_cb (GtkDragSource *source, double x, double y, BuskerAppStream *stream)
{
  return gdk_content_provider_new_typed (BUSKER_TYPE_APP_STREAM, stream);
}

/* Drags the stream from a label in its own little window onto strip. */
static void
drag_stream (MixerHost *host, GtkWidget *label, BuskerStrip *strip)
{
  int x, y;

  mixer_widget_centre (GTK_WIDGET (busker_mixer_get_strip_widget (host->mixer, strip)),
                       host->window, &x, &y);
  drag_points (200, 840, x, y);
  mixer_spin (200);
}

/* An application stream (what the window's Apps panel drags) dropped on a
 * live track goes to the session, which remembers the app in the track's
 * source (one undo step); on a file track the session's sentence is the
 * message. The session is offline: routing the node itself needs
 * PipeWire, remembering does not. */
static void
test_drop_app_stream (void)
{
  MixerHost *host = mixer_host_new (demo_path, 1366, 768, TITLE);
  g_autoptr (BuskerSession) session = busker_session_new_offline ();
  BuskerLiveStream live_stream = { .node_id = 77, .app_name = "Firefox", .app_key = "firefox" };
  g_autoptr (BuskerAppStream) stream = busker_app_stream_new (&live_stream);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *label = gtk_label_new ("Firefox");
  GtkDragSource *source = gtk_drag_source_new ();
  BuskerStrip *live, *kick = busker_project_find_strip (host->project, "kick");
  const char *const *apps;
  g_autoptr (GError) error = NULL;

  busker_session_set_project (session, host->project);
  busker_mixer_set_session (host->mixer, session);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (host->mixer), "mixer.add-live-track", NULL));
  live = busker_project_find_strip (host->project, "live-1");
  g_assert_nonnull (live);
  mixer_spin (300);

  gtk_window_set_title (GTK_WINDOW (window), "Busker stream source");
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 240, 80);
  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (on_stream_prepare_cb), stream);
  gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (source));
  gtk_window_set_child (GTK_WINDOW (window), label);
  gtk_window_present (GTK_WINDOW (window));
  mixer_xdotool ((const char *const[]) { "search", "--sync", "--name", "^Busker stream source$",
                                          "windowmove", "--sync", "100", "800", NULL });
  mixer_spin (300);

  drag_stream (host, label, live);
  apps = busker_source_get_apps (busker_strip_get_source (live));
  g_assert_nonnull (apps);
  g_assert_true (g_strv_contains (apps, "firefox"));
  busker_project_undo (host->project);
  apps = busker_source_get_apps (busker_strip_get_source (live));
  g_assert_true (apps == NULL || !g_strv_contains (apps, "firefox"));

  g_ptr_array_set_size (host->messages, 0);
  drag_stream (host, label, kick);
  g_assert_cmpuint (host->messages->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (host->messages, 0), "is not a live track"));

  gtk_window_destroy (GTK_WINDOW (window));
  busker_mixer_set_session (host->mixer, NULL);
  mixer_host_free (host);
}

/* A project of 40 tracks, 2 subgroups and the master, written to a
 * temporary file; its path (g_free) in *path, the folder in *dir. */
static BuskerProject *
load_many_strips (char **dir, char **path)
{
  g_autoptr (GString) json = g_string_new ("{ \"format\": 1, \"name\": \"Many\", "
                                           "\"sample_rate\": 48000, \"tempo_bpm\": 120, \"strips\": [");
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL;
  BuskerProject *project;

  for (int i = 0; i < 40; i++)
    g_string_append_printf (json, "{ \"id\": \"t%d\", \"kind\": \"track\", \"name\": \"Track %d\", "
                            "\"output\": \"g%d\" },", i, i + 1, i % 2);
  g_string_append (json, "{ \"id\": \"g0\", \"kind\": \"subgroup\", \"name\": \"Group 1\" },"
                         "{ \"id\": \"g1\", \"kind\": \"subgroup\", \"name\": \"Group 2\" },"
                         "{ \"id\": \"master\", \"kind\": \"master\", \"name\": \"Master\" } ] }");
  *dir = g_dir_make_tmp ("busker-mixer-XXXXXX", &error);
  g_assert_no_error (error);
  *path = g_build_filename (*dir, "many.busker", NULL);
  g_assert_true (g_file_set_contents (*path, json->str, -1, &error));
  file = g_file_new_for_path (*path);
  project = busker_project_load (file, &error);
  g_assert_no_error (error);
  return project;
}

static guint
count_strips (GtkWidget *mixer)
{
  g_autoptr (GPtrArray) strips = g_ptr_array_new ();

  collect_strips (mixer, strips);
  return strips->len;
}

/* As many strip widgets as the project has strips. */
static gboolean
all_strips_built (gpointer data)
{
  BuskerMixer *mixer = data;

  return count_strips (data) == g_list_model_get_n_items (G_LIST_MODEL (busker_mixer_get_project (mixer)));
}

/* Start-up: the first 24 strips and the master before the first frame,
 * the rest soon after in the project's order by themselves, at once
 * when something asks for one; edits meanwhile (a strip not yet built
 * removed, a built one removed) keep the order. */
static void
test_many_strips_built_later (void)
{
  g_autofree char *dir = NULL, *path = NULL;
  g_autoptr (BuskerProject) project = load_many_strips (&dir, &path);
  GListModel *model = G_LIST_MODEL (project);
  GtkWidget *mixer;
  g_autoptr (GPtrArray) strips = g_ptr_array_new ();
  BuskerStrip *t35 = busker_project_find_strip (project, "t35");

  busker_ensure_resources ();
  mixer = g_object_ref_sink (busker_mixer_new ());
  busker_mixer_set_project (BUSKER_MIXER (mixer), project);
  g_assert_cmpuint (count_strips (mixer), ==, 24 + 1);
  mixer_wait_until (all_strips_built, mixer, "the other strips to be built");
  collect_strips (mixer, strips);
  g_assert_cmpuint (strips->len, ==, 43);
  for (guint i = 0; i < strips->len; i++)
    {
      g_autoptr (BuskerStrip) strip = g_list_model_get_item (model, i);
      g_assert_true (busker_channel_strip_get_strip (g_ptr_array_index (strips, i)) == strip);
    }
  busker_mixer_set_project (BUSKER_MIXER (mixer), NULL);
  g_assert_cmpuint (count_strips (mixer), ==, 0);

  /* Asked for a strip not built yet: all are built then. */
  busker_mixer_set_project (BUSKER_MIXER (mixer), project);
  g_assert_cmpuint (count_strips (mixer), ==, 24 + 1);
  g_assert_nonnull (busker_mixer_get_strip_widget (BUSKER_MIXER (mixer), t35));
  g_assert_cmpuint (count_strips (mixer), ==, 43);
  busker_mixer_set_project (BUSKER_MIXER (mixer), NULL);

  /* Gone before it was built, and the project dropped half-built. */
  busker_mixer_set_project (BUSKER_MIXER (mixer), project);
  busker_project_remove_strip (project, t35);
  busker_project_remove_strip (project, busker_project_find_strip (project, "t3"));
  g_assert_cmpuint (count_strips (mixer), ==, 23 + 1);
  mixer_wait_until (all_strips_built, mixer, "the other strips to be built");
  g_ptr_array_set_size (strips, 0);
  collect_strips (mixer, strips);
  for (guint i = 0; i < strips->len; i++)
    {
      g_autoptr (BuskerStrip) strip = g_list_model_get_item (model, i);
      g_assert_true (busker_channel_strip_get_strip (g_ptr_array_index (strips, i)) == strip);
    }
  busker_mixer_set_project (BUSKER_MIXER (mixer), NULL);
  busker_mixer_set_project (BUSKER_MIXER (mixer), project);
  g_object_unref (mixer);
  g_assert_no_errno (g_unlink (path));
  g_assert_no_errno (g_rmdir (dir));
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  demo_path = g_build_filename (SOURCE_DATADIR, "demo", "demo.busker", NULL);

  g_test_add_func ("/gui/mixer/strips-in-order", test_strips_in_order);
  g_test_add_func ("/gui/mixer/many-strips-built-later", test_many_strips_built_later);
  g_test_add_func ("/gui/mixer/add-and-remove-strips", test_add_and_remove_strips);
  g_test_add_func ("/gui/mixer/fader-binding", test_fader_binding);
  g_test_add_func ("/gui/mixer/fader-keys-and-clicks", test_fader_keys_and_clicks);
  g_test_add_func ("/gui/mixer/fader-drag-no-rebuild", test_fader_drag_no_rebuild);
  g_test_add_func ("/gui/mixer/meters-rest-in-silence", test_meters_rest_in_silence);
  g_test_add_func ("/gui/mixer/drag-routing", test_drag_routing);
  g_test_add_func ("/gui/mixer/drop-files", test_drop_files);
  g_test_add_func ("/gui/mixer/drop-app-stream", test_drop_app_stream);
  return g_test_run ();
}
