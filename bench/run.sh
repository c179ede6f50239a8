#!/bin/bash
# make bench: glassbox against no tracing and against the tools people use today, on
# this machine, in one go; prints one table at the end. Every figure in it is a count,
# a rate or a ratio measured in this run. Comparisons are interleaved (a, b, c, d, then
# again) and each figure is the median of GB_BENCH_REPS runs (default 5; the signal storm
# GB_BENCH_SIG_REPS, default 9), because other work on the machine makes single runs
# noisy. Benchmarks print; they assert nothing.
#
# Needs root. Installs libbpf-tools, bpftrace and bubblewrap when missing (the
# comparisons), mounts tracefs when it is not (sigsnoop and bpftrace attach through it)
# and unmounts it again at exit, with every process it started.
set -u
# job control: without it background jobs start with SIGINT ignored, and glassbox (like
# sigsnoop and bpftrace) is stopped with SIGINT
set -m
cd "$(dirname "$0")/.." || exit 1
TOP=$PWD
GB="$TOP/glassbox"
H="$TOP/build/helpers"
REPS=${GB_BENCH_REPS:-5}
CMP_REPS=${GB_BENCH_CMP_REPS:-3} # sigsnoop and bpftrace: slow, and far from the others
# the signal storm is short and moves most from run to run (±20 %): more runs of it
SIG_REPS=${GB_BENCH_SIG_REPS:-9}
SIG_N=200000
FORK_N=10000
START_N=20
SIGNO=34 # SIGRTMIN under glibc: sigstorm floods with 34 and answers with 35
# The process and signal kinds alone: without setns, unshare, signal_failed and
# netdev_move, glassbox attaches nothing to sys_enter/sys_exit, which on a kernel without
# fentry (this one) put every system call of the machine on the tracing slow path.
NO_SYSCALL_KINDS=(--events clone,exec,exit,signal_generate,signal_deliver)
TMP=$(mktemp -d /tmp/gbbench.XXXXXX)
BG_PIDS=()
MOUNTED_TRACEFS=0
UNTRACED=(unshare -fpmn --mount-proc)
. "$TOP/bench/lib.sh"

cleanup() {
	local p
	for p in "${BG_PIDS[@]}"; do
		[ -n "$p" ] && kill -INT "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	[ "$MOUNTED_TRACEFS" = 1 ] && umount /sys/kernel/tracing
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" = 0 ] || { echo "bench: needs root" >&2; exit 1; }
for f in "$GB" "$H/sigstorm" "$H/forkstorm" "$H/sigrate" "$H/runstat"; do
	[ -x "$f" ] || { echo "bench: $f is not built (make all helpers)" >&2; exit 1; }
done
ensure_packages libbpf-tools bpftrace bubblewrap
if [ ! -e /sys/kernel/tracing/events ]; then
	mount -t tracefs tracefs /sys/kernel/tracing && MOUNTED_TRACEFS=1
fi
SIGSNOOP=$(command -v sigsnoop || echo /usr/sbin/sigsnoop)
[ -x "$SIGSNOOP" ] || SIGSNOOP=""
BPFTRACE=$(command -v bpftrace || true)
BWRAP=$(command -v bwrap || true)
echo "bench: $REPS interleaved runs of each comparison ($SIG_REPS of the signal storm, $CMP_REPS of sigsnoop and bpftrace);" \
	"the table comes at the end" >&2

# ---- 1 and 5: signal storm ------------------------------------------------------------
# storm_counted FILE AWK-COUNT: how many of sigstorm's own signals a tool's output holds
sig_untraced() { # -> rate
	"${UNTRACED[@]}" "$H/sigstorm" -n "$SIG_N" >"$TMP/s.out" || return 1
	kv "$TMP/s.out" rate
}

sig_glassbox() { # [glassbox options] -> rate lost received maxrss_kb
	local out="$TMP/gb.json"
	"$H/runstat" -o "$TMP/rs" -- "$GB" run --json --output "$out" "$@" -- \
		"$H/sigstorm" -n "$SIG_N" >"$TMP/s.out" 2>"$TMP/gb.err" || return 1
	echo "$(kv "$TMP/s.out" rate) $(gb_lost "$TMP/gb.err") \
$(grep -c -E "\"event\":\"signal_generate\".*\"sig\":($SIGNO|$((SIGNO + 1)))," "$out") \
$(kv "$TMP/rs" maxrss_kb)"
	rm -f "$out" "$TMP/rs"
}

sig_sigsnoop() { # -> rate lost-reported received
	local pid
	"$SIGSNOOP" >"$TMP/ss.out" 2>"$TMP/ss.err" &
	pid=$!
	BG_PIDS+=("$pid")
	wait_for 100 "bpftool prog show name sig_trace" || { stop "$pid"; return 1; }
	sleep 0.3
	"${UNTRACED[@]}" "$H/sigstorm" -n "$SIG_N" >"$TMP/s.out"
	sleep 0.5 # let it drain its perf buffers
	stop "$pid"
	echo "$(kv "$TMP/s.out" rate) \
$(awk '/[Ll]ost/ {for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) { n += $i; break }} END {print n + 0}' "$TMP/ss.err") \
$(awk -v s=$SIGNO '$3 == "sigstorm" && ($4 == s || $4 == s + 1)' "$TMP/ss.out" | wc -l)"
	rm -f "$TMP/ss.out"
}

