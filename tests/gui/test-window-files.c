/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window's files with real key presses (xdotool) on a real display
 * (tests/gui/run-under-xvfb): Ctrl+S writes a file that loads again equal;
 * a save into a folder that refuses writes keeps the old file and says
 * why; Ctrl+E → Export writes the mix beside the project, as long and as
 * loud (ffmpeg's EBU R 128 meter) as `busker-export` of the same project;
 * a broken project leaves the shown one alone; closing with unsaved edits
 * asks; an autosave survives SIGKILL and is offered at the next open.
 *
 * The read-only folder: tests run as root here, and root writes through
 * permission bits, so as root the folder is made immutable (chattr +i,
 * which root obeys; needs ext4/xfs/btrfs under the build tree) and as
 * another user it is chmod 0555. The attribute is removed before any
 * assertion can abort.
 *
 * Needs BUSKER_DEMO (build/data/demo/demo.busker, with its stems) and
 * BUSKER_EXPORT (build/src/busker-export).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <sndfile.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/busker-application.h"
#include "app/busker-export-dialog.h"
#include "app/busker-i18n.h"
#include "app/busker-recovery.h"
#include "app/busker-window.h"
#include "gui-util.h"

/* The dialogs waited for, as gui_toplevel_shown/gone's data. */
#define MESSAGE_DIALOG GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG)
#define EXPORT_DIALOG GSIZE_TO_POINTER (BUSKER_TYPE_EXPORT_DIALOG)

static BuskerApplication *app;
static gboolean german;

/* A copy of the demo project in a fresh folder of the build tree, its
 * stems linked in. Returns the project path; *dir the folder. */
static char *
copy_demo (char **dir)
{
  const char *demo = g_getenv ("BUSKER_DEMO");
  g_autofree char *demo_dir = NULL;
  g_autofree char *stems = NULL;
  g_autofree char *link = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  g_autofree char *template = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "gui-XXXXXX", NULL);
  gsize length;

  g_assert_nonnull (demo);
  demo_dir = g_path_get_dirname (demo);
  *dir = g_mkdtemp (g_steal_pointer (&template));
  g_assert_nonnull (*dir);
  stems = g_build_filename (demo_dir, "stems", NULL);
  link = g_build_filename (*dir, "stems", NULL);
  g_assert_cmpint (symlink (stems, link), ==, 0);
  g_assert_true (g_file_get_contents (demo, &text, &length, NULL));
  path = g_build_filename (*dir, "demo.busker", NULL);
  g_assert_true (g_file_set_contents (path, text, (gssize) length, NULL));
  return g_steal_pointer (&path);
}

