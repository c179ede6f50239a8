/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel renames and signature changes, each behind one accessor.
 */
#ifndef GB_CORE_FIXES_BPF_H
#define GB_CORE_FIXES_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>

/*
 * k_sigaction's handler: sa.sa_handler is a __sighandler_t on every kernel; read as an
 * unsigned long so SIG_DFL (0) and SIG_IGN (1) compare without casts.
 */
static __always_inline unsigned long gb_sa_handler(struct k_sigaction *ka)
{
	return (unsigned long)BPF_CORE_READ(ka, sa.sa_handler);
}

#endif
