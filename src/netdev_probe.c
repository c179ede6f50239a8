// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Choosing how to observe netdev_move (see netdev_probe.h and bpf/netdev.bpf.c).
 *
 * The capabilities come from the general probe (probe.c: each mechanism tried once,
 * GLASSBOX_PROBE_DISABLE applied), narrowed to what netdev_move needs: fentry must
 * also attach to the move function itself, kprobes need its symbol, and the netlink
 * path needs sys_enter/sys_exit as tp_btf, raw_tp, or tracefs raw_syscalls events.
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
#include "glassbox/events.h" /* the skeleton names struct gb_ns_filter */
#include "glassbox.skel.h"

const char *const gb_netdev_fn_names[GB_NETDEV_FN_MAX] = {
	[GB_NETDEV_FN_NETIF] = "netif_change_net_namespace",
	[GB_NETDEV_FN_DEV_INNER] = "__dev_change_net_namespace",
	[GB_NETDEV_FN_DEV] = "dev_change_net_namespace",
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
	if (!c->fentry.ok)
		snprintf(p->why_not[GB_METHOD_FENTRY], GB_NETDEV_WHY_LEN, "%s", c->fentry.why);
	else if (fn == GB_NETDEV_FN_NONE)
		snprintf(p->why_not[GB_METHOD_FENTRY], GB_NETDEV_WHY_LEN,
			 "no %s, %s or %s in the kernel's BTF", gb_netdev_fn_names[0],
			 gb_netdev_fn_names[1], gb_netdev_fn_names[2]);
	else {
		p->method = GB_METHOD_FENTRY;
		p->fn = fn;
		return 0;
	}

	fn = first_fn(c->fn_in_kallsyms);
	if (!c->kprobe.ok)
		snprintf(p->why_not[GB_METHOD_KPROBE], GB_NETDEV_WHY_LEN, "%s", c->kprobe.why);
	else if (fn == GB_NETDEV_FN_NONE)
		snprintf(p->why_not[GB_METHOD_KPROBE], GB_NETDEV_WHY_LEN,
			 "no %s, %s or %s in kallsyms", gb_netdev_fn_names[0],
			 gb_netdev_fn_names[1], gb_netdev_fn_names[2]);
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

/* Load and attach a trivial fentry program on the move function itself: trampolines
 * may work in general and still not on this one (notrace, inlined). */
static int try_fentry(int btf_id)
{
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_TRACE_FENTRY,
		    .attach_btf_id = btf_id);
	int fd, lfd, err;

	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, NULL, "GPL", ret0, 2, &o);
	if (fd < 0)
		return -errno;
	lfd = bpf_link_create(fd, 0, BPF_TRACE_FENTRY, NULL);
	err = lfd < 0 ? -errno : 0;
	if (lfd >= 0)
		close(lfd);
	close(fd);
	return err;
}

/* Text symbols of the move functions: what a kprobe attaches to. Only read when kprobes
 * work at all: /proc/kallsyms is large. */
static void kallsyms_scan(int *present)
{
	char line[512], sym[256], type;
	unsigned long long addr;
	FILE *f = fopen("/proc/kallsyms", "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, "change_net_namespace"))
			continue;
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

static void mech_from(struct gb_netdev_mech *m, const struct gb_features *f, uint32_t method)
{
	m->ok = f->mech[method].ok;
	snprintf(m->why, sizeof(m->why), "%s", f->mech[method].why);
}

int gb_netdev_caps_from_features(const struct gb_features *f, struct gb_netdev_caps *c)
{
	int fn, id, err;

	memset(c, 0, sizeof(*c));
	if (!f->have_btf)
		return -ENOTSUP; /* every program is CO-RE */
	for (int i = 0; i < GB_NETDEV_FN_MAX; i++)
		c->fn_in_btf[i] = gb_btf_view_find(&f->vmlinux, gb_netdev_fn_names[i],
							 BTF_KIND_FUNC) > 0;

	mech_from(&c->fentry, f, GB_METHOD_FENTRY);
	if (c->fentry.ok && !f->have_get_func_ret) {
		c->fentry.ok = 0;
		snprintf(c->fentry.why, sizeof(c->fentry.why),
			 "kernel has no bpf_get_func_ret helper (v5.17) for the fexit's result");
	}
	fn = first_fn(c->fn_in_btf);
	if (c->fentry.ok && fn != GB_NETDEV_FN_NONE) {
		id = gb_btf_view_find(&f->vmlinux, gb_netdev_fn_names[fn], BTF_KIND_FUNC);
		err = try_fentry(id);
		if (err)
			why_errno(&c->fentry, "attaching fentry to the move function", -err);
	}
	mech_from(&c->kprobe, f, GB_METHOD_KPROBE);
	if (c->kprobe.ok)
		kallsyms_scan(c->fn_in_kallsyms);

	mech_from(&c->tp_btf, f, GB_METHOD_TP_BTF);
	if (c->tp_btf.ok && !(gb_tp_exists_btf(f, "sys_enter") && gb_tp_exists_btf(f, "sys_exit"))) {
		c->tp_btf.ok = 0;
		snprintf(c->tp_btf.why, sizeof(c->tp_btf.why), "no sys_enter/sys_exit in BTF");
	}
	mech_from(&c->raw_tp, f, GB_METHOD_RAW_TP);
	mech_from(&c->tracepoint, f, GB_METHOD_TRACEPOINT);
	if (c->tracepoint.ok && !(gb_tp_exists_tracefs(f, "raw_syscalls", "sys_enter") &&
				  gb_tp_exists_tracefs(f, "raw_syscalls", "sys_exit"))) {
		c->tracepoint.ok = 0;
		snprintf(c->tracepoint.why, sizeof(c->tracepoint.why),
			 "no raw_syscalls events in tracefs");
	}
	mech_from(&c->netlink, f, GB_METHOD_NETLINK);
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
		[GB_NETDEV_FN_DEV_INNER] = { skel->progs.gb_fentry___dev_change_net_namespace,
					skel->progs.gb_fexit___dev_change_net_namespace },
		[GB_NETDEV_FN_DEV] = { skel->progs.gb_fentry_dev_change_net_namespace,
					skel->progs.gb_fexit_dev_change_net_namespace },
	};
	struct bpf_program *probe[GB_NETDEV_FN_MAX][2] = {
		[GB_NETDEV_FN_NETIF] = { skel->progs.gb_kprobe_netif_change_net_namespace,
					 skel->progs.gb_kretprobe_netif_change_net_namespace },
		[GB_NETDEV_FN_DEV_INNER] = { skel->progs.gb_kprobe___dev_change_net_namespace,
					skel->progs.gb_kretprobe___dev_change_net_namespace },
		[GB_NETDEV_FN_DEV] = { skel->progs.gb_kprobe_dev_change_net_namespace,
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
		/* the syscall boundary programs carry it (src/observe.c loads them) */
		skel->rodata->gb_cfg_netdev_netlink = 1;
		return 0;
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
