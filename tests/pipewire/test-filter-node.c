/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A pw_filter node "Busker" with a stereo input and output pair, checked
 * from the outside: a second, independent connection to the daemon watches
 * the registry and must see the node and its four ports with the names
 * and directions we asked for, under the id the filter reports. Then the
 * outputs are linked to the harness sink (BUSKER_TEST_SINK) and the data
 * thread must run process() with the sink's quantum.
 *
 * Run it under tests/pipewire/pw-harness: it needs a private daemon.
 */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pipewire/filter.h>
#include <pipewire/pipewire.h>
#include <spa/param/audio/format-utils.h>
#include <spa/utils/result.h>

#define WANTED_CYCLES 20
#define GIVE_UP_S 40 /* hang guard only */

typedef struct
{
  const char *name;
  enum spa_direction direction;
  void *port;
  uint32_t global_id; /* seen in the registry, SPA_ID_INVALID until then */
} Port;

typedef struct
{
  struct pw_main_loop *loop;
  struct pw_filter *filter;
  Port ports[4];

  /* The observer: its own context and connection. */
  struct pw_context *context;
  struct pw_core *core;
  struct pw_registry *registry;
  struct spa_hook registry_listener;
  uint32_t registry_node_id;
  uint32_t sink_node_id;
  uint32_t sink_ports[2]; /* playback_FL, playback_FR */
  struct pw_proxy *links[2];
  const char *sink_name;

  atomic_int cycles;
  atomic_uint last_n_samples;
  int failed;
  const char *stage;
} Test;

static void
fail (Test *t, const char *why)
{
  fprintf (stderr, "FAIL (%s): %s\n", t->stage, why);
  t->failed = 1;
  pw_main_loop_quit (t->loop);
}

/* RT-safe */
static void
on_process (void *data, struct spa_io_position *position)
{
  Test *t = data;
  uint32_t n_samples = position->clock.duration;

  for (int i = 0; i < 4; i++)
    {
      if (t->ports[i].direction != SPA_DIRECTION_OUTPUT)
        continue;
      float *out = pw_filter_get_dsp_buffer (t->ports[i].port, n_samples);
      if (out != NULL)
        memset (out, 0, n_samples * sizeof (float));
    }
  atomic_store (&t->last_n_samples, n_samples);
  atomic_fetch_add (&t->cycles, 1);
}

static const struct pw_filter_events filter_events = {
  PW_VERSION_FILTER_EVENTS,
  .process = on_process,
};

static void
link_to_sink (Test *t)
{
  static const char *const outs[] = { "output_FL", "output_FR" };

  for (int c = 0; c < 2; c++)
    {
      uint32_t out_id = SPA_ID_INVALID;
      char out_port[16], in_port[16], out_node[16], in_node[16];

      for (int i = 0; i < 4; i++)
        if (strcmp (t->ports[i].name, outs[c]) == 0)
          out_id = t->ports[i].global_id;
      snprintf (out_node, sizeof out_node, "%u", t->registry_node_id);
      snprintf (out_port, sizeof out_port, "%u", out_id);
      snprintf (in_node, sizeof in_node, "%u", t->sink_node_id);
      snprintf (in_port, sizeof in_port, "%u", t->sink_ports[c]);

      struct pw_properties *props = pw_properties_new (
          PW_KEY_LINK_OUTPUT_NODE, out_node, PW_KEY_LINK_OUTPUT_PORT, out_port,
          PW_KEY_LINK_INPUT_NODE, in_node, PW_KEY_LINK_INPUT_PORT, in_port,
          PW_KEY_OBJECT_LINGER, "false", NULL);
      t->links[c] = pw_core_create_object (t->core, "link-factory", PW_TYPE_INTERFACE_Link,
                                           PW_VERSION_LINK, &props->dict, 0);
      pw_properties_free (props);
    }
  t->stage = "process";
}

