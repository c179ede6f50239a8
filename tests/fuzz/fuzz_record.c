// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer harness for the record-file reader and everything behind it. Input byte 0
 * picks the mode:
 *   even: the rest is a record file as is (header, frames, trailer: the checks)
 *   odd:  the rest is cut into records of valid sizes and wrapped in a valid file
 *         (header, one frame with the right checksums, trailer), so that the fuzzer
 *         reaches the printers and the tree with arbitrary record contents
 * The sinks are the real ones: table, JSON, tree and DOT, written to /dev/null.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>
#include "format.h"
#include "record.h"
#include "tree.h"

static int devnull = -1;

static void put(int fd, const void *p, size_t n)
{
	if (write(fd, p, n) != (ssize_t)n)
		abort();
}

/* Wrap raw record bytes into a valid file on fd. */
static void wrap(int fd, const uint8_t *data, size_t size)
{
	static unsigned char frame[1 << 20], z[(1 << 20) + 4096];
	struct gb_rec_file_hdr h;
	struct gb_rec_frame_hdr f;
	struct gb_rec_trailer t;
	size_t off = 0, len = 0;
	uint32_t nrec = 0;
	uLongf zlen;

	memset(&h, 0, sizeof(h));
	memcpy(h.magic, GB_REC_MAGIC, 8);
	h.version = GB_REC_VERSION;
	h.hdr_size = sizeof(h);
	h.byte_order = GB_REC_BYTE_ORDER;
	h.kind_max = GB_EV_KIND_MAX;
	for (uint32_t k = 0; k < GB_EV_KIND_MAX; k++)
		h.kind_size[k] = (uint32_t)gb_event_size(k);
	h.start_mono_ns = 1000;
	h.root_pidns = 4026532178u;
	h.root_level = 1;
	strcpy(h.kernel_release, "fuzz");
	strcpy(h.hostname, "fuzz");
	h.crc = (uint32_t)crc32(0, (const void *)&h, offsetof(struct gb_rec_file_hdr, crc));
	put(fd, &h, sizeof(h));

	while (off < size) {
		uint32_t kind = 1 + data[off] % (GB_EV_KIND_MAX - 1);
		uint32_t rlen = (uint32_t)gb_event_size(kind);
		size_t take = size - off < rlen ? size - off : rlen;
		uint16_t k16 = (uint16_t)kind;

		if (len + 4 + rlen > sizeof(frame))
			break;
		memcpy(frame + len, &rlen, 4);
		memset(frame + len + 4, 0, rlen);
		memcpy(frame + len + 4, data + off, take);
		memcpy(frame + len + 4 + offsetof(struct gb_event_hdr, kind), &k16, sizeof(k16));
		len += 4 + rlen;
		off += take;
		nrec++;
	}
	if (len) {
		memset(&f, 0, sizeof(f));
		zlen = sizeof(z);
		if (compress2(z, &zlen, frame, len, 1) != Z_OK)
			abort();
		f.magic = GB_REC_FRAME_MAGIC;
		f.type = GB_REC_FRAME_EVENTS;
		f.csize = (uint32_t)zlen;
		f.usize = (uint32_t)len;
		f.ccrc = (uint32_t)crc32(0, z, f.csize);
		f.ucrc = (uint32_t)crc32(0, frame, f.usize);
		f.nrecords = nrec;
		f.hcrc = (uint32_t)crc32(0, (const void *)&f, offsetof(struct gb_rec_frame_hdr, hcrc));
		put(fd, &f, sizeof(f));
		put(fd, z, f.csize);
	}
	memset(&t, 0, sizeof(t));
	t.frames = len ? 1 : 0;
	t.records = nrec;
	t.kind_max = GB_EV_KIND_MAX;
	memset(&f, 0, sizeof(f));
	zlen = sizeof(z);
	compress2(z, &zlen, (const void *)&t, sizeof(t), 1);
	f.magic = GB_REC_FRAME_MAGIC;
	f.type = GB_REC_FRAME_TRAILER;
	f.csize = (uint32_t)zlen;
	f.usize = sizeof(t);
	f.ccrc = (uint32_t)crc32(0, z, f.csize);
	f.ucrc = (uint32_t)crc32(0, (const void *)&t, sizeof(t));
	f.seq = len ? 1 : 0;
	f.hcrc = (uint32_t)crc32(0, (const void *)&f, offsetof(struct gb_rec_frame_hdr, hcrc));
	put(fd, &f, sizeof(f));
	put(fd, z, f.csize);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gb_format_opts fo = { .pid_view = GB_PID_VIEW_SANDBOX };
	struct gb_sink *table, *json, *tree;
	struct gb_rec_status st;
	int fd, err;

	if (!size)
		return 0;
	if (devnull < 0)
		devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	fd = memfd_create("fuzz", MFD_CLOEXEC);
	if (fd < 0 || devnull < 0)
		abort();
	if (data[0] & 1)
		wrap(fd, data + 1, size - 1);
	else
		put(fd, data + 1, size - 1);
	lseek(fd, 0, SEEK_SET);

	fo.pid_view = (enum gb_pid_view)(data[0] >> 1) % 3;
	fo.abs_time = data[0] >> 3 & 1;
	fo.color = data[0] >> 4 & 1;
	table = gb_table_sink_new(devnull, &fo);
	json = gb_json_sink_new(devnull, &fo);
	tree = gb_tree_sink_new(devnull, "/dev/null");
	if (!table || !json || !tree)
		abort();
	table->next = json;
	json->next = tree;
	err = gb_record_replay(fd, table, &st);
	if ((data[0] & 1) && err)
		abort(); /* a file the harness made valid must replay whole */
	if (err && !st.why[0] && err != -EIO)
		abort(); /* damage without a reason */
	gb_sinks_destroy(table);
	close(fd);
	return 0;
}
