// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Print filters: parsing of --comm/--pid/--signal lists and what each lets through. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <signal.h>
#include <cmocka.h>
#include "filter.h"

#define ALL_KINDS (((1u << GB_EV_KIND_MAX) - 1) & ~1u)

static struct gb_ev_signal sig_ev(uint32_t kind, uint32_t ns_pid, const char *comm, int sig,
				  uint32_t target_ns_pid)
{
	struct gb_ev_signal e;

	memset(&e, 0, sizeof(e));
	e.hdr.kind = (uint16_t)kind;
	e.hdr.task.ns_pid = ns_pid;
	strncpy(e.hdr.comm, comm, GB_COMM_LEN - 1);
	e.sig = sig;
	e.target.ns_pid = target_ns_pid;
	return e;
}

static void filter_add__lists__parsed(void **state)
{
	struct gb_filter f = { 0 };
	const char *bad;

	assert_int_equal(gb_filter_add_pid(&f, "1,22,333", &bad), 0);
	assert_int_equal(f.npid, 3);
	assert_int_equal(f.pid[2], 333);
	assert_int_equal(gb_filter_add_signal(&f, "USR1,SIGTERM,9,rtmin+1", &bad), 0);
	assert_int_equal(f.nsig, 4);
	assert_int_equal(f.sig[0], SIGUSR1);
	assert_int_equal(f.sig[1], SIGTERM);
	assert_int_equal(f.sig[2], 9);
	assert_int_equal(f.sig[3], 33); /* the kernel's SIGRTMIN is 32 */
	assert_int_equal(gb_filter_add_comm(&f, "sh,a-very-long-command-name", &bad), 0);
	assert_string_equal(f.comm[1], "a-very-long-com"); /* the kernel keeps 15 bytes */
}

static void filter_add__bad_values__rejected_at_value(void **state)
{
	struct gb_filter f = { 0 };
	const char *bad, *list = "1,2x,3";

	assert_int_equal(gb_filter_add_pid(&f, list, &bad), -EINVAL);
	assert_ptr_equal(bad, list + 2);
	assert_int_equal(gb_filter_add_pid(&f, "0", &bad), -EINVAL);
	assert_int_equal(gb_filter_add_pid(&f, "5,", &bad), -EINVAL);
	assert_int_equal(gb_filter_add_pid(&f, "", &bad), -EINVAL);
	assert_int_equal(gb_filter_add_signal(&f, "SIGNOPE", &bad), -EINVAL);
	assert_int_equal(gb_filter_add_signal(&f, "65", &bad), -EINVAL);
	assert_int_equal(gb_filter_add_comm(&f, "a,,b", &bad), -EINVAL);
	assert_int_equal(gb_filter_add_comm(&f, "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", &bad),
			 -E2BIG);
}

static void filter_match__kind_mask__only_listed_kinds(void **state)
{
	struct gb_filter f = { .kind_mask = 1u << GB_EV_SIGNAL_DELIVER };
	struct gb_ev_signal a = sig_ev(GB_EV_SIGNAL_DELIVER, 2, "sh", 10, 0),
			    b = sig_ev(GB_EV_SIGNAL_GENERATE, 2, "sh", 10, 3);

	assert_true(gb_filter_match(&f, &a.hdr));
	assert_false(gb_filter_match(&f, &b.hdr));
	assert_false(gb_filter_active(&f));
}

static void filter_match__comm__exact_name(void **state)
{
	struct gb_filter f = { .kind_mask = ALL_KINDS };
	struct gb_ev_signal a = sig_ev(GB_EV_SIGNAL_GENERATE, 2, "sh", 10, 3),
			    b = sig_ev(GB_EV_SIGNAL_GENERATE, 2, "shell", 10, 3);
	const char *bad;

	gb_filter_add_comm(&f, "sh", &bad);
	assert_true(gb_filter_active(&f));
	assert_true(gb_filter_match(&f, &a.hdr));
	assert_false(gb_filter_match(&f, &b.hdr));
}

static void filter_match__pid__actor_child_or_target(void **state)
{
	struct gb_filter f = { .kind_mask = ALL_KINDS };
	struct gb_ev_signal to = sig_ev(GB_EV_SIGNAL_GENERATE, 2, "sh", 10, 7),
			    by = sig_ev(GB_EV_SIGNAL_GENERATE, 7, "sh", 10, 2),
			    other = sig_ev(GB_EV_SIGNAL_GENERATE, 2, "sh", 10, 3),
			    host = sig_ev(GB_EV_SIGNAL_GENERATE, 0, "sh", 10, 0);
	struct gb_ev_clone c;
	const char *bad;

	memset(&c, 0, sizeof(c));
	c.hdr.kind = GB_EV_CLONE;
	c.hdr.task.ns_pid = 1;
	c.child.ns_pid = 7;
	gb_filter_add_pid(&f, "7", &bad);
	assert_true(gb_filter_match(&f, &to.hdr));
	assert_true(gb_filter_match(&f, &by.hdr));
	assert_true(gb_filter_match(&f, &c.hdr));
	assert_false(gb_filter_match(&f, &other.hdr));
	assert_false(gb_filter_match(&f, &host.hdr)); /* ns_pid 0: not in the sandbox */
}

static void filter_match__signal__only_that_signal_and_combined_with_and(void **state)
{
	struct gb_filter f = { .kind_mask = ALL_KINDS };
	struct gb_ev_signal usr1 = sig_ev(GB_EV_SIGNAL_DELIVER, 2, "sh", SIGUSR1, 0),
			    term = sig_ev(GB_EV_SIGNAL_DELIVER, 2, "sh", SIGTERM, 0),
			    usr1_other = sig_ev(GB_EV_SIGNAL_DELIVER, 2, "sleep", SIGUSR1, 0);
	struct gb_ev_exit ex;
	const char *bad;

	memset(&ex, 0, sizeof(ex));
	ex.hdr.kind = GB_EV_EXIT;
	strcpy(ex.hdr.comm, "sh");
	gb_filter_add_signal(&f, "USR1", &bad);
	assert_true(gb_filter_match(&f, &usr1.hdr));
	assert_false(gb_filter_match(&f, &term.hdr));
	assert_false(gb_filter_match(&f, &ex.hdr));
	gb_filter_add_comm(&f, "sh", &bad);
	assert_true(gb_filter_match(&f, &usr1.hdr));
	assert_false(gb_filter_match(&f, &usr1_other.hdr));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(filter_add__lists__parsed),
		cmocka_unit_test(filter_add__bad_values__rejected_at_value),
		cmocka_unit_test(filter_match__kind_mask__only_listed_kinds),
		cmocka_unit_test(filter_match__comm__exact_name),
		cmocka_unit_test(filter_match__pid__actor_child_or_target),
		cmocka_unit_test(filter_match__signal__only_that_signal_and_combined_with_and),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
