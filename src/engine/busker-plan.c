/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The plan compiler: BuskerMixDesc in, an immutable BuskerPlan out.
 *
 * Decisions:
 * - Pull routing. Every strip owns its buffers; a bus starts each block by
 *   summing its input edges (feeder outputs and sends) from the feeders'
 *   buffers. Nothing writes into another strip's buffer, so the strips of
 *   one topological level have no shared state and may run in parallel,
 *   and a strip's post-fader output stays readable for stems.
 * - Levels: a track is level 0, a bus is one more than its deepest feeder.
 *   Kahn's algorithm finds them and, with leftovers, the cycles.
 * - Everything is allocated here, for max_block frames: buffers, effect
 *   units, edge delay lines, bypass delay lines. process() never allocates.
 * - One atomic float slot per runtime parameter (trim, polarity, fader,
 *   pan, mute, solo, send level/pan/mute, every insert parameter and
 *   bypass), so a parameter change never needs a new plan. Insert slots
 *   carry a serial so the audio side scans a unit's table only after a
 *   store. Meters (peak, RMS, gain reduction) and fault flags flow back
 *   the same way.
 * - Mute/solo: the setters keep a routing copy on the main thread, run
 *   busker_solo_resolve and publish one "audible" flag per strip.
 * - Latency compensation: a strip's latency is the sum of its inserts'
 *   klass->latency at build time (bypassed ones included: a bypassed unit
 *   becomes a delay of the same length, so bypass never shifts timing).
 *   Each bus input edge is delayed so that all of them arrive aligned with
 *   the latest one. A change of a look-ahead parameter at run time is not
 *   compensated until the next plan: the model treats it as structural.
 */
#include "busker-plan-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "busker-render.h"
#include "busker-solo.h"

G_DEFINE_QUARK (busker-engine-error-quark, busker_engine_error)

static const char *
strip_label (const BuskerMixDesc *desc, uint32_t i)
{
  const BuskerStripDesc *s = &desc->strips[i];
  if (s->name != NULL && s->name[0] != '\0')
    return s->name;
  if (s->id != NULL && s->id[0] != '\0')
    return s->id;
  return "(unnamed)";
}

static gboolean
fail (GError **error, int code, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, int code, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, BUSKER_ENGINE_ERROR, code, msg);
  return FALSE;
}

static gboolean
validate_routes (const BuskerMixDesc *desc, GError **error)
{
  int32_t master = busker_mix_desc_find_master (desc);

  if (!(desc->sample_rate >= 8000 && desc->sample_rate <= 768000))
    return fail (error, BUSKER_ENGINE_ERROR_INVALID,
                 "The sample rate %g Hz is not one audio can run at", desc->sample_rate);
  if (master < 0)
    return fail (error, BUSKER_ENGINE_ERROR_INVALID, "The mix has no master bus");

  for (uint32_t i = 0; i < desc->n_strips; i++)
    {
      const BuskerStripDesc *s = &desc->strips[i];

      if (s->kind == BUSKER_STRIP_MASTER)
        {
          if ((int32_t) i != master)
            return fail (error, BUSKER_ENGINE_ERROR_INVALID,
                         "“%s” is a second master bus; a mix has exactly one",
                         strip_label (desc, i));
          if (s->output != -1)
            return fail (error, BUSKER_ENGINE_ERROR_INVALID,
                         "The master bus “%s” cannot have an output",
                         strip_label (desc, i));
        }
      else
        {
          if (s->output < 0 || s->output >= (int32_t) desc->n_strips
              || s->output == (int32_t) i)
            return fail (error, BUSKER_ENGINE_ERROR_INVALID,
                         "“%s” has no valid output; route it to a subgroup or the master",
                         strip_label (desc, i));
          BuskerStripKind to = desc->strips[s->output].kind;
          if (to != BUSKER_STRIP_SUBGROUP && to != BUSKER_STRIP_MASTER)
            return fail (error, BUSKER_ENGINE_ERROR_INVALID,
                         "“%s” outputs to “%s”, which is not a subgroup or the master",
                         strip_label (desc, i), strip_label (desc, s->output));
        }

      for (uint32_t k = 0; k < s->n_sends; k++)
        {
          uint32_t to = s->sends[k].to;
          if (to >= desc->n_strips || to == i || desc->strips[to].kind != BUSKER_STRIP_AUX)
            return fail (error, BUSKER_ENGINE_ERROR_INVALID,
                         "Send %u of “%s” does not go to an aux bus", k + 1,
                         strip_label (desc, i));
        }

      for (uint32_t k = 0; k < s->n_inserts; k++)
        if (s->inserts[k].klass == NULL || s->inserts[k].values == NULL)
          return fail (error, BUSKER_ENGINE_ERROR_INVALID,
                       "Insert %u of “%s” has no effect type", k + 1,
                       strip_label (desc, i));
    }
  return TRUE;
}

