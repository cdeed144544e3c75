/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "engine/busker-mix-desc.h"

#define RATE 48000
/* 180, or BUSKER_BENCH_SECONDS for a quicker look (profiling). */
int bench_session_seconds (void);
#define SECONDS bench_session_seconds ()
#define N_TRACKS 64
#define N_SUBS 8

/* The reference session (bench-session.c), its files written into dir;
 * with dir NULL the tracks have no source (bench-live feeds them).
 * Effect types not registered are left out and their names appended to
 * missing_types (space-separated). */
BuskerMixDesc *bench_session_new (const char *dir, GString *missing_types);
