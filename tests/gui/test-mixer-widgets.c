/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The mixer's parts on a real display with real input (xdotool): the level
 * meter's ballistics against the formula (13.3 dB/s fall) and its
 * clip lamp, the insert rack (add, bypass, drag to reorder and across the
 * fader line, each one undo step), the insert editor (every parameter of
 * the table, edits reach the model), sends, several strips dragged
 * together, mute and solo clicks, and the dark-style screenshot.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "dsp/params.h"
#include "gui-util.h"
#include "mixer-test-util.h"
#include "widgets/busker-insert-editor.h"
#include "widgets/busker-insert-rack.h"
#include "widgets/busker-level-meter.h"
#include "widgets/busker-send-row.h"

#define TITLE "Busker mixer widgets test"

static char *demo_path;

static void
test_meter_ballistics (void)
{
  MixerHost *host = mixer_host_new (demo_path, 1366, 768, TITLE);
  BuskerStrip *kick = busker_project_find_strip (host->project, "kick");
  BuskerLevelMeter *meter =
    busker_channel_strip_get_meter (busker_mixer_get_strip_widget (host->mixer, kick));
  const float silence[2] = { -INFINITY, -INFINITY };
  const float ten[2] = { -10.0f, -10.0f };
  const float over[2] = { 0.5f, -3.0f };
  gint64 t = 1000000;

  /* Silence costs nothing: no redraw for nothing moving. */
  g_assert_false (busker_level_meter_push (meter, silence, silence, t));
  g_assert_false (busker_level_meter_push (meter, silence, silence, t += 16667));
  /* A level moves the bars once; the same level again queues nothing. */
  g_assert_true (busker_level_meter_push (meter, ten, ten, t += 16667));
  g_assert_cmpfloat (busker_level_meter_get_peak_db (meter, 0), ==, -10.0f);
  /* Then silence: ten 100 ms steps fall 13.3 dB (13.3 dB/s for 1 s). */
  for (int i = 0; i < 10; i++)
    busker_level_meter_push (meter, silence, silence, t += 100000);
  g_assert_cmpfloat_with_epsilon (busker_level_meter_get_peak_db (meter, 0), -23.3f, 1e-3);
  /* A gap (hidden window) counts at most 100 ms: −1.33 dB, not −13.3. */
  busker_level_meter_push (meter, silence, silence, t += 1000000);
  g_assert_cmpfloat_with_epsilon (busker_level_meter_get_peak_db (meter, 0), -24.63f, 1e-3);

  /* A sample over 0 dBFS lights the clip lamp until a click clears it. */
  g_assert_false (busker_level_meter_get_clipped (meter));
  busker_level_meter_push (meter, over, over, t += 16667);
  g_assert_true (busker_level_meter_get_clipped (meter));
  busker_level_meter_push (meter, silence, silence, t += 16667);
  g_assert_true (busker_level_meter_get_clipped (meter));
  focus_host (host);
  click_widget (host, GTK_WIDGET (meter), NULL);
  g_assert_false (busker_level_meter_get_clipped (meter));
  mixer_host_free (host);
}

static BuskerInsert *
insert_at (BuskerStrip *strip, guint i)
{
  g_autoptr (BuskerInsert) insert = g_list_model_get_item (busker_strip_get_inserts (strip), i);
  return insert; /* the strip keeps it alive */
}

/* The rack's open button showing label ("Comp": the abbreviation). */
static GtkWidget *
rack_button (MixerHost *host, BuskerStrip *strip, const char *label)
{
  GtkWidget *rack = find_type (GTK_WIDGET (busker_mixer_get_strip_widget (host->mixer, strip)),
                               BUSKER_TYPE_INSERT_RACK);
  GQueue queue = G_QUEUE_INIT;
  GtkWidget *found = NULL;

  g_queue_push_tail (&queue, rack);
  while (!g_queue_is_empty (&queue) && found == NULL)
    {
      GtkWidget *w = g_queue_pop_head (&queue);
      if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (w)), label) == 0)
        found = w;
      for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
        g_queue_push_tail (&queue, c);
    }
  g_queue_clear (&queue);
  g_assert_nonnull (found);
  return found;
}