static void
remove_tree (const char *dir)
{
  const char *argv[] = { "rm", "-rf", dir, NULL };
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

static BuskerWindow *
open_window (const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  BuskerWindow *window = busker_window_new (GTK_APPLICATION (app));

  gtk_window_present (GTK_WINDOW (window));
  busker_window_open_file (window, file);
  gui_wait_until (gui_is_mapped, window, "the window to map");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_nonnull (busker_window_get_project (window));
  return window;
}

static BuskerStrip *
strip (BuskerWindow *window, const char *id)
{
  BuskerStrip *found = busker_project_find_strip (busker_window_get_project (window), id);
  g_assert_nonnull (found);
  return found;
}

static gboolean
not_modified (gpointer window)
{
  return !busker_window_get_modified (window);
}

static const char *
title_of (BuskerWindow *window)
{
  AdwWindowTitle *title = ADW_WINDOW_TITLE (gui_find_descendant (GTK_WIDGET (window),
                                                                  ADW_TYPE_WINDOW_TITLE));
  return adw_window_title_get_title (title);
}

static char *
read_text (const char *path)
{
  char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
test_demo_screenshot (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = copy_demo (&dir);
  BuskerWindow *window = open_window (path);
  GtkRevealer *bar;

  g_assert_cmpstr (title_of (window), ==, "Demo song");
  /* No PipeWire in the test's world: the bar says live audio is off. */
  bar = GTK_REVEALER (gui_find_descendant (GTK_WIDGET (window), GTK_TYPE_REVEALER));
  g_assert_false (busker_session_get_live (busker_window_get_session (window)));
  g_assert_true (gtk_revealer_get_reveal_child (bar));
  gui_spin (0.5);
  gui_screenshot (german ? "busker-demo-de.png" : "busker-demo.png");
  gtk_window_destroy (GTK_WINDOW (window));
  remove_tree (dir);
}

/* An edit, Ctrl+S: the file is written, loads again equal, the mark goes. */
static void
test_ctrl_s_saves (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = copy_demo (&dir);
  BuskerWindow *window = open_window (path);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (BuskerProject) reloaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *saved = NULL;
  gsize length;

  busker_strip_set_gain_db (strip (window, "kick"), -7.5);
  g_assert_true (busker_window_get_modified (window));
  g_assert_cmpstr (title_of (window), ==, "• Demo song");

  gui_press_keys (GTK_WINDOW (window), "ctrl+s");
  gui_wait_until (not_modified, window, "Ctrl+S to save");
  g_assert_cmpstr (title_of (window), ==, "Demo song");

  reloaded = busker_project_load (file, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (busker_strip_get_gain_db (busker_project_find_strip (reloaded, "kick")), ==, -7.5);
  shown = busker_project_to_data (busker_window_get_project (window), &length);
  saved = busker_project_to_data (reloaded, &length);
  g_assert_cmpstr (saved, ==, shown);

  gtk_window_destroy (GTK_WINDOW (window));
  remove_tree (dir);
}

static gboolean
kick_at (gpointer data)
{
  BuskerWindow *window = ((gpointer *) data)[0];
  const double *want = ((gpointer *) data)[1];
  return busker_strip_get_gain_db (busker_project_find_strip (busker_window_get_project (window),
                                                              "kick")) == *want;
}

/* Ctrl+Z undoes an edit, Shift+Ctrl+Z redoes it, and the • follows. */
static void
test_undo_redo_keys (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = copy_demo (&dir);
  BuskerWindow *window = open_window (path);
  double before = busker_strip_get_gain_db (strip (window, "kick"));
  double after = -12.5;
  gpointer undone[] = { window, &before };
  gpointer redone[] = { window, &after };

  g_assert_cmpfloat (before, !=, after);
  busker_strip_set_gain_db (strip (window, "kick"), after);
  g_assert_true (busker_window_get_modified (window));
  gui_press_keys (GTK_WINDOW (window), "ctrl+z");
  gui_wait_until (kick_at, undone, "Ctrl+Z to undo");
  g_assert_false (busker_window_get_modified (window));
  g_assert_cmpstr (title_of (window), ==, "Demo song");
  gui_press_keys (GTK_WINDOW (window), "shift+ctrl+z");
  gui_wait_until (kick_at, redone, "Shift+Ctrl+Z to redo");
  g_assert_true (busker_window_get_modified (window));

  busker_project_undo (busker_window_get_project (window));
  gtk_window_destroy (GTK_WINDOW (window));
  remove_tree (dir);
}

static gboolean
popover_open (GtkWidget *widget)
{
  if (GTK_IS_POPOVER (widget) && gtk_widget_get_mapped (widget))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (popover_open (child))
      return TRUE;
  return FALSE;
}

static void
count_activation (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  (*(int *) data)++;
}

static gboolean
activated_once (gpointer data)
{
  return *(int *) data == 1;
}

/* Space reaches the transport's play/pause (what it then does is the
 * session's). */
static gboolean
session_live (gpointer window)
{
  return busker_session_get_live (busker_window_get_session (window));
}

static void
test_space_plays (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = copy_demo (&dir);
  BuskerWindow *window = open_window (path);
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (window), "play-pause");
  int count = 0;

  /* Play needs live audio (the test runs inside pw-harness). */
  gui_wait_until (session_live, window, "live audio");
  g_assert_true (g_action_get_enabled (action));
  g_signal_connect (action, "activate", G_CALLBACK (count_activation), &count);
  /* As the window opens: the first header button has the focus. */
  g_assert_nonnull (gtk_root_get_focus (GTK_ROOT (window)));
  g_assert_nonnull (gtk_widget_get_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                             ADW_TYPE_HEADER_BAR));
  gui_press_keys (GTK_WINDOW (window), "space");
  gui_wait_until (activated_once, &count, "Space to play");
  /* The Add menu did not open instead. */
  gui_spin (0.3);
  g_assert_false (popover_open (GTK_WIDGET (window)));
  gtk_window_destroy (GTK_WINDOW (window));
  remove_tree (dir);
}

static gboolean
make_read_only (const char *dir, gboolean read_only)
{
  int status = 1;

  if (geteuid () == 0)
    {
      const char *argv[] = { "chattr", read_only ? "+i" : "-i", dir, NULL };
      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                    &status, NULL);
      return g_spawn_check_wait_status (status, NULL);
    }
  return g_chmod (dir, read_only ? 0555 : 0755) == 0;
}

