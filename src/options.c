// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "decode.h"
#include "options.h"
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
	      "      --share-net        keep the host's network namespace\n"
	      "      --netdev IFNAME    move the host's network device IFNAME into the\n"
	      "                         sandbox while it runs; it comes back when glassbox\n"
	      "                         ends, however it ends (repeatable)\n"
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
	      "Output:\n"
	      "  -j, --json             JSON Lines instead of a table\n"
	      "  -o, --output FILE      write events to FILE instead of stdout\n"
	      "      --events LIST      only these kinds: clone,exec,exit,signal_generate,\n"
	      "                         signal_deliver,signal_failed,setns,unshare,netdev_move;\n"
	      "                         'signal' = all signal kinds, 'all' = every kind\n"
	      "      --pid-view VIEW    table PID column: sandbox (sandbox/host, default),\n"
	      "                         host, or own (as the task's own namespace sees it)\n"
	      "      --abs-time         wall-clock time instead of seconds since start\n"
	      "      --color, --no-color  force colors on or off (default: on a terminal,\n"
	      "                         off when NO_COLOR is set)\n"
	      "      --ring-size SIZE   BPF ring buffer size, power of two, 64K..1G (default 4M)\n"
	      "  -v, --verbose          libbpf's messages on stderr (twice: debug too)\n"
	      "  -h, --help             this help\n"
	      "\n"
	      "Exit status: COMMAND's, or 128+N when signal N ended it; 1 glassbox failed,\n"
	      "2 usage, 3 missing privileges, 4 missing kernel feature, 126 COMMAND not\n"
	      "executable, 127 COMMAND not found.\n",
	      f);
}

enum {
	OPT_AS_PID1 = 0x100,
	OPT_SHARE_NET,
	OPT_EVENTS,
	OPT_PID_VIEW,
	OPT_ABS_TIME,
	OPT_COLOR,
	OPT_NO_COLOR,
	OPT_RING_SIZE,
	OPT_NETDEV,
	OPT_CAP_ADD,
	OPT_CAP_DROP,
	OPT_USER,
	OPT_STOP_TIMEOUT,
};

static const struct option run_options[] = {
	{ "as-pid1", no_argument, NULL, OPT_AS_PID1 },
	{ "share-net", no_argument, NULL, OPT_SHARE_NET },
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
	int c, r;

	*help = 0;
	optind = 1;
	opterr = 0;
	/* '+': stop at COMMAND, so its own options are left alone */
	while ((c = getopt_long(argc, argv, "+:jo:vh", run_options, NULL)) != -1) {
		r = parse_output_opt(o, c, "run", optarg);
		if (r < 0)
			return GB_EXIT_USAGE;
		if (r)
			continue;
		switch (c) {
		case OPT_AS_PID1:
			o->as_pid1 = 1;
			break;
		case OPT_SHARE_NET:
			o->share_net = 1;
			break;
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
	if (o->n_netdevs && o->share_net) {
		gb_err("run: --netdev needs the sandbox's own network namespace, not --share-net");
		return GB_EXIT_USAGE;
	}
	if (optind >= argc) {
		gb_err("run: no COMMAND given (usage: glassbox run [OPTIONS] -- COMMAND [ARGS...])");
		return GB_EXIT_USAGE;
	}
	o->argv = argv + optind;
	return 0;
}
