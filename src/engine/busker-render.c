/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The offline renderer (busker-render.h): a plan, a streamed reader per
 * file track, and a block loop.
 *
 * - Blocks of 1024 frames: large enough that per-block overhead vanishes,
 *   small enough that 64 tracks' buffers stay in cache.
 * - Parallel: the strips of one plan level do not depend on each other
 *   (busker-plan.c), so each level is split between the caller and one
 *   worker thread; a track's job reads its file and runs its strip, so
 *   decoding and resampling spread too. Only when the machine has two
 *   cores and the plan has enough strips to pay for the hand-offs.
 * - FTZ/DAZ is set for the duration of a process call and the caller's
 *   floating-point mode restored after, since the caller may be the GTK
 *   main thread.
 * - A source read error in a job is kept (the first one wins) and the
 *   block fails after the level finishes.
 * - Faults (busker-process.c silences a strip whose block is not finite or
 *   whose effect failed) are read from the plan after every block and kept
 *   as time ranges per strip, so the export can say what was lost where.
 *   Times are on the strip's output timeline (its latency taken off).
 */
#include "busker-render.h"

#include <stdatomic.h>
#include <string.h>
#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#endif

#include "busker-plan.h"
#include "busker-process.h"
#include "busker-source-reader.h"
#include "busker-worker.h"
#include "dsp/dsp-util.h"

#define MAX_BLOCK 1024
/* Below this many strips a second thread costs more than it saves. */
#define MIN_PARALLEL_STRIPS 8

struct _BuskerRender {
  BuskerPlan *plan;
  BuskerSourceReader **readers; /* per strip; NULL but for file tracks */
  bool *is_track;
  int64_t length;
  BuskerWorker *worker;         /* NULL when single-threaded */

  /* The current block, for the jobs. */
  const uint32_t *level;
  uint32_t n;
  GMutex error_lock;
  GError *job_error;

  char **labels;                /* per strip: "Track “Name”" */
  char **ids;
  char **files;                 /* per strip: the source's base name, or NULL */
  double rate;
  int64_t pos;                  /* project frame of the next block */
  GArray *faults;               /* Fault, in the order they began */
  int *open_fault;              /* per strip: index in faults of its last, or -1 */
};

typedef struct {
  uint32_t strip;
  int64_t start, end;           /* project frames */
} Fault;

void
busker_render_warning_free (BuskerRenderWarning *w)
{
  if (w == NULL)
    return;
  g_free (w->strip_id);
  g_free (w->message);
  g_free (w);
}

static const char *
kind_word (BuskerStripKind kind)
{
  switch (kind)
    {
    case BUSKER_STRIP_TRACK: return "Track";
    case BUSKER_STRIP_SUBGROUP: return "Subgroup";
    case BUSKER_STRIP_AUX: return "Aux bus";
    default: return "Master";
    }
}

static void
run_strip (BuskerRender *render, uint32_t strip)
{
  if (render->is_track[strip])
    {
      float *l = busker_process_track_input (render->plan, strip, 0);
      float *r = busker_process_track_input (render->plan, strip, 1);
      BuskerSourceReader *reader = render->readers[strip];
      GError *error = NULL;

      if (reader == NULL)
        {
          memset (l, 0, render->n * sizeof (float));
          memset (r, 0, render->n * sizeof (float));
        }
      else if (!busker_source_reader_read (reader, l, r, render->n, &error))
        {
          g_mutex_lock (&render->error_lock);
          if (render->job_error == NULL)
            render->job_error = error;
          else
            g_error_free (error);
          g_mutex_unlock (&render->error_lock);
        }
    }
  busker_process_strip (render->plan, strip, render->n);
}

static void
level_job (uint32_t job, gpointer data)
{
  BuskerRender *render = data;
  run_strip (render, render->level[job]);
}

