/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * An effect in a strip's rack. Its parameters are floats indexed by the
 * effect's table in src/dsp/params.c (the single source of truth for
 * names, ranges and defaults); choices hold the choice index and booleans
 * 0 or 1, as the engine wants them. A parameter change emits
 * ::value-changed with the index rather than one GObject property per
 * parameter: the tables have up to 57 entries.
 */
#include <math.h>
#include <string.h>

#include "busker-model-private.h"
#include "dsp/params.h"

struct _BuskerInsert {
  GObject parent_instance;
  char *type;
  const BuskerParamSpec *params;
  guint n_params;
  float *values;
  gboolean bypass;
  gboolean post_fader;
};

G_DEFINE_FINAL_TYPE (BuskerInsert, busker_insert, G_TYPE_OBJECT)

enum { PROP_0, PROP_EFFECT_TYPE, PROP_BYPASS, PROP_POST_FADER, N_PROPS };
static GParamSpec *pspecs[N_PROPS];

enum { VALUE_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

BuskerInsert *
busker_insert_new (const char *type)
{
  uint32_t n = 0;
  g_return_val_if_fail (type != NULL, NULL);
  if (busker_effect_params_lookup (type, &n) == NULL)
    return NULL;
  return g_object_new (BUSKER_TYPE_INSERT, "effect-type", type, NULL);
}

const char *
busker_insert_get_effect_type (BuskerInsert *self)
{
  g_return_val_if_fail (BUSKER_IS_INSERT (self), NULL);
  return self->type;
}

gboolean
busker_insert_get_bypass (BuskerInsert *self)
{
  g_return_val_if_fail (BUSKER_IS_INSERT (self), FALSE);
  return self->bypass;
}

static void
set_bool (BuskerInsert *self, gboolean *field, gboolean value, guint prop)
{
  value = !!value;
  if (*field == value)
    return;
  busker_model_record_prop (self, pspecs[prop], NULL);
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[prop]);
}

void
busker_insert_set_bypass (BuskerInsert *self, gboolean bypass)
{
  g_return_if_fail (BUSKER_IS_INSERT (self));
  set_bool (self, &self->bypass, bypass, PROP_BYPASS);
}

gboolean
busker_insert_get_post_fader (BuskerInsert *self)
{
  g_return_val_if_fail (BUSKER_IS_INSERT (self), FALSE);
  return self->post_fader;
}

void
busker_insert_set_post_fader (BuskerInsert *self, gboolean post_fader)
{
  g_return_if_fail (BUSKER_IS_INSERT (self));
  set_bool (self, &self->post_fader, post_fader, PROP_POST_FADER);
}

const BuskerParamSpec *
busker_insert_get_params (BuskerInsert *self, guint *n_params)
{
  g_return_val_if_fail (BUSKER_IS_INSERT (self), NULL);
  if (n_params)
    *n_params = self->n_params;
  return self->params;
}

float
busker_insert_get_value (BuskerInsert *self, guint index)
{
  g_return_val_if_fail (BUSKER_IS_INSERT (self), 0);
  g_return_val_if_fail (index < self->n_params, 0);
  return self->values[index];
}

void
busker_insert_set_value (BuskerInsert *self, guint index, float value)
{
  g_return_if_fail (BUSKER_IS_INSERT (self));
  g_return_if_fail (index < self->n_params);
  value = busker_param_spec_clamp (&self->params[index], value);
  /* An array length is a count, whatever the table's kind says. */
  if (g_str_has_suffix (self->params[index].name, ".length"))
    value = roundf (value);
  if (self->values[index] == value)
    return;
  busker_model_record_value (self, index, self->values[index]);
  self->values[index] = value;
  g_signal_emit (self, signals[VALUE_CHANGED], 0, index);
}

int
busker_insert_find_param (BuskerInsert *self, const char *name)
{
  g_return_val_if_fail (BUSKER_IS_INSERT (self), -1);
  for (guint i = 0; i < self->n_params; i++)
    if (strcmp (self->params[i].name, name) == 0)
      return (int) i;
  return -1;
}

static void
busker_insert_constructed (GObject *object)
{
  BuskerInsert *self = BUSKER_INSERT (object);
  uint32_t n = 0;
  G_OBJECT_CLASS (busker_insert_parent_class)->constructed (object);
  self->params = busker_effect_params_lookup (self->type ? self->type : "", &n);
  self->n_params = n;
  self->values = g_new0 (float, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    self->values[i] = self->params[i].def;
}

static void
busker_insert_finalize (GObject *object)
{
  BuskerInsert *self = BUSKER_INSERT (object);
  g_free (self->type);
  g_free (self->values);
  G_OBJECT_CLASS (busker_insert_parent_class)->finalize (object);
}

static void
busker_insert_get_property (GObject *object, guint prop_id, GValue *value,
                            GParamSpec *pspec)
{
  BuskerInsert *self = BUSKER_INSERT (object);
  switch (prop_id)
    {
    case PROP_EFFECT_TYPE: g_value_set_string (value, self->type); break;
    case PROP_BYPASS: g_value_set_boolean (value, self->bypass); break;
    case PROP_POST_FADER: g_value_set_boolean (value, self->post_fader); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
busker_insert_set_property (GObject *object, guint prop_id,
                            const GValue *value, GParamSpec *pspec)
{
  BuskerInsert *self = BUSKER_INSERT (object);
  switch (prop_id)
    {
    case PROP_EFFECT_TYPE: self->type = g_value_dup_string (value); break;
    case PROP_BYPASS: busker_insert_set_bypass (self, g_value_get_boolean (value)); break;
    case PROP_POST_FADER: busker_insert_set_post_fader (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
busker_insert_class_init (BuskerInsertClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->constructed = busker_insert_constructed;
  object_class->finalize = busker_insert_finalize;
  object_class->get_property = busker_insert_get_property;
  object_class->set_property = busker_insert_set_property;

  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  pspecs[PROP_EFFECT_TYPE] = g_param_spec_string ("effect-type", NULL, NULL, NULL,
                                                  G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                                                  | G_PARAM_STATIC_STRINGS);
  pspecs[PROP_BYPASS] = g_param_spec_boolean ("bypass", NULL, NULL, FALSE, rw);
  pspecs[PROP_POST_FADER] = g_param_spec_boolean ("post-fader", NULL, NULL, FALSE, rw);
  g_object_class_install_properties (object_class, N_PROPS, pspecs);

  /* A parameter changed (index into the table); only on a real change. */
  signals[VALUE_CHANGED] = g_signal_new ("value-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
busker_insert_init (BuskerInsert *self)
{
}
