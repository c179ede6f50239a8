#!/bin/bash
# netdev_move through the real CLI: the reference's sequence (create a veth pair, move
# one end into the sandbox's network namespace, configure it inside, move it back out)
# made once by host processes and once by processes inside the traced sandbox, plus a
# move the kernel refuses. Each move must be exactly one event whose names, ifindexes
# and namespace inodes are what `ip -d -o link` and `readlink /proc/.../ns/net` said at
# the time, attributed to the process that asked.
# Only veth devices this test creates are touched; never eth0.
. "$(dirname "$0")/lib.sh"
need_root
command -v jq >/dev/null || skip "needs jq"
ip link add gbnp$$ type veth peer name gbnq$$ 2>/dev/null || skip "no veth support"
ip link del gbnp$$

P=gbn$$ # device names: $P + one letter, at most 15 characters
HOSTREF=gbnh$$ # /run/netns name for the host's namespace, for the sandbox's side
on_exit "ip link del ${P}a"
on_exit "ip link del ${P}c"
on_exit "ip link del ${P}f"
on_exit "ip netns del ${P}n"

ino() { readlink "$1" | tr -dc 0-9; }
# ifindex of a device as `ip -d -o link` shows it, optionally inside netns of pid $2
ifindex_of() {
	if [ -n "${2:-}" ]; then
		nsenter -t "$2" -n ip -d -o link show dev "$1" | cut -d: -f1
	else
		ip -d -o link show dev "$1" | cut -d: -f1
	fi
}
# the sandbox's init: glassbox's child
sandbox_init() {
	local i
	for i in $(seq 100); do
		pgrep -P "$1" && return 0
		sleep 0.05
	done
	return 1
}
HOST_NS=$(ino /proc/self/ns/net)

echo "== probe names the method this kernel allows"
"$GLASSBOX" probe >"$TMP/probe" 2>&1 || fail "glassbox probe failed: $(cat "$TMP/probe")"
METHOD=$(awk '$1 == "netdev_move" { print $2 }' "$TMP/probe")
case "$METHOD" in
fentry | kprobe | netlink) ok "netdev_move method: $METHOD" ;;
*) fail "glassbox probe names no netdev_move method: $(grep -A2 netdev_move "$TMP/probe")" ;;
esac
if [ "$METHOD" = netlink ]; then
	grep -q "not fentry: " "$TMP/probe" && grep -q "not kprobe: " "$TMP/probe" ||
		fail "the netlink fallback must say why fentry and kprobe were not chosen"
fi

echo "== moves made by host processes"
ip link add ${P}a type veth peer name ${P}b || fail "cannot create veth ${P}a/${P}b"
"$GLASSBOX" run --json -o "$TMP/host.json" --events netdev_move -- \
	sh -c "while [ ! -e $TMP/go1 ]; do sleep 0.05; done" marker-$$ 2>"$TMP/host.err" &
GB=$!
INIT=$(sandbox_init $GB) || fail "no sandbox init under glassbox $GB"
SB_NS=$(ino /proc/$INIT/ns/net)
B_IDX1=$(ifindex_of ${P}b)
# move 1, host -> sandbox, by a host process whose PID we record
sh -c "echo \$\$ > $TMP/m1.pid; exec ip link set ${P}b netns $INIT" || fail "move 1 failed"
B_IDX2=$(ifindex_of ${P}b $INIT)
nsenter -t $INIT -n ip addr add 10.254.$(($$ % 250)).1/30 dev ${P}b || fail "configuring inside"
nsenter -t $INIT -n ip link set ${P}b up || fail "bringing it up inside"
# move 2, sandbox -> host (PID 1's namespace, as the reference does), by a host process
nsenter -t $INIT -n sh -c "echo \$\$ > $TMP/m2.pid; exec ip link set ${P}b netns 1" ||
	fail "move 2 failed"
B_IDX3=$(ifindex_of ${P}b)
# not of interest: an untraced process moves a device between the host and a namespace
# glassbox does not trace
ip link add ${P}f type veth peer name ${P}g || fail "cannot create veth ${P}f/${P}g"
ip netns add ${P}n && ip link set ${P}f netns ${P}n || fail "moving ${P}f to ${P}n"
# seen only in notifications: the move is the second message of one sendmsg
G_IDX1=$(ifindex_of ${P}g)
if [ -x "$HELPERS/nl_batch_move" ]; then
	"$HELPERS/nl_batch_move" ${P}g $INIT || fail "nl_batch_move failed"
else
	fail "$HELPERS/nl_batch_move not built (make helpers)"
