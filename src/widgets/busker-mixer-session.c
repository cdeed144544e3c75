/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The mixer's calls into the real session (see busker-mixer-session.h). */
#include "config.h"

#include "busker-mixer-session.h"

GType
busker_mixer_session_type (void)
{
  return BUSKER_TYPE_SESSION;
}

GType
busker_mixer_app_stream_type (void)
{
  return BUSKER_TYPE_APP_STREAM;
}

gboolean
busker_mixer_session_get_live (GObject *session)
{
  return busker_session_get_live (BUSKER_SESSION (session));
}

gboolean
busker_mixer_session_read_meter (GObject *session, BuskerStrip *strip, BuskerStripMeter *meter)
{
  return busker_session_read_strip_meter (BUSKER_SESSION (session), strip, meter);
}

gboolean
busker_mixer_session_is_missing (GObject *session, BuskerStrip *strip)
{
  return busker_session_strip_is_missing (BUSKER_SESSION (session), strip);
}

char *
busker_mixer_session_dup_track_problem (GObject *session, BuskerStrip *strip)
{
  return busker_session_dup_track_problem (BUSKER_SESSION (session), strip);
}

gboolean
busker_mixer_session_route_stream (GObject *session, GObject *stream, BuskerStrip *track,
                                   GError **error)
{
  return busker_session_route_stream (BUSKER_SESSION (session), BUSKER_APP_STREAM (stream),
                                      track, error);
}
