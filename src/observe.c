// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "glassbox/events.h" /* the skeleton names struct gb_ns_filter */
#include "glassbox.skel.h"
#include "core_btf.h"
#include "decode.h"
#include "netdev_mon.h"
#include "netdev_probe.h"
#include "observe.h"
#include "syscalls.h"
#include "sys_kprobe.h"
#include "tp_btf.h"
#include "wake.h"
#include "util.h"
#include <sys/epoll.h>

/*
 * Every tracepoint-based family, with the program name of each variant. The clone
 * family is loaded even when clone events are filtered out: it is what follows new
 * namespaces into the filter map.
 */
#define GB_FAMILY_ALWAYS 1        /* loaded whatever --events says */
#define GB_FAMILY_SYSCALL 2  /* also loaded to follow network namespaces, and to carry
				 * netdev_move's netlink method */

static const struct family {
	uint32_t kinds;
	int always;
	const char *tp, *category;
	const char *btf_prog, *raw_prog, *tp_prog;
	int second; /* loads in the second object, when there is one (skels_load) */
	const char *kp_prog; /* the syscall boundary on kprobes (sys_kprobe.h), or NULL */
	int exit;            /* kp_prog is attached at return */
} families[] = {
	{ 1u << GB_EV_CLONE, GB_FAMILY_ALWAYS, "task_newtask", "task", "gb_btf_task_newtask",
	  "gb_raw_task_newtask", "gb_tp_task_newtask", 1, NULL, 0 },
	{ 1u << GB_EV_EXEC, 0, "sched_process_exec", "sched", "gb_btf_sched_process_exec",
	  "gb_raw_sched_process_exec", "gb_tp_sched_process_exec", 0, NULL, 0 },
	{ 1u << GB_EV_EXIT, 0, "sched_process_exit", "sched", "gb_btf_sched_process_exit",
	  "gb_raw_sched_process_exit", "gb_tp_sched_process_exit", 0, NULL, 0 },
	{ 1u << GB_EV_SIGNAL_GENERATE, 0, "signal_generate", "signal", "gb_btf_signal_generate",
	  "gb_raw_signal_generate", "gb_tp_signal_generate", 0, NULL, 0 },
	{ 1u << GB_EV_SIGNAL_DELIVER, 0, "signal_deliver", "signal", "gb_btf_signal_deliver",
	  "gb_raw_signal_deliver", "gb_tp_signal_deliver", 0, NULL, 0 },
	/* The syscall boundary (bpf/ns.bpf.c): sys_enter keeps setns/unshare arguments and
	 * the namespaces before; sys_exit reports them, failed clones and failed kills.
	 * Loaded for follow_netns too: unshare(CLONE_NEWNET) is seen only here; and for
	 * netdev_move when it rides on rtnetlink requests (the same two programs, as a
	 * second program on each hook doubled the cost of every syscall). Not for
	 * clone events alone: a program on sys_exit puts every system call of the machine on
	 * the tracing slow path (without fentry there is no narrower hook), a cost the
	 * process and signal kinds should not carry for the rare failed clone; failed clones
	 * come with the syscall-level kinds (setns, unshare, signal_failed). */
	{ 1u << GB_EV_SETNS | 1u << GB_EV_UNSHARE, GB_FAMILY_SYSCALL, "sys_enter",
	  "raw_syscalls", "gb_btf_sys_enter", "gb_raw_sys_enter", "gb_tp_sys_enter", 0,
	  "gb_kp_sys_enter", 0 },
	{ 1u << GB_EV_SETNS | 1u << GB_EV_UNSHARE | 1u << GB_EV_SIGNAL_FAILED,
	  GB_FAMILY_SYSCALL, "sys_exit", "raw_syscalls", "gb_btf_sys_exit", "gb_raw_sys_exit",
	  "gb_tp_sys_exit", 1, "gb_kp_sys_exit", 1 },
};

#define N_FAMILIES GB_ARRAY_SIZE(families)

