/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Writing .busker files (docs/project-format.md).
 *
 * Design decisions:
 * - Only insert parameters that differ from the table's default are
 *   written, except arrays with a ".length" parameter, which are written
 *   whole: a file states what the user changed.
 * - Known keys first, in the order of FORMAT.md, then the unknown keys the
 *   loader kept, so that output is deterministic (undo and round-trip tests
 *   compare it byte for byte).
 * - Saving writes a temporary file in the target's folder, fsyncs it,
 *   hard-links the previous file to NAME.bak and renames the temporary over
 *   the target, so the target is always either the old or the new file.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "busker-json-writer.h"
#include "busker-model-private.h"
#include "dsp/params.h"

static void
add_extra (JsonObject *o, gpointer object)
{
  JsonObject *extra = busker_model_get_extra (object);
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  if (extra == NULL)
    return;
  json_object_iter_init_ordered (&iter, extra);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    if (!json_object_has_member (o, name))
      json_object_set_member (o, name, json_node_copy (member));
}

static void
set_db (JsonObject *o, const char *key, double db)
{
  if (db == -INFINITY)
    json_object_set_null_member (o, key);
  else
    json_object_set_double_member (o, key, db);
}

static JsonNode *
param_node (const BuskerParamSpec *spec, float value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);
  if (spec->kind == BUSKER_PARAM_BOOL)
    json_node_set_boolean (node, value != 0);
  else if (spec->kind == BUSKER_PARAM_CHOICE)
    json_node_set_string (node, spec->choices[(int) value]);
  else
    json_node_set_double (node, busker_json_float_to_double (value));
  return node;
}

/* Puts value at a parameter path, making the objects and arrays on the way
 * (array gaps are filled with empty objects: only EQ and multiband bands
 * are indexed objects; indexed numbers are written whole, see below). */
static void
set_path (JsonObject *root, const char *name, JsonNode *value)
{
  JsonNode *holder = NULL; /* the container being filled */
  JsonObject *obj = root;
  const char *p = name;
  while (TRUE)
    {
      gsize len = busker_param_path_first_segment (p);
      g_autofree char *key = g_strndup (p, len);
      p += len;
      if (*p == '\0')
        {
          json_object_set_member (obj, key, value);
          return;
        }
      if (*p == '.')
        {
          JsonNode *m = json_object_get_member (obj, key);
          if (m == NULL)
            {
              json_object_set_object_member (obj, key, json_object_new ());
              m = json_object_get_member (obj, key);
            }
          obj = json_node_get_object (m);
          p++;
          continue;
        }
      /* '[' */
      guint64 index = g_ascii_strtoull (p + 1, (char **) &p, 10);
      p++;
      holder = json_object_get_member (obj, key);
      if (holder == NULL)
        {
          json_object_set_array_member (obj, key, json_array_new ());
          holder = json_object_get_member (obj, key);
        }
      JsonArray *array = json_node_get_array (holder);
      while (json_array_get_length (array) <= index)
        json_array_add_object_element (array, json_object_new ());
      obj = json_array_get_object_element (array, index);
      if (*p == '.')
        p++;
    }
}

static void
add_nested_extra (JsonObject *o, BuskerInsert *insert)
{
  JsonObject *nested = g_object_get_data (G_OBJECT (insert), BUSKER_MODEL_NESTED_EXTRA);
  JsonObjectIter iter;
  const char *prefix;
  JsonNode *members;
  if (nested == NULL)
    return;
  json_object_iter_init_ordered (&iter, nested);
  while (json_object_iter_next_ordered (&iter, &prefix, &members))
    {
      /* prefix is "name[i]" of a table array; the keys are the file's and
       * may hold any character, so they are set literally. */
      const char *bracket = strrchr (prefix, '[');
      g_autofree char *name = g_strndup (prefix, bracket - prefix);
      guint64 index = g_ascii_strtoull (bracket + 1, NULL, 10);
      JsonNode *holder = json_object_get_member (o, name);
      if (holder == NULL)
        {
          json_object_set_array_member (o, name, json_array_new ());
          holder = json_object_get_member (o, name);
        }
      if (!JSON_NODE_HOLDS_ARRAY (holder))
        continue;
      JsonArray *array = json_node_get_array (holder);
      while (json_array_get_length (array) <= index)
        json_array_add_object_element (array, json_object_new ());
      JsonObject *element = json_array_get_object_element (array, index);
      JsonObjectIter inner;
      const char *key;
      JsonNode *value;
      json_object_iter_init_ordered (&inner, json_node_get_object (members));
      while (json_object_iter_next_ordered (&inner, &key, &value))
        if (!json_object_has_member (element, key))
          json_object_set_member (element, key, json_node_copy (value));
    }
}

