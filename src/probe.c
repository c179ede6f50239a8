// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "decode.h"
#include "probe.h"
#include "util.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

static const struct bpf_insn ret0[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

/* "denied here" and "not in this kernel" read differently to the user; name the errno */
static void why_errno(char *why, const char *what, int err)
{
	const char *name = strerrorname_np(err);

	if (err == EPERM || err == EACCES)
		snprintf(why, GB_WHY_LEN, "%s: denied by this kernel (%s)", what, name);
	else if (err == ENOENT || err == EINVAL || err == EOPNOTSUPP)
		snprintf(why, GB_WHY_LEN, "%s: not supported by this kernel (%s)", what,
			 name ? name : "?");
	else
		snprintf(why, GB_WHY_LEN, "%s failed: %s", what, name ? name : strerror(err));
}

/* what glassbox's tp_btf programs need beyond the attach: bpf_get_current_task_btf
 * (v5.11; tp_btf itself is v5.5) */
static const struct bpf_insn tp_btf_insns[] = {
	{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_get_current_task_btf },
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

/* tp_btf: a BPF_PROG_TYPE_TRACING program attached to a BTF-typed tracepoint. glassbox's
 * read kernel objects through bpf_rdonly_cast (bpf/read.bpf.h), a kfunc since v6.2. */
static void probe_tp_btf(struct gb_features *f, struct gb_mech_status *st)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_RAW_TP);
	int id, fd, link;

	if (gb_btf_view_find(&f->vmlinux, "bpf_rdonly_cast", BTF_KIND_FUNC) < 0) {
		snprintf(st->why, GB_WHY_LEN, "kernel has no bpf_rdonly_cast kfunc (v6.2)");
		return;
	}
	id = gb_btf_view_find(&f->vmlinux, "btf_trace_sched_process_exec",
				    BTF_KIND_TYPEDEF);
	if (id < 0) {
		snprintf(st->why, GB_WHY_LEN, "kernel BTF has no typed tracepoints");
		return;
	}
	opts.attach_btf_id = id;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "gb_probe", "GPL", tp_btf_insns,
			   GB_ARRAY_SIZE(tp_btf_insns), &opts);
	if (fd < 0) {
		why_errno(st->why, "loading a tp_btf program", errno);
		return;
	}
	link = bpf_raw_tracepoint_open(NULL, fd);
	if (link < 0)
		why_errno(st->why, "attaching a tp_btf program", errno);
	else
		st->ok = 1, close(link);
	close(fd);
}

static void probe_raw_tp(struct gb_mech_status *st)
{
	int fd, link;

	fd = bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "gb_probe", "GPL", ret0, 2, NULL);
	if (fd < 0) {
		why_errno(st->why, "loading a raw_tp program", errno);
		return;
	}
	link = bpf_raw_tracepoint_open("sched_process_exec", fd);
	if (link < 0)
		why_errno(st->why, "attaching a raw_tp program", errno);
	else
		st->ok = 1, close(link);
	close(fd);
}

static void find_tracefs(struct gb_features *f)
{
	static const char *const dirs[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

	f->tracefs[0] = 0;
	for (size_t i = 0; i < GB_ARRAY_SIZE(dirs); i++) {
		char path[96];

		snprintf(path, sizeof(path), "%s/events", dirs[i]);
		if (access(path, R_OK) == 0) {
			snprintf(f->tracefs, sizeof(f->tracefs), "%s", dirs[i]);
			return;
		}
	}
}

static void probe_tracepoint(struct gb_features *f, struct gb_mech_status *st)
{
	if (!f->tracefs[0]) {
		snprintf(st->why, GB_WHY_LEN,
			 "tracefs is not mounted (mount -t tracefs tracefs /sys/kernel/tracing)");
		return;
	}
	if (libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_TRACEPOINT, NULL) != 1) {
		snprintf(st->why, GB_WHY_LEN, "tracepoint programs not supported by this kernel");
		return;
	}
	st->ok = 1;
}

