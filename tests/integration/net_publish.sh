#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# --publish: two sandboxes both serve port 80 with different replies, published on two
# host ports; each host port gets its own reply over 127.0.0.1, ::1, and from another
# namespace (kernel path: the server sees the client's real address); UDP too.
. "$(dirname "$0")/lib/net.sh"

C=$(subnet 3)
HP1=$((20000 + $$ % 20000))
HP2=$((HP1 + 1))
HP3=$((HP1 + 2))
outside_ns "gbtc$$" "tc$$h" "tc$$n" "$C.1/24" "$C.2/24" || fail "create client namespace"
# IPv6 on the test's own veth too (a ULA of the test's), without waiting for DAD
V6=fd00:6b:$(printf %x $(($$ % 65536)))
ip -6 addr add "$V6::1/64" dev "tc$$h" nodad && ip -n "gbtc$$" -6 addr add "$V6::2/64" dev "tc$$n" nodad ||
	fail "IPv6 addresses on the client veth"

# the defaults: each sandbox gets a subnet of its own (10.1.N.0/24) without asking
gb_bg S1 --publish "$HP1:80" -- \
	env GBNC_READY="$TMP/r1" "$GBNC" serve 0.0.0.0 80 ONE 4 "$MARK"
gb_bg S2 --publish "$HP2:80/tcp" --publish "$HP3:53/udp" -- \
	sh -c "GBNC_READY=$TMP/r3 $GBNC userve 0.0.0.0 53 UDP 2 & GBNC_READY=$TMP/r2 $GBNC serve 0.0.0.0 80 TWO 3; wait; : $MARK"
wait_file "$TMP/r1" && wait_file "$TMP/r2" && wait_file "$TMP/r3" || fail "servers not ready: $(cat "$TMP"/S*.err)"


# the same host port a second time, while the first sandbox holds it
gb_bad "host port already published by another sandbox" "$HP1.*in use" --publish "$HP1:80"

check() { # what expected-regexp client-args...
	local what=$1 want=$2
	shift 2
	if "$@" >"$TMP/got" 2>&1 && grep -q "$want" "$TMP/got"; then
		ok "$what"
	else
		fail "$what: wanted /$want/, got: $(cat "$TMP/got")"
	fi
}
check "127.0.0.1:$HP1 reaches the first sandbox's port 80" "^ONE " "$GBNC" connect 127.0.0.1 "$HP1" a 3
check "127.0.0.1:$HP2 reaches the second sandbox's port 80" "^TWO " "$GBNC" connect 127.0.0.1 "$HP2" b 3
check "[::1]:$HP1 (IPv6) reaches the first sandbox" "^ONE .* c$" "$GBNC" connect ::1 "$HP1" c 3
check "[::1]:$HP2 (IPv6) reaches the second sandbox" "^TWO .* d$" "$GBNC" connect ::1 "$HP2" d 3
check "from another namespace to $C.1:$HP1: first sandbox sees the client's address $C.2" \
	"^ONE $C.2 e$" ip netns exec "gbtc$$" "$GBNC" connect "$C.1" "$HP1" e 3
check "from another namespace to $C.1:$HP2: second sandbox sees the client's address $C.2" \
	"^TWO $C.2 f$" ip netns exec "gbtc$$" "$GBNC" connect "$C.1" "$HP2" f 3
check "from another namespace over IPv6 to [$V6::1]:$HP1: the first sandbox answers" "^ONE .* j$" \
	ip netns exec "gbtc$$" "$GBNC" connect "$V6::1" "$HP1" j 3
check "UDP 127.0.0.1:$HP3 reaches the second sandbox's port 53" "^UDP .* g$" \
	"$GBNC" usend 127.0.0.1 "$HP3" g 3
check "UDP from another namespace to $C.1:$HP3: the sandbox sees the client's address" \
	"^UDP $C.2 i$" ip netns exec "gbtc$$" "$GBNC" usend "$C.1" "$HP3" i 3


wait "$S1" || fail "first sandbox exit: $(cat "$TMP/S1.err")"
wait "$S2" || fail "second sandbox exit: $(cat "$TMP/S2.err")"
no_leaks "$S1"
no_leaks "$S2"
check "host port $HP1 free again after the run" "ONE" sh -c \
	"GBNC_READY=$TMP/r4 $GBNC serve 127.0.0.1 $HP1 ONE 1 & sleep 0.3; $GBNC connect 127.0.0.1 $HP1 h 3"
net_finish
