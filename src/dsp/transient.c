/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Placeholder until the unit lands; see src/dsp/meson.build. */
#include "params.h"
