/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * TEMPORARY SHIM — delete once main has src/session/busker-session.c.
 *
 * The window is written against src/session/busker-session.h while the
 * `session` branch implements it. Until that lands, this file gives the
 * window an offline session so the branch builds and its tests run: it
 * holds the project and nothing else. No live audio ("live" is always
 * FALSE, so the window shows its "live audio is off" bar), no streams,
 * the transport does not move, meters read −inf. It pretends nothing.
 * src/app/meson.build compiles it only while the real implementation is
 * absent, so a merge of both never links two BuskerSession types.
 */
#include "config.h"

#include <math.h>

#include "session/busker-session.h"

struct _BuskerAppStream
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (BuskerAppStream, busker_app_stream, G_TYPE_OBJECT)

static void busker_app_stream_class_init (BuskerAppStreamClass *klass) {}
static void busker_app_stream_init (BuskerAppStream *self) {}

const char *busker_app_stream_get_app_name (BuskerAppStream *stream) { return ""; }
const char *busker_app_stream_get_icon_name (BuskerAppStream *stream) { return NULL; }
const char *busker_app_stream_get_media_name (BuskerAppStream *stream) { return NULL; }
const char *busker_app_stream_get_app_key (BuskerAppStream *stream) { return ""; }
const char *busker_app_stream_get_track_id (BuskerAppStream *stream) { return NULL; }

struct _BuskerSession
{
  GObject parent_instance;
  BuskerProject *project;
  GListStore *streams;
  gboolean loop;
};

enum { PROP_0, PROP_PROJECT, PROP_LIVE, PROP_PLAYING, PROP_LOOP, PROP_LENGTH, N_PROPS };
static GParamSpec *pspecs[N_PROPS];

G_DEFINE_FINAL_TYPE (BuskerSession, busker_session, G_TYPE_OBJECT)

static void
busker_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BuskerSession *self = BUSKER_SESSION (object);

  switch (prop_id)
    {
    case PROP_PROJECT: g_value_set_object (value, self->project); break;
    case PROP_LIVE: g_value_set_boolean (value, FALSE); break;
    case PROP_PLAYING: g_value_set_boolean (value, FALSE); break;
    case PROP_LOOP: g_value_set_boolean (value, self->loop); break;
    case PROP_LENGTH: g_value_set_double (value, 0.0); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
busker_session_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  BuskerSession *self = BUSKER_SESSION (object);

  switch (prop_id)
    {
    case PROP_PROJECT: busker_session_set_project (self, g_value_get_object (value)); break;
    case PROP_LOOP: busker_session_set_loop (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
busker_session_dispose (GObject *object)
{
  BuskerSession *self = BUSKER_SESSION (object);

  g_clear_object (&self->project);
  g_clear_object (&self->streams);
  G_OBJECT_CLASS (busker_session_parent_class)->dispose (object);
}

static void
busker_session_class_init (BuskerSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = busker_session_get_property;
  object_class->set_property = busker_session_set_property;
  object_class->dispose = busker_session_dispose;
  pspecs[PROP_PROJECT] = g_param_spec_object ("project", NULL, NULL, BUSKER_TYPE_PROJECT, rw);
  pspecs[PROP_LIVE] = g_param_spec_boolean ("live", NULL, NULL, FALSE, ro);
  pspecs[PROP_PLAYING] = g_param_spec_boolean ("playing", NULL, NULL, FALSE, ro);
  pspecs[PROP_LOOP] = g_param_spec_boolean ("loop", NULL, NULL, FALSE, rw);
  pspecs[PROP_LENGTH] = g_param_spec_double ("length", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, pspecs);
}

static void
busker_session_init (BuskerSession *self)
{
  self->streams = g_list_store_new (BUSKER_TYPE_APP_STREAM);
}

BuskerSession *busker_session_new (void) { return g_object_new (BUSKER_TYPE_SESSION, NULL); }
BuskerSession *busker_session_new_offline (void) { return busker_session_new (); }
BuskerProject *busker_session_get_project (BuskerSession *self) { return self->project; }

void
busker_session_set_project (BuskerSession *self, BuskerProject *project)
{
  if (g_set_object (&self->project, project))
    g_object_notify_by_pspec (G_OBJECT (self), pspecs[PROP_PROJECT]);
}

gboolean busker_session_get_live (BuskerSession *self) { return FALSE; }
void busker_session_play (BuskerSession *self) {}
void busker_session_pause (BuskerSession *self) {}
void busker_session_stop (BuskerSession *self) {}
void busker_session_seek (BuskerSession *self, double position_s) {}
gboolean busker_session_get_playing (BuskerSession *self) { return FALSE; }
gboolean busker_session_get_loop (BuskerSession *self) { return self->loop; }

void
busker_session_set_loop (BuskerSession *self, gboolean loop)
{
  if (self->loop == !!loop)
    return;
  self->loop = !!loop;
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[PROP_LOOP]);
}

double busker_session_get_position_s (BuskerSession *self) { return 0.0; }
double busker_session_get_length_s (BuskerSession *self) { return 0.0; }

static void
silence_strip (BuskerStripMeter *meter)
{
  for (int c = 0; c < 2; c++)
    meter->peak_db[c] = meter->rms_db[c] = -INFINITY;
  meter->gain_reduction_db = 0.0f;
  meter->fault = FALSE;
}

gboolean
busker_session_read_strip_meter (BuskerSession *self, BuskerStrip *strip, BuskerStripMeter *meter)
{
  silence_strip (meter);
  return FALSE;
}

gboolean
busker_session_read_master_meter (BuskerSession *self, BuskerMasterMeter *meter)
{
  meter->momentary_lufs = meter->short_term_lufs = meter->integrated_lufs = -INFINITY;
  meter->true_peak_dbtp = -INFINITY;
  meter->correlation = 0.0f;
  return FALSE;
}

gboolean busker_session_strip_is_missing (BuskerSession *self, BuskerStrip *strip) { return FALSE; }
GListModel *busker_session_get_streams (BuskerSession *self) { return G_LIST_MODEL (self->streams); }

gboolean
busker_session_route_stream (BuskerSession *self, BuskerAppStream *stream, BuskerStrip *track,
                             GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "Live audio is not available in this build yet.");
  return FALSE;
}
