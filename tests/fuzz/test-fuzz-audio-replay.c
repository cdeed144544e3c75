/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What CI runs of the audio import fuzzer: the seed corpus (WAV, AIFF,
 * FLAC, Ogg Vorbis and Opus, MP3, and lying or broken headers) and 300
 * deterministic mutations of it, each through fuzz-audio-check.h.
 */
#include "fuzz-audio-check.h"
#include "fuzz-mutate.h"

static const char *const audio_tokens[] = {
  "RIFF", "WAVE", "fmt ", "data", "FORM", "AIFF", "COMM", "SSND", "fLaC", "OggS",
  "\xff\xff\xff\xff", "\x00\x00\x00\x00", "\x01\x00", "\x00\x01", "\xff\xfb",
};

static void
test_corpus (void)
{
  g_autoptr (GPtrArray) seeds = busker_fuzz_load_corpus (BUSKER_FUZZ_AUDIO_CORPUS);
  guint played = 0;
  for (guint i = 0; i < seeds->len; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (seeds, i), &len);
      played += busker_fuzz_audio_check (data, len) > 0;
    }
  /* Both kinds are there: files that play and files refused. */
  g_test_message ("%u of %u seeds played", played, seeds->len);
  g_assert_cmpuint (played, >=, 8);
  g_assert_cmpuint (played, <, seeds->len);
}

static void
test_mutations (void)
{
  g_autoptr (GPtrArray) seeds = busker_fuzz_load_corpus (BUSKER_FUZZ_AUDIO_CORPUS);
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261130);
  guint played = 0;
  for (int i = 0; i < 300; i++)
    {
      g_autoptr (GByteArray) input =
          busker_fuzz_mutate (rand, seeds, audio_tokens, G_N_ELEMENTS (audio_tokens));
      played += busker_fuzz_audio_check (input->data, input->len) > 0;
    }
  g_test_message ("%u of 300 mutants played", played);
  g_assert_cmpuint (played, >=, 30);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fuzz/audio/corpus", test_corpus);
  g_test_add_func ("/fuzz/audio/mutations", test_mutations);
  return g_test_run ();
}
