/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Where a track's audio comes from. The kind is fixed at construction: a
 * different kind of source is a different object, swapped on the strip.
 */
#include <math.h>

#include "busker-model-enums.h"
#include "busker-model-private.h"

struct _BuskerSource {
  GObject parent_instance;
  BuskerSourceKind kind;
  char *path;
  double offset_s;
  char *node;
  char **apps; /* LIVE: remembered applications, never NULL */
};

G_DEFINE_FINAL_TYPE (BuskerSource, busker_source, G_TYPE_OBJECT)

enum { PROP_0, PROP_KIND, PROP_PATH, PROP_OFFSET_S, PROP_NODE, PROP_APPS, N_PROPS };
static GParamSpec *pspecs[N_PROPS];

BuskerSource *
busker_source_new (BuskerSourceKind kind)
{
  return g_object_new (BUSKER_TYPE_SOURCE, "kind", kind, NULL);
}

BuskerSource *
busker_source_new_file (const char *path, double offset_s)
{
  return g_object_new (BUSKER_TYPE_SOURCE, "kind", BUSKER_SOURCE_FILE,
                       "path", path, "offset-s", offset_s, NULL);
}

BuskerSource *
busker_source_new_capture (const char *node)
{
  return g_object_new (BUSKER_TYPE_SOURCE, "kind", BUSKER_SOURCE_CAPTURE,
                       "node", node, NULL);
}

const char *
busker_source_kind_to_string (BuskerSourceKind kind)
{
  switch (kind)
    {
    case BUSKER_SOURCE_FILE: return "file";
    case BUSKER_SOURCE_LIVE: return "live";
    case BUSKER_SOURCE_CAPTURE: return "capture";
    case BUSKER_SOURCE_NONE: default: return "none";
    }
}

BuskerSourceKind
busker_source_get_kind (BuskerSource *self)
{
  g_return_val_if_fail (BUSKER_IS_SOURCE (self), BUSKER_SOURCE_NONE);
  return self->kind;
}

const char *
busker_source_get_path (BuskerSource *self)
{
  g_return_val_if_fail (BUSKER_IS_SOURCE (self), NULL);
  return self->path;
}

static void
set_string (BuskerSource *self, char **field, const char *value, guint prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  busker_model_record_prop (self, pspecs[prop], NULL);
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[prop]);
}

void
busker_source_set_path (BuskerSource *self, const char *path)
{
  g_return_if_fail (BUSKER_IS_SOURCE (self));
  set_string (self, &self->path, path, PROP_PATH);
}

double
busker_source_get_offset_s (BuskerSource *self)
{
  g_return_val_if_fail (BUSKER_IS_SOURCE (self), 0);
  return self->offset_s;
}

void
busker_source_set_offset_s (BuskerSource *self, double offset_s)
{
  g_return_if_fail (BUSKER_IS_SOURCE (self));
  g_return_if_fail (isfinite (offset_s));
  offset_s = MAX (offset_s, 0.0);
  if (self->offset_s == offset_s)
    return;
  busker_model_record_prop (self, pspecs[PROP_OFFSET_S], NULL);
  self->offset_s = offset_s;
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[PROP_OFFSET_S]);
}

const char *
busker_source_get_node (BuskerSource *self)
{
  g_return_val_if_fail (BUSKER_IS_SOURCE (self), NULL);
  return self->node;
}

void
busker_source_set_node (BuskerSource *self, const char *node)
{
  g_return_if_fail (BUSKER_IS_SOURCE (self));
  set_string (self, &self->node, node, PROP_NODE);
}

const char *const *
busker_source_get_apps (BuskerSource *self)
{
  g_return_val_if_fail (BUSKER_IS_SOURCE (self), NULL);
  return (const char *const *) self->apps;
}

void
busker_source_set_apps (BuskerSource *self, const char *const *apps)
{
  static const char *const none[] = { NULL };
  g_return_if_fail (BUSKER_IS_SOURCE (self));
  if (apps == NULL)
    apps = none;
  if (g_strv_equal ((const char *const *) self->apps, apps))
    return;
  busker_model_record_prop (self, pspecs[PROP_APPS], NULL);
  g_strfreev (self->apps);
  self->apps = g_strdupv ((char **) apps);
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[PROP_APPS]);
}

static void
busker_source_finalize (GObject *object)
{
  BuskerSource *self = BUSKER_SOURCE (object);
  g_free (self->path);
  g_free (self->node);
  g_strfreev (self->apps);
  G_OBJECT_CLASS (busker_source_parent_class)->finalize (object);
}

static void
busker_source_get_property (GObject *object, guint prop_id, GValue *value,
                            GParamSpec *pspec)
{
  BuskerSource *self = BUSKER_SOURCE (object);
  switch (prop_id)
    {
    case PROP_KIND: g_value_set_enum (value, self->kind); break;
    case PROP_PATH: g_value_set_string (value, self->path); break;
    case PROP_OFFSET_S: g_value_set_double (value, self->offset_s); break;
    case PROP_NODE: g_value_set_string (value, self->node); break;
    case PROP_APPS: g_value_set_boxed (value, self->apps); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
busker_source_set_property (GObject *object, guint prop_id,
                            const GValue *value, GParamSpec *pspec)
{
  BuskerSource *self = BUSKER_SOURCE (object);
  switch (prop_id)
    {
    case PROP_KIND: self->kind = g_value_get_enum (value); break;
    case PROP_PATH: busker_source_set_path (self, g_value_get_string (value)); break;
    case PROP_OFFSET_S: busker_source_set_offset_s (self, g_value_get_double (value)); break;
    case PROP_NODE: busker_source_set_node (self, g_value_get_string (value)); break;
    case PROP_APPS: busker_source_set_apps (self, g_value_get_boxed (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
busker_source_class_init (BuskerSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->finalize = busker_source_finalize;
  object_class->get_property = busker_source_get_property;
  object_class->set_property = busker_source_set_property;

  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  pspecs[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, BUSKER_TYPE_SOURCE_KIND,
                                         BUSKER_SOURCE_FILE,
                                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                                        | G_PARAM_STATIC_STRINGS);
  pspecs[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, rw);
  pspecs[PROP_OFFSET_S] = g_param_spec_double ("offset-s", NULL, NULL, 0,
                                               G_MAXDOUBLE, 0, rw);
  pspecs[PROP_NODE] = g_param_spec_string ("node", NULL, NULL, NULL, rw);
  pspecs[PROP_APPS] = g_param_spec_boxed ("apps", NULL, NULL, G_TYPE_STRV, rw);
  g_object_class_install_properties (object_class, N_PROPS, pspecs);
}

static void
busker_source_init (BuskerSource *self)
{
  self->apps = g_new0 (char *, 1);
}
