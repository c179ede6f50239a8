# Shared by the integration tests: source it first.
# Each test prints what it checks; `fail` records a failure and the test goes on so that
# cleanup still runs; `finish` exits 1 if anything failed. `skip` exits 77 (the runner
# turns a skip into a failure under CI=true).
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
GLASSBOX="$TOP/glassbox"
HELPERS="$TOP/build/helpers"
TMP=$(mktemp -d /tmp/gbtest.XXXXXX)
FAILS=0
CLEANUPS=()

fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
ok() { echo "ok: $*"; }
skip() { echo "SKIP: $*"; exit 77; }
# on_exit CMD...: run at exit, last added first
on_exit() { CLEANUPS+=("$*"); }
_cleanup() {
	local i
	for ((i = ${#CLEANUPS[@]} - 1; i >= 0; i--)); do eval "${CLEANUPS[$i]}" >/dev/null 2>&1; done
	rm -rf "$TMP"
}
trap _cleanup EXIT

finish() {
	if [ "$FAILS" -gt 0 ]; then echo "$FAILS check(s) failed"; exit 1; fi
	echo "all checks passed"; exit 0
}

need_root() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	[ -x "$GLASSBOX" ] || { echo "FAIL: $GLASSBOX not built"; exit 1; }
}

# expect_eq WHAT GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1 = $3"; else fail "$1: got '$2', want '$3'"; fi
}

# jcount FILE JQ-FILTER: how many JSON lines match a select() filter
jcount() { jq -c "select($2)" "$1" | wc -l | tr -d ' '; }

# No process of glassbox's is left (children of the test's glassbox are found by the
# marker string the test passes in COMMAND's arguments).
no_process_matching() {
	local p live=""
	# zombies waiting for the host's init to reap them hold nothing: not a leak
	for p in $(pgrep -f "$1"); do
		case "$(ps -o stat= -p "$p" 2>/dev/null)" in ""|Z*) ;; *) live="$live $p" ;; esac
	done
	if [ -n "$live" ]; then
		fail "processes left: $(pgrep -af "$1" | head -5)"
	else
		ok "no process matching '$1' left"
	fi
}
