/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* One options struct for every subcommand, with defaults, and strict parsers. */
#ifndef GB_OPTIONS_H
#define GB_OPTIONS_H

#include <stdint.h>
#include <stdio.h>
#include "filter.h"
#include "format.h"
#include "harden.h"
#include "net.h"

#define GB_RING_SIZE_DEFAULT (4u << 20)
#define GB_RING_SIZE_MIN (64u << 10)
#define GB_RING_SIZE_MAX (1u << 30)
#define GB_OPT_NETDEV_MAX 32 /* = GB_NETDEV_MAX of netdev_guard.h */
#define GB_STOP_TIMEOUT_DEFAULT_MS 2000

/* What glassbox trace follows: one --pid, --netns or --pidns each. */
enum gb_trace_kind {
	GB_TRACE_PID = 1, /* a process's PID and network namespaces */
	GB_TRACE_NETNS,   /* a network namespace by name (/run/netns/NAME) or path */
	GB_TRACE_PIDNS,   /* a PID namespace by path */
};

struct gb_trace_target {
	enum gb_trace_kind kind;
	const char *arg;  /* as given on the command line */
	int pid;          /* GB_TRACE_PID */
};

#define GB_TRACE_TARGETS_MAX 16

struct gb_opts {
	/* output, shared by run, trace and replay */
	int json;
	const char *output;          /* --output FILE; NULL: stdout */
	struct gb_format_opts fmt;
	int color_mode;              /* -1 auto (a TTY and no NO_COLOR), 0 off, 1 on */
	uint32_t kind_mask;          /* --events */
	struct gb_filter filter;     /* --comm, --pid, --signal (kind_mask copied in) */
	const char *record;          /* --record FILE (run, trace) */
	int tree;                    /* --tree */
	const char *dot;             /* --dot FILE */
	uint64_t ring_size;          /* --ring-size */
	int verbose;

	/* run */
	int as_pid1;
	uint64_t stop_timeout_ms;    /* --stop-timeout: grace after a stop signal */
	struct gb_net_opts net;      /* --share-net, --veth, --publish, ... (net.h) */
	char *netdevs[GB_OPT_NETDEV_MAX]; /* --netdev IFNAME: lent to the sandbox */
	unsigned int n_netdevs;
	struct gb_harden harden;     /* --cap-add, --cap-drop, --user */
	char **argv;                 /* COMMAND [ARGS...] */

	/* trace */
	struct gb_trace_target targets[GB_TRACE_TARGETS_MAX];
	int n_targets;
	int trace_all;               /* --all */
	int exit_with_target;        /* --exit-with-target */

	/* replay */
	const char *replay_file;     /* FILE, "-" for stdin */
};

void gb_opts_defaults(struct gb_opts *o);
/* argv[0] is "run". Returns 0, or an exit code (GB_EXIT_USAGE) after one line on stderr;
 * 1 with *help set when --help was asked. */
int gb_opts_parse_run(struct gb_opts *o, int argc, char **argv, int *help);
void gb_usage_run(FILE *f);
/* argv[0] is "replay"; same return convention. */
int gb_opts_parse_replay(struct gb_opts *o, int argc, char **argv, int *help);
void gb_usage_replay(FILE *f);
/* The "Output:" part of the help every event-printing subcommand shares. */
void gb_usage_output(FILE *f, int live);

/* The event kinds the kernel must send for these options: --events, plus what --tree
 * and --dot need; narrowed to the signal kinds by --signal when nothing else needs
 * more. User space filters the rest out before printing. */
uint32_t gb_kernel_kind_mask(const struct gb_opts *o);

/* argv[0] is "trace"; same contract as gb_opts_parse_run. */
int gb_opts_parse_trace(struct gb_opts *o, int argc, char **argv, int *help);
void gb_usage_trace(FILE *f);

/* Strict parsers, exposed for unit tests. Return 0 or -EINVAL/-ERANGE. */
int gb_parse_ring_size(const char *s, uint64_t *out);
/* "2", "0.5", "1.250" seconds into milliseconds, at most max_ms */
int gb_parse_seconds_ms(const char *s, uint64_t max_ms, uint64_t *out);

#endif
