/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Autosave to a recovery file; busker-recovery.h has the rules. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "busker-recovery.h"

#define RECOVERY_SUFFIX ".recovery"
#define DEFAULT_INTERVAL_S 60

struct _BuskerRecovery
{
  BuskerProject *project;
  BuskerRecoveryModifiedFunc modified;
  BuskerRecoveryErrorFunc on_error;
  gpointer user_data;
  guint timer;
  GFile *untitled_file;   /* made up once for a project without a file */
  GFile *written;         /* where the last autosave went, NULL if none */
  char *written_text;     /* what it holds, to skip identical writes */
  gboolean failing;       /* report a failure once, not every interval */
};

guint
busker_recovery_interval_s (void)
{
  const char *env = g_getenv ("BUSKER_AUTOSAVE_SECONDS");
  guint64 seconds = 0;

  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 1, 24 * 3600, &seconds, NULL))
    return (guint) seconds;
  return DEFAULT_INTERVAL_S;
}

GFile *
busker_recovery_file_for (GFile *project_file)
{
  g_autoptr (GFile) folder = g_file_get_parent (project_file);
  g_autofree char *base = g_file_get_basename (project_file);
  g_autofree char *name = g_strconcat (".", base, RECOVERY_SUFFIX, NULL);

  return g_file_get_child (folder, name);
}

static char *
untitled_folder (void)
{
  return g_build_filename (g_get_user_state_dir (), "busker", NULL);
}

static gint64
mtime_us (GFile *file)
{
  g_autoptr (GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                                                  G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                                                  G_FILE_QUERY_INFO_NONE, NULL, NULL);
  g_autoptr (GDateTime) time = info ? g_file_info_get_modification_date_time (info) : NULL;

  return time != NULL ? g_date_time_to_unix (time) * G_USEC_PER_SEC
                        + g_date_time_get_microsecond (time)
                      : G_MININT64;
}

GFile *
busker_recovery_find (GFile *project_file)
{
  g_autoptr (GFile) recovery = busker_recovery_file_for (project_file);
  gint64 when = mtime_us (recovery);

  if (when == G_MININT64 || when < mtime_us (project_file))
    return NULL;
  return g_steal_pointer (&recovery);
}

GFile *
busker_recovery_find_untitled (void)
{
  g_autofree char *folder = untitled_folder ();
  g_autoptr (GDir) dir = g_dir_open (folder, 0, NULL);
  g_autoptr (GFile) newest = NULL;
  gint64 newest_us = G_MININT64;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr (GFile) file = NULL;
      gint64 when;

      if (!g_str_has_prefix (name, "untitled-") || !g_str_has_suffix (name, RECOVERY_SUFFIX))
        continue;
      path = g_build_filename (folder, name, NULL);
      file = g_file_new_for_path (path);
      when = mtime_us (file);
      if (when > newest_us)
        {
          newest_us = when;
          g_set_object (&newest, file);
        }
    }
  return g_steal_pointer (&newest);
}

GFile *
busker_recovery_get_file (BuskerRecovery *self)
{
  GFile *project_file = busker_project_get_file (self->project);
  static guint counter;

  if (project_file != NULL)
    return busker_recovery_file_for (project_file);
  if (self->untitled_file == NULL)
    {
      g_autofree char *folder = untitled_folder ();
      g_autofree char *name = g_strdup_printf ("untitled-%d-%u.busker" RECOVERY_SUFFIX,
                                               (int) getpid (), ++counter);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      self->untitled_file = g_file_new_for_path (path);
    }
  return g_object_ref (self->untitled_file);
}

static void
forget_written (BuskerRecovery *self, gboolean delete_file)
{
  if (self->written != NULL && delete_file)
    g_file_delete (self->written, NULL, NULL);
  g_clear_object (&self->written);
  g_clear_pointer (&self->written_text, g_free);
}

gboolean
busker_recovery_write_now (BuskerRecovery *self, GError **error)
{
  g_autoptr (GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GError) local_error = NULL;
  gsize length;

  if (!self->modified (self->user_data))
    return TRUE;
  file = busker_recovery_get_file (self);
  text = busker_project_to_data (self->project, &length);
  if (self->written != NULL && g_file_equal (file, self->written)
      && g_strcmp0 (text, self->written_text) == 0)
    return TRUE;

  path = g_file_get_path (file);
  if (busker_project_get_file (self->project) == NULL)
    {
      g_autofree char *folder = untitled_folder ();
      g_mkdir_with_parents (folder, 0700);
    }
  if (!g_file_set_contents_full (path, text, (gssize) length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      /* GLib's message names the file already. */
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not autosave: %s"), local_error->message);
      return FALSE;
    }
  /* Saved elsewhere since the last autosave: the old one is stale. */
  if (self->written != NULL && !g_file_equal (file, self->written))
    forget_written (self, TRUE);
  g_set_object (&self->written, file);
  g_free (self->written_text);
  self->written_text = g_steal_pointer (&text);
  return TRUE;
}

static gboolean
on_timer (gpointer user_data)
{
  BuskerRecovery *self = user_data;
  g_autoptr (GError) error = NULL;

  if (busker_recovery_write_now (self, &error))
    self->failing = FALSE;
  else if (!self->failing)
    {
      self->failing = TRUE;
      if (self->on_error != NULL)
        self->on_error (error->message, self->user_data);
    }
  return G_SOURCE_CONTINUE;
}

BuskerRecovery *
busker_recovery_new (BuskerProject *project, BuskerRecoveryModifiedFunc modified,
                     BuskerRecoveryErrorFunc on_error, gpointer user_data)
{
  BuskerRecovery *self = g_new0 (BuskerRecovery, 1);

  self->project = g_object_ref (project);
  self->modified = modified;
  self->on_error = on_error;
  self->user_data = user_data;
  self->timer = g_timeout_add_seconds (busker_recovery_interval_s (), on_timer, self);
  return self;
}

void
busker_recovery_discard (BuskerRecovery *self)
{
  g_autoptr (GFile) file = busker_recovery_get_file (self);

  forget_written (self, TRUE);
  g_file_delete (file, NULL, NULL);
}

void
busker_recovery_free (BuskerRecovery *self)
{
  g_clear_handle_id (&self->timer, g_source_remove);
  forget_written (self, FALSE);
  g_clear_object (&self->untitled_file);
  g_clear_object (&self->project);
  g_free (self);
}
