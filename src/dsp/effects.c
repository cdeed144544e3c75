/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The registry of effect types, in the order the insert menu shows them.
 * Each unit defines its class in its own file. */
#include <stddef.h>

#include "effect.h"

extern const BuskerEffectClass busker_eq_class;
extern const BuskerEffectClass busker_compressor_class;
extern const BuskerEffectClass busker_multiband_class;
extern const BuskerEffectClass busker_limiter_class;
extern const BuskerEffectClass busker_saturation_class;
extern const BuskerEffectClass busker_delay_class;
extern const BuskerEffectClass busker_reverb_class;
extern const BuskerEffectClass busker_width_class;
extern const BuskerEffectClass busker_transient_class;
extern const BuskerEffectClass busker_gain_class;

const BuskerEffectClass *const busker_effect_classes[] = {
  &busker_eq_class,
  &busker_compressor_class,
  &busker_multiband_class,
  &busker_limiter_class,
  &busker_saturation_class,
  &busker_delay_class,
  &busker_reverb_class,
  &busker_width_class,
  &busker_transient_class,
  &busker_gain_class,
  NULL,
};
