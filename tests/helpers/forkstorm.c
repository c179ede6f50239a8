// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * forkstorm [-n COUNT]: COUNT times fork(), the child _exit(0)s at once, the parent
 * waits for it. Prints one line: "forkstorm: forks=N seconds=S rate=R".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long count = 10000;
	double t0, t1;
	int opt;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		char *end;

		if (opt != 'n') {
			fprintf(stderr, "usage: forkstorm [-n COUNT]\n");
			return 2;
		}
		errno = 0;
		count = strtol(optarg, &end, 10);
		if (errno || end == optarg || *end || count <= 0) {
			fprintf(stderr, "forkstorm: bad count '%s'\n", optarg);
			return 2;
		}
	}
	t0 = now();
	for (long i = 0; i < count; i++) {
		int status;
		pid_t p = fork();

		if (p < 0) {
			perror("forkstorm: fork");
			return 1;
		}
		if (p == 0)
			_exit(0);
		while (waitpid(p, &status, 0) < 0) {
			if (errno != EINTR) {
				perror("forkstorm: waitpid");
				return 1;
			}
		}
	}
	t1 = now();
	printf("forkstorm: forks=%ld seconds=%.6f rate=%.0f\n", count, t1 - t0,
	       count / (t1 - t0));
	return 0;
}
