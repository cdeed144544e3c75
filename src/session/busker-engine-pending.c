/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * TEMPORARY, NOT A FEATURE: placeholders for the live node, the transport
 * and the recorder (src/engine/busker-live.h, busker-transport.h,
 * busker-recorder.h) while their real implementations are written on
 * other branches (issue 9). They only let the session build and run
 * offline: the live node never connects, the transport plays nothing, the
 * recorder refuses. This file is deleted by the rebase that brings the
 * real ones.
 */
#include <gio/gio.h>

#include "engine/busker-live.h"
#include "engine/busker-recorder.h"
#include "engine/busker-transport.h"

struct _BuskerLive {
  int unused;
};

BuskerLive *
busker_live_new (BuskerPlanSwap *swap, const BuskerLiveHooks *hooks,
                 const BuskerLiveCallbacks *callbacks)
{
  return g_new0 (BuskerLive, 1);
}

void busker_live_free (BuskerLive *live) { g_free (live); }
BuskerLiveState busker_live_get_state (BuskerLive *live) { return BUSKER_LIVE_DISCONNECTED; }
uint32_t busker_live_get_rate (BuskerLive *live) { return 48000; }
uint32_t busker_live_get_max_block (BuskerLive *live) { return 8192; }
void busker_live_set_tracks (BuskerLive *live, const BuskerMixDesc *desc) {}
void busker_live_set_track_apps (BuskerLive *live, const char *track_id,
                                 const char *const *apps) {}
const BuskerLiveStream *
busker_live_get_streams (BuskerLive *live, uint32_t *n_streams)
{
  *n_streams = 0;
  return NULL;
}
bool busker_live_move_stream (BuskerLive *live, uint32_t node_id, const char *track_id) { return false; }
void busker_live_set_latency (BuskerLive *live, uint32_t frames) {}
uint32_t busker_live_read_xruns (BuskerLive *live) { return 0; }

struct _BuskerTransport {
  bool playing, loop;
};

BuskerTransport *busker_transport_new (uint32_t rate_hz, uint32_t max_block) { return g_new0 (BuskerTransport, 1); }
void busker_transport_free (BuskerTransport *transport) { g_free (transport); }
void busker_transport_bind (BuskerTransport *transport, const BuskerMixDesc *desc, BuskerPlan *plan) {}
void busker_transport_set_rate (BuskerTransport *transport, uint32_t rate_hz) {}
void busker_transport_play (BuskerTransport *transport) { transport->playing = true; }
void busker_transport_pause (BuskerTransport *transport) { transport->playing = false; }
void busker_transport_stop (BuskerTransport *transport) { transport->playing = false; }
void busker_transport_seek (BuskerTransport *transport, double position_s) {}
void busker_transport_set_loop (BuskerTransport *transport, bool loop) { transport->loop = loop; }
bool busker_transport_is_playing (BuskerTransport *transport) { return transport->playing; }
double busker_transport_get_position_s (BuskerTransport *transport) { return 0; }
double busker_transport_get_length_s (BuskerTransport *transport) { return 0; }
bool busker_transport_is_at_end (BuskerTransport *transport) { return false; }
bool busker_transport_is_missing (BuskerTransport *transport, const char *strip_id) { return false; }
uint32_t busker_transport_read_underruns (BuskerTransport *transport) { return 0; }
void busker_transport_fill (BuskerTransport *transport, BuskerPlan *plan, uint32_t n) {}

BuskerRecorder *
busker_recorder_new (const char *path, uint32_t rate_hz, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "%s: recording is not built yet", path);
  return NULL;
}
void busker_recorder_push (BuskerRecorder *recorder, const float *left, const float *right, uint32_t n) {}
bool busker_recorder_finish (BuskerRecorder *recorder, GError **error) { return false; }
