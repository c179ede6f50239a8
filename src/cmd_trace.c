// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * glassbox trace, as a checklist: resolve every target to namespace fds (held open, so
 * the inode numbers in the filter cannot be reused while we run), probe, load and
 * attach, fill the filter, stream events until Ctrl-C or, with --exit-with-target,
 * until every target is gone.
 *
 * "Gone", as glassbox can see it without kprobes:
 *   a PID namespace when its init has exited (the kernel then kills every task in it
 *   and no new one can enter): a pidfd of the init, found once in /proc at start;
 *   a network namespace when no process is in it (a /proc scan of every process's
 *   ns/net) and the name or path it was given by no longer refers to it (ip netns
 *   delete). Threads that setns on their own are not scanned.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include "cmd_trace.h"
#include "loop.h"
#include "observe.h"
#include "privs.h"
#include "probe.h"
#include "run.h"
#include "util.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

/* how often the liveness of the targets is checked with --exit-with-target */
#define GB_TARGET_CHECK_MS 250

struct ns_ref {
	int fd;            /* held for the whole trace */
	uint32_t ino;
	uint32_t level;    /* PID namespaces: their level; network: the root level used */
	uint32_t root_pidns; /* network namespaces: the PID namespace PIDs are shown in */
	pid_t pid;         /* network namespaces of --pid: that process */
	int init_pidfd;    /* PID namespaces below ours: their init, for --exit-with-target */
	int own;           /* glassbox's own PID namespace: never gone */
	char path[PATH_MAX]; /* network namespaces given by name or path: what names it */
	int awaited;       /* --exit-with-target waits for it to be gone */
	int gone;
};

struct trace_state {
	struct ns_ref pidns[GB_TRACE_TARGETS_MAX];
	struct ns_ref netns[GB_TRACE_TARGETS_MAX];
	int n_pidns, n_netns;
	uint32_t own_pidns, own_level;
	int exit_with_target;
	uint64_t next_check_ns;
	int stop_signal;
};

static void ns_ref_init(struct ns_ref *r)
{
	memset(r, 0, sizeof(*r));
	r->fd = r->init_pidfd = -1;
	r->awaited = 1;
}

static void ns_ref_close(struct ns_ref *r)
{
	if (r->fd >= 0)
		close(r->fd);
	if (r->init_pidfd >= 0)
		close(r->init_pidfd);
	r->fd = r->init_pidfd = -1;
}

/* Open a namespace file and check it is one, of the type wanted. Returns the fd or
 * -errno after one line naming what was given (none for ENOENT if quiet_enoent). */
static int open_ns(const char *what, const char *path, int want_type, uint32_t *ino,
		   int quiet_enoent)
{
	const char *want = want_type == CLONE_NEWNET ? "network" : "PID";
	struct stat st;
	int fd, type, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		if (!(quiet_enoent && errno == ENOENT))
			gb_err("trace: %s: cannot open %s: %s", what, path, strerror(errno));
		return err;
	}
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type < 0) {
		err = errno == ENOTTY || errno == EINVAL ? -EINVAL : -errno;
		gb_err("trace: %s: %s is not a namespace", what, path);
		close(fd);
		return err;
	}
	if (type != want_type) {
		const char *name = type == CLONE_NEWNET    ? "network"
				   : type == CLONE_NEWPID  ? "PID"
				   : type == CLONE_NEWNS   ? "mount"
				   : type == CLONE_NEWUTS  ? "UTS"
				   : type == CLONE_NEWIPC  ? "IPC"
				   : type == CLONE_NEWUSER ? "user"
				   : type == CLONE_NEWCGROUP ? "cgroup"
							     : "time";

		gb_err("trace: %s: %s is a %s namespace, not a %s namespace", what, path, name,
		       want);
		close(fd);
		return -EINVAL;
	}
	if (fstat(fd, &st)) {
		err = -errno;
		gb_err("trace: %s: fstat %s failed: %s", what, path, strerror(errno));
		close(fd);
		return err;
	}
	*ino = (uint32_t)st.st_ino;
	return fd;
}

