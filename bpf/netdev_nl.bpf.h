/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netdev_move's method 3 (bpf/netdev.bpf.c): rtnetlink requests read at the syscall
 * boundary. Included by bpf/ns.bpf.c, whose sys_enter/sys_exit programs call
 * gb_netdev_nl_enter()/gb_netdev_nl_exit() for sendto and sendmsg: one program on each
 * hook, as every program there runs for every syscall on the machine.
 */
#ifndef GB_NETDEV_NL_BPF_H
#define GB_NETDEV_NL_BPF_H

#include "netdev.bpf.h"

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

/*
 * n steps of cb(i, ctx) until one returns 1. With bpf_loop (v5.17) the verifier checks
 * cb a few times, until its state repeats, instead of once per step. Kernels without it
 * load the compat build (GB_NO_BPF_LOOP, bpf/ns_compat.bpf.c): the same steps inlined in
 * a bounded loop, as before v5.13 the verifier refuses a callback's address even in a
 * branch never taken. cb keeps its state in ctx or in map values, never in counters the
 * verifier would see change. Callbacks sit in .text, which libbpf relocates on every
 * start even when nothing calls them: they read no kernel struct by CO-RE, their callers
 * resolve the offsets.
 */
#ifdef GB_NO_BPF_LOOP
#define GB_LOOP_STEP static __always_inline long
#define GB_LOOP(n, cb, ctx)							\
	do {									\
		for (int __i = 0; __i < (n); __i++)				\
			if ((cb)(__i, (ctx)))					\
				break;						\
	} while (0)
#else
#define GB_LOOP_STEP static long
#define GB_LOOP(n, cb, ctx) bpf_loop((n), (cb), (ctx), 0)
#endif

/* The walk of an ifindex hash chain: node_off is index_hlist's offset in struct
 * net_device, key_off ifindex's, next_off hlist_node.next's. */
struct gb_dev_index_walk {
	__u64 pos; /* the chain node to look at, 0 at the end */
	__u64 dev; /* the device found, or 0 */
	__u64 node_off, key_off, next_off;
	__s32 ifindex;
};

GB_LOOP_STEP gb_dev_index_step(__u64 i, void *ctx)
{
	struct gb_dev_index_walk *w = ctx;
	__u64 dev = w->pos - w->node_off, next = 0;
	__s32 ifindex = 0;

	if (!w->pos)
		return 1;
	bpf_probe_read_kernel(&ifindex, sizeof(ifindex), (void *)(dev + w->key_off));
	if (ifindex == w->ifindex) {
		w->dev = dev;
		return 1;
	}
	bpf_probe_read_kernel(&next, sizeof(next), (void *)(w->pos + w->next_off));
	w->pos = next;
	return 0;
}

/* __dev_get_by_index(): the chain of dev_index_head the kernel hashes ifindex to
 * (NETDEV_HASHENTRIES = 1 << 8 heads since v2.6.x). */
static __always_inline struct net_device *gb_dev_by_index(struct net *net, __s32 ifindex)
{
	struct hlist_head *heads = BPF_CORE_READ(net, dev_index_head);
	struct gb_dev_index_walk w = {
		.node_off = bpf_core_field_offset(struct net_device, index_hlist),
		.key_off = bpf_core_field_offset(struct net_device, ifindex),
		.next_off = bpf_core_field_offset(struct hlist_node, next),
		.ifindex = ifindex,
	};

	if (!heads || bpf_core_read(&w.pos, sizeof(w.pos), &heads[ifindex & 255].first))
		return NULL;
	GB_LOOP(GB_NETDEV_CHAIN_MAX, gb_dev_index_step, &w);
	return (struct net_device *)w.dev;
}

/* The walk of dev_base_head: node_off is dev_list's offset in struct net_device,
 * key_off name's, next_off list_head.next's. */
struct gb_dev_name_walk {
	__u64 pos;  /* the list node looked at last */
	__u64 head; /* the list's head: back there, the walk is over */
	__u64 dev;  /* the device found, or 0 */
	__u64 node_off, key_off, next_off;
	__u64 name[2], mask[2];
};

