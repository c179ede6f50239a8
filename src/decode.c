// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stddef.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <linux/sched.h>
#include "decode.h"
#include "glassbox/events.h"
#include "util.h"

static const char *const kind_names[GB_EV_KIND_MAX] = {
	[GB_EV_CLONE] = "clone",
	[GB_EV_EXEC] = "exec",
	[GB_EV_EXIT] = "exit",
	[GB_EV_SIGNAL_GENERATE] = "signal_generate",
	[GB_EV_SIGNAL_DELIVER] = "signal_deliver",
	[GB_EV_SIGNAL_FAILED] = "signal_failed",
	[GB_EV_SETNS] = "setns",
	[GB_EV_UNSHARE] = "unshare",
	[GB_EV_NETDEV_MOVE] = "netdev_move",
};

const char *gb_kind_name(uint32_t kind)
{
	return kind < GB_EV_KIND_MAX ? kind_names[kind] : NULL;
}

uint32_t gb_kind_from_name(const char *name)
{
	for (uint32_t k = 1; k < GB_EV_KIND_MAX; k++)
		if (kind_names[k] && !strcmp(kind_names[k], name))
			return k;
	return 0;
}

int gb_kind_mask_parse(const char *list, uint32_t *mask, const char **bad)
{
	const char *p = list, *end;
	char name[32];
	uint32_t m = 0;

	if (!list || !*list) {
		*bad = list;
		return -EINVAL;
	}
	while (*p) {
		size_t len;
		uint32_t k;

		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		if (!len || len >= sizeof(name)) {
			*bad = p;
			return -EINVAL;
		}
		memcpy(name, p, len);
		name[len] = 0;
		if (!strcmp(name, "all"))
			m |= ((1u << GB_EV_KIND_MAX) - 1) & ~1u;
		else if (!strcmp(name, "signal"))
			m |= 1u << GB_EV_SIGNAL_GENERATE | 1u << GB_EV_SIGNAL_DELIVER |
			     1u << GB_EV_SIGNAL_FAILED;
		else if ((k = gb_kind_from_name(name)))
			m |= 1u << k;
		else {
			*bad = p;
			return -EINVAL;
		}
		p += len;
		if (*p == ',') {
			p++;
			if (!*p) { /* trailing comma */
				*bad = p;
				return -EINVAL;
			}
		}
	}
	*mask = m;
	return 0;
}

const char *gb_method_name(uint32_t method)
{
	static const char *const names[GB_METHOD_MAX] = {
		[GB_METHOD_NONE] = "none",
		[GB_METHOD_TP_BTF] = "tp_btf",
		[GB_METHOD_RAW_TP] = "raw_tp",
		[GB_METHOD_TRACEPOINT] = "tracepoint",
		[GB_METHOD_FENTRY] = "fentry",
		[GB_METHOD_KPROBE] = "kprobe",
		[GB_METHOD_NETLINK] = "netlink",
	};
	return method < GB_METHOD_MAX ? names[method] : "unknown";
}

/* Standard signals by number, Linux x86/arm64 numbering (glibc's on other arches
 * is handled by building the table from the SIG* macros). */