/* The syscall boundary's programs as built for kernels without bpf_loop
 * (bpf/ns_compat.bpf.c), loaded in place of the families' own there. */
static const struct family compat_families[] = {
	{ .tp = "sys_enter", .btf_prog = "gb_btf_sys_enter_compat",
	  .raw_prog = "gb_raw_sys_enter_compat", .tp_prog = "gb_tp_sys_enter_compat",
	  .kp_prog = "gb_kp_sys_enter_compat" },
	{ .tp = "sys_exit", .btf_prog = "gb_btf_sys_exit_compat",
	  .raw_prog = "gb_raw_sys_exit_compat", .tp_prog = "gb_tp_sys_exit_compat",
	  .kp_prog = "gb_kp_sys_exit_compat", .exit = 1 },
};

static const struct family *compat_of(const struct family *fam)
{
	for (size_t i = 0; i < GB_ARRAY_SIZE(compat_families); i++)
		if (!strcmp(compat_families[i].tp, fam->tp))
			return &compat_families[i];
	return NULL;
}

struct gb_observer {
	struct glassbox_bpf *skel;     /* the maps, and every program but: */
	struct glassbox_bpf *skel2;    /* some, verified in parallel (skels_load), or NULL */
	struct ring_buffer *rb;
	struct gb_sink *sinks;
	struct gb_summary sum;
	int sink_err;
	struct gb_netdev_plan netdev;  /* how netdev_move is observed */
	struct gb_netdev_mon *netdev_mon; /* the netlink method's user-space half */
	int ep;                        /* ring buffer + netdev_mon, when there is one */
	int core_btf_fd;               /* memfd: the BTF libbpf relocates against, until load */
	struct gb_tp_btf tp_btf;       /* the tp_btf programs' kernel IDs (tp_btf.h) */
	struct gb_wake wake;           /* when the BPF side wakes the consumer (wake.h) */
	struct {                       /* the syscall boundary's programs on kprobes */
		struct bpf_program *prog;
		int exit;
	} kp[2];
	int n_kp;
	struct bpf_link *kp_links[2 * GB_SYS_MAX]; /* one per syscall function and end */
	size_t n_kp_links;
};

size_t gb_observe_choose(const struct gb_features *f, struct gb_family_choice *choices,
			 size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < N_FAMILIES && n < max; i++, n++) {
		const struct family *fam = &families[i];
		/* the syscall boundary's compat build, on a kernel without bpf_loop */
		const struct family *progs = f->have_bpf_loop ? NULL : compat_of(fam);
		struct gb_family_choice *c = &choices[n];

		memset(c, 0, sizeof(*c));
		c->kinds = fam->kinds;
		c->always = fam->always == GB_FAMILY_ALWAYS;
		c->tp.tp = fam->tp;
		c->tp.category = fam->category;
		gb_tp_choose(f, gb_tp_exists_btf(f, fam->tp),
			     gb_tp_exists_tracefs(f, fam->category, fam->tp), &c->tp);
		c->compat = progs != NULL;
		if (!progs)
			progs = fam;
		switch (c->tp.method) {
		case GB_METHOD_TP_BTF: c->prog = progs->btf_prog; break;
		case GB_METHOD_RAW_TP: c->prog = progs->raw_prog; break;
		case GB_METHOD_TRACEPOINT: c->prog = progs->tp_prog; break;
		}
		/* the syscall boundary: on kprobes where the kernel has them, a cost to the
		 * watched syscalls only */
		if (!fam->kp_prog)
			continue;
		c->kprobe_able = 1;
		if (!f->mech[GB_METHOD_KPROBE].ok) {
			c->kprobe_why = f->mech[GB_METHOD_KPROBE].why;
		} else if (!gb_sys_kprobe_prefix()) {
			c->kprobe_why = "syscall functions' names unknown on this architecture";
		} else {
			c->tp.method = GB_METHOD_KPROBE;
			c->prog = progs->kp_prog;
			c->exit = fam->exit;
		}
	}
	return n;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (!gb_verbose || (level == LIBBPF_DEBUG && gb_verbose < 2))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int on_sample(void *ctx, void *data, size_t size)
{
	struct gb_observer *ob = ctx;
	const struct gb_event_hdr *h = data;
	size_t want;

	if (size < sizeof(*h) || !(want = gb_event_size(h->kind)) || size < want) {
		ob->sum.malformed++;
		return 0;
	}
	ob->sum.received[h->kind]++;
	if (!ob->sink_err) {
		ob->sink_err = gb_sinks_event(ob->sinks, h, want);
		if (ob->sink_err)
			gb_err("writing events failed: %s; events are still counted",
			       strerror(-ob->sink_err));
	}
	return 0;
}

