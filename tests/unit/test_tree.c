// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The tree sink on a made-up run: init clones sh, sh clones sleep into a new PID and
 * network namespace, moves a device there and signals it twice. */
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>
#include "tree.h"

#define P1 4026532178u
#define P2 4026532300u
#define N1 4026532179u
#define N2 4026532301u

static struct gb_ids ids(uint32_t pid, uint32_t ns_pid, uint32_t own, uint32_t level,
			 uint32_t pidns)
{
	struct gb_ids i = { pid, pid, ns_pid, ns_pid, own, own, level, pidns };
	return i;
}

static void hdr(struct gb_event_hdr *h, uint32_t kind, size_t size, struct gb_ids task,
		uint32_t netns, const char *comm)
{
	memset(h, 0, size);
	h->kind = (uint16_t)kind;
	h->size = (uint32_t)size;
	h->task = task;
	h->netns = netns;
	h->root_level = 1;
	strncpy(h->comm, comm, GB_COMM_LEN - 1);
}

static char *slurp(int fd)
{
	off_t n = lseek(fd, 0, SEEK_END);
	char *s = calloc(1, (size_t)n + 1);

	assert_non_null(s);
	assert_int_equal(pread(fd, s, (size_t)n, 0), n);
	return s;
}

/* Run the made-up events through a tree sink; returns the text and the DOT output. */
static void build(char **text, char **dot, const char *odd_comm)
{
	struct gb_run_info info = { .root_pidns = P1, .root_level = 1,
				    .kernel_release = "6.18", .hostname = "h" };
	struct gb_summary sum = { 0 };
	int tfd = memfd_create("tree", MFD_CLOEXEC);
	char dotpath[] = "/tmp/gbunit-tree.XXXXXX";
	int dfd = mkstemp(dotpath);
	struct gb_ids init = ids(100, 1, 1, 1, P1), sh = ids(101, 2, 2, 1, P1),
		      sleep_ = ids(102, 3, 1, 2, P2);
	struct gb_ev_clone c;
	struct gb_ev_exec x;
	struct gb_ev_exit e;
	struct gb_ev_signal s;
	struct gb_ev_netdev_move m;
	struct gb_sink *t;

	assert_true(tfd >= 0 && dfd >= 0);
	close(dfd);
	t = gb_tree_sink_new(tfd, dotpath);
	assert_non_null(t);
	assert_int_equal(gb_sinks_begin(t, &info), 0);

	hdr(&c.hdr, GB_EV_CLONE, sizeof(c), init, N1, "glassbox-init");
	c.child = sh, c.ret = 101, c.child_netns = N1, c.child_ns.pid = P1, c.parent_ns.pid = P1;
	gb_sinks_event(t, &c.hdr, sizeof(c));
	hdr(&x.hdr, GB_EV_EXEC, sizeof(x), sh, N1, odd_comm);
	strcpy(x.filename, "/bin/sh");
	gb_sinks_event(t, &x.hdr, sizeof(x));
	/* a thread of sh: counted, not a node */
	hdr(&c.hdr, GB_EV_CLONE, sizeof(c), sh, N1, odd_comm);
	c.child = ids(101, 2, 2, 1, P1), c.child.tid = 105, c.ret = 105;
	c.info = GB_CLONE_THREAD_CHILD;
	gb_sinks_event(t, &c.hdr, sizeof(c));
	hdr(&c.hdr, GB_EV_CLONE, sizeof(c), sh, N1, odd_comm);
	c.child = sleep_, c.ret = 102, c.info = 0, c.child_netns = N2;
	c.parent_ns.pid = P1, c.child_ns.pid = P2, c.child_pidns_parent = P1;
	gb_sinks_event(t, &c.hdr, sizeof(c));
	hdr(&x.hdr, GB_EV_EXEC, sizeof(x), sleep_, N2, "sleep");
	strcpy(x.filename, "/bin/sleep");
	gb_sinks_event(t, &x.hdr, sizeof(x));
	hdr(&m.hdr, GB_EV_NETDEV_MOVE, sizeof(m), sh, N1, odd_comm);
	strcpy(m.old_name, "veth1"), strcpy(m.new_name, "eth0");
	m.old_netns = N1, m.new_netns = N2;
	gb_sinks_event(t, &m.hdr, sizeof(m));
	for (int i = 0; i < 2; i++) {
		hdr(&s.hdr, GB_EV_SIGNAL_GENERATE, sizeof(s), sh, N1, odd_comm);
		s.target = sleep_, s.target_netns = N2, s.sig = 15;
		strcpy(s.target_comm, "sleep");
		gb_sinks_event(t, &s.hdr, sizeof(s));
	}
	/* exits carry netns 0: the task has left its namespaces */
	hdr(&e.hdr, GB_EV_EXIT, sizeof(e), sleep_, 0, "sleep");
	e.exit_code = 15, e.info = GB_EXIT_GROUP_DEAD | GB_EXIT_NS_INIT;
	gb_sinks_event(t, &e.hdr, sizeof(e));
	hdr(&e.hdr, GB_EV_EXIT, sizeof(e), sh, 0, odd_comm);
	e.exit_code = 0, e.info = GB_EXIT_GROUP_DEAD;
	gb_sinks_event(t, &e.hdr, sizeof(e));
	/* init never exits in this trace */
	assert_int_equal(gb_sinks_end(t, &sum), 0);
	gb_sinks_destroy(t);

	*text = slurp(tfd);
	close(tfd);
	dfd = open(dotpath, O_RDONLY | O_CLOEXEC);
	*dot = slurp(dfd);
	close(dfd);
	unlink(dotpath);
}

