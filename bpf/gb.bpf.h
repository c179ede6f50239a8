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

/* Set by user space while tracing (src/wake.h): wake the consumer past this fill. */
extern volatile __u64 gb_wake_bytes;

/* Set by user space between open and load; the verifier sees them as constants. */
extern const volatile __u32 gb_cfg_trace_all;     /* trace every task (glassbox trace --all) */
extern const volatile __u32 gb_cfg_filter_netns;  /* also trace tasks by network namespace */
extern const volatile __u32 gb_cfg_follow_netns;  /* add netns created by traced tasks */
extern const volatile __u32 gb_cfg_kind_mask;     /* bit per enum gb_event_kind to emit */
extern const volatile __u32 gb_cfg_min_level;     /* no traced PID namespace is shallower */
extern const volatile __u32 gb_cfg_netdev_netlink; /* netdev_move rides on sys_enter/exit */

/* ---- reading kernel memory ------------------------------------------------------ */

/*
 * Kernel objects are read with GB_READ (read.bpf.h): plain loads in the tp_btf programs,
 * probe reads elsewhere. GB_RD reads a scalar field of a task that may be a tp_btf
 * argument (`typed`, a constant once inlined): a plain load from the trusted pointer.
 * Only scalar fields: loading a pointer field from a trusted pointer makes the verifier
 * search all of vmlinux BTF by name, several times per load (v6.x
 * btf_nested_type_is_trusted); it quadrupled glassbox's start-up here.
 */
#define GB_RD(typed, p, field) ((typed) == GB_TASK_BTF ? (p)->field : GB_READ(p, field))

/* What a task pointer is, for the readers: a number to read through, a BTF-typed
 * argument, or the current task (whose PIDs and comm have helpers of their own). */
enum { GB_TASK_PTR = 0, GB_TASK_BTF = 1, GB_TASK_CURRENT = 2 };

static __always_inline __u32 gb_pid_level(struct pid *pid)
{
	__u32 level = GB_READ(pid, level);

	return level > GB_MAX_PID_NS_LEVEL ? GB_MAX_PID_NS_LEVEL : level;
}

/* pid->numbers[level]: the PID number and namespace at one level of the hierarchy. A
 * variable index is beyond plain loads: with GB_FAST_READS the element's address is cast
 * on its own; without, it is a helper call, which zeroes *out when it fails (a branch
 * for that doubled the verifier's paths through every caller). */
static __always_inline void gb_upid(struct pid *pid, __u32 level, struct upid *out)
{
	if (level > GB_MAX_PID_NS_LEVEL) {
		out->nr = 0;
		out->ns = NULL;
		return;
	}
#ifdef GB_FAST_READS
	{
		struct upid *u = gb_untrusted(&pid->numbers[level]);

		out->nr = u->nr;
		out->ns = u->ns;
	}
#else
	bpf_core_read(out, sizeof(*out), &pid->numbers[level]);
#endif
}

static __always_inline __u32 gb_pidns_ino(struct pid_namespace *ns)
{
	return ns ? GB_READ(ns, ns.inum) : 0;
}

/* Inode of the PID namespace at `level` of a struct pid: its own at pid->level. */
static __always_inline __u32 gb_pid_ns_at(struct pid *pid, __u32 level)
{
	struct upid up;

	gb_upid(pid, level, &up);
	return gb_pidns_ino(up.ns);
}

/* Inode of the PID namespace the task lives in (task_active_pid_ns()). */
static __always_inline __u32 gb_task_pidns(struct task_struct *task)
{
	struct pid *pid = GB_READ(task, thread_pid);

	return pid ? gb_pid_ns_at(pid, gb_pid_level(pid)) : 0;
}

static __always_inline __u32 gb_task_netns(struct task_struct *task)
{
	struct nsproxy *nsp = GB_READ(task, nsproxy);

	return nsp ? GB_READ(nsp, net_ns, ns.inum) : 0;
}

/* The task's PID namespace as the filter knows it: inode, and which namespace it is
 * (gb_ns_id()), to tell a reused inode number apart. */
static __always_inline __u64 gb_task_pidns_id(struct task_struct *task, __u32 *ino)
{
	struct pid *pid = GB_READ(task, thread_pid);
	struct upid up;

	*ino = 0;
	if (!pid)
		return 0;
	gb_upid(pid, gb_pid_level(pid), &up);
	if (!up.ns)
		return 0;
	*ino = GB_READ(up.ns, ns.inum);
	return gb_ns_id(&up.ns->ns);
}

