// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "decode.h"
#include "options.h"
#include "tree.h"
#include "util.h"

void gb_opts_defaults(struct gb_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->color_mode = -1;
	o->kind_mask = ((1u << GB_EV_KIND_MAX) - 1) & ~1u;
	o->ring_size = GB_RING_SIZE_DEFAULT;
	o->fmt.pid_view = GB_PID_VIEW_SANDBOX;
	o->harden.caps = gb_caps_default();
	o->stop_timeout_ms = GB_STOP_TIMEOUT_DEFAULT_MS;
	gb_net_opts_init(&o->net);
}

int gb_parse_seconds_ms(const char *s, uint64_t max_ms, uint64_t *out)
{
	const char *dot = strchr(s, '.');
	char whole[24], frac[4] = "000";
	uint64_t sec, ms;
	size_t wlen = dot ? (size_t)(dot - s) : strlen(s);

	if (!wlen || wlen >= sizeof(whole))
		return -EINVAL;
	memcpy(whole, s, wlen);
	whole[wlen] = 0;
	if (gb_parse_u64(whole, 10, 0, max_ms / 1000, &sec))
		return -EINVAL;
	if (dot) {
		size_t flen = strlen(dot + 1);

		if (!flen || flen > 3 || strspn(dot + 1, "0123456789") != flen)
			return -EINVAL;
		memcpy(frac, dot + 1, flen);
	}
	ms = sec * 1000 + (uint64_t)atoi(frac);
	if (ms > max_ms)
		return -ERANGE;
	*out = ms;
	return 0;
}

int gb_parse_ring_size(const char *s, uint64_t *out)
{
	uint64_t v;
	int err = gb_parse_size(s, GB_RING_SIZE_MIN, GB_RING_SIZE_MAX, &v);

	if (err)
		return err;
	if (v & (v - 1)) /* the kernel wants a power of two (of pages) */
		return -EINVAL;
	*out = v;
	return 0;
}

void gb_usage_output(FILE *f, int live)
{
	fputs("Output:\n"
	      "  -j, --json             JSON Lines instead of a table\n"
	      "  -o, --output FILE      write events to FILE instead of stdout\n",
	      f);
	if (live)
		fputs("      --record FILE      also record the raw event stream to FILE, for\n"
		      "                         glassbox replay (filters do not apply to it)\n",
		      f);
	fputs("      --tree             at the end, print the process and namespace tree (to\n"
	      "                         the output; to stderr with --json)\n"
	      "      --dot FILE         at the end, write that tree as Graphviz to FILE\n"
	      "\n"
	      "Filters (on what is printed; lists are comma-separated, any value matches):\n"
	      "      --events LIST      only these kinds: clone,exec,exit,signal_generate,\n"
	      "                         signal_deliver,signal_failed,setns,unshare,netdev_move;\n"
	      "                         'signal' = all signal kinds, 'all' = every kind\n"
	      "      --comm NAME        only events of tasks with this comm\n"
	      "      --pid PID          only events of this process (PID as the sandbox sees\n"
	      "                         it), of the clone that made it and of signals to it\n"
	      "      --signal SIG       only signal events of SIG (name or number)\n"
	      "\n"
	      "Format:\n"
	      "      --pid-view VIEW    table PID column: sandbox (sandbox/host, default),\n"
	      "                         host, or own (as the task's own namespace sees it)\n"
	      "      --abs-time         wall-clock time instead of seconds since start\n"
	      "      --color, --no-color  force colors on or off (default: on a terminal,\n"
	      "                         off when NO_COLOR is set)\n",
	      f);
	if (live)
		fputs("      --ring-size SIZE   BPF ring buffer size, power of two, 64K..1G (default 4M)\n",
		      f);
	fputs("  -v, --verbose          more messages on stderr (twice: debug too)\n"
	      "  -h, --help             this help\n",
	      f);
}