static void tree_text__nested_pidns_and_move__grouped_with_every_level(void **state)
{
	char *text, *dot;

	build(&text, &dot, "sh");
	assert_non_null(strstr(text,
		"PID namespace 4026532178 (level 1, the sandbox)\n"
		"  network namespace 4026532179\n"
		"    0:100 1:1  glassbox-init  no exit seen\n"
		"    `- 0:101 1:2  sh  exec /bin/sh  +1 thread  exit 0\n"
		"  PID namespace 4026532300 (level 2, in 4026532178)\n"
		"    network namespace 4026532301\n"
		"      0:102 1:3 2:1  sleep  exec /bin/sleep  killed by SIGTERM  (parent 0:101 1:2)\n"
		"Network devices moved\n"
		"  veth1 (network namespace 4026532179) -> eth0 (network namespace 4026532301) by "
		"0:101 1:2 sh\n"));
	free(text);
	free(dot);
}

static void tree_dot__nested_pidns_and_move__clusters_and_edges(void **state)
{
	char *text, *dot, *outer, *inner, *end;

	build(&text, &dot, "sh");
	assert_true(!strncmp(dot, "digraph glassbox {\n", 19));
	outer = strstr(dot, "subgraph \"cluster_pidns_4026532178\" {");
	inner = strstr(dot, "subgraph \"cluster_pidns_4026532300\" {");
	assert_non_null(outer);
	assert_non_null(inner);
	assert_true(inner > outer); /* nested: the inner cluster is inside the outer one */
	assert_non_null(strstr(dot, "subgraph \"cluster_pidns_4026532300_netns_4026532301\""));
	assert_non_null(strstr(dot, "\"p0\" -> \"p1\" [label=\"clone\"]"));
	assert_non_null(strstr(dot, "\"p1\" -> \"p2\" [label=\"clone\"]"));
	assert_non_null(strstr(dot, "\"p1\" -> \"p2\" [label=\"SIGTERM x2\""));
	assert_non_null(strstr(dot, "\"netns_4026532179\" -> \"netns_4026532301\" "
				    "[label=\"veth1 -> eth0\""));
	/* each netns node once */
	end = strstr(dot, "\"netns_4026532301\" [label=\"netns");
	assert_non_null(end);
	assert_null(strstr(end + 1, "\"netns_4026532301\" [label=\"netns"));
	assert_string_equal(dot + strlen(dot) - 2, "}\n");
	free(text);
	free(dot);
}

