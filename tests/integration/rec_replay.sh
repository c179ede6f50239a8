#!/bin/bash
# Record a run that makes every event kind, replay it, and compare with what the live
# run printed, byte for byte: table (with --tree) and JSON (with --abs-time), and the
# summary line. Replay filters must select exactly what jq selects from the full replay.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rec_lib.bash"
need_root

write_workload "$TMP/w.sh"
kinds=$(supported_kinds)
[ -n "$kinds" ] || { fail "glassbox probe lists no event kinds"; finish; }

# table, with the tree at the end
"$GLASSBOX" run --record "$TMP/t.gbx" --tree -o "$TMP/live.txt" -- sh "$TMP/w.sh" \
	2>"$TMP/live.err"
rc=$?
expect_eq "run exit status" "$rc" 0
"$GLASSBOX" replay --tree -o "$TMP/replay.txt" "$TMP/t.gbx" 2>"$TMP/replay.err"
expect_eq "replay exit status" "$?" 0
if cmp "$TMP/live.txt" "$TMP/replay.txt"; then ok "table replay = live table ($(wc -l <"$TMP/live.txt") lines)"
else fail "table replay differs:"; diff "$TMP/live.txt" "$TMP/replay.txt" | head -20; fi
grep -q '^Process tree' "$TMP/replay.txt" && ok "the tree is printed" || fail "no tree in the output"
expect_eq "summary line" "$(summary_line "$TMP/replay.err")" "$(summary_line "$TMP/live.err")"
[ -n "$(summary_line "$TMP/live.err")" ] || fail "no summary line from the live run"
grep -q 'stopped at' "$TMP/replay.err" && fail "replay of a whole file reported damage"

# JSON, wall-clock times
"$GLASSBOX" run --json --abs-time --record "$TMP/j.gbx" -o "$TMP/live.jsonl" -- sh "$TMP/w.sh" \
	2>"$TMP/live2.err"
expect_eq "JSON run exit status" "$?" 0
"$GLASSBOX" replay --json --abs-time "$TMP/j.gbx" >"$TMP/replay.jsonl" 2>"$TMP/replay2.err"
expect_eq "JSON replay exit status" "$?" 0
if cmp "$TMP/live.jsonl" "$TMP/replay.jsonl"; then ok "JSON replay = live JSON ($(wc -l <"$TMP/live.jsonl") lines)"
else fail "JSON replay differs"; diff "$TMP/live.jsonl" "$TMP/replay.jsonl" | head -10; fi
expect_eq "JSON summary line" "$(summary_line "$TMP/replay2.err")" "$(summary_line "$TMP/live2.err")"
# stdin works as FILE too
"$GLASSBOX" replay --json --abs-time - <"$TMP/j.gbx" 2>/dev/null | cmp -s - "$TMP/live.jsonl" &&
	ok "replay from stdin" || fail "replay from stdin differs"

# every kind this kernel reports was recorded
for k in $kinds; do
	n=$(jcount "$TMP/replay.jsonl" ".event == \"$k\"")
	[ "$n" -gt 0 ] && ok "$k: $n events" || fail "no $k event recorded"
done
python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1], "rb"), 1):
    e = json.loads(line)
    assert e["v"] == 1 and "time_ns" in e, "line %d: %r" % (n, line)
' "$TMP/replay.jsonl" && ok "every replayed line is JSON with v=1" || fail "invalid JSON line"