void gb_usage_run(FILE *f)
{
	fputs("Usage: glassbox run [OPTIONS] [--] COMMAND [ARGS...]\n"
	      "\n"
	      "Run COMMAND in new PID, mount and network namespaces with a fresh /proc, and\n"
	      "trace what happens inside them live: clone, exec, exit, signals, namespace\n"
	      "changes and network devices moving between namespaces.\n"
	      "\n"
	      "Sandbox:\n"
	      "      --as-pid1          run COMMAND itself as PID 1 (no glassbox init)\n"
	      "      --cap-add LIST     keep these capabilities (CAP_SYS_PTRACE,sys_time,ALL)\n"
	      "      --cap-drop LIST    drop these capabilities too\n"
	      "      --user UID[:GID]   run COMMAND as this user, without capabilities\n"
	      "      --stop-timeout S   after SIGINT/SIGTERM/SIGHUP/SIGQUIT to glassbox, wait S\n"
	      "                         seconds (default 2) for COMMAND to end, then kill the\n"
	      "                         sandbox; a second such signal kills it at once\n"
	      "  The sandbox runs with no_new_privs, a seccomp filter denying bpf() and\n"
	      "  perf_event_open(), and a bounding set without CAP_SYS_MODULE, CAP_SYS_BOOT,\n"
	      "  CAP_SYS_RAWIO, CAP_SYS_TIME, CAP_SYS_PTRACE, CAP_BPF, CAP_PERFMON, CAP_MAC_*,\n"
	      "  CAP_SYSLOG, CAP_AUDIT_CONTROL and other host-wide powers.\n"
	      "\n"
	      "Network (default: a new namespace with only lo, up):\n"
	      "      --share-net        keep the host's network namespace\n"
	      "      --lo-down          leave lo down, as a new namespace has it\n"
	      "      --veth [HOST_CIDR,SANDBOX_CIDR]\n"
	      "                         a veth pair to the host (default 10.1.1.2/24 on the\n"
	      "                         host end gbv<PID>, 10.1.1.1/24 on veth0 in the sandbox,\n"
	      "                         or the next 10.1.N.0/24 free on the host), default\n"
	      "                         route via the host end\n"
	      "      --nat              reach what the host reaches (forwarding, masquerade)\n"
	      "      --publish HOSTPORT:SANDBOXPORT[/tcp|/udp]\n"
	      "                         forward the host's port (IPv4, IPv6, 127.0.0.1 too) to\n"
	      "                         the sandbox's; repeatable\n"
	      "      --network NAME     attach to bridge gb-NAME (created on first use with\n"
	      "                         HOST_CIDR, removed with its last member); sandboxes on\n"
	      "                         one network reach each other, not those on another\n"
	      "      --netns-name NAME  show the namespace as /run/netns/NAME (ip netns) while\n"
	      "                         the sandbox runs\n"
	      "      --join-netns NAME|PATH  run in this existing network namespace instead\n"
	      "      --netdev IFNAME    move the host's network device IFNAME into the\n"
	      "                         sandbox while it runs; it comes back when glassbox\n"
	      "                         ends, however it ends (repeatable)\n"
	      "  --nat, --publish and --network imply --veth. Everything added to the host is\n"
	      "  removed when glassbox ends, and after a SIGKILL too (by a reaper process).\n"
	      "\n",
	      f);
	gb_usage_output(f, 1);
	fputs("\n"
	      "Exit status: COMMAND's, or 128+N when signal N ended it; 1 glassbox failed,\n"
	      "2 usage, 3 missing privileges, 4 missing kernel feature, 126 COMMAND not\n"
	      "executable, 127 COMMAND not found.\n",
	      f);
}

void gb_usage_replay(FILE *f)
{
	fputs("Usage: glassbox replay [OPTIONS] FILE\n"
	      "\n"
	      "Print a file written by 'glassbox run --record FILE' exactly as the live run\n"
	      "printed it (with the same output options), then the run's summary on stderr.\n"
	      "FILE '-' is stdin. A truncated or damaged file is replayed up to the damage,\n"
	      "and glassbox says at which byte it stopped and why.\n"
	      "\n",
	      f);
	gb_usage_output(f, 0);
	fputs("\n"
	      "Exit status: 0 the whole file was replayed; 1 it was damaged or truncated\n"
	      "(or the output failed); 2 usage.\n",
	      f);
}

uint32_t gb_kernel_kind_mask(const struct gb_opts *o)
{
	uint32_t m = o->kind_mask;

	if (o->filter.nsig && !o->record && !o->tree && !o->dot)
		m &= 1u << GB_EV_SIGNAL_GENERATE | 1u << GB_EV_SIGNAL_DELIVER |
		     1u << GB_EV_SIGNAL_FAILED;
	if (o->tree || o->dot)
		m |= GB_TREE_KINDS;
	return m;
}