/* Kahn's algorithm over output and send edges: fills order[] grouped by
 * level and each strip's level. Leftover strips sit on a cycle. */
static gboolean
sort_levels (const BuskerMixDesc *desc, BuskerPlan *plan, GError **error)
{
  uint32_t n = desc->n_strips;
  g_autofree uint32_t *indegree = g_new0 (uint32_t, n);
  g_autofree uint32_t *queue = g_new (uint32_t, n);
  uint32_t head = 0, tail = 0;

  for (uint32_t i = 0; i < n; i++)
    {
      const BuskerStripDesc *s = &desc->strips[i];
      if (s->output >= 0)
        indegree[s->output]++;
      for (uint32_t k = 0; k < s->n_sends; k++)
        indegree[s->sends[k].to]++;
    }
  for (uint32_t i = 0; i < n; i++)
    if (indegree[i] == 0)
      queue[tail++] = i;

  while (head < tail)
    {
      uint32_t i = queue[head++];
      const BuskerStripDesc *s = &desc->strips[i];
      uint32_t lvl = plan->strips[i].level + 1;

#define VISIT(to)                                                  \
      G_STMT_START {                                               \
        if (plan->strips[to].level < lvl)                          \
          plan->strips[to].level = lvl;                            \
        if (--indegree[to] == 0)                                   \
          queue[tail++] = (to);                                    \
      } G_STMT_END
      if (s->output >= 0)
        VISIT ((uint32_t) s->output);
      for (uint32_t k = 0; k < s->n_sends; k++)
        VISIT (s->sends[k].to);
#undef VISIT
    }

  if (tail < n)
    {
      g_autoptr (GString) names = g_string_new (NULL);
      for (uint32_t i = 0; i < n; i++)
        if (indegree[i] > 0)
          g_string_append_printf (names, "%s“%s”", names->len ? ", " : "",
                                  strip_label (desc, i));
      return fail (error, BUSKER_ENGINE_ERROR_INVALID,
                   "The routing has a loop through %s: it would feed back",
                   names->str);
    }

  for (uint32_t i = 0; i < n; i++)
    plan->n_levels = MAX (plan->n_levels, plan->strips[i].level + 1);
  plan->level_start = g_new0 (uint32_t, plan->n_levels + 1);
  for (uint32_t i = 0; i < n; i++)
    plan->level_start[plan->strips[i].level + 1]++;
  for (uint32_t l = 0; l < plan->n_levels; l++)
    plan->level_start[l + 1] += plan->level_start[l];
  g_autofree uint32_t *fill = g_memdup2 (plan->level_start, plan->n_levels * sizeof (uint32_t));
  plan->order = g_new (uint32_t, n);
  for (uint32_t i = 0; i < n; i++)
    plan->order[fill[plan->strips[i].level]++] = i;
  return TRUE;
}

static float *
alloc_buffer (uint32_t frames)
{
  return g_new0 (float, MAX (frames, 1));
}

static gboolean
build_insert (BuskerPlan *plan, BuskerPlanInsert *pi, const BuskerInsertDesc *d,
              double tempo_bpm, const char *strip_name, GError **error)
{
  const BuskerEffectClass *k = d->klass;

  pi->klass = k;
  pi->post_fader = d->post_fader;
  pi->self = k->create (plan->sample_rate, plan->max_block);
  if (pi->self == NULL)
    return fail (error, BUSKER_ENGINE_ERROR_FAILED,
                 "The %s on “%s” could not be created (out of memory?)",
                 k->type, strip_name);
  if (k->set_tempo != NULL && tempo_bpm > 0)
    k->set_tempo (pi->self, (float) tempo_bpm);

  pi->params = g_new (_Atomic float, k->n_params);
  pi->pushed = g_new (float, k->n_params);
  for (uint32_t j = 0; j < k->n_params; j++)
    {
      float v = busker_param_spec_clamp (&k->params[j], d->values[j]);
      atomic_init (&pi->params[j], v);
      pi->pushed[j] = v;
      k->set_param (pi->self, j, v);
    }
  /* Start settled at the snapshot's values, not gliding from defaults. */
  k->reset (pi->self);
  atomic_init (&pi->serial, 0);
  atomic_init (&pi->bypass, d->bypass ? 1.0f : 0.0f);
  atomic_init (&pi->gr_db, 0.0f);
  pi->was_bypassed = d->bypass;
  pi->latency = k->latency != NULL ? k->latency (pi->self) : 0;
  if (pi->latency > 0)
    for (int c = 0; c < 2; c++)
      pi->bypass_ring[c] = alloc_buffer (pi->latency);
  return TRUE;
}

