#!/bin/bash
# glassbox trace --pid PID and --pidns PATH on a PID + network namespace made on the
# host with unshare: PIDs are shown as that namespace sees them, the namespace's init
# exiting is the target going away (--exit-with-target), and a namespace nested inside
# is followed.
. "$(dirname "$0")/lib.sh"
need_root
command -v unshare >/dev/null || skip "unshare not installed"

MARK="gbtrpid$$"
host_level=$(($(awk '/^NSpid:/ {print NF - 2}' /proc/self/status)))

wait_tracing() { # FILE: the trace's stderr says it is attached
	for _ in $(seq 200); do grep -q "^glassbox: tracing" "$1" 2>/dev/null && return 0; sleep 0.05; done
	fail "trace never said it was tracing: $(cat "$1")"
}

# start_ns N: a new PID + network namespace whose init waits for $TMP/go.N, then runs
# a nested unshare -fp and exits 5; sets $init to the init's host PID
start_ns() {
	unshare -fpn --mount-proc sh -c "while [ ! -e $TMP/go.$1 ]; do sleep 0.02; done; unshare -fp sh -c 'echo \$\$ >$TMP/nested.$1'; exit 5; : $MARK" >/dev/null 2>&1 &
	on_exit "kill -KILL $!"
	init=""
	for _ in $(seq 100); do
		for p in $(pgrep -f "^sh -c while .*go.$1.*$MARK"); do
			[ "$(awk '/^NSpid:/ {print NF - 1}' /proc/$p/status)" = 2 ] && { init=$p; on_exit "kill -KILL $p"; return; }
		done
		sleep 0.05
	done
}

for how in pid pidns; do
	start_ns $how
	[ -n "$init" ] && ok "[$how] namespace init is host PID $init" || { fail "[$how] no init"; continue; }
	pidns=$(readlink /proc/$init/ns/pid | tr -dc 0-9)
	netns=$(readlink /proc/$init/ns/net | tr -dc 0-9)
	if [ $how = pid ]; then target=(--pid "$init"); else target=(--pidns "/proc/$init/ns/pid"); fi
	"$GLASSBOX" trace "${target[@]}" --exit-with-target --json --output "$TMP/ev.$how" 2>"$TMP/err.$how" &
	tr=$!
	on_exit "kill $tr"
	wait_tracing "$TMP/err.$how"
	grep -q "PID namespace $pidns (level $((host_level + 1)))" "$TMP/err.$how" && ok "[$how] trace names PID namespace $pidns" ||
		fail "[$how] stderr: $(cat "$TMP/err.$how")"
	touch "$TMP/go.$how"
	# the init exits 5: the namespace is gone, and trace ends by itself
	for _ in $(seq 100); do kill -0 $tr 2>/dev/null || break; sleep 0.05; done
	if kill -0 $tr 2>/dev/null; then
		fail "[$how] trace still running 5 s after the namespace's init exited"
		kill -TERM $tr
	fi
	wait $tr
	expect_eq "[$how] trace's status" $? 0
	ev="$TMP/ev.$how"
	lvl=$((host_level + 1))
	# the init as its own namespace sees it: PID 1, at the root of the trace
	expect_eq "[$how] exit of the namespace's init [host PID, ns PID, own PID, level, status, sandbox_init]" \
		"$(jq -c --argjson h "$init" 'select(.event=="exit" and .pid == $h) | [.pid, .ns_pid, .own_pid, .level, .exit_code, .sandbox_init]' "$ev")" \
		"[$init,1,1,$lvl,5,true]"
	# the nested namespace: unshare's child is PID 1 there, PID nested.N one level up
	nested=$(cat "$TMP/nested.$how" 2>/dev/null)
	expect_eq "[$how] nested shell's own PID (what it printed)" "$nested" 1
	expect_eq "[$how] clones into the nested namespace [ns PID > 1, own PID, level]" \
		"$(jq -c 'select(.event=="clone" and .child_level == '$((lvl + 1))' and .child_own_pid == 1) | [(.child_ns_pid > 1), .child_own_pid, .child_level]' "$ev")" \
		"[true,1,$((lvl + 1))]"
	expect_eq "[$how] unshare(CLONE_NEWPID) in the namespace" \
		"$(jcount "$ev" '.event=="unshare" and .ret == 0 and (.flags | index("CLONE_NEWPID")) and .level == '$lvl)" 1
	# --pid takes the process's network namespace too: there the host's unshare, which
	# made both namespaces, is traced; --pidns takes the PID namespace alone
	if [ $how = pid ]; then
		expect_eq "[$how] events from outside the PID namespace: unshare's, in its netns" \
			"$(jq -c 'select(.level < '$lvl') | [.comm, .netns]' "$ev" | sort -u)" "[\"unshare\",$netns]"
	else
		expect_eq "[$how] events from outside the PID namespace" "$(jcount "$ev" ".level < $lvl")" 0
	fi
done

# a PID namespace in the host's network namespace: --pid traces both, but waits only for
# the PID namespace (the host's network namespace never goes away)
unshare -fp --mount-proc sh -c "while [ ! -e $TMP/go.hostnet ]; do sleep 0.02; done; : $MARK" >/dev/null 2>&1 &
on_exit "kill -KILL $!"
init=""
for _ in $(seq 100); do
	init=$(pgrep -f "^sh -c while .*go.hostnet.*$MARK") && break
	sleep 0.05
done
"$GLASSBOX" trace --pid "$init" --exit-with-target --events exit --output /dev/null 2>"$TMP/err.hostnet" &
tr=$!
on_exit "kill $tr"
wait_tracing "$TMP/err.hostnet"
grep -q "network namespace $(readlink /proc/self/ns/net | tr -dc 0-9)" "$TMP/err.hostnet" &&
	ok "[host netns] the host's network namespace is traced too" || fail "stderr: $(cat "$TMP/err.hostnet")"
touch "$TMP/go.hostnet"
for _ in $(seq 100); do kill -0 $tr 2>/dev/null || break; sleep 0.05; done
if kill -0 $tr 2>/dev/null; then
	fail "[host netns] trace still running 5 s after the PID namespace's init exited"
	kill -TERM $tr
fi
wait $tr
expect_eq "[host netns] trace's status" $? 0
finish
