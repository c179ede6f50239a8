// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The netlink method's I/O (see netdev_mon.h): the BPF request ring buffer, one
 * rtnetlink listener with NETLINK_LISTEN_ALL_NSID, a timerfd for correlation
 * deadlines, all behind one epoll fd.
 *
 * Namespace ids: a notification from another namespace carries, in a
 * NETLINK_LISTEN_ALL_NSID control message, that namespace's id in the host's; the
 * table below maps it to the inode. The id in an RTM_DELLINK's IFLA_NEW_NETNSID is
 * relative to the namespace the device left: from the host it is looked up in the same
 * table; from a sandbox, RTM_GETNSID with NETNSA_TARGET_NSID asks whether it means the
 * host. Anything else stays 0 and the DELLINK/NEWLINK pair is matched by ifindex.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <bpf/libbpf.h>
#include "glassbox/events.h" /* the skeleton names struct gb_ns_filter */
#include "glassbox.skel.h"
#include "netdev_mon.h"
#include "netdev_nl.h"
#include "nl.h"
#include "util.h"

#define GB_ND_MAX_IDS 64
#define GB_ND_RCVBUF (4 << 20)
#define GB_ND_RETURN_WAIT_NS (3ull * 1000 * 1000 * 1000)

struct gb_netdev_mon {
	struct gb_nd_corr *corr;
	struct ring_buffer *rb;
	struct mnl_socket *listen; /* notifications, every namespace with an id */
	struct mnl_socket *query;  /* requests: namespace ids, the first link dump */
	int tfd, ep;
	int host_fd;               /* /proc/self/ns/net: the host never goes away */
	uint32_t host_netns;
	gb_nd_emit_fn emit;
	void *ctx;
	int emitted;
	struct {
		int32_t nsid; /* in the host's namespace */
		uint32_t ino;
	} ids[GB_ND_MAX_IDS];
	int n_ids;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void on_emit(void *ctx, const struct gb_ev_netdev_move *e)
{
	struct gb_netdev_mon *m = ctx;

	m->emitted++;
	m->emit(m->ctx, e);
}

static int on_request(void *ctx, void *data, size_t size)
{
	struct gb_netdev_mon *m = ctx;
	const struct gb_ev_netdev_move *e = data;

	if (size < sizeof(*e) || e->hdr.kind != GB_EV_NETDEV_MOVE)
		return 0;
	gb_dbg("netdev: request by %u: %s/%d/%u -> %s/%d/%u ret %d", e->hdr.task.pid, e->old_name,
	       e->old_ifindex, e->old_netns, e->new_name, e->new_ifindex, e->new_netns, e->ret);
	gb_nd_corr_request(m->corr, e);
	return 0;
}

static uint32_t ino_of_nsid(const struct gb_netdev_mon *m, int32_t nsid)
{
	for (int i = 0; i < m->n_ids; i++)
		if (m->ids[i].nsid == nsid)
			return m->ids[i].ino;
	return 0;
}

static int32_t nsid_of_ino(const struct gb_netdev_mon *m, uint32_t ino)
{
	for (int i = 0; i < m->n_ids; i++)
		if (m->ids[i].ino == ino)
			return m->ids[i].nsid;
	return -1;
}

/* IFLA_NEW_NETNSID of a DELLINK from namespace `from` (inode), as an inode if known. */
static uint32_t resolve_new_netns(struct gb_netdev_mon *m, uint32_t from, int32_t nsid)
{
	int32_t from_id, host_there;

	if (from == m->host_netns)
		return ino_of_nsid(m, nsid);
	from_id = nsid_of_ino(m, from);
	if (from_id < 0 || gb_ndnl_get_nsid(m->query, m->host_fd, from_id, &host_there))
		return 0;
	return host_there >= 0 && host_there == nsid ? m->host_netns : 0;
}

static void on_known(const struct gb_nd_note *n, void *data)
{
	struct gb_netdev_mon *m = data;

	gb_nd_corr_known(m->corr, m->host_netns, n->ifindex, n->name, n->addr, n->addr_len);
}

static int read_listener(struct gb_netdev_mon *m)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	int fd = mnl_socket_get_fd(m->listen);

