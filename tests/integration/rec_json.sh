#!/bin/bash
# Every line of a long real run is valid JSON (strict UTF-8, parsed by Python's json and
# by jq) whatever bytes the comms, file names and argv hold: control characters, quotes,
# backslashes, invalid UTF-8, overlong forms, surrogates. Live and replayed alike.
. "$(dirname "$0")/lib.sh"
need_root

mkdir -p "$TMP/bin"
# names with every kind of awkward byte, each a symlink to true(1)
names=($'ctl\x01\x02\x1f' $'bad\xff\xfe' 'quote"back\slash' $'new\nline\ttab' $'esc\x1b[31mred'
	$'over\xc0\xaflong' $'surr\xed\xa0\x80' $'del\x7f' 'ok-ünïcödé-€')
for n in "${names[@]}"; do ln -s /bin/true "$TMP/bin/$n"; done
cat >"$TMP/w.sh" <<'EOS'
i=0
while [ $i -lt 250 ]; do
	for f in "$1"/*; do "$f" $'arg\x01' $'\xff\xfe' '"\' $'\n' "$i"; done
	i=$((i + 1))
done
EOS
"$GLASSBOX" run --json --record "$TMP/r.gbx" -o "$TMP/live.jsonl" -- bash "$TMP/w.sh" "$TMP/bin" \
	2>"$TMP/err"
expect_eq "run exit status" "$?" 0
"$GLASSBOX" replay --json "$TMP/r.gbx" >"$TMP/replay.jsonl" 2>/dev/null
cmp -s "$TMP/live.jsonl" "$TMP/replay.jsonl" && ok "replay = live" || fail "replay differs from live"
lines=$(wc -l <"$TMP/live.jsonl")
[ "$lines" -gt 5000 ] && ok "$lines lines" || fail "only $lines lines: not a long run"

python3 - "$TMP/live.jsonl" "${names[@]}" <<'EOP' && ok "python: every line is strict UTF-8 JSON, names as expected" || fail "python: invalid line"
import json, sys
path, names = sys.argv[1], [n.encode("utf-8", "surrogateescape") for n in sys.argv[2:]]
seen, n = set(), 0
for n, raw in enumerate(open(path, "rb"), 1):
    text = raw.decode("utf-8")            # strict: raises on any invalid byte
    assert text.endswith("}\n") and "\n" not in text[:-1], n
    e = json.loads(text)                  # raises on any invalid JSON
    assert e["v"] == 1 and isinstance(e["comm"], str), n
    if e["event"] == "exec" and "/bin/" in e["filename"] and len(e["argv"]) == 6:
        assert e["argv"][1] == "arg\x01" and e["argv"][2] == "\ufffd\ufffd", e["argv"]
        assert e["argv"][3] == '"\\' and e["argv"][4] == "\n", e["argv"]
        seen.add(e["filename"].rsplit("/", 1)[1])
want = {nm.decode("utf-8", "replace") for nm in names}
# the escaper replaces each bad byte by one U+FFFD, as Python's "replace" does
missing = want - seen
assert not missing, "names not seen as expected: %r (seen %r)" % (missing, seen)
print("    %d lines, %d names" % (n, len(seen)))
EOP
jq -e . "$TMP/live.jsonl" >/dev/null && ok "jq parses every line" || fail "jq rejects a line"
grep -q $'\x1b' "$TMP/live.jsonl" && fail "a raw ESC byte reached the JSON"
# the table too: no raw control byte reaches the terminal
"$GLASSBOX" replay "$TMP/r.gbx" >"$TMP/table.txt" 2>/dev/null
if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$TMP/table.txt"; then fail "raw control bytes in the table"
else ok "no raw control bytes in the table"; fi
finish
