/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The sandbox's creation: clone3 into new PID and mount (and network) namespaces; the
 * child sets up its side and waits on a socketpair while the parent attaches the BPF
 * programs and fills the filter; one byte releases it (nsjail's subproc pattern).
 *
 * Handshake on the socketpair:
 *   child  -> parent  'R'            the child's side is ready (mounts done)
 *                     'E' + text     the child's side failed: the message to print
 *   parent -> child   'G'            go: start COMMAND
 *   child  -> parent  int status     COMMAND's wait status, just before init exits
 * EOF on the child's end at any point means glassbox died: the child exits.
 */
#ifndef GB_SPAWN_H
#define GB_SPAWN_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include "harden.h"

struct gb_spawn_opts {
	char *const *argv;  /* COMMAND and its arguments */
	const char *path;   /* COMMAND resolved against PATH */
	int as_pid1;        /* COMMAND is the namespace's PID 1; no init of ours */
	int new_netns;      /* CLONE_NEWNET */
	const struct gb_harden *harden; /* capabilities, no_new_privs, seccomp, user */
	sigset_t ignored;   /* signals glassbox was started with ignored: COMMAND too */
	/* run in the child, in the new namespaces, before the ready byte; returns 0 or -errno
	 * and may fill msg with the reason */
	int (*child_setup)(void *arg, char *msg, size_t msg_size);
	void *child_setup_arg;
};

struct gb_sandbox {
	pid_t pid;          /* host PID of the sandbox's PID 1 */
	int pidfd;
	int sync_fd;        /* parent's end of the socketpair */
	uint32_t pidns;     /* inode of the sandbox's PID namespace */
	uint32_t netns;     /* and of its network namespace */
	uint32_t level;     /* its PID namespace level */
	int status;         /* COMMAND's wait status once known, else -1 */
};

/* Resolve COMMAND like execvp does; returns 0, -ENOENT or -EACCES. */
int gb_resolve_command(const char *cmd, char *path, size_t size);

/* Clone the sandbox and wait for its side to be ready. On failure prints one line and
 * leaves nothing running. */
int gb_sandbox_create(struct gb_sandbox *sb, const struct gb_spawn_opts *o);
/* Let COMMAND start. */
int gb_sandbox_release(struct gb_sandbox *sb);
/* After the pidfd became readable: reap PID 1, return COMMAND's wait status. */
int gb_sandbox_reap(struct gb_sandbox *sb);
/* Kill the sandbox (SIGKILL to its PID 1 takes the whole namespace) and reap it. */
void gb_sandbox_kill(struct gb_sandbox *sb);
void gb_sandbox_close(struct gb_sandbox *sb);

/* The sandbox's PID 1 (init.c): start COMMAND, reap, forward signals, exit with
 * COMMAND's status. Never returns. */
void gb_init_main(int sync_fd, const struct gb_spawn_opts *o) __attribute__((noreturn));
/* exec COMMAND from a child; never returns (exit 126/127 with one line on failure) */
void gb_exec_command(const struct gb_spawn_opts *o) __attribute__((noreturn));

#endif
