/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The real-time trap for tests: link tests/librt-trap.a (meson:
 * rt_trap_dep) and mark the audio side of a cycle with
 *
 *   rt_trap_enter ();
 *   plan = busker_plan_swap_acquire (swap);
 *   busker_process_run (plan, n);
 *   rt_trap_leave ();          // fails the test naming the first call
 *
 * While the calling thread is marked, any call of these from the test
 * program or the code it links (libbusker, libbusker-dsp) is counted and
 * named:
 *   allocation   malloc calloc realloc free posix_memalign aligned_alloc
 *   locks        pthread_mutex_lock g_mutex_lock g_rec_mutex_lock
 *                g_rw_lock_{reader,writer}_lock
 *   blocking     read write open open64 openat openat64 pthread_cond_wait
 *                pthread_cond_timedwait syscall(SYS_futex, FUTEX_WAIT…)
 *                nanosleep clock_nanosleep usleep sleep
 *                poll ppoll select epoll_wait epoll_pwait
 *   logging      g_log g_logv g_log_structured_array g_return_if_fail_warning
 *                printf fprintf
 *                vprintf vfprintf puts fputs fwrite
 * The marker is thread-local: the main thread may allocate and swap plans
 * while the audio thread runs marked.
 *
 * Calls that a library makes to itself through a hidden alias (glibc's
 * printf writing through its internal write, GLib locking its own
 * mutexes) do not pass through the dynamic symbol and are not seen; the
 * interposed entry points are the ones Busker's code calls.
 *
 * It replaces malloc, so it cannot run under AddressSanitizer or valgrind
 * (both own the allocator): label such tests 'asan-unsafe'.
 */
#pragma once

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks the calling thread as the audio side. Nests. RT-safe */
void rt_trap_enter (void);

/* Unmarks it; if anything was trapped since the outermost enter, aborts
 * the test with "real-time trap: SYMBOL() called on the audio side (N
 * calls)". Not RT-safe when it fails (it logs), RT-safe otherwise. */
void rt_trap_leave (void);

/* The same without failing: returns how many calls were trapped on this
 * thread since the outermost enter and the name of the first in *first
 * (may be NULL). For tests of the trap itself. */
unsigned rt_trap_leave_quiet (const char **first);

/* Whether the calling thread is marked. */
bool rt_trap_marked (void);

#ifdef __cplusplus
}
#endif