static void
init_strip_atomics (BuskerPlanStrip *ps, const BuskerStripDesc *s)
{
  atomic_init (&ps->trim_db, s->trim_db);
  atomic_init (&ps->polarity, s->polarity_invert ? 1.0f : 0.0f);
  atomic_init (&ps->gain_db, s->gain_db);
  atomic_init (&ps->pan, s->pan);
  atomic_init (&ps->mute, s->mute ? 1.0f : 0.0f);
  atomic_init (&ps->solo, s->solo ? 1.0f : 0.0f);
  atomic_init (&ps->audible, 1);
  atomic_init (&ps->fault, 0);
  for (int c = 0; c < 2; c++)
    {
      atomic_init (&ps->peak[c], 0.0f);
      atomic_init (&ps->rms[c], 0.0f);
    }
}

/* Edges into each bus, with the delays that align them (see top). */
static void
build_edges (const BuskerMixDesc *desc, BuskerPlan *plan)
{
  g_autofree uint32_t *count = g_new0 (uint32_t, plan->n_strips);

  for (uint32_t i = 0; i < desc->n_strips; i++)
    {
      const BuskerStripDesc *s = &desc->strips[i];
      if (s->output >= 0)
        count[s->output]++;
      for (uint32_t k = 0; k < s->n_sends; k++)
        count[s->sends[k].to]++;
    }
  for (uint32_t i = 0; i < plan->n_strips; i++)
    {
      plan->strips[i].edges = g_new0 (BuskerPlanEdge, MAX (count[i], 1));
      plan->strips[i].n_edges = 0;
    }
  for (uint32_t i = 0; i < desc->n_strips; i++)
    {
      const BuskerStripDesc *s = &desc->strips[i];
      if (s->output >= 0)
        {
          BuskerPlanStrip *to = &plan->strips[s->output];
          to->edges[to->n_edges++] = (BuskerPlanEdge) { .from = i, .send = -1,
                                                        .level = { NAN, 0 },
                                                        .pan = { NAN, 0, 0 } };
        }
      for (uint32_t k = 0; k < s->n_sends; k++)
        {
          BuskerPlanStrip *to = &plan->strips[s->sends[k].to];
          to->edges[to->n_edges++] = (BuskerPlanEdge) { .from = i, .send = (int32_t) k,
                                                        .level = { NAN, 0 },
                                                        .pan = { NAN, 0, 0 } };
        }
    }
}

static uint32_t
edge_arrival (const BuskerPlan *plan, const BuskerPlanEdge *e)
{
  const BuskerPlanStrip *from = &plan->strips[e->from];
  if (e->send >= 0 && from->sends[e->send].pre_fader)
    return from->latency_in + from->latency_pre;
  return from->latency_out;
}

static void
compensate_latency (BuskerPlan *plan)
{
  for (uint32_t o = 0; o < plan->n_strips; o++)
    {
      BuskerPlanStrip *s = &plan->strips[plan->order[o]];
      uint32_t pre = 0, post = 0;

      for (uint32_t k = 0; k < s->n_inserts; k++)
        {
          if (s->inserts[k].post_fader)
            post += s->inserts[k].latency;
          else
            pre += s->inserts[k].latency;
        }
      s->latency_in = 0;
      for (uint32_t e = 0; e < s->n_edges; e++)
        s->latency_in = MAX (s->latency_in, edge_arrival (plan, &s->edges[e]));
      for (uint32_t e = 0; e < s->n_edges; e++)
        {
          BuskerPlanEdge *edge = &s->edges[e];
          edge->delay = s->latency_in - edge_arrival (plan, edge);
          if (edge->delay > 0)
            for (int c = 0; c < 2; c++)
              edge->ring[c] = alloc_buffer (edge->delay);
        }
      s->latency_pre = pre;
      s->latency_out = s->latency_in + pre + post;
    }
}

