/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef GB_UTIL_H
#define GB_UTIL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

/* Exit codes, documented in the README and the man page. */
enum gb_exit {
	GB_EXIT_OK = 0,
	GB_EXIT_FAILURE = 1,      /* set-up or run-time failure of glassbox itself */
	GB_EXIT_USAGE = 2,        /* bad command line */
	GB_EXIT_NOPERM = 3,       /* missing privileges */
	GB_EXIT_NOFEATURE = 4,    /* a kernel feature glassbox needs is missing */
	GB_EXIT_CANNOT_EXEC = 126, /* COMMAND found but not executable */
	GB_EXIT_NOT_FOUND = 127,   /* COMMAND not found */
};

/* One line on stderr: "glassbox: <message>". */
void gb_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Verbose diagnostics, shown with -v only. */
void gb_dbg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern int gb_verbose;

/* Strict number parsing: the whole string, in range, base 10 (0x for hex with base 0).
 * Return 0 or -EINVAL / -ERANGE. */
int gb_parse_u64(const char *s, int base, uint64_t min, uint64_t max, uint64_t *out);
int gb_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);
/* Sizes with an optional K, M or G suffix (powers of two). */
int gb_parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out);

uint64_t gb_now_ns(int clock_id);

/*
 * pthread_create(th, NULL, fn, arg) for work that should run at once beside the
 * caller's: the thread starts on another CPU than the caller's (when it may run on
 * more than one), then may go anywhere. Left to the scheduler, a new thread waited up
 * to 3 ms here behind its busy creator. Returns 0 or an errno value.
 */
int gb_thread_beside(pthread_t *th, void *(*fn)(void *), void *arg);

/* A wait status as a shell reports it: the exit code, or 128+N when signal N ended it. */
int gb_exit_code_of(int status);

/* Read a whole small file (procfs) into buf, NUL-terminated; returns bytes or -errno. */
ssize_t gb_read_file(const char *path, char *buf, size_t size);
/* write(2) all of it, through EINTR and short writes: 0 or -errno */
int gb_write_all(int fd, const void *p, size_t n);
/* Inode of a namespace file (e.g. /proc/PID/ns/pid); returns 0 or -errno. */
int gb_ns_inode(const char *path, uint32_t *ino);
/* The PID namespace level of a process: how many entries its NSpid line has, minus one. */
int gb_pid_ns_level(int pid, uint32_t *level);

#define GB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
