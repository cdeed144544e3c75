/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What CI runs of the fuzzer: the seed corpus, then a few hundred
 * deterministic mutations of it (byte flips, cuts, inserted tokens, spliced
 * halves), each through the loader's contract (fuzz-check.h).
 */
#include "fuzz-check.h"
#include "fuzz-mutate.h"

static void
test_corpus (void)
{
  g_autoptr (GPtrArray) seeds = busker_fuzz_load_corpus (BUSKER_FUZZ_CORPUS);
  guint loaded = 0;
  for (guint i = 0; i < seeds->len; i++)
    {
      gsize len;
      const char *data = g_bytes_get_data (g_ptr_array_index (seeds, i), &len);
      busker_fuzz_check (data, len);
      g_autoptr (BuskerProject) p = busker_project_load_from_data (data, len, NULL, NULL);
      loaded += p != NULL;
    }
  /* The corpus holds both good and bad files. */
  g_assert_cmpuint (loaded, >, 0);
  g_assert_cmpuint (loaded, <, seeds->len);
}

static const char *const project_tokens[] = {
  "{", "}", "[", "]", ",", ":", "\"", "null", "true", "1e999", "-1e308",
  "\"master\"", "\"aux\"", "\"subgroup\"", "\"output\"", "\"to\"", "\"bands\"",
  "\"id\"", "[[[[", "\\u0000", "\xc3\xa9", "\xff", "0.5", "-0", "4294967296",
};

static void
test_mutations (void)
{
  g_autoptr (GPtrArray) seeds = busker_fuzz_load_corpus (BUSKER_FUZZ_CORPUS);
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261121);
  guint loaded = 0;
  for (int i = 0; i < 600; i++)
    {
      g_autoptr (GByteArray) input = busker_fuzz_mutate (rand, seeds, project_tokens, G_N_ELEMENTS (project_tokens));
      busker_fuzz_check ((const char *) input->data, input->len);
      g_autoptr (BuskerProject) p =
          busker_project_load_from_data ((const char *) input->data, input->len, NULL, NULL);
      loaded += p != NULL;
    }
  /* Enough mutants load for the round-trip half of the check to matter. */
  g_test_message ("%u of 600 mutants loaded", loaded);
  g_assert_cmpuint (loaded, >=, 30);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fuzz/project/corpus", test_corpus);
  g_test_add_func ("/fuzz/project/mutations", test_mutations);
  return g_test_run ();
}
