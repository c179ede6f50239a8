# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Sourced by tests/integration/net_*.sh, after lib.sh: the network options of
# `glassbox run`, as root, with real namespaces. Every resource a test makes carries the
# test's pid ($$) in its name, and only those are checked for leaks: other people run
# glassbox on this machine at the same time.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
need_root
GB_RUN="$GLASSBOX run"
GBNC=$HELPERS/gbnc
[ -x "$GBNC" ] || { echo "FAIL: $GBNC not built (make helpers)"; exit 1; }
command -v ip >/dev/null || skip "needs ip (iproute2)"
command -v nft >/dev/null || skip "needs nft (nftables) to check results"

# gb_bg VAR [options] -- COMMAND...: start a sandbox in the background, its stdout and
# stderr in $TMP/VAR.out and $TMP/VAR.err; VAR gets glassbox's pid. Killed at exit if still up.
gb_bg() {
	local var=$1
	shift
	$GB_RUN "$@" >"$TMP/$var.out" 2>"$TMP/$var.err" &
	printf -v "$var" %s $!
	on_exit "kill -KILL $!"
}

# gb_fg [options] -- COMMAND...: run a sandbox, stdout/stderr in $TMP/fg.out/$TMP/fg.err; sets
# GBPID; returns its exit status.
gb_fg() {
	$GB_RUN "$@" >"$TMP/fg.out" 2>"$TMP/fg.err" &
	GBPID=$!
	wait $GBPID
}

# gb_bad WHAT STDERR-REGEXP OPTIONS...: a run with OPTIONS must fail cleanly: non-zero
# exit, one line "glassbox: ..." matching STDERR-REGEXP, nothing of the run left.
gb_bad() {
	local what=$1 want=$2
	shift 2
	if gb_fg "$@" -- sh -c ": $MARK"; then
		fail "$what: exit 0"
	elif [ "$(wc -l <"$TMP/fg.err")" != 1 ] || ! grep -q "^glassbox: .*$want" "$TMP/fg.err"; then
		fail "$what: wanted one line /glassbox: .*$want/, got: $(cat "$TMP/fg.err")"
	elif no_leaks "$GBPID"; then
		ok "$what: $(cat "$TMP/fg.err")"
	fi
}

# Wait until FILE exists (a sandbox's "I am ready" mark), up to 10 s.
wait_file() {
	local i
	for i in $(seq 100); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# wait_route ADDR: the host routes ADDR through a glassbox interface (gbv*, gb-*), up to
# 10 s. Call it before any host-side connection to a sandbox address: before the veth
# exists, the default route would send the packets out of the machine.
wait_route() {
	local i
	for i in $(seq 100); do
		ip route get "$1" 2>/dev/null | grep -q ' dev gb' && return 0
		sleep 0.1
	done
	fail "no route to $1 through a glassbox interface"
	return 1
}

# wait_gone PID: glassbox has exited, up to 15 s.
wait_gone() {
	local i
	for i in $(seq 150); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	return 1
}

# A namespace of the test's own ("outside", "client") joined to the host by a veth:
# outside_ns NAME HOSTIF NSIF HOST_CIDR NS_CIDR [noroute]. The host end is in the host
# namespace; the namespace routes everything to it unless "noroute" is given.
outside_ns() {
	ip netns add "$1" || return 1
	on_exit "ip netns del $1"
	ip link add "$2" type veth peer name "$3" netns "$1" || return 1
	on_exit "ip link del $2"
	ip addr add "$4" dev "$2" && ip link set "$2" up &&
		ip -n "$1" addr add "$5" dev "$3" && ip -n "$1" link set "$3" up &&
		ip -n "$1" link set lo up || return 1
	[ "${6:-}" = noroute ] || ip -n "$1" route add default via "${4%/*}"
}

# no_leaks PID [BRIDGE] [NETNS_NAME]: nothing of the run whose glassbox had PID remains.
no_leaks() {
	local pid=$1 br=${2:-} name=${3:-} what=""
	kill -0 "$pid" 2>/dev/null && what+=" glassbox-process"
	ip link show "gbv$pid" >/dev/null 2>&1 && what+=" veth:gbv$pid"
	nft list table ip "glassbox_$pid" >/dev/null 2>&1 && what+=" nft:glassbox_$pid"
	[ -e "/run/glassbox/net/run.$pid" ] && what+=" state:run.$pid"
	if [ -n "$br" ] && ip link show "$br" >/dev/null 2>&1; then what+=" bridge:$br"; fi
	if [ -n "$name" ]; then
		[ -e "/run/netns/$name" ] && what+=" /run/netns/$name"
		grep -q " /run/netns/$name " /proc/self/mountinfo && what+=" mount:/run/netns/$name"
	fi
	if [ -n "$what" ]; then
		fail "left behind by run $pid:$what"
		return 1
	fi
	return 0
}

# The sandbox commands carry this in their command line: net_finish finds leftovers by it.
MARK=gbnet-mark-$$

# A /24 of 10.0.0.0/8 for this test: subnet INDEX → "10.A.B" (A from INDEX, B from $$).
subnet() {
	echo "10.$((200 + $1)).$(($$ % 250))"
}

# net_finish: no sandbox process is left, then lib.sh's finish.
net_finish() {
	no_process_matching "$MARK"
	finish
}
