/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A helper thread for the offline renderer: runs a list of independent
 * jobs on two threads (the caller and one worker) and returns when all are
 * done. See busker-worker.c.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef struct _BuskerWorker BuskerWorker;

/* Called for each index in [0, n_jobs), on either thread. */
typedef void (*BuskerWorkerFunc) (uint32_t job, gpointer user_data);

BuskerWorker *busker_worker_new (void);
void busker_worker_free (BuskerWorker *worker);

/* Runs func for every job; returns when the last one has finished. */
void busker_worker_run (BuskerWorker *worker, uint32_t n_jobs,
                        BuskerWorkerFunc func, gpointer user_data);

G_END_DECLS
