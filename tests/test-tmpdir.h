/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Removing what a test wrote: its g_dir_make_tmp() folder, the files in it
 * and the folders below (a stems folder). Tests only: it follows no
 * symbolic links out (g_remove on a link removes the link) and stops at
 * nothing it cannot remove, leaving that behind.
 */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

static inline void
test_remove_tree (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  for (const char *name; d != NULL && (name = g_dir_read_name (d)) != NULL;)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        test_remove_tree (path);
      else
        g_remove (path);
    }
  if (d != NULL)
    g_dir_close (d);
  g_rmdir (dir);
}
