// SPDX-License-Identifier: GPL-2.0
/* The maps and settings every program shares, defined once for the linked object. */
#include "gb.bpf.h"
#include "ns.bpf.h"
#include "glassbox/kernel_types.h"

struct gb_events_map gb_events SEC(".maps");
/* PID namespace inode -> trace root. Filled by user space with the sandbox's namespace,
 * and by process.bpf.c with each namespace a traced task creates. */
struct gb_ns_filter_map gb_traced_pidns SEC(".maps");
/* Network namespace inode -> trace root, for glassbox trace --netns. */
struct gb_ns_filter_map gb_traced_netns SEC(".maps");
struct gb_counters_map gb_counters SEC(".maps");
/* setns/unshare from sys_enter to sys_exit (bpf/ns.bpf.c) */
struct gb_sys_inflight_map gb_sys_inflight SEC(".maps");

const volatile struct gb_ns_filter gb_filter_all = { .root_level = 0 };
const volatile __u32 gb_cfg_trace_all = 0;
const volatile __u32 gb_cfg_filter_netns = 0;
const volatile __u32 gb_cfg_follow_netns = 0;
const volatile __u32 gb_cfg_kind_mask = ~0u;
const volatile __u32 gb_cfg_min_level = 0;
const volatile __u32 gb_cfg_netdev_netlink = 0;
const volatile __u8 gb_sys_class[GB_SYSCALL_NR_MAX] = {};
/* kernel BTF IDs for bpf/read.bpf.h's casts, by enum gb_kernel_type (src/core_btf.c) */
const volatile __u32 gb_kernel_type_id[GB_KT_MAX] = {};

/* Wake the consumer once this many bytes wait; user space moves it while tracing
 * (src/wake.h), so it is data, not a load-time constant. */
volatile __u64 gb_wake_bytes = 64 << 10;

char LICENSE[] SEC("license") = "GPL";