static void
test_insert_rack (void)
{
  MixerHost *host = mixer_host_new (demo_path, 1366, 768, TITLE);
  BuskerStrip *vocal = busker_project_find_strip (host->project, "vocal");
  BuskerStrip *kick = busker_project_find_strip (host->project, "kick");
  GtkWidget *kick_strip = GTK_WIDGET (busker_mixer_get_strip_widget (host->mixer, kick));
  GListModel *inserts = busker_strip_get_inserts (vocal);
  GtkWidget *line;

  focus_host (host);
  /* Add by name (the menu's action). */
  g_assert_cmpuint (g_list_model_get_n_items (busker_strip_get_inserts (kick)), ==, 0);
  g_assert_true (gtk_widget_activate_action (kick_strip, "strip.add-insert", "s", "compressor"));
  mixer_spin (100);
  g_assert_cmpuint (g_list_model_get_n_items (busker_strip_get_inserts (kick)), ==, 1);
  g_assert_cmpstr (busker_insert_get_effect_type (insert_at (kick, 0)), ==, "compressor");
  rack_button (host, kick, "Comp");

  /* Vocal: EQ then Compressor (the file). Drag the Compressor onto the
   * EQ: Compressor first, one undo step. */
  g_assert_cmpstr (busker_insert_get_effect_type (insert_at (vocal, 0)), ==, "eq");
  drag_widget (host, rack_button (host, vocal, "Comp"), rack_button (host, vocal, "EQ"));
  g_assert_cmpstr (busker_insert_get_effect_type (insert_at (vocal, 0)), ==, "compressor");
  g_assert_cmpstr (busker_insert_get_effect_type (insert_at (vocal, 1)), ==, "eq");
  busker_project_undo (host->project);
  g_assert_cmpstr (busker_insert_get_effect_type (insert_at (vocal, 0)), ==, "eq");
  mixer_spin (300);

  /* Across the fader line: the EQ becomes post-fader. */
  g_assert_false (busker_insert_get_post_fader (insert_at (vocal, 0)));
  line = find_css_class (find_type (GTK_WIDGET (busker_mixer_get_strip_widget (host->mixer, vocal)),
                                    BUSKER_TYPE_INSERT_RACK), "fader-line");
  drag_widget (host, rack_button (host, vocal, "EQ"), line);
  g_assert_cmpuint (g_list_model_get_n_items (inserts), ==, 2);
  g_assert_cmpstr (busker_insert_get_effect_type (insert_at (vocal, 1)), ==, "eq");
  g_assert_true (busker_insert_get_post_fader (insert_at (vocal, 1)));
  g_assert_false (busker_insert_get_post_fader (insert_at (vocal, 0)));
  busker_project_undo (host->project);
  g_assert_cmpstr (busker_insert_get_effect_type (insert_at (vocal, 0)), ==, "eq");
  g_assert_false (busker_insert_get_post_fader (insert_at (vocal, 0)));
  mixer_spin (300);

  /* Bypass: a real click on the toggle beside the name. */
  g_assert_false (busker_insert_get_bypass (insert_at (vocal, 1)));
  click_widget (host, gtk_widget_get_next_sibling (rack_button (host, vocal, "Comp")), NULL);
  g_assert_true (busker_insert_get_bypass (insert_at (vocal, 1)));
  mixer_host_free (host);
}

static gboolean
editor_shown (gpointer data)
{
  GtkWindow *editor = gui_find_toplevel (BUSKER_TYPE_INSERT_EDITOR);

  *(GtkWindow **) data = editor;
  return editor != NULL && gtk_widget_get_mapped (GTK_WIDGET (editor));
}

static void
count_controls (GtkWidget *widget, guint *spins, guint *checks, guint *choices)
{
  if (GTK_IS_SPIN_BUTTON (widget))
    (*spins)++;
  else if (GTK_IS_CHECK_BUTTON (widget))
    (*checks)++;
  else if (GTK_IS_DROP_DOWN (widget))
    (*choices)++;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    count_controls (c, spins, checks, choices);
}

