/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every glassbox BPF program shares: the maps (defined once in maps.bpf.c and
 * declared extern here, so bpftool can link all programs into one object), load-time
 * settings, the namespace filter that runs first in every program, and the readers that
 * turn a task into the PID views and namespace inodes of an event.
 */
#ifndef GB_BPF_H
#define GB_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "glassbox/events.h"
#include "core_fixes.bpf.h"

#define GB_RINGBUF_DEFAULT (4u << 20)

/* uapi constants vmlinux.h does not carry */
#define GB_CLONE_THREAD 0x00010000
#define GB_SIG_DFL 0UL
#define GB_SIG_IGN 1UL

/* Named map types, so the one definition (maps.bpf.c) and the extern declarations below
 * agree on the type. */
struct gb_events_map {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, GB_RINGBUF_DEFAULT);
};

struct gb_ns_filter_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32); /* namespace inode */
	__type(value, struct gb_ns_filter);
};

struct gb_counters_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gb_counters);
};

extern struct gb_events_map gb_events SEC(".maps");
extern struct gb_ns_filter_map gb_traced_pidns SEC(".maps");
extern struct gb_ns_filter_map gb_traced_netns SEC(".maps");
extern struct gb_counters_map gb_counters SEC(".maps");

/* Set by user space between open and load; the verifier sees them as constants. */
extern const volatile __u32 gb_cfg_trace_all;     /* trace every task (glassbox trace --all) */
extern const volatile __u32 gb_cfg_filter_netns;  /* also trace tasks by network namespace */
extern const volatile __u32 gb_cfg_follow_netns;  /* add netns created by traced tasks */
extern const volatile __u64 gb_cfg_wakeup_bytes;  /* wake the consumer past this fill */
extern const volatile __u32 gb_cfg_kind_mask;     /* bit per enum gb_event_kind to emit */

/* ---- reading namespaces --------------------------------------------------------- */

static __always_inline __u32 gb_pid_level(struct pid *pid)
{
	__u32 level = BPF_CORE_READ(pid, level);

	return level > GB_MAX_PID_NS_LEVEL ? GB_MAX_PID_NS_LEVEL : level;
}

/* pid->numbers[level]: the PID number and namespace at one level of the hierarchy. */
static __always_inline void gb_upid(struct pid *pid, __u32 level, struct upid *out)
{
	if (level > GB_MAX_PID_NS_LEVEL) {
		out->nr = 0;
		out->ns = NULL;
		return;
	}
	if (bpf_core_read(out, sizeof(*out), &pid->numbers[level]))
		out->nr = 0, out->ns = NULL;
}

static __always_inline __u32 gb_pidns_ino(struct pid_namespace *ns)
{
	return ns ? BPF_CORE_READ(ns, ns.inum) : 0;
}

/* Inode of the PID namespace the task lives in (task_active_pid_ns()). */
static __always_inline __u32 gb_task_pidns(struct task_struct *task)
{
	struct pid *pid = BPF_CORE_READ(task, thread_pid);
	struct upid up;

	if (!pid)
		return 0;
	gb_upid(pid, gb_pid_level(pid), &up);
	return gb_pidns_ino(up.ns);
}

static __always_inline __u32 gb_task_netns(struct task_struct *task)
{
	struct nsproxy *nsp = BPF_CORE_READ(task, nsproxy);

	return nsp ? BPF_CORE_READ(nsp, net_ns, ns.inum) : 0;
}

/* The task's PID namespace as the filter knows it: inode, and which namespace it is
 * (gb_ns_id()), to tell a reused inode number apart. */
static __always_inline __u64 gb_task_pidns_id(struct task_struct *task, __u32 *ino)
{
	struct pid *pid = BPF_CORE_READ(task, thread_pid);
	struct upid up;

	*ino = 0;
	if (!pid)
		return 0;
	gb_upid(pid, gb_pid_level(pid), &up);
	if (!up.ns)
		return 0;
	*ino = BPF_CORE_READ(up.ns, ns.inum);
	return gb_ns_id(&up.ns->ns);
}

