// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Links, addresses and routes over rtnetlink (libmnl). */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "net_priv.h"

static struct nlmsghdr *link_msg(char *buf, int type, int flags, int ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nlh;
}

static int link_index_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	*(int *)data = ifi->ifi_index;
	return MNL_CB_OK;
}

int gb_nl_link_index(struct mnl_socket *nl, const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_GETLINK, 0, 0);
	int index = 0, err;

	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	err = gb_nl_talk(nl, nlh, link_index_cb, &index);
	return err ? err : index ? index : -ENODEV;
}

int gb_nl_link_up(struct mnl_socket *nl, int ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	return gb_nl_talk(nl, nlh, NULL, NULL);
}

int gb_nl_veth_create(struct mnl_socket *nl, const char *host, const char *peer, int peer_ns_fd)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	struct nlattr *linkinfo, *data, *peer_attr;
	struct ifinfomsg *pifi;

	mnl_attr_put_strz(nlh, IFLA_IFNAME, host);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer_attr = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* the peer's attributes follow an ifinfomsg of its own */
	pifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifi));
	pifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, peer_ns_fd);
	mnl_attr_nest_end(nlh, peer_attr);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return gb_nl_talk(nl, nlh, NULL, NULL);
}

int gb_nl_bridge_create(struct mnl_socket *nl, const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	struct nlattr *linkinfo;

	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(nlh, linkinfo);
	return gb_nl_talk(nl, nlh, NULL, NULL);
}

int gb_nl_link_set_master(struct mnl_socket *nl, int ifindex, int master)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);

	mnl_attr_put_u32(nlh, IFLA_MASTER, master);
	return gb_nl_talk(nl, nlh, NULL, NULL);
}

int gb_nl_link_del(struct mnl_socket *nl, const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_DELLINK, 0, 0);
	int err;

	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	err = gb_nl_talk(nl, nlh, NULL, NULL);
	return err == -ENODEV ? 0 : err;
}

static struct nlmsghdr *addr_msg(char *buf, int type, int flags, int ifindex, uint8_t prefix)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = prefix;
	ifa->ifa_index = ifindex;
	return nlh;
}

int gb_nl_addr_add(struct mnl_socket *nl, int ifindex, const struct gb_cidr *c)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = addr_msg(buf, RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
					ifindex, c->prefix);
	uint32_t mask = c->prefix ? htonl(~0u << (32 - c->prefix)) : 0;
	uint32_t brd = c->addr.s_addr | ~mask;

	mnl_attr_put(nlh, IFA_LOCAL, 4, &c->addr);
	mnl_attr_put(nlh, IFA_ADDRESS, 4, &c->addr);
	mnl_attr_put(nlh, IFA_BROADCAST, 4, &brd);
	return gb_nl_talk(nl, nlh, NULL, NULL);
}

struct addr_get {
	int ifindex;
	struct gb_cidr *c;
	bool found;
};

static int addr_get_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct addr_get *g = data;
	const struct nlattr *a;

	if (ifa->ifa_family != AF_INET || (int)ifa->ifa_index != g->ifindex || g->found)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*ifa)) {
		if (mnl_attr_get_type(a) == IFA_LOCAL && mnl_attr_get_payload_len(a) == 4) {
			memcpy(&g->c->addr, mnl_attr_get_payload(a), 4);
			g->c->prefix = ifa->ifa_prefixlen;
			g->found = true;
		}
	}
	return MNL_CB_OK;
}

int gb_nl_addr_get(struct mnl_socket *nl, int ifindex, struct gb_cidr *c)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = addr_msg(buf, RTM_GETADDR, NLM_F_DUMP, 0, 0);
	struct addr_get g = { .ifindex = ifindex, .c = c };
	int err = gb_nl_talk(nl, nlh, addr_get_cb, &g);

	return err ? err : g.found ? 0 : -ENOENT;
}

static struct nlmsghdr *route_msg(char *buf, int type, int flags, uint8_t dst_len)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = dst_len;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	return nlh;
}

int gb_nl_route_default(struct mnl_socket *nl, struct in_addr gw)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = route_msg(buf, RTM_NEWROUTE, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 0);

	mnl_attr_put(nlh, RTA_GATEWAY, 4, &gw);
	return gb_nl_talk(nl, nlh, NULL, NULL);
}

struct overlap {
	const struct gb_cidr *want;
	struct gb_cidr *found;
	int hit;
};

static int overlap_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct overlap *o = data;
	const struct nlattr *a;
	struct in_addr dst = { 0 };
	uint32_t table = rtm->rtm_table;
	uint8_t len;
	uint32_t mask;

	/* the local table holds each address's own /32 and broadcasts; the main table has
	 * the subnet route of the same address */
	if (rtm->rtm_family != AF_INET || rtm->rtm_dst_len == 0 || o->hit)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*rtm)) {
		if (mnl_attr_get_type(a) == RTA_DST && mnl_attr_get_payload_len(a) == 4)
			memcpy(&dst, mnl_attr_get_payload(a), 4);
		if (mnl_attr_get_type(a) == RTA_TABLE)
			table = mnl_attr_get_u32(a);
	}
	if (table == RT_TABLE_LOCAL)
		return MNL_CB_OK;
	len = rtm->rtm_dst_len < o->want->prefix ? rtm->rtm_dst_len : o->want->prefix;
	mask = htonl(~0u << (32 - len));
	if ((dst.s_addr & mask) == (o->want->addr.s_addr & mask)) {
		o->found->addr = dst;
		o->found->prefix = rtm->rtm_dst_len;
		o->hit = 1;
	}
	return MNL_CB_OK;
}

int gb_nl_route_overlap(struct mnl_socket *nl, const struct gb_cidr *c, struct gb_cidr *found)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = route_msg(buf, RTM_GETROUTE, NLM_F_DUMP, 0);
	struct overlap o = { .want = c, .found = found };
	int err;

	((struct rtmsg *)mnl_nlmsg_get_payload(nlh))->rtm_table = RT_TABLE_UNSPEC;
	err = gb_nl_talk(nl, nlh, overlap_cb, &o);
	return err ? err : o.hit;
}

struct ports {
	int master;
	int count;
};

static int ports_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;
	struct ports *p = data;

	mnl_attr_for_each(a, nlh, sizeof(struct ifinfomsg)) {
		if (mnl_attr_get_type(a) == IFLA_MASTER &&
		    (int)mnl_attr_get_u32(a) == p->master)
			p->count++;
	}
	return MNL_CB_OK;
}

int gb_nl_bridge_ports(struct mnl_socket *nl, int master)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_GETLINK, NLM_F_DUMP, 0);
	struct ports p = { .master = master };
	int err;

	nlh->nlmsg_flags &= ~NLM_F_ACK;
	err = gb_nl_talk(nl, nlh, ports_cb, &p);
	return err ? err : p.count;
}
