// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* gb_core_btf_reduce(): the reduced kernel BTF keeps what CO-RE needs and nothing else. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>
#include <bpf/btf.h>
#include "glassbox/kernel_types.h"
#include "btf_view.h"
#include "core_btf.h"

/* The ID of the named type of kind `kind` in btf, or a negative errno. */
static int find(const struct btf *btf, const char *name, int kind)
{
	return btf__find_by_name_kind(btf, name, kind);
}

/* A kernel: every struct glassbox casts to, one task_struct worth looking at, and a
 * struct nothing names. ids[] gets the kernel IDs of the GB_KERNEL_TYPES structs. */
static struct btf *make_kernel(int skip_wanted, int *ids, int *task_id)
{
	static const char *const wanted[GB_KT_MAX] = {
#define GB_KT_NAME(e, name) [GB_KT_##e] = #name,
		GB_KERNEL_TYPES(GB_KT_NAME)
#undef GB_KT_NAME
	};
	struct btf *b = btf__new_empty();
	int u32, s32, chr, ptr_int, ns, arr, td, cst, task;

	assert_non_null(b);
	u32 = btf__add_int(b, "unsigned int", 4, 0);
	s32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	chr = btf__add_int(b, "char", 1, BTF_INT_SIGNED | BTF_INT_CHAR);
	ptr_int = btf__add_ptr(b, s32);
	/* struct ns_common { unsigned int inum; } embedded in task_struct below */
	ns = btf__add_struct(b, "ns_common_like", 4);
	btf__add_field(b, "inum", u32, 0, 0);
	arr = btf__add_array(b, u32, chr, 16);
	td = btf__add_typedef(b, "pid_t", s32);
	cst = btf__add_const(b, td);
	task = btf__add_struct(b, "task_struct", 48);
	btf__add_field(b, "flags", u32, 0, 0);
	btf__add_field(b, "prio", s32, 32, 3);       /* a bitfield: 3 bits at bit 32 */
	btf__add_field(b, "parent", ptr_int, 64, 0); /* a pointer: becomes void * */
	btf__add_field(b, "tgid", cst, 128, 0);      /* const pid_t: becomes int */
	btf__add_field(b, "ns", ns, 160, 0);         /* embedded: copied whole */
	btf__add_field(b, "comm", arr, 192, 0);
	*task_id = task;
	btf__add_struct(b, "unrelated", 4);
	btf__add_field(b, "x", u32, 0, 0);
	for (int k = 0; k < GB_KT_MAX; k++) {
		if (k == GB_KT_TASK_STRUCT) {
			ids[k] = task;
			continue;
		}
		if (k == skip_wanted) {
			ids[k] = 0;
			continue;
		}
		ids[k] = btf__add_struct(b, wanted[k], 4);
		btf__add_field(b, "x", u32, 0, 0);
	}
	return b;
}

/* The object's BTF: a flavor of task_struct, as core_fixes.bpf.h writes them. */
static struct btf *make_local(void)
{
	struct btf *b = btf__new_empty();
	int u32;

	assert_non_null(b);
	u32 = btf__add_int(b, "unsigned int", 4, 0);
	btf__add_struct(b, "task_struct___gb_old", 4);
	btf__add_field(b, "flags", u32, 0, 0);
	return b;
}

/* A view over btf's raw bytes, as glassbox reads the kernel's. */
static void view_of(const struct btf *btf, struct gb_btf_view *v)
{
	uint32_t size;
	const void *raw = btf__raw_data(btf, &size);

	assert_non_null(raw);
	assert_int_equal(gb_btf_view_init(v, raw, size), 0);
}

static void gb_btf_view__libbpf_btf__same_types_and_names(void **state)
{
	int ids[GB_KT_MAX], task_id;
	struct btf *kernel = make_kernel(-1, ids, &task_id);
	struct gb_btf_view v;
	const struct btf_type *t;

	view_of(kernel, &v);
	assert_int_equal(v.n, btf__type_cnt(kernel));
	for (uint32_t id = 1; id < v.n; id++) {
		t = gb_btf_view_type(&v, id);
		assert_memory_equal(t, btf__type_by_id(kernel, id), sizeof(*t));
		assert_string_equal(gb_btf_view_str(&v, t->name_off),
				    btf__name_by_offset(kernel, t->name_off));
	}
	assert_int_equal(gb_btf_view_find(&v, "task_struct", BTF_KIND_STRUCT), task_id);
	assert_int_equal(gb_btf_view_find(&v, "task_struct", BTF_KIND_UNION), -ENOENT);
	assert_null(gb_btf_view_type(&v, 0));
	assert_null(gb_btf_view_type(&v, v.n));
	gb_btf_view_close(&v);
	btf__free(kernel);
}