static void
test_insert_editor (void)
{
  MixerHost *host = mixer_host_new (demo_path, 1366, 768, TITLE);
  BuskerStrip *vocal = busker_project_find_strip (host->project, "vocal");
  BuskerInsert *comp = insert_at (vocal, 1);
  GtkWidget *editor = NULL;
  guint spins = 0, checks = 0, choices = 0, floats = 0, bools = 0, choice_params = 0;
  GtkSpinButton *first_spin;

  focus_host (host);
  click_widget (host, rack_button (host, vocal, "Comp"), NULL);
  mixer_wait_until (editor_shown, &editor, "the editor window");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (editor)), ==, "Vocal Compressor");
  mixer_screenshot ("busker-insert-editor.png");

  /* One control per parameter of the table (src/dsp/params.c). */
  for (guint i = 0; i < BUSKER_COMP_N_PARAMS; i++)
    switch (busker_compressor_params[i].kind)
      {
      case BUSKER_PARAM_FLOAT: floats++; break;
      case BUSKER_PARAM_BOOL: bools++; break;
      case BUSKER_PARAM_CHOICE: choice_params++; break;
      }
  count_controls (editor, &spins, &checks, &choices);
  g_assert_cmpuint (spins, ==, floats);
  g_assert_cmpuint (checks, ==, bools);
  g_assert_cmpuint (choices, ==, choice_params);

  /* The first row is the threshold; the file says −22 dB. Both ways. */
  first_spin = GTK_SPIN_BUTTON (find_type (editor, GTK_TYPE_SPIN_BUTTON));
  g_assert_cmpfloat (gtk_spin_button_get_value (first_spin), ==, -22.0);
  gtk_spin_button_set_value (first_spin, -30.0);
  g_assert_cmpfloat (busker_insert_get_value (comp, BUSKER_COMP_THRESHOLD_DB), ==, -30.0f);
  busker_project_undo (host->project);
  g_assert_cmpfloat (gtk_spin_button_get_value (first_spin), ==, -22.0);

  /* Attack is log-scaled (0.1 … 200 ms): its slider sits at
   * log(8/0.1)/log(200/0.1) for the file's 8 ms, and half-way means the
   * geometric mean, √(0.1 × 200) ms. */
  {
    GtkGrid *grid = GTK_GRID (find_type (editor, GTK_TYPE_GRID));
    GtkRange *attack = GTK_RANGE (gtk_grid_get_child_at (grid, 1, BUSKER_COMP_ATTACK_MS));

    g_assert_cmpfloat_with_epsilon (gtk_range_get_value (attack),
                                    log10 (8.0 / 0.1) / log10 (200.0 / 0.1), 1e-6);
    gtk_range_set_value (attack, 0.5);
    g_assert_cmpfloat_with_epsilon (busker_insert_get_value (comp, BUSKER_COMP_ATTACK_MS),
                                    sqrt (0.1 * 200.0), 1e-4);
  }
  gtk_window_destroy (GTK_WINDOW (editor));
  mixer_host_free (host);
}

