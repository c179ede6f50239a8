// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * JSON Lines: one object per event, snake_case names, numbers as numbers. Every PID is
 * given three ways: `pid` (host), `ns_pid` (the trace root's namespace), `own_pid` (the
 * task's own namespace); the same prefixes for child_ and target_. The schema is
 * documented in the README; "v" carries its version on every line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sched.h>
#include "decode.h"
#include "format.h"
#include "outbuf.h"
#include "syscalls.h"
#include "util.h"

struct json_sink {
	struct gb_sink sink;
	struct gb_outbuf out;
	struct gb_format_opts opts;
	struct gb_run_info info;
};

static void key_u64(struct gb_outbuf *b, const char *k, uint64_t v, int *first)
{
	gb_json_key(b, k, first);
	gb_out_u64(b, v);
}

static void key_i64(struct gb_outbuf *b, const char *k, int64_t v, int *first)
{
	gb_json_key(b, k, first);
	gb_out_i64(b, v);
}

static void key_str(struct gb_outbuf *b, const char *k, const char *s, size_t max, int *first)
{
	gb_json_key(b, k, first);
	gb_json_str(b, s, max);
}

static void key_bool(struct gb_outbuf *b, const char *k, int v, int *first)
{
	gb_json_key(b, k, first);
	gb_out_str(b, v ? "true" : "false");
}

/* A string of ours that needs no escaping (names from decode.c's tables). */
static void key_name(struct gb_outbuf *b, const char *k, const char *s, int *first)
{
	gb_json_key(b, k, first);
	gb_out_char(b, '"');
	gb_out_str(b, s);
	gb_out_char(b, '"');
}

/* pid, tid, ns_pid, ns_tid, own_pid, own_tid, level, pidns, under one prefix; never the
 * first member of an object, so each key carries its comma, and its length */
struct id_key {
	const char *s;
	size_t n;
};
#define ID_KEY(k) { ",\"" k "\":", sizeof(",\"" k "\":") - 1 }
#define ID_KEYS(p)                                                                       \
	{ ID_KEY(p "pid"), ID_KEY(p "tid"), ID_KEY(p "ns_pid"), ID_KEY(p "ns_tid"),          \
	  ID_KEY(p "own_pid"), ID_KEY(p "own_tid"), ID_KEY(p "level"), ID_KEY(p "pidns") }
static const struct id_key task_keys[8] = ID_KEYS("");
static const struct id_key child_keys[8] = ID_KEYS("child_");
static const struct id_key target_keys[8] = ID_KEYS("target_");

static void ids(struct gb_outbuf *b, const struct id_key keys[8], const struct gb_ids *id,
		int *first)
{
	const __u32 vals[8] = { id->pid, id->tid, id->ns_pid, id->ns_tid,
				id->own_pid, id->own_tid, id->level, id->pidns };

	*first = 0;
	for (size_t i = 0; i < 8; i++) {
		gb_out_mem(b, keys[i].s, keys[i].n);
		gb_out_u64(b, vals[i]);
	}
}

static void flags_array(struct gb_outbuf *b, const char *k, uint64_t flags, int *first)
{
	const char *names[40];
	uint64_t rest;
	size_t n = gb_clone_flag_names(flags, names, GB_ARRAY_SIZE(names), &rest);

	gb_json_key(b, k, first);
	gb_out_char(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			gb_out_char(b, ',');
		gb_json_str(b, names[i], 64);
	}
	if (rest) {
		char hex[24];

		snprintf(hex, sizeof(hex), "%#llx", (unsigned long long)rest);
		if (n)
			gb_out_char(b, ',');
		gb_json_str(b, hex, sizeof(hex));
	}
	gb_out_char(b, ']');
}

static void sig_fields(struct gb_outbuf *b, int sig, int *first)
{
	char buf[16];
	const char *name = gb_signal_name(sig, buf, sizeof(buf));

	key_i64(b, "sig", sig, first);
	if (name) {
		key_name(b, "sig_name", name, first);
	} else {
		gb_json_key(b, "sig_name", first);
		gb_out_str(b, "null");
	}
}

static void nsset(struct gb_outbuf *b, const char *k, const struct gb_nsset *s, int *first)
{
	int f = 1;

	gb_json_key(b, k, first);
	gb_out_char(b, '{');
	key_u64(b, "pid", s->pid, &f);
	key_u64(b, "pid_for_children", s->pid_for_children, &f);
	key_u64(b, "net", s->net, &f);
	key_u64(b, "mnt", s->mnt, &f);
	key_u64(b, "uts", s->uts, &f);
	key_u64(b, "ipc", s->ipc, &f);
	key_u64(b, "user", s->user, &f);
	key_u64(b, "cgroup", s->cgroup, &f);
	key_u64(b, "time", s->time, &f);
	key_u64(b, "time_for_children", s->time_for_children, &f);
	gb_out_char(b, '}');
}

static void errno_field(struct gb_outbuf *b, int ret, int *first)
{
	key_i64(b, "ret", ret, first);
	if (ret < 0) {
		gb_json_key(b, "error", first);
		gb_json_str(b, gb_errno_name(ret), 32);
	}
}

/* argv: NUL-separated strings, possibly cut at the end */
static void argv_array(struct gb_outbuf *b, const char *argv, size_t len, int *first)
{
	size_t i = 0;
	int n = 0;

	gb_json_key(b, "argv", first);
	gb_out_char(b, '[');
	while (i < len) {
		size_t l = strnlen(argv + i, len - i);

		if (n++)
			gb_out_char(b, ',');
		gb_json_str(b, argv + i, l);
		i += l + 1;
	}
	gb_out_char(b, ']');
}

static void clone_body(struct gb_outbuf *b, const struct gb_ev_clone *e, int *f)
{
	static const struct {
		uint64_t flag;
		const char *type;
		size_t off;
	} created[] = {
		{ CLONE_NEWPID, "pid", offsetof(struct gb_nsset, pid) },
		{ CLONE_NEWNET, "net", offsetof(struct gb_nsset, net) },
		{ CLONE_NEWNS, "mnt", offsetof(struct gb_nsset, mnt) },
		{ CLONE_NEWUTS, "uts", offsetof(struct gb_nsset, uts) },
		{ CLONE_NEWIPC, "ipc", offsetof(struct gb_nsset, ipc) },
		{ CLONE_NEWUSER, "user", offsetof(struct gb_nsset, user) },
		{ CLONE_NEWCGROUP, "cgroup", offsetof(struct gb_nsset, cgroup) },
		{ 0x80 /* CLONE_NEWTIME */, "time", offsetof(struct gb_nsset, time) },
	};
	int n = 0;

	ids(b, child_keys, &e->child, f);
	key_u64(b, "child_netns", e->child_netns, f);
	flags_array(b, "flags", e->flags, f);
	key_bool(b, "thread", e->info & GB_CLONE_THREAD_CHILD, f);
	errno_field(b, e->ret, f);
	if (e->ret < 0) {
		const char *sys = gb_syscall_name(GB_CLONE_SYSCALL(e->info));

		key_str(b, "syscall", sys ? sys : "unknown", 24, f);
	}
	/* each namespace this clone created, with the kernel's inode for it */
	gb_json_key(b, "new_namespaces", f);
	gb_out_char(b, '[');
	for (size_t i = 0; i < GB_ARRAY_SIZE(created) && e->ret >= 0; i++) {
		int g = 1;

		if (!(e->flags & created[i].flag))
			continue;
		if (n++)
			gb_out_char(b, ',');
		gb_out_char(b, '{');
		key_str(b, "type", created[i].type, 8, &g);
		key_u64(b, "inode", *(const __u32 *)((const char *)&e->child_ns + created[i].off), &g);
		if (created[i].flag == CLONE_NEWPID) {
			key_u64(b, "level", e->child.level, &g);
			key_u64(b, "parent", e->child_pidns_parent, &g);
		}
		gb_out_char(b, '}');
	}
	gb_out_char(b, ']');
	nsset(b, "parent_ns", &e->parent_ns, f);
	nsset(b, "child_ns", &e->child_ns, f);
}

static void exit_body(struct gb_outbuf *b, const struct gb_ev_exit *e, int *f)
{
	int sig = e->exit_code & 0x7f;
	int code = sig ? 128 + sig : (e->exit_code >> 8) & 0xff;

	key_i64(b, "status", e->exit_code, f);
	key_i64(b, "exit_code", code, f);
	key_i64(b, "term_sig", sig, f);
	if (sig) {
		char buf[16];
		const char *name = gb_signal_name(sig, buf, sizeof(buf));

		gb_json_key(b, "term_sig_name", f);
		if (name)
			gb_json_str(b, name, 16);
		else
			gb_out_str(b, "null");
		key_bool(b, "core_dumped", e->exit_code & 0x80, f);
	}
	key_bool(b, "thread", e->info & GB_EXIT_THREAD, f);
	key_bool(b, "group_dead", e->info & GB_EXIT_GROUP_DEAD, f);
	key_bool(b, "ns_init", e->info & GB_EXIT_NS_INIT, f);
	key_bool(b, "sandbox_init", e->info & GB_EXIT_SANDBOX_INIT, f);
}

static void signal_body(struct gb_outbuf *b, const struct gb_ev_signal *e, uint32_t kind, int *f)
{
	const char *code = gb_si_code_name(e->code);

	sig_fields(b, e->sig, f);
	if (kind == GB_EV_SIGNAL_FAILED) {
		const char *sys = gb_syscall_name(e->syscall);

		/* the arguments as the sender wrote them: the kernel found no task for them */
		key_str(b, "syscall", sys ? sys : "unknown", 24, f);
		if (e->syscall == GB_SYS_PIDFD_SEND_SIGNAL) {
			key_i64(b, "target_pidfd", (int32_t)e->target.own_pid, f);
		} else if (e->syscall == GB_SYS_TKILL) {
			key_i64(b, "target_tid_arg", (int32_t)e->target.own_tid, f);
		} else {
			key_i64(b, "target_pid_arg", (int32_t)e->target.own_pid, f);
			if (e->syscall == GB_SYS_TGKILL || e->syscall == GB_SYS_RT_TGSIGQUEUEINFO)
				key_i64(b, "target_tid_arg", (int32_t)e->target.own_tid, f);
		}
		key_i64(b, "code", e->code, f);
		if (code)
			key_str(b, "code_name", code, 16, f);
		errno_field(b, e->result, f);
		return;
	}
	ids(b, target_keys, &e->target, f);
	key_u64(b, "target_netns", e->target_netns, f);
	key_str(b, "target_comm", e->target_comm, GB_COMM_LEN, f);
	key_i64(b, "code", e->code, f);
	if (code)
		key_name(b, "code_name", code, f);
	if (kind == GB_EV_SIGNAL_GENERATE) {
		key_name(b, "result", gb_sig_result_name(e->result), f);
		key_bool(b, "group", e->group, f);
	} else {
		key_name(b, "action", gb_sig_action_name(e->result), f);
		key_name(b, "default_action", gb_signal_default_action(e->sig), f);
	}
}

/* One namespace change's members, after the caller's '{': "type", "old", "new". */
static void ns_change_members(struct gb_outbuf *b, const struct gb_ns_change *c, int *g)
{
	key_str(b, "type", c->type, 24, g);
	key_u64(b, "old", c->old_ino, g);
	key_u64(b, "new", c->new_ino, g);
}

/* "changes": [{"type":"net","old":1,"new":2}, ...] for every inode that differs */
static void ns_changes(struct gb_outbuf *b, const struct gb_nsset *x, const struct gb_nsset *y,
		       int *first)
{
	struct gb_ns_change ch[GB_NSSET_TYPES];
	size_t n = gb_nsset_diff(x, y, ch, GB_ARRAY_SIZE(ch));

	gb_json_key(b, "changes", first);
	gb_out_char(b, '[');
	for (size_t i = 0; i < n; i++) {
		int g = 1;

		if (i)
			gb_out_char(b, ',');
		gb_out_char(b, '{');
		ns_change_members(b, &ch[i], &g);
		gb_out_char(b, '}');
	}
	gb_out_char(b, ']');
}

static void setns_body(struct gb_outbuf *b, const struct gb_ev_setns *e, int *f)
{
	const char *t = gb_nstype_name(e->nstype), *ft = gb_nstype_name(e->fd_nstype);

	key_i64(b, "fd", e->fd, f);
	key_u64(b, "nstype", e->nstype, f);
	key_str(b, "nstype_name", t ? t : e->nstype ? "several" : "any", 8, f);
	key_str(b, "target_type", ft ? ft : e->target_pid ? "pidfd" : "unknown", 8, f);
	key_u64(b, "target_ino", e->target_ino, f);
	key_u64(b, "target_pid", e->target_pid, f);
	errno_field(b, e->ret, f);
	ns_changes(b, &e->before, &e->after, f);
	/* joining a PID namespace moves only the caller's children: say so, with both */
	if (e->ret == 0 && e->after.pid_for_children != e->before.pid_for_children) {
		key_bool(b, "pid_for_children_changed", 1, f);
		key_u64(b, "own_pidns", e->after.pid, f);
		key_u64(b, "pid_for_children", e->after.pid_for_children, f);
	}
	nsset(b, "before", &e->before, f);
	nsset(b, "after", &e->after, f);
}

static void unshare_body(struct gb_outbuf *b, const struct gb_ev_unshare *e, int *f)
{
	struct gb_ns_change ch[GB_NSSET_TYPES];
	size_t n = e->ret == 0 ? gb_nsset_diff(&e->before, &e->after, ch, GB_ARRAY_SIZE(ch)) : 0;

	flags_array(b, "flags", e->flags, f);
	errno_field(b, e->ret, f);
	/* each namespace created: old and new inode; a new PID namespace is the caller's
	 * pid_for_children, one level down, and its next child is PID 1 there */
	gb_json_key(b, "new_namespaces", f);
	gb_out_char(b, '[');
	for (size_t i = 0; i < n; i++) {
		int g = 1;

		if (i)
			gb_out_char(b, ',');
		gb_out_char(b, '{');
		ns_change_members(b, &ch[i], &g);
		if (!strcmp(ch[i].type, "pid_for_children")) {
			key_u64(b, "level", e->hdr.task.level + 1, &g);
			key_u64(b, "parent", e->after.pid, &g);
			key_u64(b, "next_child_pid", 1, &g);
		}
		gb_out_char(b, '}');
	}
	gb_out_char(b, ']');
	if (e->ret == 0 && e->after.pid_for_children != e->before.pid_for_children)
		key_bool(b, "pid_for_children_changed", 1, f);
	nsset(b, "before", &e->before, f);
	nsset(b, "after", &e->after, f);
}

static void netdev_body(struct gb_outbuf *b, const struct gb_ev_netdev_move *e, int *f)
{
	key_str(b, "old_name", e->old_name, GB_IFNAME_LEN, f);
	key_str(b, "new_name", e->new_name, GB_IFNAME_LEN, f);
	key_i64(b, "old_ifindex", e->old_ifindex, f);
	key_i64(b, "new_ifindex", e->new_ifindex, f);
	key_u64(b, "old_netns", e->old_netns, f);
	key_u64(b, "new_netns", e->new_netns, f);
	errno_field(b, e->ret, f);
	key_bool(b, "by_kernel", e->info & GB_NETDEV_KERNEL, f);
	key_bool(b, "unconfirmed", e->info & GB_NETDEV_UNCONFIRMED, f);
	key_bool(b, "no_request", e->info & GB_NETDEV_NO_REQUEST, f);
}

static int json_event(struct gb_sink *s, const struct gb_event_hdr *h, size_t size)
{
	struct json_sink *js = (struct json_sink *)s;
	struct gb_outbuf *b = &js->out;
	const char *kind = gb_kind_name(h->kind);
	int f = 1;

	gb_out_char(b, '{');
	key_u64(b, "v", GB_JSON_SCHEMA, &f);
	key_name(b, "event", kind ? kind : "unknown", &f);
	key_u64(b, "ts_ns", h->ts_ns, &f);
	if (js->opts.abs_time)
		key_u64(b, "time_ns", h->ts_ns - js->info.start_mono_ns + js->info.start_real_ns, &f);
	ids(b, task_keys, &h->task, &f);
	key_u64(b, "netns", h->netns, &f);
	key_str(b, "comm", h->comm, GB_COMM_LEN, &f);
	key_name(b, "method", gb_method_name(h->method), &f);
	switch (h->kind) {
	case GB_EV_CLONE:
		clone_body(b, (const struct gb_ev_clone *)h, &f);
		break;
	case GB_EV_EXEC: {
		const struct gb_ev_exec *e = (const void *)h;

		key_str(b, "filename", e->filename, GB_FILENAME_LEN, &f);
		argv_array(b, e->argv, e->argv_len < GB_ARGV_LEN ? e->argv_len : GB_ARGV_LEN, &f);
		key_u64(b, "argc", e->argc, &f);
		errno_field(b, e->ret, &f);
		break;
	}
	case GB_EV_EXIT:
		exit_body(b, (const struct gb_ev_exit *)h, &f);
		break;
	case GB_EV_SIGNAL_GENERATE:
	case GB_EV_SIGNAL_DELIVER:
	case GB_EV_SIGNAL_FAILED:
		signal_body(b, (const struct gb_ev_signal *)h, h->kind, &f);
		break;
	case GB_EV_SETNS:
		setns_body(b, (const struct gb_ev_setns *)h, &f);
		break;
	case GB_EV_UNSHARE:
		unshare_body(b, (const struct gb_ev_unshare *)h, &f);
		break;
	case GB_EV_NETDEV_MOVE:
		netdev_body(b, (const struct gb_ev_netdev_move *)h, &f);
		break;
	}
	gb_out_mem(b, "}\n", 2);
	return b->err;
}

static int json_begin(struct gb_sink *s, const struct gb_run_info *info)
{
	((struct json_sink *)s)->info = *info;
	return 0;
}

static int json_flush(struct gb_sink *s)
{
	return gb_outbuf_flush(&((struct json_sink *)s)->out);
}

static int json_end(struct gb_sink *s, const struct gb_summary *sum)
{
	return json_flush(s);
}

static void json_destroy(struct gb_sink *s)
{
	struct json_sink *js = (struct json_sink *)s;

	gb_outbuf_flush(&js->out);
	gb_outbuf_free(&js->out);
	free(js);
}

static const struct gb_sink_ops json_ops = {
	.begin = json_begin,
	.event = json_event,
	.flush = json_flush,
	.end = json_end,
	.destroy = json_destroy,
};

struct gb_sink *gb_json_sink_new(int fd, const struct gb_format_opts *o)
{
	struct json_sink *js = calloc(1, sizeof(*js));

	if (!js)
		return NULL;
	if (gb_outbuf_init(&js->out, fd, 1 << 20)) {
		free(js);
		errno = ENOMEM;
		return NULL;
	}
	js->sink.ops = &json_ops;
	js->opts = *o;
	return &js->sink;
}
