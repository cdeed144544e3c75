/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A stand-in for a file manager in the drop tests: a small window whose
 * label, dragged, offers the files named on the command line as a
 * GdkFileList (text/uri-list on the wire), from its own process.
 *   file-drag-source TITLE FILE...
 */
#include <gtk/gtk.h>

static char **paths;

static GdkContentProvider *
on_prepare_cb (GtkDragSource *source, double x, double y, gpointer data)
{
  GSList *files = NULL;
  GdkContentProvider *provider;

  for (int i = 0; paths[i] != NULL; i++)
    files = g_slist_append (files, g_file_new_for_commandline_arg (paths[i]));
  provider = gdk_content_provider_new_typed (GDK_TYPE_FILE_LIST, files);
  g_slist_free_full (files, g_object_unref);
  return provider;
}

static void
on_destroy_cb (GtkWidget *window, gboolean *done)
{
  *done = TRUE;
}

int
main (int argc, char *argv[])
{
  GtkWidget *window, *label;
  GtkDragSource *source;
  gboolean done = FALSE;

  if (argc < 3)
    {
      g_printerr ("usage: file-drag-source TITLE FILE...\n");
      return 2;
    }
  paths = argv + 2;
  gtk_init ();
  window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), argv[1]);
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 240, 80);
  label = gtk_label_new ("Drag these files");
  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect (source, "prepare", G_CALLBACK (on_prepare_cb), NULL);
  gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (source));
  gtk_window_set_child (GTK_WINDOW (window), label);
  g_signal_connect (window, "destroy", G_CALLBACK (on_destroy_cb), &done);
  gtk_window_present (GTK_WINDOW (window));
  g_print ("ready\n");
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}
