/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Print filters: --events, --comm, --pid, --signal. A filter sink wraps the printer
 * (and only the printer): the record file and the tree still see every record the
 * kernel sent. Live, --events also narrows what the kernel sends (the kind mask);
 * on replay every filter runs here.
 */
#ifndef GB_FILTER_H
#define GB_FILTER_H

#include <stdbool.h>
#include <stdint.h>
#include "sink.h"

#define GB_FILTER_MAX 16 /* values per filter option */

struct gb_filter {
	uint32_t kind_mask;                      /* bit per kind; events of other kinds drop */
	char comm[GB_FILTER_MAX][GB_COMM_LEN];   /* task comm, exact (first 15 bytes) */
	uint32_t ncomm;
	uint32_t pid[GB_FILTER_MAX];             /* PIDs as the sandbox sees them */
	uint32_t npid;
	int32_t sig[GB_FILTER_MAX];              /* signal numbers */
	uint32_t nsig;
};

/* Does the event pass? Within one option any value matches; options combine with AND.
 * --comm: the acting task's comm. --pid: the acting process, the child of a clone,
 * or the target of a signal. --signal: signal events of that signal only. */
bool gb_filter_match(const struct gb_filter *f, const struct gb_event_hdr *e);
/* Whether anything but the kind mask is set. */
bool gb_filter_active(const struct gb_filter *f);

/* Parse one option value (a comma-separated list) into f; 0 or -EINVAL/-E2BIG with
 * *bad at the offending value. */
int gb_filter_add_comm(struct gb_filter *f, const char *list, const char **bad);
int gb_filter_add_pid(struct gb_filter *f, const char *list, const char **bad);
int gb_filter_add_signal(struct gb_filter *f, const char *list, const char **bad);

/* A sink that passes begin/flush/end to inner, and events only when they match. It
 * owns inner. NULL with errno set on failure. */
struct gb_sink *gb_filter_sink_new(const struct gb_filter *f, struct gb_sink *inner);

#endif
