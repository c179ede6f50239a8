#!/bin/bash
# The syscall boundary programs as built for kernels without bpf_loop (bpf/ns_compat.bpf.c:
# bounded loops, no callbacks, no global function), forced here with
# GLASSBOX_PROBE_DISABLE=bpf_loop: one workload of setns, unshare, a failed kill and
# netdev_move requests (netlink method, forced too: by ifindex, by name alone, with a
# rename, and one the kernel refuses) must give the same events as with the default
# build, both as tp_btf and as raw_tp (what a kernel before bpf_loop runs).
# Only veth devices this test creates are touched.
. "$(dirname "$0")/lib.sh"
need_root
command -v jq >/dev/null || skip "needs jq"
command -v nsenter >/dev/null || skip "nsenter not installed"
[ -x "$HELPERS/nl_batch_move" ] || fail "$HELPERS/nl_batch_move not built (make helpers)"
ip link add gbcp$$ type veth peer name gbcq$$ 2>/dev/null || skip "no veth support"
ip link del gbcp$$

P=gbc$$ # device names: $P, the run's digit, a letter: at most 15 characters
HOSTREF=gbch$$ # /run/netns name for the host's namespace, for the sandbox's side
HOST_NAMES=$TMP/host.ns # "inode name" of each of this test's namespaces
for t in net mnt pid uts ipc user cgroup time; do
	echo "$(readlink /proc/self/ns/$t | tr -dc 0-9) host_$t"
done >"$HOST_NAMES"
mkdir -p /run/netns && touch /run/netns/$HOSTREF &&
	mount --bind /proc/self/ns/net /run/netns/$HOSTREF || fail "cannot name the host namespace"
on_exit "rm -f /run/netns/$HOSTREF"
on_exit "umount /run/netns/$HOSTREF"

echo "== probe names the compat programs when bpf_loop is disabled"
# as the runs below probe: netdev_move on its netlink method, so the syscall boundary on
# its tracepoints (kprobes would take it off them)
GLASSBOX_PROBE_DISABLE=fentry,kprobe,bpf_loop "$GLASSBOX" probe >"$TMP/probe" 2>&1 ||
	fail "glassbox probe failed: $(cat "$TMP/probe")"
grep -q "^bpf_loop: no: disabled by GLASSBOX_PROBE_DISABLE" "$TMP/probe" &&
	grep -q "^  setns .*(sys_enter; without bpf_loop: gb_[a-z]*_sys_enter_compat)" \
		"$TMP/probe" &&
	ok "probe: compat programs without bpf_loop" || fail "probe: $(head -3 "$TMP/probe")"

