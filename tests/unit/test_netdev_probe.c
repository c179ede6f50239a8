// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* gb_netdev_choose(): the netdev_move method for kernels this machine is not. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>
#include "netdev_probe.h"

/* A kernel where everything works: 6.x with trampolines and kprobes. */
static void caps_all(struct gb_netdev_caps *c)
{
	memset(c, 0, sizeof(*c));
	c->fn_in_btf[GB_NETDEV_FN_DEV_INNER] = c->fn_in_btf[GB_NETDEV_FN_DEV] = 1;
	c->fn_in_kallsyms[GB_NETDEV_FN_DEV_INNER] = c->fn_in_kallsyms[GB_NETDEV_FN_DEV] = 1;
	c->fentry.ok = c->kprobe.ok = c->tp_btf.ok = c->raw_tp.ok = c->tracepoint.ok = 1;
	c->netlink.ok = 1;
}

static void gb_netdev_choose__fentry_works__fentry_on_inner_function(void **state)
{
	struct gb_netdev_caps c;
	struct gb_netdev_plan p;

	caps_all(&c);
	assert_int_equal(gb_netdev_choose(&c, &p), 0);
	assert_int_equal(p.method, GB_METHOD_FENTRY);
	assert_int_equal(p.fn, GB_NETDEV_FN_DEV_INNER);
}

static void gb_netdev_choose__netif_renamed_kernel__netif_function(void **state)
{
	struct gb_netdev_caps c;
	struct gb_netdev_plan p;

	caps_all(&c);
	c.fn_in_btf[GB_NETDEV_FN_DEV_INNER] = 0;
	c.fn_in_btf[GB_NETDEV_FN_NETIF] = 1;
	assert_int_equal(gb_netdev_choose(&c, &p), 0);
	assert_int_equal(p.method, GB_METHOD_FENTRY);
	assert_int_equal(p.fn, GB_NETDEV_FN_NETIF);
}

static void gb_netdev_choose__old_kernel_only_dev3__fentry_on_dev3(void **state)
{
	struct gb_netdev_caps c;
	struct gb_netdev_plan p;

	caps_all(&c);
	c.fn_in_btf[GB_NETDEV_FN_DEV_INNER] = 0;
	assert_int_equal(gb_netdev_choose(&c, &p), 0);
	assert_int_equal(p.method, GB_METHOD_FENTRY);
	assert_int_equal(p.fn, GB_NETDEV_FN_DEV);
}

static void gb_netdev_choose__fentry_eperm__kprobe_with_reason(void **state)
{
	struct gb_netdev_caps c;
	struct gb_netdev_plan p;

	caps_all(&c);
	c.fentry.ok = 0;
	strcpy(c.fentry.why, "loading an fentry program: Operation not permitted (denied here)");
	assert_int_equal(gb_netdev_choose(&c, &p), 0);
	assert_int_equal(p.method, GB_METHOD_KPROBE);
	assert_int_equal(p.fn, GB_NETDEV_FN_DEV_INNER);
	assert_string_equal(p.why_not[GB_METHOD_FENTRY], c.fentry.why);
}

static void gb_netdev_choose__no_btf_function__kprobe_from_kallsyms(void **state)
{
	struct gb_netdev_caps c;
	struct gb_netdev_plan p;

	caps_all(&c);
	memset(c.fn_in_btf, 0, sizeof(c.fn_in_btf));
	c.fn_in_kallsyms[GB_NETDEV_FN_DEV_INNER] = 0; /* only the 3-argument function exists */
	assert_int_equal(gb_netdev_choose(&c, &p), 0);
	assert_int_equal(p.method, GB_METHOD_KPROBE);
	assert_int_equal(p.fn, GB_NETDEV_FN_DEV);
	assert_non_null(strstr(p.why_not[GB_METHOD_FENTRY], "in the kernel's BTF"));
}

static void gb_netdev_choose__no_fentry_no_kprobe__netlink_tp_btf(void **state)
{
	struct gb_netdev_caps c;
	struct gb_netdev_plan p;

	caps_all(&c); /* this machine: EPERM for fentry, no CONFIG_KPROBES */
	c.fentry.ok = 0;
	strcpy(c.fentry.why, "EPERM");
	c.kprobe.ok = 0;
	strcpy(c.kprobe.why, "no kprobe support");
	assert_int_equal(gb_netdev_choose(&c, &p), 0);
	assert_int_equal(p.method, GB_METHOD_NETLINK);
	assert_int_equal(p.syscall_tp, GB_METHOD_TP_BTF);
	assert_string_equal(p.why_not[GB_METHOD_FENTRY], "EPERM");
	assert_string_equal(p.why_not[GB_METHOD_KPROBE], "no kprobe support");
}