static __always_inline __u64 gb_task_netns_id(struct task_struct *task, __u32 *ino)
{
	struct nsproxy *nsp = BPF_CORE_READ(task, nsproxy);
	struct net *net = nsp ? BPF_CORE_READ(nsp, net_ns) : NULL;

	*ino = net ? BPF_CORE_READ(net, ns.inum) : 0;
	return net ? gb_ns_id(&net->ns) : 0;
}

static __always_inline void gb_nsset_read(struct task_struct *task, struct gb_nsset *s)
{
	struct nsproxy *nsp = BPF_CORE_READ(task, nsproxy);

	__builtin_memset(s, 0, sizeof(*s));
	s->pid = gb_task_pidns(task);
	s->user = BPF_CORE_READ(task, real_cred, user_ns, ns.inum);
	if (!nsp)
		return; /* an exiting task has dropped its nsproxy */
	s->pid_for_children = BPF_CORE_READ(nsp, pid_ns_for_children, ns.inum);
	s->net = BPF_CORE_READ(nsp, net_ns, ns.inum);
	s->mnt = BPF_CORE_READ(nsp, mnt_ns, ns.inum);
	s->uts = BPF_CORE_READ(nsp, uts_ns, ns.inum);
	s->ipc = BPF_CORE_READ(nsp, ipc_ns, ns.inum);
	s->cgroup = BPF_CORE_READ(nsp, cgroup_ns, ns.inum);
	if (bpf_core_field_exists(nsp->time_ns)) { /* time namespaces: v5.6 */
		s->time = BPF_CORE_READ(nsp, time_ns, ns.inum);
		s->time_for_children = BPF_CORE_READ(nsp, time_ns_for_children, ns.inum);
	}
}

/*
 * The three PID views of a task: host, trace root's namespace, the task's own. The
 * root's view exists only for a task below the root's PID namespace: one at the root's
 * level or deeper in another namespace (traced by its network namespace) has none.
 */
static __always_inline void gb_ids_read(struct task_struct *task, const struct gb_ns_filter *f,
					struct gb_ids *ids)
{
	struct pid *tp = BPF_CORE_READ(task, thread_pid);
	struct pid *lp = BPF_CORE_READ(task, group_leader, thread_pid);
	__u32 root_level = f->root_level;
	struct upid up;
	__u32 level;

	ids->pid = BPF_CORE_READ(task, tgid);
	ids->tid = BPF_CORE_READ(task, pid);
	ids->ns_pid = ids->ns_tid = ids->own_pid = ids->own_tid = 0;
	ids->level = ids->pidns = 0;
	if (!tp)
		return;
	level = gb_pid_level(tp);
	ids->level = level;
	gb_upid(tp, level, &up);
	ids->own_tid = up.nr;
	ids->pidns = gb_pidns_ino(up.ns);
	if (root_level <= level) {
		gb_upid(tp, root_level, &up);
		if (f->root_pidns && gb_pidns_ino(up.ns) != f->root_pidns)
			root_level = GB_MAX_PID_NS_LEVEL + 1; /* not below the root */
		else
			ids->ns_tid = up.nr;
	}
	if (!lp)
		lp = tp;
	gb_upid(lp, level, &up);
	ids->own_pid = up.nr;
	if (root_level <= level) {
		gb_upid(lp, root_level, &up);
		ids->ns_pid = up.nr;
	}
}

/* ---- the filter ------------------------------------------------------------------ */

/* The filter value --all gives every task. One definition in maps.bpf.c: a static
 * const copy in each linked file made the kernel reject the object's BTF ("Invalid
 * offset" in .rodata), and libbpf then loaded every program without it. */
extern const volatile struct gb_ns_filter gb_filter_all;

/*
 * The filter entry of namespace (ino, id), if it is that namespace's: an entry user
 * space made (id 0) is bound to the first namespace seen with its inode (user space
 * holds that namespace while it fills the map, so that is the right one); an entry of
 * a namespace that has died, whose inode number now names another, is not.
 */
static __always_inline const struct gb_ns_filter *gb_ns_entry(void *map, __u32 ino, __u64 id)
{
	struct gb_ns_filter *f;

	if (!ino)
		return NULL;
	f = bpf_map_lookup_elem(map, &ino);
	if (!f)
		return NULL;
	if (f->ns == id)
		return f;
	if (f->ns == 0) {
		f->ns = id;
		return f;
	}
	return NULL;
}

