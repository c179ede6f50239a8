/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Capability numbers newer than some uapi headers, and one test of a capget() result. */
#ifndef GB_CAPS_H
#define GB_CAPS_H

#include <linux/capability.h>

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif
#ifndef CAP_CHECKPOINT_RESTORE
#define CAP_CHECKPOINT_RESTORE 40
#endif

static inline int gb_cap_effective(const struct __user_cap_data_struct d[2], int cap)
{
	return !!(d[cap / 32].effective & (1u << (cap % 32)));
}

#endif
