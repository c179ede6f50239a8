// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The sandbox's PID 1. The kernel gives a namespace's init special treatment: signals
 * without a handler do not reach it, and when it exits every other process of the
 * namespace is killed. So this init blocks every signal and reads them from a
 * signalfd (blocked signals are queued even for an init), starts COMMAND as PID 2,
 * reaps every orphan that is re-parented to it, forwards the usual termination and
 * user signals to COMMAND, and exits with COMMAND's status.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "spawn.h"
#include "util.h"

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };

void gb_exec_command(const struct gb_spawn_opts *o)
{
	sigset_t none;
	int err;

	/* COMMAND starts with nothing blocked and the dispositions glassbox was started
	 * with: default, or ignored where whoever started glassbox ignored them (nohup) */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (size_t i = 0; i < GB_ARRAY_SIZE(forwarded); i++)
		signal(forwarded[i], sigismember(&o->ignored, forwarded[i]) ? SIG_IGN : SIG_DFL);
	signal(SIGPIPE, sigismember(&o->ignored, SIGPIPE) ? SIG_IGN : SIG_DFL);
	execv(o->path, o->argv);
	err = errno;
	gb_err("%s: %s", o->argv[0], strerror(err));
	_exit(err == ENOENT ? GB_EXIT_NOT_FOUND : GB_EXIT_CANNOT_EXEC);
}

void gb_init_main(int sync_fd, const struct gb_spawn_opts *o)
{
	sigset_t all;
	pid_t cmd;
	int sfd;

	/* "glassbox-init" in ps and in events, apart from glassbox itself on the host */
	prctl(PR_SET_NAME, "glassbox-init");
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	sfd = signalfd(-1, &all, SFD_CLOEXEC);
	if (sfd < 0) {
		gb_err("sandbox init: signalfd failed: %s", strerror(errno));
		_exit(GB_EXIT_FAILURE);
	}
	cmd = fork();
	if (cmd < 0) {
		gb_err("sandbox init: fork failed: %s", strerror(errno));
		_exit(GB_EXIT_FAILURE);
	}
	if (cmd == 0) {
		close(sfd);
		close(sync_fd);
		gb_exec_command(o);
	}

	for (;;) {
		struct signalfd_siginfo si;
		ssize_t n = read(sfd, &si, sizeof(si));

		if (n != sizeof(si)) {
			if (n < 0 && errno == EINTR)
				continue;
			_exit(GB_EXIT_FAILURE);
		}
		if (si.ssi_signo == SIGCHLD) {
			int status;
			pid_t p;

			/* reap everything: COMMAND and every orphan handed to us */
			while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
				if (p != cmd)
					continue;
				(void)!send(sync_fd, &status, sizeof(status), MSG_NOSIGNAL);
				_exit(gb_exit_code_of(status));
			}
			continue;
		}
		for (size_t i = 0; i < GB_ARRAY_SIZE(forwarded); i++) {
			if ((int)si.ssi_signo != forwarded[i])
				continue;
			/* a terminal's Ctrl-C already reached COMMAND, which shares our process
			 * group: forward only what was sent to us alone */
			if (si.ssi_code == SI_KERNEL)
				break;
			kill(cmd, si.ssi_signo);
			break;
		}
	}
}
