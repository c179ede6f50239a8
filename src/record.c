// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Record file writer and reader; the format is described in record.h.
 *
 * Writer: the ring-buffer consumer copies each record into a frame buffer (no
 * allocation, no system call). A full frame goes to a queue; a thread deflates it at
 * zlib's fastest level and writes it. With GB_REC_NBUF buffers in flight the consumer
 * only waits when the disk cannot keep up at all. A partial frame is also handed over
 * when the consumer drained the ring buffer and the last frame is GB_REC_FLUSH_NS old,
 * so a glassbox that is killed loses at most that much of the recording.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include "record.h"
#include "util.h"

#define GB_REC_NBUF 16
#define GB_REC_FLUSH_NS 1000000000ull

static uint32_t crc(const void *p, size_t n)
{
	return (uint32_t)crc32(0, p, (uInt)n);
}

/* ---- writer ---- */

struct rec_buf {
	unsigned char *data;
	size_t len;
	uint32_t nrecords;
	uint32_t type;
};

struct record_sink {
	struct gb_sink sink;
	char *path;
	int fd;

	struct rec_buf bufs[GB_REC_NBUF];
	struct rec_buf *cur;        /* being filled by the consumer */
	struct rec_buf *queue[GB_REC_NBUF]; /* full, FIFO, for the thread */
	size_t qhead, qlen;
	struct rec_buf *free_list[GB_REC_NBUF];
	size_t nfree;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	pthread_t thread;
	int thread_started, stop;
	int err;                    /* first write error, -errno; set by the thread */

	z_stream zs;
	unsigned char *zbuf;
	size_t zcap;
	uint64_t seq, frames, records;
	uint64_t last_handover_ns;
};

/* Deflate one buffer and write it as a frame; runs on the writer thread. */
static int write_frame(struct record_sink *r, struct rec_buf *b)
{
	struct gb_rec_frame_hdr h = {
		.magic = GB_REC_FRAME_MAGIC,
		.type = b->type,
		.usize = (uint32_t)b->len,
		.ucrc = crc(b->data, b->len),
		.nrecords = b->nrecords,
	};
	int zr, err;

	if (deflateReset(&r->zs) != Z_OK)
		return -EINVAL;
	r->zs.next_in = b->data;
	r->zs.avail_in = (uInt)b->len;
	r->zs.next_out = r->zbuf;
	r->zs.avail_out = (uInt)r->zcap;
	zr = deflate(&r->zs, Z_FINISH);
	if (zr != Z_STREAM_END)
		return -ENOBUFS; /* zcap is deflateBound: cannot happen */
	h.csize = (uint32_t)(r->zcap - r->zs.avail_out);
	h.ccrc = crc(r->zbuf, h.csize);
	h.seq = r->seq++;
	h.hcrc = crc(&h, offsetof(struct gb_rec_frame_hdr, hcrc));
	err = gb_write_all(r->fd, &h, sizeof(h));
	if (!err)
		err = gb_write_all(r->fd, r->zbuf, h.csize);
	return err;
}