/* Trace namespace (ino, id) under root f: a new entry, or one replacing the stale entry
 * of a dead namespace that had the same inode number. */
static __always_inline void gb_ns_follow(void *map, __u32 ino, __u64 id,
					 const struct gb_ns_filter *f)
{
	struct gb_ns_filter v;
	struct gb_ns_filter *old;

	if (!ino)
		return;
	old = bpf_map_lookup_elem(map, &ino);
	if (old && (old->ns == id || old->ns == 0))
		return;
	v = *f;
	v.ns = id;
	bpf_map_update_elem(map, &ino, &v, BPF_ANY);
}

/*
 * Is this task inside a traced namespace? One hash lookup on the PID namespace inode;
 * the network-namespace lookup runs only when a trace asked for one.
 */
static __always_inline const struct gb_ns_filter *gb_traced(struct task_struct *task)
{
	const struct gb_ns_filter *f;
	__u64 id;
	__u32 ino;

	if (gb_cfg_trace_all)
		return (const struct gb_ns_filter *)&gb_filter_all;
	id = gb_task_pidns_id(task, &ino);
	f = gb_ns_entry(&gb_traced_pidns, ino, id);
	if (f || !gb_cfg_filter_netns)
		return f;
	id = gb_task_netns_id(task, &ino);
	return gb_ns_entry(&gb_traced_netns, ino, id);
}

static __always_inline int gb_kind_enabled(__u32 kind)
{
	return gb_cfg_kind_mask & (1u << kind);
}

/* ---- emitting -------------------------------------------------------------------- */

static __always_inline void gb_count(__u32 kind, int lost)
{
	__u32 zero = 0;
	struct gb_counters *c = bpf_map_lookup_elem(&gb_counters, &zero);

	if (!c || kind >= GB_EV_KIND_MAX)
		return;
	if (lost)
		c->lost[kind]++;
	else
		c->emitted[kind]++;
}

/* Reserve a record of `size` bytes; counts a loss when the ring buffer is full. */
static __always_inline void *gb_reserve(__u32 size, __u32 kind)
{
	void *e = bpf_ringbuf_reserve(&gb_events, size, 0);

	if (!e)
		gb_count(kind, 1);
	return e;
}

static __always_inline void gb_hdr_fill(struct gb_event_hdr *h, __u32 kind, __u32 method,
					__u32 size, struct task_struct *task,
					const struct gb_ns_filter *f)
{
	h->ts_ns = bpf_ktime_get_ns();
	h->kind = kind;
	h->method = method;
	h->size = size;
	h->root_level = f->root_level;
	gb_ids_read(task, f, &h->task);
	h->netns = gb_task_netns(task);
	BPF_CORE_READ_STR_INTO(&h->comm, task, comm);
}

/*
 * Submit without waking the consumer until enough has piled up: it polls with a short
 * timeout anyway, so a quiet trace still prints within that bound, and a busy one costs
 * one wakeup per batch instead of one per event.
 */
static __always_inline void gb_submit(void *e, __u32 kind)
{
	__u64 avail = bpf_ringbuf_query(&gb_events, BPF_RB_AVAIL_DATA);

	bpf_ringbuf_submit(e, avail >= gb_cfg_wakeup_bytes ? BPF_RB_FORCE_WAKEUP
							   : BPF_RB_NO_WAKEUP);
	gb_count(kind, 0);
}

/*
 * Each tracepoint handler is written once as a static body taking the tracepoint's
 * arguments, then exposed as a tp_btf and a raw_tp program; user space loads whichever
 * the kernel supports (probe.c) and switches the other off with set_autoload.
 */
#define GB_TP_VARIANTS(tp, body, ...)                                   \
	SEC("tp_btf/" #tp)                                              \
	int BPF_PROG(gb_btf_##tp, ##__VA_ARGS__)                        \
	{                                                               \
		const __u32 gb_method = GB_METHOD_TP_BTF;               \
		return body;                                            \
	}                                                               \
	SEC("raw_tp/" #tp)                                              \
	int BPF_PROG(gb_raw_##tp, ##__VA_ARGS__)                        \
	{                                                               \
		const __u32 gb_method = GB_METHOD_RAW_TP;               \
		return body;                                            \
	}

#endif /* GB_BPF_H */