	for (;;) {
		struct nlmsghdr *nlh;
		struct cmsghdr *cm;
		int32_t nsid = -1;
		uint32_t netns;
		ssize_t len;
		int rest;

		msg.msg_controllen = sizeof(cbuf);
		len = recvmsg(fd, &msg, MSG_DONTWAIT);
		if (len < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			if (errno == ENOBUFS) { /* notifications were lost; go on */
				gb_err("netdev_move: link notifications lost (listener overflow)");
				continue;
			}
			return -errno;
		}
		for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
			if (cm->cmsg_level == SOL_NETLINK &&
			    cm->cmsg_type == NETLINK_LISTEN_ALL_NSID)
				memcpy(&nsid, CMSG_DATA(cm), sizeof(nsid));
		netns = nsid < 0 ? m->host_netns : ino_of_nsid(m, nsid);
		if (!netns)
			continue; /* a namespace glassbox does not watch */
		rest = (int)len;
		for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, rest);
		     nlh = mnl_nlmsg_next(nlh, &rest)) {
			struct gb_nd_note n;

			if (gb_ndnl_parse_link(nlh, &n))
				continue;
			n.netns = netns;
			n.ts_ns = now_ns();
			if (n.has_new_netnsid)
				n.new_netns = resolve_new_netns(m, netns, n.new_netnsid);
			gb_dbg("netdev: %s in %u (nsid %d): %s/%d new nsid %d (%u) ifindex %d",
			       n.type == RTM_NEWLINK ? "NEWLINK" : "DELLINK", netns, nsid, n.name,
			       n.ifindex, n.has_new_netnsid ? n.new_netnsid : -1, n.new_netns,
			       n.new_ifindex);
			gb_nd_corr_note(m->corr, &n);
		}
	}
}