static int
ready_to_link (Test *t)
{
  if (t->registry_node_id == SPA_ID_INVALID || t->sink_node_id == SPA_ID_INVALID
      || t->sink_ports[0] == SPA_ID_INVALID || t->sink_ports[1] == SPA_ID_INVALID)
    return 0;
  for (int i = 0; i < 4; i++)
    if (t->ports[i].global_id == SPA_ID_INVALID)
      return 0;
  return 1;
}

static void
on_global (void *data, uint32_t id, uint32_t permissions, const char *type,
           uint32_t version, const struct spa_dict *props)
{
  Test *t = data;
  const char *name;

  if (props == NULL)
    return;
  if (strcmp (type, PW_TYPE_INTERFACE_Node) == 0)
    {
      name = spa_dict_lookup (props, PW_KEY_NODE_NAME);
      if (name != NULL && strcmp (name, "Busker") == 0)
        {
          if (t->registry_node_id != SPA_ID_INVALID)
            return fail (t, "two nodes called Busker");
          if (id != pw_filter_get_node_id (t->filter))
            return fail (t, "the registry's Busker is not our filter");
          t->registry_node_id = id;
        }
      else if (name != NULL && strcmp (name, t->sink_name) == 0)
        t->sink_node_id = id;
    }
  else if (strcmp (type, PW_TYPE_INTERFACE_Port) == 0)
    {
      const char *node = spa_dict_lookup (props, PW_KEY_NODE_ID);
      const char *direction = spa_dict_lookup (props, PW_KEY_PORT_DIRECTION);

      name = spa_dict_lookup (props, PW_KEY_PORT_NAME);
      if (node == NULL || name == NULL || direction == NULL)
        return;
      if ((uint32_t) atoi (node) == t->sink_node_id)
        {
          if (strcmp (name, "playback_FL") == 0)
            t->sink_ports[0] = id;
          else if (strcmp (name, "playback_FR") == 0)
            t->sink_ports[1] = id;
        }
      if (t->registry_node_id == SPA_ID_INVALID || (uint32_t) atoi (node) != t->registry_node_id)
        return;
      for (int i = 0; i < 4; i++)
        if (strcmp (t->ports[i].name, name) == 0)
          {
            const char *want = t->ports[i].direction == SPA_DIRECTION_INPUT ? "in" : "out";
            if (strcmp (direction, want) != 0)
              return fail (t, "a port has the wrong direction");
            t->ports[i].global_id = id;
            return;
          }
      fail (t, "the node has a port we did not create");
    }
  if (strcmp (t->stage, "registry") == 0 && ready_to_link (t))
    link_to_sink (t);
}

static const struct pw_registry_events registry_events = {
  PW_VERSION_REGISTRY_EVENTS,
  .global = on_global,
};

static void
on_tick (void *data, uint64_t expirations)
{
  Test *t = data;
  static int ticks;

  if (strcmp (t->stage, "process") == 0 && atomic_load (&t->cycles) >= WANTED_CYCLES)
    {
      pw_main_loop_quit (t->loop);
      return;
    }
  if (++ticks > GIVE_UP_S * 20)
    fail (t, "gave up waiting");
}

static void *
add_port (Test *t, const char *name, enum spa_direction direction)
{
  return pw_filter_add_port (t->filter, direction, PW_FILTER_PORT_FLAG_MAP_BUFFERS, 0,
                             pw_properties_new (PW_KEY_FORMAT_DSP, "32 bit float mono audio",
                                                PW_KEY_PORT_NAME, name, NULL),
                             NULL, 0);
}

