// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * nl_batch_move IFNAME PID: move IFNAME into the network namespace of PID with an
 * rtnetlink request that is the SECOND message of one sendto (the first is a no-op
 * RTM_SETLINK on lo). glassbox's netlink method parses only the first message of a
 * send, so this move is seen in the kernel's notifications alone: the test checks it
 * still becomes one netdev_move, flagged no_request. Exit 0 when both were acked.
 *
 * nl_batch_move --by-name IFNAME PID: one message, naming the device by IFLA_IFNAME
 * with ifi_index 0 (as some libmnl users do): the BPF side must find it by name.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

struct req {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	char attrs[48];
};

static int put_link(struct req *r, int ifindex, int seq, int pid, const char *name)
{
	struct rtattr *rta = (struct rtattr *)r->attrs;

	memset(r, 0, sizeof(*r));
	r->nh.nlmsg_type = RTM_SETLINK;
	r->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	r->nh.nlmsg_seq = seq;
	r->ifi.ifi_family = AF_UNSPEC;
	r->ifi.ifi_index = ifindex;
	r->nh.nlmsg_len = NLMSG_LENGTH(sizeof(r->ifi));
	if (pid > 0) {
		rta->rta_type = IFLA_NET_NS_PID;
		rta->rta_len = RTA_LENGTH(sizeof(int));
		memcpy(RTA_DATA(rta), &pid, sizeof(int));
		r->nh.nlmsg_len += RTA_ALIGN(rta->rta_len);
	}
	if (name) {
		rta = (struct rtattr *)((char *)r + r->nh.nlmsg_len);
		rta->rta_type = IFLA_IFNAME;
		rta->rta_len = RTA_LENGTH(strlen(name) + 1);
		strcpy(RTA_DATA(rta), name);
		r->nh.nlmsg_len += RTA_ALIGN(rta->rta_len);
	}
	return NLMSG_ALIGN(r->nh.nlmsg_len);
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct req r[2];
	char buf[8192], batch[sizeof(r)];
	int fd, ifindex, pid, len, acks = 0, want = 2, by_name = 0;

	if (argc == 4 && !strcmp(argv[1], "--by-name")) {
		by_name = 1;
		argv++, argc--;
	}
	if (argc != 3 || strlen(argv[1]) >= IFNAMSIZ) {
		fprintf(stderr, "usage: nl_batch_move [--by-name] IFNAME PID\n");
		return 2;
	}
	ifindex = if_nametoindex(argv[1]);
	pid = atoi(argv[2]);
	if (!ifindex || pid <= 0) {
		fprintf(stderr, "nl_batch_move: bad device or pid\n");
		return 2;
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("nl_batch_move: socket");
		return 1;
	}
	if (by_name) {
		len = put_link(&r[0], 0, 1, pid, argv[1]);
		memcpy(batch, &r[0], len);
		want = 1;
	} else {
		len = put_link(&r[0], if_nametoindex("lo"), 1, 0, NULL);
		memcpy(batch, &r[0], len);
		len += put_link(&r[1], ifindex, 2, pid, NULL);
		memcpy(batch + NLMSG_ALIGN(r[0].nh.nlmsg_len), &r[1],
		       NLMSG_ALIGN(r[1].nh.nlmsg_len));
	}
	if (sendto(fd, batch, len, 0, (struct sockaddr *)&sa, sizeof(sa)) != len) {
		perror("nl_batch_move: sendto");
		return 1;
	}
	while (acks < want) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nh;

		if (n < 0) {
			perror("nl_batch_move: recv");
			return 1;
		}
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			struct nlmsgerr *e = NLMSG_DATA(nh);

			if (nh->nlmsg_type != NLMSG_ERROR)
				continue;
			if (e->error) {
				fprintf(stderr, "nl_batch_move: message %u: %s\n", nh->nlmsg_seq,
					strerror(-e->error));
				return 1;
			}
			acks++;
		}
	}
	close(fd);
	return 0;
}
