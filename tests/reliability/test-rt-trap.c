/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The real-time trap traps: every interposed call made while the thread
 * is marked is counted under its own name, nothing is counted unmarked or
 * on another thread, and rt_trap_leave fails a test that made one (run in
 * a subprocess, its message checked).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <glib.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "rt-trap.h"

static void *volatile sink;
static const char *volatile empty = "";

static void
expect (const char *symbol, unsigned n, const char *first)
{
  if (n == 0)
    g_error ("%s was not trapped", symbol);
  g_assert_cmpstr (first, ==, symbol);
}

#define CHECK(symbol, call)                                                    \
  do                                                                           \
    {                                                                          \
      const char *first = NULL;                                                \
      rt_trap_enter ();                                                        \
      call;                                                                    \
      unsigned n = rt_trap_leave_quiet (&first);                               \
      expect (symbol, n, first);                                               \
    }                                                                          \
  while (0)

static void
test_each_symbol (void)
{
  static pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
  static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
  static GMutex gm;
  static GRecMutex grm;
  static GRWLock rw;
  static int futex_word = 1;
  int fds[2];
  char byte = 'x';
  struct timespec zero = { 0, 0 }, past;
  int ep = epoll_create1 (0);
  struct epoll_event ev;

  g_assert_cmpint (pipe (fds), ==, 0);
  clock_gettime (CLOCK_REALTIME, &past);

  CHECK ("malloc", sink = malloc (16));
  free (sink);
  sink = malloc (16);
  CHECK ("free", free (sink));
  CHECK ("calloc", sink = calloc (4, 4));
  CHECK ("realloc", sink = realloc (sink, 64));
  free (sink);
  CHECK ("malloc", sink = g_malloc (16)); /* GLib's allocator is libc's */
  g_free (sink);
  CHECK ("posix_memalign", (void) !posix_memalign ((void **) &sink, 64, 64));
  free (sink);
  CHECK ("aligned_alloc", sink = aligned_alloc (64, 64));
  free (sink);

  CHECK ("pthread_mutex_lock", pthread_mutex_lock (&pm));
  pthread_mutex_unlock (&pm);
  CHECK ("g_mutex_lock", g_mutex_lock (&gm));
  g_mutex_unlock (&gm);
  CHECK ("g_rec_mutex_lock", g_rec_mutex_lock (&grm));
  g_rec_mutex_unlock (&grm);
  CHECK ("g_rw_lock_reader_lock", g_rw_lock_reader_lock (&rw));
  g_rw_lock_reader_unlock (&rw);
  CHECK ("g_rw_lock_writer_lock", g_rw_lock_writer_lock (&rw));
  g_rw_lock_writer_unlock (&rw);
  pthread_mutex_lock (&pm);
  CHECK ("pthread_cond_timedwait", pthread_cond_timedwait (&cond, &pm, &past));
  pthread_mutex_unlock (&pm);

  CHECK ("write", (void) !write (fds[1], &byte, 1));
  CHECK ("read", (void) !read (fds[0], &byte, 1));
  CHECK ("open", close (open ("/dev/null", O_RDONLY)));
  CHECK ("openat", close (openat (AT_FDCWD, "/dev/null", O_RDONLY)));
  /* The word is not 0, so FUTEX_WAIT returns EAGAIN at once. */
  CHECK ("syscall(SYS_futex, FUTEX_WAIT)",
         syscall (SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
  CHECK ("nanosleep", nanosleep (&zero, NULL));
  CHECK ("clock_nanosleep", clock_nanosleep (CLOCK_MONOTONIC, 0, &zero, NULL));
  CHECK ("usleep", usleep (0));
  CHECK ("poll", poll (NULL, 0, 0));
  CHECK ("ppoll", ppoll (NULL, 0, &zero, NULL));
  CHECK ("epoll_wait", epoll_wait (ep, &ev, 1, 0));

  CHECK ("g_log", g_log ("rt-trap", G_LOG_LEVEL_DEBUG, "%s", empty));
  CHECK ("printf", printf ("%.0d", 0));
  CHECK ("fprintf", fprintf (stderr, "%.0d", 0));
  CHECK ("fputs", fputs (empty, stderr));
  CHECK ("fwrite", fwrite (empty, 1, 0, stderr));

  /* A futex wake never blocks and is not trapped. */
  {
    const char *first = NULL;
    rt_trap_enter ();
    syscall (SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    g_assert_cmpuint (rt_trap_leave_quiet (&first), ==, 0);
  }
  close (fds[0]);
  close (fds[1]);
  close (ep);
}

static void
test_unmarked_and_nesting (void)
{
  const char *first = NULL;

  /* Unmarked: nothing counted. */
  rt_trap_enter ();
  g_assert_cmpuint (rt_trap_leave_quiet (&first), ==, 0);
  sink = malloc (8);
  free (sink);
  g_assert_false (rt_trap_marked ());

  /* Nested: the count belongs to the outermost pair. */
  rt_trap_enter ();
  rt_trap_enter ();
  sink = malloc (8);
  g_assert_cmpuint (rt_trap_leave_quiet (&first), ==, 0);
  g_assert_true (rt_trap_marked ());
  free (sink);
  g_assert_cmpuint (rt_trap_leave_quiet (&first), ==, 2);
  g_assert_cmpstr (first, ==, "malloc");
}

static gpointer
allocate_a_lot (gpointer data)
{
  for (int i = 0; i < 1000; i++)
    g_free (g_strdup_printf ("%d", i));
  return NULL;
}

static gpointer
allocate_marked (gpointer data)
{
  const char *first = NULL;
  rt_trap_enter ();
  sink = malloc (4);
  unsigned n = rt_trap_leave_quiet (&first);
  free (sink);
  return GUINT_TO_POINTER (n == 1 && g_strcmp0 (first, "malloc") == 0);
}

/* The marker is per thread: another thread allocating while this one is
 * marked is not this thread's fault. */
static void
test_thread_local (void)
{
  GThread *t = g_thread_new ("other", allocate_a_lot, NULL);
  const char *first = NULL;
  /* g_thread_join waits on a futex and frees: join before marking. */
  g_thread_join (t);
  rt_trap_enter ();
  g_assert_cmpuint (rt_trap_leave_quiet (&first), ==, 0);

  /* A thread that marks itself is trapped on its own. */
  GThread *marked = g_thread_new ("marked", allocate_marked, NULL);
  g_assert_true (GPOINTER_TO_UINT (g_thread_join (marked)));
}

static void
test_leave_fails (void)
{
  if (g_test_subprocess ())
    {
      rt_trap_enter ();
      sink = malloc (8);
      rt_trap_leave ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*real-time trap: malloc() called on the audio side (1 trapped call)*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rt-trap/each-symbol", test_each_symbol);
  g_test_add_func ("/rt-trap/unmarked-and-nesting", test_unmarked_and_nesting);
  g_test_add_func ("/rt-trap/thread-local", test_thread_local);
  g_test_add_func ("/rt-trap/leave-fails", test_leave_fails);
  return g_test_run ();
}
