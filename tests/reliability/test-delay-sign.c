/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The delay's repeats keep the sign the feedback gives them: each repeat
 * of a 1 kHz Hann-windowed burst is the previous one times the feedback,
 * sign included. tests/dsp/test-delay.c measures each repeat's energy,
 * which a feedback of the wrong sign leaves unchanged (the mutation test
 * found that); here the truth is the signed correlation with the burst:
 * repeat e (0 = the first echo) must be feedback^e for feedbacks of 0.3,
 * 0.6 and 0.9, within 2 % (the open 20 Hz / 20 kHz filters turn the phase
 * a little on each pass). Ping-pong off, wet only.
 */
#include <glib.h>
#include <math.h>

#include "dsp/effect.h"
#include "dsp/params.h"

#define RATE 48000.0

static void
test_repeat_signs (void)
{
  const BuskerEffectClass *k = busker_effect_class_lookup ("delay");
  const float feedbacks[] = { 0.3f, 0.6f, 0.9f };
  const uint32_t d = 4800, n_echoes = 4, n = d * (n_echoes + 1), burst = 960;

  for (guint f = 0; f < G_N_ELEMENTS (feedbacks); f++)
    {
      void *unit = k->create (RATE, 256);
      g_autofree float *l = g_new0 (float, n), *r = g_new0 (float, n), *b = g_new0 (float, burst);
      double burst_energy = 0;

      k->set_param (unit, BUSKER_DELAY_TIME_MS, 100.0f);
      k->set_param (unit, BUSKER_DELAY_SYNC, 0.0f);
      k->set_param (unit, BUSKER_DELAY_FEEDBACK, feedbacks[f]);
      k->set_param (unit, BUSKER_DELAY_MIX, 1.0f);
      k->set_param (unit, BUSKER_DELAY_PING_PONG, 0.0f);
      k->set_param (unit, BUSKER_DELAY_LOW_CUT_HZ, 20.0f);
      k->set_param (unit, BUSKER_DELAY_HIGH_CUT_HZ, 20000.0f);
      k->reset (unit);
      for (uint32_t i = 0; i < burst; i++)
        {
          b[i] = l[i] = r[i] = (float) (0.5 * (1 - cos (2 * G_PI * i / burst))
                                        * sin (2 * G_PI * 1000 * i / RATE));
          burst_energy += (double) b[i] * b[i];
        }
      for (uint32_t at = 0; at < n; at += 256)
        k->process (unit, l + at, r + at, MIN (256, n - at));
      for (uint32_t e = 0; e < n_echoes; e++)
        {
          double c = 0;
          for (uint32_t i = 0; i < burst; i++)
            c += (double) l[d * (e + 1) + i] * b[i];
          c /= burst_energy;
          g_test_message ("feedback %.1f, repeat %u: %+.4f (want %+.4f)", feedbacks[f], e, c,
                          pow (feedbacks[f], e));
          g_assert_cmpfloat_with_epsilon (c / pow (feedbacks[f], e), 1.0, 0.02);
        }
      k->destroy (unit);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reliability/delay/repeat-signs", test_repeat_signs);
  return g_test_run ();
}
