// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The table: one line per event, one header, aligned columns
 *   TIME  EVENT  PID  COMM  DETAILS
 * PID is "sandbox/host" by default (see --pid-view). Each line is built in a local
 * buffer and appended whole, so a flush never splits a line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "decode.h"
#include "format.h"
#include "outbuf.h"
#include "syscalls.h"
#include "util.h"

#define W_TIME 12
#define W_EVENT 15
#define W_PID 14
#define W_COMM 16

struct table_sink {
	struct gb_sink sink;
	struct gb_outbuf out;
	struct gb_format_opts opts;
	struct gb_run_info info;
};

struct line {
	char buf[1024];
	size_t len;
};

/* append, cutting at the end of the line buffer */
static void lvprintf(struct line *l, const char *fmt, va_list ap)
{
	size_t room = sizeof(l->buf) - l->len;
	int n;

	if (room <= 1)
		return;
	n = vsnprintf(l->buf + l->len, room, fmt, ap);
	if (n > 0)
		l->len += (size_t)n < room ? (size_t)n : room - 1;
}

static void lprintf(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lprintf(struct line *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lvprintf(l, fmt, ap);
	va_end(ap);
}

/* a column of at least width characters, then one space */
static void lcol(struct line *l, size_t width, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void lcol(struct line *l, size_t width, const char *fmt, ...)
{
	size_t start = l->len;
	va_list ap;

	va_start(ap, fmt);
	lvprintf(l, fmt, ap);
	va_end(ap);
	while (l->len - start < width && l->len < sizeof(l->buf) - 2)
		l->buf[l->len++] = ' ';
	if (l->len < sizeof(l->buf) - 2)
		l->buf[l->len++] = ' ';
	l->buf[l->len] = 0;
}

/* A string from the kernel, with control characters and quotes escaped. */
static void lstr(struct line *l, const char *s, size_t maxlen)
{
	char esc[GB_FILENAME_LEN * 6 + 1];

	gb_text_escape(esc, sizeof(esc), s, maxlen);
	lprintf(l, "%s", esc);
}

static void pid_text(const struct table_sink *t, const struct gb_ids *id, char *buf, size_t size)
{
	switch (t->opts.pid_view) {
	case GB_PID_VIEW_HOST:
		snprintf(buf, size, "%u", id->pid);
		return;
	case GB_PID_VIEW_OWN:
		snprintf(buf, size, "%u/%u", id->own_pid, id->pid);
		return;
	case GB_PID_VIEW_SANDBOX:
		break;
	}
	if (id->ns_pid)
		snprintf(buf, size, "%u/%u", id->ns_pid, id->pid);
	else /* not visible from the sandbox: a host process */
		snprintf(buf, size, "-/%u", id->pid);
}

static void time_text(const struct table_sink *t, uint64_t ts, char *buf, size_t size)
{
	if (t->opts.abs_time) {
		uint64_t real = ts - t->info.start_mono_ns + t->info.start_real_ns;
		time_t sec = (time_t)(real / 1000000000ull);
		struct tm tm;

		localtime_r(&sec, &tm);
		snprintf(buf, size, "%02d:%02d:%02d.%06u", tm.tm_hour, tm.tm_min, tm.tm_sec,
			 (unsigned)(real % 1000000000ull / 1000));
		return;
	}
	ts = ts > t->info.start_mono_ns ? ts - t->info.start_mono_ns : 0;
	snprintf(buf, size, "%llu.%06llu", (unsigned long long)(ts / 1000000000ull),
		 (unsigned long long)(ts % 1000000000ull / 1000));
}

static void details_clone(struct table_sink *t, struct line *l, const struct gb_ev_clone *e)
{
	char pid[32], flags[512];

	if (e->ret < 0) {
		gb_clone_flags_str(e->flags, flags, sizeof(flags), "|");
		lprintf(l, "%s failed %s flags=%s", gb_syscall_name(GB_CLONE_SYSCALL(e->info)) ?: "clone",
			gb_errno_name(e->ret), flags[0] ? flags : "0");
		return;
	}
	pid_text(t, &e->child, pid, sizeof(pid));
	lprintf(l, "%s %s", e->info & GB_CLONE_THREAD_CHILD ? "thread" : "child", pid);
	if (e->child.level != e->hdr.task.level || t->opts.pid_view != GB_PID_VIEW_OWN)
		lprintf(l, " (pid %u at level %u)", e->child.own_tid, e->child.level);
	gb_clone_flags_str(e->flags, flags, sizeof(flags), "|");
	if (flags[0])
		lprintf(l, " flags=%s", flags);
	if (e->child_ns.pid != e->parent_ns.pid)
		lprintf(l, " pidns=%u", e->child_ns.pid);
	if (e->child_ns.net != e->parent_ns.net)
		lprintf(l, " netns=%u", e->child_ns.net);
}

static void details_exec(struct line *l, const struct gb_ev_exec *e)
{
	size_t len = e->argv_len < GB_ARGV_LEN ? e->argv_len : GB_ARGV_LEN, i = 0;

	lstr(l, e->filename, GB_FILENAME_LEN);
	if (!len)
		return;
	lprintf(l, " [");
	while (i < len) {
		size_t n = strnlen(e->argv + i, len - i);

		if (i)
			lprintf(l, " ");
		lstr(l, e->argv + i, n);
		i += n + 1;
	}
	lprintf(l, "%s]", e->argc > 0 && i >= GB_ARGV_LEN ? " ..." : "");
}

static void details_exit(struct line *l, const struct gb_ev_exit *e)
{
	char st[64];

	gb_wait_status_str(e->exit_code, st, sizeof(st));
	lprintf(l, "%s", st);
	if (e->info & GB_EXIT_THREAD)
		lprintf(l, " (thread)");
	if (e->info & GB_EXIT_SANDBOX_INIT)
		lprintf(l, " [sandbox init: the kernel kills the rest of the sandbox]");
	else if (e->info & GB_EXIT_NS_INIT)
		lprintf(l, " [init of pidns %u: the kernel kills the rest of it]", e->hdr.task.pidns);
}

static void details_signal(struct table_sink *t, struct line *l, const struct gb_ev_signal *e)
{
	char sb[16], pid[32];
	const char *name = gb_signal_name(e->sig, sb, sizeof(sb));

	if (e->sig == 0)
		lprintf(l, "signal 0 (existence check)");
	else if (name)
		lprintf(l, "%s", name);
	else
		lprintf(l, "?(%d)", e->sig);
	switch (e->hdr.kind) {
	case GB_EV_SIGNAL_GENERATE:
		pid_text(t, &e->target, pid, sizeof(pid));
		lprintf(l, " -> %s (", pid);
		lstr(l, e->target_comm, GB_COMM_LEN);
		lprintf(l, ") %s%s", gb_sig_result_name(e->result), e->group ? " group" : "");
		break;
	case GB_EV_SIGNAL_DELIVER:
		if (e->result == GB_SIG_ACT_DEFAULT)
			lprintf(l, " default action: %s", gb_signal_default_action(e->sig));
		else
			lprintf(l, " %s", e->result == GB_SIG_ACT_IGNORE ? "ignored" : "handler");
		break;
	case GB_EV_SIGNAL_FAILED:
		lprintf(l, " -> %s %d", e->syscall == GB_SYS_PIDFD_SEND_SIGNAL ? "pidfd"
					: e->syscall == GB_SYS_TKILL	  ? "tid"
									  : "pid",
			(int32_t)(e->syscall == GB_SYS_TKILL ? e->target.own_tid : e->target.own_pid));
		if (e->syscall == GB_SYS_TGKILL || e->syscall == GB_SYS_RT_TGSIGQUEUEINFO)
			lprintf(l, " tid %d", (int32_t)e->target.own_tid);
		lprintf(l, " failed %s (%s)", gb_errno_name(e->result),
			gb_syscall_name(e->syscall) ?: "?");
		break;
	}
}

static void details_nsset_diff(struct line *l, const struct gb_nsset *a, const struct gb_nsset *b)
{
	struct gb_ns_change ch[GB_NSSET_TYPES];
	size_t n = gb_nsset_diff(a, b, ch, GB_ARRAY_SIZE(ch));

	for (size_t i = 0; i < n; i++)
		lprintf(l, " %s:%u->%u", ch[i].type, ch[i].old_ino, ch[i].new_ino);
}

static void details_setns(struct line *l, const struct gb_ev_setns *e)
{
	const char *ft = gb_nstype_name(e->fd_nstype);

	if (e->target_ino)
		lprintf(l, "fd %d %s ns %u", e->fd, ft ? ft : "?", e->target_ino);
	else if (e->target_pid)
		lprintf(l, "pidfd %d of host PID %u nstype %#x", e->fd, e->target_pid, e->nstype);
	else /* not a namespace at all */
		lprintf(l, "fd %d nstype %#x", e->fd, e->nstype);
	if (e->ret < 0) {
		lprintf(l, " failed %s", gb_errno_name(e->ret));
		return;
	}
	details_nsset_diff(l, &e->before, &e->after);
	if (e->after.pid_for_children != e->before.pid_for_children)
		lprintf(l, " (own pid ns %u stays; children go to %u)", e->after.pid,
			e->after.pid_for_children);
}

static void details_unshare(struct line *l, const struct gb_ev_unshare *e)
{
	char flags[512];

	gb_clone_flags_str(e->flags, flags, sizeof(flags), "|");
	lprintf(l, "%s", flags[0] ? flags : "0");
	if (e->ret < 0) {
		lprintf(l, " failed %s", gb_errno_name(e->ret));
		return;
	}
	details_nsset_diff(l, &e->before, &e->after);
	if (e->after.pid_for_children != e->before.pid_for_children)
		lprintf(l, " (next child is PID 1 at level %u)", e->hdr.task.level + 1);
}

static void details_netdev(struct line *l, const struct gb_ev_netdev_move *e)
{
	lstr(l, e->old_name, GB_IFNAME_LEN);
	lprintf(l, " (ifindex %d, netns %u) -> ", e->old_ifindex, e->old_netns);
	lstr(l, e->new_name, GB_IFNAME_LEN);
	lprintf(l, " (ifindex %d, netns %u)", e->new_ifindex, e->new_netns);
	if (e->ret < 0)
		lprintf(l, " failed %s", gb_errno_name(e->ret));
	if (e->info & GB_NETDEV_KERNEL)
		lprintf(l, " [by the kernel: its namespace died]");
	else if (e->info & GB_NETDEV_NO_REQUEST)
		lprintf(l, " [no request seen: asker unknown]");
	if (e->info & GB_NETDEV_UNCONFIRMED)
		lprintf(l, " [not confirmed by a notification]");
}

static const char *kind_color(uint32_t kind)
{
	switch (kind) {
	case GB_EV_CLONE: return "\033[32m";
	case GB_EV_EXEC: return "\033[36m";
	case GB_EV_EXIT: return "\033[33m";
	case GB_EV_SIGNAL_GENERATE:
	case GB_EV_SIGNAL_DELIVER:
	case GB_EV_SIGNAL_FAILED: return "\033[35m";
	default: return "\033[34m";
	}
}

static int table_event(struct gb_sink *s, const struct gb_event_hdr *h, size_t size)
{
	struct table_sink *t = (struct table_sink *)s;
	struct line l = { .len = 0 };
	char tbuf[32], pid[32], comm[GB_COMM_LEN * 6 + 1];
	const char *kind = gb_kind_name(h->kind);

	time_text(t, h->ts_ns, tbuf, sizeof(tbuf));
	pid_text(t, &h->task, pid, sizeof(pid));
	gb_text_escape(comm, sizeof(comm), h->comm, GB_COMM_LEN);
	lcol(&l, W_TIME, "%s", tbuf);
	if (t->opts.color)
		lprintf(&l, "%s", kind_color(h->kind));
	lcol(&l, W_EVENT, "%s", kind ? kind : "?");
	if (t->opts.color) /* after the padding: lcol counted only the name */
		lprintf(&l, "\033[0m");
	lcol(&l, W_PID, "%s", pid);
	lcol(&l, W_COMM, "%s", comm);
	switch (h->kind) {
	case GB_EV_CLONE: details_clone(t, &l, (const void *)h); break;
	case GB_EV_EXEC: details_exec(&l, (const void *)h); break;
	case GB_EV_EXIT: details_exit(&l, (const void *)h); break;
	case GB_EV_SIGNAL_GENERATE:
	case GB_EV_SIGNAL_DELIVER:
	case GB_EV_SIGNAL_FAILED: details_signal(t, &l, (const void *)h); break;
	case GB_EV_SETNS: details_setns(&l, (const void *)h); break;
	case GB_EV_UNSHARE: details_unshare(&l, (const void *)h); break;
	case GB_EV_NETDEV_MOVE: details_netdev(&l, (const void *)h); break;
	}
	/* trailing padding of an empty last column is noise */
	while (l.len && l.buf[l.len - 1] == ' ')
		l.len--;
	l.buf[l.len++] = '\n';
	gb_out_mem(&t->out, l.buf, l.len);
	return t->out.err;
}

static int table_begin(struct gb_sink *s, const struct gb_run_info *info)
{
	struct table_sink *t = (struct table_sink *)s;
	struct line l = { .len = 0 };

	t->info = *info;
	lcol(&l, W_TIME, "TIME");
	lcol(&l, W_EVENT, "EVENT");
	lcol(&l, W_PID, t->opts.pid_view == GB_PID_VIEW_HOST  ? "PID"
			: t->opts.pid_view == GB_PID_VIEW_OWN ? "PID(own/host)"
							      : "PID(sbx/host)");
	lcol(&l, W_COMM, "COMM");
	lprintf(&l, "DETAILS\n");
	gb_out_mem(&t->out, l.buf, l.len);
	return gb_outbuf_flush(&t->out);
}

static int table_flush(struct gb_sink *s)
{
	return gb_outbuf_flush(&((struct table_sink *)s)->out);
}

static int table_end(struct gb_sink *s, const struct gb_summary *sum)
{
	return table_flush(s);
}

static void table_destroy(struct gb_sink *s)
{
	struct table_sink *t = (struct table_sink *)s;

	gb_outbuf_flush(&t->out);
	gb_outbuf_free(&t->out);
	free(t);
}

static const struct gb_sink_ops table_ops = {
	.begin = table_begin,
	.event = table_event,
	.flush = table_flush,
	.end = table_end,
	.destroy = table_destroy,
};

struct gb_sink *gb_table_sink_new(int fd, const struct gb_format_opts *o)
{
	struct table_sink *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	if (gb_outbuf_init(&t->out, fd, 256 << 10)) {
		free(t);
		errno = ENOMEM;
		return NULL;
	}
	t->sink.ops = &table_ops;
	t->opts = *o;
	return &t->sink;
}

int gb_pid_view_parse(const char *s, enum gb_pid_view *out)
{
	if (!strcmp(s, "sandbox"))
		*out = GB_PID_VIEW_SANDBOX;
	else if (!strcmp(s, "host"))
		*out = GB_PID_VIEW_HOST;
	else if (!strcmp(s, "own"))
		*out = GB_PID_VIEW_OWN;
	else
		return -EINVAL;
	return 0;
}