/* Ctrl+S into a folder that refuses writes: the old file stays, the
 * project stays modified, and a dialog gives the model's whole sentence,
 * which names the file and the reason. */
static void
test_save_fails_read_only (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = copy_demo (&dir);
  g_autofree char *before = read_text (path);
  g_autofree char *after = NULL;
  g_autofree char *expected = g_strdup_printf ("Could not save %s", path);
  BuskerWindow *window = open_window (path);
  AdwMessageDialog *dialog;
  gboolean shown, unlocked;
  const char *body;

  busker_strip_set_gain_db (strip (window, "kick"), -9.0);
  g_assert_true (make_read_only (dir, TRUE));
  gui_press_keys (GTK_WINDOW (window), "ctrl+s");
  shown = gui_wait (gui_toplevel_shown, MESSAGE_DIALOG, 30.0);
  unlocked = make_read_only (dir, FALSE);

  g_assert_true (unlocked);
  g_assert_true (shown);
  dialog = ADW_MESSAGE_DIALOG (gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  body = adw_message_dialog_get_body (dialog);
  g_test_message ("dialog: %s — %s", adw_message_dialog_get_heading (dialog), body);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                   german ? "Speichern fehlgeschlagen" : "Could Not Save");
  g_assert_true (g_str_has_prefix (body, expected));
  g_assert_nonnull (strstr (body, g_strerror (geteuid () == 0 ? EPERM : EACCES)));
  after = read_text (path);
  g_assert_cmpstr (after, ==, before);
  g_assert_true (busker_window_get_modified (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  gui_screenshot (german ? "busker-save-failed-de.png" : "busker-save-failed.png");
  gui_press_keys (GTK_WINDOW (dialog), "Escape");
  gui_wait_until (gui_toplevel_gone, MESSAGE_DIALOG, "Escape to close the dialog");

  /* Discard, so closing does not ask. */
  busker_project_undo (busker_window_get_project (window));
  gtk_window_destroy (GTK_WINDOW (window));
  remove_tree (dir);
}

typedef struct
{
  sf_count_t frames;
  int rate;
  double integrated_lufs;
} Measured;

/* Length by libsndfile, loudness by ffmpeg's ebur128 filter (not our
 * libebur128 code path). */
static Measured
measure (const char *wav)
{
  SF_INFO info = { 0 };
  SNDFILE *sf = sf_open (wav, SFM_READ, &info);
  const char *argv[] = { "ffmpeg", "-nostats", "-hide_banner", "-i", wav,
                         "-filter_complex", "ebur128", "-f", "null", "-", NULL };
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  Measured m = { 0 };
  const char *summary, *integrated;
  int status = 0;

  g_assert_nonnull (sf);
  m.frames = info.frames;
  m.rate = info.samplerate;
  sf_close (sf);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* ffmpeg configures the graph twice; the last summary is the file's. */
  summary = g_strrstr (err, "Summary:");
  g_assert_nonnull (summary);
  integrated = strstr (summary, "I:");
  g_assert_nonnull (integrated);
  m.integrated_lufs = g_ascii_strtod (integrated + 2, NULL);
  return m;
}

/* busker-export PROJECT -o OUT [OPTIONS...]; it must succeed. */
static void
run_cli_export (const char *project, const char *out, const char *const *options)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_assert_nonnull (g_getenv ("BUSKER_EXPORT"));
  g_ptr_array_add (argv, (char *) g_getenv ("BUSKER_EXPORT"));
  g_ptr_array_add (argv, "-q");
  g_ptr_array_add (argv, (char *) project);
  g_ptr_array_add (argv, "-o");
  g_ptr_array_add (argv, (char *) out);
  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) options[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, 0, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* Ctrl+E, Enter: the mix lands beside the project as "<name>.wav", as
 * long and as loud as busker-export makes it. */
static void
test_ctrl_e_exports (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = copy_demo (&dir);
  g_autofree char *mix = g_build_filename (dir, "Demo song.wav", NULL);
  g_autofree char *reference = g_build_filename (dir, "reference.wav", NULL);
  BuskerWindow *window = open_window (path);
  GtkWindow *dialog;
  g_autofree char *texts = NULL;
  Measured ours, theirs;

  gui_press_keys (GTK_WINDOW (window), "ctrl+e");
  gui_wait_until (gui_toplevel_shown, EXPORT_DIALOG, "Ctrl+E to open the export dialog");
  dialog = gui_find_toplevel (BUSKER_TYPE_EXPORT_DIALOG);
  g_assert_cmpstr (gtk_window_get_title (dialog), ==, german ? "Mixdown exportieren" : "Export Mixdown");
  g_assert_cmpstr (busker_export_dialog_get_path (BUSKER_EXPORT_DIALOG (dialog)), ==, mix);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  gui_screenshot (german ? "busker-export-dialog-de.png" : "busker-export-dialog.png");
  gui_press_keys (dialog, "Return");
  gui_wait_until (gui_toplevel_gone, EXPORT_DIALOG, "the export to finish");
  texts = gui_toast_texts (GTK_WIDGET (window));
  g_test_message ("toast: %s", texts);
  g_assert_nonnull (strstr (texts, german ? "Demo song.wav exportiert" : "Exported Demo song.wav"));
  g_assert_nonnull (strstr (texts, "LUFS"));
  gui_spin (0.5); /* the toast slides in */
  gui_screenshot (german ? "busker-exported-de.png" : "busker-exported.png");

  run_cli_export (path, reference, NULL);
  ours = measure (mix);
  theirs = measure (reference);
  g_test_message ("window: %" G_GINT64_FORMAT " frames, %.1f LUFS; busker-export: %"
                  G_GINT64_FORMAT " frames, %.1f LUFS", (gint64) ours.frames,
                  ours.integrated_lufs, (gint64) theirs.frames, theirs.integrated_lufs);
  g_assert_cmpint (ours.rate, ==, 48000);
  g_assert_cmpint (ours.frames, ==, theirs.frames);
  g_assert_cmpint (ours.frames, >, 48000);
  g_assert_cmpfloat_with_epsilon (ours.integrated_lufs, theirs.integrated_lufs, 0.1);
  /* The toast's report: "Exported NAME — −15.9 LUFS, …", as ffmpeg measures. */
  {
    const char *dash = strstr (texts, "— ");
    g_autofree char *number = NULL;
    char *lufs;

    g_assert_nonnull (dash);
    number = g_strdup (dash + strlen ("— "));
    lufs = strstr (number, " LUFS");
    g_assert_nonnull (lufs);
    *lufs = '\0';
    g_assert_true (g_str_has_prefix (number, "−"));
    g_assert_cmpfloat_with_epsilon (-g_ascii_strtod (number + strlen ("−"), NULL),
                                    ours.integrated_lufs, 0.1);
  }
  g_assert_true (isfinite (ours.integrated_lufs) && ours.integrated_lufs > -40);

  gtk_window_destroy (GTK_WINDOW (window));
  remove_tree (dir);
}

/* An export onto a file that exists asks first (it replaced last week's
 * mix without a word): Escape keeps the old file byte for byte and the
 * dialog open; Replace writes the new mix. */
static void
test_export_asks_before_replacing (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = copy_demo (&dir);
  g_autofree char *mix = g_build_filename (dir, "Demo song.wav", NULL);
  BuskerWindow *window = open_window (path);
  GtkWindow *dialog, *question;
  g_autofree char *kept = NULL;
  gsize length;
  Measured written;

  g_assert_true (g_file_set_contents (mix, "last week's mix", -1, NULL));
  gui_press_keys (GTK_WINDOW (window), "ctrl+e");
  gui_wait_until (gui_toplevel_shown, EXPORT_DIALOG, "Ctrl+E to open the export dialog");
  dialog = gui_find_toplevel (BUSKER_TYPE_EXPORT_DIALOG);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  gui_press_keys (dialog, "Return");
  gui_wait_until (gui_toplevel_shown, MESSAGE_DIALOG, "a question before replacing Demo song.wav");
  question = gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (question)), ==,
                   german ? "Vorhandene Dateien ersetzen?" : "Replace Existing Files?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (question)),
                            "Demo song.wav"));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (question));
  gui_screenshot (german ? "busker-export-replace-de.png" : "busker-export-replace.png");
  gui_press_keys (question, "Escape");
  gui_wait_until (gui_toplevel_gone, MESSAGE_DIALOG, "Escape to answer Cancel");
  gui_spin (0.5);
  g_assert_true (g_file_get_contents (mix, &kept, &length, NULL));
  g_assert_cmpstr (kept, ==, "last week's mix");
  g_assert_true (gui_toplevel_shown (EXPORT_DIALOG));

  gui_press_keys (dialog, "Return");
  gui_wait_until (gui_toplevel_shown, MESSAGE_DIALOG, "the question again");
  question = gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (question), "replace");
  gui_wait_until (gui_toplevel_gone, EXPORT_DIALOG, "the export to finish");
  written = measure (mix);
  g_assert_cmpint (written.rate, ==, 48000);
  g_assert_cmpint (written.frames, >, 48000);

  gtk_window_destroy (GTK_WINDOW (window));
  remove_tree (dir);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

