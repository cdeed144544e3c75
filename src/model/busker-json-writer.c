/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A JSON writer for project files. json-glib prints doubles with 17
 * significant digits; the shortest form that reads back to the same double
 * is what people expect to see in a file they may edit or diff.
 */
#include <math.h>
#include <stdlib.h>

#include "busker-json-writer.h"

static void
write_number (GString *out, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (!isfinite (v))
    {
      g_string_append (out, "null");
      return;
    }
  if (v == floor (v) && fabs (v) < 1e15)
    {
      g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) v);
      return;
    }
  /* %g drops trailing zeros, so when 15 digits read back, the result is
   * already the shortest form; only values that need more try 16 and 17. */
  for (int precision = 15; precision <= 17; precision++)
    {
      char fmt[8];
      g_snprintf (fmt, sizeof fmt, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, fmt, v);
      if (g_ascii_strtod (buf, NULL) == v)
        break;
    }
  g_string_append (out, buf);
}

static void
write_string (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) s; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
indent (GString *out, guint level)
{
  g_string_append_c (out, '\n');
  for (guint i = 0; i < level; i++)
    g_string_append (out, "  ");
}

static void write_node (GString *out, JsonNode *node, guint level);

static void
write_object (GString *out, JsonObject *object, guint level)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  gboolean first = TRUE;

  if (json_object_get_size (object) == 0)
    {
      g_string_append (out, "{}");
      return;
    }
  g_string_append_c (out, '{');
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      indent (out, level + 1);
      write_string (out, name);
      g_string_append (out, ": ");
      write_node (out, member, level + 1);
    }
  indent (out, level);
  g_string_append_c (out, '}');
}

static void
write_array (GString *out, JsonArray *array, guint level)
{
  guint n = json_array_get_length (array);
  if (n == 0)
    {
      g_string_append (out, "[]");
      return;
    }
  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      indent (out, level + 1);
      write_node (out, json_array_get_element (array, i), level + 1);
    }
  indent (out, level);
  g_string_append_c (out, ']');
}

static void
write_node (GString *out, JsonNode *node, guint level)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      write_object (out, json_node_get_object (node), level);
      break;
    case JSON_NODE_ARRAY:
      write_array (out, json_node_get_array (node), level);
      break;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          write_number (out, json_node_get_double (node));
          break;
        case G_TYPE_STRING:
          write_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append (out, "null");
        }
      break;
    }
}

char *
busker_json_write (JsonNode *root, gsize *length)
{
  GString *out = g_string_sized_new (4096);
  write_node (out, root, 0);
  g_string_append_c (out, '\n');
  if (length)
    *length = out->len;
  return g_string_free (out, FALSE);
}

double
busker_json_float_to_double (float f)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (!isfinite (f))
    return f;
  for (int precision = 6; precision <= 9; precision++)
    {
      char fmt[8];
      g_snprintf (fmt, sizeof fmt, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, fmt, f);
      if ((float) g_ascii_strtod (buf, NULL) == f)
        return g_ascii_strtod (buf, NULL);
    }
  return f;
}
