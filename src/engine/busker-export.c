/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The export pipeline.
 *
 * Decisions:
 * - Two stages. Pass 1 runs the offline renderer once and spools every
 *   wanted signal (the mix, and each subgroup and aux bus for stems) as
 *   raw interleaved float at the project rate into an unlinked temporary
 *   file in $TMPDIR (nothing is left behind even when we are killed).
 *   Pass 2 reads a spool back through gain -> true-peak limiter (mix only,
 *   only when needed) -> soxr -> dither -> libsndfile. Normalization is
 *   pass 2 run into a meter instead of a file, as often as needed, so the
 *   measured number is the one of the signal that gets written.
 * - The render tail: without --range we keep rendering after the last
 *   source ends until the mix stays below -90 dBFS for 0.5 s (at most
 *   10 s), then cut at the last sample above that level. The renderer's
 *   latency is dropped from the start so the mix lines up with the
 *   sources.
 * - Loudness normalization sets the gain from the integrated loudness;
 *   only when that gain would push the true peak over the ceiling does
 *   the "limiter" effect class go in, at the ceiling, and the gain is
 *   re-measured and corrected (the limiter takes a little loudness away)
 *   until the result is within 0.05 LU. Stems get the same gain and no
 *   limiter, so they still add up to the un-limited mix.
 * - Dither: TPDF, +-1 LSB, only when writing 16- or 24-bit PCM; Ogg
 *   Vorbis and float need none.
 * - Atomic output: each file is written to a hidden temporary beside its
 *   target and renamed only when every file of the export is complete, so
 *   a failure or a cancel leaves no file at any target and an existing
 *   one untouched. A target that exists and is not a regular file (a
 *   device, a FIFO) is written in place: renaming over it would be wrong.
 */
#include "config.h"

#include "busker-export.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sndfile.h>
#include <soxr.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "busker-render.h"
#include "dsp/params.h"

G_DEFINE_QUARK (busker-export-error-quark, busker_export_error)

enum { CHUNK = 4096, MAX_NORMALIZE_ROUNDS = 6 };

#define TAIL_FLOOR_DBFS -90.0
#define TAIL_QUIET_S 0.5
#define TAIL_MAX_S 10.0
#define NORMALIZE_TOLERANCE_LU 0.05
/* Headroom under the ceiling for what resampling can add between peaks. */
#define LIMITER_MARGIN_DB 0.1

/* One rendered signal: the mix or a stem. */
typedef struct {
  uint32_t strip;   /* index in the snapshot */
  char *target;     /* final path; NULL for an analysis-only mix */
  FILE *spool;      /* interleaved float, project rate */
  char *temp;       /* the file being written beside target */
  gboolean direct;  /* target is a device or FIFO: written in place */
  gboolean is_mix;
} Tap;

typedef struct {
  const BuskerExportOptions *opt;
  double in_rate, out_rate;
  int64_t frames;   /* spooled length, project rate */
  GPtrArray *taps;  /* Tap*, the mix first */
  double work_done, work_total;
} Job;

/* Where pass 2 delivers: a file, a meter, or both. */
typedef struct {
  const char *name;  /* for messages */
  SNDFILE *file;
  BuskerLoudness *meter;
  float int_scale;   /* 2^(bits-1) for PCM, 0 for float and Vorbis */
  int bits;
  uint32_t noise;    /* xorshift state of the dither */
  int32_t *scratch;
} Sink;

static void
tap_free (Tap *tap)
{
  if (tap->spool != NULL)
    fclose (tap->spool);
  if (tap->temp != NULL)
    g_unlink (tap->temp);
  g_free (tap->temp);
  g_free (tap->target);
  g_free (tap);
}

void
busker_export_options_init (BuskerExportOptions *options)
{
  memset (options, 0, sizeof *options);
  options->format = BUSKER_EXPORT_WAV;
  options->bits = BUSKER_EXPORT_BITS_24;
  options->true_peak_ceiling_dbtp = -1.0;
}

static const struct {
  const char *name;
  BuskerExportFormat format;
} format_names[] = {
  { "wav", BUSKER_EXPORT_WAV },   { "flac", BUSKER_EXPORT_FLAC },
  { "ogg", BUSKER_EXPORT_OGG },   { "oga", BUSKER_EXPORT_OGG },
  { "aiff", BUSKER_EXPORT_AIFF }, { "aif", BUSKER_EXPORT_AIFF },
};

