// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sigflood K [GO_FILE DONE_FILE]: queue K real-time signals to itself (blocked, drained
 * in batches, so none is refused for lack of queue space), each one kernel
 * signal_generate event. With GO_FILE, wait until it exists before starting; with
 * DONE_FILE, create it when done. Prints "sent=K drained=K".
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec zero = { 0, 0 };
	long k, sent = 0, drained = 0;
	union sigval v = { .sival_int = 0 };
	sigset_t set;

	if (argc < 2 || (k = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: sigflood K [GO_FILE DONE_FILE]\n");
		return 2;
	}
	if (argc > 2)
		while (access(argv[2], F_OK))
			usleep(2000);
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	while (sent < k) {
		if (sigqueue(getpid(), SIGRTMIN, v) == 0)
			sent++;
		else
			return 1;
		if (sent % 256 == 0 || sent == k)
			while (sigtimedwait(&set, NULL, &zero) > 0)
				drained++;
	}
	if (argc > 3)
		close(open(argv[3], O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
	printf("sent=%ld drained=%ld\n", sent, drained);
	return drained == sent ? 0 : 1;
}
