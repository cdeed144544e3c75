/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Undo and redo. The truth is the saved file: after any sequence of edits,
 * undoing all of them gives back the exact JSON of before, and redoing
 * them the exact JSON of after, whatever the edits were (including strips
 * removed with their routing and sends).
 */
#include "model-random.h"

static char *
json_of (BuskerProject *project)
{
  return busker_project_to_data (project, NULL);
}

/* A project built by edits, its whole history undone, is the empty
 * project again; redone, the built one. */
static void
test_random_sequences (void)
{
  g_autoptr (BuskerProject) fresh = busker_project_new ();
  g_autofree char *empty = json_of (fresh);
  for (guint seed = 1; seed <= 60; seed++)
    {
      g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
      g_test_message ("seed %u", seed);
      g_autoptr (BuskerProject) project = random_project (rand, g_rand_int_range (rand, 0, 15));
      for (int i = 0; i < 40; i++)
        random_edit (rand, project);
      g_autofree char *after = json_of (project);
      guint steps = 0;
      while (busker_project_can_undo (project))
        {
          busker_project_undo (project);
          steps++;
        }
      g_autofree char *undone = json_of (project);
      g_assert_cmpstr (undone, ==, empty);
      for (guint k = 0; k < steps; k++)
        busker_project_redo (project);
      g_assert_false (busker_project_can_redo (project));
      g_autofree char *redone = json_of (project);
      g_assert_cmpstr (redone, ==, after);
    }
}

/* The exact check: edits after a save, undone, give the saved file. */
static void
test_undo_to_saved (void)
{
  for (guint seed = 100; seed < 160; seed++)
    {
      g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr (BuskerProject) built = random_project (rand, g_rand_int_range (rand, 1, 20));
      g_autofree char *saved = json_of (built);
      /* A loaded project has an empty history, as the user gets it. */
      g_autoptr (BuskerProject) project = busker_project_load_from_data (saved, strlen (saved), NULL, NULL);
      g_assert_nonnull (project);
      g_assert_false (busker_project_can_undo (project));
      g_assert_false (busker_project_get_dirty (project));

      guint n_edits = g_rand_int_range (rand, 1, 60);
      for (guint i = 0; i < n_edits; i++)
        random_edit (rand, project);
      g_autofree char *edited = json_of (project);
      while (busker_project_can_undo (project))
        busker_project_undo (project);
      g_autofree char *undone = json_of (project);
      g_assert_cmpstr (undone, ==, saved);
      g_assert_false (busker_project_get_dirty (project));
      while (busker_project_can_redo (project))
        busker_project_redo (project);
      g_autofree char *redone = json_of (project);
      g_assert_cmpstr (redone, ==, edited);
      g_assert_cmpint (busker_project_get_dirty (project), ==, g_strcmp0 (edited, saved) != 0 || busker_project_can_undo (project));
    }
}

static void
test_gesture_is_one_step (void)
{
  g_autoptr (BuskerProject) project = busker_project_new ();
  BuskerStrip *master = busker_project_get_master (project);
  g_autoptr (BuskerInsert) eq = busker_insert_new ("eq");
  busker_strip_insert_insert (master, 0, eq);
  busker_project_undo (project);
  g_assert_cmpuint (g_list_model_get_n_items (busker_strip_get_inserts (master)), ==, 0);
  busker_project_redo (project);
  g_assert_false (busker_project_can_redo (project));

  /* A fader drag of 100 moves plus a knob turn: one step. */
  busker_project_begin_gesture (project);
  for (int i = 0; i < 100; i++)
    {
      busker_strip_set_gain_db (master, -i * 0.5);
      busker_insert_set_value (eq, BUSKER_EQ_PARAM (0, BUSKER_EQ_BAND_FREQ_HZ), 100 + i);
    }
  busker_project_end_gesture (project);
  g_assert_cmpfloat (busker_strip_get_gain_db (master), ==, -49.5);
  busker_project_undo (project);
  g_assert_cmpfloat (busker_strip_get_gain_db (master), ==, 0);
  g_assert_cmpfloat (busker_insert_get_value (eq, BUSKER_EQ_PARAM (0, BUSKER_EQ_BAND_FREQ_HZ)), ==,
                     busker_eq_params[BUSKER_EQ_PARAM (0, BUSKER_EQ_BAND_FREQ_HZ)].def);
  /* The step before it is the insert. */
  g_assert_cmpuint (g_list_model_get_n_items (busker_strip_get_inserts (master)), ==, 1);
  busker_project_redo (project);
  g_assert_cmpfloat (busker_strip_get_gain_db (master), ==, -49.5);
  g_assert_cmpfloat (busker_insert_get_value (eq, BUSKER_EQ_PARAM (0, BUSKER_EQ_BAND_FREQ_HZ)), ==, 199);

  /* Several values of one object in one gesture each come back. */
  busker_project_redo (project);
  busker_project_begin_gesture (project);
  busker_strip_set_pan (master, -0.5);
  busker_strip_set_gain_db (master, 3);
  busker_strip_set_pan (master, 0.25);
  busker_insert_set_value (eq, BUSKER_EQ_PARAM (1, BUSKER_EQ_BAND_GAIN_DB), 6);
  busker_insert_set_value (eq, BUSKER_EQ_PARAM (0, BUSKER_EQ_BAND_FREQ_HZ), 50);
  busker_project_end_gesture (project);
  busker_project_undo (project);
  g_assert_cmpfloat (busker_strip_get_pan (master), ==, 0);
  g_assert_cmpfloat (busker_strip_get_gain_db (master), ==, -49.5);
  g_assert_cmpfloat (busker_insert_get_value (eq, BUSKER_EQ_PARAM (1, BUSKER_EQ_BAND_GAIN_DB)), ==, 0);
  g_assert_cmpfloat (busker_insert_get_value (eq, BUSKER_EQ_PARAM (0, BUSKER_EQ_BAND_FREQ_HZ)), ==, 199);

  /* An empty gesture adds no step. */
  busker_project_undo (project);
  busker_project_begin_gesture (project);
  busker_project_end_gesture (project);
  g_assert_true (busker_project_can_redo (project));
}

