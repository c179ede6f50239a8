// SPDX-License-Identifier: GPL-2.0
/*
 * The syscall boundary: setns and unshare (what the caller asked for, the namespace an
 * fd names, the namespaces before and after), and the failures no other tracepoint
 * sees: a clone/clone3/fork/vfork that made no task, and a kill-family call that found
 * no target (signal_generate never fires for those). Also the rtnetlink requests of
 * netdev_move's netlink method (bpf/netdev.bpf.c), so that there is one program on
 * each hook: every program there runs for every syscall on the machine.
 *
 * Every syscall on the machine runs these two programs, so the first thing each does is
 * one bounds check and one byte load: the syscall number's class in a table user space
 * fills before load (no syscall numbers are compiled in). Only then the namespace
 * filter. sys_enter keeps what sys_exit needs (arguments, namespaces before) in a map
 * keyed by thread, for setns and unshare only; the failure paths read the arguments
 * from the saved registers at exit.
 *
 * Compiled twice: alone, and in ns_compat.bpf.c for kernels without bpf_loop
 * (netdev_nl.bpf.h); what both builds share is defined in maps.bpf.c (ns.bpf.h).
 */
#include "gb.bpf.h"
#include "ns.bpf.h"
#include "netdev_nl.bpf.h"

#define GB_CSIGNAL 0xffULL
#define GB_CLONE_VM 0x00000100ULL
#define GB_CLONE_VFORK 0x00004000ULL
#define GB_CLONE_NEWNET 0x40000000U
#define GB_NSFS_MAGIC 0x6e736673UL
#define GB_PIDFS_MAGIC 0x50494446UL
#define GB_ANON_INODE_FS_MAGIC 0x09041934UL

static __always_inline __u32 gb_sys_of(long nr)
{
	if ((unsigned long)nr >= GB_SYSCALL_NR_MAX)
		return GB_SYS_NONE;
	return gb_sys_class[nr];
}

/* A namespace that is traced, whatever its type: inode numbers are unique across types. */
static __always_inline const struct gb_ns_filter *gb_ns_traced(__u32 ino, __u64 id)
{
	const struct gb_ns_filter *f = gb_ns_entry(&gb_traced_pidns, ino, id);

	return f ? f : gb_ns_entry(&gb_traced_netns, ino, id);
}

/*
 * setns through a pidfd joins the namespaces of its process. Is one of them traced?
 * pid is the pidfd's struct pid (where the kernel keeps it: gb_fd_ns); its first
 * PIDTYPE_PID task is the process.
 */
static __always_inline const struct gb_ns_filter *gb_pidfd_traced(struct pid *pid,
								   __u32 *host_pid)
{
	struct hlist_node *first;
	struct task_struct *task;
	const struct gb_ns_filter *f;
	struct upid up;
	__u32 ino;
	__u64 id;

	if (!pid)
		return NULL;
	gb_upid(pid, 0, &up);
	*host_pid = up.nr;
	gb_upid(pid, gb_pid_level(pid), &up);
	if (up.ns) {
		f = gb_ns_entry(&gb_traced_pidns, BPF_CORE_READ(up.ns, ns.inum),
				gb_ns_id(&up.ns->ns));
		if (f)
			return f;
	}
	first = BPF_CORE_READ(pid, tasks[0].first); /* PIDTYPE_PID */
	if (!first)
		return NULL;
	task = (void *)first - bpf_core_field_offset(struct task_struct, pid_links);
	id = gb_task_netns_id(task, &ino);
	return gb_ns_entry(&gb_traced_netns, ino, id);
}

/*
 * What setns's fd refers to. An nsfs file (/proc/PID/ns/..., a bind mount of one): the
 * namespace's inode and type, and whether it is traced. A pidfd: its process's host
 * PID, and whether one of its namespaces is traced. Anything else: nothing.
 */
