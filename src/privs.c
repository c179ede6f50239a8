// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "caps.h"
#include "privs.h"
#include "util.h"


int gb_check_privileges(const char *cmd)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];
	static const struct {
		int cap;
		const char *name;
	} need[] = {
		{ CAP_SYS_ADMIN, "CAP_SYS_ADMIN" },
		{ CAP_BPF, "CAP_BPF" },
		{ CAP_PERFMON, "CAP_PERFMON" },
	};
	char missing[96] = "";

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d)) {
		gb_err("%s: capget failed: %s", cmd, strerror(errno));
		return -errno;
	}
	for (size_t i = 0; i < GB_ARRAY_SIZE(need); i++) {
		/* CAP_SYS_ADMIN stands in for CAP_BPF and CAP_PERFMON on every kernel */
		if (gb_cap_effective(d, need[i].cap) || (need[i].cap != CAP_SYS_ADMIN && gb_cap_effective(d, CAP_SYS_ADMIN)))
			continue;
		snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), "%s%s",
			 missing[0] ? ", " : "", need[i].name);
	}
	if (missing[0]) {
		gb_err("%s needs root: missing %s (run it with sudo)", cmd, missing);
		return -EPERM;
	}
	return 0;
}
