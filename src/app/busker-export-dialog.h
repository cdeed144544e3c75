/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "busker-window.h"
#include "model/busker-project.h"

G_BEGIN_DECLS

#define BUSKER_TYPE_EXPORT_DIALOG (busker_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (BuskerExportDialog, busker_export_dialog, BUSKER, EXPORT_DIALOG, AdwWindow)

/* Shows the export dialog for project over window; stems: "Export Stems…"
 * (stems switched on). The result goes to a toast in window. */
BuskerExportDialog *busker_export_dialog_present (BuskerWindow *window, BuskerProject *project,
                                                  gboolean stems);

/* The path the mix goes to (for tests and the file row). */
const char *busker_export_dialog_get_path (BuskerExportDialog *self);

G_END_DECLS
