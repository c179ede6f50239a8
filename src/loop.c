// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include "loop.h"
#include "util.h"

/* signals glassbox itself catches; the rest keep their default */
static const int handled[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGCHLD };

/*
 * Signals glassbox was started with ignored (nohup's SIGHUP, SIGINT in a shell's
 * background job) stay ignored, for glassbox and for COMMAND: they are recorded in
 * *ignored and left out of the signalfd. SIGCHLD is the exception: glassbox must wait
 * for its child, so it gets the default back.
 */
int gb_signals_open(sigset_t *ignored)
{
	struct sigaction old;
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigemptyset(ignored);
	signal(SIGCHLD, SIG_DFL);
	for (size_t i = 0; i < GB_ARRAY_SIZE(handled); i++) {
		if (!sigaction(handled[i], NULL, &old) && old.sa_handler == SIG_IGN) {
			sigaddset(ignored, handled[i]);
			continue;
		}
		sigaddset(&set, handled[i]);
	}
	if (!sigaction(SIGPIPE, NULL, &old) && old.sa_handler == SIG_IGN)
		sigaddset(ignored, SIGPIPE);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN); /* a closed output is an error to report, not death */
	fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0)
		gb_err("signalfd failed: %s", strerror(errno));
	return fd;
}

enum { SRC_RING, SRC_SIGNAL, SRC_WATCH };

static int add(int ep, int fd, uint32_t src)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = src };

	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev)) {
		int err = -errno;

		gb_err("epoll_ctl(ADD fd %d) failed: %s", fd, strerror(errno));
		return err;
	}
	return 0;
}

int gb_event_loop(struct gb_observer *ob, int sigfd, int watch_fd, const struct gb_loop_ops *ops,
		  void *arg)
{
	struct epoll_event evs[4];
	int ep, err, done = 0;

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) {
		err = -errno;
		gb_err("epoll_create1 failed: %s", strerror(errno));
		return err;
	}
	err = add(ep, gb_observer_fd(ob), SRC_RING);
	if (!err)
		err = add(ep, sigfd, SRC_SIGNAL);
	if (!err && watch_fd >= 0)
		err = add(ep, watch_fd, SRC_WATCH);

	while (!err && !done) {
		int n = epoll_wait(ep, evs, GB_ARRAY_SIZE(evs), GB_POLL_MS);

		if (n < 0 && errno != EINTR) {
			err = -errno;
			gb_err("epoll_wait failed: %s", strerror(errno));
			break;
		}
		for (int i = 0; i < n; i++) {
			if (evs[i].data.u32 == SRC_SIGNAL) {
				struct signalfd_siginfo si;

				while (read(sigfd, &si, sizeof(si)) == sizeof(si))
					if (ops->signal && ops->signal(arg, &si))
						done = 1;
			} else if (evs[i].data.u32 == SRC_WATCH) {
				if (!ops->watch || ops->watch(arg))
					done = 1;
			}
		}
		gb_observer_consume(ob);
		if (!done && ops->tick && ops->tick(arg))
			done = 1;
	}
	/* what the last tasks did is in the ring buffer before their end is seen */
	while (gb_observer_consume(ob) > 0)
		;
	close(ep);
	return err;
}
