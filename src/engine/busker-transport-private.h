/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The inside of the transport, shared by its main-thread side
 * (busker-transport.c, where the threads and the ring protocol are
 * described), its disk thread (busker-transport-disk.c) and its audio
 * side (busker-transport-rt.c).
 */
#pragma once

#include <stdatomic.h>

#include "busker-source-reader.h"
#include "busker-transport.h"

/* Frames the disk thread reads per stream and step. */
#define TRANSPORT_CHUNK 1024
#define TRANSPORT_FADE_S 0.005
#define TRANSPORT_MISSING_CHECK_US (250 * G_TIME_SPAN_MILLISECOND)
#define TRANSPORT_WAIT_PLAYING_US (5 * G_TIME_SPAN_MILLISECOND)
#define TRANSPORT_WAIT_IDLE_US (250 * G_TIME_SPAN_MILLISECOND)
#define TRANSPORT_WAIT_SEEK_US G_TIME_SPAN_MILLISECOND /* for the audio side's hand-shake */
/* No fill for this long: no audio thread runs (no daemon, graph idle). */
#define TRANSPORT_AUDIO_GONE_US (500 * G_TIME_SPAN_MILLISECOND)
/* How long bind waits for new streams to be filled. */
#define TRANSPORT_BIND_WAIT_US (250 * G_TIME_SPAN_MILLISECOND)
#define TRANSPORT_NONE UINT32_MAX

typedef struct _BuskerTransportStream BuskerTransportStream;

struct _BuskerTransportStream {
  /* main */
  char *id;
  char *path;
  double offset_s;
  int64_t end;                 /* project frame past the source's end */
  bool mono;                   /* a one-channel file */
  int refs;
  BuskerTransport *transport;  /* NULL once the transport is gone */

  /* disk (the main thread's until handed over) */
  BuskerSourceReader *reader;
  int64_t reader_frame;        /* where the reader stands */
  guint64 inode;
  goffset size;
  gint64 next_check_us;

  /* shared */
  float *ring[2];              /* NULL when the source could not be opened */
  _Atomic bool missing;
  _Atomic uint64_t valid_from; /* first ring index holding this stream's audio */
  char *missing_reason;        /* under the transport's lock */

  /* audio */
  uint32_t fade_k;             /* missing fade-out, fade_frames down to 0 */
};

typedef struct {
  uint32_t strip;
  BuskerTransportStream *stream; /* NULL: a track with no file, fed silence */
} BuskerTransportBindingEntry;

typedef struct {
  BuskerTransport *transport;
  BuskerTransportBindingEntry *entries;
  uint32_t n;
} BuskerTransportBinding;

typedef enum { OP_ADD, OP_DROP, OP_SET_READER } BuskerTransportOpKind;

typedef struct {
  BuskerTransportOpKind kind;
  BuskerTransportStream *stream;
  BuskerSourceReader *reader; /* SET_READER */
} BuskerTransportOp;

struct _BuskerTransport {
  /* main */
  uint32_t rate_hz;
  uint32_t max_block;
  GHashTable *table;           /* strip id -> BuskerTransportStream (a reference) */
  GPtrArray *all;              /* every live stream, for set_rate and free */
  uint32_t main_seq;
  bool loop_main;

  uint32_t capacity, mask;
  uint32_t prefill;            /* frames read after a seek before it sounds */
  int64_t *frame_at;

  /* main <-> disk */
  GMutex lock;
  GCond wake;                  /* main -> disk */
  GCond done;                  /* disk -> main */
  GQueue ops;
  guint64 ops_posted, ops_done;
  gboolean quit;
  GThread *thread;

  /* requests, main -> disk and audio */
  _Atomic int64_t req_frame;
  _Atomic uint32_t req_seq;
  _Atomic bool want_play;
  _Atomic bool loop;
  _Atomic int64_t length;
  _Atomic uint32_t fade_frames;

  /* the ring indices and the seek hand-shake */
  _Atomic uint64_t w;          /* disk -> audio */
  _Atomic uint64_t r;          /* audio -> disk */
  _Atomic uint64_t end_index;  /* disk: w at the project end, or UINT64_MAX */
  _Atomic uint32_t halt_seq;   /* disk */
  _Atomic uint32_t ack_seq;    /* audio */
  _Atomic uint32_t ready_seq;  /* disk */
  _Atomic int64_t epoch_frame; /* disk: where the ready epoch starts */

  /* audio -> main */
  _Atomic uint32_t audio_epoch;
  _Atomic int64_t audio_pos;
  _Atomic bool at_end;
  _Atomic uint32_t underruns;
  _Atomic uint32_t cycles;     /* fill calls: whether an audio thread runs */

  /* disk */
  GPtrArray *streams;
  uint32_t disk_epoch;
  int64_t next_frame;
  bool ended;
  bool ready_sent;
  uint64_t epoch_filled;
  float *scratch[2];
  uint32_t seen_cycles;
  gint64 audio_seen_us;        /* when fill was last seen running */
  _Atomic uint64_t disk_cpu_ns;

  /* audio */
  struct {
    uint32_t epoch, acked;
    uint64_t r;
    uint32_t k;                /* fade gain in steps of 1/fade_frames */
    bool at_end;
  } rt;
};

/* Main thread, or the disk thread for a stream it dropped. */
void busker_transport_stream_free (BuskerTransportStream *s);
/* Marks s missing with one sentence naming the file (any thread but the
 * audio thread). */
void busker_transport_set_missing (BuskerTransport *t, BuskerTransportStream *s,
                                   const char *reason);
/* The disk thread's body (g_thread_new). */
gpointer busker_transport_disk_main (gpointer data);
