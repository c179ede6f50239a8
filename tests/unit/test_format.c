// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The table and JSON printers on hand-made records, read back from a memfd. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sched.h>
#include <unistd.h>
#include <sys/mman.h>
#include <cmocka.h>
#include "format.h"
#include "glassbox/events.h"

static char out[8192];

static const char *render(int json, const struct gb_format_opts *o, const void *ev, size_t size)
{
	int fd = memfd_create("out", MFD_CLOEXEC);
	struct gb_run_info info = { .start_mono_ns = 1000000000ull };
	struct gb_sink *s = json ? gb_json_sink_new(fd, o) : gb_table_sink_new(fd, o);
	ssize_t n;

	assert_non_null(s);
	s->ops->begin(s, &info);
	s->ops->event(s, ev, size);
	s->ops->end(s, NULL);
	s->ops->destroy(s);
	n = pread(fd, out, sizeof(out) - 1, 0);
	close(fd);
	out[n > 0 ? n : 0] = 0;
	return out;
}

static void fill_hdr(struct gb_event_hdr *h, uint32_t kind, uint32_t size)
{
	h->ts_ns = 1250000000ull; /* 0.25 s after start */
	h->kind = kind;
	h->method = GB_METHOD_TP_BTF;
	h->size = size;
	h->task = (struct gb_ids){ .pid = 5000, .tid = 5000, .ns_pid = 2, .ns_tid = 2,
				   .own_pid = 2, .own_tid = 2, .level = 1, .pidns = 4026532000u };
	h->netns = 4026532001u;
	h->root_level = 1;
	strcpy(h->comm, "sh");
}

static void table__clone__aligned_line_with_both_pids(void **state)
{
	struct gb_format_opts o = { 0 };
	struct gb_ev_clone e;
	const char *line;

	memset(&e, 0, sizeof(e));
	fill_hdr(&e.hdr, GB_EV_CLONE, sizeof(e));
	e.child = (struct gb_ids){ .pid = 5001, .tid = 5001, .ns_pid = 3, .ns_tid = 3,
				   .own_pid = 3, .own_tid = 3, .level = 1 };
	e.flags = CLONE_NEWPID;
	e.ret = 5001;
	render(0, &o, &e, sizeof(e));
	line = strchr(out, '\n') + 1;
	assert_string_equal(out + 0, "TIME         EVENT           PID(sbx/host)  COMM             DETAILS\n"
				     "0.250000     clone           2/5000         sh               child "
				     "3/5001 (pid 3 at level 1) flags=CLONE_NEWPID\n");
	/* the PID column starts where its header does */
	assert_int_equal(strstr(out, "PID(") - out, strstr(line, "2/5000") - line);
}

static void table__pid_view_host__host_pid_only(void **state)
{
	struct gb_format_opts o = { .pid_view = GB_PID_VIEW_HOST };
	struct gb_ev_exit e;

	memset(&e, 0, sizeof(e));
	fill_hdr(&e.hdr, GB_EV_EXIT, sizeof(e));
	e.exit_code = 7 << 8;
	render(0, &o, &e, sizeof(e));
	assert_non_null(strstr(out, " 5000 "));
	assert_null(strstr(out, "2/5000"));
	assert_non_null(strstr(out, "exit 7"));
}

static void table__control_chars_in_comm__escaped(void **state)
{
	struct gb_format_opts o = { 0 };
	struct gb_ev_exit e;

	memset(&e, 0, sizeof(e));
	fill_hdr(&e.hdr, GB_EV_EXIT, sizeof(e));
	strcpy(e.hdr.comm, "a\nb\033c");
	render(0, &o, &e, sizeof(e));
	assert_non_null(strstr(out, "a\\nb\\u001bc"));
	/* exactly two lines: header and event */
	assert_int_equal(strchr(strchr(out, '\n') + 1, '\n')[1], 0);
}