gboolean
busker_export_format_from_name (const char *name, BuskerExportFormat *format)
{
  for (size_t i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_ascii_strcasecmp (name, format_names[i].name) == 0)
      {
        *format = format_names[i].format;
        return TRUE;
      }
  return FALSE;
}

gboolean
busker_export_format_from_path (const char *path, BuskerExportFormat *format)
{
  g_autofree char *base = g_path_get_basename (path);
  const char *dot = strrchr (base, '.');
  return dot != NULL && busker_export_format_from_name (dot + 1, format);
}

const char *
busker_export_format_extension (BuskerExportFormat format)
{
  static const char *const ext[] = { "wav", "flac", "ogg", "aiff" };
  return ext[format];
}

static gboolean
cancelled (const Job *job, GError **error)
{
  if (job->opt->cancel == NULL || *job->opt->cancel == 0)
    return FALSE;
  g_set_error_literal (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_CANCELLED,
                       "Export cancelled");
  return TRUE;
}

static void
progress (Job *job, double units)
{
  job->work_done += units;
  if (job->opt->progress != NULL && job->work_total > 0)
    job->opt->progress (MIN (job->work_done / job->work_total, 1.0),
                        job->opt->progress_data);
}

/* Engine errors keep their message; only the exit class is ours. */
static void
take_engine_error (GError **error, GError *engine)
{
  gboolean input = engine->domain == BUSKER_ENGINE_ERROR &&
                   engine->code != BUSKER_ENGINE_ERROR_FAILED;
  g_set_error_literal (error, BUSKER_EXPORT_ERROR,
                       input ? BUSKER_EXPORT_ERROR_INPUT : BUSKER_EXPORT_ERROR_FAILED,
                       engine->message);
}

/* ---- pass 1: render and spool ---- */

static gboolean
spool_block (Tap *tap, BuskerRender *render, uint32_t offset, uint32_t count,
             float *buf, GError **error)
{
  const float *l = busker_render_strip_output (render, tap->strip, 0) + offset;
  const float *r = busker_render_strip_output (render, tap->strip, 1) + offset;

  for (uint32_t i = 0; i < count; i++)
    {
      buf[2 * i] = l[i];
      buf[2 * i + 1] = r[i];
    }
  if (fwrite (buf, 2 * sizeof (float), count, tap->spool) == count)
    return TRUE;
  g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_FAILED,
               "Cannot write the temporary render in %s: %s",
               g_get_tmp_dir (), g_strerror (errno));
  return FALSE;
}

static gboolean
render_pass (Job *job, const BuskerMixDesc *desc, GError **error)
{
  const BuskerExportOptions *opt = job->opt;
  g_autoptr (GError) local = NULL;
  g_autoptr (BuskerRender) render = busker_render_new (desc, &local);
  int64_t start = 0, wanted, produced = 0, quiet_run = 0, last_loud = 0;
  int64_t tail_max, quiet_needed = llround (TAIL_QUIET_S * job->in_rate);
  const float floor_amp = powf (10.0f, (float) TAIL_FLOOR_DBFS / 20.0f);
  const float *ml, *mr;
  g_autofree float *buf = NULL;
  uint32_t skip, max_block;

  if (render == NULL)
    {
      take_engine_error (error, local);
      return FALSE;
    }
  if (opt->has_range)
    {
      start = llround (opt->start_s * job->in_rate);
      wanted = llround (opt->end_s * job->in_rate) - start;
      tail_max = 0;
    }
  else
    {
      wanted = busker_render_source_length (render);
      tail_max = llround (TAIL_MAX_S * job->in_rate);
    }
  if (!busker_render_seek (render, start, &local))
    {
      take_engine_error (error, local);
      return FALSE;
    }

  /* Pass 1, then one measuring pass or so, then one writing pass per tap. */
  job->work_total = (double) wanted * (1.0 + (opt->normalize != BUSKER_NORMALIZE_NONE) +
                                       job->taps->len);
  skip = busker_render_latency (render);
  max_block = busker_render_max_block (render);
  buf = g_new (float, 2 * (size_t) max_block);

  while (produced < wanted + tail_max)
    {
      uint32_t offset, count;

      if (produced >= wanted && (opt->has_range || quiet_run >= quiet_needed))
        break;
      if (cancelled (job, error))
        return FALSE;
      if (!busker_render_process (render, max_block, &local))
        {
          take_engine_error (error, local);
          return FALSE;
        }
      offset = MIN (skip, max_block);
      skip -= offset;
      count = (uint32_t) MIN ((int64_t) (max_block - offset),
                              wanted + tail_max - produced);
      for (guint t = 0; t < job->taps->len; t++)
        if (!spool_block (g_ptr_array_index (job->taps, t), render, offset, count,
                          buf, error))
          return FALSE;

      /* The tail ends where the mix has stayed under the floor long enough. */
      ml = busker_render_strip_output (render, ((Tap *) job->taps->pdata[0])->strip, 0) + offset;
      mr = busker_render_strip_output (render, ((Tap *) job->taps->pdata[0])->strip, 1) + offset;
      for (uint32_t i = 0; i < count; i++)
        {
          if (fabsf (ml[i]) < floor_amp && fabsf (mr[i]) < floor_amp)
            quiet_run++;
          else
            {
              quiet_run = 0;
              last_loud = produced + i + 1;
            }
        }
      produced += count;
      progress (job, count);
    }

  job->frames = opt->has_range ? wanted : MAX (MIN (wanted, produced), last_loud);
  return TRUE;
}

