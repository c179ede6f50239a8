// SPDX-License-Identifier: GPL-2.0
/* Signals: generated (sender, target, what the kernel did with it) and delivered. */
#include "gb.bpf.h"

/* SEND_SIG_NOINFO and SEND_SIG_PRIV are the sentinel pointers 0 and 1, not siginfo. */
static __always_inline int gb_si_code(struct kernel_siginfo *info)
{
	if ((unsigned long)info == 0)
		return 0; /* SI_USER */
	if ((unsigned long)info == 1)
		return 0x80; /* SI_KERNEL */
	return GB_READ(info, si_code);
}

static __always_inline int gb_on_signal_generate(int sig, struct kernel_siginfo *info,
						 struct task_struct *target, int group,
						 int result, __u32 method)
{
	const int typed = method == GB_METHOD_TP_BTF ? GB_TASK_BTF : GB_TASK_PTR; /* the target */
	struct task_struct *sender = (struct task_struct *)bpf_get_current_task();
	struct gb_pidv sv = {}, tv = {};
	const struct gb_ns_filter *f;
	struct gb_ev_signal *e;

	if (typed == GB_TASK_BTF && gb_shallow_btf(target) &&
	    gb_shallow_btf(bpf_get_current_task_btf()))
		return 0;
	/* traced when the target is inside, or when something inside signals out */
	f = gb_traced_v(target, &tv);
	if (!f)
		f = gb_traced_v(sender, &sv);
	if (!f || !gb_kind_enabled(GB_EV_SIGNAL_GENERATE))
		return 0;
	e = gb_reserve(sizeof(*e), GB_EV_SIGNAL_GENERATE);
	if (!e)
		return 0;
	gb_hdr_fill_v(&e->hdr, GB_EV_SIGNAL_GENERATE, method, sizeof(*e), sender, f,
		      GB_TASK_CURRENT, &sv);
	gb_ids_read(target, f, &e->target, typed);
	e->target_netns = gb_netns_read(target, &tv, &sv, e->hdr.netns);
	e->sig = sig;
	e->code = gb_si_code(info);
	e->result = result;
	e->group = group;
	e->syscall = GB_SYS_NONE;
	GB_READ_COMM(&e->target_comm, target);
	gb_submit(e);
	return 0;
}

#define GB_GENERATE_BODY gb_on_signal_generate(sig, info, task, group, result, gb_method)
GB_TP_VARIANTS(signal_generate, GB_GENERATE_BODY, int sig, struct kernel_siginfo *info,
	       struct task_struct *task, int group, int result)

static __always_inline int gb_on_signal_deliver(int sig, int code, unsigned long handler,
						__u32 method)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct gb_pidv pv = {};
	const struct gb_ns_filter *f;
	struct gb_ev_signal *e;

	if (method == GB_METHOD_TP_BTF && gb_shallow_btf(bpf_get_current_task_btf()))
		return 0;
	f = gb_traced_v(task, &pv);
	if (!f || !gb_kind_enabled(GB_EV_SIGNAL_DELIVER))
		return 0;
	e = gb_reserve(sizeof(*e), GB_EV_SIGNAL_DELIVER);
	if (!e)
		return 0;
	gb_hdr_fill_v(&e->hdr, GB_EV_SIGNAL_DELIVER, method, sizeof(*e), task, f, GB_TASK_CURRENT,
		      &pv);
	e->target = e->hdr.task; /* the receiver is the task running the handler */
	e->target_netns = e->hdr.netns;
	e->sig = sig;
	e->code = code;
	e->result = handler == GB_SIG_DFL   ? GB_SIG_ACT_DEFAULT
		    : handler == GB_SIG_IGN ? GB_SIG_ACT_IGNORE
					    : GB_SIG_ACT_HANDLER;
	e->group = 0;
	e->syscall = GB_SYS_NONE;
	__builtin_memcpy(e->target_comm, e->hdr.comm, sizeof(e->target_comm));
	gb_submit(e);
	return 0;
}

#define GB_DELIVER_BODY \
	gb_on_signal_deliver(sig, gb_si_code(info), gb_sa_handler(ka), gb_method)
GB_TP_VARIANTS(signal_deliver, GB_DELIVER_BODY, int sig, struct kernel_siginfo *info,
	       struct k_sigaction *ka)

#if GB_EMIT_RAW
/* Plain tracepoints: the target is known by host PID only. */
SEC("tracepoint/signal/signal_generate")
int gb_tp_signal_generate(struct trace_event_raw_signal_generate *ctx)
{
	struct task_struct *sender = (struct task_struct *)bpf_get_current_task();
	struct gb_pidv pv = {};
	const struct gb_ns_filter *f = gb_traced_v(sender, &pv);
	struct gb_ev_signal *e;

	if (!f || !gb_kind_enabled(GB_EV_SIGNAL_GENERATE))
		return 0;
	e = gb_reserve(sizeof(*e), GB_EV_SIGNAL_GENERATE);
	if (!e)
		return 0;
	gb_hdr_fill_v(&e->hdr, GB_EV_SIGNAL_GENERATE, GB_METHOD_TRACEPOINT, sizeof(*e), sender, f,
		      GB_TASK_CURRENT, &pv);
	__builtin_memset(&e->target, 0, sizeof(e->target));
	e->target.pid = e->target.tid = BPF_CORE_READ(ctx, pid);
	e->target_netns = 0;
	e->sig = BPF_CORE_READ(ctx, sig);
	e->code = BPF_CORE_READ(ctx, code);
	e->result = BPF_CORE_READ(ctx, result);
	e->group = BPF_CORE_READ(ctx, group);
	e->syscall = GB_SYS_NONE;
	BPF_CORE_READ_STR_INTO(&e->target_comm, ctx, comm);
	gb_submit(e);
	return 0;
}

SEC("tracepoint/signal/signal_deliver")
int gb_tp_signal_deliver(struct trace_event_raw_signal_deliver *ctx)
{
	return gb_on_signal_deliver(BPF_CORE_READ(ctx, sig), BPF_CORE_READ(ctx, code),
				    BPF_CORE_READ(ctx, sa_handler), GB_METHOD_TRACEPOINT);
}
#endif