enum {
	OPT_AS_PID1 = 0x100,
	OPT_EVENTS,
	OPT_PID_VIEW,
	OPT_ABS_TIME,
	OPT_COLOR,
	OPT_NO_COLOR,
	OPT_RING_SIZE,
	OPT_NETDEV,
	OPT_RECORD,
	OPT_TREE,
	OPT_DOT,
	OPT_COMM,
	OPT_PID,
	OPT_SIGNAL,
	OPT_CAP_ADD,
	OPT_CAP_DROP,
	OPT_USER,
	OPT_STOP_TIMEOUT,
	OPT_NET, /* every network option: the name tells which (net_opts.c) */
};

static const struct option run_options[] = {
	{ "as-pid1", no_argument, NULL, OPT_AS_PID1 },
	{ "share-net", no_argument, NULL, OPT_NET },
	{ "lo-down", no_argument, NULL, OPT_NET },
	{ "veth", optional_argument, NULL, OPT_NET },
	{ "nat", no_argument, NULL, OPT_NET },
	{ "publish", required_argument, NULL, OPT_NET },
	{ "network", required_argument, NULL, OPT_NET },
	{ "netns-name", required_argument, NULL, OPT_NET },
	{ "join-netns", required_argument, NULL, OPT_NET },
	{ "netdev", required_argument, NULL, OPT_NETDEV },
	{ "cap-add", required_argument, NULL, OPT_CAP_ADD },
	{ "cap-drop", required_argument, NULL, OPT_CAP_DROP },
	{ "user", required_argument, NULL, OPT_USER },
	{ "stop-timeout", required_argument, NULL, OPT_STOP_TIMEOUT },
	{ "json", no_argument, NULL, 'j' },
	{ "output", required_argument, NULL, 'o' },
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "pid-view", required_argument, NULL, OPT_PID_VIEW },
	{ "abs-time", no_argument, NULL, OPT_ABS_TIME },
	{ "color", no_argument, NULL, OPT_COLOR },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "ring-size", required_argument, NULL, OPT_RING_SIZE },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "tree", no_argument, NULL, OPT_TREE },
	{ "dot", required_argument, NULL, OPT_DOT },
	{ "comm", required_argument, NULL, OPT_COMM },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "signal", required_argument, NULL, OPT_SIGNAL },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct option replay_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "output", required_argument, NULL, 'o' },
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "pid-view", required_argument, NULL, OPT_PID_VIEW },
	{ "abs-time", no_argument, NULL, OPT_ABS_TIME },
	{ "color", no_argument, NULL, OPT_COLOR },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "tree", no_argument, NULL, OPT_TREE },
	{ "dot", required_argument, NULL, OPT_DOT },
	{ "comm", required_argument, NULL, OPT_COMM },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "signal", required_argument, NULL, OPT_SIGNAL },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Options every event-printing subcommand shares; returns 1 if handled, -1 on error */
static int parse_output_opt(struct gb_opts *o, int c, const char *cmd, const char *arg)
{
	const char *bad;
	int err;

	switch (c) {
	case 'j':
		o->json = 1;
		return 1;
	case 'o':
		if (!*arg) {
			gb_err("%s: --output needs a file name", cmd);
			return -1;
		}
		o->output = arg;
		return 1;
	case OPT_EVENTS:
		if (gb_kind_mask_parse(arg, &o->kind_mask, &bad)) {
			gb_err("%s: --events: unknown event kind at '%s' (known: clone, exec, exit, "
			       "signal_generate, signal_deliver, signal_failed, setns, unshare, "
			       "netdev_move, signal, all)", cmd, bad);
			return -1;
		}
		return 1;
	case OPT_PID_VIEW:
		if (gb_pid_view_parse(arg, &o->fmt.pid_view)) {
			gb_err("%s: --pid-view: '%s' is not sandbox, host or own", cmd, arg);
			return -1;
		}
		return 1;
	case OPT_ABS_TIME:
		o->fmt.abs_time = 1;
		return 1;
	case OPT_COLOR:
		o->color_mode = 1;
		return 1;
	case OPT_NO_COLOR:
		o->color_mode = 0;
		return 1;
	case OPT_RING_SIZE:
		err = gb_parse_ring_size(arg, &o->ring_size);
		if (err) {
			gb_err("%s: --ring-size: '%s' is not a power of two from 64K to 1G", cmd, arg);
			return -1;
		}
		return 1;
	case OPT_RECORD:
	case OPT_DOT:
		if (!*arg) {
			gb_err("%s: --%s needs a file name", cmd, c == OPT_DOT ? "dot" : "record");
			return -1;
		}
		*(c == OPT_DOT ? &o->dot : &o->record) = arg;
		return 1;
	case OPT_TREE:
		o->tree = 1;
		return 1;
	case OPT_COMM:
		err = gb_filter_add_comm(&o->filter, arg, &bad);
		if (err) {
			gb_err("%s: --comm: %s at '%s'", cmd,
			       err == -E2BIG ? "more than 16 names" : "an empty name", bad);
			return -1;
		}
		return 1;
	case OPT_PID:
		err = gb_filter_add_pid(&o->filter, arg, &bad);
		if (err) {
			gb_err("%s: --pid: %s at '%s'", cmd,
			       err == -E2BIG ? "more than 16 PIDs" : "not a PID from 1 to 4194304",
			       bad);
			return -1;
		}
		return 1;
	case OPT_SIGNAL:
		err = gb_filter_add_signal(&o->filter, arg, &bad);
		if (err) {
			gb_err("%s: --signal: %s at '%s'", cmd,
			       err == -E2BIG ? "more than 16 signals"
					     : "not a signal name (USR1, SIGTERM, RTMIN+2) or number",
			       bad);
			return -1;
		}
		return 1;
	case 'v':
		o->verbose++;
		return 1;
	}
	return 0;
}