/* netdev_move events the netlink method finished in user space */
static void on_netdev_event(void *ctx, const struct gb_ev_netdev_move *e)
{
	on_sample(ctx, (void *)e, sizeof(*e));
}

/* Pick netdev_move's method and switch its programs on (before load). */
static int netdev_setup(struct gb_observer *ob, const struct gb_features *f)
{
	struct gb_netdev_caps caps;
	int err;

	err = gb_netdev_caps_from_features(f, &caps);
	if (err) {
		gb_err("probing for netdev_move failed: %s", strerror(-err));
		return err;
	}
	if (gb_netdev_choose(&caps, &ob->netdev)) {
		gb_err("no way to observe netdev_move on this kernel: %s",
		       ob->netdev.why_not[GB_METHOD_NETLINK]);
		return -ENOTSUP;
	}
	gb_dbg("netdev_move: %s", gb_method_name(ob->netdev.method));
	err = gb_netdev_configure(ob->skel, &ob->netdev);
	if (err)
		gb_err("configuring the netdev_move programs failed: %s", strerror(-err));
	return err;
}

/* The BTF libbpf relocates against: the reduced copy, or, should making it fail, the
 * kernel's whole. The kernel's IDs of the structs the tp_btf programs read through go
 * to .rodata either way. */
static int core_btf_write(struct gb_observer *ob, const struct gb_btf_view *kernel, int whole)
{
	struct btf *reduced = NULL;
	const void *raw;
	uint32_t size;
	int err;

	err = gb_core_btf_reduce(kernel, bpf_object__btf(ob->skel->obj), &reduced,
				 (uint32_t *)ob->skel->rodata->gb_kernel_type_id);
	if (!err && whole) { /* tests: the IDs, but relocate against all of it */
		btf__free(reduced);
		reduced = NULL;
	}
	if (err == -ENOENT) {
		gb_err("the kernel's BTF lacks a struct glassbox reads (task_struct, pid, ...)");
		return err;
	}
	if (err)
		gb_dbg("reducing the kernel's BTF failed (%s): relocating against all of it",
		       strerror(-err));
	if (reduced) {
		raw = btf__raw_data(reduced, &size);
	} else {
		raw = kernel->data;
		size = kernel->size;
	}
	err = raw ? gb_write_all(ob->core_btf_fd, raw, size) : -ENOMEM;
	btf__free(reduced);
	if (err)
		gb_err("writing the BTF to relocate against failed: %s", strerror(-err));
	return err;
}

struct core_btf_job {
	struct gb_observer *ob;
	const struct gb_btf_view *kernel;
	int whole;
	int err;
};

static void *core_btf_thread(void *arg)
{
	struct core_btf_job *job = arg;

	job->err = core_btf_write(job->ob, job->kernel, job->whole);
	return NULL;
}

static int set_autoload(struct bpf_object *obj, const char *name, bool on)
{
	struct bpf_program *p = bpf_object__find_program_by_name(obj, name);

	if (!p) {
		gb_err("BPF object has no program %s (build mismatch)", name);
		return -ENOENT;
	}
	return bpf_program__set_autoload(p, on);
}

/* The object, opened to relocate against the memfd's BTF, with every program off, in
 * *skel. 0 or -errno. */