static JsonNode *
insert_to_json (BuskerInsert *insert)
{
  JsonObject *o = json_object_new ();
  guint n;
  const BuskerParamSpec *params = busker_insert_get_params (insert, &n);
  json_object_set_string_member (o, "type", busker_insert_get_effect_type (insert));
  json_object_set_boolean_member (o, "bypass", busker_insert_get_bypass (insert));
  json_object_set_boolean_member (o, "post_fader", busker_insert_get_post_fader (insert));
  for (guint i = 0; i < n; i++)
    {
      const char *name = params[i].name;
      float value = busker_insert_get_value (insert, i);
      gsize seg = busker_param_path_first_segment (name);
      if (g_str_has_suffix (name, ".length"))
        {
          /* An array whose length is a parameter: written whole. */
          g_autofree char *base = g_strndup (name, seg);
          JsonArray *array = json_array_new ();
          for (int k = 0; k < (int) value; k++)
            {
              g_autofree char *element = g_strdup_printf ("%s[%d]", base, k);
              int e = busker_insert_find_param (insert, element);
              if (e >= 0)
                json_array_add_element (array, param_node (&params[e],
                                                           busker_insert_get_value (insert, e)));
            }
          json_object_set_array_member (o, base, array);
          continue;
        }
      if (name[seg] == '[')
        {
          g_autofree char *length = g_strdup_printf ("%.*s.length", (int) seg, name);
          if (busker_insert_find_param (insert, length) >= 0)
            continue; /* written with its length */
        }
      if (value != params[i].def)
        set_path (o, name, param_node (&params[i], value));
    }
  add_nested_extra (o, insert);
  add_extra (o, insert);
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, o);
  return node;
}

static JsonNode *
send_to_json (BuskerSend *send)
{
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "to", busker_send_get_to (send));
  set_db (o, "level_db", busker_send_get_level_db (send));
  json_object_set_double_member (o, "pan", busker_send_get_pan (send));
  json_object_set_boolean_member (o, "pre_fader", busker_send_get_pre_fader (send));
  json_object_set_boolean_member (o, "mute", busker_send_get_mute (send));
  add_extra (o, send);
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, o);
  return node;
}

static JsonObject *
source_to_json (BuskerSource *source)
{
  JsonObject *o = json_object_new ();
  BuskerSourceKind kind = busker_source_get_kind (source);
  json_object_set_string_member (o, "type", busker_source_kind_to_string (kind));
  if (kind == BUSKER_SOURCE_FILE)
    {
      json_object_set_string_member (o, "path", busker_source_get_path (source)
                                                    ? busker_source_get_path (source) : "");
      json_object_set_double_member (o, "offset_s", busker_source_get_offset_s (source));
    }
  else if (kind == BUSKER_SOURCE_CAPTURE)
    json_object_set_string_member (o, "node", busker_source_get_node (source)
                                                  ? busker_source_get_node (source) : "");
  else if (kind == BUSKER_SOURCE_LIVE && busker_source_get_apps (source)[0] != NULL)
    {
      JsonArray *apps = json_array_new ();
      for (const char *const *a = busker_source_get_apps (source); *a != NULL; a++)
        json_array_add_string_element (apps, *a);
      json_object_set_array_member (o, "apps", apps);
    }
  add_extra (o, source);
  return o;
}

