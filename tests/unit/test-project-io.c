/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * .busker files: round trips of random projects, unknown keys kept at
 * every level, atomic save with a backup, and every kind of bad input
 * refused with a message that names the file and the key path.
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <math.h>

#include "model-random.h"

#define BASE_PATH "/nonexistent/songs/song.busker"
#define MASTER "{\"id\":\"master\",\"kind\":\"master\"}"
#define P(strips) "{\"format\":1,\"strips\":[" strips "]}"
#define PM(strips) P (strips "," MASTER)

static BuskerProject *
load_string (const char *json, GError **error)
{
  g_autoptr (GFile) base = g_file_new_for_path (BASE_PATH);
  return busker_project_load_from_data (json, strlen (json), base, error);
}

static void
test_round_trip_random (void)
{
  for (guint seed = 1; seed <= 80; seed++)
    {
      g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr (BuskerProject) project = random_project (rand, g_rand_int_range (rand, 0, 40));
      gsize len1, len2;
      g_autofree char *first = busker_project_to_data (project, &len1);
      g_autoptr (GError) error = NULL;
      g_autoptr (BuskerProject) again = load_string (first, &error);
      g_assert_no_error (error);
      /* Nothing clamped; random names repeat, which only warns. */
      for (const char *const *w = busker_project_get_load_warnings (again); *w != NULL; w++)
        g_assert_nonnull (strstr (*w, "is also the name of"));
      g_autofree char *second = busker_project_to_data (again, &len2);
      g_assert_cmpstr (first, ==, second);

      /* The objects agree too, not only their text: compare snapshots. */
      g_autoptr (BuskerMixDesc) a = busker_project_snapshot (project);
      g_autoptr (BuskerMixDesc) b = busker_project_snapshot (again);
      g_assert_cmpuint (a->n_strips, ==, b->n_strips);
      for (guint i = 0; i < a->n_strips; i++)
        {
          g_assert_cmpstr (a->strips[i].id, ==, b->strips[i].id);
          g_assert_cmpfloat (a->strips[i].gain_db, ==, b->strips[i].gain_db);
          g_assert_cmpfloat (a->strips[i].pan, ==, b->strips[i].pan);
          g_assert_cmpint (a->strips[i].output, ==, b->strips[i].output);
          g_assert_cmpuint (a->strips[i].n_sends, ==, b->strips[i].n_sends);
          g_assert_cmpuint (a->strips[i].n_inserts, ==, b->strips[i].n_inserts);
        }
      /* Inserts value by value (the snapshot leaves out unregistered
       * effect classes, the model does not). */
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (project)); i++)
        {
          g_autoptr (BuskerStrip) sa = g_list_model_get_item (G_LIST_MODEL (project), i);
          g_autoptr (BuskerStrip) sb = g_list_model_get_item (G_LIST_MODEL (again), i);
          GListModel *ia = busker_strip_get_inserts (sa), *ib = busker_strip_get_inserts (sb);
          g_assert_cmpuint (g_list_model_get_n_items (ia), ==, g_list_model_get_n_items (ib));
          for (guint k = 0; k < g_list_model_get_n_items (ia); k++)
            {
              g_autoptr (BuskerInsert) xa = g_list_model_get_item (ia, k);
              g_autoptr (BuskerInsert) xb = g_list_model_get_item (ib, k);
              guint n;
              const BuskerParamSpec *params = busker_insert_get_params (xa, &n);
              int length = -1;
              for (guint p = 0; p < n; p++)
                {
                  /* Entries past an array's length are not in the file. */
                  if (g_str_has_suffix (params[p].name, ".length"))
                    length = (int) busker_insert_get_value (xa, p);
                  if (length >= 0 && g_str_has_prefix (params[p].name, "crossovers_hz[")
                      && atoi (params[p].name + strlen ("crossovers_hz[")) >= length)
                    continue;
                  g_assert_cmpfloat (busker_insert_get_value (xa, p), ==, busker_insert_get_value (xb, p));
                }
            }
        }
    }
}

static JsonObject *
obj_at (JsonObject *o, const char *array, guint index)
{
  return json_array_get_object_element (json_object_get_array_member (o, array), index);
}

