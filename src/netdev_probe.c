// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Choosing how to observe netdev_move (see netdev_probe.h and bpf/netdev.bpf.c).
 *
 * The probes try rather than guess: an fentry program is loaded and attached on the
 * move function itself (this kernel answers EPERM), kprobes need the kprobe PMU or
 * tracefs kprobe_events (absent without CONFIG_KPROBES), and the netlink path needs a
 * sys_enter/sys_exit program: tp_btf, raw_tp, or the tracefs raw_syscalls tracepoints.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "netdev_probe.h"
#include "probe.h"
#include "glassbox.skel.h"

const char *const gb_netdev_fn_names[GB_NETDEV_FN_MAX] = {
	[GB_NETDEV_FN_NETIF] = "netif_change_net_namespace",
	[GB_NETDEV_FN_DEV5] = "__dev_change_net_namespace",
	[GB_NETDEV_FN_DEV3] = "dev_change_net_namespace",
};

static int first_fn(const int *present)
{
	for (int i = 0; i < GB_NETDEV_FN_MAX; i++)
		if (present[i])
			return i;
	return GB_NETDEV_FN_NONE;
}

int gb_netdev_choose(const struct gb_netdev_caps *c, struct gb_netdev_plan *p)
{
	int fn;

	memset(p, 0, sizeof(*p));
	p->method = GB_METHOD_NONE;
	p->fn = GB_NETDEV_FN_NONE;

	fn = first_fn(c->fn_in_btf);
	if (fn == GB_NETDEV_FN_NONE)
		snprintf(p->why_not[GB_METHOD_FENTRY], GB_NETDEV_WHY_LEN,
			 "no %s, %s or %s in the kernel's BTF", gb_netdev_fn_names[0],
			 gb_netdev_fn_names[1], gb_netdev_fn_names[2]);
	else if (!c->fentry.ok)
		snprintf(p->why_not[GB_METHOD_FENTRY], GB_NETDEV_WHY_LEN, "%s", c->fentry.why);
	else {
		p->method = GB_METHOD_FENTRY;
		p->fn = fn;
		return 0;
	}

	fn = first_fn(c->fn_in_kallsyms);
	if (fn == GB_NETDEV_FN_NONE)
		snprintf(p->why_not[GB_METHOD_KPROBE], GB_NETDEV_WHY_LEN,
			 "no %s, %s or %s in kallsyms", gb_netdev_fn_names[0],
			 gb_netdev_fn_names[1], gb_netdev_fn_names[2]);
	else if (!c->kprobe.ok)
		snprintf(p->why_not[GB_METHOD_KPROBE], GB_NETDEV_WHY_LEN, "%s", c->kprobe.why);
	else {
		p->method = GB_METHOD_KPROBE;
		p->fn = fn;
		return 0;
	}

	if (!c->netlink.ok) {
		snprintf(p->why_not[GB_METHOD_NETLINK], GB_NETDEV_WHY_LEN, "%s", c->netlink.why);
		return -ENOTSUP;
	}
	if (c->tp_btf.ok)
		p->syscall_tp = GB_METHOD_TP_BTF;
	else if (c->raw_tp.ok)
		p->syscall_tp = GB_METHOD_RAW_TP;
	else if (c->tracepoint.ok)
		p->syscall_tp = GB_METHOD_TRACEPOINT;
	else {
		snprintf(p->why_not[GB_METHOD_NETLINK], GB_NETDEV_WHY_LEN,
			 "no sys_enter/sys_exit program: tp_btf: %.60s; raw_tp: %.60s; "
			 "tracepoint: %.60s", c->tp_btf.why, c->raw_tp.why, c->tracepoint.why);
		return -ENOTSUP;
	}
	p->method = GB_METHOD_NETLINK;
	return 0;
}

/* ---- probing the running kernel ------------------------------------------------- */

static void why_errno(struct gb_netdev_mech *m, const char *what, int err)
{
	m->ok = 0;
	snprintf(m->why, sizeof(m->why), "%s: %s%s", what, strerror(err),
		 err == EPERM || err == EACCES ? " (denied here)" : "");
}

static const struct bpf_insn ret0[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

/* Load and attach a trivial tracing program: fentry on fn, or tp_btf on a tracepoint. */
static int try_tracing(enum bpf_attach_type type, int btf_id)
{
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = type,
		    .attach_btf_id = btf_id);
	int fd, lfd, err;

	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, NULL, "GPL", ret0, 2, &o);
	if (fd < 0)
		return -errno;
	if (type == BPF_TRACE_RAW_TP)
		lfd = bpf_raw_tracepoint_open(NULL, fd);
	else
		lfd = bpf_link_create(fd, 0, type, NULL);
	err = lfd < 0 ? -errno : 0;
	if (lfd >= 0)
		close(lfd);
	close(fd);
	return err;
}

