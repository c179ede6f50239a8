#!/bin/bash
# A record file cut at several offsets, or with flipped bytes, replays up to the damage:
# exit status 1, "stopped at byte N: <why>" on stderr, no crash, and what was printed is
# a prefix of the whole file's replay.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rec_lib.bash"
need_root

# enough events for several frames: 256 KiB of records is ~450 execs
cat >"$TMP/w.sh" <<'EOS'
i=0; while [ $i -lt 700 ]; do /bin/true; i=$((i + 1)); done
EOS
"$GLASSBOX" run --record "$TMP/r.gbx" -o /dev/null -- sh "$TMP/w.sh" 2>/dev/null
expect_eq "recording run" "$?" 0
"$GLASSBOX" replay --json "$TMP/r.gbx" >"$TMP/full.jsonl" 2>"$TMP/full.err"
expect_eq "whole file replays" "$?" 0
size=$(stat -c %s "$TMP/r.gbx")
lines=$(wc -l <"$TMP/full.jsonl")
[ "$lines" -gt 2000 ] || fail "only $lines events recorded"

# is_prefix A B: A's lines are the first lines of B
is_prefix() { cmp -s "$1" <(head -n "$(wc -l <"$1")" "$2"); }

check_damaged() { # DESC FILE WANT-REASON-REGEX [no-prefix-check]
	local rc
	"$GLASSBOX" replay --json "$2" >"$TMP/part.jsonl" 2>"$TMP/part.err"
	rc=$?
	if [ $rc -ne 1 ]; then
		fail "$1: exit status $rc, want 1"; sed 's/^/    /' "$TMP/part.err"; return
	fi
	if ! grep -qE "stopped at byte [0-9]+: .*($3)" "$TMP/part.err"; then
		fail "$1: no 'stopped at byte N: $3' message:"; sed 's/^/    /' "$TMP/part.err"; return
	fi
	if [ -z "${4:-}" ] && ! is_prefix "$TMP/part.jsonl" "$TMP/full.jsonl"; then
		fail "$1: the output is not a prefix of the whole replay"; return
	fi
	ok "$1: $(wc -l <"$TMP/part.jsonl") events printed; $(grep -o 'stopped at.*' "$TMP/part.err")"
}

for cut in 0 7 100 327 328 340 368 $((size / 3)) $((size / 2)) $((size - 600)) $((size - 1)); do
	head -c "$cut" "$TMP/r.gbx" >"$TMP/cut.gbx"
	check_damaged "cut at $cut of $size" "$TMP/cut.gbx" "truncated|not a glassbox"
done
# every frame whole but no trailer: find the trailer's start as the last frame header
trailer=$(python3 - "$TMP/r.gbx" <<'EOP'
import struct, sys
d = open(sys.argv[1], "rb").read()
off, last = 328, None
while off < len(d):
    magic, typ, csize = struct.unpack_from("<III", d, off)
    last = off
    off += 40 + csize
print(last)
EOP
)
head -c "$trailer" "$TMP/r.gbx" >"$TMP/notrailer.gbx"
check_damaged "no trailer" "$TMP/notrailer.gbx" "without a trailer"
"$GLASSBOX" replay --json "$TMP/notrailer.gbx" 2>/dev/null | cmp -s - "$TMP/full.jsonl" &&
	ok "without the trailer every event is still replayed" || fail "events lost before the trailer"

flip() { # FILE OFFSET
	python3 -c 'import sys; p, o = sys.argv[1], int(sys.argv[2]); d = bytearray(open(p, "rb").read()); d[o] ^= 0x10; open(p, "wb").write(d)' "$1" "$2"
}
for off in 0 20 200 330 372 400 $((size / 2)) $((size - 100)) $((size - 5)); do
	cp "$TMP/r.gbx" "$TMP/flip.gbx"
	flip "$TMP/flip.gbx" "$off"
	check_damaged "byte $off flipped" "$TMP/flip.gbx" "corrupt|not a glassbox|format version|byte order"
done
cp "$TMP/r.gbx" "$TMP/extra.gbx"; printf 'x' >>"$TMP/extra.gbx"
check_damaged "a byte after the trailer" "$TMP/extra.gbx" "after the trailer"
head -c 5000 /dev/urandom >"$TMP/random.gbx"
check_damaged "random bytes" "$TMP/random.gbx" "not a glassbox"

# glassbox killed with SIGKILL: no trailer, but what came more than a second before the
# kill is in the file (a partial frame is written once a second)
marker="gbtest-reckill-$$"
"$GLASSBOX" run --record "$TMP/killed.gbx" -o /dev/null -- \
	sh -c "touch $TMP/killed.up; sleep 30 # $marker" 2>/dev/null &
gb=$!
on_exit "kill -9 $gb"
# COMMAND running (glassbox's start-up takes seconds on an emulated CPU), then a second
# and a half for the partial frame
for _ in $(seq 600); do [ -e "$TMP/killed.up" ] && break; sleep 0.1; done
sleep 1.5
kill -9 "$gb"
wait "$gb" 2>/dev/null
check_damaged "glassbox killed" "$TMP/killed.gbx" "without a trailer" no-prefix-check
grep -q '"filename":"/usr/bin/sleep"' "$TMP/part.jsonl" &&
	ok "the events of the first second survived the kill" ||
	fail "the events before the kill are not in the file"
sleep 0.5
no_process_matching "$marker"
finish
