/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One live Busker per sound server. Two would each make the sinks
 * "busker.<track id>" under the same names: apps would land on either,
 * and the one that exits would send the other's apps back to the device.
 * So the live node takes this lock before it connects, and a second
 * Busker (a window beside `busker --headless`, or two headless ones) stays
 * offline, says why, and goes live when the first one ends (it tries
 * again with each connection attempt).
 *
 * The lock is flock() on busker-live.<remote>.lock beside PipeWire's
 * socket (PIPEWIRE_RUNTIME_DIR, else XDG_RUNTIME_DIR; the remote from
 * PIPEWIRE_REMOTE, else pipewire-0), holding the owner's process id. The
 * kernel drops it when the process ends, however it ends: no stale lock.
 * Live nodes of one process share it (reference counted). Main thread.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _BuskerLiveLock BuskerLiveLock;

/* The lock, or NULL with one sentence in *error (G_IO_ERROR_BUSY when
 * another process holds it, naming its process id). Without a runtime
 * directory there is nothing to share a daemon with: a lock that guards
 * nothing is returned. */
BuskerLiveLock *busker_live_lock_acquire (GError **error);

void busker_live_lock_release (BuskerLiveLock *lock);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuskerLiveLock, busker_live_lock_release)

G_END_DECLS
