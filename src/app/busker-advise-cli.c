/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * busker-export --advise / --apply-trims: the mix assistant on the command
 * line (docs/assistant.md, docs/project-format.md "Command line").
 *
 * Decisions:
 * - Its own option parser, entered from busker_export_cli_main when either
 *   option is on the command line: advice is not an export, so -o, --stems
 *   and the export options are refused here rather than silently ignored.
 * - Exit 0 whatever the advice says (it is advice, not a failure); 2 for
 *   bad usage or input (options, project, sources, an existing OUT); 1 when
 *   rendering or writing fails or the run is interrupted.
 * - --apply-trims writes the trims of the tracks the advice names (a trim
 *   suggestion or a track clipping before its fader) into a new project
 *   file, never over an existing file. File sources given relative to the
 *   project are rewritten relative to OUT's folder so OUT plays the same
 *   audio wherever it is written.
 */
#include "config.h"

#include "busker-advise-cli.h"

#include "busker-cli.h"

#include <glib/gi18n.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "assist/busker-assist.h"
#include "engine/busker-render.h"
#include "model/busker-project-trims.h"
#include "model/busker-project.h"

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

static volatile sig_atomic_t cancel_flag;

static void
on_signal (int sig)
{
  cancel_flag = 1;
}

/* One line, no matter what the message holds. */
#define fail(status, ...) busker_cli_fail ("busker-export", status, __VA_ARGS__)

gboolean
busker_advise_cli_wanted (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--"))
        break;
      if (g_str_equal (argv[i], "--advise") || g_str_equal (argv[i], "--apply-trims") ||
          g_str_has_prefix (argv[i], "--apply-trims="))
        return TRUE;
    }
  return FALSE;
}

typedef struct {
  gboolean advise, json, quiet;
  char *apply_trims, *target_peak, *target_rms;
  char **args;
} Args;

static void
args_clear (Args *a)
{
  g_free (a->apply_trims);
  g_free (a->target_peak);
  g_free (a->target_rms);
  g_strfreev (a->args);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Args, args_clear)

static const GOptionEntry *
entries_for (Args *a)
{
  static GOptionEntry entries[7];
  const GOptionEntry e[] = {
    { "advise", 0, 0, G_OPTION_ARG_NONE, &a->advise, N_("Print advice on levels, bus processing and mono compatibility"), NULL },
    { "apply-trims", 0, 0, G_OPTION_ARG_FILENAME, &a->apply_trims, N_("Write a new project with the suggested input trims"), "OUT.busker" },
    { "target-peak", 0, 0, G_OPTION_ARG_STRING, &a->target_peak, N_("Input peak level the trims aim at (default -10)"), "DBFS" },
    { "target-rms", 0, 0, G_OPTION_ARG_STRING, &a->target_rms, N_("Input RMS level the trims aim at (default -18)"), "DBFS" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &a->json, N_("Print the advice as JSON"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &a->quiet, N_("Print nothing but the advice"), NULL },
    { NULL },
  };
  memcpy (entries, e, sizeof e);
  return entries;
}

void
busker_advise_cli_add_help (GOptionContext *context)
{
  static Args unused;
  static GOptionEntry own[5];
  GOptionGroup *group = g_option_group_new ("advise", _("Mix assistant options:"),
                                            _("Show the mix assistant's options"), NULL, NULL);

  /* --json and --quiet are busker-export's own options too: listed there. */
  memcpy (own, entries_for (&unused), 4 * sizeof (GOptionEntry));
  g_option_group_add_entries (group, own);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_context_add_group (context, group);
}

static gboolean
parse_db (const char *option, const char *text, double *out, char **problem)
{
  char *end = NULL;

  if (text == NULL)
    return TRUE;
  *out = g_ascii_strtod (text, &end);
  if (end != text && *end == '\0' && isfinite (*out) && *out <= 0.0 && *out >= -60.0)
    return TRUE;
  *problem = g_strdup_printf ("%s: \"%s\" is not a level between -60 and 0 dBFS", option, text);
  return FALSE;
}

/* A file source path relative to the project's folder, made relative to
 * OUT's folder (or absolute when it cannot be). */
static void
relocate_sources (BuskerProject *project, GFile *from_dir, GFile *to_dir)
{
  GListModel *strips = G_LIST_MODEL (project);

  for (guint i = 0; i < g_list_model_get_n_items (strips); i++)
    {
      g_autoptr (BuskerStrip) strip = g_list_model_get_item (strips, i);
      BuskerSource *source = busker_strip_get_source (strip);
      const char *path = source != NULL ? busker_source_get_path (source) : NULL;

      if (path == NULL || *path == '\0' || g_path_is_absolute (path))
        continue;
      g_autoptr (GFile) file = g_file_resolve_relative_path (from_dir, path);
      g_autofree char *rel = g_file_get_relative_path (to_dir, file);
      g_autofree char *abs = g_file_get_path (file);
      busker_source_set_path (source, rel != NULL ? rel : abs);
    }
}

static int
write_trims (BuskerProject *project, GFile *in, const char *out_path,
             const BuskerAssistMix *mix, GPtrArray *advice, gboolean quiet)
{
  g_autoptr (GFile) out = g_file_new_for_commandline_arg (out_path);
  g_autoptr (GFile) in_dir = g_file_get_parent (in);
  g_autoptr (GFile) out_dir = g_file_get_parent (out);
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  g_autoptr (GArray) trims = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < advice->len; i++)
    {
      const BuskerAdvice *a = advice->pdata[i];
      const BuskerAssistStrip *s = &mix->strips[a->strip];
      if ((a->kind != BUSKER_ADVICE_TRIM && a->kind != BUSKER_ADVICE_TRACK_CLIPS) ||
          !isfinite (s->suggested_trim_db))
        continue;
      g_ptr_array_add (ids, s->desc->id);
      g_array_append_val (trims, s->suggested_trim_db);
      if (!quiet)
        printf (_("%s: trim %+.1f dB -> %+.1f dB\n"), busker_assist_strip_name (s),
                s->desc->trim_db, s->suggested_trim_db);
    }
  if (!busker_project_apply_trims (project, (const char *const *) ids->pdata,
                                   (const double *) (void *) trims->data, ids->len, &error))
    return fail (EXIT_RUNTIME, "%s", error->message);
  if (out_dir != NULL && in_dir != NULL && !g_file_equal (in_dir, out_dir))
    relocate_sources (project, in_dir, out_dir);
  if (!busker_project_save (project, out, &error))
    return fail (EXIT_RUNTIME, "%s", error->message);
  if (!quiet)
    printf (_("Wrote %s with %u new trims.\n"), out_path, ids->len);
  return 0;
}