static int try_raw_tp(const char *tp)
{
	int fd, lfd, err;

	fd = bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, NULL, "GPL", ret0, 2, NULL);
	if (fd < 0)
		return -errno;
	lfd = bpf_raw_tracepoint_open(tp, fd);
	err = lfd < 0 ? -errno : 0;
	if (lfd >= 0)
		close(lfd);
	close(fd);
	return err;
}

static void kallsyms_scan(int *present)
{
	char line[512], sym[256], type;
	unsigned long long addr;
	FILE *f = fopen("/proc/kallsyms", "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &addr, &type, sym) != 3)
			continue;
		if (type != 'T' && type != 't')
			continue;
		for (int i = 0; i < GB_NETDEV_FN_MAX; i++)
			if (!strcmp(sym, gb_netdev_fn_names[i]))
				present[i] = 1;
	}
	fclose(f);
}

static void probe_kprobe(struct gb_netdev_mech *m)
{
	/* libbpf attaches through the kprobe PMU, or tracefs kprobe_events on old kernels */
	if (access("/sys/bus/event_source/devices/kprobe/type", R_OK) != 0 &&
	    access("/sys/kernel/tracing/kprobe_events", W_OK) != 0 &&
	    access("/sys/kernel/debug/tracing/kprobe_events", W_OK) != 0) {
		m->ok = 0;
		snprintf(m->why, sizeof(m->why),
			 "no kprobe support in this kernel (no kprobe PMU, no kprobe_events)");
		return;
	}
	if (libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_KPROBE, NULL) != 1) {
		m->ok = 0;
		snprintf(m->why, sizeof(m->why), "kprobe programs do not load here");
		return;
	}
	m->ok = 1;
}

/* tracefs, wherever it is mounted, with the raw_syscalls events */
static int raw_syscalls_tracefs(void)
{
	return access("/sys/kernel/tracing/events/raw_syscalls/sys_enter/id", R_OK) == 0 ||
	       access("/sys/kernel/debug/tracing/events/raw_syscalls/sys_enter/id", R_OK) == 0;
}

static void disable(struct gb_netdev_mech *m, uint32_t mask, uint32_t method)
{
	if (!(mask & (1u << method)))
		return;
	m->ok = 0;
	snprintf(m->why, sizeof(m->why), "disabled by GLASSBOX_PROBE_DISABLE");
}

int gb_netdev_caps_probe(struct gb_netdev_caps *c)
{
	uint32_t off = 0;
	struct btf *btf;
	int fn, id, err;

	memset(c, 0, sizeof(*c));
	if (gb_probe_disable_parse(getenv("GLASSBOX_PROBE_DISABLE"), &off))
		return -EINVAL;
	if (off & GB_PROBE_DISABLE_BTF)
		return -ENOTSUP;
	btf = btf__load_vmlinux_btf();
	if (!btf)
		return -errno;
	for (int i = 0; i < GB_NETDEV_FN_MAX; i++)
		c->fn_in_btf[i] = btf__find_by_name_kind(btf, gb_netdev_fn_names[i],
							 BTF_KIND_FUNC) > 0;
	kallsyms_scan(c->fn_in_kallsyms);

	fn = first_fn(c->fn_in_btf);
	if (fn == GB_NETDEV_FN_NONE) {
		snprintf(c->fentry.why, sizeof(c->fentry.why), "no move function in BTF");
	} else {
		id = btf__find_by_name_kind(btf, gb_netdev_fn_names[fn], BTF_KIND_FUNC);
		err = try_tracing(BPF_TRACE_FENTRY, id);
		if (err)
			why_errno(&c->fentry, "loading an fentry program", -err);
		else
			c->fentry.ok = 1;
	}
	probe_kprobe(&c->kprobe);

	id = btf__find_by_name_kind(btf, "btf_trace_sys_enter", BTF_KIND_TYPEDEF);
	if (id <= 0) {
		snprintf(c->tp_btf.why, sizeof(c->tp_btf.why), "no btf_trace_sys_enter in BTF");
	} else {
		err = try_tracing(BPF_TRACE_RAW_TP, id);
		if (err)
			why_errno(&c->tp_btf, "loading a tp_btf/sys_enter program", -err);
		else
			c->tp_btf.ok = 1;
	}
	err = try_raw_tp("sys_enter");
	if (err)
		why_errno(&c->raw_tp, "loading a raw_tp/sys_enter program", -err);
	else
		c->raw_tp.ok = 1;
	if (!raw_syscalls_tracefs())
		snprintf(c->tracepoint.why, sizeof(c->tracepoint.why),
			 "tracefs with raw_syscalls events is not mounted");
	else if (libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_TRACEPOINT, NULL) != 1)
		snprintf(c->tracepoint.why, sizeof(c->tracepoint.why),
			 "tracepoint programs do not load here");
	else
		c->tracepoint.ok = 1;
	c->netlink.ok = 1;

	disable(&c->fentry, off, GB_METHOD_FENTRY);
	disable(&c->kprobe, off, GB_METHOD_KPROBE);
	disable(&c->tp_btf, off, GB_METHOD_TP_BTF);
	disable(&c->raw_tp, off, GB_METHOD_RAW_TP);
	disable(&c->tracepoint, off, GB_METHOD_TRACEPOINT);
	disable(&c->netlink, off, GB_METHOD_NETLINK);
	btf__free(btf);
	return 0;
}

