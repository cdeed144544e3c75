/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Two-thread fork/join for the renderer's levels.
 *
 * - Jobs are taken with an atomic counter, so the faster thread simply
 *   takes more of them (file decoding and effect chains vary in cost).
 * - A round starts when the caller bumps `round` and ends when the worker
 *   reports the same number in `finished`. Both sides spin briefly (a
 *   round is a fraction of a millisecond) and then sleep on a futex, so a
 *   machine shared with other work does not lose a core to spinning.
 */
#include "busker-worker.h"

#include <linux/futex.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "dsp/dsp-util.h"

#define SPIN_TRIES 2000

struct _BuskerWorker {
  GThread *thread;
  _Atomic int round;     /* caller -> worker: a new round (or stop) */
  _Atomic int finished;  /* worker -> caller: the round it completed */
  _Atomic int stop;
  _Atomic uint32_t next; /* next job to take */
  uint32_t n_jobs;
  BuskerWorkerFunc func;
  gpointer user_data;
};

static void
futex_wait (_Atomic int *addr, int value)
{
  syscall (SYS_futex, (int *) addr, FUTEX_WAIT_PRIVATE, value, NULL, NULL, 0);
}

static void
futex_wake (_Atomic int *addr)
{
  syscall (SYS_futex, (int *) addr, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* Waits until *addr differs from value. */
static void
wait_change (_Atomic int *addr, int value)
{
  for (int i = 0; i < SPIN_TRIES; i++)
    if (atomic_load_explicit (addr, memory_order_acquire) != value)
      return;
  while (atomic_load_explicit (addr, memory_order_acquire) == value)
    futex_wait (addr, value);
}

static void
take_jobs (BuskerWorker *w)
{
  uint32_t job;
  while ((job = atomic_fetch_add_explicit (&w->next, 1, memory_order_relaxed)) < w->n_jobs)
    w->func (job, w->user_data);
}

static gpointer
worker_main (gpointer data)
{
  BuskerWorker *w = data;
  int seen = 0;

  busker_dsp_enable_ftz ();
  for (;;)
    {
      wait_change (&w->round, seen);
      seen = atomic_load_explicit (&w->round, memory_order_acquire);
      if (atomic_load_explicit (&w->stop, memory_order_acquire))
        return NULL;
      take_jobs (w);
      atomic_store_explicit (&w->finished, seen, memory_order_release);
      futex_wake (&w->finished);
    }
}

BuskerWorker *
busker_worker_new (void)
{
  BuskerWorker *w = g_new0 (BuskerWorker, 1);
  w->thread = g_thread_new ("busker-render", worker_main, w);
  return w;
}

void
busker_worker_free (BuskerWorker *w)
{
  if (w == NULL)
    return;
  atomic_store_explicit (&w->stop, 1, memory_order_release);
  atomic_fetch_add_explicit (&w->round, 1, memory_order_acq_rel);
  futex_wake (&w->round);
  g_thread_join (w->thread);
  g_free (w);
}

void
busker_worker_run (BuskerWorker *w, uint32_t n_jobs, BuskerWorkerFunc func,
                   gpointer user_data)
{
  w->n_jobs = n_jobs;
  w->func = func;
  w->user_data = user_data;
  atomic_store_explicit (&w->next, 0, memory_order_relaxed);
  /* Release: the worker that sees the new round sees the job fields. */
  int round = atomic_fetch_add_explicit (&w->round, 1, memory_order_acq_rel) + 1;
  futex_wake (&w->round);

  take_jobs (w);

  int done;
  while ((done = atomic_load_explicit (&w->finished, memory_order_acquire)) != round)
    wait_change (&w->finished, done);
}
