/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A long random walk through the model: every operation is a random edit
 * (tests/unit/model-random.h, every editable property and structure), an
 * undo or a redo. BUSKER_MODEL_OPS sets how many (default 10 000, the
 * CI run; a million for the long run, docs/reliability.md), and
 * BUSKER_MODEL_SEED the seed.
 *
 * The truth is our own record of the saved JSON after every step, kept
 * beside the project: an undo must give back exactly the JSON of the step
 * before, a redo exactly the one after, up to BUSKER_PROJECT_UNDO_DEPTH
 * steps back. Every 97 operations: strip ids are unique, every output
 * and send names an existing strip of the right kind, the routing graph
 * (outputs and sends) has no loop and reaches the master, and the JSON
 * loads again to the same bytes. Now and then the project is saved, and
 * from then on its dirty flag must say whether the walk is at the saved
 * step (one undo away from it, or back on it, or past a dropped branch).
 * BUSKER_MODEL_STRICT=1 also undoes and
 * redoes every edit twice right after it. BUSKER_MODEL_DUMP=1 writes the
 * two texts of a failed comparison to /tmp/model-{want,got}.json.
 *
 * A gesture that changes something and changes it back (an output moved
 * to a subgroup and back) leaves an undo step that shows no change; the
 * walk counts those and keeps its record in step with them (by counting
 * how many undos keep the text, so two such steps in a row are told
 * apart from one).
 */
#include <glib/gstdio.h>

#include "unit/model-random.h"

static char *
json_of (BuskerProject *project)
{
  return busker_project_to_data (project, NULL);
}

/* Unique ids, targets that exist, no loops, everything reaches the
 * master. Written against the model's getters, not its checks. */
static void
check_invariants (BuskerProject *project)
{
  GListModel *strips = G_LIST_MODEL (project);
  guint n = g_list_model_get_n_items (strips);
  g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree BuskerStrip **by_index = g_new0 (BuskerStrip *, n);
  g_autofree int *state = g_new0 (int, n);
  int master = -1;

  for (guint i = 0; i < n; i++)
    {
      BuskerStrip *strip = g_list_model_get_item (strips, i);
      by_index[i] = strip;
      g_object_unref (strip); /* the project holds it */
      const char *id = busker_strip_get_id (strip);
      if (g_hash_table_contains (index, id))
        g_error ("two strips have the id “%s”", id);
      g_hash_table_insert (index, (gpointer) id, GUINT_TO_POINTER (i));
      if (busker_strip_get_kind (strip) == BUSKER_STRIP_MASTER)
        {
          g_assert_cmpint (master, ==, -1);
          master = (int) i;
        }
    }
  g_assert_cmpint (master, >=, 0);

  /* Iterative DFS over outputs and sends; state 1 = on the path. */
  for (guint root = 0; root < n; root++)
    {
      if (state[root] == 2)
        continue;
      g_autoptr (GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr (GArray) next_edge = g_array_new (FALSE, FALSE, sizeof (guint));
      guint zero = 0;
      g_array_append_val (stack, root);
      g_array_append_val (next_edge, zero);
      state[root] = 1;
      while (stack->len > 0)
        {
          guint top = g_array_index (stack, guint, stack->len - 1);
          guint *e = &g_array_index (next_edge, guint, next_edge->len - 1);
          BuskerStrip *strip = by_index[top];
          GListModel *sends = busker_strip_get_sends (strip);
          guint n_sends = g_list_model_get_n_items (sends);
          const char *to = NULL;
          gboolean is_send = FALSE;

          if (*e == 0)
            to = busker_strip_get_output (strip);
          else if (*e <= n_sends)
            {
              g_autoptr (BuskerSend) send = g_list_model_get_item (sends, *e - 1);
              to = busker_send_get_to (send);
              is_send = TRUE;
            }
          else
            {
              state[top] = 2;
              g_array_set_size (stack, stack->len - 1);
              g_array_set_size (next_edge, next_edge->len - 1);
              continue;
            }
          (*e)++;
          if (to == NULL)
            {
              /* Only the master has no output: the rest goes to it. */
              if (!is_send && busker_strip_get_kind (strip) != BUSKER_STRIP_MASTER
                  && busker_strip_get_output (strip) != NULL)
                g_assert_not_reached ();
              continue;
            }
          gpointer found;
          if (!g_hash_table_lookup_extended (index, to, NULL, &found))
            g_error ("“%s” routes to “%s”, which does not exist", busker_strip_get_id (strip), to);
          guint target = GPOINTER_TO_UINT (found);
          BuskerStripKind kind = busker_strip_get_kind (by_index[target]);
          if (is_send)
            g_assert_cmpint (kind, ==, BUSKER_STRIP_AUX);
          else
            g_assert_true (kind == BUSKER_STRIP_SUBGROUP || kind == BUSKER_STRIP_MASTER);
          if (state[target] == 1)
            g_error ("routing loop through “%s” and “%s”", busker_strip_get_id (strip), to);
          if (state[target] == 0)
            {
              state[target] = 1;
              g_array_append_val (stack, target);
              g_array_append_val (next_edge, zero);
            }
        }
    }
}

static void
check_round_trip (BuskerProject *project, const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerProject) again = busker_project_load_from_data (json, strlen (json), NULL, &error);
  g_assert_no_error (error);
  g_autofree char *second = json_of (again);
  g_assert_cmpstr (second, ==, json);
}

