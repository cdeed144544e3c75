/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What Busker's command lines (busker-export, busker --headless) share. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Prints "PROGRAM: MESSAGE" as exactly one line on stderr (line breaks in
 * the message become spaces, so a script can show it as is) and returns
 * status, the exit status to give. */
int busker_cli_fail (const char *program, int status, const char *format, ...)
    G_GNUC_PRINTF (3, 4);

G_END_DECLS
