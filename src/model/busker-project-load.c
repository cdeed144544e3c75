/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reading .busker files (docs/project-format.md).
 *
 * Design decisions:
 * - Nothing the file says is trusted: the size is checked before reading,
 *   nesting depth and UTF-8 before parsing, every value's type and range
 *   while reading, routing (targets, kinds, loops) once every strip is
 *   known. An error names the file and the key path
 *   ("strips[3].inserts[0].ratio: expected a number"); a value out of range
 *   is clamped and reported in busker_project_get_load_warnings (not
 *   logged: tests run with fatal warnings and the GUI shows them).
 * - Insert parameters come from the effect's table in src/dsp/params.c;
 *   its names are JSON paths below the insert ("bands[2].freq_hz"), and
 *   "X.length" is the length of array X.
 * - Unknown keys of the project, strips, sources, inserts and sends are
 *   kept as JSON (model qdata) and written back by busker-project-save.c;
 *   so are unknown keys of an insert's indexed objects (an EQ band). Array
 *   entries past the table's last index (a ninth EQ band) are not kept.
 * - Strips are built outside the project and handed over in one splice,
 *   so loading records no undo steps.
 */
#include <math.h>
#include <string.h>

#include "busker-model-private.h"
#include "dsp/params.h"

typedef struct {
  BuskerProject *project;
  char *label;   /* the file, for messages */
  GString *path; /* the key path being read */
  GError **error;
} Loader;

static const char *const project_keys[] = {
  "format", "name", "sample_rate", "tempo_bpm", "strips", NULL
};
static const char *const strip_keys[] = {
  "id", "kind", "name", "color", "source", "trim_db", "polarity_invert",
  "gain_db", "pan", "mute", "solo", "output", "inserts", "sends", NULL
};
static const char *const source_keys[] = {
  "type", "path", "offset_s", "node", "apps", NULL
};
static const char *const send_keys[] = {
  "to", "level_db", "pan", "pre_fader", "mute", NULL
};

/* ---- messages and key paths ---- */

static char *
full_path (Loader *l, const char *key)
{
  if (key == NULL)
    return g_strdup (l->path->len ? l->path->str : "(top level)");
  if (l->path->len == 0)
    return g_strdup (key);
  return g_strconcat (l->path->str, ".", key, NULL);
}

G_GNUC_PRINTF (4, 5) static gboolean
fail_code (Loader *l, int code, const char *key, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_autofree char *where = full_path (l, key);
  g_set_error (l->error, BUSKER_PROJECT_ERROR, code, "%s: %s: %s", l->label,
               where, msg);
  return FALSE;
}

#define fail(l, key, ...) fail_code (l, BUSKER_PROJECT_ERROR_INVALID, key, __VA_ARGS__)

G_GNUC_PRINTF (3, 4) static void
warn (Loader *l, const char *key, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_autofree char *where = full_path (l, key);
  _busker_project_add_warning (l->project, g_strdup_printf ("%s: %s", where, msg));
}

static gsize
push_key (Loader *l, const char *key)
{
  gsize len = l->path->len;
  if (len)
    g_string_append_c (l->path, '.');
  g_string_append (l->path, key);
  return len;
}

static gsize
push_index (Loader *l, const char *key, guint i)
{
  gsize len = push_key (l, key);
  g_string_append_printf (l->path, "[%u]", i);
  return len;
}

static void
pop (Loader *l, gsize len)
{
  g_string_truncate (l->path, len);
}

/* ---- typed members ---- */

static gboolean
node_is_number (JsonNode *node)
{
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  GType t = json_node_get_value_type (node);
  return t == G_TYPE_INT64 || t == G_TYPE_DOUBLE;
}

/* Absent keeps *out. null reads as -inf where allow_null. */
static gboolean
read_number (Loader *l, JsonObject *o, const char *key, double *out,
             gboolean allow_null)
{
  JsonNode *node = json_object_get_member (o, key);
  if (node == NULL)
    return TRUE;
  if (allow_null && JSON_NODE_HOLDS_NULL (node))
    {
      *out = -INFINITY;
      return TRUE;
    }
  if (!node_is_number (node))
    return fail (l, key, "expected a number");
  double v = json_node_get_double (node);
  if (!isfinite (v))
    return fail (l, key, "not a finite number");
  *out = v;
  return TRUE;
}

