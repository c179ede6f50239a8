// SPDX-License-Identifier: GPL-2.0
/* Process life cycle: clone (and following new namespaces), exec, exit. */
#include "gb.bpf.h"

/* A traced task made a task in another namespace: trace that namespace too, under the
 * same root, so nested sandboxes (unshare -fp inside) are followed automatically. */
static __always_inline void gb_follow(struct task_struct *child, __u32 parent_pidns,
				      __u32 parent_netns, const struct gb_ns_filter *f)
{
	__u32 ino;
	__u64 id = gb_task_pidns_id(child, &ino);

	if (ino != parent_pidns)
		gb_ns_follow(&gb_traced_pidns, ino, id, f);
	if (gb_cfg_follow_netns) {
		id = gb_task_netns_id(child, &ino);
		if (ino != parent_netns)
			gb_ns_follow(&gb_traced_netns, ino, id, f);
	}
}

static __always_inline int gb_on_newtask(struct task_struct *child, __u64 clone_flags,
					 __u32 method)
{
	const int typed = method == GB_METHOD_TP_BTF ? GB_TASK_BTF : GB_TASK_PTR; /* the child */
	struct task_struct *parent = (struct task_struct *)bpf_get_current_task();
	struct gb_pidv pv = {}, cv = {};
	const struct gb_ns_filter *f = gb_traced_v(parent, &pv);
	struct gb_ev_clone *e;
	struct pid *cp;
	struct upid up;

	/* a parent outside that made a child inside: after setns(CLONE_NEWPID) into a
	 * traced namespace (nsenter -p) the child lands there */
	if (!f)
		f = gb_traced_v(child, &cv);
	if (!f)
		return 0;
	gb_follow(child, gb_task_pidns(parent), gb_task_netns(parent), f);
	if (!gb_kind_enabled(GB_EV_CLONE))
		return 0;
	e = gb_reserve(sizeof(*e), GB_EV_CLONE);
	if (!e)
		return 0;
	gb_hdr_fill_v(&e->hdr, GB_EV_CLONE, method, sizeof(*e), parent, f, GB_TASK_CURRENT, &pv);
	gb_ids_read(child, f, &e->child, typed);
	e->flags = clone_flags;
	e->ret = e->child.tid;
	e->info = (clone_flags & GB_CLONE_THREAD) ? GB_CLONE_THREAD_CHILD : 0;
	e->child_netns = gb_task_netns(child);
	e->child_pidns_parent = 0;
	cp = GB_READ(child, thread_pid);
	if (cp) {
		gb_upid(cp, gb_pid_level(cp), &up);
		if (up.ns)
			e->child_pidns_parent = gb_pidns_ino(GB_READ(up.ns, parent));
	}
	gb_nsset_read(parent, &e->parent_ns);
	gb_nsset_read(child, &e->child_ns);
	gb_submit(e);
	return 0;
}

GB_TP_VARIANTS(task_newtask, gb_on_newtask(task, clone_flags, gb_method),
	       struct task_struct *task, u64 clone_flags)

static __always_inline int gb_on_exec(struct task_struct *p, __u32 argc, const char *filename,
				      __u32 method)
{
	/* p is the current task; typed where the program gets it as a BTF argument */
	const int typed = method == GB_METHOD_TP_BTF ? GB_TASK_BTF : GB_TASK_CURRENT;
	struct gb_pidv pv = {};
	const struct gb_ns_filter *f = gb_traced_v(p, &pv);
	struct gb_ev_exec *e;
	unsigned long start, end, len;
	long n;

	if (!f || !gb_kind_enabled(GB_EV_EXEC))
		return 0;
	e = gb_reserve(sizeof(*e), GB_EV_EXEC);
	if (!e)
		return 0;
	gb_hdr_fill_v(&e->hdr, GB_EV_EXEC, method, sizeof(*e), p, f, typed, &pv);
	e->ret = 0;
	e->argc = argc;
	n = bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), filename);
	e->filename_len = n > 0 ? n - 1 : 0;
	if (n <= 0)
		e->filename[0] = 0;
	/* argv as the new image sees it: NUL-separated strings at mm->arg_start */
	start = GB_READ(p, mm, arg_start);
	end = GB_READ(p, mm, arg_end);
	len = end > start ? end - start : 0;
	if (len > GB_ARGV_LEN)
		len = GB_ARGV_LEN;
	barrier_var(len);
	if (len <= GB_ARGV_LEN && bpf_probe_read_user(e->argv, len, (void *)start) == 0)
		e->argv_len = len;
	else
		e->argv_len = 0;
	gb_submit(e);
	return 0;
}

