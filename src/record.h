/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The record file: the raw event stream of a run, compact, so that `glassbox replay`
 * prints byte for byte what the live run printed.
 *
 *   file header   struct gb_rec_file_hdr: magic "GLASSBOX", format version, byte order,
 *                 the record size of every event kind, struct gb_run_info (start times,
 *                 kernel release, host name, trace root), CRC32
 *   frames        struct gb_rec_frame_hdr then `csize` bytes of zlib data; once inflated,
 *                 an events frame is a run of (u32 length, raw kernel record) pairs
 *   trailer       the last frame, type GB_REC_FRAME_TRAILER: struct gb_rec_trailer with
 *                 the run's counts (received, lost in the kernel): a file without one did
 *                 not finish
 *
 * Integers are in the writer's byte order (the records are the kernel's own bytes); the
 * reader refuses a file of the other byte order. Every byte is covered by a CRC32, so a
 * damaged file replays up to the first damaged frame and the reader says where and why.
 */
#ifndef GB_RECORD_H
#define GB_RECORD_H

#include <stdint.h>
#include "sink.h"

#define GB_REC_MAGIC "GLASSBOX"
#define GB_REC_VERSION 1
#define GB_REC_BYTE_ORDER 0x01020304u
#define GB_REC_FRAME_MAGIC 0x52464247u /* "GBFR" little-endian */
#define GB_REC_MAX_KINDS 32
/* the writer cuts a frame at this much uncompressed data */
#define GB_REC_FRAME_BYTES (256u << 10)
/* the reader refuses larger frames: a damaged size must not allocate gigabytes */
#define GB_REC_FRAME_LIMIT (16u << 20)

enum gb_rec_frame_type {
	GB_REC_FRAME_EVENTS = 1,
	GB_REC_FRAME_TRAILER = 2,
};

struct gb_rec_file_hdr {
	char magic[8];       /* GB_REC_MAGIC, no NUL */
	uint32_t version;    /* GB_REC_VERSION */
	uint32_t hdr_size;   /* sizeof(struct gb_rec_file_hdr) */
	uint32_t byte_order; /* GB_REC_BYTE_ORDER as the writer stores it */
	uint32_t kind_max;   /* GB_EV_KIND_MAX of the writer */
	uint32_t kind_size[GB_REC_MAX_KINDS]; /* record bytes of each kind, 0: no such kind */
	uint64_t start_mono_ns;
	uint64_t start_real_ns;
	uint32_t root_pidns;
	uint32_t root_level;
	char kernel_release[72];
	char hostname[72];
	uint32_t flags;      /* 0 */
	uint32_t crc;        /* CRC32 of every byte above */
};

struct gb_rec_frame_hdr {
	uint32_t magic;    /* GB_REC_FRAME_MAGIC */
	uint32_t type;     /* enum gb_rec_frame_type */
	uint32_t csize;    /* zlib bytes that follow */
	uint32_t usize;    /* bytes once inflated */
	uint32_t ccrc;     /* CRC32 of the zlib bytes */
	uint32_t ucrc;     /* CRC32 of the inflated bytes */
	uint64_t seq;      /* frame number, from 0 */
	uint32_t nrecords; /* records in an events frame */
	uint32_t hcrc;     /* CRC32 of the fields above */
};

struct gb_rec_trailer {
	uint64_t end_mono_ns;
	uint64_t frames;  /* events frames before the trailer */
	uint64_t records; /* records in them */
	uint32_t kind_max;
	uint32_t pad;
	uint64_t received[GB_REC_MAX_KINDS];
	uint64_t lost[GB_REC_MAX_KINDS];
	uint64_t malformed;
};

_Static_assert(sizeof(struct gb_rec_file_hdr) == 328, "record file header layout changed");
_Static_assert(sizeof(struct gb_rec_frame_hdr) == 40, "record frame header layout changed");
_Static_assert(sizeof(struct gb_rec_trailer) == 552, "record trailer layout changed");
_Static_assert(GB_EV_KIND_MAX <= GB_REC_MAX_KINDS, "too many event kinds for the format");

/* The writer: a sink that records every raw record it is given. Compression and writes
 * run on a thread of their own so that the ring-buffer consumer only copies. The file
 * is created (truncated) now; NULL with errno set on failure. */
struct gb_sink *gb_record_sink_new(const char *path);

/* What a replay found. */
struct gb_rec_status {
	int have_header;       /* the header was valid: info is set, begin was called */
	int complete;          /* the trailer was read and nothing follows it */
	struct gb_run_info info;
	struct gb_summary sum; /* the trailer's; counted from the records when there is none */
	uint64_t end_mono_ns;  /* from the trailer */
	uint64_t records;      /* records delivered */
	uint64_t frames;       /* events frames read whole */
	uint64_t skipped;      /* records of kinds this glassbox does not know */
	uint64_t stop_offset;  /* where reading stopped: the damaged frame, or the end */
	char why[256];         /* why it stopped early; empty when complete */
};

/* Read a record file from fd and push its records into chain (begin, events, a flush
 * per frame, end with the summary). Returns 0 when the file was whole, -EBADMSG when it
 * was damaged or truncated (st->why and st->stop_offset say where; everything before
 * was delivered), -EIO on a read error, or a sink's error. */
int gb_record_replay(int fd, struct gb_sink *chain, struct gb_rec_status *st);

#endif