static int skel_open(struct gb_observer *ob, struct glassbox_bpf **skel)
{
	struct bpf_program *p;
	char path[64];
	LIBBPF_OPTS(bpf_object_open_opts, oo, .btf_custom_path = path);
	int err;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", ob->core_btf_fd);
	*skel = glassbox_bpf__open_opts(&oo);
	if (!*skel) {
		err = errno ? -errno : -EINVAL;
		gb_err("opening the BPF object failed: %s", strerror(-err));
		return err;
	}
	bpf_object__for_each_program(p, (*skel)->obj)
		bpf_program__set_autoload(p, false);
	return 0;
}

/*
 * The maps of ob->skel, made here and handed to both objects, so that their programs
 * share them and neither object's load has to come first. Without the map BTF libbpf
 * would attach: nothing reads it but bpftool's pretty printer.
 */
static int maps_share(struct gb_observer *ob)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, ob->skel->obj) {
		LIBBPF_OPTS(bpf_map_create_opts, mo, .map_flags = bpf_map__map_flags(m),
			    .map_extra = bpf_map__map_extra(m));
		struct bpf_map *twin;
		int fd, err;

		if (bpf_map__is_internal(m))
			continue;
		twin = bpf_object__find_map_by_name(ob->skel2->obj, bpf_map__name(m));
		if (!twin) {
			gb_err("BPF object has no map %s twice (build mismatch)", bpf_map__name(m));
			return -ENOENT;
		}
		fd = bpf_map_create(bpf_map__type(m), bpf_map__name(m), bpf_map__key_size(m),
				    bpf_map__value_size(m), bpf_map__max_entries(m), &mo);
		if (fd < 0) {
			err = -errno;
			gb_err("creating map %s failed: %s", bpf_map__name(m), strerror(errno));
			return err;
		}
		err = bpf_map__reuse_fd(m, fd);
		if (!err)
			err = bpf_map__reuse_fd(twin, fd);
		close(fd); /* each object holds a duplicate */
		if (err) {
			gb_err("sharing map %s failed: %s", bpf_map__name(m), strerror(-err));
			return err;
		}
	}
	return 0;
}

/* The ring buffer's size, and with two objects, the maps both share (made now). */
static int maps_create(struct gb_observer *ob, uint64_t ring_size)
{
	int err = bpf_map__set_max_entries(ob->skel->maps.gb_events, ring_size);

	if (err) {
		gb_err("ring buffer size %llu rejected: %s", (unsigned long long)ring_size,
		       strerror(-err));
		return err;
	}
	return ob->skel2 ? maps_share(ob) : 0;
}

/* The syscall boundary's programs, when on kprobes: to each watched syscall's function. */
static int kprobes_attach(struct gb_observer *ob, const struct gb_observe_opts *o)
{
	int netlink = ob->netdev.method == GB_METHOD_NETLINK;
	char why[160];

	for (int i = 0; i < ob->n_kp; i++) {
		uint32_t mask = gb_sys_kprobe_mask(ob->kp[i].exit, o->kind_mask, netlink);
		size_t before = ob->n_kp_links;
		int err = gb_sys_kprobe_attach(ob->kp[i].prog, ob->kp[i].exit, mask, ob->kp_links,
					       GB_ARRAY_SIZE(ob->kp_links), &ob->n_kp_links, why,
					       sizeof(why));

		if (err) {
			gb_err("%s", why);
			return err;
		}
		gb_dbg("%s: %zu syscall functions", bpf_program__name(ob->kp[i].prog),
		       ob->n_kp_links - before);
	}
	return 0;
}

static void *load_thread(void *skel)
{
	return (void *)(long)glassbox_bpf__load(skel);
}

/*
 * The verifier takes most of glassbox's start-up, one program after another, on one
 * core. With programs on both sides of .second, there is a second object, and the two
 * are verified at once, on two cores where there are. Which programs go where evens
 * out the verifier's time measured here: sys_exit (~9 ms) and task_newtask (~4) there,
 * sys_enter (~6) and the other four (~6.5) here; without the syscall boundary,
 * task_newtask against the other four.
 */
