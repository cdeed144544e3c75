/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Shared by the mixer's GUI tests and benchmark: a window hosting one
 * BuskerMixer, main-loop waiting, real input through xdotool, screenshots.
 */
#pragma once

#include <adwaita.h>

#include "widgets/busker-fader.h"
#include "widgets/busker-mixer-private.h"

G_BEGIN_DECLS

typedef struct {
  GtkWindow *window;
  BuskerMixer *mixer;
  BuskerProject *project;
  GPtrArray *messages; /* of char*, what the mixer said */
} MixerHost;

/* Loads path, shows it in an undecorated width×height window titled
 * title (so window and surface coordinates are the same). */
MixerHost *mixer_host_new (const char *path, int width, int height, const char *title);
void mixer_host_free (MixerHost *host);

/* Spins the main loop until cond (data) holds; 60 s is a hang guard. */
void mixer_wait_until (gboolean (*cond) (gpointer), gpointer data, const char *what);
/* Spins the main loop for ms milliseconds. */
void mixer_spin (guint ms);
/* Runs xdotool with args while the main loop keeps running. */
void mixer_xdotool (const char *const *args);
/* The centre of widget in window coordinates. */
void mixer_widget_centre (GtkWidget *widget, GtkWindow *window, int *x, int *y);
/* ImageMagick `import` of the screen into $BUSKER_SCREENSHOT_DIR/name. */
void mixer_screenshot (const char *name);

/* Widget tree searches: the first of a type, CSS node name or class. */
GtkWidget *find_type (GtkWidget *widget, GType type);
GtkWidget *find_css_name (GtkWidget *widget, const char *name);
GtkWidget *find_css_class (GtkWidget *widget, const char *klass);
/* Every BuskerChannelStrip below widget, in tree order. */
void collect_strips (GtkWidget *widget, GPtrArray *out);
/* The vertical gain fader of the strip with that id. */
BuskerFader *fader_of (MixerHost *host, const char *id);
/* A real drag (xdotool) of from's name header onto the strip of onto. */
void drag_strip (MixerHost *host, const char *from, const char *onto);
/* A real drag (xdotool) between two points of the screen (the host
 * window sits at 0,0: its coordinates are the screen's). */
void drag_points (int x0, int y0, int x1, int y1);
/* A real drag from one widget's centre to another's. */
void drag_widget (MixerHost *host, GtkWidget *from, GtkWidget *onto);
/* Gives the host window the keyboard focus (X11, no window manager). */
void focus_host (MixerHost *host);
/* A real click (xdotool) on widget's centre; modifier may be NULL. */
void click_widget (MixerHost *host, GtkWidget *widget, const char *modifier);
gboolean has_send_to (BuskerStrip *strip, const char *to);

G_END_DECLS