/*
 * The level of a PID namespace, by walking NS_GET_PARENT up to glassbox's own (the
 * kernel answers EPERM above it). One that is not below ours is refused: its tasks'
 * PIDs could not be shown in any namespace glassbox sees.
 */
static int pidns_level(const char *what, int fd, const struct trace_state *ts, uint32_t *level)
{
	uint32_t depth = 0, ino;
	struct stat st;
	int cur = dup(fd), err = 0;

	if (cur < 0)
		return -errno;
	for (;;) {
		int parent;

		if (fstat(cur, &st)) {
			err = -errno;
			break;
		}
		ino = (uint32_t)st.st_ino;
		if (ino == ts->own_pidns)
			break;
		parent = ioctl(cur, NS_GET_PARENT);
		if (parent < 0) {
			err = -errno;
			if (errno == EPERM)
				gb_err("trace: %s: the PID namespace is not inside glassbox's own", what);
			else
				gb_err("trace: %s: NS_GET_PARENT failed: %s", what, strerror(errno));
			break;
		}
		close(cur);
		cur = parent;
		if (++depth > GB_MAX_PID_NS_LEVEL) {
			err = -ELOOP;
			gb_err("trace: %s: PID namespace deeper than %d levels", what,
			       GB_MAX_PID_NS_LEVEL);
			break;
		}
	}
	close(cur);
	if (!err)
		*level = ts->own_level + depth;
	return err;
}

/* Is the process that pidfd refers to still running? */
static int pidfd_alive(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	return poll(&p, 1, 0) == 0; /* readable once it has exited */
}

static int is_pid_dir(const char *name)
{
	if (!*name)
		return 0;
	for (; *name; name++)
		if (*name < '0' || *name > '9')
			return 0;
	return 1;
}

