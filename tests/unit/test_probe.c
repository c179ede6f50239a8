// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The attach-method choice for kernels other than this one. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "probe.h"

static struct gb_features kernel(int tp_btf, int raw_tp, int tracepoint)
{
	struct gb_features f;

	memset(&f, 0, sizeof(f));
	f.have_btf = 1;
	f.mech[GB_METHOD_TP_BTF].ok = tp_btf;
	f.mech[GB_METHOD_RAW_TP].ok = raw_tp;
	f.mech[GB_METHOD_TRACEPOINT].ok = tracepoint;
	strcpy(f.mech[GB_METHOD_TP_BTF].why, "denied");
	strcpy(f.mech[GB_METHOD_RAW_TP].why, "denied");
	strcpy(f.mech[GB_METHOD_TRACEPOINT].why, "tracefs is not mounted");
	return f;
}

static struct gb_tp_choice choose(const struct gb_features *f, int in_btf, int in_tracefs)
{
	struct gb_tp_choice c = { .tp = "signal_generate", .category = "signal" };

	gb_tp_choose(f, in_btf, in_tracefs, &c);
	return c;
}

static void tp_choose__everything_there__tp_btf(void **state)
{
	struct gb_features f = kernel(1, 1, 1);

	assert_int_equal(choose(&f, 1, 1).method, GB_METHOD_TP_BTF);
}

static void tp_choose__tp_missing_from_btf__raw_tp_with_reason(void **state)
{
	struct gb_features f = kernel(1, 1, 1);
	struct gb_tp_choice c = choose(&f, 0, 1);

	assert_int_equal(c.method, GB_METHOD_RAW_TP);
	assert_string_equal(c.why_not[GB_METHOD_TP_BTF], "kernel BTF has no btf_trace_signal_generate");
}

static void tp_choose__no_tracing_progs__tracepoint(void **state)
{
	struct gb_features f = kernel(0, 0, 1);
	struct gb_tp_choice c = choose(&f, 1, 1);

	assert_int_equal(c.method, GB_METHOD_TRACEPOINT);
	assert_string_equal(c.why_not[GB_METHOD_TP_BTF], "denied");
}

static void tp_choose__only_tracefs_but_unmounted__none(void **state)
{
	struct gb_features f = kernel(0, 0, 0);
	struct gb_tp_choice c = choose(&f, 1, 0);

	assert_int_equal(c.method, GB_METHOD_NONE);
	assert_string_equal(c.why_not[GB_METHOD_TRACEPOINT], "tracefs is not mounted");
}

static void tp_choose__tracepoint_absent_everywhere__none(void **state)
{
	struct gb_features f = kernel(1, 1, 1);
	struct gb_tp_choice c = choose(&f, 0, 0);

	assert_int_equal(c.method, GB_METHOD_NONE);
	assert_string_equal(c.why_not[GB_METHOD_RAW_TP],
			    "tracepoint signal_generate not found in this kernel");
}

static void probe_disable_parse__names__mask(void **state)
{
	uint32_t m;

	assert_int_equal(gb_probe_disable_parse("tp_btf,raw_tp,btf", &m), 0);
	assert_int_equal(m, 1u << GB_METHOD_TP_BTF | 1u << GB_METHOD_RAW_TP | GB_PROBE_DISABLE_BTF);
	assert_int_equal(gb_probe_disable_parse("core_btf", &m), 0);
	assert_int_equal(m, GB_PROBE_DISABLE_CORE_BTF);
	assert_int_equal(gb_probe_disable_parse("", &m), 0);
	assert_int_equal(m, 0);
	assert_int_not_equal(gb_probe_disable_parse("tp_btf,uprobe", &m), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tp_choose__everything_there__tp_btf),
		cmocka_unit_test(tp_choose__tp_missing_from_btf__raw_tp_with_reason),
		cmocka_unit_test(tp_choose__no_tracing_progs__tracepoint),
		cmocka_unit_test(tp_choose__only_tracefs_but_unmounted__none),
		cmocka_unit_test(tp_choose__tracepoint_absent_everywhere__none),
		cmocka_unit_test(probe_disable_parse__names__mask),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