static __always_inline __u64 gb_task_netns_id(struct task_struct *task, __u32 *ino)
{
	struct nsproxy *nsp = GB_READ(task, nsproxy);
	struct net *net = nsp ? GB_READ(nsp, net_ns) : NULL;

	*ino = net ? GB_READ(net, ns.inum) : 0;
	return net ? gb_ns_id(&net->ns) : 0;
}


static __always_inline void gb_nsset_read(struct task_struct *task, struct gb_nsset *s)
{
	struct nsproxy *nsp = GB_READ(task, nsproxy);

	__builtin_memset(s, 0, sizeof(*s));
	s->pid = gb_task_pidns(task);
	s->user = GB_READ(task, real_cred, user_ns, ns.inum);
	if (!nsp)
		return; /* an exiting task has dropped its nsproxy */
	s->pid_for_children = GB_READ(nsp, pid_ns_for_children, ns.inum);
	s->net = GB_READ(nsp, net_ns, ns.inum);
	s->mnt = GB_READ(nsp, mnt_ns, ns.inum);
	s->uts = GB_READ(nsp, uts_ns, ns.inum);
	s->ipc = GB_READ(nsp, ipc_ns, ns.inum);
	s->cgroup = GB_READ(nsp, cgroup_ns, ns.inum);
	if (bpf_core_field_exists(nsp->time_ns)) { /* time namespaces: v5.6 */
		s->time = GB_READ(nsp, time_ns, ns.inum);
		s->time_for_children = GB_READ(nsp, time_ns_for_children, ns.inum);
	}
}

/*
 * What the filter read of a task (struct pid, level, PID number and namespace there) and
 * its nsproxy once gb_netns_read has read it. The PID views read the task again rather
 * than reuse this: reusing it saved 4 helper calls per event but the branches it adds
 * made the verifier take 20 ms more for each of task_newtask and signal_generate.
 */
struct gb_pidv {
	struct pid *pid;
	__u32 level;
	__u32 nr;   /* the PID number in the task's own namespace */
	__u32 ino;  /* inode of the task's own PID namespace */
	__u32 full; /* nr, ino and id are filled in */
	__u64 id;   /* which namespace that is (gb_ns_id) */
	struct nsproxy *nsp; /* once gb_netns_read has read it */
};

static __always_inline void gb_pidv_finish(struct gb_pidv *v)
{
	struct upid up;

	gb_upid(v->pid, v->level, &up);
	v->nr = up.nr;
	v->ino = gb_pidns_ino(up.ns);
	v->id = up.ns ? gb_ns_id(&up.ns->ns) : 0;
	v->full = 1;
}

/* The same, keeping the nsproxy in v: tasks sharing it share the inode, and a signal's
 * sender and target usually do. `same` is another task's, read before, or NULL. */
static __always_inline __u32 gb_netns_read(struct task_struct *task, struct gb_pidv *v,
					   const struct gb_pidv *same, __u32 same_ino)
{
	struct nsproxy *nsp = GB_READ(task, nsproxy);

	v->nsp = nsp;
	if (!nsp)
		return 0;
	if (same && nsp == same->nsp)
		return same_ino;
	return GB_READ(nsp, net_ns, ns.inum);
}

/*
 * The three PID views of a task: host, trace root's namespace, the task's own. The
 * root's view exists only for a task below the root's PID namespace: one at the root's
 * level or deeper in another namespace (traced by its network namespace) has none. Reads of
 * pid->numbers[] are skipped where the answer is already known: the trace root's level
 * is usually the task's own, and a thread-group leader is its own leader. The leader is
 * read before the root's view, and each case of the root's view fills both of its
 * numbers: the verifier then follows each case once, not once per way to the leader.
 */
static __always_inline void gb_ids_read(struct task_struct *task, const struct gb_ns_filter *f,
					struct gb_ids *ids, int typed)
{
	__u32 root_level = f->root_level;
	struct task_struct *leader;
	struct pid *tp, *lp;
	struct upid up;
	__u32 level;

