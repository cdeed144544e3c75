/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Generates the stems of the demo session at build time, so no binary
 * audio lives in the repository: 16 bars of Am-F-C-G at 128 BPM (30 s),
 * eight tracks: kick, snare, hats, bass, keys, pad (stereo), lead, and a
 * "vocal": a sawtooth through three formant band-passes that glide
 * between vowels while it sings the tune.
 *
 * Deterministic (fixed noise seed), plain C with libsndfile and libm.
 * Usage: busker-demo-synth OUTDIR
 */
#include <math.h>
#include <sndfile.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000
#define BPM 128.0
#define BARS 16
#define BEAT_S (60.0 / BPM)
#define TOTAL_S (BARS * 4 * BEAT_S)
#define N_FRAMES ((size_t) (TOTAL_S * RATE) + RATE / 2)

static const double TAU = 6.283185307179586;

typedef struct {
  float *data; /* interleaved */
  int channels;
} Stem;

static uint32_t noise_state = 0x12345678u;

static double
noise (void)
{
  noise_state ^= noise_state << 13;
  noise_state ^= noise_state >> 17;
  noise_state ^= noise_state << 5;
  return (double) noise_state / 2147483648.0 - 1.0;
}

static double
mtof (double midi)
{
  return 440.0 * pow (2.0, (midi - 69.0) / 12.0);
}

/* RBJ cookbook biquad, transposed direct form II. */
typedef struct {
  double b0, b1, b2, a1, a2, z1, z2;
} Biquad;

typedef enum { LP, HP, BP } FilterType;

static void
biquad_set (Biquad *f, FilterType type, double freq, double q)
{
  double w = TAU * freq / RATE, cw = cos (w), alpha = sin (w) / (2.0 * q);
  double a0 = 1.0 + alpha;

  switch (type)
    {
    case LP:
      f->b0 = f->b2 = (1.0 - cw) / 2.0;
      f->b1 = 1.0 - cw;
      break;
    case HP:
      f->b0 = f->b2 = (1.0 + cw) / 2.0;
      f->b1 = -(1.0 + cw);
      break;
    case BP: /* constant 0 dB peak gain */
      f->b0 = alpha;
      f->b1 = 0.0;
      f->b2 = -alpha;
      break;
    }
  f->b0 /= a0;
  f->b1 /= a0;
  f->b2 /= a0;
  f->a1 = -2.0 * cw / a0;
  f->a2 = (1.0 - alpha) / a0;
}

static double
biquad_run (Biquad *f, double x)
{
  double y = f->b0 * x + f->z1;
  f->z1 = f->b1 * x - f->a1 * y + f->z2;
  f->z2 = f->b2 * x - f->a2 * y;
  return y;
}

/* Band-limited enough for a demo: a naive saw with a one-sample polyBLEP. */
static double
saw (double *phase, double inc)
{
  double t = *phase, y = 2.0 * t - 1.0;
  if (t < inc)
    {
      double u = t / inc;
      y -= u + u - u * u - 1.0;
    }
  else if (t > 1.0 - inc)
    {
      double u = (t - 1.0) / inc;
      y -= u * u + u + u + 1.0;
    }
  *phase += inc;
  if (*phase >= 1.0)
    *phase -= 1.0;
  return y;
}

static size_t
at (double beats)
{
  return (size_t) (beats * BEAT_S * RATE);
}

static void
add (Stem *s, size_t frame, double left, double right)
{
  if (frame >= N_FRAMES)
    return;
  if (s->channels == 1)
    s->data[frame] += (float) left;
  else
    {
      s->data[2 * frame] += (float) left;
      s->data[2 * frame + 1] += (float) right;
    }
}

/* ---- the song ---- */

/* Am F C G: bass roots and close voicings with smooth voice leading. */
static const int bass_root[4] = { 45, 41, 48, 43 };
static const int chord[4][3] = { { 57, 60, 64 }, { 57, 60, 65 }, { 55, 60, 64 }, { 55, 59, 62 } };

