/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Model objects: every type is freed when its last reference goes, and
 * every writable property notifies exactly once per real change and never
 * for a write of the value it already has.
 */
#include <math.h>

#include "model-random.h"

static void
test_new_destroy (void)
{
  g_assert_finalize_object (busker_source_new_file ("a.wav", 1.5));
  g_assert_finalize_object (busker_send_new ("fx"));
  g_assert_finalize_object (busker_insert_new ("eq"));
  g_assert_null (busker_insert_new ("no_such_effect"));

  BuskerStrip *strip = busker_strip_new (BUSKER_STRIP_TRACK, "kick");
  g_autoptr (BuskerSource) source = busker_source_new (BUSKER_SOURCE_LIVE);
  busker_strip_set_source (strip, source);
  g_autoptr (BuskerInsert) insert = busker_insert_new ("compressor");
  busker_strip_insert_insert (strip, 0, insert);
  g_assert_finalize_object (strip);
  /* Children the strip held are still alive for their other owners. */
  g_assert_true (BUSKER_IS_SOURCE (source));

  /* A project with history: the history's references go with it. */
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  BuskerProject *project = random_project (rand, 12);
  BuskerStrip *victim = random_existing (rand, project);
  if (busker_strip_get_kind (victim) != BUSKER_STRIP_MASTER)
    busker_project_remove_strip (project, victim);
  busker_project_undo (project);
  busker_project_undo (project);
  g_assert_finalize_object (project);

  BuskerProject *empty = busker_project_new ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (empty)), ==, 1);
  g_assert_finalize_object (empty);
}

static void
count_notify (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

/* A value of the property's type that differs from the current one. */
static void
other_value (GObject *object, GParamSpec *pspec, GValue *value)
{
  g_value_init (value, pspec->value_type);
  g_object_get_property (object, pspec->name, value);
  if (G_IS_PARAM_SPEC_BOOLEAN (pspec))
    g_value_set_boolean (value, !g_value_get_boolean (value));
  else if (G_IS_PARAM_SPEC_DOUBLE (pspec))
    {
      GParamSpecDouble *d = G_PARAM_SPEC_DOUBLE (pspec);
      double lo = isfinite (d->minimum) ? d->minimum : -100;
      double hi = MIN (d->maximum, 1e6);
      double v = lo + (hi - lo) * 0.375;
      g_value_set_double (value, v == g_value_get_double (value) ? hi : v);
    }
  else if (G_IS_PARAM_SPEC_STRING (pspec))
    g_value_set_string (value, g_strcmp0 (g_value_get_string (value), "#123abc")
                                   ? "#123abc" : "#abc123");
  else if (G_IS_PARAM_SPEC_BOXED (pspec) && pspec->value_type == G_TYPE_STRV)
    {
      static const char *const one[] = { "Firefox", NULL }, *const two[] = { "mpv", NULL };
      const char *const *now = g_value_get_boxed (value);
      g_value_set_boxed (value, now && g_strv_equal (now, one) ? two : one);
    }
  else if (G_IS_PARAM_SPEC_OBJECT (pspec) && pspec->value_type == BUSKER_TYPE_SOURCE)
    g_value_take_object (value, busker_source_new_file ("x.wav", 0));
  else
    g_assert_not_reached ();
}

static void
check_notify_only_on_change (GObject *object)
{
  guint n_pspecs;
  g_autofree GParamSpec **pspecs =
      g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);
  guint checked = 0;
  for (guint i = 0; i < n_pspecs; i++)
    {
      GParamSpec *pspec = pspecs[i];
      if (!(pspec->flags & G_PARAM_WRITABLE) || (pspec->flags & G_PARAM_CONSTRUCT_ONLY))
        continue;
      g_assert_true (pspec->flags & G_PARAM_EXPLICIT_NOTIFY);
      guint count = 0;
      g_autofree char *signal = g_strconcat ("notify::", pspec->name, NULL);
      gulong id = g_signal_connect (object, signal, G_CALLBACK (count_notify), &count);
      g_auto (GValue) value = G_VALUE_INIT;
      other_value (object, pspec, &value);
      g_object_set_property (object, pspec->name, &value);
      g_assert_cmpuint (count, ==, 1);
      g_object_set_property (object, pspec->name, &value);
      g_assert_cmpuint (count, ==, 1);
      g_signal_handler_disconnect (object, id);
      checked++;
    }
  g_assert_cmpuint (checked, >, 0);
}

