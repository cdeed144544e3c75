/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The strip row is a GtkBox per group (tracks, subgroups, aux buses) in
 * one GtkScrolledWindow, kept in step with the project's items-changed
 * by inserting and removing only the strips that changed; the master
 * sits in its own box beside the scrolled row (gtk4-widgets.md §3 on why
 * not a list view on GTK 4.8). `strips` mirrors the project's order.
 *
 * Start-up: a project's first BUSKER_MIXER_EAGER_STRIPS strips (and the
 * master) are built at once, the rest a few at a time in a low-priority
 * idle after the first frame (the project's order is the row's: tracks,
 * subgroups, aux buses). Until then `strips` holds NULL for them; a
 * lookup, a selection or drag and drop builds the rest first
 * (ensure_all_strips).
 *
 * Meters: one tick callback for the whole mixer, only while mapped and
 * while there is something to read (a session, or the benchmark's
 * reader); at most meter-rate reads a second. Each BuskerLevelMeter redraws
 * only when a bar moves by a pixel. When no bar has moved for a second
 * the tick stops and a 10 Hz timer reads instead, until one moves.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "busker-mixer-private.h"
#include "busker-mixer-session.h"
#include "busker-strip-box.h"

/* Strips built before the first frame: the row's first 24 fill a
 * 1920-pixel screen (BUSKER_CHANNEL_STRIP_WIDTH 80). */
#define BUSKER_MIXER_EAGER_STRIPS 24
/* The meters rest after a second without a bar moving; then read at
 * 10 Hz (a sound that starts shows within 100 ms, its peak kept by the
 * reader until read). */
#define METER_REST_US G_USEC_PER_SEC
#define METER_POLL_MS 100

struct _BuskerMixer
{
  GtkWidget parent_instance;

  BuskerProject *project;
  GObject *session;
  GPtrArray *strips; /* BuskerChannelStrip, in the project's order */
  GtkSizeGroup *rack_group;
  GtkSizeGroup *sends_group;

  BuskerMixerMeterReader meter_reader;
  gpointer meter_reader_data;
  double meter_rate_hz;
  guint tick_id;
  guint poll_id;          /* the meters at rest: METER_POLL_MS timer instead */
  gint64 still_since_us;  /* when a bar last moved */
  guint missing_idle;
  guint build_idle; /* builds the strips still NULL in `strips` */
  gint64 last_meter_us;
  GtkFileChooserNative *chooser;

  /* template */
  GtkWidget *box;
  GtkWidget *scroller;
  GtkWidget *row;
  GtkWidget *tracks_box;
  GtkWidget *tracks_separator;
  GtkWidget *subgroups_box;
  GtkWidget *subgroups_separator;
  GtkWidget *aux_box;
  GtkWidget *master_box;
};

G_DEFINE_FINAL_TYPE (BuskerMixer, busker_mixer, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_PROJECT, PROP_SESSION, PROP_METER_RATE, N_PROPS };
static GParamSpec *pspecs[N_PROPS];

enum { MESSAGE, N_SIGNALS };
static guint signals[N_SIGNALS];

void
_busker_mixer_emit_message (BuskerMixer *self, const char *sentence)
{
  g_signal_emit (self, signals[MESSAGE], 0, sentence);
}

BuskerProject *
_busker_mixer_project (BuskerMixer *self)
{
  return self->project;
}

GObject *
_busker_mixer_session (BuskerMixer *self)
{
  return self->session;
}

static void ensure_all_strips (BuskerMixer *self);

GPtrArray *
_busker_mixer_strips (BuskerMixer *self)
{
  ensure_all_strips (self);
  return self->strips;
}

/* ---- meters ---------------------------------------------------------------- */

static gboolean
read_meter (BuskerMixer *self, BuskerStrip *strip, BuskerStripMeter *meter)
{
  if (self->meter_reader != NULL)
    return self->meter_reader (strip, meter, self->meter_reader_data);
  return busker_mixer_session_read_meter (self->session, strip, meter);
}

/* Reads the meters of the strips in view and pushes them at time now
 * (µs, monotonic); TRUE when some bar moved. */
