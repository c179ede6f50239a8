// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The run's nftables table, through libnftables in this process (never the nft binary).
 * The table carries the owner flag: the kernel deletes it when the netlink socket of the
 * nft context closes, so it goes away with glassbox however glassbox ends.
 *
 *   forward      isolation: no routing between this sandbox's interface and another
 *                glassbox interface (gbv*, gb-*), except connections to published ports
 *   postrouting  --nat: masquerade the sandbox subnet leaving by any other interface
 *   prerouting   --publish: connections from other namespaces to a local address of the
 *                host are DNATed to the sandbox, which then sees the client's address
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "net_priv.h"
#include "util.h"

struct gb_nft {
	struct nft_ctx *ctx;
	char table[32];
};

#define MAX_FDS 1024

static void open_fds(unsigned char *seen)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int fd;

	memset(seen, 0, MAX_FDS);
	if (!d)
		return;
	while ((e = readdir(d)))
		if (sscanf(e->d_name, "%d", &fd) == 1 && fd >= 0 && fd < MAX_FDS)
			seen[fd] = 1;
	closedir(d);
}

/* libnftables opens its netlink socket without SOCK_CLOEXEC and does not expose it: mark
 * every fd that nft_ctx_new() opened, so no exec'd program holds the owner socket. */
static struct nft_ctx *nft_ctx_new_cloexec(void)
{
	unsigned char before[MAX_FDS], after[MAX_FDS];
	struct nft_ctx *ctx;

	open_fds(before);
	ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!ctx)
		return NULL;
	open_fds(after);
	for (int fd = 0; fd < MAX_FDS; fd++)
		if (after[fd] && !before[fd])
			fcntl(fd, F_SETFD, FD_CLOEXEC);
	return ctx;
}

static int run(struct gb_nft *n, const char *cmd)
{
	const char *msg;

	if (nft_run_cmd_from_buffer(n->ctx, cmd) == 0)
		return 0;
	msg = nft_ctx_get_error_buffer(n->ctx);
	gb_err("nftables: table ip %s: %.*s", n->table, (int)strcspn(msg ? msg : "", "\n"),
	       msg ? msg : "failed");
	return -EINVAL;
}

int gb_nft_create(const struct gb_net_opts *o, const struct gb_net_state *st, struct gb_nft **out)
{
	const char *l3 = st->bridge[0] ? st->bridge : st->host_if;
	const struct gb_cidr *s = &st->sandbox_addr;
	struct in_addr net = { s->addr.s_addr & htonl(~0u << (32 - s->prefix)) };
	char sb[INET_ADDRSTRLEN], nb[INET_ADDRSTRLEN];
	struct gb_nft *n;
	char *cmd = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	snprintf(n->table, sizeof(n->table), "glassbox_%d", st->owner);
	n->ctx = nft_ctx_new_cloexec();
	if (!n->ctx) {
		gb_err("nft_ctx_new: cannot open a netfilter netlink socket");
		free(n);
		return -ENOMEM;
	}
	nft_ctx_buffer_output(n->ctx);
	nft_ctx_buffer_error(n->ctx);
	inet_ntop(AF_INET, &s->addr, sb, sizeof(sb));
	inet_ntop(AF_INET, &net, nb, sizeof(nb));

	f = open_memstream(&cmd, &len);
	if (!f) {
		gb_nft_destroy(n);
		return -ENOMEM;
	}
	fprintf(f, "table ip %s {\n flags owner\n", n->table);
	fprintf(f, " chain forward { type filter hook forward priority filter; policy accept;\n"
		   "  ct status dnat accept\n");
	/* glassbox's own interfaces only: host ends gbv<PID>, bridges gb-NAME */
	for (int i = 0; i < 2; i++) {
		const char *pat = i ? "gb-*" : "gbv*";

		fprintf(f, "  iifname \"%s\" oifname \"%s\" iifname != \"%s\" drop\n"
			   "  iifname \"%s\" oifname \"%s\" oifname != \"%s\" drop\n",
			pat, l3, l3, l3, pat, l3);
	}
	fprintf(f, " }\n");
	if (o->nat)
		fprintf(f, " chain postrouting { type nat hook postrouting priority srcnat; "
			   "policy accept;\n  ip saddr %s/%u oifname != \"%s\" masquerade\n }\n",
			nb, s->prefix, l3);
	if (o->n_publish) {
		fprintf(f, " chain prerouting { type nat hook prerouting priority dstnat; "
			   "policy accept;\n");
		for (unsigned int i = 0; i < o->n_publish; i++) {
			const struct gb_publish *p = &o->publish[i];

			fprintf(f, "  iifname != \"lo\" fib daddr type local %s dport %u dnat to %s:%u\n",
				p->proto == IPPROTO_TCP ? "tcp" : "udp", p->host_port, sb,
				p->sandbox_port);
		}
		fprintf(f, " }\n");
	}
	fprintf(f, "}\n");
	if (fclose(f)) {
		free(cmd);
		gb_nft_destroy(n);
		return -ENOMEM;
	}
	err = run(n, cmd);
	free(cmd);
	if (err) {
		gb_nft_destroy(n);
		return err;
	}
	*out = n;
	return 0;
}

void gb_nft_destroy(struct gb_nft *n)
{
	char cmd[64];

	if (!n)
		return;
	/* closing the socket is enough for an owner table; deleting it first makes the
	 * moment it goes independent of when the kernel processes the close */
	snprintf(cmd, sizeof(cmd), "delete table ip %s", n->table);
	nft_run_cmd_from_buffer(n->ctx, cmd);
	nft_ctx_free(n->ctx);
	free(n);
}
