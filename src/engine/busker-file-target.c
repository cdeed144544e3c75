/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Temporary-and-rename output files (busker-file-target.h). The temporary
 * sits beside the target, not in $TMPDIR, so the final rename stays on one
 * file system and is atomic.
 */
#include "busker-file-target.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

int
busker_file_target_open (const char *target, char **temp)
{
  struct stat st;
  gboolean exists = g_stat (target, &st) == 0;

  *temp = NULL;
  if (exists && !S_ISREG (st.st_mode))
    return g_open (target, O_WRONLY | O_CLOEXEC, 0);

  g_autofree char *dir = g_path_get_dirname (target);
  g_autofree char *base = g_path_get_basename (target);
  g_autofree char *name = g_strdup_printf (".%s.XXXXXX", base);
  char *path = g_build_filename (dir, name, NULL);
  int fd = g_mkstemp_full (path, O_RDWR | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      int saved = errno;
      g_free (path);
      errno = saved;
      return -1;
    }
  /* A new file gets 0666 less the umask from g_mkstemp_full's open(),
   * like any new file. A replaced file keeps its mode, and its owner and
   * group where we may set them (as cp does when it overwrites); where we
   * may not, the file becomes the writer's. */
  if (exists)
    {
      fchmod (fd, st.st_mode & 07777);
      if (fchown (fd, st.st_uid, st.st_gid) != 0)
        errno = 0;
    }
  *temp = path;
  return fd;
}

gboolean
busker_file_target_commit (const char *temp, const char *target)
{
  return g_rename (temp, target) == 0;
}
