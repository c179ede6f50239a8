// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * hookfloor: what any program on the syscall hooks costs, whatever it does. Attaches a
 * BPF program that returns at once (two instructions) to the raw tracepoints sys_enter
 * and sys_exit, prints "ready", and waits for SIGTERM or SIGINT; the links go with its
 * file descriptors, on any exit. `make bench` runs the host storms under it next to
 * glassbox: on a kernel without fentry and kprobes, glassbox's syscall-level kinds sit
 * on the same two hooks, and this is the part of their cost no program can shed.
 * Plain bpf(2), so that it needs nothing but the kernel's headers.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <sys/syscall.h>

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int attach(int prog, const char *tp)
{
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.raw_tracepoint.name = (__u64)(unsigned long)tp;
	a.raw_tracepoint.prog_fd = prog;
	fd = sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &a);
	if (fd < 0)
		fprintf(stderr, "hookfloor: attaching to %s: %s\n", tp, strerror(errno));
	return fd;
}

int main(void)
{
	static const struct bpf_insn ret0[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr a;
	sigset_t set;
	int prog, sig;

	/* blocked before the links exist: a stop request is then taken by sigwait */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT;
	a.insns = (__u64)(unsigned long)ret0;
	a.insn_cnt = sizeof(ret0) / sizeof(ret0[0]);
	a.license = (__u64)(unsigned long)"GPL";
	prog = sys_bpf(BPF_PROG_LOAD, &a);
	if (prog < 0) {
		fprintf(stderr, "hookfloor: loading the program: %s\n", strerror(errno));
		return 1;
	}
	if (attach(prog, "sys_enter") < 0 || attach(prog, "sys_exit") < 0)
		return 1;
	printf("ready\n");
	fflush(stdout);
	sigwait(&set, &sig);
	return 0;
}
