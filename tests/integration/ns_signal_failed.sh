#!/bin/bash
# Failed syscalls no tracepoint but sys_exit sees: every signal-sending syscall the
# sandbox aims at a host PID (ESRCH: not in its namespace), pidfd_send_signal with a bad
# flag, and clone/clone3 refused by the kernel: one event each, with the arguments and
# the errno the helper itself got back.
. "$(dirname "$0")/lib.sh"
need_root
SYSFAIL="$HELPERS/sysfail"
[ -x "$SYSFAIL" ] || { echo "FAIL: $SYSFAIL not built (make helpers)"; exit 1; }

# a host process that exists: the sandbox cannot see it
"$GLASSBOX" run --json --output "$TMP/ev" -- "$SYSFAIL" $$ >"$TMP/out" 2>"$TMP/err"
expect_eq "helper's status" $? 0
expect_eq "calls the helper made" "$(wc -l <"$TMP/out")" 8
ev="$TMP/ev"
sandbox_pid=$(jq 'select(.event=="exec" and (.filename | endswith("sysfail"))) | .pid' "$ev")

n=0
while read -r line; do
	sys=$(jq -r .syscall <<<"$line") sig=$(jq .sig <<<"$line") pid=$(jq .pid <<<"$line")
	err=$(jq .errno <<<"$line")
	n=$((n + 1))
	[ "$err" -gt 0 ] || { fail "$sys did not fail in the helper: $line"; continue; }
	case $sys in
	kill|rt_sigqueueinfo) sel="[.sig, .target_pid_arg, .ret]"; want="[$sig,$pid,-$err]" ;;
	tkill) sel="[.sig, .target_tid_arg, .ret]"; want="[$sig,$pid,-$err]" ;;
	tgkill|rt_tgsigqueueinfo) sel="[.sig, .target_pid_arg, .target_tid_arg, .ret]"; want="[$sig,$pid,$pid,-$err]" ;;
	pidfd_send_signal) sel="[.sig, .target_pidfd, .ret]"; want="[$sig,$pid,-$err]" ;;
	clone|clone3) sel="[.ret, .child_pid, .flags]"
		want="[-$err,0,[\"$([ $sys = clone ] && echo CLONE_THREAD || echo CLONE_NEWNET)\"]]" ;;
	esac
	if [ $sys = clone ] || [ $sys = clone3 ]; then
		got=$(jq -c --arg s $sys "select(.event==\"clone\" and .ret < 0 and .syscall == \$s) | $sel" "$ev")
	else
		got=$(jq -c --arg s $sys "select(.event==\"signal_failed\" and .syscall == \$s) | $sel" "$ev")
	fi
	expect_eq "$sys: event $sel" "$got" "$want"
done <"$TMP/out"
expect_eq "calls checked" $n 8
expect_eq "signal_failed events, all by the helper" \
	"$(jq -c 'select(.event=="signal_failed") | .pid' "$ev" | sort | uniq -c | awk '{print $1":"$2}')" "6:$sandbox_pid"
expect_eq "failed clone events" "$(jcount "$ev" '.event=="clone" and .ret < 0')" 2
# queued signals carry the si_code the sender set (SI_QUEUE), tgkill/tkill SI_TKILL
expect_eq "si_code of the failed rt_sigqueueinfo, tgkill" \
	"$(jq -r 'select(.event=="signal_failed" and (.syscall=="rt_sigqueueinfo" or .syscall=="tgkill")) | .code_name' "$ev" | tr '\n' ' ')" \
	"SI_TKILL SI_QUEUE "
# a kill that works is no signal_failed event
"$GLASSBOX" run --json --output "$TMP/ev2" -- sh -c 'kill -0 $$ && kill -USR1 $$' 2>/dev/null
expect_eq "signal_failed events for kills that succeeded" "$(jcount "$TMP/ev2" '.event=="signal_failed"')" 0
finish