static int skels_load(struct gb_observer *ob)
{
	pthread_t th;
	void *ret2 = NULL;
	int err, started;

	if (!ob->skel2)
		return glassbox_bpf__load(ob->skel);
	started = !gb_thread_beside(&th, load_thread, ob->skel2);
	err = glassbox_bpf__load(ob->skel);
	if (started)
		pthread_join(th, &ret2);
	else
		ret2 = (void *)(long)glassbox_bpf__load(ob->skel2);
	return err ? err : (int)(long)ret2;
}

/* Does the family load? The clone family always; the syscall boundary's families for
 * their kinds and for what rides on them. */
static int family_on(const struct family *fam, const struct gb_observe_opts *o,
		     const struct gb_observer *ob)
{
	if (fam->always == GB_FAMILY_ALWAYS || (o->kind_mask & fam->kinds))
		return 1;
	return fam->always == GB_FAMILY_SYSCALL &&
	       (o->follow_netns || ob->netdev.method == GB_METHOD_NETLINK);
}

/* netdev_move's method, then exactly one variant of each family that loads, in the
 * object it loads in, and the kernel IDs the tp_btf programs among them need. */
static int programs_choose(struct gb_observer *ob, const struct gb_observe_opts *o,
			   struct gb_features *f)
{
	struct gb_family_choice choice[N_FAMILIES];
	int err, on[N_FAMILIES], first = 0, second = 0;
	char why[160];

	gb_observe_choose(f, choice, N_FAMILIES);
	if (o->kind_mask & (1u << GB_EV_NETDEV_MOVE)) {
		err = netdev_setup(ob, f);
		if (err)
			return err;
	}
	for (size_t i = 0; i < N_FAMILIES; i++) {
		const struct family *fam = &families[i];

		on[i] = family_on(fam, o, ob);
		if (on[i] && !choice[i].prog) {
			const char *w = choice[i].tp.why_not[GB_METHOD_TRACEPOINT];

			gb_err("no way to attach to %s on this kernel: %s", fam->tp,
			       w[0] ? w : choice[i].tp.why_not[GB_METHOD_TP_BTF]);
			return -ENOTSUP;
		}
		first |= on[i] && !fam->second;
		second |= on[i] && fam->second;
	}
	if (first && second && !(f->disabled & GB_PROBE_DISABLE_PARALLEL)) {
		err = skel_open(ob, &ob->skel2);
		if (err)
			return err;
	}
	/* exactly one variant per family on */
	for (size_t i = 0; i < N_FAMILIES; i++) {
		struct glassbox_bpf *skel = families[i].second && ob->skel2 ? ob->skel2 : ob->skel;

		if (!on[i])
			continue;
		if (choice[i].compat)
			gb_dbg("%s: %s (%s)", families[i].tp, choice[i].prog, f->bpf_loop_why);
		err = set_autoload(skel->obj, choice[i].prog, true);
		if (err)
			return err;
		if (choice[i].tp.method == GB_METHOD_KPROBE) {
			/* attached by kprobes_attach(), to each syscall's function */
			struct bpf_program *p =
				bpf_object__find_program_by_name(skel->obj, choice[i].prog);

			bpf_program__set_autoattach(p, false);
			ob->kp[ob->n_kp].prog = p;
			ob->kp[ob->n_kp++].exit = choice[i].exit;
		}
	}
	err = gb_tp_btf_resolve(&ob->tp_btf, ob->skel->obj, &f->vmlinux, why, sizeof(why));
	if (!err && ob->skel2)
		err = gb_tp_btf_resolve(&ob->tp_btf, ob->skel2->obj, &f->vmlinux, why,
					sizeof(why));
	if (err)
		gb_err("%s", why);
	return err;
}

int gb_observer_open(struct gb_observer **out, const struct gb_observe_opts *o,
		     struct gb_features *f, struct gb_sink *sinks)
{
	struct gb_observer *ob;
	int err;

