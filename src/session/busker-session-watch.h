/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Watches a project and everything in it, and sorts each change into
 * what the running mix needs: a new plan (structure) or one atomic store
 * (a parameter). See busker-session-watch.c for which is which.
 *
 * Threads: main thread only.
 */
#pragma once

#include "model/busker-project.h"

G_BEGIN_DECLS

typedef enum {
  BUSKER_WATCH_STRUCTURE,     /* object: whatever changed; build a new plan */
  BUSKER_WATCH_APPS,          /* object: the live track whose "apps" changed */
  BUSKER_WATCH_TRIM,          /* object: the strip, for these six */
  BUSKER_WATCH_POLARITY,
  BUSKER_WATCH_GAIN,
  BUSKER_WATCH_PAN,
  BUSKER_WATCH_MUTE,
  BUSKER_WATCH_SOLO,
  BUSKER_WATCH_SEND_LEVEL,    /* object: the send, for these three */
  BUSKER_WATCH_SEND_PAN,
  BUSKER_WATCH_SEND_MUTE,
  BUSKER_WATCH_INSERT_VALUE,  /* object: the insert; index: the parameter */
  BUSKER_WATCH_INSERT_BYPASS, /* object: the insert */
} BuskerWatchEvent;

typedef void (*BuskerWatchFunc) (gpointer data, BuskerWatchEvent event,
                                 GObject *object, guint index);

typedef struct _BuskerSessionWatch BuskerSessionWatch;

BuskerSessionWatch *busker_session_watch_new (BuskerProject *project,
                                              BuskerWatchFunc func, gpointer data);
void busker_session_watch_free (BuskerSessionWatch *watch);

/* Watches the strips, sources, inserts and sends the project holds now;
 * call after a structural change has been acted on. */
void busker_session_watch_refresh (BuskerSessionWatch *watch);

/* The strip a watched source, insert or send belongs to (unowned), or
 * NULL. */
BuskerStrip *busker_session_watch_get_strip (BuskerSessionWatch *watch,
                                             gpointer object);

G_END_DECLS
