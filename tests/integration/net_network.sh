#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# --network NAME: two sandboxes on one network reach each other by address; a third on
# another network cannot, even with forwarding on (--nat); the bridge is created on first
# use and removed with its last member.
. "$(dirname "$0")/lib/net.sh"

NA=a$$
NB=b$$
A=$(subnet 1)
B=$(subnet 2)

# up until the test creates $TMP/stop1
gb_bg S1 --network "$NA" --veth "$A.1/24,$A.11/24" -- sh -c "GBNC_READY=$TMP/r1 $GBNC serve \
	0.0.0.0 80 NET-A 1; while [ ! -e $TMP/stop1 ]; do sleep 0.1; done; : $MARK"
wait_file "$TMP/r1" || fail "first sandbox not ready: $(cat "$TMP/S1.err")"
if ip -o link show "gb-$NA" >/dev/null 2>&1 && ip -4 -o addr show "gb-$NA" | grep -q "$A.1/24" &&
	ip -o link show "gbv$S1" | grep -q "master gb-$NA"; then
	ok "bridge gb-$NA created on first use with $A.1/24, sandbox's host end on it"
else
	fail "bridge gb-$NA: $(ip -o link show "gb-$NA" 2>&1; ip -o link show "gbv$S1" 2>&1)"
fi

# same network, an address already taken by a member; a different gateway address
gb_bad "an address already on the network" "$A.11" --network "$NA" --veth "$A.1/24,$A.11/24"
gb_bad "a different host address on an existing network" "gb-$NA has address $A.1/24" \
	--network "$NA" --veth "$A.2/24,$A.12/24"

# another network, with forwarding on: cannot reach the first
gb_fg --network "$NB" --veth "$B.1/24,$B.13/24" --nat -- \
	sh -c "$GBNC connect $A.11 80 from-b 2 > $TMP/c3 2>&1; echo \$? > $TMP/rc3; : $MARK"
if [ "$(cat "$TMP/rc3")" = 1 ] && ! grep -q NET-A "$TMP/c3"; then
	ok "a sandbox on network $NB cannot reach one on $NA (forwarding on)"
else
	fail "network $NB reached $NA: rc $(cat "$TMP/rc3") $(cat "$TMP/c3")"
fi
no_leaks "$GBPID" "gb-$NB"

# no --veth: the network's subnet, and the first address no member has
gb_fg --network "$NA" -- sh -c "$GBNC connect $A.11 80 from-a 5 > $TMP/c2; : $MARK"
if grep -q "^NET-A $A.2 from-a" "$TMP/c2"; then
	ok "two sandboxes on network $NA reach each other by address (the second's chosen: $A.2)"
else
	fail "same network: $(cat "$TMP/c2" "$TMP/fg.err")"
fi
no_leaks "$GBPID"
ip -o link show "gb-$NA" >/dev/null 2>&1 || fail "bridge gb-$NA removed while a member remains"
touch "$TMP/stop1"
wait "$S1" || fail "first sandbox: $(cat "$TMP/S1.err")"
no_leaks "$S1" "gb-$NA" && ok "bridge gb-$NA removed with its last member"
net_finish
