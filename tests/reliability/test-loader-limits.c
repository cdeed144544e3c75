/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The loader's limits (docs/project-format.md) at their boundaries, where
 * the existing tests (far past them) cannot tell a limit from ten times
 * that limit: 64 levels of nesting load (or fail for another reason),
 * 65 are refused as nesting; a name of BUSKER_PROJECT_MAX_STRING bytes
 * loads, one byte more is refused.
 */
#include "model/busker-project.h"

static BuskerProject *
load (const char *text, GError **error)
{
  return busker_project_load_from_data (text, strlen (text), NULL, error);
}

static void
test_depth (void)
{
  for (int levels = 62; levels <= 66; levels++)
    {
      /* The top-level object is one level; "x" holds levels - 1 arrays. */
      g_autoptr (GString) text = g_string_new ("{\"format\":1,\"x\":");
      for (int i = 1; i < levels; i++)
        g_string_append_c (text, '[');
      for (int i = 1; i < levels; i++)
        g_string_append_c (text, ']');
      g_string_append_c (text, '}');
      g_autoptr (GError) error = NULL;
      g_autoptr (BuskerProject) p = load (text->str, &error);
      gboolean nesting = error != NULL && strstr (error->message, "nested more than") != NULL;
      g_test_message ("%d levels: %s", levels, error ? error->message : "loads");
      g_assert_cmpint (nesting, ==, levels > BUSKER_PROJECT_MAX_DEPTH);
    }
}

static void
test_string (void)
{
  for (int extra = 0; extra <= 1; extra++)
    {
      g_autofree char *name = g_strnfill (BUSKER_PROJECT_MAX_STRING + extra, 'a');
      g_autofree char *text = g_strdup_printf (
          "{\"format\":1,\"name\":\"%s\",\"strips\":[{\"id\":\"master\",\"kind\":\"master\"}]}", name);
      g_autoptr (GError) error = NULL;
      g_autoptr (BuskerProject) p = load (text, &error);
      g_test_message ("name of %d bytes: %s", BUSKER_PROJECT_MAX_STRING + extra,
                      error ? error->message : "loads");
      if (extra)
        {
          g_assert_null (p);
          g_assert_nonnull (strstr (error->message, "longer than 4096 bytes"));
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpstr (busker_project_get_name (p), ==, name);
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reliability/loader/depth", test_depth);
  g_test_add_func ("/reliability/loader/string", test_string);
  return g_test_run ();
}