static __always_inline const struct gb_ns_filter *gb_fd_ns(struct task_struct *task,
							   struct gb_sys_start *s)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **arr, *file = NULL;
	struct ns_common *ns;
	struct inode *inode;
	unsigned long magic;
	int fd = s->fd;

	if (!fdt || fd < 0 || (__u32)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	arr = BPF_CORE_READ(fdt, fd);
	if (!arr || bpf_probe_read_kernel(&file, sizeof(file), &arr[fd]) || !file)
		return NULL;
	inode = BPF_CORE_READ(file, f_inode);
	if (!inode)
		return NULL;
	magic = BPF_CORE_READ(inode, i_sb, s_magic);
	/* pidfs (v6.9) keeps the struct pid in the inode */
	if (magic == GB_PIDFS_MAGIC)
		return gb_pidfd_traced((struct pid *)BPF_CORE_READ(inode, i_private),
				       &s->target_pid);
	/* before, a pidfd is an anonymous inode file named "[pidfd]" with the struct pid
	 * as its private data */
	if (magic == GB_ANON_INODE_FS_MAGIC) {
		char name[8] = {};

		bpf_probe_read_kernel_str(name, sizeof(name),
					  BPF_CORE_READ(file, f_path.dentry, d_name.name));
		if (__builtin_memcmp(name, "[pidfd]", 8))
			return NULL;
		return gb_pidfd_traced((struct pid *)BPF_CORE_READ(file, private_data),
				       &s->target_pid);
	}
	if (magic != GB_NSFS_MAGIC)
		return NULL;
	/* nsfs keeps the namespace's ns_common in i_private */
	ns = (struct ns_common *)BPF_CORE_READ(inode, i_private);
	s->target_ino = (__u32)BPF_CORE_READ(inode, i_ino);
	s->fd_nstype = gb_ns_common_type(ns);
	return gb_ns_traced(s->target_ino, gb_ns_id(ns));
}

/* A setns or unshare entering: what sys_exit needs, kept for the thread. Its own function
 * so that the record is zeroed only here: declared in gb_on_sys_enter, clang zeroed it
 * before the class check, on every syscall of the machine. */
static __noinline int gb_ns_enter(struct pt_regs *regs, __u32 sys)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	const struct gb_ns_filter *f;
	struct gb_sys_start s = {};
	__u32 tid;

	s.sys = sys;
	f = gb_traced(task);
	if (sys == GB_SYS_SETNS) { /* setns(fd, nstype) */
		const struct gb_ns_filter *target;

		s.fd = (int)PT_REGS_PARM1_CORE_SYSCALL(regs);
		s.arg = PT_REGS_PARM2_CORE_SYSCALL(regs);
		target = gb_fd_ns(task, &s);
		/* nsenter from outside into a traced namespace is traced too */
		if (!f)
			f = target;
	} else { /* unshare(flags) */
		s.arg = PT_REGS_PARM1_CORE_SYSCALL(regs);
	}
	if (!f)
		return 0;
	s.f = *f;
	gb_nsset_read(task, &s.before);
	tid = (__u32)bpf_get_current_pid_tgid();
	bpf_map_update_elem(&gb_sys_inflight, &tid, &s, BPF_ANY);
	return 0;
}

static __always_inline int gb_on_sys_enter(struct pt_regs *regs, long id, __u32 method)
{
	__u32 sys = gb_sys_of(id);

	if (sys == GB_SYS_SENDTO || sys == GB_SYS_SENDMSG) {
		if (!gb_cfg_netdev_netlink)
			return 0;
		return gb_netdev_nl_enter(sys, PT_REGS_PARM1_CORE_SYSCALL(regs),
					  PT_REGS_PARM2_CORE_SYSCALL(regs),
					  PT_REGS_PARM3_CORE_SYSCALL(regs));
	}
	if (sys != GB_SYS_SETNS && sys != GB_SYS_UNSHARE)
		return 0;
	if (!gb_kind_enabled(sys == GB_SYS_SETNS ? GB_EV_SETNS : GB_EV_UNSHARE) &&
	    !(sys == GB_SYS_UNSHARE && gb_cfg_follow_netns))
		return 0;
	return gb_ns_enter(regs, sys);
}

