/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Rules every registered effect class must keep, checked on all of them:
 * - no allocation, lock, blocking call or logging after create (the
 *   real-time trap, tests/rt-trap.h, watches processing, setting
 *   parameters and resetting);
 * - a NaN or Inf in the input silences that block, is reported, and the
 *   next clean block is finite again;
 * - a non-finite parameter is turned into its default by the clamp;
 * - state that decays never leaves subnormal numbers in the output.
 * Not run under AddressSanitizer, which owns malloc itself.
 */
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dsp/effect.h"
#include "rt-trap.h"

#define BLOCK 256

static const double rates[] = { 44100, 48000, 96000, 192000 };

static void
fill_noise (float *l, float *r, uint32_t n, GRand *rand, float level)
{
  for (uint32_t i = 0; i < n; i++)
    {
      l[i] = level * (float) g_rand_double_range (rand, -1, 1);
      r[i] = level * (float) g_rand_double_range (rand, -1, 1);
    }
}

static gboolean
block_finite (const float *x, uint32_t n)
{
  for (uint32_t i = 0; i < n; i++)
    if (!isfinite (x[i]))
      return FALSE;
  return TRUE;
}

static void
test_no_allocation (gconstpointer data)
{
  const BuskerEffectClass *klass = data;
  g_autoptr (GRand) rand = g_rand_new_with_seed (1);
  float l[BLOCK], r[BLOCK];

  for (guint ri = 0; ri < G_N_ELEMENTS (rates); ri++)
    {
      void *unit = klass->create (rates[ri], BLOCK);
      g_assert_nonnull (unit);

      rt_trap_enter ();
      for (int block = 0; block < 64; block++)
        {
          /* Move every parameter to a random legal value now and then. */
          if (block % 8 == 0)
            for (uint32_t p = 0; p < klass->n_params; p++)
              {
                const BuskerParamSpec *spec = &klass->params[p];
                float v = spec->min + (spec->max - spec->min) * (float) g_rand_double (rand);
                klass->set_param (unit, p, busker_param_spec_clamp (spec, v));
              }
          if (klass->set_tempo)
            klass->set_tempo (unit, 90.0f + block);
          fill_noise (l, r, BLOCK, rand, 0.5f);
          klass->process (unit, l, r, BLOCK);
          if (klass->latency)
            (void) klass->latency (unit);
          if (klass->gain_reduction_db)
            (void) klass->gain_reduction_db (unit);
        }
      klass->reset (unit);
      const char *first = NULL;
      unsigned trapped = rt_trap_leave_quiet (&first);

      if (trapped != 0)
        g_error ("%s at %.0f Hz made %u real-time-unsafe calls while processing, first %s()",
                 klass->type, rates[ri], trapped, first);
      klass->destroy (unit);
    }
}

static void
test_nan_recovery (gconstpointer data)
{
  const BuskerEffectClass *klass = data;
  g_autoptr (GRand) rand = g_rand_new_with_seed (2);
  float l[BLOCK], r[BLOCK];
  const float poison[] = { NAN, INFINITY, -INFINITY };

  for (guint k = 0; k < G_N_ELEMENTS (poison); k++)
    {
      void *unit = klass->create (48000, BLOCK);

      for (int block = 0; block < 8; block++)
        {
          fill_noise (l, r, BLOCK, rand, 0.5f);
          g_assert_true (klass->process (unit, l, r, BLOCK));
        }

      fill_noise (l, r, BLOCK, rand, 0.5f);
      l[BLOCK / 2] = poison[k];
      g_assert_false (klass->process (unit, l, r, BLOCK));
      for (uint32_t i = 0; i < BLOCK; i++)
        if (l[i] != 0.0f || r[i] != 0.0f)
          g_error ("%s: block with a non-finite input was not silenced (sample %u)",
                   klass->type, i);

      /* Recovers at once: the next blocks are clean and finite. */
      for (int block = 0; block < 32; block++)
        {
          fill_noise (l, r, BLOCK, rand, 0.5f);
          if (!klass->process (unit, l, r, BLOCK) || !block_finite (l, BLOCK)
              || !block_finite (r, BLOCK))
            g_error ("%s did not recover %d blocks after a non-finite input",
                     klass->type, block);
        }
      klass->destroy (unit);
    }
}

