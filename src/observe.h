/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The BPF side's life cycle: open the skeleton, pick each program's attach method from
 * the probe, set the load-time constants, load, attach; fill the namespace filter;
 * consume the ring buffer into the sink chain; read the kernel's loss counters.
 */
#ifndef GB_OBSERVE_H
#define GB_OBSERVE_H

#include <stdint.h>
#include <sys/types.h>
#include "probe.h"
#include "sink.h"

struct gb_observer;

struct gb_observe_opts {
	uint32_t kind_mask;     /* bit per enum gb_event_kind */
	uint64_t ring_size;     /* bytes, a power of two multiple of the page size */
	int trace_all;          /* every task on the machine */
	int filter_netns;       /* trace tasks by network namespace too */
	int follow_netns;       /* add network namespaces traced tasks create */
	uint32_t min_level;     /* no PID namespace to trace is shallower (host = 0): the
				 * kernel side turns away shallower tasks without a lookup */
};

/* An event family (one tracepoint) and which event kinds need it. */
struct gb_family_choice {
	uint32_t kinds;          /* mask of event kinds it produces */
	int always;              /* needed even when its kinds are filtered out */
	struct gb_tp_choice tp;
	const char *prog;        /* the BPF program to load, NULL when tp.method is none */
	int compat;              /* prog is of the build without bpf_loop */
	/* the syscall boundary: tp.method is GB_METHOD_KPROBE where kprobes work
	 * (sys_kprobe.h), prog then attached at entry, or at return when exit */
	int kprobe_able;
	int exit;
	const char *kprobe_why;  /* why not kprobes, when kprobe_able and not chosen */
};

/* Fill choices[] for every family; returns how many (at most max). */
size_t gb_observe_choose(const struct gb_features *f, struct gb_family_choice *choices,
			 size_t max);

/* Read the kernel's features, then gb_observer_open: 0, or the exit code to leave with
 * (GB_EXIT_NOFEATURE, GB_EXIT_FAILURE) after one line on stderr. */
int gb_observer_start(struct gb_observer **out, const struct gb_observe_opts *o);
/* f as gb_features_read left it: the methods are probed here (gb_features_probe_methods).
 * Returns 0 or -errno; prints one line on failure. Missing methods for a requested
 * kind give -ENOTSUP. Frees f's kernel BTF once it has chosen (gb_features_free). */
int gb_observer_open(struct gb_observer **out, const struct gb_observe_opts *o,
		     struct gb_features *f, struct gb_sink *sinks);
/* where consumed events go; may be set after open, before the filter is filled */
void gb_observer_set_sinks(struct gb_observer *ob, struct gb_sink *sinks);
/* A PID namespace traced as a root of its own: PIDs are shown as it sees them. */
int gb_observer_add_pidns(struct gb_observer *ob, uint32_t ino, uint32_t root_level);
/* A network namespace whose tasks are traced; their ns_pid views are as root_pidns (at
 * root_level) sees them. */
int gb_observer_add_netns(struct gb_observer *ob, uint32_t ino, uint32_t root_level,
			  uint32_t root_pidns);
/* Report device moves into and out of the network namespace of process pid (inode
 * ino), whoever makes them: puts it in gb_traced_netns and, with the netlink method,
 * has the rtnetlink listener watch it. */
int gb_observer_watch_netns(struct gb_observer *ob, pid_t pid, uint32_t ino,
			    uint32_t root_level);
/* fd to wait on for "events ready" (epoll fd of the ring buffer, and of the netlink
 * method's listener when netdev_move uses it) */
int gb_observer_fd(struct gb_observer *ob);
/* consume what is in the ring buffer now; returns events consumed or -errno */
int gb_observer_consume(struct gb_observer *ob);
/* after the last consume: drain, and let netdev_move's correlation finish */
void gb_observer_finish(struct gb_observer *ob);
/* the method netdev_move was given (GB_METHOD_NONE when not traced) */
uint32_t gb_observer_netdev_method(const struct gb_observer *ob);
/* received counts from user space, lost counts from the kernel */
void gb_observer_summary(struct gb_observer *ob, struct gb_summary *sum);
void gb_observer_close(struct gb_observer *ob);

/* The end of a trace: last events in, the sinks' end with the counts, the summary line
 * on stderr. Returns the sinks' error, 0 when every one ended well. */
int gb_observer_conclude(struct gb_observer *ob, struct gb_sink *sinks);

/* One line for stderr: "glassbox: 12 events (clone 3, exit 3, ...), 0 lost" */
void gb_summary_print(const struct gb_summary *sum);

#endif
