// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "spawn.h"
#include "util.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

int gb_resolve_command(const char *cmd, char *path, size_t size)
{
	const char *p, *env = getenv("PATH");
	int saw_eacces = 0;

	if (!*cmd)
		return -ENOENT;
	if (strchr(cmd, '/')) {
		if (access(cmd, F_OK))
			return -ENOENT;
		if (access(cmd, X_OK))
			return -EACCES;
		snprintf(path, size, "%s", cmd);
		return 0;
	}
	for (p = env && *env ? env : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	     p; p = strchr(p, ':') ? strchr(p, ':') + 1 : NULL) {
		size_t dlen = strchr(p, ':') ? (size_t)(strchr(p, ':') - p) : strlen(p);
		char cand[PATH_MAX];

		if ((size_t)snprintf(cand, sizeof(cand), "%.*s/%s", (int)dlen, dlen ? p : ".",
				     cmd) >= sizeof(cand))
			continue;
		if (access(cand, X_OK) == 0) {
			snprintf(path, size, "%s", cand);
			return 0;
		}
		if (errno == EACCES && access(cand, F_OK) == 0)
			saw_eacces = 1;
	}
	return saw_eacces ? -EACCES : -ENOENT;
}

static void child_fail(int fd, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
static void child_fail(int fd, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	msg[0] = 'E';
	va_start(ap, fmt);
	n = vsnprintf(msg + 1, sizeof(msg) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof(msg) - 2)
		n = sizeof(msg) - 2;
	(void)!write(fd, msg, n + 1);
	_exit(GB_EXIT_FAILURE);
}

/* The child's side: private mounts and a /proc of its own PID namespace. */
static void child_mounts(int fd)
{
	/* make every mount private first, so nothing below reaches the host's table */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		child_fail(fd, "making mounts private (mount MS_REC|MS_PRIVATE /) failed: %s",
			   strerror(errno));
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		child_fail(fd, "mounting /proc for the sandbox failed: %s", strerror(errno));
}

static void child_main(int fd, const struct gb_spawn_opts *o)
{
	char go;
	ssize_t n;

	/*
	 * Die with glassbox. The death signal follows the thread that forked, which is
	 * glassbox's only thread. If glassbox died before the prctl, its end of the
	 * socketpair is already closed and the read below sees EOF.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL))
		child_fail(fd, "prctl(PR_SET_PDEATHSIG) failed: %s", strerror(errno));
	/* nothing of glassbox's but stdio and the socket: no BPF fds inside the sandbox */
	if (fd > 3)
		syscall(SYS_close_range, 3, fd - 1, 0);
	syscall(SYS_close_range, fd + 1, ~0U, 0);

	child_mounts(fd);
	if (o->child_setup) {
		char msg[400] = "";
		int err = o->child_setup(o->child_setup_arg, msg, sizeof(msg));

		if (err)
			child_fail(fd, "%s", msg[0] ? msg : strerror(-err));
	}
	if (o->harden) {
		char msg[400] = "";

		if (gb_harden_apply(o->harden, msg, sizeof(msg)))
			child_fail(fd, "%s", msg);
	}
	if (write(fd, "R", 1) != 1)
		_exit(GB_EXIT_FAILURE);
	do
		n = read(fd, &go, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1 || go != 'G')
		_exit(GB_EXIT_FAILURE); /* glassbox is gone or gave up */
	if (o->as_pid1) {
		close(fd);
		gb_exec_command(o);
	}
	gb_init_main(fd, o);
}

static int read_ns(pid_t pid, const char *type, uint32_t *ino)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, type);
	return gb_ns_inode(path, ino);
}

int gb_sandbox_create(struct gb_sandbox *sb, const struct gb_spawn_opts *o)
{
	struct clone_args args = { 0 };
	int sv[2], pidfd = -1, err;
	char buf[512];
	ssize_t n;
	pid_t pid;

	memset(sb, 0, sizeof(*sb));
	sb->pidfd = sb->sync_fd = -1;
	sb->status = -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		err = -errno;
		gb_err("socketpair failed: %s", strerror(errno));
		return err;
	}
	args.flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_PIDFD | (o->new_netns ? CLONE_NEWNET : 0);
	args.pidfd = (uintptr_t)&pidfd;
	args.exit_signal = SIGCHLD;
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0) {
		err = -errno;
		gb_err("creating the sandbox (clone3 CLONE_NEWPID|CLONE_NEWNS%s) failed: %s",
		       o->new_netns ? "|CLONE_NEWNET" : "", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return err;
	}
	if (pid == 0) {
		close(sv[0]);
		child_main(sv[1], o);
		_exit(GB_EXIT_FAILURE);
	}
	close(sv[1]);
	sb->pid = pid;
	sb->pidfd = pidfd;
	sb->sync_fd = sv[0];

	do
		n = read(sb->sync_fd, buf, sizeof(buf) - 1);
	while (n < 0 && errno == EINTR);
	if (n == 1 && buf[0] == 'R') {
		err = read_ns(pid, "pid", &sb->pidns);
		if (!err)
			err = read_ns(pid, "net", &sb->netns);
		if (!err)
			err = gb_pid_ns_level(pid, &sb->level);
		if (err) {
			gb_err("reading the sandbox's namespaces (/proc/%d/ns) failed: %s", pid,
			       strerror(-err));
			gb_sandbox_kill(sb);
			return err;
		}
		return 0;
	}
	if (n > 1 && buf[0] == 'E') {
		buf[n] = 0;
		gb_err("%s", buf + 1);
	} else {
		gb_err("the sandbox's set-up ended without a word");
	}
	gb_sandbox_kill(sb);
	return -ECHILD;
}

int gb_sandbox_release(struct gb_sandbox *sb)
{
	if (write(sb->sync_fd, "G", 1) != 1) {
		int err = -errno;

		gb_err("releasing the sandbox failed: %s", strerror(errno));
		return err;
	}
	return 0;
}

int gb_sandbox_reap(struct gb_sandbox *sb)
{
	int status = 0, reported;
	ssize_t n;

	while (waitpid(sb->pid, &status, 0) < 0 && errno == EINTR)
		;
	sb->pid = 0;
	/* init's last word is COMMAND's exact status; without it, its own exit tells */
	n = recv(sb->sync_fd, &reported, sizeof(reported), MSG_DONTWAIT);
	sb->status = n == sizeof(reported) ? reported : status;
	return sb->status;
}

void gb_sandbox_kill(struct gb_sandbox *sb)
{
	if (sb->pid > 0) {
		if (sb->pidfd >= 0)
			syscall(SYS_pidfd_send_signal, sb->pidfd, SIGKILL, NULL, 0);
		else
			kill(sb->pid, SIGKILL);
		while (waitpid(sb->pid, NULL, 0) < 0 && errno == EINTR)
			;
		sb->pid = 0;
	}
	gb_sandbox_close(sb);
}

void gb_sandbox_close(struct gb_sandbox *sb)
{
	if (sb->pidfd >= 0)
		close(sb->pidfd);
	if (sb->sync_fd >= 0)
		close(sb->sync_fd);
	sb->pidfd = sb->sync_fd = -1;
}
