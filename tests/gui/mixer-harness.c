/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A test program: the mixer widget alone in a window, for the AT-SPI test
 * and the benchmark, until src/app's window embeds it.
 *   mixer-harness PROJECT [--size WxH] [--meters moving|silent]
 *                 [--meter-rate HZ] [--quit-after S] [--measure-after S]
 * --meters feeds the meters from a test-only source (busker-mixer-private.h):
 * "moving" is a synthetic benchmark input (each strip a slow sine in dB
 * plus a 4 Hz flutter), "silent" is −inf; this is never live audio. On
 * the first frame drawn it prints "first-frame-ms N" (since main()).
 * Ctrl+Z undoes. It runs until closed, terminated or --quit-after; with
 * --measure-after it then prints, from that moment on, the frame clock's
 * frames, the frames actually painted (the surface's "render"), the CPU
 * time and the wall time:
 *   "measured frames N painted P cpu-ms C wall-ms W"
 * and, when tests/bench/alloc-count.c is preloaded, the main thread's heap
 * allocations in that time: all of them, those in the frame clock's
 * update phase (the mixer's meter tick) and those from layout to the end
 * of the paint (snapshots, GSK's nodes and rendering):
 *   "allocations A update U paint P strip-snapshot S"
 * where S is what one call of a strip's snapshot allocates (GTK's nodes
 * for the meter bars, the node of its controls as GTK hands it back).
 */
#include "config.h"

#include <adwaita.h>
#include <dlfcn.h>
#include <math.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "app/busker-application.h"
#include "app/busker-renderer.h"
#include "widgets/busker-mixer-private.h"

static gint64 start_us;
static gboolean silent;
/* Frames painted, and the counts when measuring began (--measure-after). */
static guint64 frames;
static guint64 frames0;
static guint64 painted;
static guint64 painted0;
static double cpu0_ms;
static gint64 wall0_us;
/* tests/bench/alloc-count.c when preloaded; allocations in the update
 * and layout-to-paint phases while measuring. */
static guint64 (*alloc_count) (void);
static guint64 allocs0, phase_start, update_allocs, paint_allocs;
static GtkWidget *the_mixer;
static double strip_allocs = -1;

static gboolean
synthetic_meter (BuskerStrip *strip, BuskerStripMeter *meter, gpointer data)
{
  BuskerProject *project = data;
  double t = g_get_monotonic_time () / 1e6;
  int i = busker_project_get_strip_position (project, strip);

  for (int c = 0; c < 2; c++)
    {
      double level = -24.0 + 12.0 * sin (t * 0.7 + i * 0.4 + c) + 3.0 * sin (t * 25.0 + i);
      meter->peak_db[c] = silent ? -INFINITY : (float) level;
      meter->rms_db[c] = silent ? -INFINITY : (float) (level - 8.0);
    }
  meter->gain_reduction_db = 0.0f;
  meter->fault = FALSE;
  return TRUE;
}

/* CPU time of the process so far: on a loaded machine the wall clock
 * says more about the other processes. */
static double
cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

static void
on_after_paint_cb (GdkFrameClock *clock, gpointer data)
{
  g_print ("first-frame-ms %.1f cpu-ms %.1f\n", (g_get_monotonic_time () - start_us) / 1000.0,
           cpu_ms ());
  g_signal_handlers_disconnect_by_func (clock, on_after_paint_cb, data);
}

static double strip_snapshot_allocations (GtkWidget *mixer);

static void
count_frame_cb (GdkFrameClock *clock, gpointer data)
{
  frames++;
  if (alloc_count != NULL && wall0_us != 0)
    paint_allocs += alloc_count () - phase_start;
  /* Once, where the strips' allocations are current. */
  if (alloc_count != NULL && wall0_us != 0 && strip_allocs < 0)
    strip_allocs = strip_snapshot_allocations (the_mixer);
}

static void
before_paint_cb (GdkFrameClock *clock, gpointer data)
{
  if (alloc_count != NULL)
    phase_start = alloc_count ();
}

static void
layout_cb (GdkFrameClock *clock, gpointer data)
{
  if (alloc_count == NULL)
    return;
  if (wall0_us != 0)
    update_allocs += alloc_count () - phase_start;
  phase_start = alloc_count ();
}

/* An emission hook: GTK's own handler of "render" stops the emission. */
static gboolean
count_render_hook (GSignalInvocationHint *hint, guint n_values, const GValue *values,
                   gpointer data)
{
  painted++;
  return TRUE;
}

/* The allocations of one call of the first strip's snapshot (its meter's
 * bars over its flattened controls, as on a frame where only the meter
 * moved), less those of the GtkSnapshot around it; averaged over 100. */
static GtkWidget *
first_strip (GtkWidget *widget)
{
  if (BUSKER_IS_CHANNEL_STRIP (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = first_strip (c);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static double
strip_snapshot_allocations (GtkWidget *mixer)
{
  GtkWidget *cs = first_strip (mixer);
  guint64 with = 0, without = 0;

  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < 100; i++)
      {
        GtkSnapshot *snapshot = gtk_snapshot_new ();
        guint64 c0 = alloc_count ();
        GskRenderNode *node;

        if (pass == 1)
          GTK_WIDGET_GET_CLASS (cs)->snapshot (cs, snapshot);
        node = gtk_snapshot_free_to_node (snapshot);
        *(pass == 1 ? &with : &without) += alloc_count () - c0;
        g_clear_pointer (&node, gsk_render_node_unref);
      }
  return (double) (with - without) / 100.0;
}

static void
on_map_cb (GtkWidget *window, gpointer data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), NULL);
  g_signal_connect (clock, "after-paint", G_CALLBACK (count_frame_cb), NULL);
  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), NULL);
  g_signal_connect (clock, "layout", G_CALLBACK (layout_cb), NULL);
  g_signal_add_emission_hook (g_signal_lookup ("render", GDK_TYPE_SURFACE), 0,
                              count_render_hook, NULL, NULL);
}

