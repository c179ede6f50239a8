/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GB_READ(p, a, b, ...): the kernel's p->a->b..., every hop a read of kernel memory that
 * may fault. The tracepoint handlers are compiled twice (Makefile):
 *
 *  - plainly, for the raw_tp and tracepoint programs: BPF_CORE_READ, one
 *    bpf_probe_read_kernel call per hop;
 *  - with GB_FAST_READS, for the tp_btf programs: p becomes an untrusted BTF pointer
 *    (bpf_rdonly_cast, v6.2; the verifier turns the call into a move) and each hop is one
 *    load, which the JIT guards against faults (a faulting load reads 0, as a failed
 *    probe read leaves 0). A signal inside a sandbox cost 1 us in signal_generate with
 *    22 helper calls. Untrusted, not the trusted task pointers tp_btf passes: each load
 *    through a trusted pointer makes the verifier search vmlinux BTF by name.
 *
 * Both are CO-RE: vmlinux.h marks every struct preserve_access_index. probe.c uses the
 * tp_btf programs only on kernels that have bpf_rdonly_cast. The struct flavors
 * core_fixes.bpf.h reads through are defined before this file is included.
 *
 * The kfunc is called by hand, not through an `extern ... __ksym` declaration: libbpf
 * 1.1 resolves such an extern by reading and parsing all of the kernel's BTF itself
 * (5 MiB in 4 KiB reads from sysfs, ~20 ms of glassbox's start-up), while glassbox has
 * its own view of it already. The call goes in with the placeholder
 * GB_KFUNC_RDONLY_CAST as its BTF ID and src/tp_btf.c puts the kernel's ID in just
 * before the program is loaded.
 */
#ifndef GB_READ_BPF_H
#define GB_READ_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "glassbox/kernel_types.h"

#ifdef GB_FAST_READS
/* bpf_rdonly_cast(obj, btf_id): r1, r2 in, r0 out, r1-r5 clobbered, as any call. The
 * instruction is BPF_JMP|BPF_CALL with src_reg BPF_PSEUDO_KFUNC_CALL (0x2085). */
static __always_inline void *gb_rdonly_cast(const void *obj, __u32 btf_id)
{
	register const void *r1 asm("r1") = obj;
	register __u64 r2 asm("r2") = btf_id;
	register void *r0 asm("r0");

	asm volatile(".quad 0x2085 | (%[kf] << 32)"
		     : "=r"(r0), "+r"(r1), "+r"(r2)
		     : [kf] "i"(GB_KFUNC_RDONLY_CAST)
		     : "r3", "r4", "r5");
	return r0;
}

/* Kernel BTF IDs, set by user space (include/glassbox/kernel_types.h says why); reading
 * through a type that list lacks is a compile error. */
extern const volatile __u32 gb_kernel_type_id[GB_KT_MAX];

#define GB_KT_ASSOC(e, name) struct name *: GB_KT_##e,
/* each kernel_types.h struct, then core_fixes.bpf.h's flavors of ns_common */
#define gb_kernel_type(p)                                              \
	_Generic((p), GB_KERNEL_TYPES(GB_KT_ASSOC)                     \
		struct ns_common___id *: GB_KT_NS_COMMON,              \
		struct ns_common___new *: GB_KT_NS_COMMON,             \
		struct ns_common___old *: GB_KT_NS_COMMON)

#define gb_untrusted(p) \
	((typeof(p))gb_rdonly_cast((p), gb_kernel_type_id[gb_kernel_type(p)]))
#define GB_READ(p, a, ...) (gb_untrusted(p)->___arrow(a, ##__VA_ARGS__))
/* a task's comm, 16 bytes that the kernel keeps NUL-padded (strscpy_pad) */
#define GB_READ_COMM(dst, task) __builtin_memcpy((dst), gb_untrusted(task)->comm, 16)
#else
#define GB_READ(p, a, ...) BPF_CORE_READ(p, a, ##__VA_ARGS__)
#define GB_READ_COMM(dst, task) BPF_CORE_READ_STR_INTO((dst), (task), comm)
#endif

#endif
