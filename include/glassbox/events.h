/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The records the BPF programs write to the ring buffer and user space reads.
 * Only fixed-width types: both clang -target bpf and the host compiler see this file,
 * and the static asserts at the bottom make either one refuse a layout drift.
 */
#ifndef GLASSBOX_EVENTS_H
#define GLASSBOX_EVENTS_H

#ifdef __VMLINUX_H__
/* BPF side: types come from vmlinux.h */
#else
#include <linux/types.h>
#include <stddef.h>
#endif

#define GB_COMM_LEN 16
#define GB_FILENAME_LEN 256
#define GB_ARGV_LEN 256
#define GB_IFNAME_LEN 16

/* The deepest PID namespace level the kernel allows (MAX_PID_NS_LEVEL); host = 0. */
#define GB_MAX_PID_NS_LEVEL 32

enum gb_event_kind {
	GB_EV_CLONE = 1,
	GB_EV_EXEC,
	GB_EV_EXIT,
	GB_EV_SIGNAL_GENERATE,
	GB_EV_SIGNAL_DELIVER,
	GB_EV_SIGNAL_FAILED, /* kill/tkill/tgkill/rt_sigqueueinfo returned an error */
	GB_EV_SETNS,
	GB_EV_UNSHARE,
	GB_EV_NETDEV_MOVE,
	GB_EV_KIND_MAX,
};

/*
 * The syscalls the syscall-boundary programs (bpf/ns.bpf.c) watch, numbered the same on
 * every architecture: user space maps the arch's numbers (<sys/syscall.h>) onto these,
 * and records carry these, so a record file reads the same anywhere.
 */
enum gb_syscall {
	GB_SYS_NONE = 0,
	GB_SYS_SETNS,
	GB_SYS_UNSHARE,
	GB_SYS_CLONE, /* the clone family stays together, CLONE..VFORK (bpf/ns.bpf.c) */
	GB_SYS_CLONE3,
	GB_SYS_FORK,
	GB_SYS_VFORK,
	GB_SYS_KILL,
	GB_SYS_TKILL,
	GB_SYS_TGKILL,
	GB_SYS_RT_SIGQUEUEINFO,
	GB_SYS_RT_TGSIGQUEUEINFO,
	GB_SYS_PIDFD_SEND_SIGNAL,
	/* watched for netdev_move's netlink method; never in a record */
	GB_SYS_SENDTO,
	GB_SYS_SENDMSG,
	GB_SYS_MAX,
};

/* Syscall numbers below this are looked up in the BPF side's table; above, ignored. */
#define GB_SYSCALL_NR_MAX 512

/* How an event was observed; the JSON field `method`. */
enum gb_method {
	GB_METHOD_NONE = 0,
	GB_METHOD_TP_BTF,
	GB_METHOD_RAW_TP,
	GB_METHOD_TRACEPOINT,
	GB_METHOD_FENTRY,
	GB_METHOD_KPROBE,
	GB_METHOD_NETLINK, /* syscall tracepoints confirmed by rtnetlink notifications */
	GB_METHOD_MAX,
};

/* signal_generate results, as the kernel's enum trace_sig_gen_result numbers them */
enum gb_sig_result {
	GB_SIG_DELIVERED = 0,
	GB_SIG_IGNORED = 1,
	GB_SIG_ALREADY_PENDING = 2,
	GB_SIG_OVERFLOW_FAIL = 3,
	GB_SIG_LOSE_INFO = 4,
};

/* What signal_deliver found in the target's sigaction */
enum gb_sig_action {
	GB_SIG_ACT_DEFAULT = 0,
	GB_SIG_ACT_IGNORE = 1,
	GB_SIG_ACT_HANDLER = 2,
};