	if (typed == GB_TASK_CURRENT) {
		__u64 pt = bpf_get_current_pid_tgid();

		ids->pid = pt >> 32;
		ids->tid = (__u32)pt;
	} else {
		ids->pid = GB_RD(typed, task, tgid);
		ids->tid = GB_RD(typed, task, pid);
	}
	ids->ns_pid = ids->ns_tid = ids->own_pid = ids->own_tid = 0;
	ids->level = ids->pidns = 0;
	tp = GB_READ(task, thread_pid);
	if (!tp)
		return;
	level = gb_pid_level(tp);
	gb_upid(tp, level, &up);
	ids->level = level;
	ids->own_tid = up.nr;
	ids->pidns = gb_pidns_ino(up.ns);
	/* a thread-group leader (most tasks) is its own leader: one read, not two */
	leader = GB_READ(task, group_leader);
	lp = (void *)leader == (void *)task || !leader ? tp : GB_READ(leader, thread_pid);
	if (!lp)
		lp = tp;
	if (lp == tp) {
		ids->own_pid = ids->own_tid;
	} else {
		gb_upid(lp, level, &up);
		ids->own_pid = up.nr;
	}
	if (root_level == level) {
		if (!f->root_pidns || ids->pidns == f->root_pidns) {
			ids->ns_tid = ids->own_tid;
			ids->ns_pid = ids->own_pid;
		}
	} else if (root_level < level) {
		gb_upid(tp, root_level, &up);
		if (!f->root_pidns || gb_pidns_ino(up.ns) == f->root_pidns) {
			ids->ns_tid = up.nr;
			if (lp != tp)
				gb_upid(lp, root_level, &up);
			ids->ns_pid = up.nr;
		}
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
 * the network-namespace lookup runs only when a trace asked for one. A task whose PID
 * namespace is shallower than any traced one (every task of the host, for a sandbox)
 * is turned away after two reads, before the namespace's inode and the lookup. v (zeroed
 * by the caller) is its scratch. An entry is used only if it is that namespace's
 * (gb_ns_entry).
 */
static __always_inline const struct gb_ns_filter *gb_traced_v(struct task_struct *task,
							      struct gb_pidv *v)
{
	const struct gb_ns_filter *f = NULL;
	__u64 id;
	__u32 ino;

