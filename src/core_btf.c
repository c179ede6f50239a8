// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "glassbox/kernel_types.h"
#include "btf_view.h"
#include "core_btf.h"
#include "util.h"

#define FNV_OFFSET 1469598103934665603ull /* FNV-1a */
#define FNV_PRIME 1099511628211ull

static uint64_t hash_name(const char *s, size_t n)
{
	uint64_t h = FNV_OFFSET;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * FNV_PRIME;
	return h;
}

/*
 * The name's essential length (up to the last "X___Y" where neither X nor Y is an
 * underscore: a flavor suffix, which CO-RE ignores) in *len, and hash_name() of that
 * much, in one pass: the reduction asks this of 19k kernel type names, and measuring
 * the name first (strlen, then a walk back for "___") took as long as the hash.
 */
static uint64_t hash_essential(const char *name, size_t *len)
{
	uint64_t h = FNV_OFFSET, h_cut = 0;
	size_t i, cut = 0;

	for (i = 0; name[i]; i++) {
		h = (h ^ (unsigned char)name[i]) * FNV_PRIME;
		/* name[i] is the X of an "X___Y" (the reads stop at a NUL) */
		if (name[i] != '_' && name[i + 1] == '_' && name[i + 2] == '_' &&
		    name[i + 3] == '_' && name[i + 4] && name[i + 4] != '_') {
			cut = i + 1;
			h_cut = h;
		}
	}
	*len = cut ? cut : i;
	return cut ? h_cut : h;
}

size_t gb_core_essential_len(const char *name)
{
	size_t len;

	hash_essential(name, &len);
	return len;
}

/* ---- the names the object's BTF carries: a small open-addressing set -------------- */

struct name_set {
	struct {
		const char *s;
		size_t n;
	} *slot;
	size_t cap; /* a power of two, at least twice the names */
};

static bool set_has_hashed(const struct name_set *set, const char *s, size_t n, uint64_t h)
{
	for (size_t i = h & (set->cap - 1);; i = (i + 1) & (set->cap - 1)) {
		if (!set->slot[i].s)
			return false;
		if (set->slot[i].n == n && !memcmp(set->slot[i].s, s, n))
			return true;
	}
}

static void set_add(struct name_set *set, const char *s, size_t n)
{
	size_t i = hash_name(s, n) & (set->cap - 1);

	while (set->slot[i].s) {
		if (set->slot[i].n == n && !memcmp(set->slot[i].s, s, n))
			return;
		i = (i + 1) & (set->cap - 1);
	}
	set->slot[i].s = s;
	set->slot[i].n = n;
}

/* Kinds a CO-RE relocation can be rooted at; an object names ints too, which never are. */
static const int root_kinds[] = { BTF_KIND_STRUCT, BTF_KIND_UNION, BTF_KIND_ENUM,
				  BTF_KIND_ENUM64, BTF_KIND_TYPEDEF, BTF_KIND_FWD };

static bool is_root_kind(const struct btf_type *t)
{
	for (size_t i = 0; i < GB_ARRAY_SIZE(root_kinds); i++)
		if (btf_kind(t) == root_kinds[i])
			return true;
	return false;
}

static int collect_names(const struct btf *local, const char *const *more, size_t n_more,
			 struct name_set *set)
{
	uint32_t n = btf__type_cnt(local);

	set->cap = 64;
	while (set->cap < 2 * ((size_t)n + n_more))
		set->cap <<= 1;
	set->slot = calloc(set->cap, sizeof(*set->slot));
	if (!set->slot)
		return -ENOMEM;
	for (uint32_t id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(local, id);
		const char *name = btf__name_by_offset(local, t->name_off);

		if (is_root_kind(t) && name && *name)
			set_add(set, name, gb_core_essential_len(name));
	}
	for (size_t i = 0; i < n_more; i++)
		set_add(set, more[i], strlen(more[i]));
	return 0;
}

/* ---- copying ---------------------------------------------------------------------- */

struct reducer {
	const struct gb_btf_view *kernel;
	struct btf *out;
	int *copied; /* kernel type ID -> ID in out; 0: not yet */
	int ptr_id;  /* void *, shared by every pointer member */
};

static int copy_type(struct reducer *r, uint32_t id);

static int copy_members(struct reducer *r, const struct btf_type *t, int *ids)
{
	const struct btf_member *m = btf_members(t);

	for (uint16_t i = 0; i < btf_vlen(t); i++) {
		ids[i] = copy_type(r, m[i].type);
		if (ids[i] < 0)
			return ids[i];
	}
	return 0;
}