static void
test_sends_and_toggles (void)
{
  MixerHost *host = mixer_host_new (demo_path, 1366, 768, TITLE);
  BuskerStrip *snare = busker_project_find_strip (host->project, "snare");
  BuskerChannelStrip *cs = busker_mixer_get_strip_widget (host->mixer, snare);
  GtkWidget *row = find_type (GTK_WIDGET (cs), BUSKER_TYPE_SEND_ROW);
  BuskerSend *send = busker_send_row_get_send (BUSKER_SEND_ROW (row));
  GtkRange *level = GTK_RANGE (find_type (row, BUSKER_TYPE_FADER));

  focus_host (host);
  /* The file: a send to the reverb at −12 dB. */
  g_assert_cmpfloat (gtk_range_get_value (level), ==, -12.0);
  busker_send_set_level_db (send, -6.0);
  g_assert_cmpfloat (gtk_range_get_value (level), ==, -6.0);

  /* Mute and solo: real clicks reach the model, one step each. */
  click_widget (host, find_css_class (GTK_WIDGET (cs), "strip-mute"), NULL);
  g_assert_true (busker_strip_get_mute (snare));
  click_widget (host, find_css_class (GTK_WIDGET (cs), "strip-solo"), NULL);
  g_assert_true (busker_strip_get_solo (snare));
  busker_project_undo (host->project);
  g_assert_false (busker_strip_get_solo (snare));
  g_assert_true (busker_strip_get_mute (snare));

  /* Remove the send: the row goes. */
  click_widget (host, find_css_class (row, "send-remove"), NULL);
  g_assert_cmpuint (g_list_model_get_n_items (busker_strip_get_sends (snare)), ==, 0);
  g_assert_null (find_type (GTK_WIDGET (cs), BUSKER_TYPE_SEND_ROW));
  mixer_host_free (host);
}

static gboolean
color_dialog_shown (gpointer data)
{
  GtkWindow *dialog = gui_find_toplevel (GTK_TYPE_COLOR_CHOOSER_DIALOG);

  *(GtkWindow **) data = dialog;
  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

/* The colour bar is a button: a real click opens a colour chooser; its
 * answer sets the strip's colour (one undo step) and the bar shows it. */
static void
test_colour (void)
{
  MixerHost *host = mixer_host_new (demo_path, 1366, 768, TITLE);
  BuskerStrip *kick = busker_project_find_strip (host->project, "kick");
  GtkWidget *bar = find_css_class (GTK_WIDGET (busker_mixer_get_strip_widget (host->mixer, kick)),
                                   "strip-color");
  GtkWidget *dialog = NULL;
  GdkRGBA green = { 0.2f, 0.8f, 0.4f, 1.0f };

  focus_host (host);
  /* The file says #e01b24; the bar wears it. */
  g_assert_true (gtk_widget_has_css_class (bar, "strip-color-e01b24"));
  click_widget (host, bar, NULL);
  mixer_wait_until (color_dialog_shown, &dialog, "the colour chooser");
  gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (dialog), &green);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_OK);
  g_assert_cmpstr (busker_strip_get_color (kick), ==, "#33cc66");
  g_assert_true (gtk_widget_has_css_class (bar, "strip-color-33cc66"));
  g_assert_false (gtk_widget_has_css_class (bar, "strip-color-e01b24"));
  busker_project_undo (host->project);
  g_assert_cmpstr (busker_strip_get_color (kick), ==, "#e01b24");
  mixer_host_free (host);
}

/* Types text into the focused name entry of strip (xdotool) and presses
 * Return. */
static void
rename_by_keys (MixerHost *host, BuskerStrip *strip, const char *text)
{
  busker_channel_strip_start_rename (busker_mixer_get_strip_widget (host->mixer, strip));
  mixer_spin (100);
  mixer_xdotool ((const char *const[]) { "key", "ctrl+a", "BackSpace", NULL });
  if (*text != '\0')
    mixer_xdotool ((const char *const[]) { "type", "--delay", "20", text, NULL });
  mixer_xdotool ((const char *const[]) { "key", "Return", NULL });
  mixer_spin (200);
}

/* Renaming with real keys: a new name is taken; an empty one or one
 * another strip has (in any case) is refused with a sentence and the old
 * name kept — two strips called alike could not be told apart in the
 * output menus ("Drums, Drums, Master"). */
static void
test_rename (void)
{
  MixerHost *host = mixer_host_new (demo_path, 1366, 768, TITLE);
  BuskerStrip *drums = busker_project_find_strip (host->project, "drums");

  focus_host (host);
  rename_by_keys (host, drums, "music");
  g_assert_cmpstr (busker_strip_get_name (drums), ==, "Drums");
  g_assert_cmpuint (host->messages->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (host->messages, 0), ==,
                   "Another strip is called “music”: the old name is kept.");
  rename_by_keys (host, drums, "");
  g_assert_cmpstr (busker_strip_get_name (drums), ==, "Drums");
  g_assert_cmpuint (host->messages->len, ==, 2);
  rename_by_keys (host, drums, "Drum Bus");
  g_assert_cmpstr (busker_strip_get_name (drums), ==, "Drum Bus");
  g_assert_cmpuint (host->messages->len, ==, 2);
  rename_by_keys (host, drums, "drum bus"); /* its own name in another case */
  g_assert_cmpstr (busker_strip_get_name (drums), ==, "drum bus");
  mixer_host_free (host);
}

