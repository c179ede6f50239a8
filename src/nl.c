// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* rtnetlink plumbing shared by the network module and the netdev module (libmnl). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>
#include "nl.h"

struct mnl_socket *gb_nl_open(int ns_fd)
{
	struct mnl_socket *nl = NULL;
	int self = -1, err;

	if (ns_fd >= 0) {
		/* a socket belongs to the namespace of the thread that creates it */
		self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (self < 0)
			return NULL;
		if (setns(ns_fd, CLONE_NEWNET)) {
			err = errno;
			close(self);
			errno = err;
			return NULL;
		}
	}
	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	err = errno;
	if (nl && mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = errno;
		mnl_socket_close(nl);
		nl = NULL;
	}
	if (self >= 0) {
		if (setns(self, CLONE_NEWNET)) /* cannot happen: we came from there */
			abort();
		close(self);
	}
	errno = err;
	return nl;
}

int gb_nl_talk(struct mnl_socket *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int ret;

	static unsigned int seq;

	nlh->nlmsg_seq = __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED);
	/* a dump ends with NLMSG_DONE; an ACK asked on top could trail behind it */
	nlh->nlmsg_flags |= NLM_F_REQUEST | ((nlh->nlmsg_flags & NLM_F_DUMP) ? 0 : NLM_F_ACK);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		ret = mnl_cb_run(buf, n, nlh->nlmsg_seq, portid, cb, data);
	} while (ret > 0);
	return ret < 0 ? -errno : 0;
}
