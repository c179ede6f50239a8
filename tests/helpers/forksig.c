// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * forksig N K: fork N children that exit at once (each reaped), then send itself K
 * SIGUSR1 (caught). Prints "pid=<getpid()> forks=N signals=K" so a test can match the
 * events glassbox reports against what really happened.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t caught;

static void on_usr1(int sig)
{
	caught++;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	long n, k;

	if (argc != 3 || (n = atol(argv[1])) < 0 || (k = atol(argv[2])) < 0) {
		fprintf(stderr, "usage: forksig N K\n");
		return 2;
	}
	sigaction(SIGUSR1, &sa, NULL);
	for (long i = 0; i < n; i++) {
		pid_t p = fork();

		if (p < 0)
			return 1;
		if (p == 0)
			_exit(0);
		waitpid(p, NULL, 0);
	}
	for (long i = 0; i < k; i++)
		kill(getpid(), SIGUSR1); /* delivered before kill() returns: one at a time */
	printf("pid=%d forks=%ld signals=%ld caught=%d\n", getpid(), n, k, (int)caught);
	return caught == k ? 0 : 1;
}
