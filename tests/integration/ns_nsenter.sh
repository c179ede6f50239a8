#!/bin/bash
# nsenter from the host into the sandbox's network and PID namespaces. The host's
# nsenter is not traced, but its setns calls target traced namespaces, so they are
# reported with the inodes readlink shows; joining the PID namespace changes only
# pid_for_children; and nsenter's child, which lands in the sandbox, is reported with
# the PID the sandbox knows it by.
. "$(dirname "$0")/lib.sh"
need_root
command -v nsenter >/dev/null || skip "nsenter not installed"

MARK="gbnsenter$$"
"$GLASSBOX" run --json --output "$TMP/ev" -- sh -c "echo ready; while [ ! -e $TMP/stop ]; do sleep 0.05; done; : $MARK" >"$TMP/out" 2>"$TMP/err" &
gb=$!
on_exit "kill $gb; touch $TMP/stop"
for _ in $(seq 100); do grep -q ready "$TMP/out" 2>/dev/null && break; sleep 0.05; done
target=$(pgrep -f "^sh -c echo ready.*$MARK")
[ -n "$target" ] && ok "sandbox shell is host PID $target" || fail "no sandbox shell found"

sb_net=$(readlink /proc/$target/ns/net | tr -dc 0-9)
sb_pid=$(readlink /proc/$target/ns/pid | tr -dc 0-9)
host_net=$(readlink /proc/self/ns/net | tr -dc 0-9)
host_pid=$(readlink /proc/self/ns/pid | tr -dc 0-9)
# the child nsenter forks is in the sandbox: $$ there is its sandbox PID
nsenter -t "$target" -n -p sh -c "echo \$\$ >$TMP/inner; readlink /proc/self/ns/net >$TMP/inner_net" &
nse=$!
wait $nse
expect_eq "nsenter's status" $? 0
expect_eq "network namespace the child saw" "$(tr -dc 0-9 <"$TMP/inner_net")" "$sb_net"
inner=$(cat "$TMP/inner")
touch "$TMP/stop"
wait $gb
expect_eq "glassbox's status" $? 0

ev="$TMP/ev"
expect_eq "setns events" "$(jcount "$ev" '.event=="setns"')" 2
expect_eq "setns events (all from nsenter $nse)" \
	"$(jq -c 'select(.event=="setns") | .pid' "$ev" | sort -u | tr '\n' ' ')" "$nse "
expect_eq "setns into the network namespace [type, target inode, ret, changes]" \
	"$(jq -c 'select(.event=="setns" and .nstype_name=="net") | [.target_type, .target_ino, .ret, .changes]' "$ev")" \
	"[\"net\",$sb_net,0,[{\"type\":\"net\",\"old\":$host_net,\"new\":$sb_net}]]"
expect_eq "setns into the PID namespace [type, target inode, ret, changes]" \
	"$(jq -c 'select(.event=="setns" and .nstype_name=="pid") | [.target_type, .target_ino, .ret, .changes]' "$ev")" \
	"[\"pid\",$sb_pid,0,[{\"type\":\"pid_for_children\",\"old\":$host_pid,\"new\":$sb_pid}]]"
expect_eq "PID setns: own namespace stays, children go to the sandbox's" \
	"$(jq -c 'select(.event=="setns" and .nstype_name=="pid") | [.pid_for_children_changed, .own_pidns, .pid_for_children, .after.pid]' "$ev")" \
	"[true,$host_pid,$sb_pid,$host_pid]"
# nsenter itself is a host process: not visible from the sandbox
expect_eq "nsenter's PIDs in the setns events [host, sandbox, own]" \
	"$(jq -c 'select(.event=="setns") | [.pid, .ns_pid, .own_pid]' "$ev" | sort -u)" "[$nse,0,$nse]"
# its child landed in the sandbox: the clone is reported although nsenter is not traced
expect_eq "clone of nsenter's child [parent, child sandbox PID, own PID, level, pidns]" \
	"$(jq -c --argjson p "$nse" 'select(.event=="clone" and .pid == $p) | [.pid, .child_ns_pid, .child_own_pid, .child_level, .child_pidns]' "$ev")" \
	"[$nse,$inner,$inner,$(($(awk '/^NSpid:/ {print NF - 2}' /proc/self/status) + 1)),$sb_pid]"
expect_eq "exec of sh by that child, in the sandbox's network namespace" \
	"$(jq -c --argjson n "$inner" 'select(.event=="exec" and .ns_pid == $n) | [.filename, .netns]' "$ev" | head -1)" \
	"[\"$(command -v sh)\",$sb_net]"

# setns through a pidfd, both namespaces in one call (nsenter since util-linux 2.39)
"$GLASSBOX" run --json --output "$TMP/ev2" -- sh -c "echo ready; while [ ! -e $TMP/stop2 ]; do sleep 0.05; done; : $MARK-2" >"$TMP/out2" 2>"$TMP/err2" &
gb=$!
on_exit "kill $gb; touch $TMP/stop2"
for _ in $(seq 100); do grep -q ready "$TMP/out2" 2>/dev/null && break; sleep 0.05; done
target=$(pgrep -f "^sh -c echo ready.*$MARK-2")
sb_net=$(readlink /proc/$target/ns/net | tr -dc 0-9)
sb_pid=$(readlink /proc/$target/ns/pid | tr -dc 0-9)
"$HELPERS/pidfd_setns" "$target" sh -c "echo \$\$ >$TMP/inner2" &
pfd=$!
wait $pfd
expect_eq "pidfd_setns's status" $? 0
inner=$(cat "$TMP/inner2")
touch "$TMP/stop2"
wait $gb
ev="$TMP/ev2"
expect_eq "setns through a pidfd [caller, target type, target PID, nstype, ret, changes]" \
	"$(jq -c 'select(.event=="setns") | [.pid, .target_type, .target_pid, .nstype, .ret, .changes]' "$ev")" \
	"[$pfd,\"pidfd\",$target,$((0x60000000)),0,[{\"type\":\"pid_for_children\",\"old\":$host_pid,\"new\":$sb_pid},{\"type\":\"net\",\"old\":$host_net,\"new\":$sb_net}]]"
expect_eq "clone of its child into the sandbox [child sandbox PID, pidns]" \
	"$(jq -c --argjson p "$pfd" 'select(.event=="clone" and .pid == $p) | [.child_ns_pid, .child_pidns]' "$ev")" \
	"[$inner,$sb_pid]"
finish
