// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The namespace issue's pure parts: syscall table, nsset diff, trace options, and the
 * JSON the setns/unshare/signal_failed records print as. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sched.h>
#include <sys/syscall.h>
#include <cmocka.h>
#include "quiet_stderr.h"
#include "decode.h"
#include "format.h"
#include "options.h"
#include "sink.h"
#include "syscalls.h"
#include "util.h"

static void syscall_classes__arch_numbers__mapped(void **state)
{
	uint8_t t[GB_SYSCALL_NR_MAX];
	int n = gb_syscall_classes(t, sizeof(t));

	assert_true(n >= 10);
	assert_int_equal(t[SYS_setns], GB_SYS_SETNS);
	assert_int_equal(t[SYS_unshare], GB_SYS_UNSHARE);
	assert_int_equal(t[SYS_clone3], GB_SYS_CLONE3);
	assert_int_equal(t[SYS_kill], GB_SYS_KILL);
	assert_int_equal(t[SYS_pidfd_send_signal], GB_SYS_PIDFD_SEND_SIGNAL);
	assert_int_equal(t[SYS_getpid], GB_SYS_NONE);
	/* exactly n entries set */
	for (size_t i = 0; i < sizeof(t); i++)
		n -= t[i] != 0;
	assert_int_equal(n, 0);
}

static void syscall_classes__table_too_small__erange(void **state)
{
	uint8_t t[16];

	assert_int_equal(gb_syscall_classes(t, sizeof(t)), -ERANGE);
}

static void syscall_name__every_value__named(void **state)
{
	for (uint32_t s = 1; s < GB_SYS_MAX; s++)
		assert_non_null(gb_syscall_name(s));
	assert_null(gb_syscall_name(GB_SYS_NONE));
	assert_null(gb_syscall_name(GB_SYS_MAX));
	assert_string_equal(gb_syscall_name(GB_SYS_RT_TGSIGQUEUEINFO), "rt_tgsigqueueinfo");
}

static void nsset_diff__pid_for_children_and_net__two_changes(void **state)
{
	struct gb_nsset a = { .pid = 10, .pid_for_children = 10, .net = 20, .mnt = 30 };
	struct gb_nsset b = a;
	struct gb_ns_change ch[GB_NSSET_TYPES];

	b.pid_for_children = 11;
	b.net = 21;
	assert_int_equal(gb_nsset_diff(&a, &b, ch, GB_NSSET_TYPES), 2);
	assert_string_equal(ch[0].type, "pid_for_children");
	assert_int_equal(ch[0].old_ino, 10);
	assert_int_equal(ch[0].new_ino, 11);
	assert_string_equal(ch[1].type, "net");
	assert_int_equal(ch[1].new_ino, 21);
	/* max bounds what is written */
	assert_int_equal(gb_nsset_diff(&a, &b, ch, 1), 1);
	assert_int_equal(gb_nsset_diff(&a, &a, ch, GB_NSSET_TYPES), 0);
}

static int parse_trace(struct gb_opts *o, int *help, ...)
{
	static char *argv[32];
	int argc = 0;
	va_list ap;

	va_start(ap, help);
	for (char *a; (a = va_arg(ap, char *));)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	gb_opts_defaults(o);
	return gb_opts_parse_trace(o, argc, argv, help);
}

static void parse_trace__targets__kept_in_order(void **state)
{
	struct gb_opts o;
	int help;

	assert_int_equal(parse_trace(&o, &help, "trace", "--pid", "42", "--netns", "blue",
				     "--pidns", "/proc/1/ns/pid", "--exit-with-target", "--json",
				     NULL),
			 0);
	assert_int_equal(o.n_targets, 3);
	assert_int_equal(o.targets[0].kind, GB_TRACE_PID);
	assert_int_equal(o.targets[0].pid, 42);
	assert_int_equal(o.targets[1].kind, GB_TRACE_NETNS);
	assert_string_equal(o.targets[1].arg, "blue");
	assert_int_equal(o.targets[2].kind, GB_TRACE_PIDNS);
	assert_true(o.exit_with_target);
	assert_true(o.json);
	assert_int_equal(parse_trace(&o, &help, "trace", "--all", NULL), 0);
	assert_true(o.trace_all);
	assert_int_equal(o.n_targets, 0);
}

