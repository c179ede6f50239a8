#!/bin/bash
# PID namespaces nested to the kernel's limit (level 32) inside the sandbox, made by
# clone(CLONE_NEWPID) and by unshare(CLONE_NEWPID) + fork: every level is followed, each
# clone event carries the level, PID and namespace the process itself reports, and the
# 33rd level's refusal is a failed clone and a failed unshare with the kernel's errno.
. "$(dirname "$0")/lib.sh"
need_root
CHAIN="$HELPERS/pidns_chain"
[ -x "$CHAIN" ] || { echo "FAIL: $CHAIN not built (make helpers)"; exit 1; }

# levels are absolute (the host's is 0); the sandbox is one below glassbox
host_level=$(($(awk '/^NSpid:/ {print NF - 2}' /proc/self/status)))
sandbox_level=$((host_level + 1))
max=32
made=$((max - sandbox_level)) # namespaces the chain makes inside the sandbox

for mode in clone unshare; do
	ev="$TMP/ev.$mode" out="$TMP/chain.$mode"
	"$GLASSBOX" run --json --output "$ev" -- "$CHAIN" "$mode" "$out" 2>"$TMP/err.$mode"
	expect_eq "[$mode] chain's exit status" $? 0
	levels=$(jq -s 'map(select(.pidns)) | length' "$out")
	expect_eq "[$mode] levels the chain went through (sandbox .. $max)" "$levels" $((made + 1))
	expect_eq "[$mode] NSpid entries at the bottom (levels $sandbox_level..$max)" \
		"$(jq -s 'map(select(.pidns)) | last | .nspid | length' "$out")" $((made + 1))

	# one clone per level, whose child is PID 1 there; with clone(CLONE_NEWPID) the
	# flag is on the clone, after unshare it is not (the namespace is pid_for_children)
	if [ $mode = clone ]; then
		sel='.event=="clone" and .ret > 0 and (.flags | index("CLONE_NEWPID"))'
	else
		sel='.event=="clone" and .ret > 0 and .child_own_pid == 1 and .child_level > '$sandbox_level
	fi
	expect_eq "[$mode] clone events into a new PID namespace" "$(jcount "$ev" "$sel")" "$made"

	# level by level: the event's child against what that child wrote itself
	bad=0
	for ((k = 1; k <= made; k++)); do
		lvl=$((sandbox_level + k))
		want=$(jq -s -c --argjson k $k 'map(select(.pidns)) | .[$k] | [.pidns, .nspid[0], .nspid[-1]]' "$out")
		parent=$(jq -s --argjson k $k 'map(select(.pidns)) | .[$k - 1].pidns' "$out")
		got=$(jq -c --argjson l $lvl "select($sel and .child_level == \$l) | [.child_pidns, .child_ns_pid, .child_own_pid]" "$ev")
		if [ "$got" != "$want" ]; then
			fail "[$mode] level $lvl: clone event child [pidns, sandbox pid, own pid] $got, the process says $want"
			bad=1
		fi
		# the sandbox view of the child is the PID the sandbox's /proc shows it with
		if [ $mode = clone ]; then
			got=$(jq -c --argjson l $lvl "select($sel and .child_level == \$l) | .new_namespaces | map(select(.type == \"pid\")) | .[0] | [.level, .parent, .inode]" "$ev")
			want="[$lvl,$parent,$(jq -s --argjson k $k 'map(select(.pidns)) | .[$k].pidns' "$out")]"
			[ "$got" = "$want" ] || { fail "[$mode] level $lvl: new PID namespace [level, parent, inode] $got, want $want"; bad=1; }
		else
			got=$(jq -c --argjson l $((lvl - 1)) 'select(.event=="unshare" and .ret == 0 and .level == $l) | .new_namespaces | map(select(.type == "pid_for_children")) | .[0] | [.level, .parent, .new, .next_child_pid]' "$ev")
			want="[$lvl,$parent,$(jq -s --argjson k $k 'map(select(.pidns)) | .[$k].pidns' "$out"),1]"
			[ "$got" = "$want" ] || { fail "[$mode] level $lvl: unshare's new PID namespace [level, parent, inode, next pid] $got, want $want"; bad=1; }
		fi
	done
	[ $bad = 0 ] && ok "[$mode] each of the $made levels: child's PID namespace, sandbox PID, own PID 1, parent namespace"

	# the bottom: the process at level 32 ran, and was refused a 33rd level both ways
	expect_eq "[$mode] exit of the process at level $max" \
		"$(jcount "$ev" '.event=="exit" and .level=='$max' and .own_pid==1')" 1
	for op in clone unshare; do
		err=$(jq -s --arg op $op 'map(select(.fail == $op)) | .[0].errno' "$out")
		expect_eq "[$mode] the kernel refused level 33 by $op with" "$err" 28 # ENOSPC
		expect_eq "[$mode] failed $op event at level $max, ret -$err" \
			"$(jcount "$ev" '.event=="'$op'" and .ret == -'$err' and .error == "ENOSPC" and .level=='$max' and (.flags | index("CLONE_NEWPID"))')" 1
	done
	expect_eq "[$mode] unshare events in all" "$(jcount "$ev" '.event=="unshare"')" \
		"$([ $mode = clone ] && echo 1 || echo $((made + 1)))"
	expect_eq "[$mode] failed clone events in all" "$(jcount "$ev" '.event=="clone" and .ret < 0')" 1
done
finish
