/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Where decoded events go. The ring-buffer consumer (observe.c) and the record-file
 * reader (replay) both push raw records into a chain of sinks: the table and JSON
 * printers, the record-file writer, the tree builder. Each sink sees the exact bytes
 * the kernel wrote, so a replay prints what the live run printed.
 */
#ifndef GB_SINK_H
#define GB_SINK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "glassbox/events.h"

/* What a sink needs to know about the run as a whole; stored in a record file header. */
struct gb_run_info {
	uint64_t start_mono_ns;     /* CLOCK_MONOTONIC at start: TIME column origin */
	uint64_t start_real_ns;     /* CLOCK_REALTIME at the same moment, for --abs-time */
	char kernel_release[65];
	char hostname[65];
	uint32_t root_pidns;        /* inode of the trace root's PID namespace (0: several) */
	uint32_t root_level;
};

/* Events per kind received, and lost in the kernel when the ring buffer was full. */
struct gb_summary {
	uint64_t received[GB_EV_KIND_MAX];
	uint64_t lost[GB_EV_KIND_MAX];
	uint64_t malformed; /* records too short for their kind: never expected */
};

struct gb_sink;

struct gb_sink_ops {
	/* before the first event */
	int (*begin)(struct gb_sink *s, const struct gb_run_info *info);
	/* one raw record; size was checked against the kind's struct before the call */
	int (*event)(struct gb_sink *s, const struct gb_event_hdr *e, size_t size);
	/* the consumer drained what was there: write buffered output now */
	int (*flush)(struct gb_sink *s);
	/* after the last event */
	int (*end)(struct gb_sink *s, const struct gb_summary *sum);
	void (*destroy)(struct gb_sink *s);
};

struct gb_sink {
	const struct gb_sink_ops *ops;
	struct gb_sink *next;
};

/* Run every sink of the chain; the first error stops the chain and is returned. */
int gb_sinks_begin(struct gb_sink *chain, const struct gb_run_info *info);
int gb_sinks_event(struct gb_sink *chain, const struct gb_event_hdr *e, size_t size);
int gb_sinks_flush(struct gb_sink *chain);
int gb_sinks_end(struct gb_sink *chain, const struct gb_summary *sum);
void gb_sinks_destroy(struct gb_sink *chain);

/* The record size each kind must have; 0 for an unknown kind. */
size_t gb_event_size(uint32_t kind);

#endif