	if (!f->have_btf) {
		gb_err("%s; glassbox needs it for CO-RE", f->btf_why);
		return -ENOTSUP;
	}
	ob = calloc(1, sizeof(*ob));
	if (!ob)
		return -ENOMEM;
	ob->sinks = sinks;
	ob->ep = -1;
	ob->core_btf_fd = -1;
	gb_wake_init(&ob->wake, o->ring_size);
	libbpf_set_print(libbpf_print);
	err = gb_tp_btf_register(&ob->tp_btf);
	if (err) {
		gb_err("registering the tp_btf loader with libbpf failed: %s", strerror(-err));
		goto fail;
	}

	/* libbpf takes the path of the BTF to relocate against at open and reads it at
	 * load: a memfd, filled in between from the object's own BTF (core_btf.h) */
	ob->core_btf_fd = memfd_create("glassbox-core-btf", MFD_CLOEXEC);
	if (ob->core_btf_fd < 0) {
		err = -errno;
		gb_err("memfd_create failed: %s", strerror(errno));
		goto fail;
	}
	err = skel_open(ob, &ob->skel);
	if (err)
		goto fail;
	/* the reduced BTF is made while the attach methods are probed and the programs
	 * chosen */
	{
		struct core_btf_job job = { ob, &f->vmlinux,
					    !!(f->disabled & GB_PROBE_DISABLE_CORE_BTF), 0 };
		pthread_t th;
		int started = !gb_thread_beside(&th, core_btf_thread, &job);

		if (!started)
			core_btf_thread(&job);
		gb_features_probe_methods(f);
		err = programs_choose(ob, o, f);
		/* the maps are made while the thread still works: the kernel's part of that
		 * (the ring buffer's pages) then costs no time */
		if (!err)
			err = maps_create(ob, o->ring_size);
		if (started)
			pthread_join(th, NULL);
		if (!err)
			err = job.err;
		if (err)
			goto fail;
	}
	/* everything needed of the kernel's BTF is out of it: unmap it before the
	 * verifier's and the ring buffer's memory comes */
	gb_features_free(f);

	ob->skel->rodata->gb_cfg_trace_all = o->trace_all;
	ob->skel->rodata->gb_cfg_filter_netns = o->filter_netns;
	ob->skel->rodata->gb_cfg_follow_netns = o->follow_netns;
	ob->skel->rodata->gb_cfg_kind_mask = o->kind_mask;
	ob->skel->rodata->gb_cfg_min_level = o->min_level;
	err = gb_syscall_classes((uint8_t *)ob->skel->rodata->gb_sys_class,
				 sizeof(ob->skel->rodata->gb_sys_class));
	if (err < 0) {
		gb_err("a watched syscall's number is beyond the BPF side's table (%d entries)",
		       GB_SYSCALL_NR_MAX);
		goto fail;
	}
	ob->skel->data->gb_wake_bytes = ob->wake.cur;
	if (ob->skel2) { /* one object, one configuration */
		*ob->skel2->rodata = *ob->skel->rodata;
		*ob->skel2->data = *ob->skel->data;
	}

