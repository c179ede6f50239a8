// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The record file: write with the sink, read back with the replay; cut and damaged
 * files must stop at the damage with a message, having delivered a prefix. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "record.h"

#define NREC 3000 /* enough exec records for several 256 KiB frames */

/* A sink that keeps a copy of every record it sees. */
struct capture {
	struct gb_sink sink;
	unsigned char *data;
	size_t len, cap;
	size_t nrec;
	int begun, ended, flushes;
	struct gb_run_info info;
	struct gb_summary sum;
};

static int cap_begin(struct gb_sink *s, const struct gb_run_info *info)
{
	struct capture *c = (struct capture *)s;

	c->begun++;
	c->info = *info;
	return 0;
}

static int cap_event(struct gb_sink *s, const struct gb_event_hdr *e, size_t size)
{
	struct capture *c = (struct capture *)s;

	if (c->len + size > c->cap) {
		c->cap = (c->len + size) * 2;
		c->data = realloc(c->data, c->cap);
		assert_non_null(c->data);
	}
	memcpy(c->data + c->len, e, size);
	c->len += size;
	c->nrec++;
	return 0;
}

static int cap_flush(struct gb_sink *s)
{
	((struct capture *)s)->flushes++;
	return 0;
}

static int cap_end(struct gb_sink *s, const struct gb_summary *sum)
{
	struct capture *c = (struct capture *)s;

	c->ended++;
	c->sum = *sum;
	return 0;
}

static const struct gb_sink_ops cap_ops = {
	.begin = cap_begin, .event = cap_event, .flush = cap_flush, .end = cap_end,
};

static void cap_init(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	c->sink.ops = &cap_ops;
}

static struct gb_run_info test_info(void)
{
	struct gb_run_info info = {
		.start_mono_ns = 123456789,
		.start_real_ns = 1700000000000000000ull,
		.kernel_release = "6.18.0-test",
		.hostname = "testhost",
		.root_pidns = 4026532178,
		.root_level = 1,
	};
	return info;
}

/* Records of several kinds; exec records with varying names. */
static size_t make_record(unsigned i, union { struct gb_ev_exec exec; struct gb_ev_signal sig;
					      struct gb_ev_exit exit; } *u)
{
	memset(u, 0, sizeof(*u));
	u->exec.hdr.ts_ns = 123456789 + i * 1000ull;
	u->exec.hdr.task.pid = 1000 + i % 7;
	u->exec.hdr.task.ns_pid = 2 + i % 7;
	u->exec.hdr.task.level = 1;
	snprintf(u->exec.hdr.comm, GB_COMM_LEN, "c%u", i % 13);
	switch (i % 3) {
	case 0:
		u->exec.hdr.kind = GB_EV_EXEC;
		u->exec.hdr.size = sizeof(u->exec);
		u->exec.filename_len = (uint32_t)snprintf(u->exec.filename, GB_FILENAME_LEN,
							  "/usr/bin/prog-%u-\xff\x01", i);
		return sizeof(u->exec);
	case 1:
		u->sig.hdr.kind = GB_EV_SIGNAL_GENERATE;
		u->sig.hdr.size = sizeof(u->sig);
		u->sig.sig = 1 + i % 31;
		return sizeof(u->sig);
	}
	u->exit.hdr.kind = GB_EV_EXIT;
	u->exit.hdr.size = sizeof(u->exit);
	u->exit.exit_code = (int)(i % 256) << 8;
	return sizeof(u->exit);
}

static struct gb_summary test_summary(void)
{
	struct gb_summary sum = { .malformed = 2 };

	sum.received[GB_EV_EXEC] = NREC / 3;
	sum.received[GB_EV_SIGNAL_GENERATE] = NREC / 3;
	sum.received[GB_EV_EXIT] = NREC / 3;
	sum.lost[GB_EV_SIGNAL_GENERATE] = 42;
	return sum;
}

/* The reference: a whole recording, in memory, and the records that went in. */
static unsigned char *file_data;
static size_t file_len;
static struct capture ref;

static int write_reference(void **state)
{
	char dir[] = "/tmp/gbunit-rec.XXXXXX", path[64];
	struct gb_run_info info = test_info();
	struct gb_summary sum = test_summary();
	struct gb_sink *w;
	struct stat sb;
	int fd;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/r.gbx", dir);
	w = gb_record_sink_new(path);
	assert_non_null(w);
	cap_init(&ref);
	assert_int_equal(gb_sinks_begin(w, &info), 0);
	for (unsigned i = 0; i < NREC; i++) {
		union { struct gb_ev_exec exec; struct gb_ev_signal sig; struct gb_ev_exit exit; } u;
		size_t n = make_record(i, (void *)&u);

		assert_int_equal(gb_sinks_event(w, &u.exec.hdr, n), 0);
		cap_event(&ref.sink, &u.exec.hdr, n);
	}
	assert_int_equal(gb_sinks_end(w, &sum), 0);
	gb_sinks_destroy(w);

	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &sb), 0);
	file_len = (size_t)sb.st_size;
	file_data = malloc(file_len);
	assert_int_equal(read(fd, file_data, file_len), (ssize_t)file_len);
	close(fd);
	unlink(path);
	rmdir(dir);
	return 0;
}

static int free_reference(void **state)
{
	free(file_data);
	free(ref.data);
	return 0;
}