static void arm_timer(struct gb_netdev_mon *m, uint64_t deadline)
{
	struct itimerspec its = { 0 };

	if (deadline) {
		its.it_value.tv_sec = deadline / 1000000000ull;
		its.it_value.tv_nsec = deadline % 1000000000ull;
	}
	timerfd_settime(m->tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

int gb_netdev_mon_process(struct gb_netdev_mon *m)
{
	uint64_t expirations;
	int err, before = m->emitted;

	/* requests first: a notification read before its request waits for it anyway */
	err = ring_buffer__consume(m->rb);
	if (err < 0)
		return err;
	err = read_listener(m);
	if (err)
		return err;
	ring_buffer__consume(m->rb);
	while (read(m->tfd, &expirations, sizeof(expirations)) > 0)
		;
	arm_timer(m, gb_nd_corr_tick(m->corr, now_ns()));
	return m->emitted - before;
}

int gb_netdev_mon_finish(struct gb_netdev_mon *m)
{
	int before = m->emitted;
	uint64_t end = now_ns() + GB_NETDEV_CORR_WAIT_NS;
	struct epoll_event ev;

	for (;;) {
		uint64_t now = now_ns();

		/* nothing half-seen left: everything the kernel sent is in (it sends during
		 * the mover's syscall, long before glassbox gets here) */
		if (gb_netdev_mon_process(m) < 0 || !gb_nd_corr_tick(m->corr, now) || now >= end)
			break;
		epoll_wait(m->ep, &ev, 1, (int)((end - now) / 1000000) + 1);
	}
	/* a physical device left in a namespace that dies with the sandbox comes back by
	 * itself, after the namespace's cleanup has run: wait for it a while */
	end = now_ns() + GB_ND_RETURN_WAIT_NS;
	while (gb_nd_corr_awaiting_return(m->corr) && now_ns() < end) {
		epoll_wait(m->ep, &ev, 1, 50);
		if (gb_netdev_mon_process(m) < 0)
			break;
	}
	if (gb_nd_corr_awaiting_return(m->corr))
		gb_dbg("netdev: %d physical device(s) not back in the host yet",
		       gb_nd_corr_awaiting_return(m->corr));
	gb_nd_corr_flush(m->corr);
	return m->emitted - before;
}

int gb_netdev_mon_fd(struct gb_netdev_mon *m)
{
	return m->ep;
}

static int ns_inode(int fd, uint32_t *ino)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	*ino = (uint32_t)st.st_ino;
	return 0;
}

int gb_netdev_mon_watch_pid(struct gb_netdev_mon *m, pid_t pid, uint32_t root_level)
{
	char path[64];
	uint32_t ino = 0;
	int32_t nsid;
	int fd, err;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = ns_inode(fd, &ino);
	if (!err && ino == m->host_netns)
		err = -EINVAL; /* the host is always listened to, and never a traced namespace */
	else if (!err) {
		/* the fd is closed right after: only the id remains, no reference */
		err = gb_ndnl_ensure_nsid(m->query, fd, &nsid);
		if (!err && nsid_of_ino(m, ino) < 0) {
			if (m->n_ids == GB_ND_MAX_IDS)
				err = -ENOSPC;
			else {
				m->ids[m->n_ids].nsid = nsid;
				m->ids[m->n_ids++].ino = ino;
			}
		}
		if (!err)
			err = gb_nd_corr_watch(m->corr, ino, root_level, 1);
	}
	close(fd);
	return err;
}

struct gb_netdev_mon *gb_netdev_mon_new(struct glassbox_bpf *skel, uint32_t root_level,
					gb_nd_emit_fn emit, void *ctx)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct gb_netdev_mon *m = calloc(1, sizeof(*m));
	int one = 1, rcvbuf = GB_ND_RCVBUF, err;
	int32_t self_id;

	if (!m)
		return NULL;
	m->tfd = m->ep = m->host_fd = -1;
	m->emit = emit;
	m->ctx = ctx;
	m->host_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (m->host_fd < 0)
		goto fail;
	err = ns_inode(m->host_fd, &m->host_netns);
	if (err) {
		errno = -err;
		goto fail;
	}
	m->corr = gb_nd_corr_new(m->host_netns, on_emit, m);
	if (!m->corr || gb_nd_corr_watch(m->corr, m->host_netns, root_level, 0))
		goto fail;
	m->query = gb_nl_open(-1);
	m->listen = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!m->query || !m->listen)
		goto fail;
	/* a host with an id for itself tags its own notifications with it */
	if (!gb_ndnl_get_nsid(m->query, m->host_fd, -1, &self_id) && self_id >= 0) {
		m->ids[0].nsid = self_id;
		m->ids[0].ino = m->host_netns;
		m->n_ids = 1;
	}
	if (mnl_socket_bind(m->listen, RTMGRP_LINK, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	if (mnl_socket_setsockopt(m->listen, NETLINK_LISTEN_ALL_NSID, &one, sizeof(one)) < 0)
		goto fail;
	/* a burst of moves must not overflow the listener; FORCE needs CAP_NET_ADMIN */
	if (setsockopt(mnl_socket_get_fd(m->listen), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)))
		setsockopt(mnl_socket_get_fd(m->listen), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
			   sizeof(rcvbuf));
	/* what is in the host now, so that an arrival can be told from a state change */
	err = gb_ndnl_link_dump(m->query, on_known, m);
	if (err) {
		errno = -err;
		goto fail;
	}
	m->rb = ring_buffer__new(bpf_map__fd(skel->maps.gb_netdev_reqs), on_request, m, NULL);
	if (!m->rb)
		goto fail;
	m->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	m->ep = epoll_create1(EPOLL_CLOEXEC);
	if (m->tfd < 0 || m->ep < 0)
		goto fail;
	if (epoll_ctl(m->ep, EPOLL_CTL_ADD, ring_buffer__epoll_fd(m->rb), &ev) ||
	    epoll_ctl(m->ep, EPOLL_CTL_ADD, mnl_socket_get_fd(m->listen), &ev) ||
	    epoll_ctl(m->ep, EPOLL_CTL_ADD, m->tfd, &ev))
		goto fail;
	return m;
fail:
	err = errno;
	gb_netdev_mon_free(m);
	errno = err;
	return NULL;
}

void gb_netdev_mon_free(struct gb_netdev_mon *m)
{
	if (!m)
		return;
	ring_buffer__free(m->rb);
	if (m->listen)
		mnl_socket_close(m->listen);
	if (m->query)
		mnl_socket_close(m->query);
	if (m->tfd >= 0)
		close(m->tfd);
	if (m->ep >= 0)
		close(m->ep);
	if (m->host_fd >= 0)
		close(m->host_fd);
	gb_nd_corr_free(m->corr);
	free(m);
}