static int
chord_of_bar (int bar)
{
  return bar % 4;
}

static void
kick (Stem *s, double beat, double vel)
{
  size_t start = at (beat), n = (size_t) (0.45 * RATE);
  double phase = 0.0;
  for (size_t i = 0; i < n; i++)
    {
      double t = (double) i / RATE;
      double f = 45.0 + 110.0 * exp (-t / 0.035);
      double env = exp (-t / 0.22);
      phase += f / RATE;
      double click = i < 96 ? 0.3 * noise () * (1.0 - i / 96.0) : 0.0;
      add (s, start + i, vel * (env * sin (TAU * phase) + click), 0);
    }
}

static void
snare (Stem *s, double beat, double vel)
{
  size_t start = at (beat), n = (size_t) (0.3 * RATE);
  Biquad hp = { 0 };
  biquad_set (&hp, HP, 1200.0, 0.7);
  for (size_t i = 0; i < n; i++)
    {
      double t = (double) i / RATE;
      double body = 0.5 * sin (TAU * 185.0 * t) * exp (-t / 0.05);
      double rattle = 0.8 * biquad_run (&hp, noise ()) * exp (-t / 0.09);
      add (s, start + i, vel * (body + rattle), 0);
    }
}

static void
hat (Stem *s, double beat, double vel, double decay_s)
{
  size_t start = at (beat), n = (size_t) (decay_s * 6.0 * RATE);
  Biquad hp1 = { 0 }, hp2 = { 0 };
  biquad_set (&hp1, HP, 7000.0, 0.7);
  biquad_set (&hp2, HP, 7000.0, 0.7);
  for (size_t i = 0; i < n; i++)
    {
      double t = (double) i / RATE;
      add (s, start + i, vel * biquad_run (&hp2, biquad_run (&hp1, noise ())) * exp (-t / decay_s), 0);
    }
}

static void
bass_note (Stem *s, double beat, double beats, int midi, double vel)
{
  size_t start = at (beat), n = at (beats);
  double phase = 0.0, inc = mtof (midi) / RATE;
  Biquad lp = { 0 };
  for (size_t i = 0; i < n + RATE / 50; i++)
    {
      double t = (double) i / RATE;
      double env = (i < n ? 1.0 : exp (-(double) (i - n) / (0.004 * RATE))) * (1.0 - exp (-t / 0.003));
      if (i % 32 == 0)
        biquad_set (&lp, LP, 180.0 + 1400.0 * exp (-t / 0.08), 1.2);
      double x = saw (&phase, inc) + 0.6 * sin (TAU * phase);
      add (s, start + i, vel * env * biquad_run (&lp, x), 0);
    }
}

/* Two-operator FM electric piano: a bell that fades to a sine. */
static void
keys_chord (Stem *s, double beat, double beats, const int *notes, double vel)
{
  size_t start = at (beat), n = at (beats) + RATE / 4;
  for (int k = 0; k < 3; k++)
    {
      double f = mtof (notes[k] + 12);
      for (size_t i = 0; i < n; i++)
        {
          double t = (double) i / RATE;
          double index = 2.2 * exp (-t / 0.15);
          double env = exp (-t / 0.6) * (i < n - RATE / 4 ? 1.0 : exp (-(double) (i - (n - RATE / 4)) / (0.03 * RATE)));
          double y = sin (TAU * f * t + index * sin (TAU * f * t));
          add (s, start + i, vel * 0.33 * env * y, 0);
        }
    }
}

