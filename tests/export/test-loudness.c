/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The loudness report against the reference numbers of EBU Tech 3341
 * (loudness, gating, true peak) and Tech 3342 (loudness range), and the
 * mono fold-down loss against the power sum worked out by hand. Every
 * signal is generated here. */
#include <math.h>
#include <string.h>

#include "engine/busker-loudness.h"

#define RATE 48000.0

typedef struct {
  double level_dbfs; /* peak of each channel's sine; -INFINITY is silence */
  double seconds;
} Segment;

/* Stereo 1 kHz sine segments, phase-continuous, right channel scaled. */
static void
feed_segments (BuskerLoudness *meter, const Segment *segs, size_t n_segs,
               double freq_hz, double right_gain, double phase0)
{
  float buf[2 * 512];
  uint64_t t = 0;

  for (size_t s = 0; s < n_segs; s++)
    {
      double amp = isfinite (segs[s].level_dbfs) ? pow (10.0, segs[s].level_dbfs / 20.0) : 0.0;
      uint64_t frames = (uint64_t) llround (segs[s].seconds * RATE);
      while (frames > 0)
        {
          size_t n = MIN (frames, (uint64_t) 512);
          for (size_t i = 0; i < n; i++, t++)
            {
              double x = amp * sin (2.0 * G_PI * freq_hz * (double) t / RATE + phase0);
              buf[2 * i] = (float) x;
              buf[2 * i + 1] = (float) (x * right_gain);
            }
          busker_loudness_add (meter, buf, n);
          frames -= n;
        }
    }
}

static BuskerLoudnessReport
measure (const Segment *segs, size_t n, double right_gain)
{
  g_autoptr (BuskerLoudness) meter = busker_loudness_new (RATE, TRUE);
  BuskerLoudnessReport r;
  feed_segments (meter, segs, n, 1000.0, right_gain, 0.0);
  busker_loudness_report (meter, &r);
  return r;
}

static void
test_integrated_3341 (void)
{
  /* Cases 1-5 of Tech 3341: all read -23.0 LUFS (case 2: -33.0). */
  const Segment c1[] = { { -23, 20 } };
  const Segment c2[] = { { -33, 20 } };
  const Segment c3[] = { { -36, 10 }, { -23, 60 }, { -36, 10 } };
  const Segment c4[] = { { -72, 10 }, { -36, 10 }, { -23, 60 }, { -36, 10 }, { -72, 10 } };
  const Segment c5[] = { { -26, 20 }, { -20, 20.1 }, { -26, 20 } };
  struct { const Segment *s; size_t n; double want; } cases[] = {
    { c1, G_N_ELEMENTS (c1), -23.0 },
    { c2, G_N_ELEMENTS (c2), -33.0 },
    { c3, G_N_ELEMENTS (c3), -23.0 },
    { c4, G_N_ELEMENTS (c4), -23.0 },
    { c5, G_N_ELEMENTS (c5), -23.0 },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      BuskerLoudnessReport r = measure (cases[i].s, cases[i].n, 1.0);
      g_test_message ("3341 case %zu: %.3f LUFS", i + 1, r.integrated_lufs);
      g_assert_cmpfloat_with_epsilon (r.integrated_lufs, cases[i].want, 0.1);
    }
}

static void
test_range_3342 (void)
{
  /* Cases 1-4 of Tech 3342. */
  const Segment c1[] = { { -20, 20 }, { -30, 20 } };
  const Segment c2[] = { { -20, 20 }, { -15, 20 } };
  const Segment c3[] = { { -40, 20 }, { -20, 20 } };
  const Segment c4[] = { { -50, 20 }, { -35, 20 }, { -20, 20 }, { -35, 20 }, { -50, 20 } };
  struct { const Segment *s; size_t n; double want; } cases[] = {
    { c1, G_N_ELEMENTS (c1), 10.0 },
    { c2, G_N_ELEMENTS (c2), 5.0 },
    { c3, G_N_ELEMENTS (c3), 20.0 },
    { c4, G_N_ELEMENTS (c4), 15.0 },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      BuskerLoudnessReport r = measure (cases[i].s, cases[i].n, 1.0);
      g_test_message ("3342 case %zu: %.3f LU", i + 1, r.loudness_range_lu);
      g_assert_cmpfloat_with_epsilon (r.loudness_range_lu, cases[i].want, 1.0);
    }
}