static void
test_depth (void)
{
  g_autoptr (BuskerProject) project = busker_project_new ();
  BuskerStrip *master = busker_project_get_master (project);
  for (int i = 1; i <= 1100; i++)
    busker_strip_set_gain_db (master, -i * 0.1);
  guint undone = 0;
  while (busker_project_can_undo (project))
    {
      busker_project_undo (project);
      undone++;
    }
  g_assert_cmpuint (undone, ==, BUSKER_PROJECT_UNDO_DEPTH);
  g_assert_cmpuint (undone, >=, 1000);
  /* The oldest 100 steps were forgotten: we stop at step 100's value. */
  g_assert_cmpfloat_with_epsilon (busker_strip_get_gain_db (master), -10.0, 1e-9);
  /* Clean was lost with them. */
  g_assert_true (busker_project_get_dirty (project));
}

static void
test_move_insert (void)
{
  g_autoptr (BuskerProject) project = busker_project_new ();
  BuskerStrip *master = busker_project_get_master (project);
  const char *types[] = { "eq", "compressor", "limiter" };
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (BuskerInsert) insert = busker_insert_new (types[i]);
      busker_strip_insert_insert (master, i, insert);
    }
  GListModel *inserts = busker_strip_get_inserts (master);
  busker_strip_move_insert (master, 0, 2);
  const char *moved[] = { "compressor", "limiter", "eq" };
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (BuskerInsert) insert = g_list_model_get_item (inserts, i);
      g_assert_cmpstr (busker_insert_get_effect_type (insert), ==, moved[i]);
    }
  busker_project_undo (project);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (BuskerInsert) insert = g_list_model_get_item (inserts, i);
      g_assert_cmpstr (busker_insert_get_effect_type (insert), ==, types[i]);
    }
}

static void
count (GObject *o, GParamSpec *p, guint *n)
{
  (*n)++;
}

static void
test_dirty (void)
{
  g_autoptr (BuskerProject) project = busker_project_new ();
  BuskerStrip *master = busker_project_get_master (project);
  guint notified = 0;
  g_signal_connect (project, "notify::dirty", G_CALLBACK (count), &notified);
  g_assert_false (busker_project_get_dirty (project));
  busker_strip_set_mute (master, TRUE);
  g_assert_true (busker_project_get_dirty (project));
  busker_strip_set_mute (master, FALSE);
  busker_project_undo (project);
  g_assert_true (busker_project_get_dirty (project));
  busker_project_undo (project);
  g_assert_false (busker_project_get_dirty (project));
  g_assert_cmpuint (notified, ==, 2);
  /* A new edit after undo drops the redo branch. */
  busker_strip_set_solo (master, TRUE);
  g_assert_false (busker_project_can_redo (project));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model/undo/random-sequences", test_random_sequences);
  g_test_add_func ("/model/undo/undo-to-saved", test_undo_to_saved);
  g_test_add_func ("/model/undo/gesture", test_gesture_is_one_step);
  g_test_add_func ("/model/undo/depth", test_depth);
  g_test_add_func ("/model/undo/move-insert", test_move_insert);
  g_test_add_func ("/model/undo/dirty", test_dirty);
  return g_test_run ();
}
