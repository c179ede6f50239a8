/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A read-only view of the kernel's BTF, straight from a mapping of
 * /sys/kernel/btf/vmlinux: an index of where each type starts, nothing copied or
 * checked beyond bounds. libbpf's btf__new() copies and indexes the same 5 MiB in 7 ms,
 * a tenth of glassbox's start-up; glassbox only looks names up in it and copies a few
 * hundred types out of it (core_btf.c); libbpf gets the IDs it needs from it too
 * (tp_btf.h) instead of parsing a copy of its own.
 * Types are libbpf's struct btf_type, so <bpf/btf.h>'s accessors work on them.
 */
#ifndef GB_BTF_VIEW_H
#define GB_BTF_VIEW_H
#include <stddef.h>
#include <stdint.h>

struct btf_type;

struct gb_btf_view {
	const uint8_t *data;  /* the raw BTF */
	size_t size;
	const char *strs;     /* string section */
	uint32_t str_len;
	const uint32_t *offs; /* offs[id]: offset of type id in the type section */
	const uint32_t *by_kind;     /* every ID, grouped by kind, ascending in each */
	uint32_t kind_start[32 + 1]; /* kind k's IDs: by_kind[kind_start[k] .. [k + 1]) */
	const uint8_t *types;
	uint32_t n;           /* types, with void (id 0) */
	void *map;            /* what to munmap, if mapped */
	void *owned;          /* what to free, if read */
};

/* Map (or, where the file cannot be mapped, read) a raw BTF file. 0 or -errno. */
int gb_btf_view_open(struct gb_btf_view *v, const char *path);
/* Over memory the caller keeps (tests). 0 or -EINVAL. */
int gb_btf_view_init(struct gb_btf_view *v, const void *data, size_t size);
void gb_btf_view_close(struct gb_btf_view *v);

/* NULL for id 0 or out of range */
const struct btf_type *gb_btf_view_type(const struct gb_btf_view *v, uint32_t id);
/* "" for an offset out of range */
const char *gb_btf_view_str(const struct gb_btf_view *v, uint32_t off);
/* The IDs of every type of one kind, ascending; *count of them. */
const uint32_t *gb_btf_view_kind_ids(const struct gb_btf_view *v, int kind, uint32_t *count);
/* The first type of this kind with this name: its ID, or -ENOENT. */
int gb_btf_view_find(const struct gb_btf_view *v, const char *name, int kind);

#endif
