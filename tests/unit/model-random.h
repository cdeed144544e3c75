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
      {
        static const char *const apps[] = { "Firefox", "org.gnome.Music", "mpv \"ü\"", NULL };
        BuskerSource *source = busker_source_new (BUSKER_SOURCE_LIVE);
        busker_source_set_apps (source, apps + g_rand_int_range (rand, 0, 4));
        return source;
      }
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

static inline BuskerInsert *
random_insert_of (GRand *rand, BuskerStrip *strip, guint *position)
{
  GListModel *inserts = busker_strip_get_inserts (strip);
  guint n = g_list_model_get_n_items (inserts);
  if (n == 0)
    return NULL;
  *position = g_rand_int_range (rand, 0, n);
  BuskerInsert *insert = g_list_model_get_item (inserts, *position);
  g_object_unref (insert);
  return insert;
}

/* One random edit of any editable property or structure; every property
 * the user can change has a case here, so the undo tests cover it.
 * Returns which case ran (for failure messages). */
static inline int
random_edit (GRand *rand, BuskerProject *project)
{
  BuskerStrip *strip = random_existing (rand, project);
  gboolean master = busker_strip_get_kind (strip) == BUSKER_STRIP_MASTER;
  guint position;
  BuskerInsert *insert;

  int edit = g_rand_int_range (rand, 0, 27);
  switch (edit)
    {
    case 0: busker_strip_set_gain_db (strip, rand_db (rand)); break;
    case 1: busker_strip_set_pan (strip, g_rand_double_range (rand, -1, 1)); break;
    case 2: busker_strip_set_mute (strip, !busker_strip_get_mute (strip)); break;
    case 3: busker_strip_set_name (strip, g_rand_boolean (rand) ? "Renamed" : NULL); break;
    case 4:
      if ((insert = random_insert_of (rand, strip, &position)))
        randomize_insert (rand, insert);
      break;
    case 5:
      {
        g_autoptr (BuskerInsert) added = random_insert (rand);
        busker_strip_insert_insert (strip, g_rand_int_range (rand, 0, 4), added);
        break;
      }
    case 6:
      if (random_insert_of (rand, strip, &position))
        busker_strip_remove_insert (strip, position);
      break;
    case 7:
    case 8:
      {
        static const BuskerStripKind kinds[] = { BUSKER_STRIP_TRACK, BUSKER_STRIP_SUBGROUP, BUSKER_STRIP_AUX };
        g_autoptr (BuskerStrip) added = random_strip_of_kind (project, kinds[g_rand_int_range (rand, 0, 3)]);
        randomize_strip (rand, added);
        g_assert_true (busker_project_add_strip (project, added, g_rand_int_range (rand, 0, 50), NULL));
        random_routing (rand, project, added);
        break;
      }
    case 9:
    case 10:
      if (!master)
        busker_project_remove_strip (project, strip);
      break;
    case 11:
      if (!master)
        random_routing (rand, project, strip);
      break;
    case 12:
      {
        GListModel *sends = busker_strip_get_sends (strip);
        guint n = g_list_model_get_n_items (sends);
        if (n)
          {
            g_autoptr (BuskerSend) send = g_list_model_get_item (sends, g_rand_int_range (rand, 0, n));
            if (g_rand_boolean (rand))
              busker_project_remove_send (project, strip, send);
            else
              busker_send_set_level_db (send, rand_db (rand));
          }
        break;
      }
    case 13:
      busker_project_move_strip (project, strip, g_rand_int_range (rand, 0, 50));
      break;
    case 14:
      if (busker_strip_get_kind (strip) == BUSKER_STRIP_TRACK)
        {
          if (busker_strip_get_source (strip) && g_rand_boolean (rand)
              && busker_source_get_kind (busker_strip_get_source (strip)) == BUSKER_SOURCE_FILE)
            busker_source_set_path (busker_strip_get_source (strip), "moved/elsewhere.flac");
          else
            {
              g_autoptr (BuskerSource) source = g_rand_boolean (rand) ? random_source (rand) : NULL;
              busker_strip_set_source (strip, source);
            }
        }
      break;
    case 15:
      busker_project_set_tempo_bpm (project, g_rand_double_range (rand, 60, 200));
      break;
    case 16:
      if (random_insert_of (rand, strip, &position))
        busker_strip_move_insert (strip, position, g_rand_int_range (rand, 0, 4));
      break;
    case 17: busker_strip_set_solo (strip, !busker_strip_get_solo (strip)); break;
    case 18: busker_strip_set_trim_db (strip, g_rand_double_range (rand, -24, 24)); break;
    case 19: busker_strip_set_polarity_invert (strip, !busker_strip_get_polarity_invert (strip)); break;
    case 20:
      {
        static const char *const colors[] = { "#12ab9f", "#ffffff", "#000000", NULL };
        busker_strip_set_color (strip, colors[g_rand_int_range (rand, 0, 4)]);
        break;
      }
    case 21:
    case 22:
    case 23:
      {
        GListModel *sends = busker_strip_get_sends (strip);
        guint n = g_list_model_get_n_items (sends);
        if (n == 0)
          break;
        g_autoptr (BuskerSend) send = g_list_model_get_item (sends, g_rand_int_range (rand, 0, n));
        switch (g_rand_int_range (rand, 0, 3))
          {
          case 0: busker_send_set_mute (send, !busker_send_get_mute (send)); break;
          case 1: busker_send_set_pre_fader (send, !busker_send_get_pre_fader (send)); break;
          default: busker_send_set_pan (send, g_rand_double_range (rand, -1, 1)); break;
          }
        break;
      }
    case 24:
      if ((insert = random_insert_of (rand, strip, &position)))
        busker_insert_set_bypass (insert, !busker_insert_get_bypass (insert));
      break;
    case 25:
      if (busker_strip_get_source (strip) != NULL
          && busker_source_get_kind (busker_strip_get_source (strip)) == BUSKER_SOURCE_FILE)
        busker_source_set_offset_s (busker_strip_get_source (strip), g_rand_double_range (rand, -5, 30));
      break;
    case 26:
      busker_project_set_name (project, g_rand_boolean (rand) ? "Take two" : NULL);
      break;
    }
  return edit;
}
