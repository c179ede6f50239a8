// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * pidfd_setns PID COMMAND [ARGS...]: join PID's network and PID namespaces with one
 * setns(pidfd, CLONE_NEWNET | CLONE_NEWPID) (as nsenter does since util-linux 2.39),
 * then fork: the child, in PID's PID namespace, runs COMMAND. Exits with its status.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	int pidfd, status;
	pid_t child;

	if (argc < 3 || atoi(argv[1]) <= 0) {
		fprintf(stderr, "usage: pidfd_setns PID COMMAND [ARGS...]\n");
		return 2;
	}
	pidfd = syscall(SYS_pidfd_open, atoi(argv[1]), 0);
	if (pidfd < 0) {
		perror("pidfd_open");
		return 1;
	}
	if (setns(pidfd, CLONE_NEWNET | CLONE_NEWPID)) {
		perror("setns");
		return 1;
	}
	child = fork();
	if (child < 0) {
		perror("fork");
		return 1;
	}
	if (child == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	if (waitpid(child, &status, 0) < 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
