/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A benchmark aid, loaded with LD_PRELOAD (tests/bench/bench-mixer.py):
 * counts the heap allocations (malloc, calloc, realloc, posix_memalign,
 * aligned_alloc, memalign) each thread makes, passing them on to glibc's.
 * busker_alloc_count() returns the calling thread's count so far; the
 * mixer harness looks it up with dlsym and prints allocations per frame.
 * GLib 2.74's g_slice keeps its own magazines: run with
 * G_SLICE=always-malloc so those allocations are counted too.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

extern void *__libc_malloc (size_t size);
extern void *__libc_calloc (size_t n, size_t size);
extern void *__libc_realloc (void *ptr, size_t size);
extern void *__libc_memalign (size_t alignment, size_t size);

static _Thread_local uint64_t count;

uint64_t busker_alloc_count (void);

uint64_t
busker_alloc_count (void)
{
  return count;
}

void *
malloc (size_t size)
{
  count++;
  return __libc_malloc (size);
}

void *
calloc (size_t n, size_t size)
{
  count++;
  return __libc_calloc (n, size);
}

void *
realloc (void *ptr, size_t size)
{
  count++;
  return __libc_realloc (ptr, size);
}

void *
memalign (size_t alignment, size_t size)
{
  count++;
  return __libc_memalign (alignment, size);
}

void *
aligned_alloc (size_t alignment, size_t size)
{
  count++;
  return __libc_memalign (alignment, size);
}

int
posix_memalign (void **out, size_t alignment, size_t size)
{
  void *p;

  if (alignment < sizeof (void *) || (alignment & (alignment - 1)) != 0)
    return EINVAL;
  count++;
  p = __libc_memalign (alignment, size);
  if (p == NULL)
    return ENOMEM;
  *out = p;
  return 0;
}