static void gb_netdev_choose__kprobe_symbol_missing__netlink_with_reason(void **state)
{
	struct gb_netdev_caps c;
	struct gb_netdev_plan p;

	caps_all(&c);
	c.fentry.ok = 0;
	memset(c.fn_in_kallsyms, 0, sizeof(c.fn_in_kallsyms));
	assert_int_equal(gb_netdev_choose(&c, &p), 0);
	assert_int_equal(p.method, GB_METHOD_NETLINK);
	assert_non_null(strstr(p.why_not[GB_METHOD_KPROBE], "kallsyms"));
}

static void gb_netdev_choose__no_tp_btf__netlink_raw_tp(void **state)
{
	struct gb_netdev_caps c;
	struct gb_netdev_plan p;

	caps_all(&c);
	c.fentry.ok = c.kprobe.ok = c.tp_btf.ok = 0;
	assert_int_equal(gb_netdev_choose(&c, &p), 0);
	assert_int_equal(p.method, GB_METHOD_NETLINK);
	assert_int_equal(p.syscall_tp, GB_METHOD_RAW_TP);
}

static void gb_netdev_choose__tracefs_only__netlink_tracepoint(void **state)
{
	struct gb_netdev_caps c;
	struct gb_netdev_plan p;

	caps_all(&c);
	c.fentry.ok = c.kprobe.ok = c.tp_btf.ok = c.raw_tp.ok = 0;
	assert_int_equal(gb_netdev_choose(&c, &p), 0);
	assert_int_equal(p.method, GB_METHOD_NETLINK);
	assert_int_equal(p.syscall_tp, GB_METHOD_TRACEPOINT);
}

static void gb_netdev_choose__nothing_works__enotsup_with_reasons(void **state)
{
	struct gb_netdev_caps c;
	struct gb_netdev_plan p;

	caps_all(&c);
	c.fentry.ok = c.kprobe.ok = c.tp_btf.ok = c.raw_tp.ok = c.tracepoint.ok = 0;
	strcpy(c.tp_btf.why, "tpbtf-why");
	strcpy(c.raw_tp.why, "rawtp-why");
	strcpy(c.tracepoint.why, "tracefs-why");
	assert_int_equal(gb_netdev_choose(&c, &p), -ENOTSUP);
	assert_int_equal(p.method, GB_METHOD_NONE);
	assert_non_null(strstr(p.why_not[GB_METHOD_NETLINK], "tpbtf-why"));
	assert_non_null(strstr(p.why_not[GB_METHOD_NETLINK], "rawtp-why"));
	assert_non_null(strstr(p.why_not[GB_METHOD_NETLINK], "tracefs-why"));
}

static void gb_netdev_choose__netlink_disabled__enotsup(void **state)
{
	struct gb_netdev_caps c;
	struct gb_netdev_plan p;

	caps_all(&c);
	c.fentry.ok = c.kprobe.ok = c.netlink.ok = 0;
	strcpy(c.netlink.why, "disabled by GLASSBOX_PROBE_DISABLE");
	assert_int_equal(gb_netdev_choose(&c, &p), -ENOTSUP);
	assert_string_equal(p.why_not[GB_METHOD_NETLINK], "disabled by GLASSBOX_PROBE_DISABLE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gb_netdev_choose__fentry_works__fentry_on_inner_function),
		cmocka_unit_test(gb_netdev_choose__netif_renamed_kernel__netif_function),
		cmocka_unit_test(gb_netdev_choose__old_kernel_only_dev3__fentry_on_dev3),
		cmocka_unit_test(gb_netdev_choose__fentry_eperm__kprobe_with_reason),
		cmocka_unit_test(gb_netdev_choose__no_btf_function__kprobe_from_kallsyms),
		cmocka_unit_test(gb_netdev_choose__no_fentry_no_kprobe__netlink_tp_btf),
		cmocka_unit_test(gb_netdev_choose__kprobe_symbol_missing__netlink_with_reason),
		cmocka_unit_test(gb_netdev_choose__no_tp_btf__netlink_raw_tp),
		cmocka_unit_test(gb_netdev_choose__tracefs_only__netlink_tracepoint),
		cmocka_unit_test(gb_netdev_choose__nothing_works__enotsup_with_reasons),
		cmocka_unit_test(gb_netdev_choose__netlink_disabled__enotsup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
