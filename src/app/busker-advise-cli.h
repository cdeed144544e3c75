/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

/* busker-export --advise / --apply-trims (docs/assistant.md). wanted is
 * TRUE when the command line asks for either; main then is the whole
 * program, returning the exit status (0, 1 runtime failure, 2 usage). */
gboolean busker_advise_cli_wanted (int argc, char **argv);
int busker_advise_cli_main (int argc, char **argv);

/* Lists the options in busker-export --help-all / --help-advise. */
void busker_advise_cli_add_help (GOptionContext *context);