static void *writer_thread(void *arg)
{
	struct record_sink *r = arg;

	pthread_mutex_lock(&r->mu);
	for (;;) {
		struct rec_buf *b;
		int err = 0;

		while (!r->qlen && !r->stop)
			pthread_cond_wait(&r->work, &r->mu);
		if (!r->qlen)
			break; /* stop, and nothing left */
		b = r->queue[r->qhead];
		r->qhead = (r->qhead + 1) % GB_REC_NBUF;
		r->qlen--;
		pthread_mutex_unlock(&r->mu);

		if (!r->err) /* only this thread writes r->err */
			err = write_frame(r, b);

		pthread_mutex_lock(&r->mu);
		if (err && !r->err) {
			r->err = err;
			gb_err("record %s: writing failed: %s; the recording stops here", r->path,
			       strerror(-err));
		}
		b->len = 0;
		b->nrecords = 0;
		r->free_list[r->nfree++] = b;
		pthread_cond_broadcast(&r->done);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/* Hand the current buffer to the thread and take a free one (waits if none is). */
static void handover(struct record_sink *r, uint32_t type)
{
	pthread_mutex_lock(&r->mu);
	r->cur->type = type;
	r->queue[(r->qhead + r->qlen) % GB_REC_NBUF] = r->cur;
	r->qlen++;
	pthread_cond_signal(&r->work);
	while (!r->nfree)
		pthread_cond_wait(&r->done, &r->mu);
	r->cur = r->free_list[--r->nfree];
	pthread_mutex_unlock(&r->mu);
	r->last_handover_ns = gb_now_ns(CLOCK_MONOTONIC);
	if (type == GB_REC_FRAME_EVENTS)
		r->frames++;
}

static int record_sticky_err(struct record_sink *r)
{
	int err;

	pthread_mutex_lock(&r->mu);
	err = r->err;
	pthread_mutex_unlock(&r->mu);
	return err;
}

static int record_begin(struct gb_sink *s, const struct gb_run_info *info)
{
	struct record_sink *r = (struct record_sink *)s;
	struct gb_rec_file_hdr h;
	sigset_t all, old;
	int err;

	memset(&h, 0, sizeof(h));
	memcpy(h.magic, GB_REC_MAGIC, sizeof(h.magic));
	h.version = GB_REC_VERSION;
	h.hdr_size = sizeof(h);
	h.byte_order = GB_REC_BYTE_ORDER;
	h.kind_max = GB_EV_KIND_MAX;
	for (uint32_t k = 0; k < GB_EV_KIND_MAX; k++)
		h.kind_size[k] = (uint32_t)gb_event_size(k);
	h.start_mono_ns = info->start_mono_ns;
	h.start_real_ns = info->start_real_ns;
	h.root_pidns = info->root_pidns;
	h.root_level = info->root_level;
	snprintf(h.kernel_release, sizeof(h.kernel_release), "%s", info->kernel_release);
	snprintf(h.hostname, sizeof(h.hostname), "%s", info->hostname);
	h.crc = crc(&h, offsetof(struct gb_rec_file_hdr, crc));
	err = gb_write_all(r->fd, &h, sizeof(h));
	if (err) {
		gb_err("record %s: writing the header failed: %s", r->path, strerror(-err));
		return err;
	}
	/* the writer takes no signal: they are the main thread's to handle (signalfd) */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&r->thread, NULL, writer_thread, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		gb_err("record %s: cannot start the writer thread: %s", r->path, strerror(err));
		return -err;
	}
	r->thread_started = 1;
	r->last_handover_ns = gb_now_ns(CLOCK_MONOTONIC);
	return 0;
}

static int record_event(struct gb_sink *s, const struct gb_event_hdr *e, size_t size)
{
	struct record_sink *r = (struct record_sink *)s;
	uint32_t len = (uint32_t)size;

	if (!r->thread_started)
		return -EINVAL; /* begin failed: nothing would take the buffers */
	if (r->cur->len + sizeof(len) + size > GB_REC_FRAME_BYTES) {
		int err;

		handover(r, GB_REC_FRAME_EVENTS);
		err = record_sticky_err(r);
		if (err)
			return err;
	}
	memcpy(r->cur->data + r->cur->len, &len, sizeof(len));
	memcpy(r->cur->data + r->cur->len + sizeof(len), e, size);
	r->cur->len += sizeof(len) + size;
	r->cur->nrecords++;
	r->records++;
	return 0;
}

static int record_flush(struct gb_sink *s)
{
	struct record_sink *r = (struct record_sink *)s;

	if (r->cur->len && gb_now_ns(CLOCK_MONOTONIC) - r->last_handover_ns >= GB_REC_FLUSH_NS)
		handover(r, GB_REC_FRAME_EVENTS);
	return record_sticky_err(r);
}

static void stop_thread(struct record_sink *r)
{
	if (!r->thread_started)
		return;
	pthread_mutex_lock(&r->mu);
	r->stop = 1;
	pthread_cond_signal(&r->work);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->thread, NULL);
	r->thread_started = 0;
}

static int record_end(struct gb_sink *s, const struct gb_summary *sum)
{
	struct record_sink *r = (struct record_sink *)s;
	struct gb_rec_trailer t;

	if (!r->thread_started)
		return -EINVAL; /* begin failed */
	if (r->cur->len)
		handover(r, GB_REC_FRAME_EVENTS);
	memset(&t, 0, sizeof(t));
	t.end_mono_ns = gb_now_ns(CLOCK_MONOTONIC);
	t.frames = r->frames;
	t.records = r->records;
	t.kind_max = GB_EV_KIND_MAX;
	for (int k = 0; k < GB_EV_KIND_MAX; k++) {
		t.received[k] = sum->received[k];
		t.lost[k] = sum->lost[k];
	}
	t.malformed = sum->malformed;
	memcpy(r->cur->data, &t, sizeof(t));
	r->cur->len = sizeof(t);
	r->cur->nrecords = 0;
	handover(r, GB_REC_FRAME_TRAILER);
	stop_thread(r);
	if (!r->err && close(r->fd) < 0)
		r->err = -errno;
	else if (r->err)
		close(r->fd);
	r->fd = -1;
	if (r->err)
		gb_err("record %s: the recording is incomplete", r->path);
	return r->err;
}

