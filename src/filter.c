// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "decode.h"
#include "filter.h"
#include "util.h"

static bool is_signal_kind(uint32_t kind)
{
	return kind == GB_EV_SIGNAL_GENERATE || kind == GB_EV_SIGNAL_DELIVER ||
	       kind == GB_EV_SIGNAL_FAILED;
}

static bool pid_listed(const struct gb_filter *f, uint32_t pid)
{
	for (uint32_t i = 0; i < f->npid; i++)
		if (pid && f->pid[i] == pid)
			return true;
	return false;
}

bool gb_filter_match(const struct gb_filter *f, const struct gb_event_hdr *e)
{
	if (e->kind >= 32 || !(f->kind_mask & (1u << e->kind)))
		return false;
	if (f->ncomm) {
		bool hit = false;

		for (uint32_t i = 0; i < f->ncomm && !hit; i++)
			hit = !strncmp(f->comm[i], e->comm, GB_COMM_LEN - 1);
		if (!hit)
			return false;
	}
	if (f->npid) {
		bool hit = pid_listed(f, e->task.ns_pid);

		if (!hit && e->kind == GB_EV_CLONE)
			hit = pid_listed(f, ((const struct gb_ev_clone *)e)->child.ns_pid);
		if (!hit && (e->kind == GB_EV_SIGNAL_GENERATE || e->kind == GB_EV_SIGNAL_DELIVER))
			hit = pid_listed(f, ((const struct gb_ev_signal *)e)->target.ns_pid);
		if (!hit)
			return false;
	}
	if (f->nsig) {
		bool hit = false;

		if (!is_signal_kind(e->kind))
			return false;
		for (uint32_t i = 0; i < f->nsig && !hit; i++)
			hit = f->sig[i] == ((const struct gb_ev_signal *)e)->sig;
		if (!hit)
			return false;
	}
	return true;
}

bool gb_filter_active(const struct gb_filter *f)
{
	return f->ncomm || f->npid || f->nsig;
}

/* Call add() on each comma-separated value of list. */
static int each_value(struct gb_filter *f, const char *list, const char **bad,
		      int (*add)(struct gb_filter *f, const char *v))
{
	const char *p = list;

	do {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char v[64];
		int err;

		*bad = p;
		if (!len || len >= sizeof(v))
			return -EINVAL;
		memcpy(v, p, len);
		v[len] = 0;
		err = add(f, v);
		if (err)
			return err;
		p += len + (end ? 1 : 0);
		if (end && !*p) {
			*bad = p;
			return -EINVAL;
		}
	} while (*p);
	return 0;
}

static int add_comm(struct gb_filter *f, const char *v)
{
	if (f->ncomm >= GB_FILTER_MAX)
		return -E2BIG;
	/* the kernel keeps 15 bytes of a comm: a longer name matches on those */
	snprintf(f->comm[f->ncomm++], GB_COMM_LEN, "%s", v);
	return 0;
}

static int add_pid(struct gb_filter *f, const char *v)
{
	uint64_t pid;

	if (f->npid >= GB_FILTER_MAX)
		return -E2BIG;
	if (gb_parse_u64(v, 10, 1, 4194304 /* PID_MAX_LIMIT */, &pid))
		return -EINVAL;
	f->pid[f->npid++] = (uint32_t)pid;
	return 0;
}

static int add_signal(struct gb_filter *f, const char *v)
{
	int sig = gb_signal_parse(v);

	if (f->nsig >= GB_FILTER_MAX)
		return -E2BIG;
	if (sig < 0)
		return -EINVAL;
	f->sig[f->nsig++] = sig;
	return 0;
}

int gb_filter_add_comm(struct gb_filter *f, const char *list, const char **bad)
{
	return each_value(f, list, bad, add_comm);
}

int gb_filter_add_pid(struct gb_filter *f, const char *list, const char **bad)
{
	return each_value(f, list, bad, add_pid);
}

int gb_filter_add_signal(struct gb_filter *f, const char *list, const char **bad)
{
	return each_value(f, list, bad, add_signal);
}

struct filter_sink {
	struct gb_sink sink;
	struct gb_filter f;
	struct gb_sink *inner;
};

static int filter_begin(struct gb_sink *s, const struct gb_run_info *info)
{
	return gb_sinks_begin(((struct filter_sink *)s)->inner, info);
}

static int filter_event(struct gb_sink *s, const struct gb_event_hdr *e, size_t size)
{
	struct filter_sink *fs = (struct filter_sink *)s;

	if (!gb_filter_match(&fs->f, e))
		return 0;
	return gb_sinks_event(fs->inner, e, size);
}

static int filter_flush(struct gb_sink *s)
{
	return gb_sinks_flush(((struct filter_sink *)s)->inner);
}

static int filter_end(struct gb_sink *s, const struct gb_summary *sum)
{
	return gb_sinks_end(((struct filter_sink *)s)->inner, sum);
}

static void filter_destroy(struct gb_sink *s)
{
	struct filter_sink *fs = (struct filter_sink *)s;

	gb_sinks_destroy(fs->inner);
	free(fs);
}

static const struct gb_sink_ops filter_ops = {
	.begin = filter_begin,
	.event = filter_event,
	.flush = filter_flush,
	.end = filter_end,
	.destroy = filter_destroy,
};

struct gb_sink *gb_filter_sink_new(const struct gb_filter *f, struct gb_sink *inner)
{
	struct filter_sink *fs = calloc(1, sizeof(*fs));

	if (!fs)
		return NULL;
	fs->sink.ops = &filter_ops;
	fs->f = *f;
	fs->inner = inner;
	return &fs->sink;
}