static void
test_drag_selection (void)
{
  MixerHost *host = mixer_host_new (demo_path, 1366, 768, TITLE);
  BuskerStrip *kick = busker_project_find_strip (host->project, "kick");
  BuskerStrip *snare = busker_project_find_strip (host->project, "snare");
  BuskerStrip *hats = busker_project_find_strip (host->project, "hats");

  focus_host (host);
  /* Click Kick's name, Ctrl+click Snare's: both selected, Hats not. */
  click_widget (host, busker_channel_strip_get_header (busker_mixer_get_strip_widget (host->mixer, kick)), NULL);
  click_widget (host, busker_channel_strip_get_header (busker_mixer_get_strip_widget (host->mixer, snare)), "ctrl");
  mixer_spin (400); /* not a double-click */
  g_assert_true (busker_channel_strip_get_selected (busker_mixer_get_strip_widget (host->mixer, kick)));
  g_assert_true (busker_channel_strip_get_selected (busker_mixer_get_strip_widget (host->mixer, snare)));
  g_assert_false (busker_channel_strip_get_selected (busker_mixer_get_strip_widget (host->mixer, hats)));

  /* Dragging one of them drags both; one undo step puts both back. */
  drag_strip (host, "kick", "music");
  g_assert_cmpstr (busker_strip_get_output (kick), ==, "music");
  g_assert_cmpstr (busker_strip_get_output (snare), ==, "music");
  g_assert_cmpstr (busker_strip_get_output (hats), ==, "drums");
  busker_project_undo (host->project);
  g_assert_cmpstr (busker_strip_get_output (kick), ==, "drums");
  g_assert_cmpstr (busker_strip_get_output (snare), ==, "drums");
  mixer_host_free (host);
}

/* 16 strips the way a band's session has them: 12 tracks (two with two
 * inserts and two sends), 2 subgroups, an aux bus, the master. */
static char *
write_sixteen (void)
{
  g_autoptr (GString) json = g_string_new ("{\"format\": 1, \"name\": \"Sixteen\", \"strips\": [");
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (g_get_tmp_dir (), "busker-sixteen.busker", NULL);

  for (int i = 0; i < 12; i++)
    {
      g_string_append_printf (json,
                              "{\"id\": \"t%d\", \"kind\": \"track\", \"name\": \"Track %d\", "
                              "\"color\": \"#%06x\", \"output\": \"%s\"",
                              i, i + 1, (0x3584e4 + i * 0x151515) & 0xffffff, i < 6 ? "g1" : "g2");
      if (i % 6 == 0)
        g_string_append (json, ", \"inserts\": [{\"type\": \"eq\"}, {\"type\": \"compressor\"}], "
                               "\"sends\": [{\"to\": \"verb\"}, {\"to\": \"verb\", \"pre_fader\": true}]");
      g_string_append (json, "},");
    }
  g_string_append (json,
                   "{\"id\": \"g1\", \"kind\": \"subgroup\", \"name\": \"Group 1\"},"
                   "{\"id\": \"g2\", \"kind\": \"subgroup\", \"name\": \"Group 2\"},"
                   "{\"id\": \"verb\", \"kind\": \"aux\", \"name\": \"Verb\", "
                   "\"inserts\": [{\"type\": \"reverb\"}]},"
                   "{\"id\": \"master\", \"kind\": \"master\", \"name\": \"Master\"}]}");
  g_file_set_contents (path, json->str, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* 1366×768 with the real window's header bar and transport bar taken off
 * (about 120 pixels): all 16 strips on screen, every fader tall enough
 * to use, every control inside the window. */
static void
test_sixteen_strips (void)
{
  g_autofree char *path = write_sixteen ();
  MixerHost *host = mixer_host_new (path, 1366, 648, TITLE);
  g_autoptr (GPtrArray) strips = g_ptr_array_new ();

  collect_strips (GTK_WIDGET (host->mixer), strips);
  g_assert_cmpuint (strips->len, ==, 16);
  for (guint i = 0; i < strips->len; i++)
    {
      BuskerChannelStrip *cs = g_ptr_array_index (strips, i);
      BuskerStrip *strip = busker_channel_strip_get_strip (cs);
      BuskerFader *fader = fader_of (host, busker_strip_get_id (strip));
      graphene_rect_t bounds;

      g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (cs), GTK_WIDGET (host->window), &bounds));
      g_test_message ("%s: %.0f×%.0f at %.0f, fader %d px", busker_strip_get_name (strip),
                      bounds.size.width, bounds.size.height, bounds.origin.x,
                      gtk_widget_get_height (GTK_WIDGET (fader)));
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, 1366);
      g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, 648);
      g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (fader)), >=, 150);
    }
  mixer_screenshot ("busker-mixer-16-strips.png");
  mixer_host_free (host);
  g_unlink (path);
}

