// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The sandbox's network, in the order run.c calls it: prepare, clone enter/leave, host
 * set-up, tear-down. What each step adds and how it is removed: net.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include "net_priv.h"
#include "util.h"

void gb_net_state_init(struct gb_net_state *st)
{
	memset(st, 0, sizeof(*st));
	st->owner = getpid();
	st->join_fd = -1;
	st->reaper_fd = -1;
	st->host_ns_fd = -1;
	st->sandbox_ns_fd = -1;
}

int gb_net_clone_flags(const struct gb_net_opts *o)
{
	return o->mode == GB_NET_NEW ? CLONE_NEWNET : 0;
}

static const char *cidr_str(const struct gb_cidr *c, char *buf, size_t size)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &c->addr, a, sizeof(a));
	snprintf(buf, size, "%s/%u", a, c->prefix);
	return buf;
}

static int join_open(const char *arg, int *out)
{
	char path[4096 + 16];
	int fd, type, err;

	if (strchr(arg, '/'))
		snprintf(path, sizeof(path), "%s", arg);
	else
		snprintf(path, sizeof(path), GB_NETNS_DIR "/%s", arg);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		gb_err("--join-netns %s: open %s: %s", arg, path, strerror(errno));
		return err;
	}
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type != CLONE_NEWNET) {
		gb_err("--join-netns %s: %s is not a network namespace", arg, path);
		close(fd);
		return -EINVAL;
	}
	*out = fd;
	return 0;
}

static void member_str(char *buf, size_t size, const char *network, struct in_addr a)
{
	char as[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a, as, sizeof(as));
	snprintf(buf, size, "%s %s", network, as);
}

/* The address of bridge gb-NETWORK: 0, or -ENODEV/-ENOENT when it or its address is not
 * there yet. */
static int bridge_address(struct mnl_socket *nl, const char *network, struct gb_cidr *out)
{
	char br[16];
	int index;

	snprintf(br, sizeof(br), "gb-%s", network);
	index = gb_nl_link_index(nl, br);
	return index < 0 ? index : gb_nl_addr_get(nl, index, out);
}

/* On an existing network: the first address of its subnet that is neither the bridge's
 * nor a live member's. */
static int member_pick(const struct gb_net_opts *o, struct gb_net_state *st)
{
	uint32_t mask = htonl(~0u << (32 - st->host_addr.prefix));
	uint32_t net = st->host_addr.addr.s_addr & mask, hosts = ntohl(~mask) - 1;
	char member[64], c[32];

	st->sandbox_addr.prefix = st->host_addr.prefix;
	for (uint32_t h = 1; h <= hosts; h++) {
		st->sandbox_addr.addr.s_addr = net | htonl(h);
		if (st->sandbox_addr.addr.s_addr == st->host_addr.addr.s_addr)
			continue;
		member_str(member, sizeof(member), o->network, st->sandbox_addr.addr);
		if (!gb_state_in_use(st->owner, "member", member))
			return 0;
	}
	gb_err("--network %s: no free address left in %s", o->network,
	       cidr_str(&st->host_addr, c, sizeof(c)));
	return -EADDRNOTAVAIL;
}

/* 1 if C overlaps a host route (message printed when EXPLICIT), 0 if not, or -errno. */
static int overlaps(struct mnl_socket *nl, const struct gb_cidr *c, bool explicit)
{
	char want[32], have[32];
	struct gb_cidr found;
	int err = gb_nl_route_overlap(nl, c, &found);

	if (err < 0)
		gb_err("dump host routes: %s", strerror(-err));
	else if (err > 0 && explicit)
		gb_err("--veth %s: subnet overlaps the host route %s", cidr_str(c, want, sizeof(want)),
		       cidr_str(&found, have, sizeof(have)));
	return err;
}

