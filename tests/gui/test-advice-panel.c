/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The mix assistant's panel on the demo, in a real window: the advice it
 * lists is the analysis' (every row names its strip), a click on a row
 * names the strip and insert, "Set Input Levels" is one undo step, and
 * the A/B switch of a bus bypasses its inserts at equal loudness — checked
 * by rendering the bus before and after and metering its output with
 * libebur128.
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "app/busker-application.h"
#include "assist/busker-assist.h"
#include "dsp/params.h"
#include "engine/busker-render.h"
#include "app/busker-window.h"
#include "gui-util.h"
#include "widgets/busker-advice-panel.h"
#include "widgets/busker-insert-editor.h"
#include "widgets/busker-mixer-private.h"

static gboolean
not_busy (gpointer panel)
{
  return !busker_advice_panel_get_busy (panel);
}

static void
wait_until (gboolean (*cond) (gpointer), gpointer data)
{
  gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (!cond (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* The widgets below root of a type, depth first. */
static void
collect (GtkWidget *root, GType type, GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (out, root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect (c, type, out);
}

static char *
row_text (GtkWidget *row)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  collect (row, GTK_TYPE_LABEL, labels);
  g_assert_cmpuint (labels->len, >=, 1);
  return g_strdup (gtk_label_get_label (labels->pdata[0]));
}

/* Integrated loudness of one strip's output over the whole project. */
static double
strip_output_lufs (BuskerProject *project, const char *id)
{
  g_autoptr (BuskerMixDesc) desc = busker_project_snapshot (project);
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerRender) render = busker_render_new (desc, &error);
  g_autoptr (BuskerLoudness) meter = busker_loudness_new_light (desc->sample_rate, 0);
  uint32_t strip = UINT32_MAX;
  int64_t length;

  g_assert_no_error (error);
  for (uint32_t i = 0; i < desc->n_strips; i++)
    if (g_str_equal (desc->strips[i].id, id))
      strip = i;
  g_assert_cmpuint (strip, !=, UINT32_MAX);
  length = busker_render_source_length (render);
  for (int64_t pos = 0; pos < length; pos += busker_render_max_block (render))
    {
      uint32_t n = (uint32_t) MIN ((int64_t) busker_render_max_block (render), length - pos);
      g_assert_true (busker_render_process (render, n, &error));
      busker_loudness_add_planar (meter, busker_render_strip_output (render, strip, 0),
                                  busker_render_strip_output (render, strip, 1), n);
    }
  return busker_loudness_get_integrated (meter);
}

typedef struct {
  BuskerStrip *strip;
  int insert;
  guint shown;
} Shown;

static void
on_show_strip (BuskerAdvicePanel *panel, BuskerStrip *strip, int insert, Shown *shown)
{
  shown->strip = strip;
  shown->insert = insert;
  shown->shown++;
}

static void
test_panel (void)
{
  const char *demo = g_getenv ("BUSKER_DEMO");
  g_autoptr (GFile) file = g_file_new_for_path (demo);
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerProject) project = busker_project_load (file, &error);
  g_assert_no_error (error);

  /* A heavy-handed drums bus: threshold -40 dB, so its compressor is
   * named with its insert index. */
  BuskerStrip *drums = busker_project_find_strip (project, "drums");
  g_autoptr (BuskerInsert) comp = g_list_model_get_item (busker_strip_get_inserts (drums), 0);
  busker_insert_set_value (comp, BUSKER_COMP_THRESHOLD_DB, -40);

  GtkWidget *window = gtk_window_new ();
  GtkWidget *panel = busker_advice_panel_new ();
  Shown shown = { 0 };
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 700);
  gtk_window_set_child (GTK_WINDOW (window), panel);
  g_signal_connect (panel, "show-strip", G_CALLBACK (on_show_strip), &shown);
  busker_advice_panel_set_project (BUSKER_ADVICE_PANEL (panel), project);
  gtk_window_present (GTK_WINDOW (window));

  /* The same analysis in-process, for the list to match. */
  g_autoptr (BuskerMixDesc) desc = busker_project_snapshot (project);
  g_autoptr (BuskerAssistMix) mix = busker_assist_measure (desc, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (GPtrArray) advice = busker_assist_advise (mix, NULL);

  busker_advice_panel_analyze (BUSKER_ADVICE_PANEL (panel));
  g_assert_true (busker_advice_panel_get_busy (BUSKER_ADVICE_PANEL (panel)));
  wait_until (not_busy, panel);

  g_autoptr (GPtrArray) rows = g_ptr_array_new ();
  g_autoptr (GPtrArray) lists = g_ptr_array_new ();
  collect (panel, GTK_TYPE_LIST_BOX, lists);
  g_assert_cmpuint (lists->len, ==, 2);
  collect (lists->pdata[0], GTK_TYPE_LIST_BOX_ROW, rows);
  g_assert_cmpuint (rows->len, ==, advice->len);
  int comp_row = -1;
  for (guint i = 0; i < rows->len; i++)
    {
      g_autofree char *text = row_text (rows->pdata[i]);
      const BuskerAdvice *a = advice->pdata[i];
      g_test_message ("row: %s", text);
      g_assert_cmpstr (text, ==, a->message);
      if (a->kind == BUSKER_ADVICE_COMP_MEAN && a->strip == 8)
        comp_row = (int) i;
    }
  g_assert_cmpint (comp_row, >=, 0);
  g_autofree char *comp_text = row_text (rows->pdata[comp_row]);
  g_assert_true (g_str_has_prefix (comp_text, "Drums bus compressor: "));

  /* A click on the compressor's advice names the strip and the insert. */
  g_signal_emit_by_name (lists->pdata[0], "row-activated", rows->pdata[comp_row]);
  g_assert_cmpuint (shown.shown, ==, 1);
  g_assert_true (shown.strip == drums);
  g_assert_cmpint (shown.insert, ==, 0);

  /* Set Input Levels: the suggested trims, one undo step. */
  g_autoptr (GPtrArray) buttons = g_ptr_array_new ();
  collect (panel, GTK_TYPE_BUTTON, buttons);
  GtkWidget *trims_button = NULL;
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), "Set _Input Levels") == 0)
      trims_button = buttons->pdata[i];
  g_assert_nonnull (trims_button);
  g_assert_true (gtk_widget_get_sensitive (trims_button));
  BuskerStrip *kick = busker_project_find_strip (project, "kick");
  double kick_trim = NAN;
  for (uint32_t i = 0; i < desc->n_strips; i++)
    if (g_str_equal (desc->strips[i].id, "kick"))
      kick_trim = mix->strips[i].suggested_trim_db;
  g_assert_true (isfinite (kick_trim));
  g_signal_emit_by_name (trims_button, "clicked");
  g_assert_cmpfloat_with_epsilon (busker_strip_get_trim_db (kick), kick_trim, 1e-6);
  busker_project_undo (project);
  g_assert_cmpfloat (busker_strip_get_trim_db (kick), ==, 0.0);

  /* A/B on the drums bus: bypassed, and as loud as with its inserts. */
  g_autoptr (GPtrArray) toggles = g_ptr_array_new ();
  collect (lists->pdata[1], GTK_TYPE_TOGGLE_BUTTON, toggles);
  GtkToggleButton *drums_ab = NULL;
  g_autoptr (GPtrArray) ab_rows = g_ptr_array_new ();
  collect (lists->pdata[1], GTK_TYPE_LIST_BOX_ROW, ab_rows);
  g_assert_cmpuint (ab_rows->len, ==, toggles->len);
  for (guint i = 0; i < ab_rows->len; i++)
    {
      g_autofree char *text = row_text (ab_rows->pdata[i]);
      if (g_str_has_prefix (text, "Drums: "))
        drums_ab = toggles->pdata[i];
    }
  g_assert_nonnull (drums_ab);
  double with_inserts = strip_output_lufs (project, "drums");
  gtk_toggle_button_set_active (drums_ab, TRUE);
  g_assert_true (busker_insert_get_bypass (comp));
  g_assert_cmpfloat (busker_strip_get_trim_db (drums), !=, 0.0);
  double bypassed = strip_output_lufs (project, "drums");
  g_test_message ("drums with inserts %.2f LUFS, bypassed and compensated %.2f LUFS "
                  "(trim %+.2f dB)", with_inserts, bypassed, busker_strip_get_trim_db (drums));
  g_assert_cmpfloat_with_epsilon (bypassed, with_inserts, 0.3);
  gtk_toggle_button_set_active (drums_ab, FALSE);
  g_assert_false (busker_insert_get_bypass (comp));
  g_assert_cmpfloat (busker_strip_get_trim_db (drums), ==, 0.0);
  /* Each switch was one step. */
  busker_project_undo (project);
  g_assert_true (busker_insert_get_bypass (comp));
  busker_project_undo (project);
  g_assert_false (busker_insert_get_bypass (comp));
  g_assert_cmpfloat (busker_strip_get_trim_db (drums), ==, 0.0);

  /* Another project clears the list. */
  busker_advice_panel_set_project (BUSKER_ADVICE_PANEL (panel), NULL);
  g_ptr_array_set_size (rows, 0);
  collect (lists->pdata[0], GTK_TYPE_LIST_BOX_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_project (gpointer window)
{
  return busker_window_get_project (window) != NULL;
}

static gboolean
revealed (gpointer revealer)
{
  return gtk_revealer_get_child_revealed (revealer);
}

static GtkWidget *
find_editor (void)
{
  GListModel *tops = gtk_window_get_toplevels (); /* borrowed */
  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (tops, i);
      if (BUSKER_IS_INSERT_EDITOR (w))
        return GTK_WIDGET (w);
    }
  return NULL;
}

