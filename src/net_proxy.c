// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The userland half of --publish, as Docker's userland proxy: the kernel path (DNAT in
 * prerouting, net_nft.c) serves IPv4 connections that arrive from other namespaces, but
 * not those made on the host itself (127.0.0.1, or any local address: locally generated
 * packets never pass prerouting) nor IPv6 (the sandbox has IPv4 only). For those, glassbox
 * listens on [::]:HOSTPORT (dual stack) and relays to SANDBOX:PORT; the server sees the
 * host end of the veth as the client.
 *
 * Binding happens before anything else is created, so "port in use" fails early and
 * cleanly. One thread polls the listeners and the UDP sessions; each TCP connection gets
 * a detached thread. All of it dies with the glassbox process.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "net_priv.h"
#include "util.h"

#define UDP_SESSIONS 64
#define UDP_IDLE_SEC 60

struct listener {
	int fd;
	struct gb_publish pub;
};

struct udp_session {
	int fd; /* connected to the sandbox; -1 when free */
	int listener;
	struct sockaddr_in6 client;
	time_t last;
};

struct gb_proxy {
	struct in_addr target;
	struct listener l[GB_NET_MAX_PUBLISH];
	unsigned int n;
	int stop_fd;
	bool started;
	pthread_t thread;
	struct udp_session s[UDP_SESSIONS];
};

static int listen_on(const struct gb_publish *p)
{
	int type = p->proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;
	union {
		struct sockaddr_in6 a6;
		struct sockaddr_in a4;
	} a;
	socklen_t alen;
	int fd, zero = 0, one = 1, err;

	memset(&a, 0, sizeof(a));
	fd = socket(AF_INET6, type | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
		a.a6.sin6_family = AF_INET6;
		a.a6.sin6_port = htons(p->host_port);
		alen = sizeof(a.a6);
	} else if (errno == EAFNOSUPPORT) { /* IPv6 disabled on this host */
		fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
		a.a4.sin_family = AF_INET;
		a.a4.sin_port = htons(p->host_port);
		alen = sizeof(a.a4);
	}
	if (fd < 0)
		return -errno;
	/* TCP only: for UDP, SO_REUSEADDR would let two sockets share the port */
	if (type == SOCK_STREAM)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, alen) || (type == SOCK_STREAM && listen(fd, 128))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int gb_proxy_bind(const struct gb_net_opts *o, struct gb_proxy **out)
{
	struct gb_proxy *p = calloc(1, sizeof(*p));
	int fd;

	if (!p)
		return -ENOMEM;
	p->stop_fd = -1;
	for (int i = 0; i < UDP_SESSIONS; i++)
		p->s[i].fd = -1;
	for (unsigned int i = 0; i < o->n_publish; i++) {
		const struct gb_publish *pub = &o->publish[i];

		fd = listen_on(pub);
		if (fd < 0) {
			gb_err("--publish %u:%u/%s: bind port %u: %s", pub->host_port,
			       pub->sandbox_port, pub->proto == IPPROTO_TCP ? "tcp" : "udp",
			       pub->host_port,
			       fd == -EADDRINUSE ? "already in use on the host" : strerror(-fd));
			gb_proxy_destroy(p);
			return fd;
		}
		p->l[p->n].fd = fd;
		p->l[p->n++].pub = *pub;
	}
	p->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (p->stop_fd < 0) {
		int err = -errno;

		gb_err("eventfd: %s", strerror(errno));
		gb_proxy_destroy(p);
		return err;
	}
	*out = p;
	return 0;
}

struct tcp_conn {
	int client;
	struct sockaddr_in target;
};

/* Copy what is there from IN to OUT; 0 at EOF, <0 on error, >0 bytes. */
static ssize_t pump(int in, int out)
{
	char buf[16384];
	ssize_t n = read(in, buf, sizeof(buf)), off = 0, w;

	if (n <= 0)
		return n;
	while (off < n) {
		w = send(out, buf + off, n - off, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		off += w;
	}
	return n;
}

static void *tcp_relay(void *arg)
{
	struct tcp_conn *c = arg;
	struct pollfd pfd[2];
	bool open_in[2] = { true, true };
	int up;

	up = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (up < 0 || connect(up, (struct sockaddr *)&c->target, sizeof(c->target)))
		goto out;
	pfd[0].fd = c->client;
	pfd[1].fd = up;
	while (open_in[0] || open_in[1]) {
		for (int i = 0; i < 2; i++)
			pfd[i].events = open_in[i] ? POLLIN : 0;
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (!open_in[i] || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = pump(pfd[i].fd, pfd[1 - i].fd);
			if (n < 0)
				goto out;
			if (n == 0) { /* half-close: pass the EOF on */
				open_in[i] = false;
				shutdown(pfd[1 - i].fd, SHUT_WR);
			}
		}
	}
out:
	if (up >= 0)
		close(up);
	close(c->client);
	free(c);
	return NULL;
}

static void tcp_accept(struct gb_proxy *p, struct listener *l)
{
	struct tcp_conn *c;
	pthread_attr_t attr;
	pthread_t t;
	int fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return;
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->client = fd;
	c->target.sin_family = AF_INET;
	c->target.sin_addr = p->target;
	c->target.sin_port = htons(l->pub.sandbox_port);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, tcp_relay, c)) {
		close(fd);
		free(c);
	}
	pthread_attr_destroy(&attr);
}