static gboolean
read_meters (BuskerMixer *self, gint64 now)
{
  GtkAdjustment *hadj = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (self->scroller));
  double left = gtk_adjustment_get_value (hadj);
  double right = left + gtk_adjustment_get_page_size (hadj);
  gboolean moved = FALSE;

  for (guint i = 0; i < self->strips->len; i++)
    {
      BuskerChannelStrip *cs = g_ptr_array_index (self->strips, i);
      BuskerStripMeter meter;
      graphene_rect_t bounds;

      if (cs == NULL)
        continue;
      /* Strips scrolled out of sight neither read nor draw; their meters
       * catch up when they come back (the peak readings are lost, which
       * nobody could have seen). */
      if (gtk_widget_is_ancestor (GTK_WIDGET (cs), self->row)
          && gtk_widget_compute_bounds (GTK_WIDGET (cs), self->row, &bounds)
          && (bounds.origin.x + bounds.size.width < left || bounds.origin.x > right))
        continue;
      if (!read_meter (self, busker_channel_strip_get_strip (cs), &meter))
        {
          meter.peak_db[0] = meter.peak_db[1] = -INFINITY;
          meter.rms_db[0] = meter.rms_db[1] = -INFINITY;
        }
      moved |= busker_level_meter_push (busker_channel_strip_get_meter (cs), meter.peak_db,
                                        meter.rms_db, now);
    }
  return moved;
}

static void start_meter_tick (BuskerMixer *self);

/* At rest: a 10 Hz timer reads the meters without waking the frame
 * clock; the first bar that moves brings the tick back. */
static gboolean
meter_poll_cb (gpointer data)
{
  BuskerMixer *self = data;

  if (!read_meters (self, g_get_monotonic_time ()))
    return G_SOURCE_CONTINUE;
  self->poll_id = 0;
  start_meter_tick (self);
  return G_SOURCE_REMOVE;
}

static gboolean
meter_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  BuskerMixer *self = BUSKER_MIXER (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  /* Half a frame of slack, so 60 Hz on a 60 Hz clock reads every frame. */
  if (now - self->last_meter_us < (gint64) (G_USEC_PER_SEC / self->meter_rate_hz) - 8000)
    return G_SOURCE_CONTINUE;
  self->last_meter_us = now;
  if (read_meters (self, now))
    self->still_since_us = now;
  else if (now - self->still_since_us > METER_REST_US)
    {
      /* Nothing moved for a while (silence, or a steady level): stop the
       * tick, which costs a frame-clock cycle per frame even when nothing
       * is drawn (2 % of a core at 60 Hz under Xvfb). */
      self->tick_id = 0;
      self->poll_id = g_timeout_add (METER_POLL_MS, meter_poll_cb, self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
start_meter_tick (BuskerMixer *self)
{
  self->still_since_us = g_get_monotonic_time ();
  self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), meter_tick_cb, NULL, NULL);
}

static void
reset_meters (BuskerMixer *self)
{
  for (guint i = 0; i < self->strips->len; i++)
    {
      BuskerChannelStrip *cs = g_ptr_array_index (self->strips, i);
      if (cs != NULL)
        busker_level_meter_reset (busker_channel_strip_get_meter (cs));
    }
}

static void
update_tick (BuskerMixer *self)
{
  /* Without live audio the session's meters are −inf: no tick at all. */
  gboolean want = gtk_widget_get_mapped (GTK_WIDGET (self)) && self->project != NULL
                  && (self->meter_reader != NULL
                      || (self->session != NULL && busker_mixer_session_get_live (self->session)));

  if (want && self->tick_id == 0 && self->poll_id == 0)
    start_meter_tick (self);
  else if (!want && (self->tick_id != 0 || self->poll_id != 0))
    {
      if (self->tick_id != 0)
        gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
      g_clear_handle_id (&self->poll_id, g_source_remove);
      /* Live audio went away: the bars drop to silence now. */
      reset_meters (self);
    }
}

void
busker_mixer_set_meter_reader (BuskerMixer *self, BuskerMixerMeterReader reader, gpointer data)
{
  g_return_if_fail (BUSKER_IS_MIXER (self));
  self->meter_reader = reader;
  self->meter_reader_data = data;
  update_tick (self);
}

double
busker_mixer_get_meter_rate (BuskerMixer *self)
{
  g_return_val_if_fail (BUSKER_IS_MIXER (self), 0);
  return self->meter_rate_hz;
}

void
busker_mixer_set_meter_rate (BuskerMixer *self, double rate_hz)
{
  g_return_if_fail (BUSKER_IS_MIXER (self));
  rate_hz = CLAMP (rate_hz, BUSKER_MIXER_METER_RATE_MIN, BUSKER_MIXER_METER_RATE_MAX);
  if (self->meter_rate_hz == rate_hz)
    return;
  self->meter_rate_hz = rate_hz;
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[PROP_METER_RATE]);
}

