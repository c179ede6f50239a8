/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What this kernel lets glassbox attach, found by trying: each mechanism is loaded and
 * attached once with a trivial program, and each tracepoint is looked up in the
 * kernel's BTF or tracefs. The result tells apart "not in this kernel", "denied here
 * (EPERM)" and "disabled for a test" (GLASSBOX_PROBE_DISABLE=tp_btf,raw_tp,...).
 */
#ifndef GB_PROBE_H
#define GB_PROBE_H

#include <stdint.h>
#include "glassbox/events.h"
#include "btf_view.h"

#define GB_WHY_LEN 160

struct gb_mech_status {
	int ok;
	char why[GB_WHY_LEN]; /* why not, when !ok */
};

struct gb_features {
	int have_btf;                     /* /sys/kernel/btf/vmlinux, needed for CO-RE */
	char btf_why[GB_WHY_LEN];
	struct gb_mech_status mech[GB_METHOD_MAX];
	char tracefs[64];                 /* where tracefs is mounted, "" if nowhere */
	struct gb_btf_view vmlinux;       /* the kernel's BTF, when have_btf */
	/* bpf_loop (v5.17): without it the syscall boundary programs' compat build loads
	 * (bpf/ns_compat.bpf.c) */
	int have_bpf_loop;
	char bpf_loop_why[GB_WHY_LEN];
	/* bpf_get_func_ret (v5.17): an fexit program's way to the result whatever the
	 * function's arity (netdev_move's move function changed arity across kernels) */
	int have_get_func_ret;
	uint32_t disabled;                /* bit per gb_method forced off, bit 31: btf */
};

#define GB_PROBE_DISABLE_BTF (1u << 31)
/* relocate against the kernel's whole BTF, not a reduced copy (src/core_btf.h) */
#define GB_PROBE_DISABLE_CORE_BTF (1u << 30)
/* load the syscall boundary programs' compat build, as on a kernel without bpf_loop */
#define GB_PROBE_DISABLE_BPF_LOOP (1u << 29)
/* load every program in one object, verified one after another (observe.c) */
#define GB_PROBE_DISABLE_PARALLEL (1u << 28)

/* One tracepoint-based event family and the method chosen for it. */
struct gb_tp_choice {
	const char *tp;       /* "sched_process_exec" */
	const char *category; /* tracefs category: "sched" */
	uint32_t method;      /* GB_METHOD_TP_BTF, _RAW_TP, _TRACEPOINT, or _NONE */
	char why_not[GB_METHOD_MAX][GB_WHY_LEN]; /* for each better method not chosen */
};

/* Both halves: what the kernel says of itself (GLASSBOX_PROBE_DISABLE, tracefs, its
 * BTF), then what loads and attaches (each method's probe programs), which
 * gb_observer_start runs while the BTF for CO-RE is being made. */
int gb_features_probe(struct gb_features *f);
int gb_features_read(struct gb_features *f);
void gb_features_probe_methods(struct gb_features *f);
void gb_features_free(struct gb_features *f);

/* Parse GLASSBOX_PROBE_DISABLE-style lists ("tp_btf,raw_tp,btf") into a mask. */
int gb_probe_disable_parse(const char *list, uint32_t *mask);

/* Does this kernel BTF's enum bpf_func_id have the helper (its enum name,
 * "BPF_FUNC_loop")? */
int gb_btf_has_helper(const struct gb_btf_view *v, const char *name);
/* BPF_FUNC_loop (v5.17): without it the syscall boundary programs' default build does
 * not load. */
int gb_btf_has_bpf_loop(const struct gb_btf_view *v);

/* Does the kernel have this tracepoint (as a BTF typedef btf_trace_<tp>, or in tracefs)? */
int gb_tp_exists_btf(const struct gb_features *f, const char *tp);
int gb_tp_exists_tracefs(const struct gb_features *f, const char *category, const char *tp);

/*
 * The choice itself, separated from the probing so unit tests can drive it with any
 * kernel's answers: best of tp_btf, raw_tp, tracepoint that this kernel has.
 */
void gb_tp_choose(const struct gb_features *f, int in_btf, int in_tracefs,
		  struct gb_tp_choice *c);

#endif