fi
G_IDX2=$(ifindex_of ${P}g $INIT)
# one request naming the device by IFLA_IFNAME alone (ifi_index 0)
ip link add ${P}h type veth peer name ${P}i || fail "cannot create veth ${P}h/${P}i"
on_exit "ip link del ${P}h"
I_IDX1=$(ifindex_of ${P}i)
sh -c "echo \$\$ > $TMP/m4.pid; exec $HELPERS/nl_batch_move --by-name ${P}i $INIT" ||
	fail "nl_batch_move --by-name failed"
I_IDX2=$(ifindex_of ${P}i $INIT)
touch "$TMP/go1"
wait $GB || fail "glassbox run exited $?: $(cat "$TMP/host.err")"

J="$TMP/host.json"
expect_eq "netdev_move events for ${P}b" "$(jcount "$J" '.event == "netdev_move" and .old_name == "'${P}b'"')" 2
expect_eq "no event for ${P}f (host <-> untraced namespace, untraced mover)" \
	"$(jcount "$J" '.event == "netdev_move" and .old_name == "'${P}f'"')" 0
expect_eq "netdev_move events in all" "$(jcount "$J" '.event == "netdev_move"')" 4
jq -c 'select(.event == "netdev_move" and .old_name == "'${P}b'")' "$J" >"$TMP/host.moves"
M1=$(sed -n 1p "$TMP/host.moves")
M2=$(sed -n 2p "$TMP/host.moves")
check_move() { # WHAT JSON PID OLDNAME NEWNAME OLDIDX NEWIDX OLDNS NEWNS
	local what=$1 j=$2
	expect_eq "$what pid" "$(jq -r .pid <<<"$j")" "$3"
	expect_eq "$what comm" "$(jq -r .comm <<<"$j")" ip
	expect_eq "$what old_name" "$(jq -r .old_name <<<"$j")" "$4"
	expect_eq "$what new_name" "$(jq -r .new_name <<<"$j")" "$5"
	expect_eq "$what old_ifindex" "$(jq -r .old_ifindex <<<"$j")" "$6"
	expect_eq "$what new_ifindex" "$(jq -r .new_ifindex <<<"$j")" "$7"
	expect_eq "$what old_netns" "$(jq -r .old_netns <<<"$j")" "$8"
	expect_eq "$what new_netns" "$(jq -r .new_netns <<<"$j")" "$9"
	expect_eq "$what ret" "$(jq -r .ret <<<"$j")" 0
	expect_eq "$what method" "$(jq -r .method <<<"$j")" "$METHOD"
	if [ "$METHOD" = netlink ]; then
		expect_eq "$what confirmed by a notification" "$(jq -r .unconfirmed <<<"$j")" false
		expect_eq "$what request seen" "$(jq -r .no_request <<<"$j")" false
	fi
}
check_move "host move in" "$M1" "$(cat "$TMP/m1.pid")" ${P}b ${P}b "$B_IDX1" "$B_IDX2" \
	"$HOST_NS" "$SB_NS"
expect_eq "host move in: a host process is not visible in the sandbox" \
	"$(jq -r .ns_pid <<<"$M1")" 0
check_move "host move out" "$M2" "$(cat "$TMP/m2.pid")" ${P}b ${P}b "$B_IDX2" "$B_IDX3" \
	"$SB_NS" "$HOST_NS"
G=$(jq -c 'select(.event == "netdev_move" and .old_name == "'${P}g'")' "$J")
if [ "$METHOD" = netlink ]; then
	expect_eq "batched move: no request seen" "$(jq -r .no_request <<<"$G")" true
	expect_eq "batched move: asker unknown" "$(jq -r '[.pid, .comm] | join(",")' <<<"$G")" "0,"
else
	expect_eq "batched move: mover comm" "$(jq -r .comm <<<"$G")" nl_batch_move
fi
expect_eq "batched move" \
	"$(jq -r '[.old_name, .new_name, .old_ifindex, .new_ifindex, .old_netns, .new_netns, .ret] | map(tostring) | join(" ")' <<<"$G")" \
	"${P}g ${P}g $G_IDX1 $G_IDX2 $HOST_NS $SB_NS 0"
I=$(jq -c 'select(.event == "netdev_move" and .old_name == "'${P}i'")' "$J")
expect_eq "move by name: mover" "$(jq -r '[.pid, .comm] | join(",")' <<<"$I")" \
	"$(cat "$TMP/m4.pid"),nl_batch_move"
expect_eq "move by name" \
	"$(jq -r '[.old_name, .new_name, .old_ifindex, .new_ifindex, .old_netns, .new_netns, .ret, .no_request] | map(tostring) | join(" ")' <<<"$I")" \
	"${P}i ${P}i $I_IDX1 $I_IDX2 $HOST_NS $SB_NS 0 false"
