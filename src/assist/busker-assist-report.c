/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The mix assistant's report: a few lines for a person, or one JSON
 * object (json-glib) whose keys docs/assistant.md documents. A value that
 * does not exist (silence, a unit without gain reduction) is null in JSON
 * and "n/a" or left out in the text. Numbers are rounded to 0.01 and
 * written in their shortest form by the project files' JSON writer.
 */
#include "config.h"

#include "busker-assist.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "model/busker-json-writer.h"

static const char *const kind_names[] = {
  [BUSKER_ADVICE_TRACK_CLIPS] = "track_clips",
  [BUSKER_ADVICE_BUS_CLIPS] = "bus_clips",
  [BUSKER_ADVICE_MONO_MIX] = "mono_mix",
  [BUSKER_ADVICE_MONO_STRIP] = "mono_strip",
  [BUSKER_ADVICE_LIMITER] = "limiter_gain_reduction",
  [BUSKER_ADVICE_COMP_MEAN] = "compressor_mean_gain_reduction",
  [BUSKER_ADVICE_COMP_MAX] = "compressor_max_gain_reduction",
  [BUSKER_ADVICE_LOUDER_INSERT] = "insert_louder",
  [BUSKER_ADVICE_LOUDER_CHAIN] = "chain_louder",
  [BUSKER_ADVICE_RETURN_LOUDER] = "return_louder",
  [BUSKER_ADVICE_FAST_ATTACK] = "fast_attack",
  [BUSKER_ADVICE_EQ_BOOST] = "eq_boost",
  [BUSKER_ADVICE_EQ_NARROW] = "eq_narrow",
  [BUSKER_ADVICE_TRIM] = "trim",
};

static const char *const strip_kinds[] = { "track", "subgroup", "aux", "master" };

char *
busker_assist_report_text (const BuskerAssistMix *mix, GPtrArray *advice)
{
  GString *out = g_string_new (NULL);
  guint warnings = 0;

  for (guint i = 0; i < advice->len; i++)
    warnings += ((BuskerAdvice *) advice->pdata[i])->warning;
  if (advice->len == 0)
    g_string_append_printf (out, "%s\n", _("No advice: levels, bus processing and mono "
                                           "compatibility look fine."));
  for (guint i = 0; i < advice->len; i++)
    {
      const BuskerAdvice *a = advice->pdata[i];
      g_string_append_printf (out, "%s %s\n", a->warning ? "!" : "-", a->message);
    }

  gboolean header = FALSE;
  for (uint32_t i = 0; i < mix->desc->n_strips; i++)
    {
      const BuskerAssistStrip *s = &mix->strips[i];
      if (s->desc->kind == BUSKER_STRIP_TRACK || s->desc->n_inserts == 0 ||
          !isfinite (s->chain_change_lu))
        continue;
      if (!header)
        g_string_append_printf (out, "\n%s\n", _("Loudness of each bus with its inserts, "
                                                  "against bypassed (for an A/B at equal "
                                                  "loudness):"));
      header = TRUE;
      g_string_append_printf (out, "  %-20s %+5.1f LU\n", busker_assist_strip_name (s),
                              s->chain_change_lu);
    }
  if (busker_loudness_report_is_silent (&mix->mix) || !isfinite (mix->mix.integrated_lufs))
    g_string_append_printf (out, "\n%s\n", _("Mix: silent, nothing to measure."));
  else if (busker_loudness_report_mono_cancels (&mix->mix))
    g_string_append_printf (out, "\n%s %.1f LUFS, %s\n", _("Mix:"), mix->mix.integrated_lufs,
                            _("cancels completely folded to mono"));
  else
    g_string_append_printf (out, "\n%s %.1f LUFS, %s %.1f LU\n", _("Mix:"),
                            mix->mix.integrated_lufs, _("mono fold-down loss"),
                            mix->mix.mono_loss_lu);
  g_string_append_printf (out, _("Warnings: %u, suggestions: %u.\n"), warnings,
                          advice->len - warnings);
  return g_string_free (out, FALSE);
}

static void
member_number (JsonBuilder *b, const char *key, double value)
{
  json_builder_set_member_name (b, key);
  if (isfinite (value))
    json_builder_add_double_value (b, round (value * 100.0) / 100.0);
  else
    json_builder_add_null_value (b);
}