static gboolean
read_clamped (Loader *l, JsonObject *o, const char *key, double *out,
              double min, double max, gboolean allow_null)
{
  if (!read_number (l, o, key, out, allow_null))
    return FALSE;
  if (*out == -INFINITY)
    return TRUE;
  if (*out < min || *out > max)
    {
      double v = CLAMP (*out, min, max);
      warn (l, key, "%g is outside %g … %g; using %g", *out, min, max, v);
      *out = v;
    }
  return TRUE;
}

static gboolean
read_bool (Loader *l, JsonObject *o, const char *key, gboolean *out)
{
  JsonNode *node = json_object_get_member (o, key);
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail (l, key, "expected true or false");
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* Absent leaves *out NULL unless required. */
static gboolean
read_string (Loader *l, JsonObject *o, const char *key, gboolean required,
             const char **out)
{
  JsonNode *node = json_object_get_member (o, key);
  *out = NULL;
  if (node == NULL)
    return required ? fail (l, key, "missing") : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (l, key, "expected a string");
  const char *s = json_node_get_string (node);
  if (strlen (s) > BUSKER_PROJECT_MAX_STRING)
    return fail (l, key, "longer than %d bytes", BUSKER_PROJECT_MAX_STRING);
  *out = s;
  return TRUE;
}

static gboolean
read_array (Loader *l, JsonObject *o, const char *key, guint max,
            JsonArray **out)
{
  JsonNode *node = json_object_get_member (o, key);
  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (l, key, "expected an array");
  *out = json_node_get_array (node);
  if (json_array_get_length (*out) > max)
    return fail (l, key, "%u entries; the limit is %u",
                 json_array_get_length (*out), max);
  return TRUE;
}

static JsonObject *
element_object (Loader *l, JsonArray *array, guint i)
{
  JsonNode *node = json_array_get_element (array, i);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (l, NULL, "expected an object");
      return NULL;
    }
  return json_node_get_object (node);
}

typedef gboolean (*KnownFunc) (const char *name, gconstpointer data);

static gboolean
in_strv (const char *name, gconstpointer data)
{
  return g_strv_contains (data, name);
}

/* Members the format does not know, kept for the round trip. */
static void
keep_extra (gpointer object, JsonObject *o, KnownFunc known, gconstpointer data)
{
  g_autoptr (JsonObject) extra = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  json_object_iter_init_ordered (&iter, o);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      if (known (name, data))
        continue;
      if (extra == NULL)
        extra = json_object_new ();
      json_object_set_member (extra, name, json_node_copy (member));
    }
  busker_model_set_extra (object, extra);
}

/* ---- inserts ---- */


