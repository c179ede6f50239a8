/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The event loop run and trace share: wait on the ring buffer, a signalfd and one fd
 * to watch (the sandbox's pidfd), consume what the BPF side wrote, and let the caller
 * decide when it ends. The last events are drained before it returns.
 */
#ifndef GB_LOOP_H
#define GB_LOOP_H

#include <signal.h>
#include <sys/signalfd.h>
#include "observe.h"

/* How long an event may wait in the ring buffer before it is printed: the BPF side
 * wakes the consumer only past a fill threshold, so this bounds live-output latency. */
#define GB_POLL_MS 100

struct gb_loop_ops {
	/* a signal glassbox handles arrived (SIGCHLD too); return 1 to end the loop */
	int (*signal)(void *arg, const struct signalfd_siginfo *si);
	/* watch_fd became readable; return 1 to end the loop */
	int (*watch)(void *arg);
	/* after every wake-up, at least every GB_POLL_MS; return 1 to end the loop */
	int (*tick)(void *arg);
};

/* Block the signals glassbox handles (INT, TERM, HUP, QUIT, USR1, USR2, CHLD) but those
 * it was started with ignored (put in *ignored, SIGPIPE too), ignore SIGPIPE, and
 * return a non-blocking signalfd for them, or -1 after one line. */
int gb_signals_open(sigset_t *ignored);

/* Returns 0 when a callback ended it, or -errno when waiting failed (one line on
 * stderr). watch_fd may be -1; any op may be NULL. */
int gb_event_loop(struct gb_observer *ob, int sigfd, int watch_fd, const struct gb_loop_ops *ops,
		  void *arg);

#endif