/* A file track whose file cannot be read is marked, as the session says
 * (an offline session: the transport opens the files all the same). */
static void
test_missing_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("busker-missing-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "missing.busker", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerSession) session = busker_session_new_offline ();
  MixerHost *host;
  BuskerChannelStrip *gone_strip;
  GtkWidget *source_label;

  g_assert_true (g_file_set_contents (path,
    "{\"format\": 1, \"strips\": ["
    "{\"id\": \"gone\", \"kind\": \"track\", \"name\": \"Gone\", "
    "\"source\": {\"type\": \"file\", \"path\": \"nowhere.wav\"}},"
    "{\"id\": \"master\", \"kind\": \"master\"}]}", -1, &error));
  host = mixer_host_new (path, 800, 700, TITLE);
  gone_strip = busker_mixer_get_strip_widget (host->mixer, busker_project_find_strip (host->project, "gone"));
  source_label = find_css_class (busker_channel_strip_get_header (gone_strip), "dim-label");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (source_label)), ==, "nowhere.wav");

  busker_session_set_project (session, host->project);
  busker_mixer_set_session (host->mixer, session);
  mixer_spin (200);
  g_assert_true (busker_session_strip_is_missing (session, busker_project_find_strip (host->project, "gone")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (source_label)), ==, "⚠ nowhere.wav");
  g_assert_true (gtk_widget_has_css_class (source_label, "error"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (source_label), "is missing"));

  busker_mixer_set_session (host->mixer, NULL);
  mixer_host_free (host);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_dark_screenshot (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  MixerHost *host;

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  host = mixer_host_new (demo_path, 1366, 768, TITLE);
  g_assert_true (adw_style_manager_get_dark (style));
  mixer_screenshot ("busker-mixer-dark.png");
  mixer_host_free (host);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  demo_path = g_build_filename (SOURCE_DATADIR, "demo", "demo.busker", NULL);

  g_test_add_func ("/gui/mixer/meter-ballistics", test_meter_ballistics);
  g_test_add_func ("/gui/mixer/insert-rack", test_insert_rack);
  g_test_add_func ("/gui/mixer/insert-editor", test_insert_editor);
  g_test_add_func ("/gui/mixer/sends-and-toggles", test_sends_and_toggles);
  g_test_add_func ("/gui/mixer/drag-selection", test_drag_selection);
  g_test_add_func ("/gui/mixer/colour", test_colour);
  g_test_add_func ("/gui/mixer/rename", test_rename);
  g_test_add_func ("/gui/mixer/missing-file", test_missing_file);
  g_test_add_func ("/gui/mixer/sixteen-strips", test_sixteen_strips);
  g_test_add_func ("/gui/mixer/dark-screenshot", test_dark_screenshot);
  return g_test_run ();
}