static gboolean
insert_key_known (const char *name, gconstpointer data)
{
  BuskerInsert *insert = (BuskerInsert *) data;
  guint n;
  const BuskerParamSpec *params = busker_insert_get_params (insert, &n);
  if (g_str_equal (name, "type") || g_str_equal (name, "bypass")
      || g_str_equal (name, "post_fader"))
    return TRUE;
  for (guint i = 0; i < n; i++)
    {
      gsize len = busker_param_path_first_segment (params[i].name);
      if (strlen (name) == len && strncmp (name, params[i].name, len) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Walks a parameter name below the insert object. *out is NULL when the
 * file does not set it; for "X.length" *length is X's length. */
static gboolean
lookup_param (Loader *l, JsonNode *node, const char *name, JsonNode **out,
              gint64 *length)
{
  const char *p = name;
  *out = NULL;
  *length = -1;
  while (*p)
    {
      if (*p == '.')
        p++;
      if (*p == '[')
        {
          guint64 index = g_ascii_strtoull (p + 1, (char **) &p, 10);
          p++; /* ']' */
          if (!JSON_NODE_HOLDS_ARRAY (node))
            return fail (l, NULL, "expected an array");
          JsonArray *array = json_node_get_array (node);
          if (index >= json_array_get_length (array))
            return TRUE;
          node = json_array_get_element (array, index);
          g_string_append_printf (l->path, "[%u]", (guint) index);
          continue;
        }
      gsize len = busker_param_path_first_segment (p);
      g_autofree char *key = g_strndup (p, len);
      p += len;
      if (*p == '\0' && g_str_equal (key, "length") && JSON_NODE_HOLDS_ARRAY (node))
        {
          *length = json_array_get_length (json_node_get_array (node));
          return TRUE;
        }
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail (l, NULL, "expected an object");
      node = json_object_get_member (json_node_get_object (node), key);
      if (node == NULL)
        return TRUE;
      push_key (l, key);
    }
  *out = node;
  return TRUE;
}

static gboolean
read_param (Loader *l, JsonNode *insert_node, const BuskerParamSpec *spec,
            gboolean *present, float *value)
{
  JsonNode *node;
  gint64 length;
  gsize saved = l->path->len;
  gboolean ok = lookup_param (l, insert_node, spec->name, &node, &length);
  pop (l, saved);
  if (!ok)
    return FALSE;

  double v;
  *present = TRUE;
  if (length >= 0)
    v = length;
  else if (node == NULL)
    {
      *present = FALSE;
      return TRUE;
    }
  else if (spec->kind == BUSKER_PARAM_BOOL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return fail (l, spec->name, "expected true or false");
      *value = json_node_get_boolean (node) ? 1 : 0;
      return TRUE;
    }
  else if (spec->kind == BUSKER_PARAM_CHOICE)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return fail (l, spec->name, "expected a string");
      const char *s = json_node_get_string (node);
      for (guint c = 0; spec->choices[c]; c++)
        if (g_str_equal (spec->choices[c], s))
          {
            *value = c;
            return TRUE;
          }
      g_autofree char *all = g_strjoinv (", ", (char **) spec->choices);
      return fail (l, spec->name, "“%.64s” is not one of %s", s, all);
    }
  else
    {
      if (!node_is_number (node))
        return fail (l, spec->name, "expected a number");
      v = json_node_get_double (node);
      if (!isfinite (v))
        return fail (l, spec->name, "not a finite number");
    }

  if (v < spec->min || v > spec->max)
    {
      double c = CLAMP (v, spec->min, spec->max);
      warn (l, spec->name, "%g is outside %g … %g; using %g", v, spec->min,
            spec->max, c);
      v = c;
    }
  *value = (float) v;
  return TRUE;
}

/* Unknown members of an insert's indexed objects ("bands[2].x"), kept as
 * {"bands[2]": {"x": ...}} for the round trip. */

static void
keep_nested_extra (BuskerInsert *insert, JsonObject *o)
{
  g_autoptr (JsonObject) nested = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  json_object_iter_init_ordered (&iter, o);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      if (!JSON_NODE_HOLDS_ARRAY (member))
        continue;
      JsonArray *array = json_node_get_array (member);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          g_autofree char *prefix = g_strdup_printf ("%s[%u]", name, i);
          g_autofree char *first = g_strconcat (prefix, ".", NULL);
          JsonObjectIter inner;
          const char *key;
          JsonNode *value;
          /* Only arrays the table indexes: others are kept whole already. */
          guint n;
          const BuskerParamSpec *params = busker_insert_get_params (insert, &n);
          gboolean indexed = FALSE;
          for (guint p = 0; p < n && !indexed; p++)
            indexed = g_str_has_prefix (params[p].name, first);
          if (!indexed)
            continue;
          json_object_iter_init_ordered (&inner, json_node_get_object (element));
          while (json_object_iter_next_ordered (&inner, &key, &value))
            {
              g_autofree char *full = g_strconcat (first, key, NULL);
              if (busker_insert_find_param (insert, full) >= 0)
                continue;
              if (nested == NULL)
                nested = json_object_new ();
              if (!json_object_has_member (nested, prefix))
                json_object_set_object_member (nested, prefix, json_object_new ());
              json_object_set_member (json_object_get_object_member (nested, prefix),
                                      key, json_node_copy (value));
            }
        }
    }
  g_object_set_data_full (G_OBJECT (insert), BUSKER_MODEL_NESTED_EXTRA,
                          nested ? json_object_ref (nested) : NULL,
                          (GDestroyNotify) json_object_unref);
}

static BuskerInsert *
load_insert (Loader *l, JsonArray *array, guint i)
{
  JsonObject *o = element_object (l, array, i);
  const char *type;
  if (o == NULL || !read_string (l, o, "type", TRUE, &type))
    return NULL;
  g_autoptr (BuskerInsert) insert = busker_insert_new (type);
  if (insert == NULL)
    {
      g_autofree char *all = g_strjoinv (", ", (char **) busker_effect_type_names);
      fail (l, "type", "unknown effect “%.64s” (known: %s)", type, all);
      return NULL;
    }
  gboolean bypass = FALSE, post_fader = FALSE;
  if (!read_bool (l, o, "bypass", &bypass) || !read_bool (l, o, "post_fader", &post_fader))
    return NULL;
  busker_insert_set_bypass (insert, bypass);
  busker_insert_set_post_fader (insert, post_fader);

  guint n;
  const BuskerParamSpec *params = busker_insert_get_params (insert, &n);
  JsonNode *node = json_array_get_element (array, i);
  for (guint p = 0; p < n; p++)
    {
      gboolean present = FALSE;
      float value = 0;
      if (!read_param (l, node, &params[p], &present, &value))
        return NULL;
      if (present)
        busker_insert_set_value (insert, p, value);
    }
  keep_extra (insert, o, insert_key_known, insert);
  keep_nested_extra (insert, o);
  return g_steal_pointer (&insert);
}

