/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * CO-RE against a reduced copy of the kernel's BTF. libbpf 1.1 looks for each struct a
 * BPF object reads by scanning every type of the kernel's BTF (127k here, about 1.3 ms
 * each): 60 ms of every glassbox start for some 45 structs. The copy holds only the
 * kernel types whose names the object's own BTF carries, with the structs and arrays
 * they embed, pointers turned into void * (CO-RE never follows a pointer within one
 * relocation), modifiers and typedefs of members dropped (CO-RE looks through them).
 * Member names, offsets, sizes, bitfields and int encodings are the kernel's: every
 * field relocation resolves as it would against the whole.
 */
#ifndef GB_CORE_BTF_H
#define GB_CORE_BTF_H
#include <stddef.h>
#include <stdint.h>

struct btf;
struct gb_btf_view;

/*
 * From the kernel's BTF and a BPF object's own: the reduced copy (free with btf__free)
 * in *out, and the kernel BTF ID of every struct of include/glassbox/kernel_types.h in
 * kernel_ids[GB_KT_MAX]. -ENOENT if one of those is missing, -errno otherwise.
 */
int gb_core_btf_reduce(const struct gb_btf_view *kernel, const struct btf *local,
		       struct btf **out, uint32_t *kernel_ids);

/* libbpf's bpf_core_essential_name_len(): "task_struct___old" -> 11 */
size_t gb_core_essential_len(const char *name);

#endif
