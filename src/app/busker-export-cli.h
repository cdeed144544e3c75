/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* busker-export's whole program; FORMAT.md has the contract. Returns the
 * exit status: 0 success, 1 runtime failure, 2 bad usage or bad input. */
int busker_export_cli_main (int argc, char **argv);