# run NAME N [GLASSBOX_PROBE_DISABLE tokens]: the workload in a sandbox, devices ${P}N*
run() {
	local name=$1 n=$2 dis=fentry,kprobe${3:+,$3} T=$TMP/$1 Q=${P}$2
	mkdir -p "$T"
	cat >"$T/work.sh" <<EOF
for t in net mnt pid; do echo "\$(readlink /proc/self/ns/\$t | tr -dc 0-9) sandbox_\$t"; done >$T/ns
unshare -n true
nsenter --net=/proc/1/ns/net true
kill -0 999999 2>/dev/null
ip -n $HOSTREF link add ${Q}a type veth peer name ${Q}b
# into this namespace, by ifindex; then refused (no such process); then back out by fd,
# renamed; then in again named by IFLA_IFNAME alone, from the host's namespace
ip -n $HOSTREF link set ${Q}b netns 1
ip link set ${Q}b netns 424242 2>/dev/null
ip link set ${Q}b netns $HOSTREF name ${Q}c
nsenter --net=/run/netns/$HOSTREF $HELPERS/nl_batch_move --by-name ${Q}c 1
EOF
	on_exit "ip link del ${Q}a"
	GLASSBOX_PROBE_DISABLE=$dis "$GLASSBOX" run -v --json -o "$T/ev" -- sh "$T/work.sh" \
		2>"$T/err" ||
		fail "[$name] glassbox run exited $?: $(grep -v libbpf "$T/err" | tail -3)"
	ip link del ${Q}a 2>/dev/null
	grep -q "netdev_move: netlink" "$T/err" ||
		fail "[$name] netdev_move is not on the netlink method"
	# the events, with namespaces named rather than numbered (the sandbox's differ from
	# run to run), without times, PIDs, devices' ifindexes and the attach method
	local names
	names=$(cat "$HOST_NAMES" "$T/ns" | jq -R 'split(" ") | {(.[0]): .[1]}' | jq -s add)
	jq -c --argjson names "$names" '
		select(.event | IN("setns", "unshare", "signal_failed", "netdev_move")) |
		del(.ts_ns, .pid, .tid, .ns_pid, .ns_tid, .own_pid, .own_tid, .old_ifindex,
		    .new_ifindex, .method) |
		walk(if type == "number" and . >= 4026531800 and . < 4294967296
		     then ($names[tostring] // "other") else . end)' "$T/ev" |
		sed "s/${Q}/Q/g" | sort >"$T/proj"
}

run default 1
run compat 2 bpf_loop
run compat_raw 3 bpf_loop,tp_btf

D=$TMP/default
# setns: nsenter twice, ip -n twice; unshare: unshare -n, and ip -n's CLONE_NEWNS twice
expect_eq "[default] setns events" "$(jcount "$D/ev" '.event == "setns"')" 4
expect_eq "[default] unshare events" "$(jcount "$D/ev" '.event == "unshare"')" 3
expect_eq "[default] signal_failed events" "$(jcount "$D/ev" '.event == "signal_failed"')" 1
expect_eq "[default] netdev_move events, each request seen at sys_enter" \
	"$(jcount "$D/ev" '.event == "netdev_move" and .no_request == false')" 4
expect_eq "[default] refused move (ESRCH)" \
	"$(jcount "$D/ev" '.event == "netdev_move" and .ret == -3')" 1
# a kernel without bpf_loop loads the compat build whatever the test asks
if "$GLASSBOX" probe | grep -q "^bpf_loop: yes"; then
	if grep -q "_compat" "$D/err"; then fail "[default] the compat programs were loaded"; fi
else
	echo "this kernel has no bpf_loop: every run uses the compat build"
fi
# run, method, program name prefix: the compat run keeps the method the kernel offers
# first (tp_btf from v6.2, raw_tp before: probe says which), compat_raw forces raw_tp
first=$(awk '$1 == "setns" { print $2; exit }' "$TMP/probe")
case $first in
tp_btf) prefix=btf ;;
raw_tp) prefix=raw ;;
*) prefix=tp ;;
esac
for vm in compat:$first:$prefix compat_raw:raw_tp:raw; do
	IFS=: read -r v method m <<<"$vm"
	grep -q "sys_enter: gb_${m}_sys_enter_compat" "$TMP/$v/err" &&
		grep -q "sys_exit: gb_${m}_sys_exit_compat" "$TMP/$v/err" &&
		ok "[$v] gb_${m}_sys_enter_compat and gb_${m}_sys_exit_compat loaded" ||
		fail "[$v] the compat programs were not loaded: $(grep sys_e "$TMP/$v/err")"
	expect_eq "[$v] setns and unshare events by $method" \
		"$(jcount "$TMP/$v/ev" \
			'(.event | IN("setns", "unshare")) and .method == "'$method'"')" 7
	expect_eq "[$v] events compared with the default build's" \
		"$(wc -l <"$TMP/$v/proj")" "$(wc -l <"$D/proj")"
	if diff "$D/proj" "$TMP/$v/proj" >"$TMP/$v/diff"; then
		ok "[$v] the same events as the default build"
	else
		fail "[$v] events differ from the default build's:"
		cat "$TMP/$v/diff"
	fi
done
finish