static void
test_unknown_keys (void)
{
  const char *json =
      "{\"format\":1,\"future\":{\"a\":[1,2]},\"strips\":["
      "{\"id\":\"t\",\"kind\":\"track\",\"x-strip\":true,"
      "\"source\":{\"type\":\"file\",\"path\":\"a.wav\",\"x-source\":\"s\"},"
      "\"inserts\":[{\"type\":\"gain\",\"x-insert\":null,\"gain_db\":-3},"
      "{\"type\":\"eq\",\"bands\":[{},{\"gain_db\":2,\"x-band\":\"b\",\"odd[.key\":1}]}],"
      "\"sends\":[{\"to\":\"fx\",\"x-send\":[{}]}]},"
      "{\"id\":\"fx\",\"kind\":\"aux\"}," MASTER "]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerProject) project = load_string (json, &error);
  g_assert_no_error (error);
  g_autofree char *saved = busker_project_to_data (project, NULL);

  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, saved, -1, NULL));
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  JsonObject *future = json_object_get_object_member (root, "future");
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (future, "a"), 1), ==, 2);
  JsonObject *strip = obj_at (root, "strips", 0);
  g_assert_true (json_object_get_boolean_member (strip, "x-strip"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (strip, "source"), "x-source"), ==, "s");
  JsonObject *insert = obj_at (strip, "inserts", 0);
  g_assert_true (json_object_has_member (insert, "x-insert"));
  g_assert_cmpfloat (json_object_get_double_member (insert, "gain_db"), ==, -3);
  JsonObject *band = obj_at (obj_at (strip, "inserts", 1), "bands", 1);
  g_assert_cmpstr (json_object_get_string_member (band, "x-band"), ==, "b");
  g_assert_cmpfloat (json_object_get_double_member (band, "gain_db"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (band, "odd[.key"), ==, 1);
  JsonObject *send = obj_at (strip, "sends", 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (send, "x-send")), ==, 1);

  /* And once more through a second round trip. */
  g_autoptr (BuskerProject) again = load_string (saved, &error);
  g_assert_no_error (error);
  g_autofree char *saved2 = busker_project_to_data (again, NULL);
  g_assert_cmpstr (saved, ==, saved2);
}

/* A live track's remembered applications: read, written back in order,
 * absent when empty, and a change is one undo step. */
static void
test_live_apps (void)
{
  const char *json = PM ("{\"id\":\"music\",\"kind\":\"track\","
                         "\"source\":{\"type\":\"live\",\"apps\":[\"Firefox\",\"mpv\"]}},"
                         "{\"id\":\"calls\",\"kind\":\"track\",\"source\":{\"type\":\"live\"}}");
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerProject) project = load_string (json, &error);
  g_assert_no_error (error);
  BuskerSource *source = busker_strip_get_source (busker_project_find_strip (project, "music"));
  const char *const want[] = { "Firefox", "mpv", NULL };
  g_assert_true (g_strv_equal (busker_source_get_apps (source), want));
  BuskerSource *calls = busker_strip_get_source (busker_project_find_strip (project, "calls"));
  g_assert_cmpuint (g_strv_length ((char **) busker_source_get_apps (calls)), ==, 0);

  g_autofree char *saved = busker_project_to_data (project, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, saved, -1, NULL));
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  JsonArray *apps = json_object_get_array_member (
      json_object_get_object_member (obj_at (root, "strips", 0), "source"), "apps");
  g_assert_cmpuint (json_array_get_length (apps), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (apps, 0), ==, "Firefox");
  g_assert_cmpstr (json_array_get_string_element (apps, 1), ==, "mpv");
  g_assert_false (json_object_has_member (
      json_object_get_object_member (obj_at (root, "strips", 1), "source"), "apps"));

  const char *const more[] = { "Firefox", "mpv", "Zoom", NULL };
  busker_source_set_apps (source, more);
  g_assert_true (busker_project_can_undo (project));
  busker_project_undo (project);
  g_assert_true (g_strv_equal (busker_source_get_apps (source), want));
  g_assert_false (busker_project_can_undo (project));
  busker_project_redo (project);
  g_assert_true (g_strv_equal (busker_source_get_apps (source), more));
}