/* fentry on a function every kernel with BTF has; EPERM here: trampolines are denied */
static void probe_fentry(struct gb_features *f, struct gb_mech_status *st)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY);
	int id, fd;

	id = gb_btf_view_find(&f->vmlinux, "do_exit", BTF_KIND_FUNC);
	if (id < 0)
		id = gb_btf_view_find(&f->vmlinux, "schedule", BTF_KIND_FUNC);
	if (id < 0) {
		snprintf(st->why, GB_WHY_LEN, "no probe target function in kernel BTF");
		return;
	}
	opts.attach_btf_id = id;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "gb_probe", "GPL", ret0, 2, &opts);
	if (fd < 0) {
		why_errno(st->why, "loading an fentry program", errno);
		return;
	}
	st->ok = 1;
	close(fd);
}

/* kprobes go through the kprobe PMU; a kernel built without CONFIG_KPROBES has none */
static void probe_kprobe(struct gb_mech_status *st)
{
	if (access("/sys/bus/event_source/devices/kprobe/type", R_OK) != 0) {
		snprintf(st->why, GB_WHY_LEN, "no kprobe support in this kernel (CONFIG_KPROBES)");
		return;
	}
	if (libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_KPROBE, NULL) != 1) {
		snprintf(st->why, GB_WHY_LEN, "kprobe programs not supported by this kernel");
		return;
	}
	st->ok = 1;
}

int gb_probe_disable_parse(const char *list, uint32_t *mask)
{
	char buf[256], *tok, *save = NULL;

	*mask = 0;
	if (!list || !*list)
		return 0;
	if (strlen(list) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uint32_t m;

		if (!strcmp(tok, "btf")) {
			*mask |= GB_PROBE_DISABLE_BTF;
			continue;
		}
		if (!strcmp(tok, "core_btf")) {
			*mask |= GB_PROBE_DISABLE_CORE_BTF;
			continue;
		}
		if (!strcmp(tok, "bpf_loop")) {
			*mask |= GB_PROBE_DISABLE_BPF_LOOP;
			continue;
		}
		if (!strcmp(tok, "parallel_load")) {
			*mask |= GB_PROBE_DISABLE_PARALLEL;
			continue;
		}
		for (m = 1; m < GB_METHOD_MAX; m++)
			if (!strcmp(tok, gb_method_name(m)))
				break;
		if (m == GB_METHOD_MAX)
			return -EINVAL;
		*mask |= 1u << m;
	}
	return 0;
}

int gb_btf_has_helper(const struct gb_btf_view *v, const char *name)
{
	int id = gb_btf_view_find(v, "bpf_func_id", BTF_KIND_ENUM);
	const struct btf_type *t = id > 0 ? gb_btf_view_type(v, id) : NULL;
	const struct btf_enum *e;

	if (!t)
		return 0;
	e = btf_enum(t);
	for (uint16_t i = 0; i < btf_vlen(t); i++)
		if (!strcmp(gb_btf_view_str(v, e[i].name_off), name))
			return 1;
	return 0;
}

int gb_btf_has_bpf_loop(const struct gb_btf_view *v)
{
	return gb_btf_has_helper(v, "BPF_FUNC_loop");
}

int gb_features_read(struct gb_features *f)
{
	const char *dis = getenv("GLASSBOX_PROBE_DISABLE");
	int err;

	memset(f, 0, sizeof(*f));
	if (gb_probe_disable_parse(dis, &f->disabled)) {
		gb_err("GLASSBOX_PROBE_DISABLE: unknown method in '%s' (expected tp_btf, raw_tp, "
		       "tracepoint, fentry, kprobe, netlink, btf, core_btf, bpf_loop, parallel_load)",
		       dis);
		return -EINVAL;
	}
	find_tracefs(f);
	if (f->disabled & GB_PROBE_DISABLE_BTF) {
		snprintf(f->btf_why, GB_WHY_LEN, "kernel BTF disabled by GLASSBOX_PROBE_DISABLE");
	} else if (access(VMLINUX_BTF, R_OK) != 0) {
		snprintf(f->btf_why, GB_WHY_LEN, "kernel has no BTF (%s: %s)", VMLINUX_BTF,
			 strerror(errno));
	} else {
		err = gb_btf_view_open(&f->vmlinux, VMLINUX_BTF);
		if (err) {
			snprintf(f->btf_why, GB_WHY_LEN, "cannot read kernel BTF: %s", strerror(-err));
		} else {
			f->have_btf = 1;
		}
	}
	if (f->disabled & GB_PROBE_DISABLE_BPF_LOOP)
		snprintf(f->bpf_loop_why, GB_WHY_LEN, "disabled by GLASSBOX_PROBE_DISABLE");
	else if (!f->have_btf)
		snprintf(f->bpf_loop_why, GB_WHY_LEN, "%s", f->btf_why);
	else if (!gb_btf_has_bpf_loop(&f->vmlinux))
		snprintf(f->bpf_loop_why, GB_WHY_LEN, "kernel has no bpf_loop helper (v5.17)");
	else
		f->have_bpf_loop = 1;
	f->have_get_func_ret = f->have_btf && gb_btf_has_helper(&f->vmlinux,
								 "BPF_FUNC_get_func_ret");
	return 0;
}

