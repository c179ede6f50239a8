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

# three sandboxes side by side: two with the default --veth get a /24 each (10.1.1.0/24
# if free, else the next free 10.1.N.0/24), one with chosen addresses
B=$(subnet 2)
for p in P1 P2; do
	gb_bg "$p" --veth -- sh -c "ip -4 -o addr show veth0 > $TMP/$p.a; ip route > $TMP/$p.r;
		while [ ! -e $TMP/stop ]; do sleep 0.1; done; : $MARK"
	wait_file "$TMP/$p.r" || fail "$p did not start: $(cat "$TMP/$p.err")"
done
gb_bg P3 --veth "$B.2/24,$B.1/24" -- sh -c "ip -4 -o addr show veth0 > $TMP/P3.a; ip route > $TMP/P3.r;
	while [ ! -e $TMP/stop ]; do sleep 0.1; done; : $MARK"
wait_file "$TMP/P3.r" || fail "P3 did not start: $(cat "$TMP/P3.err")"
nets=""
for p in P1 P2 P3; do
	pid=${!p}
	sb=$(grep -o 'inet [0-9.]*/24' "$TMP/$p.a" | cut -d' ' -f2)
	host=$(ip -4 -o addr show "gbv$pid" | grep -o 'inet [0-9.]*/24' | cut -d' ' -f2)
	if [ -n "$sb" ] && [ "${sb%.*}" = "${host%.*}" ] && [ "${sb%/*}" != "${host%/*}" ] &&
		grep -q "^default via ${host%/*} dev veth0" "$TMP/$p.r"; then
		ok "$p: veth0 $sb, host end gbv$pid $host, default route via the host end"
	else
		fail "$p: sandbox '$sb' host '$host': $(cat "$TMP/$p.a" "$TMP/$p.r" "$TMP/$p.err")"
	fi
	nets+="${sb%.*} "
done
grep -q "$B.1/24" "$TMP/P3.a" || fail "P3 did not get the chosen $B.1/24"
[ "$(echo $nets | tr ' ' '\n' | sort -u | wc -l)" = 3 ] && ok "three subnets: $nets" ||
	fail "sandboxes share a subnet: $nets"
touch "$TMP/stop"
for p in P1 P2 P3; do
	wait "${!p}" || fail "$p: $(cat "$TMP/$p.err")"
	no_leaks "${!p}"
done
net_finish