/* ---- the skeleton ---------------------------------------------------------------- */

static int autoload(struct bpf_program *prog)
{
	return bpf_program__set_autoload(prog, true);
}

int gb_netdev_configure(struct glassbox_bpf *skel, const struct gb_netdev_plan *p)
{
	struct bpf_program *entry[GB_NETDEV_FN_MAX][2] = {
		[GB_NETDEV_FN_NETIF] = { skel->progs.gb_fentry_netif_change_net_namespace,
					 skel->progs.gb_fexit_netif_change_net_namespace },
		[GB_NETDEV_FN_DEV5] = { skel->progs.gb_fentry___dev_change_net_namespace,
					skel->progs.gb_fexit___dev_change_net_namespace },
		[GB_NETDEV_FN_DEV3] = { skel->progs.gb_fentry_dev_change_net_namespace,
					skel->progs.gb_fexit_dev_change_net_namespace },
	};
	struct bpf_program *probe[GB_NETDEV_FN_MAX][2] = {
		[GB_NETDEV_FN_NETIF] = { skel->progs.gb_kprobe_netif_change_net_namespace,
					 skel->progs.gb_kretprobe_netif_change_net_namespace },
		[GB_NETDEV_FN_DEV5] = { skel->progs.gb_kprobe___dev_change_net_namespace,
					skel->progs.gb_kretprobe___dev_change_net_namespace },
		[GB_NETDEV_FN_DEV3] = { skel->progs.gb_kprobe_dev_change_net_namespace,
					skel->progs.gb_kretprobe_dev_change_net_namespace },
	};
	int err;

	switch (p->method) {
	case GB_METHOD_FENTRY:
	case GB_METHOD_KPROBE:
		if (p->fn < 0 || p->fn >= GB_NETDEV_FN_MAX)
			return -EINVAL;
		if (p->method == GB_METHOD_FENTRY)
			err = autoload(entry[p->fn][0]) ?: autoload(entry[p->fn][1]);
		else
			err = autoload(probe[p->fn][0]) ?: autoload(probe[p->fn][1]);
		return err;
	case GB_METHOD_NETLINK:
		if (p->syscall_tp == GB_METHOD_TP_BTF)
			return autoload(skel->progs.gb_btf_netdev_sys_enter) ?:
				       autoload(skel->progs.gb_btf_netdev_sys_exit);
		if (p->syscall_tp == GB_METHOD_RAW_TP)
			return autoload(skel->progs.gb_raw_netdev_sys_enter) ?:
				       autoload(skel->progs.gb_raw_netdev_sys_exit);
		if (p->syscall_tp == GB_METHOD_TRACEPOINT)
			return autoload(skel->progs.gb_tp_netdev_sys_enter) ?:
				       autoload(skel->progs.gb_tp_netdev_sys_exit);
		return -EINVAL;
	case GB_METHOD_NONE:
		return 0;
	default:
		return -EINVAL;
	}
}

int gb_netdev_trace_netns(struct glassbox_bpf *skel, uint32_t netns_ino, uint32_t root_level)
{
	struct gb_ns_filter v = { .root_level = root_level };
	int err;

	err = bpf_map__update_elem(skel->maps.gb_traced_netns, &netns_ino, sizeof(netns_ino), &v,
				   sizeof(v), BPF_NOEXIST);
	if (err == -EEXIST)
		return 0; /* already traced (glassbox trace --netns, or followed) */
	return err;
}
