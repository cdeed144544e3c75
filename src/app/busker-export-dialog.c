/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The export dialog: file, format, bit depth, rate, normalization, range,
 * stems; then busker_export_run — the code behind `busker-export` — on a
 * worker thread, with a progress bar and Cancel.
 *
 * Decisions:
 * - The file proposed is the project's name + ".wav" beside the project
 *   file (for an unsaved project: the Music folder); stems go to
 *   "NAME stems" beside it. Changing the format changes the extension.
 * - The worker gets a snapshot of the project (busker_project_snapshot),
 *   so edits during an export do not touch it. Progress is an atomic the
 *   worker writes and a 100 ms timeout reads; Cancel raises the export's
 *   cancel flag, and busker_export_run then leaves no file behind. No
 *   g_task_set_return_on_cancel: the dialog says "done" only when the
 *   worker is.
 * - Closing the dialog while exporting cancels the export.
 * - Success: a toast "Exported NAME" with the loudness report and an
 *   "Open Folder" button; failure: the export's sentence in a toast.
 * - Loudness presets: Streaming −14 LUFS / −1 dBTP, EBU R 128 −23 LUFS /
 *   −1 dBTP; editing the numbers selects Custom.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "busker-export-dialog.h"
#include "engine/busker-export.h"
#include "engine/busker-render.h"

enum { NORMALIZE_OFF, NORMALIZE_PEAK, NORMALIZE_LOUDNESS };
enum { PRESET_STREAMING, PRESET_EBU, PRESET_CUSTOM };

static const struct { double target_lufs, ceiling_dbtp; } presets[] = {
  [PRESET_STREAMING] = { -14.0, -1.0 },
  [PRESET_EBU] = { -23.0, -1.0 },
};

static const double rates_hz[] = { 0, 44100, 48000, 88200, 96000 };

typedef struct
{
  BuskerMixDesc *desc;
  char *out_path;
  char *stems_dir;
  BuskerExportOptions options;
  BuskerExportResult result;
  volatile sig_atomic_t cancel;
  int progress_permille; /* atomic */
} ExportJob;

struct _BuskerExportDialog
{
  AdwWindow parent_instance;

  AdwPreferencesPage *page;
  AdwActionRow *file_row;
  GtkButton *choose_button;
  AdwComboRow *format_row;
  AdwComboRow *bits_row;
  AdwComboRow *rate_row;
  GtkStringList *rate_list;
  AdwComboRow *normalize_row;
  AdwComboRow *preset_row;
  AdwActionRow *target_row;
  AdwActionRow *ceiling_row;
  GtkAdjustment *target_adjustment;
  GtkAdjustment *ceiling_adjustment;
  AdwExpanderRow *range_row;
  GtkAdjustment *start_adjustment;
  GtkAdjustment *end_adjustment;
  AdwActionRow *stems_row;
  GtkSwitch *stems_switch;
  GtkButton *export_button;
  GtkButton *cancel_button;
  GtkRevealer *progress_revealer;
  GtkProgressBar *progress_bar;

  BuskerWindow *window;      /* weak: the toast's destination */
  BuskerProject *project;
  char *path;
  gboolean applying_preset;
  ExportJob *job;            /* while exporting; owned by the task */
  GTask *task;
  guint progress_timer;
};

G_DEFINE_FINAL_TYPE (BuskerExportDialog, busker_export_dialog, ADW_TYPE_WINDOW)

const char *
busker_export_dialog_get_path (BuskerExportDialog *self)
{
  return self->path;
}

static void
export_job_free (ExportJob *job)
{
  busker_mix_desc_free (job->desc);
  busker_export_result_clear (&job->result);
  g_free (job->out_path);
  g_free (job->stems_dir);
  g_free (job);
}

static char *
stems_dir_for (const char *path)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  char *dot = strrchr (base, '.');
  g_autofree char *name = NULL;

  if (dot != NULL && dot != base)
    *dot = '\0';
  /* Translators: the folder stems are written to; %s is the mix's name */
  name = g_strdup_printf (_("%s stems"), base);
  return g_build_filename (folder, name, NULL);
}

static void
show_path (BuskerExportDialog *self)
{
  g_autofree char *display = g_filename_display_name (self->path);
  g_autofree char *stems = stems_dir_for (self->path);
  g_autofree char *stems_display = g_filename_display_name (stems);

  adw_action_row_set_subtitle (self->file_row, display);
  adw_action_row_set_subtitle (self->stems_row, stems_display);
}

