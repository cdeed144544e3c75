/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What CI runs of the fuzzer: the seed corpus, then a few hundred
 * deterministic mutations of it (byte flips, cuts, inserted tokens, spliced
 * halves), each through the loader's contract (fuzz-check.h).
 */
#include "fuzz-check.h"

static GPtrArray *
load_corpus (void)
{
  const char *dir = BUSKER_FUZZ_CORPUS;
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  GPtrArray *seeds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  const char *name;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (d)))
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0); /* readdir order varies */
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      char *data;
      gsize len;
      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      g_ptr_array_add (seeds, g_bytes_new_take (data, len));
    }
  g_assert_cmpuint (seeds->len, >=, 5);
  return seeds;
}

static void
test_corpus (void)
{
  g_autoptr (GPtrArray) seeds = load_corpus ();
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

static const char *const tokens[] = {
  "{", "}", "[", "]", ",", ":", "\"", "null", "true", "1e999", "-1e308",
  "\"master\"", "\"aux\"", "\"subgroup\"", "\"output\"", "\"to\"", "\"bands\"",
  "\"id\"", "[[[[", "\\u0000", "\xc3\xa9", "\xff", "0.5", "-0", "4294967296",
};

static GByteArray *
mutate (GRand *rand, GPtrArray *seeds)
{
  GBytes *seed = g_ptr_array_index (seeds, g_rand_int_range (rand, 0, seeds->len));
  gsize len;
  const guint8 *data = g_bytes_get_data (seed, &len);
  GByteArray *out = g_byte_array_new ();
  g_byte_array_append (out, data, len);
  for (int n = g_rand_int_range (rand, 1, 3); n > 0 && out->len > 0; n--)
    {
      guint at = g_rand_int_range (rand, 0, out->len);
      switch (g_rand_int_range (rand, 0, 8))
        {
        case 5: /* replace a number: keeps the JSON valid, tests ranges */
        case 6:
        case 7:
          {
            static const char *const numbers[] = {
              "0", "-1", "1", "99999", "1e308", "-144", "0.5", "3", "-0.001", "48000", "2",
            };
            while (at < out->len && !g_ascii_isdigit (out->data[at]))
              at++;
            guint end = at;
            while (end < out->len && strchr ("-+.eE0123456789", out->data[end]))
              end++;
            if (at == end)
              break;
            const char *num = numbers[g_rand_int_range (rand, 0, G_N_ELEMENTS (numbers))];
            g_byte_array_remove_range (out, at, end - at);
            g_array_insert_vals ((GArray *) out, at, num, strlen (num));
            break;
          }
        case 0: /* flip a byte */
          out->data[at] ^= (guint8) g_rand_int_range (rand, 1, 256);
          break;
        case 1: /* cut */
          g_byte_array_set_size (out, at);
          break;
        case 2: /* insert a token */
          {
            const char *t = tokens[g_rand_int_range (rand, 0, G_N_ELEMENTS (tokens))];
            /* A GByteArray is a GArray of bytes. */
            g_array_insert_vals ((GArray *) out, at, t, strlen (t));
            break;
          }
        case 3: /* drop a span */
          {
            guint span = g_rand_int_range (rand, 1, 40);
            g_byte_array_remove_range (out, at, MIN (out->len - at, span));
          }
          break;
        case 4: /* splice another seed's tail */
          {
            GBytes *other = g_ptr_array_index (seeds, g_rand_int_range (rand, 0, seeds->len));
            gsize olen;
            const guint8 *od = g_bytes_get_data (other, &olen);
            guint from = g_rand_int_range (rand, 0, olen);
            g_byte_array_set_size (out, at);
            g_byte_array_append (out, od + from, olen - from);
            break;
          }
        }
    }
  return out;
}

static void
test_mutations (void)
{
  g_autoptr (GPtrArray) seeds = load_corpus ();
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261121);
  guint loaded = 0;
  for (int i = 0; i < 600; i++)
    {
      g_autoptr (GByteArray) input = mutate (rand, seeds);
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
