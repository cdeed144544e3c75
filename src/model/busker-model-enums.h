/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GTypes for the enums of engine/busker-mix-desc.h, so that model
 * properties are typed (GtkBuilder, GtkExpression and bindings see names,
 * not integers). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define BUSKER_TYPE_STRIP_KIND (busker_strip_kind_get_type ())
GType busker_strip_kind_get_type (void);

#define BUSKER_TYPE_SOURCE_KIND (busker_source_kind_get_type ())
GType busker_source_kind_get_type (void);

G_END_DECLS