/* The last number of a NSpid line: the PID in the process's own namespace. */
static int own_pid_of(const char *pid)
{
	char path[300], buf[4096], *line, *p, *last = NULL;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	if (gb_read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	line = strstr(buf, "\nNSpid:");
	if (!line)
		return -1;
	for (p = line + 7; *p && *p != '\n'; p++)
		if ((p[0] == ' ' || p[0] == '\t') && p[1] >= '0' && p[1] <= '9')
			last = p + 1;
	return last ? atoi(last) : -1;
}

/* Find the init (PID 1) of a PID namespace below ours and open a pidfd for it. */
static int find_init(struct ns_ref *r)
{
	struct dirent *d;
	DIR *dir = opendir("/proc");
	int found = -ESRCH;

	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		char path[sizeof(d->d_name) + 16];
		struct stat st;
		int pidfd;

		if (!is_pid_dir(d->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/pid", d->d_name);
		if (stat(path, &st) || (uint32_t)st.st_ino != r->ino || own_pid_of(d->d_name) != 1)
			continue;
		pidfd = syscall(SYS_pidfd_open, atoi(d->d_name), 0);
		if (pidfd < 0)
			continue; /* exited meanwhile */
		fcntl(pidfd, F_SETFD, FD_CLOEXEC);
		r->init_pidfd = pidfd;
		found = 0;
		break;
	}
	closedir(dir);
	return found;
}

/* Keep a PID namespace target; *level is its level. */
static int add_pidns(struct trace_state *ts, const char *what, int fd, uint32_t ino,
		     uint32_t *level)
{
	struct ns_ref *r;
	int err;

	for (int i = 0; i < ts->n_pidns; i++)
		if (ts->pidns[i].ino == ino) { /* named twice */
			close(fd);
			*level = ts->pidns[i].level;
			return 0;
		}
	r = &ts->pidns[ts->n_pidns];
	ns_ref_init(r);
	r->fd = fd;
	r->ino = ino;
	r->own = ino == ts->own_pidns;
	ts->n_pidns++;
	err = pidns_level(what, fd, ts, &r->level);
	if (err)
		return err;
	*level = r->level;
	if (ts->exit_with_target && !r->own && find_init(r)) {
		gb_err("trace: %s: the PID namespace has no process left", what);
		return -ESRCH;
	}
	return 0;
}

/* Keep a network namespace target; returns it, or NULL when it was named before. */
static struct ns_ref *add_netns(struct trace_state *ts, int fd, uint32_t ino,
				uint32_t root_level, uint32_t root_pidns, const char *path)
{
	struct ns_ref *r;

	for (int i = 0; i < ts->n_netns; i++)
		if (ts->netns[i].ino == ino) {
			close(fd);
			return NULL;
		}
	r = &ts->netns[ts->n_netns++];
	ns_ref_init(r);
	r->fd = fd;
	r->ino = ino;
	r->level = root_level;
	r->root_pidns = root_pidns;
	if (path)
		snprintf(r->path, sizeof(r->path), "%s", path);
	return r;
}

/* --pid PID: its PID and network namespaces, checked to be the same process's. */
static int resolve_pid(struct trace_state *ts, const struct gb_trace_target *t)
{
	char what[64], path[64];
	int pidfd, pfd, nfd, err;
	uint32_t pino, nino, level;
	struct ns_ref *net;

	snprintf(what, sizeof(what), "--pid %d", t->pid);
	pidfd = syscall(SYS_pidfd_open, t->pid, 0);
	if (pidfd < 0) {
		err = -errno;
		if (errno == ESRCH)
			gb_err("trace: %s: no such process", what);
		else
			gb_err("trace: %s: pidfd_open failed: %s", what, strerror(errno));
		return err;
	}
	fcntl(pidfd, F_SETFD, FD_CLOEXEC);
	/* a zombie has no namespaces left to open: say so rather than ENOENT */
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", t->pid);
	pfd = open_ns(what, path, CLONE_NEWPID, &pino, 1);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", t->pid);
	nfd = pfd < 0 ? pfd : open_ns(what, path, CLONE_NEWNET, &nino, 1);
	/* the fds name the namespaces of the process the pidfd holds, unless it exited
	 * and its PID was reused in between */
	if ((pfd >= 0 && nfd >= 0 && !pidfd_alive(pidfd)) || pfd == -ENOENT || nfd == -ENOENT) {
		gb_err("trace: %s: the process exited during set-up", what);
		err = -ESRCH;
	} else {
		err = pfd < 0 ? pfd : nfd < 0 ? nfd : 0;
	}
	close(pidfd);
	if (err) {
		if (pfd >= 0)
			close(pfd);
		if (nfd >= 0)
			close(nfd);
		return err;
	}
	err = add_pidns(ts, what, pfd, pino, &level);
	if (err) {
		close(nfd);
		return err;
	}
	/* the network namespace's tasks are shown relative to the PID namespace's root */
	net = add_netns(ts, nfd, nino, level, pino, NULL);
	if (net)
		net->pid = t->pid;
	/*
	 * --exit-with-target waits for the process's PID namespace to end (its init's
	 * exit ends every task in it); for the network namespace only when the process
	 * shares glassbox's PID namespace (unshare -n): the host's network namespace, say,
	 * outlives any sandbox.
	 */
	if (pino != ts->own_pidns) {
		if (net)
			net->awaited = 0;
	} else {
		for (int i = 0; i < ts->n_pidns; i++)
			if (ts->pidns[i].ino == pino)
				ts->pidns[i].awaited = 0;
	}
	return 0;
}

static int resolve_netns(struct trace_state *ts, const struct gb_trace_target *t)
{
	char what[PATH_MAX + 16], path[PATH_MAX];
	uint32_t ino;
	int fd;

	snprintf(what, sizeof(what), "--netns %s", t->arg);
	if (strchr(t->arg, '/')) {
		snprintf(path, sizeof(path), "%s", t->arg);
	} else {
		if (!strcmp(t->arg, ".") || !strcmp(t->arg, "..")) {
			gb_err("trace: %s: not a network namespace name", what);
			return -EINVAL;
		}
		snprintf(path, sizeof(path), "/run/netns/%s", t->arg);
		if (access(path, F_OK)) {
			gb_err("trace: %s: no network namespace named %s (%s: %s)", what, t->arg,
			       path, strerror(errno));
			return -ENOENT;
		}
	}
	fd = open_ns(what, path, CLONE_NEWNET, &ino, 0);
	if (fd < 0)
		return fd;
	/* tasks in it may be in any PID namespace: show PIDs as glassbox's own sees them */
	add_netns(ts, fd, ino, ts->own_level, ts->own_pidns, path);
	return 0;
}

static int resolve_pidns(struct trace_state *ts, const struct gb_trace_target *t)
{
	char what[PATH_MAX + 16];
	uint32_t ino;
	int fd;

	snprintf(what, sizeof(what), "--pidns %s", t->arg);
	uint32_t level;

	fd = open_ns(what, t->arg, CLONE_NEWPID, &ino, 0);
	if (fd < 0)
		return fd;
	return add_pidns(ts, what, fd, ino, &level);
}

/* Does a network namespace still exist for anyone but us? */
static int netns_alive(const struct ns_ref *r)
{
	struct dirent *d;
	struct stat st;
	DIR *dir;
	int alive = 0;

	if (r->path[0] && !stat(r->path, &st) && (uint32_t)st.st_ino == r->ino)
		return 1;
	dir = opendir("/proc");
	if (!dir)
		return 1; /* cannot tell: keep going */
	while (!alive && (d = readdir(dir))) {
		char path[sizeof(d->d_name) + 16];

		if (!is_pid_dir(d->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", d->d_name);
		alive = !stat(path, &st) && (uint32_t)st.st_ino == r->ino;
	}
	closedir(dir);
	return alive;
}

static int targets_gone(struct trace_state *ts)
{
	int alive = 0;

	for (int i = 0; i < ts->n_pidns; i++) {
		struct ns_ref *r = &ts->pidns[i];

		if (!r->awaited)
			continue;
		if (!r->gone && !r->own && !pidfd_alive(r->init_pidfd)) {
			r->gone = 1;
			gb_dbg("PID namespace %u is gone (its init exited)", r->ino);
		}
		alive += !r->gone;
	}
	for (int i = 0; i < ts->n_netns; i++) {
		struct ns_ref *r = &ts->netns[i];

		if (!r->awaited)
			continue;
		if (!r->gone && !netns_alive(r)) {
			r->gone = 1;
			gb_dbg("network namespace %u is gone (no process, no name)", r->ino);
		}
		alive += !r->gone;
	}
	return !alive;
}

static int trace_signal(void *arg, const struct signalfd_siginfo *si)
{
	struct trace_state *ts = arg;

	switch (si->ssi_signo) {
	case SIGINT:
	case SIGTERM:
	case SIGHUP:
	case SIGQUIT:
		ts->stop_signal = (int)si->ssi_signo;
		return 1;
	}
	return 0;
}

static int trace_tick(void *arg)
{
	struct trace_state *ts = arg;
	uint64_t now;

	if (!ts->exit_with_target)
		return 0;
	now = gb_now_ns(CLOCK_MONOTONIC);
	if (now < ts->next_check_ns)
		return 0;
	ts->next_check_ns = now + GB_TARGET_CHECK_MS * 1000000ull;
	return targets_gone(ts);
}

/* One line on stderr saying what is traced, once the filter is filled. */
static void announce(const struct trace_state *ts, int all)
{
	char line[768];
	size_t len = 0;

	if (all) {
		gb_err("tracing every task; Ctrl-C to stop");
		return;
	}
	for (int i = 0; i < ts->n_pidns && len < sizeof(line); i++)
		len += snprintf(line + len, sizeof(line) - len, "%sPID namespace %u (level %u)",
				len ? ", " : "", ts->pidns[i].ino, ts->pidns[i].level);
	for (int i = 0; i < ts->n_netns && len < sizeof(line); i++)
		len += snprintf(line + len, sizeof(line) - len, "%snetwork namespace %u",
				len ? ", " : "", ts->netns[i].ino);
	gb_err("tracing %s and what is created inside; Ctrl-C to stop", line);
}

int gb_cmd_trace(struct gb_opts *o)
{
	struct gb_observe_opts oo = {
		.kind_mask = gb_kernel_kind_mask(o),
		.ring_size = o->ring_size,
		.trace_all = o->trace_all,
		.follow_netns = 1,
	};
	static const struct gb_loop_ops ops = { .signal = trace_signal, .tick = trace_tick };
	struct trace_state ts = { .exit_with_target = o->exit_with_target };
	struct gb_observer *ob = NULL;
	struct gb_sink *sinks = NULL;
	struct gb_run_info info;
	sigset_t ignored;
	int err = 0, sigfd = -1, out_fd = -1, code = GB_EXIT_FAILURE;
	uint32_t root_level;

	gb_verbose = o->verbose;
	if (gb_check_privileges("trace"))
		return GB_EXIT_NOPERM;
	if (gb_ns_inode("/proc/self/ns/pid", &ts.own_pidns) ||
	    gb_pid_ns_level(getpid(), &ts.own_level)) {
		gb_err("trace: reading glassbox's own PID namespace failed");
		return GB_EXIT_FAILURE;
	}
	for (int i = 0; i < o->n_targets && !err; i++) {
		const struct gb_trace_target *t = &o->targets[i];

		if (t->kind == GB_TRACE_PID)
			err = resolve_pid(&ts, t);
		else if (t->kind == GB_TRACE_NETNS)
			err = resolve_netns(&ts, t);
		else
			err = resolve_pidns(&ts, t);
	}
	if (err)
		goto out;
	oo.filter_netns = ts.n_netns > 0;

	code = gb_observer_start(&ob, &oo);
	if (code)
		goto out;
	code = GB_EXIT_FAILURE;
	sigfd = gb_signals_open(&ignored);
	if (sigfd < 0)
		goto out;
	sinks = gb_sinks_from_opts(o, &out_fd);
	if (!sinks)
		goto out;
	gb_observer_set_sinks(ob, sinks);
	for (int i = 0; i < ts.n_pidns; i++)
		if (gb_observer_add_pidns(ob, ts.pidns[i].ino, ts.pidns[i].level))
			goto out;
	for (int i = 0; i < ts.n_netns; i++) {
		struct ns_ref *r = &ts.netns[i];

		if (gb_observer_add_netns(ob, r->ino, r->level, r->root_pidns))
			goto out;
		/* netdev_move's netlink method listens in a namespace through a process in it */
		if (r->pid > 0 && gb_observer_watch_netns(ob, r->pid, r->ino, r->level))
			goto out;
	}
	root_level = ts.n_pidns ? ts.pidns[0].level : ts.own_level;
	gb_run_info_fill(&info, ts.n_pidns == 1 ? ts.pidns[0].ino : 0, root_level);
	if (gb_sinks_begin(sinks, &info)) {
		gb_err("writing the output failed");
		goto out;
	}
	announce(&ts, o->trace_all);

	if (gb_event_loop(ob, sigfd, -1, &ops, &ts))
		goto out;
	code = gb_observer_conclude(ob, sinks) ? GB_EXIT_FAILURE : GB_EXIT_OK;
out:
	gb_observer_close(ob);
	gb_sinks_destroy(sinks);
	if (out_fd >= 0)
		close(out_fd);
	if (sigfd >= 0)
		close(sigfd);
	for (int i = 0; i < ts.n_pidns; i++)
		ns_ref_close(&ts.pidns[i]);
	for (int i = 0; i < ts.n_netns; i++)
		ns_ref_close(&ts.netns[i]);
	return code;
}