sig_bpftrace() { # -> rate lost-reported received
	local pid
	"$BPFTRACE" -o "$TMP/bt.out" -e 'tracepoint:signal:signal_generate {
		printf("%d %s %d %d %d\n", pid, comm, args->sig, args->pid, args->result); }' \
		>/dev/null 2>"$TMP/bt.err" &
	pid=$!
	BG_PIDS+=("$pid")
	wait_for 300 "grep -q Attaching $TMP/bt.out" || { stop "$pid"; return 1; }
	sleep 0.3
	"${UNTRACED[@]}" "$H/sigstorm" -n "$SIG_N" >"$TMP/s.out"
	sleep 0.5
	stop "$pid"
	echo "$(kv "$TMP/s.out" rate) \
$(awk '/^Lost [0-9]+ events/ {n += $2} END {print n + 0}' "$TMP/bt.out") \
$(awk -v s=$SIGNO '$2 == "sigstorm" && ($3 == s || $3 == s + 1)' "$TMP/bt.out" | wc -l)"
	rm -f "$TMP/bt.out"
}

SIG_GEN=$(( SIG_N )) # sigstorm sends exactly -n signals in all (data and answers)
echo "bench: 1. signal storm (at ${SECONDS}s)" >&2
for ((r = 1; r <= SIG_REPS; r++)); do
	record sig_a "$(sig_untraced)"
	record sig_b "$(sig_glassbox)"
	record sig_b2 "$(sig_glassbox "${NO_SYSCALL_KINDS[@]}")"
	[ "$r" -le "$CMP_REPS" ] && [ -n "$SIGSNOOP" ] && record sig_c "$(sig_sigsnoop)"
	[ "$r" -le "$CMP_REPS" ] && [ -n "$BPFTRACE" ] && record sig_d "$(sig_bpftrace)"
done

# ---- 2: fork storm --------------------------------------------------------------------
echo "bench: 2. fork storm (at ${SECONDS}s)" >&2
for ((r = 1; r <= REPS; r++)); do
	"${UNTRACED[@]}" "$H/forkstorm" -n "$FORK_N" >"$TMP/f.out" && record fork_a "$(kv "$TMP/f.out" rate)"
	if "$GB" run --json --output "$TMP/gbf.json" --events clone,exit,signal -- \
		"$H/forkstorm" -n "$FORK_N" >"$TMP/f.out" 2>"$TMP/gbf.err"; then
		record fork_b "$(kv "$TMP/f.out" rate) $(gb_lost "$TMP/gbf.err") \
$(grep -c '"event":"clone".*"comm":"forkstorm"' "$TMP/gbf.json")"
	fi
	rm -f "$TMP/gbf.json"
done

# ---- 3: host noise --------------------------------------------------------------------
# Each storm on the host while glassbox traces an idle sandbox (b), against the same storm
# with nothing traced (a); glassbox is started for each (b) run and stopped after it.
# The signal storm is short and its rate moves most from run to run: three pairs per
# round. The order within a pair alternates between rounds.
echo "bench: 3. host noise (at ${SECONDS}s)" >&2
idle_start() { # [glassbox options]
	"$GB" run --json --output "$TMP/idle.json" "$@" -- sleep 600 2>"$TMP/idle.err" &
	IDLE_PID=$!
	BG_PIDS+=("$IDLE_PID")
	wait_for 100 "grep -q '\"event\":\"exec\"' $TMP/idle.json" || { stop "$IDLE_PID"; return 1; }
}
idle_stop() {
	stop "$IDLE_PID"
	# every event glassbox printed belongs to the idle sandbox: none came from the storms
	record host_leak "$(grep -c -E '"comm":"(sigstorm|forkstorm)"' "$TMP/idle.json")"
}
# Config f is no glassbox at all: tests/helpers/hookfloor, a program that returns at once
# on sys_enter and sys_exit, where the syscall-level kinds sit on a kernel without
# fentry and kprobes. It measures what being on those two hooks costs by itself.
floor_start() {
	"$H/hookfloor" >"$TMP/floor.out" 2>&1 &
	FLOOR_PID=$!
	BG_PIDS+=("$FLOOR_PID")
	wait_for 100 "grep -q ready $TMP/floor.out" || { stop "$FLOOR_PID"; return 1; }
}
host_storm() { # a|b|b2|f sig|fork   (b2: glassbox without the syscall-level kinds)
	local cmd=("$H/sigstorm" -n "$SIG_N")
	[ "$2" = fork ] && cmd=("$H/forkstorm" -n "$FORK_N")
	case $1 in
	b) idle_start || return 1 ;;
	b2) idle_start "${NO_SYSCALL_KINDS[@]}" || return 1 ;;
	f) floor_start || return 1 ;;
	esac
	"${cmd[@]}" >"$TMP/h.out" && record "h$2_$1" "$(kv "$TMP/h.out" rate)"
	case $1 in
	b | b2) idle_stop ;;
	f) stop "$FLOOR_PID" ;;
	esac
}
for ((r = 1; r <= REPS; r++)); do
	if [ $((r % 2)) = 1 ]; then one=a two=b; else one=b two=a; fi
	for _ in 1 2 3; do host_storm $one sig; host_storm $two sig; done
	host_storm b2 sig; host_storm a sig
	host_storm f sig; host_storm a sig
	host_storm $one fork
	host_storm $two fork
