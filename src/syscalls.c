// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include "syscalls.h"
#include "util.h"

static const char *const names[GB_SYS_MAX] = {
	[GB_SYS_SETNS] = "setns",
	[GB_SYS_UNSHARE] = "unshare",
	[GB_SYS_CLONE] = "clone",
	[GB_SYS_CLONE3] = "clone3",
	[GB_SYS_FORK] = "fork",
	[GB_SYS_VFORK] = "vfork",
	[GB_SYS_KILL] = "kill",
	[GB_SYS_TKILL] = "tkill",
	[GB_SYS_TGKILL] = "tgkill",
	[GB_SYS_RT_SIGQUEUEINFO] = "rt_sigqueueinfo",
	[GB_SYS_RT_TGSIGQUEUEINFO] = "rt_tgsigqueueinfo",
	[GB_SYS_PIDFD_SEND_SIGNAL] = "pidfd_send_signal",
	[GB_SYS_SENDTO] = "sendto",
	[GB_SYS_SENDMSG] = "sendmsg",
};

const char *gb_syscall_name(uint32_t sys)
{
	return sys < GB_SYS_MAX ? names[sys] : NULL;
}

int gb_syscall_classes(uint8_t *table, size_t n)
{
	static const struct {
		long nr;
		uint8_t sys;
	} map[] = {
		{ SYS_setns, GB_SYS_SETNS },
		{ SYS_unshare, GB_SYS_UNSHARE },
		{ SYS_clone, GB_SYS_CLONE },
		{ SYS_clone3, GB_SYS_CLONE3 },
#ifdef SYS_fork
		{ SYS_fork, GB_SYS_FORK },
#endif
#ifdef SYS_vfork
		{ SYS_vfork, GB_SYS_VFORK },
#endif
		{ SYS_kill, GB_SYS_KILL },
		{ SYS_tkill, GB_SYS_TKILL },
		{ SYS_tgkill, GB_SYS_TGKILL },
		{ SYS_rt_sigqueueinfo, GB_SYS_RT_SIGQUEUEINFO },
		{ SYS_rt_tgsigqueueinfo, GB_SYS_RT_TGSIGQUEUEINFO },
		{ SYS_pidfd_send_signal, GB_SYS_PIDFD_SEND_SIGNAL },
		{ SYS_sendto, GB_SYS_SENDTO },
		{ SYS_sendmsg, GB_SYS_SENDMSG },
	};

	memset(table, 0, n);
	for (size_t i = 0; i < GB_ARRAY_SIZE(map); i++) {
		if (map[i].nr < 0 || (size_t)map[i].nr >= n)
			return -ERANGE;
		table[map[i].nr] = map[i].sys;
	}
	return (int)GB_ARRAY_SIZE(map);
}