static GPtrArray *
sorted_names (const char *dir)
{
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return names;
}

/* Export Stems…: the same stems as busker-export --stems, beside the mix. */
static void
test_export_stems (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = copy_demo (&dir);
  g_autofree char *stems_name = g_strdup_printf (_("%s stems"), "Demo song");
  g_autofree char *stems = g_build_filename (dir, stems_name, NULL);
  g_autofree char *reference = g_build_filename (dir, "reference stems", NULL);
  g_autofree char *reference_mix = g_build_filename (dir, "reference.wav", NULL);
  BuskerWindow *window = open_window (path);
  const char *options[] = { "--stems", reference, NULL };
  g_autoptr (GPtrArray) ours = NULL;
  g_autoptr (GPtrArray) theirs = NULL;
  GtkWindow *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-stems", NULL));
  gui_wait_until (gui_toplevel_shown, EXPORT_DIALOG, "the export dialog");
  dialog = gui_find_toplevel (BUSKER_TYPE_EXPORT_DIALOG);
  g_assert_cmpstr (gtk_window_get_title (dialog), ==, german ? "Stems exportieren" : "Export Stems");
  gui_press_keys (dialog, "Return");
  gui_wait_until (gui_toplevel_gone, EXPORT_DIALOG, "the stems export to finish");
  run_cli_export (path, reference_mix, options);

  ours = sorted_names (stems);
  theirs = sorted_names (reference);
  g_assert_cmpuint (ours->len, >=, 4); /* Drums, Music, Reverb, Delay (and the mix) */
  g_assert_cmpuint (ours->len, ==, theirs->len);
  for (guint i = 0; i < ours->len; i++)
    {
      g_autofree char *a = g_build_filename (stems, ours->pdata[i], NULL);
      g_autofree char *b = g_build_filename (reference, theirs->pdata[i], NULL);
      Measured ma, mb;

      g_assert_cmpstr (ours->pdata[i], ==, theirs->pdata[i]);
      ma = measure (a);
      mb = measure (b);
      g_test_message ("%s: %.1f / %.1f LUFS", (char *) ours->pdata[i], ma.integrated_lufs,
                      mb.integrated_lufs);
      g_assert_cmpint (ma.frames, ==, mb.frames);
      g_assert_cmpfloat_with_epsilon (ma.integrated_lufs, mb.integrated_lufs, 0.1);
    }
  gtk_window_destroy (GTK_WINDOW (window));
  remove_tree (dir);
}

