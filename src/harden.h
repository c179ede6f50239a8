/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the sandbox may do: the capability bounding set of a namespaced root (enough to
 * administer its own network namespace and mount its own /proc, not to load modules,
 * reboot, trace or BPF), no_new_privs, a seccomp filter that keeps bpf() and
 * perf_event_open() away from glassbox's maps and links, and an optional unprivileged
 * user for COMMAND.
 */
#ifndef GB_HARDEN_H
#define GB_HARDEN_H

#include <stdint.h>
#include <sys/types.h>

struct gb_harden {
	uint64_t caps;    /* bounding set for the sandbox, bit per CAP_* */
	int set_user;     /* --user given */
	uid_t uid;
	gid_t gid;
};

/* the default bounding set: everything but what the sandbox must not have */
uint64_t gb_caps_default(void);
/* "CAP_NET_ADMIN", "net_admin", "ALL" -> bit mask; -EINVAL when unknown */
int gb_cap_parse(const char *name, uint64_t *mask);
/* --cap-add/--cap-drop LIST (comma-separated) applied to *caps */
int gb_caps_apply(uint64_t *caps, const char *list, int add, const char **bad);
/* "1000" or "1000:1000" (numbers only: the sandbox shares the host's /etc) */
int gb_user_parse(const char *s, uid_t *uid, gid_t *gid);
/* The capability name of a number ("CAP_SYS_ADMIN"), NULL when unknown. */
const char *gb_cap_name(int cap);

/* In the sandbox, just before exec (the init drops them for itself too): returns 0
 * or -errno with msg filled. */
int gb_harden_apply(const struct gb_harden *h, char *msg, size_t size);

#endif
