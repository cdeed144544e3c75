/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Built while src/session has no implementation yet (see
 * busker-mixer-session.h): no BuskerSession can exist, so none of these
 * is reached with a session; meters stay at −inf.
 */
#include "config.h"

#include <math.h>

#include "busker-mixer-session.h"

GType
busker_mixer_session_type (void)
{
  return G_TYPE_OBJECT;
}

GType
busker_mixer_app_stream_type (void)
{
  return G_TYPE_INVALID;
}

gboolean
busker_mixer_session_get_live (GObject *session)
{
  return FALSE;
}

gboolean
busker_mixer_session_read_meter (GObject *session, BuskerStrip *strip, BuskerStripMeter *meter)
{
  meter->peak_db[0] = meter->peak_db[1] = -INFINITY;
  meter->rms_db[0] = meter->rms_db[1] = -INFINITY;
  meter->gain_reduction_db = 0.0f;
  meter->fault = FALSE;
  return FALSE;
}

gboolean
busker_mixer_session_is_missing (GObject *session, BuskerStrip *strip)
{
  return FALSE;
}

char *
busker_mixer_session_dup_track_problem (GObject *session, BuskerStrip *strip)
{
  return NULL;
}

gboolean
busker_mixer_session_route_stream (GObject *session, GObject *stream, BuskerStrip *track,
                                   GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "Live audio is not part of this build.");
  return FALSE;
}
