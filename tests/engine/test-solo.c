/* SPDX-License-Identifier: GPL-3.0-or-later */
/* busker_solo_resolve against a hand-written truth table. */
#include <glib.h>

#include "engine/busker-solo.h"

/* t0, t1 -> sub; t2 -> master; sub -> master; t0 sends to aux (reverb);
 * t3 -> master, sends to aux; aux -> master. */
enum { T0, T1, T2, T3, SUB, AUX, MASTER, N };

static BuskerMixDesc *
make_desc (void)
{
  BuskerMixDesc *d = busker_mix_desc_new (N, 48000);
  for (int i = T0; i <= T3; i++)
    d->strips[i].output = MASTER;
  d->strips[T0].output = SUB;
  d->strips[T1].output = SUB;
  d->strips[SUB].kind = BUSKER_STRIP_SUBGROUP;
  d->strips[SUB].output = MASTER;
  d->strips[AUX].kind = BUSKER_STRIP_AUX;
  d->strips[AUX].output = MASTER;
  d->strips[MASTER].kind = BUSKER_STRIP_MASTER;
  busker_strip_desc_alloc_sends (&d->strips[T0], 1);
  d->strips[T0].sends[0].to = AUX;
  busker_strip_desc_alloc_sends (&d->strips[T3], 1);
  d->strips[T3].sends[0].to = AUX;
  return d;
}

static void
check (const BuskerMixDesc *d, const char *expect)
{
  bool audible[N];
  char got[N + 1];

  busker_solo_resolve (d, audible);
  for (int i = 0; i < N; i++)
    got[i] = audible[i] ? '1' : '0';
  got[N] = '\0';
  g_assert_cmpstr (got, ==, expect);
}

static void
test_solo_matrix (void)
{
  g_autoptr (BuskerMixDesc) d = make_desc ();
  /*                 T0 T1 T2 T3 SUB AUX M */
  check (d, "1111111");

  d->strips[T1].mute = true;
  check (d, "1011111");
  d->strips[T1].mute = false;

  /* A soloed track: its subgroup (downstream), the aux and master stay. */
  d->strips[T0].solo = true;
  check (d, "1000111");

  /* Solo a subgroup: the tracks feeding it come back. */
  d->strips[T0].solo = false;
  d->strips[SUB].solo = true;
  check (d, "1100111");

  /* An explicit mute wins over being upstream of a solo. */
  d->strips[T1].mute = true;
  check (d, "1000111");
  d->strips[T1].mute = false;

  /* Two solos add up. */
  d->strips[T2].solo = true;
  check (d, "1110111");
  d->strips[T2].solo = false;
  d->strips[SUB].solo = false;

  /* Soloing the aux does not bring back the tracks sending to it. */
  d->strips[AUX].solo = true;
  check (d, "0000011");
  d->strips[AUX].solo = false;

  /* A muted subgroup stays silent even downstream of a solo. */
  d->strips[T0].solo = true;
  d->strips[SUB].mute = true;
  check (d, "1000011");

  /* Muting the master silences everything, soloed or not. */
  d->strips[SUB].mute = false;
  d->strips[MASTER].mute = true;
  check (d, "1000110");
}

static void
test_solo_chain (void)
{
  /* t -> sub_a -> sub_b -> master: soloing sub_b reaches t two hops up;
   * a second track u -> master does not come back. */
  g_autoptr (BuskerMixDesc) d = busker_mix_desc_new (5, 48000);
  d->strips[0].output = 1;
  d->strips[1].kind = BUSKER_STRIP_SUBGROUP;
  d->strips[1].output = 2;
  d->strips[2].kind = BUSKER_STRIP_SUBGROUP;
  d->strips[2].output = 4;
  d->strips[3].output = 4;
  d->strips[4].kind = BUSKER_STRIP_MASTER;
  d->strips[2].solo = true;

  bool audible[5];
  busker_solo_resolve (d, audible);
  g_assert_true (audible[0] && audible[1] && audible[2] && audible[4]);
  g_assert_false (audible[3]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/solo/matrix", test_solo_matrix);
  g_test_add_func ("/engine/solo/chain", test_solo_chain);
  return g_test_run ();
}
