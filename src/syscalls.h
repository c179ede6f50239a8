/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The syscalls bpf/ns.bpf.c watches: this architecture's numbers (from <sys/syscall.h>)
 * mapped onto the arch-neutral enum gb_syscall the records carry, and their names.
 */
#ifndef GB_SYSCALLS_H
#define GB_SYSCALLS_H

#include <stddef.h>
#include <stdint.h>
#include "glassbox/events.h"

/* "kill", "clone3", ...; NULL for GB_SYS_NONE or an unknown value */
const char *gb_syscall_name(uint32_t sys);

/* Fill table[nr] = enum gb_syscall for every watched syscall this architecture has
 * (fork and vfork do not exist on arm64), 0 elsewhere. Returns how many were set, or
 * -ERANGE if a number does not fit in n entries. */
int gb_syscall_classes(uint8_t *table, size_t n);

#endif
