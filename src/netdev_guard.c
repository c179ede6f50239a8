// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The --netdev guard process (see netdev_guard.h).
 *
 * Status pipe, guard -> glassbox, once: "OK" after every device moved in, or
 * "E<message>" after a failure (devices already moved are moved back first).
 * Control pipe, glassbox -> guard: never written; its EOF means "give them back".
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "netdev_guard.h"
#include "netdev_nl.h"
#include "nl.h"
#include "util.h"

/* fds in the guard, after everything else inherited from glassbox is closed */
enum { FD_HOST = 3, FD_SANDBOX, FD_STATUS, FD_CTL, FD_FIRST_FREE };

struct lent {
	char name[GB_IFNAME_LEN]; /* in the host, before and after */
	int32_t sb_ifindex;       /* in the sandbox; stable while it is there */
};

static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int len;

	buf[0] = 'E';
	va_start(ap, fmt);
	len = vsnprintf(buf + 1, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (len > (int)sizeof(buf) - 2)
		len = sizeof(buf) - 2;
	if (write(FD_STATUS, buf, len + 1) < 0)
		_exit(1);
}

/* A socket in the sandbox's namespace: setns there, open, setns back. */
static struct mnl_socket *sandbox_socket(void)
{
	struct mnl_socket *s;
	int err;

	if (setns(FD_SANDBOX, CLONE_NEWNET))
		return NULL;
	s = gb_nl_open(-1);
	err = errno;
	if (setns(FD_HOST, CLONE_NEWNET))
		_exit(1); /* cannot happen for root; never act from the wrong namespace */
	errno = err;
	return s;
}

/*
 * Move one device back to the host under its original name. If that name was taken
 * in the host meanwhile, the kernel moves the device but refuses the rename (EEXIST):
 * it is back under the name the sandbox left it with. If that one is taken too, the
 * move itself is refused; then a name the kernel numbers (its original, shortened,
 * plus %d) gets it back.
 */
static int give_back(struct mnl_socket *sb, const struct lent *l)
{
	char now[GB_IFNAME_LEN], pat[GB_IFNAME_LEN];
	int err = gb_ndnl_link_move(sb, l->sb_ifindex, l->name, FD_HOST);

	if (err != -EEXIST)
		return err;
	if (gb_ndnl_link_name(sb, l->sb_ifindex, now) == -ENODEV) {
		gb_err("--netdev %s is back, but under the name the sandbox gave it: %s was "
		       "taken in the meantime", l->name, l->name);
		return 0;
	}
	snprintf(pat, sizeof(pat), "%.*s%%d", GB_IFNAME_LEN - 4, l->name);
	err = gb_ndnl_link_move(sb, l->sb_ifindex, pat, FD_HOST);
	if (!err)
		gb_err("--netdev %s is back, but renamed after the pattern %s: %s and %s were "
		       "taken in the meantime", l->name, pat, l->name, now);
	return err;
}

static int give_all_back(struct mnl_socket *sb, const struct lent *lent, size_t n)
{
	int failed = 0;

	for (size_t i = 0; i < n; i++) {
		int err = give_back(sb, &lent[i]);

		if (err == -ENODEV)
			gb_err("--netdev %s is no longer in the sandbox's namespace (deleted, or "
			       "moved on from there)", lent[i].name);
		else if (err)
			gb_err("moving --netdev %s back failed: %s", lent[i].name, strerror(-err));
		failed += err != 0;
	}
	return failed;
}

static void __attribute__((noreturn)) guard_main(char *const *names, size_t n)
{
	struct lent lent[GB_NETDEV_MAX];
	struct mnl_socket *host, *sb;
	size_t moved = 0;
	char c;
	int err;

	setsid(); /* out of glassbox's process group: a Ctrl-C or kill -PGID spares us */
	prctl(PR_SET_NAME, GB_NETDEV_GUARD_COMM);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);

	host = gb_nl_open(-1);
	sb = sandbox_socket();
	if (!host || !sb) {
		say("rtnetlink socket: %s", strerror(errno));
		_exit(1);
	}
	for (; moved < n; moved++) {
		struct lent *l = &lent[moved];
		int32_t ifindex;

		snprintf(l->name, sizeof(l->name), "%s", names[moved]);
		err = gb_ndnl_link_index(host, l->name, &ifindex);
		if (!err)
			err = gb_ndnl_link_move(host, ifindex, NULL, FD_SANDBOX);
		if (err) {
			give_all_back(sb, lent, moved);
			say("--netdev %s: %s", l->name,
			    err == -ENODEV ? "no such device in glassbox's network namespace"
			    : err == -EINVAL ? "this device cannot change namespace"
					     : strerror(-err));
			_exit(1);
		}
		err = gb_ndnl_link_index(sb, l->name, &l->sb_ifindex);
		if (err) { /* moved, but not found there: COMMAND has not started, so only a
			    * failing socket does that; this one cannot be given back */
			give_all_back(sb, lent, moved);
			say("--netdev %s: not found in the sandbox after the move: %s", l->name,
			    strerror(-err));
			_exit(1);
		}
	}
	if (write(FD_STATUS, "OK", 2) != 2) /* glassbox died while we were moving them */
		_exit(give_all_back(sb, lent, n) ? 1 : 0);
	close(FD_STATUS);

	for (;;) { /* EOF: glassbox is done or gone */
		ssize_t r = read(FD_CTL, &c, 1);

		if (r == 0 || (r < 0 && errno != EINTR))
			break;
	}
	_exit(give_all_back(sb, lent, n) ? 1 : 0);
}

