// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The reaper: a small process forked before a run adds anything that outlives glassbox
 * by itself (a bridge, a /run/netns bind mount, a veth in a joined namespace, ip_forward).
 * It waits on a pipe whose only write end glassbox holds (the sandbox closes every
 * inherited fd). A 'Q' means glassbox tore down itself: exit. EOF without it means
 * glassbox died, SIGKILL included: collect what the dead run left, then exit. The next
 * start collects too, should the reaper itself have been killed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "net_priv.h"
#include "util.h"

/* Close every fd from 3 up but A and B. */
static void close_all_but(int a, int b)
{
	int lo = a < b ? a : b, hi = a < b ? b : a;

	if (lo < 0)
		lo = hi;
	if (lo > 3)
		syscall(SYS_close_range, 3, lo - 1, 0);
	if (hi > lo + 1)
		syscall(SYS_close_range, lo + 1, hi - 1, 0);
	syscall(SYS_close_range, hi + 1, ~0U, 0);
}

static void __attribute__((noreturn)) reaper_main(int fd, pid_t owner)
{
	/* the pipe's EOF comes when glassbox's fd table goes, before it is quite dead (a
	 * zombie): collection would still count it as alive. Its pidfd says when it is. */
	int pidfd = syscall(SYS_pidfd_open, owner, 0);
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	sigset_t all;
	ssize_t n;
	char c;
	int null;

	/* Ctrl-C reaches the whole foreground group: the reaper outlives it, on EOF only */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	prctl(PR_SET_NAME, "glassbox-reaper");
	/* hold nothing of glassbox's (BPF programs, sockets, a pipe a caller reads to EOF) */
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int i = 0; i < 3; i++)
		if (null >= 0)
			dup2(null, i);
	close_all_but(fd, pidfd);
	do
		n = read(fd, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n == 1)
		_exit(0);
	if (pidfd >= 0)
		poll(&p, 1, 5000);
	gb_net_collect_garbage();
	_exit(0);
}

int gb_reaper_start(struct gb_net_state *st)
{
	int p[2], err;
	pid_t pid;

	if (st->reaper_pid > 0)
		return 0;
	if (pipe2(p, O_CLOEXEC)) {
		err = -errno;
		gb_err("pipe2 (reaper): %s", strerror(errno));
		return err;
	}
	pid = fork();
	if (pid < 0) {
		err = -errno;
		gb_err("fork (reaper): %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return err;
	}
	if (pid == 0) {
		close(p[1]);
		reaper_main(p[0], st->owner);
	}
	close(p[0]);
	st->reaper_pid = pid;
	st->reaper_fd = p[1];
	return 0;
}

void gb_reaper_stop(struct gb_net_state *st)
{
	if (st->reaper_pid <= 0)
		return;
	if (write(st->reaper_fd, "Q", 1) != 1)
		gb_err("tell the reaper to exit: %s", strerror(errno));
	close(st->reaper_fd);
	while (waitpid(st->reaper_pid, NULL, 0) < 0 && errno == EINTR)
		;
	st->reaper_pid = 0;
	st->reaper_fd = -1;
}
