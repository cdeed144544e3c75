/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "session/busker-session.h"

G_BEGIN_DECLS

#define BUSKER_TYPE_LOUDNESS_READOUT (busker_loudness_readout_get_type ())
G_DECLARE_FINAL_TYPE (BuskerLoudnessReadout, busker_loudness_readout, BUSKER, LOUDNESS_READOUT,
                      GtkWidget)

/* The master's loudness as numbers, from busker_session_read_master_meter:
 * short-term and integrated loudness (LUFS, EBU R 128), the largest true
 * peak since the integrated measurement began (dBTP) and the stereo
 * correlation (−1 … +1). Reads five times a second while the session is
 * live; shows "—" for what is not measured yet; hidden, with no
 * timer, without live audio. */
GtkWidget *busker_loudness_readout_new (BuskerSession *session);

/* "−17.9" for −17.94; "—" for −inf, NaN or under −70 (the BS.1770
 * absolute gate): the text of one value. */
char *busker_loudness_format (float value);

G_END_DECLS