static void tree_dot__odd_comm__escaped_in_labels(void **state)
{
	char *text, *dot;

	build(&text, &dot, "a\"b\\\n\xff");
	/* quote and backslash as DOT escapes; control and invalid bytes shown as text */
	assert_non_null(strstr(dot, "\\na\\\"b\\\\\\\\n\\\\ufffd\\n"));
	assert_null(strchr(strstr(dot, "a\\\"b"), '\xff'));
	/* the text tree escapes as the table does: quotes and backslashes as they are */
	assert_non_null(strstr(text, "a\"b\\\\n\\ufffd  exec /bin/sh"));
	free(text);
	free(dot);
}

/* Clone c by p; all in one PID and network namespace. */
static void clone_ev(struct gb_sink *t, uint32_t parent, uint32_t child, const char *comm)
{
	struct gb_ev_clone c;

	hdr(&c.hdr, GB_EV_CLONE, sizeof(c), ids(parent, parent - 99, parent - 99, 1, P1), N1, comm);
	c.child = ids(child, child - 99, child - 99, 1, P1);
	c.ret = (int32_t)child;
	c.child_netns = N1;
	gb_sinks_event(t, &c.hdr, sizeof(c));
}

static char *run_tree(void (*feed)(struct gb_sink *t))
{
	struct gb_run_info info = { .root_pidns = P1, .root_level = 1 };
	struct gb_summary sum = { 0 };
	int fd = memfd_create("tree", MFD_CLOEXEC);
	struct gb_sink *t = gb_tree_sink_new(fd, NULL);
	char *text;

	assert_non_null(t);
	gb_sinks_begin(t, &info);
	feed(t);
	assert_int_equal(gb_sinks_end(t, &sum), 0);
	gb_sinks_destroy(t);
	text = slurp(fd);
	close(fd);
	return text;
}

static void feed_siblings(struct gb_sink *t)
{
	clone_ev(t, 100, 101, "a");
	clone_ev(t, 100, 102, "b");
	clone_ev(t, 101, 103, "c");
	clone_ev(t, 103, 104, "d");
}

static void tree_text__siblings_and_grandchildren__drawn(void **state)
{
	char *text = run_tree(feed_siblings);

	assert_non_null(strstr(text,
		"    0:100 1:1  a  no exit seen\n"
		"    |- 0:101 1:2  a  no exit seen\n"
		"    |  `- 0:103 1:4  c  no exit seen\n"
		"    |     `- 0:104 1:5  d  no exit seen\n"
		"    `- 0:102 1:3  b  no exit seen\n"));
	free(text);
}

#define CHAIN 200000

static void feed_chain(struct gb_sink *t)
{
	for (uint32_t i = 0; i < CHAIN; i++)
		clone_ev(t, 100 + i, 101 + i, "f");
}

static void tree_text__chain_of_200000_forks__no_stack_overflow(void **state)
{
	char *text = run_tree(feed_chain);
	char last[64];

	snprintf(last, sizeof(last), "`- 0:%u 1:%u  f  no exit seen\n", 100 + CHAIN, 1 + CHAIN);
	assert_non_null(strstr(text, last));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tree_text__nested_pidns_and_move__grouped_with_every_level),
		cmocka_unit_test(tree_dot__nested_pidns_and_move__clusters_and_edges),
		cmocka_unit_test(tree_dot__odd_comm__escaped_in_labels),
		cmocka_unit_test(tree_text__siblings_and_grandchildren__drawn),
		cmocka_unit_test(tree_text__chain_of_200000_forks__no_stack_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