int
main (int argc, char *argv[])
{
  Test t = { .registry_node_id = SPA_ID_INVALID, .sink_node_id = SPA_ID_INVALID,
             .sink_ports = { SPA_ID_INVALID, SPA_ID_INVALID }, .stage = "connect" };
  static const struct { const char *name; enum spa_direction direction; } specs[4] = {
    { "input_FL", SPA_DIRECTION_INPUT }, { "input_FR", SPA_DIRECTION_INPUT },
    { "output_FL", SPA_DIRECTION_OUTPUT }, { "output_FR", SPA_DIRECTION_OUTPUT },
  };
  struct timespec interval = { 0, 50 * 1000 * 1000 };
  struct spa_source *timer;

  pw_init (&argc, &argv);
  t.sink_name = getenv ("BUSKER_TEST_SINK") ? getenv ("BUSKER_TEST_SINK") : "test-speakers";
  t.loop = pw_main_loop_new (NULL);

  t.filter = pw_filter_new_simple (pw_main_loop_get_loop (t.loop), "Busker",
                                   pw_properties_new (PW_KEY_MEDIA_TYPE, "Audio",
                                                      PW_KEY_MEDIA_CATEGORY, "Filter",
                                                      PW_KEY_MEDIA_ROLE, "DSP",
                                                      PW_KEY_NODE_NAME, "Busker", NULL),
                                   &filter_events, &t);
  for (int i = 0; i < 4; i++)
    {
      t.ports[i].name = specs[i].name;
      t.ports[i].direction = specs[i].direction;
      t.ports[i].global_id = SPA_ID_INVALID;
      t.ports[i].port = add_port (&t, specs[i].name, specs[i].direction);
      if (t.ports[i].port == NULL)
        {
          fprintf (stderr, "FAIL: could not add port %s\n", specs[i].name);
          return 1;
        }
    }
  if (pw_filter_connect (t.filter, PW_FILTER_FLAG_RT_PROCESS, NULL, 0) < 0)
    {
      fprintf (stderr, "FAIL: pw_filter_connect: is a PipeWire daemon running?\n");
      return 1;
    }

  /* Wait until the filter's node is created so its id is known before the
   * observer compares registry ids against it. */
  t.stage = "node id";
  timer = pw_loop_add_timer (pw_main_loop_get_loop (t.loop), on_tick, &t);
  pw_loop_update_timer (pw_main_loop_get_loop (t.loop), timer, &interval, &interval, false);
  pw_loop_enter (pw_main_loop_get_loop (t.loop));
  while (pw_filter_get_node_id (t.filter) == SPA_ID_INVALID && !t.failed)
    pw_loop_iterate (pw_main_loop_get_loop (t.loop), -1);
  pw_loop_leave (pw_main_loop_get_loop (t.loop));

  t.stage = "registry";
  t.context = pw_context_new (pw_main_loop_get_loop (t.loop), NULL, 0);
  t.core = pw_context_connect (t.context, NULL, 0);
  if (t.core == NULL)
    {
      fprintf (stderr, "FAIL: second connection to the daemon\n");
      return 1;
    }
  t.registry = pw_core_get_registry (t.core, PW_VERSION_REGISTRY, 0);
  pw_registry_add_listener (t.registry, &t.registry_listener, &registry_events, &t);

  if (!t.failed)
    pw_main_loop_run (t.loop);

  if (!t.failed && atomic_load (&t.last_n_samples) == 0)
    fail (&t, "process() ran with an empty quantum");
  if (!t.failed)
    printf ("ok: node Busker id %u, ports in %u/%u out %u/%u, %d cycles of %u samples\n",
            t.registry_node_id, t.ports[0].global_id, t.ports[1].global_id,
            t.ports[2].global_id, t.ports[3].global_id, atomic_load (&t.cycles),
            atomic_load (&t.last_n_samples));

  for (int c = 0; c < 2; c++)
    if (t.links[c] != NULL)
      pw_proxy_destroy (t.links[c]);
  pw_proxy_destroy ((struct pw_proxy *) t.registry);
  pw_core_disconnect (t.core);
  pw_context_destroy (t.context);
  pw_filter_destroy (t.filter);
  pw_loop_destroy_source (pw_main_loop_get_loop (t.loop), timer);
  pw_main_loop_destroy (t.loop);
  pw_deinit ();
  return t.failed ? 1 : 0;
}
