// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "btf_view.h"
#include "tp_btf.h"

#define TP_BTF_SEC "tp_btf/"

static const char *const kfunc_names[GB_KFUNC_MAX] = GB_KFUNC_NAMES;

int gb_kfunc_patch(struct bpf_insn *insns, size_t n, const uint32_t kfunc[GB_KFUNC_MAX])
{
	int patched = 0;

	for (size_t i = 0; i < n; i++) {
		struct bpf_insn *in = &insns[i];

		if (in->code != (BPF_JMP | BPF_CALL) || in->src_reg != BPF_PSEUDO_KFUNC_CALL)
			continue;
		if (in->imm <= 0 || in->imm >= GB_KFUNC_MAX || !kfunc_names[in->imm])
			return -EINVAL;
		if (!kfunc[in->imm])
			return -ENOENT;
		in->imm = (int32_t)kfunc[in->imm];
		patched++;
	}
	return patched;
}

static uint32_t target_of(const struct gb_tp_btf *t, const struct bpf_program *prog)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->target[i].prog == prog)
			return t->target[i].id;
	return 0;
}

/* libbpf, right before loading a "tp_btf/" program: what its own handler would have
 * found in its copy of the kernel's BTF, from t. */
static int tp_btf_prepare(struct bpf_program *prog, struct bpf_prog_load_opts *opts,
			  long cookie)
{
	const struct gb_tp_btf *t = (const struct gb_tp_btf *)cookie;
	size_t n = bpf_program__insn_cnt(prog);
	uint32_t id = target_of(t, prog);
	struct bpf_insn *insns;
	int err;

	if (!id)
		return -ESRCH; /* not resolved: a program switched on after gb_tp_btf_resolve */
	insns = malloc(n * sizeof(*insns));
	if (!insns)
		return -ENOMEM;
	memcpy(insns, bpf_program__insns(prog), n * sizeof(*insns));
	err = gb_kfunc_patch(insns, n, t->kfunc);
	if (err > 0)
		err = bpf_program__set_insns(prog, insns, n);
	free(insns);
	if (err < 0)
		return err;
	err = bpf_program__set_type(prog, BPF_PROG_TYPE_TRACING);
	if (!err)
		err = bpf_program__set_expected_attach_type(prog, BPF_TRACE_RAW_TP);
	if (err)
		return err;
	opts->expected_attach_type = BPF_TRACE_RAW_TP;
	opts->attach_btf_id = id;
	opts->attach_btf_obj_fd = 0; /* vmlinux */
	return 0;
}

static int tp_btf_attach(const struct bpf_program *prog, long cookie, struct bpf_link **link)
{
	(void)cookie;
	*link = bpf_program__attach_trace(prog);
	return *link ? 0 : -errno;
}

int gb_tp_btf_register(struct gb_tp_btf *t)
{
	LIBBPF_OPTS(libbpf_prog_handler_opts, ho, .cookie = (long)t,
		    .prog_prepare_load_fn = tp_btf_prepare, .prog_attach_fn = tp_btf_attach);
	int id;

	memset(t, 0, sizeof(*t));
	/* RAW_TRACEPOINT until load: a TRACING program at open makes libbpf read the
	 * kernel's BTF (prog_needs_vmlinux_btf) */
	id = libbpf_register_prog_handler(TP_BTF_SEC, BPF_PROG_TYPE_RAW_TRACEPOINT, 0, &ho);
	if (id < 0)
		return id;
	t->handler = id;
	return 0;
}

void gb_tp_btf_unregister(struct gb_tp_btf *t)
{
	if (t->handler > 0)
		libbpf_unregister_prog_handler(t->handler);
	t->handler = 0;
}

int gb_tp_btf_resolve(struct gb_tp_btf *t, struct bpf_object *obj,
		      const struct gb_btf_view *kernel, char *why, size_t len)
{
	struct bpf_program *p;
	char name[128];
	int id;

	/* once for all objects: each lookup scans the kernel's 127k types */
	for (int k = 1; k < GB_KFUNC_MAX; k++) {
		if (t->kfunc[k] || !kfunc_names[k])
			continue;
		id = gb_btf_view_find(kernel, kfunc_names[k], BTF_KIND_FUNC);
		t->kfunc[k] = id > 0 ? (uint32_t)id : 0;
	}
	bpf_object__for_each_program(p, obj) {
		const char *sec = bpf_program__section_name(p);

		if (!bpf_program__autoload(p) || strncmp(sec, TP_BTF_SEC, strlen(TP_BTF_SEC)))
			continue;
		snprintf(name, sizeof(name), "btf_trace_%s", sec + strlen(TP_BTF_SEC));
		id = gb_btf_view_find(kernel, name, BTF_KIND_TYPEDEF);
		if (id <= 0) {
			snprintf(why, len, "the kernel's BTF has no %s (for %s)", name,
				 bpf_program__name(p));
			return -ENOENT;
		}
		if (t->n == GB_TP_BTF_MAX) {
			snprintf(why, len, "more tp_btf programs than glassbox has room for (%d)",
				 GB_TP_BTF_MAX);
			return -E2BIG;
		}
		t->target[t->n].prog = p;
		t->target[t->n].id = (uint32_t)id;
		t->n++;
	}
	return 0;
}
