// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * runstat [-o FILE] -- COMMAND [ARGS...]: run COMMAND, wait for it, and report its wall
 * time and its peak resident set size (wait4's ru_maxrss: the largest of COMMAND and
 * every descendant it waited for). The report, one line
 * "runstat: wall_ns=N maxrss_kb=N status=N", goes to FILE (appended) or stderr; COMMAND's
 * own output is left alone. Exits with COMMAND's status.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	const char *out = NULL;
	struct timespec t0, t1;
	struct rusage ru;
	int opt, status;
	FILE *f = stderr;
	pid_t pid;

	while ((opt = getopt(argc, argv, "+o:")) != -1) {
		if (opt != 'o') {
			fprintf(stderr, "usage: runstat [-o FILE] -- COMMAND [ARGS...]\n");
			return 2;
		}
		out = optarg;
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: runstat [-o FILE] -- COMMAND [ARGS...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("runstat: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "runstat: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("runstat: wait4");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (out && !(f = fopen(out, "a"))) {
		fprintf(stderr, "runstat: %s: %s\n", out, strerror(errno));
		return 1;
	}
	fprintf(f, "runstat: wall_ns=%lld maxrss_kb=%ld status=%d\n",
		(long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec),
		ru.ru_maxrss, status);
	if (f != stderr)
		fclose(f);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