static void
set_path (BuskerExportDialog *self, const char *path)
{
  g_free (self->path);
  self->path = g_strdup (path);
  show_path (self);
}

static BuskerExportFormat
selected_format (BuskerExportDialog *self)
{
  return (BuskerExportFormat) adw_combo_row_get_selected (self->format_row);
}

static void
on_format_changed (BuskerExportDialog *self)
{
  const char *ext = busker_export_format_extension (selected_format (self));
  g_autofree char *stem = NULL;
  char *dot, *slash;

  if (self->path == NULL)
    return;
  stem = g_strdup (self->path);
  dot = strrchr (stem, '.');
  slash = strrchr (stem, G_DIR_SEPARATOR);
  if (dot != NULL && (slash == NULL || dot > slash))
    *dot = '\0';
  {
    g_autofree char *path = g_strdup_printf ("%s.%s", stem, ext);
    set_path (self, path);
  }
  /* Lossy formats have no bit depth. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->bits_row),
                            selected_format (self) != BUSKER_EXPORT_OGG
                            && selected_format (self) != BUSKER_EXPORT_MP3
                            && selected_format (self) != BUSKER_EXPORT_OPUS);
}

static void
on_normalize_changed (BuskerExportDialog *self)
{
  guint mode = adw_combo_row_get_selected (self->normalize_row);
  gboolean loudness = mode == NORMALIZE_LOUDNESS;

  gtk_widget_set_visible (GTK_WIDGET (self->preset_row), loudness);
  gtk_widget_set_visible (GTK_WIDGET (self->ceiling_row), loudness);
  gtk_widget_set_visible (GTK_WIDGET (self->target_row), mode != NORMALIZE_OFF);
  self->applying_preset = TRUE;
  if (mode == NORMALIZE_PEAK)
    {
      adw_action_row_set_subtitle (self->target_row, _("dBFS sample peak"));
      gtk_adjustment_set_value (self->target_adjustment, -1.0);
    }
  else if (loudness)
    {
      adw_action_row_set_subtitle (self->target_row, _("LUFS integrated"));
      if (adw_combo_row_get_selected (self->preset_row) != PRESET_CUSTOM)
        {
          guint preset = adw_combo_row_get_selected (self->preset_row);
          gtk_adjustment_set_value (self->target_adjustment, presets[preset].target_lufs);
          gtk_adjustment_set_value (self->ceiling_adjustment, presets[preset].ceiling_dbtp);
        }
    }
  self->applying_preset = FALSE;
}

static void
on_preset_changed (BuskerExportDialog *self)
{
  guint preset = adw_combo_row_get_selected (self->preset_row);

  if (preset == PRESET_CUSTOM || adw_combo_row_get_selected (self->normalize_row) != NORMALIZE_LOUDNESS)
    return;
  self->applying_preset = TRUE;
  gtk_adjustment_set_value (self->target_adjustment, presets[preset].target_lufs);
  gtk_adjustment_set_value (self->ceiling_adjustment, presets[preset].ceiling_dbtp);
  self->applying_preset = FALSE;
}

static void
on_level_edited (BuskerExportDialog *self)
{
  guint preset = adw_combo_row_get_selected (self->preset_row);

  if (self->applying_preset || preset == PRESET_CUSTOM
      || adw_combo_row_get_selected (self->normalize_row) != NORMALIZE_LOUDNESS)
    return;
  if (gtk_adjustment_get_value (self->target_adjustment) != presets[preset].target_lufs
      || gtk_adjustment_get_value (self->ceiling_adjustment) != presets[preset].ceiling_dbtp)
    adw_combo_row_set_selected (self->preset_row, PRESET_CUSTOM);
}

static void
on_choose_response (GtkNativeDialog *chooser, int response, BuskerExportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      BuskerExportFormat format;

      if (path != NULL)
        {
          set_path (self, path);
          if (busker_export_format_from_path (path, &format))
            adw_combo_row_set_selected (self->format_row, format);
        }
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
on_choose_clicked (BuskerExportDialog *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr (GFile) current = g_file_new_for_path (self->path);
  g_autoptr (GFile) folder = g_file_get_parent (current);
  g_autofree char *name = g_file_get_basename (current);

  chooser = gtk_file_chooser_native_new (_("Export To"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_choose_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Worker thread. */
static void
on_job_progress (double fraction, gpointer user_data)
{
  ExportJob *job = user_data;

  g_atomic_int_set (&job->progress_permille, (int) lround (CLAMP (fraction, 0.0, 1.0) * 1000.0));
}

/* Worker thread. */
static void
export_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;

  if (busker_export_run (job->desc, job->out_path, &job->options, &job->result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
poll_progress (gpointer user_data)
{
  BuskerExportDialog *self = user_data;

  if (self->job != NULL)
    gtk_progress_bar_set_fraction (self->progress_bar,
                                   g_atomic_int_get (&self->job->progress_permille) / 1000.0);
  return G_SOURCE_CONTINUE;
}

/* "−15.8" with a real minus sign; "−∞" for silence. */
static char *
format_level (double value)
{
  if (isnan (value))
    return g_strdup ("—");
  if (!isfinite (value))
    return g_strdup (value < 0 ? "−∞" : "∞");
  if (value < 0 && lround (value * 10) != 0)
    return g_strdup_printf ("−%.1f", -value);
  return g_strdup_printf ("%.1f", fabs (value));
}

/* "−15.8 LUFS, LRA 4.8 LU, true peak −1.5 dBTP, mono loss 0.3 LU": short
 * enough for one toast line. */
static char *
report_sentence (const BuskerLoudnessReport *r)
{
  g_autofree char *integrated = format_level (r->integrated_lufs);
  g_autofree char *range = format_level (r->loudness_range_lu);
  g_autofree char *peak = format_level (r->true_peak_dbtp);
  g_autofree char *mono = format_level (r->mono_loss_lu);

  return g_strdup_printf (_("%s LUFS, LRA %s LU, true peak %s dBTP, mono loss %s LU"),
                          integrated, range, peak, mono);
}

static void
set_running (BuskerExportDialog *self, gboolean running)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->page), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), !running);
  gtk_revealer_set_reveal_child (self->progress_revealer, running);
  if (running)
    self->progress_timer = g_timeout_add (100, poll_progress, self);
  else
    g_clear_handle_id (&self->progress_timer, g_source_remove);
}

