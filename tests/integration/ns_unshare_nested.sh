#!/bin/bash
# unshare -fp --mount-proc nested three levels inside the sandbox: while every level is
# alive the test reads each shell's NSpid line and PID namespace from the host's /proc,
# then checks the clone event that made each shell (host, sandbox and own PID, level,
# namespace) and the unshare events (flags, pid_for_children old -> new).
. "$(dirname "$0")/lib.sh"
need_root

MARK="gbns$$"
cat >"$TMP/level.sh" <<EOF
#!/bin/sh
# level.sh N MARK: N more PID namespaces below this one, then wait for the stop file
if [ "\$1" -gt 0 ]; then
	unshare -fp --mount-proc sh "$TMP/level.sh" \$((\$1 - 1)) \$2
else
	while [ ! -e "$TMP/stop" ]; do sleep 0.05; done
fi
EOF
"$GLASSBOX" run --json --output "$TMP/ev" -- sh "$TMP/level.sh" 3 "$MARK" 2>"$TMP/err" &
gb=$!
on_exit "kill $gb; touch $TMP/stop"
# all four shells: levels sandbox .. sandbox+3
for _ in $(seq 200); do
	pgrep -f "^sh $TMP/level.sh 0 $MARK" >/dev/null && break
	sleep 0.05
done
pids=$(pgrep -f "^sh $TMP/level.sh [0-9] $MARK")
expect_eq "shells running, one per level" "$(echo $pids | wc -w)" 4
declare -A nspid pidns
for p in $pids; do
	nspid[$p]=$(awk '/^NSpid:/ {$1 = ""; print substr($0, 2)}' /proc/$p/status)
	pidns[$p]=$(readlink /proc/$p/ns/pid | tr -dc 0-9)
done
touch "$TMP/stop"
wait $gb
expect_eq "glassbox's exit status" $? 0

host_level=$(($(awk '/^NSpid:/ {print NF - 2}' /proc/self/status)))
levels=""
for p in $pids; do
	read -r -a n <<<"${nspid[$p]}"
	lvl=$((${#n[@]} - 1 + host_level))
	levels="$levels $lvl"
	# NSpid: host, then the sandbox's level, ..., the shell's own
	want="[${n[0]},${n[1]},${n[-1]},$lvl,${pidns[$p]}]"
	got=$(jq -c --argjson h "${n[0]}" 'select(.event=="clone" and .child_pid == $h) | [.child_pid, .child_ns_pid, .child_own_pid, .child_level, .child_pidns]' "$TMP/ev")
	expect_eq "clone event of the level-$lvl shell [host, sandbox, own PID, level, pidns] (NSpid: ${nspid[$p]})" "$got" "$want"
	# and what that shell did itself carries the same three views
	got=$(jq -c --argjson h "${n[0]}" 'select(.event=="exec" and .pid == $h) | [.pid, .ns_pid, .own_pid, .level, .pidns]' "$TMP/ev" | sort -u)
	expect_eq "exec events of the level-$lvl shell" "$got" "$want"
done
expect_eq "levels of the four shells" "$(echo $levels | tr ' ' '\n' | sort -n | tr '\n' ' ')" \
	"$((host_level + 1)) $((host_level + 2)) $((host_level + 3)) $((host_level + 4)) "

# three unshare(CLONE_NEWNS|CLONE_NEWPID), each making the next shell's namespace its
# pid_for_children, next child PID 1 there
expect_eq "unshare events" "$(jcount "$TMP/ev" '.event=="unshare"')" 3
for p in $pids; do
	read -r -a n <<<"${nspid[$p]}"
	[ ${#n[@]} -gt 2 ] || continue # the sandbox's first shell: no unshare made it
	got=$(jq -c --argjson ino "${pidns[$p]}" 'select(.event=="unshare" and .after.pid_for_children == $ino) | [.ret, (.flags | sort), .pid_for_children_changed, (.new_namespaces | map(select(.type=="pid_for_children")) | .[0] | [.new, .next_child_pid, .level])]' "$TMP/ev")
	expect_eq "unshare that made PID namespace ${pidns[$p]}" "$got" \
		"[0,[\"CLONE_NEWNS\",\"CLONE_NEWPID\"],true,[${pidns[$p]},1,$((${#n[@]} - 1 + host_level))]]"
done
finish