/* ---- sends, sources, strips ---- */

static BuskerSend *
load_send (Loader *l, JsonObject *o)
{
  const char *to;
  double level_db = -12, pan = 0;
  gboolean pre_fader = FALSE, mute = FALSE;
  if (!read_string (l, o, "to", TRUE, &to))
    return NULL;
  if (!busker_strip_id_is_valid (to))
    {
      fail (l, "to", "“%.64s” is not a strip id", to);
      return NULL;
    }
  if (!read_clamped (l, o, "level_db", &level_db, -144, 12, TRUE)
      || !read_clamped (l, o, "pan", &pan, -1, 1, FALSE)
      || !read_bool (l, o, "pre_fader", &pre_fader)
      || !read_bool (l, o, "mute", &mute))
    return NULL;
  BuskerSend *send = busker_send_new (to);
  busker_send_set_level_db (send, level_db);
  busker_send_set_pan (send, pan);
  busker_send_set_pre_fader (send, pre_fader);
  busker_send_set_mute (send, mute);
  keep_extra (send, o, in_strv, send_keys);
  return send;
}

/* A live source's "apps": strings, NULL-terminated in *out. As many as a
 * strip may have sends: more remembered applications is not a mix. */
enum { MAX_APPS = BUSKER_PROJECT_MAX_SENDS };

static gboolean
read_apps (Loader *l, JsonObject *o, GPtrArray **out)
{
  JsonArray *array;
  *out = g_ptr_array_new ();
  if (!read_array (l, o, "apps", MAX_APPS, &array))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
          || strlen (json_node_get_string (node)) > BUSKER_PROJECT_MAX_STRING)
        {
          gsize len = push_index (l, "apps", i);
          fail (l, NULL, "expected a string of at most %d bytes", BUSKER_PROJECT_MAX_STRING);
          pop (l, len);
          return FALSE;
        }
      g_ptr_array_add (*out, (gpointer) json_node_get_string (node));
    }
  g_ptr_array_add (*out, NULL);
  return TRUE;
}

static BuskerSource *
load_source (Loader *l, JsonObject *o)
{
  const char *type, *path = NULL, *node = NULL;
  double offset_s = 0;
  BuskerSource *source;
  if (!read_string (l, o, "type", TRUE, &type))
    return NULL;
  if (g_str_equal (type, "file"))
    {
      if (!read_string (l, o, "path", TRUE, &path)
          || !read_number (l, o, "offset_s", &offset_s, FALSE))
        return NULL;
      if (offset_s < 0)
        {
          warn (l, "offset_s", "%g is negative; using 0", offset_s);
          offset_s = 0;
        }
      source = busker_source_new_file (path, offset_s);
    }
  else if (g_str_equal (type, "live"))
    {
      g_autoptr (GPtrArray) apps = NULL;
      if (!read_apps (l, o, &apps))
        return NULL;
      source = busker_source_new (BUSKER_SOURCE_LIVE);
      busker_source_set_apps (source, (const char *const *) apps->pdata);
    }
  else if (g_str_equal (type, "capture"))
    {
      if (!read_string (l, o, "node", TRUE, &node))
        return NULL;
      source = busker_source_new_capture (node);
    }
  else
    {
      fail (l, "type", "“%.64s” is not a source type (file, live or capture)", type);
      return NULL;
    }
  keep_extra (source, o, in_strv, source_keys);
  return source;
}

static gboolean
parse_kind (const char *s, BuskerStripKind *kind)
{
  for (BuskerStripKind k = BUSKER_STRIP_TRACK; k <= BUSKER_STRIP_MASTER; k++)
    if (g_str_equal (s, busker_strip_kind_to_string (k)))
      {
        *kind = k;
        return TRUE;
      }
  return FALSE;
}

static gboolean
color_is_valid (const char *s)
{
  if (strlen (s) != 7 || s[0] != '#')
    return FALSE;
  for (int i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (s[i]))
      return FALSE;
  return TRUE;
}