/* Whether sys_enter kept an unshare (else a setns), read from the map value at each
 * test: the verifier does not track it, so it checks what follows once for both
 * syscalls; a register it has seen compared would carry one state per syscall. */
static __always_inline int gb_ns_unshare(const struct gb_sys_start *s)
{
	return *(volatile const __u32 *)&s->sys == GB_SYS_UNSHARE;
}

static __always_inline void gb_ns_exit(__u32 sys, long ret, __u32 method)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	const struct gb_ns_filter *f;
	struct gb_ns_filter fv;
	struct gb_sys_start *s;
	struct gb_event_hdr h;
	struct gb_nsset after;

	s = bpf_map_lookup_elem(&gb_sys_inflight, &tid);
	if (!s)
		return;
	if (s->sys != sys)
		goto out;
	/* the filter as it is now (a setns may have made the caller traced), else the one
	 * that let sys_enter keep it; a stack copy, so that the verifier follows one state
	 * on, not one per map it came from */
	f = gb_traced(task);
	fv = f ? *f : s->f;
	if (gb_ns_unshare(s) && ret == 0 && gb_cfg_follow_netns && (s->arg & GB_CLONE_NEWNET)) {
		__u32 ino;
		__u64 id = gb_task_netns_id(task, &ino);

		gb_ns_follow(&gb_traced_netns, ino, id, &fv);
	}
	if (gb_ns_unshare(s) && !gb_kind_enabled(GB_EV_UNSHARE))
		goto out;
	/* what both records have, read before either is reserved: checked once (comm's
	 * read stops at its NUL: the rest of the copy is zeroed first) */
	__builtin_memset(h.comm, 0, sizeof(h.comm));
	gb_hdr_fill(&h, 0, method, 0, task, &fv);
	gb_nsset_read(task, &after);
	if (gb_ns_unshare(s)) {
		struct gb_ev_unshare *e = gb_reserve(sizeof(*e), GB_EV_UNSHARE);

		if (!e)
			goto out;
		e->hdr = h;
		e->hdr.kind = GB_EV_UNSHARE;
		e->hdr.size = sizeof(*e);
		e->flags = s->arg;
		e->ret = (__s32)ret;
		e->pad = 0;
		e->before = s->before;
		e->after = after;
		gb_submit(e);
	} else {
		struct gb_ev_setns *e = gb_reserve(sizeof(*e), GB_EV_SETNS);

		if (!e)
			goto out;
		e->hdr = h;
		e->hdr.kind = GB_EV_SETNS;
		e->hdr.size = sizeof(*e);
		e->fd = s->fd;
		e->nstype = (__u32)s->arg;
		e->fd_nstype = s->fd_nstype;
		e->target_ino = s->target_ino;
		e->ret = (__s32)ret;
		e->target_pid = s->target_pid;
		e->before = s->before;
		e->after = after;
		gb_submit(e);
	}
out:
	bpf_map_delete_elem(&gb_sys_inflight, &tid);
}

