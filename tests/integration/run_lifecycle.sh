#!/bin/bash
# Signals to glassbox reach COMMAND through the sandbox's init; SIGKILL of glassbox
# takes the whole sandbox with it and leaves nothing behind.
. "$(dirname "$0")/lib.sh"
need_root
# job control: a script's background jobs otherwise start with SIGINT ignored, and
# glassbox keeps a signal it was started ignoring ignored
set -m
MARK="gbtest-life-$$"

# SIGTERM to glassbox -> init -> COMMAND, which traps it and exits 42
"$GLASSBOX" run --json --output "$TMP/ev" -- sh -c "trap 'exit 42' TERM; echo ready; while :; do sleep 0.05; done; : $MARK" >"$TMP/out" 2>/dev/null &
gb=$!
for _ in $(seq 100); do grep -q ready "$TMP/out" 2>/dev/null && break; sleep 0.05; done
kill -TERM $gb
wait $gb
expect_eq "status after SIGTERM to glassbox (COMMAND trapped it)" $? 42
expect_eq "SIGTERM generated for the shell by the sandbox's init" \
	"$(jcount "$TMP/ev" '.event=="signal_generate" and .sig==15 and .ns_pid==1 and .target_ns_pid==2')" 1

# SIGHUP and SIGUSR2 are forwarded too; an untrapped SIGUSR2 ends the shell: 128+12
"$GLASSBOX" run --output "$TMP/ev2" -- sh -c "echo ready; while :; do sleep 0.05; done; : $MARK" >"$TMP/out2" 2>/dev/null &
gb=$!
for _ in $(seq 100); do grep -q ready "$TMP/out2" 2>/dev/null && break; sleep 0.05; done
kill -USR2 $gb
wait $gb
expect_eq "status after SIGUSR2 to glassbox" $? 140

# a COMMAND that ignores SIGTERM: after --stop-timeout glassbox kills the sandbox
"$GLASSBOX" run --stop-timeout 0.3 --output "$TMP/ev4" -- sh -c "trap '' TERM; echo ready; sleep 30; : $MARK" >"$TMP/out4" 2>"$TMP/err4" &
gb=$!
for _ in $(seq 100); do grep -q ready "$TMP/out4" 2>/dev/null && break; sleep 0.05; done
kill -TERM $gb
wait $gb
expect_eq "status when the sandbox outlived --stop-timeout (SIGKILL)" $? 137
grep -q "outlived SIGTERM by 0.3 s: killing the sandbox" "$TMP/err4" && ok "says why it killed" || fail "stderr: $(cat "$TMP/err4")"
no_process_matching "$MARK"

# a second stop signal does not wait
"$GLASSBOX" run --stop-timeout 60 --output "$TMP/ev5" -- sh -c "trap '' INT; echo ready; sleep 30; : $MARK" >"$TMP/out5" 2>"$TMP/err5" &
gb=$!
for _ in $(seq 100); do grep -q ready "$TMP/out5" 2>/dev/null && break; sleep 0.05; done
kill -INT $gb; sleep 0.1; kill -INT $gb
wait $gb
expect_eq "status after two SIGINTs" $? 137
grep -q "asked to stop twice" "$TMP/err5" && ok "second SIGINT kills at once" || fail "stderr: $(cat "$TMP/err5")"

# SIGKILL of glassbox: the sandbox dies with it (PR_SET_PDEATHSIG on its init)
"$GLASSBOX" run --output "$TMP/ev3" -- sh -c "sleep 1000; : $MARK" >/dev/null 2>&1 &
gb=$!
for _ in $(seq 100); do pgrep -f "sleep 1000" -P "$(pgrep -f "$MARK" -o 2>/dev/null || echo 0)" >/dev/null && break; sleep 0.05; done
init=$(pgrep -P $gb | head -1)
[ -n "$init" ] && ok "sandbox init is host PID $init" || fail "no sandbox init under glassbox"
# the BPF programs glassbox holds, by the prog_id of its fds
prog_ids=$(grep -h '^prog_id:' /proc/$gb/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -u)
[ -n "$prog_ids" ] && ok "glassbox holds BPF programs $(echo $prog_ids)" || fail "no BPF programs held by glassbox $gb"
kill -KILL $gb
wait $gb 2>/dev/null
for _ in $(seq 100); do pgrep -f "$MARK" >/dev/null || break; sleep 0.05; done
no_process_matching "$MARK"
# the orphaned init is reaped by the host's init, whenever that gets to it: a zombie
# holds no namespace, so dead is enough
state=$(ps -o stat= -p "${init:-0}" 2>/dev/null)
case "$state" in ""|Z*) ok "sandbox init dead (state '${state:-gone}')" ;; *) fail "sandbox init $init alive: $state" ;; esac
# the kernel frees a dead process's programs asynchronously; the ones on sys_enter/
# sys_exit (setns, unshare, failed syscalls; netdev_move's netlink method) take a few
# hundred ms (faultable tracepoints: an RCU tasks-trace grace period)
for _ in $(seq 150); do
	left=0
	for id in $prog_ids; do bpftool prog show id "$id" >/dev/null 2>&1 && left=$((left + 1)); done
	[ $left = 0 ] && break
	sleep 0.02
done
expect_eq "BPF programs of the killed glassbox still loaded" $left 0
finish
