/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the mixer asks of the session (src/session/busker-session.h), in
 * one place. Until the session's implementation is in the tree the build
 * uses busker-mixer-session-none.c instead (src/widgets/meson.build
 * chooses): no session type can then exist, so meters stay at −inf and
 * no stream can be dropped — never faked.
 */
#pragma once

#include "model/busker-project.h"
#include "session/busker-session.h"

G_BEGIN_DECLS

/* BUSKER_TYPE_SESSION, or G_TYPE_OBJECT without the implementation. */
GType busker_mixer_session_type (void);
/* BUSKER_TYPE_APP_STREAM, or G_TYPE_INVALID without the implementation. */
GType busker_mixer_app_stream_type (void);
/* Live audio runs: only then can meters move. */
gboolean busker_mixer_session_get_live (GObject *session);
gboolean busker_mixer_session_read_meter (GObject *session, BuskerStrip *strip,
                                          BuskerStripMeter *meter);
gboolean busker_mixer_session_is_missing (GObject *session, BuskerStrip *strip);
/* Why a live or capture track is not heard (one sentence), or NULL. */
char *busker_mixer_session_dup_track_problem (GObject *session, BuskerStrip *strip);
gboolean busker_mixer_session_route_stream (GObject *session, GObject *stream,
                                            BuskerStrip *track, GError **error);

G_END_DECLS
