/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target for the .busker loader (built with -Dfuzzing=true and
 * CC=clang; docs/reliability.md has the whole set-up). Run:
 *   build-fuzz/tests/fuzz/fuzz-project -max_len=65536 \
 *     -dict=tests/fuzz/busker.dict tests/fuzz/corpus
 */
#include "fuzz-check.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  /* A warning or critical from GLib is a bug the fuzzer should report. */
  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  busker_fuzz_check ((const char *) data, size);
  return 0;
}
