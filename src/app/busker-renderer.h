/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Chooses GTK's cairo renderer when OpenGL is only a software rasterizer
 * (Mesa's llvmpipe or softpipe: a virtual machine, Xvfb, no GPU driver),
 * by setting GSK_RENDERER=cairo; leaves GTK's choice alone otherwise and
 * whenever the user set GSK_RENDERER. Call after gtk_init() and before
 * the first window is realized (GTK reads the variable once). Returns
 * TRUE when it chose cairo. docs/mixer.md says why. */
gboolean busker_renderer_choose (void);

G_END_DECLS
