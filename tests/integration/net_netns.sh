#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# --netns-name: `ip netns exec NAME` works while the sandbox lives, the name is gone after.
# --join-netns NAME|PATH: the sandbox runs in an existing namespace, which outlives it;
# a veth added to it goes away with the run.
. "$(dirname "$0")/lib/net.sh"

A=$(subnet 1)
NAME=gbn$$
gb_bg S --netns-name "$NAME" --veth "$A.2/24,$A.1/24" -- \
	sh -c "touch $TMP/up; while [ ! -e $TMP/stop ]; do sleep 0.1; done; : $MARK"
wait_file "$TMP/up" || fail "sandbox did not start: $(cat "$TMP/S.err")"
if ip netns list | grep -q "^$NAME\b" &&
	ip netns exec "$NAME" ip -4 -o addr show veth0 2>&1 | grep -q "$A.1/24"; then
	ok "ip netns exec $NAME sees the sandbox's veth0 with $A.1"
else
	fail "ip netns exec $NAME: $(ip netns list; ip netns exec "$NAME" ip -o addr 2>&1)"
fi
touch "$TMP/stop"
wait "$S" || fail "sandbox: $(cat "$TMP/S.err")"
ip netns list | grep -q "^$NAME\b" && fail "$NAME still listed by ip netns after the run"
no_leaks "$S" "" "$NAME" && ok "/run/netns/$NAME and its mount gone after the run"

# an existing namespace, by name and by path
J=gbj$$
ip netns add "$J" || fail "ip netns add $J"
on_exit "ip netns del $J"
ip -n "$J" link add "dj$$" type veth peer name "dk$$" || fail "veth pair in $J"
for target in "$J" "/run/netns/$J"; do
	if gb_fg --join-netns "$target" -- sh -c "ip -o link show > $TMP/links; : $MARK" &&
		grep -q "dj$$" "$TMP/links"; then
		ok "--join-netns $target: the sandbox runs in it"
	else
		fail "--join-netns $target: $(cat "$TMP/links" "$TMP/fg.err" 2>/dev/null)"
	fi
	no_leaks "$GBPID"
done
gb_fg --join-netns "$J" --veth "$A.2/24,$A.1/24" -- \
	sh -c "ip -4 -o addr show veth0 > $TMP/jv; : $MARK"
grep -q "$A.1/24" "$TMP/jv" && ok "--join-netns with --veth: veth0 in the joined namespace" ||
	fail "--join-netns --veth: $(cat "$TMP/jv" "$TMP/fg.err")"
no_leaks "$GBPID"
ip -n "$J" link show veth0 >/dev/null 2>&1 && fail "veth0 left in the joined namespace $J"
ip -n "$J" link show "dj$$" >/dev/null 2>&1 && ok "the joined namespace outlives the run, without veth0" ||
	fail "joined namespace $J damaged"
net_finish