	err = skels_load(ob);
	if (err) {
		gb_err("loading the BPF programs failed: %s%s", strerror(-err),
		       gb_verbose ? "" : " (run with -v for the kernel's log)");
		goto fail;
	}
	close(ob->core_btf_fd);
	ob->core_btf_fd = -1;
	err = glassbox_bpf__attach(ob->skel);
	if (!err && ob->skel2)
		err = glassbox_bpf__attach(ob->skel2);
	if (err) {
		gb_err("attaching the BPF programs failed: %s", strerror(-err));
		goto fail;
	}
	err = kprobes_attach(ob, o);
	if (err)
		goto fail;
	ob->rb = ring_buffer__new(bpf_map__fd(ob->skel->maps.gb_events), on_sample, ob, NULL);
	if (!ob->rb) {
		err = -errno;
		gb_err("ring buffer set-up failed: %s", strerror(errno));
		goto fail;
	}
	if (ob->netdev.method == GB_METHOD_NETLINK) {
		struct epoll_event ev = { .events = EPOLLIN };

		ob->netdev_mon = gb_netdev_mon_new(ob->skel, 0, on_netdev_event, ob);
		if (!ob->netdev_mon) {
			err = -errno;
			gb_err("netdev_move: rtnetlink listener set-up failed: %s", strerror(errno));
			goto fail;
		}
		ob->ep = epoll_create1(EPOLL_CLOEXEC);
		if (ob->ep < 0 ||
		    epoll_ctl(ob->ep, EPOLL_CTL_ADD, ring_buffer__epoll_fd(ob->rb), &ev) ||
		    epoll_ctl(ob->ep, EPOLL_CTL_ADD, gb_netdev_mon_fd(ob->netdev_mon), &ev)) {
			err = -errno;
			gb_err("epoll set-up failed: %s", strerror(errno));
			goto fail;
		}
	}
	*out = ob;
	return 0;
fail:
	gb_observer_close(ob);
	return err;
}

void gb_observer_set_sinks(struct gb_observer *ob, struct gb_sink *sinks)
{
	ob->sinks = sinks;
}

static int add_ns(int map_fd, uint32_t ino, uint32_t root_level, uint32_t root_pidns,
		  const char *what)
{
	struct gb_ns_filter v = { .root_level = root_level, .root_pidns = root_pidns };

	if (bpf_map_update_elem(map_fd, &ino, &v, BPF_ANY)) {
		int err = -errno;

		gb_err("adding %s namespace %u to the filter failed: %s", what, ino, strerror(errno));
		return err;
	}
	return 0;
}

int gb_observer_add_pidns(struct gb_observer *ob, uint32_t ino, uint32_t root_level)
{
	return add_ns(bpf_map__fd(ob->skel->maps.gb_traced_pidns), ino, root_level, ino, "PID");
}

int gb_observer_add_netns(struct gb_observer *ob, uint32_t ino, uint32_t root_level,
			  uint32_t root_pidns)
{
	return add_ns(bpf_map__fd(ob->skel->maps.gb_traced_netns), ino, root_level, root_pidns,
		      "network");
}

int gb_observer_watch_netns(struct gb_observer *ob, pid_t pid, uint32_t ino, uint32_t root_level)
{
	int err;

	if (!(ob->skel->rodata->gb_cfg_kind_mask & (1u << GB_EV_NETDEV_MOVE)))
		return 0;
	err = gb_netdev_trace_netns(ob->skel, ino, root_level);
	if (err) {
		gb_err("adding network namespace %u to the filter failed: %s", ino, strerror(-err));
		return err;
	}
	if (!ob->netdev_mon)
		return 0;
	err = gb_netdev_mon_watch_pid(ob->netdev_mon, pid, root_level);
	if (err)
		gb_err("netdev_move: watching the network namespace of PID %d failed: %s",
		       (int)pid, strerror(-err));
	return err;
}

int gb_observer_fd(struct gb_observer *ob)
{
	return ob->ep >= 0 ? ob->ep : ring_buffer__epoll_fd(ob->rb);
}

/* Both objects' programs submit to the one ring: both get the threshold. */
static void wake_update(struct gb_observer *ob)
{
	uint64_t bytes = gb_wake_tick(&ob->wake, gb_now_ns(CLOCK_MONOTONIC));

	if (!bytes)
		return;
	ob->skel->data->gb_wake_bytes = bytes;
	if (ob->skel2)
		ob->skel2->data->gb_wake_bytes = bytes;
}

int gb_observer_consume(struct gb_observer *ob)
{
	wake_update(ob);
	int n = ring_buffer__consume(ob->rb);

	if (ob->netdev_mon) {
		int m = gb_netdev_mon_process(ob->netdev_mon);

		if (m < 0)
			gb_err("netdev_move: %s", strerror(-m));
		else if (n >= 0)
			n += m;
	}
	/* also when nothing came: a sink may hold data for time's sake (the record file
	 * writes a partial frame once a second, so that a killed glassbox loses little) */
	if (n >= 0 && !ob->sink_err)
		ob->sink_err = gb_sinks_flush(ob->sinks);
	return n;
}

