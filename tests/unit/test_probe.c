// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The attach-method choice for kernels other than this one. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/btf.h>
#include "observe.h"
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
	assert_int_equal(gb_probe_disable_parse("tp_btf,bpf_loop", &m), 0);
	assert_int_equal(m, 1u << GB_METHOD_TP_BTF | GB_PROBE_DISABLE_BPF_LOOP);
	assert_int_equal(gb_probe_disable_parse("parallel_load,core_btf", &m), 0);
	assert_int_equal(m, GB_PROBE_DISABLE_PARALLEL | GB_PROBE_DISABLE_CORE_BTF);
	/* each flag its own bit, none a method's */
	assert_int_equal(GB_PROBE_DISABLE_PARALLEL & (GB_PROBE_DISABLE_BTF | GB_PROBE_DISABLE_CORE_BTF |
						      GB_PROBE_DISABLE_BPF_LOOP |
						      ((1u << GB_METHOD_MAX) - 1)), 0);
	assert_int_not_equal(gb_probe_disable_parse("loop", &m), 0);
	assert_int_equal(gb_probe_disable_parse("", &m), 0);
	assert_int_equal(m, 0);
	assert_int_not_equal(gb_probe_disable_parse("tp_btf,uprobe", &m), 0);
}

/*
 * A kernel's BTF with a typed tracepoint for every family glassbox attaches to, and enum
 * bpf_func_id as a kernel without (loop 0) or with (loop 1) bpf_loop has it; loop -1:
 * BPF_FUNC_loop only in an enum of another name.
 */
static struct btf *kernel_btf(int loop)
{
	static const char *const tps[] = { "task_newtask", "sched_process_exec",
					   "sched_process_exit", "signal_generate",
					   "signal_deliver", "sys_enter", "sys_exit" };
	struct btf *b = btf__new_empty();
	char name[64];
	int s32;

	assert_non_null(b);
	s32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	for (size_t i = 0; i < sizeof(tps) / sizeof(tps[0]); i++) {
		snprintf(name, sizeof(name), "btf_trace_%s", tps[i]);
		assert_true(btf__add_typedef(b, name, s32) > 0);
	}
	assert_true(btf__add_enum(b, loop < 0 ? "bpf_cmd" : "bpf_func_id", 4) > 0);
	assert_int_equal(btf__add_enum_value(b, "BPF_FUNC_unspec", 0), 0);
	assert_int_equal(btf__add_enum_value(b, "BPF_FUNC_map_lookup_elem", 1), 0);
	if (loop)
		assert_int_equal(btf__add_enum_value(b, "BPF_FUNC_loop", 181), 0);
	return b;
}

static void view_of(struct gb_btf_view *v, const struct btf *b)
{
	uint32_t size;
	const void *raw = btf__raw_data(b, &size);

	assert_non_null(raw);
	assert_int_equal(gb_btf_view_init(v, raw, size), 0);
}

static void btf_has_helper__names_in_enum_bpf_func_id_only(void **state)
{
	for (int loop = -1; loop <= 1; loop++) {
		struct btf *b = kernel_btf(loop);
		struct gb_btf_view v;

		view_of(&v, b);
		assert_int_equal(gb_btf_has_helper(&v, "BPF_FUNC_map_lookup_elem"), loop >= 0);
		assert_int_equal(gb_btf_has_helper(&v, "BPF_FUNC_get_func_ret"), 0);
		assert_int_equal(gb_btf_has_helper(&v, "BPF_FUNC_loop"), loop == 1);
		gb_btf_view_close(&v);
		btf__free(b);
	}
}

static void btf_has_bpf_loop__enum_bpf_func_id__only_with_BPF_FUNC_loop(void **state)
{
	for (int loop = -1; loop <= 1; loop++) {
		struct btf *b = kernel_btf(loop);
		struct gb_btf_view v;

		view_of(&v, b);
		assert_int_equal(gb_btf_has_bpf_loop(&v), loop == 1);
		gb_btf_view_close(&v);
		btf__free(b);
	}
}

/* What gb_observe_choose picks for the family of tracepoint tp on a kernel with raw_tp,
 * tp_btf or not, bpf_loop or not: the program's name, with "+compat" when it is of the
 * build without bpf_loop. */
static char picked[64];