/* ---- pass 2: spool -> gain -> limiter -> resampler -> sink ---- */

/* White noise in [-1, 1) from a xorshift32 state. */
static inline float
uniform_noise (uint32_t *state)
{
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return (float) (int32_t) x * (1.0f / 2147483648.0f);
}

static gboolean
sink_write (Sink *sink, const float *frames, size_t n, GError **error)
{
  sf_count_t written;

  if (sink->meter != NULL)
    busker_loudness_add (sink->meter, frames, n);
  if (sink->file == NULL)
    return TRUE;
  if (sink->int_scale > 0.0f)
    {
      /* Quantized here rather than by libsndfile, whose float-to-int scale
       * differs between formats: value * 2^(bits-1) + TPDF noise of +-1
       * LSB (the sum of two uniform variables), rounded, clipped, and
       * left-aligned in 32 bits. */
      const double lo = -sink->int_scale, hi = sink->int_scale - 1.0;
      const int shift = 32 - sink->bits;
      for (size_t i = 0; i < 2 * n; i++)
        {
          /* Double: a float has no fraction left at 24-bit magnitudes. */
          double noise = 0.5 * (uniform_noise (&sink->noise) + uniform_noise (&sink->noise));
          double v = rint ((double) frames[i] * sink->int_scale + noise);
          sink->scratch[i] = (int32_t) ((uint32_t) (int32_t) CLAMP (v, lo, hi) << shift);
        }
      written = sf_writef_int (sink->file, sink->scratch, (sf_count_t) n);
    }
  else
    written = sf_writef_float (sink->file, frames, (sf_count_t) n);
  if (written == (sf_count_t) n)
    return TRUE;
  g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_FAILED,
               "%s: cannot write: %s", sink->name, sf_strerror (sink->file));
  return FALSE;
}

typedef struct {
  Job *job;
  Sink *sink;
  soxr_t soxr;
  float *resampled;
  size_t resampled_cap;
  int64_t out_left; /* frames the output should still get */
} Stage;

static gboolean
stage_push (Stage *st, const float *frames, size_t n, GError **error)
{
  if (st->soxr == NULL)
    {
      n = (size_t) MIN ((int64_t) n, st->out_left);
      st->out_left -= (int64_t) n;
      return n == 0 || sink_write (st->sink, frames, n, error);
    }
  /* frames == NULL flushes the resampler. */
  for (;;)
    {
      size_t used = 0, made = 0;
      soxr_error_t err = soxr_process (st->soxr, frames, n, &used,
                                       st->resampled, st->resampled_cap, &made);
      if (err != NULL)
        {
          g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_FAILED,
                       "Resampling failed: %s", err);
          return FALSE;
        }
      made = (size_t) MIN ((int64_t) made, st->out_left);
      st->out_left -= (int64_t) made;
      if (made > 0 && !sink_write (st->sink, st->resampled, made, error))
        return FALSE;
      if (frames != NULL)
        {
          frames += 2 * used;
          n -= used;
          if (n == 0)
            return TRUE;
        }
      else if (made == 0)
        return TRUE;
    }
}

