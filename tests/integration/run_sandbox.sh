#!/bin/bash
# glassbox run: the sandbox's PID view, /proc, exit statuses, --as-pid1.
. "$(dirname "$0")/lib.sh"
need_root

out=$("$GLASSBOX" run --output "$TMP/ev" -- sh -c 'echo $$' 2>/dev/null)
expect_eq "PID of the shell inside the sandbox" "$out" 2

out=$("$GLASSBOX" run --as-pid1 --output "$TMP/ev" -- sh -c 'echo $$' 2>/dev/null)
expect_eq "PID of the shell with --as-pid1" "$out" 1

# /proc shows the sandbox alone: init, sh and ps itself
out=$("$GLASSBOX" run --output "$TMP/ev" -- sh -c 'ps -e -o pid=,comm=' 2>/dev/null | awk '{print $1":"$2}' | tr '\n' ' ')
expect_eq "ps -e inside" "$out" "1:glassbox-init 2:sh 3:ps "

# the host's /proc is untouched: the sandbox's mount did not propagate
host_proc_before=$(grep -c ' /proc ' /proc/self/mountinfo)
"$GLASSBOX" run --output "$TMP/ev" -- true 2>/dev/null
expect_eq "mounts on /proc in the host namespace" "$(grep -c ' /proc ' /proc/self/mountinfo)" "$host_proc_before"

# the sandbox has its own PID and network namespaces, not the host's
host_pidns=$(readlink /proc/self/ns/pid)
in_pidns=$("$GLASSBOX" run --output "$TMP/ev" -- readlink /proc/self/ns/pid 2>/dev/null)
[ -n "$in_pidns" ] && [ "$in_pidns" != "$host_pidns" ] && ok "new PID namespace ($in_pidns)" ||
	fail "PID namespace inside is '$in_pidns', host's is '$host_pidns'"
host_netns=$(readlink /proc/self/ns/net)
in_netns=$("$GLASSBOX" run --output "$TMP/ev" -- readlink /proc/self/ns/net 2>/dev/null)
[ -n "$in_netns" ] && [ "$in_netns" != "$host_netns" ] && ok "new network namespace" ||
	fail "network namespace inside is '$in_netns', host's is '$host_netns'"
in_netns=$("$GLASSBOX" run --share-net --output "$TMP/ev" -- readlink /proc/self/ns/net 2>/dev/null)
expect_eq "network namespace with --share-net" "$in_netns" "$host_netns"

# exit statuses as bwrap and unshare give them
"$GLASSBOX" run --output "$TMP/ev" -- sh -c 'exit 7' 2>/dev/null
expect_eq "exit status" $? 7
"$GLASSBOX" run --output "$TMP/ev" -- sh -c 'kill -TERM $$' 2>/dev/null
expect_eq "status when SIGTERM ended COMMAND" $? 143
"$GLASSBOX" run --as-pid1 --output "$TMP/ev" -- sh -c 'exit 5' 2>/dev/null
expect_eq "exit status with --as-pid1" $? 5
"$GLASSBOX" run --output "$TMP/ev" -- sh -c 'kill -SEGV $$' 2>/dev/null
expect_eq "status when SIGSEGV ended COMMAND" $? 139

# the summary line counts what was printed
"$GLASSBOX" run --json --output "$TMP/ev" -- sh -c 'true' 2>"$TMP/err"
printed=$(wc -l <"$TMP/ev")
summary=$(grep -o '^glassbox: [0-9]* events' "$TMP/err" | awk '{print $2}')
expect_eq "events in the summary line" "$summary" "$printed"
grep -q ', 0 lost$' "$TMP/err" && ok "summary reports 0 lost" || fail "summary: $(cat "$TMP/err")"

# the exit of the sandbox's PID 1 is marked
expect_eq "exit events marked sandbox_init" \
	"$(jcount "$TMP/ev" '.event=="exit" and .sandbox_init==true and .ns_pid==1')" 1
finish