static BuskerStrip *
load_strip (Loader *l, JsonObject *o)
{
  const char *id, *kind_s, *name, *color, *output;
  BuskerStripKind kind;
  if (!read_string (l, o, "id", TRUE, &id) || !read_string (l, o, "kind", TRUE, &kind_s))
    return NULL;
  if (!busker_strip_id_is_valid (id))
    {
      fail (l, "id", "“%.64s” is not a valid id (lower-case letters, digits, _ and -)", id);
      return NULL;
    }
  if (!parse_kind (kind_s, &kind))
    {
      fail (l, "kind", "“%.64s” is not track, subgroup, aux or master", kind_s);
      return NULL;
    }
  if ((kind == BUSKER_STRIP_MASTER) != g_str_equal (id, "master"))
    {
      fail (l, "id", "the master bus, and only it, has the id “master”");
      return NULL;
    }
  g_autoptr (BuskerStrip) strip = busker_strip_new (kind, id);

  if (!read_string (l, o, "name", FALSE, &name) || !read_string (l, o, "color", FALSE, &color))
    return NULL;
  if (color && !color_is_valid (color))
    {
      fail (l, "color", "“%.64s” is not a colour like #1a2b3c", color);
      return NULL;
    }
  busker_strip_set_name (strip, name);
  busker_strip_set_color (strip, color);

  JsonNode *source_node = json_object_get_member (o, "source");
  if (source_node && !JSON_NODE_HOLDS_NULL (source_node))
    {
      if (kind != BUSKER_STRIP_TRACK)
        {
          fail (l, "source", "only tracks have a source");
          return NULL;
        }
      if (!JSON_NODE_HOLDS_OBJECT (source_node))
        {
          fail (l, "source", "expected an object");
          return NULL;
        }
      gsize saved = push_key (l, "source");
      g_autoptr (BuskerSource) source = load_source (l, json_node_get_object (source_node));
      pop (l, saved);
      if (source == NULL)
        return NULL;
      busker_strip_set_source (strip, source);
    }

  double trim_db = 0, gain_db = 0, pan = 0;
  gboolean invert = FALSE, mute = FALSE, solo = FALSE;
  if (!read_clamped (l, o, "trim_db", &trim_db, -24, 24, FALSE)
      || !read_clamped (l, o, "gain_db", &gain_db, -144, 12, TRUE)
      || !read_clamped (l, o, "pan", &pan, -1, 1, FALSE)
      || !read_bool (l, o, "polarity_invert", &invert)
      || !read_bool (l, o, "mute", &mute)
      || !read_bool (l, o, "solo", &solo))
    return NULL;
  busker_strip_set_trim_db (strip, trim_db);
  busker_strip_set_gain_db (strip, gain_db);
  busker_strip_set_pan (strip, pan);
  busker_strip_set_polarity_invert (strip, invert);
  busker_strip_set_mute (strip, mute);
  busker_strip_set_solo (strip, solo);

  if (!read_string (l, o, "output", FALSE, &output))
    return NULL;
  if (kind == BUSKER_STRIP_MASTER)
    {
      if (output)
        warn (l, "output", "the master has no output; ignored");
    }
  else if (output)
    _busker_strip_set_output (strip, output);

  JsonArray *inserts, *sends;
  if (!read_array (l, o, "inserts", BUSKER_PROJECT_MAX_INSERTS, &inserts)
      || !read_array (l, o, "sends", BUSKER_PROJECT_MAX_SENDS, &sends))
    return NULL;
  for (guint i = 0; inserts && i < json_array_get_length (inserts); i++)
    {
      gsize saved = push_index (l, "inserts", i);
      g_autoptr (BuskerInsert) insert = load_insert (l, inserts, i);
      pop (l, saved);
      if (insert == NULL)
        return NULL;
      busker_strip_insert_insert (strip, i, insert);
    }
  for (guint i = 0; sends && i < json_array_get_length (sends); i++)
    {
      gsize saved = push_index (l, "sends", i);
      JsonObject *so = element_object (l, sends, i);
      g_autoptr (BuskerSend) send = so ? load_send (l, so) : NULL;
      pop (l, saved);
      if (send == NULL)
        return NULL;
      g_list_store_append (_busker_strip_get_send_store (strip), send);
    }
  keep_extra (strip, o, in_strv, strip_keys);
  return g_steal_pointer (&strip);
}

/* ---- routing of the whole file ---- */

typedef struct {
  GArray **edges;     /* per strip: target indices, output first */
  GArray **edge_keys; /* per strip: -1 for the output, else the send index */
} Graph;