/* Fails naming the first line that differs. */
static int last_edit = -1;
static guint64 last_edit_op;
static char trail[16][48]; /* the last operations, for the failure message */

static void
note (guint64 op, const char *what, int edit)
{
  g_snprintf (trail[op % 16], sizeof trail[0], "%" G_GUINT64_FORMAT " %s %d", op, what, edit);
}

static void
mismatch (const char *what, guint64 op, const char *want, const char *got)
{
  g_auto (GStrv) a = g_strsplit (want, "\n", -1);
  g_auto (GStrv) b = g_strsplit (got, "\n", -1);
  guint i = 0;
  for (guint64 k = op > 15 ? op - 15 : 0; k <= op; k++)
    g_printerr ("%s\n", trail[k % 16]);
  if (g_getenv ("BUSKER_MODEL_DUMP"))
    {
      g_file_set_contents ("/tmp/model-want.json", want, -1, NULL);
      g_file_set_contents ("/tmp/model-got.json", got, -1, NULL);
    }
  while (a[i] != NULL && b[i] != NULL && strcmp (a[i], b[i]) == 0)
    i++;
  /* The lines on stderr; the failure itself one line (TAP reads it). */
  g_printerr ("line %u is\n  %s\ninstead of\n  %s\n", i + 1, b[i] ? b[i] : "(end)",
              a[i] ? a[i] : "(end)");
  g_error ("operation %" G_GUINT64_FORMAT ": %s (last edit: case %d of random_edit at "
           "operation %" G_GUINT64_FORMAT ", line %u differs)",
           op, what, last_edit, last_edit_op, i + 1);
}

