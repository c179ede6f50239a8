/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The few rtnetlink requests glassbox makes about links and namespace ids, over libmnl
 * (never by running ip(8)). Every function takes an open NETLINK_ROUTE socket: the
 * namespace that socket was created in is the one the request acts in.
 * All return 0 or -errno (the kernel's, from its NLMSG_ERROR).
 */
#ifndef GB_NETDEV_NL_H
#define GB_NETDEV_NL_H

#include <stdint.h>
#include <libmnl/libmnl.h>
#include "netdev_corr.h"

/* Sockets come from gb_nl_open() (nl.h). */
/* The id the socket's namespace gives the namespace behind netns_fd, as seen from the
 * namespace with id target_nsid (or the socket's own when target_nsid < 0);
 * *nsid = -1 when none is assigned. */
int gb_ndnl_get_nsid(struct mnl_socket *s, int netns_fd, int32_t target_nsid, int32_t *nsid);
/* The same, assigning one (like `ip netns set NAME auto`) when there is none. */
int gb_ndnl_ensure_nsid(struct mnl_socket *s, int netns_fd, int32_t *nsid);

/* ifindex of a device by name in the socket's namespace; -ENODEV when absent. */
int gb_ndnl_link_index(struct mnl_socket *s, const char *name, int32_t *ifindex);
/* The name of device ifindex in the socket's namespace; -ENODEV when absent. */
int gb_ndnl_link_name(struct mnl_socket *s, int32_t ifindex, char name[GB_IFNAME_LEN]);
/* Move device ifindex to the namespace behind netns_fd, renamed to new_name if not NULL. */
int gb_ndnl_link_move(struct mnl_socket *s, int32_t ifindex, const char *new_name, int netns_fd);

/* Parse an RTM_NEWLINK/RTM_DELLINK message into n (netns and ts_ns are left alone).
 * Returns 0, or -EINVAL for anything else. */
int gb_ndnl_parse_link(const struct nlmsghdr *nlh, struct gb_nd_note *n);

/* Dump every link of the socket's namespace: cb(note, data) for each. */
int gb_ndnl_link_dump(struct mnl_socket *s, void (*cb)(const struct gb_nd_note *n, void *data),
		    void *data);

#endif
