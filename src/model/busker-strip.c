/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One strip of the desk: a track, subgroup, aux bus or the master. Every
 * field of the file format is a property that notifies only on a real
 * change. The id and kind are fixed for the strip's life (routing refers to
 * the id); the output changes only through the project, which checks it.
 */
#include <math.h>
#include <string.h>

#include "busker-model-enums.h"
#include "busker-model-private.h"

struct _BuskerStrip {
  GObject parent_instance;
  char *id;
  BuskerStripKind kind;
  char *name;
  char *color;
  BuskerSource *source;
  double trim_db;
  gboolean polarity_invert;
  double gain_db;
  double pan;
  gboolean mute;
  gboolean solo;
  char *output;
  GListStore *inserts;
  GListStore *sends;
};

G_DEFINE_FINAL_TYPE (BuskerStrip, busker_strip, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_NAME,
  PROP_COLOR,
  PROP_SOURCE,
  PROP_TRIM_DB,
  PROP_POLARITY_INVERT,
  PROP_GAIN_DB,
  PROP_PAN,
  PROP_MUTE,
  PROP_SOLO,
  PROP_OUTPUT,
  PROP_INSERTS,
  PROP_SENDS,
  N_PROPS
};
static GParamSpec *pspecs[N_PROPS];

BuskerStrip *
busker_strip_new (BuskerStripKind kind, const char *id)
{
  g_return_val_if_fail (busker_strip_id_is_valid (id), NULL);
  return g_object_new (BUSKER_TYPE_STRIP, "kind", kind, "id", id, NULL);
}

gboolean
busker_strip_id_is_valid (const char *id)
{
  if (id == NULL || *id == '\0')
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'
          || *p == '-'))
      return FALSE;
  return TRUE;
}

const char *
busker_strip_kind_to_string (BuskerStripKind kind)
{
  switch (kind)
    {
    case BUSKER_STRIP_SUBGROUP: return "subgroup";
    case BUSKER_STRIP_AUX: return "aux";
    case BUSKER_STRIP_MASTER: return "master";
    case BUSKER_STRIP_TRACK: default: return "track";
    }
}

const char *
busker_strip_get_id (BuskerStrip *self)
{
  g_return_val_if_fail (BUSKER_IS_STRIP (self), NULL);
  return self->id;
}

BuskerStripKind
busker_strip_get_kind (BuskerStrip *self)
{
  g_return_val_if_fail (BUSKER_IS_STRIP (self), BUSKER_STRIP_TRACK);
  return self->kind;
}

static void
set_string (BuskerStrip *self, char **field, const char *value, guint prop,
            BuskerPropSetter setter)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  busker_model_record_prop (self, pspecs[prop], setter);
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[prop]);
}

static void
set_double (BuskerStrip *self, double *field, double value, guint prop)
{
  if (*field == value)
    return;
  busker_model_record_prop (self, pspecs[prop], NULL);
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[prop]);
}

static void
set_bool (BuskerStrip *self, gboolean *field, gboolean value, guint prop)
{
  value = !!value;
  if (*field == value)
    return;
  busker_model_record_prop (self, pspecs[prop], NULL);
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[prop]);
}

const char *
busker_strip_get_name (BuskerStrip *self)
{
  g_return_val_if_fail (BUSKER_IS_STRIP (self), NULL);
  return self->name ? self->name : self->id;
}

void
busker_strip_set_name (BuskerStrip *self, const char *name)
{
  g_return_if_fail (BUSKER_IS_STRIP (self));
  set_string (self, &self->name, name, PROP_NAME, NULL);
}

const char *
busker_strip_get_color (BuskerStrip *self)
{
  g_return_val_if_fail (BUSKER_IS_STRIP (self), NULL);
  return self->color;
}

void
busker_strip_set_color (BuskerStrip *self, const char *color)
{
  g_return_if_fail (BUSKER_IS_STRIP (self));
  set_string (self, &self->color, color, PROP_COLOR, NULL);
}

BuskerSource *
busker_strip_get_source (BuskerStrip *self)
{
  g_return_val_if_fail (BUSKER_IS_STRIP (self), NULL);
  return self->source;
}

