/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The engine-operations fuzz contract, shared by the libFuzzer target
 * (fuzz-engine.c) and the CI replay (test-fuzz-engine-replay.c).
 *
 * The input is a program: its first bytes build a mix (2–9 strips routed
 * upward by index so the snapshot is valid, sends to aux buses, 0–2
 * inserts of any registered effect class with parameter values from the
 * input), the rest is a list of operations: strip, send and insert
 * parameter changes (any float: NaN, ±Inf, 1e38 included), bypass,
 * structural edits (a new plan built from an edited snapshot, bound to
 * the transport and swapped in while running), transport moves (play,
 * pause, stop, loop, seeks to any position), input blocks of noise,
 * silence, subnormals, huge values, NaN and Inf, and blocks run of any
 * size up to max_block. Tracks play one of two small WAV files written
 * once per process (one mono 44.1 kHz, so the resampler runs), or a
 * file that does not exist.
 *
 * Checked after every block: the master's output is finite, and while no
 * huge finite input (above 1e3) has been fed it stays under 1e15 (no
 * runaway). With rt-trap linked (plain builds; BUSKER_FUZZ_RT_TRAP), the
 * audio side — acquire, filling inputs, transport fill, process — makes
 * no allocation,
 * lock, blocking call or log. Leaks are AddressSanitizer's (sanitizer
 * builds), every plan is freed through the swap.
 */
#pragma once

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sndfile.h>
#include <unistd.h>

#include "engine/busker-plan-swap.h"
#include "engine/busker-process.h"
#include "engine/busker-transport.h"
#include "dsp/params.h"

#ifdef BUSKER_FUZZ_RT_TRAP
#include "rt-trap.h"
#define FUZZ_RT_ENTER() rt_trap_enter ()
#define FUZZ_RT_LEAVE() rt_trap_leave ()
#else
#define FUZZ_RT_ENTER() ((void) 0)
#define FUZZ_RT_LEAVE() ((void) 0)
#endif

#define FUZZ_MAX_BLOCK 512
#define FUZZ_MAX_OPS 1500

typedef struct {
  const uint8_t *p;
  size_t n;
} FuzzBytes;

static inline uint8_t
fuzz_u8 (FuzzBytes *b)
{
  if (b->n == 0)
    return 0;
  b->n--;
  return *b->p++;
}

static inline uint32_t
fuzz_u32 (FuzzBytes *b)
{
  uint32_t v = 0;
  for (int i = 0; i < 4; i++)
    v = v << 8 | fuzz_u8 (b);
  return v;
}

/* Mostly values that mean something, sometimes raw bits. */
static inline float
fuzz_float (FuzzBytes *b)
{
  static const float table[] = {
    0.0f, -0.0f, 1.0f, -1.0f, 0.5f, -0.5f, 12.0f, -12.0f, 24.0f, -24.0f,
    -60.0f, -144.0f, 1e-40f, 1e3f, 1e10f, 3e38f, -3e38f, NAN, INFINITY, -INFINITY,
  };
  uint8_t k = fuzz_u8 (b);
  if (k < 200)
    return table[k % G_N_ELEMENTS (table)];
  uint32_t bits = fuzz_u32 (b);
  float f;
  memcpy (&f, &bits, sizeof f);
  return f;
}

/* The two source files, written once per process and removed at exit. */
static char *fuzz_sources[3];

static void
fuzz_remove_sources (void)
{
  for (int i = 0; i < 2; i++)
    g_unlink (fuzz_sources[i]);
}