/* ---- strips ---------------------------------------------------------------- */

static GtkWidget *
box_for_kind (BuskerMixer *self, BuskerStripKind kind)
{
  switch (kind)
    {
    case BUSKER_STRIP_SUBGROUP: return self->subgroups_box;
    case BUSKER_STRIP_AUX: return self->aux_box;
    case BUSKER_STRIP_MASTER: return self->master_box;
    case BUSKER_STRIP_TRACK:
    default: return self->tracks_box;
    }
}

static void
update_separators (BuskerMixer *self)
{
  gboolean tracks = gtk_widget_get_first_child (self->tracks_box) != NULL;
  gboolean subgroups = gtk_widget_get_first_child (self->subgroups_box) != NULL;
  gboolean aux = gtk_widget_get_first_child (self->aux_box) != NULL;

  gtk_widget_set_visible (self->tracks_separator, tracks && (subgroups || aux));
  gtk_widget_set_visible (self->subgroups_separator, subgroups && aux);
}

static void
update_missing (BuskerMixer *self)
{
  for (guint i = 0; i < self->strips->len; i++)
    {
      BuskerChannelStrip *cs = g_ptr_array_index (self->strips, i);
      gboolean missing;

      if (cs == NULL)
        continue;
      BuskerStrip *strip = busker_channel_strip_get_strip (cs);
      missing = self->session != NULL && busker_mixer_session_is_missing (self->session, strip);
      busker_channel_strip_set_missing (cs, missing);
      g_autofree char *problem = self->session != NULL
                                     ? busker_mixer_session_dup_track_problem (self->session, strip)
                                     : NULL;
      busker_channel_strip_set_problem (cs, problem);
    }
}

static gboolean
update_missing_idle_cb (gpointer data)
{
  BuskerMixer *self = data;

  self->missing_idle = 0;
  update_missing (self);
  return G_SOURCE_REMOVE;
}

/* After the session has rebuilt for an edit (it does so on the same
 * signal, maybe later in the main loop). */
static void
queue_update_missing (BuskerMixer *self)
{
  if (self->session != NULL && self->missing_idle == 0)
    self->missing_idle = g_idle_add_full (G_PRIORITY_LOW, update_missing_idle_cb, self, NULL);
}

static void
forward_message_cb (BuskerChannelStrip *cs, const char *sentence, BuskerMixer *self)
{
  _busker_mixer_emit_message (self, sentence);
}

static void
on_header_clicked_cb (BuskerChannelStrip *cs, gboolean extend, BuskerMixer *self)
{
  if (extend)
    {
      busker_channel_strip_set_selected (cs, !busker_channel_strip_get_selected (cs));
      return;
    }
  for (guint i = 0; i < self->strips->len; i++)
    {
      BuskerChannelStrip *other = g_ptr_array_index (self->strips, i);
      if (other != NULL)
        busker_channel_strip_set_selected (other, other == cs);
    }
}

/* Builds the strip widget of the project's item i into strips[i] (NULL
 * until then), after the nearest earlier strip of the same group that is
 * built. Built strips are thus always in the project's order in their
 * box, whichever are built first. */
static void
build_strip (BuskerMixer *self, guint i)
{
  g_autoptr (BuskerStrip) strip = g_list_model_get_item (G_LIST_MODEL (self->project), i);
  BuskerStripKind kind = busker_strip_get_kind (strip);
  GtkWidget *box = box_for_kind (self, kind);
  GtkWidget *cs = busker_channel_strip_new (self->project, strip);
  GtkWidget *after = NULL;

  for (guint j = i; j-- > 0;)
    {
      BuskerChannelStrip *prev = g_ptr_array_index (self->strips, j);
      if (prev != NULL && busker_strip_get_kind (busker_channel_strip_get_strip (prev)) == kind)
        {
          after = GTK_WIDGET (prev);
          break;
        }
    }
  busker_strip_box_insert_after (BUSKER_STRIP_BOX (box), cs, after);
  g_ptr_array_index (self->strips, i) = cs;
  busker_channel_strip_set_size_groups (BUSKER_CHANNEL_STRIP (cs), self->rack_group,
                                        self->sends_group);
  g_signal_connect_object (cs, "message", G_CALLBACK (forward_message_cb), self, 0);
  g_signal_connect_object (cs, "header-clicked", G_CALLBACK (on_header_clicked_cb), self, 0);
  _busker_mixer_dnd_setup_strip (self, BUSKER_CHANNEL_STRIP (cs));
  if (self->session != NULL)
    busker_channel_strip_set_missing (BUSKER_CHANNEL_STRIP (cs),
                                      busker_mixer_session_is_missing (self->session, strip));
}