static void
export_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  BuskerExportDialog *self = BUSKER_EXPORT_DIALOG (source);
  ExportJob *job = self->job;
  g_autoptr (GError) error = NULL;

  set_running (self, FALSE);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      const char *written = job->out_path ? job->out_path : job->stems_dir;
      g_autofree char *name = g_filename_display_basename (written);
      g_autofree char *report = report_sentence (&job->result.report);
      g_autofree char *title = g_strdup_printf (_("Exported %s — %s"), name, report);
      g_autofree char *escaped = g_markup_escape_text (title, -1);
      g_autoptr (GFile) file = g_file_new_for_path (written);
      g_autofree char *uri = g_file_get_uri (file);
      AdwToast *toast = adw_toast_new (escaped);

      adw_toast_set_timeout (toast, 0);
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      adw_toast_set_button_label (toast, _("Open Folder"));
      adw_toast_set_action_name (toast, "win.show-in-folder");
      adw_toast_set_action_target_value (toast, g_variant_new_string (uri));
      if (self->window != NULL)
        {
          busker_window_add_toast (self->window, toast);
          /* What the export worked around (a fault, a lying header). */
          for (guint i = 0; job->result.warnings != NULL && i < job->result.warnings->len; i++)
            {
              const BuskerRenderWarning *w = g_ptr_array_index (job->result.warnings, i);
              busker_window_show_message (self->window, w->message);
            }
        }
      else
        g_object_unref (g_object_ref_sink (toast));
    }
  else if (self->window != NULL && !g_error_matches (error, BUSKER_EXPORT_ERROR,
                                                     BUSKER_EXPORT_ERROR_CANCELLED))
    busker_window_show_message (self->window, error->message);
  self->job = NULL;
  g_clear_object (&self->task);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
