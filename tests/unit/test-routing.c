/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Routing rules: outputs go to a subgroup or the master, sends to aux
 * buses, and no mix of outputs and sends may loop. Every loop shape is
 * refused with a message naming the loop in order; the GUI's question
 * (busker_project_can_route) gives the same answer. Solo-in-place through
 * the model is checked against hand-worked truth.
 */
#include "model-random.h"

static BuskerStrip *
add (BuskerProject *project, BuskerStripKind kind, const char *id, const char *name)
{
  g_autoptr (BuskerStrip) strip = busker_strip_new (kind, id);
  g_autoptr (GError) error = NULL;
  busker_strip_set_name (strip, name);
  g_assert_true (busker_project_add_strip (project, strip, G_MAXUINT, &error));
  g_assert_no_error (error);
  return strip; /* borrowed from the project */
}

static void
assert_refused_output (BuskerProject *project, BuskerStrip *strip,
                       BuskerStrip *target, const char *message)
{
  g_autoptr (GError) error = NULL;
  const char *before = busker_strip_get_output (strip);
  g_autofree char *saved = g_strdup (before);
  g_assert_false (busker_project_set_output (project, strip, target, &error));
  g_assert_error (error, BUSKER_PROJECT_ERROR, BUSKER_PROJECT_ERROR_ROUTING);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_cmpstr (busker_strip_get_output (strip), ==, saved);
}

static void
assert_refused_send (BuskerProject *project, BuskerStrip *strip,
                     BuskerStrip *target, const char *message)
{
  g_autoptr (GError) error = NULL;
  guint n = g_list_model_get_n_items (busker_strip_get_sends (strip));
  g_assert_null (busker_project_add_send (project, strip, target, &error));
  g_assert_error (error, BUSKER_PROJECT_ERROR, BUSKER_PROJECT_ERROR_ROUTING);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_cmpuint (g_list_model_get_n_items (busker_strip_get_sends (strip)), ==, n);
}