void gb_features_probe_methods(struct gb_features *f)
{
	for (uint32_t m = 1; m < GB_METHOD_MAX; m++) {
		struct gb_mech_status *st = &f->mech[m];

		if (f->disabled & (1u << m)) {
			snprintf(st->why, GB_WHY_LEN, "disabled by GLASSBOX_PROBE_DISABLE");
			continue;
		}
		if (!f->have_btf && m != GB_METHOD_NETLINK) {
			/* every program is CO-RE: without kernel BTF none can be relocated */
			snprintf(st->why, GB_WHY_LEN, "%s", f->btf_why);
			continue;
		}
		switch (m) {
		case GB_METHOD_TP_BTF: probe_tp_btf(f, st); break;
		case GB_METHOD_RAW_TP: probe_raw_tp(st); break;
		case GB_METHOD_TRACEPOINT: probe_tracepoint(f, st); break;
		case GB_METHOD_FENTRY: probe_fentry(f, st); break;
		case GB_METHOD_KPROBE: probe_kprobe(st); break;
		case GB_METHOD_NETLINK: st->ok = 1; break; /* plain sockets: always there */
		}
	}
}

int gb_features_probe(struct gb_features *f)
{
	int err = gb_features_read(f);

	if (!err)
		gb_features_probe_methods(f);
	return err;
}

void gb_features_free(struct gb_features *f)
{
	gb_btf_view_close(&f->vmlinux);
}

int gb_tp_exists_btf(const struct gb_features *f, const char *tp)
{
	char name[128];

	if (!f->have_btf)
		return 0;
	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	return gb_btf_view_find(&f->vmlinux, name, BTF_KIND_TYPEDEF) > 0;
}

int gb_tp_exists_tracefs(const struct gb_features *f, const char *category, const char *tp)
{
	char path[256];

	if (!f->tracefs[0])
		return 0;
	snprintf(path, sizeof(path), "%s/events/%s/%s/id", f->tracefs, category, tp);
	return access(path, R_OK) == 0;
}

void gb_tp_choose(const struct gb_features *f, int in_btf, int in_tracefs,
		  struct gb_tp_choice *c)
{
	static const uint32_t order[] = { GB_METHOD_TP_BTF, GB_METHOD_RAW_TP,
					  GB_METHOD_TRACEPOINT };

	c->method = GB_METHOD_NONE;
	for (size_t i = 0; i < GB_ARRAY_SIZE(order); i++) {
		uint32_t m = order[i];
		char *why = c->why_not[m];

		why[0] = 0;
		if (!f->mech[m].ok) {
			snprintf(why, GB_WHY_LEN, "%s", f->mech[m].why);
			continue;
		}
		if (m == GB_METHOD_TP_BTF && !in_btf) {
			snprintf(why, GB_WHY_LEN, "kernel BTF has no btf_trace_%s", c->tp);
			continue;
		}
		/* a raw tracepoint exists wherever the kernel has the tracepoint at all */
		if (m == GB_METHOD_RAW_TP && !in_btf && !in_tracefs) {
			snprintf(why, GB_WHY_LEN, "tracepoint %s not found in this kernel", c->tp);
			continue;
		}
		if (m == GB_METHOD_TRACEPOINT && !in_tracefs) {
			snprintf(why, GB_WHY_LEN, "no %s/%s in tracefs", c->category, c->tp);
			continue;
		}
		c->method = m;
		return;
	}
}
