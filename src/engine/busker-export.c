/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The export pipeline.
 *
 * Decisions:
 * - One chain per output file: gain -> true-peak limiter (mix only, only
 *   when needed) -> soxr -> TPDF dither -> libsndfile, with the loudness
 *   meter tapping the signal as written.
 * - Without normalization the renderer feeds the chains directly: one
 *   pass. With normalization, pass 1 spools every wanted signal (the mix,
 *   and each subgroup and aux bus for stems) as raw float at the project
 *   rate into an unlinked temporary file in $TMPDIR (nothing is left
 *   behind even when we are killed); the mix spool then runs through the
 *   chain into a meter as often as needed, so the measured number is the
 *   one of the signal that gets written, and finally into the files.
 * - The render tail: without --range we keep rendering after the last
 *   source ends until the mix stays below -90 dBFS for 0.5 s (at most
 *   10 s), then cut at the last sample above that level; frames after
 *   the last loud one wait in a hold-back buffer (at most 0.5 s and a
 *   block) until it is clear whether they belong to the file. The renderer's
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
#include <glib/gstdio.h>
#include <math.h>
#include <sndfile.h>
#include <soxr.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "busker-file-target.h"
#include "busker-render.h"
#include "busker-source-reader.h"
#include "dsp/params.h"

G_DEFINE_QUARK (busker-export-error-quark, busker_export_error)

enum { CHUNK = 4096, MAX_NORMALIZE_ROUNDS = 10 };

#define TAIL_FLOOR_DBFS -90.0
#define TAIL_QUIET_S 0.5
#define TAIL_MAX_S 10.0
#define NORMALIZE_TOLERANCE_LU 0.05
/* A target the mix gets within this of is reached (the promise is 0.3 LU). */
#define NORMALIZE_REACH_LU 0.3
/* The limiter of loudness normalization: the most it may take off the
 * peaks, and its release. Measured on the demo session and on noise
 * bursts, its loudness at a -1 dBTP ceiling levels off with the drive
 * (demo: -9.8 LUFS at 12 dB and -9.4 at 48 dB with the 50 ms default
 * release; -9.1 at 12 dB, -8.8 at 18 dB, -8.7 at 48 dB with 20 ms), so
 * past 18 dB more drive only distorts, and a 20 ms release is what lets
 * a dense mix reach -9 LUFS at all. */
#define MAX_LIMITING_DB 18.0
#define NORMALIZE_RELEASE_MS 20.0f
/* Headroom under the ceiling for what resampling can add between peaks. */
#define LIMITER_MARGIN_DB 0.1

typedef struct _Chain Chain;

/* One rendered signal: the mix or a stem. */
typedef struct {
  uint32_t strip;   /* index in the snapshot */
  char *target;     /* final path; NULL for an analysis-only mix */
  FILE *spool;      /* interleaved float, project rate; NULL when direct */
  Chain *chain;     /* into the file and meter, while one is open */
  float *held;      /* rendered frames the tail decision holds back */
  size_t n_held;
  uint32_t skip;    /* render frames still to drop: this strip's own latency */
  char *temp;       /* the file being written beside target */
  gboolean direct;  /* target is a device or FIFO: written in place */
  gboolean is_mix;
  uint64_t clipped; /* samples past full scale in the file, once closed */
} Tap;

typedef struct {
  const BuskerExportOptions *opt;
  BuskerRender *render;
  GPtrArray *warnings; /* BuskerRenderWarning*: the export's own */
  gboolean rf64;       /* WAV too long for 32-bit sizes */
  const char *mix_name; /* for messages: the mix's file, or "the mix" */
  double in_rate, out_rate;
  int64_t frames;   /* rendered length, project rate */
  GPtrArray *taps;  /* Tap*, the mix first */
  gboolean spooled; /* two passes (normalization) or one */
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
  uint64_t clipped;  /* samples past full scale that the file clipped */
  gboolean keeps_overs; /* 32-bit float WAV/AIFF: nothing clips */
} Sink;

static gboolean tap_close_output (Tap *tap, gboolean ok, GError **error);

static void
tap_free (Tap *tap)
{
  tap_close_output (tap, FALSE, NULL);
  g_free (tap->held);
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
  { "mp3", BUSKER_EXPORT_MP3 },   { "opus", BUSKER_EXPORT_OPUS },
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
  static const char *const ext[] = { "wav", "flac", "ogg", "aiff", "mp3", "opus" };
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

/* ---- the chain: gain -> limiter -> resampler -> sink ---- */

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
          sink->clipped += v < lo || v > hi;
          sink->scratch[i] = (int32_t) ((uint32_t) (int32_t) CLAMP (v, lo, hi) << shift);
        }
      written = sf_writef_int (sink->file, sink->scratch, (sf_count_t) n);
    }
  else
    {
      /* Float WAV/AIFF keep any level; the lossy encoders clip (libsndfile's
       * SFC_SET_CLIPPING), so count what they will clip. */
      if (!sink->keeps_overs)
        for (size_t i = 0; i < 2 * n; i++)
          sink->clipped += fabsf (frames[i]) > 1.0f;
      written = sf_writef_float (sink->file, frames, (sf_count_t) n);
    }
  if (written == (sf_count_t) n)
    return TRUE;
  g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_FAILED,
               "%s: cannot write: %s", sink->name, sf_strerror (sink->file));
  return FALSE;
}

/* Room for what soxr makes of one CHUNK. */
static size_t
resampled_capacity (const Job *job)
{
  return (size_t) ceil (CHUNK * job->out_rate / job->in_rate) + 256;
}

