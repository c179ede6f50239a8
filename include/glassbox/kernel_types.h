/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel structs the tp_btf programs read through (bpf/read.bpf.h): the BPF side
 * needs each one's BTF ID in the running kernel as a load-time constant, and user space
 * (src/core_btf.c) looks them up by name in the kernel's BTF and sets them in .rodata.
 * Not CO-RE's bpf_core_type_id_kernel(): glassbox relocates against a reduced copy of
 * the kernel's BTF, whose IDs are not the kernel's.
 */
#ifndef GLASSBOX_KERNEL_TYPES_H
#define GLASSBOX_KERNEL_TYPES_H

/* X(ENUM_SUFFIX, struct name) */
#define GB_KERNEL_TYPES(X)                 \
	X(TASK_STRUCT, task_struct)        \
	X(PID, pid)                        \
	X(UPID, upid)                      \
	X(PID_NAMESPACE, pid_namespace)    \
	X(NSPROXY, nsproxy)                \
	X(NET, net)                        \
	X(NS_COMMON, ns_common)            \
	X(KERNEL_SIGINFO, kernel_siginfo)  \
	X(K_SIGACTION, k_sigaction)        \
	X(LINUX_BINPRM, linux_binprm)

enum gb_kernel_type {
#define GB_KT_ENUM(e, name) GB_KT_##e,
	GB_KERNEL_TYPES(GB_KT_ENUM)
#undef GB_KT_ENUM
	GB_KT_MAX
};

/*
 * Kernel functions the tp_btf programs call (bpf/read.bpf.h), by a placeholder in the
 * call's BTF ID that src/tp_btf.c replaces with the kernel's, found by name. 0 is no
 * kernel function's ID, so never a placeholder.
 */
#define GB_KFUNC_RDONLY_CAST 1
#define GB_KFUNC_NAMES { [GB_KFUNC_RDONLY_CAST] = "bpf_rdonly_cast" }
#define GB_KFUNC_MAX 2

#endif
