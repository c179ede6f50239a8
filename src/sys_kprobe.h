/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The syscall boundary on kprobes (bpf/ns.bpf.c, gb_kp_sys_enter/_exit): the same two
 * programs attached to the watched syscalls' own functions (__x64_sys_setns, ...), at
 * entry and at return, on kernels with kprobes. Only those syscalls then pay for
 * glassbox, where the raw_syscalls hooks put every syscall of the machine on the
 * tracing slow path.
 */
#ifndef GB_SYS_KPROBE_H
#define GB_SYS_KPROBE_H

#include <stddef.h>
#include <stdint.h>

struct bpf_program;
struct bpf_link;

/* "__x64_sys_" on x86_64, "__arm64_sys_" on arm64; NULL where glassbox does not know */
const char *gb_sys_kprobe_prefix(void);

/* Which syscalls (bit per enum gb_syscall) the entry (exit = 0) or return (exit = 1)
 * program is attached to, for these event kinds (bit per enum gb_event_kind), with or
 * without netdev_move's netlink method: setns and unshare always (the family is loaded
 * for them, or to follow unshare(CLONE_NEWNET)); at return also the clone family for
 * failed clones (clone events), the kill family for signal_failed, sendto and sendmsg
 * for the netlink method at both ends. */
uint32_t gb_sys_kprobe_mask(int exit, uint32_t kind_mask, int netlink);

/* Attach prog (a kretprobe when exit) to the function of every syscall in mask; the
 * links go to links[*n...] (at most max in all). A function this kernel lacks is
 * skipped for fork and vfork (arm64 has neither), an error otherwise. 0, or -errno with
 * a line in why. */
int gb_sys_kprobe_attach(struct bpf_program *prog, int exit, uint32_t mask,
			 struct bpf_link **links, size_t max, size_t *n, char *why, size_t len);

#endif