struct _Chain {
  Job *job;
  Sink sink;
  float gain;
  const BuskerEffectClass *lim_class;
  void *lim;                 /* NULL without the limiter */
  uint32_t lim_latency;
  uint32_t lim_skip;         /* look-ahead still to drop from the start */
  soxr_t soxr;               /* NULL at the project rate */
  float *resampled;
  size_t resampled_cap;
  int64_t in_frames;         /* pushed so far, project rate */
  int64_t out_frames;        /* delivered so far, output rate */
  float *buf, *left, *right; /* CHUNK frames each */
};

static void
chain_clear (Chain *c)
{
  if (c->lim != NULL)
    c->lim_class->destroy (c->lim);
  if (c->soxr != NULL)
    soxr_delete (c->soxr);
  g_free (c->resampled);
  g_free (c->buf);
  g_free (c->left);
  g_free (c->right);
  c->lim = NULL;
  c->soxr = NULL;
  c->resampled = c->buf = c->left = c->right = NULL;
}

/* The sink must be set already. */
static gboolean
chain_init (Chain *c, Job *job, double gain_db, double ceiling_db, GError **error)
{
  c->job = job;
  c->gain = powf (10.0f, (float) gain_db / 20.0f);
  c->buf = g_new (float, 2 * CHUNK);
  c->left = g_new (float, CHUNK);
  c->right = g_new (float, CHUNK);
  if (job->out_rate != job->in_rate)
    {
      soxr_error_t err = NULL;
      soxr_io_spec_t io = soxr_io_spec (SOXR_FLOAT32_I, SOXR_FLOAT32_I);
      soxr_quality_spec_t q = soxr_quality_spec (SOXR_VHQ, 0);
      c->soxr = soxr_create (job->in_rate, job->out_rate, 2, &err, &io, &q, NULL);
      if (c->soxr == NULL)
        {
          g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_FAILED,
                       "Cannot resample to %.0f Hz: %s", job->out_rate, err);
          return FALSE;
        }
      c->resampled_cap = resampled_capacity (job);
      c->resampled = g_new (float, 2 * c->resampled_cap);
    }
  if (isfinite (ceiling_db))
    {
      c->lim_class = busker_effect_class_lookup ("limiter");
      c->lim = c->lim_class->create (job->in_rate, CHUNK);
      if (c->lim == NULL)
        g_error ("out of memory creating the limiter");
      c->lim_class->set_param (c->lim, BUSKER_LIMITER_CEILING_DB,
                               busker_param_spec_clamp (&c->lim_class->params[BUSKER_LIMITER_CEILING_DB],
                                                        (float) ceiling_db));
      c->lim_class->set_param (c->lim, BUSKER_LIMITER_RELEASE_MS, NORMALIZE_RELEASE_MS);
      c->lim_class->reset (c->lim);
      c->lim_latency = c->lim_class->latency ? c->lim_class->latency (c->lim) : 0;
      c->lim_skip = c->lim_latency;
    }
  return TRUE;
}

static gboolean
chain_emit (Chain *c, const float *frames, size_t n, int64_t limit, GError **error)
{
  n = (size_t) CLAMP (limit - c->out_frames, 0, (int64_t) n);
  c->out_frames += (int64_t) n;
  return n == 0 || sink_write (&c->sink, frames, n, error);
}