BuskerRender *
busker_render_new (const BuskerMixDesc *desc, GError **error)
{
  g_return_val_if_fail (desc != NULL, NULL);

  BuskerPlan *plan = busker_plan_new (desc, MAX_BLOCK, error);
  if (plan == NULL)
    return NULL;

  g_autoptr (BuskerRender) render = g_new0 (BuskerRender, 1);
  render->plan = plan;
  g_mutex_init (&render->error_lock);
  render->readers = g_new0 (BuskerSourceReader *, desc->n_strips);
  render->is_track = g_new0 (bool, desc->n_strips);
  render->labels = g_new0 (char *, desc->n_strips + 1);
  render->ids = g_new0 (char *, desc->n_strips + 1);
  render->files = g_new0 (char *, desc->n_strips + 1);
  render->open_fault = g_new (int, desc->n_strips);
  render->faults = g_array_new (FALSE, FALSE, sizeof (Fault));
  render->rate = desc->sample_rate;

  for (uint32_t i = 0; i < desc->n_strips; i++)
    {
      const BuskerStripDesc *s = &desc->strips[i];
      render->ids[i] = g_strdup (s->id ? s->id : "?");
      render->labels[i] = g_strdup_printf ("%s “%s”", kind_word (s->kind),
                                           s->name ? s->name : render->ids[i]);
      render->open_fault[i] = -1;
    }
  for (uint32_t i = 0; i < desc->n_strips; i++)
    {
      const BuskerStripDesc *s = &desc->strips[i];
      render->is_track[i] = s->kind == BUSKER_STRIP_TRACK;
      if (s->kind != BUSKER_STRIP_TRACK || s->source != BUSKER_SOURCE_FILE)
        continue;
      if (s->source_path == NULL)
        {
          g_set_error (error, BUSKER_ENGINE_ERROR, BUSKER_ENGINE_ERROR_SOURCE,
                       "Track “%s” has a file source without a path",
                       s->name ? s->name : s->id ? s->id : "?");
          return NULL;
        }
      render->files[i] = g_path_get_basename (s->source_path);
      render->readers[i] = busker_source_reader_new (s->source_path, s->source_offset_s,
                                                     desc->sample_rate, MAX_BLOCK, error);
      if (render->readers[i] == NULL)
        return NULL;
      busker_plan_set_strip_mono_source (plan, i,
                                         busker_source_reader_get_channels (render->readers[i]) == 1);
      render->length = MAX (render->length, busker_source_reader_get_end (render->readers[i]));
    }

  /* BUSKER_RENDER_THREADS=1 forces one thread (benchmarks, debugging). */
  if (g_get_num_processors () >= 2 && desc->n_strips >= MIN_PARALLEL_STRIPS
      && g_strcmp0 (g_getenv ("BUSKER_RENDER_THREADS"), "1") != 0)
    render->worker = busker_worker_new ();
  return g_steal_pointer (&render);
}

void
busker_render_free (BuskerRender *render)
{
  if (render == NULL)
    return;
  busker_worker_free (render->worker);
  for (uint32_t i = 0; render->readers && i < busker_plan_get_n_strips (render->plan); i++)
    busker_source_reader_free (render->readers[i]);
  g_free (render->readers);
  g_free (render->is_track);
  g_strfreev (render->labels);
  g_strfreev (render->ids);
  for (uint32_t i = 0; render->files && i < busker_plan_get_n_strips (render->plan); i++)
    g_free (render->files[i]);
  g_free (render->files);
  g_free (render->open_fault);
  if (render->faults != NULL)
    g_array_unref (render->faults);
  g_clear_error (&render->job_error);
  g_mutex_clear (&render->error_lock);
  busker_plan_free (render->plan);
  g_free (render);
}

int64_t
busker_render_source_length (BuskerRender *render)
{
  return render->length;
}

uint32_t
busker_render_latency (BuskerRender *render)
{
  return busker_plan_get_latency (render->plan);
}

uint32_t
busker_render_strip_latency (BuskerRender *render, uint32_t strip_index)
{
  return busker_plan_get_strip_latency (render->plan, strip_index);
}

uint32_t
busker_render_source_channels (BuskerRender *render, uint32_t strip_index)
{
  g_return_val_if_fail (strip_index < busker_plan_get_n_strips (render->plan), 0);
  return render->readers[strip_index] != NULL
           ? busker_source_reader_get_channels (render->readers[strip_index])
           : 0;
}

uint32_t
busker_render_max_block (BuskerRender *render)
{
  return MAX_BLOCK;
}

gboolean
busker_render_seek (BuskerRender *render, int64_t frame, GError **error)
{
  render->pos = frame;
  for (uint32_t i = 0; i < busker_plan_get_n_strips (render->plan); i++)
    render->open_fault[i] = -1;
  for (uint32_t i = 0; i < busker_plan_get_n_strips (render->plan); i++)
    if (render->readers[i] != NULL
        && !busker_source_reader_seek (render->readers[i], frame, error))
      return FALSE;
  return TRUE;
}