static void udp_close(struct udp_session *s)
{
	close(s->fd);
	s->fd = -1;
}

/* A datagram from a client: to the sandbox through the client's own connected socket. */
static void udp_from_client(struct gb_proxy *p, int li)
{
	struct listener *l = &p->l[li];
	struct sockaddr_in6 from;
	socklen_t fl = sizeof(from);
	char buf[65536];
	struct udp_session *s = NULL, *oldest = &p->s[0];
	ssize_t n = recvfrom(l->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);

	if (n < 0)
		return;
	for (int i = 0; i < UDP_SESSIONS; i++) {
		struct udp_session *c = &p->s[i];

		if (c->fd >= 0 && c->listener == li && !memcmp(&c->client, &from, sizeof(from))) {
			s = c;
			break;
		}
		/* a free slot, or else the one idle longest */
		if (oldest->fd >= 0 && (c->fd < 0 || c->last < oldest->last))
			oldest = c;
	}
	if (!s) {
		struct sockaddr_in t = { .sin_family = AF_INET, .sin_addr = p->target,
					 .sin_port = htons(l->pub.sandbox_port) };

		s = oldest;
		if (s->fd >= 0)
			udp_close(s);
		s->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (s->fd < 0)
			return;
		if (connect(s->fd, (struct sockaddr *)&t, sizeof(t))) {
			udp_close(s);
			return;
		}
		s->listener = li;
		s->client = from;
	}
	s->last = time(NULL);
	send(s->fd, buf, n, 0);
}

static void udp_from_sandbox(struct gb_proxy *p, struct udp_session *s)
{
	char buf[65536];
	ssize_t n = recv(s->fd, buf, sizeof(buf), 0);

	if (n < 0)
		return;
	s->last = time(NULL);
	sendto(p->l[s->listener].fd, buf, n, 0, (struct sockaddr *)&s->client, sizeof(s->client));
}

static void *proxy_main(void *arg)
{
	struct gb_proxy *p = arg;
	struct pollfd pfd[1 + GB_NET_MAX_PUBLISH + UDP_SESSIONS];
	int sess[UDP_SESSIONS];

	for (;;) {
		unsigned int n = 0, ns = 0;
		time_t now = time(NULL);

		pfd[n++] = (struct pollfd){ .fd = p->stop_fd, .events = POLLIN };
		for (unsigned int i = 0; i < p->n; i++)
			pfd[n++] = (struct pollfd){ .fd = p->l[i].fd, .events = POLLIN };
		for (int i = 0; i < UDP_SESSIONS; i++) {
			if (p->s[i].fd >= 0 && now - p->s[i].last > UDP_IDLE_SEC)
				udp_close(&p->s[i]);
			if (p->s[i].fd >= 0) {
				sess[ns++] = i;
				pfd[n++] = (struct pollfd){ .fd = p->s[i].fd, .events = POLLIN };
			}
		}
		if (poll(pfd, n, ns ? 10000 : -1) < 0 && errno != EINTR)
			return NULL;
		if (pfd[0].revents)
			return NULL;
		for (unsigned int i = 0; i < p->n; i++) {
			if (!(pfd[1 + i].revents & POLLIN))
				continue;
			if (p->l[i].pub.proto == IPPROTO_TCP)
				tcp_accept(p, &p->l[i]);
			else
				udp_from_client(p, i);
		}
		for (unsigned int i = 0; i < ns; i++)
			if (pfd[1 + p->n + i].revents & POLLIN && p->s[sess[i]].fd >= 0)
				udp_from_sandbox(p, &p->s[sess[i]]);
	}
}

int gb_proxy_start(struct gb_proxy *p, struct in_addr target)
{
	int err;

	p->target = target;
	err = pthread_create(&p->thread, NULL, proxy_main, p);

	if (err) {
		gb_err("pthread_create (publish proxy): %s", strerror(err));
		return -err;
	}
	p->started = true;
	return 0;
}

void gb_proxy_destroy(struct gb_proxy *p)
{
	uint64_t one = 1;

	if (!p)
		return;
	if (p->started) {
		if (write(p->stop_fd, &one, sizeof(one)) == sizeof(one))
			pthread_join(p->thread, NULL);
	}
	for (unsigned int i = 0; i < p->n; i++)
		close(p->l[i].fd);
	for (int i = 0; i < UDP_SESSIONS; i++)
		if (p->s[i].fd >= 0)
			close(p->s[i].fd);
	if (p->stop_fd >= 0)
		close(p->stop_fd);
	free(p);
}
