/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* rtnetlink over libmnl, for every module that talks to the kernel's link tables. */
#ifndef GB_NL_H
#define GB_NL_H

#include <libmnl/libmnl.h>

/* A NETLINK_ROUTE socket, CLOEXEC, bound with an automatic port id, in the network
 * namespace NS_FD (-1: the caller's). NULL, errno set. */
struct mnl_socket *gb_nl_open(int ns_fd);
/* Send one request (NLM_F_REQUEST added, and NLM_F_ACK unless it is a dump) and run CB
 * on every answer until the ACK or the end of the dump. 0 or -errno (the kernel's). */
int gb_nl_talk(struct mnl_socket *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

#endif
