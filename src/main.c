// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* glassbox: subcommands by exact name. */
#include <stdio.h>
#include <string.h>
#include "cmd_trace.h"
#include "options.h"
#include "run.h"
#include "util.h"

#define GB_VERSION "0.1.0"

int gb_cmd_probe(void);
int gb_cmd_replay(struct gb_opts *o);

static void usage(FILE *f)
{
	fputs("Usage: glassbox COMMAND [OPTIONS]\n"
	      "\n"
	      "A Linux sandbox of PID, mount and network namespaces, observed live with eBPF.\n"
	      "\n"
	      "Commands:\n"
	      "  run [OPTIONS] -- CMD [ARGS...]   run CMD in a new sandbox and trace it\n"
	      "  trace TARGET... [OPTIONS]        trace existing namespaces (--pid, --netns,\n"
	      "                                   --pidns, --all) until Ctrl-C\n"
	      "  replay [OPTIONS] FILE            print a file recorded with run --record\n"
	      "  probe                            show which attach method each event uses\n"
	      "  help                             this help\n"
	      "  version                          print the version\n"
	      "\n"
	      "'glassbox COMMAND --help' shows a command's options.\n",
	      f);
}

static int cmd_run(int argc, char **argv)
{
	struct gb_opts o;
	int help, r;

	gb_opts_defaults(&o);
	r = gb_opts_parse_run(&o, argc, argv, &help);
	if (help) {
		gb_usage_run(stdout);
		return 0;
	}
	if (r)
		return r;
	return gb_cmd_run(&o);
}

static int cmd_trace(int argc, char **argv)
{
	struct gb_opts o;
	int help, r;

	gb_opts_defaults(&o);
	r = gb_opts_parse_trace(&o, argc, argv, &help);
	if (help) {
		gb_usage_trace(stdout);
		return 0;
	}
	if (r)
		return r;
	return gb_cmd_trace(&o);
}

static int cmd_replay(int argc, char **argv)
{
	struct gb_opts o;
	int help, r;

	gb_opts_defaults(&o);
	r = gb_opts_parse_replay(&o, argc, argv, &help);
	if (help) {
		gb_usage_replay(stdout);
		return 0;
	}
	if (r)
		return r;
	return gb_cmd_replay(&o);
}

static int cmd_probe(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		puts("Usage: glassbox probe\n\nProbe the kernel and print, for each event kind, the "
		     "attach method\nglassbox uses and why each better one is not available.");
		return 0;
	}
	if (argc > 1) {
		gb_err("probe: unexpected argument '%s'", argv[1]);
		return GB_EXIT_USAGE;
	}
	return gb_cmd_probe();
}

static int cmd_help(int argc, char **argv)
{
	usage(stdout);
	return 0;
}

static int cmd_version(int argc, char **argv)
{
	puts("glassbox " GB_VERSION);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "run", cmd_run },
	{ "trace", cmd_trace },
	{ "replay", cmd_replay },
	{ "probe", cmd_probe },
	{ "help", cmd_help },
	{ "version", cmd_version },
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return GB_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--version"))
		return cmd_version(argc - 1, argv + 1);
	for (size_t i = 0; i < GB_ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	gb_err("unknown command '%s' (see glassbox --help)", argv[1]);
	return GB_EXIT_USAGE;
}