static void
test_parameter_clamp (gconstpointer data)
{
  const BuskerEffectClass *klass = data;

  for (uint32_t p = 0; p < klass->n_params; p++)
    {
      const BuskerParamSpec *spec = &klass->params[p];

      g_assert_cmpfloat (spec->min, <=, spec->def);
      g_assert_cmpfloat (spec->def, <=, spec->max);
      g_assert_cmpfloat (busker_param_spec_clamp (spec, NAN), ==, spec->def);
      g_assert_cmpfloat (busker_param_spec_clamp (spec, INFINITY), ==, spec->max);
      g_assert_cmpfloat (busker_param_spec_clamp (spec, -INFINITY), ==, spec->min);
      if (spec->scale == BUSKER_SCALE_LOG)
        g_assert_cmpfloat (spec->min, >, 0.0f);
      if (spec->kind == BUSKER_PARAM_CHOICE)
        {
          guint n = 0;
          while (spec->choices[n] != NULL)
            n++;
          g_assert_cmpfloat (spec->max, ==, (float) (n - 1));
        }
    }
  g_assert_true (busker_effect_class_lookup (klass->type) == klass);
}

static void
test_no_denormals (gconstpointer data)
{
  const BuskerEffectClass *klass = data;
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  float l[BLOCK], r[BLOCK];
  void *unit = klass->create (48000, BLOCK);
  int subnormals = 0;

  /* The test thread runs without FTZ, as a unit may in a test or on
   * another architecture: the unit's own flushing must do the work. */
  for (int block = 0; block < 200; block++)
    {
      fill_noise (l, r, BLOCK, rand, 0.5f);
      klass->process (unit, l, r, BLOCK);
    }
  for (int block = 0; block < 48000 * 30 / BLOCK; block++)
    {
      memset (l, 0, sizeof l);
      memset (r, 0, sizeof r);
      klass->process (unit, l, r, BLOCK);
      for (uint32_t i = 0; i < BLOCK; i++)
        subnormals += (fpclassify (l[i]) == FP_SUBNORMAL) + (fpclassify (r[i]) == FP_SUBNORMAL);
    }
  klass->destroy (unit);
  if (subnormals != 0)
    g_error ("%s produced %d subnormal samples while decaying", klass->type, subnormals);
}

/* The trap is linked and live in this program. */
static void
test_trap_live (void)
{
  void *volatile p;
  rt_trap_enter ();
  p = malloc (16);
  g_assert_cmpuint (rt_trap_leave_quiet (NULL), ==, 1);
  free (p);
}

/* Every insert type of FORMAT.md has a class, and nothing else does. */
static void
test_registry (void)
{
  static const char *const format_types[] = {
    "eq", "compressor", "multiband_compressor", "limiter", "saturation",
    "delay", "reverb", "stereo_width", "transient_shaper", "gain",
  };
  guint n = 0;

  for (const BuskerEffectClass *const *k = busker_effect_classes; *k; k++)
    n++;
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (format_types));
  for (guint i = 0; i < G_N_ELEMENTS (format_types); i++)
    {
      const BuskerEffectClass *klass = busker_effect_class_lookup (format_types[i]);
      g_assert_nonnull (klass);
      g_assert_cmpstr (klass->type, ==, format_types[i]);
    }
  g_assert_null (busker_effect_class_lookup ("chorus"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/realtime/trap-live", test_trap_live);
  g_test_add_func ("/realtime/registry", test_registry);

  for (const BuskerEffectClass *const *k = busker_effect_classes; *k; k++)
    {
      g_autofree char *alloc = g_strdup_printf ("/realtime/%s/no-allocation", (*k)->type);
      g_autofree char *nan = g_strdup_printf ("/realtime/%s/nan-recovery", (*k)->type);
      g_autofree char *clamp = g_strdup_printf ("/realtime/%s/parameter-clamp", (*k)->type);
      g_autofree char *denorm = g_strdup_printf ("/realtime/%s/no-denormals", (*k)->type);

      g_test_add_data_func (alloc, *k, test_no_allocation);
      g_test_add_data_func (nan, *k, test_nan_recovery);
      g_test_add_data_func (clamp, *k, test_parameter_clamp);
      g_test_add_data_func (denorm, *k, test_no_denormals);
    }
  return g_test_run ();
}