static void
init_smoothing (BuskerPlan *plan)
{
  const float sr = (float) plan->sample_rate;
  const float tau_s = 0.010f; /* fader, pan, trim: fast but click-free */

  for (uint32_t i = 0; i < plan->n_strips; i++)
    {
      BuskerPlanStrip *s = &plan->strips[i];
      s->trim_gain = s->fader_gain = (BuskerDbGain) { NAN, 0 };
      s->pan_gains = (BuskerPanGains) { NAN, 0, 0 };
      busker_smoothed_init (&s->in_gain, 1.0f, tau_s, sr);
      busker_smoothed_init (&s->fader, 1.0f, tau_s, sr);
      busker_smoothed_init (&s->pan_gain[0], 1.0f, tau_s, sr);
      busker_smoothed_init (&s->pan_gain[1], 1.0f, tau_s, sr);
      busker_smoothed_init (&s->on, 1.0f, 0.005f, sr);
      busker_smoothed_init (&s->fault_gain, 1.0f, 0.005f, sr);
      for (uint32_t e = 0; e < s->n_edges; e++)
        for (int c = 0; c < 2; c++)
          busker_smoothed_init (&s->edges[e].gain[c], 1.0f, tau_s, sr);
    }
}

static int
compare_keys (const void *a, const void *b)
{
  uint64_t x = ((const BuskerPlanInsertKey *) a)->key;
  uint64_t y = ((const BuskerPlanInsertKey *) b)->key;
  return x < y ? -1 : x > y;
}

static void
build_keys (const BuskerMixDesc *desc, BuskerPlan *plan)
{
  uint32_t n = 0;
  for (uint32_t i = 0; i < plan->n_strips; i++)
    n += plan->strips[i].n_inserts;
  plan->keys = g_new (BuskerPlanInsertKey, MAX (n, 1));

  for (uint32_t i = 0; i < plan->n_strips; i++)
    {
      const BuskerStripDesc *s = &desc->strips[i];
      g_autofree char *fallback = g_strdup_printf ("#%u", i);
      uint64_t strip_hash = g_str_hash (s->id != NULL ? s->id : fallback);
      for (uint32_t k = 0; k < plan->strips[i].n_inserts; k++)
        {
          BuskerPlanInsert *pi = &plan->strips[i].inserts[k];
          uint32_t occurrence = 0;
          for (uint32_t j = 0; j < k; j++)
            occurrence += plan->strips[i].inserts[j].klass == pi->klass;
          uint64_t key = strip_hash << 32
                         | (uint64_t) (g_str_hash (pi->klass->type) & 0xffffu) << 16
                         | (occurrence & 0xffffu);
          plan->keys[plan->n_keys++] = (BuskerPlanInsertKey) { key, pi };
        }
    }
  qsort (plan->keys, plan->n_keys, sizeof *plan->keys, compare_keys);
}

/* RT-safe */
void
busker_plan_adopt_units (BuskerPlan *next, BuskerPlan *prev)
{
  if (next->sample_rate != prev->sample_rate || next->max_block != prev->max_block)
    return;

  uint32_t a = 0, b = 0;
  while (a < next->n_keys && b < prev->n_keys)
    {
      BuskerPlanInsertKey *x = &next->keys[a], *y = &prev->keys[b];
      if (x->key < y->key)
        a++;
      else if (x->key > y->key)
        b++;
      else
        {
          BuskerPlanInsert *n = x->insert, *o = y->insert;
          if (n->klass == o->klass && n->latency == o->latency)
            {
              void *self = n->self;
              n->self = o->self;
              o->self = self;
              /* The running unit holds prev's values: make the next
               * block push whatever differs from them. */
              memcpy (n->pushed, o->pushed, n->klass->n_params * sizeof (float));
              n->seen_serial = atomic_load_explicit (&n->serial, memory_order_relaxed) - 1;
              n->was_bypassed = o->was_bypassed;
            }
          a++;
          b++;
        }
    }
}