/*
 * The addresses of this run, into st. Given with --veth: checked against host routes, or
 * on an existing --network against its bridge's address and its live members. Not given:
 * 10.1.1.2/24 and 10.1.1.1/24, or else the first 10.1.N.0/24 no host route overlaps, so
 * that several sandboxes run side by side with the defaults; on an existing network, its
 * bridge's address and the first free member address. Caller locks.
 */
static int choose_addresses(struct mnl_socket *nl, const struct gb_net_opts *o,
			    struct gb_net_state *st)
{
	char member[64], c[32], b[32];
	struct gb_cidr bridge;
	int err;

	st->host_addr = o->host_addr;
	st->sandbox_addr = o->sandbox_addr;
	if (o->network[0]) {
		err = bridge_address(nl, o->network, &bridge);
		if (err == 0 && !o->veth_given) {
			st->host_addr = bridge;
			return member_pick(o, st);
		}
		if (err == 0) {
			if (bridge.addr.s_addr != o->host_addr.addr.s_addr ||
			    bridge.prefix != o->host_addr.prefix) {
				gb_err("--network %s: bridge gb-%s has address %s, not %s", o->network,
				       o->network, cidr_str(&bridge, b, sizeof(b)),
				       cidr_str(&o->host_addr, c, sizeof(c)));
				return -EINVAL;
			}
			member_str(member, sizeof(member), o->network, o->sandbox_addr.addr);
			if (gb_state_in_use(st->owner, "member", member)) {
				gb_err("--network %s: another sandbox on it has address %s", o->network,
				       member + strlen(o->network) + 1);
				return -EEXIST;
			}
			return 0;
		}
		if (err != -ENODEV && err != -ENOENT) {
			gb_err("--network %s: read bridge gb-%s: %s", o->network, o->network,
			       strerror(-err));
			return err;
		}
	}
	if (o->veth_given) {
		err = overlaps(nl, &st->host_addr, true);
		return err > 0 ? -EEXIST : err;
	}
	for (uint32_t n = 1; n <= 255; n++) {
		st->host_addr.addr.s_addr = htonl(0x0a010002 | n << 8);
		st->sandbox_addr.addr.s_addr = htonl(0x0a010001 | n << 8);
		st->host_addr.prefix = st->sandbox_addr.prefix = 24;
		err = overlaps(nl, &st->host_addr, false);
		if (err <= 0)
			return err;
	}
	gb_err("--veth: every 10.1.N.0/24 overlaps a host route: choose a subnet with "
	       "--veth HOST_CIDR,SANDBOX_CIDR");
	return -EADDRNOTAVAIL;
}

/* Addresses chosen and checked before the clone, so bad input fails before anything is
 * created; host set-up chooses again under its own lock (the host may change between). */
static int check_host(const struct gb_net_opts *o, struct gb_net_state *st)
{
	struct mnl_socket *nl;
	int lock, err;

	lock = gb_state_lock();
	if (lock < 0) {
		gb_err("lock %s/lock: %s", GB_NET_STATE_DIR, strerror(-lock));
		return lock;
	}
	nl = gb_nl_open(-1);
	if (!nl) {
		err = -errno;
		gb_err("open rtnetlink socket: %s", strerror(errno));
		gb_state_unlock(lock);
		return err;
	}
	err = choose_addresses(nl, o, st);
	mnl_socket_close(nl);
	gb_state_unlock(lock);
	return err;
}

int gb_net_prepare(const struct gb_net_opts *o, struct gb_net_state *st)
{
	char path[128];
	int err;

	/* every start collects, whatever its own options */
	err = gb_net_collect_garbage();
	if (err < 0)
		return err;
	if (o->mode == GB_NET_SHARE)
		return 0;
	if (o->mode == GB_NET_JOIN) {
		err = join_open(o->join, &st->join_fd);
		if (err)
			return err;
	}
	if (o->netns_name[0]) {
		snprintf(path, sizeof(path), GB_NETNS_DIR "/%s", o->netns_name);
		if (access(path, F_OK) == 0) {
			gb_err("--netns-name %s: %s already exists", o->netns_name, path);
			return -EEXIST;
		}
	}
	if (o->veth) {
		err = check_host(o, st);
		if (err)
			return err;
	}
	if (o->n_publish)
		return gb_proxy_bind(o, &st->proxy);
	return 0;
}

