# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Sourced by tests/integration/net_*.sh. Root, real namespaces. Every resource a test makes
# carries the test's pid ($$) in its name, and only those are checked for leaks: other
# people run glassbox on this machine at the same time.
#
# GB_RUN is the command that takes "[network options] -- COMMAND": `glassbox run` once it
# knows the network options, else the module's own driver build/tests/net_run.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
GBNC=$ROOT/build/helpers/gbnc
if [ -z "${GB_RUN:-}" ]; then
	if [ -x "$ROOT/glassbox" ] && "$ROOT/glassbox" run --help 2>&1 | grep -q -- '--publish'; then
		GB_RUN="$ROOT/glassbox run"
	else
		GB_RUN=$ROOT/build/tests/net_run
	fi
fi
T=$(mktemp -d "/tmp/gbnet.$$.XXXX")
FAILS=0
CLEANUPS=()

# exit 77: tests/run-tests.sh reports a skip, and a failure under CI=true
skip() {
	echo "SKIP: $*"
	exit 77
}

[ "$(id -u)" = 0 ] || skip "needs root"
[ -x "$GBNC" ] || skip "build/helpers/gbnc missing: make helpers"
command -v ip >/dev/null || skip "needs ip (iproute2) to check results"

fail() {
	echo "FAIL: $*"
	FAILS=$((FAILS + 1))
}

ok() {
	echo "ok: $*"
}

# Run a cleanup command at exit, latest registered first.
at_exit() {
	CLEANUPS=("$*" "${CLEANUPS[@]}")
}

finish() {
	local c
	for c in "${CLEANUPS[@]}"; do
		eval "$c" >/dev/null 2>&1
	done
	rm -rf "$T"
}
trap finish EXIT
trap 'exit 1' INT TERM

# gb_bg VAR [options] -- COMMAND...: start a sandbox in the background, its stdout and
# stderr in $T/VAR.out and $T/VAR.err; VAR gets glassbox's pid. Killed at exit if still up.
gb_bg() {
	local var=$1
	shift
	$GB_RUN "$@" >"$T/$var.out" 2>"$T/$var.err" &
	printf -v "$var" %s $!
	at_exit "kill -KILL $!"
}

# gb_fg [options] -- COMMAND...: run a sandbox, stdout/stderr in $T/fg.out/$T/fg.err; sets
# GBPID; returns its exit status.
gb_fg() {
	$GB_RUN "$@" >"$T/fg.out" 2>"$T/fg.err" &
	GBPID=$!
	wait $GBPID
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
	at_exit "ip netns del $1"
	ip link add "$2" type veth peer name "$3" netns "$1" || return 1
	at_exit "ip link del $2"
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

# The sandbox commands carry this in their command line: done_tests finds leftovers by it.
MARK=gbnet-mark-$$

# A /24 of 10.0.0.0/8 for this test: subnet INDEX → "10.A.B" (A from INDEX, B from $$).
subnet() {
	echo "10.$((200 + $1)).$(($$ % 250))"
}

done_tests() {
	local left
	left=$(pgrep -f "$MARK")
	[ -n "$left" ] && fail "sandbox processes left: $(ps -o pid=,args= -p "${left//$'\n'/,}")"
	if [ "$FAILS" -gt 0 ]; then
		echo "$(basename "$0"): $FAILS failure(s)"
		exit 1
	fi
	echo "$(basename "$0"): all passed"
	exit 0
}
