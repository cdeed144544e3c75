/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "bench-chain-desc.h"

#include "dsp/effect.h"
#include "dsp/params.h"

void
bench_chain_set_inserts (BuskerStripDesc *bus, bool true_peak)
{
  static const struct { int type; float hz, db, q; } bands[5] = {
    { BUSKER_EQ_LOW_SHELF, 60, 4, 0.7f }, { BUSKER_EQ_PEAK, 250, -3, 1 },
    { BUSKER_EQ_PEAK, 1000, 2, 1 },       { BUSKER_EQ_PEAK, 4000, -4, 1 },
    { BUSKER_EQ_HIGH_SHELF, 10000, 3, 0.7f },
  };

  busker_strip_desc_alloc_inserts (bus, 3);
  busker_insert_desc_init (&bus->inserts[0], busker_effect_class_lookup ("eq"));
  float *eq = bus->inserts[0].values;
  for (int i = 0; i < 5; i++)
    {
      eq[BUSKER_EQ_PARAM (i, BUSKER_EQ_BAND_TYPE)] = (float) bands[i].type;
      eq[BUSKER_EQ_PARAM (i, BUSKER_EQ_BAND_FREQ_HZ)] = bands[i].hz;
      eq[BUSKER_EQ_PARAM (i, BUSKER_EQ_BAND_GAIN_DB)] = bands[i].db;
      eq[BUSKER_EQ_PARAM (i, BUSKER_EQ_BAND_Q)] = bands[i].q;
      eq[BUSKER_EQ_PARAM (i, BUSKER_EQ_BAND_ENABLED)] = 1;
    }
  busker_insert_desc_init (&bus->inserts[1], busker_effect_class_lookup ("compressor"));
  bus->inserts[1].values[BUSKER_COMP_THRESHOLD_DB] = -30;
  bus->inserts[1].values[BUSKER_COMP_RATIO] = 4;
  bus->inserts[1].values[BUSKER_COMP_ATTACK_MS] = 20;
  bus->inserts[1].values[BUSKER_COMP_RELEASE_MS] = 100;
  busker_insert_desc_init (&bus->inserts[2], busker_effect_class_lookup ("limiter"));
  bus->inserts[2].values[BUSKER_LIMITER_CEILING_DB] = -10;
  bus->inserts[2].values[BUSKER_LIMITER_LOOKAHEAD_MS] = 5;
  bus->inserts[2].values[BUSKER_LIMITER_TRUE_PEAK] = true_peak ? 1 : 0;
}