/* One process or thread, in the three PID views glassbox shows. */
struct gb_ids {
	__u32 pid;     /* thread-group id as the host sees it */
	__u32 tid;     /* thread id as the host sees it */
	__u32 ns_pid;  /* as the trace root's PID namespace sees it; 0: not visible there */
	__u32 ns_tid;
	__u32 own_pid; /* as the task's own PID namespace sees it */
	__u32 own_tid;
	__u32 level;   /* the task's PID namespace level, host = 0 */
	__u32 pidns;   /* inode of the task's PID namespace */
};

/* Namespace inodes of one task; 0 where the kernel has none of that type. */
struct gb_nsset {
	__u32 pid;
	__u32 pid_for_children;
	__u32 net;
	__u32 mnt;
	__u32 uts;
	__u32 ipc;
	__u32 user;
	__u32 cgroup;
	__u32 time;
	__u32 time_for_children;
};

/* Common to every record: who did it, when, and how it was seen. */
struct gb_event_hdr {
	__u64 ts_ns; /* CLOCK_MONOTONIC (bpf_ktime_get_ns) */
	__u16 kind;  /* enum gb_event_kind */
	__u16 method; /* enum gb_method */
	__u32 size;  /* bytes of the whole record */
	struct gb_ids task;
	__u32 netns; /* inode of the task's network namespace */
	__u32 root_level; /* level of the trace root the ns_* views refer to */
	char comm[GB_COMM_LEN];
};

#define GB_CLONE_THREAD_CHILD (1u << 0) /* the child is a thread, not a process */
/* Failed clones (ret < 0) only: which syscall failed, enum gb_syscall in info bits 8-15 */
#define GB_CLONE_SYSCALL_SHIFT 8
#define GB_CLONE_SYSCALL(info) (((info) >> GB_CLONE_SYSCALL_SHIFT) & 0xffu)

struct gb_ev_clone {
	struct gb_event_hdr hdr;
	struct gb_ids child; /* zero when ret < 0 */
	__u64 flags;         /* clone flags */
	__s32 ret;           /* child's host TID, or -errno of a failed clone */
	__u32 info;          /* GB_CLONE_* */
	__u32 child_netns;
	__u32 child_pidns_parent; /* inode of the parent of the child's PID namespace */
	struct gb_nsset parent_ns;
	struct gb_nsset child_ns;
};

struct gb_ev_exec {
	struct gb_event_hdr hdr;
	__s32 ret;
	__u32 argc;          /* arguments the process has; argv may hold fewer */
	__u32 filename_len;  /* bytes in filename, without the NUL */
	__u32 argv_len;      /* bytes in argv: NUL-separated strings */
	char filename[GB_FILENAME_LEN];
	char argv[GB_ARGV_LEN];
};

#define GB_EXIT_THREAD (1u << 0)       /* a thread, not the last of its group */
#define GB_EXIT_NS_INIT (1u << 1)      /* PID 1 of its namespace: the kernel kills the rest */
#define GB_EXIT_SANDBOX_INIT (1u << 2) /* PID 1 of the trace root's namespace */
#define GB_EXIT_GROUP_DEAD (1u << 3)   /* the last thread of its group */

struct gb_ev_exit {
	struct gb_event_hdr hdr;
	__s32 exit_code; /* wait status: (code << 8) | termsig, core dump bit 0x80 */
	__u32 info;      /* GB_EXIT_* */
};

struct gb_ev_signal {
	struct gb_event_hdr hdr;
	/* signal_failed: no task was found, so only the arguments: target.own_pid is the
	 * pid (kill, rt_sigqueueinfo), tgid (tgkill, rt_tgsigqueueinfo), tid (tkill) or
	 * pidfd (pidfd_send_signal) argument, target.own_tid the tid of tgkill and
	 * rt_tgsigqueueinfo; both as the sender's namespace numbers them */
	struct gb_ids target;
	__u32 target_netns;
	__s32 sig;
	__s32 code;              /* si_code */
	__s32 result;            /* generate: enum gb_sig_result; deliver: enum gb_sig_action; failed: -errno */
	__u32 group;             /* sent to the whole thread group */
	__u32 syscall;           /* signal_failed: enum gb_syscall */
	char target_comm[GB_COMM_LEN];
};

