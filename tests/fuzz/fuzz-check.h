/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The loader's contract, checked on any input: it either returns a project
 * or sets an error (never both, never neither, never a warning or crash),
 * and whatever it accepts it writes back in a form it accepts again,
 * byte for byte the same the second time.
 */
#pragma once

#include <stdlib.h>
#include <string.h>

#include "model/busker-project.h"

static inline void
busker_fuzz_check (const char *data, size_t size)
{
  GError *error = NULL;
  BuskerProject *project = busker_project_load_from_data (data, size, NULL, &error);
  if (project == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == BUSKER_PROJECT_ERROR);
      g_assert_true (g_str_has_prefix (error->message, "project: "));
      g_error_free (error);
      return;
    }
  g_assert_null (error);

  gsize len1, len2;
  char *first = busker_project_to_data (project, &len1);
  BuskerProject *again = busker_project_load_from_data (first, len1, NULL, &error);
  if (again == NULL)
    {
      /* abort (), not g_error (): libFuzzer saves the input on SIGABRT,
       * while g_error () traps. */
      g_printerr ("a saved project does not load: %s\n%s", error->message, first);
      abort ();
    }
  char *second = busker_project_to_data (again, &len2);
  g_assert_cmpstr (first, ==, second);

  BuskerMixDesc *desc = busker_project_snapshot (project);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (project));
  g_assert_cmpuint (desc->n_strips, ==, n);
  g_assert_cmpint (busker_mix_desc_find_master (desc), >=, 0);
  for (guint i = 0; i < n && i < 64; i++)
    {
      BuskerStrip *strip = g_list_model_get_item (G_LIST_MODEL (project), i);
      (void) busker_project_is_audible (project, strip);
      g_object_unref (strip);
    }
  busker_mix_desc_free (desc);
  g_free (first);
  g_free (second);
  g_object_unref (again);
  g_object_unref (project);
}
