/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Loudness analysis on libebur128.
 *
 * Decisions:
 * - One ebur128 state does integrated loudness, loudness range, sample and
 *   true peak of the stereo signal (true peak is libebur128's oversampled
 *   estimate, the BS.1770-4 method).
 * - The mono fold-down is measured the way a mono playback system hears
 *   it: (L+R)/2 sent to both channels, so an in-phase centred source loses
 *   nothing and out-of-phase content shows up as a loss in LU.
 * - The light meter (analysis of every strip of a mix) leaves out loudness
 *   range and true peak, the expensive parts, and meters a signal made of
 *   two identical channels, or the mono fold-down, as one channel that
 *   counts twice (libebur128's dual mono): the same loudness, gating
 *   included, for half the filtering. Its short-term maximum is
 *   read as libebur128's loudness of consecutive 375 ms windows, eight of
 *   which make exactly the 3 s short-term window: the mean of their
 *   energies is the short-term loudness every 375 ms. Reading
 *   ebur128_loudness_shortterm that often would sum the whole 3 s of
 *   filtered audio at every read, which costs more than the filter.
 * - Values that do not exist (silence) stay -INFINITY/NAN here; the JSON
 *   writer turns them into null because JSON has no infinity.
 * - A null mono_loss_lu has two meanings, so the JSON says which: "silent"
 *   (every sample of the mix is zero: nothing to measure) or
 *   "mono_cancels" (the stereo mix is measurable, but (L+R)/2 is silent or
 *   under the -70 LUFS gate: the mix disappears in mono, an infinite loss).
 *   The text report says "cancels completely" for the second.
 */
#include "busker-loudness.h"

#include <ebur128.h>
#include <math.h>

enum { MONO_CHUNK = 1024, SHORT_TERM_WINDOWS = 8, SHORT_TERM_WINDOW_MS = 375 };

struct _BuskerLoudness {
  ebur128_state *stereo;
  ebur128_state *mono; /* NULL without the fold-down meter */
  float fold[2 * MONO_CHUNK];
  float interleaved[2 * MONO_CHUNK]; /* busker_loudness_add_planar */
  gboolean light;
  gboolean dual_mono;      /* light: one channel stands for both */
  gboolean no_integrated;  /* light: short-term maximum only */
  int64_t hop_frames;      /* short-term: frames per window, 0 when off */
  int64_t since_read;
  double window_energy[SHORT_TERM_WINDOWS]; /* the last windows, a ring */
  unsigned n_windows;
  double short_term_max;
};

BuskerLoudness *
busker_loudness_new (double sample_rate, gboolean with_mono)
{
  BuskerLoudness *self = g_new0 (BuskerLoudness, 1);
  unsigned long rate = (unsigned long) lround (sample_rate);

  self->stereo = ebur128_init (2, rate,
                               EBUR128_MODE_I | EBUR128_MODE_LRA |
                               EBUR128_MODE_SAMPLE_PEAK | EBUR128_MODE_TRUE_PEAK);
  if (with_mono)
    self->mono = ebur128_init (2, rate, EBUR128_MODE_I);
  if (self->stereo == NULL || (with_mono && self->mono == NULL))
    g_error ("libebur128 could not allocate a meter at %lu Hz", rate);
  return self;
}

/* One or two channels; one counts twice (libebur128's dual mono), the
 * loudness of a pair of identical channels. */
static ebur128_state *
light_state (unsigned long rate, unsigned channels, int mode)
{
  ebur128_state *st = ebur128_init (channels, rate, mode);
  if (st == NULL || (channels == 1 && ebur128_set_channel (st, 0, EBUR128_DUAL_MONO) != EBUR128_SUCCESS))
    g_error ("libebur128 could not allocate a meter at %lu Hz", rate);
  return st;
}

BuskerLoudness *
busker_loudness_new_light (double sample_rate, BuskerLoudnessFlags flags)
{
  BuskerLoudness *self = g_new0 (BuskerLoudness, 1);
  unsigned long rate = (unsigned long) lround (sample_rate);

  self->light = TRUE;
  self->dual_mono = (flags & BUSKER_LOUDNESS_DUAL_MONO) != 0;
  /* Without integrated loudness libebur128 skips its gating blocks (a sum
   * over 400 ms every 100 ms): momentary mode is the filter alone. */
  self->stereo = light_state (rate, self->dual_mono ? 1 : 2,
                              flags & BUSKER_LOUDNESS_SHORT_TERM_ONLY ? EBUR128_MODE_M
                                                                      : EBUR128_MODE_I);
  if (flags & BUSKER_LOUDNESS_WITH_MONO)
    self->mono = light_state (rate, 1, EBUR128_MODE_I);
  self->hop_frames = flags & (BUSKER_LOUDNESS_SHORT_TERM | BUSKER_LOUDNESS_SHORT_TERM_ONLY)
                       ? (int64_t) rate * SHORT_TERM_WINDOW_MS / 1000 : 0;
  self->no_integrated = (flags & BUSKER_LOUDNESS_SHORT_TERM_ONLY) != 0;
  self->short_term_max = -INFINITY;
  return self;
}

void
busker_loudness_free (BuskerLoudness *self)
{
  if (self == NULL)
    return;
  ebur128_destroy (&self->stereo);
  if (self->mono != NULL)
    ebur128_destroy (&self->mono);
  g_free (self);
}

void
busker_loudness_add (BuskerLoudness *self, const float *frames, size_t n)
{
  ebur128_add_frames_float (self->stereo, frames, n);
  if (self->mono == NULL)
    return;
  for (size_t done = 0; done < n;)
    {
      size_t chunk = MIN (n - done, (size_t) MONO_CHUNK);
      const float *in = frames + 2 * done;
      for (size_t i = 0; i < chunk; i++)
        {
          float m = 0.5f * (in[2 * i] + in[2 * i + 1]);
          self->fold[2 * i] = m;
          self->fold[2 * i + 1] = m;
        }
      ebur128_add_frames_float (self->mono, self->fold, chunk);
      done += chunk;
    }
}

/* A light meter's input (interleaved, or one channel when dual mono),
 * split where a short-term window ends. */
static void
add_light (BuskerLoudness *self, const float *frames, size_t n)
{
  unsigned channels = self->dual_mono ? 1 : 2;

  while (n > 0)
    {
      size_t chunk = n;
      double value, sum = 0.0;

      if (self->hop_frames > 0)
        chunk = MIN (n, (size_t) (self->hop_frames - self->since_read));
      ebur128_add_frames_float (self->stereo, frames, chunk);
      frames += channels * chunk;
      n -= chunk;
      if (self->hop_frames == 0)
        continue;
      self->since_read += (int64_t) chunk;
      if (self->since_read < self->hop_frames)
        continue;
      self->since_read = 0;
      /* Loudness back to mean square: BS.1770 puts -0.691 dB on top. */
      if (ebur128_loudness_window (self->stereo, SHORT_TERM_WINDOW_MS, &value) != EBUR128_SUCCESS)
        continue;
      self->window_energy[self->n_windows++ % SHORT_TERM_WINDOWS] =
        value > -HUGE_VAL ? pow (10.0, (value + 0.691) / 10.0) : 0.0;
      if (self->n_windows < SHORT_TERM_WINDOWS)
        continue;
      for (unsigned w = 0; w < SHORT_TERM_WINDOWS; w++)
        sum += self->window_energy[w];
      if (sum > 0.0)
        self->short_term_max = MAX (self->short_term_max,
                                    -0.691 + 10.0 * log10 (sum / SHORT_TERM_WINDOWS));
    }
}

void
busker_loudness_add_planar (BuskerLoudness *self, const float *left, const float *right,
                            size_t n)
{
  if (self->light && self->dual_mono)
    {
      add_light (self, left, n);
      return;
    }
  for (size_t done = 0; done < n;)
    {
      size_t chunk = MIN (n - done, (size_t) MONO_CHUNK);
      const float *l = left + done, *r = right + done;
      for (size_t i = 0; i < chunk; i++)
        {
          self->interleaved[2 * i] = l[i];
          self->interleaved[2 * i + 1] = r[i];
        }
      if (!self->light)
        busker_loudness_add (self, self->interleaved, chunk);
      else
        {
          add_light (self, self->interleaved, chunk);
          if (self->mono != NULL)
            {
              for (size_t i = 0; i < chunk; i++)
                self->fold[i] = 0.5f * (l[i] + r[i]);
              ebur128_add_frames_float (self->mono, self->fold, chunk);
            }
        }
      done += chunk;
    }
}

double
busker_loudness_get_integrated (BuskerLoudness *self)
{
  double value;
  if (self->no_integrated)
    return NAN;
  if (ebur128_loudness_global (self->stereo, &value) == EBUR128_SUCCESS && value > -HUGE_VAL)
    return value;
  return -INFINITY;
}

double
busker_loudness_get_short_term_max (BuskerLoudness *self)
{
  return self->short_term_max;
}

static double
db_of (double amplitude)
{
  return amplitude > 0.0 ? 20.0 * log10 (amplitude) : -INFINITY;
}

void
busker_loudness_report (BuskerLoudness *self, BuskerLoudnessReport *report)
{
  double tp = 0.0, sp = 0.0, value;

  report->integrated_lufs = self->no_integrated ? NAN : -INFINITY;
  if (!self->no_integrated && ebur128_loudness_global (self->stereo, &value) == EBUR128_SUCCESS)
    report->integrated_lufs = value;
  report->loudness_range_lu = 0.0;
  if (!self->light && ebur128_loudness_range (self->stereo, &value) == EBUR128_SUCCESS)
    report->loudness_range_lu = value;
  for (unsigned c = 0; !self->light && c < 2; c++)
    {
      if (ebur128_true_peak (self->stereo, c, &value) == EBUR128_SUCCESS)
        tp = MAX (tp, value);
      if (ebur128_sample_peak (self->stereo, c, &value) == EBUR128_SUCCESS)
        sp = MAX (sp, value);
    }
  report->true_peak_dbtp = db_of (tp);
  report->sample_peak_dbfs = db_of (sp);

  report->mono_loss_lu = NAN;
  if (self->mono != NULL &&
      isfinite (report->integrated_lufs) &&
      ebur128_loudness_global (self->mono, &value) == EBUR128_SUCCESS)
    report->mono_loss_lu = isfinite (value)
                             ? report->integrated_lufs - value
                             : INFINITY;
}

static void
append_number (GString *out, const char *key, double value, gboolean json)
{
  if (json)
    {
      if (isfinite (value))
        g_string_append_printf (out, "\"%s\": %.2f", key, value);
      else
        g_string_append_printf (out, "\"%s\": null", key);
      return;
    }
  if (isfinite (value))
    g_string_append_printf (out, "%.1f", value);
  else if (isnan (value))
    g_string_append (out, "n/a");
  else
    g_string_append (out, value > 0 ? "inf" : "-inf");
}

gboolean
busker_loudness_report_is_silent (const BuskerLoudnessReport *r)
{
  return !isfinite (r->sample_peak_dbfs);
}

gboolean
busker_loudness_report_mono_cancels (const BuskerLoudnessReport *r)
{
  return isfinite (r->integrated_lufs) && r->mono_loss_lu == INFINITY;
}

char *
busker_loudness_report_to_json (const BuskerLoudnessReport *r)
{
  GString *out = g_string_new ("{");
  append_number (out, "integrated_lufs", r->integrated_lufs, TRUE);
  g_string_append (out, ", ");
  append_number (out, "loudness_range_lu", r->loudness_range_lu, TRUE);
  g_string_append (out, ", ");
  append_number (out, "true_peak_dbtp", r->true_peak_dbtp, TRUE);
  g_string_append (out, ", ");
  append_number (out, "sample_peak_dbfs", r->sample_peak_dbfs, TRUE);
  g_string_append (out, ", ");
  append_number (out, "mono_loss_lu", r->mono_loss_lu, TRUE);
  g_string_append_printf (out, ", \"silent\": %s, \"mono_cancels\": %s}",
                          busker_loudness_report_is_silent (r) ? "true" : "false",
                          busker_loudness_report_mono_cancels (r) ? "true" : "false");
  return g_string_free (out, FALSE);
}

char *
busker_loudness_report_to_text (const BuskerLoudnessReport *r)
{
  static const struct { const char *label; const char *unit; size_t offset; } rows[] = {
    { "Integrated loudness", "LUFS", G_STRUCT_OFFSET (BuskerLoudnessReport, integrated_lufs) },
    { "Loudness range", "LU", G_STRUCT_OFFSET (BuskerLoudnessReport, loudness_range_lu) },
    { "True peak", "dBTP", G_STRUCT_OFFSET (BuskerLoudnessReport, true_peak_dbtp) },
    { "Sample peak", "dBFS", G_STRUCT_OFFSET (BuskerLoudnessReport, sample_peak_dbfs) },
    { "Mono fold-down loss", "LU", G_STRUCT_OFFSET (BuskerLoudnessReport, mono_loss_lu) },
  };
  GString *out = g_string_new (NULL);

  for (size_t i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_string_append_printf (out, "%-21s ", rows[i].label);
      if (i == G_N_ELEMENTS (rows) - 1 && busker_loudness_report_mono_cancels (r))
        {
          g_string_append (out, "cancels completely (the mix is silent in mono)\n");
          continue;
        }
      append_number (out, rows[i].label,
                     G_STRUCT_MEMBER (double, r, rows[i].offset), FALSE);
      g_string_append_printf (out, " %s\n", rows[i].unit);
    }
  return g_string_free (out, FALSE);
}