struct gb_ev_setns {
	struct gb_event_hdr hdr;
	__s32 fd;
	__u32 nstype;      /* CLONE_NEW* asked for, 0 = any */
	__u32 fd_nstype;   /* the type of the namespace behind fd (CLONE_NEW*), 0 if not a ns fd */
	__u32 target_ino;  /* inode of the namespace behind fd */
	__s32 ret;
	__u32 target_pid;  /* fd is a pidfd: the host PID of its process; else 0 */
	struct gb_nsset before;
	struct gb_nsset after;
};

struct gb_ev_unshare {
	struct gb_event_hdr hdr;
	__u64 flags;
	__s32 ret;
	__u32 pad;
	struct gb_nsset before;
	struct gb_nsset after;
};

/* gb_ev_netdev_move.info */
#define GB_NETDEV_KERNEL (1u << 0)    /* no process asked: the kernel moved it (its namespace died) */
#define GB_NETDEV_UNCONFIRMED (1u << 1) /* netlink method: no kernel notification confirmed it */
#define GB_NETDEV_NO_REQUEST (1u << 2)  /* netlink method: seen only in notifications, asker unknown */

struct gb_ev_netdev_move {
	struct gb_event_hdr hdr;
	char old_name[GB_IFNAME_LEN];
	char new_name[GB_IFNAME_LEN];
	__s32 old_ifindex;
	__s32 new_ifindex;
	__u32 old_netns;
	__u32 new_netns;
	__s32 ret;  /* 0, or -errno of a refused move (old_* = new_* then) */
	__u32 info; /* GB_NETDEV_* */
};

/* Per-kind counters in the kernel: events lost because the ring buffer was full. */
struct gb_counters {
	__u64 lost[GB_EV_KIND_MAX];
};

/* Value of the namespace filter maps: which trace root a traced namespace belongs to. */
struct gb_ns_filter {
	__u32 root_level;
	__u32 flags;
	/* inode of the trace root's PID namespace: the ns_* PID views are the numbers a
	 * task has there, and 0 for a task not below it (one traced by its network
	 * namespace from elsewhere); 0 here means "whatever namespace is at root_level" */
	__u32 root_pidns;
	__u32 pad;
	/* which namespace this is: its ns_id (v6.18+; older kernels: the address of its
	 * ns_common), 0 until the BPF side first sees it. Inode numbers are reused as soon
	 * as a namespace is freed; an entry whose inode now names another namespace is
	 * stale, not traced. */
	__u64 ns;
};

#define GB_SIZE_ASSERT(type, bytes) _Static_assert(sizeof(type) == (bytes), #type " layout changed")
GB_SIZE_ASSERT(struct gb_ids, 32);
GB_SIZE_ASSERT(struct gb_nsset, 40);
GB_SIZE_ASSERT(struct gb_event_hdr, 72);
GB_SIZE_ASSERT(struct gb_ev_clone, 72 + 32 + 8 + 16 + 80);
GB_SIZE_ASSERT(struct gb_ev_exec, 72 + 16 + GB_FILENAME_LEN + GB_ARGV_LEN);
GB_SIZE_ASSERT(struct gb_ev_exit, 80);
GB_SIZE_ASSERT(struct gb_ev_signal, 72 + 32 + 24 + 16);
GB_SIZE_ASSERT(struct gb_ev_setns, 72 + 24 + 80);
GB_SIZE_ASSERT(struct gb_ev_unshare, 72 + 16 + 80);
GB_SIZE_ASSERT(struct gb_ev_netdev_move, 72 + 32 + 24);
GB_SIZE_ASSERT(struct gb_ns_filter, 24);
_Static_assert(__builtin_offsetof(struct gb_event_hdr, task) == 16, "hdr.task moved");
_Static_assert(__builtin_offsetof(struct gb_ev_clone, child) == 72, "clone.child moved");

#endif /* GLASSBOX_EVENTS_H */
