/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * BuskerSession without PipeWire: model changes reach the running plan as
 * atomic stores (read back from the plan's own slots) with no new plan;
 * a burst of structural edits gives exactly one new plan; meters read
 * −inf while nothing plays; routing an application stream edits the
 * tracks' "apps" as one undo step; the master's loudness tap measures a
 * sine as BS.1770 says it should; every session finalizes.
 */
#include <math.h>

#include "engine/busker-plan-private.h"
#include "engine/busker-process.h"
#include "session/busker-session-private.h"
#include "session/busker-session-tap.h"

#define PROJECT_JSON                                                                    \
  "{\"format\":1,\"sample_rate\":48000,\"strips\":["                                    \
  "{\"id\":\"music\",\"kind\":\"track\",\"source\":{\"type\":\"live\",\"apps\":[\"firefox\"]}," \
  " \"output\":\"desk\",\"sends\":[{\"to\":\"verb\",\"level_db\":-12}],"                \
  " \"inserts\":[{\"type\":\"eq\"},{\"type\":\"compressor\"}]},"                         \
  "{\"id\":\"calls\",\"kind\":\"track\",\"source\":{\"type\":\"live\"},\"output\":\"desk\"}," \
  "{\"id\":\"kick\",\"kind\":\"track\",\"source\":{\"type\":\"file\",\"path\":\"kick.wav\"}}," \
  "{\"id\":\"desk\",\"kind\":\"subgroup\"},"                                             \
  "{\"id\":\"verb\",\"kind\":\"aux\",\"inserts\":[{\"type\":\"reverb\"}]},"              \
  "{\"id\":\"master\",\"kind\":\"master\",\"inserts\":[{\"type\":\"limiter\"}]}]}"

static BuskerProject *
load_project (void)
{
  g_autoptr (GError) error = NULL;
  BuskerProject *project = busker_project_load_from_data (PROJECT_JSON, strlen (PROJECT_JSON),
                                                          NULL, &error);
  g_assert_no_error (error);
  return project;
}

/* Runs every idle and timeout that is due, as one main-loop pass would. */
static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static BuskerStrip *
strip (BuskerProject *project, const char *id)
{
  BuskerStrip *s = busker_project_find_strip (project, id);
  g_assert_nonnull (s);
  return s;
}

static gpointer
item (GListModel *list, guint i)
{
  gpointer object = g_list_model_get_item (list, i);
  g_object_unref (object); /* the list keeps it */
  return object;
}

static void
test_new_destroy (void)
{
  BuskerSession *offline = busker_session_new_offline ();
  g_assert_false (busker_session_get_live (offline));
  g_assert_null (busker_session_get_project (offline));
  g_assert_nonnull (busker_session_get_plan (offline)); /* the empty mix */
  g_assert_finalize_object (offline);

  /* No daemon in this suite: the live node stays disconnected. */
  BuskerSession *session = busker_session_new ();
  BuskerProject *project = load_project ();
  busker_session_set_project (session, project);
  g_assert_false (busker_session_get_live (session));
  g_assert_cmpuint (g_list_model_get_n_items (busker_session_get_streams (session)), ==, 0);
  drain ();
  g_assert_finalize_object (session);
  g_assert_finalize_object (project);
}

/* Every kind of parameter lands in the plan's own atomic slot, and no new
 * plan is built for any of them. */
static void
test_parameters_are_stores (void)
{
  g_autoptr (BuskerSession) session = busker_session_new_offline ();
  g_autoptr (BuskerProject) project = load_project ();
  busker_session_set_project (session, project);
  drain ();
  guint rebuilds = busker_session_get_n_rebuilds (session);
  BuskerPlan *plan = busker_session_get_plan (session);
  BuskerStrip *music = strip (project, "music");
  int s = busker_session_get_strip_index (session, music);
  g_assert_cmpint (s, ==, 0);
  BuskerPlanStrip *ps = &plan->strips[s];

  busker_strip_set_gain_db (music, -6.5);
  busker_strip_set_trim_db (music, 3);
  busker_strip_set_pan (music, -0.25);
  busker_strip_set_polarity_invert (music, TRUE);
  busker_strip_set_mute (music, TRUE);
  busker_strip_set_solo (music, TRUE);
  g_assert_cmpfloat (atomic_load (&ps->gain_db), ==, -6.5f);
  g_assert_cmpfloat (atomic_load (&ps->trim_db), ==, 3.0f);
  g_assert_cmpfloat (atomic_load (&ps->pan), ==, -0.25f);
  g_assert_cmpfloat (atomic_load (&ps->polarity), !=, 0.0f);
  g_assert_cmpfloat (atomic_load (&ps->mute), ==, 1.0f);
  g_assert_cmpfloat (atomic_load (&ps->solo), ==, 1.0f);
  /* Solo in place: the soloed track's buses stay heard, the other track
   * goes quiet; the plan resolved that from the store. */
  g_assert_true (busker_plan_get_strip_audible (plan, busker_session_get_strip_index (session, strip (project, "desk"))));
  g_assert_false (busker_plan_get_strip_audible (plan, busker_session_get_strip_index (session, strip (project, "calls"))));

  busker_strip_set_gain_db (music, -INFINITY);
  g_assert_cmpfloat (atomic_load (&ps->gain_db), ==, -INFINITY);

  BuskerSend *send = item (busker_strip_get_sends (music), 0);
  busker_send_set_level_db (send, -3);
  busker_send_set_pan (send, 0.5);
  busker_send_set_mute (send, TRUE);
  g_assert_cmpfloat (atomic_load (&ps->sends[0].level_db), ==, -3.0f);
  g_assert_cmpfloat (atomic_load (&ps->sends[0].pan), ==, 0.5f);
  g_assert_cmpfloat (atomic_load (&ps->sends[0].mute), ==, 1.0f);

  BuskerInsert *comp = item (busker_strip_get_inserts (music), 1);
  int threshold = busker_insert_find_param (comp, "threshold_db");
  uint32_t serial = atomic_load (&ps->inserts[1].serial);
  busker_insert_set_value (comp, threshold, -30);
  g_assert_cmpfloat (atomic_load (&ps->inserts[1].params[threshold]), ==, -30.0f);
  g_assert_cmpuint (atomic_load (&ps->inserts[1].serial), !=, serial);
  busker_insert_set_bypass (comp, TRUE);
  g_assert_cmpfloat (atomic_load (&ps->inserts[1].bypass), ==, 1.0f);

  /* A live track's apps reach the live node, not the plan. */
  const char *const apps[] = { "mpv", NULL };
  busker_source_set_apps (busker_strip_get_source (music), apps);

  /* A fader drag of 100 steps, as the window sends it. */
  busker_project_begin_gesture (project);
  for (int i = 0; i <= 100; i++)
    {
      busker_strip_set_gain_db (music, -60 + 0.6 * i);
      g_assert_cmpfloat (atomic_load (&ps->gain_db), ==, (float) (-60 + 0.6 * i));
    }
  busker_project_end_gesture (project);

  drain ();
  g_assert_cmpuint (busker_session_get_n_rebuilds (session), ==, rebuilds);
  g_assert_true (busker_session_get_plan (session) == plan);

  /* And undo is a store too. */
  busker_project_undo (project);
  g_assert_cmpfloat (busker_strip_get_gain_db (music), ==, -INFINITY);
  g_assert_cmpfloat (atomic_load (&ps->gain_db), ==, -INFINITY);
  drain ();
  g_assert_cmpuint (busker_session_get_n_rebuilds (session), ==, rebuilds);
}

/* A burst of structural edits in one main-loop iteration is one plan. */
static void
test_structure_one_rebuild (void)
{
  g_autoptr (BuskerSession) session = busker_session_new_offline ();
  g_autoptr (BuskerProject) project = load_project ();
  busker_session_set_project (session, project);
  drain ();
  guint rebuilds = busker_session_get_n_rebuilds (session);
  g_assert_cmpuint (busker_plan_get_n_strips (busker_session_get_plan (session)), ==, 6);

  g_autoptr (GError) error = NULL;
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *id = g_strdup_printf ("extra%d", i);
      g_autoptr (BuskerStrip) extra = busker_strip_new (BUSKER_STRIP_TRACK, id);
      g_assert_true (busker_project_add_strip (project, extra, 0, &error));
      g_assert_no_error (error);
    }
  BuskerStrip *music = strip (project, "music");
  g_assert_true (busker_project_set_output (project, music, strip (project, "master"), &error));
  busker_strip_move_insert (music, 0, 1);
  g_autoptr (BuskerInsert) sat = busker_insert_new ("saturation");
  busker_strip_insert_insert (strip (project, "desk"), 0, sat);
  BuskerSend *send = item (busker_strip_get_sends (music), 0);
  busker_project_remove_send (project, music, send);
  /* Nothing is rebuilt before the main loop runs... */
  g_assert_cmpuint (busker_session_get_n_rebuilds (session), ==, rebuilds);
  drain ();
  /* ...and then exactly once. */
  g_assert_cmpuint (busker_session_get_n_rebuilds (session), ==, rebuilds + 1);
  BuskerPlan *plan = busker_session_get_plan (session);
  g_assert_cmpuint (busker_plan_get_n_strips (plan), ==, 11);
  int s = busker_session_get_strip_index (session, music);
  g_assert_cmpint (s, ==, 5);
  g_assert_cmpuint (plan->strips[s].n_sends, ==, 0);
  g_assert_cmpstr (plan->strips[s].inserts[0].klass->type, ==, "compressor");
  g_assert_cmpstr (plan->strips[busker_session_get_strip_index (session, strip (project, "desk"))]
                       .inserts[0].klass->type, ==, "saturation");

  /* The maps follow the new plan: a fader on a moved strip, a knob on a
   * new insert. */
  busker_strip_set_gain_db (music, -9);
  g_assert_cmpfloat (atomic_load (&plan->strips[s].gain_db), ==, -9.0f);
  int drive = busker_insert_find_param (sat, "drive_db");
  busker_insert_set_value (sat, drive, 7);
  int desk = busker_session_get_strip_index (session, strip (project, "desk"));
  g_assert_cmpfloat (atomic_load (&plan->strips[desk].inserts[0].params[drive]), ==, 7.0f);

  /* Undo of a structural step is structural; one step, one plan. */
  busker_project_undo (project); /* the drive */
  busker_project_undo (project); /* the fader */
  g_assert_cmpfloat (atomic_load (&plan->strips[s].gain_db), ==, 0.0f);
  drain ();
  g_assert_cmpuint (busker_session_get_n_rebuilds (session), ==, rebuilds + 1);
  busker_project_undo (project); /* the send removal */
  busker_project_undo (project); /* the saturation */
  drain ();
  g_assert_cmpuint (busker_session_get_n_rebuilds (session), ==, rebuilds + 2);
  g_assert_cmpuint (busker_session_get_plan (session)->strips[s].n_sends, ==, 1);

  /* A look-ahead is sized into the plan: structural. A release is not. */
  BuskerInsert *limiter = item (busker_strip_get_inserts (busker_project_get_master (project)), 0);
  busker_insert_set_value (limiter, busker_insert_find_param (limiter, "release_ms"), 80);
  drain ();
  g_assert_cmpuint (busker_session_get_n_rebuilds (session), ==, rebuilds + 2);
  uint32_t latency = busker_plan_get_latency (busker_session_get_plan (session));
  busker_insert_set_value (limiter, busker_insert_find_param (limiter, "lookahead_ms"), 10);
  drain ();
  g_assert_cmpuint (busker_session_get_n_rebuilds (session), ==, rebuilds + 3);
  g_assert_cmpuint (busker_plan_get_latency (busker_session_get_plan (session)), >, latency);

  /* Another project replaces the mix at once. */
  g_autoptr (BuskerProject) empty = busker_project_new ();
  busker_session_set_project (session, empty);
  g_assert_cmpuint (busker_plan_get_n_strips (busker_session_get_plan (session)), ==, 1);
  g_assert_cmpint (busker_session_get_strip_index (session, music), ==, -1);
  busker_strip_set_gain_db (music, 3); /* no longer watched: nothing to store */
  drain ();
  g_assert_cmpuint (busker_session_get_n_rebuilds (session), ==, rebuilds + 4);
}

