// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <grp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include "caps.h"
#include "harden.h"
#include "util.h"

#define GB_CAP_LAST CAP_CHECKPOINT_RESTORE

static const char *const cap_names[GB_CAP_LAST + 1] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
	"CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
	"CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
	"CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
	"CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
};

#define BIT(c) (1ULL << (c))
#define ALL_CAPS ((BIT(GB_CAP_LAST) << 1) - 1)

/* Host-wide powers a sandbox never needs for the reference's scenarios: the kernel
 * itself (modules, raw I/O, boot, time, kexec), other processes (ptrace), the
 * tracing glassbox does (BPF, perf), security modules, the kernel log, auditing. */
static const uint64_t dropped_by_default =
	BIT(CAP_SYS_MODULE) | BIT(CAP_SYS_RAWIO) | BIT(CAP_SYS_BOOT) | BIT(CAP_SYS_TIME) |
	BIT(CAP_SYS_PTRACE) | BIT(CAP_BPF) | BIT(CAP_PERFMON) | BIT(CAP_MAC_ADMIN) |
	BIT(CAP_MAC_OVERRIDE) | BIT(CAP_SYSLOG) | BIT(CAP_SYS_PACCT) | BIT(CAP_SYS_TTY_CONFIG) |
	BIT(CAP_AUDIT_CONTROL) | BIT(CAP_AUDIT_READ) | BIT(CAP_WAKE_ALARM) |
	BIT(CAP_BLOCK_SUSPEND) | BIT(CAP_LINUX_IMMUTABLE) | BIT(CAP_CHECKPOINT_RESTORE) |
	BIT(CAP_SYS_RESOURCE) | BIT(CAP_IPC_LOCK) | BIT(CAP_LEASE);

uint64_t gb_caps_default(void)
{
	return ALL_CAPS & ~dropped_by_default;
}

const char *gb_cap_name(int cap)
{
	return cap >= 0 && cap <= GB_CAP_LAST ? cap_names[cap] : NULL;
}

int gb_cap_parse(const char *name, uint64_t *mask)
{
	if (!strcasecmp(name, "ALL")) {
		*mask = ALL_CAPS;
		return 0;
	}
	for (int c = 0; c <= GB_CAP_LAST; c++)
		if (!strcasecmp(name, cap_names[c]) || !strcasecmp(name, cap_names[c] + 4)) {
			*mask = BIT(c);
			return 0;
		}
	return -EINVAL;
}

int gb_caps_apply(uint64_t *caps, const char *list, int add, const char **bad)
{
	char buf[512], *tok, *save = NULL;
	uint64_t result = *caps;

	*bad = list;
	if (!list || !*list || strlen(list) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, list);
	if (buf[strlen(buf) - 1] == ',' || buf[0] == ',')
		return -EINVAL;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uint64_t m;

		if (gb_cap_parse(tok, &m)) {
			*bad = list + (tok - buf);
			return -EINVAL;
		}
		result = add ? result | m : result & ~m;
	}
	*caps = result;
	return 0;
}

int gb_user_parse(const char *s, uid_t *uid, gid_t *gid)
{
	char buf[32];
	const char *colon = strchr(s, ':');
	uint64_t u, g;

	if (!*s || strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	if (colon)
		buf[colon - s] = 0;
	/* 4294967295 is (uid_t)-1, "no change" to setresuid: refuse it */
	if (gb_parse_u64(buf, 10, 0, 4294967294u, &u))
		return -EINVAL;
	g = u;
	if (colon && gb_parse_u64(colon + 1, 10, 0, 4294967294u, &g))
		return -EINVAL;
	*uid = (uid_t)u;
	*gid = (gid_t)g;
	return 0;
}

/*
 * seccomp: bpf() and perf_event_open() fail with EPERM in the sandbox. Capabilities
 * alone cannot close this: the sandbox keeps CAP_SYS_ADMIN for its own mounts and
 * namespaces, and CAP_SYS_ADMIN is enough to open any BPF map or link by ID.
 */
static int install_seccomp(void)
{
#if defined(__x86_64__)
#define GB_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define GB_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif
#ifdef GB_AUDIT_ARCH
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		/* a foreign-arch syscall (x32, i386 on x86_64) could bypass the numbers */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, GB_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
#ifdef __x86_64__
		/* x32 syscalls share the arch value with bit 30 set in nr */
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
#endif
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_bpf, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_perf_event_open, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = GB_ARRAY_SIZE(filter), .filter = filter };

	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		return -errno;
#endif
	return 0;
}

int gb_harden_apply(const struct gb_harden *h, char *msg, size_t size)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];
	int err;

	/* the bounding set first: dropping from it needs CAP_SETPCAP, which we still have */
	for (int c = 0; c <= GB_CAP_LAST; c++) {
		if (h->caps & BIT(c))
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) && errno != EINVAL) {
			err = -errno;
			snprintf(msg, size, "dropping %s from the bounding set failed: %s",
				 cap_names[c], strerror(errno));
			return err;
		}
	}
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (h->set_user) {
		if (setgroups(0, NULL) || setresgid(h->gid, h->gid, h->gid) ||
		    setresuid(h->uid, h->uid, h->uid)) {
			err = -errno;
			snprintf(msg, size, "switching to user %u:%u failed: %s", h->uid, h->gid,
				 strerror(errno));
			return err;
		}
	} else {
		/* root keeps what the bounding set allows, in every set */
		memset(d, 0, sizeof(d));
		if (syscall(SYS_capget, &hdr, d) == 0) {
			for (int i = 0; i < 2; i++) {
				uint32_t keep = (uint32_t)(h->caps >> (32 * i));

				d[i].effective &= keep;
				d[i].permitted &= keep;
				d[i].inheritable &= keep;
			}
			if (syscall(SYS_capset, &hdr, d)) {
				err = -errno;
				snprintf(msg, size, "capset failed: %s", strerror(errno));
				return err;
			}
		}
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		err = -errno;
		snprintf(msg, size, "prctl(PR_SET_NO_NEW_PRIVS) failed: %s", strerror(errno));
		return err;
	}
	err = install_seccomp();
	if (err) {
		snprintf(msg, size, "installing the seccomp filter failed: %s", strerror(-err));
		return err;
	}
	return 0;
}