static void
collect_combo_rows (GtkWidget *widget, GPtrArray *out)
{
  if (ADW_IS_COMBO_ROW (widget))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_combo_rows (child, out);
}

/* Normalize: Loudness with the Streaming preset, Enter: the mix is what
 * busker-export --normalize-lufs -14 --true-peak-ceiling -1 makes. */
static void
test_export_streaming_preset (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = copy_demo (&dir);
  g_autofree char *mix = g_build_filename (dir, "Demo song.wav", NULL);
  g_autofree char *reference = g_build_filename (dir, "reference.wav", NULL);
  BuskerWindow *window = open_window (path);
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();
  const char *streaming[] = { "--normalize-lufs", "-14", "--true-peak-ceiling", "-1", NULL };
  GtkWindow *dialog;
  Measured ours, theirs;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export", NULL));
  gui_wait_until (gui_toplevel_shown, EXPORT_DIALOG, "the export dialog");
  dialog = gui_find_toplevel (BUSKER_TYPE_EXPORT_DIALOG);
  /* Format, bit depth, sample rate, normalize, preset. */
  collect_combo_rows (GTK_WIDGET (dialog), rows);
  g_assert_cmpuint (rows->len, ==, 5);
  adw_combo_row_set_selected (rows->pdata[3], 2);
  g_assert_cmpuint (adw_combo_row_get_selected (rows->pdata[4]), ==, 0);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  gui_screenshot (german ? "busker-export-loudness-de.png" : "busker-export-loudness.png");
  gui_press_keys (dialog, "Return");
  gui_wait_until (gui_toplevel_gone, EXPORT_DIALOG, "the export to finish");

  run_cli_export (path, reference, streaming);
  ours = measure (mix);
  theirs = measure (reference);
  g_test_message ("window: %.1f LUFS; busker-export: %.1f LUFS", ours.integrated_lufs,
                  theirs.integrated_lufs);
  g_assert_cmpint (ours.frames, ==, theirs.frames);
  g_assert_cmpfloat_with_epsilon (ours.integrated_lufs, theirs.integrated_lufs, 0.1);
  g_assert_cmpfloat_with_epsilon (ours.integrated_lufs, -14.0, 0.5);
  gtk_window_destroy (GTK_WINDOW (window));
  remove_tree (dir);
}