static void table__sandbox_init_exit__marked(void **state)
{
	struct gb_format_opts o = { 0 };
	struct gb_ev_exit e;

	memset(&e, 0, sizeof(e));
	fill_hdr(&e.hdr, GB_EV_EXIT, sizeof(e));
	e.exit_code = SIGTERM;
	e.info = GB_EXIT_NS_INIT | GB_EXIT_SANDBOX_INIT;
	render(0, &o, &e, sizeof(e));
	assert_non_null(strstr(out, "killed by SIGTERM [sandbox init"));
}

static void json__signal_generate__fields(void **state)
{
	struct gb_format_opts o = { 0 };
	struct gb_ev_signal e;

	memset(&e, 0, sizeof(e));
	fill_hdr(&e.hdr, GB_EV_SIGNAL_GENERATE, sizeof(e));
	e.target = (struct gb_ids){ .pid = 5001, .tid = 5001, .ns_pid = 3, .ns_tid = 3,
				    .own_pid = 3, .own_tid = 3, .level = 1, .pidns = 4026532000u };
	e.sig = SIGUSR1;
	e.result = GB_SIG_ALREADY_PENDING;
	strcpy(e.target_comm, "sleep");
	render(1, &o, &e, sizeof(e));
	assert_non_null(strstr(out, "{\"v\":1,\"event\":\"signal_generate\",\"ts_ns\":1250000000,"
				    "\"pid\":5000,\"tid\":5000,\"ns_pid\":2,"));
	assert_non_null(strstr(out, "\"sig\":10,\"sig_name\":\"SIGUSR1\",\"target_pid\":5001,"));
	assert_non_null(strstr(out, "\"target_ns_pid\":3,"));
	assert_non_null(strstr(out, "\"result\":\"already_pending\""));
	assert_non_null(strstr(out, "\"method\":\"tp_btf\""));
	assert_string_equal(out + strlen(out) - 2, "}\n");
}

static void json__clone_newpid__new_namespace_listed(void **state)
{
	struct gb_format_opts o = { 0 };
	struct gb_ev_clone e;

	memset(&e, 0, sizeof(e));
	fill_hdr(&e.hdr, GB_EV_CLONE, sizeof(e));
	e.flags = CLONE_NEWPID | CLONE_VFORK;
	e.ret = 5001;
	e.child.level = 2;
	e.child_ns.pid = 4026532999u;
	e.child_pidns_parent = 4026532000u;
	render(1, &o, &e, sizeof(e));
	assert_non_null(strstr(out, "\"flags\":[\"CLONE_VFORK\",\"CLONE_NEWPID\"]"));
	assert_non_null(strstr(out, "\"new_namespaces\":[{\"type\":\"pid\",\"inode\":4026532999,"
				    "\"level\":2,\"parent\":4026532000}]"));
}

static void json__exec_argv__array_of_strings(void **state)
{
	struct gb_format_opts o = { 0 };
	struct gb_ev_exec e;

	memset(&e, 0, sizeof(e));
	fill_hdr(&e.hdr, GB_EV_EXEC, sizeof(e));
	strcpy(e.filename, "/bin/echo");
	memcpy(e.argv, "echo\0a\"b\0\xff", 11);
	e.argv_len = 11;
	e.argc = 3;
	render(1, &o, &e, sizeof(e));
	assert_non_null(strstr(out, "\"filename\":\"/bin/echo\",\"argv\":[\"echo\",\"a\\\"b\","
				    "\"\\ufffd\"],\"argc\":3"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table__clone__aligned_line_with_both_pids),
		cmocka_unit_test(table__pid_view_host__host_pid_only),
		cmocka_unit_test(table__control_chars_in_comm__escaped),
		cmocka_unit_test(table__sandbox_init_exit__marked),
		cmocka_unit_test(json__signal_generate__fields),
		cmocka_unit_test(json__clone_newpid__new_namespace_listed),
		cmocka_unit_test(json__exec_argv__array_of_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