/* Bind-mount the sandbox's namespace on /run/netns/NAME, as `ip netns add` does. */
static int netns_name_add(const struct gb_net_opts *o, pid_t child, struct gb_net_state *st)
{
	char path[128], src[64];
	int fd, err;

	snprintf(path, sizeof(path), GB_NETNS_DIR "/%s", o->netns_name);
	snprintf(src, sizeof(src), "/proc/%d/ns/net", child);
	if (mkdir(GB_NETNS_DIR, 0755) && errno != EEXIST) {
		err = -errno;
		gb_err("mkdir %s: %s", GB_NETNS_DIR, strerror(errno));
		return err;
	}
	err = gb_state_note(st, "netns", path);
	if (err) {
		gb_err("record %s in %s: %s", path, GB_NET_STATE_DIR, strerror(-err));
		return err;
	}
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0) {
		err = -errno;
		gb_err("--netns-name %s: create %s: %s", o->netns_name, path, strerror(errno));
		return err;
	}
	close(fd);
	snprintf(st->netns_path, sizeof(st->netns_path), "%s", path);
	if (mount(src, path, "none", MS_BIND, NULL)) {
		err = -errno;
		gb_err("mount --bind %s %s: %s", src, path, strerror(errno));
		return err;
	}
	return 0;
}

static int sandbox_lo_up(struct mnl_socket *snl)
{
	int index = gb_nl_link_index(snl, "lo");
	int err = index < 0 ? index : gb_nl_link_up(snl, index);

	if (err)
		gb_err("set lo up in the sandbox: %s", strerror(-err));
	return err;
}

/* The bridge gb-NAME, created with HOST_CIDR on first use; returns its index. Caller locks. */
static int bridge_get(struct mnl_socket *nl, const struct gb_net_opts *o, struct gb_net_state *st)
{
	char member[64], c[32];
	int index, err;

	snprintf(st->bridge, sizeof(st->bridge), "gb-%s", o->network);
	member_str(member, sizeof(member), o->network, st->sandbox_addr.addr);
	err = gb_state_note(st, "bridge", st->bridge);
	if (!err)
		err = gb_state_note(st, "member", member);
	if (err) {
		gb_err("record bridge %s in %s: %s", st->bridge, GB_NET_STATE_DIR, strerror(-err));
		return err;
	}
	index = gb_nl_link_index(nl, st->bridge);
	if (index > 0)
		return index;
	err = gb_nl_bridge_create(nl, st->bridge);
	if (err) {
		gb_err("create bridge %s: %s", st->bridge, strerror(-err));
		return err;
	}
	index = gb_nl_link_index(nl, st->bridge);
	if (index < 0)
		return index;
	err = gb_nl_addr_add(nl, index, &st->host_addr);
	if (!err)
		err = gb_nl_link_up(nl, index);
	if (err) {
		gb_err("configure bridge %s with %s: %s", st->bridge,
		       cidr_str(&st->host_addr, c, sizeof(c)), strerror(-err));
		return err;
	}
	return index;
}

/* The veth pair: host end gbv<pid> (on the bridge, or with HOST_CIDR), sandbox end veth0
 * created directly in the sandbox's namespace with SANDBOX_CIDR and a default route via the
 * host end. Caller locks. */
