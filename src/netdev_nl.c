// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* rtnetlink requests about links and namespace ids (see netdev_nl.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include "netdev_nl.h"
#include "nl.h"

struct nsid_ans {
	int32_t nsid;
	int seen;
};

static int nsid_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nsid_ans *a = data;
	struct nlattr *attr;

	if (nlh->nlmsg_type != RTM_NEWNSID)
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, sizeof(struct rtgenmsg)) {
		if (mnl_attr_get_type(attr) == NETNSA_NSID &&
		    mnl_attr_validate(attr, MNL_TYPE_U32) == 0) {
			a->nsid = (int32_t)mnl_attr_get_u32(attr);
			a->seen = 1;
		}
	}
	return MNL_CB_OK;
}

int gb_ndnl_get_nsid(struct mnl_socket *s, int netns_fd, int32_t target_nsid, int32_t *nsid)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *g;
	struct nsid_ans a = { .nsid = -1 };
	int err;

	nlh->nlmsg_type = RTM_GETNSID;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, netns_fd);
	if (target_nsid >= 0)
		mnl_attr_put_u32(nlh, NETNSA_TARGET_NSID, target_nsid);
	err = gb_nl_talk(s, nlh, nsid_cb, &a);
	if (err)
		return err;
	if (!a.seen)
		return -EPROTO;
	*nsid = a.nsid;
	return 0;
}

int gb_ndnl_ensure_nsid(struct mnl_socket *s, int netns_fd, int32_t *nsid)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct rtgenmsg *g;
	int err;

	err = gb_ndnl_get_nsid(s, netns_fd, -1, nsid);
	if (err || *nsid >= 0)
		return err;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWNSID;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, netns_fd);
	mnl_attr_put_u32(nlh, NETNSA_NSID, (uint32_t)-1); /* any free id */
	err = gb_nl_talk(s, nlh, NULL, NULL);
	if (err && err != -EEXIST) /* someone else assigned one meanwhile */
		return err;
	err = gb_ndnl_get_nsid(s, netns_fd, -1, nsid);
	if (!err && *nsid < 0)
		err = -ENOENT;
	return err;
}

int gb_ndnl_parse_link(const struct nlmsghdr *nlh, struct gb_nd_note *n)
{
	const struct ifinfomsg *ifi;
	struct nlattr *attr;

	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return -EINVAL;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
		return -EINVAL;
	ifi = mnl_nlmsg_get_payload(nlh);
	n->type = nlh->nlmsg_type;
	n->ifindex = ifi->ifi_index;
	n->name[0] = 0;
	n->has_new_netnsid = 0;
	n->new_netnsid = -1;
	n->new_netns = 0;
	n->new_ifindex = 0;
	n->addr_len = 0;
	n->has_kind = 0;
	mnl_attr_for_each(attr, nlh, sizeof(*ifi)) {
		switch (mnl_attr_get_type(attr)) {
		case IFLA_IFNAME:
			if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0) {
				strncpy(n->name, mnl_attr_get_str(attr), GB_IFNAME_LEN - 1);
				n->name[GB_IFNAME_LEN - 1] = 0;
			}
			break;
		case IFLA_ADDRESS: {
			uint16_t len = mnl_attr_get_payload_len(attr);

			n->addr_len = len > GB_NETDEV_ADDR_MAX ? GB_NETDEV_ADDR_MAX : len;
			memcpy(n->addr, mnl_attr_get_payload(attr), n->addr_len);
			break;
		}
		case IFLA_NEW_NETNSID:
			if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0) {
				n->has_new_netnsid = 1;
				n->new_netnsid = (int32_t)mnl_attr_get_u32(attr);
			}
			break;
		case IFLA_NEW_IFINDEX:
			if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
				n->new_ifindex = (int32_t)mnl_attr_get_u32(attr);
			break;
		case IFLA_LINKINFO: {
			struct nlattr *nested;

			mnl_attr_for_each_nested(nested, attr)
				if (mnl_attr_get_type(nested) == IFLA_INFO_KIND)
					n->has_kind = 1;
			break;
		}
		}
	}
	return 0;
}

struct index_ans {
	int32_t ifindex;
};

static int index_cb(const struct nlmsghdr *nlh, void *data)
{
	struct index_ans *a = data;
	struct gb_nd_note n;

	if (gb_ndnl_parse_link(nlh, &n) == 0)
		a->ifindex = n.ifindex;
	return MNL_CB_OK;
}

int gb_ndnl_link_index(struct mnl_socket *s, const char *name, int32_t *ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	struct index_ans a = { 0 };
	int err;

	if (strlen(name) >= GB_IFNAME_LEN)
		return -EINVAL;
	nlh->nlmsg_type = RTM_GETLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	err = gb_nl_talk(s, nlh, index_cb, &a);
	if (err == -ENOENT || err == -ENODEV)
		return -ENODEV;
	if (err)
		return err;
	if (!a.ifindex)
		return -ENODEV;
	*ifindex = a.ifindex;
	return 0;
}

struct name_ans {
	char name[GB_IFNAME_LEN];
	int32_t ifindex;
};

static int name_cb(const struct nlmsghdr *nlh, void *data)
{
	struct name_ans *a = data;
	struct gb_nd_note n;

	if (gb_ndnl_parse_link(nlh, &n) == 0) {
		a->ifindex = n.ifindex;
		memcpy(a->name, n.name, GB_IFNAME_LEN);
	}
	return MNL_CB_OK;
}

int gb_ndnl_link_name(struct mnl_socket *s, int32_t ifindex, char name[GB_IFNAME_LEN])
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	struct name_ans a = { .ifindex = 0 };
	int err;

	nlh->nlmsg_type = RTM_GETLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	err = gb_nl_talk(s, nlh, name_cb, &a);
	if (err == -ENOENT || err == -ENODEV || (!err && a.ifindex != ifindex))
		return -ENODEV;
	if (err)
		return err;
	memcpy(name, a.name, GB_IFNAME_LEN);
	return 0;
}

int gb_ndnl_link_move(struct mnl_socket *s, int32_t ifindex, const char *new_name, int netns_fd)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, netns_fd);
	if (new_name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, new_name);
	return gb_nl_talk(s, nlh, NULL, NULL);
}

struct dump_ctx {
	void (*cb)(const struct gb_nd_note *n, void *data);
	void *data;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	struct gb_nd_note n = { 0 };

	if (gb_ndnl_parse_link(nlh, &n) == 0)
		d->cb(&n, d->data);
	return MNL_CB_OK;
}

int gb_ndnl_link_dump(struct mnl_socket *s, void (*cb)(const struct gb_nd_note *n, void *data),
		    void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	struct dump_ctx d = { cb, data };

	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_DUMP;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return gb_nl_talk(s, nlh, dump_cb, &d);
}
