/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * When the BPF side wakes the consumer: once this many bytes of events wait in the ring
 * (gb_submit in bpf/gb.bpf.h forces a wakeup past it; the consumer also wakes every
 * GB_POLL_MS, which bounds the latency). No one threshold suits every load, measured
 * here with the default 4 MiB ring:
 *
 *  - a signal storm between two processes leaves the CPUs idle now and then; waking the
 *    consumer every 64 KiB (it runs in those gaps and reads the records while they are
 *    still in the producers' caches) ran it 18-23 % faster than every 512 KiB;
 *  - two generators that keep both CPUs busy lose a CPU to the consumer at each wakeup;
 *    every 64 KiB made them 27 % slower than every 512 KiB.
 *
 * So the threshold follows the machine's idle time, from /proc/stat once per
 * GB_WAKE_PERIOD_NS: an eighth of the ring (at most GB_WAKE_SMALL_MAX) while the CPUs
 * have idle time to run the consumer in, an eighth of the ring once they have none,
 * with a band in between that keeps the current choice.
 */
#ifndef GB_WAKE_H
#define GB_WAKE_H
#include <stdint.h>

#define GB_WAKE_SMALL_MAX (64u << 10)
#define GB_WAKE_PERIOD_NS 100000000ull /* 100 ms */
/* idle share of all CPU time: at or above IDLE_HIGH the small threshold, below
 * IDLE_LOW the large one */
#define GB_WAKE_IDLE_HIGH 0.08
#define GB_WAKE_IDLE_LOW 0.03

struct gb_wake {
	uint64_t small, large; /* the two thresholds, bytes */
	uint64_t cur;          /* the one in force */
	uint64_t last_ns;      /* when /proc/stat was last read, 0: never */
	uint64_t last_idle, last_total;
	int fd;                /* /proc/stat, -1 when it cannot be read */
};

/* For a ring of ring_size bytes; starts with the small threshold. */
void gb_wake_init(struct gb_wake *w, uint64_t ring_size);
void gb_wake_close(struct gb_wake *w);

/* The threshold for idle_share (0..1) of CPU time, given the current one. */
uint64_t gb_wake_choose(const struct gb_wake *w, double idle_share);

/* The first line of /proc/stat: idle (idle + iowait) and total jiffies. 0 or -EINVAL. */
int gb_proc_stat_parse(const char *buf, uint64_t *idle, uint64_t *total);

/* At most once per period: read /proc/stat and choose. Returns the new threshold when it
 * changed, else 0. */
uint64_t gb_wake_tick(struct gb_wake *w, uint64_t now_ns);

#endif