/* The window's hook: the menu action shows the panel, and a click on
 * advice selects the strip in the mixer and opens the insert's editor. */
static void
test_window_hook (void)
{
  g_autoptr (GError) error = NULL;
  /* Kept to the end of the process, as test-window.c keeps its own. */
  static BuskerApplication *app;
  g_autoptr (GFile) file = g_file_new_for_path (g_getenv ("BUSKER_DEMO"));
  BuskerWindow *window;

  app = busker_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  window = busker_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
  busker_window_open_file (window, file);
  wait_until (has_project, window);

  g_autoptr (GPtrArray) panels = g_ptr_array_new ();
  collect (GTK_WIDGET (window), BUSKER_TYPE_ADVICE_PANEL, panels);
  g_assert_cmpuint (panels->len, ==, 1);
  BuskerAdvicePanel *panel = panels->pdata[0];
  g_assert_true (busker_advice_panel_get_project (panel) == busker_window_get_project (window));
  GtkWidget *revealer = gtk_widget_get_ancestor (GTK_WIDGET (panel), GTK_TYPE_REVEALER);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  /* The shortcut, as real keys. */
  gui_press_keys (GTK_WINDOW (window), "ctrl+shift+a");
  wait_until (revealed, revealer);
  busker_advice_panel_analyze (panel);
  wait_until (not_busy, panel);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gui_screenshot ("busker-advice-panel.png");

  BuskerProject *project = busker_window_get_project (window);
  BuskerStrip *drums = busker_project_find_strip (project, "drums");
  g_autoptr (GPtrArray) mixers = g_ptr_array_new ();
  collect (GTK_WIDGET (window), BUSKER_TYPE_MIXER, mixers);
  g_assert_cmpuint (mixers->len, ==, 1);
  g_assert_null (find_editor ());
  g_signal_emit_by_name (panel, "show-strip", drums, 0);
  BuskerChannelStrip *cs = busker_mixer_get_strip_widget (mixers->pdata[0], drums);
  g_assert_nonnull (cs);
  g_assert_true (busker_channel_strip_get_selected (cs));
  GtkWidget *editor = find_editor ();
  g_assert_nonnull (editor);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (editor)), ==, "Drums Compressor");
  gtk_window_destroy (GTK_WINDOW (editor));

  g_action_group_activate_action (G_ACTION_GROUP (window), "mix-assistant", NULL);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  /* The project is unchanged: close without a question. */
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  busker_ensure_resources ();
  g_test_add_func ("/gui/advice-panel", test_panel);
  g_test_add_func ("/gui/advice-window", test_window_hook);
  return g_test_run ();
}