static void
test_targets (void)
{
  g_autoptr (BuskerProject) project = busker_project_new ();
  BuskerStrip *master = busker_project_get_master (project);
  BuskerStrip *kick = add (project, BUSKER_STRIP_TRACK, "kick", "Kick");
  BuskerStrip *snare = add (project, BUSKER_STRIP_TRACK, "snare", "Snare");
  BuskerStrip *drums = add (project, BUSKER_STRIP_SUBGROUP, "drums", "Drums");
  BuskerStrip *verb = add (project, BUSKER_STRIP_AUX, "verb", "Reverb");
  g_autoptr (GError) error = NULL;
  char *reason = NULL;

  g_assert_true (busker_project_set_output (project, kick, drums, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (busker_strip_get_output (kick), ==, "drums");
  g_assert_true (busker_project_set_output (project, kick, master, &error));
  g_assert_cmpstr (busker_strip_get_output (kick), ==, "master");

  assert_refused_output (project, kick, snare, "Snare is a track; only buses take signal");
  assert_refused_output (project, kick, verb, "Reverb is an aux bus; it is fed by sends, not outputs");
  assert_refused_output (project, drums, drums, "Drums cannot feed itself");
  assert_refused_send (project, kick, drums, "Drums is not an aux bus; sends go to aux buses");
  assert_refused_send (project, verb, verb, "Reverb cannot feed itself");
  assert_refused_output (project, master, drums,
                         "The master bus feeds the speakers and the export only");

  BuskerSend *send = busker_project_add_send (project, kick, verb, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (busker_send_get_to (send), ==, "verb");

  /* The GUI's question. */
  g_assert_true (busker_project_can_route (project, kick, drums, &reason));
  g_assert_null (reason);
  g_assert_true (busker_project_can_route (project, snare, verb, NULL));
  g_assert_false (busker_project_can_route (project, kick, snare, &reason));
  g_assert_cmpstr (reason, ==, "Snare is a track; only buses take signal");
  g_clear_pointer (&reason, g_free);
  g_assert_false (busker_project_can_route (project, drums, drums, &reason));
  g_assert_cmpstr (reason, ==, "Drums cannot feed itself");
  g_clear_pointer (&reason, g_free);
}

static void
test_loops (void)
{
  g_autoptr (BuskerProject) project = busker_project_new ();
  BuskerStrip *a = add (project, BUSKER_STRIP_SUBGROUP, "a", "Drums");
  BuskerStrip *b = add (project, BUSKER_STRIP_SUBGROUP, "b", "Kit");
  BuskerStrip *c = add (project, BUSKER_STRIP_SUBGROUP, "c", "Rhythm");
  BuskerStrip *r = add (project, BUSKER_STRIP_AUX, "r", "Reverb");
  BuskerStrip *d = add (project, BUSKER_STRIP_AUX, "d", "Delay");
  BuskerStrip *t = add (project, BUSKER_STRIP_TRACK, "t", "Vox");
  g_autoptr (GError) error = NULL;
  char *reason = NULL;

  /* Output loop over three subgroups: a → b → c, then c → a. */
  g_assert_true (busker_project_set_output (project, a, b, NULL));
  g_assert_true (busker_project_set_output (project, b, c, NULL));
  assert_refused_output (project, c, a, "Rhythm → Drums → Kit → Rhythm would feed back");
  g_assert_false (busker_project_can_route (project, c, a, &reason));
  g_assert_cmpstr (reason, ==, "Rhythm → Drums → Kit → Rhythm would feed back");
  g_clear_pointer (&reason, g_free);
  /* Two-strip output loop. */
  assert_refused_output (project, b, a, "Kit → Drums → Kit would feed back");

  /* Send loop: Reverb sends to Delay, Delay to Reverb. */
  g_assert_nonnull (busker_project_add_send (project, r, d, NULL));
  assert_refused_send (project, d, r, "Delay → Reverb → Delay would feed back");

  /* Mixed: Drums sends to Reverb, Reverb's output goes to Kit, which
   * feeds Rhythm... and Rhythm's output back is fine, but Reverb → Kit →
   * Rhythm, then Rhythm sending to Reverb closes the loop. */
  g_assert_true (busker_project_set_output (project, r, b, &error));
  g_assert_no_error (error);
  assert_refused_send (project, c, r, "Rhythm → Reverb → Kit → Rhythm would feed back");
  /* And the way round: an output closing a loop made of a send. */
  g_assert_nonnull (busker_project_add_send (project, a, d, NULL));
  /* d → r (send? no: r sends to d). Delay's output to Drums: Delay → Drums
   * → Delay through Drums' send. */
  assert_refused_output (project, d, a, "Delay → Drums → Delay would feed back");

  /* A track can always reach any bus that does not reach it. */
  g_assert_true (busker_project_set_output (project, t, a, NULL));
  g_assert_nonnull (busker_project_add_send (project, t, r, NULL));
  g_assert_nonnull (busker_project_add_send (project, t, d, NULL));
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added,
                  GString *log)
{
  g_string_append_printf (log, "%u-%u+%u ", position, removed, added);
}

static void
test_remove_reroutes (void)
{
  g_autoptr (BuskerProject) project = busker_project_new ();
  BuskerStrip *bus = add (project, BUSKER_STRIP_SUBGROUP, "bus", "Bus");
  BuskerStrip *fx = add (project, BUSKER_STRIP_AUX, "fx", "FX");
  BuskerStrip *t = add (project, BUSKER_STRIP_TRACK, "t", "T");
  g_assert_true (busker_project_set_output (project, t, bus, NULL));
  g_assert_nonnull (busker_project_add_send (project, t, fx, NULL));

  /* The project is the strips' GListModel and says what changed. */
  g_autoptr (GString) log = g_string_new (NULL);
  g_signal_connect (project, "items-changed", G_CALLBACK (on_items_changed), log);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (project)) == BUSKER_TYPE_STRIP);

  g_object_ref (bus);
  busker_project_remove_strip (project, bus);
  g_assert_cmpstr (busker_strip_get_output (t), ==, "master");
  g_assert_null (busker_project_find_strip (project, "bus"));
  busker_project_remove_strip (project, fx);
  g_assert_cmpuint (g_list_model_get_n_items (busker_strip_get_sends (t)), ==, 0);

  busker_project_undo (project);
  g_assert_cmpuint (g_list_model_get_n_items (busker_strip_get_sends (t)), ==, 1);
  busker_project_undo (project);
  g_assert_true (busker_project_find_strip (project, "bus") == bus);
  g_assert_cmpstr (busker_strip_get_output (t), ==, "bus");
  /* master, bus, fx, t: bus (1) out, fx (1) out, fx back, bus back. */
  g_assert_cmpstr (log->str, ==, "1-1+0 1-1+0 1-0+1 1-0+1 ");
  g_assert_cmpint (busker_project_get_strip_position (project, bus), ==, 1);
  g_object_unref (bus);

  /* Adding a strip whose output is missing or wrong is refused. */
  g_autoptr (BuskerStrip) dup = busker_strip_new (BUSKER_STRIP_TRACK, "t");
  g_autoptr (GError) error = NULL;
  g_assert_false (busker_project_add_strip (project, dup, 0, &error));
  g_assert_error (error, BUSKER_PROJECT_ERROR, BUSKER_PROJECT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "A strip with the id “t” already exists");
}

/* Solo-in-place truth, worked by hand (busker-solo.c states the rule):
 * kick, snare → drums → master; vox → master, vox sends to verb; bass →
 * master; verb → master. */
static void
test_solo (void)
{
  g_autoptr (BuskerProject) project = busker_project_new ();
  BuskerStrip *master = busker_project_get_master (project);
  BuskerStrip *drums = add (project, BUSKER_STRIP_SUBGROUP, "drums", "Drums");
  BuskerStrip *verb = add (project, BUSKER_STRIP_AUX, "verb", "Verb");
  BuskerStrip *kick = add (project, BUSKER_STRIP_TRACK, "kick", "Kick");
  BuskerStrip *snare = add (project, BUSKER_STRIP_TRACK, "snare", "Snare");
  BuskerStrip *vox = add (project, BUSKER_STRIP_TRACK, "vox", "Vox");
  BuskerStrip *bass = add (project, BUSKER_STRIP_TRACK, "bass", "Bass");
  BuskerStrip *all[] = { master, drums, verb, kick, snare, vox, bass };
  g_assert_true (busker_project_set_output (project, kick, drums, NULL));
  g_assert_true (busker_project_set_output (project, snare, drums, NULL));
  g_assert_nonnull (busker_project_add_send (project, vox, verb, NULL));

  struct {
    const char *solo, *mute;
    gboolean audible[7]; /* master drums verb kick snare vox bass */
  } cases[] = {
    { NULL, NULL, { 1, 1, 1, 1, 1, 1, 1 } },
    { NULL, "kick", { 1, 1, 1, 0, 1, 1, 1 } },
    { "kick", NULL, { 1, 1, 1, 1, 0, 0, 0 } },
    { "drums", NULL, { 1, 1, 1, 1, 1, 0, 0 } },
    { "vox", NULL, { 1, 0, 1, 0, 0, 1, 0 } },
    { "vox", "verb", { 1, 0, 0, 0, 0, 1, 0 } },
    { "bass", "bass", { 1, 0, 1, 0, 0, 0, 0 } },
  };
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (all); i++)
        {
          const char *id = busker_strip_get_id (all[i]);
          busker_strip_set_solo (all[i], g_strcmp0 (id, cases[c].solo) == 0);
          busker_strip_set_mute (all[i], g_strcmp0 (id, cases[c].mute) == 0);
        }
      for (guint i = 0; i < G_N_ELEMENTS (all); i++)
        {
          g_test_message ("case %u strip %s", c, busker_strip_get_id (all[i]));
          g_assert_cmpint (busker_project_is_audible (project, all[i]), ==, cases[c].audible[i]);
        }
    }
}

