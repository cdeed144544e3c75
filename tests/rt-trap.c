/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The real-time trap (see rt-trap.h). Each interposer records the call
 * when the thread is marked and then does what the real function does:
 * the allocator through glibc's __libc_* entry points (dlsym may itself
 * allocate, so malloc must not depend on it), everything else through
 * dlsym (RTLD_NEXT), resolved once before main and lazily after that.
 */
#define _GNU_SOURCE
#include "rt-trap.h"

#include <dlfcn.h>
#include <glib.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

extern void *__libc_malloc (size_t size);
extern void *__libc_calloc (size_t n, size_t size);
extern void *__libc_realloc (void *p, size_t size);
extern void *__libc_memalign (size_t alignment, size_t size);
extern void __libc_free (void *p);

static __thread int depth;         /* rt_trap_enter nesting */
static __thread unsigned hits;     /* trapped calls since the outermost enter */
static __thread const char *first; /* the first of them */

static inline void
trap (const char *symbol)
{
  if (depth > 0 && hits++ == 0)
    first = symbol;
}

void
rt_trap_enter (void)
{
  if (depth++ == 0)
    {
      hits = 0;
      first = NULL;
    }
}

unsigned
rt_trap_leave_quiet (const char **symbol)
{
  g_assert (depth > 0);
  if (--depth > 0)
    return 0;
  if (symbol != NULL)
    *symbol = first;
  return hits;
}

void
rt_trap_leave (void)
{
  const char *symbol = NULL;
  unsigned n = rt_trap_leave_quiet (&symbol);
  if (n > 0)
    g_error ("real-time trap: %s() called on the audio side (%u trapped call%s)",
             symbol, n, n == 1 ? "" : "s");
}

bool
rt_trap_marked (void)
{
  return depth > 0;
}

/* The allocator. */

void *
malloc (size_t size)
{
  trap ("malloc");
  return __libc_malloc (size);
}

void *
calloc (size_t n, size_t size)
{
  trap ("calloc");
  return __libc_calloc (n, size);
}

void *
realloc (void *p, size_t size)
{
  trap ("realloc");
  return __libc_realloc (p, size);
}

void
free (void *p)
{
  if (p != NULL)
    trap ("free");
  __libc_free (p);
}

int
posix_memalign (void **out, size_t alignment, size_t size)
{
  trap ("posix_memalign");
  void *p = __libc_memalign (alignment, size);
  if (p == NULL)
    return 12; /* ENOMEM */
  *out = p;
  return 0;
}

void *
aligned_alloc (size_t alignment, size_t size)
{
  trap ("aligned_alloc");
  return __libc_memalign (alignment, size);
}

/* Everything else forwards to the next definition. */

