// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * gbnc: the TCP/UDP ends the network tests need (no netcat or socat on the machine).
 *   gbnc serve  ADDR PORT TAG [N]   TCP: per connection, read to EOF, answer
 *                                   "TAG PEER_ADDR DATA", close; exit after N (default 1)
 *   gbnc connect ADDR PORT MSG [S]  TCP: send MSG, print the answer; retry a refused or
 *                                   unreachable connect for S seconds (default 5)
 *   gbnc userve ADDR PORT TAG [N]   the same over UDP, one datagram each
 *   gbnc usend ADDR PORT MSG [S]    UDP: send MSG until an answer comes, for S seconds
 * With GBNC_READY=FILE in the environment, serve and userve create FILE once listening.
 * ADDR is IPv4 or IPv6. Exit 0 on success, 1 with a line on stderr otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static socklen_t addr_of(const char *s, int port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		return sizeof(*a4);
	}
	if (inet_pton(AF_INET6, s, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		return sizeof(*a6);
	}
	fprintf(stderr, "gbnc: bad address %s\n", s);
	exit(1);
}

static const char *peer_str(const struct sockaddr_storage *ss, char *buf, size_t size)
{
	if (ss->ss_family == AF_INET)
		return inet_ntop(AF_INET, &((struct sockaddr_in *)ss)->sin_addr, buf, size);
	return inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ss)->sin6_addr, buf, size);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int serve(const char *addr, int port, const char *tag, int n, int type)
{
	struct sockaddr_storage ss, peer;
	socklen_t len = addr_of(addr, port, &ss), pl;
	int fd = socket(ss.ss_family, type | SOCK_CLOEXEC, 0), one = 1;
	char data[4096], out[4200], ps[INET6_ADDRSTRLEN];

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) ||
	    (type == SOCK_STREAM && listen(fd, 16))) {
		fprintf(stderr, "gbnc: listen %s:%d: %s\n", addr, port, strerror(errno));
		return 1;
	}
	if (getenv("GBNC_READY"))
		close(open(getenv("GBNC_READY"), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	for (int i = 0; i < n; i++) {
		ssize_t got = 0, r;
		int c = fd;

		pl = sizeof(peer);
		if (type == SOCK_STREAM) {
			c = accept4(fd, (struct sockaddr *)&peer, &pl, SOCK_CLOEXEC);
			if (c < 0)
				return 1;
			while (got < (ssize_t)sizeof(data) - 1 &&
			       (r = read(c, data + got, sizeof(data) - 1 - got)) > 0)
				got += r;
		} else {
			got = recvfrom(fd, data, sizeof(data) - 1, 0, (struct sockaddr *)&peer, &pl);
			if (got < 0)
				return 1;
		}
		data[got] = '\0';
		r = snprintf(out, sizeof(out), "%s %s %s", tag, peer_str(&peer, ps, sizeof(ps)), data);
		if (type == SOCK_STREAM) {
			if (write(c, out, r) != r)
				fprintf(stderr, "gbnc: write: %s\n", strerror(errno));
			close(c);
		} else {
			sendto(fd, out, r, 0, (struct sockaddr *)&peer, pl);
		}
	}
	return 0;
}

static bool connected(int fd, const struct sockaddr *sa, socklen_t len, double end)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int err = 0, left = (int)((end - now()) * 1000);
	socklen_t el = sizeof(err);

	if (connect(fd, sa, len) == 0)
		goto ok;
	if (errno != EINPROGRESS || poll(&p, 1, left > 0 ? left : 0) != 1)
		return errno = errno == EINPROGRESS ? ETIMEDOUT : errno, false;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) || err)
		return errno = err, false;
ok:
	fcntl(fd, F_SETFL, 0);
	return true;
}

static int tcp_connect(const char *addr, int port, const char *msg, double secs)
{
	struct sockaddr_storage ss;
	socklen_t len = addr_of(addr, port, &ss);
	double end = now() + secs;
	char buf[4200];
	ssize_t got = 0, r;
	int fd;

	for (;;) {
		/* non-blocking, so a silently dropped SYN cannot outlast SECS */
		fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (fd >= 0 && connected(fd, (struct sockaddr *)&ss, len, end))
			break;
		if (fd >= 0)
			close(fd);
		if (now() > end) {
			fprintf(stderr, "gbnc: connect %s:%d: %s\n", addr, port, strerror(errno));
			return 1;
		}
		usleep(50000);
	}
	if (write(fd, msg, strlen(msg)) != (ssize_t)strlen(msg)) {
		fprintf(stderr, "gbnc: write: %s\n", strerror(errno));
		return 1;
	}
	shutdown(fd, SHUT_WR);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	while (got < (ssize_t)sizeof(buf) - 1 && poll(&p, 1, (int)(secs * 1000) + 1000) == 1 &&
	       (r = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += r;
	if (got <= 0) {
		fprintf(stderr, "gbnc: no answer from %s:%d\n", addr, port);
		return 1;
	}
	buf[got] = '\0';
	printf("%s\n", buf);
	return 0;
}

static int udp_send(const char *addr, int port, const char *msg, double secs)
{
	struct sockaddr_storage ss;
	socklen_t len = addr_of(addr, port, &ss);
	double end = now() + secs;
	int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[4200];
	ssize_t r;

	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, len)) {
		fprintf(stderr, "gbnc: udp %s:%d: %s\n", addr, port, strerror(errno));
		return 1;
	}
	while (now() < end) {
		send(fd, msg, strlen(msg), 0);
		if (poll(&p, 1, 200) == 1 && (r = recv(fd, buf, sizeof(buf) - 1, 0)) > 0) {
			buf[r] = '\0';
			printf("%s\n", buf);
			return 0;
		}
	}
	fprintf(stderr, "gbnc: no UDP answer from %s:%d\n", addr, port);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: gbnc serve|connect|userve|usend ADDR PORT TAG|MSG [N|SECS]\n");
		return 1;
	}
	int port = atoi(argv[3]);
	const char *s = argv[4];

	if (!strcmp(argv[1], "serve"))
		return serve(argv[2], port, s, argc > 5 ? atoi(argv[5]) : 1, SOCK_STREAM);
	if (!strcmp(argv[1], "userve"))
		return serve(argv[2], port, s, argc > 5 ? atoi(argv[5]) : 1, SOCK_DGRAM);
	if (!strcmp(argv[1], "connect"))
		return tcp_connect(argv[2], port, s, argc > 5 ? atof(argv[5]) : 5);
	if (!strcmp(argv[1], "usend"))
		return udp_send(argv[2], port, s, argc > 5 ? atof(argv[5]) : 5);
	fprintf(stderr, "gbnc: unknown mode %s\n", argv[1]);
	return 1;
}