static const struct {
	int sig;
	const char *name;
	const char *action;
} signals[] = {
	{ SIGHUP, "SIGHUP", "terminate" },     { SIGINT, "SIGINT", "terminate" },
	{ SIGQUIT, "SIGQUIT", "core" },        { SIGILL, "SIGILL", "core" },
	{ SIGTRAP, "SIGTRAP", "core" },        { SIGABRT, "SIGABRT", "core" },
	{ SIGBUS, "SIGBUS", "core" },          { SIGFPE, "SIGFPE", "core" },
	{ SIGKILL, "SIGKILL", "terminate" },   { SIGUSR1, "SIGUSR1", "terminate" },
	{ SIGSEGV, "SIGSEGV", "core" },        { SIGUSR2, "SIGUSR2", "terminate" },
	{ SIGPIPE, "SIGPIPE", "terminate" },   { SIGALRM, "SIGALRM", "terminate" },
	{ SIGTERM, "SIGTERM", "terminate" },   { SIGSTKFLT, "SIGSTKFLT", "terminate" },
	{ SIGCHLD, "SIGCHLD", "ignore" },      { SIGCONT, "SIGCONT", "continue" },
	{ SIGSTOP, "SIGSTOP", "stop" },        { SIGTSTP, "SIGTSTP", "stop" },
	{ SIGTTIN, "SIGTTIN", "stop" },        { SIGTTOU, "SIGTTOU", "stop" },
	{ SIGURG, "SIGURG", "ignore" },        { SIGXCPU, "SIGXCPU", "core" },
	{ SIGXFSZ, "SIGXFSZ", "core" },        { SIGVTALRM, "SIGVTALRM", "terminate" },
	{ SIGPROF, "SIGPROF", "terminate" },   { SIGWINCH, "SIGWINCH", "ignore" },
	{ SIGIO, "SIGIO", "terminate" },       { SIGPWR, "SIGPWR", "terminate" },
	{ SIGSYS, "SIGSYS", "core" },
};

/* The kernel's SIGRTMIN (32), not glibc's SIGRTMIN, which reserves some for itself. */
#define GB_KERNEL_SIGRTMIN 32
#define GB_KERNEL_SIGRTMAX 64

const char *gb_signal_name(int sig, char *buf, size_t size)
{
	for (size_t i = 0; i < GB_ARRAY_SIZE(signals); i++)
		if (signals[i].sig == sig)
			return signals[i].name;
	if (sig >= GB_KERNEL_SIGRTMIN && sig <= GB_KERNEL_SIGRTMAX &&
	    size >= sizeof("SIGRTMIN+NN")) {
		/* by hand, not snprintf: a signal storm names this for every event */
		int n = sig - GB_KERNEL_SIGRTMIN;
		char *p = buf + sizeof("SIGRTMIN") - 1;

		memcpy(buf, "SIGRTMIN", sizeof("SIGRTMIN") - 1);
		if (n) {
			*p++ = '+';
			if (n >= 10)
				*p++ = '0' + n / 10;
			*p++ = '0' + n % 10;
		}
		*p = 0;
		return buf;
	}
	return NULL;
}

int gb_signal_parse(const char *s)
{
	uint64_t v;

	if (!s || !*s)
		return -EINVAL;
	if (s[0] >= '0' && s[0] <= '9')
		return gb_parse_u64(s, 10, 1, GB_KERNEL_SIGRTMAX, &v) ? -EINVAL : (int)v;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (size_t i = 0; i < GB_ARRAY_SIZE(signals); i++)
		if (!strcasecmp(signals[i].name + 3, s))
			return signals[i].sig;
	if (!strncasecmp(s, "RTMIN", 5)) {
		if (!s[5])
			return GB_KERNEL_SIGRTMIN;
		if (s[5] == '+' && !gb_parse_u64(s + 6, 10, 0, 32, &v))
			return GB_KERNEL_SIGRTMIN + (int)v;
		return -EINVAL;
	}
	if (!strncasecmp(s, "RTMAX", 5)) {
		if (!s[5])
			return GB_KERNEL_SIGRTMAX;
		if (s[5] == '-' && !gb_parse_u64(s + 6, 10, 0, 32, &v))
			return GB_KERNEL_SIGRTMAX - (int)v;
		return -EINVAL;
	}
	return -EINVAL;
}

const char *gb_signal_default_action(int sig)
{
	for (size_t i = 0; i < GB_ARRAY_SIZE(signals); i++)
		if (signals[i].sig == sig)
			return signals[i].action;
	return sig >= GB_KERNEL_SIGRTMIN && sig <= GB_KERNEL_SIGRTMAX ? "terminate" : "unknown";
}

