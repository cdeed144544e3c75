/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the session's own files and its tests share behind
 * busker-session.h. Main thread only.
 */
#pragma once

#include "engine/busker-live.h"
#include "engine/busker-plan.h"
#include "busker-session.h"

G_BEGIN_DECLS

/* busker-app-stream.c: a copy of the live node's stream record. */
BuskerAppStream *busker_app_stream_new (const BuskerLiveStream *stream);
/* Takes the new strings; stream->node_id must be the object's. */
void busker_app_stream_update (BuskerAppStream *self, const BuskerLiveStream *stream);
guint busker_app_stream_get_node_id (BuskerAppStream *self);

/* For tests: the plan the session published last (NULL before the first
 * one), and how many plans it has built since it was made. */
BuskerPlan *busker_session_get_plan (BuskerSession *self);
guint busker_session_get_n_rebuilds (BuskerSession *self);
/* For tests: the plan index of a strip, -1 when not in the plan. */
int busker_session_get_strip_index (BuskerSession *self, BuskerStrip *strip);

G_END_DECLS
