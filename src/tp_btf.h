/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Loading glassbox's tp_btf programs without libbpf's own copy of the kernel's BTF.
 *
 * libbpf 1.1 resolves a tp_btf program's target (the btf_trace_<tracepoint> typedef) and
 * every `__ksym` kfunc by reading /sys/kernel/btf/vmlinux in 4 KiB pieces and parsing all
 * of it: ~20 ms of a 70 ms start-up here, and 10 MiB of peak memory. glassbox already
 * has a view of that BTF (btf_view.h), so it takes over the "tp_btf/" section from
 * libbpf (a custom SEC handler, which libbpf consults before its own) and, just before
 * each such program is loaded, gives it the target's ID and the kernel's IDs of the
 * kfuncs it calls (placeholders in the instructions: bpf/read.bpf.h).
 *
 * The programs open as BPF_PROG_TYPE_RAW_TRACEPOINT, which is what tells libbpf it needs
 * no kernel BTF of its own, and become BPF_PROG_TYPE_TRACING at load.
 */
#ifndef GB_TP_BTF_H
#define GB_TP_BTF_H
#include <stddef.h>
#include <stdint.h>
#include "glassbox/kernel_types.h"

struct bpf_object;
struct bpf_program;
struct bpf_insn;
struct gb_btf_view;

#define GB_TP_BTF_MAX 32

struct gb_tp_btf {
	int handler; /* libbpf's handler ID while registered, else 0 */
	size_t n;
	struct {
		const struct bpf_program *prog;
		uint32_t id; /* btf_trace_<tracepoint> in the kernel's BTF */
	} target[GB_TP_BTF_MAX];
	uint32_t kfunc[GB_KFUNC_MAX]; /* kernel BTF ID by placeholder; 0: not in this kernel */
};

/* Before the object is opened: "tp_btf/" sections are t's until gb_tp_btf_unregister.
 * t must stay where it is until then. 0 or -errno. */
int gb_tp_btf_register(struct gb_tp_btf *t);
void gb_tp_btf_unregister(struct gb_tp_btf *t);

/* Between open and load, once the programs to load are chosen: the IDs each tp_btf
 * program of obj that will load needs, from the kernel's BTF, added to t's (one call
 * per object). 0, or -ENOENT when the kernel lacks a target (the message names it, in
 * why[len]). */
int gb_tp_btf_resolve(struct gb_tp_btf *t, struct bpf_object *obj,
		      const struct gb_btf_view *kernel, char *why, size_t len);

/* Replace each kfunc placeholder in insns[0..n) by the kernel's ID. How many were
 * replaced, or -ENOENT when one names a kfunc this kernel lacks, -EINVAL when one is not
 * a placeholder glassbox knows. */
int gb_kfunc_patch(struct bpf_insn *insns, size_t n, const uint32_t kfunc[GB_KFUNC_MAX]);

#endif
