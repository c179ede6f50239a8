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
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, struct gb_netdev_start);
} gb_netdev_inflight SEC(".maps");

/*
 * Devices a reported move took somewhere: their later moves are reported too, whoever
 * makes them and wherever they go (back out of a namespace the sandbox created, or
 * handed back by the kernel when such a namespace dies). Keyed by struct net_device *;
 * LRU because nothing tells the BPF side when a device is freed.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, struct gb_ns_filter);
} gb_netdev_seen SEC(".maps");

/* Netlink path only: complete records waiting for confirmation in src/netdev_mon.c. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} gb_netdev_reqs SEC(".maps");

/* Scratch for the request being parsed: too big for the stack. */
struct gb_nl_scratch {
	__u8 buf[GB_NL_BUF + 64]; /* slack so a read at a masked offset stays inside */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gb_nl_scratch);
} gb_netdev_scratch SEC(".maps");

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

/* One fentry/fexit and one kprobe/kretprobe pair per candidate name. */
#define GB_NETDEV_FN5(fn)                                                                   \
	SEC("?fentry/" #fn)                                                                \
	int BPF_PROG(gb_fentry_##fn, struct net_device *dev, struct net *net)              \
	{                                                                                  \
		return gb_netdev_fn_enter(dev, net);                                       \
	}                                                                                  \
	SEC("?fexit/" #fn)                                                                 \
	int BPF_PROG(gb_fexit_##fn, struct net_device *dev, struct net *net, const char *pat, \
		     int new_ifindex, struct netlink_ext_ack *extack, int ret)             \
	{                                                                                  \
		return gb_netdev_fn_exit(ret, GB_METHOD_FENTRY);                           \
	}
#define GB_NETDEV_FN3(fn)                                                                   \
	SEC("?fentry/" #fn)                                                                \
	int BPF_PROG(gb_fentry_##fn, struct net_device *dev, struct net *net)              \
	{                                                                                  \
		return gb_netdev_fn_enter(dev, net);                                       \
	}                                                                                  \
	SEC("?fexit/" #fn)                                                                 \
	int BPF_PROG(gb_fexit_##fn, struct net_device *dev, struct net *net, const char *pat, \
		     int ret)                                                              \
	{                                                                                  \
		return gb_netdev_fn_exit(ret, GB_METHOD_FENTRY);                           \
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

GB_NETDEV_FN5(netif_change_net_namespace)
GB_NETDEV_FN5(__dev_change_net_namespace)
GB_NETDEV_FN3(dev_change_net_namespace)
GB_NETDEV_KPROBE(netif_change_net_namespace)
GB_NETDEV_KPROBE(__dev_change_net_namespace)
GB_NETDEV_KPROBE(dev_change_net_namespace)

/* ---- method 3: rtnetlink requests at the syscall boundary ------------------------ */

/* The struct sock behind fd when it is a NETLINK_ROUTE socket, else NULL. */
static __always_inline struct sock *gb_rtnl_sock(struct task_struct *task, int fd)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds, *file = NULL;
	struct socket *sock;
	struct sock *sk;
	__u32 mode;

	if (!fdt || fd < 0 || (__u32)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_core_read(&file, sizeof(file), &fds[fd]) || !file)
		return NULL;
	mode = BPF_CORE_READ(file, f_inode, i_mode);
	if ((mode & GB_S_IFMT) != GB_S_IFSOCK)
		return NULL;
	sock = BPF_CORE_READ(file, private_data); /* sock_alloc_file() puts it there */
	sk = BPF_CORE_READ(sock, sk);
	if (!sk || BPF_CORE_READ(sk, __sk_common.skc_family) != GB_AF_NETLINK)
		return NULL;
	if (BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol) != GB_NETLINK_ROUTE)
		return NULL;
	return sk;
}

/* The inode of the namespace file behind fd (nsfs inodes carry ns->inum), else 0. */
static __always_inline __u32 gb_fd_ino(struct task_struct *task, int fd)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds, *file = NULL;

	if (!fdt || fd < 0 || (__u32)fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_core_read(&file, sizeof(file), &fds[fd]) || !file)
		return 0;
	return BPF_CORE_READ(file, f_inode, i_ino);
}

/* __dev_get_by_index(): the chain of dev_index_head the kernel hashes ifindex to
 * (NETDEV_HASHENTRIES = 1 << 8 heads since v2.6.x). Bounded loops, not bpf_loop: a
 * callback needs the object's BTF loaded, and the kernel refuses the linked object's. */
static __always_inline struct net_device *gb_dev_by_index(struct net *net, __s32 ifindex)
{
	struct hlist_head *heads = BPF_CORE_READ(net, dev_index_head);
	struct hlist_node *pos = NULL;
	struct net_device *dev;

	if (!heads || bpf_core_read(&pos, sizeof(pos), &heads[ifindex & 255].first))
		return NULL;
	for (int i = 0; i < GB_NETDEV_CHAIN_MAX && pos; i++) {
		dev = (void *)pos - bpf_core_field_offset(struct net_device, index_hlist);
		if (BPF_CORE_READ(dev, ifindex) == ifindex)
			return dev;
		pos = BPF_CORE_READ(pos, next);
	}
	return NULL;
}

/* __dev_get_by_name(), as a walk of dev_base_head: names hash with a per-namespace salt
 * this side cannot compute cheaply, and requests by name alone are rare. name is
 * zero-padded and mask has 0xff for each byte of it up to and including its NUL: the
 * bytes of dev->name after its NUL may be left over from an older, longer name. */
static __always_inline struct net_device *gb_dev_by_name(struct net *net, const __u64 *name,
							 const __u64 *mask)
{
	struct list_head *head = (void *)net + bpf_core_field_offset(struct net, dev_base_head);
	struct list_head *pos = head;
	struct net_device *dev;
	__u64 n[2];

	for (int i = 0; i < GB_NETDEV_WALK_MAX; i++) {
		pos = BPF_CORE_READ(pos, next);
		if (!pos || pos == head)
			return NULL;
		dev = (void *)pos - bpf_core_field_offset(struct net_device, dev_list);
		if (bpf_probe_read_kernel(n, sizeof(n), &dev->name))
			continue;
		if (((n[0] ^ name[0]) & mask[0]) == 0 && ((n[1] ^ name[1]) & mask[1]) == 0)
			return dev;
	}
	return NULL;
}

/* What a request asks for; zero fields were absent. */
struct gb_nl_req {
	__u32 seq;
	__s32 ifindex;
	__u64 name[2]; /* IFLA_IFNAME: the device (ifindex 0) or its new name; bytes past */
	__u64 mask[2]; /* its NUL are junk: mask has 0xff for each byte up to the NUL */
	__u32 ns_pid;
	__s32 ns_fd;
	__u32 has_pid;
	__u32 has_fd;
};

/* mask[]: 0xff for the first len bytes of a 16-byte name, as two words in memory order */
static __always_inline void gb_name_mask(__u32 len, __u64 *mask)
{
	if (len > GB_IFNAME_LEN)
		len = GB_IFNAME_LEN;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	mask[0] = len >= 8 ? ~0ull : (1ull << (8 * len)) - 1;
	mask[1] = len >= 16 ? ~0ull : len <= 8 ? 0 : (1ull << (8 * (len - 8))) - 1;
#else
	mask[0] = len >= 8 ? ~0ull : len == 0 ? 0 : ~0ull << (8 * (8 - len));
	mask[1] = len >= 16 ? ~0ull : len <= 8 ? 0 : ~0ull << (8 * (16 - len));
#endif
}

/*
 * Read and parse the first netlink message of a sendmsg/sendto; 0 if it is a move
 * request. A global function: the verifier checks it once, on its own, instead of once
 * per path into it, which halved the time it took over the entry program.
 */
__noinline int gb_nl_parse(__u32 sys, __u64 a1, __u64 a2, struct gb_nl_req *r)
{
	struct gb_nl_scratch *sc;
	struct user_msghdr mh;
	struct iovec iov;
	const void *ubuf;
	__u64 len;
	__u32 zero = 0, nlen, off, name_off = 0, name_len = 0;
	__u16 type;

	if (!r)
		return -1;
	if (sys == GB_SYS_SENDTO) {
		ubuf = (const void *)a1;
		len = a2;
	} else {
		if (bpf_probe_read_user(&mh, sizeof(mh), (void *)a1))
			return -1;
		if (!mh.msg_iovlen || bpf_probe_read_user(&iov, sizeof(iov), mh.msg_iov))
			return -1;
		ubuf = iov.iov_base;
		len = iov.iov_len;
	}
	if (len < 32) /* nlmsghdr + ifinfomsg */
		return -1;
	sc = bpf_map_lookup_elem(&gb_netdev_scratch, &zero);
	if (!sc)
		return -1;
	if (len > GB_NL_BUF)
		len = GB_NL_BUF;
	__builtin_memset(sc->buf + GB_NL_BUF, 0, 64);
	barrier_var(len);
	if (len > GB_NL_BUF || bpf_probe_read_user(sc->buf, len, ubuf))
		return -1;
	nlen = *(__u32 *)sc->buf;
	type = *(__u16 *)(sc->buf + 4);
	if (type != GB_RTM_NEWLINK && type != GB_RTM_SETLINK)
		return -1;
	r->seq = *(__u32 *)(sc->buf + 8);
	r->ifindex = *(__s32 *)(sc->buf + 16 + 4); /* ifinfomsg.ifi_index */
	if (nlen < len)
		len = nlen;
	off = 32;
	for (int i = 0; i < GB_NL_ATTRS_MAX; i++) {
		__u16 nla_len, nla_type;
		__u8 *p;

		if (off + 4 > len || off >= GB_NL_BUF)
			break;
		p = &sc->buf[off & (GB_NL_BUF - 1)];
		nla_len = *(__u16 *)p;
		nla_type = *(__u16 *)(p + 2) & GB_NLA_TYPE_MASK;
		if (nla_len < 4 || off + nla_len > len)
			break;
		if (nla_type == GB_IFLA_NET_NS_PID && nla_len >= 8) {
			r->ns_pid = *(__u32 *)(p + 4);
			r->has_pid = 1;
		} else if (nla_type == GB_IFLA_NET_NS_FD && nla_len >= 8) {
			r->ns_fd = *(__s32 *)(p + 4);
			r->has_fd = 1;
		} else if (nla_type == GB_IFLA_IFNAME) {
			name_off = off + 4;
			name_len = nla_len - 4; /* with the NUL */
		}
		off += (nla_len + 3) & ~3u;
	}
	if (name_len) {
		/* the buffer's slack keeps all 16 bytes inside; what is past the NUL is
		 * masked out rather than cleared (a byte loop costs the verifier dearly) */
		bpf_probe_read_kernel(r->name, GB_IFNAME_LEN, &sc->buf[name_off & (GB_NL_BUF - 1)]);
		gb_name_mask(name_len, r->mask);
	}
	return r->has_pid || r->has_fd ? 0 : -1;
}

/* The device a request names in namespace net. With an ifindex the device is that one
 * and IFLA_IFNAME is its new name. Global, like gb_nl_parse(): each walk is checked once,
 * not once for every state the parse can end in. */
__noinline __u64 gb_dev_find(__u64 net, const struct gb_nl_req *r)
{
	if (!r)
		return 0;
	if (r->ifindex)
		return (__u64)gb_dev_by_index((struct net *)net, r->ifindex);
	return (__u64)gb_dev_by_name((struct net *)net, r->name, r->mask);
}

/* sys_enter of sendto(fd, buf, len, ...) or sendmsg(fd, msg, flags): a0..a2. Global
 * functions, this and the exit half: bpf/ns.bpf.c's programs call them across the link. */
__noinline int gb_netdev_nl_enter(__u32 sys, __u64 a0, __u64 a1, __u64 a2)
{
	struct task_struct *task;
	struct gb_netdev_start s = {};
	struct gb_nl_req r = {};
	struct net_device *dev;
	struct net *net;
	struct sock *sk;
	__u64 id;

	if (!gb_kind_enabled(GB_EV_NETDEV_MOVE))
		return 0;
	task = (struct task_struct *)bpf_get_current_task();
	sk = gb_rtnl_sock(task, (int)a0);
	if (!sk || gb_nl_parse(sys, a1, a2, &r))
		return 0;
	net = BPF_CORE_READ(sk, __sk_common.skc_net.net);
	dev = (struct net_device *)gb_dev_find((__u64)net, &r);
	if (!dev)
		return 0; /* no such device here: the request creates one, not a move */
	gb_start_read(dev, &s);
	s.sk = (__u64)sk;
	s.seq = r.seq;
	s.target_netns = r.has_fd ? gb_fd_ino(task, r.ns_fd) : 0;
	id = bpf_get_current_pid_tgid();
	bpf_map_update_elem(&gb_netdev_inflight, &id, &s, BPF_ANY);
	return 0;
}

/* The error of the NLMSG_ERROR for request `seq` queued on the sender's socket. */
static __always_inline int gb_nl_ack(struct sock *sk, __u32 seq, int *err)
{
	struct sk_buff *head = (void *)sk + bpf_core_field_offset(struct sock, sk_receive_queue);
	struct sk_buff *skb = BPF_CORE_READ(sk, sk_receive_queue.prev);
	struct {
		__u32 len;
		__u16 type, flags;
		__u32 seq, pid;
		__s32 error;
	} m;

	for (int i = 0; i < GB_ACK_SCAN_MAX; i++) {
		if (!skb || skb == head)
			return -1;
		if (!bpf_probe_read_kernel(&m, sizeof(m), BPF_CORE_READ(skb, data)) &&
		    m.type == GB_NLMSG_ERROR && m.seq == seq) {
			*err = m.error;
			return 0;
		}
		skb = BPF_CORE_READ(skb, prev);
	}
	return -1;
}

/* sys_exit of a sendmsg/sendto: the request its entry kept, if any */
__noinline int gb_netdev_nl_exit(long sysret)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();
	const struct gb_ns_filter *f;
	struct gb_netdev_start *s;
	struct gb_ev_netdev_move *e;
	struct net_device *dev;
	__u32 now_netns;
	int ret = 0;

	s = bpf_map_lookup_elem(&gb_netdev_inflight, &id);
	if (!s)
		return 0;
	dev = (struct net_device *)s->dev;
	now_netns = gb_dev_netns(dev);
	if (sysret < 0)
		ret = sysret; /* the request never reached rtnetlink */
	else if (now_netns == s->old_netns && gb_nl_ack((struct sock *)s->sk, s->seq, &ret))
		goto out; /* not moved, and no answer to tell why: nothing known to report */
	f = gb_netdev_filter(task, s->dev, s->old_netns, ret ? s->target_netns : now_netns);
	if (!f)
		goto out;
	if (ret == 0)
		gb_netdev_remember(s->dev, f);
	e = bpf_ringbuf_reserve(&gb_netdev_reqs, sizeof(*e), 0);
	if (!e) {
		gb_count_lost(GB_EV_NETDEV_MOVE);
		goto out;
	}
	gb_netdev_fill(e, GB_METHOD_NETLINK, task, f, s, dev, ret);
	if (ret) { /* refused: the device stayed; report where it is, not where it was sent */
		__builtin_memcpy(e->new_name, s->old_name, GB_IFNAME_LEN);
		e->new_ifindex = s->old_ifindex;
		e->new_netns = s->old_netns;
	}
	bpf_ringbuf_submit(e, 0);
out:
	bpf_map_delete_elem(&gb_netdev_inflight, &id);
	return 0;
}