/* dup2 the guard's fds into place and close everything else glassbox had open: BPF
 * links and maps, the sandbox's socketpair, the output. */
static int place_fds(int host, int sandbox, int status, int ctl)
{
	int fds[] = { host, sandbox, status, ctl };

	/* first above the target range, so no dup2 overwrites a source still needed */
	for (size_t i = 0; i < 4; i++) {
		fds[i] = fcntl(fds[i], F_DUPFD, FD_FIRST_FREE + 16);
		if (fds[i] < 0)
			return -1;
	}
	for (size_t i = 0; i < 4; i++)
		if (dup2(fds[i], FD_HOST + (int)i) < 0)
			return -1;
	return close_range(FD_FIRST_FREE, ~0u, 0);
}

int gb_netdev_guard_start(struct gb_netdev_guard *g, pid_t sandbox_pid, char *const *names,
			  size_t n, char *msg, size_t msg_size)
{
	int status[2] = { -1, -1 }, ctl[2] = { -1, -1 }, host = -1, sandbox = -1;
	char path[64], buf[512];
	ssize_t len;
	int err = 0, ws;

	g->pid = 0;
	g->ctl_fd = -1;
	msg[0] = 0;
	if (n > GB_NETDEV_MAX) {
		snprintf(msg, msg_size, "at most %d --netdev", GB_NETDEV_MAX);
		return -E2BIG;
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)sandbox_pid);
	host = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	sandbox = open(path, O_RDONLY | O_CLOEXEC);
	if (host < 0 || sandbox < 0) {
		err = -errno;
		snprintf(msg, msg_size, "opening %s: %s", host < 0 ? "/proc/self/ns/net" : path,
			 strerror(errno));
		goto out;
	}
	if (pipe2(status, O_CLOEXEC) || pipe2(ctl, O_CLOEXEC)) {
		err = -errno;
		snprintf(msg, msg_size, "pipe2: %s", strerror(errno));
		goto out;
	}
	g->pid = fork();
	if (g->pid < 0) {
		err = -errno;
		g->pid = 0;
		snprintf(msg, msg_size, "fork: %s", strerror(errno));
		goto out;
	}
	if (g->pid == 0) {
		if (place_fds(host, sandbox, status[1], ctl[0]))
			_exit(1);
		guard_main(names, n);
	}
	close(status[1]), status[1] = -1;
	close(ctl[0]), ctl[0] = -1;
	do
		len = read(status[0], buf, sizeof(buf) - 1);
	while (len < 0 && errno == EINTR);
	if (len == 2 && !memcmp(buf, "OK", 2)) {
		g->ctl_fd = ctl[1];
		ctl[1] = -1;
		goto out;
	}
	err = -EIO;
	if (len > 1 && buf[0] == 'E') {
		buf[len] = 0;
		snprintf(msg, msg_size, "%s", buf + 1);
	} else {
		snprintf(msg, msg_size, "the --netdev guard process died");
	}
	while (waitpid(g->pid, &ws, 0) < 0 && errno == EINTR)
		;
	g->pid = 0;
out:
	{
		int fds[] = { status[0], status[1], ctl[0], ctl[1], host, sandbox };

		for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
			if (fds[i] >= 0)
				close(fds[i]);
	}
	return err;
}

int gb_netdev_guard_stop(struct gb_netdev_guard *g)
{
	int ws;

	if (g->ctl_fd >= 0) {
		close(g->ctl_fd);
		g->ctl_fd = -1;
	}
	if (g->pid <= 0)
		return 0;
	while (waitpid(g->pid, &ws, 0) < 0) {
		if (errno != EINTR) {
			g->pid = 0;
			return -errno;
		}
	}
	g->pid = 0;
	return WIFEXITED(ws) && WEXITSTATUS(ws) == 0 ? 0 : -EIO;
}