static gboolean
run_chain (Job *job, Tap *tap, double gain_db, double ceiling_db, Sink *sink,
           GError **error)
{
  const BuskerEffectClass *lim_class = NULL;
  void *lim = NULL;
  uint32_t lim_skip = 0, flush_left = 0;
  g_autofree float *buf = g_new (float, 2 * CHUNK);
  g_autofree float *left = g_new (float, CHUNK);
  g_autofree float *right = g_new (float, CHUNK);
  const float gain = powf (10.0f, (float) gain_db / 20.0f);
  Stage st = { job, sink, NULL, NULL, 0, 0 };
  int64_t remaining = job->frames;
  gboolean ok = FALSE;

  st.out_left = llround ((double) job->frames * job->out_rate / job->in_rate);
  if (job->out_rate != job->in_rate)
    {
      soxr_error_t err = NULL;
      soxr_io_spec_t io = soxr_io_spec (SOXR_FLOAT32_I, SOXR_FLOAT32_I);
      soxr_quality_spec_t q = soxr_quality_spec (SOXR_VHQ, 0);
      st.soxr = soxr_create (job->in_rate, job->out_rate, 2, &err, &io, &q, NULL);
      if (st.soxr == NULL)
        {
          g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_FAILED,
                       "Cannot resample to %.0f Hz: %s", job->out_rate, err);
          return FALSE;
        }
      st.resampled_cap = (size_t) ceil (CHUNK * job->out_rate / job->in_rate) + 256;
      st.resampled = g_new (float, 2 * st.resampled_cap);
    }
  if (isfinite (ceiling_db))
    {
      lim_class = busker_effect_class_lookup ("limiter");
      lim = lim_class->create (job->in_rate, CHUNK);
      if (lim == NULL)
        g_error ("out of memory creating the limiter");
      lim_class->set_param (lim, BUSKER_LIMITER_CEILING_DB,
                            busker_param_spec_clamp (&lim_class->params[BUSKER_LIMITER_CEILING_DB],
                                                     (float) ceiling_db));
      lim_class->reset (lim);
      lim_skip = flush_left = lim_class->latency ? lim_class->latency (lim) : 0;
    }

  rewind (tap->spool);
  while (remaining > 0 || flush_left > 0)
    {
      size_t n;
      uint32_t offset = 0;

      if (cancelled (job, error))
        goto out;
      if (remaining > 0)
        {
          n = fread (buf, 2 * sizeof (float), (size_t) MIN (remaining, (int64_t) CHUNK),
                     tap->spool);
          if (n == 0)
            {
              g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_FAILED,
                           "Cannot read the temporary render back: %s",
                           ferror (tap->spool) ? g_strerror (errno) : "it is short");
              goto out;
            }
          remaining -= (int64_t) n;
          for (size_t i = 0; i < 2 * n; i++)
            buf[i] *= gain;
          progress (job, (double) n);
        }
      else
        {
          /* Push the limiter's look-ahead out with silence. */
          n = MIN (flush_left, (uint32_t) CHUNK);
          flush_left -= (uint32_t) n;
          memset (buf, 0, 2 * n * sizeof (float));
        }

      if (lim != NULL)
        {
          for (size_t i = 0; i < n; i++)
            {
              left[i] = buf[2 * i];
              right[i] = buf[2 * i + 1];
            }
          lim_class->process (lim, left, right, (uint32_t) n);
          offset = MIN (lim_skip, (uint32_t) n);
          lim_skip -= offset;
          for (size_t i = offset; i < n; i++)
            {
              buf[2 * (i - offset)] = left[i];
              buf[2 * (i - offset) + 1] = right[i];
            }
        }
      if (!stage_push (&st, buf, n - offset, error))
        goto out;
    }
  ok = st.soxr == NULL || stage_push (&st, NULL, 0, error);

out:
  if (lim != NULL)
    lim_class->destroy (lim);
  if (st.soxr != NULL)
    soxr_delete (st.soxr);
  g_free (st.resampled);
  return ok;
}