static void
pad_chord (Stem *s, double beat, double beats, const int *notes, double vel)
{
  size_t start = at (beat), n = at (beats), release = (size_t) (0.5 * RATE);
  static const double detune_cents[2][3] = { { -9.0, 0.0, 6.0 }, { -5.0, 2.0, 11.0 } };
  for (int ch = 0; ch < 2; ch++)
    {
      Biquad lp = { 0 };
      double phase[3][3] = { { 0.1, 0.5, 0.8 }, { 0.3, 0.7, 0.2 }, { 0.9, 0.4, 0.6 } };
      biquad_set (&lp, LP, 1400.0, 0.8);
      for (size_t i = 0; i < n + release; i++)
        {
          double t = (double) i / RATE;
          double env = (1.0 - exp (-t / 0.35)) *
                       (i < n ? 1.0 : exp (-(double) (i - n) / (0.12 * RATE)));
          double x = 0.0;
          for (int k = 0; k < 3; k++)
            for (int d = 0; d < 3; d++)
              x += saw (&phase[k][d], mtof (notes[k] + detune_cents[ch][d] / 100.0) / RATE);
          double y = vel * env * biquad_run (&lp, x) / 9.0;
          if (start + i < N_FRAMES)
            s->data[2 * (start + i) + ch] += (float) y;
        }
    }
}

static void
lead_note (Stem *s, double beat, double beats, int midi, double vel)
{
  size_t start = at (beat), n = at (beats);
  double phase = 0.0, phase2 = 0.37;
  Biquad lp = { 0 };
  biquad_set (&lp, LP, 3200.0, 0.9);
  for (size_t i = 0; i < n + RATE / 10; i++)
    {
      double t = (double) i / RATE;
      double vib = 1.0 + 0.004 * sin (TAU * 5.0 * t) * (1.0 - exp (-t / 0.3));
      double inc = mtof (midi) * vib / RATE;
      double env = (1.0 - exp (-t / 0.01)) * exp (-t / 0.9) *
                   (i < n ? 1.0 : exp (-(double) (i - n) / (0.02 * RATE)));
      /* A pulse from two saws half a cycle apart. */
      double x = saw (&phase, inc) - saw (&phase2, inc);
      add (s, start + i, vel * env * 0.5 * biquad_run (&lp, x), 0);
    }
}

/* Formants (Hz) and relative levels of five sung vowels. */
static const double vowel_formants[5][3] = {
  { 800, 1150, 2900 }, /* a */
  { 400, 1600, 2700 }, /* e */
  { 350, 1900, 2800 }, /* i */
  { 450, 800, 2830 },  /* o */
  { 325, 700, 2530 },  /* u */
};
static const double formant_gain[3] = { 1.0, 0.5, 0.25 };

typedef struct {
  double beat, beats;
  int midi;
  int vowel;
} Note;

static void
vocal_phrase (Stem *s, const Note *notes, size_t count, double vel)
{
  /* One continuous voice: pitch and vowel glide from note to note. */
  size_t first = at (notes[0].beat);
  size_t last = at (notes[count - 1].beat + notes[count - 1].beats);
  double phase = 0.0, pitch = notes[0].midi, f[3], env = 0.0;
  Biquad bp[3] = { { 0 } };
  size_t k = 0;

  for (int j = 0; j < 3; j++)
    f[j] = vowel_formants[notes[0].vowel][j];
  for (size_t i = first; i < last + RATE / 5; i++)
    {
      double beat_now = (double) i / RATE / BEAT_S;
      while (k + 1 < count && beat_now >= notes[k + 1].beat)
        k++;
      const Note *nt = &notes[k];
      double in_note = (beat_now - nt->beat) * BEAT_S;
      double note_end = nt->beat + nt->beats;
      int gap = k + 1 < count && notes[k + 1].beat > note_end + 1e-9;
      double gate = beat_now < note_end ? 1.0 : 0.0;
      double t = (double) (i - first) / RATE;

      pitch += (nt->midi - pitch) * 0.0025; /* portamento, ~8 ms */
      for (int j = 0; j < 3; j++)
        f[j] += (vowel_formants[nt->vowel][j] - f[j]) * 0.0008;
      if ((i - first) % 16 == 0)
        for (int j = 0; j < 3; j++)
          biquad_set (&bp[j], BP, f[j], 6.0 + 2.0 * j);

      double vib = 0.25 * sin (TAU * 5.5 * t) * fmin (1.0, in_note / 0.4);
      double src = saw (&phase, mtof (pitch + vib) / RATE) + 0.05 * noise ();
      double y = 0.0;
      for (int j = 0; j < 3; j++)
        y += formant_gain[j] * biquad_run (&bp[j], src);

      double target = (gate > 0.0 || !gap) && beat_now < notes[count - 1].beat + notes[count - 1].beats ? 1.0 : 0.0;
      env += (target - env) * (target > env ? 0.004 : 0.0015);
      add (s, i, vel * 3.0 * env * y, 0);
    }
}