ip link del ${P}a 2>/dev/null
ip link del ${P}h 2>/dev/null
ip netns del ${P}n 2>/dev/null

echo "== moves made inside the traced sandbox"
# a name for the host's namespace the sandbox can use (its mount namespace copies /run)
mkdir -p /run/netns && touch /run/netns/$HOSTREF &&
	mount --bind /proc/self/ns/net /run/netns/$HOSTREF || fail "cannot name the host namespace"
on_exit "rm -f /run/netns/$HOSTREF"
on_exit "umount /run/netns/$HOSTREF"
# inside VARIANT LETTER [ENV...]: the sequence by processes inside the sandbox, with the
# netlink method's syscall programs attached as VARIANT (tp_btf, raw_tp, tracepoint)
inside() {
	local v=$1 Q=${P}$2 T=$TMP/$1
	shift 2
	mkdir -p "$T"
	cat >"$T/inside.sh" <<EOF
# in the sandbox: pids are the sandbox's, \$\$ of an exec'd sh is the mover's pid
readlink /proc/self/ns/net | tr -dc 0-9 > $T/ns
ip -n $HOSTREF link add ${Q}c type veth peer name ${Q}d
ip -n $HOSTREF -d -o link show dev ${Q}d | cut -d: -f1 > $T/idx1
# move 1: from the host's namespace into this one (netns 1: our PID 1's)
sh -c 'echo \$\$ > $T/m1; exec ip -n $HOSTREF link set ${Q}d netns 1'
ip -d -o link show dev ${Q}d | cut -d: -f1 > $T/idx2
ip addr add 10.253.$(($$ % 250)).1/30 dev ${Q}d && ip link set ${Q}d up
# refused: no such process
sh -c 'echo \$\$ > $T/m3; exec ip link set ${Q}d netns 424242' 2>/dev/null
# move 2: back out, renamed on the way
sh -c 'echo \$\$ > $T/m2; exec ip link set ${Q}d netns $HOSTREF name ${Q}e'
ip -n $HOSTREF -d -o link show dev ${Q}e | cut -d: -f1 > $T/idx3
EOF
	on_exit "ip link del ${Q}e"
	on_exit "ip link del ${Q}c"
	env "$@" "$GLASSBOX" run -v --json -o "$T/ev.json" --events netdev_move -- sh "$T/inside.sh" \
		2>"$T/err" || fail "[$v] glassbox run exited $?: $(grep -v libbpf "$T/err" | tail -3)"
	grep -q "netdev_move: netlink" "$T/err" || [ "$METHOD" != netlink ] ||
		fail "[$v] glassbox did not choose the netlink method"
	local J="$T/ev.json" SB_NS
	SB_NS=$(cat "$T/ns")
	# fentry and kprobes see the move function run: a request rtnetlink refuses before
	# (no such process) never reaches it, and a rename the same request asks for comes
	# after it on kernels where the move itself keeps the name (v6.1); the netlink
	# method sees the request and its outcome whole
	local n_events=3 out_name=${Q}e
	if [ "$METHOD" != netlink ]; then
		n_events=2
		out_name=$(jq -r 'select(.event == "netdev_move" and .old_netns == '"$SB_NS"') | .new_name' "$J")
		case $out_name in
		${Q}d | ${Q}e) ok "[$v] the move out is named ${Q}d (before the rename) or ${Q}e" ;;
		*) fail "[$v] the move out's new name: got '$out_name', want ${Q}d or ${Q}e" ;;
		esac
	fi
	expect_eq "[$v] netdev_move events inside" "$(jcount "$J" '.event == "netdev_move"')" $n_events
	M1=$(jq -c 'select(.event == "netdev_move" and .old_netns == '"$HOST_NS"' and .new_netns == '"$SB_NS"')' "$J")
	M2=$(jq -c 'select(.event == "netdev_move" and .old_netns == '"$SB_NS"' and .new_netns == '"$HOST_NS"')' "$J")
	M3=$(jq -c 'select(.event == "netdev_move" and .ret != 0)' "$J")
	check_inside "[$v] sandbox move in" "$M1" "$(cat "$T/m1")"
	check_move "[$v] sandbox move in" "$M1" "$(jq -r .pid <<<"$M1")" ${Q}d ${Q}d "$(cat "$T/idx1")" \
		"$(cat "$T/idx2")" "$HOST_NS" "$SB_NS"
	check_inside "[$v] sandbox move out" "$M2" "$(cat "$T/m2")"
	check_move "[$v] sandbox move out" "$M2" "$(jq -r .pid <<<"$M2")" ${Q}d "$out_name" \
		"$(cat "$T/idx2")" "$(cat "$T/idx3")" "$SB_NS" "$HOST_NS"
	if [ "$METHOD" != netlink ]; then
		expect_eq "[$v] a refused move is not seen by $METHOD" "$M3" ""
		ip link del ${Q}e 2>/dev/null
		return
	fi
	check_inside "[$v] refused move" "$M3" "$(cat "$T/m3")"
	expect_eq "[$v] refused move ret (ESRCH)" "$(jq -r .ret <<<"$M3")" -3
	expect_eq "[$v] refused move: the device stayed" \
		"$(jq -r '[.old_netns, .new_netns, .old_ifindex, .new_ifindex] | map(tostring) | join(" ")' <<<"$M3")" \
		"$SB_NS $SB_NS $(cat "$T/idx2") $(cat "$T/idx2")"
	ip link del ${Q}e 2>/dev/null
}
echo "== a device the sandbox parks in a namespace of its own, taken back by the host"
# the sandbox moves ${P}k into a nested namespace (a traced move); then an untraced host
# process moves it from there to the host: reported because a reported move took it there
ip link add ${P}k type veth peer name ${P}l || fail "cannot create veth ${P}k/${P}l"
on_exit "ip link del ${P}k"
cat >"$TMP/park.sh" <<EOF
unshare -n sh -c 'echo \$\$ > $TMP/park.nested; while [ ! -e $TMP/park.done ]; do sleep 0.05; done' &
while [ ! -s $TMP/park.nested ]; do sleep 0.05; done
ip -n $HOSTREF link set ${P}k netns \$(cat $TMP/park.nested)
touch $TMP/park.moved
wait
EOF
"$GLASSBOX" run --json -o "$TMP/park.json" --events netdev_move -- sh "$TMP/park.sh" marker-$$ \
	2>"$TMP/park.err" &