GB_LOOP_STEP gb_dev_name_step(__u64 i, void *ctx)
{
	struct gb_dev_name_walk *w = ctx;
	__u64 next = 0, n[2];

	bpf_probe_read_kernel(&next, sizeof(next), (void *)(w->pos + w->next_off));
	if (!next || next == w->head)
		return 1;
	w->pos = next;
	if (bpf_probe_read_kernel(n, sizeof(n), (void *)(next - w->node_off + w->key_off)))
		return 0;
	if (((n[0] ^ w->name[0]) & w->mask[0]) == 0 && ((n[1] ^ w->name[1]) & w->mask[1]) == 0) {
		w->dev = next - w->node_off;
		return 1;
	}
	return 0;
}

/* __dev_get_by_name(), as a walk of dev_base_head: names hash with a per-namespace salt
 * this side cannot compute cheaply, and requests by name alone are rare. name is
 * zero-padded and mask has 0xff for each byte of it up to and including its NUL: the
 * bytes of dev->name after its NUL may be left over from an older, longer name. */
static __always_inline struct net_device *gb_dev_by_name(struct net *net, const __u64 *name,
							 const __u64 *mask)
{
	__u64 head = (__u64)net + bpf_core_field_offset(struct net, dev_base_head);
	struct gb_dev_name_walk w = {
		.pos = head,
		.head = head,
		.node_off = bpf_core_field_offset(struct net_device, dev_list),
		.key_off = bpf_core_field_offset(struct net_device, name),
		.next_off = bpf_core_field_offset(struct list_head, next),
		.name = { name[0], name[1] },
		.mask = { mask[0], mask[1] },
	};

	GB_LOOP(GB_NETDEV_WALK_MAX, gb_dev_name_step, &w);
	return (struct net_device *)w.dev;
}

/* What a request asks for; zero fields were absent. */
struct gb_nl_req {
	struct gb_nl_target t; /* first, so that &r->t costs the default build nothing */
	__u32 seq;
	__s32 ifindex;
	__u64 name[2]; /* IFLA_IFNAME: the device (ifindex 0) or its new name; bytes past */
	__u64 mask[2]; /* its NUL are junk: mask has 0xff for each byte up to the NUL */
};

/* The uapi layouts of a sendmsg's message header and iovec (64-bit), as read from user
 * memory: fixed by the ABI, so local copies without CO-RE (vmlinux.h's would have the
 * loader search the kernel's BTF for them on every start). */
struct gb_user_msghdr {
	void *msg_name;
	int msg_namelen;
	void *msg_iov;
	unsigned long msg_iovlen;
	void *msg_control;
	unsigned long msg_controllen;
	unsigned int msg_flags;
};