static const Note verse[] = {
  /* bar 4: Am */ { 16.0, 1.5, 69, 0 }, { 17.5, 0.5, 67, 1 }, { 18.0, 2.0, 64, 3 },
  /* bar 5: F  */ { 20.0, 1.0, 65, 0 }, { 21.0, 1.0, 64, 1 }, { 22.0, 1.5, 60, 3 },
  /* bar 6: C  */ { 24.0, 1.0, 64, 2 }, { 25.0, 1.0, 67, 0 }, { 26.0, 1.5, 72, 0 }, { 27.5, 0.5, 71, 1 },
  /* bar 7: G  */ { 28.0, 2.0, 74, 3 }, { 30.0, 1.0, 71, 0 }, { 31.0, 0.75, 67, 4 },
};
static const Note chorus[] = {
  /* bar 8: Am */ { 32.0, 1.5, 72, 0 }, { 33.5, 0.5, 71, 1 }, { 34.0, 2.0, 69, 0 },
  /* bar 9: F  */ { 36.0, 1.0, 69, 3 }, { 37.0, 1.0, 72, 0 }, { 38.0, 1.5, 65, 1 },
  /* bar 10: C */ { 40.0, 1.0, 67, 0 }, { 41.0, 1.0, 64, 2 }, { 42.0, 1.0, 67, 0 }, { 43.0, 1.0, 72, 3 },
  /* bar 11: G */ { 44.0, 2.0, 71, 0 }, { 46.0, 1.5, 67, 4 },
  /* bar 12: Am */ { 48.0, 1.5, 72, 0 }, { 49.5, 0.5, 74, 1 }, { 50.0, 2.0, 76, 0 },
  /* bar 13: F  */ { 52.0, 1.0, 77, 3 }, { 53.0, 1.0, 76, 0 }, { 54.0, 1.5, 72, 1 },
  /* bar 14: C  */ { 56.0, 1.0, 72, 0 }, { 57.0, 1.0, 74, 2 }, { 58.0, 2.0, 76, 0 },
  /* bar 15: G  */ { 60.0, 1.0, 74, 3 }, { 61.0, 2.5, 71, 0 },
};