gboolean
busker_render_process (BuskerRender *render, uint32_t n, GError **error)
{
  g_return_val_if_fail (n <= MAX_BLOCK, FALSE);

#if defined(__SSE__) || defined(__x86_64__)
  unsigned int csr = _mm_getcsr ();
#endif
  busker_dsp_enable_ftz ();

  render->n = n;
  for (uint32_t l = 0; l < busker_process_n_levels (render->plan); l++)
    {
      uint32_t count;
      render->level = busker_process_level (render->plan, l, &count);
      if (render->worker != NULL && count >= 2)
        busker_worker_run (render->worker, count, level_job, render);
      else
        for (uint32_t j = 0; j < count; j++)
          run_strip (render, render->level[j]);
    }

#if defined(__SSE__) || defined(__x86_64__)
  _mm_setcsr (csr);
#endif

  for (uint32_t i = 0; i < busker_plan_get_n_strips (render->plan); i++)
    if (busker_plan_read_strip_fault (render->plan, i))
      {
        int k = render->open_fault[i];
        if (k >= 0 && g_array_index (render->faults, Fault, k).end == render->pos)
          g_array_index (render->faults, Fault, k).end = render->pos + n;
        else
          {
            Fault f = { i, render->pos, render->pos + n };
            g_array_append_val (render->faults, f);
            render->open_fault[i] = (int) render->faults->len - 1;
          }
      }
  render->pos += n;

  if (render->job_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&render->job_error));
      return FALSE;
    }
  return TRUE;
}

void
busker_render_set_tap (BuskerRender *render, BuskerPlanTapFunc tap, void *data)
{
  busker_plan_set_tap (render->plan, tap, data);
}

const float *
busker_render_strip_output (BuskerRender *render, uint32_t strip_index, uint32_t channel)
{
  g_return_val_if_fail (strip_index < busker_plan_get_n_strips (render->plan), NULL);
  return busker_process_strip_output (render->plan, strip_index, channel);
}

static void
add_warning (GPtrArray *out, const char *id, double start_s, double end_s, char *message)
{
  BuskerRenderWarning *w = g_new0 (BuskerRenderWarning, 1);
  w->strip_id = g_strdup (id);
  w->start_s = start_s;
  w->end_s = end_s;
  w->message = message;
  g_ptr_array_add (out, w);
}

GPtrArray *
busker_render_get_warnings (BuskerRender *render)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) busker_render_warning_free);
  const uint32_t n_strips = busker_plan_get_n_strips (render->plan);
  const double rate = render->rate;

  for (uint32_t i = 0; i < n_strips; i++)
    {
      BuskerSourceReader *reader = render->readers[i];
      const char *file = render->files[i];
      double first_s, last_s;
      uint64_t count;

      if (reader == NULL)
        continue;
      for (const char *const *w = busker_source_reader_get_warnings (reader); *w != NULL; w++)
        add_warning (out, render->ids[i], NAN, NAN,
                     g_strdup_printf ("%s (%s): %s", render->labels[i], file, *w));
      if (busker_source_reader_get_ended_early (reader, &first_s, &last_s))
        add_warning (out, render->ids[i], first_s, last_s,
                     g_strdup_printf ("%s (%s): the file ended at %.3f s while it was read, "
                                      "%.3f s early (was it cut or overwritten?); "
                                      "%.3f–%.3f s are silence",
                                      render->labels[i], file, first_s, last_s - first_s,
                                      first_s, last_s));
      count = busker_source_reader_get_replaced (reader, &first_s, &last_s);
      if (count > 0)
        add_warning (out, render->ids[i], first_s, last_s,
                     g_strdup_printf ("%s (%s): %" G_GUINT64_FORMAT " non-finite sample%s "
                                      "(NaN or infinity) at %.3f–%.3f s %s replaced by silence",
                                      render->labels[i], file, count, count == 1 ? "" : "s",
                                      first_s, last_s, count == 1 ? "was" : "were"));
    }
  for (guint k = 0; k < render->faults->len; k++)
    {
      const Fault *f = &g_array_index (render->faults, Fault, k);
      uint32_t latency = busker_plan_get_strip_latency (render->plan, f->strip);
      double start_s = (double) MAX (f->start - (int64_t) latency, 0) / rate;
      double end_s = (double) MAX (f->end - (int64_t) latency, 0) / rate;
      add_warning (out, render->ids[f->strip], start_s, end_s,
                   g_strdup_printf ("%s: its signal was not finite or an effect failed at "
                                    "%.3f–%.3f s; that stretch was silenced, fading out and "
                                    "back in",
                                    render->labels[f->strip], start_s, end_s));
    }
  return out;
}
