// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * net_run [NETWORK OPTIONS] -- COMMAND...: the network module driven the way spawn.c
 * drives it (prepare, clone, host set-up while the child waits, release, tear-down), for
 * testing the module before and apart from `glassbox run`. Not installed.
 */
#include <fcntl.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "net.h"
#include "util.h"

static volatile sig_atomic_t stop_sig;

static void on_signal(int sig)
{
	stop_sig = sig;
}

int main(int argc, char **argv)
{
	struct gb_net_opts o;
	struct gb_net_state st;
	int i, go[2], status = 0;
	pid_t pid;
	char c = 'G';

	gb_net_opts_init(&o);
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		char name[64], *eq;
		const char *arg = NULL;
		int kind;

		if (strncmp(argv[i], "--", 2))
			break;
		snprintf(name, sizeof(name), "%s", argv[i] + 2);
		eq = strchr(name, '=');
		if (eq) {
			*eq = '\0';
			arg = argv[i] + 2 + (eq - name) + 1;
		}
		kind = gb_net_opt_kind(name);
		if (!kind) {
			gb_err("unknown option %s", argv[i]);
			return 2;
		}
		if (kind == 2 && !arg) {
			if (i + 1 >= argc) {
				gb_err("%s needs an argument", argv[i]);
				return 2;
			}
			arg = argv[++i];
		}
		if (kind == 3 && !arg && i + 1 < argc && gb_net_opt_arg_fits(name, argv[i + 1]))
			arg = argv[++i];
		if (gb_net_opt_parse(&o, name, arg))
			return 2;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc) {
		gb_err("usage: net_run [network options] -- COMMAND...");
		return 2;
	}
	if (gb_net_opts_finish(&o))
		return 2;

	gb_net_state_init(&st);
	if (gb_net_prepare(&o, &st)) {
		gb_net_teardown(&st);
		return 1;
	}
	if (pipe2(go, O_CLOEXEC)) {
		gb_err("pipe2: %s", strerror(errno));
		gb_net_teardown(&st);
		return 1;
	}
	if (gb_net_clone_enter(&st)) {
		gb_net_teardown(&st);
		return 1;
	}
	pid = syscall(SYS_clone, SIGCHLD | CLONE_NEWPID | gb_net_clone_flags(&o), 0, 0, 0, 0);
	if (pid != 0)
		gb_net_clone_leave(&st);
	if (pid < 0) {
		gb_err("clone: %s", strerror(errno));
		gb_net_teardown(&st);
		return 1;
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		execvp(argv[i], argv + i);
		gb_err("exec %s: %s", argv[i], strerror(errno));
		_exit(127);
	}
	close(go[0]);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (gb_net_host_setup(&o, pid, &st)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 1;
	}
	if (write(go[1], &c, 1) != 1) {
		gb_err("release the sandbox: %s", strerror(errno));
		kill(pid, SIGKILL);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			break;
		if (stop_sig)
			kill(pid, SIGKILL);
	}
	gb_net_teardown(&st);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
