// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Network options: strict parsers for CIDRs, port specs and names. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include "net.h"
#include "util.h"

void gb_net_opts_init(struct gb_net_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->mode = GB_NET_NEW;
	inet_pton(AF_INET, "10.1.1.2", &o->host_addr.addr);
	o->host_addr.prefix = 24;
	inet_pton(AF_INET, "10.1.1.1", &o->sandbox_addr.addr);
	o->sandbox_addr.prefix = 24;
}

/* "a.b.c.d/len": inet_pton's strict dotted quad (no "10.1", no leading spaces), len 1..32. */
int gb_net_parse_cidr(const char *s, struct gb_cidr *out)
{
	char ip[INET_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	uint64_t len;

	if (!slash || (size_t)(slash - s) >= sizeof(ip))
		return -EINVAL;
	memcpy(ip, s, slash - s);
	ip[slash - s] = '\0';
	if (inet_pton(AF_INET, ip, &out->addr) != 1)
		return -EINVAL;
	if (gb_parse_u64(slash + 1, 10, 1, 32, &len))
		return -EINVAL;
	out->prefix = len;
	return 0;
}

/* "HOSTPORT:SANDBOXPORT[/tcp|/udp]", ports 1..65535. */
int gb_net_parse_publish(const char *s, struct gb_publish *out)
{
	char buf[32];
	char *colon, *slash;
	uint64_t hp, sp;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	out->proto = IPPROTO_TCP;
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		if (!strcmp(slash + 1, "udp"))
			out->proto = IPPROTO_UDP;
		else if (strcmp(slash + 1, "tcp"))
			return -EINVAL;
	}
	colon = strchr(buf, ':');
	if (!colon)
		return -EINVAL;
	*colon = '\0';
	if (gb_parse_u64(buf, 10, 1, 65535, &hp) || gb_parse_u64(colon + 1, 10, 1, 65535, &sp))
		return -EINVAL;
	out->host_port = hp;
	out->sandbox_port = sp;
	return 0;
}

