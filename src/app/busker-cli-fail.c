/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "busker-cli-fail.h"

#include <stdio.h>

int
busker_cli_fail (const char *program, int status, const char *format, ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_strdelimit (msg, "\r\n", ' ');
  fprintf (stderr, "%s: %s\n", program, msg);
  return status;
}
