/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "busker-mix-desc.h"

BuskerMixDesc *
busker_mix_desc_new (uint32_t n_strips, double sample_rate)
{
  BuskerMixDesc *desc = g_new0 (BuskerMixDesc, 1);
  desc->sample_rate = sample_rate;
  desc->tempo_bpm = 120.0;
  desc->n_strips = n_strips;
  desc->strips = g_new0 (BuskerStripDesc, n_strips);
  for (uint32_t i = 0; i < n_strips; i++)
    desc->strips[i].output = -1;
  return desc;
}

static void
insert_desc_clear (BuskerInsertDesc *insert)
{
  g_clear_pointer (&insert->values, g_free);
}

void
busker_mix_desc_free (BuskerMixDesc *desc)
{
  if (desc == NULL)
    return;
  for (uint32_t i = 0; i < desc->n_strips; i++)
    {
      BuskerStripDesc *s = &desc->strips[i];
      g_free (s->id);
      g_free (s->name);
      g_free (s->source_path);
      g_free (s->source_node);
      for (uint32_t j = 0; j < s->n_inserts; j++)
        insert_desc_clear (&s->inserts[j]);
      g_free (s->inserts);
      g_free (s->sends);
    }
  g_free (desc->strips);
  g_free (desc);
}

void
busker_strip_desc_alloc_inserts (BuskerStripDesc *strip, uint32_t n)
{
  for (uint32_t j = 0; j < strip->n_inserts; j++)
    insert_desc_clear (&strip->inserts[j]);
  g_free (strip->inserts);
  strip->inserts = g_new0 (BuskerInsertDesc, n);
  strip->n_inserts = n;
}

void
busker_strip_desc_alloc_sends (BuskerStripDesc *strip, uint32_t n)
{
  g_free (strip->sends);
  strip->sends = g_new0 (BuskerSendDesc, n);
  strip->n_sends = n;
}

void
busker_insert_desc_init (BuskerInsertDesc *insert, const BuskerEffectClass *klass)
{
  insert_desc_clear (insert);
  insert->klass = klass;
  insert->values = g_new (float, klass->n_params);
  for (uint32_t i = 0; i < klass->n_params; i++)
    insert->values[i] = klass->params[i].def;
  insert->bypass = false;
  insert->post_fader = false;
}

int32_t
busker_mix_desc_find_master (const BuskerMixDesc *desc)
{
  for (uint32_t i = 0; i < desc->n_strips; i++)
    if (desc->strips[i].kind == BUSKER_STRIP_MASTER)
      return (int32_t) i;
  return -1;
}
