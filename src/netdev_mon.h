/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The user-space half of the netlink method for netdev_move (GB_METHOD_NETLINK), used
 * only when the probe chose it:
 *   - reads the BPF side's request records from the gb_netdev_reqs ring buffer;
 *   - listens to the kernel's link notifications with ONE rtnetlink socket in
 *     glassbox's own (host) namespace, with NETLINK_LISTEN_ALL_NSID: it hears every
 *     namespace that has an id in the host's, and holds no reference on any of them.
 *     A socket created inside the sandbox's namespace would keep that namespace alive
 *     and change what happens to its devices when the sandbox ends. Watching a namespace
 *     therefore gives it a namespace id in the host's (like `ip netns set NAME auto`);
 *   - correlates both (netdev_corr.c) and hands each finished event to emit().
 *
 * Main loop use: add gb_netdev_mon_fd() to the poll set, call gb_netdev_mon_process()
 * when it is readable (or on every loop pass), gb_netdev_mon_finish() after the last
 * consume. Every function returns 0 or -errno unless noted.
 */
#ifndef GB_NETDEV_MON_H
#define GB_NETDEV_MON_H

#include <stdint.h>
#include <sys/types.h>
#include "netdev_corr.h"

struct glassbox_bpf;
struct gb_netdev_mon;

/* After the skeleton was loaded with the netlink method configured. NULL + errno. */
struct gb_netdev_mon *gb_netdev_mon_new(struct glassbox_bpf *skel, uint32_t root_level,
					gb_nd_emit_fn emit, void *ctx);
void gb_netdev_mon_free(struct gb_netdev_mon *m);

/* Watch the network namespace of process pid (host PID): id it in the host's
 * namespace and report moves into and out of it. */
int gb_netdev_mon_watch_pid(struct gb_netdev_mon *m, pid_t pid, uint32_t root_level);

/* An epoll fd: readable when requests or notifications wait or a deadline passed. */
int gb_netdev_mon_fd(struct gb_netdev_mon *m);
/* Drain everything ready now; returns the number of events emitted, or -errno. */
int gb_netdev_mon_process(struct gb_netdev_mon *m);
/* The trace ends: drain, give notifications still in flight up to the correlation
 * window to arrive, then emit everything pending. Returns events emitted. */
int gb_netdev_mon_finish(struct gb_netdev_mon *m);

#endif
