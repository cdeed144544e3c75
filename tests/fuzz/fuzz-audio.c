/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target for audio import (fuzz-audio-check.h). Built with
 * -Dfuzzing=true and CC=clang; docs/reliability.md has the run:
 *   build-fuzz/tests/fuzz/fuzz-audio -dict=tests/fuzz/audio.dict \
 *     -max_len=16384 -timeout=30 tests/fuzz/audio-corpus
 */
#include "fuzz-audio-check.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  (void) busker_fuzz_audio_check (data, size);
  return 0;
}
