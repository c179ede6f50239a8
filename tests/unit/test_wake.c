// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* wake.c: when the BPF side wakes the consumer, following the CPUs' idle time. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>
#include "wake.h"

static void gb_wake_init__ring_sizes__small_and_large(void **state)
{
	struct gb_wake w;

	(void)state;
	gb_wake_init(&w, 4 << 20); /* the default ring */
	assert_int_equal(w.small, 64 << 10);
	assert_int_equal(w.large, 512 << 10);
	assert_int_equal(w.cur, w.small);
	gb_wake_close(&w);
	gb_wake_init(&w, 64 << 10); /* the smallest: an eighth either way */
	assert_int_equal(w.small, 8 << 10);
	assert_int_equal(w.large, 8 << 10);
	gb_wake_close(&w);
	gb_wake_init(&w, 1ull << 30);
	assert_int_equal(w.small, 64 << 10);
	assert_int_equal(w.large, 128ull << 20);
	gb_wake_close(&w);
}

static void gb_wake_choose__idle_share__hysteresis(void **state)
{
	struct gb_wake w;

	(void)state;
	gb_wake_init(&w, 4 << 20);
	assert_int_equal(gb_wake_choose(&w, 0.0), w.large);  /* CPUs busy */
	assert_int_equal(gb_wake_choose(&w, 0.5), w.small);  /* CPUs idle half the time */
	assert_int_equal(gb_wake_choose(&w, GB_WAKE_IDLE_HIGH), w.small);
	/* between the two bounds the current choice stays, whichever it is */
	assert_int_equal(gb_wake_choose(&w, 0.05), w.small);
	w.cur = w.large;
	assert_int_equal(gb_wake_choose(&w, 0.05), w.large);
	assert_int_equal(gb_wake_choose(&w, GB_WAKE_IDLE_LOW), w.large);
	assert_int_equal(gb_wake_choose(&w, 0.2), w.small);
	gb_wake_close(&w);
}

static void gb_proc_stat_parse__cpu_line__idle_and_total(void **state)
{
	uint64_t idle, total;

	(void)state;
	/* user nice system idle iowait irq softirq steal guest guest_nice */
	assert_int_equal(gb_proc_stat_parse("cpu  100 2 30 400 5 6 7 8 9 10\ncpu0 1 2 3 4\n",
					    &idle, &total), 0);
	assert_int_equal(idle, 405);
	assert_int_equal(total, 100 + 2 + 30 + 400 + 5 + 6 + 7 + 8); /* guests are in user */
	/* an old kernel's four fields */
	assert_int_equal(gb_proc_stat_parse("cpu 1 2 3 4\n", &idle, &total), 0);
	assert_int_equal(idle, 4);
	assert_int_equal(total, 10);
	assert_int_equal(gb_proc_stat_parse("intr 1 2 3\n", &idle, &total), -EINVAL);
	assert_int_equal(gb_proc_stat_parse("", &idle, &total), -EINVAL);
}

/* Against this machine's /proc/stat: the first read only takes a sample, and none is
 * taken again before a period has passed. */
static void gb_wake_tick__period__one_read(void **state)
{
	struct gb_wake w;

	(void)state;
	gb_wake_init(&w, 4 << 20);
	assert_true(w.fd >= 0);
	assert_int_equal(gb_wake_tick(&w, 1000), 0);
	assert_int_equal(w.last_ns, 1000);
	assert_true(w.last_total > 0);
	w.last_total = 1; /* would give a share on the next read */
	assert_int_equal(gb_wake_tick(&w, 1000 + GB_WAKE_PERIOD_NS - 1), 0);
	assert_int_equal(w.last_total, 1); /* not read */
	gb_wake_tick(&w, 1000 + GB_WAKE_PERIOD_NS);
	assert_true(w.last_total > 1);
	assert_true(w.cur == w.small || w.cur == w.large);
	gb_wake_close(&w);
	assert_int_equal(w.fd, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gb_wake_init__ring_sizes__small_and_large),
		cmocka_unit_test(gb_wake_choose__idle_share__hysteresis),
		cmocka_unit_test(gb_proc_stat_parse__cpu_line__idle_and_total),
		cmocka_unit_test(gb_wake_tick__period__one_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
