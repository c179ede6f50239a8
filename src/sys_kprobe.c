// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "glassbox/events.h"
#include "sys_kprobe.h"
#include "syscalls.h"

const char *gb_sys_kprobe_prefix(void)
{
#if defined(__x86_64__)
	return "__x64_sys_";
#elif defined(__aarch64__)
	return "__arm64_sys_";
#else
	return NULL;
#endif
}

uint32_t gb_sys_kprobe_mask(int exit, uint32_t kind_mask, int netlink)
{
	uint32_t m = 1u << GB_SYS_SETNS | 1u << GB_SYS_UNSHARE;

	if (netlink)
		m |= 1u << GB_SYS_SENDTO | 1u << GB_SYS_SENDMSG;
	if (!exit)
		return m;
	if (kind_mask & (1u << GB_EV_CLONE))
		for (uint32_t s = GB_SYS_CLONE; s <= GB_SYS_VFORK; s++)
			m |= 1u << s;
	if (kind_mask & (1u << GB_EV_SIGNAL_FAILED))
		for (uint32_t s = GB_SYS_KILL; s <= GB_SYS_PIDFD_SEND_SIGNAL; s++)
			m |= 1u << s;
	return m;
}

int gb_sys_kprobe_attach(struct bpf_program *prog, int exit, uint32_t mask,
			 struct bpf_link **links, size_t max, size_t *n, char *why, size_t len)
{
	const char *prefix = gb_sys_kprobe_prefix();

	if (!prefix) {
		snprintf(why, len, "syscall functions' names unknown on this architecture");
		return -ENOTSUP;
	}
	for (uint32_t s = GB_SYS_NONE + 1; s < GB_SYS_MAX; s++) {
		char fn[64];
		struct bpf_link *l;
		int err;

		if (!(mask & (1u << s)) || !gb_syscall_name(s))
			continue;
		if (*n >= max) {
			snprintf(why, len, "more syscall kprobes than room for their links");
			return -ENOSPC;
		}
		snprintf(fn, sizeof(fn), "%s%s", prefix, gb_syscall_name(s));
		l = bpf_program__attach_kprobe(prog, exit, fn);
		if (!l) {
			err = -errno;
			if ((err == -ENOENT || err == -EINVAL) && (s == GB_SYS_FORK || s == GB_SYS_VFORK))
				continue;
			snprintf(why, len, "attaching a %s to %s failed: %s",
				 exit ? "kretprobe" : "kprobe", fn, strerror(-err));
			return err;
		}
		links[(*n)++] = l;
	}
	return 0;
}