int
busker_advise_cli_main (int argc, char **argv)
{
  g_auto (Args) a = { 0 };
  const GOptionEntry rest[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &a.args, NULL, "PROJECT.busker" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (N_("PROJECT.busker"));
  g_autoptr (GError) error = NULL;
  g_autofree char *problem = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (BuskerProject) project = NULL;
  g_autoptr (BuskerMixDesc) desc = NULL;
  g_autoptr (BuskerAssistMix) mix = NULL;
  g_autoptr (GPtrArray) advice = NULL;
  g_autofree char *report = NULL;
  BuskerAssistConfig config;
  struct sigaction sa = { .sa_handler = on_signal };

  g_option_context_set_summary (context, _("Advises on a Busker project's levels, bus processing and mono compatibility."));
  g_option_context_add_main_entries (context, entries_for (&a), GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, rest, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (EXIT_USAGE, "%s (see --help)", error->message);
  if (a.args == NULL || g_strv_length (a.args) != 1)
    return fail (EXIT_USAGE, "give exactly one PROJECT.busker (see --help)");
  busker_assist_config_init (&config);
  if (!parse_db ("--target-peak", a.target_peak, &config.target_peak_dbfs, &problem) ||
      !parse_db ("--target-rms", a.target_rms, &config.target_rms_dbfs, &problem))
    return fail (EXIT_USAGE, "%s", problem);
  if (a.json && !a.advise)
    return fail (EXIT_USAGE, "--json goes with --advise here");

  file = g_file_new_for_commandline_arg (a.args[0]);
  if (a.apply_trims != NULL)
    {
      g_autoptr (GFile) out = g_file_new_for_commandline_arg (a.apply_trims);
      if (g_file_equal (out, file))
        return fail (EXIT_USAGE, "%s: --apply-trims writes a new project; give another name",
                     a.apply_trims);
      if (g_file_query_exists (out, NULL))
        return fail (EXIT_USAGE, "%s already exists; give a new name to --apply-trims",
                     a.apply_trims);
    }
  project = busker_project_load (file, &error);
  if (project == NULL)
    return fail (EXIT_USAGE, "%s", error->message);
  desc = busker_project_snapshot (project);

  sigemptyset (&sa.sa_mask);
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);
  mix = busker_assist_measure (desc, &cancel_flag, &error);
  if (mix == NULL)
    {
      if (cancel_flag)
        return fail (EXIT_RUNTIME, "%s: analysis cancelled, nothing written", a.args[0]);
      return fail (g_error_matches (error, BUSKER_ENGINE_ERROR, BUSKER_ENGINE_ERROR_FAILED)
                     ? EXIT_RUNTIME : EXIT_USAGE,
                   "%s: %s", a.args[0], error->message);
    }
  advice = busker_assist_advise (mix, &config);

  if (a.advise)
    {
      report = a.json ? busker_assist_report_json (mix, advice)
                      : busker_assist_report_text (mix, advice);
      fputs (report, stdout);
      if (a.json)
        fputc ('\n', stdout);
      fflush (stdout);
    }
  if (a.apply_trims != NULL)
    return write_trims (project, file, a.apply_trims, mix, advice, a.quiet || a.json);
  return 0;
}