static int veth_add(struct mnl_socket *nl, struct mnl_socket *snl, int ns_fd,
		    const struct gb_net_opts *o, struct gb_net_state *st)
{
	char c[32];
	int host, peer, master, err;

	snprintf(st->host_if, sizeof(st->host_if), "gbv%d", st->owner);
	err = gb_state_note(st, "veth", st->host_if);
	if (err) {
		gb_err("record veth %s in %s: %s", st->host_if, GB_NET_STATE_DIR, strerror(-err));
		return err;
	}
	err = gb_nl_veth_create(nl, st->host_if, GB_SANDBOX_IF, ns_fd);
	if (err) {
		gb_err("create veth pair %s/%s: %s", st->host_if, GB_SANDBOX_IF, strerror(-err));
		return err;
	}
	host = gb_nl_link_index(nl, st->host_if);
	if (host < 0) {
		gb_err("find %s: %s", st->host_if, strerror(-host));
		return host;
	}
	if (o->network[0]) {
		master = bridge_get(nl, o, st);
		if (master < 0)
			return master;
		err = gb_nl_link_set_master(nl, host, master);
		if (err) {
			gb_err("attach %s to bridge %s: %s", st->host_if, st->bridge, strerror(-err));
			return err;
		}
	} else {
		err = gb_nl_addr_add(nl, host, &st->host_addr);
		if (err) {
			gb_err("add address %s to %s: %s", cidr_str(&st->host_addr, c, sizeof(c)),
			       st->host_if, strerror(-err));
			return err;
		}
	}
	err = gb_nl_link_up(nl, host);
	if (err) {
		gb_err("set %s up: %s", st->host_if, strerror(-err));
		return err;
	}

	peer = gb_nl_link_index(snl, GB_SANDBOX_IF);
	err = peer < 0 ? peer : gb_nl_addr_add(snl, peer, &st->sandbox_addr);
	if (err) {
		gb_err("add address %s to %s in the sandbox: %s",
		       cidr_str(&st->sandbox_addr, c, sizeof(c)), GB_SANDBOX_IF, strerror(-err));
		return err;
	}
	err = gb_nl_link_up(snl, peer);
	if (err) {
		gb_err("set %s up in the sandbox: %s", GB_SANDBOX_IF, strerror(-err));
		return err;
	}
	err = gb_nl_route_default(snl, st->host_addr.addr);
	if (err) {
		inet_ntop(AF_INET, &st->host_addr.addr, c, sizeof(c));
		gb_err("add default route via %s in the sandbox: %s", c, strerror(-err));
		return err;
	}
	return 0;
}

static int host_setup_locked(const struct gb_net_opts *o, pid_t child, struct gb_net_state *st)
{
	struct mnl_socket *nl = NULL, *snl = NULL;
	int ns_fd = o->mode == GB_NET_JOIN ? st->join_fd : st->sandbox_ns_fd;
	int err = 0;

	/* what would outlive a SIGKILLed glassbox by itself gets a reaper first */
	if (o->netns_name[0] || o->network[0] || o->nat || o->n_publish ||
	    (o->mode == GB_NET_JOIN && o->veth)) {
		err = gb_reaper_start(st);
		if (err)
			return err;
	}
	if (o->netns_name[0]) {
		err = netns_name_add(o, child, st);
		if (err)
			return err;
	}
	snl = gb_nl_open(ns_fd);
	if (!snl) {
		err = -errno;
		gb_err("open rtnetlink socket in the sandbox's namespace: %s", strerror(errno));
		goto out;
	}
	if (o->mode == GB_NET_NEW && !o->lo_down) {
		err = sandbox_lo_up(snl);
		if (err)
			goto out;
	}
	if (!o->veth)
		goto out;
	nl = gb_nl_open(-1);
	if (!nl) {
		err = -errno;
		gb_err("open rtnetlink socket: %s", strerror(errno));
		goto out;
	}
	/* again, under the lock: another run may have taken the subnet since prepare */
	err = choose_addresses(nl, o, st);
	if (!err)
		err = veth_add(nl, snl, ns_fd, o, st);
	if (!err && (o->nat || o->n_publish)) {
		err = gb_forward_acquire(st);
		if (err)
			gb_err("set net.ipv4.ip_forward to 1: %s", strerror(-err));
	}
	if (!err)
		err = gb_nft_create(o, st, &st->nft);
	if (!err && st->proxy)
		err = gb_proxy_start(st->proxy, st->sandbox_addr.addr);
out:
	if (nl)
		mnl_socket_close(nl);
	if (snl)
		mnl_socket_close(snl);
	return err;
}