/* Builds up to max strips still to be built, in order; FALSE when none
 * is left. */
static gboolean
build_pending (BuskerMixer *self, guint max)
{
  guint built = 0;

  for (guint i = 0; i < self->strips->len && built < max; i++)
    if (g_ptr_array_index (self->strips, i) == NULL)
      {
        build_strip (self, i);
        built++;
      }
  if (built > 0)
    update_separators (self);
  for (guint i = 0; i < self->strips->len; i++)
    if (g_ptr_array_index (self->strips, i) == NULL)
      return TRUE;
  return FALSE;
}

static gboolean
build_idle_cb (gpointer data)
{
  BuskerMixer *self = data;

  /* About 25 ms of work at a time, so the window stays responsive. */
  if (build_pending (self, 8))
    return G_SOURCE_CONTINUE;
  self->build_idle = 0;
  return G_SOURCE_REMOVE;
}

static void
ensure_all_strips (BuskerMixer *self)
{
  if (self->build_idle == 0)
    return;
  g_clear_handle_id (&self->build_idle, g_source_remove);
  build_pending (self, G_MAXUINT);
}

/* Strips not yet built stay so (NULL); the new ones are built now. */
static void
on_items_changed_cb (GListModel *model, guint position, guint removed, guint added,
                     BuskerMixer *self)
{
  for (guint i = 0; i < removed; i++)
    {
      GtkWidget *cs = g_ptr_array_index (self->strips, position + i);
      if (cs != NULL)
        busker_strip_box_remove (BUSKER_STRIP_BOX (gtk_widget_get_parent (cs)), cs);
    }
  g_ptr_array_remove_range (self->strips, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (self->strips, (int) (position + i), NULL);
  for (guint i = 0; i < added; i++)
    build_strip (self, position + i);
  update_separators (self);
  queue_update_missing (self);
}

/* A new project: the first strips now, the master too (it sits apart,
 * always in view), the rest after the first frame. */
static void
add_all_strips (BuskerMixer *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->project));

  g_ptr_array_set_size (self->strips, (int) n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BuskerStrip) strip = g_list_model_get_item (G_LIST_MODEL (self->project), i);
      if (i < BUSKER_MIXER_EAGER_STRIPS || busker_strip_get_kind (strip) == BUSKER_STRIP_MASTER)
        build_strip (self, i);
    }
  update_separators (self);
  if (build_pending (self, 0))
    self->build_idle = g_idle_add_full (G_PRIORITY_LOW, build_idle_cb, self, NULL);
}

BuskerChannelStrip *
busker_mixer_get_strip_widget (BuskerMixer *self, BuskerStrip *strip)
{
  g_return_val_if_fail (BUSKER_IS_MIXER (self), NULL);
  ensure_all_strips (self);
  for (guint i = 0; i < self->strips->len; i++)
    {
      BuskerChannelStrip *cs = g_ptr_array_index (self->strips, i);
      if (busker_channel_strip_get_strip (cs) == strip)
        return cs;
    }
  return NULL;
}

/* ---- adding and removing strips ------------------------------------------- */

/* An id of [a-z0-9_-] from a name, unique in the project. */
static char *
unique_id (BuskerProject *project, const char *name)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);
  g_autoptr (GString) base = g_string_new (NULL);
  char *id;

  for (const char *p = folded; *p; p++)
    {
      char c = *p;
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
        g_string_append_c (base, c);
      else if (base->len > 0 && base->str[base->len - 1] != '-')
        g_string_append_c (base, '-');
    }
  while (base->len > 0 && base->str[base->len - 1] == '-')
    g_string_truncate (base, base->len - 1);
  if (base->len == 0 || g_str_equal (base->str, "master"))
    g_string_prepend (base, "strip-");
  id = g_strdup (base->str);
  for (guint n = 2; busker_project_find_strip (project, id) != NULL; n++)
    {
      g_free (id);
      id = g_strdup_printf ("%s-%u", base->str, n);
    }
  return id;
}

