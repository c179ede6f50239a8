// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sysfail PID: make every signal-sending syscall fail against PID (a PID this process
 * cannot see, e.g. a host PID from inside a sandbox), then two clones the kernel
 * refuses. One JSON line per call on stdout, in order:
 *   {"syscall":"kill","sig":15,"pid":PID,"errno":3}
 * pidfd_send_signal goes to a pidfd of this process itself with signal 0 and a flag
 * the kernel does not know (EINVAL); clone gets CLONE_THREAD without CLONE_SIGHAND
 * (EINVAL), clone3 a struct size below the first version's (EINVAL).
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/sched.h>
#include <sys/syscall.h>

static void report(const char *name, int sig, long pid, long r)
{
	printf("{\"syscall\":\"%s\",\"sig\":%d,\"pid\":%ld,\"ret\":%ld,\"errno\":%d}\n", name, sig,
	       pid, r, r < 0 ? errno : 0);
}

int main(int argc, char **argv)
{
	siginfo_t info;
	struct clone_args ca;
	long pid, r;
	int pidfd;

	if (argc != 2 || (pid = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: sysfail PID\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&info, 0, sizeof(info));
	info.si_signo = SIGUSR1;
	info.si_code = SI_QUEUE; /* what sigqueue(3) sends */
	info.si_pid = getpid();

	r = syscall(SYS_kill, pid, SIGTERM);
	report("kill", SIGTERM, pid, r);
	r = syscall(SYS_tkill, pid, SIGHUP);
	report("tkill", SIGHUP, pid, r);
	r = syscall(SYS_tgkill, pid, pid, SIGINT);
	report("tgkill", SIGINT, pid, r);
	r = syscall(SYS_rt_sigqueueinfo, pid, SIGUSR1, &info);
	report("rt_sigqueueinfo", SIGUSR1, pid, r);
	r = syscall(SYS_rt_tgsigqueueinfo, pid, pid, SIGUSR1, &info);
	report("rt_tgsigqueueinfo", SIGUSR1, pid, r);
	pidfd = syscall(SYS_pidfd_open, getpid(), 0);
	if (pidfd < 0) {
		perror("pidfd_open");
		return 1;
	}
	r = syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0x80000000u);
	report("pidfd_send_signal", 0, pidfd, r);

	r = syscall(SYS_clone, CLONE_THREAD | SIGCHLD, 0, 0, 0, 0);
	if (r == 0)
		_exit(0);
	report("clone", 0, 0, r);
	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_NEWNET;
	ca.exit_signal = SIGCHLD;
	r = syscall(SYS_clone3, &ca, 8);
	if (r == 0)
		_exit(0);
	report("clone3", 0, 0, r);
	return 0;
}
