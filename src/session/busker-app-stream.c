/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One application stream of the graph, as the window's Apps panel shows
 * it: a main-thread copy of a BuskerLiveStream, kept up to date by the
 * session (busker-session.c) so a list row can bind to its properties.
 */
#include "busker-session-private.h"

struct _BuskerAppStream {
  GObject parent_instance;
  guint node_id;
  char *app_name;
  char *icon_name;
  char *media_name;
  char *app_key;
  char *track_id;
};

G_DEFINE_FINAL_TYPE (BuskerAppStream, busker_app_stream, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NODE_ID,
  PROP_APP_NAME,
  PROP_ICON_NAME,
  PROP_MEDIA_NAME,
  PROP_APP_KEY,
  PROP_TRACK_ID,
  N_PROPS
};
static GParamSpec *pspecs[N_PROPS];

BuskerAppStream *
busker_app_stream_new (const BuskerLiveStream *stream)
{
  g_return_val_if_fail (stream != NULL, NULL);
  BuskerAppStream *self = g_object_new (BUSKER_TYPE_APP_STREAM, NULL);
  self->node_id = stream->node_id;
  busker_app_stream_update (self, stream);
  return self;
}

static void
set_string (BuskerAppStream *self, char **field, const char *value, guint prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[prop]);
}

void
busker_app_stream_update (BuskerAppStream *self, const BuskerLiveStream *stream)
{
  g_return_if_fail (BUSKER_IS_APP_STREAM (self));
  g_return_if_fail (stream->node_id == self->node_id);
  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->app_name, stream->app_name, PROP_APP_NAME);
  set_string (self, &self->icon_name, stream->icon_name, PROP_ICON_NAME);
  set_string (self, &self->media_name, stream->media_name, PROP_MEDIA_NAME);
  set_string (self, &self->app_key, stream->app_key, PROP_APP_KEY);
  set_string (self, &self->track_id, stream->track_id, PROP_TRACK_ID);
  g_object_thaw_notify (G_OBJECT (self));
}

guint
busker_app_stream_get_node_id (BuskerAppStream *self)
{
  g_return_val_if_fail (BUSKER_IS_APP_STREAM (self), 0);
  return self->node_id;
}

const char *
busker_app_stream_get_app_name (BuskerAppStream *self)
{
  g_return_val_if_fail (BUSKER_IS_APP_STREAM (self), NULL);
  return self->app_name;
}

const char *
busker_app_stream_get_icon_name (BuskerAppStream *self)
{
  g_return_val_if_fail (BUSKER_IS_APP_STREAM (self), NULL);
  return self->icon_name;
}

const char *
busker_app_stream_get_media_name (BuskerAppStream *self)
{
  g_return_val_if_fail (BUSKER_IS_APP_STREAM (self), NULL);
  return self->media_name;
}

const char *
busker_app_stream_get_app_key (BuskerAppStream *self)
{
  g_return_val_if_fail (BUSKER_IS_APP_STREAM (self), NULL);
  return self->app_key;
}

const char *
busker_app_stream_get_track_id (BuskerAppStream *self)
{
  g_return_val_if_fail (BUSKER_IS_APP_STREAM (self), NULL);
  return self->track_id;
}

static void
busker_app_stream_finalize (GObject *object)
{
  BuskerAppStream *self = BUSKER_APP_STREAM (object);
  g_free (self->app_name);
  g_free (self->icon_name);
  g_free (self->media_name);
  g_free (self->app_key);
  g_free (self->track_id);
  G_OBJECT_CLASS (busker_app_stream_parent_class)->finalize (object);
}

static void
busker_app_stream_get_property (GObject *object, guint prop_id, GValue *value,
                                GParamSpec *pspec)
{
  BuskerAppStream *self = BUSKER_APP_STREAM (object);
  switch (prop_id)
    {
    case PROP_NODE_ID: g_value_set_uint (value, self->node_id); break;
    case PROP_APP_NAME: g_value_set_string (value, self->app_name); break;
    case PROP_ICON_NAME: g_value_set_string (value, self->icon_name); break;
    case PROP_MEDIA_NAME: g_value_set_string (value, self->media_name); break;
    case PROP_APP_KEY: g_value_set_string (value, self->app_key); break;
    case PROP_TRACK_ID: g_value_set_string (value, self->track_id); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
busker_app_stream_class_init (BuskerAppStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->finalize = busker_app_stream_finalize;
  object_class->get_property = busker_app_stream_get_property;

  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  pspecs[PROP_NODE_ID] = g_param_spec_uint ("node-id", NULL, NULL, 0, G_MAXUINT, 0, ro);
  pspecs[PROP_APP_NAME] = g_param_spec_string ("app-name", NULL, NULL, NULL, ro);
  pspecs[PROP_ICON_NAME] = g_param_spec_string ("icon-name", NULL, NULL, NULL, ro);
  pspecs[PROP_MEDIA_NAME] = g_param_spec_string ("media-name", NULL, NULL, NULL, ro);
  pspecs[PROP_APP_KEY] = g_param_spec_string ("app-key", NULL, NULL, NULL, ro);
  pspecs[PROP_TRACK_ID] = g_param_spec_string ("track-id", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, pspecs);
}

static void
busker_app_stream_init (BuskerAppStream *self)
{
}