static inline void
fuzz_write_sources (void)
{
  if (fuzz_sources[0] != NULL)
    return;
  static const struct { int rate, channels, frames; } spec[] = { { 48000, 2, 24000 }, { 44100, 1, 30000 } };
  for (int k = 0; k < 2; k++)
    {
      SF_INFO info = { .samplerate = spec[k].rate, .channels = spec[k].channels,
                       .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
      float *x = g_new (float, (size_t) spec[k].frames * spec[k].channels);
      for (int i = 0; i < spec[k].frames * spec[k].channels; i++)
        x[i] = 0.3f * sinf ((float) i * (0.01f + 0.02f * k));
      fuzz_sources[k] = g_strdup_printf ("%s/busker-fuzz-engine-%d-%d.wav", g_get_tmp_dir (),
                                         (int) getpid (), k);
      SNDFILE *f = sf_open (fuzz_sources[k], SFM_WRITE, &info);
      g_assert_nonnull (f);
      sf_writef_float (f, x, spec[k].frames);
      sf_close (f);
      g_free (x);
    }
  fuzz_sources[2] = g_strdup ("/nonexistent/busker-fuzz.wav");
  atexit (fuzz_remove_sources);
}

static inline uint32_t
fuzz_n_classes (void)
{
  uint32_t n = 0;
  while (busker_effect_classes[n] != NULL)
    n++;
  return n;
}

/* Strip i routes to a subgroup or the master above it, sends to aux
 * buses above it: the index order is a topological order, so the
 * snapshot is valid unless a kind makes a route impossible (then the
 * plan refuses it, which is fine too). */
static inline BuskerMixDesc *
fuzz_build_desc (FuzzBytes *b)
{
  uint32_t n = 2 + fuzz_u8 (b) % 8, n_classes = fuzz_n_classes ();
  BuskerMixDesc *d = busker_mix_desc_new (n, (fuzz_u8 (b) & 1) ? 44100 : 48000);
  d->tempo_bpm = 60 + fuzz_u8 (b);
  for (uint32_t i = 0; i < n; i++)
    {
      BuskerStripDesc *s = &d->strips[i];
      s->id = g_strdup_printf ("s%u", i);
      s->output = (int32_t) n - 1;
      if (i == n - 1)
        {
          s->kind = BUSKER_STRIP_MASTER;
          s->output = -1;
        }
      else
        s->kind = (BuskerStripKind) (fuzz_u8 (b) % 3);
      /* Output: the next subgroup above, if the input says so. */
      if (i + 1 < n - 1 && (fuzz_u8 (b) & 1))
        for (uint32_t j = i + 1; j < n - 1; j++)
          if (d->strips[j].kind == BUSKER_STRIP_SUBGROUP)
            {
              s->output = (int32_t) j;
              break;
            }
      s->gain_db = fuzz_u8 (b) % 2 ? 0.0f : -6.0f;
      if (s->kind == BUSKER_STRIP_TRACK && (fuzz_u8 (b) & 3))
        {
          s->source = BUSKER_SOURCE_FILE;
          s->source_path = g_strdup (fuzz_sources[fuzz_u8 (b) % 3]);
          s->source_offset_s = (fuzz_u8 (b) % 8) * 0.125;
        }
    }
  for (uint32_t i = 0; i + 1 < n; i++)
    {
      BuskerStripDesc *s = &d->strips[i];
      uint32_t n_ins = fuzz_u8 (b) % 3;
      busker_strip_desc_alloc_inserts (s, n_ins);
      for (uint32_t k = 0; k < n_ins; k++)
        {
          BuskerInsertDesc *ins = &s->inserts[k];
          const BuskerEffectClass *klass = busker_effect_classes[fuzz_u8 (b) % n_classes];
          busker_insert_desc_init (ins, klass);
          ins->post_fader = fuzz_u8 (b) & 1;
          for (uint32_t p = 0; p < klass->n_params; p++)
            if (fuzz_u8 (b) & 1)
              ins->values[p] = busker_param_spec_clamp (&klass->params[p], fuzz_float (b));
        }
      uint32_t n_sends = 0;
      for (uint32_t j = i + 1; j + 1 < n; j++)
        n_sends += d->strips[j].kind == BUSKER_STRIP_AUX;
      n_sends = n_sends ? fuzz_u8 (b) % (n_sends + 1) : 0;
      busker_strip_desc_alloc_sends (s, n_sends);
      for (uint32_t k = 0, j = i + 1; k < n_sends && j + 1 < n; j++)
        if (d->strips[j].kind == BUSKER_STRIP_AUX)
          s->sends[k++] = (BuskerSendDesc) {
            .to = j, .level_db = -6, .pre_fader = fuzz_u8 (b) & 1,
          };
    }
  return d;
}

typedef struct {
  BuskerPlanSwap *swap;
  BuskerTransport *transport;
  BuskerPlan *plan; /* the last one published: the main thread's handle */
  uint32_t n_strips;
  uint64_t frame;
  gboolean huge_fed;
  float peak;
} FuzzEngine;

static inline void
fuzz_fill (FuzzEngine *e, BuskerPlan *plan, uint32_t n, uint8_t kind, uint8_t where)
{
  static const float specials[] = { NAN, INFINITY, -INFINITY, 3e38f, 1e-40f, 1e10f };
  for (uint32_t s = 0; s < busker_plan_get_n_strips (plan); s++)
    for (uint32_t c = 0; c < 2; c++)
      {
        float *in = busker_process_track_input (plan, s, c);
        for (uint32_t i = 0; i < n; i++)
          {
            uint64_t x = (e->frame + i + 1) * 0x9E3779B97F4A7C15ull ^ (s * 2 + c);
            x ^= x >> 29;
            in[i] = kind % 4 == 0 ? 0.0f : (float) ((x >> 40) & 0xFFFF) / 65536.0f - 0.5f;
          }
        if (kind >= 4 && n > 0)
          {
            float v = specials[kind % G_N_ELEMENTS (specials)];
            in[where % n] = v;
            if (isfinite (v) && fabsf (v) > 1e3f)
              e->huge_fed = TRUE;
          }
      }
}

static inline void
fuzz_run_block (FuzzEngine *e, uint32_t n, uint8_t kind, uint8_t where)
{
  FUZZ_RT_ENTER ();
  BuskerPlan *plan = busker_plan_swap_acquire (e->swap);
  fuzz_fill (e, plan, n, kind, where);
  busker_transport_fill (e->transport, plan, n);
  busker_process_run (plan, n);
  FUZZ_RT_LEAVE ();
  uint32_t master = busker_plan_get_master (plan);
  for (int c = 0; c < 2; c++)
    {
      const float *out = busker_process_strip_output (plan, master, c);
      for (uint32_t i = 0; i < n; i++)
        {
          if (!isfinite (out[i]))
            {
              g_printerr ("fuzz-engine: non-finite master output %g at frame %" G_GUINT64_FORMAT "\n",
                          out[i], e->frame + i);
              abort ();
            }
          if (!e->huge_fed && fabsf (out[i]) > 1e15f)
            {
              g_printerr ("fuzz-engine: runaway master output %g at frame %" G_GUINT64_FORMAT "\n",
                          out[i], e->frame + i);
              abort ();
            }
          e->peak = fmaxf (e->peak, fabsf (out[i]));
        }
    }
  e->frame += n;
}

/* Edits the snapshot in place: one structural change. */
static inline void
fuzz_edit_desc (FuzzBytes *b, BuskerMixDesc *d)
{
  BuskerStripDesc *s = &d->strips[fuzz_u8 (b) % (d->n_strips - 1)];
  switch (fuzz_u8 (b) % 4)
    {
    case 0: /* drop the inserts */
      busker_strip_desc_alloc_inserts (s, 0);
      break;
    case 1: /* one insert of another class */
      {
        const BuskerEffectClass *klass = busker_effect_classes[fuzz_u8 (b) % fuzz_n_classes ()];
        busker_strip_desc_alloc_inserts (s, 1);
        busker_insert_desc_init (&s->inserts[0], klass);
        for (uint32_t p = 0; p < klass->n_params; p++)
          s->inserts[0].values[p] = busker_param_spec_clamp (&klass->params[p], fuzz_float (b));
        break;
      }
    case 2: /* drop the sends */
      busker_strip_desc_alloc_sends (s, 0);
      break;
    default: /* straight to the master */
      s->output = (int32_t) d->n_strips - 1;
      break;
    }
}

static inline void
fuzz_engine_run (const uint8_t *data, size_t size)
{
  FuzzBytes b = { data, size };
  fuzz_write_sources ();
  g_autoptr (BuskerMixDesc) d = fuzz_build_desc (&b);
  GError *error = NULL;
  BuskerPlan *plan = busker_plan_new (d, FUZZ_MAX_BLOCK, &error);
  if (plan == NULL)
    {
      g_assert_nonnull (error);
      g_error_free (error);
      return;
    }
  /* One transport per rate for the whole process: starting and joining
   * its disk thread for every input would be most of the fuzzer's time. */
  static BuskerTransport *transports[2];
  BuskerTransport **tp = &transports[d->sample_rate == 44100];
  if (*tp == NULL)
    *tp = busker_transport_new ((uint32_t) d->sample_rate, FUZZ_MAX_BLOCK);
  busker_transport_stop (*tp);
  busker_transport_set_loop (*tp, false);
  FuzzEngine e = { .swap = busker_plan_swap_new (), .plan = plan, .n_strips = d->n_strips,
                   .transport = *tp };
  busker_transport_bind (e.transport, d, plan);
  busker_plan_swap_publish (e.swap, plan);

  for (int op = 0; op < FUZZ_MAX_OPS && b.n > 0; op++)
    {
      uint32_t strip = fuzz_u8 (&b) % e.n_strips;
      const BuskerStripDesc *sd = &d->strips[strip];
      switch (fuzz_u8 (&b) % 14)
        {
        case 0: busker_plan_set_strip_gain_db (e.plan, strip, fuzz_float (&b)); break;
        case 1: busker_plan_set_strip_pan (e.plan, strip, fuzz_float (&b)); break;
        case 2: busker_plan_set_strip_trim_db (e.plan, strip, fuzz_float (&b)); break;
        case 3:
          busker_plan_set_strip_polarity_invert (e.plan, strip, fuzz_u8 (&b) & 1);
          busker_plan_set_strip_mute (e.plan, strip, fuzz_u8 (&b) & 1);
          busker_plan_set_strip_solo (e.plan, strip, fuzz_u8 (&b) & 1);
          break;
        case 4:
          if (sd->n_sends > 0)
            {
              uint32_t k = fuzz_u8 (&b) % sd->n_sends;
              busker_plan_set_send_level_db (e.plan, strip, k, fuzz_float (&b));
              busker_plan_set_send_pan (e.plan, strip, k, fuzz_float (&b));
              busker_plan_set_send_mute (e.plan, strip, k, fuzz_u8 (&b) & 1);
            }
          break;
        case 5:
          if (sd->n_inserts > 0)
            {
              uint32_t k = fuzz_u8 (&b) % sd->n_inserts;
              uint32_t p = fuzz_u8 (&b) % sd->inserts[k].klass->n_params;
              busker_plan_set_insert_param (e.plan, strip, k, p, fuzz_float (&b));
            }
          break;
        case 6:
          if (sd->n_inserts > 0)
            busker_plan_set_insert_bypass (e.plan, strip, fuzz_u8 (&b) % sd->n_inserts,
                                           fuzz_u8 (&b) & 1);
          break;
        case 7: /* structural edit: a new plan while running */
          {
            fuzz_edit_desc (&b, d);
            BuskerPlan *next = busker_plan_new (d, FUZZ_MAX_BLOCK, &error);
            if (next == NULL)
              {
                /* These edits keep the snapshot valid, so only a failed
                 * effect creation lands here; d no longer matches the
                 * running plan, so the program ends. */
                g_clear_error (&error);
                b.n = 0;
                break;
              }
            busker_transport_bind (e.transport, d, next);
            busker_plan_swap_publish (e.swap, next);
            e.plan = next;
            e.n_strips = d->n_strips;
            break;
          }
        case 12: /* transport moves */
          switch (fuzz_u8 (&b) % 6)
            {
            case 0: busker_transport_play (e.transport); break;
            case 1: busker_transport_pause (e.transport); break;
            case 2: busker_transport_stop (e.transport); break;
            case 3: busker_transport_set_loop (e.transport, fuzz_u8 (&b) & 1); break;
            default: busker_transport_seek (e.transport, fuzz_float (&b)); break;
            }
          (void) busker_transport_get_position_s (e.transport);
          (void) busker_transport_read_underruns (e.transport);
          break;
        case 8:
          (void) busker_plan_read_strip_fault (e.plan, strip);
          (void) busker_plan_read_strip_peak_db (e.plan, strip, 0);
          (void) busker_plan_get_strip_rms_db (e.plan, strip, 1);
          break;
        default: /* a block */
          {
            uint32_t n = 1 + (fuzz_u8 (&b) << 1 | (fuzz_u8 (&b) & 1)) % FUZZ_MAX_BLOCK;
            uint8_t kind = fuzz_u8 (&b), where = fuzz_u8 (&b);
            fuzz_run_block (&e, n, kind, where);
            (void) busker_plan_swap_collect (e.swap);
            break;
          }
        }
    }
  /* The last plan runs a clean block: whatever came before, it is finite. */
  fuzz_run_block (&e, FUZZ_MAX_BLOCK, 1, 0);
  busker_plan_swap_free (e.swap);
}