/* Measures the mix as it would be written. */
static gboolean
measure (Job *job, double gain_db, double ceiling_db, BuskerLoudnessReport *report,
         GError **error)
{
  g_autoptr (BuskerLoudness) meter = busker_loudness_new (job->out_rate, FALSE);
  Sink sink = { .name = "mix", .meter = meter };

  if (!run_chain (job, g_ptr_array_index (job->taps, 0), gain_db, ceiling_db, &sink, error))
    return FALSE;
  busker_loudness_report (meter, report);
  return TRUE;
}

/* Chooses the gain (and whether the limiter goes in) for normalization. */
static gboolean
normalize (Job *job, BuskerExportResult *result, double *ceiling_db, GError **error)
{
  const BuskerExportOptions *opt = job->opt;
  BuskerLoudnessReport r;
  double ceiling = opt->true_peak_ceiling_dbtp;

  *ceiling_db = NAN;
  result->gain_db = 0.0;
  if (opt->normalize == BUSKER_NORMALIZE_NONE)
    return TRUE;
  if (!measure (job, 0.0, NAN, &r, error))
    return FALSE;
  if (opt->normalize == BUSKER_NORMALIZE_PEAK)
    {
      /* Gain and resampling are linear: one measurement is exact. */
      if (isfinite (r.sample_peak_dbfs))
        result->gain_db = opt->normalize_target - r.sample_peak_dbfs;
      return TRUE;
    }
  if (!isfinite (r.integrated_lufs))
    {
      g_set_error_literal (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_INPUT,
                           "The mix is silent: there is no loudness to normalize");
      return FALSE;
    }
  result->gain_db = opt->normalize_target - r.integrated_lufs;
  if (r.true_peak_dbtp + result->gain_db <= ceiling)
    return TRUE;

  if (busker_effect_class_lookup ("limiter") == NULL)
    {
      /* No limiter in this build: the ceiling wins over the target. */
      result->gain_db = ceiling - r.true_peak_dbtp;
      return TRUE;
    }
  result->limited = TRUE;
  *ceiling_db = ceiling - LIMITER_MARGIN_DB;
  for (int round = 0; round < MAX_NORMALIZE_ROUNDS; round++)
    {
      double miss;
      if (!measure (job, result->gain_db, *ceiling_db, &r, error))
        return FALSE;
      miss = opt->normalize_target - r.integrated_lufs;
      if (fabs (miss) < NORMALIZE_TOLERANCE_LU)
        break;
      result->gain_db += miss;
    }
  return TRUE;
}

/* ---- output files ---- */

static int
sf_format_of (const BuskerExportOptions *opt)
{
  static const int major[] = { SF_FORMAT_WAV, SF_FORMAT_FLAC, SF_FORMAT_OGG, SF_FORMAT_AIFF };
  static const int minor[] = { SF_FORMAT_PCM_16, SF_FORMAT_PCM_24, SF_FORMAT_FLOAT };

  if (opt->format == BUSKER_EXPORT_OGG)
    return SF_FORMAT_OGG | SF_FORMAT_VORBIS;
  return major[opt->format] | minor[opt->bits];
}

static SNDFILE *
open_target (Job *job, Tap *tap, int *fd_out, GError **error)
{
  SF_INFO info = { .samplerate = (int) job->out_rate, .channels = 2,
                   .format = sf_format_of (job->opt) };
  struct stat st;
  SNDFILE *file;
  int fd;

  if (g_stat (tap->target, &st) == 0 && !S_ISREG (st.st_mode))
    {
      tap->direct = TRUE;
      fd = g_open (tap->target, O_WRONLY | O_CLOEXEC, 0);
    }
  else
    {
      g_autofree char *dir = g_path_get_dirname (tap->target);
      g_autofree char *base = g_path_get_basename (tap->target);
      g_autofree char *name = g_strdup_printf (".%s.XXXXXX", base);
      tap->temp = g_build_filename (dir, name, NULL);
      fd = g_mkstemp_full (tap->temp, O_RDWR | O_CLOEXEC, 0666);
      if (fd < 0)
        g_clear_pointer (&tap->temp, g_free);
    }
  if (fd < 0)
    {
      g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_INPUT,
                   "%s: cannot create the file: %s", tap->target, g_strerror (errno));
      return NULL;
    }
  if (!tap->direct)
    {
      /* mkstemp made it 0600; give it the mode a new file would get. */
      mode_t mask = umask (0);
      umask (mask);
      fchmod (fd, 0666 & ~mask);
    }
  file = sf_open_fd (fd, SFM_WRITE, &info, TRUE);
  if (file == NULL)
    {
      g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_FAILED,
                   "%s: cannot write: %s", tap->target, sf_strerror (NULL));
      close (fd);
      return NULL;
    }
  sf_command (file, SFC_SET_CLIPPING, NULL, SF_TRUE);
  *fd_out = fd;
  return file;
}

