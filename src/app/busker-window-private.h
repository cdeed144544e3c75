/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the window's parts share: busker-window.c (state, title, close),
 * busker-window-files.c (new, open, recent, save, save as),
 * busker-window-actions.c (undo, transport, export actions).
 */
#pragma once

#include "busker-recovery.h"
#include "busker-window.h"

G_BEGIN_DECLS

struct _BuskerWindow
{
  AdwApplicationWindow parent_instance;

  /* template */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkStack *mixer_stack;
  GtkRevealer *live_off_revealer;
  GtkLabel *live_off_label;
  GtkRevealer *apps_revealer;
  GtkBox *apps_box;
  GtkActionBar *transport_bar;
  GtkBox *transport_box;

  GtkWidget *mixer;             /* the mixer page of mixer_stack */
  GSimpleActionGroup *mixer_group; /* forwards "mixer.*" from outside the mixer */
  BuskerSession *session;       /* one per window, for its whole life */
  BuskerProject *project;       /* NULL: the empty state */
  GBinding *dirty_binding;
  gulong project_handlers[1];
  BuskerRecovery *recovery;     /* autosaves the project; NULL with no project */
  gboolean restored;            /* the project came from an autosave not yet saved */
  gboolean closing;             /* the close dialog said discard or saved */

  GSettings *settings;          /* NULL when the schema is not installed */
  GMenu *recent_menu;
  GMenu *file_section;          /* of the primary menu; takes "Open Recent" */
};

/* busker-window.c */
void busker_window_set_project (BuskerWindow *self, BuskerProject *project,
                                gboolean restored);
void busker_window_update_title (BuskerWindow *self);
void busker_window_set_restored (BuskerWindow *self, gboolean restored);

/* busker-window-advice.c: the mix assistant's panel and toggle. */
void busker_window_advice_init (BuskerWindow *self);

/* busker-window-files.c */
void busker_window_files_init (BuskerWindow *self);
void busker_window_files_watch_recent (BuskerWindow *self);
void busker_window_remember_recent (BuskerWindow *self, GFile *file);
/* Saves to the project's file, or asks for one first. done (may be NULL)
 * runs with TRUE once saved, FALSE when cancelled or failed. */
void busker_window_save (BuskerWindow *self, gboolean ask_for_file,
                         void (*done) (BuskerWindow *self, gboolean saved));

/* busker-window-actions.c */
void busker_window_actions_init (BuskerWindow *self);
void busker_window_actions_update (BuskerWindow *self);

G_END_DECLS