static void parse_trace__bad_input__usage_exit(void **state)
{
	struct gb_opts o;
	int help;

	assert_int_equal(parse_trace(&o, &help, "trace", NULL), GB_EXIT_USAGE);
	assert_int_equal(parse_trace(&o, &help, "trace", "--pid", "0", NULL), GB_EXIT_USAGE);
	assert_int_equal(parse_trace(&o, &help, "trace", "--pid", "7x", NULL), GB_EXIT_USAGE);
	assert_int_equal(parse_trace(&o, &help, "trace", "--pid", "-3", NULL), GB_EXIT_USAGE);
	assert_int_equal(parse_trace(&o, &help, "trace", "--pid", "2147483648", NULL),
			 GB_EXIT_USAGE);
	assert_int_equal(parse_trace(&o, &help, "trace", "--netns", "", NULL), GB_EXIT_USAGE);
	assert_int_equal(parse_trace(&o, &help, "trace", "--all", "--pid", "1", NULL),
			 GB_EXIT_USAGE);
	assert_int_equal(parse_trace(&o, &help, "trace", "--all", "--exit-with-target", NULL),
			 GB_EXIT_USAGE);
	assert_int_equal(parse_trace(&o, &help, "trace", "--pid", "1", "extra", NULL),
			 GB_EXIT_USAGE);
	assert_int_equal(parse_trace(&o, &help, "trace", "--pid", NULL), GB_EXIT_USAGE);
	assert_int_equal(parse_trace(&o, &help, "trace", "--as-pid1", "--all", NULL),
			 GB_EXIT_USAGE);
}

static void parse_trace__too_many_targets__usage_exit(void **state)
{
	char *argv[2 * GB_TRACE_TARGETS_MAX + 4];
	struct gb_opts o;
	int argc = 0, help;

	argv[argc++] = "trace";
	for (int i = 0; i <= GB_TRACE_TARGETS_MAX; i++) {
		argv[argc++] = "--pid";
		argv[argc++] = "1";
	}
	argv[argc] = NULL;
	gb_opts_defaults(&o);
	assert_int_equal(gb_opts_parse_trace(&o, argc, argv, &help), GB_EXIT_USAGE);
}

/* Render one record through the JSON sink into a memory file. */
static char *json_of(const struct gb_event_hdr *h, size_t size)
{
	static char buf[8192];
	struct gb_format_opts fo = { 0 };
	struct gb_run_info info = { 0 };
	int fds[2];
	ssize_t n;
	struct gb_sink *s;

	assert_int_equal(pipe(fds), 0);
	s = gb_json_sink_new(fds[1], &fo);
	assert_non_null(s);
	assert_int_equal(gb_sinks_begin(s, &info), 0);
	assert_int_equal(gb_sinks_event(s, h, size), 0);
	assert_int_equal(gb_sinks_flush(s), 0);
	gb_sinks_destroy(s);
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	assert_true(n > 0);
	buf[n] = 0;
	return buf;
}

static void json_setns__pid_namespace__says_own_stays(void **state)
{
	struct gb_ev_setns e = { 0 };
	const char *j;

	e.hdr.kind = GB_EV_SETNS;
	e.hdr.size = sizeof(e);
	e.fd = 4;
	e.nstype = CLONE_NEWPID;
	e.fd_nstype = CLONE_NEWPID;
	e.target_ino = 200;
	e.before = (struct gb_nsset){ .pid = 100, .pid_for_children = 100, .net = 7 };
	e.after = e.before;
	e.after.pid_for_children = 200;
	j = json_of(&e.hdr, sizeof(e));
	assert_non_null(strstr(j, "\"target_type\":\"pid\",\"target_ino\":200,\"target_pid\":0,"
				  "\"ret\":0,"));
	assert_non_null(strstr(j, "\"changes\":[{\"type\":\"pid_for_children\",\"old\":100,"
				  "\"new\":200}]"));
	assert_non_null(strstr(j, "\"pid_for_children_changed\":true,\"own_pidns\":100,"
				  "\"pid_for_children\":200"));
}