static void
test_long_random_walk (void)
{
  const char *ops_env = g_getenv ("BUSKER_MODEL_OPS");
  const char *seed_env = g_getenv ("BUSKER_MODEL_SEED");
  guint64 n_ops = ops_env ? g_ascii_strtoull (ops_env, NULL, 10) : 10000;
  guint32 seed = seed_env ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : 20261130;
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr (BuskerProject) project = random_project (rand, 8);
  /* history[0..pos] are the JSON texts the undo steps lead back to;
   * history[pos+1..] the redo branch. */
  g_autoptr (GPtrArray) history = g_ptr_array_new_with_free_func (g_free);
  guint pos = 0, edits = 0, undos = 0, redos = 0, empty = 0, invisible = 0, max_strips = 0;
  /* history index of the last saved state; -1 once no undo or redo can
   * lead back to it (its redo branch dropped, or forgotten past the
   * depth). The project is dirty exactly when pos is not there. */
  int saved = 0;
  guint saves = 0;
  g_autofree char *dir = g_dir_make_tmp ("busker-model-long-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "walk.busker", NULL);
  g_autofree char *bak = g_strconcat (path, ".bak", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  gint64 start = g_get_monotonic_time ();

  g_test_message ("seed %u, %" G_GUINT64_FORMAT " operations", seed, n_ops);
  /* Start from a loaded file: an empty history, as a user gets it. */
  {
    g_autofree char *built = json_of (project);
    g_clear_object (&project);
    project = busker_project_load_from_data (built, strlen (built), NULL, NULL);
    g_ptr_array_add (history, g_steal_pointer (&built));
  }

  for (guint64 op = 0; op < n_ops; op++)
    {
      int what = g_rand_int_range (rand, 0, 10);
      guint n_strips = g_list_model_get_n_items (G_LIST_MODEL (project));
      max_strips = MAX (max_strips, n_strips);

      if (what < 6 || (what < 8 && !busker_project_can_undo (project)))
        {
          /* One edit as one gesture: one undo step, or none if nothing
           * changed. Big projects shed strips instead of growing. */
          busker_project_begin_gesture (project);
          if (n_strips > 24)
            {
              BuskerStrip *strip = random_existing (rand, project);
              if (busker_strip_get_kind (strip) != BUSKER_STRIP_MASTER)
                busker_project_remove_strip (project, strip);
            }
          else
            last_edit = random_edit (rand, project);
          last_edit_op = op;
          note (op, "edit", last_edit);
          busker_project_end_gesture (project);
          char *now = json_of (project);
          if (strcmp (now, g_ptr_array_index (history, pos)) == 0)
            {
              /* Nothing visible changed. Either no step was added, or the
               * gesture changed something and changed it back (an output
               * moved to a subgroup and back): then an undo step that
               * shows no change was added. Our record ends in m steps
               * that look like this one; the project's history ends in m
               * (nothing added) or m + 1 (one added) such steps: count
               * how many undos keep the text, then redo them all. */
              guint m = 0, same = 0, undone = 0;
              while (m < pos && strcmp (g_ptr_array_index (history, pos - m - 1), now) == 0)
                m++;
              while (same <= m && busker_project_can_undo (project))
                {
                  busker_project_undo (project);
                  undone++;
                  g_autofree char *back = json_of (project);
                  if (strcmp (back, now) != 0)
                    break;
                  same++;
                }
              while (undone-- > 0)
                busker_project_redo (project);
              if (same != m && same != m + 1)
                mismatch ("the undo steps that change nothing do not add up", op, now, now);
              if (same == m)
                {
                  g_free (now);
                  empty++;
                  continue;
                }
              invisible++;
            }
          if (saved > (int) pos)
            saved = -1; /* the saved state was in the redo branch */
          g_ptr_array_set_size (history, pos + 1); /* drops the redo branch */
          g_ptr_array_add (history, now);
          pos++;
          if (history->len > BUSKER_PROJECT_UNDO_DEPTH + 1)
            {
              g_ptr_array_remove_index (history, 0);
              pos--;
              saved = saved > 0 ? saved - 1 : -1;
            }
          g_assert_false (busker_project_can_redo (project));
          edits++;
          for (int cycle = 0; cycle < 2 && g_getenv ("BUSKER_MODEL_STRICT") && pos > 0; cycle++)
            {
              busker_project_undo (project);
              g_autofree char *back = json_of (project);
              if (strcmp (back, g_ptr_array_index (history, pos - 1)) != 0)
                mismatch ("undo right after the edit did not give back the JSON before it", op,
                          g_ptr_array_index (history, pos - 1), back);
              busker_project_redo (project);
              g_autofree char *again = json_of (project);
              if (strcmp (again, g_ptr_array_index (history, pos)) != 0)
                mismatch ("redo right after the undo did not give back the JSON after the edit", op,
                          g_ptr_array_index (history, pos), again);
            }
        }
      else if (what < 8)
        {
          g_assert_cmpuint (pos, >, 0);
          busker_project_undo (project);
          note (op, "undo", 0);
          pos--;
          g_autofree char *now = json_of (project);
          if (strcmp (now, g_ptr_array_index (history, pos)) != 0)
            mismatch ("undo did not give back the JSON of the step before", op,
                      g_ptr_array_index (history, pos), now);
          undos++;
        }
      else if (busker_project_can_redo (project))
        {
          g_assert_cmpuint (pos + 1, <, history->len);
          busker_project_redo (project);
          note (op, "redo", 0);
          pos++;
          g_autofree char *now = json_of (project);
          if (strcmp (now, g_ptr_array_index (history, pos)) != 0)
            mismatch ("redo did not give back the JSON of the step after", op,
                      g_ptr_array_index (history, pos), now);
          redos++;
        }
      else
        g_assert_cmpuint (pos + 1, ==, history->len);

      /* Now and then a save: this state is the clean one. */
      if (g_rand_int_range (rand, 0, 150) == 0)
        {
          g_autoptr (GError) error = NULL;
          g_assert_true (busker_project_save (project, file, &error));
          saved = (int) pos;
          saves++;
          note (op, "edit+save", last_edit);
        }

      /* The history agrees with ours about how far back it goes, and
       * about whether this is the saved state. */
      g_assert_cmpint (busker_project_can_undo (project), ==, pos > 0);
      if (busker_project_get_dirty (project) != (saved != (int) pos))
        g_error ("operation %" G_GUINT64_FORMAT ": the project says %s, but the saved state is "
                 "%s (step %d, now %u)", op, busker_project_get_dirty (project) ? "dirty" : "clean",
                 saved < 0 ? "out of reach" : saved == (int) pos ? "this one" : "another",
                 saved, pos);
      if (op % 100000 == 0 && op > 0)
        g_printerr ("model-long: %" G_GUINT64_FORMAT " operations, all checks held (%.0f s)\n",
                    op, (g_get_monotonic_time () - start) / 1e6);
      if (op % 97 == 0)
        {
          check_invariants (project);
          check_round_trip (project, g_ptr_array_index (history, pos));
        }
    }
  check_invariants (project);
  g_unlink (path);
  g_unlink (bak);
  g_rmdir (dir);
  g_test_message ("%u edits (%u changed nothing, %u left an undo step that changes nothing), "
                  "%u undos, %u redos, %u saves; up to %u strips; %.1f s",
                  edits, empty, invisible, undos, redos, saves, max_strips,
                  (g_get_monotonic_time () - start) / 1e6);
  /* Each kind of operation really ran (the shares depend on the dice). */
  g_assert_cmpuint (edits, >, n_ops / 4);
  g_assert_cmpuint (undos, >, n_ops / 20);
  g_assert_cmpuint (redos, >, n_ops / 100);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reliability/model/long-random-walk", test_long_random_walk);
  return g_test_run ();
}