/* frames == NULL flushes the resampler. */
static gboolean
chain_resample (Chain *c, const float *frames, size_t n, int64_t limit, GError **error)
{
  if (c->soxr == NULL)
    return frames == NULL || chain_emit (c, frames, n, limit, error);
  for (;;)
    {
      size_t used = 0, made = 0;
      soxr_error_t err = soxr_process (c->soxr, frames, n, &used,
                                       c->resampled, c->resampled_cap, &made);
      if (err != NULL)
        {
          g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_FAILED,
                       "Resampling failed: %s", err);
          return FALSE;
        }
      if (!chain_emit (c, c->resampled, made, limit, error))
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

/* c->buf holds n frames, gain applied. */
static gboolean
chain_process (Chain *c, size_t n, int64_t limit, GError **error)
{
  size_t offset = 0;

  if (c->lim != NULL)
    {
      for (size_t i = 0; i < n; i++)
        {
          c->left[i] = c->buf[2 * i];
          c->right[i] = c->buf[2 * i + 1];
        }
      c->lim_class->process (c->lim, c->left, c->right, (uint32_t) n);
      offset = MIN ((size_t) c->lim_skip, n);
      c->lim_skip -= (uint32_t) offset;
      for (size_t i = offset; i < n; i++)
        {
          c->buf[2 * (i - offset)] = c->left[i];
          c->buf[2 * (i - offset) + 1] = c->right[i];
        }
    }
  return chain_resample (c, c->buf, n - offset, limit, error);
}

static gboolean
chain_push (Chain *c, const float *frames, size_t n, GError **error)
{
  while (n > 0)
    {
      size_t k = MIN (n, (size_t) CHUNK);
      for (size_t i = 0; i < 2 * k; i++)
        c->buf[i] = frames[i] * c->gain;
      c->in_frames += (int64_t) k;
      if (!chain_process (c, k, INT64_MAX, error))
        return FALSE;
      frames += 2 * k;
      n -= k;
    }
  return TRUE;
}

/* Pushes the limiter's look-ahead and the resampler's delay out, and cuts
 * the output at exactly the length the input calls for. */
static gboolean
chain_finish (Chain *c, GError **error)
{
  int64_t due = llround ((double) c->in_frames * c->job->out_rate / c->job->in_rate);
  uint32_t flush = c->lim != NULL ? c->lim_latency : 0;

  while (flush > 0)
    {
      size_t k = MIN (flush, (uint32_t) CHUNK);
      memset (c->buf, 0, 2 * k * sizeof (float));
      flush -= (uint32_t) k;
      if (!chain_process (c, k, due, error))
        return FALSE;
    }
  return chain_resample (c, NULL, 0, due, error);
}

/* ---- outputs ---- */

static int
sf_format_of (const Job *job)
{
  static const int major[] = { SF_FORMAT_WAV, SF_FORMAT_FLAC, SF_FORMAT_OGG, SF_FORMAT_AIFF };
  static const int minor[] = { SF_FORMAT_PCM_16, SF_FORMAT_PCM_24, SF_FORMAT_FLOAT };
  const BuskerExportOptions *opt = job->opt;

  switch (opt->format)
    {
    case BUSKER_EXPORT_OGG:
      return SF_FORMAT_OGG | SF_FORMAT_VORBIS;
    case BUSKER_EXPORT_OPUS:
      return SF_FORMAT_OGG | SF_FORMAT_OPUS;
    case BUSKER_EXPORT_MP3:
      return SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
    case BUSKER_EXPORT_WAV:
      return (job->rf64 ? SF_FORMAT_RF64 : SF_FORMAT_WAV) | minor[opt->bits];
    default:
      return major[opt->format] | minor[opt->bits];
    }
}

static gboolean
is_lossy (BuskerExportFormat format)
{
  return format == BUSKER_EXPORT_OGG || format == BUSKER_EXPORT_MP3 ||
         format == BUSKER_EXPORT_OPUS;
}

static int
effective_bitrate (const BuskerExportOptions *opt)
{
  if (opt->bitrate_kbps > 0)
    return opt->bitrate_kbps;
  return opt->format == BUSKER_EXPORT_MP3 ? 320 : 192;
}

/* The bit rate through libsndfile's compression level (0 best .. 1
 * smallest), inverting its mappings: MP3 CBR at >= 32 kHz is
 * 320 - level * 288 kbps (truncated); Opus is (1 - level) * 250000 + 6000
 * bit/s per channel (mpeg_l3_encode.c, ogg_opus.c). Half a unit keeps the
 * truncation on the wanted value. */
static gboolean
set_bitrate (SNDFILE *file, const BuskerExportOptions *opt)
{
  const int kbps = effective_bitrate (opt);
  double level;
  int mode = SF_BITRATE_MODE_CONSTANT;

  if (opt->format == BUSKER_EXPORT_MP3)
    level = (320.0 - kbps - 0.5) / 288.0;
  else if (opt->format == BUSKER_EXPORT_OPUS)
    level = 1.0 - (kbps * 500.0 - 6000.0 + 0.5) / 250000.0;
  else
    return TRUE;
  level = CLAMP (level, 0.0, 1.0);
  /* The level first: LAME's mode setter re-applies the level, and fails
   * while none is set. */
  return sf_command (file, SFC_SET_COMPRESSION_LEVEL, &level, sizeof level) == SF_TRUE &&
         (opt->format != BUSKER_EXPORT_MP3 ||
          sf_command (file, SFC_SET_BITRATE_MODE, &mode, sizeof mode) == SF_TRUE);
}

static SNDFILE *
open_target (Job *job, Tap *tap, GError **error)
{
  SF_INFO info = { .samplerate = (int) job->out_rate, .channels = 2,
                   .format = sf_format_of (job) };
  SNDFILE *file;
  int fd = busker_file_target_open (tap->target, &tap->temp);

  if (fd < 0)
    {
      g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_INPUT,
                   "%s: cannot create the file: %s", tap->target, g_strerror (errno));
      return NULL;
    }
  tap->direct = tap->temp == NULL;
  file = sf_open_fd (fd, SFM_WRITE, &info, TRUE);
  if (file == NULL)
    {
      g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_FAILED,
                   "%s: cannot write: %s", tap->target, sf_strerror (NULL));
      close (fd);
      return NULL;
    }
  sf_command (file, SFC_SET_CLIPPING, NULL, SF_TRUE);
  if (!set_bitrate (file, job->opt))
    {
      g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_INPUT,
                   "%s: the encoder refused the bit rate of %d kbit/s", tap->target,
                   effective_bitrate (job->opt));
      sf_close (file);
      return NULL;
    }
  return file;
}

/* Sets up tap->chain into its file (if it has a target) and meter. */
static gboolean
tap_open_output (Job *job, Tap *tap, double gain_db, double ceiling_db,
                 BuskerLoudness *meter, GError **error)
{
  static const int pcm_bits[] = { 16, 24, 0 };
  Chain *c = tap->chain = g_new0 (Chain, 1);

  c->sink.name = tap->target;
  c->sink.meter = meter;
  c->sink.noise = 0x9e3779b9u + tap->strip;
  c->sink.scratch = g_new (int32_t, 2 * MAX (resampled_capacity (job), (size_t) CHUNK));
  if (tap->target != NULL)
    {
      c->sink.file = open_target (job, tap, error);
      if (c->sink.file == NULL)
        return FALSE;
      c->sink.bits = is_lossy (job->opt->format) ? 0 : pcm_bits[job->opt->bits];
      if (c->sink.bits > 0)
        c->sink.int_scale = ldexpf (1.0f, c->sink.bits - 1);
      c->sink.keeps_overs = !is_lossy (job->opt->format) && c->sink.bits == 0;
    }
  return chain_init (c, job, gain_db, tap->is_mix ? ceiling_db : NAN, error);
}