/* Random routing attempts never leave a loop behind: checked by an
 * independent walk over the snapshot's indices. */
static void
test_random_never_loops (void)
{
  for (guint seed = 1; seed <= 40; seed++)
    {
      g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr (BuskerProject) project = random_project (rand, 25);
      for (int k = 0; k < 200; k++)
        {
          BuskerStrip *s = random_existing (rand, project);
          if (busker_strip_get_kind (s) != BUSKER_STRIP_MASTER)
            random_routing (rand, project, s);
        }
      g_autoptr (BuskerMixDesc) desc = busker_project_snapshot (project);
      guint n = desc->n_strips;
      for (guint start = 0; start < n; start++)
        {
          /* Depth-limited: a path longer than n strips must repeat one. */
          g_autofree guint *frontier = g_new0 (guint, n);
          g_autofree gboolean *seen = g_new0 (gboolean, n);
          guint top = 0;
          frontier[top++] = start;
          while (top)
            {
              BuskerStripDesc *s = &desc->strips[frontier[--top]];
              gint64 next[1 + 256];
              guint nn = 0;
              if (s->output >= 0)
                next[nn++] = s->output;
              for (guint k = 0; k < s->n_sends; k++)
                next[nn++] = s->sends[k].to;
              for (guint k = 0; k < nn; k++)
                {
                  g_assert_cmpint (next[k], !=, start);
                  if (!seen[next[k]])
                    {
                      seen[next[k]] = TRUE;
                      frontier[top++] = (guint) next[k];
                    }
                }
            }
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model/routing/targets", test_targets);
  g_test_add_func ("/model/routing/loops", test_loops);
  g_test_add_func ("/model/routing/remove-reroutes", test_remove_reroutes);
  g_test_add_func ("/model/routing/solo", test_solo);
  g_test_add_func ("/model/routing/random-never-loops", test_random_never_loops);
  return g_test_run ();
}
