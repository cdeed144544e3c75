/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The live node's data-thread side: one call per graph cycle.
 *
 * A cycle: take the plan (busker_plan_swap_acquire), copy each live or
 * capture track's filter input pair into its track input (an unlinked
 * port is silence), silence the other tracks, let hooks.before_run fill
 * file tracks, run the plan, let hooks.after_run read it, copy the master
 * to the output pair. Nothing else: no allocation, lock, log or I/O; the
 * only system calls are clock_gettime (vDSO) and, on a rate or quantum
 * change or when a new plan replaced the last one, one eventfd write that
 * wakes the main thread (which then frees the old plan: nothing on the
 * main thread polls for that).
 *
 * Idle: when every track input is exactly zero and the master has been
 * exactly zero for a second, the plan is not run (its output stays
 * zero); this is what keeps Busker near 0 % when other applications play
 * straight to the device and the graph schedules Busker's nodes too.
 *
 * The map (which input pair feeds which strip) is replaced by the main
 * thread with one atomic store; the data thread reports the generation
 * it used at the end of each cycle, and older maps are freed on the main
 * thread after that (busker_live_rt_collect_maps). A map made by
 * busker_live_publish names its plan and is published before the plan,
 * so the data thread always finds the map of the plan it runs (walking
 * back from the newest map, never past the one it used last); a map from
 * busker_live_set_tracks fits any plan of its shape.
 */
#include "busker-live-private.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "busker-process.h"
#include "dsp/fast-math.h"

void
busker_live_post (BuskerLive *live, int flags)
{
  uint64_t one = 1;

  atomic_fetch_or (&live->notify_flags, flags);
  /* A full counter (never here) only means a wake-up is pending anyway. */
  if (write (live->rt.notify_fd, &one, sizeof one) < 0)
    return;
}

/* RT-safe */
static uint64_t
now_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

/* RT-safe: four lanes at a time (GCC -O2 leaves the plain loop scalar),
 * 64 samples between looks, so sound is found in the first few. */
static bool
all_zero (const float *x, uint32_t n)
{
  BuskerV4i acc = { 0, 0, 0, 0 };
  uint32_t bits = 0;
  size_t i = 0;

  /* -0.0 counts as sound here; harmless. */
  while (i + 4 <= n)
    {
      size_t stop = i + 64 < n ? i + 64 : n;
      for (; i + 4 <= stop; i += 4)
        {
          BuskerV4i v;
          memcpy (&v, x + i, sizeof v);
          acc |= v;
        }
      if ((acc[0] | acc[1] | acc[2] | acc[3]) != 0)
        return false;
    }
  for (; i < n; i++)
    {
      uint32_t u;
      memcpy (&u, x + i, sizeof u);
      bits |= u;
    }
  return (bits | (uint32_t) (acc[0] | acc[1] | acc[2] | acc[3])) == 0;
}

/* RT-safe */
static void
write_outputs (BuskerLiveRt *rt, const BuskerPlan *plan, uint32_t n)
{
  for (int c = 0; c < 2; c++)
    {
      float *out = rt->out_ports[c] ? pw_filter_get_dsp_buffer (rt->out_ports[c], n) : NULL;
      if (out == NULL)
        continue;
      if (plan != NULL)
        memcpy (out, busker_process_strip_output (plan, busker_plan_get_master (plan), c),
                n * sizeof (float));
      else
        memset (out, 0, n * sizeof (float));
    }
}

/* RT-safe: fills every track input; returns whether any of them has
 * sound after before_run. */
static bool
fill_inputs (BuskerLiveRt *rt, BuskerPlan *plan, const BuskerLiveMap *map, uint32_t n,
             uint32_t rate, uint64_t time_ns)
{
  uint32_t n_strips = busker_plan_get_n_strips (plan);
  bool sound = false;

  if (map == NULL || map->n_strips != n_strips)
    {
      /* A plan of another shape than the map: the session publishes the
       * map right after the plan, so this lasts a cycle at most. Writing
       * a bus's input is harmless (buses sum into it). */
      for (uint32_t s = 0; s < n_strips; s++)
        for (int c = 0; c < 2; c++)
          memset (busker_process_track_input (plan, s, c), 0, n * sizeof (float));
    }
  else
    {
      /* tracks without a feed (file tracks: before_run fills them) */
      for (uint32_t t = 0; t < map->n_unfed; t++)
        for (int c = 0; c < 2; c++)
          memset (busker_process_track_input (plan, map->tracks[t], c), 0, n * sizeof (float));
      for (uint32_t f = 0; f < map->n_feeds; f++)
        for (int c = 0; c < 2; c++)
          {
            void *port = atomic_load_explicit (&rt->in_ports[map->feeds[f].slot][c],
                                               memory_order_acquire);
            const float *src = port ? pw_filter_get_dsp_buffer (port, n) : NULL;
            float *dst = busker_process_track_input (plan, map->feeds[f].strip, c);
            if (src != NULL)
              memcpy (dst, src, n * sizeof (float));
            else
              memset (dst, 0, n * sizeof (float));
          }
    }

  if (rt->hooks.before_run != NULL)
    rt->hooks.before_run (rt->hooks.data, plan, n, rate, time_ns);

  if (map == NULL || map->n_strips != n_strips)
    return true; /* unknown shape: just run */
  for (uint32_t t = 0; t < map->n_tracks && !sound; t++)
    for (int c = 0; c < 2 && !sound; c++)
      sound = !all_zero (busker_process_track_input (plan, map->tracks[t], c), n);
  return sound;
}