/* After the last strip of the kind, so the file keeps the groups. */
static guint
position_for_kind (BuskerProject *project, BuskerStripKind kind)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (project)), at = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BuskerStrip) strip = g_list_model_get_item (G_LIST_MODEL (project), i);
      BuskerStripKind k = busker_strip_get_kind (strip);
      if (k != BUSKER_STRIP_MASTER && k <= kind)
        at = i + 1;
    }
  return at;
}

static gboolean
add_strip (BuskerMixer *self, BuskerStripKind kind, const char *name, BuskerSource *source)
{
  g_autofree char *id = unique_id (self->project, name);
  g_autoptr (BuskerStrip) strip = busker_strip_new (kind, id);
  g_autoptr (GError) error = NULL;

  busker_strip_set_name (strip, name);
  if (source != NULL)
    busker_strip_set_source (strip, source);
  if (!busker_project_add_strip (self->project, strip, position_for_kind (self->project, kind),
                                 &error))
    {
      _busker_mixer_emit_message (self, error->message);
      return FALSE;
    }
  return TRUE;
}

/* "Aux 3": the first number not yet used by a strip of that name. */
static char *
numbered_name (BuskerProject *project, const char *format)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (project));

  for (guint k = 1;; k++)
    {
      char *name = g_strdup_printf (format, k);
      gboolean used = FALSE;
      for (guint i = 0; i < n && !used; i++)
        {
          g_autoptr (BuskerStrip) strip = g_list_model_get_item (G_LIST_MODEL (project), i);
          used = g_str_equal (busker_strip_get_name (strip), name);
        }
      if (!used)
        return name;
      g_free (name);
    }
}

static gboolean
is_audio_file (GFile *file, char **why)
{
  g_autofree char *name = g_file_get_parse_name (file);
  g_autoptr (GError) error = NULL;
  g_autoptr (GFileInfo) info =
    g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                       G_FILE_QUERY_INFO_NONE, NULL, &error);
  const char *type;
  g_autofree char *mime = NULL;

  if (info == NULL)
    {
      *why = g_strdup_printf (_("“%s” cannot be read: %s"), name, error->message);
      return FALSE;
    }
  type = g_file_info_get_content_type (info);
  mime = type != NULL ? g_content_type_get_mime_type (type) : NULL;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR || mime == NULL
      || !g_str_has_prefix (mime, "audio/"))
    {
      *why = g_strdup_printf (_("“%s” is not an audio file: drop WAV, FLAC, Ogg or AIFF files to add tracks."),
                              name);
      return FALSE;
    }
  return TRUE;
}

guint
_busker_mixer_add_file_tracks (BuskerMixer *self, GFile **files, guint n_files)
{
  GFile *project_file;
  g_autoptr (GFile) folder = NULL;
  guint added = 0;

  if (self->project == NULL)
    return 0;
  project_file = busker_project_get_file (self->project);
  folder = project_file != NULL ? g_file_get_parent (project_file) : NULL;

  busker_project_begin_gesture (self->project);
  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *why = NULL;
      g_autofree char *path = NULL;
      g_autofree char *basename = g_file_get_basename (files[i]);
      g_autoptr (BuskerSource) source = NULL;
      char *dot;

      if (!is_audio_file (files[i], &why))
        {
          _busker_mixer_emit_message (self, why);
          continue;
        }
      /* Relative to the project's folder when inside it (the file
       * format's rule), absolute otherwise. */
      path = folder != NULL ? g_file_get_relative_path (folder, files[i]) : NULL;
      if (path == NULL)
        path = g_file_get_path (files[i]);
      if (path == NULL)
        continue;
      source = busker_source_new_file (path, 0.0);
      dot = strrchr (basename, '.');
      if (dot != NULL && dot != basename)
        *dot = '\0';
      if (add_strip (self, BUSKER_STRIP_TRACK, basename, source))
        added++;
    }
  busker_project_end_gesture (self->project);
  return added;
}

static void
on_chooser_response_cb (GtkNativeDialog *dialog, int response, BuskerMixer *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      guint n = g_list_model_get_n_items (files);
      g_autoptr (GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (array, g_list_model_get_item (files, i));
      _busker_mixer_add_file_tracks (self, (GFile **) array->pdata, array->len);
    }
  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);
}