static gboolean
export_progressing (gpointer data)
{
  GtkProgressBar *bar = GTK_PROGRESS_BAR (gui_find_descendant (data, GTK_TYPE_PROGRESS_BAR));
  return gtk_progress_bar_get_fraction (bar) > 0.0;
}

/* Ten minutes of the demo, cancelled with Escape once it runs: the dialog
 * goes, no file (not even a temporary one) is left, no toast claims it. */
static void
test_export_cancel_leaves_no_file (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = copy_demo (&dir);
  BuskerWindow *window = open_window (path);
  GtkWindow *dialog;
  AdwExpanderRow *range;
  GtkSpinButton *end = NULL;
  g_autoptr (GDir) listing = NULL;
  g_autofree char *texts = NULL;
  const char *name;
  guint n_files = 0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export", NULL));
  gui_wait_until (gui_toplevel_shown, EXPORT_DIALOG, "the export dialog");
  dialog = gui_find_toplevel (BUSKER_TYPE_EXPORT_DIALOG);
  range = ADW_EXPANDER_ROW (gui_find_descendant (GTK_WIDGET (dialog), ADW_TYPE_EXPANDER_ROW));
  adw_expander_row_set_enable_expansion (range, TRUE);
  /* The range's rows: Start, then End. */
  {
    GtkWidget *start = gui_find_descendant (GTK_WIDGET (range), GTK_TYPE_SPIN_BUTTON);
    GtkWidget *row = gtk_widget_get_ancestor (start, ADW_TYPE_ACTION_ROW);
    GtkWidget *next = gtk_widget_get_next_sibling (row);
    g_assert_nonnull (next);
    end = GTK_SPIN_BUTTON (gui_find_descendant (next, GTK_TYPE_SPIN_BUTTON));
  }
  gtk_spin_button_set_value (end, 600.0);
  gui_press_keys (dialog, "Return");
  gui_wait_until (export_progressing, dialog, "the export to start");
  gui_press_keys (dialog, "Escape");
  gui_wait_until (gui_toplevel_gone, EXPORT_DIALOG, "Escape to cancel the export");

  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_test_message ("left in the folder: %s", name);
      g_assert_true (g_str_equal (name, "demo.busker") || g_str_equal (name, "stems"));
      n_files++;
    }
  g_assert_cmpuint (n_files, ==, 2);
  texts = gui_toast_texts (GTK_WIDGET (window));
  g_assert_null (strstr (texts, german ? "exportiert" : "Exported"));
  gtk_window_destroy (GTK_WINDOW (window));
  remove_tree (dir);
}

/* A broken file changes nothing: same project, same title, and a toast
 * with the loader's sentence. */
static void
test_open_broken_keeps_project (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = copy_demo (&dir);
  g_autofree char *broken_path = g_build_filename (dir, "broken.busker", NULL);
  g_autoptr (GFile) broken = g_file_new_for_path (broken_path);
  BuskerWindow *window = open_window (path);
  BuskerProject *before = busker_window_get_project (window);
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerProject) none = NULL;
  g_autofree char *texts = NULL;

  g_assert_true (g_file_set_contents (broken_path, "{\"format\": 1, \"strips\": 5}", -1, NULL));
  none = busker_project_load (broken, &error);
  g_assert_null (none);
  g_assert_nonnull (strstr (error->message, broken_path));

  busker_window_open_file (window, broken);
  gui_spin (0.3);
  texts = gui_toast_texts (GTK_WIDGET (window));
  g_assert_nonnull (strstr (texts, error->message));
  g_assert_true (busker_window_get_project (window) == before);
  g_assert_cmpstr (title_of (window), ==, "Demo song");
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 1);
  gui_screenshot (german ? "busker-open-broken-de.png" : "busker-open-broken.png");
  gtk_window_destroy (GTK_WINDOW (window));
  remove_tree (dir);
}

static gboolean
window_gone (gpointer data)
{
  return gtk_application_get_windows (GTK_APPLICATION (app)) == NULL;
}