/* Replay bytes from memory through a memfd. */
static int replay_bytes(const void *p, size_t n, struct capture *c, struct gb_rec_status *st)
{
	int fd = memfd_create("gbunit", MFD_CLOEXEC), err;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	lseek(fd, 0, SEEK_SET);
	cap_init(c);
	err = gb_record_replay(fd, &c->sink, st);
	close(fd);
	return err;
}

static void record_replay__whole_file__same_records_info_and_summary(void **state)
{
	struct gb_run_info info = test_info();
	struct gb_summary sum = test_summary();
	struct gb_rec_status st;
	struct capture c;

	assert_int_equal(replay_bytes(file_data, file_len, &c, &st), 0);
	assert_true(st.complete);
	assert_string_equal(st.why, "");
	assert_int_equal(st.stop_offset, file_len);
	assert_true(st.frames >= 3); /* the writer cut frames at 256 KiB */
	assert_int_equal(c.nrec, NREC);
	assert_int_equal(c.len, ref.len);
	assert_memory_equal(c.data, ref.data, ref.len);
	assert_int_equal(c.begun, 1);
	assert_int_equal(c.ended, 1);
	assert_int_equal(c.flushes, (int)st.frames);
	assert_int_equal(c.info.start_mono_ns, info.start_mono_ns);
	assert_int_equal(c.info.start_real_ns, info.start_real_ns);
	assert_string_equal(c.info.kernel_release, info.kernel_release);
	assert_string_equal(c.info.hostname, info.hostname);
	assert_int_equal(c.info.root_pidns, info.root_pidns);
	assert_int_equal(c.info.root_level, info.root_level);
	assert_memory_equal(&c.sum, &sum, sizeof(sum));
	free(c.data);
}

static void record_replay__cut_anywhere__prefix_and_reason(void **state)
{
	for (size_t cut = 0; cut < file_len; cut += cut < 600 ? 1 : 211) {
		struct gb_rec_status st;
		struct capture c;
		int err = replay_bytes(file_data, cut, &c, &st);

		assert_int_equal(err, -EBADMSG);
		assert_false(st.complete);
		assert_true(st.why[0]);
		assert_true(strstr(st.why, "truncated") || strstr(st.why, "magic"));
		assert_true(st.stop_offset <= cut);
		assert_true(c.len <= ref.len);
		if (c.len)
			assert_memory_equal(c.data, ref.data, c.len);
		/* begin and end happen as soon as the header is whole */
		assert_int_equal(c.begun, cut >= sizeof(struct gb_rec_file_hdr));
		assert_int_equal(c.ended, c.begun);
		free(c.data);
	}
}

static void record_replay__any_flipped_byte__stops_with_reason(void **state)
{
	unsigned char *copy = malloc(file_len);

	assert_non_null(copy);
	for (size_t off = 0; off < file_len; off += off < 400 ? 1 : 61) {
		struct gb_rec_status st;
		struct capture c;
		int err;

		memcpy(copy, file_data, file_len);
		copy[off] ^= 1u << (off % 8);
		err = replay_bytes(copy, file_len, &c, &st);
		if (!err)
			fail_msg("a flipped bit at byte %zu went unnoticed", off);
		assert_int_equal(err, -EBADMSG);
		assert_true(st.why[0]);
		assert_true(st.stop_offset <= off);
		if (c.len)
			assert_memory_equal(c.data, ref.data, c.len);
		free(c.data);
	}
	free(copy);
}

static void record_replay__data_after_trailer__reported(void **state)
{
	unsigned char *copy = malloc(file_len + 1);
	struct gb_rec_status st;
	struct capture c;

	memcpy(copy, file_data, file_len);
	copy[file_len] = 'x';
	assert_int_equal(replay_bytes(copy, file_len + 1, &c, &st), -EBADMSG);
	assert_non_null(strstr(st.why, "after the trailer"));
	assert_int_equal(st.stop_offset, file_len);
	assert_int_equal(c.nrec, NREC); /* everything was there */
	free(c.data);
	free(copy);
}

static void record_replay__not_a_record__says_so(void **state)
{
	static const char text[] = "TIME EVENT PID COMM DETAILS\n";
	struct gb_rec_status st;
	struct capture c;

	assert_int_equal(replay_bytes(text, sizeof(text) - 1, &c, &st), -EBADMSG);
	assert_non_null(strstr(st.why, "not a glassbox record file"));
	assert_int_equal(c.begun, 0);
	assert_int_equal(replay_bytes("", 0, &c, &st), -EBADMSG);
	assert_non_null(strstr(st.why, "truncated"));
}

static void record_replay__other_version__named(void **state)
{
	unsigned char *copy = malloc(file_len);
	struct gb_rec_file_hdr *h = (void *)copy;
	struct gb_rec_status st;
	struct capture c;

	memcpy(copy, file_data, file_len);
	h->version = 7;
	assert_int_equal(replay_bytes(copy, file_len, &c, &st), -EBADMSG);
	assert_non_null(strstr(st.why, "format version 7"));
	free(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(record_replay__whole_file__same_records_info_and_summary),
		cmocka_unit_test(record_replay__cut_anywhere__prefix_and_reason),
		cmocka_unit_test(record_replay__any_flipped_byte__stops_with_reason),
		cmocka_unit_test(record_replay__data_after_trailer__reported),
		cmocka_unit_test(record_replay__not_a_record__says_so),
		cmocka_unit_test(record_replay__other_version__named),
	};

	return cmocka_run_group_tests(tests, write_reference, free_reference);
}
