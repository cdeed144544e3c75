/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdbool.h>

#include "engine/busker-mix-desc.h"

/* The chain /work/shared/tools/easyeffects-bench.sh sets EasyEffects to,
 * as inserts of bus: five EQ bands, a 4:1 compressor at -30 dB, a limiter
 * at -10 dB with 5 ms of look-ahead detecting true peaks or, as the
 * EasyEffects preset ("oversampling: None"), sample peaks. Replaces any
 * inserts bus had. Used by live-host --chain and bench-chain. */
void bench_chain_set_inserts (BuskerStripDesc *bus, bool true_peak);