int gb_net_host_setup(const struct gb_net_opts *o, pid_t child, struct gb_net_state *st)
{
	char path[64];
	int lock, err;

	if (o->mode == GB_NET_SHARE)
		return 0;
	if (o->mode == GB_NET_NEW) {
		snprintf(path, sizeof(path), "/proc/%d/ns/net", child);
		st->sandbox_ns_fd = open(path, O_RDONLY | O_CLOEXEC);
		if (st->sandbox_ns_fd < 0) {
			err = -errno;
			gb_err("open %s: %s", path, strerror(errno));
			return err;
		}
	}
	lock = gb_state_lock();
	if (lock < 0) {
		gb_err("lock %s/lock: %s", GB_NET_STATE_DIR, strerror(-lock));
		return lock;
	}
	err = host_setup_locked(o, child, st);
	gb_state_unlock(lock);
	if (err)
		gb_net_teardown(st);
	return err;
}

int gb_net_clone_enter(struct gb_net_state *st)
{
	int err;

	if (st->join_fd < 0)
		return 0;
	st->host_ns_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (st->host_ns_fd < 0) {
		err = -errno;
		gb_err("open /proc/thread-self/ns/net: %s", strerror(errno));
		return err;
	}
	if (setns(st->join_fd, CLONE_NEWNET)) {
		err = -errno;
		gb_err("setns into --join-netns: %s", strerror(errno));
		close(st->host_ns_fd);
		st->host_ns_fd = -1;
		return err;
	}
	return 0;
}

void gb_net_clone_leave(struct gb_net_state *st)
{
	if (st->host_ns_fd < 0)
		return;
	if (setns(st->host_ns_fd, CLONE_NEWNET)) {
		/* glassbox would go on in the sandbox's namespace: never */
		gb_err("setns back to the host's network namespace: %s", strerror(errno));
		abort();
	}
	close(st->host_ns_fd);
	st->host_ns_fd = -1;
}

void gb_net_teardown(struct gb_net_state *st)
{
	struct mnl_socket *nl = NULL;
	int lock;

	/* the proxy and the owner table need no lock: they are this process's alone */
	gb_proxy_destroy(st->proxy);
	st->proxy = NULL;
	gb_nft_destroy(st->nft);
	st->nft = NULL;
	if (!st->state_file && !st->host_if[0] && !st->netns_path[0])
		goto fds;
	lock = gb_state_lock(); /* on failure, tear down anyway: better than leaving it */
	if (st->netns_path[0]) {
		if (umount2(st->netns_path, MNT_DETACH) && errno != EINVAL && errno != ENOENT)
			gb_err("umount %s: %s", st->netns_path, strerror(errno));
		if (unlink(st->netns_path) && errno != ENOENT)
			gb_err("unlink %s: %s", st->netns_path, strerror(errno));
		st->netns_path[0] = '\0';
	}
	if (st->host_if[0] || st->bridge[0])
		nl = gb_nl_open(-1);
	if (nl && st->host_if[0]) {
		int err = gb_nl_link_del(nl, st->host_if);

		if (err)
			gb_err("delete veth %s: %s", st->host_if, strerror(-err));
	}
	st->host_if[0] = '\0';
	if (nl && st->bridge[0])
		gb_bridge_release(nl, st->owner, st->bridge);
	st->bridge[0] = '\0';
	if (nl)
		mnl_socket_close(nl);
	gb_forward_release(st);
	gb_state_forget(st);
	gb_state_unlock(lock);
fds:
	gb_reaper_stop(st);
	if (st->join_fd >= 0)
		close(st->join_fd);
	if (st->sandbox_ns_fd >= 0)
		close(st->sandbox_ns_fd);
	st->join_fd = st->sandbox_ns_fd = -1;
}