static const char *choose_prog_kp(int have_bpf_loop, int tp_btf, int kprobe, const char *tp)
{
	struct btf *b = kernel_btf(have_bpf_loop);
	struct gb_features f = kernel(tp_btf, 1, 0);
	struct gb_family_choice c[16];
	size_t n;

	view_of(&f.vmlinux, b);
	f.have_bpf_loop = have_bpf_loop;
	f.mech[GB_METHOD_KPROBE].ok = kprobe;
	if (!kprobe)
		strcpy(f.mech[GB_METHOD_KPROBE].why, "no kprobe support in this kernel");
	n = gb_observe_choose(&f, c, 16);
	strcpy(picked, "no such family");
	for (size_t i = 0; i < n; i++) {
		if (strcmp(c[i].tp.tp, tp))
			continue;
		snprintf(picked, sizeof(picked), "%s%s", c[i].prog ? c[i].prog : "none",
			 c[i].compat ? "+compat" : "");
		/* a family that could be on kprobes and is not says why */
		if (c[i].kprobe_able && c[i].tp.method != GB_METHOD_KPROBE)
			assert_string_equal(c[i].kprobe_why, "no kprobe support in this kernel");
		if (c[i].tp.method == GB_METHOD_KPROBE)
			assert_int_equal(c[i].exit, !strcmp(tp, "sys_exit"));
	}
	gb_btf_view_close(&f.vmlinux);
	btf__free(b);
	return picked;
}

static const char *choose_prog(int have_bpf_loop, int tp_btf, const char *tp)
{
	return choose_prog_kp(have_bpf_loop, tp_btf, 0, tp);
}

static void observe_choose__bpf_loop__default_programs(void **state)
{
	assert_string_equal(choose_prog(1, 1, "task_newtask"), "gb_btf_task_newtask");
	assert_string_equal(choose_prog(1, 1, "sys_enter"), "gb_btf_sys_enter");
	assert_string_equal(choose_prog(1, 1, "sys_exit"), "gb_btf_sys_exit");
	assert_string_equal(choose_prog(1, 0, "sys_exit"), "gb_raw_sys_exit");
}

static void observe_choose__no_bpf_loop__compat_syscall_programs(void **state)
{
	assert_string_equal(choose_prog(0, 1, "sys_enter"), "gb_btf_sys_enter_compat+compat");
	assert_string_equal(choose_prog(0, 1, "sys_exit"), "gb_btf_sys_exit_compat+compat");
	/* only the syscall boundary has a compat build */
	assert_string_equal(choose_prog(0, 1, "task_newtask"), "gb_btf_task_newtask");
	assert_string_equal(choose_prog(0, 1, "signal_deliver"), "gb_btf_signal_deliver");
	/* what a kernel before bpf_loop really gets: no tp_btf (bpf_rdonly_cast, v6.2) */
	assert_string_equal(choose_prog(0, 0, "sys_enter"), "gb_raw_sys_enter_compat+compat");
	assert_string_equal(choose_prog(0, 0, "sys_exit"), "gb_raw_sys_exit_compat+compat");
	assert_string_equal(choose_prog(0, 0, "sched_process_exec"),
			    "gb_raw_sched_process_exec");
}

static void observe_choose__kprobes__syscall_boundary_on_the_syscall_functions(void **state)
{
	assert_string_equal(choose_prog_kp(1, 1, 1, "sys_enter"), "gb_kp_sys_enter");
	assert_string_equal(choose_prog_kp(1, 0, 1, "sys_exit"), "gb_kp_sys_exit");
	assert_string_equal(choose_prog_kp(0, 0, 1, "sys_exit"), "gb_kp_sys_exit_compat+compat");
	/* the tracepoint families stay where they are */
	assert_string_equal(choose_prog_kp(1, 1, 1, "signal_generate"), "gb_btf_signal_generate");
	assert_string_equal(choose_prog_kp(1, 0, 1, "task_newtask"), "gb_raw_task_newtask");
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
		cmocka_unit_test(btf_has_helper__names_in_enum_bpf_func_id_only),
		cmocka_unit_test(btf_has_bpf_loop__enum_bpf_func_id__only_with_BPF_FUNC_loop),
		cmocka_unit_test(observe_choose__bpf_loop__default_programs),
		cmocka_unit_test(observe_choose__no_bpf_loop__compat_syscall_programs),
		cmocka_unit_test(observe_choose__kprobes__syscall_boundary_on_the_syscall_functions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