void
busker_strip_set_source (BuskerStrip *self, BuskerSource *source)
{
  g_return_if_fail (BUSKER_IS_STRIP (self));
  g_return_if_fail (source == NULL || BUSKER_IS_SOURCE (source));
  g_return_if_fail (source == NULL || self->kind == BUSKER_STRIP_TRACK);
  if (self->source == source)
    return;
  busker_model_record_prop (self, pspecs[PROP_SOURCE], NULL);
  busker_model_set_owner (self->source, NULL);
  g_set_object (&self->source, source);
  busker_model_set_owner (source, busker_model_get_owner (self));
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[PROP_SOURCE]);
}

double
busker_strip_get_trim_db (BuskerStrip *self)
{
  g_return_val_if_fail (BUSKER_IS_STRIP (self), 0);
  return self->trim_db;
}

void
busker_strip_set_trim_db (BuskerStrip *self, double trim_db)
{
  g_return_if_fail (BUSKER_IS_STRIP (self));
  g_return_if_fail (isfinite (trim_db));
  set_double (self, &self->trim_db, CLAMP (trim_db, -24.0, 24.0), PROP_TRIM_DB);
}

gboolean
busker_strip_get_polarity_invert (BuskerStrip *self)
{
  g_return_val_if_fail (BUSKER_IS_STRIP (self), FALSE);
  return self->polarity_invert;
}

void
busker_strip_set_polarity_invert (BuskerStrip *self, gboolean invert)
{
  g_return_if_fail (BUSKER_IS_STRIP (self));
  set_bool (self, &self->polarity_invert, invert, PROP_POLARITY_INVERT);
}

double
busker_strip_get_gain_db (BuskerStrip *self)
{
  g_return_val_if_fail (BUSKER_IS_STRIP (self), 0);
  return self->gain_db;
}

void
busker_strip_set_gain_db (BuskerStrip *self, double gain_db)
{
  g_return_if_fail (BUSKER_IS_STRIP (self));
  g_return_if_fail (!isnan (gain_db));
  if (gain_db != -INFINITY)
    gain_db = CLAMP (gain_db, -144.0, 12.0);
  set_double (self, &self->gain_db, gain_db, PROP_GAIN_DB);
}

double
busker_strip_get_pan (BuskerStrip *self)
{
  g_return_val_if_fail (BUSKER_IS_STRIP (self), 0);
  return self->pan;
}

void
busker_strip_set_pan (BuskerStrip *self, double pan)
{
  g_return_if_fail (BUSKER_IS_STRIP (self));
  g_return_if_fail (!isnan (pan));
  set_double (self, &self->pan, CLAMP (pan, -1.0, 1.0), PROP_PAN);
}

gboolean
busker_strip_get_mute (BuskerStrip *self)
{
  g_return_val_if_fail (BUSKER_IS_STRIP (self), FALSE);
  return self->mute;
}

void
busker_strip_set_mute (BuskerStrip *self, gboolean mute)
{
  g_return_if_fail (BUSKER_IS_STRIP (self));
  set_bool (self, &self->mute, mute, PROP_MUTE);
}

gboolean
busker_strip_get_solo (BuskerStrip *self)
{
  g_return_val_if_fail (BUSKER_IS_STRIP (self), FALSE);
  return self->solo;
}

void
busker_strip_set_solo (BuskerStrip *self, gboolean solo)
{
  g_return_if_fail (BUSKER_IS_STRIP (self));
  set_bool (self, &self->solo, solo, PROP_SOLO);
}

const char *
busker_strip_get_output (BuskerStrip *self)
{
  g_return_val_if_fail (BUSKER_IS_STRIP (self), NULL);
  return self->output;
}

static void
output_setter (GObject *object, const GValue *value)
{
  _busker_strip_set_output (BUSKER_STRIP (object), g_value_get_string (value));
}

void
_busker_strip_set_output (BuskerStrip *self, const char *output)
{
  set_string (self, &self->output, output, PROP_OUTPUT, output_setter);
}

