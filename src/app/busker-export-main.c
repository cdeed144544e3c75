/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "app/busker-export-cli.h"
#include "app/busker-i18n.h"

int
main (int argc, char *argv[])
{
  busker_i18n_init ();
  return busker_export_cli_main (argc, argv);
}