static void unknown_option(const char *cmd, int c, char **argv)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		gb_err("%s: option '%s' needs a value (see glassbox %s --help)", cmd, arg, cmd);
	else if (optopt && optopt < 0x100)
		gb_err("%s: unknown option '-%c' (see glassbox %s --help)", cmd, optopt, cmd);
	else
		gb_err("%s: unknown option '%s' (see glassbox %s --help)", cmd, arg, cmd);
}

int gb_opts_parse_run(struct gb_opts *o, int argc, char **argv, int *help)
{
	int c, r, idx;

	*help = 0;
	optind = 0; /* 0, not 1: glibc then also forgets a half-read option cluster */
	opterr = 0;
	/* '+': stop at COMMAND, so its own options are left alone */
	while ((c = getopt_long(argc, argv, "+:jo:vh", run_options, &idx)) != -1) {
		r = parse_output_opt(o, c, "run", optarg);
		if (r < 0)
			return GB_EXIT_USAGE;
		if (r)
			continue;
		switch (c) {
		case OPT_AS_PID1:
			o->as_pid1 = 1;
			break;
		case OPT_NET: {
			const char *name = run_options[idx].name;

			/* "--veth A,B" as well as "--veth=A,B": getopt only knows the latter */
			if (!optarg && optind < argc && gb_net_opt_arg_fits(name, argv[optind]))
				optarg = argv[optind++];
			if (gb_net_opt_parse(&o->net, name, optarg))
				return GB_EXIT_USAGE;
			break;
		}
		case OPT_NETDEV:
			if (!*optarg || strlen(optarg) >= 16 || strchr(optarg, '/') ||
			    strchr(optarg, ' ')) {
				gb_err("run: --netdev: '%s' is not a network device name", optarg);
				return GB_EXIT_USAGE;
			}
			if (o->n_netdevs == GB_OPT_NETDEV_MAX) {
				gb_err("run: at most %d --netdev", GB_OPT_NETDEV_MAX);
				return GB_EXIT_USAGE;
			}
			o->netdevs[o->n_netdevs++] = optarg;
			break;
		case OPT_CAP_ADD:
		case OPT_CAP_DROP: {
			const char *bad;

			if (gb_caps_apply(&o->harden.caps, optarg, c == OPT_CAP_ADD, &bad)) {
				gb_err("run: --cap-%s: unknown capability at '%s' (e.g. CAP_NET_ADMIN, "
				       "net_admin, ALL)", c == OPT_CAP_ADD ? "add" : "drop", bad);
				return GB_EXIT_USAGE;
			}
			break;
		}
		case OPT_STOP_TIMEOUT:
			if (gb_parse_seconds_ms(optarg, 3600 * 1000, &o->stop_timeout_ms)) {
				gb_err("run: --stop-timeout: '%s' is not a number of seconds from 0 "
				       "to 3600 (e.g. 2, 0.5)", optarg);
				return GB_EXIT_USAGE;
			}
			break;
		case OPT_USER:
			if (gb_user_parse(optarg, &o->harden.uid, &o->harden.gid)) {
				gb_err("run: --user: '%s' is not UID or UID:GID (numbers)", optarg);
				return GB_EXIT_USAGE;
			}
			o->harden.set_user = 1;
			break;
		case 'h':
			*help = 1;
			return 1;
		default:
			unknown_option("run", c, argv);
			return GB_EXIT_USAGE;
		}
	}
	if (o->n_netdevs && o->net.mode == GB_NET_SHARE) {
		gb_err("run: --netdev needs the sandbox's own network namespace, not --share-net");
		return GB_EXIT_USAGE;
	}
	if (optind >= argc) {
		gb_err("run: no COMMAND given (usage: glassbox run [OPTIONS] -- COMMAND [ARGS...])");
		return GB_EXIT_USAGE;
	}
	if (gb_net_opts_finish(&o->net))
		return GB_EXIT_USAGE;
	o->argv = argv + optind;
	return 0;
}

