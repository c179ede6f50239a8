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

	# level by level: the event's child against what that child wrote itself (one jq
	# run: every level that does not match is printed)
	bad=$(jq -n -r --slurpfile out "$out" --slurpfile ev "$ev" --argjson sl $sandbox_level \
		--arg mode $mode '
		($out | map(select(.pidns))) as $lv |
		range(1; $lv | length) as $k | ($sl + $k) as $l |
		($ev | map(select(.event == "clone" and .ret > 0 and .child_level == $l and
			.child_own_pid == 1))) as $c |
		($ev | map(select(.event == "unshare" and .ret == 0 and .level == $l - 1))) as $u |
		[$lv[$k].pidns, $lv[$k].nspid[0], 1] as $want |
		if ($c | length) != 1 then "level \($l): \($c | length) clone events"
		elif [$c[0].child_pidns, $c[0].child_ns_pid, $c[0].child_own_pid] != $want then
			"level \($l): clone child [pidns, sandbox pid, own pid] \([$c[0].child_pidns, $c[0].child_ns_pid, $c[0].child_own_pid]), the process says \($want)"
		elif $mode == "clone" and ($c[0].new_namespaces | map(select(.type == "pid")) | .[0] |
			[.level, .parent, .inode]) != [$l, $lv[$k - 1].pidns, $lv[$k].pidns] then
			"level \($l): new PID namespace \($c[0].new_namespaces), want level \($l) parent \($lv[$k - 1].pidns)"
		elif $mode == "unshare" and ($u | length) != 1 then "level \($l): \($u | length) unshare events one level up"
		elif $mode == "unshare" and ($u[0].new_namespaces | map(select(.type == "pid_for_children")) |
			.[0] | [.level, .parent, .new, .next_child_pid]) != [$l, $lv[$k - 1].pidns, $lv[$k].pidns, 1] then
			"level \($l): unshare new_namespaces \($u[0].new_namespaces)"
		else empty end')
	if [ -z "$bad" ]; then
		ok "[$mode] each of the $made levels: child's PID namespace, sandbox PID, own PID 1, new namespace's level and parent"
	else
		fail "[$mode] $bad"
	fi

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
