/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BUSKER_TYPE_APPLICATION (busker_application_get_type ())
G_DECLARE_FINAL_TYPE (BuskerApplication, busker_application, BUSKER, APPLICATION, AdwApplication)

BuskerApplication *busker_application_new (void);

/* Registers the UI resources once; tests that build widgets call it. */
void busker_ensure_resources (void);

G_END_DECLS