static gboolean
check_target (Loader *l, GPtrArray *strips, GHashTable *by_id, guint i,
              const char *to, gboolean is_send, guint send_index, Graph *g)
{
  BuskerStrip *strip = g_ptr_array_index (strips, i);
  gsize saved = push_index (l, "strips", i);
  if (is_send)
    push_index (l, "sends", send_index);
  const char *key = is_send ? "to" : "output";
  gpointer p = g_hash_table_lookup (by_id, to);
  gboolean ok = FALSE;
  if (p == NULL)
    fail (l, key, "no strip has the id “%s”", to);
  else
    {
      guint t = GPOINTER_TO_UINT (p) - 1;
      BuskerStrip *target = g_ptr_array_index (strips, t);
      BuskerStripKind kind = busker_strip_get_kind (target);
      if (t == i)
        fail_code (l, BUSKER_PROJECT_ERROR_ROUTING, key, "%s cannot feed itself",
                   busker_strip_get_name (strip));
      else if (is_send && kind != BUSKER_STRIP_AUX)
        fail_code (l, BUSKER_PROJECT_ERROR_ROUTING, key,
                   "“%s” is not an aux bus; sends go to aux buses", to);
      else if (!is_send && kind != BUSKER_STRIP_SUBGROUP && kind != BUSKER_STRIP_MASTER)
        fail_code (l, BUSKER_PROJECT_ERROR_ROUTING, key,
                   "“%s” is %s; an output goes to a subgroup or the master", to,
                   kind == BUSKER_STRIP_AUX ? "an aux bus" : "a track");
      else
        {
          int k = is_send ? (int) send_index : -1;
          g_array_append_val (g->edges[i], t);
          g_array_append_val (g->edge_keys[i], k);
          ok = TRUE;
        }
    }
  pop (l, saved);
  return ok;
}

/* Depth-first search for a cycle; the error names it. */
static gboolean
check_loops (Loader *l, GPtrArray *strips, Graph *g)
{
  guint n = strips->len;
  g_autofree guint8 *color = g_new0 (guint8, n); /* 0 new, 1 on stack, 2 done */
  g_autofree guint *stack = g_new (guint, n);
  g_autofree guint *next = g_new0 (guint, n);
  for (guint root = 0; root < n; root++)
    {
      if (color[root])
        continue;
      guint depth = 0;
      stack[depth++] = root;
      color[root] = 1;
      while (depth)
        {
          guint u = stack[depth - 1];
          if (next[u] == g->edges[u]->len)
            {
              color[u] = 2;
              depth--;
              continue;
            }
          guint e = next[u]++;
          guint v = g_array_index (g->edges[u], guint, e);
          if (color[v] == 0)
            {
              color[v] = 1;
              stack[depth++] = v;
            }
          else if (color[v] == 1)
            {
              g_autoptr (GString) msg = g_string_new (NULL);
              guint start = 0;
              while (stack[start] != v)
                start++;
              for (guint k = start; k < depth; k++)
                g_string_append_printf (msg, "%s → ",
                                        busker_strip_get_name (g_ptr_array_index (strips, stack[k])));
              g_string_append_printf (msg, "%s would feed back",
                                      busker_strip_get_name (g_ptr_array_index (strips, v)));
              int key = g_array_index (g->edge_keys[u], int, e);
              gsize saved = push_index (l, "strips", u);
              if (key >= 0)
                push_index (l, "sends", (guint) key);
              fail_code (l, BUSKER_PROJECT_ERROR_ROUTING, key >= 0 ? "to" : "output",
                         "%s", msg->str);
              pop (l, saved);
              return FALSE;
            }
        }
    }
  return TRUE;
}

