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
 */
#include "config.h"

#include "busker-export-cli.h"

#include "busker-advise-cli.h"

#include <glib/gi18n.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "engine/busker-export.h"
#include "model/busker-project.h"

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

static volatile sig_atomic_t cancel_flag;

static void
on_signal (int sig)
{
  cancel_flag = 1;
}

/* One line, no matter what the message holds. */
static int
fail (int status, const char *format, ...) G_GNUC_PRINTF (2, 3);

static int
fail (int status, const char *format, ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_strdelimit (msg, "\r\n", ' ');
  fprintf (stderr, "busker-export: %s\n", msg);
  return status;
}

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
  char *range, *stems;
  gboolean quiet, analyze, json;
  char **args;
} Args;

static void
args_clear (Args *a)
{
  g_free (a->output); g_free (a->format); g_free (a->bits); g_free (a->rate);
  g_free (a->norm_peak); g_free (a->norm_lufs); g_free (a->ceiling);
  g_free (a->range); g_free (a->stems);
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
          *problem = g_strdup_printf ("--format: \"%s\" is not one of wav, flac, ogg, aiff",
                                      a->format);
          return FALSE;
        }
    }
  else if (a->output != NULL && !busker_export_format_from_path (a->output, &opt->format))
    {
      *problem = g_strdup_printf ("%s: unknown file type; name it .wav, .flac, .ogg or "
                                  ".aiff, or give --format", a->output);
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
print_report (const BuskerLoudnessReport *report, gboolean json)
{
  g_autofree char *text = json ? busker_loudness_report_to_json (report)
                               : busker_loudness_report_to_text (report);
  fputs (text, stdout);
  if (json)
    fputc ('\n', stdout);
  fflush (stdout);
}

int
busker_export_cli_main (int argc, char **argv)
{
  g_auto (Args) a = { 0 };
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &a.output, N_("Write the mix to this file"), "OUT" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &a.format, N_("wav, flac, ogg or aiff (default: from OUT)"), "FORMAT" },
    { "bits", 0, 0, G_OPTION_ARG_STRING, &a.bits, N_("16, 24 or 32f (default 24)"), "BITS" },
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
  g_autoptr (GOptionContext) context = g_option_context_new (N_("PROJECT.busker"));
  g_autoptr (GError) error = NULL;
  g_autofree char *problem = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (BuskerProject) project = NULL;
  g_autoptr (BuskerMixDesc) desc = NULL;
  BuskerExportOptions opt;
  BuskerExportResult result;
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

  if (!a.quiet)
    {
      for (const char *const *w = busker_project_get_load_warnings (project); *w != NULL; w++)
        fprintf (stderr, "busker-export: %s: %s\n", a.args[0], *w);
      if (opt.normalize == BUSKER_NORMALIZE_LUFS && result.limited)
        fprintf (stderr, "busker-export: applied %+.1f dB with the true-peak limiter\n",
                 result.gain_db);
    }
  if (opt.analyze)
    print_report (&result.report, a.json);
  return 0;
}
