/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "busker-project.h"

G_BEGIN_DECLS

/* "Set input levels": sets each listed track's trim to trims_db[i] (clamped
 * to -24...+24 dB) and moves its fader by the opposite change, so what
 * leaves the track stays as loud as before (exactly so when its inserts
 * are linear; the fader is clamped to its +12 dB top). All of it is one
 * undo step. ids[i] must name a track of the project and trims_db[i] be
 * finite; otherwise nothing changes and the error
 * (BUSKER_PROJECT_ERROR_INVALID) names the strip. */
gboolean busker_project_apply_trims (BuskerProject *project, const char *const *ids,
                                     const double *trims_db, guint n, GError **error);

G_END_DECLS
