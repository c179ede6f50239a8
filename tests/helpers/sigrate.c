// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sigrate [-n COUNT] [-r RATE] [-s SIGNO] [-l MS]: generate COUNT real-time signals at RATE
 * per second (0: as fast as possible). One process queues the signal to itself with
 * sigqueue() while it is blocked and takes it back at once with sigtimedwait(), so each
 * signal is one signal_generate in the kernel and the count is exact. Pacing sleeps to
 * the due time of every batch of 64 signals.
 * Prints one line: "sigrate: signals=N seconds=S rate=R target=T signo=SIG".
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long parse(const char *s, const char *what, long min)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min) {
		fprintf(stderr, "sigrate: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

static void sleep_until(double t)
{
	struct timespec ts = { .tv_sec = (time_t)t };

	ts.tv_nsec = (long)((t - ts.tv_sec) * 1e9);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

int main(int argc, char **argv)
{
	const struct timespec zero = { 0, 0 };
	long count = 100000, rate = 0, sent = 0, linger = 0;
	int sig = SIGRTMIN, opt;
	union sigval v = { .sival_int = 0 };
	pid_t self = getpid();
	sigset_t set;
	siginfo_t si;
	double t0, t1;

	while ((opt = getopt(argc, argv, "n:r:s:l:")) != -1) {
		switch (opt) {
		case 'n': count = parse(optarg, "count", 1); break;
		case 'r': rate = parse(optarg, "rate", 0); break;
		case 's': sig = parse(optarg, "signal", 1); break;
		case 'l': linger = parse(optarg, "linger", 0); break;
		default:
			fprintf(stderr, "usage: sigrate [-n COUNT] [-r RATE] [-s SIGNO] [-l MS]\n");
			return 2;
		}
	}
	if (sig < SIGRTMIN || sig > SIGRTMAX) {
		fprintf(stderr, "sigrate: %d is not a real-time signal\n", sig);
		return 2;
	}
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, NULL);

	t0 = now();
	while (sent < count) {
		if (rate && sent % BATCH == 0) {
			double due = t0 + (double)sent / rate;

			if (now() < due)
				sleep_until(due);
		}
		if (sigqueue(self, sig, v)) {
			fprintf(stderr, "sigrate: sigqueue: %s\n", strerror(errno));
			return 1;
		}
		sent++;
		if (sigtimedwait(&set, &si, &zero) != sig) {
			fprintf(stderr, "sigrate: sigtimedwait: %s\n", strerror(errno));
			return 1;
		}
	}
	t1 = now();
	printf("sigrate: signals=%ld seconds=%.6f rate=%.0f target=%ld signo=%d\n", sent,
	       t1 - t0, sent / (t1 - t0), rate, sig);
	fflush(stdout);
	if (linger)
		sleep_until(now() + linger / 1000.0);
	return 0;
}