done

# ---- 4: start-up ----------------------------------------------------------------------
echo "bench: 4. start-up (at ${SECONDS}s)" >&2
for ((r = 1; r <= START_N; r++)); do
	"$H/runstat" -o "$TMP/st_gb" -- "$GB" run -- true >/dev/null 2>&1
	"$H/runstat" -o "$TMP/st_gb2" -- "$GB" run "${NO_SYSCALL_KINDS[@]}" -- true >/dev/null 2>&1
	"$H/runstat" -o "$TMP/st_un" -- unshare -fpm --mount-proc true >/dev/null 2>&1
	[ -n "$BWRAP" ] && "$H/runstat" -o "$TMP/st_bw" -- "$BWRAP" --dev-bind / / --unshare-pid \
		--unshare-net --proc /proc true >/dev/null 2>&1
done

# ---- 6: highest sustained rate without loss, and exact loss above it ------------------
# sigrate inside glassbox: one generator at rising target rates (1.5 s each), then one
# and two unpaced (two keep both cores busy, so glassbox's consumer competes for CPU);
# every step checks that the signals found in the JSON plus the loss glassbox reports
# equal the signals generated. The last step repeats the heaviest load with the
# smallest ring (64 KiB), to show loss and its accounting.
echo "bench: 6. rate ladder (at ${SECONDS}s)" >&2
ladder_step() { # RING PROCS RATE -> ring procs target achieved generated received lost
	local ring=$1 procs=$2 rate=$3 out="$TMP/lad.json" n cmd="" i
	n=$(( rate ? rate * 3 / 2 : 400000 ))
	# each lingers 1 s, so that no generator's exit (a SIGCHLD, also signal_generate)
	# falls into another's storm, where it could be lost and spoil the check
	for ((i = 1; i < procs; i++)); do cmd="$cmd$H/sigrate -n $n -r $rate -l 1000 & "; done
	"$GB" run --ring-size "$ring" --json --output "$out" -- \
		sh -c "$cmd$H/sigrate -n $n -r $rate -l 1000; wait" >"$TMP/l.out" 2>"$TMP/l.err" ||
		return 1
	echo "$ring $procs $rate \
$(awk -F'[ =]' '{for (i = 2; i < NF; i += 2) v[$i] = $(i + 1); s += v["signals"];
	if (v["seconds"] > t) t = v["seconds"]} END {printf "%.0f %d", s / t, s}' "$TMP/l.out") \
$(grep -c "\"event\":\"signal_generate\".*\"sig\":$SIGNO," "$out") $(gb_lost "$TMP/l.err")"
	rm -f "$out"
}
for step in "4M 1 50000" "4M 1 100000" "4M 1 200000" "4M 1 0" "4M 2 0" "64K 2 0"; do
	# shellcheck disable=SC2086
	record ladder "$(ladder_step $step)"
done

# ---- 7: per-event cost in the kernel --------------------------------------------------
# kernel.bpf_stats_enabled makes the kernel time every BPF program run; the signal_generate
# program's run_time_ns / run_cnt, read while glassbox still runs: (a) every run emits an
# event (a storm inside the sandbox), (b) every run turns a host signal away (a storm on
# the host while glassbox traces an idle sandbox). The timing itself adds a little.
echo "bench: 7. per-event BPF cost (at ${SECONDS}s)" >&2
prog_ns() { # -> mean ns per run of glassbox's signal_generate program, from bpftool
	bpftool -j prog show 2>/dev/null | jq -r '[.[] | select(.name | test("^gb_(btf|raw|tp)_signal_generate$"))
		| select(.run_cnt > 0)][0] | if . == null then "" else (.run_time_ns / .run_cnt | floor) end'
}
STATS_WAS=$(sysctl -n kernel.bpf_stats_enabled)
sysctl -q -w kernel.bpf_stats_enabled=1
for ((r = 1; r <= REPS; r++)); do
	"$GB" run --json --output /dev/null --events exec,signal_generate -- \
		sh -c "$H/sigstorm -n $SIG_N >$TMP/c.out; sleep 30" >/dev/null 2>&1 &
	pid=$!
	BG_PIDS+=("$pid")
	wait_for 300 "grep -q rate= $TMP/c.out" && record cost_in "$(prog_ns)"
	stop "$pid"
	rm -f "$TMP/c.out"
	idle_start "${NO_SYSCALL_KINDS[@]}" || continue
	"$H/sigstorm" -n "$SIG_N" >/dev/null && record cost_host "$(prog_ns)"
	idle_stop
done
sysctl -q -w kernel.bpf_stats_enabled="$STATS_WAS"

echo "bench: done in ${SECONDS}s" >&2
print_table
