/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * How netdev_move is observed on this kernel, best first:
 *   fentry/fexit on the device-move function  (GB_METHOD_FENTRY)
 *   kprobe/kretprobe on it                    (GB_METHOD_KPROBE)
 *   rtnetlink requests at sys_enter/sys_exit, confirmed by the kernel's link
 *   notifications                             (GB_METHOD_NETLINK)
 * gb_netdev_choose() is the decision alone, fed with what the kernel offers, so unit
 * tests can play any kernel; gb_netdev_caps_from_features() asks this kernel;
 * gb_netdev_configure() switches on the chosen programs of the skeleton between
 * open and load (every netdev program is SEC("?...") and stays off otherwise).
 */
#ifndef GB_NETDEV_PROBE_H
#define GB_NETDEV_PROBE_H

#include <stdint.h>
#include "glassbox/events.h"

#define GB_NETDEV_WHY_LEN 256

/* The device-move function under each of its names, innermost first: when a kernel has
 * more than one, the later ones are wrappers of the first it has. All take (dev, net,
 * ...) first; the rest varies (v6.1's __dev_change_net_namespace has 4 arguments, later
 * ones 5), which the programs do not depend on. */
enum gb_netdev_fn {
	GB_NETDEV_FN_NETIF = 0, /* netif_change_net_namespace(dev, net, pat, new_ifindex, extack) */
	GB_NETDEV_FN_DEV_INNER, /* __dev_change_net_namespace(dev, net, pat, new_ifindex[, extack]) */
	GB_NETDEV_FN_DEV,       /* dev_change_net_namespace(dev, net, pat) */
	GB_NETDEV_FN_MAX,
	GB_NETDEV_FN_NONE = -1,
};

struct gb_netdev_mech {
	int ok;                       /* the mechanism loads and attaches here */
	char why[GB_NETDEV_WHY_LEN];  /* why not, when !ok */
};

/* What the kernel offers, as far as netdev_move is concerned. */
struct gb_netdev_caps {
	int fn_in_btf[GB_NETDEV_FN_MAX];      /* a FUNC of that name in vmlinux BTF */
	int fn_in_kallsyms[GB_NETDEV_FN_MAX]; /* a text symbol of that name (kprobes need it) */
	struct gb_netdev_mech fentry;
	struct gb_netdev_mech kprobe;
	struct gb_netdev_mech tp_btf;  /* tp_btf programs (sys_enter/sys_exit) */
	struct gb_netdev_mech raw_tp;  /* raw_tp programs, when tp_btf is not there */
	struct gb_netdev_mech tracepoint; /* tracefs raw_syscalls/sys_enter, sys_exit */
	struct gb_netdev_mech netlink; /* the rtnetlink side (only ever off for tests) */
};

struct gb_netdev_plan {
	uint32_t method;             /* GB_METHOD_FENTRY, _KPROBE, _NETLINK, or _NONE */
	int fn;                      /* enum gb_netdev_fn, for fentry and kprobe */
	uint32_t syscall_tp;         /* GB_METHOD_TP_BTF, _RAW_TP or _TRACEPOINT, for netlink */
	/* for each method better than the chosen one (and the chosen one when NONE): why not */
	char why_not[GB_METHOD_MAX][GB_NETDEV_WHY_LEN];
};

extern const char *const gb_netdev_fn_names[GB_NETDEV_FN_MAX];

/* Pick the method; returns 0, or -ENOTSUP when nothing can observe device moves. */
int gb_netdev_choose(const struct gb_netdev_caps *c, struct gb_netdev_plan *p);

struct gb_features;
/* Fill caps from the general probe's findings (probe.c), plus what is particular to
 * netdev_move: an fentry attach on the move function, its symbol for kprobes, the
 * syscall tracepoints. Returns 0, or -ENOTSUP without kernel BTF. */
int gb_netdev_caps_from_features(const struct gb_features *f, struct gb_netdev_caps *c);

struct glassbox_bpf;
/* Between glassbox_bpf__open() and __load(): switch on the plan's programs. 0 or -errno. */
int gb_netdev_configure(struct glassbox_bpf *skel, const struct gb_netdev_plan *p);

/* Put a network namespace into gb_traced_netns so that moves into or out of it are
 * reported whoever makes them (after load). 0 or -errno. */
int gb_netdev_trace_netns(struct glassbox_bpf *skel, uint32_t netns_ino, uint32_t root_level);

#endif