struct gb_iovec {
	void *iov_base;
	unsigned long iov_len;
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

struct gb_nl_walk {
	struct gb_nl_scratch *sc; /* the request, and where the walk is in it */
	struct gb_nl_target *t;   /* what it found */
};

/* One attribute of the request, at sc->off; 1 past the last. */
GB_LOOP_STEP gb_nl_attr_step(__u64 i, void *ctx)
{
	struct gb_nl_walk *w = ctx;
	struct gb_nl_scratch *sc = w->sc;
	struct gb_nl_target *t = w->t;
	/* loaded each step even when inlined in a bounded loop (compat build): from a value
	 * clang kept in a register, the verifier would see a new range on every pass */
	__u32 off = *(volatile __u32 *)&sc->off, len = *(volatile __u32 *)&sc->len;
	__u16 nla_len, nla_type;
	__u8 *p;

	if (off + 4 > len || off >= GB_NL_BUF)
		return 1;
	barrier_var(off); /* else clang drops the mask the verifier needs */
	p = &sc->buf[off & (GB_NL_BUF - 1)];
	nla_len = *(__u16 *)p;
	nla_type = *(__u16 *)(p + 2) & GB_NLA_TYPE_MASK;
	if (nla_len < 4 || off + nla_len > len)
		return 1;
	if (nla_type == GB_IFLA_NET_NS_PID && nla_len >= 8) {
		t->ns_pid = *(__u32 *)(p + 4);
		t->has_pid = 1;
	} else if (nla_type == GB_IFLA_NET_NS_FD && nla_len >= 8) {
		t->ns_fd = *(__s32 *)(p + 4);
		t->has_fd = 1;
	} else if (nla_type == GB_IFLA_IFNAME) {
		sc->name_off = off + 4;
		sc->name_len = nla_len - 4; /* with the NUL */
	}
	sc->off = off + ((nla_len + 3) & ~3u);
	return 0;
}

/*
 * Read and parse the first netlink message of a sendmsg/sendto; 0 if it is a move
 * request. A global function: the verifier checks it once, on its own, instead of once
 * per path into it, which halved the time it took over the entry program. Defined once,
 * by the default build of bpf/ns.bpf.c (the only includer): the compat build inlines
 * it, as a global function's pointer argument needs v5.12.
 */
#ifdef GB_NO_BPF_LOOP
static __always_inline
#else
__noinline
#endif
int gb_nl_parse(__u32 sys, __u64 a1, __u64 a2, struct gb_nl_req *r)
{
	struct gb_nl_scratch *sc;
	struct gb_user_msghdr mh;
	struct gb_iovec iov;
	struct gb_nl_walk w;
	const void *ubuf;
	__u64 len;
	__u32 zero = 0, nlen;
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
	sc->len = nlen < len ? nlen : len;
	sc->off = 32;
	sc->name_off = sc->name_len = 0;
	w.sc = sc;
#ifdef GB_NO_BPF_LOOP
	/* into the map value, which the verifier does not track: the bounded loop's exits
	 * then go on as one state, not one per combination of attributes found */
	__builtin_memset(&sc->target, 0, sizeof(sc->target));
	w.t = &sc->target;
	GB_LOOP(GB_NL_ATTRS_MAX, gb_nl_attr_step, &w);
	r->t = sc->target;
#else
	w.t = &r->t;
	GB_LOOP(GB_NL_ATTRS_MAX, gb_nl_attr_step, &w);
#endif
	if (sc->name_len) {
		/* the buffer's slack keeps all 16 bytes inside; what is past the NUL is
		 * masked out rather than cleared (a byte loop costs the verifier dearly) */
		bpf_probe_read_kernel(r->name, GB_IFNAME_LEN,
				      &sc->buf[sc->name_off & (GB_NL_BUF - 1)]);
		gb_name_mask(sc->name_len, r->mask);
	}
	return r->t.has_pid || r->t.has_fd ? 0 : -1;
}

/* sys_enter of sendto(fd, buf, len, ...) or sendmsg(fd, msg, flags): a0..a2 */
static __always_inline int gb_netdev_nl_enter(__u32 sys, __u64 a0, __u64 a1, __u64 a2)
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
	/* With an ifindex the device is that one and IFLA_IFNAME is its new name. */
	net = BPF_CORE_READ(sk, __sk_common.skc_net.net);
	dev = r.ifindex ? gb_dev_by_index(net, r.ifindex) : gb_dev_by_name(net, r.name, r.mask);
	if (!dev)
		return 0; /* no such device here: the request creates one, not a move */
	gb_start_read(dev, &s);
	s.sk = (__u64)sk;
	s.seq = r.seq;
	s.target_netns = r.t.has_fd ? gb_fd_ino(task, r.t.ns_fd) : 0;
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
static __always_inline int gb_netdev_nl_exit(long sysret)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();
	const struct gb_ns_filter *f;
	struct gb_netdev_start *s;
	struct gb_ev_netdev_move *e;
	struct gb_ns_filter fv;
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
	s->ret = ret;
	f = gb_netdev_filter(task, s->dev, s->old_netns, ret ? s->target_netns : now_netns);
	if (!f)
		goto out;
	/* One state on to the record for the verifier, not one per map the filter entry came
	 * from and per way ret was found: a stack copy of the entry, and ret read back from
	 * the map value, which the verifier does not track. */
	fv = *f;
	if (ret == 0)
		gb_netdev_remember(s->dev, &fv);
	ret = *(volatile __s32 *)&s->ret;
	e = bpf_ringbuf_reserve(&gb_netdev_reqs, sizeof(*e), 0);
	if (!e) {
		gb_count_lost(GB_EV_NETDEV_MOVE);
		goto out;
	}
	gb_netdev_fill(e, GB_METHOD_NETLINK, task, &fv, s, dev, ret);
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

#endif
