# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# glassbox: build the BPF object, its skeleton, the CLI, and the tests.
#   make            build ./glassbox
#   make test       install missing Debian packages, build, run unit + integration tests
#   make bench      run the benchmark (prints one table)
#   make fuzz       run each libFuzzer harness for FUZZ_TIME seconds (default 30)
#   make vmlinux    regenerate vmlinux/<arch>/vmlinux.h from the running kernel
#   make V=1        show full commands

.DELETE_ON_ERROR:

OUT        := build
PREFIX     ?= /usr/local
DESTDIR    ?=
CC         ?= cc
CLANG      ?= clang
LLVM_STRIP ?= llvm-strip
BPFTOOL    ?= bpftool
PKG_CONFIG ?= pkg-config

# Kernel names for the architecture, as bpf_tracing.h wants them.
ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' \
	-e 's/ppc64le/powerpc/' -e 's/s390x/s390/' -e 's/riscv64/riscv/')
ifeq ($(filter x86 arm64 powerpc s390 riscv,$(ARCH)),)
$(error unsupported architecture $(shell uname -m))
endif
VMLINUX_DIR := vmlinux/$(ARCH)

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

PKGS        := libbpf libmnl libnftables zlib
PKG_CFLAGS  := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lelf -lz -pthread

CFLAGS      ?= -g -O2
WARNFLAGS   := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wformat=2 -Wno-format-nonliteral
ALL_CFLAGS  := $(CFLAGS) $(WARNFLAGS) -std=gnu11 -D_GNU_SOURCE -Iinclude -Isrc -I$(OUT) \
	$(PKG_CFLAGS) $(EXTRA_CFLAGS) -MMD -MP
ALL_LDFLAGS := $(LDFLAGS) $(EXTRA_LDFLAGS)

BPF_CFLAGS  := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Wno-unused-function \
	-I$(VMLINUX_DIR) -Iinclude -Ibpf -MMD -MP

