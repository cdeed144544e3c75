/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The audio import contract, checked on any bytes: written to a file and
 * opened as the file source of a track, they either make
 * busker_render_new fail with one BUSKER_ENGINE_ERROR sentence naming the
 * file, or render: every block either succeeds with a finite master
 * output or fails with such a sentence. At most 4 s of the project
 * timeline are rendered, so a header that promises hours costs nothing;
 * hangs and reads past a buffer are the fuzzer's and AddressSanitizer's
 * to find. The project rate (44.1, 48 or 96 kHz) comes from the input's
 * length, so the same bytes also go through the resampler.
 */
#pragma once

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "engine/busker-render.h"

static inline void
fuzz_audio_fail (const char *what, const char *detail)
{
  /* abort (), not g_error (): libFuzzer keeps the input on SIGABRT. */
  g_printerr ("fuzz-audio: %s: %s\n", what, detail);
  abort ();
}

static inline void
fuzz_audio_check_error (const GError *error, const char *path)
{
  if (error == NULL)
    fuzz_audio_fail ("failure without an error", path);
  if (error->domain != BUSKER_ENGINE_ERROR)
    fuzz_audio_fail ("error outside BUSKER_ENGINE_ERROR", error->message);
  if (strstr (error->message, path) == NULL)
    fuzz_audio_fail ("the error does not name the file", error->message);
}

/* Returns the number of frames rendered (0 when refused). */
static inline int64_t
busker_fuzz_audio_check (const uint8_t *data, size_t size)
{
  static const double rates[] = { 44100, 48000, 96000 };
  g_autofree char *path = g_strdup_printf ("%s/busker-fuzz-audio-%d.wav",
                                           g_get_tmp_dir (), (int) getpid ());
  GError *error = NULL;
  int64_t rendered = 0;

  if (!g_file_set_contents (path, (const char *) data, (gssize) size, &error))
    fuzz_audio_fail ("cannot write the input", error->message);

  g_autoptr (BuskerMixDesc) d = busker_mix_desc_new (2, rates[size % 3]);
  d->strips[0].id = g_strdup ("track");
  d->strips[0].output = 1;
  d->strips[0].source = BUSKER_SOURCE_FILE;
  d->strips[0].source_path = g_strdup (path);
  d->strips[1].id = g_strdup ("master");
  d->strips[1].kind = BUSKER_STRIP_MASTER;

  BuskerRender *render = busker_render_new (d, &error);
  if (render == NULL)
    {
      fuzz_audio_check_error (error, path);
      g_error_free (error);
      g_unlink (path);
      return 0;
    }
  const int64_t length = busker_render_source_length (render);
  const int64_t limit = MIN (length, (int64_t) (4 * d->sample_rate));
  const uint32_t block = busker_render_max_block (render);
  if (length < 0)
    fuzz_audio_fail ("negative source length", path);
  while (rendered < limit)
    {
      if (!busker_render_process (render, block, &error))
        {
          fuzz_audio_check_error (error, path);
          g_clear_error (&error);
          break;
        }
      for (int c = 0; c < 2; c++)
        {
          const float *out = busker_render_strip_output (render, 1, c);
          for (uint32_t i = 0; i < block; i++)
            if (!isfinite (out[i]))
              fuzz_audio_fail ("non-finite master output", path);
        }
      rendered += block;
    }
  busker_render_free (render);
  g_unlink (path);
  return rendered;
}
