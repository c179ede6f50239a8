// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Which syscall functions the syscall boundary's kprobes go to (src/sys_kprobe.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "glassbox/events.h"
#include "sys_kprobe.h"

#define S(x) (1u << GB_SYS_##x)
#define K(x) (1u << GB_EV_##x)
#define CLONES (S(CLONE) | S(CLONE3) | S(FORK) | S(VFORK))
#define KILLS (S(KILL) | S(TKILL) | S(TGKILL) | S(RT_SIGQUEUEINFO) | \
	       S(RT_TGSIGQUEUEINFO) | S(PIDFD_SEND_SIGNAL))

static void mask__entry__setns_and_unshare_only(void **state)
{
	uint32_t all = ~0u;

	assert_int_equal(gb_sys_kprobe_mask(0, all, 0), S(SETNS) | S(UNSHARE));
	assert_int_equal(gb_sys_kprobe_mask(0, all, 1),
			 S(SETNS) | S(UNSHARE) | S(SENDTO) | S(SENDMSG));
}

static void mask__return__what_the_kinds_need(void **state)
{
	/* setns/unshare alone: no clone or kill function pays */
	assert_int_equal(gb_sys_kprobe_mask(1, K(SETNS) | K(UNSHARE), 0), S(SETNS) | S(UNSHARE));
	/* failed clones come with clone events, failed kills with signal_failed */
	assert_int_equal(gb_sys_kprobe_mask(1, K(SETNS) | K(CLONE), 0),
			 S(SETNS) | S(UNSHARE) | CLONES);
	assert_int_equal(gb_sys_kprobe_mask(1, K(SIGNAL_FAILED), 0),
			 S(SETNS) | S(UNSHARE) | KILLS);
	assert_int_equal(gb_sys_kprobe_mask(1, ~0u, 1),
			 S(SETNS) | S(UNSHARE) | CLONES | KILLS | S(SENDTO) | S(SENDMSG));
}

static void prefix__this_architecture(void **state)
{
#if defined(__x86_64__)
	assert_string_equal(gb_sys_kprobe_prefix(), "__x64_sys_");
#elif defined(__aarch64__)
	assert_string_equal(gb_sys_kprobe_prefix(), "__arm64_sys_");
#else
	assert_null(gb_sys_kprobe_prefix());
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mask__entry__setns_and_unshare_only),
		cmocka_unit_test(mask__return__what_the_kinds_need),
		cmocka_unit_test(prefix__this_architecture),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
