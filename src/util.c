// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "util.h"

int gb_verbose;

void gb_err(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	/* one write, so lines from glassbox and the sandbox do not interleave mid-line */
	dprintf(STDERR_FILENO, "glassbox: %s\n", line);
}

void gb_dbg(const char *fmt, ...)
{
	va_list ap;

	if (!gb_verbose)
		return;
	va_start(ap, fmt);
	fputs("glassbox: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int gb_parse_u64(const char *s, int base, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int gb_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	long long v;
	char *end;

	if (!s || !*s || *s == ' ' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int gb_parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char num[32];
	size_t len = s ? strlen(s) : 0;
	unsigned shift = 0;
	uint64_t v;
	int err;

	if (!len || len >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, len + 1);
	switch (num[len - 1]) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	}
	if (shift)
		num[len - 1] = 0;
	err = gb_parse_u64(num, 10, 0, UINT64_MAX >> shift, &v);
	if (err)
		return err;
	v <<= shift;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

struct beside {
	void *(*fn)(void *);
	void *arg;
	cpu_set_t all; /* the CPUs the creator may run on */
	int pinned;
};

static void *beside_main(void *p)
{
	struct beside b = *(struct beside *)p;

	free(p);
	/* started where the creator is not: from here on the scheduler's choice again */
	if (b.pinned)
		sched_setaffinity(0, sizeof(b.all), &b.all);
	return b.fn(b.arg);
}

int gb_thread_beside(pthread_t *th, void *(*fn)(void *), void *arg)
{
	struct beside *b = calloc(1, sizeof(*b));
	pthread_attr_t attr;
	int cpu = sched_getcpu(), err;

	if (!b)
		return ENOMEM;
	b->fn = fn;
	b->arg = arg;
	err = pthread_attr_init(&attr);
	if (err) {
		free(b);
		return err;
	}
	if (cpu >= 0 && !sched_getaffinity(0, sizeof(b->all), &b->all) &&
	    CPU_COUNT(&b->all) > 1 && CPU_ISSET(cpu, &b->all)) {
		cpu_set_t others = b->all;

		CPU_CLR(cpu, &others);
		b->pinned = !pthread_attr_setaffinity_np(&attr, sizeof(others), &others);
	}
	err = pthread_create(th, &attr, beside_main, b);
	pthread_attr_destroy(&attr);
	if (err)
		free(b);
	return err;
}

uint64_t gb_now_ns(int clock_id)
{
	struct timespec ts;

	clock_gettime(clock_id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int gb_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t w = write(fd, c, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

ssize_t gb_read_file(const char *path, char *buf, size_t size)
{
	ssize_t n, total = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while ((size_t)total < size - 1) {
		n = read(fd, buf + total, size - 1 - total);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			n = -errno;
			close(fd);
			return n;
		}
		if (n == 0)
			break;
		total += n;
	}
	buf[total] = 0;
	close(fd);
	return total;
}

int gb_ns_inode(const char *path, uint32_t *ino)
{
	struct stat st;

	if (stat(path, &st))
		return -errno;
	*ino = (uint32_t)st.st_ino;
	return 0;
}

int gb_pid_ns_level(int pid, uint32_t *level)
{
	char path[64], buf[4096], *line, *p;
	uint32_t n = 0;
	ssize_t len;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	len = gb_read_file(path, buf, sizeof(buf));
	if (len < 0)
		return (int)len;
	line = strstr(buf, "\nNSpid:");
	if (!line)
		return -ENOENT;
	for (p = line + 7; *p && *p != '\n'; p++)
		if ((p[0] == ' ' || p[0] == '\t') && p[1] >= '0' && p[1] <= '9')
			n++;
	if (!n)
		return -ENOENT;
	*level = n - 1;
	return 0;
}

int gb_exit_code_of(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return GB_EXIT_FAILURE;
}
