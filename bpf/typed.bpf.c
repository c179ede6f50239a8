// SPDX-License-Identifier: GPL-2.0
/*
 * The tp_btf programs of process.bpf.c and signal.bpf.c, built with plain loads
 * (read.bpf.h); those files' own objects hold their raw_tp and tracepoint programs. One
 * object for both: the bpftool linker (libbpf 1.1) cannot merge two objects that declare
 * the same kfunc.
 */
#define GB_FAST_READS
#include "process.bpf.c"
#include "signal.bpf.c"