static gboolean
check_routing (Loader *l, GPtrArray *strips)
{
  g_autoptr (GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  Graph g;
  gboolean ok = TRUE;
  guint n = strips->len;
  int master = -1;

  for (guint i = 0; i < n; i++)
    {
      BuskerStrip *strip = g_ptr_array_index (strips, i);
      const char *id = busker_strip_get_id (strip);
      gpointer prev = g_hash_table_lookup (by_id, id);
      if (prev)
        {
          gsize saved = push_index (l, "strips", i);
          fail (l, "id", "“%s” is already the id of strips[%u]", id,
                GPOINTER_TO_UINT (prev) - 1);
          pop (l, saved);
          return FALSE;
        }
      g_hash_table_insert (by_id, (char *) id, GUINT_TO_POINTER (i + 1));
      /* Legal, but the mixer and the sound settings show two alike. */
      const char *name = busker_strip_get_name (strip);
      gpointer named = name != NULL ? g_hash_table_lookup (by_name, name) : NULL;
      if (named != NULL)
        {
          gsize saved = push_index (l, "strips", i);
          warn (l, "name", "“%s” is also the name of strips[%u]: two strips (and for live "
                "tracks two sinks “Busker: %s”) look the same",
                name, GPOINTER_TO_UINT (named) - 1, name);
          pop (l, saved);
        }
      else if (name != NULL)
        g_hash_table_insert (by_name, (char *) name, GUINT_TO_POINTER (i + 1));
      if (busker_strip_get_kind (strip) == BUSKER_STRIP_MASTER)
        master = (int) i;
    }
  if (master < 0)
    return fail (l, "strips", "no master bus: one strip needs \"kind\": \"master\" "
                 "and the id \"master\"");

  g.edges = g_new0 (GArray *, n);
  g.edge_keys = g_new0 (GArray *, n);
  for (guint i = 0; i < n; i++)
    {
      g.edges[i] = g_array_new (FALSE, FALSE, sizeof (guint));
      g.edge_keys[i] = g_array_new (FALSE, FALSE, sizeof (int));
    }
  for (guint i = 0; ok && i < n; i++)
    {
      BuskerStrip *strip = g_ptr_array_index (strips, i);
      const char *output = busker_strip_get_output (strip);
      if (output)
        ok = check_target (l, strips, by_id, i, output, FALSE, 0, &g);
      GListModel *sends = busker_strip_get_sends (strip);
      for (guint j = 0; ok && j < g_list_model_get_n_items (sends); j++)
        {
          g_autoptr (BuskerSend) send = g_list_model_get_item (sends, j);
          ok = check_target (l, strips, by_id, i, busker_send_get_to (send), TRUE, j, &g);
        }
    }
  if (ok)
    ok = check_loops (l, strips, &g);
  for (guint i = 0; i < n; i++)
    {
      g_array_unref (g.edges[i]);
      g_array_unref (g.edge_keys[i]);
    }
  g_free (g.edges);
  g_free (g.edge_keys);
  return ok;
}

/* ---- the project ---- */

static gboolean
check_text (Loader *l, const char *data, gsize length)
{
  if (memchr (data, '\0', length))
    return fail_code (l, BUSKER_PROJECT_ERROR_PARSE, NULL, "contains a NUL byte; not a project file");
  if (!g_utf8_validate_len (data, length, NULL))
    return fail_code (l, BUSKER_PROJECT_ERROR_PARSE, NULL, "not UTF-8 text; not a project file");
  /* The parser recurses: refuse deep nesting before it sees it. */
  guint depth = 0;
  gboolean in_string = FALSE;
  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > BUSKER_PROJECT_MAX_DEPTH)
            return fail_code (l, BUSKER_PROJECT_ERROR_PARSE, NULL,
                              "nested more than %d levels deep", BUSKER_PROJECT_MAX_DEPTH);
        }
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;
    }
  return TRUE;
}

/* json-glib turns a lone surrogate escape ("\ud800") into bytes that are
 * not UTF-8; such a string could be neither shown nor written back. */
static gboolean
check_strings (Loader *l, JsonNode *node)
{
  gboolean ok = TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      if (!g_utf8_validate (json_node_get_string (node), -1, NULL))
        return fail (l, NULL, "a string is not valid UTF-8 text (a broken \\u escape)");
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; ok && i < json_array_get_length (array); i++)
        {
          gsize saved = l->path->len;
          g_string_append_printf (l->path, "[%u]", i);
          ok = check_strings (l, json_array_get_element (array, i));
          pop (l, saved);
        }
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;
      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (ok && json_object_iter_next_ordered (&iter, &name, &member))
        {
          if (!g_utf8_validate (name, -1, NULL))
            return fail (l, NULL, "a key is not valid UTF-8 text (a broken \\u escape)");
          gsize saved = push_key (l, name);
          ok = check_strings (l, member);
          pop (l, saved);
        }
    }
  return ok;
}