static void
add_file_track_action (GtkWidget *widget, const char *action, GVariant *param)
{
  BuskerMixer *self = BUSKER_MIXER (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  GFile *project_file = busker_project_get_file (self->project);

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Add Tracks From Files"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), NULL);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Audio files"));
  gtk_file_filter_add_mime_type (filter, "audio/*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  if (project_file != NULL)
    {
      g_autoptr (GFile) folder = g_file_get_parent (project_file);
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);
    }
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
add_live_track_action (GtkWidget *widget, const char *action, GVariant *param)
{
  BuskerMixer *self = BUSKER_MIXER (widget);
  g_autoptr (BuskerSource) source = busker_source_new (BUSKER_SOURCE_LIVE);
  /* TRANSLATORS: name of a new live track; %u is a number */
  g_autofree char *name = numbered_name (self->project, _("Live %u"));

  add_strip (self, BUSKER_STRIP_TRACK, name, source);
}

static void
add_subgroup_action (GtkWidget *widget, const char *action, GVariant *param)
{
  BuskerMixer *self = BUSKER_MIXER (widget);
  /* TRANSLATORS: name of a new subgroup; %u is a number */
  g_autofree char *name = numbered_name (self->project, _("Group %u"));

  add_strip (self, BUSKER_STRIP_SUBGROUP, name, NULL);
}

static void
add_aux_action (GtkWidget *widget, const char *action, GVariant *param)
{
  BuskerMixer *self = BUSKER_MIXER (widget);
  /* TRANSLATORS: name of a new aux bus; %u is a number */
  g_autofree char *name = numbered_name (self->project, _("Aux %u"));

  add_strip (self, BUSKER_STRIP_AUX, name, NULL);
}

static void
remove_selected_action (GtkWidget *widget, const char *action, GVariant *param)
{
  BuskerMixer *self = BUSKER_MIXER (widget);
  g_autoptr (GPtrArray) doomed = g_ptr_array_new_with_free_func (g_object_unref);

  ensure_all_strips (self);
  for (guint i = 0; i < self->strips->len; i++)
    {
      BuskerChannelStrip *cs = g_ptr_array_index (self->strips, i);
      BuskerStrip *strip = busker_channel_strip_get_strip (cs);
      if (busker_channel_strip_get_selected (cs)
          && busker_strip_get_kind (strip) != BUSKER_STRIP_MASTER)
        g_ptr_array_add (doomed, g_object_ref (strip));
    }
  if (doomed->len == 0)
    {
      _busker_mixer_emit_message (self, _("Select strips by clicking their names first (Ctrl+click adds to the selection)."));
      return;
    }
  busker_project_begin_gesture (self->project);
  for (guint i = 0; i < doomed->len; i++)
    busker_project_remove_strip (self->project, g_ptr_array_index (doomed, i));
  busker_project_end_gesture (self->project);
}

static void
update_actions (BuskerMixer *self)
{
  static const char *const actions[] = {
    "mixer.add-file-track", "mixer.add-live-track", "mixer.add-subgroup", "mixer.add-aux",
    "mixer.remove-selected",
  };
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], self->project != NULL);
}

/* ---- properties ------------------------------------------------------------ */

GtkWidget *
busker_mixer_new (void)
{
  return g_object_new (BUSKER_TYPE_MIXER, NULL);
}

BuskerProject *
busker_mixer_get_project (BuskerMixer *self)
{
  g_return_val_if_fail (BUSKER_IS_MIXER (self), NULL);
  return self->project;
}

void
busker_mixer_set_project (BuskerMixer *self, BuskerProject *project)
{
  g_return_if_fail (BUSKER_IS_MIXER (self));
  g_return_if_fail (project == NULL || BUSKER_IS_PROJECT (project));

  if (self->project == project)
    return;
  if (self->project != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->project, on_items_changed_cb, self);
      g_clear_handle_id (&self->build_idle, g_source_remove);
      on_items_changed_cb (G_LIST_MODEL (self->project), 0, self->strips->len, 0, self);
      g_clear_object (&self->project);
    }
  if (project != NULL)
    {
      self->project = g_object_ref (project);
      g_signal_connect (project, "items-changed", G_CALLBACK (on_items_changed_cb), self);
      add_all_strips (self);
    }
  update_actions (self);
  update_tick (self);
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[PROP_PROJECT]);
}

BuskerSession *
busker_mixer_get_session (BuskerMixer *self)
{
  g_return_val_if_fail (BUSKER_IS_MIXER (self), NULL);
  return (BuskerSession *) self->session;
}

