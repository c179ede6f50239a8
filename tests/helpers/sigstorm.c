// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sigstorm [-n COUNT] [-w WINDOW] [-s SIGNO]: a storm of COUNT real-time signals between
 * two processes. The parent floods its child with signal SIGNO through sigqueue(); the
 * child takes them with sigwaitinfo() and answers every WINDOW/4-th with SIGNO+1, which
 * gives the parent back that many credits: at most WINDOW signals are ever queued, so
 * none is refused (the kernel's queue limit is never reached), none is merged (real-time
 * signals queue), and every one is generated once and taken once. -w 1 is ping-pong.
 * COUNT counts both directions. Prints one line:
 * "sigstorm: signals=N data=D acks=A seconds=S rate=R signo=SIG".
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long parse(const char *s, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0) {
		fprintf(stderr, "sigstorm: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

static int send_sig(pid_t peer, int sig)
{
	union sigval v = { .sival_int = 0 };

	if (sigqueue(peer, sig, v)) {
		fprintf(stderr, "sigstorm: sigqueue(%d, %d): %s\n", (int)peer, sig, strerror(errno));
		return -1;
	}
	return 0;
}

static int take_sig(const sigset_t *set)
{
	siginfo_t si;

	while (sigwaitinfo(set, &si) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "sigstorm: sigwaitinfo: %s\n", strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* the parent: DATA signals out, at most WINDOW ahead of the answers */
static int flood(pid_t child, int sig, long data, long window, long every, const sigset_t *ack)
{
	long credits = window, acks = 0, want = data / every;

	for (long sent = 0; sent < data; sent++) {
		if (!credits) {
			if (take_sig(ack))
				return -1;
			acks++;
			credits += every;
		}
		if (send_sig(child, sig))
			return -1;
		credits--;
	}
	for (; acks < want; acks++)
		if (take_sig(ack))
			return -1;
	return 0;
}

/* the child: take DATA signals, answer every EVERY-th */
static int drain(pid_t parent, int ack_sig, long data, long every, const sigset_t *set)
{
	for (long got = 1; got <= data; got++) {
		if (take_sig(set))
			return -1;
		if (got % every == 0 && send_sig(parent, ack_sig))
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long count = 200000, window = 256, every, data;
	int sig = SIGRTMIN, opt, status;
	sigset_t set, ack, both;
	double t0, t1;
	pid_t child;

	while ((opt = getopt(argc, argv, "n:s:w:")) != -1) {
		switch (opt) {
		case 'n': count = parse(optarg, "count"); break;
		case 's': sig = parse(optarg, "signal"); break;
		case 'w': window = parse(optarg, "window"); break;
		default:
			fprintf(stderr, "usage: sigstorm [-n COUNT] [-w WINDOW] [-s SIGNO]\n");
			return 2;
		}
	}
	if (sig < SIGRTMIN || sig + 1 > SIGRTMAX) {
		fprintf(stderr, "sigstorm: %d and %d are not both real-time signals\n", sig, sig + 1);
		return 2;
	}
	if (window > 4096) {
		fprintf(stderr, "sigstorm: a window above 4096 could reach the queue limit\n");
		return 2;
	}
	every = window >= 4 ? window / 4 : 1;
	/* the most data signals whose total with their answers is at most COUNT */
	data = count * every / (every + 1);
	while (data + 1 + (data + 1) / every <= count)
		data++;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigemptyset(&ack);
	sigaddset(&ack, sig + 1);
	sigemptyset(&both);
	sigaddset(&both, sig);
	sigaddset(&both, sig + 1);
	sigprocmask(SIG_BLOCK, &both, NULL); /* inherited by the child */

	t0 = now();
	child = fork();
	if (child < 0) {
		perror("sigstorm: fork");
		return 1;
	}
	if (child == 0)
		_exit(drain(getppid(), sig + 1, data, every, &set) ? 1 : 0);
	if (flood(child, sig, data, window, every, &ack)) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		return 1;
	}
	t1 = now();
	if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "sigstorm: the child failed\n");
		return 1;
	}
	printf("sigstorm: signals=%ld data=%ld acks=%ld seconds=%.6f rate=%.0f signo=%d\n",
	       data + data / every, data, data / every, t1 - t0,
	       (data + data / every) / (t1 - t0), sig);
	return 0;
}
