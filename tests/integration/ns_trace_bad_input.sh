#!/bin/bash
# glassbox trace with bad targets: a PID that does not exist or has exited (a zombie,
# whose namespaces are gone), a path that is not a namespace, a namespace of the wrong
# type, and usage mistakes. One line on stderr, a non-zero exit, nothing left running.
. "$(dirname "$0")/lib.sh"
need_root

# check STATUS WHAT CMD...: that status, exactly one stderr line starting "glassbox: "
# that matches the pattern in $PAT
check() {
	local want=$1 what=$2; shift 2
	timeout 10 "$@" >"$TMP/out" 2>"$TMP/err"
	local rc=$? lines
	lines=$(wc -l <"$TMP/err")
	if [ $rc = "$want" ] && [ "$lines" = 1 ] && grep -q "^glassbox: trace: .*$PAT" "$TMP/err"; then
		ok "$what: exit $rc, '$(cat "$TMP/err")'"
	else
		fail "$what: exit $rc (want $want), stderr ($lines lines, want /$PAT/): $(head -c 300 "$TMP/err")"
	fi
}

# a PID no process has: above the kernel's pid_max
pid_max=$(cat /proc/sys/kernel/pid_max)
PAT="no such process" check 1 "--pid of no process" "$GLASSBOX" trace --pid $((pid_max + 1))
PAT="not a process ID" check 2 "--pid not a number" "$GLASSBOX" trace --pid 12ab
PAT="not a process ID" check 2 "--pid 0" "$GLASSBOX" trace --pid 0

# a zombie: exited, not yet reaped, its namespaces already released
sh -c 'sleep 0 & exec sleep 3' &
parent=$!
on_exit "kill $parent"
zombie=""
for _ in $(seq 100); do
	zombie=$(pgrep -P $parent)
	[ -n "$zombie" ] && [ "$(ps -o stat= -p "$zombie")" = Z ] && break
	sleep 0.02
done
expect_eq "a zombie to trace" "$(ps -o stat= -p "$zombie")" Z
PAT="exited during set-up" check 1 "--pid of a zombie" "$GLASSBOX" trace --pid "$zombie"

PAT="no network namespace named" check 1 "--netns NAME that does not exist" \
	"$GLASSBOX" trace --netns "gbnone$$"
PAT="is not a namespace" check 1 "--netns PATH that is a regular file" \
	"$GLASSBOX" trace --netns /etc/hostname
PAT="is not a namespace" check 1 "--pidns PATH that is a directory" "$GLASSBOX" trace --pidns /tmp
PAT="cannot open" check 1 "--pidns PATH that does not exist" "$GLASSBOX" trace --pidns "$TMP/none"
PAT="is a PID namespace, not a network namespace" check 1 "--netns given a PID namespace" \
	"$GLASSBOX" trace --netns /proc/self/ns/pid
PAT="is a network namespace, not a PID namespace" check 1 "--pidns given a network namespace" \
	"$GLASSBOX" trace --pidns /proc/self/ns/net
PAT="is a mount namespace, not a PID namespace" check 1 "--pidns given a mount namespace" \
	"$GLASSBOX" trace --pidns /proc/self/ns/mnt

PAT="nothing to trace" check 2 "no target" "$GLASSBOX" trace
PAT="takes no other target" check 2 "--all with --pid" "$GLASSBOX" trace --all --pid $$
PAT="not --all" check 2 "--all with --exit-with-target" "$GLASSBOX" trace --all --exit-with-target
PAT="runs no command" check 2 "a command after the options" "$GLASSBOX" trace --pid $$ -- true
PAT="unknown option" check 2 "unknown option" "$GLASSBOX" trace --frobnicate
no_process_matching "glassbox trace"
finish
