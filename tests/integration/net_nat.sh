#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# --nat: the sandbox reaches a server in a namespace the test creates to play "outside",
# through the host's forwarding and masquerade; no traffic leaves the machine (the outside
# is reached over the test's own veth). ip_forward is back to its value afterwards.
. "$(dirname "$0")/lib/net.sh"

A=$(subnet 1)
C=$(subnet 3)
others() { ls /run/glassbox/net/run.* 2>/dev/null | grep -v "run.$1\$"; }
fwd_before=$(cat /proc/sys/net/ipv4/ip_forward)
# no route back to the sandbox's subnet in the outside: only masquerade can answer it
outside_ns "gbto$$" "to$$h" "to$$n" "$C.1/24" "$C.2/24" noroute || fail "create outside namespace"
ip netns exec "gbto$$" env GBNC_READY="$TMP/ready" "$GBNC" serve "$C.2" 80 OUTSIDE 1 &
on_exit "kill $!"
wait_file "$TMP/ready" || fail "outside server not ready"
ip route get "$C.2" | grep -q "dev to$$h" || fail "the outside is not behind the test's veth"

gb_bg S --nat --veth "$A.2/24,$A.1/24" -- \
	sh -c "$GBNC connect $C.2 80 via-nat 5 > $TMP/c; while [ ! -e $TMP/stop ]; do sleep 0.1; done; : $MARK"
wait_route "$A.1"
[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ] && ok "ip_forward on during a --nat run" ||
	fail "ip_forward off during a --nat run"
# the route can come up before the rule: look for 10 s (a slow machine, an emulated one)
for _ in $(seq 100); do
	nft list table ip "glassbox_$S" 2>/dev/null | grep -q masquerade && break
	sleep 0.1
done
nft list table ip "glassbox_$S" 2>/dev/null | grep -q masquerade && ok "owner table with masquerade" ||
	fail "no masquerade rule in table ip glassbox_$S"
touch "$TMP/stop"
wait "$S" || fail "sandbox: $(cat "$TMP/S.err")"
if grep -q "^OUTSIDE $C.1 via-nat" "$TMP/c"; then
	ok "sandbox reached the outside namespace, masqueraded as $C.1"
else
	fail "--nat: $(cat "$TMP/c" "$TMP/S.err")"
fi
no_leaks "$S"
if [ -z "$(others "$S")" ]; then
	expect=$fwd_before
	[ -e /run/glassbox/net/ip_forward.orig ] && fail "ip_forward.orig left behind"
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$expect" ] &&
		ok "ip_forward back to $expect" || fail "ip_forward not restored to $expect"
else
	echo "note: other glassbox runs active; ip_forward restore not checked"
fi
net_finish