#define REAL(ret, name, params)                                                \
  static ret (*real_##name) params;                                            \
  static inline ret (*next_##name (void)) params                               \
  {                                                                            \
    if (real_##name == NULL)                                                   \
      real_##name = (ret (*) params) dlsym (RTLD_NEXT, #name);                 \
    return real_##name;                                                        \
  }

REAL (int, pthread_mutex_lock, (pthread_mutex_t *))
REAL (int, pthread_cond_wait, (pthread_cond_t *, pthread_mutex_t *))
REAL (int, pthread_cond_timedwait, (pthread_cond_t *, pthread_mutex_t *, const struct timespec *))
REAL (void, g_mutex_lock, (GMutex *))
REAL (void, g_rec_mutex_lock, (GRecMutex *))
REAL (void, g_rw_lock_reader_lock, (GRWLock *))
REAL (void, g_rw_lock_writer_lock, (GRWLock *))
REAL (ssize_t, read, (int, void *, size_t))
REAL (ssize_t, write, (int, const void *, size_t))
REAL (int, open, (const char *, int, ...))
REAL (int, open64, (const char *, int, ...))
REAL (int, openat, (int, const char *, int, ...))
REAL (int, openat64, (int, const char *, int, ...))
REAL (long, syscall, (long, ...))
REAL (int, nanosleep, (const struct timespec *, struct timespec *))
REAL (int, clock_nanosleep, (clockid_t, int, const struct timespec *, struct timespec *))
REAL (int, usleep, (useconds_t))
REAL (unsigned, sleep, (unsigned))
REAL (int, poll, (struct pollfd *, nfds_t, int))
REAL (int, ppoll, (struct pollfd *, nfds_t, const struct timespec *, const sigset_t *))
REAL (int, select, (int, fd_set *, fd_set *, fd_set *, struct timeval *))
REAL (int, epoll_wait, (int, struct epoll_event *, int, int))
REAL (int, epoll_pwait, (int, struct epoll_event *, int, int, const sigset_t *))
REAL (void, g_return_if_fail_warning, (const char *, const char *, const char *))
REAL (void, g_logv, (const char *, GLogLevelFlags, const char *, va_list))
REAL (void, g_log_structured_array, (GLogLevelFlags, const GLogField *, gsize))
REAL (int, vfprintf, (FILE *, const char *, va_list))
REAL (int, fputs, (const char *, FILE *))
REAL (size_t, fwrite, (const void *, size_t, size_t, FILE *))

/* Resolve before main, while no test thread is marked yet. */
__attribute__ ((constructor)) static void
resolve_all (void)
{
  next_pthread_mutex_lock ();
  next_pthread_cond_wait ();
  next_pthread_cond_timedwait ();
  next_g_mutex_lock ();
  next_g_rec_mutex_lock ();
  next_g_rw_lock_reader_lock ();
  next_g_rw_lock_writer_lock ();
  next_read ();
  next_write ();
  next_open ();
  next_open64 ();
  next_openat ();
  next_openat64 ();
  next_syscall ();
  next_nanosleep ();
  next_clock_nanosleep ();
  next_usleep ();
  next_sleep ();
  next_poll ();
  next_ppoll ();
  next_select ();
  next_epoll_wait ();
  next_epoll_pwait ();
  next_g_logv ();
  next_g_return_if_fail_warning ();
  next_g_log_structured_array ();
  next_vfprintf ();
  next_fputs ();
  next_fwrite ();
}

int
pthread_mutex_lock (pthread_mutex_t *m)
{
  trap ("pthread_mutex_lock");
  return next_pthread_mutex_lock () (m);
}

int
pthread_cond_wait (pthread_cond_t *c, pthread_mutex_t *m)
{
  trap ("pthread_cond_wait");
  return next_pthread_cond_wait () (c, m);
}

int
pthread_cond_timedwait (pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *t)
{
  trap ("pthread_cond_timedwait");
  return next_pthread_cond_timedwait () (c, m, t);
}

void
g_mutex_lock (GMutex *m)
{
  trap ("g_mutex_lock");
  next_g_mutex_lock () (m);
}

void
g_rec_mutex_lock (GRecMutex *m)
{
  trap ("g_rec_mutex_lock");
  next_g_rec_mutex_lock () (m);
}

void
g_rw_lock_reader_lock (GRWLock *l)
{
  trap ("g_rw_lock_reader_lock");
  next_g_rw_lock_reader_lock () (l);
}

void
g_rw_lock_writer_lock (GRWLock *l)
{
  trap ("g_rw_lock_writer_lock");
  next_g_rw_lock_writer_lock () (l);
}

ssize_t
read (int fd, void *buf, size_t n)
{
  trap ("read");
  return next_read () (fd, buf, n);
}

ssize_t
write (int fd, const void *buf, size_t n)
{
  trap ("write");
  return next_write () (fd, buf, n);
}

/* open's mode argument is there only with O_CREAT or O_TMPFILE; reading
 * it anyway is what glibc does too (an int from the va_list). */
#define OPEN_MODE(flags, mode)                                                 \
  do                                                                           \
    {                                                                          \
      va_list ap;                                                              \
      va_start (ap, flags);                                                    \
      mode = va_arg (ap, int);                                                 \
      va_end (ap);                                                             \
    }                                                                          \
  while (0)

int
open (const char *path, int flags, ...)
{
  int mode;
  OPEN_MODE (flags, mode);
  trap ("open");
  return next_open () (path, flags, mode);
}

int
open64 (const char *path, int flags, ...)
{
  int mode;
  OPEN_MODE (flags, mode);
  trap ("open");
  return next_open64 () (path, flags, mode);
}

int
openat (int dir, const char *path, int flags, ...)
{
  int mode;
  OPEN_MODE (flags, mode);
  trap ("openat");
  return next_openat () (dir, path, flags, mode);
}

int
openat64 (int dir, const char *path, int flags, ...)
{
  int mode;
  OPEN_MODE (flags, mode);
  trap ("openat");
  return next_openat64 () (dir, path, flags, mode);
}

/* Only the futex operations that can sleep are trapped; a wake is a
 * plain syscall that never blocks. */
long
syscall (long number, ...)
{
  va_list ap;
  long a[6];
  va_start (ap, number);
  for (int i = 0; i < 6; i++)
    a[i] = va_arg (ap, long);
  va_end (ap);
  if (number == SYS_futex)
    {
      int op = (int) a[1] & FUTEX_CMD_MASK;
      if (op == FUTEX_WAIT || op == FUTEX_WAIT_BITSET || op == FUTEX_LOCK_PI
          || op == FUTEX_WAIT_REQUEUE_PI)
        trap ("syscall(SYS_futex, FUTEX_WAIT)");
    }
  return next_syscall () (number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

int
nanosleep (const struct timespec *t, struct timespec *rem)
{
  trap ("nanosleep");
  return next_nanosleep () (t, rem);
}

int
clock_nanosleep (clockid_t clock, int flags, const struct timespec *t, struct timespec *rem)
{
  trap ("clock_nanosleep");
  return next_clock_nanosleep () (clock, flags, t, rem);
}

int
usleep (useconds_t us)
{
  trap ("usleep");
  return next_usleep () (us);
}

unsigned
sleep (unsigned s)
{
  trap ("sleep");
  return next_sleep () (s);
}

int
poll (struct pollfd *fds, nfds_t n, int timeout)
{
  trap ("poll");
  return next_poll () (fds, n, timeout);
}

int
ppoll (struct pollfd *fds, nfds_t n, const struct timespec *t, const sigset_t *mask)
{
  trap ("ppoll");
  return next_ppoll () (fds, n, t, mask);
}

int
select (int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *t)
{
  trap ("select");
  return next_select () (n, r, w, e, t);
}

int
epoll_wait (int fd, struct epoll_event *ev, int n, int timeout)
{
  trap ("epoll_wait");
  return next_epoll_wait () (fd, ev, n, timeout);
}

int
epoll_pwait (int fd, struct epoll_event *ev, int n, int timeout, const sigset_t *mask)
{
  trap ("epoll_pwait");
  return next_epoll_pwait () (fd, ev, n, timeout, mask);
}

/* Logging. g_log and g_logv are GLib's classic entry points (g_warning
 * and friends without G_LOG_USE_STRUCTURED, g_return_if_fail through
 * g_return_if_fail_warning → g_log); the structured ones end in
 * g_log_structured_array. */

void
g_logv (const char *domain, GLogLevelFlags level, const char *format, va_list args)
{
  trap ("g_logv");
  next_g_logv () (domain, level, format, args);
}

void
g_log (const char *domain, GLogLevelFlags level, const char *format, ...)
{
  va_list ap;
  trap ("g_log");
  va_start (ap, format);
  next_g_logv () (domain, level, format, ap);
  va_end (ap);
}

void
g_return_if_fail_warning (const char *domain, const char *function, const char *expr)
{
  trap ("g_return_if_fail_warning");
  next_g_return_if_fail_warning () (domain, function, expr);
}

void
g_log_structured_array (GLogLevelFlags level, const GLogField *fields, gsize n)
{
  trap ("g_log_structured_array");
  next_g_log_structured_array () (level, fields, n);
}

int
vfprintf (FILE *f, const char *format, va_list args)
{
  trap ("vfprintf");
  return next_vfprintf () (f, format, args);
}

int
vprintf (const char *format, va_list args)
{
  trap ("vprintf");
  return next_vfprintf () (stdout, format, args);
}

int
fprintf (FILE *f, const char *format, ...)
{
  va_list ap;
  trap ("fprintf");
  va_start (ap, format);
  int r = next_vfprintf () (f, format, ap);
  va_end (ap);
  return r;
}

int
printf (const char *format, ...)
{
  va_list ap;
  trap ("printf");
  va_start (ap, format);
  int r = next_vfprintf () (stdout, format, ap);
  va_end (ap);
  return r;
}

int
puts (const char *s)
{
  trap ("puts");
  if (next_fputs () (s, stdout) < 0)
    return EOF;
  return next_fputs () ("\n", stdout);
}

int
fputs (const char *s, FILE *f)
{
  trap ("fputs");
  return next_fputs () (s, f);
}

size_t
fwrite (const void *p, size_t size, size_t n, FILE *f)
{
  trap ("fwrite");
  return next_fwrite () (p, size, n, f);
}