/* Two strips of one name load, with a warning naming both. */
static void
test_same_name (void)
{
  const char *json = PM ("{\"id\":\"a\",\"name\":\"Music\",\"kind\":\"track\"},"
                         "{\"id\":\"b\",\"name\":\"Music\",\"kind\":\"track\"}");
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerProject) project = load_string (json, &error);
  g_assert_no_error (error);
  const char *const *warnings = busker_project_get_load_warnings (project);
  g_assert_cmpstr (warnings[0], ==, "strips[1].name: “Music” is also the name of strips[0]: "
                                    "two strips (and for live tracks two sinks “Busker: Music”) "
                                    "look the same");
  g_assert_null (warnings[1]);
}

static void
test_values_and_warnings (void)
{
  const char *json = PM (
      "{\"id\":\"t\",\"kind\":\"track\",\"gain_db\":40,\"pan\":-3,\"trim_db\":1e300,"
      "\"inserts\":[{\"type\":\"compressor\",\"ratio\":100,\"detector\":\"rms\"},"
      "{\"type\":\"eq\",\"bands\":[{},{\"type\":\"notch\",\"freq_hz\":5000,\"enabled\":false}]},"
      "{\"type\":\"multiband_compressor\",\"crossovers_hz\":[100,200,300,400,500]}],"
      "\"sends\":[{\"to\":\"fx\",\"level_db\":null}]},"
      "{\"id\":\"fx\",\"kind\":\"aux\",\"gain_db\":null}");
  g_autoptr (GError) error = NULL;
  g_autoptr (BuskerProject) project = load_string (json, &error);
  g_assert_no_error (error);
  const char *const *warnings = busker_project_get_load_warnings (project);
  g_assert_cmpstr (warnings[0], ==, "strips[0].trim_db: 1e+300 is outside -24 … 24; using 24");
  g_assert_cmpstr (warnings[1], ==, "strips[0].gain_db: 40 is outside -144 … 12; using 12");
  g_assert_cmpstr (warnings[2], ==, "strips[0].pan: -3 is outside -1 … 1; using -1");
  g_assert_cmpstr (warnings[3], ==, "strips[0].inserts[0].ratio: 100 is outside 1 … 20; using 20");
  g_assert_cmpstr (warnings[4], ==, "strips[0].inserts[2].crossovers_hz.length: 5 is outside 1 … 3; using 3");
  g_assert_null (warnings[5]);

  BuskerStrip *t = busker_project_find_strip (project, "t");
  g_assert_cmpfloat (busker_strip_get_gain_db (t), ==, 12);
  g_assert_cmpfloat (busker_strip_get_gain_db (busker_project_find_strip (project, "fx")), ==, -INFINITY);
  g_autoptr (BuskerInsert) comp = g_list_model_get_item (busker_strip_get_inserts (t), 0);
  g_assert_cmpfloat (busker_insert_get_value (comp, BUSKER_COMP_RATIO), ==, 20);
  g_assert_cmpfloat (busker_insert_get_value (comp, BUSKER_COMP_DETECTOR), ==, BUSKER_DETECTOR_RMS);
  g_autoptr (BuskerInsert) eq = g_list_model_get_item (busker_strip_get_inserts (t), 1);
  g_assert_cmpfloat (busker_insert_get_value (eq, BUSKER_EQ_PARAM (1, BUSKER_EQ_BAND_TYPE)), ==, BUSKER_EQ_NOTCH);
  g_assert_cmpfloat (busker_insert_get_value (eq, BUSKER_EQ_PARAM (1, BUSKER_EQ_BAND_FREQ_HZ)), ==, 5000);
  g_assert_cmpfloat (busker_insert_get_value (eq, BUSKER_EQ_PARAM (1, BUSKER_EQ_BAND_ENABLED)), ==, 0);
  g_assert_cmpfloat (busker_insert_get_value (eq, BUSKER_EQ_PARAM (0, BUSKER_EQ_BAND_FREQ_HZ)), ==,
                     busker_eq_params[BUSKER_EQ_PARAM (0, BUSKER_EQ_BAND_FREQ_HZ)].def);
  g_autoptr (BuskerInsert) mbc = g_list_model_get_item (busker_strip_get_inserts (t), 2);
  g_assert_cmpfloat (busker_insert_get_value (mbc, BUSKER_MBC_CROSSOVER_COUNT), ==, 3);
  g_assert_cmpfloat (busker_insert_get_value (mbc, BUSKER_MBC_CROSSOVER_HZ + 2), ==, 300);
  g_autoptr (BuskerSend) send = g_list_model_get_item (busker_strip_get_sends (t), 0);
  g_assert_cmpfloat (busker_send_get_level_db (send), ==, -INFINITY);

  /* Snapshot: a file source resolves against the project's folder. */
  const char *with_file = PM ("{\"id\":\"t\",\"kind\":\"track\",\"source\":{\"type\":\"file\",\"path\":\"stems/k.wav\",\"offset_s\":2}}");
  g_autoptr (BuskerProject) p2 = load_string (with_file, &error);
  g_assert_no_error (error);
  g_autoptr (BuskerMixDesc) desc = busker_project_snapshot (p2);
  g_assert_cmpstr (desc->strips[0].source_path, ==, "/nonexistent/songs/stems/k.wav");
  g_assert_cmpfloat (desc->strips[0].source_offset_s, ==, 2);
  g_assert_cmpint (desc->strips[0].output, ==, 1);
  g_assert_cmpint (desc->strips[1].output, ==, -1);
  g_assert_cmpint (desc->strips[0].source, ==, BUSKER_SOURCE_FILE);
}