static void
test_meters_offline (void)
{
  g_autoptr (BuskerSession) session = busker_session_new_offline ();
  g_autoptr (BuskerProject) project = load_project ();
  busker_session_set_project (session, project);
  BuskerStripMeter meter;
  memset (&meter, 0x55, sizeof meter);
  g_assert_true (busker_session_read_strip_meter (session, strip (project, "music"), &meter));
  for (int ch = 0; ch < 2; ch++)
    {
      g_assert_cmpfloat (meter.peak_db[ch], ==, -INFINITY);
      g_assert_cmpfloat (meter.rms_db[ch], ==, -INFINITY);
    }
  g_assert_cmpfloat (meter.gain_reduction_db, ==, 0);
  g_assert_false (meter.fault);

  g_autoptr (BuskerStrip) stranger = busker_strip_new (BUSKER_STRIP_TRACK, "stranger");
  g_assert_false (busker_session_read_strip_meter (session, stranger, &meter));
  g_assert_cmpfloat (meter.peak_db[0], ==, -INFINITY);

  BuskerMasterMeter master;
  memset (&master, 0x55, sizeof master);
  g_assert_false (busker_session_read_master_meter (session, &master));
  g_assert_cmpfloat (master.momentary_lufs, ==, -INFINITY);
  g_assert_cmpfloat (master.short_term_lufs, ==, -INFINITY);
  g_assert_cmpfloat (master.integrated_lufs, ==, -INFINITY);
  g_assert_cmpfloat (master.true_peak_dbtp, ==, -INFINITY);

  g_autoptr (GError) error = NULL;
  g_assert_false (busker_session_start_recording (session, "/tmp/never.wav", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
  g_assert_false (g_file_test ("/tmp/never.wav", G_FILE_TEST_EXISTS));
}

static gboolean
apps_are (BuskerProject *project, const char *id, const char *const *want)
{
  BuskerSource *source = busker_strip_get_source (strip (project, id));
  return g_strv_equal (busker_source_get_apps (source), want);
}

static void
test_route_stream (void)
{
  g_autoptr (BuskerSession) session = busker_session_new_offline ();
  g_autoptr (BuskerProject) project = load_project ();
  busker_session_set_project (session, project);
  drain ();
  guint rebuilds = busker_session_get_n_rebuilds (session);
  const BuskerLiveStream record = {
    .node_id = 42, .app_name = "Firefox", .app_key = "Firefox",
    .icon_name = "firefox", .media_name = "A video", .track_id = "music",
  };
  g_autoptr (BuskerAppStream) stream = busker_app_stream_new (&record);
  g_assert_cmpstr (busker_app_stream_get_media_name (stream), ==, "A video");
  static const char *const none[] = { NULL }, *const firefox[] = { "Firefox", NULL },
                           *const lower[] = { "firefox", NULL };
  g_assert_true (apps_are (project, "music", lower));

  /* Onto "calls": it leaves "music" (matched without case) and joins
   * "calls", in one undo step. */
  g_autoptr (GError) error = NULL;
  g_assert_true (busker_session_route_stream (session, stream, strip (project, "calls"), &error));
  g_assert_no_error (error);
  g_assert_true (apps_are (project, "music", none));
  g_assert_true (apps_are (project, "calls", firefox));
  busker_project_undo (project);
  g_assert_true (apps_are (project, "music", lower));
  g_assert_true (apps_are (project, "calls", none));
  g_assert_false (busker_project_can_undo (project));
  busker_project_redo (project);
  g_assert_true (apps_are (project, "calls", firefox));

  /* Back to the default device: forgotten everywhere. */
  g_assert_true (busker_session_route_stream (session, stream, NULL, &error));
  g_assert_true (apps_are (project, "calls", none));
  g_assert_true (apps_are (project, "music", none));
  busker_project_undo (project);
  g_assert_true (apps_are (project, "calls", firefox));

  /* Only live tracks take a stream. */
  g_assert_false (busker_session_route_stream (session, stream, strip (project, "kick"), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "kick"));
  g_clear_error (&error);
  g_assert_false (busker_session_route_stream (session, stream, strip (project, "desk"), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

  drain ();
  g_assert_cmpuint (busker_session_get_n_rebuilds (session), ==, rebuilds);
}

/* The master's loudness tap, run as the live node would run it around a
 * plan: a 997 Hz sine at −20 dBFS in both channels is −20 LUFS (BS.1770:
 * a full-scale sine in one channel reads −3.01 LUFS, K-weighting is
 * 0 dB near 1 kHz), −20 dBTP, correlation +1. */
static void
test_master_tap (void)
{
  enum { RATE = 48000, BLOCK = 480 };
  g_autoptr (BuskerMixDesc) desc = busker_mix_desc_new (2, RATE);
  desc->strips[0].id = g_strdup ("tone");
  desc->strips[0].output = 1;
  desc->strips[1].id = g_strdup ("master");
  desc->strips[1].kind = BUSKER_STRIP_MASTER;
  g_autoptr (GError) error = NULL;
  BuskerPlan *plan = busker_plan_new (desc, BLOCK, &error);
  g_assert_no_error (error);
  BuskerSessionTap *tap = busker_session_tap_new (NULL);
  g_assert_true (busker_session_tap_set_rate (tap, RATE));
  BuskerLiveHooks hooks = busker_session_tap_hooks (tap);

  const double amp = 0.1;
  uint64_t t = 0;
  for (int b = 0; b < 5 * RATE / BLOCK; b++)
    {
      hooks.before_run (hooks.data, plan, BLOCK, RATE, 0);
      for (int i = 0; i < BLOCK; i++, t++)
        for (int ch = 0; ch < 2; ch++)
          busker_process_track_input (plan, 0, ch)[i] = amp * sin (2 * G_PI * 997.0 * t / RATE);
      busker_process_run (plan, BLOCK);
      hooks.after_run (hooks.data, plan, BLOCK, RATE, 0);
    }
  BuskerMasterMeter m;
  busker_session_tap_read (tap, &m);
  g_test_message ("M %.3f S %.3f I %.3f LUFS, TP %.3f dBTP, corr %.4f", m.momentary_lufs,
                  m.short_term_lufs, m.integrated_lufs, m.true_peak_dbtp, m.correlation);
  g_assert_cmpfloat_with_epsilon (m.momentary_lufs, -20.0, 0.1);
  g_assert_cmpfloat_with_epsilon (m.short_term_lufs, -20.0, 0.1);
  g_assert_cmpfloat_with_epsilon (m.integrated_lufs, -20.0, 0.1);
  g_assert_cmpfloat_with_epsilon (m.true_peak_dbtp, -20.0, 0.1);
  g_assert_cmpfloat_with_epsilon (m.correlation, 1.0, 0.001);
  /* The peak is "since the last read"; nothing ran since. */
  busker_session_tap_read (tap, &m);
  g_assert_cmpfloat (m.true_peak_dbtp, ==, -INFINITY);

  /* A cycle at a rate the meter was not made for is not measured. */
  busker_session_tap_reset_loudness (tap);
  hooks.after_run (hooks.data, plan, BLOCK, 44100, 0);
  busker_session_tap_read (tap, &m);
  g_assert_cmpfloat (m.true_peak_dbtp, ==, -INFINITY);

  busker_session_tap_free (tap);
  busker_plan_free (plan);
}

/* data/demo/desktop.busker: loads cleanly, three live tracks through the
 * "Desktop" subgroup (EQ, compressor), a limiter on the master, and the
 * session runs it. */
static void
test_desktop_demo (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "demo",
                                                 "desktop.busker", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerProject) project = busker_project_load (file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (busker_project_get_load_warnings (project)[0], ==, NULL);
  const char *const tracks[] = { "music", "browser", "calls" };
  const char *const names[] = { "Music", "Browser", "Calls" };
  for (guint i = 0; i < G_N_ELEMENTS (tracks); i++)
    {
      BuskerStrip *t = strip (project, tracks[i]);
      g_assert_cmpstr (busker_strip_get_name (t), ==, names[i]);
      g_assert_cmpint (busker_source_get_kind (busker_strip_get_source (t)), ==, BUSKER_SOURCE_LIVE);
      g_assert_cmpstr (busker_strip_get_output (t), ==, "desktop");
    }
  BuskerStrip *desktop = strip (project, "desktop");
  g_assert_cmpstr (busker_strip_get_name (desktop), ==, "Desktop");
  g_assert_cmpint (busker_strip_get_kind (desktop), ==, BUSKER_STRIP_SUBGROUP);
  GListModel *inserts = busker_strip_get_inserts (desktop);
  g_assert_cmpuint (g_list_model_get_n_items (inserts), ==, 2);
  g_assert_cmpstr (busker_insert_get_effect_type (item (inserts, 0)), ==, "eq");
  g_assert_cmpstr (busker_insert_get_effect_type (item (inserts, 1)), ==, "compressor");
  inserts = busker_strip_get_inserts (busker_project_get_master (project));
  g_assert_cmpuint (g_list_model_get_n_items (inserts), ==, 1);
  g_assert_cmpstr (busker_insert_get_effect_type (item (inserts, 0)), ==, "limiter");

  g_autoptr (BuskerSession) session = busker_session_new_offline ();
  busker_session_set_project (session, project);
  BuskerPlan *plan = busker_session_get_plan (session);
  g_assert_cmpuint (busker_plan_get_n_strips (plan), ==, 5);
  /* The limiter's 5 ms look-ahead (and its true-peak delay) is latency. */
  g_assert_cmpuint (busker_plan_get_latency (plan), >=, 240);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/session/new-destroy", test_new_destroy);
  g_test_add_func ("/session/parameters-are-stores", test_parameters_are_stores);
  g_test_add_func ("/session/structure-one-rebuild", test_structure_one_rebuild);
  g_test_add_func ("/session/meters-offline", test_meters_offline);
  g_test_add_func ("/session/route-stream", test_route_stream);
  g_test_add_func ("/session/master-tap", test_master_tap);
  g_test_add_func ("/session/desktop-demo", test_desktop_demo);
  return g_test_run ();
}