static void
member_string (JsonBuilder *b, const char *key, const char *value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_string_value (b, value);
}

static void
add_advice (JsonBuilder *b, const BuskerAssistMix *mix, const BuskerAdvice *a)
{
  const BuskerAssistStrip *s = &mix->strips[a->strip];

  json_builder_begin_object (b);
  member_string (b, "kind", kind_names[a->kind]);
  member_string (b, "severity", a->warning ? "warning" : "suggestion");
  member_string (b, "strip", s->desc->id);
  member_string (b, "strip_name", busker_assist_strip_name (s));
  json_builder_set_member_name (b, "insert");
  if (a->insert >= 0)
    json_builder_add_int_value (b, a->insert);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "band");
  if (a->band >= 0)
    json_builder_add_int_value (b, a->band);
  else
    json_builder_add_null_value (b);
  member_number (b, "value", a->value);
  member_number (b, "limit", a->limit);
  member_number (b, "fix_db", a->fix);
  member_string (b, "message", a->message);
  json_builder_end_object (b);
}

static void
add_strip (JsonBuilder *b, const BuskerAssistStrip *s)
{
  const BuskerStripDesc *d = s->desc;
  bool bus = d->kind != BUSKER_STRIP_TRACK;

  json_builder_begin_object (b);
  member_string (b, "strip", d->id);
  member_string (b, "name", busker_assist_strip_name (s));
  member_string (b, "kind", strip_kinds[d->kind]);
  member_number (b, "input_peak_dbfs", s->input_peak_dbfs);
  member_number (b, "input_rms_dbfs", s->input_rms_dbfs);
  if (!bus)
    {
      member_number (b, "input_short_term_max_lufs", s->input_short_term_max_lufs);
      member_number (b, "trim_db", d->trim_db);
      member_number (b, "suggested_trim_db", s->suggested_trim_db);
    }
  member_number (b, "pre_fader_peak_dbfs", s->pre_fader_peak_dbfs);
  member_number (b, "output_peak_dbfs", s->output_peak_dbfs);
  if (d->kind != BUSKER_STRIP_MASTER)
    {
      member_number (b, "mono_loss_db", s->mono_loss_db);
      json_builder_set_member_name (b, "mono_cancels");
      json_builder_add_boolean_value (b, isinf (s->mono_loss_db));
      member_number (b, "mono_share", s->mono_share);
    }
  if (s->time_effect)
    {
      member_number (b, "return_lufs", s->return_lufs);
      member_number (b, "dry_feeders_lufs", s->dry_feeders_lufs);
    }
  if (bus)
    member_number (b, "chain_loudness_change_lu", s->chain_change_lu);
  json_builder_set_member_name (b, "inserts");
  json_builder_begin_array (b);
  for (uint32_t k = 0; k < d->n_inserts; k++)
    {
      const BuskerAssistInsert *in = &s->inserts[k];
      json_builder_begin_object (b);
      member_string (b, "type", in->klass->type);
      json_builder_set_member_name (b, "bypass");
      json_builder_add_boolean_value (b, in->bypass);
      member_number (b, "loudness_change_lu", in->loudness_change_lu);
      member_number (b, "gain_reduction_mean_db", in->gr_mean_db);
      member_number (b, "gain_reduction_max_db", in->gr_max_db);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

char *
busker_assist_report_json (const BuskerAssistMix *mix, GPtrArray *advice)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  /* The mix: --analyze --json's object, key for key, plus the length. */
  g_autofree char *mix_json = busker_loudness_report_to_json (&mix->mix);
  JsonNode *mix_node = json_from_string (mix_json, NULL);
  json_object_set_double_member (json_node_get_object (mix_node), "seconds",
                                 round (mix->seconds * 100.0) / 100.0);
  json_builder_set_member_name (b, "mix");
  json_builder_add_value (b, mix_node);

  json_builder_set_member_name (b, "advice");
  json_builder_begin_array (b);
  for (guint i = 0; i < advice->len; i++)
    add_advice (b, mix, advice->pdata[i]);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "strips");
  json_builder_begin_array (b);
  for (uint32_t i = 0; i < mix->desc->n_strips; i++)
    add_strip (b, &mix->strips[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  return busker_json_write (root, NULL);
}
