#!/bin/bash
# glassbox trace --netns NAME on a namespace made with ip netns add: it sees what
# `ip netns exec NAME sh -c ...` does, exactly, and nothing of the host's running at the
# same time; with --exit-with-target it ends by itself once the namespace has no name
# and no process left.
. "$(dirname "$0")/lib.sh"
need_root
command -v ip >/dev/null || skip "ip (iproute2) not installed"

NS="gbtr$$"
MARK="gbtrace$$"
HOSTMARK="gbhost$$"
ip netns add "$NS" || { fail "ip netns add $NS"; finish; }
on_exit "ip netns del $NS"
ino=$(stat -L -c %i "/run/netns/$NS")
host_net=$(readlink /proc/self/ns/net | tr -dc 0-9)

wait_tracing() { # FILE: the trace's stderr says it is attached
	for _ in $(seq 200); do grep -q "^glassbox: tracing" "$1" 2>/dev/null && return 0; sleep 0.05; done
	fail "trace never said it was tracing: $(cat "$1")"
}

"$GLASSBOX" trace --netns "$NS" --json --output "$TMP/ev" 2>"$TMP/err" &
tr=$!
on_exit "kill $tr"
wait_tracing "$TMP/err"
grep -q "network namespace $ino" "$TMP/err" && ok "trace names namespace $ino" || fail "stderr: $(cat "$TMP/err")"
# the host keeps busy meanwhile, with its own marker
( for _ in $(seq 20); do sh -c ": $HOSTMARK"; /bin/true "$HOSTMARK"; done ) &
host=$!
ip netns exec "$NS" sh -c "ip link set lo up; /bin/true $MARK; kill -0 999999 2>/dev/null; exit 3"
expect_eq "status of ip netns exec" $? 3
wait $host
sleep 0.3 # past the consumer's 100 ms poll
kill -TERM $tr
wait $tr
expect_eq "trace's status after SIGTERM" $? 0

ev="$TMP/ev"
expect_eq "setns events" "$(jcount "$ev" '.event=="setns"')" 1
ipnet=$(jq 'select(.event=="setns") | .pid' "$ev")
expect_eq "setns by ip netns exec [target type, inode, ret, changes]" \
	"$(jq -c 'select(.event=="setns") | [.target_type, .target_ino, .ret, .changes]' "$ev")" \
	"[\"net\",$ino,0,[{\"type\":\"net\",\"old\":$host_net,\"new\":$ino}]]"
expect_eq "exec events [filename, argv]" \
	"$(jq -c 'select(.event=="exec") | [.filename, .argv[-1]]' "$ev" | tr '\n' ' ')" \
	"[\"/usr/bin/sh\",\"ip link set lo up; /bin/true $MARK; kill -0 999999 2>/dev/null; exit 3\"] [\"/usr/sbin/ip\",\"up\"] [\"/bin/true\",\"$MARK\"] "
expect_eq "clone events (sh forks ip and true)" \
	"$(jcount "$ev" '.event=="clone" and .pid == '"$ipnet"' and .ret > 0')" 2
expect_eq "failed kill [syscall, target, error]" \
	"$(jq -c 'select(.event=="signal_failed") | [.syscall, .target_pid_arg, .sig, .error]' "$ev")" \
	'["kill",999999,0,"ESRCH"]'
expect_eq "exit status of the shell" \
	"$(jq -c 'select(.event=="exit" and .pid == '"$ipnet"') | .exit_code' "$ev")" 3
# nothing from the host: every event is by the process that entered or a child of it
tree=$(jq -s -c '[.[] | select(.event=="setns") | .pid] + [.[] | select(.event=="clone" and .ret > 0) | .child_pid] | sort' "$ev")
expect_eq "events by processes outside that tree" \
	"$(jq -c --argjson t "$tree" 'select(.pid as $p | $t | index($p) | not)' "$ev" | wc -l)" 0
expect_eq "events mentioning the host's marker" "$(grep -c "$HOSTMARK" "$ev")" 0
expect_eq "events in another network namespace (0: an exiting task has none left)" \
	"$(jcount "$ev" ".netns != $ino and .netns != 0")" 0

# --exit-with-target: alive while a process is in it, even once the name is gone
"$GLASSBOX" trace --netns "$NS" --exit-with-target --json --output "$TMP/ev2" 2>"$TMP/err2" &
tr=$!
on_exit "kill $tr"
wait_tracing "$TMP/err2"
ip netns exec "$NS" sleep 1.5 &
sleeper=$!
sleep 0.3
ip netns del "$NS"
sleep 0.6
kill -0 $tr 2>/dev/null && ok "trace still running: the name is gone, a process is in it" ||
	fail "trace ended while a process was still in the namespace"
wait $sleeper
for i in $(seq 60); do kill -0 $tr 2>/dev/null || break; sleep 0.05; done
if kill -0 $tr 2>/dev/null; then
	fail "trace still running 3 s after the namespace's last process exited"
	kill -TERM $tr
fi
wait $tr
expect_eq "trace's status when the namespace is gone" $? 0
expect_eq "exec of sleep seen before" "$(jcount "$TMP/ev2" '.event=="exec" and .filename=="/usr/bin/sleep" and .netns=='"$ino")" 1
finish
