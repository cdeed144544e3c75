/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * busker-export: the command line over busker_export_run (FORMAT.md,
 * "Command line").
 *
 * Decisions:
 * - Exit 0 on success, 1 when rendering or writing fails (or on SIGINT/
 *   SIGTERM), 2 for bad usage or bad input (options, project, sources,
 *   target folder); a failure prints exactly one line on stderr, naming
 *   the file, so scripts can show it as is.
 * - Numbers are parsed here rather than by GOption so the messages say
 *   which option and which value were wrong.
 * - Progress (percent and time left) goes to stderr only when stderr is a
 *   terminal and --quiet is not given; it is erased before anything else
 *   is printed.
 * - SIGINT/SIGTERM raise a flag that the export checks once per block; it
 *   then removes its temporary files and exits 1.
 * - What the export altered (faults silenced, samples replaced, headers
 *   that lied, stems renamed) is printed on stderr after a successful
 *   export, one line each, even with --quiet (which only hides progress
 *   and the loader's notes): audio changed without a word is the one
 *   thing an exporter must not do. --analyze --json carries the same list.
 * - Relative source paths resolve against the folder of the project path
 *   as given, so a folder of links works; a source not found there, in a
 *   project reached through a symbolic link, is looked for next to the
 *   real file (docs/export.md).
 */
#include "config.h"

#include "busker-export-cli.h"
#include "busker-cli-fail.h"

#include "busker-advise-cli.h"

#include <glib/gi18n.h>
#include <math.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/busker-export.h"
#include "model/busker-project.h"
#include "model/busker-source.h"
#include "model/busker-strip.h"

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

static volatile sig_atomic_t cancel_flag;

static void
on_signal (int sig)
{
  cancel_flag = 1;
}

#define fail(status, ...) busker_cli_fail ("busker-export", status, __VA_ARGS__)

typedef struct {
  gint64 start_us;
  gint64 last_us;
  gboolean shown;
} Progress;

static void
on_progress (double fraction, gpointer user_data)
{
  Progress *p = user_data;
  gint64 now = g_get_monotonic_time ();
  double elapsed_s, left_s;

  if (now - p->last_us < 100000 && fraction < 1.0)
    return;
  p->last_us = now;
  elapsed_s = (double) (now - p->start_us) / G_USEC_PER_SEC;
  left_s = fraction > 0.01 ? elapsed_s * (1.0 - fraction) / fraction : NAN;
  if (isfinite (left_s))
    fprintf (stderr, "\r%s %3.0f%%  %d:%02d left ", _("Exporting"), 100.0 * fraction,
             (int) left_s / 60, (int) left_s % 60);
  else
    fprintf (stderr, "\r%s %3.0f%% ", _("Exporting"), 100.0 * fraction);
  p->shown = TRUE;
}

static void
progress_clear (Progress *p)
{
  if (p->shown)
    fputs ("\r\033[K", stderr);
  p->shown = FALSE;
}

static gboolean
parse_double (const char *option, const char *text, double *out, char **problem)
{
  char *end = NULL;

  if (text == NULL)
    return TRUE;
  *out = g_ascii_strtod (text, &end);
  if (end != text && *end == '\0' && isfinite (*out))
    return TRUE;
  *problem = g_strdup_printf ("%s: \"%s\" is not a number", option, text);
  return FALSE;
}

static gboolean
parse_range (const char *text, BuskerExportOptions *opt, char **problem)
{
  g_auto (GStrv) parts = NULL;

  if (text == NULL)
    return TRUE;
  parts = g_strsplit (text, ":", 2);
  if (g_strv_length (parts) != 2 ||
      !parse_double ("--range", parts[0], &opt->start_s, problem) ||
      !parse_double ("--range", parts[1], &opt->end_s, problem))
    {
      if (*problem == NULL)
        *problem = g_strdup_printf ("--range: \"%s\" is not START_S:END_S", text);
      return FALSE;
    }
  opt->has_range = TRUE;
  return TRUE;
}

typedef struct {
  char *output, *format, *bits, *rate, *norm_peak, *norm_lufs, *ceiling;
  char *range, *stems, *bitrate;
  gboolean quiet, analyze, json;
  char **args;
} Args;

static void
args_clear (Args *a)
{
  g_free (a->output); g_free (a->format); g_free (a->bits); g_free (a->rate);
  g_free (a->norm_peak); g_free (a->norm_lufs); g_free (a->ceiling);
  g_free (a->range); g_free (a->stems); g_free (a->bitrate);
  g_strfreev (a->args);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Args, args_clear)

/* Fills opt from the parsed arguments; a problem is a usage error. */
static gboolean
options_from_args (const Args *a, BuskerExportOptions *opt, char **problem)
{
  busker_export_options_init (opt);

  if (a->format != NULL)
    {
      if (!busker_export_format_from_name (a->format, &opt->format))
        {
          *problem = g_strdup_printf ("--format: \"%s\" is not one of wav, flac, ogg, aiff, "
                                      "mp3, opus", a->format);
          return FALSE;
        }
    }
  else if (a->output != NULL && !busker_export_format_from_path (a->output, &opt->format))
    {
      *problem = g_strdup_printf ("%s: unknown file type; name it .wav, .flac, .ogg, "
                                  ".aiff, .mp3 or .opus, or give --format", a->output);
      return FALSE;
    }

  if (a->bits != NULL)
    {
      if (g_str_equal (a->bits, "16"))
        opt->bits = BUSKER_EXPORT_BITS_16;
      else if (g_str_equal (a->bits, "24"))
        opt->bits = BUSKER_EXPORT_BITS_24;
      else if (g_str_equal (a->bits, "32f") || g_str_equal (a->bits, "32"))
        opt->bits = BUSKER_EXPORT_BITS_32F;
      else
        {
          *problem = g_strdup_printf ("--bits: \"%s\" is not one of 16, 24, 32f", a->bits);
          return FALSE;
        }
    }

  if (a->norm_peak != NULL && a->norm_lufs != NULL)
    {
      *problem = g_strdup ("--normalize-peak and --normalize-lufs exclude each other");
      return FALSE;
    }
  if (a->norm_peak != NULL)
    opt->normalize = BUSKER_NORMALIZE_PEAK;
  if (a->norm_lufs != NULL)
    opt->normalize = BUSKER_NORMALIZE_LUFS;
  if (a->ceiling != NULL && a->norm_lufs == NULL)
    {
      *problem = g_strdup ("--true-peak-ceiling goes with --normalize-lufs");
      return FALSE;
    }

  if (a->bitrate != NULL)
    {
      char *end = NULL;
      guint64 kbps = g_ascii_strtoull (a->bitrate, &end, 10);
      if (end == a->bitrate || *end != '\0' || kbps == 0 || kbps > 10000)
        {
          *problem = g_strdup_printf ("--bitrate: \"%s\" is not a bit rate in kbit/s", a->bitrate);
          return FALSE;
        }
      opt->bitrate_kbps = (int) kbps;
    }

  opt->stems_dir = a->stems;
  opt->analyze = a->analyze || a->json;
  return parse_double ("--rate", a->rate, &opt->rate_hz, problem) &&
         parse_double ("--normalize-peak", a->norm_peak, &opt->normalize_target, problem) &&
         parse_double ("--normalize-lufs", a->norm_lufs, &opt->normalize_target, problem) &&
         parse_double ("--true-peak-ceiling", a->ceiling, &opt->true_peak_ceiling_dbtp,
                       problem) &&
         parse_range (a->range, opt, problem);
}

static void
print_report (const BuskerExportResult *result, gboolean json)
{
  g_autofree char *text = json ? busker_export_result_to_json (result)
                               : busker_loudness_report_to_text (&result->report);
  fputs (text, stdout);
  if (json)
    fputc ('\n', stdout);
  fflush (stdout);
}

/* Sources not found next to the project path as given are looked for
 * next to the real file, when the project is reached through a link. */
static void
resolve_through_link (BuskerProject *project, GFile *file, BuskerMixDesc *desc)
{
  g_autofree char *given = g_file_get_path (file);
  g_autofree char *real = given != NULL ? realpath (given, NULL) : NULL;
  g_autofree char *real_dir = NULL;
  GListModel *strips = G_LIST_MODEL (project);

  if (real == NULL || g_strcmp0 (real, given) == 0)
    return;
  real_dir = g_path_get_dirname (real);
  for (guint i = 0; i < g_list_model_get_n_items (strips) && i < desc->n_strips; i++)
    {
      g_autoptr (BuskerStrip) strip = g_list_model_get_item (strips, i);
      BuskerSource *source = busker_strip_get_source (strip);
      BuskerStripDesc *d = &desc->strips[i];
      const char *rel;
      g_autofree char *candidate = NULL;

      if (source == NULL || busker_source_get_kind (source) != BUSKER_SOURCE_FILE ||
          d->source_path == NULL || g_file_test (d->source_path, G_FILE_TEST_EXISTS))
        continue;
      rel = busker_source_get_path (source);
      if (rel == NULL || g_path_is_absolute (rel))
        continue;
      candidate = g_canonicalize_filename (rel, real_dir);
      if (g_file_test (candidate, G_FILE_TEST_EXISTS))
        {
          g_free (d->source_path);
          d->source_path = g_steal_pointer (&candidate);
        }
    }
}

int
busker_export_cli_main (int argc, char **argv)
{
  g_auto (Args) a = { 0 };
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &a.output, N_("Write the mix to this file"), "OUT" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &a.format, N_("wav, flac, ogg, aiff, mp3 or opus (default: from OUT)"), "FORMAT" },
    { "bits", 0, 0, G_OPTION_ARG_STRING, &a.bits, N_("16, 24 or 32f (default 24)"), "BITS" },
    { "bitrate", 0, 0, G_OPTION_ARG_STRING, &a.bitrate, N_("Bit rate of MP3 (default 320) and Opus (default 192)"), "KBPS" },
    { "rate", 0, 0, G_OPTION_ARG_STRING, &a.rate, N_("Sample rate of the file (default: the project's)"), "HZ" },
    { "normalize-peak", 0, 0, G_OPTION_ARG_STRING, &a.norm_peak, N_("Normalize the sample peak to this level"), "DBFS" },
    { "normalize-lufs", 0, 0, G_OPTION_ARG_STRING, &a.norm_lufs, N_("Normalize the integrated loudness to this level"), "LUFS" },
    { "true-peak-ceiling", 0, 0, G_OPTION_ARG_STRING, &a.ceiling, N_("True-peak ceiling with --normalize-lufs (default -1)"), "DBTP" },
    { "range", 0, 0, G_OPTION_ARG_STRING, &a.range, N_("Export only this part of the project"), "START_S:END_S" },
    { "stems", 0, 0, G_OPTION_ARG_FILENAME, &a.stems, N_("Also write one file per subgroup and aux bus, and the mix, here"), "DIR" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &a.quiet, N_("Print no progress"), NULL },
    { "analyze", 0, 0, G_OPTION_ARG_NONE, &a.analyze, N_("Print a loudness report of the mix"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &a.json, N_("Print the report as JSON"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &a.args, NULL, "PROJECT.busker" },
    { NULL },
  };
  /* The remaining argument's "PROJECT.busker" already shows in the usage
   * line; a parameter string here would print it twice. */
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *problem = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (BuskerProject) project = NULL;
  g_autoptr (BuskerMixDesc) desc = NULL;
  BuskerExportOptions opt;
  g_auto (BuskerExportResult) result = { 0 };
  Progress progress = { 0 };
  struct sigaction sa = { .sa_handler = on_signal };

  if (busker_advise_cli_wanted (argc, argv))
    return busker_advise_cli_main (argc, argv);
  busker_advise_cli_add_help (context);
  g_option_context_set_summary (context, _("Renders a Busker project to audio files, faster than real time."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (EXIT_USAGE, "%s (see --help)", error->message);
  if (a.args == NULL || g_strv_length (a.args) != 1)
    return fail (EXIT_USAGE, "give exactly one PROJECT.busker (see --help)");
  if (!options_from_args (&a, &opt, &problem))
    return fail (EXIT_USAGE, "%s", problem);
  if (a.output == NULL && a.stems == NULL && !opt.analyze)
    return fail (EXIT_USAGE, "nothing to do: give -o OUT, --stems DIR or --analyze");

  file = g_file_new_for_commandline_arg (a.args[0]);
  project = busker_project_load (file, &error);
  if (project == NULL)
    return fail (EXIT_USAGE, "%s", error->message);
  desc = busker_project_snapshot (project);
  resolve_through_link (project, file, desc);

  sigemptyset (&sa.sa_mask);
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);
  opt.cancel = &cancel_flag;
  if (!a.quiet && isatty (STDERR_FILENO))
    {
      progress.start_us = g_get_monotonic_time ();
      opt.progress = on_progress;
      opt.progress_data = &progress;
    }

  if (!busker_export_run (desc, a.output, &opt, &result, &error))
    {
      progress_clear (&progress);
      if (g_error_matches (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_CANCELLED))
        return fail (EXIT_RUNTIME, "%s: export cancelled, nothing written",
                     a.output != NULL ? a.output : a.args[0]);
      return fail (g_error_matches (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_INPUT)
                     ? EXIT_USAGE : EXIT_RUNTIME,
                   "%s", error->message);
    }
  progress_clear (&progress);

  for (guint i = 0; result.warnings != NULL && i < result.warnings->len; i++)
    {
      const BuskerRenderWarning *w = g_ptr_array_index (result.warnings, i);
      fprintf (stderr, "busker-export: %s\n", w->message);
    }
  if (!a.quiet)
    {
      for (const char *const *w = busker_project_get_load_warnings (project); *w != NULL; w++)
        fprintf (stderr, "busker-export: %s: %s\n", a.args[0], *w);
      if (opt.normalize == BUSKER_NORMALIZE_LUFS && result.limited)
        fprintf (stderr, "busker-export: applied %+.1f dB with the true-peak limiter\n",
                 result.gain_db);
    }
  if (opt.analyze)
    print_report (&result, a.json);
  return 0;
}