int gb_opts_parse_replay(struct gb_opts *o, int argc, char **argv, int *help)
{
	int c, r;

	*help = 0;
	optind = 0; /* 0, not 1: glibc then also forgets a half-read option cluster */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":jo:vh", replay_options, NULL)) != -1) {
		r = parse_output_opt(o, c, "replay", optarg);
		if (r < 0)
			return GB_EXIT_USAGE;
		if (r)
			continue;
		if (c == 'h') {
			*help = 1;
			return 1;
		}
		unknown_option("replay", c, argv);
		return GB_EXIT_USAGE;
	}
	if (optind >= argc) {
		gb_err("replay: no FILE given (usage: glassbox replay [OPTIONS] FILE)");
		return GB_EXIT_USAGE;
	}
	if (optind + 1 < argc) {
		gb_err("replay: one FILE only ('%s' is one too many)", argv[optind + 1]);
		return GB_EXIT_USAGE;
	}
	o->replay_file = argv[optind];
	return 0;
}

void gb_usage_trace(FILE *f)
{
	fputs("Usage: glassbox trace TARGET... [OPTIONS]\n"
	      "\n"
	      "Trace namespaces that already exist, and every namespace created inside them,\n"
	      "with the same events and output as glassbox run; nothing is created. Runs\n"
	      "until Ctrl-C (SIGINT, SIGTERM, SIGHUP, SIGQUIT).\n"
	      "\n"
	      "Targets (at least one; each may be repeated):\n"
	      "      --pid PID          PID's PID and network namespaces\n"
	      "      --netns NAME|PATH  a network namespace: NAME as made by 'ip netns add'\n"
	      "                         (/run/netns/NAME), or a path to one (/proc/PID/ns/net)\n"
	      "      --pidns PATH       a PID namespace (/proc/PID/ns/pid, or a bind mount)\n"
	      "      --all              every task on the machine, the host included\n"
	      "      --exit-with-target end when the traced namespaces are gone: a PID\n"
	      "                         namespace when its init has exited, a network\n"
	      "                         namespace when no process is in it and its name or\n"
	      "                         path no longer refers to it (--pid: its PID\n"
	      "                         namespace, or its network namespace when the PID\n"
	      "                         namespace is glassbox's own)\n"
	      "\n"
	      "Output:\n"
	      "  -j, --json             JSON Lines instead of a table\n"
	      "  -o, --output FILE      write events to FILE instead of stdout\n"
	      "      --record FILE      also record the raw event stream to FILE, for\n"
	      "                         glassbox replay (filters do not apply to it)\n"
	      "      --tree             at the end, print the process and namespace tree\n"
	      "      --dot FILE         at the end, write that tree as Graphviz to FILE\n"
	      "\n"
	      "Filters (on what is printed):\n"
	      "      --events LIST      only these kinds (see glassbox run --help)\n"
	      "      --comm NAME        only events of tasks with this comm\n"
	      "      --signal SIG       only signal events of SIG (name or number)\n"
	      "  (--pid names a target here; glassbox replay --pid filters a recording)\n"
	      "\n"
	      "Format:\n"
	      "      --pid-view VIEW    table PID column: sandbox (as the target's PID\n"
	      "                         namespace sees it, /host; default), host, or own\n"
	      "      --abs-time         wall-clock time instead of seconds since start\n"
	      "      --color, --no-color  force colors on or off\n"
	      "      --ring-size SIZE   BPF ring buffer size, power of two, 64K..1G (default 4M)\n"
	      "  -v, --verbose          more messages on stderr (twice: debug too)\n"
	      "  -h, --help             this help\n"
	      "\n"
	      "Exit status: 0 after Ctrl-C or when the targets are gone, 1 glassbox failed or a\n"
	      "target does not exist or is not a namespace of the right type, 2 usage,\n"
	      "3 missing privileges, 4 missing kernel feature.\n",
	      f);
}