static gboolean
write_tap (Job *job, Tap *tap, double gain_db, double ceiling_db,
           BuskerLoudness *meter, GError **error)
{
  static const int pcm_bits[] = { 16, 24, 0 };
  g_autofree int32_t *scratch = g_new (int32_t, 2 * (size_t) (CHUNK * ceil (job->out_rate / job->in_rate) + 256));
  Sink sink = { .name = tap->target, .meter = meter, .noise = 0x9e3779b9u + tap->strip,
                .scratch = scratch };
  int fd = -1;
  gboolean ok;

  if (tap->target != NULL)
    {
      sink.file = open_target (job, tap, &fd, error);
      if (sink.file == NULL)
        return FALSE;
      sink.bits = job->opt->format == BUSKER_EXPORT_OGG ? 0 : pcm_bits[job->opt->bits];
      if (sink.bits > 0)
        sink.int_scale = ldexpf (1.0f, sink.bits - 1);
    }
  ok = run_chain (job, tap, gain_db, tap->is_mix ? ceiling_db : NAN, &sink, error);
  if (sink.file != NULL)
    {
      /* sf_close writes the header and flushes encoders: it can fail too. */
      int err = sf_close (sink.file);
      if (ok && err != 0)
        {
          g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_FAILED,
                       "%s: cannot write: %s", tap->target, sf_error_number (err));
          ok = FALSE;
        }
    }
  return ok;
}

static gboolean
commit_targets (Job *job, GError **error)
{
  for (guint t = 0; t < job->taps->len; t++)
    {
      Tap *tap = g_ptr_array_index (job->taps, t);
      if (tap->temp == NULL)
        continue;
      if (g_rename (tap->temp, tap->target) != 0)
        {
          g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_FAILED,
                       "%s: cannot move the finished file into place: %s",
                       tap->target, g_strerror (errno));
          return FALSE;
        }
      g_clear_pointer (&tap->temp, g_free);
    }
  return TRUE;
}

/* ---- the whole export ---- */

/* Unlinked at once, so nothing is left behind even after a kill; in
 * $TMPDIR (tmpfile() would ignore it). */
static gboolean
open_spool (Tap *tap, GError **error)
{
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("busker-export-XXXXXX.raw", &path, NULL);

  if (fd >= 0)
    {
      g_unlink (path);
      tap->spool = fdopen (fd, "w+b");
      if (tap->spool == NULL)
        close (fd);
    }
  if (tap->spool != NULL)
    return TRUE;
  g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_FAILED,
               "Cannot create a temporary file in %s: %s", g_get_tmp_dir (),
               g_strerror (errno));
  return FALSE;
}

static gboolean
check_options (const BuskerMixDesc *desc, const char *out_path,
               const BuskerExportOptions *opt, GError **error)
{
  const char *problem = NULL;

  if (out_path == NULL && opt->stems_dir == NULL && !opt->analyze)
    problem = "Nothing to do: give an output file, a stems folder or --analyze";
  else if (opt->format == BUSKER_EXPORT_FLAC && opt->bits == BUSKER_EXPORT_BITS_32F)
    problem = "FLAC cannot hold 32-bit float samples: use --bits 16 or 24";
  else if (opt->rate_hz != 0 && (opt->rate_hz < 8000 || opt->rate_hz > 384000))
    problem = "The output rate must be between 8000 and 384000 Hz";
  else if (opt->has_range && !(opt->start_s >= 0 && opt->end_s > opt->start_s))
    problem = "The range must be START:END in seconds with 0 <= START < END";
  else if (!(desc->sample_rate >= 8000 && desc->sample_rate <= 384000))
    problem = "The project's sample rate must be between 8000 and 384000 Hz";
  else if (busker_mix_desc_find_master (desc) < 0)
    problem = "The project has no master strip";
  else if (opt->normalize == BUSKER_NORMALIZE_LUFS &&
           !(opt->normalize_target <= 0 && opt->normalize_target > -70))
    problem = "The loudness target must be between -70 and 0 LUFS";
  else if (opt->normalize == BUSKER_NORMALIZE_PEAK && !(opt->normalize_target <= 0))
    problem = "The peak target must be at most 0 dBFS";
  if (problem == NULL)
    return TRUE;
  g_set_error_literal (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_INPUT, problem);
  return FALSE;
}

