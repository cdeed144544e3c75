/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The two builds of the DSP kernels (src/dsp/dsp-isa.h):
 * - the v3 build is chosen exactly when /proc/cpuinfo lists avx2 and fma
 *   (on x86-64), and never with BUSKER_DSP_ISA=baseline;
 * - the EQ (five sections in one skewed loop; twelve in groups of three)
 *   and the linked compressor give the same signal in both builds within
 *   float rounding (1e-6 of full scale). The EQ works in double and rounds
 *   to float, which hides FMA's rounding nearly always; the compressor
 *   works in float, so its bits differ: the v3 build really ran;
 * - each build gives the same bits in blocks of 256 frames as in one
 *   (the compressor's linked pass groups four frames, so its bits stay
 *   only for blocks that are whole groups).
 * The units' own tests (test-eq, test-compressor) run once per build.
 */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "dsp/compressor.h"
#include "dsp/dsp-isa.h"
#include "dsp/eq.h"
#include "dsp/params.h"

#define RATE 48000
#define FRAMES (RATE / 2)

static bool
cpu_has_v3 (void)
{
#if defined(__x86_64__)
  g_autofree char *info = NULL;
  if (!g_file_get_contents ("/proc/cpuinfo", &info, NULL, NULL))
    return false;
  const char *flags = strstr (info, "\nflags");
  if (flags == NULL)
    return false;
  g_autofree char *line = g_strndup (flags + 1, strcspn (flags + 1, "\n"));
  return strstr (line, " avx2") != NULL && strstr (line, " fma") != NULL;
#else
  return false;
#endif
}

static void
test_choice (void)
{
  g_unsetenv ("BUSKER_DSP_ISA");
  g_test_message ("this CPU: %s kernels", busker_dsp_isa_name ());
  g_assert_cmpint (busker_dsp_isa_v3 (), ==, cpu_has_v3 ());
  g_setenv ("BUSKER_DSP_ISA", "baseline", TRUE);
  g_assert_false (busker_dsp_isa_v3 ());
  g_assert_cmpstr (busker_dsp_isa_name (), ==, "baseline");
  g_unsetenv ("BUSKER_DSP_ISA");
}

/* Pink-ish noise near full scale, left and right different. */
static void
fill_noise (float *l, float *r, uint32_t n)
{
  uint32_t seed = 7;
  float sum = 0;
  for (uint32_t i = 0; i < n; i++)
    {
      seed = seed * 1664525u + 1013904223u;
      float w = (float) (seed >> 8) / (float) (1u << 24) - 0.5f;
      sum = 0.97f * sum + w;
      l[i] = 0.2f * sum;
      r[i] = 0.7f * w;
    }
}

typedef void *(*UnitNew) (int shape);
typedef void (*UnitRun) (void *unit, float *l, float *r, uint32_t n);
typedef void (*UnitFree) (void *unit);

typedef struct {
  const char *name;
  int shape;
  bool float_inside; /* rounds in float, so FMA shows in the bits */
  UnitNew make;
  UnitRun run;
  UnitFree free;
} Unit;

static void
set_band (BuskerEq *eq, int band, BuskerEqBandType type, float hz, float db, float q, float slope)
{
  busker_eq_set_param (eq, BUSKER_EQ_PARAM (band, BUSKER_EQ_BAND_TYPE), (float) type);
  busker_eq_set_param (eq, BUSKER_EQ_PARAM (band, BUSKER_EQ_BAND_FREQ_HZ), hz);
  busker_eq_set_param (eq, BUSKER_EQ_PARAM (band, BUSKER_EQ_BAND_GAIN_DB), db);
  busker_eq_set_param (eq, BUSKER_EQ_PARAM (band, BUSKER_EQ_BAND_Q), q);
  busker_eq_set_param (eq, BUSKER_EQ_PARAM (band, BUSKER_EQ_BAND_SLOPE_DB_OCT), slope);
  busker_eq_set_param (eq, BUSKER_EQ_PARAM (band, BUSKER_EQ_BAND_ENABLED), 1);
}

/* shape 0: five one-section bands (one skewed loop); 1: twelve sections
 * (groups of three). Settled at once (reset), so every band runs fused. */
