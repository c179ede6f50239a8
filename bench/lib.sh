# Sourced by bench/run.sh: collecting figures and printing the one table.
# Figures of one kind go to $TMP/fig_NAME, one line per run, space-separated columns.

# kv FILE KEY: the value of KEY=VALUE in a helper's report line
kv() { grep -o "$2=[0-9.]*" "$1" | tail -n 1 | cut -d= -f2; }

# gb_lost FILE: signal_generate events glassbox reports lost in its summary line
# ("glassbox: N events (..., signal_generate R +L lost, ...), M lost"); 0 if none
gb_lost() {
	local l
	l=$(grep '^glassbox: [0-9]* events' "$1" | tail -n 1)
	[ -n "$l" ] || { echo "?"; return; }
	l=$(echo "$l" | grep -o 'signal_generate [0-9]* +[0-9]* lost' | awk '{print substr($3, 2)}')
	echo "${l:-0}"
}

record() { [ -n "$2" ] && echo "$2" >>"$TMP/fig_$1"; }

# col NAME N: column N of every run; median NAME N; maxof NAME N; sumof NAME N
col() { [ -s "$TMP/fig_$1" ] && awk -v c="$2" '{print $c}' "$TMP/fig_$1"; }
median() {
	col "$1" "$2" | sort -g | awk '{v[NR] = $1} END {
		if (!NR) print "";
		else if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
maxof() { col "$1" "$2" | sort -g | tail -n 1; }
sumof() { col "$1" "$2" | awk '{s += $1} END {if (NR) print s}'; }
runs() { [ -s "$TMP/fig_$1" ] && wc -l <"$TMP/fig_$1" || echo 0; }

# ratio A B: A/B with two decimals, or "-"
ratio() {
	if [ -n "$1" ] && [ -n "$2" ] && [ "$2" != 0 ]; then
		awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'
	else
		echo "-"
	fi
}

# wait_for TENTHS CMD: poll CMD every 0.1 s until it succeeds, at most TENTHS times
wait_for() {
	local i
	for ((i = 0; i < $1; i++)); do
		eval "$2" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "bench: timed out waiting for: $2" >&2
	return 1
}

# stop PID: SIGINT one process this script started, and wait for it
stop() {
	local i
	kill -INT "$1" 2>/dev/null
	for ((i = 0; i < 50; i++)); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	local keep=() p
	for p in "${BG_PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
	BG_PIDS=("${keep[@]}")
}

ensure_packages() {
	local p missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "bench: installing$missing (for the comparisons)" >&2
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086
	{ apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing; } \
		>/dev/null 2>&1 || echo "bench: could not install$missing; those rows stay empty" >&2
}

fmt_rate() { [ -n "$1" ] && printf "%'.0f/s" "$1" || echo "-"; }

row() { printf '%-3s %-34s %-44s %14s %9s  %s\n' "$@"; }

print_table() {
	local a b c d lost recv n cpu first="" label=""
	cpu=$(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo)
	echo
	echo "glassbox bench: $cpu, $(nproc) cores, Linux $(uname -r); medians of $REPS" \
		"interleaved runs ($SIG_REPS of the signal storm, $CMP_REPS of sigsnoop and bpftrace)"
	row "#" "workload" "configuration" "figure" "vs base" "lost / check [target]"
	row "---" "----------------------------------" "--------------------------------------------" \
		"--------------" "---------" "----------------------"

	a=$(median sig_a 1)
	row 1 "signal storm, $SIG_N RT signals" "(a) untraced: ${UNTRACED[*]}" "$(fmt_rate "$a")" "1.00x" ""
	b=$(median sig_b 1)
	lost=$(sumof sig_b 2); recv=$(col sig_b 3 | sort -g | head -n 1)
	row "" "between two processes" "(b) glassbox run --json --output FILE" "$(fmt_rate "$b")" \
		"$(ratio "$a" "$b")" "${lost:-?} lost in $(runs sig_b) runs, min received $recv/$SIG_GEN [<=1.5x, 0 lost]"
	b=$(median sig_b2 1)
	lost=$(sumof sig_b2 2); recv=$(col sig_b2 3 | sort -g | head -n 1)
	row "" "" "(b2) the same, process+signal kinds only" "$(fmt_rate "$b")" \
		"$(ratio "$a" "$b")" "${lost:-?} lost in $(runs sig_b2) runs, min received $recv/$SIG_GEN"
	c=$(median sig_c 1)
	n=$(col sig_c 3 | awk -v g="$SIG_GEN" '{s += g - $1} END {print s + 0}')
	row "" "" "(c) libbpf-tools sigsnoop > FILE" "$(fmt_rate "$c")" "$(ratio "$a" "$c")" \
		"$n missing in $(runs sig_c) runs ($(sumof sig_c 2) reported lost)"
	d=$(median sig_d 1)
	n=$(col sig_d 3 | awk -v g="$SIG_GEN" '{s += g - $1} END {print s + 0}')
	row "" "" "(d) bpftrace printf signal_generate > FILE" "$(fmt_rate "$d")" "$(ratio "$a" "$d")" \
		"$n missing in $(runs sig_d) runs ($(sumof sig_d 2) reported lost)"

	a=$(median fork_a 1); b=$(median fork_b 1)
	row 2 "fork storm, $FORK_N fork+exit+wait" "(a) untraced: ${UNTRACED[*]}" "$(fmt_rate "$a")" "1.00x" ""
	row "" "" "(b) glassbox --events clone,exit,signal" "$(fmt_rate "$b")" "$(ratio "$a" "$b")" \
		"$(sumof fork_b 2) lost; $(col fork_b 3 | sort -g | head -n 1) clone events of $FORK_N [<=1.15x]"

	a=$(median hsig_a 1); b=$(median hsig_b 1)
	row 3 "host noise: storms on the host," "signal storm, nothing traced ($(runs hsig_a) runs)" \
		"$(fmt_rate "$a")" "1.00x" ""
	row "" "glassbox tracing an idle sandbox" "signal storm, idle sandbox traced" "$(fmt_rate "$b")" \
		"$(ratio "$a" "$b")" "[<=1.03x]"
	b=$(median hsig_b2 1)
	row "" "" "the same, process+signal kinds only" "$(fmt_rate "$b")" "$(ratio "$a" "$b")" ""
	b=$(median hsig_f 1)
	row "" "" "no glassbox: empty programs on sys_enter/exit" "$(fmt_rate "$b")" \
		"$(ratio "$a" "$b")" "the hooks alone (tests/helpers/hookfloor)"
	a=$(median hfork_a 1); b=$(median hfork_b 1)
	row "" "" "fork storm, nothing traced" "$(fmt_rate "$a")" "1.00x" ""
	row "" "" "fork storm, idle sandbox traced" "$(fmt_rate "$b")" "$(ratio "$a" "$b")" \
		"$(sumof host_leak 1) storm events reached glassbox [<=1.03x, 0]"

	a=$(awk -F'wall_ns=' '{split($2, x, " "); print x[1]}' "$TMP/st_gb" | sort -g |
		awk '{v[NR] = $1} END {print (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2}')
	b=$(awk -F'wall_ns=' '{split($2, x, " "); print x[1]}' "$TMP/st_un" | sort -g |
		awk '{v[NR] = $1} END {print (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2}')
	local a2
	a2=$(awk -F'wall_ns=' '{split($2, x, " "); print x[1]}' "$TMP/st_gb2" | sort -g |
		awk '{v[NR] = $1} END {print (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2}')
	c=""
	[ -s "$TMP/st_bw" ] && c=$(awk -F'wall_ns=' '{split($2, x, " "); print x[1]}' "$TMP/st_bw" |
		sort -g | awk '{v[NR] = $1} END {print (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2}')
	row 4 "start-up, median of $START_N wall times" "glassbox run -- true (every program)" \
		"$(awk -v n="$a" 'BEGIN {printf "%.1f ms", n / 1e6}')" "" "[<=25 ms]"
	row "" "" "glassbox, process+signal kinds only" \
		"$(awk -v n="$a2" 'BEGIN {printf "%.1f ms", n / 1e6}')" "" ""
	row "" "" "unshare -fpm --mount-proc true" \
		"$(awk -v n="$b" 'BEGIN {printf "%.1f ms", n / 1e6}')" "$(ratio "$a" "$b")" "glassbox / this"
	[ -n "$c" ] && row "" "" "bwrap --dev-bind / / --unshare-pid,net --proc" \
		"$(awk -v n="$c" 'BEGIN {printf "%.1f ms", n / 1e6}')" "$(ratio "$a" "$c")" "glassbox / this"

	row 5 "peak RSS in the signal storm" "glassbox (wait4 ru_maxrss, largest run)" \
		"$(awk -v k="$(maxof sig_b 4)" 'BEGIN {printf "%.1f MiB", k / 1024}')" "" "[<=20 MiB]"

	n=""
	while read -r ring procs tgt got gen rcv lst; do
		local check="ok" what
		[ "$lst" = "?" ] || [ $((rcv + lst)) != "$gen" ] && check="MISMATCH"
		[ "$lst" = 0 ] && [ "$ring" = 4M ] && [ "$got" -gt "${n:-0}" ] && n=$got
		what="$procs x sigrate $([ "$tgt" = 0 ] && echo "unpaced" || echo "at $(fmt_rate "$tgt")")"
		row "${first:-6}" "${label:-events/s without loss}" "$what, ring $ring" \
			"$(fmt_rate "$got")" "" "$gen generated = $rcv received + $lst lost: $check"
		first=" " label=" "
	done <"$TMP/fig_ladder"
	row "" "" "highest rate with 0 lost, default ring 4M" "$(fmt_rate "$n")" "" ""

	row 7 "BPF time per signal_generate run" "storm in the sandbox: every run emits an event" \
		"$(median cost_in 1) ns" "" "kernel.bpf_stats_enabled"
	row "" "" "host storm: every run turns a signal away" "$(median cost_host 1) ns" "" ""
}
