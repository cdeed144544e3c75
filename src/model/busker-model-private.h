/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the model's objects share behind the public headers: which project
 * an object belongs to (so its setters can record undo steps), and the
 * setters the project alone may call because it validates routing first.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <string.h>

#include "busker-project.h"

G_BEGIN_DECLS

typedef void (*BuskerPropSetter) (GObject *object, const GValue *value);

/* The project an object (strip, source, insert, send) sits in, or NULL.
 * Setting it on a strip sets it on everything the strip holds. */
void busker_model_set_owner (gpointer object, BuskerProject *project);
BuskerProject *busker_model_get_owner (gpointer object);

/* Called by a setter just before it changes a value; a no-op for objects
 * outside a project. setter NULL means g_object_set_property. */
void busker_model_record_prop (gpointer object, GParamSpec *pspec,
                               BuskerPropSetter setter);
void busker_model_record_value (BuskerInsert *insert, guint index, float old);
/* Called just after item was inserted at (or just before it is removed
 * from) position of store. */
void busker_model_record_list (gpointer owner_object, GListStore *store,
                               guint position, gpointer item,
                               gboolean inserted);

/* Unknown keys of the file, kept for the round trip; NULL when none. */
JsonObject *busker_model_get_extra (gpointer object);
void busker_model_set_extra (gpointer object, JsonObject *extra);

void _busker_strip_set_output (BuskerStrip *self, const char *output);
GListStore *_busker_strip_get_send_store (BuskerStrip *self);
GListStore *_busker_strip_get_insert_store (BuskerStrip *self);

/* The undo history (busker-undo.c). */
typedef struct _BuskerUndo BuskerUndo;

BuskerUndo *busker_undo_new (guint depth, GCallback changed, gpointer data);
void busker_undo_free (BuskerUndo *undo);
void busker_undo_begin (BuskerUndo *undo);
void busker_undo_end (BuskerUndo *undo);
void busker_undo_add_prop (BuskerUndo *undo, GObject *object,
                           GParamSpec *pspec, BuskerPropSetter setter);
void busker_undo_add_value (BuskerUndo *undo, BuskerInsert *insert,
                            guint index, float old);
void busker_undo_add_list (BuskerUndo *undo, BuskerProject *owner,
                           GListStore *store, guint position, gpointer item,
                           gboolean inserted);
gboolean busker_undo_can_undo (BuskerUndo *undo);
gboolean busker_undo_can_redo (BuskerUndo *undo);
void busker_undo_undo (BuskerUndo *undo);
void busker_undo_redo (BuskerUndo *undo);
void busker_undo_mark_clean (BuskerUndo *undo);
gboolean busker_undo_is_clean (BuskerUndo *undo);
void busker_undo_clear (BuskerUndo *undo);

BuskerUndo *_busker_project_get_undo (BuskerProject *project);
void _busker_project_set_file (BuskerProject *project, GFile *file);
/* Appends strips (not yet in any project) without recording undo. */
void _busker_project_take_strips (BuskerProject *project, GPtrArray *strips);
void _busker_project_add_warning (BuskerProject *project, char *warning);

/* Insert parameter names are JSON paths ("bands[2].freq_hz"); this is the
 * length of the first segment ("bands"). */
static inline gsize
busker_param_path_first_segment (const char *name)
{
  return strcspn (name, "[.");
}

/* qdata key of the unknown members of an insert's indexed objects. */
#define BUSKER_MODEL_NESTED_EXTRA "busker-nested-extra"

G_END_DECLS