static void *
eq_make (int shape)
{
  BuskerEq *eq = busker_eq_new (RATE, FRAMES);
  set_band (eq, 0, BUSKER_EQ_LOW_SHELF, 60, 4, 0.7f, 12);
  set_band (eq, 1, BUSKER_EQ_PEAK, 250, -3, 1, 12);
  set_band (eq, 2, BUSKER_EQ_PEAK, 1000, 2, 1, 12);
  set_band (eq, 3, BUSKER_EQ_PEAK, 4000, -4, 1, 12);
  set_band (eq, 4, BUSKER_EQ_HIGH_SHELF, 10000, 3, 0.7f, 12);
  if (shape == 1)
    {
      set_band (eq, 5, BUSKER_EQ_HIGH_PASS, 30, 0, 0.707f, 48);
      set_band (eq, 6, BUSKER_EQ_LOW_PASS, 18000, 0, 0.707f, 24);
      set_band (eq, 7, BUSKER_EQ_NOTCH, 3000, 0, 4, 12);
    }
  busker_eq_reset (eq);
  return eq;
}

static void
eq_run (void *eq, float *l, float *r, uint32_t n)
{
  g_assert_true (busker_eq_process (eq, l, r, n));
}

static void
eq_free (void *eq)
{
  busker_eq_free (eq);
}

/* Linked peak detector, settled: the linked pass. */
static void *
comp_make (int shape)
{
  BuskerCompressor *c = busker_compressor_new (RATE);
  busker_compressor_set_param (c, BUSKER_COMP_THRESHOLD_DB, -30);
  busker_compressor_set_param (c, BUSKER_COMP_RATIO, 4);
  busker_compressor_set_param (c, BUSKER_COMP_ATTACK_MS, 5);
  busker_compressor_set_param (c, BUSKER_COMP_RELEASE_MS, 80);
  busker_compressor_reset (c);
  return c;
}

static void
comp_run (void *c, float *l, float *r, uint32_t n)
{
  g_assert_true (busker_compressor_process (c, l, r, n));
}

static void
comp_free (void *c)
{
  busker_compressor_free (c);
}

/* The unit made with the given build over the noise, in blocks of
 * `block` frames (0: one block). */
static void
render (const Unit *u, const char *isa, uint32_t block, float *l, float *r)
{
  g_setenv ("BUSKER_DSP_ISA", isa, TRUE);
  void *unit = u->make (u->shape);
  g_unsetenv ("BUSKER_DSP_ISA");
  fill_noise (l, r, FRAMES);
  for (uint32_t off = 0; off < FRAMES;)
    {
      uint32_t n = block == 0 || FRAMES - off < block ? FRAMES - off : block;
      u->run (unit, l + off, r + off, n);
      off += n;
    }
  u->free (unit);
}

static void
test_agree (gconstpointer data)
{
  const Unit *u = data;
  if (!cpu_has_v3 ())
    {
      g_test_skip ("this CPU has no AVX2 and FMA: only the baseline build runs");
      return;
    }
  g_autofree float *bl = g_new (float, FRAMES), *br = g_new (float, FRAMES);
  g_autofree float *vl = g_new (float, FRAMES), *vr = g_new (float, FRAMES);
  g_autofree float *xl = g_new (float, FRAMES), *xr = g_new (float, FRAMES);
  render (u, "baseline", 0, bl, br);
  render (u, "v3", 0, vl, vr);

  double worst = 0;
  uint32_t differ = 0;
  for (uint32_t i = 0; i < FRAMES; i++)
    {
      worst = fmax (worst, fmax (fabs ((double) bl[i] - vl[i]), fabs ((double) br[i] - vr[i])));
      differ += bl[i] != vl[i] || br[i] != vr[i];
    }
  g_test_message ("%s: baseline and v3 differ in %u of %u frames, by %.2g at most", u->name,
                  differ, FRAMES, worst);
  g_assert_cmpfloat (worst, <=, 1e-6);
  if (u->float_inside)
    g_assert_cmpuint (differ, >, 0);

  /* Each build: the same bits in blocks of 256 frames as in one block. */
  for (int k = 0; k < 2; k++)
    {
      render (u, k == 0 ? "baseline" : "v3", 256, xl, xr);
      const float *wl = k == 0 ? bl : vl, *wr = k == 0 ? br : vr;
      g_assert_cmpmem (xl, FRAMES * sizeof (float), wl, FRAMES * sizeof (float));
      g_assert_cmpmem (xr, FRAMES * sizeof (float), wr, FRAMES * sizeof (float));
    }
}

int
main (int argc, char **argv)
{
  static const Unit units[] = {
    { "eq, 5 sections", 0, false, eq_make, eq_run, eq_free },
    { "eq, 12 sections", 1, false, eq_make, eq_run, eq_free },
    { "compressor, linked", 0, true, comp_make, comp_run, comp_free },
  };
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/isa/choice", test_choice);
  g_test_add_data_func ("/dsp/isa/eq-skewed", &units[0], test_agree);
  g_test_add_data_func ("/dsp/isa/eq-groups", &units[1], test_agree);
  g_test_add_data_func ("/dsp/isa/compressor-linked", &units[2], test_agree);
  return g_test_run ();
}
