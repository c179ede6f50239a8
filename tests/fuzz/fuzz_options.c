// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer harness for the option parsers: the input, split at NUL bytes, is both a
 * list of values for each strict parser (CIDR, port specs, signal names, event lists,
 * sizes, durations, capabilities, users) and the argv of `glassbox run`, `replay` and
 * `trace`. Whatever the bytes: no crash, no sanitizer report, and what a parser accepts
 * is in its documented range.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "decode.h"
#include "harden.h"
#include "net.h"
#include "options.h"

#define MAX_ARGS 24

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* bad input gets one line on stderr: millions of them are noise, but libFuzzer's own
 * report must still reach stderr, so it is silenced only around the parsers */
static int null_fd = -1, stderr_fd = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	stderr_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 10);
	return 0;
}

static void values(char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct gb_cidr cidr;
		struct gb_publish pub;
		uint64_t u, caps = gb_caps_default();
		uint32_t mask = 0;
		const char *bad;
		uid_t uid;
		gid_t gid;
		int sig;

		if (!gb_net_parse_cidr(v[i], &cidr) && (cidr.prefix < 1 || cidr.prefix > 32))
			abort();
		if (!gb_net_parse_publish(v[i], &pub) && (!pub.host_port || !pub.sandbox_port))
			abort();
		sig = gb_signal_parse(v[i]);
		if (sig != -EINVAL && (sig < 1 || sig > 64))
			abort();
		if (!gb_kind_mask_parse(v[i], &mask, &bad) && (!mask || (mask & 1)))
			abort();
		if (!gb_parse_ring_size(v[i], &u) && (u & (u - 1) || u < GB_RING_SIZE_MIN ||
						      u > GB_RING_SIZE_MAX))
			abort();
		if (!gb_parse_seconds_ms(v[i], 3600000, &u) && u > 3600000)
			abort();
		gb_caps_apply(&caps, v[i], i & 1, &bad);
		gb_user_parse(v[i], &uid, &gid);
		gb_net_name_valid(v[i], 15);
	}
}

static void command_line(const char *cmd, char *const *v, size_t n)
{
	char *argv[MAX_ARGS + 2];
	struct gb_opts o;
	int help;

	argv[0] = (char *)cmd;
	for (size_t i = 0; i < n; i++)
		argv[i + 1] = v[i];
	argv[n + 1] = NULL;
	gb_opts_defaults(&o);
	if (!strcmp(cmd, "run"))
		gb_opts_parse_run(&o, (int)n + 1, argv, &help);
	else if (!strcmp(cmd, "replay"))
		gb_opts_parse_replay(&o, (int)n + 1, argv, &help);
	else
		gb_opts_parse_trace(&o, (int)n + 1, argv, &help);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *v[MAX_ARGS];
	size_t n = 0;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	/* NUL-separated words, as argv is */
	for (char *p = buf; p < buf + size && n < MAX_ARGS; p += strlen(p) + 1)
		v[n++] = p;
	dup2(null_fd, STDERR_FILENO);
	values(v, n);
	command_line("run", v, n);
	command_line("replay", v, n);
	command_line("trace", v, n);
	dup2(stderr_fd, STDERR_FILENO);
	free(buf);
	return 0;
}