GB=$!
for _ in $(seq 200); do [ -e "$TMP/park.moved" ] && break; sleep 0.05; done
HOLDER=$(pgrep -f "park.nested" | while read -r p; do
	[ "$(readlink /proc/$p/ns/net)" != "$(readlink /proc/self/ns/net)" ] && echo $p; done | head -1)
K_IDX1=$(nsenter -t "$HOLDER" -n ip -d -o link show dev ${P}k | cut -d: -f1)
NESTED_NS=$(ino /proc/$HOLDER/ns/net)
sh -c "echo \$\$ > $TMP/park.m; exec nsenter -t $HOLDER -n ip link set ${P}k netns 1" ||
	fail "taking ${P}k back from the nested namespace"
K_IDX2=$(ifindex_of ${P}k)
touch "$TMP/park.done"
wait $GB || fail "glassbox run exited $?: $(cat "$TMP/park.err")"
J="$TMP/park.json"
expect_eq "parked device: events" "$(jcount "$J" '.event == "netdev_move" and .old_name == "'${P}k'"')" 2
K=$(jq -c 'select(.event == "netdev_move" and .old_name == "'${P}k'" and .new_netns == '"$HOST_NS"')' "$J")
expect_eq "taken back by the host: mover" "$(jq -r '[.pid, .comm] | join(",")' <<<"$K")" \
	"$(cat "$TMP/park.m"),ip"
expect_eq "taken back by the host" \
	"$(jq -r '[.old_ifindex, .new_ifindex, .old_netns, .new_netns, .ret] | map(tostring) | join(" ")' <<<"$K")" \
	"$K_IDX1 $K_IDX2 $NESTED_NS $HOST_NS 0"
ip link del ${P}k 2>/dev/null

check_inside() { # WHAT JSON NS_PID
	expect_eq "$1 ns_pid (the sandbox's view of the mover)" "$(jq -r .ns_pid <<<"$2")" "$3"
	expect_eq "$1 level" "$(jq -r .level <<<"$2")" 1
}
inside tp_btf 1
if [ "$METHOD" = netlink ]; then
	inside raw_tp 2 GLASSBOX_PROBE_DISABLE=tp_btf
	if [ ! -d /sys/kernel/tracing/events ]; then
		mount -t tracefs tracefs /sys/kernel/tracing && on_exit umount /sys/kernel/tracing
	fi
	if [ -d /sys/kernel/tracing/events/raw_syscalls ]; then
		inside tracepoint 3 GLASSBOX_PROBE_DISABLE=tp_btf,raw_tp
	else
		fail "cannot mount tracefs to test the tracepoint variant"
	fi
fi
no_process_matching "marker-$$"
finish