#define GB_EXEC_BODY \
	gb_on_exec(p, GB_READ(bprm, argc), GB_READ(bprm, filename), gb_method)
GB_TP_VARIANTS(sched_process_exec, GB_EXEC_BODY, struct task_struct *p, pid_t old_pid,
	       struct linux_binprm *bprm)

static __always_inline int gb_on_exit(struct task_struct *p, __u32 method)
{
	/* p is the current task; typed where the program gets it as a BTF argument */
	const int typed = method == GB_METHOD_TP_BTF ? GB_TASK_BTF : GB_TASK_CURRENT;
	struct gb_pidv pv = {};
	const struct gb_ns_filter *f = gb_traced_v(p, &pv);
	struct gb_ev_exit *e;

	if (!f || !gb_kind_enabled(GB_EV_EXIT))
		return 0;
	e = gb_reserve(sizeof(*e), GB_EV_EXIT);
	if (!e)
		return 0;
	gb_hdr_fill_v(&e->hdr, GB_EV_EXIT, method, sizeof(*e), p, f, typed, &pv);
	e->exit_code = GB_RD(typed, p, exit_code);
	e->info = 0;
	if (e->hdr.task.pid != e->hdr.task.tid)
		e->info |= GB_EXIT_THREAD;
	/* signal->live already counts this task out when the tracepoint fires */
	if (GB_READ(p, signal, live.counter) == 0)
		e->info |= GB_EXIT_GROUP_DEAD;
	if (e->hdr.task.own_pid == 1 && !(e->info & GB_EXIT_THREAD)) {
		e->info |= GB_EXIT_NS_INIT;
		if (e->hdr.task.level == f->root_level &&
		    (!f->root_pidns || e->hdr.task.pidns == f->root_pidns))
			e->info |= GB_EXIT_SANDBOX_INIT;
	}
	gb_submit(e);
	return 0;
}

/* Only the task argument: the group_dead argument is new (v6.16) and a raw_tp may not
 * read past the arguments an older kernel passes. */
GB_TP_VARIANTS(sched_process_exit, gb_on_exit(p, gb_method), struct task_struct *p)

#if GB_EMIT_RAW
/*
 * Plain tracepoints, for kernels without BTF-typed ones; they need tracefs. They carry
 * less: the new task's and the signal target's namespace views are not reachable.
 */
SEC("tracepoint/task/task_newtask")
int gb_tp_task_newtask(struct trace_event_raw_task_newtask *ctx)
{
	struct task_struct *parent = (struct task_struct *)bpf_get_current_task();
	struct gb_pidv pv = {};
	const struct gb_ns_filter *f = gb_traced_v(parent, &pv);
	struct gb_ev_clone *e;

	if (!f || !gb_kind_enabled(GB_EV_CLONE))
		return 0;
	e = gb_reserve(sizeof(*e), GB_EV_CLONE);
	if (!e)
		return 0;
	__builtin_memset(&e->child, 0, sizeof(e->child));
	gb_hdr_fill_v(&e->hdr, GB_EV_CLONE, GB_METHOD_TRACEPOINT, sizeof(*e), parent, f,
		      GB_TASK_CURRENT, &pv);
	e->flags = BPF_CORE_READ(ctx, clone_flags);
	e->child.tid = BPF_CORE_READ(ctx, pid);
	e->child.pid = (e->flags & GB_CLONE_THREAD) ? e->hdr.task.pid : e->child.tid;
	e->ret = e->child.tid;
	e->info = (e->flags & GB_CLONE_THREAD) ? GB_CLONE_THREAD_CHILD : 0;
	e->child_netns = 0;
	e->child_pidns_parent = 0;
	gb_nsset_read(parent, &e->parent_ns);
	__builtin_memset(&e->child_ns, 0, sizeof(e->child_ns));
	gb_submit(e);
	return 0;
}

SEC("tracepoint/sched/sched_process_exec")
int gb_tp_sched_process_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	/* __data_loc: low 16 bits are the offset of the string in the record */
	__u32 loc = BPF_CORE_READ(ctx, __data_loc_filename);

	return gb_on_exec((struct task_struct *)bpf_get_current_task(), 0,
			  (const char *)ctx + (loc & 0xffff), GB_METHOD_TRACEPOINT);
}

SEC("tracepoint/sched/sched_process_exit")
int gb_tp_sched_process_exit(void *ctx)
{
	return gb_on_exit((struct task_struct *)bpf_get_current_task(), GB_METHOD_TRACEPOINT);
}
#endif
