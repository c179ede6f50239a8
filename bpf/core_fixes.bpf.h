/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel renames and signature changes, each behind one accessor.
 */
#ifndef GB_CORE_FIXES_BPF_H
#define GB_CORE_FIXES_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include "read.bpf.h"

/*
 * k_sigaction's handler: sa.sa_handler is a __sighandler_t on every kernel; read as an
 * unsigned long so SIG_DFL (0) and SIG_IGN (1) compare without casts.
 */
static __always_inline unsigned long gb_sa_handler(struct k_sigaction *ka)
{
	return (unsigned long)GB_READ(ka, sa.sa_handler);
}

/*
 * A namespace's type (CLONE_NEWNET, ...): v6.18 moved it from proc_ns_operations.type
 * into ns_common.ns_type (Christian Brauner's namespace rework, "ns: add ns_type to
 * ns_common"). Older kernels read it through ns->ops.
 */
struct ns_common___new {
	u32 ns_type;
} __attribute__((preserve_access_index));

struct proc_ns_operations___old {
	int type;
} __attribute__((preserve_access_index));

struct ns_common___old {
	const struct proc_ns_operations___old *ops;
} __attribute__((preserve_access_index));

static __always_inline __u32 gb_ns_common_type(struct ns_common *ns)
{
	if (bpf_core_field_exists(((struct ns_common___new *)0)->ns_type))
		return GB_READ((struct ns_common___new *)ns, ns_type);
	return GB_READ((struct ns_common___old *)ns, ops, type);
}

/*
 * Which namespace this is, for good: v6.18 gives every namespace a 64-bit ns_id that is
 * never reused (the namespace tree, "ns: add ns_common_init()" and "nstree"). Older
 * kernels: the ns_common's address, which the slab may hand to the next namespace of
 * that type, so a reused inode number can still match there.
 */
struct ns_common___id {
	u64 ns_id;
} __attribute__((preserve_access_index));

static __always_inline __u64 gb_ns_id(struct ns_common *ns)
{
	__u64 id = 0;

	if (!ns)
		return 0;
	if (bpf_core_field_exists(((struct ns_common___id *)0)->ns_id))
		id = GB_READ((struct ns_common___id *)ns, ns_id);
	return id ? id : (__u64)ns;
}

/*
 * The number of the syscall a sys_exit belongs to (the kernel's syscall_get_nr()): the
 * tracepoint passes only the return value. Per architecture, like bpf_tracing.h's
 * PT_REGS_* macros. Every syscall on the machine pays for this read: from a tp_btf
 * argument (typed) it is one load, not a helper call.
 */
#if defined(__TARGET_ARCH_x86)
#define gb_regs_syscall_nr(regs, typed) \
	((long)((typed) ? (regs)->orig_ax : BPF_CORE_READ((regs), orig_ax)))
#elif defined(__TARGET_ARCH_arm64)
struct pt_regs___gb_arm64 {
	int syscallno;
} __attribute__((preserve_access_index));
#define gb_regs_syscall_nr(regs, typed)                                              \
	((long)((typed) ? ((struct pt_regs___gb_arm64 *)(regs))->syscallno                 \
			: BPF_CORE_READ((struct pt_regs___gb_arm64 *)(regs), syscallno)))
#else
#error "gb_regs_syscall_nr: syscall number register unknown on this architecture"
#endif

#endif