/* Finishes (when ok) and closes the tap's output. */
static gboolean
tap_close_output (Tap *tap, gboolean ok, GError **error)
{
  Chain *c = tap->chain;

  if (c == NULL)
    return ok;
  if (ok)
    ok = chain_finish (c, error);
  tap->clipped = c->sink.clipped;
  if (c->sink.file != NULL)
    {
      /* sf_close writes the header and flushes encoders: it can fail too. */
      int err = sf_close (c->sink.file);
      if (ok && err != 0)
        {
          g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_FAILED,
                       "%s: cannot write: %s", tap->target, sf_error_number (err));
          ok = FALSE;
        }
    }
  chain_clear (c);
  g_free (c->sink.scratch);
  g_clear_pointer (&tap->chain, g_free);
  return ok;
}

/* Frames leave pass 1 here: into the chain when writing directly, into the
 * spool otherwise. */
static gboolean
tap_deliver (Tap *tap, const float *frames, size_t n, GError **error)
{
  if (tap->chain != NULL)
    return chain_push (tap->chain, frames, n, error);
  if (tap->spool == NULL || fwrite (frames, 2 * sizeof (float), n, tap->spool) == n)
    return TRUE;
  g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_FAILED,
               "Cannot write the temporary render in %s: %s",
               g_get_tmp_dir (), g_strerror (errno));
  return FALSE;
}

/* ---- pass 1: render ---- */

static gboolean
render_pass (Job *job, GError **error)
{
  const BuskerExportOptions *opt = job->opt;
  g_autoptr (GError) local = NULL;
  BuskerRender *render = job->render;
  int64_t start = 0, wanted, produced = 0, delivered = 0, quiet_run = 0, last_loud = 0;
  int64_t tail_max, quiet_needed = llround (TAIL_QUIET_S * job->in_rate);
  const float floor_amp = powf (10.0f, (float) TAIL_FLOOR_DBFS / 20.0f);
  uint32_t skip, max_block, mix_strip = ((Tap *) job->taps->pdata[0])->strip;
  size_t held_cap;

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

  /* This pass, then (spooled) a measuring pass or so and one pass per tap. */
  job->work_total = (double) wanted;
  if (job->spooled)
    job->work_total *= 1.0 + (opt->normalize != BUSKER_NORMALIZE_NONE) + job->taps->len;
  /* Each signal drops its own latency, so a stem whose path has less
   * look-ahead than the master still lines up with the mix; it runs ahead
   * of the mix by the difference, which its held frames absorb. */
  skip = busker_render_latency (render);
  max_block = busker_render_max_block (render);
  /* What the tail may hold back: the quiet run, a stem's lead, blocks. */
  held_cap = (size_t) quiet_needed + skip + 3 * (size_t) max_block;
  for (guint t = 0; t < job->taps->len; t++)
    {
      Tap *tap = job->taps->pdata[t];
      tap->held = g_new (float, 2 * held_cap);
      tap->skip = busker_render_strip_latency (render, tap->strip);
    }

  while (produced < wanted + tail_max)
    {
      uint32_t offset, count;
      int64_t target;
      const float *ml, *mr;

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
      count = (uint32_t) MIN ((int64_t) (max_block - offset), wanted + tail_max - produced);

      for (guint t = 0; t < job->taps->len; t++)
        {
          Tap *tap = g_ptr_array_index (job->taps, t);
          uint32_t tap_offset = MIN (tap->skip, max_block);
          uint32_t tap_count = MIN (max_block - tap_offset, (uint32_t) (held_cap - tap->n_held));
          const float *l = busker_render_strip_output (render, tap->strip, 0) + tap_offset;
          const float *r = busker_render_strip_output (render, tap->strip, 1) + tap_offset;
          float *dst = tap->held + 2 * tap->n_held;

          tap->skip -= tap_offset;
          if (tap->is_mix)
            tap_count = count;
          for (uint32_t i = 0; i < tap_count; i++)
            {
              dst[2 * i] = l[i];
              dst[2 * i + 1] = r[i];
            }
          tap->n_held += tap_count;
        }

      /* The tail ends where the mix has stayed under the floor long enough;
       * frames after the last loud one wait until we know. */
      ml = busker_render_strip_output (render, mix_strip, 0) + offset;
      mr = busker_render_strip_output (render, mix_strip, 1) + offset;
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
      target = opt->has_range ? produced : MAX (MIN (wanted, produced), last_loud);

      for (guint t = 0; t < job->taps->len; t++)
        {
          Tap *tap = g_ptr_array_index (job->taps, t);
          size_t release = (size_t) (target - delivered);
          if (!tap_deliver (tap, tap->held, release, error))
            return FALSE;
          tap->n_held -= release;
          memmove (tap->held, tap->held + 2 * release, 2 * tap->n_held * sizeof (float));
        }
      delivered = target;
      progress (job, count);
    }

  job->frames = delivered;
  return TRUE;
}

/* ---- pass 2: the spool through a chain ---- */