/* 1..max characters of [A-Za-z0-9_.-], not "." or "..", not starting with '-'. */
bool gb_net_name_valid(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max || s[0] == '-' || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

static const struct {
	const char *name;
	int kind;
} net_opts[] = {
	{ "share-net", 1 }, { "lo-down", 1 }, { "nat", 1 },	   { "veth", 3 },
	{ "publish", 2 },   { "network", 2 }, { "netns-name", 2 }, { "join-netns", 2 },
};

int gb_net_opt_kind(const char *name)
{
	for (size_t i = 0; i < GB_ARRAY_SIZE(net_opts); i++)
		if (!strcmp(net_opts[i].name, name))
			return net_opts[i].kind;
	return 0;
}

/* A word that starts with a digit and has a ',' or '/' is an address pair, well formed or
 * not (so a typo is reported as such, not run as COMMAND); anything else is COMMAND. */
bool gb_net_opt_arg_fits(const char *name, const char *arg)
{
	if (strcmp(name, "veth") || !arg)
		return false;
	return arg[0] >= '0' && arg[0] <= '9' && strpbrk(arg, ",/");
}

static int parse_veth(struct gb_net_opts *o, const char *arg)
{
	char host[40];
	const char *comma = strchr(arg, ',');

	if (!comma || (size_t)(comma - arg) >= sizeof(host))
		goto bad;
	memcpy(host, arg, comma - arg);
	host[comma - arg] = '\0';
	if (gb_net_parse_cidr(host, &o->host_addr) || gb_net_parse_cidr(comma + 1, &o->sandbox_addr))
		goto bad;
	o->veth_given = true;
	return 0;
bad:
	gb_err("--veth %s: expected HOST_CIDR,SANDBOX_CIDR such as 10.1.1.2/24,10.1.1.1/24", arg);
	return -EINVAL;
}

int gb_net_opt_parse(struct gb_net_opts *o, const char *name, const char *arg)
{
	if ((!strcmp(name, "share-net") && o->mode == GB_NET_JOIN) ||
	    (!strcmp(name, "join-netns") && o->mode == GB_NET_SHARE)) {
		gb_err("--share-net and --join-netns exclude each other");
		return -EINVAL;
	}
	if (!strcmp(name, "share-net")) {
		o->mode = GB_NET_SHARE;
	} else if (!strcmp(name, "lo-down")) {
		o->lo_down = true;
	} else if (!strcmp(name, "nat")) {
		o->nat = true;
	} else if (!strcmp(name, "veth")) {
		o->veth = true;
		if (arg)
			return parse_veth(o, arg);
	} else if (!strcmp(name, "publish")) {
		if (o->n_publish == GB_NET_MAX_PUBLISH) {
			gb_err("--publish %s: at most %d ports", arg, GB_NET_MAX_PUBLISH);
			return -EINVAL;
		}
		if (gb_net_parse_publish(arg, &o->publish[o->n_publish])) {
			gb_err("--publish %s: expected HOSTPORT:SANDBOXPORT[/tcp|/udp], ports 1-65535",
			       arg);
			return -EINVAL;
		}
		o->n_publish++;
	} else if (!strcmp(name, "network")) {
		if (!gb_net_name_valid(arg, GB_NET_NAME_MAX)) {
			gb_err("--network %s: name must be 1-%d characters of A-Z a-z 0-9 _ . - "
			       "(the bridge gb-NAME must fit the %d-character interface name limit)",
			       arg, GB_NET_NAME_MAX, IFNAMSIZ - 1);
			return -EINVAL;
		}
		strcpy(o->network, arg);
	} else if (!strcmp(name, "netns-name")) {
		if (!gb_net_name_valid(arg, sizeof(o->netns_name) - 1)) {
			gb_err("--netns-name %s: name must be 1-%zu characters of A-Z a-z 0-9 _ . -", arg,
			       sizeof(o->netns_name) - 1);
			return -EINVAL;
		}
		strcpy(o->netns_name, arg);
	} else if (!strcmp(name, "join-netns")) {
		if (!*arg || strlen(arg) >= sizeof(o->join)) {
			gb_err("--join-netns '%s': expected a name under /run/netns or a path", arg);
			return -EINVAL;
		}
		if (!strchr(arg, '/') && !gb_net_name_valid(arg, 255)) {
			gb_err("--join-netns %s: not a valid name under /run/netns", arg);
			return -EINVAL;
		}
		o->mode = GB_NET_JOIN;
		strcpy(o->join, arg);
	} else {
		gb_err("unknown network option --%s", name);
		return -EINVAL;
	}
	return 0;
}

static uint32_t cidr_mask(uint8_t prefix)
{
	return prefix ? htonl(~0u << (32 - prefix)) : 0;
}

int gb_net_opts_finish(struct gb_net_opts *o)
{
	const struct gb_cidr *h = &o->host_addr, *s = &o->sandbox_addr;
	uint32_t mask = cidr_mask(s->prefix);
	char hs[INET_ADDRSTRLEN], ss[INET_ADDRSTRLEN];

	if (o->nat || o->n_publish || o->network[0])
		o->veth = true;
	if (o->mode == GB_NET_SHARE &&
	    (o->veth || o->lo_down || o->netns_name[0] || o->join[0])) {
		gb_err("--share-net keeps the host's network: it cannot be combined with --veth, "
		       "--nat, --publish, --network, --lo-down, --netns-name or --join-netns");
		return -EINVAL;
	}
	if (o->mode == GB_NET_JOIN && (o->netns_name[0] || o->lo_down)) {
		gb_err("--join-netns uses an existing namespace as it is: it cannot be combined "
		       "with --netns-name or --lo-down");
		return -EINVAL;
	}
	for (unsigned int i = 0; i < o->n_publish; i++)
		for (unsigned int j = 0; j < i; j++)
			if (o->publish[i].host_port == o->publish[j].host_port &&
			    o->publish[i].proto == o->publish[j].proto) {
				gb_err("--publish: host port %u/%s given twice", o->publish[i].host_port,
				       o->publish[i].proto == IPPROTO_TCP ? "tcp" : "udp");
				return -EINVAL;
			}
	if (!o->veth)
		return 0;
	inet_ntop(AF_INET, &h->addr, hs, sizeof(hs));
	inet_ntop(AF_INET, &s->addr, ss, sizeof(ss));
	if (h->prefix != s->prefix || (h->addr.s_addr & mask) != (s->addr.s_addr & mask)) {
		gb_err("--veth %s/%u,%s/%u: both ends must be in one subnet", hs, h->prefix, ss,
		       s->prefix);
		return -EINVAL;
	}
	if (h->prefix > 30) {
		gb_err("--veth %s/%u: the prefix must be 30 or shorter, to hold two hosts", hs,
		       h->prefix);
		return -EINVAL;
	}
	if (h->addr.s_addr == s->addr.s_addr) {
		gb_err("--veth %s: the host and sandbox ends need different addresses", hs);
		return -EINVAL;
	}
	for (int k = 0; k < 2; k++) {
		uint32_t a = (k ? s : h)->addr.s_addr;

		if ((a & ~mask) == 0 || (a & ~mask) == ~mask) {
			gb_err("--veth %s/%u: network and broadcast addresses are not host addresses",
			       k ? ss : hs, h->prefix);
			return -EINVAL;
		}
	}
	return 0;
}
