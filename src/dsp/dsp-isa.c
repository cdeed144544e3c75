/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "dsp-isa.h"

#include <stdlib.h>
#include <string.h>

bool
busker_dsp_isa_v3 (void)
{
#if defined(BUSKER_HAVE_DSP_V3)
  const char *forced = getenv ("BUSKER_DSP_ISA");
  if (forced != NULL && strcmp (forced, "baseline") == 0)
    return false;
  __builtin_cpu_init ();
  return __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma");
#else
  return false;
#endif
}

const char *
busker_dsp_isa_name (void)
{
  return busker_dsp_isa_v3 () ? "v3" : "baseline";
}
