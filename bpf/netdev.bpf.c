// SPDX-License-Identifier: GPL-2.0
/*
 * netdev_move: a network device changes network namespace.
 *
 * Three ways to see it; user space picks one at start (src/netdev_probe.c) and switches
 * the others off. Every program here is declared with SEC("?...") so it is not loaded
 * unless user space asks for it (gb_netdev_configure()).
 *
 * 1. fentry/fexit on the kernel function every move goes through. Its name changed over
 *    time, so there is one pair per candidate:
 *      dev_change_net_namespace(dev, net, pat)                    until v5.16 the only one
 *      __dev_change_net_namespace(dev, net, pat, new_ifindex, extack)   v5.17 (eeb85a14ee34)
 *      netif_change_net_namespace(dev, net, pat, new_ifindex, extack)   the netif_ rename
 *    On kernels with the 5-argument function the 3-argument one is a wrapper around it,
 *    so exactly one pair is loaded: the innermost function this kernel's BTF has. The
 *    entry program records the device's name, ifindex and namespace; the exit program
 *    reads them again from the same struct net_device (the struct survives the move) and
 *    emits one gb_ev_netdev_move with the return value into the shared ring buffer.
 * 2. kprobe/kretprobe on the same functions, for kernels without BPF trampolines; the
 *    return probe has no arguments, so the entry stash also keeps the device pointer.
 * 3. GB_METHOD_NETLINK, for kernels with neither (this machine: no CONFIG_KPROBES, and
 *    fentry loads fail with EPERM). The syscall boundary programs of bpf/ns.bpf.c (one
 *    sys_enter and one sys_exit program for all glassbox watches there: a second
 *    program on each hook doubled the cost of every syscall on the machine) call
 *    gb_netdev_nl_enter() and gb_netdev_nl_exit() for
 *    sendmsg/sendto on NETLINK_ROUTE sockets carrying RTM_NEWLINK/RTM_SETLINK with
 *    IFLA_NET_NS_PID or IFLA_NET_NS_FD. At entry the device is looked up in the socket's
 *    namespace (dev_base_head walk, by ifindex or by name) and its state recorded; at
 *    exit the rtnetlink request has been processed synchronously in this very syscall,
 *    so the same net_device now shows the new namespace, ifindex and name. A request
 *    that left the device where it was failed: its -errno is read from the NLMSG_ERROR
 *    the kernel queued on the sender's socket (matched by sequence number). The record
 *    goes to a private ring buffer (gb_netdev_reqs): src/netdev_mon.c waits for the
 *    kernel's RTM_DELLINK/RTM_NEWLINK notifications to confirm it and also turns moves
 *    that had no request (a dying namespace handing a device back) into events.
 *
 * A move is of interest when the mover is traced, or when the namespace the device
 * leaves or enters is in gb_traced_netns (user space puts the sandbox's network
 * namespace there: gb_netdev_trace_netns()), or when an earlier reported move took the
 * device where it is (gb_netdev_seen).
 */
#include "netdev.bpf.h"

struct gb_netdev_inflight_map gb_netdev_inflight SEC(".maps");
struct gb_netdev_seen_map gb_netdev_seen SEC(".maps");
struct gb_netdev_reqs_map gb_netdev_reqs SEC(".maps");
struct gb_netdev_scratch_map gb_netdev_scratch SEC(".maps");

/* ---- methods 1 and 2: the kernel function itself --------------------------------- */

static __always_inline int gb_netdev_fn_enter(struct net_device *dev, struct net *net)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct gb_netdev_start s = {};

	if (!gb_kind_enabled(GB_EV_NETDEV_MOVE) || !dev)
		return 0;
	gb_start_read(dev, &s);
	s.target_netns = gb_net_ino(net);
	bpf_map_update_elem(&gb_netdev_inflight, &id, &s, BPF_ANY);
	return 0;
}

static __always_inline int gb_netdev_fn_exit(int ret, __u32 method)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();
	const struct gb_ns_filter *f;
	struct gb_netdev_start *s;
	struct gb_ev_netdev_move *e;
	struct net_device *dev;

	s = bpf_map_lookup_elem(&gb_netdev_inflight, &id);
	if (!s)
		return 0;
	dev = (struct net_device *)s->dev;
	f = gb_netdev_filter(task, s->dev, s->old_netns, s->target_netns);
	if (!f)
		goto out;
	if (ret == 0)
		gb_netdev_remember(s->dev, f);
	e = gb_reserve(sizeof(*e), GB_EV_NETDEV_MOVE);
	if (!e)
		goto out;
	gb_netdev_fill(e, method, task, f, s, dev, ret);
	gb_submit(e);
out:
	bpf_map_delete_elem(&gb_netdev_inflight, &id);
	return 0;
}

/*
 * One fentry/fexit and one kprobe/kretprobe pair per candidate name. The move function's
 * arity changed across kernels (__dev_change_net_namespace: 4 arguments in v6.1, 5 with
 * extack later), and an fexit program finds the result after the arguments: the fexit
 * declares only the two it reads and asks bpf_get_func_ret (v5.17) for the result.
 */
#define GB_NETDEV_FN(fn)                                                                    \
	SEC("?fentry/" #fn)                                                                \
	int BPF_PROG(gb_fentry_##fn, struct net_device *dev, struct net *net)              \
	{                                                                                  \
		return gb_netdev_fn_enter(dev, net);                                       \
	}                                                                                  \
	SEC("?fexit/" #fn)                                                                 \
	int BPF_PROG(gb_fexit_##fn, struct net_device *dev, struct net *net)               \
	{                                                                                  \
		__u64 ret = 0;                                                             \
                                                                                           \
		bpf_get_func_ret(ctx, &ret);                                               \
		return gb_netdev_fn_exit((int)ret, GB_METHOD_FENTRY);                      \
	}
#define GB_NETDEV_KPROBE(fn)                                                                \
	SEC("?kprobe/" #fn)                                                                \
	int BPF_KPROBE(gb_kprobe_##fn, struct net_device *dev, struct net *net)            \
	{                                                                                  \
		return gb_netdev_fn_enter(dev, net);                                       \
	}                                                                                  \
	SEC("?kretprobe/" #fn)                                                             \
	int BPF_KRETPROBE(gb_kretprobe_##fn, int ret)                                      \
	{                                                                                  \
		return gb_netdev_fn_exit(ret, GB_METHOD_KPROBE);                           \
	}

GB_NETDEV_FN(netif_change_net_namespace)
GB_NETDEV_FN(__dev_change_net_namespace)
GB_NETDEV_FN(dev_change_net_namespace)
GB_NETDEV_KPROBE(netif_change_net_namespace)
GB_NETDEV_KPROBE(__dev_change_net_namespace)
GB_NETDEV_KPROBE(dev_change_net_namespace)
