/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The transport with 64 file tracks (16-bit stereo WAV, 10 s, looped; a
 * quarter of them 44.1 kHz, so resampled to the 48 kHz graph): the disk
 * thread's CPU per second of audio (its share of one core when playing
 * in real time) and the audio thread's cost of busker_transport_fill per
 * 256-frame block, and how long a seek takes to sound. The audio side
 * plays as fast as the disk thread keeps up, but in real time while a
 * seek is under way. Prints figures; asserts nothing about time.
 *
 *   meson test -C build --benchmark --suite engine --print-errorlogs -v transport
 */
#include <stdio.h>
#include <time.h>

#include "engine/transport-test.h"

#define RATE 48000
#define N_TRACKS 64
#define N_FILES 16
#define BLOCK 256
#define FILE_S 10
#define PLAY_S 60

static double
clock_ns (clockid_t id)
{
  struct timespec ts;
  clock_gettime (id, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double
now_ns (void)
{
  return clock_ns (CLOCK_MONOTONIC);
}

static char *
write_pcm16 (const char *dir, int i, int rate)
{
  char *path = g_strdup_printf ("%s/file%02d.wav", dir, i);
  SF_INFO info = { .samplerate = rate, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
  SNDFILE *f = sf_open (path, SFM_WRITE, &info);
  g_assert_nonnull (f);
  float buf[2 * 4096];
  for (int64_t done = 0; done < (int64_t) FILE_S * rate; done += 4096)
    {
      for (int k = 0; k < 2 * 4096; k++)
        buf[k] = 0.5f * test_noise (i * 2 + k % 2, (uint64_t) (done * 2 + k));
      sf_writef_float (f, buf, 4096);
    }
  sf_close (f);
  return path;
}

int
main (void)
{
  g_autofree char *dir = g_dir_make_tmp ("busker-bench-transport-XXXXXX", NULL);
  char *files[N_FILES], *paths[N_TRACKS];
  for (int i = 0; i < N_FILES; i++)
    files[i] = write_pcm16 (dir, i, i % 4 == 3 ? 44100 : RATE);
  for (int t = 0; t < N_TRACKS; t++)
    paths[t] = files[t % N_FILES];

  g_autoptr (BuskerMixDesc) desc = transport_test_desc (N_TRACKS, paths, NULL, RATE);
  g_autoptr (GError) error = NULL;
  BuskerPlan *plan = busker_plan_new (desc, BLOCK, &error);
  g_assert_no_error (error);

  double t0 = now_ns ();
  BuskerTransport *t = busker_transport_new (RATE, BLOCK);
  busker_transport_bind (t, desc, plan);
  double bind_ms = (now_ns () - t0) * 1e-6;
  busker_transport_set_loop (t, true);
  busker_transport_play (t);

  const int64_t blocks = (int64_t) PLAY_S * RATE / BLOCK;
  double cpu0 = busker_transport_get_disk_cpu_s (t), wall0 = now_ns ();
  double fill_sum = 0.0, fill_max = 0.0, seek_at = 0.0, seek_sum = 0.0;
  int n_seeks = 0;
  for (int64_t b = 0; b < blocks; b++)
    {
      /* Every 5 s of audio, a seek; its latency is request to sound. */
      if (b % (5 * RATE / BLOCK) == 0 && b > 0)
        {
          busker_transport_seek (t, (b / 7 % FILE_S) + 0.123);
          seek_at = now_ns ();
        }
      if (seek_at == 0.0)
        transport_test_wait (t, BLOCK);
      else if (!busker_transport_is_seeking (t))
        {
          seek_sum += now_ns () - seek_at;
          n_seeks++;
          seek_at = 0.0;
        }
      else
        g_usleep (BLOCK * 1000000 / RATE); /* real-time cycles while seeking */
      /* CPU time of this thread: the machine's other load is not the
       * fill's cost. */
      double a = clock_ns (CLOCK_THREAD_CPUTIME_ID);
      busker_transport_fill (t, plan, BLOCK);
      double ns = clock_ns (CLOCK_THREAD_CPUTIME_ID) - a;
      fill_sum += ns;
      fill_max = MAX (fill_max, ns);
    }
  double wall_s = (now_ns () - wall0) * 1e-9;
  double cpu_s = busker_transport_get_disk_cpu_s (t) - cpu0;
  uint32_t underruns = busker_transport_read_underruns (t);

  const double period_ns = 1e9 * BLOCK / RATE;
  printf ("transport, %d file tracks (%d resampled 44.1 -> 48 kHz), %d s of audio:\n",
          N_TRACKS, N_TRACKS / 4, PLAY_S);
  printf ("  bind (open, prefill): %.0f ms\n", bind_ms);
  printf ("  disk thread: %.2f s CPU for %d s of audio = %.1f %% of one core in real time"
          " (played %.1fx real time)\n", cpu_s, PLAY_S, 100.0 * cpu_s / PLAY_S, PLAY_S / wall_s);
  printf ("  fill per %d-frame block (thread CPU time): mean %.1f us, max %.1f us"
          " = %.2f %% (max %.1f %%) of the %.2f ms period\n",
          BLOCK, fill_sum / blocks * 1e-3, fill_max * 1e-3, 100.0 * fill_sum / blocks / period_ns,
          100.0 * fill_max / period_ns, period_ns * 1e-6);
  printf ("  seek, request to the new place sounding: mean %.1f ms over %d seeks"
          " (at real-time cycles, including the 5 ms fade-out)\n",
          seek_sum / MAX (n_seeks, 1) * 1e-6, n_seeks);
  printf ("  under-runs: %u\n", underruns);

  /* Idle: paused, then no audio thread at all (no daemon, idle graph). */
  busker_transport_pause (t);
  for (int i = 0; i < 10; i++)
    busker_transport_fill (t, plan, BLOCK);
  g_usleep (G_USEC_PER_SEC); /* the ring tops up first */
  double idle0 = busker_transport_get_disk_cpu_s (t);
  g_usleep (2 * G_USEC_PER_SEC);
  printf ("  disk thread idle (paused, no fill calls): %.2f ms CPU per second\n",
          (busker_transport_get_disk_cpu_s (t) - idle0) / 2 * 1e3);

  busker_plan_free (plan);
  busker_transport_free (t);
  for (int i = 0; i < N_FILES; i++)
    g_free (files[i]);
  transport_test_rmdir (g_steal_pointer (&dir));
  return 0;
}
