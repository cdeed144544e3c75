/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A send from a strip to an aux bus. Its target never changes: moving a
 * send is removing one and adding another, which the project checks. */
#include <math.h>

#include "busker-model-private.h"

struct _BuskerSend {
  GObject parent_instance;
  char *to;
  double level_db;
  double pan;
  gboolean pre_fader;
  gboolean mute;
};

G_DEFINE_FINAL_TYPE (BuskerSend, busker_send, G_TYPE_OBJECT)

enum { PROP_0, PROP_TO, PROP_LEVEL_DB, PROP_PAN, PROP_PRE_FADER, PROP_MUTE, N_PROPS };
static GParamSpec *pspecs[N_PROPS];

BuskerSend *
busker_send_new (const char *to)
{
  g_return_val_if_fail (to != NULL, NULL);
  return g_object_new (BUSKER_TYPE_SEND, "to", to, NULL);
}

const char *
busker_send_get_to (BuskerSend *self)
{
  g_return_val_if_fail (BUSKER_IS_SEND (self), NULL);
  return self->to;
}

double
busker_send_get_level_db (BuskerSend *self)
{
  g_return_val_if_fail (BUSKER_IS_SEND (self), 0);
  return self->level_db;
}

static void
set_double (BuskerSend *self, double *field, double value, guint prop)
{
  if (*field == value)
    return;
  busker_model_record_prop (self, pspecs[prop], NULL);
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[prop]);
}

static void
set_bool (BuskerSend *self, gboolean *field, gboolean value, guint prop)
{
  value = !!value;
  if (*field == value)
    return;
  busker_model_record_prop (self, pspecs[prop], NULL);
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[prop]);
}

void
busker_send_set_level_db (BuskerSend *self, double level_db)
{
  g_return_if_fail (BUSKER_IS_SEND (self));
  g_return_if_fail (!isnan (level_db));
  if (level_db != -INFINITY)
    level_db = CLAMP (level_db, -144.0, 12.0);
  set_double (self, &self->level_db, level_db, PROP_LEVEL_DB);
}

double
busker_send_get_pan (BuskerSend *self)
{
  g_return_val_if_fail (BUSKER_IS_SEND (self), 0);
  return self->pan;
}

void
busker_send_set_pan (BuskerSend *self, double pan)
{
  g_return_if_fail (BUSKER_IS_SEND (self));
  g_return_if_fail (!isnan (pan));
  set_double (self, &self->pan, CLAMP (pan, -1.0, 1.0), PROP_PAN);
}

gboolean
busker_send_get_pre_fader (BuskerSend *self)
{
  g_return_val_if_fail (BUSKER_IS_SEND (self), FALSE);
  return self->pre_fader;
}

void
busker_send_set_pre_fader (BuskerSend *self, gboolean pre_fader)
{
  g_return_if_fail (BUSKER_IS_SEND (self));
  set_bool (self, &self->pre_fader, pre_fader, PROP_PRE_FADER);
}

gboolean
busker_send_get_mute (BuskerSend *self)
{
  g_return_val_if_fail (BUSKER_IS_SEND (self), FALSE);
  return self->mute;
}

void
busker_send_set_mute (BuskerSend *self, gboolean mute)
{
  g_return_if_fail (BUSKER_IS_SEND (self));
  set_bool (self, &self->mute, mute, PROP_MUTE);
}

static void
busker_send_finalize (GObject *object)
{
  g_free (BUSKER_SEND (object)->to);
  G_OBJECT_CLASS (busker_send_parent_class)->finalize (object);
}

static void
busker_send_get_property (GObject *object, guint prop_id, GValue *value,
                          GParamSpec *pspec)
{
  BuskerSend *self = BUSKER_SEND (object);
  switch (prop_id)
    {
    case PROP_TO: g_value_set_string (value, self->to); break;
    case PROP_LEVEL_DB: g_value_set_double (value, self->level_db); break;
    case PROP_PAN: g_value_set_double (value, self->pan); break;
    case PROP_PRE_FADER: g_value_set_boolean (value, self->pre_fader); break;
    case PROP_MUTE: g_value_set_boolean (value, self->mute); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
busker_send_set_property (GObject *object, guint prop_id, const GValue *value,
                          GParamSpec *pspec)
{
  BuskerSend *self = BUSKER_SEND (object);
  switch (prop_id)
    {
    case PROP_TO: self->to = g_value_dup_string (value); break;
    case PROP_LEVEL_DB: busker_send_set_level_db (self, g_value_get_double (value)); break;
    case PROP_PAN: busker_send_set_pan (self, g_value_get_double (value)); break;
    case PROP_PRE_FADER: busker_send_set_pre_fader (self, g_value_get_boolean (value)); break;
    case PROP_MUTE: busker_send_set_mute (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
busker_send_class_init (BuskerSendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->finalize = busker_send_finalize;
  object_class->get_property = busker_send_get_property;
  object_class->set_property = busker_send_set_property;

  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  pspecs[PROP_TO] = g_param_spec_string ("to", NULL, NULL, NULL,
                                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                                         | G_PARAM_STATIC_STRINGS);
  pspecs[PROP_LEVEL_DB] = g_param_spec_double ("level-db", NULL, NULL,
                                               -INFINITY, 12, -12, rw);
  pspecs[PROP_PAN] = g_param_spec_double ("pan", NULL, NULL, -1, 1, 0, rw);
  pspecs[PROP_PRE_FADER] = g_param_spec_boolean ("pre-fader", NULL, NULL, FALSE, rw);
  pspecs[PROP_MUTE] = g_param_spec_boolean ("mute", NULL, NULL, FALSE, rw);
  g_object_class_install_properties (object_class, N_PROPS, pspecs);
}

static void
busker_send_init (BuskerSend *self)
{
  self->level_db = -12;
}