static void
test_notify (void)
{
  g_autoptr (BuskerProject) project = busker_project_new ();
  g_autoptr (BuskerStrip) strip = busker_strip_new (BUSKER_STRIP_TRACK, "t1");
  g_autoptr (BuskerSource) source = busker_source_new_file ("a.wav", 0);
  g_autoptr (BuskerSource) capture = busker_source_new_capture ("node");
  g_autoptr (BuskerSend) send = busker_send_new ("fx");
  g_autoptr (BuskerInsert) insert = busker_insert_new ("delay");

  check_notify_only_on_change (G_OBJECT (project));
  check_notify_only_on_change (G_OBJECT (strip));
  check_notify_only_on_change (G_OBJECT (source));
  check_notify_only_on_change (G_OBJECT (capture));
  check_notify_only_on_change (G_OBJECT (send));
  check_notify_only_on_change (G_OBJECT (insert));

  /* A clamped write that lands on the current value is no change. */
  guint count = 0;
  g_signal_connect (strip, "notify::pan", G_CALLBACK (count_notify), &count);
  busker_strip_set_pan (strip, 1);
  g_assert_cmpuint (count, ==, 1);
  busker_strip_set_pan (strip, 7);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpfloat (busker_strip_get_pan (strip), ==, 1);

  /* Fader at -inf is a value of its own. */
  count = 0;
  g_signal_connect (strip, "notify::gain-db", G_CALLBACK (count_notify), &count);
  busker_strip_set_gain_db (strip, -INFINITY);
  busker_strip_set_gain_db (strip, -INFINITY);
  g_assert_cmpuint (count, ==, 1);
  busker_strip_set_gain_db (strip, -500);
  g_assert_cmpfloat (busker_strip_get_gain_db (strip), ==, -144);
  g_assert_cmpuint (count, ==, 2);
}

static void
count_value (BuskerInsert *insert, guint index, guint *count)
{
  *count = *count * 1000 + index + 1;
}

static void
test_insert_values (void)
{
  g_autoptr (BuskerInsert) insert = busker_insert_new ("compressor");
  guint n, count = 0;
  const BuskerParamSpec *params = busker_insert_get_params (insert, &n);

  /* The table in src/dsp/params.c is the truth for defaults and ranges. */
  g_assert_true (params == busker_compressor_params);
  g_assert_cmpuint (n, ==, BUSKER_COMP_N_PARAMS);
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat (busker_insert_get_value (insert, i), ==, params[i].def);
  g_assert_cmpint (busker_insert_find_param (insert, "ratio"), ==, BUSKER_COMP_RATIO);
  g_assert_cmpint (busker_insert_find_param (insert, "nope"), ==, -1);

  g_signal_connect (insert, "value-changed", G_CALLBACK (count_value), &count);
  busker_insert_set_value (insert, BUSKER_COMP_RATIO, 8);
  g_assert_cmpuint (count, ==, BUSKER_COMP_RATIO + 1);
  busker_insert_set_value (insert, BUSKER_COMP_RATIO, 8);
  g_assert_cmpuint (count, ==, BUSKER_COMP_RATIO + 1);
  /* Clamped to the table's range. */
  busker_insert_set_value (insert, BUSKER_COMP_RATIO, 1000);
  g_assert_cmpfloat (busker_insert_get_value (insert, BUSKER_COMP_RATIO), ==,
                     busker_compressor_params[BUSKER_COMP_RATIO].max);
  /* Choices are rounded indices. */
  busker_insert_set_value (insert, BUSKER_COMP_DETECTOR, 0.8f);
  g_assert_cmpfloat (busker_insert_get_value (insert, BUSKER_COMP_DETECTOR), ==, 1);
}

static void
test_enums (void)
{
  g_autoptr (BuskerStrip) aux = busker_strip_new (BUSKER_STRIP_AUX, "fx");
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (aux), "kind");
  g_assert_true (G_IS_PARAM_SPEC_ENUM (pspec));
  g_autoptr (GEnumClass) klass = g_type_class_ref (BUSKER_TYPE_STRIP_KIND);
  BuskerStripKind kind;
  g_object_get (aux, "kind", &kind, NULL);
  g_assert_cmpstr (g_enum_get_value (klass, kind)->value_nick, ==, "aux");
  /* The GType's nicks are the file format's names. */
  for (BuskerStripKind k = BUSKER_STRIP_TRACK; k <= BUSKER_STRIP_MASTER; k++)
    g_assert_cmpstr (g_enum_get_value (klass, k)->value_nick, ==, busker_strip_kind_to_string (k));
  g_autoptr (GEnumClass) sources = g_type_class_ref (BUSKER_TYPE_SOURCE_KIND);
  for (BuskerSourceKind k = BUSKER_SOURCE_NONE; k <= BUSKER_SOURCE_CAPTURE; k++)
    g_assert_cmpstr (g_enum_get_value (sources, k)->value_nick, ==, busker_source_kind_to_string (k));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model/types/new-destroy", test_new_destroy);
  g_test_add_func ("/model/types/notify-only-on-change", test_notify);
  g_test_add_func ("/model/types/insert-values", test_insert_values);
  g_test_add_func ("/model/types/enums", test_enums);
  return g_test_run ();
}