/* Closing with unsaved edits asks; Escape cancels; Ctrl+Q asks too; Save
 * writes, then the window closes. */
static void
test_close_dirty_asks (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = copy_demo (&dir);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  BuskerWindow *window = open_window (path);
  g_autoptr (BuskerProject) reloaded = NULL;
  AdwMessageDialog *dialog;

  busker_strip_set_mute (strip (window, "bass"), TRUE);
  gtk_window_close (GTK_WINDOW (window));
  gui_wait_until (gui_toplevel_shown, MESSAGE_DIALOG, "the Save Changes dialog");
  dialog = ADW_MESSAGE_DIALOG (gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                   german ? "Änderungen speichern?" : "Save Changes?");
  g_assert_true (adw_message_dialog_has_response (dialog, "discard"));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  gui_screenshot (german ? "busker-close-asks-de.png" : "busker-close-asks.png");

  gui_press_keys (GTK_WINDOW (dialog), "Escape");
  gui_wait_until (gui_toplevel_gone, MESSAGE_DIALOG, "Escape to cancel");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (busker_window_get_modified (window));

  /* Quit (Ctrl+Q) asks the same way. */
  gui_press_keys (GTK_WINDOW (window), "ctrl+q");
  gui_wait_until (gui_toplevel_shown, MESSAGE_DIALOG, "Ctrl+Q to ask about the changes");
  dialog = ADW_MESSAGE_DIALOG (gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  adw_message_dialog_response (dialog, "save");
  gui_wait_until (window_gone, NULL, "the window to close after saving");
  reloaded = busker_project_load (file, NULL);
  g_assert_nonnull (reloaded);
  g_assert_true (busker_strip_get_mute (busker_project_find_strip (reloaded, "bass")));
  remove_tree (dir);
}

/* The child of the autosave tests: opens the project (or a new one when
 * path is "untitled"), edits, waits to be killed. */
static int
autosave_child (const char *path)
{
  BuskerWindow *window;

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  if (g_str_equal (path, "untitled"))
    {
      window = busker_window_new (GTK_APPLICATION (app));
      gtk_window_present (GTK_WINDOW (window));
      busker_window_new_project (window);
      busker_strip_set_gain_db (busker_project_get_master (busker_window_get_project (window)), -3.5);
    }
  else
    {
      window = open_window (path);
      busker_strip_set_gain_db (strip (window, "vocal"), -11.5);
    }
  for (;;)
    g_main_context_iteration (NULL, TRUE);
  return 1;
}

typedef struct
{
  const char *path;
  const char *needle;
} FileWait;

static gboolean
file_holds (gpointer data)
{
  FileWait *wait = data;
  g_autofree char *text = NULL;

  return g_file_get_contents (wait->path, &text, NULL, NULL) && strstr (text, wait->needle);
}

static GPid
start_autosave_child (const char *path)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  const char *argv[] = { self_exe, "--autosave-child", path, NULL };
  g_autoptr (GError) error = NULL;
  GPid child;

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                NULL, &child, &error));
  g_assert_no_error (error);
  return child;
}

static void
kill_child (GPid child)
{
  int status;

  kill (child, SIGKILL);
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_spawn_close_pid (child);
  g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
}

/* An edit, an autosave, SIGKILL: the project file is untouched, and the
 * next open offers the autosave; Enter restores it, unsaved. */
static void
test_autosave_restore (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = copy_demo (&dir);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFile) recovery = busker_recovery_file_for (file);
  g_autofree char *recovery_path = g_file_get_path (recovery);
  g_autofree char *before = read_text (path);
  g_autofree char *after = NULL;
  FileWait wait = { recovery_path, "-11.5" };
  GPid child;
  gboolean autosaved;
  BuskerWindow *window;

  g_assert_cmpuint (busker_recovery_interval_s (), ==, 1);
  child = start_autosave_child (path);
  autosaved = gui_wait (file_holds, &wait, 30.0);
  kill_child (child);
  g_assert_true (autosaved);
  after = read_text (path);
  g_assert_cmpstr (after, ==, before);

  window = busker_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
  gui_wait_until (gui_is_mapped, window, "the window to map");
  busker_window_open_file (window, file);
  gui_wait_until (gui_toplevel_shown, MESSAGE_DIALOG, "the offer to restore");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)));
  gui_screenshot (german ? "busker-restore-de.png" : "busker-restore.png");
  gui_press_keys (gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG), "Return");
  gui_wait_until (gui_toplevel_gone, MESSAGE_DIALOG, "Enter to restore");
  g_assert_cmpfloat (busker_strip_get_gain_db (strip (window, "vocal")), ==, -11.5);
  g_assert_true (busker_window_get_modified (window));
  g_assert_cmpstr (title_of (window), ==, "• Demo song");

  /* Saving makes the autosave redundant. */
  gui_press_keys (GTK_WINDOW (window), "ctrl+s");
  gui_wait_until (not_modified, window, "Ctrl+S to save the restored project");
  g_assert_false (g_file_test (recovery_path, G_FILE_TEST_EXISTS));
  gtk_window_destroy (GTK_WINDOW (window));
  remove_tree (dir);
}