GListModel *
busker_strip_get_inserts (BuskerStrip *self)
{
  g_return_val_if_fail (BUSKER_IS_STRIP (self), NULL);
  return G_LIST_MODEL (self->inserts);
}

void
busker_strip_insert_insert (BuskerStrip *self, guint position,
                            BuskerInsert *insert)
{
  g_return_if_fail (BUSKER_IS_STRIP (self));
  g_return_if_fail (BUSKER_IS_INSERT (insert));
  position = MIN (position, g_list_model_get_n_items (G_LIST_MODEL (self->inserts)));
  busker_model_set_owner (insert, busker_model_get_owner (self));
  g_list_store_insert (self->inserts, position, insert);
  busker_model_record_list (self, self->inserts, position, insert, TRUE);
}

void
busker_strip_remove_insert (BuskerStrip *self, guint position)
{
  g_return_if_fail (BUSKER_IS_STRIP (self));
  g_return_if_fail (position < g_list_model_get_n_items (G_LIST_MODEL (self->inserts)));
  g_autoptr (BuskerInsert) insert = g_list_model_get_item (G_LIST_MODEL (self->inserts), position);
  busker_model_record_list (self, self->inserts, position, insert, FALSE);
  g_list_store_remove (self->inserts, position);
  busker_model_set_owner (insert, NULL);
}

void
busker_strip_move_insert (BuskerStrip *self, guint from, guint to)
{
  g_return_if_fail (BUSKER_IS_STRIP (self));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->inserts));
  g_return_if_fail (from < n);
  to = MIN (to, n - 1);
  if (from == to)
    return;
  BuskerProject *project = busker_model_get_owner (self);
  g_autoptr (BuskerInsert) insert = g_list_model_get_item (G_LIST_MODEL (self->inserts), from);
  if (project)
    busker_undo_begin (_busker_project_get_undo (project));
  busker_strip_remove_insert (self, from);
  busker_strip_insert_insert (self, to, insert);
  if (project)
    busker_undo_end (_busker_project_get_undo (project));
}

GListModel *
busker_strip_get_sends (BuskerStrip *self)
{
  g_return_val_if_fail (BUSKER_IS_STRIP (self), NULL);
  return G_LIST_MODEL (self->sends);
}

GListStore *
_busker_strip_get_send_store (BuskerStrip *self)
{
  return self->sends;
}

GListStore *
_busker_strip_get_insert_store (BuskerStrip *self)
{
  return self->inserts;
}

static void
busker_strip_constructed (GObject *object)
{
  BuskerStrip *self = BUSKER_STRIP (object);
  G_OBJECT_CLASS (busker_strip_parent_class)->constructed (object);
  if (self->kind != BUSKER_STRIP_MASTER)
    self->output = g_strdup ("master");
}

static void
busker_strip_dispose (GObject *object)
{
  BuskerStrip *self = BUSKER_STRIP (object);
  g_clear_object (&self->source);
  if (self->inserts)
    g_list_store_remove_all (self->inserts);
  if (self->sends)
    g_list_store_remove_all (self->sends);
  G_OBJECT_CLASS (busker_strip_parent_class)->dispose (object);
}

static void
busker_strip_finalize (GObject *object)
{
  BuskerStrip *self = BUSKER_STRIP (object);
  g_free (self->id);
  g_free (self->name);
  g_free (self->color);
  g_free (self->output);
  g_clear_object (&self->inserts);
  g_clear_object (&self->sends);
  G_OBJECT_CLASS (busker_strip_parent_class)->finalize (object);
}