static JsonNode *
strip_to_json (BuskerStrip *strip)
{
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "id", busker_strip_get_id (strip));
  json_object_set_string_member (o, "kind",
                                 busker_strip_kind_to_string (busker_strip_get_kind (strip)));
  g_autofree char *name = NULL;
  g_object_get (strip, "name", &name, NULL);
  if (name)
    json_object_set_string_member (o, "name", name);
  if (busker_strip_get_color (strip))
    json_object_set_string_member (o, "color", busker_strip_get_color (strip));
  if (busker_strip_get_source (strip))
    json_object_set_object_member (o, "source", source_to_json (busker_strip_get_source (strip)));
  json_object_set_double_member (o, "trim_db", busker_strip_get_trim_db (strip));
  json_object_set_boolean_member (o, "polarity_invert", busker_strip_get_polarity_invert (strip));
  set_db (o, "gain_db", busker_strip_get_gain_db (strip));
  json_object_set_double_member (o, "pan", busker_strip_get_pan (strip));
  json_object_set_boolean_member (o, "mute", busker_strip_get_mute (strip));
  json_object_set_boolean_member (o, "solo", busker_strip_get_solo (strip));
  if (busker_strip_get_output (strip))
    json_object_set_string_member (o, "output", busker_strip_get_output (strip));

  JsonArray *inserts = json_array_new ();
  GListModel *list = busker_strip_get_inserts (strip);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (BuskerInsert) insert = g_list_model_get_item (list, i);
      json_array_add_element (inserts, insert_to_json (insert));
    }
  json_object_set_array_member (o, "inserts", inserts);

  JsonArray *sends = json_array_new ();
  list = busker_strip_get_sends (strip);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (BuskerSend) send = g_list_model_get_item (list, i);
      json_array_add_element (sends, send_to_json (send));
    }
  json_object_set_array_member (o, "sends", sends);
  add_extra (o, strip);
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, o);
  return node;
}

char *
busker_project_to_data (BuskerProject *project, gsize *length)
{
  g_return_val_if_fail (BUSKER_IS_PROJECT (project), NULL);
  JsonObject *o = json_object_new ();
  json_object_set_int_member (o, "format", BUSKER_PROJECT_FORMAT);
  if (busker_project_get_name (project))
    json_object_set_string_member (o, "name", busker_project_get_name (project));
  json_object_set_double_member (o, "sample_rate", busker_project_get_sample_rate (project));
  json_object_set_double_member (o, "tempo_bpm", busker_project_get_tempo_bpm (project));
  JsonArray *strips = json_array_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (project));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BuskerStrip) strip = g_list_model_get_item (G_LIST_MODEL (project), i);
      json_array_add_element (strips, strip_to_json (strip));
    }
  json_object_set_array_member (o, "strips", strips);
  add_extra (o, project);
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (root, o);
  return busker_json_write (root, length);
}

static gboolean
set_errno_error (GError **error, int saved_errno, const char *what,
                 const char *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "Could not save %s: %s %s", path, what, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
write_all (int fd, const char *data, gsize length)
{
  while (length > 0)
    {
      ssize_t w = write (fd, data, length);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        return FALSE;
      data += w;
      length -= (gsize) w;
    }
  return TRUE;
}

gboolean
busker_project_save (BuskerProject *project, GFile *file, GError **error)
{
  g_return_val_if_fail (BUSKER_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  g_autofree char *path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "Could not save %s: only local files can be saved", uri);
      return FALSE;
    }
  gsize length;
  g_autofree char *data = busker_project_to_data (project, &length);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmp_name = g_strdup_printf (".%s.XXXXXX", base);
  g_autofree char *tmp = g_build_filename (dir, tmp_name, NULL);

  int fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0)
    return set_errno_error (error, errno, "cannot create a file in its folder:", path);
  struct stat st;
  fchmod (fd, stat (path, &st) == 0 ? (st.st_mode & 07777) : 0644);
  if (!write_all (fd, data, length) || fsync (fd) != 0)
    {
      int e = errno;
      close (fd);
      g_unlink (tmp);
      return set_errno_error (error, e, "writing failed:", path);
    }
  if (close (fd) != 0)
    {
      int e = errno;
      g_unlink (tmp);
      return set_errno_error (error, e, "writing failed:", path);
    }

  /* Keep the previous version; a hard link leaves the target in place. */
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *bak = g_strconcat (path, ".bak", NULL);
      g_unlink (bak);
      if (link (path, bak) != 0)
        {
          g_autoptr (GFile) bak_file = g_file_new_for_path (bak);
          if (!g_file_copy (file, bak_file, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, NULL))
            g_debug ("%s: no backup kept", path);
        }
    }
  if (g_rename (tmp, path) != 0)
    {
      int e = errno;
      g_unlink (tmp);
      return set_errno_error (error, e, "cannot replace the file:", path);
    }
  int dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0)
    {
      fsync (dfd);
      close (dfd);
    }
  _busker_project_set_file (project, file);
  return TRUE;
}