void
busker_mixer_set_session (BuskerMixer *self, BuskerSession *session)
{
  g_return_if_fail (BUSKER_IS_MIXER (self));
  g_return_if_fail (session == NULL
                    || G_TYPE_CHECK_INSTANCE_TYPE (session, busker_mixer_session_type ()));

  if (self->session == (GObject *) session)
    return;
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->session, update_tick, self);
      g_signal_handlers_disconnect_by_func (self->session, update_missing, self);
    }
  g_set_object (&self->session, (GObject *) session);
  if (session != NULL)
    {
      g_signal_connect_swapped (session, "notify::live", G_CALLBACK (update_tick), self);
      /* The transport reopens the files with each new plan. */
      g_signal_connect_swapped (session, "notify::length", G_CALLBACK (update_missing), self);
      g_signal_connect_swapped (session, "notify::project", G_CALLBACK (update_missing), self);
      g_signal_connect_swapped (session, "track-problems-changed", G_CALLBACK (update_missing),
                                self);
    }
  /* A new session's meters start from silence. */
  reset_meters (self);
  update_missing (self);
  update_tick (self);
  g_object_notify_by_pspec (G_OBJECT (self), pspecs[PROP_SESSION]);
}

static void
busker_mixer_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (busker_mixer_parent_class)->map (widget);
  update_tick (BUSKER_MIXER (widget));
}

static void
busker_mixer_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (busker_mixer_parent_class)->unmap (widget);
  update_tick (BUSKER_MIXER (widget));
}

