/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The app icon parses with the loader GTK uses (gdk-pixbuf's SVG loader)
 * at the sizes the desktop asks for, and draws something: opaque pixels in
 * the middle, a transparent margin at the corner (the rounded body).
 */
#include <gdk-pixbuf/gdk-pixbuf.h>

static guint8
alpha_at (GdkPixbuf *pixbuf, int x, int y)
{
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);

  g_assert_cmpint (n_channels, ==, 4);
  return pixels[y * stride + x * n_channels + 3];
}

static void
test_icon_renders (gconstpointer data)
{
  int size = GPOINTER_TO_INT (data);
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkPixbuf) pixbuf = NULL;

  pixbuf = gdk_pixbuf_new_from_file_at_size (ICON_PATH, size, size, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, size);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, size);
  g_assert_true (gdk_pixbuf_get_has_alpha (pixbuf));
  g_assert_cmpint (alpha_at (pixbuf, size / 2, size / 2), ==, 255);
  g_assert_cmpint (alpha_at (pixbuf, 0, 0), ==, 0);
}

int
main (int argc, char *argv[])
{
  static const int sizes[] = { 16, 48, 128, 512 };

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/data/icon/%d", sizes[i]);
      g_test_add_data_func (path, GINT_TO_POINTER (sizes[i]), test_icon_renders);
    }
  return g_test_run ();
}
