// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <cmocka.h>
#include "decode.h"
#include "glassbox/events.h"

static void clone_flags_str__namespace_flags__named_in_order(void **state)
{
	char buf[256];

	gb_clone_flags_str(CLONE_NEWPID | CLONE_NEWNET | CLONE_VFORK, buf, sizeof(buf), "|");
	assert_string_equal(buf, "CLONE_VFORK|CLONE_NEWPID|CLONE_NEWNET");
}

static void clone_flags_str__unknown_bit__hex_rest(void **state)
{
	char buf[256];

	gb_clone_flags_str(CLONE_THREAD | (1ULL << 40), buf, sizeof(buf), ",");
	assert_string_equal(buf, "CLONE_THREAD,0x10000000000");
}

static void clone_flags_str__zero__empty(void **state)
{
	char buf[16] = "x";

	assert_int_equal(gb_clone_flags_str(0, buf, sizeof(buf), "|"), 0);
	assert_string_equal(buf, "");
}

static void clone_flags_str__small_buffer__terminated(void **state)
{
	char buf[10];

	gb_clone_flags_str(CLONE_NEWPID | CLONE_NEWNET, buf, sizeof(buf), "|");
	assert_int_equal(strlen(buf), 9);
}

static void clone_flag_names__newtime__counted_once(void **state)
{
	const char *names[8];
	uint64_t rest;

	/* 0x80 is CLONE_NEWTIME for unshare and in task_newtask's flags */
	assert_int_equal(gb_clone_flag_names(0x80, names, 8, &rest), 1);
	assert_string_equal(names[0], "CLONE_NEWTIME");
	assert_int_equal(rest, 0);
}

static void signal_name__standard_and_realtime(void **state)
{
	char buf[16];

	assert_string_equal(gb_signal_name(SIGUSR1, buf, sizeof(buf)), "SIGUSR1");
	assert_string_equal(gb_signal_name(SIGKILL, buf, sizeof(buf)), "SIGKILL");
	assert_string_equal(gb_signal_name(32, buf, sizeof(buf)), "SIGRTMIN");
	assert_string_equal(gb_signal_name(35, buf, sizeof(buf)), "SIGRTMIN+3");
	assert_null(gb_signal_name(0, buf, sizeof(buf)));
	assert_null(gb_signal_name(65, buf, sizeof(buf)));
}

static void signal_parse__names_numbers_and_case(void **state)
{
	assert_int_equal(gb_signal_parse("USR1"), SIGUSR1);
	assert_int_equal(gb_signal_parse("sigterm"), SIGTERM);
	assert_int_equal(gb_signal_parse("SIGKILL"), SIGKILL);
	assert_int_equal(gb_signal_parse("9"), 9);
	assert_int_equal(gb_signal_parse("RTMIN+2"), 34);
	assert_int_equal(gb_signal_parse("rtmax"), 64);
	assert_int_equal(gb_signal_parse("RTMAX-1"), 63);
}

static void signal_parse__bad_input__einval(void **state)
{
	assert_int_equal(gb_signal_parse(""), -EINVAL);
	assert_int_equal(gb_signal_parse("0"), -EINVAL);
	assert_int_equal(gb_signal_parse("65"), -EINVAL);
	assert_int_equal(gb_signal_parse("9x"), -EINVAL);
	assert_int_equal(gb_signal_parse("SIGNOPE"), -EINVAL);
	assert_int_equal(gb_signal_parse("RTMIN+33"), -EINVAL);
	assert_int_equal(gb_signal_parse("-9"), -EINVAL);
}

static void signal_default_action__by_class(void **state)
{
	assert_string_equal(gb_signal_default_action(SIGTERM), "terminate");
	assert_string_equal(gb_signal_default_action(SIGSEGV), "core");
	assert_string_equal(gb_signal_default_action(SIGCHLD), "ignore");
	assert_string_equal(gb_signal_default_action(SIGTSTP), "stop");
	assert_string_equal(gb_signal_default_action(SIGCONT), "continue");
	assert_string_equal(gb_signal_default_action(40), "terminate");
}

