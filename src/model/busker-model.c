/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Ownership and undo recording shared by every model object. The owner is
 * a plain (unowned) pointer in qdata: the project sets it when an object
 * enters it and clears it when the object leaves or the project goes, so
 * an object outside a project records nothing.
 */
#include "busker-model-private.h"

static GQuark
owner_quark (void)
{
  static GQuark q;
  if (G_UNLIKELY (q == 0))
    q = g_quark_from_static_string ("busker-model-owner");
  return q;
}

static GQuark
extra_quark (void)
{
  static GQuark q;
  if (G_UNLIKELY (q == 0))
    q = g_quark_from_static_string ("busker-model-extra");
  return q;
}

static void
set_owner_on_list (GListModel *list, BuskerProject *project)
{
  guint n = g_list_model_get_n_items (list);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (list, i);
      busker_model_set_owner (item, project);
    }
}

void
busker_model_set_owner (gpointer object, BuskerProject *project)
{
  if (object == NULL)
    return;
  g_object_set_qdata (G_OBJECT (object), owner_quark (), project);
  if (BUSKER_IS_STRIP (object))
    {
      BuskerStrip *strip = object;
      busker_model_set_owner (busker_strip_get_source (strip), project);
      set_owner_on_list (busker_strip_get_inserts (strip), project);
      set_owner_on_list (busker_strip_get_sends (strip), project);
    }
}

BuskerProject *
busker_model_get_owner (gpointer object)
{
  return g_object_get_qdata (G_OBJECT (object), owner_quark ());
}

void
busker_model_record_prop (gpointer object, GParamSpec *pspec,
                          BuskerPropSetter setter)
{
  BuskerProject *project = busker_model_get_owner (object);
  if (project)
    busker_undo_add_prop (_busker_project_get_undo (project), object, pspec,
                          setter);
}

void
busker_model_record_value (BuskerInsert *insert, guint index, float old)
{
  BuskerProject *project = busker_model_get_owner (insert);
  if (project)
    busker_undo_add_value (_busker_project_get_undo (project), insert, index,
                           old);
}

void
busker_model_record_list (gpointer owner_object, GListStore *store,
                          guint position, gpointer item, gboolean inserted)
{
  BuskerProject *project = BUSKER_IS_PROJECT (owner_object)
                               ? owner_object
                               : busker_model_get_owner (owner_object);
  if (project)
    busker_undo_add_list (_busker_project_get_undo (project), project, store,
                          position, item, inserted);
}

JsonObject *
busker_model_get_extra (gpointer object)
{
  return g_object_get_qdata (G_OBJECT (object), extra_quark ());
}

void
busker_model_set_extra (gpointer object, JsonObject *extra)
{
  g_object_set_qdata_full (G_OBJECT (object), extra_quark (),
                           extra ? json_object_ref (extra) : NULL,
                           (GDestroyNotify) json_object_unref);
}
