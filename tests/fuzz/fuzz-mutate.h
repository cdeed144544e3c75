/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the CI replays of the fuzzers share: a seed corpus read from a
 * folder in name order, and deterministic mutations of it (byte flips,
 * cuts, inserted tokens, dropped spans, spliced seeds, replaced numbers).
 */
#pragma once

#include <glib.h>
#include <string.h>

static inline GPtrArray *
busker_fuzz_load_corpus (const char *dir)
{
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

static inline GByteArray *
busker_fuzz_mutate (GRand *rand, GPtrArray *seeds, const char *const *tokens, guint n_tokens)
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
            const char *t = tokens[g_rand_int_range (rand, 0, n_tokens)];
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

