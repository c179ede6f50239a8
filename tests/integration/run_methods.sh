#!/bin/bash
# Every attach method glassbox can fall back to works on this kernel when the better
# ones are forced off: raw_tp, and plain tracepoints (with tracefs mounted for them).
. "$(dirname "$0")/lib.sh"
need_root
FORKSIG="$HELPERS/forksig"

check_method() {
	local method=$1; shift
	env "$@" "$GLASSBOX" run --json --output "$TMP/ev.$method" -- "$FORKSIG" 5 7 >"$TMP/out" 2>"$TMP/err"
	expect_eq "[$method] workload status" $? 0
	expect_eq "[$method] every event's method" "$(jq -r .method "$TMP/ev.$method" | sort -u | tr '\n' ' ')" "$method "
	expect_eq "[$method] clone events of the workload" \
		"$(jcount "$TMP/ev.$method" '.event=="clone" and .ns_pid==2')" 5
	expect_eq "[$method] SIGUSR1 generated" \
		"$(jcount "$TMP/ev.$method" '.event=="signal_generate" and .sig==10 and .ns_pid==2')" 7
	expect_eq "[$method] SIGUSR1 delivered to the handler" \
		"$(jcount "$TMP/ev.$method" '.event=="signal_deliver" and .sig==10 and .action=="handler"')" 7
	expect_eq "[$method] exec of the workload" \
		"$(jcount "$TMP/ev.$method" '.event=="exec" and (.filename|endswith("forksig"))')" 1
	expect_eq "[$method] exits with status 0 (children and workload)" \
		"$(jcount "$TMP/ev.$method" '.event=="exit" and .exit_code==0 and .ns_pid>=2')" 6
}

# the best method this kernel offers for the tracepoint families: tp_btf from v6.2
# (bpf_rdonly_cast), raw_tp before
BEST=$("$GLASSBOX" probe | awk '$1 == "exec" { print $2; exit }')
check_method $BEST
# ... without libbpf reading the kernel's BTF itself (src/tp_btf.c): its debug log names
# each kernel BTF it loads
"$GLASSBOX" run -vv --events all --json --output "$TMP/ev.vv" -- "$FORKSIG" 1 1 2>"$TMP/vv"
expect_eq "[-vv] events, all $BEST" "$(jq -r .method "$TMP/ev.vv" | sort | uniq -c | awk '{print $2, ($1 > 10)}')" "$BEST 1"
expect_eq "kernel BTF loads by libbpf" "$(grep -c "loading kernel BTF" "$TMP/vv")" 0
cp "$TMP/ev.$BEST" "$TMP/ev.best"
check_method raw_tp GLASSBOX_PROBE_DISABLE=tp_btf
# the namespace views of a child are the same whichever method saw them
expect_eq "child PIDs, $BEST vs raw_tp" \
	"$(jq -c 'select(.event=="clone") | [.child_ns_pid, .child_level]' "$TMP/ev.best" | sort | tr '\n' ' ')" \
	"$(jq -c 'select(.event=="clone") | [.child_ns_pid, .child_level]' "$TMP/ev.raw_tp" | sort | tr '\n' ' ')"

# CO-RE against the reduced copy of the kernel's BTF (src/core_btf.c) reads the same
# fields as against the whole of it
check_method $BEST GLASSBOX_PROBE_DISABLE=core_btf
cp "$TMP/ev.$BEST" "$TMP/ev.whole"
check_method $BEST
project='select(.ns_pid != null) | [.event, .ns_pid, .own_pid, .level, .comm, .child_ns_pid,
	.child_own_pid, .child_level, .target_ns_pid, .target_level, .target_comm, .sig, .exit_code,
	(.parent_ns // {} | length), (.child_ns // {} | length)] | tostring'
expect_eq "the same events, reduced BTF vs the whole" \
	"$(jq -r "$project" "$TMP/ev.$BEST" | sort | md5sum)" "$(jq -r "$project" "$TMP/ev.whole" | sort | md5sum)"
expect_eq "events compared" "$(jq -r "$project" "$TMP/ev.$BEST" | wc -l)" \
	"$(jcount "$TMP/ev.$BEST" '.ns_pid != null')"

# every program in one object, verified one after another, sees the same (the default
# verifies sys_exit and task_newtask in a second object, in parallel)
check_method $BEST GLASSBOX_PROBE_DISABLE=parallel_load
cp "$TMP/ev.$BEST" "$TMP/ev.one"
"$GLASSBOX" run --json --output "$TMP/ev.sys" -- sh -c 'unshare -n true; kill -s USR1 99' >/dev/null 2>&1
expect_eq "[two objects] unshare and failed kill (syscall programs)" \
	"$(jq -r 'select(.event=="unshare" or .event=="signal_failed") | .event' "$TMP/ev.sys" | sort | tr '\n' ' ')" \
	"signal_failed unshare "
expect_eq "the same events, one object vs two" \
	"$(jq -r "$project" "$TMP/ev.one" | sort | md5sum)" "$(jq -r "$project" "$TMP/ev.whole" | sort | md5sum)"
# without the syscall boundary, task_newtask alone makes the second object
for mode in two one; do
	dis=""
	[ "$mode" = one ] && dis=parallel_load
	GLASSBOX_PROBE_DISABLE=$dis "$GLASSBOX" run --events clone,exec,exit,signal --json \
		--output "$TMP/ps.$mode" -- "$FORKSIG" 5 7 >/dev/null 2>&1
	expect_eq "[process+signal, $mode object(s)] clone events of the workload" \
		"$(jcount "$TMP/ps.$mode" '.event=="clone" and .ns_pid==2')" 5
done
expect_eq "process+signal kinds, the same events, one object vs two" \
	"$(jq -r "$project" "$TMP/ps.one" | sort | md5sum)" "$(jq -r "$project" "$TMP/ps.two" | sort | md5sum)"

mounted=""
if [ ! -d /sys/kernel/tracing/events ]; then
	mount -t tracefs tracefs /sys/kernel/tracing && mounted=1 && on_exit umount /sys/kernel/tracing
fi
if [ -d /sys/kernel/tracing/events ]; then
	"$GLASSBOX" probe | grep -q '^  tracepoint  yes' && ok "probe sees tracefs" || fail "probe: $("$GLASSBOX" probe | grep tracepoint)"
	check_method tracepoint GLASSBOX_PROBE_DISABLE=tp_btf,raw_tp
else
	fail "cannot mount tracefs to test plain tracepoints"
fi
finish
