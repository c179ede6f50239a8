/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The netlink method's correlation: one netdev_move per move out of two sources that
 * arrive in any order.
 *
 *  - requests: complete records from the BPF side (sys_enter/sys_exit of an rtnetlink
 *    request that moved a device, or that the kernel refused);
 *  - notifications: the kernel's RTM_DELLINK carrying IFLA_NEW_NETNSID/IFLA_NEW_IFINDEX
 *    in the namespace a device leaves, and RTM_NEWLINK in the one it enters, for the
 *    namespaces glassbox listens to (the host's and each sandbox's).
 *
 * A request is emitted once every watched end of it has confirmed it, or when its
 * deadline passes (then flagged GB_NETDEV_UNCONFIRMED). A move into or out of a traced
 * (sandbox) namespace seen in notifications with no request by its deadline is emitted
 * as GB_NETDEV_NO_REQUEST (asker unknown: sendmmsg, io_uring, a batched message).
 * A device that appears in the host with the hardware address of a device that had
 * left the host earlier, with no request, is a device the kernel handed back when the
 * namespace it was in died (GB_NETDEV_KERNEL).
 *
 * Pure: no I/O, time is passed in, finished events go to a callback. Unit-tested in
 * tests/unit/test_netdev_corr.c.
 */
#ifndef GB_NETDEV_CORR_H
#define GB_NETDEV_CORR_H

#include <stdint.h>
#include "glassbox/events.h"

/* how long a half-seen move waits for its other halves */
#define GB_NETDEV_CORR_WAIT_NS (250ull * 1000 * 1000)
#define GB_NETDEV_ADDR_MAX 32

/* One rtnetlink link notification, parsed. */
struct gb_nd_note {
	uint16_t type;      /* RTM_NEWLINK or RTM_DELLINK */
	uint32_t netns;     /* inode of the namespace it came from */
	int32_t ifindex;
	char name[GB_IFNAME_LEN];
	int has_new_netnsid; /* DELLINK of a device moving out */
	int32_t new_netnsid;
	uint32_t new_netns; /* the inode new_netnsid stands for, 0 if unknown */
	int32_t new_ifindex;
	uint8_t addr[GB_NETDEV_ADDR_MAX];
	uint32_t addr_len;
	int has_kind;       /* IFLA_INFO_KIND: a virtual device, destroyed with its
			     * namespace rather than handed back */
	uint64_t ts_ns;     /* CLOCK_MONOTONIC at receipt */
};

typedef void (*gb_nd_emit_fn)(void *ctx, const struct gb_ev_netdev_move *e);

struct gb_nd_corr;

/* host_netns: the namespace glassbox runs in, where dying namespaces hand devices
 * back (init_net). Returns NULL with errno set. */
struct gb_nd_corr *gb_nd_corr_new(uint32_t host_netns, gb_nd_emit_fn emit, void *ctx);
void gb_nd_corr_free(struct gb_nd_corr *c);

/* Notifications of this namespace are received; root_level: its trace root's. traced:
 * a sandbox's namespace, where any move in or out is an event; 0 for the host's, whose
 * notifications only confirm requests and show devices handed back. */
int gb_nd_corr_watch(struct gb_nd_corr *c, uint32_t netns, uint32_t root_level, int traced);
int gb_nd_corr_watched(const struct gb_nd_corr *c, uint32_t netns);

/* A device present in a watched namespace at start (from a link dump). */
int gb_nd_corr_known(struct gb_nd_corr *c, uint32_t netns, int32_t ifindex, const char *name,
		     const uint8_t *addr, uint32_t addr_len);

void gb_nd_corr_request(struct gb_nd_corr *c, const struct gb_ev_netdev_move *e);
void gb_nd_corr_note(struct gb_nd_corr *c, const struct gb_nd_note *n);

/* Physical devices that left the host and sit in another namespace: when that namespace
 * dies (the sandbox's, at the end), the kernel hands them back. The trace's end waits
 * for that while this is not 0. */
int gb_nd_corr_awaiting_return(const struct gb_nd_corr *c);

/* Emit what is due at now_ns; returns the earliest deadline still pending, 0 if none. */
uint64_t gb_nd_corr_tick(struct gb_nd_corr *c, uint64_t now_ns);
/* Emit everything pending now (end of the trace). */
void gb_nd_corr_flush(struct gb_nd_corr *c);

#endif
