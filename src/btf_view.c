// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <linux/btf.h>
#include <bpf/btf.h>
#include "btf_view.h"

/* Bytes a type takes in the type section: its struct btf_type and what follows it. */
static long type_len(const struct btf_type *t)
{
	long base = sizeof(*t);
	uint16_t vlen = btf_vlen(t);

	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		return base + sizeof(uint32_t);
	case BTF_KIND_ARRAY:
		return base + sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return base + (long)vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return base + (long)vlen * sizeof(struct btf_enum);
	case BTF_KIND_ENUM64:
		return base + (long)vlen * sizeof(struct btf_enum64);
	case BTF_KIND_FUNC_PROTO:
		return base + (long)vlen * sizeof(struct btf_param);
	case BTF_KIND_VAR:
		return base + sizeof(struct btf_var);
	case BTF_KIND_DATASEC:
		return base + (long)vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG:
		return base + sizeof(struct btf_decl_tag);
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return base;
	default:
		return -1; /* a kind newer than this code: its length is unknown */
	}
}

int gb_btf_view_init(struct gb_btf_view *v, const void *data, size_t size)
{
	const struct btf_header *h = data;
	uint32_t *offs = NULL, *by_kind, n = 1, cap = 0, off, pos[32] = { 0 };

	memset(v, 0, sizeof(*v));
	v->data = data;
	v->size = size;
	if (size < sizeof(*h) || h->magic != BTF_MAGIC || h->hdr_len > size ||
	    (uint64_t)h->hdr_len + h->type_off + h->type_len > size ||
	    (uint64_t)h->hdr_len + h->str_off + h->str_len > size || !h->str_len)
		return -EINVAL;
	v->types = (const uint8_t *)data + h->hdr_len + h->type_off;
	v->strs = (const char *)data + h->hdr_len + h->str_off;
	v->str_len = h->str_len;
	if (v->strs[v->str_len - 1])
		return -EINVAL;
	for (off = 0; off < h->type_len;) {
		const struct btf_type *t = (const void *)(v->types + off);
		long len;

		if (h->type_len - off < sizeof(*t) || (len = type_len(t)) < 0 ||
		    (uint64_t)off + len > h->type_len) {
			free(offs);
			return -EINVAL;
		}
		if (n >= cap) {
			uint32_t *p;

			cap = cap ? 2 * cap : 65536;
			p = realloc(offs, cap * sizeof(*offs));
			if (!p) {
				free(offs);
				return -ENOMEM;
			}
			offs = p;
		}
		offs[n++] = off;
		off += len;
		v->kind_start[btf_kind(t) + 1]++; /* counted here, summed below */
	}
	/* every lookup is by kind and name: grouping the IDs by kind lets one look at the
	 * 3k typedefs, say, not at all 127k types */
	by_kind = malloc((size_t)n * sizeof(*by_kind));
	if (!by_kind) {
		free(offs);
		return -ENOMEM;
	}
	for (int k = 0; k < 32; k++) {
		v->kind_start[k + 1] += v->kind_start[k];
		pos[k] = v->kind_start[k];
	}
	for (uint32_t id = 1; id < n; id++)
		by_kind[pos[btf_kind((const void *)(v->types + offs[id]))]++] = id;
	v->offs = offs;
	v->by_kind = by_kind;
	v->n = n;
	return 0;
}

int gb_btf_view_open(struct gb_btf_view *v, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;
	void *map = NULL, *owned = NULL, *p;
	struct stat st;

	memset(v, 0, sizeof(*v));
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_size <= 0) {
		err = st.st_size <= 0 ? -EINVAL : -errno;
		close(fd);
		return err;
	}
	/* v6.16 lets /sys/kernel/btf/vmlinux be mapped; earlier kernels need a read */
	p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p != MAP_FAILED) {
		map = p;
	} else {
		size_t got = 0;

		p = owned = malloc(st.st_size);
		while (p && got < (size_t)st.st_size) {
			ssize_t r = read(fd, (char *)p + got, st.st_size - got);

			if (r <= 0)
				break;
			got += r;
		}
		if (!p || got != (size_t)st.st_size) {
			close(fd);
			free(owned);
			return p ? -EIO : -ENOMEM;
		}
	}
	close(fd);
	err = gb_btf_view_init(v, p, st.st_size);
	v->map = map;
	v->owned = owned;
	if (err)
		gb_btf_view_close(v);
	return err;
}

void gb_btf_view_close(struct gb_btf_view *v)
{
	free((void *)v->offs);
	free((void *)v->by_kind);
	if (v->map)
		munmap(v->map, v->size);
	free(v->owned);
	memset(v, 0, sizeof(*v));
}

const struct btf_type *gb_btf_view_type(const struct gb_btf_view *v, uint32_t id)
{
	if (id == 0 || id >= v->n)
		return NULL;
	return (const void *)(v->types + v->offs[id]);
}

const char *gb_btf_view_str(const struct gb_btf_view *v, uint32_t off)
{
	return off < v->str_len ? v->strs + off : "";
}

const uint32_t *gb_btf_view_kind_ids(const struct gb_btf_view *v, int kind, uint32_t *count)
{
	if (kind < 0 || kind >= 32 || !v->by_kind) {
		*count = 0;
		return NULL;
	}
	*count = v->kind_start[kind + 1] - v->kind_start[kind];
	return v->by_kind + v->kind_start[kind];
}

int gb_btf_view_find(const struct gb_btf_view *v, const char *name, int kind)
{
	uint32_t count;
	const uint32_t *ids = gb_btf_view_kind_ids(v, kind, &count);

	for (uint32_t i = 0; i < count; i++) {
		const struct btf_type *t = gb_btf_view_type(v, ids[i]);

		if (!strcmp(gb_btf_view_str(v, t->name_off), name))
			return (int)ids[i];
	}
	return -ENOENT;
}
