/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Which strips are heard, given every strip's mute and solo: the one rule
 * that the engine applies and the GUI shows (dimmed strips). See
 * busker-solo.c for the rule.
 */
#pragma once

#include <stdbool.h>

#include "busker-mix-desc.h"

G_BEGIN_DECLS

/* Fills audible[desc->n_strips]. Pure; any thread. Routing that points out
 * of range is ignored rather than trusted. */
void busker_solo_resolve (const BuskerMixDesc *desc, bool *audible);

G_END_DECLS