	if (gb_cfg_trace_all)
		return (const struct gb_ns_filter *)&gb_filter_all;
	v->pid = GB_READ(task, thread_pid);
	if (v->pid) {
		v->level = gb_pid_level(v->pid);
		if (v->level >= gb_cfg_min_level) {
			gb_pidv_finish(v);
			f = gb_ns_entry(&gb_traced_pidns, v->ino, v->id);
		}
	}
	if (f || !gb_cfg_filter_netns)
		return f;
	id = gb_task_netns_id(task, &ino);
	return gb_ns_entry(&gb_traced_netns, ino, id);
}

/* The same for a caller that has no use for what the filter read. */
static __always_inline const struct gb_ns_filter *gb_traced(struct task_struct *task)
{
	struct gb_pidv v = {};

	return gb_traced_v(task, &v);
}

/*
 * tp_btf programs only: would gb_traced turn this task away at once, its PID namespace
 * being shallower than every traced one (every host task, for a sandbox)? Two plain
 * loads (GB_READ, through an untrusted pointer: from the trusted one each load made the
 * verifier search vmlinux BTF by name) instead of gb_traced's work: a host signal costs
 * 0.13 us in signal_generate instead of 0.23 (bpf_stats).
 */
static __always_inline int gb_shallow_btf(struct task_struct *task)
{
	struct pid *pid;

	if (gb_cfg_trace_all || gb_cfg_filter_netns)
		return 0;
	pid = GB_READ(task, thread_pid);
	return pid && GB_READ(pid, level) < gb_cfg_min_level;
}

static __always_inline int gb_kind_enabled(__u32 kind)
{
	return gb_cfg_kind_mask & (1u << kind);
}

/* ---- emitting -------------------------------------------------------------------- */

/* Counts a loss. Only losses: a received event is counted by the consumer, so the
 * common path pays for no map lookup. */
static __always_inline void gb_count_lost(__u32 kind)
{
	__u32 zero = 0;
	struct gb_counters *c = bpf_map_lookup_elem(&gb_counters, &zero);

	if (c && kind < GB_EV_KIND_MAX)
		c->lost[kind]++;
}

/* Reserve a record of `size` bytes; counts a loss when the ring buffer is full. */
static __always_inline void *gb_reserve(__u32 size, __u32 kind)
{
	void *e = bpf_ringbuf_reserve(&gb_events, size, 0);

	if (!e)
		gb_count_lost(kind);
	return e;
}

static __always_inline void gb_hdr_fill_v(struct gb_event_hdr *h, __u32 kind, __u32 method,
					  __u32 size, struct task_struct *task,
					  const struct gb_ns_filter *f, int typed,
					  struct gb_pidv *v)
{
	h->ts_ns = bpf_ktime_get_ns();
	h->kind = kind;
	h->method = method;
	h->size = size;
	h->root_level = f->root_level;
	gb_ids_read(task, f, &h->task, typed);
	h->netns = gb_netns_read(task, v, NULL, 0);
	if (typed == GB_TASK_CURRENT)
		bpf_get_current_comm(&h->comm, sizeof(h->comm));
	else
		GB_READ_COMM(&h->comm, task);
}

/* The same for a task pointer the caller knows nothing more about. */
static __always_inline void gb_hdr_fill(struct gb_event_hdr *h, __u32 kind, __u32 method,
					__u32 size, struct task_struct *task,
					const struct gb_ns_filter *f)
{
	struct gb_pidv v = {};

	gb_hdr_fill_v(h, kind, method, size, task, f, GB_TASK_PTR, &v);
}

/*
 * Submit without waking the consumer until enough has piled up (gb_wake_bytes, which
 * src/wake.h moves with the CPUs' idle time): it polls with a short timeout anyway, so
 * a quiet trace still prints within that bound, and a busy one costs one wakeup per
 * batch instead of one per event.
 */
static __always_inline void gb_submit(void *e)
{
	__u64 avail = bpf_ringbuf_query(&gb_events, BPF_RB_AVAIL_DATA);

	bpf_ringbuf_submit(e, avail >= gb_wake_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

/*
 * Each tracepoint handler is written once as a static body taking the tracepoint's
 * arguments, then exposed as a tp_btf and a raw_tp program; user space loads whichever
 * the kernel supports (probe.c) and switches the other off with set_autoload.
 *
 * Which of them a compilation emits (Makefile): the process and signal handlers are
 * compiled once with GB_FAST_READS, for their tp_btf programs, and once with
 * GB_RAW_ONLY, for raw_tp and the plain tracepoints (read.bpf.h says why); the rest,
 * once for both.
 */
#if defined(GB_FAST_READS)
#define GB_EMIT_BTF 1
#define GB_EMIT_RAW 0
#elif defined(GB_RAW_ONLY)
#define GB_EMIT_BTF 0
#define GB_EMIT_RAW 1
#else
#define GB_EMIT_BTF 1
#define GB_EMIT_RAW 1
#endif

/*
 * The syscall boundary programs (bpf/ns.bpf.c) are compiled twice as well: as they are,
 * and in bpf/ns_compat.bpf.c with GB_NO_BPF_LOOP, for kernels without bpf_loop
 * (netdev_nl.bpf.h). GB_PROG(name) gives that build's programs a _compat suffix, so
 * both link into the one object.
 */
#ifdef GB_NO_BPF_LOOP
#define GB_PROG_SUFFIX _compat
#else
#define GB_PROG_SUFFIX
#endif
#define GB_PASTE_(a, b) a##b
#define GB_PASTE(a, b) GB_PASTE_(a, b)
#define GB_PROG(name) GB_PASTE(name, GB_PROG_SUFFIX)
/* BPF_PROG pastes its name: expand GB_PROG() first */
#define GB_BPF_PROG(name, ...) BPF_PROG(name, ##__VA_ARGS__)

#if GB_EMIT_BTF
#define GB_TP_BTF(tp, body, ...)                                        \
	SEC("tp_btf/" #tp)                                              \
	int GB_BPF_PROG(GB_PROG(gb_btf_##tp), ##__VA_ARGS__)            \
	{                                                               \
		const __u32 gb_method = GB_METHOD_TP_BTF;               \
		return body;                                            \
	}
#else
#define GB_TP_BTF(tp, body, ...)
#endif

#if GB_EMIT_RAW
#define GB_TP_RAW(tp, body, ...)                                        \
	SEC("raw_tp/" #tp)                                              \
	int GB_BPF_PROG(GB_PROG(gb_raw_##tp), ##__VA_ARGS__)            \
	{                                                               \
		const __u32 gb_method = GB_METHOD_RAW_TP;               \
		return body;                                            \
	}
#else
#define GB_TP_RAW(tp, body, ...)
#endif

#define GB_TP_VARIANTS(tp, body, ...)                                   \
	GB_TP_BTF(tp, body, ##__VA_ARGS__)                              \
	GB_TP_RAW(tp, body, ##__VA_ARGS__)

#endif /* GB_BPF_H */