static gboolean
run_spool (Job *job, Tap *tap, Chain *chain, GError **error)
{
  g_autofree float *buf = g_new (float, 2 * CHUNK);
  int64_t remaining = job->frames;

  rewind (tap->spool);
  while (remaining > 0)
    {
      size_t n;

      if (cancelled (job, error))
        return FALSE;
      n = fread (buf, 2 * sizeof (float), (size_t) MIN (remaining, (int64_t) CHUNK), tap->spool);
      if (n == 0)
        {
          g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_FAILED,
                       "Cannot read the temporary render back: %s",
                       ferror (tap->spool) ? g_strerror (errno) : "it is short");
          return FALSE;
        }
      remaining -= (int64_t) n;
      if (!chain_push (chain, buf, n, error))
        return FALSE;
      progress (job, (double) n);
    }
  return TRUE;
}

/* Measures the mix as it would be written. */
static gboolean
measure (Job *job, double gain_db, double ceiling_db, BuskerLoudnessReport *report,
         GError **error)
{
  g_autoptr (BuskerLoudness) meter = busker_loudness_new (job->out_rate, FALSE);
  Chain chain = { .sink = { .name = "mix", .meter = meter } };
  gboolean ok = chain_init (&chain, job, gain_db, ceiling_db, error) &&
                run_spool (job, g_ptr_array_index (job->taps, 0), &chain, error) &&
                chain_finish (&chain, error);

  chain_clear (&chain);
  if (ok)
    busker_loudness_report (meter, report);
  return ok;
}

/* Chooses the gain (and whether the limiter goes in) for normalization.
 *
 * Loudness normalization: the gain is target - measured loudness; when the
 * true peak would then pass the ceiling, the limiter goes in and the gain
 * is found by regula falsi (Illinois) on the measured loudness of the
 * limited signal, which grows with the gain but ever more slowly. The
 * limiter may take off at most MAX_LIMITING_DB: the loudness at that gain
 * is the loudest this mix gets under the ceiling, and a target above it is
 * refused rather than missed. */
static gboolean
normalize (Job *job, BuskerExportResult *result, double *ceiling_db, GError **error)
{
  const BuskerExportOptions *opt = job->opt;
  const double target = opt->normalize_target, ceiling = opt->true_peak_ceiling_dbtp;
  BuskerLoudnessReport r;
  double lo, hi, l_lo, l_hi, best_gain, best_miss;
  int side = 0;

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
      if (isfinite (r.sample_peak_dbfs))
        g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_INPUT,
                     "%s: the mix is below the −70 LUFS absolute gate of ITU-R BS.1770 "
                     "(its sample peak is %.1f dBFS), so it has no integrated loudness to "
                     "normalize; use --normalize-peak or raise the mix",
                     job->mix_name, r.sample_peak_dbfs);
      else
        g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_INPUT,
                     "%s: the mix is silent: there is no loudness to normalize",
                     job->mix_name);
      return FALSE;
    }
  result->gain_db = target - r.integrated_lufs;
  if (r.true_peak_dbtp + result->gain_db <= ceiling)
    return TRUE;

  /* Loudness at the gain where the peak meets the ceiling (the limiter
   * idles: linear), and at the most limiting allowed. */
  result->limited = TRUE;
  *ceiling_db = ceiling - LIMITER_MARGIN_DB;
  lo = ceiling - r.true_peak_dbtp;
  l_lo = r.integrated_lufs + lo;
  hi = lo + MAX_LIMITING_DB;
  if (!measure (job, hi, *ceiling_db, &r, error))
    return FALSE;
  l_hi = r.integrated_lufs;
  if (!(l_hi >= target - NORMALIZE_REACH_LU))
    {
      g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_FAILED,
                   "%s: %.1f LUFS cannot be reached under the true-peak ceiling of "
                   "%.1f dBTP: the loudest this mix gets is %.1f LUFS (with %.0f dB of "
                   "limiting); aim lower or raise --true-peak-ceiling",
                   job->mix_name, target, ceiling, l_hi, MAX_LIMITING_DB);
      return FALSE;
    }
  best_gain = hi;
  best_miss = fabs (l_hi - target);
  for (int round = 0; round < MAX_NORMALIZE_ROUNDS && best_miss >= NORMALIZE_TOLERANCE_LU; round++)
    {
      double g = lo + (target - l_lo) * (hi - lo) / (l_hi - l_lo), l;
      if (!measure (job, g, *ceiling_db, &r, error))
        return FALSE;
      l = r.integrated_lufs;
      if (fabs (l - target) < best_miss)
        {
          best_miss = fabs (l - target);
          best_gain = g;
        }
      /* Illinois: when one end stays twice, halve its weight. */
      if (l < target)
        {
          lo = g, l_lo = l;
          if (side == -1)
            l_hi = target + (l_hi - target) / 2;
          side = -1;
        }
      else
        {
          hi = g, l_hi = l;
          if (side == 1)
            l_lo = target - (target - l_lo) / 2;
          side = 1;
        }
    }
  result->gain_db = best_gain;
  return TRUE;
}

