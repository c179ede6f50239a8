// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * pidns_chain clone|unshare OUT: nest PID namespaces until the kernel refuses.
 *
 * clone:   each level's process makes the next with clone(CLONE_NEWPID);
 * unshare: each level's process calls unshare(CLONE_NEWPID), then forks.
 * The new child is PID 1 of the next level and goes on. Every level appends one JSON
 * line to OUT, as the process sees itself:
 *   {"pidns":INODE,"nspid":[N,...]}     (nspid: its NSpid line, outermost first)
 * At the bottom, where the kernel refuses the next namespace, it also tries the other
 * way and records both refusals, in the order tried:
 *   {"fail":"clone","errno":28}
 *   {"fail":"unshare","errno":28}
 * Every process waits for its child and exits with its status; the bottom exits 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static int out = -1;

static void emit(const char *line)
{
	if (write(out, line, strlen(line)) < 0)
		_exit(3);
}

static void record_level(void)
{
	char buf[4096], line[4400], *p, *nl;
	struct stat st;
	size_t len = 0;
	int fd, n = 0;
	ssize_t r;

	if (stat("/proc/self/ns/pid", &st))
		_exit(3);
	fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || (r = read(fd, buf, sizeof(buf) - 1)) <= 0)
		_exit(3);
	close(fd);
	buf[r] = 0;
	p = strstr(buf, "\nNSpid:");
	if (!p)
		_exit(3);
	p += 7;
	nl = strchr(p, '\n');
	if (nl)
		*nl = 0;
	len += snprintf(line + len, sizeof(line) - len, "{\"pidns\":%lu,\"nspid\":[",
			(unsigned long)st.st_ino);
	for (char *tok = strtok(p, " \t"); tok; tok = strtok(NULL, " \t"))
		len += snprintf(line + len, sizeof(line) - len, "%s%s", n++ ? "," : "", tok);
	snprintf(line + len, sizeof(line) - len, "]}\n");
	emit(line);
}

static void record_fail(const char *what, int err)
{
	char line[128];

	snprintf(line, sizeof(line), "{\"fail\":\"%s\",\"errno\":%d}\n", what, err);
	emit(line);
}

static pid_t clone_newpid(void)
{
	return syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
}

int main(int argc, char **argv)
{
	int use_clone;

	if (argc != 3 || (strcmp(argv[1], "clone") && strcmp(argv[1], "unshare"))) {
		fprintf(stderr, "usage: pidns_chain clone|unshare OUT\n");
		return 2;
	}
	use_clone = !strcmp(argv[1], "clone");
	out = open(argv[2], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (out < 0) {
		perror(argv[2]);
		return 2;
	}
	for (;;) {
		int status;
		pid_t child;

		record_level();
		if (use_clone) {
			child = clone_newpid();
			if (child < 0) {
				record_fail("clone", errno);
				record_fail("unshare", unshare(CLONE_NEWPID) ? errno : 0);
				return 0;
			}
		} else {
			if (unshare(CLONE_NEWPID)) {
				record_fail("unshare", errno);
				child = clone_newpid();
				record_fail("clone", child < 0 ? errno : 0);
				if (child == 0)
					_exit(0);
				if (child > 0)
					waitpid(child, NULL, 0);
				return 0;
			}
			child = fork();
			if (child < 0) {
				perror("fork");
				return 1;
			}
		}
		if (child == 0)
			continue; /* PID 1 one level down */
		if (waitpid(child, &status, 0) < 0)
			return 1;
		return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	}
}
