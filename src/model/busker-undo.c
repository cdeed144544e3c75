/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Undo history of a project.
 *
 * Design: every operation is a swap. A property step stores one value;
 * applying it swaps the stored value with the object's current one, so the
 * same code undoes and redoes. A list step remembers whether its item is
 * in the store and toggles that. A step (one user action) is a group of
 * operations, undone in reverse order, redone in order. Inside one group a
 * second change of the same property is not recorded: the first one holds
 * the value from before the group, which is what makes a fader drag one
 * step. Structural edits (add/remove strip) record their side effects
 * (rerouted outputs, dropped sends) into the same group, so undo restores
 * them exactly. Beyond the depth the oldest step is forgotten.
 */
#include "busker-model-private.h"

typedef enum { OP_PROP, OP_VALUE, OP_LIST } OpKind;

typedef struct {
  OpKind kind;
  GObject *object; /* owned (but see borrowed): the object, insert, item */
  gboolean borrowed; /* object is the project, which owns us: no cycle */
  /* OP_PROP */
  GParamSpec *pspec;
  BuskerPropSetter setter;
  GValue value;
  /* OP_VALUE */
  guint index;
  float fvalue;
  /* OP_LIST */
  BuskerProject *owner; /* unowned: the project owns the history */
  GListStore *store;    /* owned */
  guint position;
  gboolean inserted;
} Op;

struct _BuskerUndo {
  GPtrArray *steps; /* of GPtrArray of Op */
  guint position;   /* steps before it are done; after it, redoable */
  int clean;        /* position at the last save, -1 when lost */
  guint depth;
  guint nesting;
  GPtrArray *open; /* the group being recorded */
  gboolean replaying;
  GCallback changed;
  gpointer data; /* the project */
};

static void
op_free (Op *op)
{
  if (!op->borrowed)
    g_clear_object (&op->object);
  g_clear_object (&op->store);
  if (G_IS_VALUE (&op->value))
    g_value_unset (&op->value);
  g_free (op);
}

static GPtrArray *
group_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) op_free);
}

static void
notify_changed (BuskerUndo *undo)
{
  if (undo->changed)
    ((void (*) (gpointer)) undo->changed) (undo->data);
}

BuskerUndo *
busker_undo_new (guint depth, GCallback changed, gpointer data)
{
  BuskerUndo *undo = g_new0 (BuskerUndo, 1);
  undo->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  undo->depth = MAX (depth, 1);
  undo->changed = changed;
  undo->data = data;
  return undo;
}

void
busker_undo_free (BuskerUndo *undo)
{
  if (undo == NULL)
    return;
  g_ptr_array_unref (undo->steps);
  g_clear_pointer (&undo->open, g_ptr_array_unref);
  g_free (undo);
}

void
busker_undo_begin (BuskerUndo *undo)
{
  if (undo->nesting++ == 0)
    undo->open = group_new ();
}

void
busker_undo_end (BuskerUndo *undo)
{
  g_return_if_fail (undo->nesting > 0);
  if (--undo->nesting > 0)
    return;

  g_autoptr (GPtrArray) group = g_steal_pointer (&undo->open);
  if (group->len == 0)
    return;

  /* A new step drops the redo branch. */
  if (undo->position < undo->steps->len)
    {
      if (undo->clean > (int) undo->position)
        undo->clean = -1;
      g_ptr_array_set_size (undo->steps, undo->position);
    }
  g_ptr_array_add (undo->steps, g_steal_pointer (&group));
  undo->position++;
  if (undo->steps->len > undo->depth)
    {
      g_ptr_array_remove_index (undo->steps, 0);
      undo->position--;
      undo->clean = undo->clean > 0 ? undo->clean - 1 : -1;
    }
  notify_changed (undo);
}

static gboolean
recording (BuskerUndo *undo)
{
  return !undo->replaying;
}

static void
add_op (BuskerUndo *undo, Op *op)
{
  gboolean wrap = undo->nesting == 0;
  if (wrap)
    busker_undo_begin (undo);
  g_ptr_array_add (undo->open, op);
  if (wrap)
    busker_undo_end (undo);
}

/* The first change of a value inside a group holds its value from before. */
static gboolean
already_recorded (BuskerUndo *undo, OpKind kind, GObject *object,
                  GParamSpec *pspec, guint index)
{
  if (undo->open == NULL)
    return FALSE;
  for (guint i = 0; i < undo->open->len; i++)
    {
      Op *op = g_ptr_array_index (undo->open, i);
      if (op->kind == kind && op->object == object && op->pspec == pspec
          && op->index == index)
        return TRUE;
    }
  return FALSE;
}

