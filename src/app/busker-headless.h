/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `busker --headless`: the live mixer without a window (FORMAT.md). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether argv asks for --headless (before any "--"). */
gboolean busker_headless_requested (int argc, char **argv);
/* Runs it; the process's exit status. */
int busker_headless_main (int argc, char **argv);

G_END_DECLS
