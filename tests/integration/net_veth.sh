#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# New network namespace: loopback up (or down with --lo-down), --veth both ways, two
# sandboxes side by side, nothing left afterwards.
. "$(dirname "$0")/lib/net.sh"

# loopback: up by default, down with --lo-down, and no veth unless asked
if gb_fg -- sh -c "ip -o link show > $TMP/links; : $MARK" && grep -q 'lo:.*[<,]UP[,>]' "$TMP/links" &&
	! grep -q veth0 "$TMP/links"; then
	ok "loopback up, no veth by default"
else
	fail "default namespace: $(cat "$TMP/links" "$TMP/fg.err" 2>/dev/null)"
fi
no_leaks "$GBPID"
if gb_fg --lo-down -- sh -c "ip -o link show lo > $TMP/lo; : $MARK" && ! grep -q '[<,]UP[,>]' "$TMP/lo"; then
	ok "--lo-down leaves lo down"
else
	fail "--lo-down: $(cat "$TMP/lo" "$TMP/fg.err" 2>/dev/null)"
fi
no_leaks "$GBPID"

# sandbox server on 10.x.y.1 answers a host client
A=$(subnet 1)
gb_bg S1 --veth "$A.2/24,$A.1/24" -- sh -c "$GBNC serve $A.1 7000 SBX 1; : $MARK"
if wait_route "$A.1" && "$GBNC" connect "$A.1" 7000 ping 10 >"$TMP/c1" && grep -q "^SBX $A.2 ping" "$TMP/c1"; then
	ok "sandbox server answers a host client over the veth"
else
	fail "host -> sandbox: $(cat "$TMP/c1" "$TMP/S1.err")"
fi
wait "$S1"
no_leaks "$S1"

# host server on the host end answers a sandbox client
gb_bg S2 --veth "$A.2/24,$A.1/24" -- sh -c "$GBNC connect $A.2 7001 pong 10 > $TMP/c2; : $MARK"
wait_route "$A.1"
"$GBNC" serve "$A.2" 7001 HOST 1 &
srv=$!
on_exit "kill $srv"
if wait "$S2" && grep -q "^HOST $A.1 pong" "$TMP/c2"; then
	ok "host server on the host end answers a sandbox client"
else
	fail "sandbox -> host: $(cat "$TMP/c2" "$TMP/S2.err")"
fi
no_leaks "$S2"

# two sandboxes side by side, default --veth in one, chosen addresses in the other
B=$(subnet 2)
if ! ip route show | grep -q '^10\.1\.1\.0/24'; then
	gb_bg P1 --veth -- sh -c "ip -4 -o addr show veth0 > $TMP/p1; sleep 2; : $MARK"
else
	P1=""
	echo "note: 10.1.1.0/24 routed on this host; default --veth not tried"
fi
gb_bg P2 --veth "$B.2/24,$B.1/24" -- sh -c "ip -4 -o addr show veth0 > $TMP/p2; ip route > $TMP/r2; sleep 2; : $MARK"
wait_file "$TMP/p2"
if [ -n "$P1" ]; then
	wait_file "$TMP/p1"
	if grep -q '10.1.1.1/24' "$TMP/p1" && ip -4 -o addr show "gbv$P1" | grep -q '10.1.1.2/24'; then
		ok "default --veth: host end 10.1.1.2/24, sandbox end 10.1.1.1/24"
	else
		fail "default --veth addresses: $(cat "$TMP/p1" "$TMP/P1.err")"
	fi
fi
if grep -q "$B.1/24" "$TMP/p2" && grep -q "^default via $B.2 dev veth0" "$TMP/r2" &&
	ip -4 -o addr show "gbv$P2" | grep -q "$B.2/24"; then
	ok "--veth HOST,SANDBOX addresses and default route; two sandboxes side by side"
else
	fail "chosen --veth: $(cat "$TMP/p2" "$TMP/r2" "$TMP/P2.err")"
fi
[ -n "$P1" ] && { wait "$P1" || fail "first sandbox: $(cat "$TMP/P1.err")"; }
wait "$P2" || fail "second sandbox: $(cat "$TMP/P2.err")"
[ -n "$P1" ] && no_leaks "$P1"
no_leaks "$P2"
net_finish