static gboolean
load_root (Loader *l, JsonNode *root)
{
  if (!check_strings (l, root))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return fail (l, NULL, "expected a JSON object with \"format\" and \"strips\"");
  JsonObject *o = json_node_get_object (root);

  JsonNode *format = json_object_get_member (o, "format");
  if (format == NULL)
    return fail (l, "format", "missing; not a Busker project");
  if (!node_is_number (format))
    return fail (l, "format", "expected a number");
  double f = json_node_get_double (format);
  if (f > BUSKER_PROJECT_FORMAT)
    return fail_code (l, BUSKER_PROJECT_ERROR_NEWER_FORMAT, "format",
                      "written by a newer Busker (format %g; this version reads "
                      "format %d); update Busker to open it", f, BUSKER_PROJECT_FORMAT);
  if (f != BUSKER_PROJECT_FORMAT)
    return fail (l, "format", "%g is not a known format", f);

  const char *name;
  double rate = 48000, tempo = 120;
  JsonArray *strips_array;
  if (!read_string (l, o, "name", FALSE, &name)
      || !read_number (l, o, "sample_rate", &rate, FALSE)
      || !read_clamped (l, o, "tempo_bpm", &tempo, 20, 999, FALSE)
      || !read_array (l, o, "strips", BUSKER_PROJECT_MAX_STRIPS, &strips_array))
    return FALSE;
  if (rate < 8000 || rate > 768000)
    return fail (l, "sample_rate", "%g Hz is not a sample rate (8000 … 768000)", rate);
  if (strips_array == NULL)
    return fail (l, "strips", "missing");
  busker_project_set_name (l->project, name);
  busker_project_set_sample_rate (l->project, rate);
  busker_project_set_tempo_bpm (l->project, tempo);

  guint n = json_array_get_length (strips_array);
  g_autoptr (GPtrArray) strips = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      gsize saved = push_index (l, "strips", i);
      JsonObject *so = element_object (l, strips_array, i);
      BuskerStrip *strip = so ? load_strip (l, so) : NULL;
      pop (l, saved);
      if (strip == NULL)
        return FALSE;
      g_ptr_array_add (strips, strip);
    }
  if (!check_routing (l, strips))
    return FALSE;
  _busker_project_take_strips (l->project, strips);
  keep_extra (l->project, o, in_strv, project_keys);
  return TRUE;
}

static char *
file_label (GFile *file)
{
  return file ? g_file_get_parse_name (file) : g_strdup ("project");
}

BuskerProject *
busker_project_load_from_data (const char *data, gsize length, GFile *base,
                               GError **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_autoptr (BuskerProject) project = g_object_new (BUSKER_TYPE_PROJECT, NULL);
  g_autofree char *label = file_label (base);
  g_autoptr (GString) path = g_string_new (NULL);
  Loader l = { project, label, path, error };

  if (length > BUSKER_PROJECT_MAX_FILE_SIZE)
    {
      g_set_error (error, BUSKER_PROJECT_ERROR, BUSKER_PROJECT_ERROR_TOO_LARGE,
                   "%s: larger than the %d MB a project file may have", label,
                   BUSKER_PROJECT_MAX_FILE_SIZE >> 20);
      return NULL;
    }
  if (!check_text (&l, data, length))
    return NULL;

  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) parse_error = NULL;
  if (!json_parser_load_from_data (parser, data, (gssize) length, &parse_error))
    {
      /* The parser quotes the input, which need not be UTF-8. */
      g_autofree char *valid = g_utf8_make_valid (parse_error->message, -1);
      const char *msg = valid;
      if (g_str_has_prefix (msg, "<data>:"))
        msg += strlen ("<data>:");
      g_set_error (error, BUSKER_PROJECT_ERROR, BUSKER_PROJECT_ERROR_PARSE,
                   "%s: not valid JSON: line %s", label, msg);
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error (error, BUSKER_PROJECT_ERROR, BUSKER_PROJECT_ERROR_PARSE,
                   "%s: empty file", label);
      return NULL;
    }
  if (!load_root (&l, root))
    return NULL;

  busker_undo_clear (_busker_project_get_undo (project));
  _busker_project_set_file (project, base);
  return g_steal_pointer (&project);
}

BuskerProject *
busker_project_load (GFile *file, GError **error)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_autoptr (GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                  G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_size (info) > BUSKER_PROJECT_MAX_FILE_SIZE)
    {
      g_autofree char *label = file_label (file);
      g_autofree char *size = g_format_size (g_file_info_get_size (info));
      g_set_error (error, BUSKER_PROJECT_ERROR, BUSKER_PROJECT_ERROR_TOO_LARGE,
                   "%s: %s is larger than the %d MB a project file may have",
                   label, size, BUSKER_PROJECT_MAX_FILE_SIZE >> 20);
      return NULL;
    }
  g_autofree char *data = NULL;
  gsize length;
  if (!g_file_load_contents (file, NULL, &data, &length, NULL, error))
    return NULL;
  return busker_project_load_from_data (data, length, file, error);
}
