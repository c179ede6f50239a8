// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <linux/capability.h>
#include <cmocka.h>
#include "harden.h"

#define BIT(c) (1ULL << (c))

static void caps_default__host_powers_dropped_namespace_admin_kept(void **state)
{
	uint64_t c = gb_caps_default();

	assert_false(c & BIT(CAP_SYS_MODULE));
	assert_false(c & BIT(CAP_SYS_BOOT));
	assert_false(c & BIT(CAP_SYS_PTRACE));
	assert_false(c & BIT(CAP_SYS_RAWIO));
	assert_false(c & BIT(CAP_SYS_TIME));
	assert_false(c & BIT(CAP_MAC_ADMIN));
	assert_false(c & BIT(CAP_SYSLOG));
	assert_false(c & BIT(39)); /* CAP_BPF */
	assert_false(c & BIT(38)); /* CAP_PERFMON */
	assert_true(c & BIT(CAP_SYS_ADMIN));
	assert_true(c & BIT(CAP_NET_ADMIN));
	assert_true(c & BIT(CAP_SETPCAP));
}

static void cap_parse__names_with_and_without_prefix(void **state)
{
	uint64_t m;

	assert_int_equal(gb_cap_parse("CAP_NET_ADMIN", &m), 0);
	assert_int_equal(m, BIT(CAP_NET_ADMIN));
	assert_int_equal(gb_cap_parse("sys_ptrace", &m), 0);
	assert_int_equal(m, BIT(CAP_SYS_PTRACE));
	assert_int_equal(gb_cap_parse("all", &m), 0);
	assert_int_equal(m, (BIT(40) << 1) - 1);
	assert_int_equal(gb_cap_parse("CAP_FLY", &m), -EINVAL);
	assert_int_equal(gb_cap_parse("", &m), -EINVAL);
}

static void caps_apply__add_and_drop_lists(void **state)
{
	uint64_t caps = 0;
	const char *bad;

	assert_int_equal(gb_caps_apply(&caps, "chown,kill", 1, &bad), 0);
	assert_int_equal(caps, BIT(CAP_CHOWN) | BIT(CAP_KILL));
	assert_int_equal(gb_caps_apply(&caps, "CAP_CHOWN", 0, &bad), 0);
	assert_int_equal(caps, BIT(CAP_KILL));
}

static void caps_apply__unknown_name__einval_untouched(void **state)
{
	uint64_t caps = BIT(CAP_KILL);
	const char *bad;

	assert_int_equal(gb_caps_apply(&caps, "chown,bogus", 1, &bad), -EINVAL);
	assert_string_equal(bad, "bogus");
	assert_int_equal(caps, BIT(CAP_KILL));
	assert_int_equal(gb_caps_apply(&caps, "chown,", 1, &bad), -EINVAL);
	assert_int_equal(gb_caps_apply(&caps, "", 1, &bad), -EINVAL);
}

static void user_parse__uid_and_gid(void **state)
{
	uid_t u;
	gid_t g;

	assert_int_equal(gb_user_parse("1000", &u, &g), 0);
	assert_int_equal(u, 1000);
	assert_int_equal(g, 1000);
	assert_int_equal(gb_user_parse("1000:100", &u, &g), 0);
	assert_int_equal(g, 100);
	assert_int_equal(gb_user_parse("0:0", &u, &g), 0);
}

static void user_parse__bad__einval(void **state)
{
	uid_t u;
	gid_t g;

	assert_int_equal(gb_user_parse("", &u, &g), -EINVAL);
	assert_int_equal(gb_user_parse("nobody", &u, &g), -EINVAL);
	assert_int_equal(gb_user_parse("1000:", &u, &g), -EINVAL);
	assert_int_equal(gb_user_parse(":1000", &u, &g), -EINVAL);
	assert_int_equal(gb_user_parse("-1", &u, &g), -EINVAL);
	assert_int_equal(gb_user_parse("4294967295", &u, &g), -EINVAL);
	assert_int_equal(gb_user_parse("1000:1000:1", &u, &g), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(caps_default__host_powers_dropped_namespace_admin_kept),
		cmocka_unit_test(cap_parse__names_with_and_without_prefix),
		cmocka_unit_test(caps_apply__add_and_drop_lists),
		cmocka_unit_test(caps_apply__unknown_name__einval_untouched),
		cmocka_unit_test(user_parse__uid_and_gid),
		cmocka_unit_test(user_parse__bad__einval),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