static BuskerMixDesc *
copy_routing (const BuskerMixDesc *desc)
{
  BuskerMixDesc *r = busker_mix_desc_new (desc->n_strips, desc->sample_rate);
  for (uint32_t i = 0; i < desc->n_strips; i++)
    {
      const BuskerStripDesc *s = &desc->strips[i];
      BuskerStripDesc *t = &r->strips[i];
      t->kind = s->kind;
      t->output = s->output;
      t->mute = s->mute;
      t->solo = s->solo;
      busker_strip_desc_alloc_sends (t, s->n_sends);
      for (uint32_t k = 0; k < s->n_sends; k++)
        t->sends[k] = s->sends[k];
    }
  return r;
}

static void
publish_audible (BuskerPlan *plan)
{
  g_autofree bool *audible = g_new (bool, plan->n_strips);
  busker_solo_resolve (plan->routing, audible);
  for (uint32_t i = 0; i < plan->n_strips; i++)
    atomic_store_explicit (&plan->strips[i].audible, audible[i], memory_order_release);
}

BuskerPlan *
busker_plan_new (const BuskerMixDesc *desc, uint32_t max_block, GError **error)
{
  g_return_val_if_fail (desc != NULL, NULL);
  g_return_val_if_fail (max_block > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!validate_routes (desc, error))
    return NULL;

  BuskerPlan *plan = g_new0 (BuskerPlan, 1);
  plan->sample_rate = desc->sample_rate;
  plan->max_block = max_block;
  plan->n_strips = desc->n_strips;
  plan->strips = g_new0 (BuskerPlanStrip, desc->n_strips);
  plan->master = (uint32_t) busker_mix_desc_find_master (desc);
  plan->rms_coef_per_frame = busker_one_pole_coef (0.3f, (float) desc->sample_rate);

  if (!sort_levels (desc, plan, error))
    {
      busker_plan_free (plan);
      return NULL;
    }

  for (uint32_t i = 0; i < desc->n_strips; i++)
    {
      const BuskerStripDesc *s = &desc->strips[i];
      BuskerPlanStrip *ps = &plan->strips[i];

      ps->kind = s->kind;
      ps->name = g_strdup (strip_label (desc, i));
      init_strip_atomics (ps, s);
      for (int c = 0; c < 2; c++)
        ps->buf[c] = ps->own[c] = alloc_buffer (max_block);

      ps->sends = g_new0 (BuskerPlanSend, MAX (s->n_sends, 1));
      ps->n_sends = s->n_sends;
      for (uint32_t k = 0; k < s->n_sends; k++)
        {
          ps->sends[k].to = s->sends[k].to;
          ps->sends[k].pre_fader = s->sends[k].pre_fader;
          atomic_init (&ps->sends[k].level_db, s->sends[k].level_db);
          atomic_init (&ps->sends[k].pan, s->sends[k].pan);
          atomic_init (&ps->sends[k].mute, s->sends[k].mute ? 1.0f : 0.0f);
          ps->has_pre_sends |= s->sends[k].pre_fader;
        }
      if (ps->has_pre_sends)
        for (int c = 0; c < 2; c++)
          ps->pre[c] = alloc_buffer (max_block);

      ps->inserts = g_new0 (BuskerPlanInsert, MAX (s->n_inserts, 1));
      for (uint32_t k = 0; k < s->n_inserts; k++)
        {
          if (!build_insert (plan, &ps->inserts[k], &s->inserts[k], desc->tempo_bpm,
                             ps->name, error))
            {
              busker_plan_free (plan);
              return NULL;
            }
          ps->n_inserts = k + 1;
        }
    }

  build_edges (desc, plan);
  compensate_latency (plan);
  init_smoothing (plan);
  plan->routing = copy_routing (desc);
  build_keys (desc, plan);
  publish_audible (plan);
  busker_plan_settle (plan);
  return plan;
}

void
busker_plan_share_buffers (BuskerPlan *plan)
{
  g_return_if_fail (plan != NULL);
  /* Feeders come first in plan->order, so a chain of such buses ends up
   * in one pair of buffers. */
  for (uint32_t o = 0; o < plan->n_strips; o++)
    {
      BuskerPlanStrip *s = &plan->strips[plan->order[o]];
      if (s->kind == BUSKER_STRIP_TRACK || s->n_edges != 1)
        continue;
      const BuskerPlanEdge *edge = &s->edges[0];
      const BuskerPlanStrip *from = &plan->strips[edge->from];
      if (edge->send >= 0 || edge->delay > 0 || from->n_sends > 0 || from->has_pre_sends)
        continue;
      s->buf[0] = from->buf[0];
      s->buf[1] = from->buf[1];
      s->in_place = true;
    }
}