static gboolean
untitled_autosaved (gpointer data)
{
  g_autoptr (GFile) found = busker_recovery_find_untitled ();
  g_autofree char *path = found ? g_file_get_path (found) : NULL;
  FileWait wait = { path, "-3.5" };

  return path != NULL && file_holds (&wait);
}

/* A project never saved: its autosave goes to XDG_STATE_HOME, and a start
 * without files offers it. */
static void
test_autosave_untitled (void)
{
  GPid child = start_autosave_child ("untitled");
  gboolean autosaved = gui_wait (untitled_autosaved, NULL, 30.0);
  BuskerWindow *window;
  BuskerProject *project;

  kill_child (child);
  g_assert_true (autosaved);

  window = busker_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
  gui_wait_until (gui_is_mapped, window, "the window to map");
  busker_window_offer_untitled_restore (window);
  gui_wait_until (gui_toplevel_shown, MESSAGE_DIALOG, "the offer to restore an untitled project");
  gui_press_keys (gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG), "Return");
  gui_wait_until (gui_toplevel_gone, MESSAGE_DIALOG, "Enter to restore");
  project = busker_window_get_project (window);
  g_assert_nonnull (project);
  g_assert_null (busker_project_get_file (project));
  g_assert_cmpfloat (busker_strip_get_gain_db (busker_project_get_master (project)), ==, -3.5);
  g_assert_true (busker_window_get_modified (window));
  g_assert_cmpstr (title_of (window), ==, german ? "• Unbenanntes Projekt" : "• Untitled Project");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  const char *language = g_getenv ("LANGUAGE");
  gboolean child = argc == 3 && g_str_equal (argv[1], "--autosave-child");
  g_autofree char *state = NULL;
  int status;

  /* Untitled autosaves go to XDG_STATE_HOME: a folder of this run's own
   * (runs in parallel must not see each other's), which the autosave child
   * inherits. */
  if (!child)
    {
      state = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "gui-state-XXXXXX", NULL);
      g_assert_nonnull (g_mkdtemp (state));
      g_setenv ("XDG_STATE_HOME", state, TRUE);
    }
  /* Autosave every second instead of every minute. */
  g_setenv ("BUSKER_AUTOSAVE_SECONDS", "1", TRUE);
  busker_i18n_init ();
  german = language != NULL && g_str_has_prefix (language, "de");
  gtk_init ();
  app = busker_application_new ();
  if (child)
    return autosave_child (argv[2]);

  g_test_init (&argc, &argv, NULL);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/gui/files/demo-screenshot", test_demo_screenshot);
  g_test_add_func ("/gui/files/ctrl-s-saves", test_ctrl_s_saves);
  g_test_add_func ("/gui/files/undo-redo-keys", test_undo_redo_keys);
  g_test_add_func ("/gui/files/space-plays", test_space_plays);
  g_test_add_func ("/gui/files/save-fails-read-only", test_save_fails_read_only);
  g_test_add_func ("/gui/files/ctrl-e-exports", test_ctrl_e_exports);
  g_test_add_func ("/gui/files/export-streaming-preset", test_export_streaming_preset);
  g_test_add_func ("/gui/files/export-stems", test_export_stems);
  g_test_add_func ("/gui/files/export-cancel-leaves-no-file", test_export_cancel_leaves_no_file);
  g_test_add_func ("/gui/files/export-asks-before-replacing", test_export_asks_before_replacing);
  g_test_add_func ("/gui/files/open-broken-keeps-project", test_open_broken_keeps_project);
  g_test_add_func ("/gui/files/close-dirty-asks", test_close_dirty_asks);
  g_test_add_func ("/gui/files/autosave-restore", test_autosave_restore);
  g_test_add_func ("/gui/files/autosave-untitled", test_autosave_untitled);

  status = g_test_run ();
  g_clear_object (&app);
  remove_tree (state);
  return status;
}
