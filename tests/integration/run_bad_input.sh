#!/bin/bash
# Bad input: one clear line on stderr, the documented exit code, nothing created.
. "$(dirname "$0")/lib.sh"
need_root

# check CMD... : expected status, exactly one line on stderr starting "glassbox: "
check() {
	local want=$1 what=$2; shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	local rc=$? lines
	lines=$(wc -l <"$TMP/err")
	if [ $rc = "$want" ] && [ "$lines" = 1 ] && grep -q '^glassbox: ' "$TMP/err"; then
		ok "$what: exit $rc, '$(cat "$TMP/err")'"
	else
		fail "$what: exit $rc (want $want), stderr ($lines lines): $(head -c 300 "$TMP/err")"
	fi
}

check 2 "unknown option" "$GLASSBOX" run --frobnicate -- true
check 2 "unknown subcommand" "$GLASSBOX" frobnicate
check 2 "no COMMAND" "$GLASSBOX" run
check 2 "option without value" "$GLASSBOX" run --output
check 2 "bad --events" "$GLASSBOX" run --events clone,forks -- true
check 2 "bad --ring-size" "$GLASSBOX" run --ring-size 12345 -- true
check 2 "bad --cap-add" "$GLASSBOX" run --cap-add CAP_FLY -- true
check 2 "bad --cap-drop list" "$GLASSBOX" run --cap-drop net_admin, -- true
check 2 "bad --user" "$GLASSBOX" run --user nobody -- true
check 2 "out-of-range --user" "$GLASSBOX" run --user 4294967295 -- true
check 2 "bad --stop-timeout" "$GLASSBOX" run --stop-timeout 2s -- true
check 2 "out-of-range --stop-timeout" "$GLASSBOX" run --stop-timeout 99999 -- true
check 2 "bad --pid-view" "$GLASSBOX" run --pid-view guest -- true
check 2 "probe with an argument" "$GLASSBOX" probe --all
check 127 "COMMAND not found" "$GLASSBOX" run --output "$TMP/nf" -- /nonexistent/cmd
check 127 "COMMAND not in PATH" "$GLASSBOX" run --output "$TMP/nf" -- no-such-command-$$
printf '#!/bin/sh\n' >"$TMP/noexec"; chmod 0644 "$TMP/noexec"
check 126 "COMMAND not executable" "$GLASSBOX" run --output "$TMP/nf" -- "$TMP/noexec"
[ ! -e "$TMP/nf" ] && ok "no output file created on bad COMMAND" || fail "output file created"
check 4 "kernel without BTF (probe forced to fail)" env GLASSBOX_PROBE_DISABLE=btf "$GLASSBOX" run --output "$TMP/nf" -- true
check 4 "no attach method left (probes forced to fail)" env GLASSBOX_PROBE_DISABLE=tp_btf,raw_tp,tracepoint "$GLASSBOX" run --output "$TMP/nf" -- true
[ ! -e "$TMP/nf" ] && ok "no output file created on missing feature" || fail "output file created"
check 1 "unwritable --output" "$GLASSBOX" run --output /proc/version/x -- true

if command -v setpriv >/dev/null; then
	check 3 "not root" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$GLASSBOX" run -- true
	check 3 "root without CAP_SYS_ADMIN" setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin "$GLASSBOX" run -- true
else
	fail "setpriv (util-linux) missing"
fi
# nothing left running
no_process_matching "glassbox-init"
finish
