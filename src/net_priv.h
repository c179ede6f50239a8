/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Inside the network module: rtnetlink, nftables, proxy, bookkeeping. */
#ifndef GB_NET_PRIV_H
#define GB_NET_PRIV_H

#include <libmnl/libmnl.h>
#include "net.h"
#include "nl.h"

#define GB_NET_STATE_DIR "/run/glassbox/net"
#define GB_NETNS_DIR "/run/netns"
#define GB_SANDBOX_IF "veth0" /* the sandbox's end; its namespace has no other veth */

/* net_link.c: links, addresses and routes over rtnetlink. All return 0 or -errno. */
int gb_nl_link_index(struct mnl_socket *nl, const char *name); /* ifindex or -ENODEV */
int gb_nl_link_up(struct mnl_socket *nl, int ifindex);
/* A veth pair HOST (in NL's namespace) and PEER, created directly in PEER_NS_FD. */
int gb_nl_veth_create(struct mnl_socket *nl, const char *host, const char *peer, int peer_ns_fd);
int gb_nl_bridge_create(struct mnl_socket *nl, const char *name);
int gb_nl_link_set_master(struct mnl_socket *nl, int ifindex, int master);
int gb_nl_link_del(struct mnl_socket *nl, const char *name); /* 0 when already gone */
int gb_nl_addr_add(struct mnl_socket *nl, int ifindex, const struct gb_cidr *c);
int gb_nl_addr_get(struct mnl_socket *nl, int ifindex, struct gb_cidr *c); /* -ENOENT */
int gb_nl_route_default(struct mnl_socket *nl, struct in_addr gw);
/* 1 and FOUND set if a route outside the local table overlaps C, 0 if none. */
int gb_nl_route_overlap(struct mnl_socket *nl, const struct gb_cidr *c, struct gb_cidr *found);
int gb_nl_bridge_ports(struct mnl_socket *nl, int master); /* how many links have it */

/* net_nft.c: the run's owner table. */
struct gb_nft;
int gb_nft_create(const struct gb_net_opts *o, const struct gb_net_state *st, struct gb_nft **out);

void gb_nft_destroy(struct gb_nft *n);

/* net_proxy.c: the userland side of --publish (loopback, IPv6, the host itself). */
struct gb_proxy;
/* Bind every published host port now, so "in use" is an error before anything else. */
int gb_proxy_bind(const struct gb_net_opts *o, struct gb_proxy **out);
int gb_proxy_start(struct gb_proxy *p, struct in_addr target);
void gb_proxy_destroy(struct gb_proxy *p);

/* net_reaper.c: collects after a glassbox that died without tearing down. */
int gb_reaper_start(struct gb_net_state *st);
void gb_reaper_stop(struct gb_net_state *st); /* after a complete tear-down */

/* net_state.c: /run/glassbox/net bookkeeping. */
int gb_state_lock(void);          /* returns the lock fd, or -errno */
void gb_state_unlock(int fd);
/* Append "KEY VALUE" to this run's file (created on first use). */
int gb_state_note(struct gb_net_state *st, const char *key, const char *value);
void gb_state_forget(struct gb_net_state *st);
/* Is a live run other than SELF using KEY VALUE (e.g. "bridge gb-x", "forward 1")? */
bool gb_state_in_use(pid_t self, const char *key, const char *value);
int gb_forward_acquire(struct gb_net_state *st);
void gb_forward_release(struct gb_net_state *st);
/* Delete bridge NAME if no port and no live run other than SELF is left on it. */
void gb_bridge_release(struct mnl_socket *nl, pid_t self, const char *name);

#endif
