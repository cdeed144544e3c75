/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "busker-model-enums.h"
#include "engine/busker-mix-desc.h"

GType
busker_strip_kind_get_type (void)
{
  static gsize type;
  static const GEnumValue values[] = {
    { BUSKER_STRIP_TRACK, "BUSKER_STRIP_TRACK", "track" },
    { BUSKER_STRIP_SUBGROUP, "BUSKER_STRIP_SUBGROUP", "subgroup" },
    { BUSKER_STRIP_AUX, "BUSKER_STRIP_AUX", "aux" },
    { BUSKER_STRIP_MASTER, "BUSKER_STRIP_MASTER", "master" },
    { 0, NULL, NULL },
  };
  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("BuskerStripKind", values));
  return type;
}

GType
busker_source_kind_get_type (void)
{
  static gsize type;
  static const GEnumValue values[] = {
    { BUSKER_SOURCE_NONE, "BUSKER_SOURCE_NONE", "none" },
    { BUSKER_SOURCE_FILE, "BUSKER_SOURCE_FILE", "file" },
    { BUSKER_SOURCE_LIVE, "BUSKER_SOURCE_LIVE", "live" },
    { BUSKER_SOURCE_CAPTURE, "BUSKER_SOURCE_CAPTURE", "capture" },
    { 0, NULL, NULL },
  };
  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("BuskerSourceKind", values));
  return type;
}