typedef struct {
  const char *json;
  int code;
  const char *message; /* after "BASE_PATH: " */
} BadCase;

static const BadCase bad_cases[] = {
  { "{\"format\": 1,", BUSKER_PROJECT_ERROR_PARSE, NULL },
  { "", BUSKER_PROJECT_ERROR_PARSE, NULL },
  { "[]", BUSKER_PROJECT_ERROR_INVALID, "(top level): expected a JSON object with \"format\" and \"strips\"" },
  { "{\"strips\":[]}", BUSKER_PROJECT_ERROR_INVALID, "format: missing; not a Busker project" },
  { "{\"format\":\"1\",\"strips\":[]}", BUSKER_PROJECT_ERROR_INVALID, "format: expected a number" },
  { "{\"format\":2,\"strips\":[{\"id\":\"master\",\"kind\":\"bus9000\"}]}", BUSKER_PROJECT_ERROR_NEWER_FORMAT,
    "format: written by a newer Busker (format 2; this version reads format 1); update Busker to open it" },
  { "{\"format\":1}", BUSKER_PROJECT_ERROR_INVALID, "strips: missing" },
  { P ("{\"id\":\"t\",\"kind\":\"track\"}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips: no master bus: one strip needs \"kind\": \"master\" and the id \"master\"" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"inserts\":[{\"type\":\"compressor\",\"ratio\":\"4\"}]}"),
    BUSKER_PROJECT_ERROR_INVALID, "strips[0].inserts[0].ratio: expected a number" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\"},{\"id\":\"u\",\"kind\":\"track\",\"inserts\":[{\"type\":\"eq\"},{\"type\":\"compressor\",\"ratio\":[4]}]}"),
    BUSKER_PROJECT_ERROR_INVALID, "strips[1].inserts[1].ratio: expected a number" },
  { PM ("{\"id\":\"a\",\"kind\":\"track\"},{\"id\":\"a\",\"kind\":\"track\"}"),
    BUSKER_PROJECT_ERROR_INVALID, "strips[1].id: “a” is already the id of strips[0]" },
  { PM ("{\"id\":\"Kick!\",\"kind\":\"track\"}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].id: “Kick!” is not a valid id (lower-case letters, digits, _ and -)" },
  { PM ("{\"id\":\"\",\"kind\":\"track\"}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].id: “” is not a valid id (lower-case letters, digits, _ and -)" },
  { PM ("{\"id\":7,\"kind\":\"track\"}"), BUSKER_PROJECT_ERROR_INVALID, "strips[0].id: expected a string" },
  { PM ("{\"id\":\"t\",\"kind\":\"bus\"}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].kind: “bus” is not track, subgroup, aux or master" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"output\":\"nowhere\"}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].output: no strip has the id “nowhere”" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"sends\":[{\"to\":\"fx\"}]}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].sends[0].to: no strip has the id “fx”" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"output\":\"fx\"},{\"id\":\"fx\",\"kind\":\"aux\"}"), BUSKER_PROJECT_ERROR_ROUTING,
    "strips[0].output: “fx” is an aux bus; an output goes to a subgroup or the master" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"output\":\"u\"},{\"id\":\"u\",\"kind\":\"track\"}"), BUSKER_PROJECT_ERROR_ROUTING,
    "strips[0].output: “u” is a track; an output goes to a subgroup or the master" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"sends\":[{\"to\":\"g\"}]},{\"id\":\"g\",\"kind\":\"subgroup\"}"), BUSKER_PROJECT_ERROR_ROUTING,
    "strips[0].sends[0].to: “g” is not an aux bus; sends go to aux buses" },
  { PM ("{\"id\":\"g\",\"kind\":\"subgroup\",\"output\":\"g\"}"), BUSKER_PROJECT_ERROR_ROUTING,
    "strips[0].output: g cannot feed itself" },
  { PM ("{\"id\":\"a\",\"kind\":\"subgroup\",\"name\":\"Drums\",\"output\":\"b\"},"
        "{\"id\":\"b\",\"kind\":\"subgroup\",\"name\":\"Kit\",\"output\":\"a\"}"), BUSKER_PROJECT_ERROR_ROUTING,
    "strips[1].output: Drums → Kit → Drums would feed back" },
  { PM ("{\"id\":\"x\",\"kind\":\"aux\",\"name\":\"Reverb\",\"sends\":[{\"to\":\"y\"}]},"
        "{\"id\":\"y\",\"kind\":\"aux\",\"name\":\"Delay\",\"sends\":[{\"to\":\"x\"}]}"), BUSKER_PROJECT_ERROR_ROUTING,
    "strips[1].sends[0].to: Reverb → Delay → Reverb would feed back" },
  { PM ("{\"id\":\"d\",\"kind\":\"subgroup\",\"name\":\"Drums\",\"sends\":[{\"to\":\"r\"}]},"
        "{\"id\":\"r\",\"kind\":\"aux\",\"name\":\"Reverb\",\"output\":\"d\"}"), BUSKER_PROJECT_ERROR_ROUTING,
    "strips[1].output: Drums → Reverb → Drums would feed back" },
  { P ("{\"id\":\"master\",\"kind\":\"master\"},{\"id\":\"master\",\"kind\":\"master\"}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[1].id: “master” is already the id of strips[0]" },
  { P ("{\"id\":\"main\",\"kind\":\"master\"}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].id: the master bus, and only it, has the id “master”" },
  { P ("{\"id\":\"master\",\"kind\":\"master\",\"sends\":[{\"to\":\"fx\"}]},{\"id\":\"fx\",\"kind\":\"aux\"}"),
    BUSKER_PROJECT_ERROR_ROUTING, "strips[1].output: master → fx → master would feed back" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"gain_db\":1e999}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].gain_db: not a finite number" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"pan\":NaN}"), BUSKER_PROJECT_ERROR_PARSE, NULL },
  /* json-glib eats the quote after a lone high surrogate: a parse error,
   * whose message must still be UTF-8 (checked below for every case). */
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"x\\ud800\":1}"), BUSKER_PROJECT_ERROR_PARSE, NULL },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"inserts\":[{\"type\":\"limiter\",\"ceiling_db\":-1e999}]}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].inserts[0].ceiling_db: not a finite number" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"mute\":1}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].mute: expected true or false" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"inserts\":[{\"type\":\"fuzz\"}]}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].inserts[0].type: unknown effect “fuzz” (known: eq, compressor, multiband_compressor, limiter, saturation, delay, reverb, stereo_width, transient_shaper, gain)" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"inserts\":[{\"type\":\"compressor\",\"detector\":\"loud\"}]}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].inserts[0].detector: “loud” is not one of peak, rms" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"inserts\":[{\"type\":\"eq\",\"bands\":[{},{\"enabled\":1}]}]}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].inserts[0].bands[1].enabled: expected true or false" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"inserts\":[{\"type\":\"eq\",\"bands\":{}}]}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].inserts[0].bands: expected an array" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"inserts\":[{\"type\":\"eq\",\"bands\":[3]}]}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].inserts[0].bands[0]: expected an object" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"inserts\":[7]}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].inserts[0]: expected an object" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"inserts\":{}}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].inserts: expected an array" },
  { PM ("{\"id\":\"g\",\"kind\":\"subgroup\",\"source\":{\"type\":\"live\"}}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].source: only tracks have a source" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"source\":{\"type\":\"file\"}}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].source.path: missing" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"source\":{\"type\":\"tape\"}}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].source.type: “tape” is not a source type (file, live or capture)" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"color\":\"red\"}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].color: “red” is not a colour like #1a2b3c" },
  { "{\"format\":1,\"sample_rate\":0,\"strips\":[" MASTER "]}", BUSKER_PROJECT_ERROR_INVALID,
    "sample_rate: 0 Hz is not a sample rate (8000 … 768000)" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"x\\udc00yz\":1}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0]: a key is not valid UTF-8 text (a broken \\u escape)" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"name\":\"\\udc00yz\"}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].name: a string is not valid UTF-8 text (a broken \\u escape)" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"source\":{\"type\":\"live\",\"apps\":\"Firefox\"}}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].source.apps: expected an array" },
  { PM ("{\"id\":\"t\",\"kind\":\"track\",\"source\":{\"type\":\"live\",\"apps\":[\"a\",3]}}"), BUSKER_PROJECT_ERROR_INVALID,
    "strips[0].source.apps[1]: expected a string of at most 4096 bytes" },
  { "{\"format\":1,\"strips\":[" MASTER "]}\xff", BUSKER_PROJECT_ERROR_PARSE, "(top level): not UTF-8 text; not a project file" },
};

