// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* glassbox probe: what this kernel lets glassbox attach, and what it picked per event. */
#include <stdio.h>
#include <string.h>
#include "decode.h"
#include "netdev_probe.h"
#include "observe.h"
#include "probe.h"
#include "util.h"

int gb_cmd_probe(void);

/* netdev_move has its own ladder: fentry, kprobe, then rtnetlink (netdev_probe.c) */
static void print_netdev(const struct gb_features *f)
{
	struct gb_netdev_caps caps;
	struct gb_netdev_plan p;

	if (gb_netdev_caps_from_features(f, &caps)) {
		printf("  %-16s unavailable: %s\n", gb_kind_name(GB_EV_NETDEV_MOVE), f->btf_why);
		return;
	}
	gb_netdev_choose(&caps, &p);
	switch (p.method) {
	case GB_METHOD_FENTRY:
	case GB_METHOD_KPROBE:
		printf("  %-16s %s (%s)\n", gb_kind_name(GB_EV_NETDEV_MOVE),
		       gb_method_name(p.method), gb_netdev_fn_names[p.fn]);
		break;
	case GB_METHOD_NETLINK:
		printf("  %-16s %s (rtnetlink requests at %s sys_enter/sys_exit%s, confirmed by "
		       "RTM_DELLINK/RTM_NEWLINK notifications)\n",
		       gb_kind_name(GB_EV_NETDEV_MOVE), gb_method_name(p.method),
		       gb_method_name(p.syscall_tp), f->have_bpf_loop ? "" : " without bpf_loop");
		break;
	default:
		printf("  %-16s unavailable\n", gb_kind_name(GB_EV_NETDEV_MOVE));
		break;
	}
	for (uint32_t m = GB_METHOD_FENTRY; m <= GB_METHOD_NETLINK && m != p.method; m++)
		printf("  %-16s   not %s: %s\n", "", gb_method_name(m), p.why_not[m]);
}

int gb_cmd_probe(void)
{
	struct gb_family_choice choice[16];
	struct gb_features f;
	size_t n;

	if (gb_features_probe(&f))
		return GB_EXIT_FAILURE;
	printf("kernel BTF: %s\n", f.have_btf ? "yes (/sys/kernel/btf/vmlinux)" : f.btf_why);
	printf("tracefs: %s\n", f.tracefs[0] ? f.tracefs : "not mounted");
	if (f.have_bpf_loop)
		printf("bpf_loop: yes\n");
	else
		printf("bpf_loop: no: %s; the syscall boundary programs are the compat build\n",
		       f.bpf_loop_why);
	printf("\nattach mechanisms:\n");
	for (uint32_t m = 1; m < GB_METHOD_MAX; m++)
		printf("  %-11s %s%s\n", gb_method_name(m), f.mech[m].ok ? "yes" : "no: ",
		       f.mech[m].ok ? "" : f.mech[m].why);
	printf("\nevents:\n");
	n = gb_observe_choose(&f, choice, GB_ARRAY_SIZE(choice));
	for (size_t i = 0; i < n; i++) {
		/* the syscall boundary without bpf_loop: name the compat build's program */
		const char *compat = choice[i].compat ? choice[i].prog : NULL;

		for (uint32_t k = 1; k < GB_EV_KIND_MAX; k++) {
			if (!(choice[i].kinds & (1u << k)))
				continue;
			const char *where = choice[i].tp.tp;

			/* on kprobes: at the syscalls' own functions, not at the tracepoint */
			if (choice[i].tp.method == GB_METHOD_KPROBE)
				where = choice[i].exit ? "the syscall functions' returns"
						       : "the syscall functions' entries";
			printf("  %-16s %s (%s%s%s)\n", gb_kind_name(k),
			       choice[i].tp.method ? gb_method_name(choice[i].tp.method)
						   : "unavailable",
			       where, compat ? "; without bpf_loop: " : "", compat ? compat : "");
			if (choice[i].kprobe_able && choice[i].tp.method != GB_METHOD_KPROBE)
				printf("  %-16s   not kprobe: %s\n", "", choice[i].kprobe_why);
			for (uint32_t m = GB_METHOD_TP_BTF; m <= GB_METHOD_TRACEPOINT &&
			     m != choice[i].tp.method && choice[i].tp.method != GB_METHOD_KPROBE; m++)
				printf("  %-16s   not %s: %s\n", "", gb_method_name(m),
				       choice[i].tp.why_not[m]);
		}
	}
	print_netdev(&f);
	gb_features_free(&f);
	return 0;
}
