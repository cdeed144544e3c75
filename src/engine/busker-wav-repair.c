/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The repaired view of a WAV file (busker-wav-repair.h): the file through
 * libsndfile's virtual I/O, with the first bytes up to the data chunk's
 * size field served from a patched copy of the header and the rest read
 * from the file as it is.
 */
#include "busker-wav-repair.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A WAV header with its chunks before `data` is far smaller than this. */
#define MAX_HEADER 65536

struct _BuskerWavRepair {
  int fd;
  sf_count_t length; /* of the file */
  sf_count_t pos;
  guint8 *header;    /* patched bytes 0 .. n_header - 1 */
  size_t n_header;
};

static uint32_t
le32 (const guint8 *p)
{
  return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static void
put_le32 (guint8 *p, uint64_t v)
{
  uint32_t x = (uint32_t) MIN (v, (uint64_t) UINT32_MAX);
  p[0] = x & 0xff;
  p[1] = (x >> 8) & 0xff;
  p[2] = (x >> 16) & 0xff;
  p[3] = x >> 24;
}

static sf_count_t
vio_get_filelen (void *data)
{
  return ((BuskerWavRepair *) data)->length;
}

static sf_count_t
vio_seek (sf_count_t offset, int whence, void *data)
{
  BuskerWavRepair *r = data;
  sf_count_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? r->pos : r->length;
  if (base + offset < 0)
    return -1;
  r->pos = base + offset;
  return r->pos;
}

static sf_count_t
vio_read (void *ptr, sf_count_t count, void *data)
{
  BuskerWavRepair *r = data;
  guint8 *dst = ptr;
  sf_count_t done = 0;

  if ((size_t) r->pos < r->n_header && count > 0)
    {
      done = MIN (count, (sf_count_t) r->n_header - r->pos);
      memcpy (dst, r->header + r->pos, (size_t) done);
    }
  while (done < count)
    {
      ssize_t got = pread (r->fd, dst + done, (size_t) (count - done), r->pos + done);
      if (got <= 0)
        break;
      done += got;
    }
  r->pos += done;
  return done;
}

static sf_count_t
vio_write (const void *ptr, sf_count_t count, void *data)
{
  return 0;
}

static sf_count_t
vio_tell (void *data)
{
  return ((BuskerWavRepair *) data)->pos;
}

/* Offset of the data chunk's header when its size is 0 and audio follows;
 * 0 otherwise. */
static size_t
find_empty_data_chunk (const guint8 *h, size_t n, sf_count_t length)
{
  size_t off = 12;

  if (n < 12 || memcmp (h, "RIFF", 4) != 0 || memcmp (h + 8, "WAVE", 4) != 0)
    return 0;
  while (off + 8 <= n)
    {
      uint32_t size = le32 (h + off + 4);
      if (memcmp (h + off, "data", 4) == 0)
        return size == 0 && (sf_count_t) off + 8 < length ? off : 0;
      off += 8 + (size_t) size + (size & 1);
    }
  return 0;
}

BuskerWavRepair *
busker_wav_repair_open (const char *path, SF_INFO *info, SNDFILE **file)
{
  static SF_VIRTUAL_IO vio = { vio_get_filelen, vio_seek, vio_read, vio_write, vio_tell };
  guint8 head[MAX_HEADER];
  struct stat st;
  ssize_t n;
  size_t data;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  BuskerWavRepair *r;

  if (fd < 0)
    return NULL;
  n = fstat (fd, &st) == 0 && S_ISREG (st.st_mode) ? pread (fd, head, sizeof head, 0) : -1;
  data = n > 0 ? find_empty_data_chunk (head, (size_t) n, st.st_size) : 0;
  if (data == 0)
    {
      close (fd);
      return NULL;
    }

  r = g_new0 (BuskerWavRepair, 1);
  r->fd = fd;
  r->length = st.st_size;
  r->n_header = data + 8;
  r->header = g_memdup2 (head, r->n_header);
  put_le32 (r->header + 4, (uint64_t) st.st_size - 8);
  put_le32 (r->header + data + 4, (uint64_t) st.st_size - data - 8);

  memset (info, 0, sizeof *info);
  *file = sf_open_virtual (&vio, SFM_READ, info, r);
  if (*file == NULL)
    {
      busker_wav_repair_free (r);
      return NULL;
    }
  return r;
}

void
busker_wav_repair_free (BuskerWavRepair *r)
{
  if (r == NULL)
    return;
  close (r->fd);
  g_free (r->header);
  g_free (r);
}