static void gb_btf_view_init__truncated_or_garbage__einval(void **state)
{
	int ids[GB_KT_MAX], task_id;
	struct btf *kernel = make_kernel(-1, ids, &task_id);
	struct gb_btf_view v;
	uint32_t size;
	const uint8_t *raw = btf__raw_data(kernel, &size);
	uint8_t junk[64] = { 0 };

	assert_int_equal(gb_btf_view_init(&v, raw, size - 5), -EINVAL); /* cut strings */
	assert_int_equal(gb_btf_view_init(&v, junk, sizeof(junk)), -EINVAL); /* no magic */
	assert_int_equal(gb_btf_view_init(&v, raw, 8), -EINVAL);
	btf__free(kernel);
}

static void gb_core_essential_len__flavors__cut_at_last_separator(void **state)
{
	assert_int_equal(gb_core_essential_len("task_struct"), 11);
	assert_int_equal(gb_core_essential_len("task_struct___old"), 11);
	assert_int_equal(gb_core_essential_len("ns_common___gb_id___x"), 17);
	/* "___" after an underscore or before one is no flavor */
	assert_int_equal(gb_core_essential_len("__dev___"), 8);
	assert_int_equal(gb_core_essential_len("a____b"), 6);
}

static void gb_core_btf_reduce__named_struct__kept_with_kernel_layout(void **state)
{
	int ids[GB_KT_MAX], task_id, id;
	struct btf *kernel = make_kernel(-1, ids, &task_id), *local = make_local(), *out = NULL;
	uint32_t got[GB_KT_MAX];
	const struct btf_type *t, *mt;
	const struct btf_member *m;
	struct gb_btf_view v;

	view_of(kernel, &v);
	assert_int_equal(gb_core_btf_reduce(&v, local, &out, got), 0);
	for (int k = 0; k < GB_KT_MAX; k++)
		assert_int_equal(got[k], ids[k]); /* the kernel's IDs, not the copy's */
	id = find(out, "task_struct", BTF_KIND_STRUCT);
	assert_true(id > 0);
	t = btf__type_by_id(out, id);
	assert_int_equal(t->size, 48);
	assert_int_equal(btf_vlen(t), 6);
	m = btf_members(t);
	assert_string_equal(btf__name_by_offset(out, m[1].name_off), "prio");
	assert_int_equal(btf_member_bit_offset(t, 1), 32);
	assert_int_equal(btf_member_bitfield_size(t, 1), 3);
	mt = btf__type_by_id(out, m[2].type);
	assert_true(btf_is_ptr(mt));
	assert_int_equal(mt->type, 0); /* void * */
	mt = btf__type_by_id(out, m[3].type);
	assert_true(btf_is_int(mt)); /* const and typedef dropped */
	assert_true(btf_int_encoding(mt) & BTF_INT_SIGNED);
	mt = btf__type_by_id(out, m[4].type);
	assert_true(btf_is_struct(mt));
	assert_int_equal(btf_vlen(mt), 1);
	assert_int_equal(btf_member_bit_offset(t, 4), 160);
	mt = btf__type_by_id(out, m[5].type);
	assert_true(btf_is_array(mt));
	assert_int_equal(btf_array(mt)->nelems, 16);
	/* nothing named it: not copied */
	assert_true(find(out, "unrelated", BTF_KIND_STRUCT) < 0);
	btf__free(out);
	btf__free(local);
	gb_btf_view_close(&v);
	btf__free(kernel);
}

static void gb_core_btf_reduce__kernel_lacks_cast_type__enoent(void **state)
{
	int ids[GB_KT_MAX], task_id;
	struct btf *kernel = make_kernel(GB_KT_UPID, ids, &task_id), *local = make_local();
	struct btf *out = (struct btf *)1;
	uint32_t got[GB_KT_MAX];
	struct gb_btf_view v;

	view_of(kernel, &v);
	assert_int_equal(gb_core_btf_reduce(&v, local, &out, got), -ENOENT);
	assert_null(out);
	btf__free(local);
	gb_btf_view_close(&v);
	btf__free(kernel);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gb_btf_view__libbpf_btf__same_types_and_names),
		cmocka_unit_test(gb_btf_view_init__truncated_or_garbage__einval),
		cmocka_unit_test(gb_core_essential_len__flavors__cut_at_last_separator),
		cmocka_unit_test(gb_core_btf_reduce__named_struct__kept_with_kernel_layout),
		cmocka_unit_test(gb_core_btf_reduce__kernel_lacks_cast_type__enoent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