static void
test_bad_input (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *shown = g_strescape (bad_cases[i].json, NULL);
      g_test_message ("case %u: %.200s", i, shown);
      g_autoptr (BuskerProject) project = load_string (bad_cases[i].json, &error);
      g_assert_null (project);
      g_assert_error (error, BUSKER_PROJECT_ERROR, bad_cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, BASE_PATH ": "));
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      if (bad_cases[i].message)
        g_assert_cmpstr (error->message + strlen (BASE_PATH ": "), ==, bad_cases[i].message);
    }
}

static void
test_limits (void)
{
  g_autoptr (GError) error = NULL;

  /* A 10 MB name. */
  g_autoptr (GString) big = g_string_new ("{\"format\":1,\"strips\":[{\"id\":\"master\",\"kind\":\"master\",\"name\":\"");
  for (int i = 0; i < 10 * 1024 * 1024 / 8; i++)
    g_string_append (big, "abcdefgh");
  g_string_append (big, "\"}]}");
  g_assert_null (load_string (big->str, &error));
  g_assert_error (error, BUSKER_PROJECT_ERROR, BUSKER_PROJECT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, BASE_PATH ": strips[0].name: longer than 4096 bytes");
  g_clear_error (&error);

  /* 10 000 strips. */
  g_autoptr (GString) many = g_string_new ("{\"format\":1,\"strips\":[" MASTER);
  for (int i = 0; i < 10000; i++)
    g_string_append_printf (many, ",{\"id\":\"t%d\",\"kind\":\"track\"}", i);
  g_string_append (many, "]}");
  g_assert_null (load_string (many->str, &error));
  g_assert_cmpstr (error->message, ==, BASE_PATH ": strips: 10001 entries; the limit is 4096");
  g_clear_error (&error);

  /* Deep nesting, refused before the parser recurses into it. */
  g_autoptr (GString) deep = g_string_new ("{\"format\":1,\"x\":");
  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  g_assert_null (load_string (deep->str, &error));
  g_assert_error (error, BUSKER_PROJECT_ERROR, BUSKER_PROJECT_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, BASE_PATH ": (top level): nested more than 64 levels deep");
  g_clear_error (&error);

  /* A 100 MB file: refused by its size, before anything is read. */
  g_autofree char *dir = g_dir_make_tmp ("busker-io-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "huge.busker", NULL);
  FILE *f = fopen (path, "w");
  g_assert_nonnull (f);
  g_assert_cmpint (ftruncate (fileno (f), 100 * 1024 * 1024), ==, 0); /* sparse */
  fclose (f);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_assert_null (busker_project_load (file, &error));
  g_assert_error (error, BUSKER_PROJECT_ERROR, BUSKER_PROJECT_ERROR_TOO_LARGE);
  g_assert_true (strstr (error->message, "larger than the 64 MB a project file may have"));
  g_assert_true (g_str_has_prefix (error->message, path));
  g_clear_error (&error);
  g_unlink (path);

  /* A missing file is GIO's error, naming the file. */
  g_autoptr (GFile) missing = g_file_new_for_path ("/nonexistent/nothing.busker");
  g_assert_null (busker_project_load (missing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_rmdir (dir);
}

static char *
read_text (const char *path)
{
  char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
test_save_atomic (void)
{
  g_autofree char *dir = g_dir_make_tmp ("busker-save-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "song.busker", NULL);
  g_autofree char *bak = g_strconcat (path, ".bak", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  g_autoptr (BuskerProject) project = random_project (rand, 10);

  g_assert_true (busker_project_get_dirty (project));
  g_assert_true (busker_project_save (project, file, &error));
  g_assert_no_error (error);
  g_assert_false (busker_project_get_dirty (project));
  g_assert_true (busker_project_get_file (project) == file);
  g_assert_false (g_file_test (bak, G_FILE_TEST_EXISTS));
  g_autofree char *v1 = read_text (path);
  g_autofree char *expected1 = busker_project_to_data (project, NULL);
  g_assert_cmpstr (v1, ==, expected1);

  busker_project_set_name (project, "Second take");
  g_assert_true (busker_project_get_dirty (project));
  g_assert_true (busker_project_save (project, file, &error));
  g_autofree char *v2 = read_text (path);
  g_autofree char *b2 = read_text (bak);
  g_assert_cmpstr (b2, ==, v1);
  g_assert_true (strstr (v2, "Second take"));

  /* Nothing but the file and its backup is left in the folder. */
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint count = 0;
  while (g_dir_read_name (d))
    count++;
  g_assert_cmpuint (count, ==, 2);

  /* Loading the saved file gives the same project. */
  g_autoptr (BuskerProject) loaded = busker_project_load (file, &error);
  g_assert_no_error (error);
  g_autofree char *v3 = busker_project_to_data (loaded, NULL);
  g_assert_cmpstr (v3, ==, v2);
  g_assert_false (busker_project_get_dirty (loaded));

  /* A folder that does not exist: an error naming the file, no crash. */
  g_autoptr (GFile) nowhere = g_file_new_for_path ("/nonexistent/dir/song.busker");
  g_assert_false (busker_project_save (project, nowhere, &error));
  g_assert_nonnull (error);
  g_assert_true (strstr (error->message, "/nonexistent/dir/song.busker"));
  g_clear_error (&error);

  g_unlink (path);
  g_unlink (bak);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model/io/round-trip-random", test_round_trip_random);
  g_test_add_func ("/model/io/unknown-keys", test_unknown_keys);
  g_test_add_func ("/model/io/live-apps", test_live_apps);
  g_test_add_func ("/model/io/values-and-warnings", test_values_and_warnings);
  g_test_add_func ("/model/io/same-name", test_same_name);
  g_test_add_func ("/model/io/bad-input", test_bad_input);
  g_test_add_func ("/model/io/limits", test_limits);
  g_test_add_func ("/model/io/save-atomic", test_save_atomic);
  return g_test_run ();
}