/* RT-safe: the newest map made for this plan or for any plan. */
static BuskerLiveMap *
find_map (BuskerLiveRt *rt, const BuskerPlan *plan)
{
  BuskerLiveMap *m = atomic_load_explicit (&rt->map, memory_order_acquire);

  for (; m != NULL; m = m->prev)
    {
      if (m->plan == plan || m->plan == NULL)
        return m;
      /* Older maps than the one used last may be freed already. */
      if (m->gen <= rt->used_gen)
        break;
    }
  return NULL;
}

/* RT-safe */
void
busker_live_rt_process (void *data, struct spa_io_position *position)
{
  BuskerLive *live = data;
  BuskerLiveRt *rt = &live->rt;
  uint64_t start = now_ns ();
  uint32_t n = (uint32_t) position->clock.duration;
  uint32_t rate = position->clock.rate.denom;

  if (n > BUSKER_LIVE_MAX_BLOCK)
    n = BUSKER_LIVE_MAX_BLOCK;
  if (n == 0)
    return;
  if (n != atomic_load_explicit (&rt->quantum, memory_order_relaxed)
      || rate != atomic_load_explicit (&rt->rate_hz, memory_order_relaxed))
    {
      atomic_store (&rt->quantum, n);
      atomic_store (&rt->rate_hz, rate);
      rt->quiet_cycles = 0;
      busker_live_post (live, BUSKER_LIVE_NOTIFY_FORMAT);
    }

  BuskerPlan *plan = busker_plan_swap_acquire (rt->swap);
  BuskerLiveMap *map = find_map (rt, plan);

  if (plan != rt->last_plan)
    {
      if (rt->last_plan != NULL)
        busker_live_post (live, BUSKER_LIVE_NOTIFY_RETIRED);
      rt->last_plan = plan;
    }

  /* A plan made for smaller blocks than the graph asks for cannot run
   * this cycle (plans for the live node use busker_live_get_max_block). */
  if (plan == NULL || n > busker_plan_get_max_block (plan))
    {
      write_outputs (rt, NULL, n);
      atomic_fetch_add_explicit (&rt->xruns, 1, memory_order_relaxed);
    }
  else
    {
      bool sound = fill_inputs (rt, plan, map, n, rate, position->clock.nsec);
      /* One second of exact silence in and out: nothing can come out. */
      bool idle = !sound && (uint64_t) rt->quiet_cycles * n >= rate;

      if (!idle)
        busker_process_run (plan, n);
      if (rt->hooks.after_run != NULL)
        rt->hooks.after_run (rt->hooks.data, plan, n, rate, position->clock.nsec);
      write_outputs (rt, idle ? NULL : plan, n);

      if (sound)
        rt->quiet_cycles = 0;
      else if (!idle)
        {
          uint32_t master = busker_plan_get_master (plan);
          bool quiet = all_zero (busker_process_strip_output (plan, master, 0), n)
                       && all_zero (busker_process_strip_output (plan, master, 1), n);
          rt->quiet_cycles = quiet ? rt->quiet_cycles + 1 : 0;
        }
    }

  if (map != NULL)
    {
      rt->used_gen = map->gen;
      atomic_store_explicit (&rt->map_seen, map->gen, memory_order_release);
    }

  /* Late by Busker's doing: woken in the first half of the cycle and
   * still not done when the next one is due. A cycle the driver started
   * late (a loaded machine, a daemon without real-time scheduling) is
   * not counted against Busker. */
  uint64_t end = now_ns ();
  uint64_t next = position->clock.next_nsec;
  if (next > position->clock.nsec && end > next
      && start < position->clock.nsec + (next - position->clock.nsec) / 2)
    atomic_fetch_add_explicit (&rt->xruns, 1, memory_order_relaxed);
  atomic_fetch_add_explicit (&rt->busy_ns, end - start, memory_order_relaxed);
  atomic_fetch_add_explicit (&rt->cycles, 1, memory_order_relaxed);
}

void
busker_live_rt_publish_map (BuskerLive *live, BuskerLiveMap *map)
{
  map->gen = ++live->map_gen;
  map->prev = atomic_load_explicit (&live->rt.map, memory_order_relaxed);
  BuskerLiveMap *old = atomic_exchange_explicit (&live->rt.map, map, memory_order_acq_rel);
  if (old != NULL)
    {
      old->next = live->retired;
      live->retired = old;
    }
  busker_live_rt_collect_maps (live, false);
}

static void
map_free (BuskerLiveMap *map)
{
  g_free (map->feeds);
  g_free (map->tracks);
  g_free (map);
}

/* Main thread. all: the data thread is known not to run (no filter). */
void
busker_live_rt_collect_maps (BuskerLive *live, bool all)
{
  uint64_t seen = atomic_load_explicit (&live->rt.map_seen, memory_order_acquire);
  BuskerLiveMap **link = &live->retired;
  BuskerLiveMap *head = atomic_load (&live->rt.map);

  if (all)
    {
      /* No data thread: the next one starts from the newest map. */
      if (head != NULL)
        head->prev = NULL;
      live->rt.used_gen = 0;
      live->rt.last_plan = NULL;
    }

  while (*link != NULL)
    {
      BuskerLiveMap *m = *link;
      if (all || m->gen < seen)
        {
          *link = m->next;
          map_free (m);
        }
      else
        link = &m->next;
    }
}

/* Main thread, once no filter exists any more. */
void
busker_live_rt_free_maps (BuskerLive *live)
{
  BuskerLiveMap *map = atomic_exchange (&live->rt.map, NULL);
  busker_live_rt_collect_maps (live, true);
  if (map != NULL)
    map_free (map);
}