static gboolean
measure_cb (gpointer data)
{
  frames0 = frames;
  painted0 = painted;
  if (alloc_count != NULL)
    allocs0 = alloc_count ();
  cpu0_ms = cpu_ms ();
  wall0_us = g_get_monotonic_time ();
  return G_SOURCE_REMOVE;
}

static void
on_message_cb (BuskerMixer *mixer, const char *sentence, gpointer data)
{
  g_print ("message %s\n", sentence);
}

static gboolean
undo_cb (GtkWidget *widget, GVariant *args, gpointer data)
{
  if (busker_project_can_undo (data))
    busker_project_undo (data);
  return TRUE;
}

static gboolean
quit_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
on_destroy_cb (GtkWidget *window, gboolean *done)
{
  *done = TRUE;
}

int
main (int argc, char *argv[])
{
  g_autofree char *size = NULL, *meters = NULL;
  double meter_rate = BUSKER_MIXER_METER_RATE_DEFAULT, quit_after = 0, measure_after = 0;
  GOptionEntry entries[] = {
    { "size", 0, 0, G_OPTION_ARG_STRING, &size, "Window size", "WxH" },
    { "meters", 0, 0, G_OPTION_ARG_STRING, &meters, "Test meter source", "moving|silent" },
    { "meter-rate", 0, 0, G_OPTION_ARG_DOUBLE, &meter_rate, "Meter rate", "HZ" },
    { "quit-after", 0, 0, G_OPTION_ARG_DOUBLE, &quit_after, "Quit after", "S" },
    { "measure-after", 0, 0, G_OPTION_ARG_DOUBLE, &measure_after, "Count frames and CPU from", "S" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("PROJECT");
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (BuskerProject) project = NULL;
  g_autoptr (GtkCssProvider) css = NULL;
  GtkWidget *window, *mixer;
  GtkEventController *shortcuts;
  int width = 1366, height = 768;
  gboolean done = FALSE;

  start_us = g_get_monotonic_time ();
  alloc_count = (guint64 (*) (void)) dlsym (RTLD_DEFAULT, "busker_alloc_count");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("mixer-harness: %s\n", error != NULL ? error->message : "give one PROJECT");
      return 2;
    }
  if (size != NULL && sscanf (size, "%dx%d", &width, &height) != 2)
    {
      g_printerr ("mixer-harness: --size wants WxH\n");
      return 2;
    }
  gtk_init ();
  adw_init ();
  busker_renderer_choose (); /* what the app does: the benchmark measures it */
  busker_ensure_resources ();
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/io/github/busker/Busker/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  file = g_file_new_for_commandline_arg (argv[1]);
  project = busker_project_load (file, &error);
  if (project == NULL)
    {
      g_printerr ("mixer-harness: %s\n", error->message);
      return 1;
    }

  window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), "Busker mixer");
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  mixer = busker_mixer_new ();
  {
    gint64 t0 = g_get_monotonic_time ();
    double c0 = cpu_ms ();
    busker_mixer_set_project (BUSKER_MIXER (mixer), project);
    g_printerr ("mixer-harness: %u strips built in %.1f ms, %.1f ms CPU (%.1f ms CPU since start)\n",
                g_list_model_get_n_items (G_LIST_MODEL (project)),
                (g_get_monotonic_time () - t0) / 1000.0, cpu_ms () - c0, cpu_ms ());
  }
  busker_mixer_set_meter_rate (BUSKER_MIXER (mixer), meter_rate);
  the_mixer = mixer;
  if (meters != NULL)
    {
      silent = g_str_equal (meters, "silent");
      busker_mixer_set_meter_reader (BUSKER_MIXER (mixer), synthetic_meter, project);
    }
  g_signal_connect (mixer, "message", G_CALLBACK (on_message_cb), NULL);
  gtk_window_set_child (GTK_WINDOW (window), mixer);
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_z, GDK_CONTROL_MASK),
                                                          gtk_callback_action_new (undo_cb, project, NULL)));
  gtk_widget_add_controller (window, shortcuts);
  g_signal_connect (window, "map", G_CALLBACK (on_map_cb), NULL);
  g_signal_connect (window, "destroy", G_CALLBACK (on_destroy_cb), &done);
  gtk_window_present (GTK_WINDOW (window));
  if (quit_after > 0)
    g_timeout_add ((guint) (quit_after * 1000), quit_cb, &done);
  if (measure_after > 0)
    g_timeout_add ((guint) (measure_after * 1000), measure_cb, NULL);

  while (!done)
    g_main_context_iteration (NULL, TRUE);
  if (measure_after > 0 && wall0_us != 0)
    {
      g_print ("measured frames %" G_GUINT64_FORMAT " painted %" G_GUINT64_FORMAT
               " cpu-ms %.1f wall-ms %.1f\n",
               frames - frames0, painted - painted0, cpu_ms () - cpu0_ms,
               (g_get_monotonic_time () - wall0_us) / 1000.0);
      if (alloc_count != NULL)
        g_print ("allocations %" G_GUINT64_FORMAT " update %" G_GUINT64_FORMAT
                 " paint %" G_GUINT64_FORMAT " strip-snapshot %.1f\n",
                 alloc_count () - allocs0, update_allocs, paint_allocs, strip_allocs);
    }
  if (GTK_IS_WINDOW (window) && !gtk_widget_in_destruction (window))
    gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