/* trace's own options, numbered apart from run's */
enum {
	OPT_TRACE_PID = 0x200,
	OPT_TRACE_NETNS,
	OPT_TRACE_PIDNS,
	OPT_TRACE_ALL,
	OPT_TRACE_EXIT_WITH_TARGET,
};

static const struct option trace_options[] = {
	{ "pid", required_argument, NULL, OPT_TRACE_PID },
	{ "netns", required_argument, NULL, OPT_TRACE_NETNS },
	{ "pidns", required_argument, NULL, OPT_TRACE_PIDNS },
	{ "all", no_argument, NULL, OPT_TRACE_ALL },
	{ "exit-with-target", no_argument, NULL, OPT_TRACE_EXIT_WITH_TARGET },
	{ "json", no_argument, NULL, 'j' },
	{ "output", required_argument, NULL, 'o' },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "tree", no_argument, NULL, OPT_TREE },
	{ "dot", required_argument, NULL, OPT_DOT },
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "comm", required_argument, NULL, OPT_COMM },
	{ "signal", required_argument, NULL, OPT_SIGNAL },
	{ "pid-view", required_argument, NULL, OPT_PID_VIEW },
	{ "abs-time", no_argument, NULL, OPT_ABS_TIME },
	{ "color", no_argument, NULL, OPT_COLOR },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "ring-size", required_argument, NULL, OPT_RING_SIZE },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int add_target(struct gb_opts *o, enum gb_trace_kind kind, const char *arg)
{
	struct gb_trace_target *t;

	if (o->n_targets >= GB_TRACE_TARGETS_MAX) {
		gb_err("trace: at most %d targets", GB_TRACE_TARGETS_MAX);
		return -1;
	}
	t = &o->targets[o->n_targets];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->arg = arg;
	if (!*arg) {
		gb_err("trace: --%s needs a value", kind == GB_TRACE_PID     ? "pid"
						    : kind == GB_TRACE_NETNS ? "netns"
									     : "pidns");
		return -1;
	}
	if (kind == GB_TRACE_PID) {
		uint64_t v;

		if (gb_parse_u64(arg, 10, 1, INT32_MAX, &v)) {
			gb_err("trace: --pid: '%s' is not a process ID (1..%d)", arg, INT32_MAX);
			return -1;
		}
		t->pid = (int)v;
	}
	o->n_targets++;
	return 0;
}

int gb_opts_parse_trace(struct gb_opts *o, int argc, char **argv, int *help)
{
	int c, r;

	*help = 0;
	optind = 0; /* 0, not 1: glibc then also forgets a half-read option cluster */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":jo:vh", trace_options, NULL)) != -1) {
		r = parse_output_opt(o, c, "trace", optarg);
		if (r < 0)
			return GB_EXIT_USAGE;
		if (r)
			continue;
		switch (c) {
		case OPT_TRACE_PID:
			r = add_target(o, GB_TRACE_PID, optarg);
			break;
		case OPT_TRACE_NETNS:
			r = add_target(o, GB_TRACE_NETNS, optarg);
			break;
		case OPT_TRACE_PIDNS:
			r = add_target(o, GB_TRACE_PIDNS, optarg);
			break;
		case OPT_TRACE_ALL:
			o->trace_all = 1;
			break;
		case OPT_TRACE_EXIT_WITH_TARGET:
			o->exit_with_target = 1;
			break;
		case 'h':
			*help = 1;
			return 1;
		default:
			unknown_option("trace", c, argv);
			return GB_EXIT_USAGE;
		}
		if (r)
			return GB_EXIT_USAGE;
	}
	if (optind < argc) {
		gb_err("trace: unexpected argument '%s' (glassbox trace runs no command; see "
		       "glassbox run)", argv[optind]);
		return GB_EXIT_USAGE;
	}
	if (!o->n_targets && !o->trace_all) {
		gb_err("trace: nothing to trace: give --pid, --netns, --pidns or --all");
		return GB_EXIT_USAGE;
	}
	if (o->n_targets && o->trace_all) {
		gb_err("trace: --all traces everything already; it takes no other target");
		return GB_EXIT_USAGE;
	}
	if (o->trace_all && o->exit_with_target) {
		gb_err("trace: --exit-with-target needs a target that can go away, not --all");
		return GB_EXIT_USAGE;
	}
	return 0;
}