fill_options (BuskerExportDialog *self, ExportJob *job)
{
  BuskerExportOptions *opt = &job->options;
  guint rate = adw_combo_row_get_selected (self->rate_row);
  guint normalize = adw_combo_row_get_selected (self->normalize_row);

  busker_export_options_init (opt);
  opt->format = selected_format (self);
  opt->bits = (BuskerExportBits) adw_combo_row_get_selected (self->bits_row);
  opt->rate_hz = rate < G_N_ELEMENTS (rates_hz) ? rates_hz[rate] : 0;
  if (normalize == NORMALIZE_PEAK)
    opt->normalize = BUSKER_NORMALIZE_PEAK;
  else if (normalize == NORMALIZE_LOUDNESS)
    {
      opt->normalize = BUSKER_NORMALIZE_LUFS;
      opt->true_peak_ceiling_dbtp = gtk_adjustment_get_value (self->ceiling_adjustment);
    }
  opt->normalize_target = gtk_adjustment_get_value (self->target_adjustment);
  if (adw_expander_row_get_enable_expansion (self->range_row))
    {
      opt->has_range = TRUE;
      opt->start_s = gtk_adjustment_get_value (self->start_adjustment);
      opt->end_s = gtk_adjustment_get_value (self->end_adjustment);
    }
  if (gtk_switch_get_active (self->stems_switch))
    opt->stems_dir = job->stems_dir = stems_dir_for (self->path);
  opt->analyze = TRUE;
  opt->progress = on_job_progress;
  opt->progress_data = job;
  opt->cancel = &job->cancel;
}

