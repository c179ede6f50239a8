#!/bin/bash
# Event accounting under a load beyond the ring buffer's capacity: events received plus
# events the kernel reported lost equals what the workload generated, exactly.
. "$(dirname "$0")/lib.sh"
need_root
K=50000
FLOOD="$HELPERS/sigflood"
[ -x "$FLOOD" ] || { fail "$FLOOD not built"; finish; }

# The workload is PID 1 (--as-pid1) so the only other signal is the SIGCHLD its exit
# sends to glassbox: K + 1 signal_generate events in all. glassbox is stopped while
# the flood runs, so a 64 KiB ring buffer (about 450 records) must overflow.
"$GLASSBOX" run --as-pid1 --ring-size 64K --events signal_generate --json --output "$TMP/ev" \
	-- "$FLOOD" $K "$TMP/go" "$TMP/done" >"$TMP/out" 2>"$TMP/err" &
gb=$!
for _ in $(seq 200); do [ -s "$TMP/ev" ] || pgrep -f "$FLOOD $K" >/dev/null && break; sleep 0.02; done
sleep 0.2
kill -STOP $gb
touch "$TMP/go"
for _ in $(seq 1000); do [ -e "$TMP/done" ] && break; sleep 0.02; done
kill -CONT $gb
wait $gb
expect_eq "workload status" $? 0
expect_eq "workload output" "$(cat "$TMP/out")" "sent=$K drained=$K"

received=$(wc -l <"$TMP/ev")
lost=$(sed -n 's/.*), \([0-9]*\) lost$/\1/p' "$TMP/err")
summary_received=$(sed -n 's/^glassbox: \([0-9]*\) events.*/\1/p' "$TMP/err")
echo "received=$received lost=$lost summary: $(cat "$TMP/err")"
expect_eq "received in the summary = lines written" "$summary_received" "$received"
[ "${lost:-0}" -gt 0 ] && ok "the ring buffer overflowed ($lost lost)" || fail "nothing lost: the test did not overload the ring buffer"
expect_eq "received + lost" $((received + ${lost:-0})) $((K + 1))
# and every received record is whole and valid
expect_eq "valid JSON lines" "$(jq -c . "$TMP/ev" 2>/dev/null | wc -l)" "$received"

# the same without the stop: the default ring keeps up, nothing lost
"$GLASSBOX" run --as-pid1 --events signal_generate --json --output "$TMP/ev2" -- "$FLOOD" $K >/dev/null 2>"$TMP/err2"
expect_eq "events at the default ring size, consumer running" "$(wc -l <"$TMP/ev2")" $((K + 1))
grep -q ', 0 lost$' "$TMP/err2" && ok "0 lost" || fail "lost events: $(cat "$TMP/err2")"
finish
