// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* tp_btf.c: kfunc placeholders get the kernel's IDs; glassbox's handler, not libbpf's,
 * owns the "tp_btf/" programs of the built object. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "glassbox/events.h"
#include "glassbox.skel.h"
#include "tp_btf.h"

#define CALL(src, imm_) { .code = BPF_JMP | BPF_CALL, .src_reg = (src), .imm = (imm_) }

static void gb_kfunc_patch__placeholders__kernel_ids_in(void **state)
{
	struct bpf_insn insns[] = {
		CALL(0, BPF_FUNC_get_current_task),           /* a helper */
		CALL(BPF_PSEUDO_KFUNC_CALL, GB_KFUNC_RDONLY_CAST),
		CALL(BPF_PSEUDO_CALL, 3),                     /* a subprogram */
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .imm = GB_KFUNC_RDONLY_CAST },
		CALL(BPF_PSEUDO_KFUNC_CALL, GB_KFUNC_RDONLY_CAST),
		{ .code = BPF_JMP | BPF_EXIT },
	};
	uint32_t kfunc[GB_KFUNC_MAX] = { [GB_KFUNC_RDONLY_CAST] = 70123 };

	(void)state;
	assert_int_equal(gb_kfunc_patch(insns, 6, kfunc), 2);
	assert_int_equal(insns[1].imm, 70123);
	assert_int_equal(insns[4].imm, 70123);
	assert_int_equal(insns[0].imm, BPF_FUNC_get_current_task);
	assert_int_equal(insns[2].imm, 3);
	assert_int_equal(insns[3].imm, GB_KFUNC_RDONLY_CAST);
}

static void gb_kfunc_patch__unknown_or_missing__error(void **state)
{
	struct bpf_insn unknown[] = { CALL(BPF_PSEUDO_KFUNC_CALL, GB_KFUNC_MAX) };
	struct bpf_insn zero[] = { CALL(BPF_PSEUDO_KFUNC_CALL, 0) };
	struct bpf_insn known[] = { CALL(BPF_PSEUDO_KFUNC_CALL, GB_KFUNC_RDONLY_CAST) };
	uint32_t none[GB_KFUNC_MAX] = { 0 };

	(void)state;
	assert_int_equal(gb_kfunc_patch(unknown, 1, none), -EINVAL);
	assert_int_equal(gb_kfunc_patch(zero, 1, none), -EINVAL);
	assert_int_equal(gb_kfunc_patch(known, 1, none), -ENOENT); /* a kernel before v6.2 */
	assert_int_equal(known[0].imm, GB_KFUNC_RDONLY_CAST);
}

/* The placeholders of a typed program, before relocation (its own code only). */
static int placeholders(const struct bpf_program *p)
{
	const struct bpf_insn *in = bpf_program__insns(p);
	int n = 0;

	for (size_t i = 0; i < bpf_program__insn_cnt(p); i++)
		n += in[i].code == (BPF_JMP | BPF_CALL) && in[i].src_reg == BPF_PSEUDO_KFUNC_CALL &&
		     in[i].imm == GB_KFUNC_RDONLY_CAST;
	return n;
}

static void built_object__tp_btf_programs__opened_by_glassbox(void **state)
{
	struct glassbox_bpf *skel;
	struct gb_tp_btf t;
	struct bpf_program *p;
	int tp_btf = 0;

	(void)state;
	/* libbpf's own handler: TRACING from open on, which makes libbpf load kernel BTF */
	skel = glassbox_bpf__open();
	assert_non_null(skel);
	assert_int_equal(bpf_program__type(skel->progs.gb_btf_signal_generate),
			 BPF_PROG_TYPE_TRACING);
	glassbox_bpf__destroy(skel);

	assert_int_equal(gb_tp_btf_register(&t), 0);
	skel = glassbox_bpf__open();
	assert_non_null(skel);
	bpf_object__for_each_program(p, skel->obj) {
		if (strncmp(bpf_program__section_name(p), "tp_btf/", 7))
			continue;
		tp_btf++;
		assert_int_equal(bpf_program__type(p), BPF_PROG_TYPE_RAW_TRACEPOINT);
	}
	assert_true(tp_btf >= 7); /* 3 process, 2 signal, sys_enter, sys_exit */
	/* the typed handlers call bpf_rdonly_cast by placeholder; their raw_tp twins not */
	assert_true(placeholders(skel->progs.gb_btf_signal_generate) > 0);
	assert_int_equal(placeholders(skel->progs.gb_raw_signal_generate), 0);
	glassbox_bpf__destroy(skel);
	gb_tp_btf_unregister(&t);
	assert_int_equal(t.handler, 0);

	/* unregistered: libbpf's again */
	skel = glassbox_bpf__open();
	assert_non_null(skel);
	assert_int_equal(bpf_program__type(skel->progs.gb_btf_signal_generate),
			 BPF_PROG_TYPE_TRACING);
	glassbox_bpf__destroy(skel);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gb_kfunc_patch__placeholders__kernel_ids_in),
		cmocka_unit_test(gb_kfunc_patch__unknown_or_missing__error),
		cmocka_unit_test(built_object__tp_btf_programs__opened_by_glassbox),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