BPF_SRCS    := $(sort $(wildcard bpf/*.bpf.c))
# maps.bpf.o first: the libbpf 1.1 linker fails to relocate a program whose object it
# links before the one defining the maps it uses
BPF_OBJS    := $(OUT)/bpf/maps.bpf.o \
	$(filter-out $(OUT)/bpf/maps.bpf.o,$(patsubst bpf/%.bpf.c,$(OUT)/bpf/%.bpf.o,$(BPF_SRCS)))
# The process and signal handlers are compiled twice: alone, with probe reads, for their
# raw_tp and tracepoint programs, and in bpf/typed.bpf.c, with plain loads, for tp_btf
# (bpf/read.bpf.h). The syscall boundary programs are compiled twice too, with and without
# bpf_loop (bpf/ns_compat.bpf.c includes bpf/ns.bpf.c).
BPF_TWICE   := process signal
SKEL        := $(OUT)/glassbox.skel.h

SRCS        := $(sort $(wildcard src/*.c))
OBJS        := $(patsubst src/%.c,$(OUT)/src/%.o,$(SRCS))
LIB_OBJS    := $(filter-out $(OUT)/src/main.o,$(OBJS))
LIB         := $(OUT)/libglassbox.a

UNIT_SRCS   := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS   := $(patsubst tests/unit/%.c,$(OUT)/tests/%,$(UNIT_SRCS))
HELPER_SRCS := $(sort $(wildcard tests/helpers/*.c))
HELPER_BINS := $(patsubst tests/helpers/%.c,$(OUT)/helpers/%,$(HELPER_SRCS))

.PHONY: all clean test unit integration deps bench vmtest vmlinux install uninstall format demo

all: glassbox

glassbox: $(OUT)/src/main.o $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(LIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# Every BPF source compiles alone; bpftool links them into one object so all programs
# share one ring buffer and one filter map behind one skeleton.
$(OUT)/bpf/%.bpf.o: bpf/%.bpf.c | $(OUT)/bpf
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(BPF_VARIANT) -c $< -o $@

$(patsubst %,$(OUT)/bpf/%.bpf.o,$(BPF_TWICE)): BPF_VARIANT := -DGB_RAW_ONLY

$(OUT)/glassbox.bpf.o: $(BPF_OBJS)
	$(call msg,GEN-OBJ,$@)
	$(Q)$(BPFTOOL) gen object $@ $^

$(SKEL): $(OUT)/glassbox.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name glassbox_bpf > $@

# Only the file that opens the skeleton needs it, but making it an order-only
# prerequisite of every object keeps -j safe without listing users by hand.
$(OUT)/src/%.o: src/%.c | $(OUT)/src $(SKEL)
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(OUT)/tests/%: tests/unit/%.c $(LIB) | $(OUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) -lcmocka

$(OUT)/helpers/%: tests/helpers/%.c | $(OUT)/helpers
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< -lpthread

$(OUT)/bpf $(OUT)/src $(OUT)/tests $(OUT)/helpers $(OUT)/fuzz:
	$(Q)mkdir -p $@

deps:
	$(Q)./scripts/install-deps.sh

# `make test` is what CI and the README run: dependencies, build, every test.
# The unit tests run twice: as built, and under AddressSanitizer + UBSan (build/san).
SAN_FLAGS := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
test: deps
	$(Q)$(MAKE) --no-print-directory all helpers unit-bins
	$(Q)$(MAKE) --no-print-directory OUT=$(OUT)/san CFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" unit-bins
	$(Q)./tests/run-tests.sh

# libFuzzer harnesses (clang, ASan, UBSan) for the escapers and the record-file reader,
# built from the sources they exercise; corpora grow in build/fuzz/corpus-*.
FUZZ_TIME   ?= 30
FUZZ_CC     ?= clang
FUZZ_FLAGS  := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-std=gnu11 -D_GNU_SOURCE -Iinclude -Isrc
FUZZ_SRCS   := src/outbuf.c src/record.c src/sink.c src/util.c src/decode.c src/syscalls.c \
	src/out_json.c \
	src/out_table.c src/tree.c src/options.c src/net_opts.c src/harden.c src/filter.c
FUZZ_BINS   := $(patsubst tests/fuzz/%.c,$(OUT)/fuzz/%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))

$(OUT)/fuzz/%: tests/fuzz/%.c $(FUZZ_SRCS) $(wildcard src/*.h include/glassbox/*.h) | $(OUT)/fuzz
	$(call msg,FUZZ-CC,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_SRCS) -lz -pthread

.PHONY: fuzz fuzz-bins
fuzz-bins: $(FUZZ_BINS)
fuzz: fuzz-bins
	$(Q)for f in $(FUZZ_BINS); do \
		n=$$(basename $$f); mkdir -p $(OUT)/fuzz/corpus-$$n; \
		echo "  FUZZ     $$n for $(FUZZ_TIME) s"; \
		$$f -max_total_time=$(FUZZ_TIME) -max_len=65536 -print_final_stats=1 \
			-artifact_prefix=$(OUT)/fuzz/$$n- $(OUT)/fuzz/corpus-$$n \
			$$( [ -d tests/fuzz/seeds/$$n ] && echo tests/fuzz/seeds/$$n ) \
			>$(OUT)/fuzz/$$n.log 2>&1 || { tail -n 40 $(OUT)/fuzz/$$n.log; exit 1; }; \
		grep -E '^stat::number_of_executed_units' $(OUT)/fuzz/$$n.log | sed 's/^/           /'; \
	done

.PHONY: unit-bins helpers
unit-bins: $(UNIT_BINS)
helpers: $(HELPER_BINS)

unit: unit-bins
	$(Q)./tests/run-tests.sh --unit-only

# The README's first command: set up, build, and run a small sandboxed example.
DEMO_CMD := sh -c 'echo "inside: pid $$$$"; ps -e; sleep 0.2 & kill -USR1 $$!; wait; exit 3'
demo: deps
	$(Q)$(MAKE) --no-print-directory all
	./glassbox run -- $(DEMO_CMD); echo "glassbox exited with $$?"

bench: deps
	$(Q)$(MAKE) --no-print-directory all helpers
	$(Q)./bench/run.sh

# The integration tests on Debian 12's own kernel (6.1) in QEMU: tests/vm/run-vm.sh.
# T=name runs the tests whose name contains it.
vmtest: deps
	$(Q)$(MAKE) --no-print-directory all helpers
	$(Q)./tests/vm/run-vm.sh $(T)

vmlinux:
	$(Q)mkdir -p $(VMLINUX_DIR)
	$(Q)v=$$(uname -r | awk -F. '{print $$1 $$2}'); \
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $(VMLINUX_DIR)/vmlinux_$$v.h && \
	ln -sf vmlinux_$$v.h $(VMLINUX_DIR)/vmlinux.h && echo "  GEN      $(VMLINUX_DIR)/vmlinux_$$v.h"

install: glassbox
	install -D -m 0755 glassbox $(DESTDIR)$(PREFIX)/sbin/glassbox
	@if [ -f doc/glassbox.8 ]; then install -D -m 0644 doc/glassbox.8 $(DESTDIR)$(PREFIX)/share/man/man8/glassbox.8; fi
	@if [ -f doc/glassbox.bash-completion ]; then install -D -m 0644 doc/glassbox.bash-completion \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/glassbox; fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/glassbox $(DESTDIR)$(PREFIX)/share/man/man8/glassbox.8 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/glassbox

format:
	clang-format -i src/*.c src/*.h bpf/*.c bpf/*.h include/glassbox/*.h tests/unit/*.c

clean:
	rm -rf $(OUT) glassbox

-include $(wildcard $(OUT)/src/*.d $(OUT)/bpf/*.d $(OUT)/tests/*.d)
