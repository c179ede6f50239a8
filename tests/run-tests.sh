#!/bin/bash
# Run every unit test (cmocka binaries in build/tests) and every integration test
# (tests/integration/*.sh, as root). Prints one line per test and closes with
# "N passed, N failed"; exits non-zero if anything failed.
# Integration tests exit 0 (pass), 1 (fail) or 77 (skip: a privilege or kernel feature
# is missing). Under CI=true a skip counts as a failure: CI is known to have both.
set -u
cd "$(dirname "$0")/.." || exit 1
unit_only=0
[ "${1:-}" = "--unit-only" ] && unit_only=1 && shift
filter="${1:-}"
passed=0 failed=0 skipped=0
failures=()

# build/tests: as built; build/san/tests: the same under ASan + UBSan
for t in build/tests/test_* build/san/tests/test_*; do
	[ -x "$t" ] || continue
	[ -n "$filter" ] && [[ "$t" != *"$filter"* ]] && continue
	kind=unit; [[ "$t" == build/san/* ]] && kind=unit-asan-ubsan
	log="$t.log"
	if "$t" >"$log" 2>&1; then
		passed=$((passed + 1)); echo "PASS $kind/$(basename "$t")"
	else
		failed=$((failed + 1)); failures+=("$kind/$(basename "$t")")
		echo "FAIL $kind/$(basename "$t")"; sed 's/^/    /' "$log"
	fi
done

if [ "$unit_only" = 0 ]; then
	mkdir -p build/integration
	for t in tests/integration/*.sh; do
		[ -e "$t" ] || continue
		[ "$(basename "$t")" = lib.sh ] && continue
		[ -n "$filter" ] && [[ "$t" != *"$filter"* ]] && continue
		name=$(basename "$t" .sh)
		log="build/integration/$name.log"
		start=$(date +%s)
		timeout --kill-after=10 "${GB_TEST_TIMEOUT:-600}" bash "$t" >"$log" 2>&1
		rc=$?
		dur=$(( $(date +%s) - start ))
		if [ $rc = 0 ]; then
			passed=$((passed + 1)); echo "PASS integration/$name (${dur}s)"
		elif [ $rc = 77 ] && [ "${CI:-}" != true ]; then
			skipped=$((skipped + 1)); echo "SKIP integration/$name: $(tail -n 1 "$log")"
		else
			failed=$((failed + 1)); failures+=("integration/$name")
			echo "FAIL integration/$name (rc=$rc, ${dur}s)"; tail -n 40 "$log" | sed 's/^/    /'
		fi
	done
fi

echo
[ ${#failures[@]} -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" = 0 ]
