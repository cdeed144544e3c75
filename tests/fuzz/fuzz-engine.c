/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target for engine operations (fuzz-engine-ops.h). Built with
 * -Dfuzzing=true and CC=clang; docs/reliability.md has the run:
 *   build-fuzz/tests/fuzz/fuzz-engine -dict=tests/fuzz/engine.dict \
 *     -max_len=4096 -timeout=90 tests/fuzz/engine-corpus
 */
#include "fuzz-engine-ops.h"

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
  fuzz_engine_run (data, size);
  return 0;
}