void
busker_plan_set_tap (BuskerPlan *plan, BuskerPlanTapFunc tap, void *data)
{
  g_return_if_fail (plan != NULL);
  plan->tap = tap;
  plan->tap_data = data;
}

void
busker_plan_free (BuskerPlan *plan)
{
  if (plan == NULL)
    return;
  if (plan->binding_free != NULL)
    plan->binding_free (plan->binding);
  for (uint32_t i = 0; i < plan->n_strips; i++)
    {
      BuskerPlanStrip *s = &plan->strips[i];
      for (uint32_t k = 0; k < s->n_inserts; k++)
        {
          BuskerPlanInsert *pi = &s->inserts[k];
          pi->klass->destroy (pi->self);
          g_free (pi->params);
          g_free (pi->pushed);
          g_free (pi->bypass_ring[0]);
          g_free (pi->bypass_ring[1]);
        }
      for (uint32_t e = 0; e < s->n_edges; e++)
        {
          g_free (s->edges[e].ring[0]);
          g_free (s->edges[e].ring[1]);
        }
      g_free (s->inserts);
      g_free (s->sends);
      g_free (s->edges);
      for (int c = 0; c < 2; c++)
        {
          g_free (s->own[c]);
          g_free (s->pre[c]);
        }
      g_free (s->name);
    }
  g_free (plan->strips);
  g_free (plan->order);
  g_free (plan->level_start);
  busker_mix_desc_free (plan->routing);
  g_free (plan->keys);
  g_free (plan);
}

uint32_t
busker_plan_get_n_strips (const BuskerPlan *plan)
{
  return plan->n_strips;
}

uint32_t
busker_plan_get_max_block (const BuskerPlan *plan)
{
  return plan->max_block;
}

uint32_t
busker_plan_get_master (const BuskerPlan *plan)
{
  return plan->master;
}

uint32_t
busker_plan_get_latency (const BuskerPlan *plan)
{
  return plan->strips[plan->master].latency_out;
}

#define STRIP_OK(plan, strip) ((plan) != NULL && (strip) < (plan)->n_strips)
#define CHECK_STRIP(plan, strip) g_return_if_fail (STRIP_OK (plan, strip))
#define CHECK_STRIP_VAL(plan, strip, val) g_return_val_if_fail (STRIP_OK (plan, strip), val)

uint32_t
busker_plan_get_strip_latency (const BuskerPlan *plan, uint32_t strip)
{
  CHECK_STRIP_VAL (plan, strip, 0);
  return plan->strips[strip].latency_out;
}

void
busker_plan_set_strip_mono_source (BuskerPlan *plan, uint32_t strip, bool mono)
{
  CHECK_STRIP (plan, strip);
  plan->strips[strip].mono_source = mono;
  busker_plan_settle (plan);
}

static void
store (_Atomic float *slot, float value)
{
  atomic_store_explicit (slot, value, memory_order_relaxed);
}

void
busker_plan_set_strip_trim_db (BuskerPlan *plan, uint32_t strip, float db)
{
  CHECK_STRIP (plan, strip);
  store (&plan->strips[strip].trim_db, db);
}

void
busker_plan_set_strip_polarity_invert (BuskerPlan *plan, uint32_t strip, bool invert)
{
  CHECK_STRIP (plan, strip);
  store (&plan->strips[strip].polarity, invert ? 1.0f : 0.0f);
}

void
busker_plan_set_strip_gain_db (BuskerPlan *plan, uint32_t strip, float db)
{
  CHECK_STRIP (plan, strip);
  store (&plan->strips[strip].gain_db, db);
}

void
busker_plan_set_strip_pan (BuskerPlan *plan, uint32_t strip, float pan)
{
  CHECK_STRIP (plan, strip);
  store (&plan->strips[strip].pan, CLAMP (pan, -1.0f, 1.0f));
}

void
busker_plan_set_strip_mute (BuskerPlan *plan, uint32_t strip, bool mute)
{
  CHECK_STRIP (plan, strip);
  store (&plan->strips[strip].mute, mute ? 1.0f : 0.0f);
  plan->routing->strips[strip].mute = mute;
  publish_audible (plan);
}