const char *gb_sig_result_name(int result)
{
	static const char *const names[] = {
		[GB_SIG_DELIVERED] = "delivered",
		[GB_SIG_IGNORED] = "ignored",
		[GB_SIG_ALREADY_PENDING] = "already_pending",
		[GB_SIG_OVERFLOW_FAIL] = "overflow",
		[GB_SIG_LOSE_INFO] = "lose_info",
	};
	return result >= 0 && (size_t)result < GB_ARRAY_SIZE(names) ? names[result] : "unknown";
}

const char *gb_sig_action_name(int action)
{
	switch (action) {
	case GB_SIG_ACT_DEFAULT: return "default";
	case GB_SIG_ACT_IGNORE: return "ignore";
	case GB_SIG_ACT_HANDLER: return "handler";
	}
	return "unknown";
}

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLONE_CLEAR_SIGHAND
#define CLONE_CLEAR_SIGHAND 0x100000000ULL
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

static const struct {
	uint64_t bit;
	const char *name;
} clone_flags[] = {
	{ CLONE_NEWTIME, "CLONE_NEWTIME" },
	{ CLONE_VM, "CLONE_VM" },
	{ CLONE_FS, "CLONE_FS" },
	{ CLONE_FILES, "CLONE_FILES" },
	{ CLONE_SIGHAND, "CLONE_SIGHAND" },
	{ CLONE_PIDFD, "CLONE_PIDFD" },
	{ CLONE_PTRACE, "CLONE_PTRACE" },
	{ CLONE_VFORK, "CLONE_VFORK" },
	{ CLONE_PARENT, "CLONE_PARENT" },
	{ CLONE_THREAD, "CLONE_THREAD" },
	{ CLONE_NEWNS, "CLONE_NEWNS" },
	{ CLONE_SYSVSEM, "CLONE_SYSVSEM" },
	{ CLONE_SETTLS, "CLONE_SETTLS" },
	{ CLONE_PARENT_SETTID, "CLONE_PARENT_SETTID" },
	{ CLONE_CHILD_CLEARTID, "CLONE_CHILD_CLEARTID" },
	{ CLONE_DETACHED, "CLONE_DETACHED" },
	{ CLONE_UNTRACED, "CLONE_UNTRACED" },
	{ CLONE_CHILD_SETTID, "CLONE_CHILD_SETTID" },
	{ CLONE_NEWCGROUP, "CLONE_NEWCGROUP" },
	{ CLONE_NEWUTS, "CLONE_NEWUTS" },
	{ CLONE_NEWIPC, "CLONE_NEWIPC" },
	{ CLONE_NEWUSER, "CLONE_NEWUSER" },
	{ CLONE_NEWPID, "CLONE_NEWPID" },
	{ CLONE_NEWNET, "CLONE_NEWNET" },
	{ CLONE_IO, "CLONE_IO" },
	{ CLONE_CLEAR_SIGHAND, "CLONE_CLEAR_SIGHAND" },
	{ CLONE_INTO_CGROUP, "CLONE_INTO_CGROUP" },
};

/*
 * The kernel hands task_newtask the flags without the exit-signal byte (CSIGNAL), so
 * 0x80 there is CLONE_NEWTIME, as it is for unshare.
 */
size_t gb_clone_flag_names(uint64_t flags, const char **names, size_t max, uint64_t *rest)
{
	size_t n = 0;

	for (size_t i = 0; i < GB_ARRAY_SIZE(clone_flags); i++) {
		if (!(flags & clone_flags[i].bit))
			continue;
		flags &= ~clone_flags[i].bit;
		if (n < max)
			names[n++] = clone_flags[i].name;
	}
	if (rest)
		*rest = flags;
	return n;
}