static gboolean
commit_targets (Job *job, GError **error)
{
  for (guint t = 0; t < job->taps->len; t++)
    {
      Tap *tap = g_ptr_array_index (job->taps, t);
      if (tap->temp == NULL)
        continue;
      if (!busker_file_target_commit (tap->temp, tap->target))
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

/* Output rates the lossy encoders take; 0 ends the list. */
static const int mp3_rates[] = { 32000, 44100, 48000, 0 };
static const int opus_rates[] = { 8000, 12000, 16000, 24000, 48000, 0 };
/* MPEG-1 Layer III bit rates, kbit/s. */
static const int mp3_bitrates[] = { 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0 };

static gboolean
in_list (const int *list, double value)
{
  for (; *list != 0; list++)
    if (*list == value)
      return TRUE;
  return FALSE;
}

/* The output rate: the option, or the project's, or for MP3 and Opus the
 * nearest rate they take when the project's is not one (44.1 kHz for
 * multiples of it, 48 kHz otherwise). */
static double
choose_out_rate (const BuskerMixDesc *desc, const BuskerExportOptions *opt)
{
  const int *rates = opt->format == BUSKER_EXPORT_MP3 ? mp3_rates
                     : opt->format == BUSKER_EXPORT_OPUS ? opus_rates : NULL;
  if (opt->rate_hz > 0)
    return opt->rate_hz;
  if (rates == NULL || in_list (rates, desc->sample_rate))
    return desc->sample_rate;
  if (opt->format == BUSKER_EXPORT_MP3 && fmod (desc->sample_rate, 44100.0) == 0.0)
    return 44100;
  return 48000;
}

/* An export renders file tracks; the rest is silence without them. */
static gboolean
has_file_track (const BuskerMixDesc *desc)
{
  for (uint32_t i = 0; i < desc->n_strips; i++)
    if (desc->strips[i].kind == BUSKER_STRIP_TRACK && desc->strips[i].source == BUSKER_SOURCE_FILE)
      return TRUE;
  return FALSE;
}

static gboolean
check_options (const BuskerMixDesc *desc, const char *out_path,
               const BuskerExportOptions *opt, GError **error)
{
  const char *problem = NULL;
  g_autofree char *owned = NULL;
  const double max_s = BUSKER_SOURCE_MAX_OFFSET_S;

  if (out_path == NULL && opt->stems_dir == NULL && !opt->analyze)
    problem = "Nothing to do: give an output file, a stems folder or --analyze";
  else if (opt->format == BUSKER_EXPORT_FLAC && opt->bits == BUSKER_EXPORT_BITS_32F)
    problem = "FLAC cannot hold 32-bit float samples: use --bits 16 or 24";
  else if (opt->rate_hz != 0 && (opt->rate_hz < 8000 || opt->rate_hz > 384000))
    problem = "The output rate must be between 8000 and 384000 Hz";
  else if (opt->rate_hz != 0 && opt->format == BUSKER_EXPORT_MP3 && !in_list (mp3_rates, opt->rate_hz))
    problem = "MP3 is written at 32000, 44100 or 48000 Hz: change --rate";
  else if (opt->rate_hz != 0 && opt->format == BUSKER_EXPORT_OPUS && !in_list (opus_rates, opt->rate_hz))
    problem = "Opus is written at 8000, 12000, 16000, 24000 or 48000 Hz: change --rate";
  else if (opt->bitrate_kbps != 0 && !(opt->format == BUSKER_EXPORT_MP3 || opt->format == BUSKER_EXPORT_OPUS))
    problem = "--bitrate goes with MP3 or Opus";
  else if (opt->bitrate_kbps != 0 && opt->format == BUSKER_EXPORT_MP3 && !in_list (mp3_bitrates, opt->bitrate_kbps))
    problem = "The MP3 bit rate must be one of 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320 kbit/s";
  else if (opt->bitrate_kbps != 0 && opt->format == BUSKER_EXPORT_OPUS &&
           !(opt->bitrate_kbps >= 12 && opt->bitrate_kbps <= 512))
    problem = "The Opus bit rate must be between 12 and 512 kbit/s";
  else if (opt->has_range && !(opt->start_s >= 0 && opt->end_s > opt->start_s))
    problem = "The range must be START:END in seconds with 0 <= START < END";
  else if (opt->has_range && !(opt->end_s <= max_s))
    problem = owned = g_strdup_printf ("The range end of %g s is past the %.0f hours an export "
                                       "may last", opt->end_s, max_s / 3600.0);
  else if (!(desc->sample_rate >= 8000 && desc->sample_rate <= 384000))
    problem = "The project's sample rate must be between 8000 and 384000 Hz";
  else if (busker_mix_desc_find_master (desc) < 0)
    problem = "The project has no master strip";
  else if (!has_file_track (desc))
    problem = "The project has no file tracks, so there is nothing to export: live and capture "
              "tracks sound only while Busker runs (record them with busker --headless "
              "PROJECT --record OUT)";
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

static void
job_warn (Job *job, const char *strip_id, char *message)
{
  BuskerRenderWarning *w = g_new0 (BuskerRenderWarning, 1);
  w->strip_id = g_strdup (strip_id);
  w->start_s = w->end_s = NAN;
  w->message = message;
  g_ptr_array_add (job->warnings, w);
}

/* A file that holds less than was rendered is said so: a stem gets the
 * mix's normalization gain but not its limiter, and any mix hotter than
 * full scale clips in a fixed-point or lossy file. */
static void
warn_clipped (Job *job, const BuskerMixDesc *desc, const Tap *tap)
{
  const BuskerStripDesc *strip = &desc->strips[tap->strip];
  job_warn (job, strip->id,
            g_strdup_printf ("%s: %" G_GUINT64_FORMAT " samples went past full scale and "
                             "were clipped; export as 32-bit float WAV or lower the level "
                             "to keep them", tap->target, tap->clipped));
}

static const char *
bus_word (BuskerStripKind kind)
{
  return kind == BUSKER_STRIP_AUX ? "aux" : "subgroup";
}

static gboolean
add_taps (Job *job, const BuskerMixDesc *desc, const char *out_path, GError **error)
{
  const char *ext = busker_export_format_extension (job->opt->format);
  g_autoptr (GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
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
  /* The master's stem is the mix, written as mix.EXT; a bus whose id takes
   * a name already given gets its kind appended (mix-subgroup.wav), then
   * a number. */
  g_hash_table_add (used, g_strdup ("mix"));
  for (uint32_t i = 0; i < desc->n_strips; i++)
    {
      const BuskerStripDesc *s = &desc->strips[i];
      g_autofree char *name = NULL, *file = NULL;
      Tap *tap;

      if (s->kind != BUSKER_STRIP_SUBGROUP && s->kind != BUSKER_STRIP_AUX &&
          s->kind != BUSKER_STRIP_MASTER)
        continue;
      tap = g_new0 (Tap, 1);
      tap->strip = i;
      if (s->kind == BUSKER_STRIP_MASTER)
        name = g_strdup ("mix");
      else
        {
          name = g_ascii_strdown (s->id, -1);
          for (int k = 1; g_hash_table_contains (used, name); k++)
            {
              g_free (name);
              name = k == 1 ? g_strdup_printf ("%s-%s", s->id, bus_word (s->kind))
                            : g_strdup_printf ("%s-%s-%d", s->id, bus_word (s->kind), k);
            }
          g_hash_table_add (used, g_strdup (name));
          if (g_ascii_strcasecmp (name, s->id) != 0)
            job_warn (job, s->id,
                      g_strdup_printf ("%s “%s”: its stem is written as %s.%s, since %s.%s "
                                       "is %s",
                                       s->kind == BUSKER_STRIP_AUX ? "Aux bus" : "Subgroup",
                                       s->name ? s->name : s->id, name, ext, s->id, ext,
                                       g_ascii_strcasecmp (s->id, "mix") == 0
                                         ? "the whole mix" : "another stem"));
        }
      file = g_strdup_printf ("%s.%s", name, ext);
      tap->target = g_build_filename (job->opt->stems_dir, file, NULL);
      g_ptr_array_add (job->taps, tap);
    }
  return TRUE;
}

/* Two outputs on one path, or a read-only file at a target: refused before
 * anything is rendered. */
static gboolean
check_targets (Job *job, GError **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint t = 0; t < job->taps->len; t++)
    {
      Tap *tap = g_ptr_array_index (job->taps, t);
      g_autofree char *canon = NULL;
      struct stat st;

      if (tap->target == NULL)
        continue;
      canon = g_canonicalize_filename (tap->target, NULL);
      if (!g_hash_table_add (seen, g_steal_pointer (&canon)))
        {
          g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_INPUT,
                       "%s: the mix and a stem would be written to the same file; give "
                       "-o another name or folder", tap->target);
          return FALSE;
        }
      /* Like cp: a file we may not write is not replaced. Its mode is
       * asked as well as access(), so that root, whom access() lets
       * write anything, does not replace a file marked read-only. */
      if (g_stat (tap->target, &st) == 0 && S_ISREG (st.st_mode) &&
          (g_access (tap->target, W_OK) != 0 || (st.st_mode & 0222) == 0))
        {
          g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_INPUT,
                       "%s: the file is read-only; it was not replaced", tap->target);
          return FALSE;
        }
    }
  return TRUE;
}

uint64_t
busker_export_data_bytes (BuskerExportFormat format, BuskerExportBits bits, int64_t frames)
{
  static const unsigned bytes[] = { 2, 3, 4 };
  if (is_lossy (format) || frames <= 0)
    return 0;
  return (uint64_t) frames * 2 * bytes[bits];
}

/* A WAV whose data could pass 32-bit sizes is written as RF64; AIFF (32-bit
 * sizes too) is refused, and FLAC past its 36-bit frame count. The length
 * is the most the render can produce: the range, or the sources plus the
 * longest tail. */
static gboolean
check_size (Job *job, GError **error)
{
  const BuskerExportOptions *opt = job->opt;
  int64_t in_frames = opt->has_range
                        ? llround ((opt->end_s - opt->start_s) * job->in_rate)
                        : busker_render_source_length (job->render) + llround (TAIL_MAX_S * job->in_rate);
  int64_t frames = (int64_t) ceil ((double) in_frames * job->out_rate / job->in_rate);
  uint64_t limit = opt->max_riff_bytes > 0 ? opt->max_riff_bytes : UINT32_MAX - 65536;
  uint64_t bytes = busker_export_data_bytes (opt->format, opt->bits, frames);
  Tap *mix = g_ptr_array_index (job->taps, 0);
  const char *name = mix->target != NULL ? mix->target : opt->stems_dir;

  if (bytes <= limit && !(opt->format == BUSKER_EXPORT_FLAC && frames >= (INT64_C (1) << 36)))
    return TRUE;
  if (opt->format == BUSKER_EXPORT_WAV)
    {
      job->rf64 = TRUE;
      if (name != NULL)
        job_warn (job, NULL,
                  g_strdup_printf ("%s: up to %.2f GiB of audio is more than a WAV file's "
                                   "4 GiB, so it is written as RF64 (the 64-bit WAV of "
                                   "EBU Tech 3306)", name, (double) bytes / (1 << 30)));
      return TRUE;
    }
  if (name == NULL)
    return TRUE;
  g_set_error (error, BUSKER_EXPORT_ERROR, BUSKER_EXPORT_ERROR_INPUT,
               "%s: %s cannot hold %.0f s of audio (%.2f GiB; it stops at 4 GiB); export "
               "as WAV (written as RF64) or FLAC, or a shorter range",
               name, opt->format == BUSKER_EXPORT_AIFF ? "AIFF" : "FLAC",
               (double) in_frames / job->in_rate, (double) bytes / (1 << 30));
  return FALSE;
}

void
busker_export_result_clear (BuskerExportResult *result)
{
  g_clear_pointer (&result->warnings, g_ptr_array_unref);
}

static void
json_string (GString *out, const char *s)
{
  if (s == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (; *s; s++)
    {
      unsigned char c = (unsigned char) *s;
      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

static void
json_seconds (GString *out, double s)
{
  if (isfinite (s))
    g_string_append_printf (out, "%.3f", s);
  else
    g_string_append (out, "null");
}

char *
busker_export_result_to_json (const BuskerExportResult *result)
{
  g_autofree char *report = busker_loudness_report_to_json (&result->report);
  GString *out = g_string_new (NULL);
  size_t len = strlen (report);

  /* The report is one object: reopen it before its closing brace. */
  g_string_append_len (out, report, (gssize) (len > 0 ? len - 1 : 0));
  g_string_append (out, ", \"warnings\": [");
  for (guint i = 0; result->warnings != NULL && i < result->warnings->len; i++)
    {
      const BuskerRenderWarning *w = g_ptr_array_index (result->warnings, i);
      g_string_append (out, i ? ", {\"strip\": " : "{\"strip\": ");
      json_string (out, w->strip_id);
      g_string_append (out, ", \"start_s\": ");
      json_seconds (out, w->start_s);
      g_string_append (out, ", \"end_s\": ");
      json_seconds (out, w->end_s);
      g_string_append (out, ", \"message\": ");
      json_string (out, w->message);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
}

gboolean
busker_export_run (const BuskerMixDesc *desc,
                   const char *out_path,
                   const BuskerExportOptions *options,
                   BuskerExportResult *result,
                   GError **error)
{
  g_autoptr (GPtrArray) taps = g_ptr_array_new_with_free_func ((GDestroyNotify) tap_free);
  g_autoptr (GPtrArray) warnings = NULL;
  g_autoptr (BuskerRender) render = NULL;
  g_autoptr (GError) local = NULL;
  Job job = { .opt = options, .taps = taps };
  BuskerExportResult local_result;
  g_autoptr (BuskerLoudness) meter = NULL;
  double ceiling_db = NAN;

  if (result == NULL)
    result = &local_result;
  memset (result, 0, sizeof *result);
  if (!check_options (desc, out_path, options, error))
    return FALSE;
  job.in_rate = desc->sample_rate;
  job.out_rate = choose_out_rate (desc, options);
  job.mix_name = out_path != NULL ? out_path : "the mix";
  job.spooled = options->normalize != BUSKER_NORMALIZE_NONE;
  job.warnings = g_ptr_array_new_with_free_func ((GDestroyNotify) busker_render_warning_free);
  g_autoptr (GPtrArray) job_warnings = job.warnings;

  render = job.render = busker_render_new (desc, &local);
  if (render == NULL)
    {
      take_engine_error (error, local);
      return FALSE;
    }
  if (!add_taps (&job, desc, out_path, error) || !check_targets (&job, error) ||
      !check_size (&job, error))
    return FALSE;
  if (options->analyze)
    meter = busker_loudness_new (job.out_rate, TRUE);

  /* Without normalization the render goes straight into the files. */
  for (guint t = 0; t < taps->len; t++)
    {
      Tap *tap = g_ptr_array_index (taps, t);
      gboolean wanted = tap->target != NULL || (tap->is_mix && options->analyze);
      if (job.spooled ? !open_spool (tap, error)
                      : wanted && !tap_open_output (&job, tap, 0.0, NAN,
                                                    tap->is_mix ? meter : NULL, error))
        return FALSE;
    }
  if (!render_pass (&job, error))
    return FALSE;

  if (job.spooled)
    {
      job.work_total = job.work_done + (double) job.frames *
                                         ((options->normalize == BUSKER_NORMALIZE_LUFS ? 2 : 1) +
                                          taps->len);
      if (!normalize (&job, result, &ceiling_db, error))
        return FALSE;
    }
  for (guint t = 0; t < taps->len; t++)
    {
      Tap *tap = g_ptr_array_index (taps, t);
      gboolean ok = TRUE;

      if (job.spooled && (tap->target != NULL || (tap->is_mix && options->analyze)))
        ok = tap_open_output (&job, tap, result->gain_db, ceiling_db,
                              tap->is_mix ? meter : NULL, error) &&
             run_spool (&job, tap, tap->chain, error);
      if (!tap_close_output (tap, ok, ok ? error : NULL))
        return FALSE;
      if (tap->clipped > 0)
        warn_clipped (&job, desc, tap);
    }
  if (meter != NULL)
    busker_loudness_report (meter, &result->report);
  result->frames = llround ((double) job.frames * job.out_rate / job.in_rate);
  result->rate_hz = job.out_rate;
  if (options->progress != NULL)
    options->progress (1.0, options->progress_data);
  if (!commit_targets (&job, error))
    return FALSE;

  /* What the render found, then the export's own notes. */
  warnings = busker_render_get_warnings (render);
  for (guint i = 0; i < job_warnings->len; i++)
    g_ptr_array_add (warnings, g_steal_pointer (&job_warnings->pdata[i]));
  if (warnings->len > 0)
    result->warnings = g_steal_pointer (&warnings);
  return TRUE;
}