void gb_observer_finish(struct gb_observer *ob)
{
	while (gb_observer_consume(ob) > 0)
		;
	if (ob->netdev_mon && gb_netdev_mon_finish(ob->netdev_mon) > 0 && !ob->sink_err)
		ob->sink_err = gb_sinks_flush(ob->sinks);
}

uint32_t gb_observer_netdev_method(const struct gb_observer *ob)
{
	return ob->netdev.method;
}

void gb_observer_summary(struct gb_observer *ob, struct gb_summary *sum)
{
	int ncpu = libbpf_num_possible_cpus();
	struct gb_counters *per_cpu;
	__u32 zero = 0;

	*sum = ob->sum;
	if (ncpu <= 0 || !(per_cpu = calloc(ncpu, sizeof(*per_cpu))))
		return;
	if (!bpf_map_lookup_elem(bpf_map__fd(ob->skel->maps.gb_counters), &zero, per_cpu)) {
		for (int c = 0; c < ncpu; c++)
			for (int k = 0; k < GB_EV_KIND_MAX; k++)
				sum->lost[k] += per_cpu[c].lost[k];
	}
	free(per_cpu);
}

void gb_observer_close(struct gb_observer *ob)
{
	if (!ob)
		return;
	gb_netdev_mon_free(ob->netdev_mon);
	if (ob->ep >= 0)
		close(ob->ep);
	ring_buffer__free(ob->rb);
	for (size_t i = 0; i < ob->n_kp_links; i++)
		bpf_link__destroy(ob->kp_links[i]);
	glassbox_bpf__destroy(ob->skel2);
	glassbox_bpf__destroy(ob->skel);
	/* after the skeletons: their programs point at the handler until they are gone */
	gb_tp_btf_unregister(&ob->tp_btf);
	gb_wake_close(&ob->wake);
	if (ob->core_btf_fd >= 0)
		close(ob->core_btf_fd);
	free(ob);
}

void gb_summary_print(const struct gb_summary *sum)
{
	char line[512];
	uint64_t total = 0, lost = 0;
	size_t len = 0;

	for (int k = 1; k < GB_EV_KIND_MAX; k++) {
		total += sum->received[k];
		lost += sum->lost[k];
	}
	len += snprintf(line + len, sizeof(line) - len, "%llu events (",
			(unsigned long long)total);
	for (int k = 1, n = 0; k < GB_EV_KIND_MAX && len < sizeof(line); k++) {
		if (!sum->received[k] && !sum->lost[k])
			continue;
		len += snprintf(line + len, sizeof(line) - len, "%s%s %llu", n++ ? ", " : "",
				gb_kind_name(k), (unsigned long long)sum->received[k]);
		if (sum->lost[k] && len < sizeof(line))
			len += snprintf(line + len, sizeof(line) - len, " +%llu lost",
					(unsigned long long)sum->lost[k]);
	}
	if (len < sizeof(line))
		snprintf(line + len, sizeof(line) - len, "), %llu lost", (unsigned long long)lost);
	gb_err("%s", line);
}

int gb_observer_start(struct gb_observer **out, const struct gb_observe_opts *o)
{
	struct gb_features feat;
	int err;

	if (gb_features_read(&feat))
		return GB_EXIT_NOFEATURE;
	err = gb_observer_open(out, o, &feat, NULL);
	gb_features_free(&feat);
	if (err)
		return err == -ENOTSUP ? GB_EXIT_NOFEATURE : GB_EXIT_FAILURE;
	return 0;
}

int gb_observer_conclude(struct gb_observer *ob, struct gb_sink *sinks)
{
	struct gb_summary sum;
	int err;

	gb_observer_finish(ob);
	gb_observer_summary(ob, &sum);
	err = gb_sinks_end(sinks, &sum);
	gb_summary_print(&sum);
	return err;
}
