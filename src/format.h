/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The two printers: an aligned table for people, JSON Lines for tools. */
#ifndef GB_FORMAT_H
#define GB_FORMAT_H

#include "sink.h"

/* Which PID the table's PID column leads with (JSON always carries all three). */
enum gb_pid_view {
	GB_PID_VIEW_SANDBOX = 0, /* "sandbox/host" */
	GB_PID_VIEW_HOST,        /* "host" */
	GB_PID_VIEW_OWN,         /* "own/host": as the task's own namespace sees it */
};

struct gb_format_opts {
	enum gb_pid_view pid_view;
	int abs_time; /* wall-clock time instead of seconds since start */
	int color;    /* ANSI colors in the table */
};

/* JSON Lines schema version: bump when a field changes meaning or goes away. */
#define GB_JSON_SCHEMA 1

struct gb_sink *gb_table_sink_new(int fd, const struct gb_format_opts *o);
struct gb_sink *gb_json_sink_new(int fd, const struct gb_format_opts *o);

int gb_pid_view_parse(const char *s, enum gb_pid_view *out);

#endif