static void record_destroy(struct gb_sink *s)
{
	struct record_sink *r = (struct record_sink *)s;

	stop_thread(r);
	if (r->fd >= 0)
		close(r->fd);
	for (int i = 0; i < GB_REC_NBUF; i++)
		free(r->bufs[i].data);
	deflateEnd(&r->zs);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->work);
	pthread_cond_destroy(&r->done);
	free(r->zbuf);
	free(r->path);
	free(r);
}

static const struct gb_sink_ops record_ops = {
	.begin = record_begin,
	.event = record_event,
	.flush = record_flush,
	.end = record_end,
	.destroy = record_destroy,
};

struct gb_sink *gb_record_sink_new(const char *path)
{
	struct record_sink *r = calloc(1, sizeof(*r));
	int err = ENOMEM;

	if (!r)
		return NULL;
	r->sink.ops = &record_ops;
	r->fd = -1;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->work, NULL);
	pthread_cond_init(&r->done, NULL);
	if (deflateInit(&r->zs, Z_BEST_SPEED) != Z_OK) {
		free(r);
		errno = ENOMEM;
		return NULL;
	}
	r->path = strdup(path);
	r->zcap = deflateBound(&r->zs, GB_REC_FRAME_BYTES);
	r->zbuf = malloc(r->zcap);
	if (!r->path || !r->zbuf)
		goto fail;
	for (int i = 0; i < GB_REC_NBUF; i++) {
		r->bufs[i].data = malloc(GB_REC_FRAME_BYTES);
		if (!r->bufs[i].data)
			goto fail;
		r->free_list[r->nfree++] = &r->bufs[i];
	}
	r->cur = r->free_list[--r->nfree];
	r->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (r->fd < 0) {
		err = errno;
		goto fail;
	}
	return &r->sink;
fail:
	record_destroy(&r->sink);
	errno = err;
	return NULL;
}

/* ---- reader ---- */

struct reader {
	int fd;
	uint64_t off; /* bytes consumed from the file */
	int eof, io_err;
};

/* Read exactly n bytes; returns n, fewer at the end of the file, or -1 on error. */
static ssize_t read_full(struct reader *rd, void *p, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(rd->fd, (char *)p + got, n - got);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			rd->io_err = errno;
			return -1;
		}
		if (!r) {
			rd->eof = 1;
			break;
		}
		got += (size_t)r;
	}
	rd->off += got;
	return (ssize_t)got;
}

