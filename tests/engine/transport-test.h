/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Helpers of the transport and recorder tests and the benchmark: noise
 * WAV files whose every sample is known (test_noise), reading a file back,
 * a mix of file tracks into a master,
 * and an audio-thread stand-in that waits for the disk thread instead of
 * counting an under-run (so a busy machine cannot fail a bit-exact test).
 */
#pragma once

#include <glib/gstdio.h>
#include <sndfile.h>

#include "engine-test.h"
#include "engine/busker-transport.h"
#include "test-tmpdir.h"

/* File frame i of channel c is test_noise (seed + c, i). */
static inline char *
transport_test_wav (const char *dir, const char *name, int rate, int channels,
                    sf_count_t frames, uint32_t seed)
{
  char *path = g_build_filename (dir, name, NULL);
  SF_INFO info = { .samplerate = rate, .channels = channels,
                   .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
  SNDFILE *f = sf_open (path, SFM_WRITE, &info);
  g_assert_nonnull (f);
  float *buf = g_new (float, 4096 * channels);
  for (sf_count_t done = 0; done < frames;)
    {
      sf_count_t n = MIN (4096, frames - done);
      for (sf_count_t i = 0; i < n; i++)
        for (int c = 0; c < channels; c++)
          buf[i * channels + c] = test_noise (seed + c, done + i);
      g_assert_cmpint (sf_writef_float (f, buf, n), ==, n);
      done += n;
    }
  g_free (buf);
  sf_close (f);
  return path;
}

/* The whole file, interleaved (g_free it); its header in *info. */
static inline float *
transport_test_read (const char *path, SF_INFO *info)
{
  memset (info, 0, sizeof *info);
  SNDFILE *f = sf_open (path, SFM_READ, info);
  g_assert_nonnull (f);
  float *frames = g_new (float, (size_t) MAX (info->frames, 1) * info->channels);
  g_assert_cmpint (sf_readf_float (f, frames, info->frames), ==, info->frames);
  sf_close (f);
  return frames;
}

/* n file tracks (paths[i], offsets[i] seconds) into a master (the last
 * strip); track i has id "t<i>". */
static inline BuskerMixDesc *
transport_test_desc (uint32_t n, char **paths, const double *offsets, double rate)
{
  BuskerMixDesc *d = busker_mix_desc_new (n + 1, rate);
  for (uint32_t i = 0; i < n; i++)
    {
      d->strips[i].id = g_strdup_printf ("t%u", i);
      d->strips[i].output = (int32_t) n;
      d->strips[i].source = BUSKER_SOURCE_FILE;
      d->strips[i].source_path = g_strdup (paths[i]);
      d->strips[i].source_offset_s = offsets != NULL ? offsets[i] : 0.0;
    }
  d->strips[n].id = g_strdup ("master");
  d->strips[n].kind = BUSKER_STRIP_MASTER;
  return d;
}

/* Waits until the disk thread has `want` frames ready (or 10 s passed,
 * which fails the comparison that follows, never hangs). */
static inline void
transport_test_wait (BuskerTransport *t, uint32_t want)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (busker_transport_get_buffered_frames (t) < want && g_get_monotonic_time () < deadline)
    g_usleep (100);
}

static inline void
transport_test_rmdir (char *dir)
{
  test_remove_tree (dir);
  g_free (dir);
}