static gboolean
add_taps (Job *job, const BuskerMixDesc *desc, const char *out_path, GError **error)
{
  const char *ext = busker_export_format_extension (job->opt->format);
  Tap *mix = g_new0 (Tap, 1);

  mix->strip = (uint32_t) busker_mix_desc_find_master (desc);
  mix->target = g_strdup (out_path);
  mix->is_mix = TRUE;
  g_ptr_array_add (job->taps, mix);

  if (job->opt->stems_dir == NULL)
    return TRUE;
  if (g_mkdir_with_parents (job->opt->stems_dir, 0777) != 0)
    {
      g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_INPUT,
                   "%s: cannot create the stems folder: %s", job->opt->stems_dir,
                   g_strerror (errno));
      return FALSE;
    }
  for (uint32_t i = 0; i < desc->n_strips; i++)
    {
      const BuskerStripDesc *s = &desc->strips[i];
      g_autofree char *name = NULL;
      Tap *tap;

      if (s->kind != BUSKER_STRIP_SUBGROUP && s->kind != BUSKER_STRIP_AUX &&
          s->kind != BUSKER_STRIP_MASTER)
        continue;
      tap = g_new0 (Tap, 1);
      tap->strip = i;
      /* The master's stem is the mix, written as mix.EXT. */
      name = g_strdup_printf ("%s.%s", s->kind == BUSKER_STRIP_MASTER ? "mix" : s->id, ext);
      tap->target = g_build_filename (job->opt->stems_dir, name, NULL);
      g_ptr_array_add (job->taps, tap);
    }
  return TRUE;
}

gboolean
busker_export_run (const BuskerMixDesc *desc,
                   const char *out_path,
                   const BuskerExportOptions *options,
                   BuskerExportResult *result,
                   GError **error)
{
  g_autoptr (GPtrArray) taps = g_ptr_array_new_with_free_func ((GDestroyNotify) tap_free);
  Job job = { .opt = options, .taps = taps };
  BuskerExportResult local_result;
  g_autoptr (BuskerLoudness) meter = NULL;
  double ceiling_db;

  if (result == NULL)
    result = &local_result;
  memset (result, 0, sizeof *result);
  if (!check_options (desc, out_path, options, error))
    return FALSE;
  job.in_rate = desc->sample_rate;
  job.out_rate = options->rate_hz > 0 ? options->rate_hz : desc->sample_rate;
  if (!add_taps (&job, desc, out_path, error))
    return FALSE;
  for (guint t = 0; t < taps->len; t++)
    {
      Tap *tap = g_ptr_array_index (taps, t);
      if (!open_spool (tap, error))
        return FALSE;
    }

  if (!render_pass (&job, desc, error))
    return FALSE;
  job.work_total = job.work_done + (double) job.frames *
                                     ((options->normalize == BUSKER_NORMALIZE_LUFS ? 2 : 1) *
                                        (options->normalize != BUSKER_NORMALIZE_NONE) +
                                      taps->len);
  if (!normalize (&job, result, &ceiling_db, error))
    return FALSE;

  if (options->analyze)
    meter = busker_loudness_new (job.out_rate, TRUE);
  for (guint t = 0; t < taps->len; t++)
    {
      Tap *tap = g_ptr_array_index (taps, t);
      if (tap->target == NULL && !(tap->is_mix && options->analyze))
        continue;
      if (!write_tap (&job, tap, result->gain_db, ceiling_db,
                      tap->is_mix ? meter : NULL, error))
        return FALSE;
    }
  if (meter != NULL)
    busker_loudness_report (meter, &result->report);
  result->frames = llround ((double) job.frames * job.out_rate / job.in_rate);
  if (options->progress != NULL)
    options->progress (1.0, options->progress_data);
  return commit_targets (&job, error);
}
