// SPDX-License-Identifier: GPL-2.0
/*
 * The syscall boundary programs of ns.bpf.c for kernels without bpf_loop (v5.17): no
 * callbacks and no global functions (netdev_nl.bpf.h), every program name suffixed
 * _compat (gb.bpf.h). src/probe.c tells which build a kernel loads.
 */
#define GB_NO_BPF_LOOP
#include "ns.bpf.c"