static void
start_export (BuskerExportDialog *self)
{
  ExportJob *job;

  if (self->task != NULL)
    return;
  job = g_new0 (ExportJob, 1);
  job->desc = busker_project_snapshot (self->project);
  job->out_path = g_strdup (self->path);
  fill_options (self, job);

  self->job = job;
  self->task = g_task_new (self, NULL, export_done, NULL);
  g_task_set_task_data (self->task, job, (GDestroyNotify) export_job_free);
  set_running (self, TRUE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  g_task_run_in_thread (self->task, export_thread);
}

static void
on_replace_response (AdwMessageDialog *question, const char *response, BuskerExportDialog *self)
{
  if (g_str_equal (response, "replace"))
    start_export (self);
}

/* What the export would write over: the mix file, and the stems folder
 * when stems are on and it holds anything. NULL when nothing. */
static char *
would_replace (BuskerExportDialog *self)
{
  g_autofree char *stems = stems_dir_for (self->path);
  g_autofree char *mix_name = g_filename_display_basename (self->path);
  g_autofree char *stems_name = g_filename_display_basename (stems);
  g_autoptr (GDir) listing = NULL;
  gboolean mix = g_file_test (self->path, G_FILE_TEST_EXISTS);
  gboolean stems_used = FALSE;

  if (gtk_switch_get_active (self->stems_switch))
    {
      listing = g_dir_open (stems, 0, NULL);
      stems_used = listing != NULL && g_dir_read_name (listing) != NULL;
    }
  if (mix && stems_used)
    /* TRANSLATORS: the export would write over a file and a folder's files */
    return g_strdup_printf (_("“%s” and the files in “%s” already exist. Exporting replaces them."),
                            mix_name, stems_name);
  if (mix)
    return g_strdup_printf (_("“%s” already exists. Exporting replaces it."), mix_name);
  if (stems_used)
    return g_strdup_printf (_("The files in “%s” already exist. Exporting replaces them."),
                            stems_name);
  return NULL;
}

/* Export, or first ask before anything is written over (as a file
 * chooser would; the proposed name is often last time's export). */
static void
on_export_clicked (BuskerExportDialog *self)
{
  g_autofree char *body = NULL;
  GtkWidget *question;

  if (self->task != NULL)
    return;
  body = would_replace (self);
  if (body == NULL)
    {
      start_export (self);
      return;
    }
  question = adw_message_dialog_new (GTK_WINDOW (self), _("Replace Existing Files?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (question), "cancel", _("_Cancel"),
                                    "replace", _("_Replace"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (question), "replace",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (question), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (question), "cancel");
  g_signal_connect (question, "response", G_CALLBACK (on_replace_response), self);
  gtk_window_present (GTK_WINDOW (question));
}

static void
on_cancel_clicked (BuskerExportDialog *self)
{
  if (self->job != NULL)
    self->job->cancel = 1; /* export_done closes the dialog */
  else
    gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
busker_export_dialog_close_request (GtkWindow *window)
{
  BuskerExportDialog *self = BUSKER_EXPORT_DIALOG (window);

  if (self->job != NULL)
    {
      self->job->cancel = 1;
      return TRUE;
    }
  return GTK_WINDOW_CLASS (busker_export_dialog_parent_class)->close_request (window);
}

static void
busker_export_dialog_dispose (GObject *object)
{
  BuskerExportDialog *self = BUSKER_EXPORT_DIALOG (object);

  g_clear_handle_id (&self->progress_timer, g_source_remove);
  g_clear_weak_pointer (&self->window);
  g_clear_object (&self->project);
  gtk_widget_dispose_template (GTK_WIDGET (self), BUSKER_TYPE_EXPORT_DIALOG);
  G_OBJECT_CLASS (busker_export_dialog_parent_class)->dispose (object);
}

static void
busker_export_dialog_finalize (GObject *object)
{
  BuskerExportDialog *self = BUSKER_EXPORT_DIALOG (object);

  g_free (self->path);
  G_OBJECT_CLASS (busker_export_dialog_parent_class)->finalize (object);
}

static void
busker_export_dialog_class_init (BuskerExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = busker_export_dialog_dispose;
  object_class->finalize = busker_export_dialog_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = busker_export_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/busker/Busker/busker-export-dialog.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, BuskerExportDialog, name)
  BIND (page); BIND (file_row); BIND (choose_button); BIND (format_row); BIND (bits_row);
  BIND (rate_row); BIND (rate_list); BIND (normalize_row); BIND (preset_row);
  BIND (target_row); BIND (ceiling_row); BIND (target_adjustment); BIND (ceiling_adjustment);
  BIND (range_row); BIND (start_adjustment); BIND (end_adjustment); BIND (stems_row);
  BIND (stems_switch); BIND (export_button); BIND (cancel_button);
  BIND (progress_revealer); BIND (progress_bar);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_format_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_normalize_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_preset_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_level_edited);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
busker_export_dialog_init (BuskerExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
fill_rates (BuskerExportDialog *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (rates_hz); i++)
    {
      g_autofree char *label = NULL;

      if (rates_hz[i] == 0)
        /* Translators: %g is the project's sample rate in Hz */
        label = g_strdup_printf (_("Project Rate (%g Hz)"),
                                 busker_project_get_sample_rate (self->project));
      else
        label = g_strdup_printf (_("%g Hz"), rates_hz[i]);
      gtk_string_list_append (self->rate_list, label);
    }
}

static char *
proposed_path (BuskerProject *project)
{
  GFile *file = busker_project_get_file (project);
  const char *name = busker_project_get_name (project);
  g_autofree char *folder = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *base = NULL;

  if (file != NULL)
    {
      g_autoptr (GFile) parent = g_file_get_parent (file);
      folder = g_file_get_path (parent);
      base = g_file_get_basename (file);
      if (g_str_has_suffix (base, ".busker"))
        base[strlen (base) - strlen (".busker")] = '\0';
    }
  if (folder == NULL)
    folder = g_strdup (g_get_user_special_dir (G_USER_DIRECTORY_MUSIC)
                       ? g_get_user_special_dir (G_USER_DIRECTORY_MUSIC) : g_get_home_dir ());
  if (name != NULL && *name != '\0')
    stem = g_strdelimit (g_strdup (name), G_DIR_SEPARATOR_S, '-');
  else if (base != NULL && *base != '\0')
    stem = g_strdup (base);
  else
    stem = g_strdup (_("Mixdown"));
  {
    g_autofree char *file_name = g_strconcat (stem, ".wav", NULL);
    return g_build_filename (folder, file_name, NULL);
  }
}

BuskerExportDialog *
busker_export_dialog_present (BuskerWindow *window, BuskerProject *project, gboolean stems)
{
  /* AdwWindow is a "filler" to AT-SPI on libadwaita 1.2; this is a dialog. */
  BuskerExportDialog *self = g_object_new (BUSKER_TYPE_EXPORT_DIALOG,
                                           "transient-for", window,
                                           "accessible-role", GTK_ACCESSIBLE_ROLE_DIALOG,
                                           NULL);
  g_autofree char *path = proposed_path (project);

  g_set_weak_pointer (&self->window, window);
  self->project = g_object_ref (project);
  fill_rates (self);
  set_path (self, path);
  on_normalize_changed (self);
  if (stems)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Export Stems"));
      gtk_switch_set_active (self->stems_switch, TRUE);
    }
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->export_button));
  /* Enter exports with what is proposed. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->export_button));
  gtk_window_present (GTK_WINDOW (self));
  return self;
}
