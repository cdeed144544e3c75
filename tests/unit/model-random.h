/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Random projects and edits for the model tests, seeded so that a failure
 * is reproducible (the seed is printed with g_test_message).
 */
#pragma once

#include <math.h>

#include "dsp/params.h"
#include "model/busker-project.h"

static inline double
rand_db (GRand *rand)
{
  /* Quarter-dB steps plus awkward fractions: both must round-trip. */
  return g_rand_boolean (rand) ? g_rand_int_range (rand, -96 * 4, 12 * 4) / 4.0
                               : g_rand_double_range (rand, -60, 12);
}

static inline void
randomize_insert (GRand *rand, BuskerInsert *insert)
{
  guint n;
  const BuskerParamSpec *params = busker_insert_get_params (insert, &n);
  for (guint i = 0; i < n; i++)
    {
      if (g_rand_int_range (rand, 0, 3) == 0)
        continue; /* keep some defaults */
      float v = params[i].kind == BUSKER_PARAM_FLOAT
                    ? (float) g_rand_double_range (rand, params[i].min, params[i].max)
                    : (float) g_rand_int_range (rand, (int) params[i].min, (int) params[i].max + 1);
      busker_insert_set_value (insert, i, v);
    }
  busker_insert_set_bypass (insert, g_rand_boolean (rand));
  busker_insert_set_post_fader (insert, g_rand_boolean (rand));
}

static inline BuskerInsert *
random_insert (GRand *rand)
{
  guint n_types = g_strv_length ((char **) busker_effect_type_names);
  BuskerInsert *insert =
      busker_insert_new (busker_effect_type_names[g_rand_int_range (rand, 0, n_types)]);
  randomize_insert (rand, insert);
  return insert;
}

static inline BuskerSource *
random_source (GRand *rand)
{
  switch (g_rand_int_range (rand, 0, 3))
    {
    case 0:
      {
        g_autofree char *path = g_strdup_printf ("stems/take %d \"ü\".wav",
                                                 g_rand_int_range (rand, 0, 100));
        return busker_source_new_file (path, g_rand_double_range (rand, 0, 10));
      }
    case 1:
      return busker_source_new (BUSKER_SOURCE_LIVE);
    default:
      return busker_source_new_capture ("alsa_input.pci-0000_00_1f.3");
    }
}

static inline void
randomize_strip (GRand *rand, BuskerStrip *strip)
{
  static const char *const names[] = { "Kick", "Snare \"top\"", "Bass\tDI", "Vox ♪", NULL };
  if (g_rand_boolean (rand))
    busker_strip_set_name (strip, names[g_rand_int_range (rand, 0, 4)]);
  if (g_rand_boolean (rand))
    busker_strip_set_color (strip, g_rand_boolean (rand) ? "#12ab9f" : "#ffffff");
  busker_strip_set_trim_db (strip, g_rand_double_range (rand, -24, 24));
  busker_strip_set_gain_db (strip, g_rand_int_range (rand, 0, 8) == 0 ? -INFINITY : rand_db (rand));
  busker_strip_set_pan (strip, g_rand_double_range (rand, -1, 1));
  busker_strip_set_polarity_invert (strip, g_rand_boolean (rand));
  busker_strip_set_mute (strip, g_rand_int_range (rand, 0, 4) == 0);
  busker_strip_set_solo (strip, g_rand_int_range (rand, 0, 4) == 0);
  if (busker_strip_get_kind (strip) == BUSKER_STRIP_TRACK && g_rand_int_range (rand, 0, 5))
    {
      g_autoptr (BuskerSource) source = random_source (rand);
      busker_strip_set_source (strip, source);
    }
  for (int i = g_rand_int_range (rand, 0, 4); i > 0; i--)
    {
      g_autoptr (BuskerInsert) insert = random_insert (rand);
      busker_strip_insert_insert (strip, G_MAXUINT, insert);
    }
}

static inline BuskerStrip *
random_strip_of_kind (BuskerProject *project, BuskerStripKind kind)
{
  BuskerStrip *strip = NULL;
  if (kind == BUSKER_STRIP_MASTER)
    return NULL;
  while (1)
    {
      /* Unique among the project's strips, including removed ones the
       * history may bring back. */
      static guint counter;
      g_autofree char *id = g_strdup_printf ("%s-%u", busker_strip_kind_to_string (kind), ++counter);
      if (busker_project_find_strip (project, id) == NULL)
        {
          strip = busker_strip_new (kind, id);
          break;
        }
    }
  return strip;
}

static inline BuskerStrip *
random_existing (GRand *rand, BuskerProject *project)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (project));
  BuskerStrip *strip = g_list_model_get_item (G_LIST_MODEL (project), g_rand_int_range (rand, 0, n));
  g_object_unref (strip); /* borrowed, the project holds it */
  return strip;
}

/* Routing is made with the project's own checks; refused attempts are
 * simply skipped, so the result is always a valid mix. */
static inline void
random_routing (GRand *rand, BuskerProject *project, BuskerStrip *strip)
{
  for (int tries = 0; tries < 3; tries++)
    {
      BuskerStrip *target = random_existing (rand, project);
      BuskerStripKind kind = busker_strip_get_kind (target);
      g_autoptr (GError) error = NULL;
      if (kind == BUSKER_STRIP_SUBGROUP || kind == BUSKER_STRIP_MASTER)
        busker_project_set_output (project, strip, target, &error);
      else if (kind == BUSKER_STRIP_AUX)
        {
          BuskerSend *send = busker_project_add_send (project, strip, target, &error);
          if (send)
            {
              busker_send_set_level_db (send, g_rand_int_range (rand, 0, 6) == 0 ? -INFINITY : rand_db (rand));
              busker_send_set_pan (send, g_rand_double_range (rand, -1, 1));
              busker_send_set_pre_fader (send, g_rand_boolean (rand));
              busker_send_set_mute (send, g_rand_boolean (rand));
            }
        }
    }
}

static inline BuskerProject *
random_project (GRand *rand, guint n_strips)
{
  BuskerProject *project = busker_project_new ();
  static const BuskerStripKind kinds[] = {
    BUSKER_STRIP_TRACK, BUSKER_STRIP_TRACK, BUSKER_STRIP_TRACK,
    BUSKER_STRIP_SUBGROUP, BUSKER_STRIP_AUX,
  };
  if (g_rand_boolean (rand))
    busker_project_set_name (project, "Random “song”");
  busker_project_set_tempo_bpm (project, g_rand_double_range (rand, 60, 180));
  busker_project_set_sample_rate (project, g_rand_boolean (rand) ? 44100 : 96000);
  randomize_strip (rand, busker_project_get_master (project));
  for (guint i = 0; i < n_strips; i++)
    {
      g_autoptr (BuskerStrip) strip =
          random_strip_of_kind (project, kinds[g_rand_int_range (rand, 0, 5)]);
      randomize_strip (rand, strip);
      g_assert_true (busker_project_add_strip (project, strip,
                                               g_rand_int_range (rand, 0, i + 2), NULL));
      random_routing (rand, project, strip);
    }
  return project;
}