# filters on replay select what jq selects
check_filter() { # DESC "OPTIONS" JQ-SELECT
	"$GLASSBOX" replay --json --abs-time $2 "$TMP/j.gbx" >"$TMP/f.jsonl" 2>/dev/null
	jq -c "select($3)" "$TMP/replay.jsonl" >"$TMP/want.jsonl"
	jq -c . "$TMP/f.jsonl" >"$TMP/got.jsonl"
	if [ -s "$TMP/want.jsonl" ] && cmp -s "$TMP/got.jsonl" "$TMP/want.jsonl"; then
		ok "replay $2: $(wc -l <"$TMP/got.jsonl") events"
	else
		fail "replay $2: got $(wc -l <"$TMP/got.jsonl") lines, want $(wc -l <"$TMP/want.jsonl")"
	fi
}
check_filter events "--events exec,exit" '.event == "exec" or .event == "exit"'
check_filter comm "--comm sleep" '.comm == "sleep"'
check_filter signal "--signal USR1" '(.event | startswith("signal")) and .sig == 10'
check_filter signal2 "--signal 15,SIGUSR2" '(.event | startswith("signal")) and (.sig == 15 or .sig == 12)'
check_filter pid "--pid 2" '.ns_pid == 2 or (.event == "clone" and .child_ns_pid == 2) or
	((.event == "signal_generate" or .event == "signal_deliver") and .target_ns_pid == 2)'
check_filter and "--comm sh --events signal_generate" '.comm == "sh" and .event == "signal_generate"'

# the same filter live: printed events filtered, the recording holds everything
"$GLASSBOX" run --json --signal USR1 --record "$TMP/f.gbx" -o "$TMP/live-f.jsonl" -- sh "$TMP/w.sh" \
	2>/dev/null
n=$(wc -l <"$TMP/live-f.jsonl")
m=$(jcount "$TMP/live-f.jsonl" '(.event | startswith("signal")) and .sig == 10')
[ "$n" -gt 0 ] && [ "$n" = "$m" ] && ok "live --signal USR1: $n events, all SIGUSR1" ||
	fail "live --signal USR1: $n lines, $m of them SIGUSR1"
"$GLASSBOX" replay --json "$TMP/f.gbx" 2>/dev/null | grep -q '"event":"exec"' &&
	ok "the recording of a filtered run holds every event" ||
	fail "the recording of a filtered run lost unfiltered events"

# a run stopped with SIGTERM still closes its recording with the trailer
marker="gbtest-recint-$$"
"$GLASSBOX" run --record "$TMP/int.gbx" -o "$TMP/int.txt" -- \
	sh -c "touch $TMP/int.up; sleep 30 # $marker" 2>/dev/null &
gb=$!
on_exit "kill -9 $gb"
# stopped while COMMAND runs (glassbox's start-up takes seconds on an emulated CPU)
for _ in $(seq 600); do [ -e "$TMP/int.up" ] && break; sleep 0.1; done
sleep 0.5
kill -TERM "$gb"
wait "$gb"
expect_eq "status of the interrupted run" "$?" 143
"$GLASSBOX" replay -o "$TMP/int-replay.txt" "$TMP/int.gbx" 2>"$TMP/int.err"
expect_eq "replay of the interrupted run" "$?" 0
cmp -s "$TMP/int.txt" "$TMP/int-replay.txt" && ok "interrupted run: replay = live" ||
	fail "interrupted run: replay differs"
no_process_matching "$marker"

# usage errors
"$GLASSBOX" replay 2>/dev/null; expect_eq "replay without FILE" "$?" 2
"$GLASSBOX" replay --record x "$TMP/j.gbx" 2>/dev/null; expect_eq "replay --record" "$?" 2
"$GLASSBOX" replay --signal NOPE "$TMP/j.gbx" 2>/dev/null; expect_eq "replay --signal NOPE" "$?" 2
"$GLASSBOX" replay "$TMP/missing.gbx" 2>/dev/null; expect_eq "replay of a missing file" "$?" 1
"$GLASSBOX" run --record "$TMP/no/such/dir.gbx" -- true 2>"$TMP/e"
expect_eq "run --record into a missing directory" "$?" 1
grep -q 'cannot create --record' "$TMP/e" && ok "it says why" || fail "no message: $(cat "$TMP/e")"
"$GLASSBOX" replay --dot "$TMP/no/such/dir.dot" "$TMP/j.gbx" 2>/dev/null
expect_eq "replay --dot into a missing directory" "$?" 1
"$GLASSBOX" replay --help | grep -q '^Usage: glassbox replay' && ok "replay --help" || fail "replay --help"
ip link show gbrec0 >/dev/null 2>&1 && fail "the workload's veth leaked into the host"
finish
