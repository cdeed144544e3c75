/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "busker-live-lock.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

struct _BuskerLiveLock {
  int fd; /* -1: nothing to lock */
  unsigned refs;
};

static BuskerLiveLock *held; /* this process's, while any session holds it */

static char *
lock_path (void)
{
  const char *dir = g_getenv ("PIPEWIRE_RUNTIME_DIR");
  if (dir == NULL || *dir == '\0')
    dir = g_getenv ("XDG_RUNTIME_DIR");
  if (dir == NULL || *dir == '\0')
    return NULL;
  const char *remote = g_getenv ("PIPEWIRE_REMOTE");
  g_autofree char *name = g_strdup_printf ("busker-live.%s.lock",
                                           remote != NULL && *remote != '\0' ? remote
                                                                              : "pipewire-0");
  g_strdelimit (name + strlen ("busker-live."), "/", '_'); /* a path as the remote */
  return g_build_filename (dir, name, NULL);
}

BuskerLiveLock *
busker_live_lock_acquire (GError **error)
{
  if (held != NULL)
    {
      held->refs++;
      return held;
    }
  g_autofree char *path = lock_path ();
  int fd = -1;
  if (path != NULL)
    {
      fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
      if (fd < 0)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                       _("%s: cannot make the lock that keeps two Buskers apart: %s"), path,
                       g_strerror (errno));
          return NULL;
        }
      if (flock (fd, LOCK_EX | LOCK_NB) < 0)
        {
          char pid[32] = "";
          ssize_t got = pread (fd, pid, sizeof pid - 1, 0);
          pid[got > 0 ? got : 0] = '\0';
          close (fd);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                       _("another Busker (process %s) is already live on this sound server, "
                         "and two would fight over the same sinks"),
                       *g_strstrip (pid) != '\0' ? pid : "?");
          return NULL;
        }
      g_autofree char *text = g_strdup_printf ("%d\n", (int) getpid ());
      /* Only for the other side's message, which says "?" without it. */
      if (ftruncate (fd, 0) < 0 || pwrite (fd, text, strlen (text), 0) < 0)
        g_debug ("%s: %s", path, g_strerror (errno));
    }
  held = g_new0 (BuskerLiveLock, 1);
  held->fd = fd;
  held->refs = 1;
  return held;
}

void
busker_live_lock_release (BuskerLiveLock *lock)
{
  if (lock == NULL)
    return;
  g_assert (lock == held);
  if (--lock->refs > 0)
    return;
  if (lock->fd >= 0)
    close (lock->fd); /* drops the flock; the file stays for the next one */
  g_free (lock);
  held = NULL;
}
