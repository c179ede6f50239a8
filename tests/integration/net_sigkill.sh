#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# glassbox SIGKILLed mid-run with everything the network module can add. The owner nft
# table and the published ports go with the process; the reaper collects the veth (kept
# alive by the named namespace), the bridge, /run/netns/NAME with its mount, ip_forward.
# With the reaper killed too, the next start collects. Either way nothing is left.
. "$(dirname "$0")/lib/net.sh"

A=$(subnet 1)
B=$(subnet 2)
NET=k$$
NAME=gbk$$
PORT=$((30000 + $$ % 10000))
others() { ls /run/glassbox/net/run.* 2>/dev/null | grep -v "run.$1\$"; }
fwd_before=$(cat /proc/sys/net/ipv4/ip_forward)

# quiet_clean PID [BRIDGE] [NAME]: wait up to 5 s until no_leaks would pass
quiet_clean() {
	local i
	for i in $(seq 50); do
		(FAILS=0; no_leaks "$@" >/dev/null) && return 0
		sleep 0.1
	done
	return 1
}

gb_bg S --network "$NET" --veth "$A.1/24,$A.11/24" --nat --publish "$PORT:80" \
	--netns-name "$NAME" -- sh -c "touch $TMP/up; sleep 1000; : $MARK"
wait_file "$TMP/up" || fail "sandbox did not start: $(cat "$TMP/S.err")"
wait_route "$A.11"
for what in "link gbv$S" "link gb-$NET" "table glassbox_$S" "netns $NAME"; do
	case $what in
	link*) ip link show "${what#link }" >/dev/null 2>&1 ;;
	table*) nft list table ip "${what#table }" >/dev/null 2>&1 ;;
	netns*) [ -e "/run/netns/$NAME" ] ;;
	esac || fail "before the kill: no $what"
done
kill -KILL "$S"; wait "$S" 2>/dev/null
wait_gone "$S" || fail "glassbox $S still alive after SIGKILL"
nft list table ip "glassbox_$S" >/dev/null 2>&1 && fail "owner table outlived glassbox" ||
	ok "owner nft table deleted by the kernel with glassbox's socket"
ss -ltn "sport = :$PORT" | grep -q LISTEN && fail "port $PORT still listening" ||
	ok "published port $PORT freed"
if quiet_clean "$S" "gb-$NET" "$NAME"; then
	ok "the reaper removed veth, bridge, /run/netns/$NAME and its mount without a next start"
else
	no_leaks "$S" "gb-$NET" "$NAME"
fi
# the reaper was forked from glassbox: its command line has $MARK, which net_finish checks

# a join: the namespace outlives everything; the reaper killed as well, so only the next
# start can remove the host end
ip netns add "gbj$$" || fail "ip netns add gbj$$"
on_exit "ip netns del gbj$$"
gb_bg J --join-netns "gbj$$" --veth "$B.2/24,$B.1/24" -- sh -c "touch $TMP/jup; sleep 1000; : $MARK"
wait_file "$TMP/jup" || fail "joined sandbox did not start: $(cat "$TMP/J.err")"
R=$(pgrep -x -P "$J" glassbox-reaper)
[ -n "$R" ] || fail "no reaper under glassbox $J"
kill -KILL "$J" $R; wait "$J" 2>/dev/null
wait_gone "$J" || fail "glassbox $J still alive after SIGKILL"
for i in $(seq 50); do pgrep -f "$MARK" >/dev/null || break; sleep 0.1; done
# another glassbox started meanwhile (other people test here too) may have collected it
ip link show "gbv$J" >/dev/null 2>&1 || echo "note: gbv$J already collected by another start"
gb_fg --share-net -- true || fail "next start: $(cat "$TMP/fg.err")"
no_leaks "$J" && ok "reaper killed too: the next start removed gbv$J"
ip -n "gbj$$" link show veth0 >/dev/null 2>&1 && fail "veth0 left in the joined namespace"
if [ -z "$(others "$S" | grep -v "run.$J\$")" ]; then
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$fwd_before" ] && ok "ip_forward back to $fwd_before" ||
		fail "ip_forward not restored to $fwd_before"
else
	echo "note: other glassbox runs active; ip_forward restore not checked"
fi
net_finish
