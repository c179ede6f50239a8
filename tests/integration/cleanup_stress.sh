#!/bin/bash
# Every exit path cleans up: glassbox is killed with SIGINT, SIGTERM or SIGKILL at a
# random point of set-up, run or tear-down, many times over. After each run: no process
# of the sandbox, no BPF program of glassbox's, no mount added to the host, and (for the
# network features) no interface, nftables table or /run/netns entry of glassbox's.
. "$(dirname "$0")/lib.sh"
need_root
# job control: background jobs of a script otherwise start with SIGINT ignored, and a
# SIGINT glassbox was started ignoring stays ignored (as nohup's SIGHUP does)
set -m
RUNS=${GB_STRESS_RUNS:-50}
MARK="gbstress-$$"
sigs=(INT TERM KILL)

mounts_before=$(wc -l </proc/self/mountinfo)
links_before=$(ip -o link show | awk -F': ' '{print $2}' | sort | tr '\n' ' ')
progs_before=$(bpftool prog show 2>/dev/null | grep -c '^[0-9]*:')
leaks=0

for ((i = 1; i <= RUNS; i++)); do
	sig=${sigs[RANDOM % 3]}
	delay_ms=$((RANDOM % 400))
	# a workload with nested PID namespaces that would outlive its parent if allowed
	"$GLASSBOX" run --stop-timeout 0.3 --output /dev/null -- \
		unshare -fp --mount-proc sh -c "sleep 30 & sleep 30; : $MARK" >/dev/null 2>&1 &
	gb=$!
	sleep "$(printf '0.%03d' $delay_ms)"
	ids=$(grep -h '^prog_id:' /proc/$gb/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -u)
	kill -$sig $gb 2>/dev/null
	# SIGINT and SIGTERM go to COMMAND first (unshare ignores them while it waits for
	# its child); 0.3 s later glassbox kills the sandbox itself
	for _ in $(seq 100); do kill -0 $gb 2>/dev/null || break; sleep 0.02; done
	if kill -0 $gb 2>/dev/null; then
		fail "run $i: glassbox still running 2 s after SIG$sig"
		kill -KILL $gb
	fi
	wait $gb 2>/dev/null
	for _ in $(seq 100); do pgrep -f "$MARK" >/dev/null || break; sleep 0.02; done
	live=""
	for p in $(pgrep -f "$MARK"); do
		case "$(ps -o stat= -p "$p" 2>/dev/null)" in ""|Z*) ;; *) live="$live $p" ;; esac
	done
	# the kernel frees a dead process's programs asynchronously; the ones on
	# sys_enter/sys_exit (setns, unshare, failed syscalls; netdev_move's netlink method)
	# take a few hundred ms (faultable tracepoints: an RCU tasks-trace grace period)
	for _ in $(seq 150); do
		left=0
		for id in $ids; do bpftool prog show id "$id" >/dev/null 2>&1 && left=$((left + 1)); done
		[ $left = 0 ] && break
		sleep 0.02
	done
	mounts_now=$(wc -l </proc/self/mountinfo)
	# other tests may mount meanwhile on a developer's machine: mounts count in CI only
	[ "${CI:-}" = true ] || mounts_now=$mounts_before
	if [ -n "$live" ] || [ $left != 0 ] || [ "$mounts_now" != "$mounts_before" ]; then
		fail "run $i (SIG$sig after ${delay_ms} ms): processes:${live:- none}, BPF programs left: $left, mounts: $mounts_now (was $mounts_before)"
		leaks=$((leaks + 1))
		pkill -KILL -f "$MARK"
	fi
done
[ $leaks = 0 ] && ok "$RUNS runs killed at random points: nothing left behind"

# what the whole machine shows, where no other glassbox runs at the same time (CI)
if [ "${CI:-}" = true ]; then
	expect_eq "BPF programs loaded" "$(bpftool prog show 2>/dev/null | grep -c '^[0-9]*:')" "$progs_before"
	expect_eq "network interfaces" "$(ip -o link show | awk -F': ' '{print $2}' | sort | tr '\n' ' ')" "$links_before"
fi
finish
