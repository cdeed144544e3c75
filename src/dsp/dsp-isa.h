/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Two builds of the hottest loops: the x86-64 baseline (SSE2) and
 * x86-64-v3 (AVX2 with FMA), for CPUs from about 2013 on. The files that
 * hold them (eq-fused.c, compressor-linked.c) are compiled once per build
 * (src/dsp/meson.build) and their functions end in _baseline or _v3
 * (BUSKER_DSP_KERNEL); a unit picks one when it is made, never on the
 * audio thread.
 *
 * Why: the EQ's cascade and the compressor's linked pass are bound by
 * floating-point operations, and FMA does a multiply and an add in one
 * (about 0.7 times the baseline's time for either, measured in one process
 * alternating the two builds block by block). An FMA rounds once where
 * a multiply and an add round twice, so the two builds' outputs differ by
 * float rounding (a few 1e-8 on full-scale signals): the same machine
 * always gives the same bits; two machines may differ in the last bits.
 *
 * BUSKER_DSP_ISA=baseline in the environment picks the baseline on any
 * CPU (the tests run both builds). Read when a unit is made.
 */
#pragma once

#include <stdbool.h>

#if defined(BUSKER_DSP_BUILD_V3)
#define BUSKER_DSP_KERNEL(name) name##_v3
#else
#define BUSKER_DSP_KERNEL(name) name##_baseline
#endif

/* Whether units made now use the v3 build: it was compiled in, the CPU
 * has AVX2 and FMA, and BUSKER_DSP_ISA is not "baseline". Not RT-safe
 * (reads the environment). */
bool busker_dsp_isa_v3 (void);

/* "v3" or "baseline": what busker_dsp_isa_v3 () says, for reports. */
const char *busker_dsp_isa_name (void);

/* The v3 kernel if busker_dsp_isa_v3 (), else the baseline one. */
#if defined(BUSKER_HAVE_DSP_V3)
#define BUSKER_DSP_PICK(name) (busker_dsp_isa_v3 () ? name##_v3 : name##_baseline)
#else
#define BUSKER_DSP_PICK(name) (name##_baseline)
#endif
