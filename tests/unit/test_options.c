// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <fcntl.h>
#include <stdlib.h>
#include <cmocka.h>
#include "quiet_stderr.h"
#include "options.h"
#include "util.h"

static int parse(struct gb_opts *o, int *help, ...)
{
	static char *argv[32]; /* o->argv points into it after return */
	int argc = 0;
	va_list ap;

	va_start(ap, help);
	for (char *a; (a = va_arg(ap, char *));)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	gb_opts_defaults(o);
	return gb_opts_parse_run(o, argc, argv, help);
}

static void parse_run__command_after_dashdash__argv_kept(void **state)
{
	struct gb_opts o;
	int help;

	assert_int_equal(parse(&o, &help, "run", "--json", "--", "ls", "-l", NULL), 0);
	assert_true(o.json);
	assert_string_equal(o.argv[0], "ls");
	assert_string_equal(o.argv[1], "-l");
	assert_null(o.argv[2]);
}

static void parse_run__command_options__not_taken_as_ours(void **state)
{
	struct gb_opts o;
	int help;

	/* without "--", parsing stops at COMMAND: its -o is its own */
	assert_int_equal(parse(&o, &help, "run", "sort", "-o", "x", NULL), 0);
	assert_null(o.output);
	assert_string_equal(o.argv[0], "sort");
	assert_string_equal(o.argv[1], "-o");
}

static void parse_run__all_options__set(void **state)
{
	struct gb_opts o;
	int help;

	assert_int_equal(parse(&o, &help, "run", "-j", "-o", "/tmp/x", "--as-pid1", "--share-net",
			       "--pid-view", "own", "--abs-time", "--no-color", "--ring-size",
			       "8M", "--events", "clone,exit", "-v", "-v", "--", "true", NULL),
			 0);
	assert_string_equal(o.output, "/tmp/x");
	assert_true(o.as_pid1);
	assert_int_equal(o.net.mode, GB_NET_SHARE);
	assert_int_equal(o.fmt.pid_view, GB_PID_VIEW_OWN);
	assert_true(o.fmt.abs_time);
	assert_int_equal(o.color_mode, 0);
	assert_int_equal(o.ring_size, 8u << 20);
	assert_int_equal(o.kind_mask, 1u << GB_EV_CLONE | 1u << GB_EV_EXIT);
	assert_int_equal(o.verbose, 2);
}

static void parse_run__help__flagged(void **state)
{
	struct gb_opts o;
	int help;

	assert_int_equal(parse(&o, &help, "run", "--help", NULL), 1);
	assert_true(help);
}

static void parse_run__bad_input__usage_exit(void **state)
{
	struct gb_opts o;
	int help;

	assert_int_equal(parse(&o, &help, "run", NULL), GB_EXIT_USAGE);
	assert_int_equal(parse(&o, &help, "run", "--", NULL), GB_EXIT_USAGE);
	assert_int_equal(parse(&o, &help, "run", "--bogus", "true", NULL), GB_EXIT_USAGE);
	assert_int_equal(parse(&o, &help, "run", "-Z", "true", NULL), GB_EXIT_USAGE);
	assert_int_equal(parse(&o, &help, "run", "--output", NULL), GB_EXIT_USAGE);
	assert_int_equal(parse(&o, &help, "run", "--output", "", "true", NULL), GB_EXIT_USAGE);
	assert_int_equal(parse(&o, &help, "run", "--pid-view", "guest", "true", NULL),
			 GB_EXIT_USAGE);
	assert_int_equal(parse(&o, &help, "run", "--events", "forks", "true", NULL), GB_EXIT_USAGE);
	assert_int_equal(parse(&o, &help, "run", "--ring-size", "3M", "true", NULL), GB_EXIT_USAGE);
}

static void parse_ring_size__powers_of_two_in_range(void **state)
{
	uint64_t v;

	assert_int_equal(gb_parse_ring_size("64K", &v), 0);
	assert_int_equal(v, 65536);
	assert_int_equal(gb_parse_ring_size("1G", &v), 0);
	assert_int_equal(v, 1u << 30);
	assert_int_equal(gb_parse_ring_size("4194304", &v), 0);
	assert_int_equal(v, 4u << 20);
	assert_int_not_equal(gb_parse_ring_size("32K", &v), 0);  /* below the minimum */
	assert_int_not_equal(gb_parse_ring_size("2G", &v), 0);   /* above the maximum */
	assert_int_not_equal(gb_parse_ring_size("100K", &v), 0); /* not a power of two */
	assert_int_not_equal(gb_parse_ring_size("4MB", &v), 0);
	assert_int_not_equal(gb_parse_ring_size("-4M", &v), 0);
	assert_int_not_equal(gb_parse_ring_size("", &v), 0);
}

static void parse_u64__strict(void **state)
{
	uint64_t v;

	assert_int_equal(gb_parse_u64("42", 10, 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(gb_parse_u64("42abc", 10, 0, 100, &v), -EINVAL);
	assert_int_equal(gb_parse_u64(" 42", 10, 0, 100, &v), -EINVAL);
	assert_int_equal(gb_parse_u64("-1", 10, 0, 100, &v), -EINVAL);
	assert_int_equal(gb_parse_u64("101", 10, 0, 100, &v), -ERANGE);
	assert_int_equal(gb_parse_u64("99999999999999999999999", 10, 0, UINT64_MAX, &v), -ERANGE);
	assert_int_equal(gb_parse_u64("", 10, 0, 100, &v), -EINVAL);
}

static void parse_seconds_ms__decimal_seconds(void **state)
{
	uint64_t v;

	assert_int_equal(gb_parse_seconds_ms("2", 3600000, &v), 0);
	assert_int_equal(v, 2000);
	assert_int_equal(gb_parse_seconds_ms("0.5", 3600000, &v), 0);
	assert_int_equal(v, 500);
	assert_int_equal(gb_parse_seconds_ms("1.25", 3600000, &v), 0);
	assert_int_equal(v, 1250);
	assert_int_equal(gb_parse_seconds_ms("0", 3600000, &v), 0);
	assert_int_equal(v, 0);
	assert_int_not_equal(gb_parse_seconds_ms("", 3600000, &v), 0);
	assert_int_not_equal(gb_parse_seconds_ms(".5", 3600000, &v), 0);
	assert_int_not_equal(gb_parse_seconds_ms("1.", 3600000, &v), 0);
	assert_int_not_equal(gb_parse_seconds_ms("1.2345", 3600000, &v), 0);
	assert_int_not_equal(gb_parse_seconds_ms("1.-5", 3600000, &v), 0);
	assert_int_not_equal(gb_parse_seconds_ms("3601", 3600000, &v), 0);
	assert_int_not_equal(gb_parse_seconds_ms("-1", 3600000, &v), 0);
	assert_int_not_equal(gb_parse_seconds_ms("2s", 3600000, &v), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_run__command_after_dashdash__argv_kept),
		cmocka_unit_test(parse_run__command_options__not_taken_as_ours),
		cmocka_unit_test(parse_run__all_options__set),
		cmocka_unit_test(parse_run__help__flagged),
		cmocka_unit_test_setup_teardown(parse_run__bad_input__usage_exit, quiet_stderr,
						restore_stderr),
		cmocka_unit_test(parse_ring_size__powers_of_two_in_range),
		cmocka_unit_test(parse_u64__strict),
		cmocka_unit_test(parse_seconds_ms__decimal_seconds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
