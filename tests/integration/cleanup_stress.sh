#!/bin/bash
# Every exit path cleans up. glassbox runs with a veth on a bridge network, a published
# port, a netns name, a moved device and nested PID namespaces inside, and is killed
# with SIGINT, SIGTERM or SIGKILL at a random point of set-up, run or tear-down, many
# times over. After each run: no process, interface, bridge, nftables table, /run/netns
# entry, mount or BPF program of glassbox's remains, and the moved device is back in
# the host namespace.
. "$(dirname "$0")/lib/net.sh"
RUNS=${GB_STRESS_RUNS:-50}
# job control: a script's background jobs otherwise start with SIGINT ignored, and
# glassbox keeps a signal it was started ignoring ignored
set -m
sigs=(INT TERM KILL)
DEV=gsa$$ PEER=gsb$$ NET=s$$ NAME=gbs$$
A=$(subnet 3)

ip link add "$DEV" type veth peer name "$PEER" || { fail "cannot create veth $DEV"; finish; }
on_exit "ip link del $DEV"
mounts_before=$(wc -l </proc/self/mountinfo)
progs_before=$(bpftool prog show 2>/dev/null | grep -c '^[0-9]*:')
leaks=0 killed_in=""

# settled PID BPF-IDS: everything of run PID is gone and the device is home (5 s at most)
settled() {
	local id
	(FAILS=0; no_leaks "$1" "gb-$NET" "$NAME" >/dev/null) || return 1
	ip link show "$DEV" >/dev/null 2>&1 || return 1
	for id in $2; do bpftool prog show id "$id" >/dev/null 2>&1 && return 1; done
	for id in $(pgrep -f "$MARK"); do
		case "$(ps -o stat= -p "$id" 2>/dev/null)" in ""|Z*) ;; *) return 1 ;; esac
	done
	return 0
}

# The kill points span set-up and run on any machine: they fall within twice the time a
# run takes here to start COMMAND (700 ms at least; an emulated CPU takes seconds).
t0=$(date +%s%N)
"$GLASSBOX" run --output /dev/null --network "$NET" --veth "$A.1/24,$A.11/24" \
	--netns-name "$NAME" --netdev "$DEV" -- sh -c "touch $TMP/first.up; sleep 30; : $MARK" \
	>/dev/null 2>&1 &
gb=$!
for _ in $(seq 1200); do [ -e "$TMP/first.up" ] && break; sleep 0.05; done
setup_ms=$((($(date +%s%N) - t0) / 1000000))
kill -INT $gb
wait_gone $gb || kill -KILL $gb
wait $gb 2>/dev/null
for _ in $(seq 50); do settled $gb "" && break; sleep 0.1; done
window_ms=$((2 * setup_ms > 700 ? 2 * setup_ms : 700))
echo "set-up to COMMAND: ${setup_ms} ms here; kill points within ${window_ms} ms"

for ((i = 1; i <= RUNS; i++)); do
	sig=${sigs[RANDOM % 3]}
	delay_ms=$((RANDOM % window_ms))
	life=$((RANDOM % 6))
	ip link show "$DEV" >/dev/null 2>&1 || ip link add "$DEV" type veth peer name "$PEER"
	"$GLASSBOX" run --stop-timeout 0.3 --output /dev/null \
		--network "$NET" --veth "$A.1/24,$A.11/24" --publish "$((30000 + (i * 7 + $$) % 20000)):80" \
		--netns-name "$NAME" --netdev "$DEV" -- \
		unshare -fp --mount-proc sh -c "touch $TMP/up.$i; sleep 30 & sleep 0.$life; : $MARK" >/dev/null 2>&1 &
	gb=$!
	sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
	ids=$(grep -h '^prog_id:' /proc/$gb/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -u)
	if kill -0 $gb 2>/dev/null; then
		kill -$sig $gb 2>/dev/null
		killed_in+="$sig@${delay_ms}ms "
	fi
	wait_gone $gb || { fail "run $i: glassbox alive 15 s after SIG$sig"; kill -KILL $gb; }
	wait $gb 2>/dev/null
	for _ in $(seq 50); do settled $gb "$ids" && break; sleep 0.1; done
	if ! settled $gb "$ids"; then
		leaks=$((leaks + 1))
		fail "run $i (SIG$sig after ${delay_ms} ms, workload ${life}00 ms):"
		no_leaks $gb "gb-$NET" "$NAME"
		ip link show "$DEV" >/dev/null 2>&1 || fail "  $DEV not back in the host namespace"
		for id in $ids; do bpftool prog show id "$id" >/dev/null 2>&1 && fail "  BPF program $id left"; done
		no_process_matching "$MARK"
		pkill -KILL -f "$MARK"
	fi
done
[ $leaks = 0 ] && ok "$RUNS runs, nothing left behind; killed: $killed_in"
# the kill points must span set-up and run: some runs got COMMAND started, some not
running=$(ls "$TMP"/up.* 2>/dev/null | wc -l)
[ "$running" -gt 0 ] && [ "$running" -lt "$RUNS" ] && ok "$running of $RUNS runs reached COMMAND before the end" ||
	fail "$running of $RUNS runs reached COMMAND: the kill points do not span set-up and run"

# what the whole machine shows, where no other glassbox runs at the same time (CI)
if [ "${CI:-}" = true ]; then
	for _ in $(seq 30); do
		[ "$(bpftool prog show 2>/dev/null | grep -c '^[0-9]*:')" = "$progs_before" ] && break
		sleep 0.1
	done
	expect_eq "BPF programs loaded" "$(bpftool prog show 2>/dev/null | grep -c '^[0-9]*:')" "$progs_before"
	expect_eq "mounts in the host namespace" "$(wc -l </proc/self/mountinfo)" "$mounts_before"
fi
net_finish
