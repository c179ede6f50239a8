#!/bin/bash
# --tree and --dot for a run with nested PID namespaces (two levels below the sandbox),
# several network namespaces and a device moved between two of them: every process,
# namespace, clone, signal and device move of the run's own events must be in both, the
# DOT file must render with `dot -Tsvg`, and a replay must write the same tree.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rec_lib.bash"
need_root
command -v dot >/dev/null || skip "graphviz (dot) is not installed"

cat >"$TMP/w.sh" <<'EOS'
unshare -p -f sh -c 'unshare -p -f sh -c "sleep 0.05; exit 4"; kill -USR1 $$ 2>/dev/null; true' &
wait
ip link add gbtree0 type veth peer name gbtree1 && {
	unshare -n sleep 1 &
	sleep 0.2
	ip link set gbtree1 netns $!
	kill -TERM $!
	wait
}
exit 0
EOS
"$GLASSBOX" run --json --record "$TMP/r.gbx" --dot "$TMP/live.dot" -o "$TMP/ev.jsonl" \
	-- sh "$TMP/w.sh" 2>"$TMP/run.err"
expect_eq "run exit status" "$?" 0
"$GLASSBOX" replay --tree --dot "$TMP/replay.dot" -o "$TMP/tree.txt" "$TMP/r.gbx" 2>/dev/null
expect_eq "replay exit status" "$?" 0
cmp -s "$TMP/live.dot" "$TMP/replay.dot" && ok "replay writes the same DOT file" ||
	fail "the replayed DOT file differs from the live one"
if dot -Tsvg "$TMP/live.dot" >"$TMP/tree.svg" 2>"$TMP/dot.err" && grep -q '<svg' "$TMP/tree.svg"; then
	ok "dot -Tsvg draws it ($(stat -c %s "$TMP/tree.svg") bytes)"
else
	fail "dot -Tsvg failed: $(cat "$TMP/dot.err")"
fi
sed -n '/^Process tree/,$p' "$TMP/tree.txt" >"$TMP/tree-only.txt"
sed 's/^/    /' "$TMP/tree-only.txt"

want_move=0
supported_kinds | grep -qx netdev_move && want_move=1
python3 - "$TMP/ev.jsonl" "$TMP/tree-only.txt" "$TMP/live.dot" "$want_move" <<'EOP' && ok "tree and DOT match the run's events" || fail "tree or DOT do not match the events"
import json, re, sys
evs = [json.loads(l) for l in open(sys.argv[1])]
tree, dot, want_move = open(sys.argv[2]).read(), open(sys.argv[3]).read(), sys.argv[4] == "1"
errors = []
def check(cond, what):
    if not cond:
        errors.append(what)

levels = {e["level"] for e in evs}
check(max(levels) >= 3, "the workload made no PID namespace two levels below the sandbox")
# every process at every level: host pid, sandbox pid, own pid
procs = {}
for e in evs:
    if e["ns_pid"]:
        procs[e["pid"]] = e
for pid, e in procs.items():
    lv = e["level"]
    pids = {0: e["pid"], 1: e["ns_pid"], lv: e["own_pid"]}
    text = " ".join("%d:%s" % (l, pids.get(l, "?")) for l in range(lv + 1))
    check(re.search(r"(^|[ `|-])%s  " % re.escape(text), tree, re.M), "tree: no line for " + text)
    check(("\"%s\\n" % text) in dot, "dot: no node for " + text)
# exec names and exit statuses on the process's line
for e in evs:
    if e["event"] == "exec" and e["ret"] == 0 and e["ns_pid"]:
        line = [l for l in tree.splitlines() if (" 1:%d " % e["ns_pid"]) in l + " " or l.endswith(" 1:%d" % e["ns_pid"])]
        check(any(re.search(r"exec (\S+ -> )*%s( |$)" % re.escape(e["filename"]), l) for l in line),
              "tree: no exec %s for %d" % (e["filename"], e["ns_pid"]))
    if e["event"] == "exit" and e["group_dead"] and e["ns_pid"]:
        st = ("killed by " + e["term_sig_name"]) if e["term_sig"] else "exit %d" % e["exit_code"]
        line = [l for l in tree.splitlines() if re.search(r" 1:%d( |$)" % e["ns_pid"], l)]
        check(any(st in l for l in line), "tree: pid %d does not show %r" % (e["ns_pid"], st))
# PID namespaces: a block and a cluster each, nested as the clones say
for e in evs:
    check(("PID namespace %d (level %d" % (e["pidns"], e["level"])) in tree, "tree: no pidns %d" % e["pidns"])
    check(('subgraph "cluster_pidns_%d"' % e["pidns"]) in dot, "dot: no cluster for pidns %d" % e["pidns"])
    check(('cluster_pidns_%d_netns_' % e["pidns"]) in dot, "dot: no netns cluster in pidns %d" % e["pidns"])
for e in evs:
    if e["event"] == "clone":
        for ns in e["new_namespaces"]:
            if ns["type"] == "pid":
                check("PID namespace %d (level %d, in %d)" % (ns["inode"], ns["level"], ns["parent"]) in tree,
                      "tree: pidns %d not shown inside %d" % (ns["inode"], ns["parent"]))
# clone edges: one per process clone
clones = [e for e in evs if e["event"] == "clone" and not e["thread"] and e["ret"] > 0]
check(dot.count('[label="clone"]') == len(clones), "dot: %d clone edges, %d clones" % (dot.count('[label="clone"]'), len(clones)))
# signal edges: one per sender, target and signal
sigs = {(e["pid"], e["target_pid"], e["sig"]) for e in evs if e["event"] == "signal_generate"}
check(dot.count("style=dashed, color=red") == len(sigs), "dot: %d signal edges, want %d" % (dot.count("style=dashed, color=red"), len(sigs)))
check(any(s[2] == 10 for s in sigs) and "SIGUSR1" in dot, "dot: no SIGUSR1 edge")
# device moves
moves = [e for e in evs if e["event"] == "netdev_move"]
if want_move:
    check(len(moves) > 0, "no netdev_move event although the kernel reports them")
for m in moves:
    check('"netns_%d" -> "netns_%d" [label="%s -> %s' % (m["old_netns"], m["new_netns"], m["old_name"], m["new_name"]) in dot,
          "dot: no edge for the move of " + m["old_name"])
    check("%s (network namespace %d) -> %s (network namespace %d)" % (m["old_name"], m["old_netns"], m["new_name"], m["new_netns"]) in tree,
          "tree: move of %s missing" % m["old_name"])
for err in errors:
    print("   ", err)
print("    checked %d processes, %d clones, %d signal edges, %d device moves" % (len(procs), len(clones), len(sigs), len(moves)))
sys.exit(1 if errors else 0)
EOP
ip link show gbtree0 >/dev/null 2>&1 && fail "the workload's veth leaked into the host"
finish