static int stop(struct gb_rec_status *st, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int stop(struct gb_rec_status *st, uint64_t off, const char *fmt, ...)
{
	va_list ap;

	st->stop_offset = off;
	va_start(ap, fmt);
	vsnprintf(st->why, sizeof(st->why), fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

static int read_header(struct reader *rd, struct gb_rec_status *st)
{
	struct gb_rec_file_hdr h;
	ssize_t n = read_full(rd, &h, sizeof(h));

	if (n < 0)
		return -EIO;
	if (n >= 8 && memcmp(h.magic, GB_REC_MAGIC, 8))
		return stop(st, 0, "not a glassbox record file (no \"GLASSBOX\" magic)");
	if ((size_t)n < sizeof(h))
		return stop(st, 0, "the file ends inside its %zu-byte header (truncated)",
			    sizeof(h));
	if (h.byte_order != GB_REC_BYTE_ORDER)
		return stop(st, 0, "recorded on a machine of the other byte order");
	if (h.version != GB_REC_VERSION)
		return stop(st, 0, "format version %u; this glassbox reads version %u", h.version,
			    GB_REC_VERSION);
	if (h.crc != crc(&h, offsetof(struct gb_rec_file_hdr, crc)))
		return stop(st, 0, "header checksum mismatch (corrupt header)");
	if (h.hdr_size != sizeof(h) || h.kind_max > GB_REC_MAX_KINDS || h.flags)
		return stop(st, 0, "header fields out of range (corrupt header)");
	for (uint32_t k = 0; k < h.kind_max && k < GB_EV_KIND_MAX; k++) {
		size_t want = gb_event_size(k);

		if (h.kind_size[k] && want && h.kind_size[k] != want)
			return stop(st, 0,
				    "event kind %u is %u bytes in this file, %zu in this glassbox "
				    "(recorded by another version)",
				    k, h.kind_size[k], want);
	}
	memset(&st->info, 0, sizeof(st->info));
	st->info.start_mono_ns = h.start_mono_ns;
	st->info.start_real_ns = h.start_real_ns;
	st->info.root_pidns = h.root_pidns;
	st->info.root_level = h.root_level;
	snprintf(st->info.kernel_release, sizeof(st->info.kernel_release), "%.*s",
		 (int)strnlen(h.kernel_release, sizeof(h.kernel_release)), h.kernel_release);
	snprintf(st->info.hostname, sizeof(st->info.hostname), "%.*s",
		 (int)strnlen(h.hostname, sizeof(h.hostname)), h.hostname);
	st->have_header = 1;
	return 0;
}

/* The kind of a record at p: records sit unaligned in a frame, so no struct access */
static uint16_t rec_kind(const unsigned char *p)
{
	uint16_t kind;

	memcpy(&kind, p + offsetof(struct gb_event_hdr, kind), sizeof(kind));
	return kind;
}

/* Check every record of an inflated events frame before any is delivered. */
static int check_records(const unsigned char *p, size_t len, uint32_t nrecords,
			 struct gb_rec_status *st, uint64_t frame_off, uint64_t seq)
{
	size_t off = 0;
	uint32_t n = 0;

	while (off < len) {
		uint32_t rlen;
		uint16_t kind;
		size_t want;

		if (len - off < sizeof(rlen) + sizeof(struct gb_event_hdr))
			return stop(st, frame_off, "frame %llu: record %u cut short",
				    (unsigned long long)seq, n);
		memcpy(&rlen, p + off, sizeof(rlen));
		if (rlen < sizeof(struct gb_event_hdr) || rlen > len - off - sizeof(rlen))
			return stop(st, frame_off, "frame %llu: record %u has a bad length %u",
				    (unsigned long long)seq, n, rlen);
		kind = rec_kind(p + off + sizeof(rlen));
		want = gb_event_size(kind);
		if (want && rlen != want)
			return stop(st, frame_off,
				    "frame %llu: record %u of kind %u is %u bytes, not %zu",
				    (unsigned long long)seq, n, kind, rlen, want);
		off += sizeof(rlen) + rlen;
		n++;
	}
	if (n != nrecords)
		return stop(st, frame_off, "frame %llu holds %u records, its header says %u",
			    (unsigned long long)seq, n, nrecords);
	return 0;
}

static int deliver(const unsigned char *p, size_t len, struct gb_sink *chain,
		   struct gb_rec_status *st)
{
	/* records are copied out of the frame so each one is aligned for the printers */
	_Alignas(8) unsigned char rec[4096];
	size_t off = 0;
	int err;

	while (off < len) {
		const struct gb_event_hdr *h;
		uint32_t rlen;

		memcpy(&rlen, p + off, sizeof(rlen));
		off += sizeof(rlen);
		if (rlen > sizeof(rec) || !gb_event_size(rec_kind(p + off))) {
			st->skipped++; /* a kind this glassbox does not know */
			off += rlen;
			continue;
		}
		memcpy(rec, p + off, rlen);
		off += rlen;
		h = (const void *)rec;
		st->sum.received[h->kind]++;
		st->records++;
		err = gb_sinks_event(chain, h, rlen);
		if (err)
			return err;
	}
	return gb_sinks_flush(chain);
}

/* Make *buf hold at least n bytes (and never be NULL); 0 or -ENOMEM. */
static int grow(unsigned char **buf, size_t *cap, size_t n)
{
	void *p;

	if (*buf && n <= *cap)
		return 0;
	p = realloc(*buf, n ? n : 1);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = n;
	return 0;
}

int gb_record_replay(int fd, struct gb_sink *chain, struct gb_rec_status *st)
{
	struct reader rd = { .fd = fd };
	unsigned char *cbuf = NULL, *ubuf = NULL;
	size_t ccap = 0, ucap = 0;
	uint64_t seq = 0;
	int err, sink_err = 0;

	memset(st, 0, sizeof(*st));
	err = read_header(&rd, st);
	if (err == -EIO)
		stop(st, rd.off, "read error: %s", strerror(rd.io_err));
	if (err)
		return err;
	err = gb_sinks_begin(chain, &st->info);
	if (err)
		return err;

	for (;;) {
		struct gb_rec_frame_hdr h;
		uint64_t frame_off = rd.off;
		ssize_t n = read_full(&rd, &h, sizeof(h));
		uLongf ulen;
		uLong clen;

		if (n < 0) {
			err = -EIO;
			stop(st, frame_off, "read error: %s", strerror(rd.io_err));
			break;
		}
		if (n == 0) {
			err = stop(st, frame_off,
				   "the file ends after %llu frames without a trailer (truncated: "
				   "the recording did not finish)",
				   (unsigned long long)seq);
			break;
		}
		if ((size_t)n < sizeof(h)) {
			err = stop(st, frame_off, "the file ends inside the header of frame %llu "
				   "(truncated)", (unsigned long long)seq);
			break;
		}
		if (h.magic != GB_REC_FRAME_MAGIC || h.hcrc != crc(&h, offsetof(struct gb_rec_frame_hdr, hcrc))) {
			err = stop(st, frame_off, "frame %llu: %s (corrupt)", (unsigned long long)seq,
				   h.magic != GB_REC_FRAME_MAGIC ? "bad frame magic"
								 : "frame header checksum mismatch");
			break;
		}
		if (h.seq != seq) {
			err = stop(st, frame_off, "frame %llu found where frame %llu belongs (corrupt)",
				   (unsigned long long)h.seq, (unsigned long long)seq);
			break;
		}
		if ((h.type != GB_REC_FRAME_EVENTS && h.type != GB_REC_FRAME_TRAILER) ||
		    h.usize > GB_REC_FRAME_LIMIT || h.csize > compressBound(h.usize) ||
		    (h.type == GB_REC_FRAME_TRAILER && h.usize != sizeof(struct gb_rec_trailer))) {
			err = stop(st, frame_off, "frame %llu: type %u, %u/%u bytes: out of range "
				   "(corrupt)", (unsigned long long)seq, h.type, h.csize, h.usize);
			break;
		}
		if (grow(&cbuf, &ccap, h.csize) || grow(&ubuf, &ucap, h.usize)) {
			err = -ENOMEM;
			stop(st, frame_off, "out of memory");
			break;
		}
		n = read_full(&rd, cbuf, h.csize);
		if (n < 0) {
			err = -EIO;
			stop(st, frame_off, "read error: %s", strerror(rd.io_err));
			break;
		}
		if ((size_t)n < h.csize) {
			err = stop(st, frame_off, "the file ends inside frame %llu: %zd of its %u "
				   "bytes are there (truncated)", (unsigned long long)seq, n, h.csize);
			break;
		}
		if (h.ccrc != crc(cbuf, h.csize)) {
			err = stop(st, frame_off, "frame %llu: data checksum mismatch (corrupt)",
				   (unsigned long long)seq);
			break;
		}
		ulen = h.usize;
		clen = h.csize;
		err = uncompress2(ubuf, &ulen, cbuf, &clen);
		if (err != Z_OK || ulen != h.usize || clen != h.csize ||
		    h.ucrc != crc(ubuf, h.usize)) {
			err = stop(st, frame_off, "frame %llu: %s (corrupt)", (unsigned long long)seq,
				   err != Z_OK ? "inflating failed" : "inflated data does not match");
			break;
		}
		if (h.type == GB_REC_FRAME_TRAILER) {
			struct gb_rec_trailer t;
			unsigned char extra;

			memcpy(&t, ubuf, sizeof(t));
			if (t.frames != seq || t.records != st->records + st->skipped ||
			    t.kind_max > GB_REC_MAX_KINDS) {
				err = stop(st, frame_off, "the trailer counts %llu frames and %llu "
					   "records, the file holds %llu and %llu (corrupt)",
					   (unsigned long long)t.frames, (unsigned long long)t.records,
					   (unsigned long long)seq,
					   (unsigned long long)(st->records + st->skipped));
				break;
			}
			n = read_full(&rd, &extra, 1);
			if (n != 0) {
				err = stop(st, rd.off - (n > 0), n < 0 ? "read error after the trailer"
					   : "data after the trailer (corrupt)");
				if (n < 0)
					err = -EIO;
				break;
			}
			memset(&st->sum, 0, sizeof(st->sum));
			for (uint32_t k = 0; k < t.kind_max && k < GB_EV_KIND_MAX; k++) {
				st->sum.received[k] = t.received[k];
				st->sum.lost[k] = t.lost[k];
			}
			st->sum.malformed = t.malformed;
			st->end_mono_ns = t.end_mono_ns;
			st->complete = 1;
			st->stop_offset = rd.off;
			err = 0;
			break;
		}
		err = check_records(ubuf, h.usize, h.nrecords, st, frame_off, seq);
		if (err)
			break;
		sink_err = deliver(ubuf, h.usize, chain, st);
		if (sink_err)
			break;
		seq++;
		st->frames = seq;
	}
	free(cbuf);
	free(ubuf);
	if (sink_err) {
		gb_sinks_end(chain, &st->sum);
		return sink_err;
	}
	{
		int end_err = gb_sinks_end(chain, &st->sum);

		return err ? err : end_err;
	}
}