static void sig_result_name__kernel_values(void **state)
{
	assert_string_equal(gb_sig_result_name(0), "delivered");
	assert_string_equal(gb_sig_result_name(1), "ignored");
	assert_string_equal(gb_sig_result_name(2), "already_pending");
	assert_string_equal(gb_sig_result_name(3), "overflow");
	assert_string_equal(gb_sig_result_name(4), "lose_info");
	assert_string_equal(gb_sig_result_name(5), "unknown");
	assert_string_equal(gb_sig_result_name(-1), "unknown");
}

static void kind_mask_parse__list_and_aliases(void **state)
{
	const char *bad = NULL;
	uint32_t m = 0;

	assert_int_equal(gb_kind_mask_parse("clone,exec", &m, &bad), 0);
	assert_int_equal(m, 1u << GB_EV_CLONE | 1u << GB_EV_EXEC);
	assert_int_equal(gb_kind_mask_parse("signal", &m, &bad), 0);
	assert_int_equal(m, 1u << GB_EV_SIGNAL_GENERATE | 1u << GB_EV_SIGNAL_DELIVER |
				    1u << GB_EV_SIGNAL_FAILED);
	assert_int_equal(gb_kind_mask_parse("all", &m, &bad), 0);
	assert_int_equal(m, ((1u << GB_EV_KIND_MAX) - 1) & ~1u);
}

static void kind_mask_parse__unknown_or_empty__einval_and_points_at_it(void **state)
{
	const char *bad = NULL;
	uint32_t m = 7;

	assert_int_equal(gb_kind_mask_parse("clone,forks", &m, &bad), -EINVAL);
	assert_string_equal(bad, "forks");
	assert_int_equal(m, 7); /* untouched on error */
	assert_int_equal(gb_kind_mask_parse("clone,", &m, &bad), -EINVAL);
	assert_int_equal(gb_kind_mask_parse(",clone", &m, &bad), -EINVAL);
	assert_int_equal(gb_kind_mask_parse("", &m, &bad), -EINVAL);
}

static void wait_status_str__exit_and_signals(void **state)
{
	char buf[64];

	gb_wait_status_str(3 << 8, buf, sizeof(buf));
	assert_string_equal(buf, "exit 3");
	gb_wait_status_str(SIGKILL, buf, sizeof(buf));
	assert_string_equal(buf, "killed by SIGKILL");
	gb_wait_status_str(SIGSEGV | 0x80, buf, sizeof(buf));
	assert_string_equal(buf, "killed by SIGSEGV (core dumped)");
}

static void nstype_name__single_bits_only(void **state)
{
	assert_string_equal(gb_nstype_name(CLONE_NEWNET), "net");
	assert_string_equal(gb_nstype_name(CLONE_NEWPID), "pid");
	assert_null(gb_nstype_name(CLONE_NEWNET | CLONE_NEWPID));
	assert_null(gb_nstype_name(0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clone_flags_str__namespace_flags__named_in_order),
		cmocka_unit_test(clone_flags_str__unknown_bit__hex_rest),
		cmocka_unit_test(clone_flags_str__zero__empty),
		cmocka_unit_test(clone_flags_str__small_buffer__terminated),
		cmocka_unit_test(clone_flag_names__newtime__counted_once),
		cmocka_unit_test(signal_name__standard_and_realtime),
		cmocka_unit_test(signal_parse__names_numbers_and_case),
		cmocka_unit_test(signal_parse__bad_input__einval),
		cmocka_unit_test(signal_default_action__by_class),
		cmocka_unit_test(sig_result_name__kernel_values),
		cmocka_unit_test(kind_mask_parse__list_and_aliases),
		cmocka_unit_test(kind_mask_parse__unknown_or_empty__einval_and_points_at_it),
		cmocka_unit_test(wait_status_str__exit_and_signals),
		cmocka_unit_test(nstype_name__single_bits_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