static void
busker_strip_get_property (GObject *object, guint prop_id, GValue *value,
                           GParamSpec *pspec)
{
  BuskerStrip *self = BUSKER_STRIP (object);
  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_KIND: g_value_set_enum (value, self->kind); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_COLOR: g_value_set_string (value, self->color); break;
    case PROP_SOURCE: g_value_set_object (value, self->source); break;
    case PROP_TRIM_DB: g_value_set_double (value, self->trim_db); break;
    case PROP_POLARITY_INVERT: g_value_set_boolean (value, self->polarity_invert); break;
    case PROP_GAIN_DB: g_value_set_double (value, self->gain_db); break;
    case PROP_PAN: g_value_set_double (value, self->pan); break;
    case PROP_MUTE: g_value_set_boolean (value, self->mute); break;
    case PROP_SOLO: g_value_set_boolean (value, self->solo); break;
    case PROP_OUTPUT: g_value_set_string (value, self->output); break;
    case PROP_INSERTS: g_value_set_object (value, self->inserts); break;
    case PROP_SENDS: g_value_set_object (value, self->sends); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
busker_strip_set_property (GObject *object, guint prop_id, const GValue *value,
                           GParamSpec *pspec)
{
  BuskerStrip *self = BUSKER_STRIP (object);
  switch (prop_id)
    {
    case PROP_ID: self->id = g_value_dup_string (value); break;
    case PROP_KIND: self->kind = g_value_get_enum (value); break;
    case PROP_NAME: busker_strip_set_name (self, g_value_get_string (value)); break;
    case PROP_COLOR: busker_strip_set_color (self, g_value_get_string (value)); break;
    case PROP_SOURCE: busker_strip_set_source (self, g_value_get_object (value)); break;
    case PROP_TRIM_DB: busker_strip_set_trim_db (self, g_value_get_double (value)); break;
    case PROP_POLARITY_INVERT: busker_strip_set_polarity_invert (self, g_value_get_boolean (value)); break;
    case PROP_GAIN_DB: busker_strip_set_gain_db (self, g_value_get_double (value)); break;
    case PROP_PAN: busker_strip_set_pan (self, g_value_get_double (value)); break;
    case PROP_MUTE: busker_strip_set_mute (self, g_value_get_boolean (value)); break;
    case PROP_SOLO: busker_strip_set_solo (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
busker_strip_class_init (BuskerStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->constructed = busker_strip_constructed;
  object_class->dispose = busker_strip_dispose;
  object_class->finalize = busker_strip_finalize;
  object_class->get_property = busker_strip_get_property;
  object_class->set_property = busker_strip_set_property;

  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  pspecs[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, co);
  pspecs[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, BUSKER_TYPE_STRIP_KIND,
                                         BUSKER_STRIP_TRACK, co);
  pspecs[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  pspecs[PROP_COLOR] = g_param_spec_string ("color", NULL, NULL, NULL, rw);
  pspecs[PROP_SOURCE] = g_param_spec_object ("source", NULL, NULL,
                                             BUSKER_TYPE_SOURCE, rw);
  pspecs[PROP_TRIM_DB] = g_param_spec_double ("trim-db", NULL, NULL, -24, 24, 0, rw);
  pspecs[PROP_POLARITY_INVERT] = g_param_spec_boolean ("polarity-invert", NULL, NULL,
                                                       FALSE, rw);
  pspecs[PROP_GAIN_DB] = g_param_spec_double ("gain-db", NULL, NULL, -INFINITY,
                                              12, 0, rw);
  pspecs[PROP_PAN] = g_param_spec_double ("pan", NULL, NULL, -1, 1, 0, rw);
  pspecs[PROP_MUTE] = g_param_spec_boolean ("mute", NULL, NULL, FALSE, rw);
  pspecs[PROP_SOLO] = g_param_spec_boolean ("solo", NULL, NULL, FALSE, rw);
  pspecs[PROP_OUTPUT] = g_param_spec_string ("output", NULL, NULL, NULL, ro);
  pspecs[PROP_INSERTS] = g_param_spec_object ("inserts", NULL, NULL,
                                              G_TYPE_LIST_MODEL, ro);
  pspecs[PROP_SENDS] = g_param_spec_object ("sends", NULL, NULL,
                                            G_TYPE_LIST_MODEL, ro);
  g_object_class_install_properties (object_class, N_PROPS, pspecs);
}

static void
busker_strip_init (BuskerStrip *self)
{
  self->inserts = g_list_store_new (BUSKER_TYPE_INSERT);
  self->sends = g_list_store_new (BUSKER_TYPE_SEND);
}