/* A clone that made no task: task_newtask never fired, so this is its only trace. */
static __always_inline void gb_clone_failed(struct pt_regs *regs, __u32 sys, long ret,
					    struct task_struct *task,
					    const struct gb_event_hdr *h)
{
	struct gb_ev_clone *e;
	__u64 flags = 0;

	if (!gb_kind_enabled(GB_EV_CLONE))
		return;
	switch (sys) {
	case GB_SYS_CLONE: /* the low byte is the exit signal, not a flag */
		flags = PT_REGS_PARM1_CORE_SYSCALL(regs) & ~GB_CSIGNAL;
		break;
	case GB_SYS_CLONE3: { /* struct clone_args starts with the flags */
		void *uargs = (void *)PT_REGS_PARM1_CORE_SYSCALL(regs);

		if (bpf_probe_read_user(&flags, sizeof(flags), uargs))
			flags = 0;
		break;
	}
	case GB_SYS_VFORK:
		flags = GB_CLONE_VM | GB_CLONE_VFORK;
		break;
	}
	e = gb_reserve(sizeof(*e), GB_EV_CLONE);
	if (!e)
		return;
	e->hdr = *h;
	e->hdr.kind = GB_EV_CLONE;
	e->hdr.size = sizeof(*e);
	__builtin_memset(&e->child, 0, sizeof(e->child));
	e->flags = flags;
	e->ret = (__s32)ret;
	e->info = ((flags & GB_CLONE_THREAD) ? GB_CLONE_THREAD_CHILD : 0) |
		  sys << GB_CLONE_SYSCALL_SHIFT;
	e->child_netns = 0;
	e->child_pidns_parent = 0;
	gb_nsset_read(task, &e->parent_ns);
	__builtin_memset(&e->child_ns, 0, sizeof(e->child_ns));
	gb_submit(e);
}

/* A kill-family call that returned an error: no task got anything. */
static __always_inline void gb_signal_failed(struct pt_regs *regs, __u32 sys, long ret,
					     const struct gb_event_hdr *h)
{
	struct gb_ev_signal *e;
	__u64 a1 = PT_REGS_PARM1_CORE_SYSCALL(regs), a2 = PT_REGS_PARM2_CORE_SYSCALL(regs);
	__u64 a3 = PT_REGS_PARM3_CORE_SYSCALL(regs);
	void *uinfo = NULL;
	__s32 code = 0;

	if (!gb_kind_enabled(GB_EV_SIGNAL_FAILED))
		return;
	e = gb_reserve(sizeof(*e), GB_EV_SIGNAL_FAILED);
	if (!e)
		return;
	e->hdr = *h;
	e->hdr.kind = GB_EV_SIGNAL_FAILED;
	e->hdr.size = sizeof(*e);
	__builtin_memset(&e->target, 0, sizeof(e->target));
	e->target.own_pid = (__u32)a1;
	switch (sys) {
	case GB_SYS_TGKILL: /* (tgid, tid, sig) */
		e->target.own_tid = (__u32)a2;
		e->sig = (__s32)a3;
		code = -6; /* SI_TKILL */
		break;
	case GB_SYS_RT_TGSIGQUEUEINFO: /* (tgid, tid, sig, info) */
		e->target.own_tid = (__u32)a2;
		e->sig = (__s32)a3;
		uinfo = (void *)PT_REGS_PARM4_CORE_SYSCALL(regs);
		break;
	case GB_SYS_RT_SIGQUEUEINFO: /* (pid, sig, info) */
		e->sig = (__s32)a2;
		uinfo = (void *)a3;
		break;
	case GB_SYS_TKILL: /* (tid, sig) */
		e->target.own_tid = (__u32)a1;
		e->sig = (__s32)a2;
		code = -6;
		break;
	default: /* kill (pid, sig), pidfd_send_signal (pidfd, sig, info, flags) */
		e->sig = (__s32)a2;
		if (sys == GB_SYS_PIDFD_SEND_SIGNAL)
			uinfo = (void *)a3;
		break;
	}
	/* siginfo: si_signo, si_errno, si_code */
	if (uinfo && bpf_probe_read_user(&code, sizeof(code), uinfo + 8))
		code = 0;
	e->code = code;
	e->result = (__s32)ret;
	e->group = sys == GB_SYS_KILL || sys == GB_SYS_RT_SIGQUEUEINFO ||
		   sys == GB_SYS_PIDFD_SEND_SIGNAL;
	e->syscall = sys;
	e->target_netns = 0;
	__builtin_memset(e->target_comm, 0, sizeof(e->target_comm));
	gb_submit(e);
}

