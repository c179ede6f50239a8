/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netdev_move, what its methods share (bpf/netdev.bpf.c has the overview): the record
 * kept between the two halves of a move, the maps (defined in netdev.bpf.c), and the
 * readers of a struct net_device. The rtnetlink method's half is in netdev_nl.bpf.h,
 * included by the syscall boundary programs (bpf/ns.bpf.c).
 */
#ifndef GB_NETDEV_BPF_H
#define GB_NETDEV_BPF_H

#include "gb.bpf.h"

#define GB_AF_NETLINK 16
#define GB_NETLINK_ROUTE 0
#define GB_S_IFMT 00170000
#define GB_S_IFSOCK 0140000
#define GB_PF_KTHREAD 0x00200000

#define GB_NLMSG_ERROR 2
#define GB_RTM_NEWLINK 16
#define GB_RTM_SETLINK 19
#define GB_IFLA_IFNAME 3
#define GB_IFLA_NET_NS_PID 19
#define GB_IFLA_NET_NS_FD 28
#define GB_NLA_TYPE_MASK 0x3fff

/* How many devices the netlink path walks in a namespace to find the one a request
 * names by name alone, and how long an ifindex hash chain may be. */
#define GB_NETDEV_WALK_MAX 64
#define GB_NETDEV_CHAIN_MAX 16
/* Bytes of a netlink request parsed; ip(8) sends 40-56. */
#define GB_NL_BUF 512
#define GB_NL_ATTRS_MAX 24
/* NLMSG_ERROR records looked at, newest first, on the sender's receive queue. */
#define GB_ACK_SCAN_MAX 4

/* What the entry half saw, keyed by the thread (pid_tgid) until its exit half runs. */
struct gb_netdev_start {
	__u64 dev; /* struct net_device *, re-read at exit */
	__u64 sk;  /* netlink path: the sender's struct sock *, for the ack */
	__u32 old_netns;
	__s32 old_ifindex;
	char old_name[GB_IFNAME_LEN];
	__u32 target_netns; /* IFLA_NET_NS_FD's namespace, or the fentry's net argument */
	__u32 seq;          /* netlink path: nlmsg_seq of the request */
	__u64 ts;           /* when the move was asked for: the record's ts_ns */
	__s32 ret;          /* netlink path, at exit: the answer (see gb_netdev_nl_exit) */
	__u32 pad;
};

struct gb_netdev_inflight_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, struct gb_netdev_start);
};

/*
 * Devices a reported move took somewhere: their later moves are reported too, whoever
 * makes them and wherever they go (back out of a namespace the sandbox created, or
 * handed back by the kernel when such a namespace dies). Keyed by struct net_device *;
 * LRU because nothing tells the BPF side when a device is freed.
 */
struct gb_netdev_seen_map {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, struct gb_ns_filter);
};

/* Netlink path only: complete records waiting for confirmation in src/netdev_mon.c. */
struct gb_netdev_reqs_map {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
};

/* The namespace a request moves a device to; zero fields were absent. */
struct gb_nl_target {
	__u32 ns_pid;
	__s32 ns_fd;
	__u32 has_pid;
	__u32 has_fd;
};

/* Scratch for the request being parsed: too big for the stack. */
struct gb_nl_scratch {
	__u8 buf[GB_NL_BUF + 64]; /* slack so a read at a masked offset stays inside */
	/* the attribute walk's state, here because the verifier does not track map values:
	 * its bpf_loop callback then looks the same on every pass and is checked once */
	__u32 off, len; /* next attribute; end of the message */
	__u32 name_off, name_len; /* IFLA_IFNAME's payload, with its NUL */
	struct gb_nl_target target; /* the compat build's walk finds it here */
};

struct gb_netdev_scratch_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gb_nl_scratch);
};

extern struct gb_netdev_inflight_map gb_netdev_inflight SEC(".maps");
extern struct gb_netdev_seen_map gb_netdev_seen SEC(".maps");
extern struct gb_netdev_reqs_map gb_netdev_reqs SEC(".maps");
extern struct gb_netdev_scratch_map gb_netdev_scratch SEC(".maps");

/* ---- reading a device ----------------------------------------------------------- */

static __always_inline __u32 gb_net_ino(struct net *net)
{
	return net ? BPF_CORE_READ(net, ns.inum) : 0;
}

/* dev_net(dev): the namespace the device is in now. */
static __always_inline __u32 gb_dev_netns(struct net_device *dev)
{
	return gb_net_ino(BPF_CORE_READ(dev, nd_net.net));
}

static __always_inline void gb_dev_name(struct net_device *dev, char *name)
{
	__builtin_memset(name, 0, GB_IFNAME_LEN);
	bpf_probe_read_kernel_str(name, GB_IFNAME_LEN, &dev->name);
}

static __always_inline void gb_start_read(struct net_device *dev, struct gb_netdev_start *s)
{
	s->ts = bpf_ktime_get_ns();
	s->dev = (__u64)dev;
	s->old_netns = gb_dev_netns(dev);
	s->old_ifindex = BPF_CORE_READ(dev, ifindex);
	gb_dev_name(dev, s->old_name);
}

/*
 * The filter: the mover is traced, or the device leaves or enters a traced network
 * namespace, or a reported move took it where it is. The trace root of whichever
 * matched gives the PID views of the record.
 */
static __always_inline const struct gb_ns_filter *gb_netdev_filter(struct task_struct *task,
								   __u64 dev, __u32 old_netns,
								   __u32 new_netns)
{
	const struct gb_ns_filter *f = gb_traced(task);

	if (!f && old_netns)
		f = bpf_map_lookup_elem(&gb_traced_netns, &old_netns);
	if (!f && new_netns)
		f = bpf_map_lookup_elem(&gb_traced_netns, &new_netns);
	if (!f)
		f = bpf_map_lookup_elem(&gb_netdev_seen, &dev);
	return f;
}

static __always_inline void gb_netdev_remember(__u64 dev, const struct gb_ns_filter *f)
{
	struct gb_ns_filter v = *f;

	bpf_map_update_elem(&gb_netdev_seen, &dev, &v, BPF_ANY);
}

/* Fill a record from the entry stash and the device as it is now. */
static __always_inline void gb_netdev_fill(struct gb_ev_netdev_move *e, __u32 method,
					   struct task_struct *task, const struct gb_ns_filter *f,
					   const struct gb_netdev_start *s, struct net_device *dev,
					   int ret)
{
	gb_hdr_fill(&e->hdr, GB_EV_NETDEV_MOVE, method, sizeof(*e), task, f);
	/* the time it was asked: every notification of the move comes after it */
	e->hdr.ts_ns = s->ts;
	__builtin_memcpy(e->old_name, s->old_name, GB_IFNAME_LEN);
	e->old_ifindex = s->old_ifindex;
	e->old_netns = s->old_netns;
	gb_dev_name(dev, e->new_name);
	e->new_ifindex = BPF_CORE_READ(dev, ifindex);
	e->new_netns = gb_dev_netns(dev);
	e->ret = ret;
	e->info = (BPF_CORE_READ(task, flags) & GB_PF_KTHREAD) ? GB_NETDEV_KERNEL : 0;
}

#endif
