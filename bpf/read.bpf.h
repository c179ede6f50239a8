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
 * tp_btf programs only on kernels that have bpf_rdonly_cast; the extern is weak so the
 * object still opens on the others.
 */
#ifndef GB_READ_BPF_H
#define GB_READ_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#ifdef GB_FAST_READS
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;

#define gb_untrusted(p) \
	((typeof(p))bpf_rdonly_cast((p), bpf_core_type_id_kernel(typeof(*(p)))))
#define GB_READ(p, a, ...) (gb_untrusted(p)->___arrow(a, ##__VA_ARGS__))
/* a task's comm, 16 bytes that the kernel keeps NUL-padded (strscpy_pad) */
#define GB_READ_COMM(dst, task) __builtin_memcpy((dst), gb_untrusted(task)->comm, 16)
#else
#define GB_READ(p, a, ...) BPF_CORE_READ(p, a, ##__VA_ARGS__)
#define GB_READ_COMM(dst, task) BPF_CORE_READ_STR_INTO((dst), (task), comm)
#endif

#endif