static void
busker_mixer_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BuskerMixer *self = BUSKER_MIXER (object);

  switch (prop_id)
    {
    case PROP_PROJECT: g_value_set_object (value, self->project); break;
    case PROP_SESSION: g_value_set_object (value, self->session); break;
    case PROP_METER_RATE: g_value_set_double (value, self->meter_rate_hz); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
busker_mixer_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  BuskerMixer *self = BUSKER_MIXER (object);

  switch (prop_id)
    {
    case PROP_PROJECT: busker_mixer_set_project (self, g_value_get_object (value)); break;
    case PROP_SESSION: busker_mixer_set_session (self, g_value_get_object (value)); break;
    case PROP_METER_RATE: busker_mixer_set_meter_rate (self, g_value_get_double (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
busker_mixer_dispose (GObject *object)
{
  BuskerMixer *self = BUSKER_MIXER (object);

  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_clear_handle_id (&self->poll_id, g_source_remove);
  busker_mixer_set_session (self, NULL);
  if (self->project != NULL)
    busker_mixer_set_project (self, NULL);
  g_clear_handle_id (&self->missing_idle, g_source_remove);
  g_clear_handle_id (&self->build_idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), BUSKER_TYPE_MIXER);
  g_clear_object (&self->rack_group);
  g_clear_object (&self->sends_group);
  G_OBJECT_CLASS (busker_mixer_parent_class)->dispose (object);
}

static void
busker_mixer_finalize (GObject *object)
{
  BuskerMixer *self = BUSKER_MIXER (object);

  g_ptr_array_unref (self->strips);
  G_OBJECT_CLASS (busker_mixer_parent_class)->finalize (object);
}

static void
busker_mixer_class_init (BuskerMixerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = busker_mixer_dispose;
  object_class->finalize = busker_mixer_finalize;
  object_class->get_property = busker_mixer_get_property;
  object_class->set_property = busker_mixer_set_property;
  widget_class->map = busker_mixer_map;
  widget_class->unmap = busker_mixer_unmap;

  pspecs[PROP_PROJECT] = g_param_spec_object ("project", NULL, NULL, BUSKER_TYPE_PROJECT,
                                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                              | G_PARAM_STATIC_STRINGS);
  pspecs[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, busker_mixer_session_type (),
                                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                              | G_PARAM_STATIC_STRINGS);
  pspecs[PROP_METER_RATE] = g_param_spec_double ("meter-rate", NULL, NULL,
                                                 BUSKER_MIXER_METER_RATE_MIN,
                                                 BUSKER_MIXER_METER_RATE_MAX,
                                                 BUSKER_MIXER_METER_RATE_DEFAULT,
                                                 G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                                 | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, pspecs);

  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (BUSKER_TYPE_CHANNEL_STRIP);
  g_type_ensure (BUSKER_TYPE_STRIP_BOX);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/busker/Busker/busker-mixer.ui");
  gtk_widget_class_bind_template_child (widget_class, BuskerMixer, box);
  gtk_widget_class_bind_template_child (widget_class, BuskerMixer, scroller);
  gtk_widget_class_bind_template_child (widget_class, BuskerMixer, row);
  gtk_widget_class_bind_template_child (widget_class, BuskerMixer, tracks_box);
  gtk_widget_class_bind_template_child (widget_class, BuskerMixer, tracks_separator);
  gtk_widget_class_bind_template_child (widget_class, BuskerMixer, subgroups_box);
  gtk_widget_class_bind_template_child (widget_class, BuskerMixer, subgroups_separator);
  gtk_widget_class_bind_template_child (widget_class, BuskerMixer, aux_box);
  gtk_widget_class_bind_template_child (widget_class, BuskerMixer, master_box);

  gtk_widget_class_install_action (widget_class, "mixer.add-file-track", NULL, add_file_track_action);
  gtk_widget_class_install_action (widget_class, "mixer.add-live-track", NULL, add_live_track_action);
  gtk_widget_class_install_action (widget_class, "mixer.add-subgroup", NULL, add_subgroup_action);
  gtk_widget_class_install_action (widget_class, "mixer.add-aux", NULL, add_aux_action);
  gtk_widget_class_install_action (widget_class, "mixer.remove-selected", NULL, remove_selected_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mixer");
}

/* The vertical adjustment of a scrolled window around the mixer when it
 * can scroll (the window is shorter than the strips), or NULL. */
static GtkAdjustment *
outer_vertical (BuskerMixer *self)
{
  GtkWidget *outer = gtk_widget_get_ancestor (gtk_widget_get_parent (GTK_WIDGET (self)),
                                              GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *v;

  if (outer == NULL)
    return NULL;
  v = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (outer));
  return gtk_adjustment_get_upper (v) - gtk_adjustment_get_lower (v)
             > gtk_adjustment_get_page_size (v) + 0.5 ? v : NULL;
}

/* Moves adj by dy wheel steps of its step increment (40 px without one). */
static void
wheel (GtkAdjustment *adj, double dy)
{
  double step = gtk_adjustment_get_step_increment (adj);

  gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) + dy * (step > 0 ? step : 40));
}

static gboolean
on_scroll_cb (GtkEventControllerScroll *controller, double dx, double dy, BuskerMixer *self)
{
  /* A vertical wheel moves the horizontal row (GTK 4.8 does not) — unless
   * the window is too short for the strips: then it scrolls them up and
   * down, as a page does, and Shift+wheel moves the row. (The row's own
   * scrolled window takes every wheel event, so the outer one is moved
   * from here.) */
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  GtkAdjustment *v = outer_vertical (self);

  if (dy == 0)
    return GDK_EVENT_PROPAGATE;
  if (v != NULL && !(state & GDK_SHIFT_MASK))
    wheel (v, dy);
  else
    wheel (gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (self->scroller)), dy);
  return GDK_EVENT_STOP;
}

static void
on_view_changed_cb (BuskerMixer *self)
{
  busker_strip_box_view_changed (BUSKER_STRIP_BOX (self->tracks_box));
  busker_strip_box_view_changed (BUSKER_STRIP_BOX (self->subgroups_box));
  busker_strip_box_view_changed (BUSKER_STRIP_BOX (self->aux_box));
}

static void
busker_mixer_init (BuskerMixer *self)
{
  GtkEventController *scroll;
  GtkAdjustment *hadj;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->strips = g_ptr_array_new ();
  self->rack_group = gtk_size_group_new (GTK_SIZE_GROUP_VERTICAL);
  self->sends_group = gtk_size_group_new (GTK_SIZE_GROUP_VERTICAL);
  self->meter_rate_hz = BUSKER_MIXER_METER_RATE_DEFAULT;

  /* Bubble phase: the faders and pans take the wheel first. */
  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll_cb), self);
  gtk_widget_add_controller (self->row, scroll);

  /* The strip boxes draw only what the view shows. */
  hadj = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (self->scroller));
  g_signal_connect_object (hadj, "value-changed", G_CALLBACK (on_view_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (hadj, "changed", G_CALLBACK (on_view_changed_cb), self,
                           G_CONNECT_SWAPPED);

  _busker_mixer_dnd_setup_files (self, self->box);
  update_actions (self);
  update_separators (self);
}
