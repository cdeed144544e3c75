/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

/* A command's failure as one line on stderr, "PROGRAM: MESSAGE" (line
 * breaks in the message become spaces, so scripts can show it as is);
 * returns status, the exit status to use. */
int busker_cli_fail (const char *program, int status, const char *format, ...)
  G_GNUC_PRINTF (3, 4);
