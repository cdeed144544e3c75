/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>

#include "busker-export-cli.h"

int
busker_export_cli_main (int argc, char **argv)
{
  fprintf (stderr, "busker-export: offline export has not landed yet\n");
  return 1;
}
