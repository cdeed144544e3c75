/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Pretty-printed JSON (2-space indent, members in insertion order) with
 * numbers in their shortest exact form: "0.707", not json-glib's
 * "0.70699999999999996", so project files stay readable and diffable. */
char *busker_json_write (JsonNode *root, gsize *length);

/* The double nearest to the shortest decimal that reads back as f. */
double busker_json_float_to_double (float f);

G_END_DECLS
