#!/bin/bash
# Namespace inode numbers are reused as soon as a namespace is freed. A PID namespace
# the sandbox made and that has ended stays in the kernel-side filter; a host namespace
# that gets its inode number afterwards must not be traced.
. "$(dirname "$0")/lib.sh"
need_root

MARK="gbreuse$$"
"$GLASSBOX" run --json --output "$TMP/ev" -- sh -c "unshare -fp sh -c 'readlink /proc/self/ns/pid >$TMP/ino'; touch $TMP/nested_done; while [ ! -e $TMP/stop ]; do sleep 0.05; done" 2>"$TMP/err" &
gb=$!
on_exit "kill $gb; touch $TMP/stop"
for _ in $(seq 200); do [ -e "$TMP/nested_done" ] && break; sleep 0.02; done
ino=$(tr -dc 0-9 <"$TMP/ino")
[ -n "$ino" ] && ok "the sandbox's nested PID namespace was $ino, and has ended" || fail "no inode from inside"
# new PID namespaces on the host until one gets that inode number; in it, a marked exec
reused=0
for i in $(seq 200); do
	got=$(unshare -fp sh -c "i=\$(readlink /proc/self/ns/pid | tr -dc 0-9); [ \"\$i\" = $ino ] && /bin/true $MARK; echo \$i")
	[ "$got" = "$ino" ] && { reused=$i; break; }
done
touch "$TMP/stop"
wait $gb
expect_eq "glassbox's status" $? 0
[ $reused -gt 0 ] || skip "the kernel gave inode $ino to none of 200 new PID namespaces (busy machine)"
ok "host PID namespace number $reused got inode $ino"
expect_eq "events from the host's namespace that reused the inode" \
	"$(jcount "$TMP/ev" '(.argv // [] | index("'$MARK'")) or .level == 0')" 0
expect_eq "events of the sandbox's own nested namespace (its exec of sh and readlink)" \
	"$(jcount "$TMP/ev" '.event=="exec" and .pidns == '"$ino")" 2
finish