static void
test_true_peak (void)
{
  /* A sine at fs/4 sampled 45 degrees off its crest: the samples reach
   * only A/sqrt(2), the waveform reaches A. Tech 3341 allows +0.2/-0.4 dB. */
  g_autoptr (BuskerLoudness) meter = busker_loudness_new (RATE, FALSE);
  const Segment seg[] = { { -6.0, 2 } };
  BuskerLoudnessReport r;

  feed_segments (meter, seg, 1, RATE / 4.0, 1.0, G_PI / 4.0);
  busker_loudness_report (meter, &r);
  g_test_message ("true peak %.3f dBTP, sample peak %.3f dBFS",
                  r.true_peak_dbtp, r.sample_peak_dbfs);
  g_assert_cmpfloat (r.sample_peak_dbfs, >, -6.0 - 3.0103 - 0.01);
  g_assert_cmpfloat (r.sample_peak_dbfs, <, -6.0 - 3.0103 + 0.01);
  g_assert_cmpfloat (r.true_peak_dbtp, >=, -6.4);
  g_assert_cmpfloat (r.true_peak_dbtp, <=, -5.8);
}

static void
test_mono_loss (void)
{
  const Segment seg[] = { { -20, 10 } };

  /* Identical channels fold down without loss. */
  BuskerLoudnessReport same = measure (seg, 1, 1.0);
  g_assert_cmpfloat_with_epsilon (same.mono_loss_lu, 0.0, 0.01);

  /* One channel only: the fold has half the amplitude on two channels,
   * so half the power: 10 log10 2 = 3.01 LU. */
  BuskerLoudnessReport one = measure (seg, 1, 0.0);
  g_assert_cmpfloat_with_epsilon (one.mono_loss_lu, 3.0103, 0.02);

  /* Opposite polarity cancels completely. */
  BuskerLoudnessReport opposite = measure (seg, 1, -1.0);
  g_assert_true (isinf (opposite.mono_loss_lu) && opposite.mono_loss_lu > 0);
}

static void
test_json (void)
{
  /* A mix that cancels in mono: measurable, but the fold is silent. */
  BuskerLoudnessReport r = { -14.0, 6.5, -1.0, -1.5, INFINITY };
  g_autofree char *json = busker_loudness_report_to_json (&r);
  g_assert_cmpstr (json, ==,
                   "{\"integrated_lufs\": -14.00, \"loudness_range_lu\": 6.50, "
                   "\"true_peak_dbtp\": -1.00, \"sample_peak_dbfs\": -1.50, "
                   "\"mono_loss_lu\": null, \"silent\": false, \"mono_cancels\": true}");

  /* Silence: mono_loss_lu is null too, for the other reason. */
  BuskerLoudnessReport quiet = { -INFINITY, 0.0, -INFINITY, -INFINITY, NAN };
  g_autofree char *json_quiet = busker_loudness_report_to_json (&quiet);
  g_assert_cmpstr (json_quiet, ==,
                   "{\"integrated_lufs\": null, \"loudness_range_lu\": 0.00, "
                   "\"true_peak_dbtp\": null, \"sample_peak_dbfs\": null, "
                   "\"mono_loss_lu\": null, \"silent\": true, \"mono_cancels\": false}");

  /* The text report says which it is. */
  g_autofree char *text = busker_loudness_report_to_text (&r);
  g_assert_nonnull (strstr (text, "cancels completely"));
  g_autofree char *text_quiet = busker_loudness_report_to_text (&quiet);
  g_assert_null (strstr (text_quiet, "cancels"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/loudness/integrated-3341", test_integrated_3341);
  g_test_add_func ("/loudness/range-3342", test_range_3342);
  g_test_add_func ("/loudness/true-peak", test_true_peak);
  g_test_add_func ("/loudness/mono-loss", test_mono_loss);
  g_test_add_func ("/loudness/json", test_json);
  return g_test_run ();
}
