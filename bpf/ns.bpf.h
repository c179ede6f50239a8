/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the syscall boundary programs (bpf/ns.bpf.c) keep between sys_enter and sys_exit,
 * and their syscall table. Defined once in maps.bpf.c and declared extern here, so that
 * ns.bpf.c can be compiled twice into the one object: the linker refuses a second
 * definition.
 */
#ifndef GB_NS_BPF_H
#define GB_NS_BPF_H

#include "gb.bpf.h"

/* syscall number -> enum gb_syscall; filled by user space from <sys/syscall.h> */
extern const volatile __u8 gb_sys_class[GB_SYSCALL_NR_MAX];

/* What sys_enter saw of a setns or unshare, until the same thread's sys_exit. */
struct gb_sys_start {
	__u32 sys;              /* enum gb_syscall */
	__s32 fd;               /* setns */
	__u64 arg;              /* setns: nstype; unshare: flags */
	__u32 fd_nstype;
	__u32 target_ino;
	__u32 target_pid;       /* setns through a pidfd */
	__u32 pad;
	struct gb_ns_filter f;  /* the filter entry that made it traced */
	struct gb_nsset before;
};

/* LRU: a thread killed inside the syscall never reaches sys_exit; its entry ages out. */
struct gb_sys_inflight_map {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32); /* host TID */
	__type(value, struct gb_sys_start);
};

extern struct gb_sys_inflight_map gb_sys_inflight SEC(".maps");

#endif
