#!/bin/bash
# A short run of each libFuzzer harness (the escapers, the option parsers, the record-file reader and the
# printers behind it), under ASan and UBSan: `make fuzz` runs them longer.
. "$(dirname "$0")/lib.sh"
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' >"$TMP/t.c"
clang -fsanitize=fuzzer,address,undefined -o "$TMP/t" "$TMP/t.c" 2>/dev/null ||
	skip "clang cannot build libFuzzer harnesses (libclang-rt-dev missing)"
if make -s -C "$TOP" fuzz FUZZ_TIME="${GB_FUZZ_TIME:-5}"; then
	ok "every harness ran ${GB_FUZZ_TIME:-5} s without a finding"
else
	fail "a fuzz harness found a crash (see build/fuzz/)"
fi
finish
