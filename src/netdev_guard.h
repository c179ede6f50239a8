/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * glassbox run --netdev IFNAME: lend host network devices to the sandbox for its
 * lifetime and give them back on every exit path.
 *
 * Why a separate process: when a network namespace dies, the kernel hands physical
 * devices back to the initial namespace, but destroys virtual ones (veth, dummy, ifb,
 * vxlan, tun: everything with rtnl_link_ops and no netns_refund; checked on this
 * kernel for veth, ifb, vxlan and tun; bridges cannot move at all). If glassbox were
 * SIGKILLed, a lent veth would be gone with the sandbox. So a small guard process,
 * in its own session, does the lending: it holds a reference on the sandbox's network
 * namespace (an open /proc/PID/ns/net), so the namespace and the devices in it outlive
 * the sandbox's processes, and it waits on a pipe whose other end only glassbox holds.
 * When that pipe reaches EOF — glassbox called gb_netdev_guard_stop(), exited, or was
 * killed — the guard moves every device back into glassbox's namespace under its
 * original name, then exits and the namespace goes away.
 *
 * The moves are rtnetlink requests (libmnl), never ip(8). The guard's comm is
 * "glassbox-netdev", which is what netdev_move events show as the mover.
 */
#ifndef GB_NETDEV_GUARD_H
#define GB_NETDEV_GUARD_H

#include <stddef.h>
#include <sys/types.h>

#define GB_NETDEV_GUARD_COMM "glassbox-netdev"
#define GB_NETDEV_MAX 32

struct gb_netdev_guard {
	pid_t pid;  /* the guard process, 0 when none */
	int ctl_fd; /* glassbox's end of the pipe; closing it starts the restore */
};

/*
 * Move names[0..n) from glassbox's network namespace into the network namespace of
 * process sandbox_pid. Returns 0 when all moved (the guard now runs), or -errno with
 * msg filled and nothing left moved or running.
 */
int gb_netdev_guard_start(struct gb_netdev_guard *g, pid_t sandbox_pid, char *const *names,
			  size_t n, char *msg, size_t msg_size);

/* Give the devices back and wait for the guard. Returns 0 when every device is back,
 * -EIO after the guard printed what it could not restore. Idempotent. */
int gb_netdev_guard_stop(struct gb_netdev_guard *g);

#endif
