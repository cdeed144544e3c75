/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What CI runs of the engine-operations fuzzer: the seed programs, then
 * 300 random ones (any byte string is a program), each through
 * fuzz-engine-ops.h. In a plain build the real-time trap watches the
 * audio side; in the sanitizer build AddressSanitizer checks memory and
 * leaks instead.
 */
#include "fuzz-engine-ops.h"
#include "fuzz-mutate.h"

static void
test_corpus (void)
{
  g_autoptr (GPtrArray) seeds = busker_fuzz_load_corpus (BUSKER_FUZZ_ENGINE_CORPUS);
  for (guint i = 0; i < seeds->len; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (seeds, i), &len);
      fuzz_engine_run (data, len);
    }
}

static void
test_random_programs (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261130);
  for (int i = 0; i < 300; i++)
    {
      guint len = g_rand_int_range (rand, 16, 3000);
      g_autofree guint8 *program = g_new (guint8, len);
      for (guint k = 0; k < len; k++)
        program[k] = (guint8) g_rand_int_range (rand, 0, 256);
      fuzz_engine_run (program, len);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fuzz/engine/corpus", test_corpus);
  g_test_add_func ("/fuzz/engine/random-programs", test_random_programs);
  return g_test_run ();
}
