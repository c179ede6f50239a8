// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * /run/glassbox/net: what each run is about to add to the host, so that whatever a run
 * killed with SIGKILL left behind is removed at the next start; ip_forward's value from
 * before the first run that needed it; one lock around set-up, tear-down and collection.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include "net_priv.h"
#include "util.h"

#define FORWARD_SYSCTL "/proc/sys/net/ipv4/ip_forward"
#define FORWARD_ORIG GB_NET_STATE_DIR "/ip_forward.orig"

int gb_state_lock(void)
{
	int fd;

	if (mkdir("/run/glassbox", 0755) && errno != EEXIST)
		return -errno;
	if (mkdir(GB_NET_STATE_DIR, 0700) && errno != EEXIST)
		return -errno;
	fd = open(GB_NET_STATE_DIR "/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

void gb_state_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* releases the flock */
}

/* Field 22 of /proc/PID/stat: the start time, which tells a reused pid from its owner;
 * 0 for a process that is gone or a zombie (a SIGKILLed glassbox not yet reaped). */
static unsigned long long pid_start(pid_t pid)
{
	char path[64], buf[1024], *p, state;
	unsigned long long start = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (gb_read_file(path, buf, sizeof(buf)) < 0)
		return 0;
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d "
				"%*d %*d %*d %llu", &state, &start) != 2)
		return 0;
	return state == 'Z' || state == 'X' ? 0 : start;
}

static void run_path(char *buf, size_t size, pid_t pid)
{
	snprintf(buf, size, GB_NET_STATE_DIR "/run.%d", pid);
}

int gb_state_note(struct gb_net_state *st, const char *key, const char *value)
{
	char path[128];
	FILE *f;
	int err = 0;

	run_path(path, sizeof(path), st->owner);
	f = fopen(path, st->state_file ? "ae" : "we");
	if (!f)
		return -errno;
	if (!st->state_file)
		fprintf(f, "start %llu\n", pid_start(st->owner));
	fprintf(f, "%s %s\n", key, value);
	if (fclose(f))
		err = -errno;
	st->state_file = true;
	return err;
}

void gb_state_forget(struct gb_net_state *st)
{
	char path[128];

	if (!st->state_file)
		return;
	run_path(path, sizeof(path), st->owner);
	unlink(path);
	st->state_file = false;
}

/* Call FN(key, value, arg) on each line of run.<pid>; returns whether the owner lives. */
static bool run_read(pid_t pid, void (*fn)(const char *, const char *, void *), void *arg)
{
	char path[128], line[512], *sp;
	unsigned long long start = 0;
	bool alive = false;
	FILE *f;

	run_path(path, sizeof(path), pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		sp = strchr(line, ' ');
		if (!sp)
			continue;
		*sp = '\0';
		if (!strcmp(line, "start")) {
			start = strtoull(sp + 1, NULL, 10);
			alive = start && pid_start(pid) == start;
		} else if (fn) {
			fn(line, sp + 1, arg);
		}
	}
	fclose(f);
	return alive;
}

/* Every run file's pid, by calling FN(pid, arg). */
static void run_each(void (*fn)(pid_t, void *), void *arg)
{
	DIR *d = opendir(GB_NET_STATE_DIR);
	struct dirent *e;
	int pid;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (sscanf(e->d_name, "run.%d", &pid) == 1 && pid > 0)
			fn(pid, arg);
	closedir(d);
}

struct in_use {
	pid_t self;
	const char *key, *value;
	bool match, used;
};

static void in_use_line(const char *key, const char *value, void *arg)
{
	struct in_use *u = arg;

	if (!strcmp(key, u->key) && !strcmp(value, u->value))
		u->match = true;
}

static void in_use_run(pid_t pid, void *arg)
{
	struct in_use *u = arg;

	if (pid == u->self || u->used)
		return;
	u->match = false;
	if (run_read(pid, in_use_line, u) && u->match)
		u->used = true;
}

bool gb_state_in_use(pid_t self, const char *key, const char *value)
{
	struct in_use u = { .self = self, .key = key, .value = value };

	run_each(in_use_run, &u);
	return u.used;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_CREAT | O_TRUNC, 0600);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	err = n < 0 ? -errno : 0;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

int gb_forward_acquire(struct gb_net_state *st)
{
	char cur[16];
	ssize_t n;
	int err;

	err = gb_state_note(st, "forward", "1");
	if (err)
		return err;
	st->forward = true;
	n = gb_read_file(FORWARD_SYSCTL, cur, sizeof(cur));
	if (n < 0)
		return n;
	if (cur[0] == '1')
		return 0; /* on already: ours from another run, or the host's own */
	if (access(FORWARD_ORIG, F_OK)) {
		err = write_str(FORWARD_ORIG, cur);
		if (err)
			return err;
	}
	return write_str(FORWARD_SYSCTL, "1\n");
}

static void forward_restore(pid_t self)
{
	char orig[16];

	if (gb_read_file(FORWARD_ORIG, orig, sizeof(orig)) < 0)
		return; /* glassbox did not change it */
	if (gb_state_in_use(self, "forward", "1"))
		return;
	if (write_str(FORWARD_SYSCTL, orig) == 0)
		unlink(FORWARD_ORIG);
}

void gb_forward_release(struct gb_net_state *st)
{
	if (!st->forward)
		return;
	forward_restore(st->owner);
	st->forward = false;
}

void gb_bridge_release(struct mnl_socket *nl, pid_t self, const char *name)
{
	int index = gb_nl_link_index(nl, name);

	if (index < 0 || gb_state_in_use(self, "bridge", name) || gb_nl_bridge_ports(nl, index) != 0)
		return;
	gb_nl_link_del(nl, name);
}

struct garbage {
	struct mnl_socket *nl;
	char bridges[8][16];
	int n_bridges;
	int runs;
	bool forward;
};

static void garbage_line(const char *key, const char *value, void *arg)
{
	struct garbage *g = arg;

	if (!strcmp(key, "netns")) {
		umount2(value, MNT_DETACH);
		unlink(value);
	} else if (!strcmp(key, "veth")) {
		gb_nl_link_del(g->nl, value);
	} else if (!strcmp(key, "bridge") && g->n_bridges < 8) {
		snprintf(g->bridges[g->n_bridges++], sizeof(g->bridges[0]), "%s", value);
	} else if (!strcmp(key, "forward")) {
		g->forward = true;
	}
}

static void garbage_run(pid_t pid, void *arg)
{
	struct garbage *g = arg;
	char path[128];

	if (run_read(pid, NULL, NULL))
		return;
	run_read(pid, garbage_line, g);
	run_path(path, sizeof(path), pid);
	unlink(path);
	g->runs++;
}

int gb_net_collect_garbage(void)
{
	struct garbage g = { 0 };
	int lock = gb_state_lock();

	if (lock < 0) {
		gb_err("lock %s/lock: %s", GB_NET_STATE_DIR, strerror(-lock));
		return lock;
	}
	g.nl = gb_nl_open(-1);
	if (!g.nl) {
		int err = -errno;

		gb_err("open rtnetlink socket: %s", strerror(errno));
		gb_state_unlock(lock);
		return err;
	}
	run_each(garbage_run, &g);
	for (int i = 0; i < g.n_bridges; i++)
		gb_bridge_release(g.nl, 0, g.bridges[i]);
	if (g.forward)
		forward_restore(0);
	if (g.runs)
		gb_dbg("collected what %d dead run(s) left on the host", g.runs);
	mnl_socket_close(g.nl);
	gb_state_unlock(lock);
	return g.runs;
}
