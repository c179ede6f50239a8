/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Numbers from the kernel turned into the names people and tools read. */
#ifndef GB_DECODE_H
#define GB_DECODE_H

#include <stddef.h>
#include <stdint.h>

/* "clone", "exec", ...; NULL for an unknown kind */
const char *gb_kind_name(uint32_t kind);
/* kind by name; 0 when unknown */
uint32_t gb_kind_from_name(const char *name);
/* Parse "clone,exec,signal" into a bit mask of (1 << kind). "signal" means both
 * signal_generate and signal_deliver (and signal_failed); "all" means every kind.
 * Returns 0 or -EINVAL with *bad pointing into the list at the unknown name. */
int gb_kind_mask_parse(const char *list, uint32_t *mask, const char **bad);

const char *gb_method_name(uint32_t method);

/* "SIGUSR1"; real-time signals as "SIGRTMIN+3"; NULL when out of range. */
const char *gb_signal_name(int sig, char *buf, size_t size);
/* "USR1", "SIGUSR1", "usr1", "10", "RTMIN+2"; returns the number or -EINVAL. */
int gb_signal_parse(const char *s);
/* What the default action of a signal is: "terminate", "core", "stop", "continue",
 * "ignore". */
const char *gb_signal_default_action(int sig);

/* signal_generate's result: "delivered", "ignored", "already_pending", ... */
const char *gb_sig_result_name(int result);
/* signal_deliver's action: "default", "ignore", "handler" */
const char *gb_sig_action_name(int action);

/* Clone and unshare flags: fills names[] with up to max names, returns how many. Bits
 * without a name are left in *rest (0 when none). */
size_t gb_clone_flag_names(uint64_t flags, const char **names, size_t max, uint64_t *rest);
/* Comma-joined flag names into buf ("CLONE_NEWPID|CLONE_VFORK" style with sep). */
size_t gb_clone_flags_str(uint64_t flags, char *buf, size_t size, const char *sep);

/* One namespace type bit (CLONE_NEWNET...) to "net", "pid", ...; NULL if not exactly one */
const char *gb_nstype_name(uint32_t nstype);

/* One namespace type whose inode differs between two gb_nsset. */
struct gb_ns_change {
	const char *type; /* "pid", "pid_for_children", "net", ... */
	uint32_t old_ino;
	uint32_t new_ino;
};

#define GB_NSSET_TYPES 10 /* fields of struct gb_nsset */

struct gb_nsset;
/* Fill out[] with the types whose inode differs, in struct order; returns how many. */
size_t gb_nsset_diff(const struct gb_nsset *a, const struct gb_nsset *b,
		     struct gb_ns_change *out, size_t max);

/* si_code to "SI_USER", "SI_KERNEL", ...: NULL when not a generic code */
const char *gb_si_code_name(int code);

/* The errno name of a negative return value ("ENOENT" for -2); "?" for anything that
 * is not -errno (records replayed from a file are not trusted to hold only those). */
const char *gb_errno_name(int64_t ret);

/* A wait status to "exit 3" / "killed by SIGKILL" / "killed by SIGSEGV (core dumped)" */
size_t gb_wait_status_str(int status, char *buf, size_t size);

#endif
