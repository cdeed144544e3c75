/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The model side of the mix assistant's "Set input levels": new trims as
 * one undoable edit. Checked first, applied after, so a bad entry leaves
 * the project untouched.
 */
#include "busker-project-trims.h"

#include <math.h>

gboolean
busker_project_apply_trims (BuskerProject *project, const char *const *ids,
                            const double *trims_db, guint n, GError **error)
{
  g_return_val_if_fail (BUSKER_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (n == 0 || (ids != NULL && trims_db != NULL), FALSE);

  for (guint i = 0; i < n; i++)
    {
      BuskerStrip *strip = ids[i] != NULL ? busker_project_find_strip (project, ids[i]) : NULL;
      if (strip == NULL || busker_strip_get_kind (strip) != BUSKER_STRIP_TRACK)
        {
          g_set_error (error, BUSKER_PROJECT_ERROR, BUSKER_PROJECT_ERROR_INVALID,
                       "“%s” is not a track of this project: no trim was changed",
                       ids[i] != NULL ? ids[i] : "(null)");
          return FALSE;
        }
      if (!isfinite (trims_db[i]))
        {
          g_set_error (error, BUSKER_PROJECT_ERROR, BUSKER_PROJECT_ERROR_INVALID,
                       "The trim for track “%s” is not a number: no trim was changed", ids[i]);
          return FALSE;
        }
    }

  busker_project_begin_gesture (project);
  for (guint i = 0; i < n; i++)
    {
      BuskerStrip *strip = busker_project_find_strip (project, ids[i]);
      double before = busker_strip_get_trim_db (strip);
      double gain = busker_strip_get_gain_db (strip);

      busker_strip_set_trim_db (strip, trims_db[i]);
      /* The setter clamps: compensate what was really applied. */
      double change = busker_strip_get_trim_db (strip) - before;
      if (isfinite (gain))
        busker_strip_set_gain_db (strip, gain - change);
    }
  busker_project_end_gesture (project);
  return TRUE;
}