size_t gb_clone_flags_str(uint64_t flags, char *buf, size_t size, const char *sep)
{
	const char *names[GB_ARRAY_SIZE(clone_flags)];
	size_t n, len = 0;
	uint64_t rest;

	if (!size)
		return 0;
	buf[0] = 0;
	n = gb_clone_flag_names(flags, names, GB_ARRAY_SIZE(names), &rest);
	for (size_t i = 0; i < n && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%s", i ? sep : "", names[i]);
	if (rest && len < size)
		len += snprintf(buf + len, size - len, "%s%#llx", n ? sep : "",
				(unsigned long long)rest);
	return len < size ? len : size - 1;
}

const char *gb_nstype_name(uint32_t nstype)
{
	switch (nstype) {
	case CLONE_NEWNS: return "mnt";
	case CLONE_NEWCGROUP: return "cgroup";
	case CLONE_NEWUTS: return "uts";
	case CLONE_NEWIPC: return "ipc";
	case CLONE_NEWUSER: return "user";
	case CLONE_NEWPID: return "pid";
	case CLONE_NEWNET: return "net";
	case CLONE_NEWTIME: return "time";
	}
	return NULL;
}

const char *gb_si_code_name(int code)
{
	switch (code) {
	case 0: return "SI_USER";
	case 0x80: return "SI_KERNEL";
	case -1: return "SI_QUEUE";
	case -2: return "SI_TIMER";
	case -3: return "SI_MESGQ";
	case -4: return "SI_ASYNCIO";
	case -5: return "SI_SIGIO";
	case -6: return "SI_TKILL";
	}
	return NULL;
}

const char *gb_errno_name(int64_t ret)
{
	const char *name = ret < 0 && ret > -4096 ? strerrorname_np((int)-ret) : NULL;

	return name ? name : "?";
}

size_t gb_wait_status_str(int status, char *buf, size_t size)
{
	char sb[16];
	int n;

	if (status & 0x7f) {
		int sig = status & 0x7f;
		const char *name = gb_signal_name(sig, sb, sizeof(sb));

		n = snprintf(buf, size, "killed by %s%s", name ? name : "?",
			     (status & 0x80) ? " (core dumped)" : "");
		if (!name)
			n = snprintf(buf, size, "killed by signal %d%s", sig,
				     (status & 0x80) ? " (core dumped)" : "");
	} else {
		n = snprintf(buf, size, "exit %d", (status >> 8) & 0xff);
	}
	return n < 0 ? 0 : (size_t)n;
}

size_t gb_nsset_diff(const struct gb_nsset *a, const struct gb_nsset *b,
		     struct gb_ns_change *out, size_t max)
{
	static const struct {
		const char *name;
		size_t off;
	} types[GB_NSSET_TYPES] = {
		{ "pid", offsetof(struct gb_nsset, pid) },
		{ "pid_for_children", offsetof(struct gb_nsset, pid_for_children) },
		{ "net", offsetof(struct gb_nsset, net) },
		{ "mnt", offsetof(struct gb_nsset, mnt) },
		{ "uts", offsetof(struct gb_nsset, uts) },
		{ "ipc", offsetof(struct gb_nsset, ipc) },
		{ "user", offsetof(struct gb_nsset, user) },
		{ "cgroup", offsetof(struct gb_nsset, cgroup) },
		{ "time", offsetof(struct gb_nsset, time) },
		{ "time_for_children", offsetof(struct gb_nsset, time_for_children) },
	};
	_Static_assert(sizeof(struct gb_nsset) == GB_NSSET_TYPES * sizeof(__u32),
		       "gb_nsset_diff misses a namespace type");
	size_t n = 0;

	for (size_t i = 0; i < GB_NSSET_TYPES && n < max; i++) {
		__u32 x, y;

		memcpy(&x, (const char *)a + types[i].off, sizeof(x));
		memcpy(&y, (const char *)b + types[i].off, sizeof(y));
		if (x == y)
			continue;
		out[n].type = types[i].name;
		out[n].old_ino = x;
		out[n].new_ino = y;
		n++;
	}
	return n;
}
