/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The sandbox's network namespace: options, host-side and sandbox-side set-up, tear-down.
 *
 * Order of calls (run.c):
 *
 *   gb_net_opt_parse() per option, then gb_net_opts_finish()        options.c
 *   gb_net_prepare()        before clone: collects what crashed runs left, checks the
 *                           host (subnet overlap, ports in use, join target), binds the
 *                           published ports, opens the join target
 *   gb_net_clone_enter()    --join-netns: this thread enters the namespace, so the
 *                           child is born in it (the child closes every inherited fd,
 *                           and its new /proc would not resolve a /proc/PID/ns path)
 *   clone(gb_net_clone_flags() | ...)
 *   gb_net_clone_leave()    back to the host's namespace
 *   gb_net_host_setup()     parent, child waiting: veth, bridge, addresses, routes,
 *                           lo up, nftables, /run/netns/NAME, proxy threads
 *   ... run ...
 *   gb_net_teardown()       parent, every exit path; idempotent
 *
 * What glassbox adds to the host and how each is removed, even after SIGKILL:
 *   veth pair      the peer is created directly in the sandbox's namespace, so the pair
 *                  dies with that namespace; teardown also deletes the host end, since
 *                  a joined or named namespace outlives the run.
 *   nftables       one table "ip glassbox_<pid>" with the owner flag: the kernel deletes
 *                  it when glassbox's netlink socket closes, whatever killed glassbox.
 *   bridge         "gb-NAME", deleted by the run that removes its last member.
 *   /run/netns/N   a bind mount of the sandbox's namespace, unmounted and removed.
 *   ip_forward     set to 1 for --nat and --publish; the value before is kept in
 *                  /run/glassbox/net/ip_forward.orig and restored when the last run that
 *                  needed forwarding is gone.
 *   proxy          threads and sockets of the glassbox process: they die with it.
 * What outlives a SIGKILLed glassbox by itself (bridge, /run/netns/N, a veth in a joined
 * or named namespace, ip_forward) is collected by a reaper process (net_reaper.c) forked
 * before any of it is created: dismissed after a clean teardown, it collects as soon as
 * glassbox dies. Every start collects too, should the reaper have been killed as well.
 * Bookkeeping: /run/glassbox/net/run.<pid> lists what the run is about to create (written
 * before each creation), with the owner's start time so a reused pid is not mistaken for
 * the owner; /run/glassbox/net/lock (flock) serialises set-up, tear-down and collection.
 */
#ifndef GB_NET_H
#define GB_NET_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define GB_NET_MAX_PUBLISH 32
#define GB_NET_NAME_MAX 12 /* --network NAME: bridge "gb-NAME" must fit IFNAMSIZ - 1 */

enum gb_net_mode {
	GB_NET_NEW = 0, /* default: a new network namespace */
	GB_NET_SHARE,   /* --share-net: the host's */
	GB_NET_JOIN,    /* --join-netns NAME|PATH */
};

/* An IPv4 address with its prefix length, as in 10.1.1.2/24. */
struct gb_cidr {
	struct in_addr addr;
	uint8_t prefix;
};

struct gb_publish {
	uint16_t host_port;
	uint16_t sandbox_port;
	uint8_t proto; /* IPPROTO_TCP or IPPROTO_UDP */
};

struct gb_net_opts {
	enum gb_net_mode mode;
	bool lo_down;      /* --lo-down */
	bool veth;         /* --veth, or implied by --nat, --publish, --network */
	bool veth_given;   /* --veth had HOST_CIDR,SANDBOX_CIDR; else chosen at set-up:
			    * 10.1.1.2/24 and 10.1.1.1/24, or the first free 10.1.N.0/24,
			    * or on an existing network its subnet (net.c choose_addresses) */
	struct gb_cidr host_addr;    /* default 10.1.1.2/24 */
	struct gb_cidr sandbox_addr; /* default 10.1.1.1/24 */
	bool nat;          /* --nat */
	unsigned int n_publish;
	struct gb_publish publish[GB_NET_MAX_PUBLISH];
	char network[GB_NET_NAME_MAX + 1]; /* --network NAME, "" for none */
	char netns_name[64];               /* --netns-name NAME, "" for none */
	char join[4096];                   /* --join-netns NAME|PATH as given */
};

/* Everything a run created, for tear-down. Zero it, then gb_net_state_init(). */
struct gb_net_state {
	pid_t owner;          /* glassbox's pid */
	int join_fd;          /* the joined namespace, or -1 */
	int host_ns_fd;       /* the caller's, between clone_enter and clone_leave, or -1 */
	int sandbox_ns_fd;    /* the sandbox's namespace, or -1 */
	struct gb_cidr host_addr, sandbox_addr; /* in use: --veth's, or chosen */
	char host_if[16];     /* host end of the veth, "" before creation */
	char bridge[16];      /* "gb-NAME", or "" */
	char netns_path[128]; /* /run/netns/NAME once mounted, or "" */
	bool forward;         /* this run needs ip_forward */
	bool state_file;      /* /run/glassbox/net/run.<pid> exists */
	struct gb_nft *nft;   /* owner table, or NULL */
	struct gb_proxy *proxy;
	pid_t reaper_pid;     /* net_reaper.c, or 0 */
	int reaper_fd;
};

/* Options (net_opts.c). All return 0 or -EINVAL after printing one "glassbox: ..." line. */
void gb_net_opts_init(struct gb_net_opts *o);
/* Is NAME a network option? Returns 0 no, 1 takes no argument, 2 takes one, 3 takes an
 * optional one (--veth: "--veth HOST_CIDR,SANDBOX_CIDR" or bare "--veth"). */
int gb_net_opt_kind(const char *name);
/* For an optional argument given as a separate word: is ARG meant as one? (--veth: a word
 * starting with a digit and holding ',' or '/'; COMMAND otherwise.) */
bool gb_net_opt_arg_fits(const char *name, const char *arg);
/* NAME without the leading dashes, e.g. "veth"; ARG may be NULL where optional. */
int gb_net_opt_parse(struct gb_net_opts *o, const char *name, const char *arg);
/* Implied options and conflicts, after the last option. */
int gb_net_opts_finish(struct gb_net_opts *o);

/* Strict parsers, exported for the unit tests. Return 0 or -EINVAL, print nothing. */
int gb_net_parse_cidr(const char *s, struct gb_cidr *out);
int gb_net_parse_publish(const char *s, struct gb_publish *out);
bool gb_net_name_valid(const char *s, size_t max);

/* Set-up and tear-down (net.c), in the order above. Return 0 or -errno after printing
 * one line; after a failure, gb_net_teardown() undoes whatever was done. */
void gb_net_state_init(struct gb_net_state *st);
/* CLONE_NEWNET for a new namespace, 0 for --share-net and --join-netns */
int gb_net_clone_flags(const struct gb_net_opts *o);
int gb_net_prepare(const struct gb_net_opts *o, struct gb_net_state *st);
/* Around the clone; leave aborts if it cannot return to the host's namespace. */
int gb_net_clone_enter(struct gb_net_state *st);
void gb_net_clone_leave(struct gb_net_state *st);
/* CHILD: the sandbox's host pid, waiting for its release. Tears down itself on failure. */
int gb_net_host_setup(const struct gb_net_opts *o, pid_t child, struct gb_net_state *st);
/* Idempotent; every exit path of the parent. */
void gb_net_teardown(struct gb_net_state *st);
/* Remove what runs whose owner is dead left on the host; gb_net_prepare() calls it.
 * Returns how many runs, or -errno. */
int gb_net_collect_garbage(void);

#endif