static void json_setns__pidfd__type_and_pid(void **state)
{
	struct gb_ev_setns e = { 0 };
	const char *j;

	e.hdr.kind = GB_EV_SETNS;
	e.hdr.size = sizeof(e);
	e.fd = 3;
	e.nstype = CLONE_NEWNET | CLONE_NEWPID;
	e.target_pid = 4242;
	e.before = (struct gb_nsset){ .pid = 1, .pid_for_children = 1, .net = 2 };
	e.after = (struct gb_nsset){ .pid = 1, .pid_for_children = 3, .net = 4 };
	j = json_of(&e.hdr, sizeof(e));
	assert_non_null(strstr(j, "\"nstype_name\":\"several\",\"target_type\":\"pidfd\","
				  "\"target_ino\":0,\"target_pid\":4242,"));
	assert_non_null(strstr(j, "\"changes\":[{\"type\":\"pid_for_children\",\"old\":1,"
				  "\"new\":3},{\"type\":\"net\",\"old\":2,\"new\":4}]"));
}

static void json_unshare__newpid__next_child_pid_1(void **state)
{
	struct gb_ev_unshare e = { 0 };
	const char *j;

	e.hdr.kind = GB_EV_UNSHARE;
	e.hdr.size = sizeof(e);
	e.hdr.task.level = 3;
	e.flags = CLONE_NEWPID | CLONE_NEWNS;
	e.before = (struct gb_nsset){ .pid = 100, .pid_for_children = 100, .mnt = 5 };
	e.after = e.before;
	e.after.pid_for_children = 300;
	e.after.mnt = 6;
	j = json_of(&e.hdr, sizeof(e));
	assert_non_null(strstr(j, "\"new_namespaces\":[{\"type\":\"pid_for_children\",\"old\":100,"
				  "\"new\":300,\"level\":4,\"parent\":100,\"next_child_pid\":1},"
				  "{\"type\":\"mnt\",\"old\":5,\"new\":6}]"));
	/* a failed unshare created nothing */
	e.ret = -ENOSPC;
	j = json_of(&e.hdr, sizeof(e));
	assert_non_null(strstr(j, "\"ret\":-28,\"error\":\"ENOSPC\",\"new_namespaces\":[]"));
}

static void json_signal_failed__tgkill__both_arguments(void **state)
{
	struct gb_ev_signal e = { 0 };
	const char *j;

	e.hdr.kind = GB_EV_SIGNAL_FAILED;
	e.hdr.size = sizeof(e);
	e.sig = 15;
	e.target.own_pid = 1234;
	e.target.own_tid = 1240;
	e.syscall = GB_SYS_TGKILL;
	e.code = -6;
	e.result = -ESRCH;
	j = json_of(&e.hdr, sizeof(e));
	assert_non_null(strstr(j, "\"sig\":15,\"sig_name\":\"SIGTERM\",\"syscall\":\"tgkill\","
				  "\"target_pid_arg\":1234,\"target_tid_arg\":1240,\"code\":-6,"
				  "\"code_name\":\"SI_TKILL\",\"ret\":-3,\"error\":\"ESRCH\""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(syscall_classes__arch_numbers__mapped),
		cmocka_unit_test(syscall_classes__table_too_small__erange),
		cmocka_unit_test(syscall_name__every_value__named),
		cmocka_unit_test(nsset_diff__pid_for_children_and_net__two_changes),
		cmocka_unit_test(parse_trace__targets__kept_in_order),
		cmocka_unit_test_setup_teardown(parse_trace__bad_input__usage_exit, quiet_stderr,
						restore_stderr),
		cmocka_unit_test_setup_teardown(parse_trace__too_many_targets__usage_exit,
						quiet_stderr, restore_stderr),
		cmocka_unit_test(json_setns__pid_namespace__says_own_stays),
		cmocka_unit_test(json_setns__pidfd__type_and_pid),
		cmocka_unit_test(json_unshare__newpid__next_child_pid_1),
		cmocka_unit_test(json_signal_failed__tgkill__both_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
