#!/bin/bash
# Exactly N clone and K signal_generate events for a workload that forks N times and
# sends K signals, with the PIDs the sandbox sees; the same workload on the host at the
# same time yields nothing.
. "$(dirname "$0")/lib.sh"
need_root
N=25 K=40
FORKSIG="$HELPERS/forksig"
[ -x "$FORKSIG" ] || { fail "$FORKSIG not built"; finish; }

# host noise, running while the sandbox runs
( for i in 1 2 3 4 5; do "$FORKSIG" $N $K >>"$TMP/host.out"; done ) &
hostloop=$!
"$GLASSBOX" run --json --output "$TMP/ev" -- "$FORKSIG" $N $K >"$TMP/out" 2>"$TMP/err"
rc=$?
wait $hostloop
expect_eq "workload status" $rc 0
ns_pid=$(sed -n 's/^pid=\([0-9]*\) .*/\1/p' "$TMP/out")
expect_eq "workload's own PID in the sandbox" "$ns_pid" 2

host_pid=$(jq -r "select(.event==\"exec\" and (.filename|endswith(\"forksig\"))) | .pid" "$TMP/ev")
[ -n "$host_pid" ] && [ "$host_pid" != "$ns_pid" ] && ok "host PID of the workload: $host_pid" ||
	fail "no exec event for the workload"

expect_eq "clone events from the workload" \
	"$(jcount "$TMP/ev" ".event==\"clone\" and .ns_pid==2 and .pid==$host_pid")" $N
expect_eq "clone events whose child the sandbox sees as PID 3.." \
	"$(jcount "$TMP/ev" ".event==\"clone\" and .ns_pid==2 and .child_ns_pid>=3 and .child_pid!=.child_ns_pid and .thread==false")" $N
expect_eq "SIGUSR1 signal_generate events" \
	"$(jcount "$TMP/ev" '.event=="signal_generate" and .sig==10')" $K
expect_eq "... sent by PID 2 to PID 2" \
	"$(jcount "$TMP/ev" ".event==\"signal_generate\" and .sig==10 and .ns_pid==2 and .target_ns_pid==2 and .target_pid==$host_pid and .sig_name==\"SIGUSR1\"")" $K
expect_eq "SIGUSR1 delivered to a handler" \
	"$(jcount "$TMP/ev" '.event=="signal_deliver" and .sig==10 and .action=="handler"')" $K
expect_eq "exit events of the workload's children" \
	"$(jcount "$TMP/ev" ".event==\"exit\" and .ns_pid>=3 and .exit_code==0")" $N

# nothing from the host workload, which ran 5 times meanwhile
host_pids=$(sed -n 's/^pid=\([0-9]*\) .*/\1/p' "$TMP/host.out" | tr '\n' ' ')
expect_eq "host workload runs" "$(wc -w <<<"$host_pids")" 5
leaked=0
for p in $host_pids; do
	leaked=$((leaked + $(jcount "$TMP/ev" ".pid==$p or .target_pid==$p")))
done
expect_eq "events from the host workload" $leaked 0
# every event belongs to the sandbox: PID visible there, or a signal it sent out
expect_eq "events from tasks outside the sandbox" "$(jcount "$TMP/ev" '.ns_pid==0')" 0
grep -q ', 0 lost$' "$TMP/err" && ok "0 events lost" || fail "summary: $(cat "$TMP/err")"
finish