static int copy_composite(struct reducer *r, const struct btf_type *t, const char *name)
{
	const struct btf_member *m = btf_members(t);
	uint16_t vlen = btf_vlen(t);
	int *ids, id, err;

	/* members' types first: fields must follow their struct in the new BTF at once */
	ids = calloc(vlen ? vlen : 1, sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	err = copy_members(r, t, ids);
	if (err) {
		free(ids);
		return err;
	}
	id = btf_is_struct(t) ? btf__add_struct(r->out, name, t->size)
			      : btf__add_union(r->out, name, t->size);
	for (uint16_t i = 0; id > 0 && i < vlen; i++) {
		const char *mname = gb_btf_view_str(r->kernel, m[i].name_off);

		err = btf__add_field(r->out, mname ? mname : "", ids[i],
				     btf_member_bit_offset(t, i), btf_member_bitfield_size(t, i));
		if (err)
			id = err;
	}
	free(ids);
	return id;
}

static int copy_enum(struct reducer *r, const struct btf_type *t, const char *name)
{
	int id;

	if (btf_is_enum64(t)) {
		const struct btf_enum64 *v = btf_enum64(t);

		id = btf__add_enum64(r->out, name, t->size, btf_kflag(t));
		for (uint16_t i = 0; id > 0 && i < btf_vlen(t); i++) {
			int err = btf__add_enum64_value(r->out,
							gb_btf_view_str(r->kernel, v[i].name_off),
							btf_enum64_value(&v[i]));
			if (err)
				id = err;
		}
		return id;
	}
	{
		const struct btf_enum *v = btf_enum(t);

		id = btf__add_enum(r->out, name, t->size);
		for (uint16_t i = 0; id > 0 && i < btf_vlen(t); i++) {
			int err = btf__add_enum_value(r->out,
						      gb_btf_view_str(r->kernel, v[i].name_off),
						      v[i].val);
			if (err)
				id = err;
		}
	}
	return id;
}

/*
 * The copy of kernel type id, made once. Pointers become void *, modifiers and member
 * typedefs vanish, arrays and embedded structs are copied whole: what CO-RE compares
 * (bpf_core_fields_are_compat) and measures (sizes, bitfields, int signedness) stays.
 */
static int copy_type(struct reducer *r, uint32_t id)
{
	const struct btf_type *t;
	const char *name;
	int nid;

	if (id == 0)
		return 0;
	if (r->copied[id])
		return r->copied[id];
	t = gb_btf_view_type(r->kernel, id);
	if (!t)
		return -EINVAL;
	name = gb_btf_view_str(r->kernel, t->name_off);
	if (!name)
		name = "";
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		nid = btf__add_int(r->out, name, t->size, btf_int_encoding(t));
		break;
	case BTF_KIND_FLOAT:
		nid = btf__add_float(r->out, name, t->size);
		break;
	case BTF_KIND_PTR:
		if (!r->ptr_id)
			r->ptr_id = btf__add_ptr(r->out, 0);
		nid = r->ptr_id;
		break;
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_TYPEDEF:
		nid = copy_type(r, t->type);
		break;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_array(t);
		int elem = copy_type(r, a->type), index = copy_type(r, a->index_type);

		nid = elem < 0 ? elem : index < 0 ? index
						  : btf__add_array(r->out, index, elem, a->nelems);
		break;
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		nid = copy_composite(r, t, name);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		nid = copy_enum(r, t, name);
		break;
	case BTF_KIND_FWD:
		nid = btf__add_fwd(r->out, name, btf_kflag(t) ? BTF_FWD_UNION : BTF_FWD_STRUCT);
		break;
	default: /* functions, variables, sections: never a member's type */
		nid = 0;
		break;
	}
	if (nid > 0)
		r->copied[id] = nid;
	return nid;
}

/* A root: the type itself under its own name, typedefs included (a relocation may be
 * rooted at one); its members' types through copy_type(). */
static int copy_root(struct reducer *r, uint32_t id)
{
	const struct btf_type *t = gb_btf_view_type(r->kernel, id);
	int target, nid;

	if (!btf_is_typedef(t))
		return copy_type(r, id);
	target = copy_type(r, t->type);
	if (target < 0)
		return target;
	nid = btf__add_typedef(r->out, gb_btf_view_str(r->kernel, t->name_off), target);
	if (nid > 0)
		r->copied[id] = nid;
	return nid;
}

int gb_core_btf_reduce(const struct gb_btf_view *kernel, const struct btf *local,
		       struct btf **out, uint32_t *kernel_ids)
{
	static const char *const wanted[GB_KT_MAX] = {
#define GB_KT_NAME(e, name) [GB_KT_##e] = #name,
		GB_KERNEL_TYPES(GB_KT_NAME)
#undef GB_KT_NAME
	};
	struct name_set names = {};
	struct reducer r = { .kernel = kernel };
	uint32_t n = kernel->n;
	int err;

	*out = NULL;
	memset(kernel_ids, 0, GB_KT_MAX * sizeof(*kernel_ids));
	err = collect_names(local, wanted, GB_KT_MAX, &names);
	if (err)
		return err;
	r.copied = calloc(n, sizeof(*r.copied));
	r.out = btf__new_empty();
	if (!r.copied || !r.out) {
		err = -ENOMEM;
		goto out;
	}
	/* only the kinds a relocation can be rooted at: 19k of the 127k types */
	for (size_t rk = 0; rk < GB_ARRAY_SIZE(root_kinds) && !err; rk++) {
		uint32_t count;
		const uint32_t *ids = gb_btf_view_kind_ids(kernel, root_kinds[rk], &count);

		for (uint32_t i = 0; i < count && !err; i++) {
			uint32_t id = ids[i];
			const struct btf_type *t = gb_btf_view_type(kernel, id);
			const char *name = gb_btf_view_str(kernel, t->name_off);
			size_t len;
			uint64_t h;

			if (!*name)
				continue;
			h = hash_essential(name, &len);
			if (!set_has_hashed(&names, name, len, h))
				continue;
			if (btf_is_struct(t)) {
				for (int k = 0; k < GB_KT_MAX; k++)
					if (!kernel_ids[k] && !strcmp(name, wanted[k]))
						kernel_ids[k] = id;
			}
			err = copy_root(&r, id);
			err = err < 0 ? err : 0;
		}
	}
	for (int k = 0; !err && k < GB_KT_MAX; k++)
		if (!kernel_ids[k])
			err = -ENOENT;
out:
	free(names.slot);
	free(r.copied);
	if (err)
		btf__free(r.out);
	else
		*out = r.out;
	return err;
}