void
busker_plan_set_strip_solo (BuskerPlan *plan, uint32_t strip, bool solo)
{
  CHECK_STRIP (plan, strip);
  store (&plan->strips[strip].solo, solo ? 1.0f : 0.0f);
  plan->routing->strips[strip].solo = solo;
  publish_audible (plan);
}

bool
busker_plan_get_strip_audible (const BuskerPlan *plan, uint32_t strip)
{
  CHECK_STRIP_VAL (plan, strip, false);
  return atomic_load_explicit (&plan->strips[strip].audible, memory_order_acquire);
}

static BuskerPlanSend *
get_send (BuskerPlan *plan, uint32_t strip, uint32_t send)
{
  CHECK_STRIP_VAL (plan, strip, NULL);
  g_return_val_if_fail (send < plan->strips[strip].n_sends, NULL);
  return &plan->strips[strip].sends[send];
}

void
busker_plan_set_send_level_db (BuskerPlan *plan, uint32_t strip, uint32_t send, float db)
{
  BuskerPlanSend *s = get_send (plan, strip, send);
  if (s != NULL)
    store (&s->level_db, db);
}

void
busker_plan_set_send_pan (BuskerPlan *plan, uint32_t strip, uint32_t send, float pan)
{
  BuskerPlanSend *s = get_send (plan, strip, send);
  if (s != NULL)
    store (&s->pan, CLAMP (pan, -1.0f, 1.0f));
}

void
busker_plan_set_send_mute (BuskerPlan *plan, uint32_t strip, uint32_t send, bool mute)
{
  BuskerPlanSend *s = get_send (plan, strip, send);
  if (s != NULL)
    store (&s->mute, mute ? 1.0f : 0.0f);
}

static BuskerPlanInsert *
get_insert (const BuskerPlan *plan, uint32_t strip, uint32_t insert)
{
  CHECK_STRIP_VAL (plan, strip, NULL);
  g_return_val_if_fail (insert < plan->strips[strip].n_inserts, NULL);
  return &plan->strips[strip].inserts[insert];
}

void
busker_plan_set_insert_param (BuskerPlan *plan, uint32_t strip, uint32_t insert,
                              uint32_t index, float value)
{
  BuskerPlanInsert *pi = get_insert (plan, strip, insert);
  if (pi == NULL)
    return;
  g_return_if_fail (index < pi->klass->n_params);
  store (&pi->params[index], busker_param_spec_clamp (&pi->klass->params[index], value));
  /* Release: the audio side that sees the new serial sees the value. */
  atomic_fetch_add_explicit (&pi->serial, 1, memory_order_release);
}

void
busker_plan_set_insert_bypass (BuskerPlan *plan, uint32_t strip, uint32_t insert,
                               bool bypass)
{
  BuskerPlanInsert *pi = get_insert (plan, strip, insert);
  if (pi != NULL)
    store (&pi->bypass, bypass ? 1.0f : 0.0f);
}

float
busker_plan_read_strip_peak_db (BuskerPlan *plan, uint32_t strip, uint32_t channel)
{
  CHECK_STRIP_VAL (plan, strip, -INFINITY);
  g_return_val_if_fail (channel < 2, -INFINITY);
  float peak = atomic_exchange_explicit (&plan->strips[strip].peak[channel], 0.0f,
                                         memory_order_relaxed);
  return peak > 0.0f ? 20.0f * log10f (peak) : -INFINITY;
}

float
busker_plan_get_strip_rms_db (const BuskerPlan *plan, uint32_t strip, uint32_t channel)
{
  CHECK_STRIP_VAL (plan, strip, -INFINITY);
  g_return_val_if_fail (channel < 2, -INFINITY);
  float rms = atomic_load_explicit (&plan->strips[strip].rms[channel], memory_order_relaxed);
  return rms > 0.0f ? 20.0f * log10f (rms) : -INFINITY;
}

float
busker_plan_get_insert_gain_reduction_db (const BuskerPlan *plan, uint32_t strip,
                                          uint32_t insert)
{
  BuskerPlanInsert *pi = get_insert (plan, strip, insert);
  return pi != NULL ? atomic_load_explicit (&pi->gr_db, memory_order_relaxed) : 0.0f;
}

bool
busker_plan_read_strip_fault (BuskerPlan *plan, uint32_t strip)
{
  CHECK_STRIP_VAL (plan, strip, false);
  return atomic_exchange_explicit (&plan->strips[strip].fault, 0, memory_order_relaxed);
}
