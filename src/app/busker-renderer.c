/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Which GSK renderer the window draws with.
 *
 * The mixer's meters move up to 60 times a second. GTK 4.8's GL renderer
 * repaints the whole window every frame, which costs nothing much on a
 * GPU but a whole core when the "GPU" is Mesa's software rasterizer: 99 %
 * of a core against 17 % for the cairo renderer, which repaints only the
 * meters (tests/bench/bench-mixer.py, docs/mixer.md). So when the GL
 * driver names itself a software rasterizer, Busker asks for cairo. The
 * probe is one GL context made, asked GL_RENDERER and dropped; without GL
 * at all GTK already uses cairo.
 */
#include "config.h"

#include <epoxy/gl.h>
#include <gtk/gtk.h>
#include <string.h>

#include "busker-renderer.h"

static gboolean
is_software (const char *renderer)
{
  static const char *const names[] = { "llvmpipe", "softpipe", "Software Rasterizer", "SWR" };

  for (guint i = 0; renderer != NULL && i < G_N_ELEMENTS (names); i++)
    if (strstr (renderer, names[i]) != NULL)
      return TRUE;
  return FALSE;
}

gboolean
busker_renderer_choose (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr (GdkGLContext) context = NULL;
  gboolean software;

  if (g_getenv ("GSK_RENDERER") != NULL || display == NULL)
    return FALSE;
  context = gdk_display_create_gl_context (display, NULL);
  if (context == NULL || !gdk_gl_context_realize (context, NULL))
    return FALSE;
  gdk_gl_context_make_current (context);
  software = is_software ((const char *) glGetString (GL_RENDERER));
  gdk_gl_context_clear_current ();
  if (software)
    g_setenv ("GSK_RENDERER", "cairo", TRUE);
  return software;
}