static __always_inline int gb_on_sys_exit(struct pt_regs *regs, long nr, long ret,
					  __u32 method)
{
	__u32 sys = gb_sys_of(nr);
	struct task_struct *task;
	const struct gb_ns_filter *f;
	struct gb_ns_filter fv;
	struct gb_event_hdr h;

	if (sys == GB_SYS_NONE)
		return 0;
	if (sys == GB_SYS_SENDTO || sys == GB_SYS_SENDMSG)
		return gb_cfg_netdev_netlink ? gb_netdev_nl_exit(ret) : 0;
	if (sys == GB_SYS_SETNS || sys == GB_SYS_UNSHARE) {
		gb_ns_exit(sys, ret, method);
		return 0;
	}
	if (ret >= 0)
		return 0;
	if (!gb_kind_enabled(GB_EV_CLONE) && !gb_kind_enabled(GB_EV_SIGNAL_FAILED))
		return 0;
	task = (struct task_struct *)bpf_get_current_task();
	f = gb_traced(task);
	if (!f)
		return 0;
	/* the header both records have, filled before the syscall decides which: checked
	 * once (from a stack copy of the filter entry, whichever map it is in) */
	fv = *f;
	__builtin_memset(h.comm, 0, sizeof(h.comm));
	gb_hdr_fill(&h, 0, method, 0, task, &fv);
	if (sys <= GB_SYS_VFORK) /* GB_SYS_CLONE, _CLONE3, _FORK, _VFORK */
		gb_clone_failed(regs, sys, ret, task, &h);
	else
		gb_signal_failed(regs, sys, ret, &h);
	return 0;
}

GB_TP_VARIANTS(sys_enter, gb_on_sys_enter(regs, id, gb_method), struct pt_regs *regs, long id)
GB_TP_VARIANTS(sys_exit,
	       gb_on_sys_exit(regs, gb_regs_syscall_nr(regs, gb_method == GB_METHOD_TP_BTF), ret,
			      gb_method),
	       struct pt_regs *regs, long ret)

/*
 * kprobes on the syscall functions themselves (__x64_sys_setns, ...), where a kernel has
 * kprobes: only the syscalls watched pay, where a program on raw_syscalls puts every
 * syscall of the machine on the tracing slow path. The same two programs are attached
 * to each function (user space picks which: observe.c), at entry and, as kretprobes, at
 * return; the syscall's number and arguments are read from the task's saved user
 * registers, as the plain tracepoints below do.
 */
SEC("?kprobe")
int GB_PROG(gb_kp_sys_enter)(struct pt_regs *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());

	return gb_on_sys_enter(regs, gb_regs_syscall_nr(regs, 0), GB_METHOD_KPROBE);
}

SEC("?kretprobe")
int GB_PROG(gb_kp_sys_exit)(struct pt_regs *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());

	return gb_on_sys_exit(regs, gb_regs_syscall_nr(regs, 0), PT_REGS_RC(ctx),
			      GB_METHOD_KPROBE);
}

/*
 * Plain tracepoints (raw_syscalls, with tracefs): the record has the syscall number,
 * the registers come from bpf_task_pt_regs(), fetched only for a watched syscall.
 */
SEC("tracepoint/raw_syscalls/sys_enter")
int GB_PROG(gb_tp_sys_enter)(struct trace_event_raw_sys_enter *ctx)
{
	long nr = BPF_CORE_READ(ctx, id);

	if (gb_sys_of(nr) == GB_SYS_NONE)
		return 0;
	return gb_on_sys_enter(
		(struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf()),
		nr, GB_METHOD_TRACEPOINT);
}

SEC("tracepoint/raw_syscalls/sys_exit")
int GB_PROG(gb_tp_sys_exit)(struct trace_event_raw_sys_exit *ctx)
{
	long nr = BPF_CORE_READ(ctx, id);

	if (gb_sys_of(nr) == GB_SYS_NONE)
		return 0;
	return gb_on_sys_exit(
		(struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf()),
		nr, BPF_CORE_READ(ctx, ret), GB_METHOD_TRACEPOINT);
}