void
busker_undo_add_prop (BuskerUndo *undo, GObject *object, GParamSpec *pspec,
                      BuskerPropSetter setter)
{
  if (!recording (undo) || already_recorded (undo, OP_PROP, object, pspec, 0))
    return;
  Op *op = g_new0 (Op, 1);
  op->kind = OP_PROP;
  op->borrowed = (gpointer) object == undo->data;
  op->object = op->borrowed ? object : g_object_ref (object);
  op->pspec = pspec;
  op->setter = setter;
  g_value_init (&op->value, pspec->value_type);
  g_object_get_property (object, pspec->name, &op->value);
  add_op (undo, op);
}

void
busker_undo_add_value (BuskerUndo *undo, BuskerInsert *insert, guint index,
                       float old)
{
  if (!recording (undo)
      || already_recorded (undo, OP_VALUE, G_OBJECT (insert), NULL, index))
    return;
  Op *op = g_new0 (Op, 1);
  op->kind = OP_VALUE;
  op->object = g_object_ref (G_OBJECT (insert));
  op->index = index;
  op->fvalue = old;
  add_op (undo, op);
}

void
busker_undo_add_list (BuskerUndo *undo, BuskerProject *owner,
                      GListStore *store, guint position, gpointer item,
                      gboolean inserted)
{
  if (!recording (undo))
    return;
  Op *op = g_new0 (Op, 1);
  op->kind = OP_LIST;
  op->object = g_object_ref (item);
  op->owner = owner;
  op->store = g_object_ref (store);
  op->position = position;
  op->inserted = inserted;
  op->index = G_MAXUINT; /* never matches already_recorded */
  add_op (undo, op);
}

static void
op_apply (Op *op)
{
  switch (op->kind)
    {
    case OP_PROP:
      {
        g_auto (GValue) current = G_VALUE_INIT;
        g_value_init (&current, op->pspec->value_type);
        g_object_get_property (op->object, op->pspec->name, &current);
        if (op->setter)
          op->setter (op->object, &op->value);
        else
          g_object_set_property (op->object, op->pspec->name, &op->value);
        g_value_unset (&op->value);
        g_value_init (&op->value, op->pspec->value_type);
        g_value_copy (&current, &op->value);
        break;
      }
    case OP_VALUE:
      {
        BuskerInsert *insert = BUSKER_INSERT (op->object);
        float current = busker_insert_get_value (insert, op->index);
        busker_insert_set_value (insert, op->index, op->fvalue);
        op->fvalue = current;
        break;
      }
    case OP_LIST:
      if (op->inserted)
        {
          g_list_store_remove (op->store, op->position);
          busker_model_set_owner (op->object, NULL);
        }
      else
        {
          busker_model_set_owner (op->object, op->owner);
          g_list_store_insert (op->store, op->position, op->object);
        }
      op->inserted = !op->inserted;
      break;
    }
}

gboolean
busker_undo_can_undo (BuskerUndo *undo)
{
  return undo->position > 0;
}

gboolean
busker_undo_can_redo (BuskerUndo *undo)
{
  return undo->position < undo->steps->len;
}

void
busker_undo_undo (BuskerUndo *undo)
{
  g_return_if_fail (undo->nesting == 0);
  if (!busker_undo_can_undo (undo))
    return;
  GPtrArray *group = g_ptr_array_index (undo->steps, undo->position - 1);
  undo->replaying = TRUE;
  for (guint i = group->len; i > 0; i--)
    op_apply (g_ptr_array_index (group, i - 1));
  undo->replaying = FALSE;
  undo->position--;
  notify_changed (undo);
}

void
busker_undo_redo (BuskerUndo *undo)
{
  g_return_if_fail (undo->nesting == 0);
  if (!busker_undo_can_redo (undo))
    return;
  GPtrArray *group = g_ptr_array_index (undo->steps, undo->position);
  undo->replaying = TRUE;
  for (guint i = 0; i < group->len; i++)
    op_apply (g_ptr_array_index (group, i));
  undo->replaying = FALSE;
  undo->position++;
  notify_changed (undo);
}

void
busker_undo_mark_clean (BuskerUndo *undo)
{
  undo->clean = (int) undo->position;
  notify_changed (undo);
}

gboolean
busker_undo_is_clean (BuskerUndo *undo)
{
  return undo->clean == (int) undo->position && undo->open == NULL;
}

void
busker_undo_clear (BuskerUndo *undo)
{
  g_return_if_fail (undo->nesting == 0);
  g_ptr_array_set_size (undo->steps, 0);
  undo->position = 0;
  undo->clean = 0;
  notify_changed (undo);
}