static void
compose (Stem *stems[8])
{
  Stem *s_kick = stems[0], *s_snare = stems[1], *s_hats = stems[2], *s_bass = stems[3];
  Stem *s_keys = stems[4], *s_pad = stems[5], *s_lead = stems[6], *s_vox = stems[7];

  for (int bar = 0; bar < BARS; bar++)
    {
      int c = chord_of_bar (bar);
      double b0 = bar * 4.0;
      int drums = bar >= 2, full = bar >= 4, last = bar == BARS - 1;
      int open;

      pad_chord (s_pad, b0, 4.0, chord[c], 0.7);

      for (int beat = 0; beat < 4; beat++)
        {
          double b = b0 + beat;
          /* Keys: off-beat stabs, a held chord on the last bar. */
          if (!last)
            keys_chord (s_keys, b + 0.5, 0.35, chord[c], beat == 3 ? 0.8 : 1.0);
          if (drums && !(last && beat > 0))
            {
              kick (s_kick, b, 1.0);
              if (full && beat % 2 == 1)
                snare (s_snare, b, 1.0);
            }
          for (int e = 0; e < 2; e++)
            {
              open = bar >= 8 && beat == 3 && e == 1;
              if (last && beat > 0)
                break;
              hat (s_hats, b + 0.5 * e, e ? 0.9 : 0.55, open ? 0.12 : 0.03);
            }
          if (bar >= 8 && !last)
            hat (s_hats, b + 0.75, 0.3, 0.02); /* sixteenth ghost notes */
          /* Bass: eighths on the root with an octave jump on the "and" of 3. */
          if (bar >= 1 && !(last && beat > 0))
            for (int e = 0; e < 2; e++)
              {
                int note = bass_root[c] - 12 + ((beat == 2 && e == 1) ? 12 : 0);
                bass_note (s_bass, b + 0.5 * e, last ? 3.5 : 0.42, note, e ? 0.8 : 1.0);
              }
        }
      if (last)
        keys_chord (s_keys, b0, 3.5, chord[0], 1.0);
      if (drums && bar % 4 == 3 && full && !last)
        snare (s_snare, b0 + 3.75, 0.6); /* pickup into the next phrase */

      /* Lead: rising arpeggio of the chord in the second half. */
      if (bar >= 8 && !last)
        for (int step = 0; step < 8; step++)
          {
            static const int pattern[8] = { 0, 1, 2, 1, 0, 2, 1, 2 };
            int midi = chord[c][pattern[step]] + 12 + (step >= 6 ? 12 : 0);
            if (step % 4 != 3)
              lead_note (s_lead, b0 + 0.5 * step, 0.4, midi, step % 2 ? 0.6 : 0.9);
          }
    }
  vocal_phrase (s_vox, verse, sizeof verse / sizeof verse[0], 1.0);
  vocal_phrase (s_vox, chorus, sizeof chorus / sizeof chorus[0], 1.0);
}

/* ---- files ---- */

static const struct {
  const char *name;
  int channels;
  double peak_dbfs; /* each stem is scaled to this peak */
} stem_specs[8] = {
  { "kick", 1, -3.0 },  { "snare", 1, -6.0 }, { "hats", 1, -12.0 }, { "bass", 1, -4.0 },
  { "keys", 1, -8.0 },  { "pad", 2, -10.0 },  { "lead", 1, -10.0 }, { "vocal", 1, -6.0 },
};

static int
write_stem (const char *dir, int index, Stem *s)
{
  char path[4096];
  SF_INFO info = { .samplerate = RATE, .channels = s->channels,
                   .format = SF_FORMAT_WAV | SF_FORMAT_PCM_24 };
  size_t n = N_FRAMES * (size_t) s->channels;
  double peak = 0.0, gain;
  SNDFILE *file;

  for (size_t i = 0; i < n; i++)
    peak = fmax (peak, fabs (s->data[i]));
  gain = peak > 0.0 ? pow (10.0, stem_specs[index].peak_dbfs / 20.0) / peak : 1.0;
  for (size_t i = 0; i < n; i++)
    s->data[i] = (float) (s->data[i] * gain);

  snprintf (path, sizeof path, "%s/%s.wav", dir, stem_specs[index].name);
  file = sf_open (path, SFM_WRITE, &info);
  if (file == NULL || sf_writef_float (file, s->data, (sf_count_t) N_FRAMES) != (sf_count_t) N_FRAMES)
    {
      fprintf (stderr, "busker-demo-synth: %s: %s\n", path, sf_strerror (file));
      return 1;
    }
  return sf_close (file) != 0;
}

int
main (int argc, char *argv[])
{
  Stem stems[8], *ptrs[8];
  int status = 0;

  if (argc != 2)
    {
      fprintf (stderr, "usage: busker-demo-synth OUTDIR\n");
      return 2;
    }
  for (int i = 0; i < 8; i++)
    {
      stems[i].channels = stem_specs[i].channels;
      stems[i].data = calloc (N_FRAMES * (size_t) stems[i].channels, sizeof (float));
      if (stems[i].data == NULL)
        return 1;
      ptrs[i] = &stems[i];
    }
  compose (ptrs);
  for (int i = 0; i < 8 && status == 0; i++)
    status = write_stem (argv[1], i, &stems[i]);
  for (int i = 0; i < 8; i++)
    free (stems[i].data);
  return status;
}
