#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Bad network input: one line on stderr ("glassbox: ..."), a non-zero exit, nothing of
# the run left on the host.
. "$(dirname "$0")/lib/net.sh"

D=$(subnet 5)
gb_bad "malformed CIDR" "--veth 10.1.1.300/24" --veth "10.1.1.300/24,10.1.1.1/24"
gb_bad "CIDR without prefix" "--veth" --veth "10.1.1.2,10.1.1.1/24"
gb_bad "malformed --publish" "--publish 80" --publish 80
gb_bad "interface name too long" "--network abcdefghijklm" --network abcdefghijklm

outside_ns "gbtb$$" "tb$$h" "tb$$n" "$D.1/24" "$D.2/24" noroute || fail "create route $D.0/24"
gb_bad "subnet equal to a host route" "overlaps the host route $D.0/24" --veth "$D.5/24,$D.6/24"
gb_bad "subnet containing a host route" "overlaps the host route" --veth "${D%.*}.0.2/16,${D%.*}.0.3/16"

PORT=$((40000 + $$ % 20000))
GBNC_READY="$TMP/ready" "$GBNC" serve 127.0.0.1 "$PORT" BUSY 1 &
on_exit "kill $!"
wait_file "$TMP/ready" || fail "port holder not ready"
gb_bad "host port already in use" "$PORT.*in use" --publish "$PORT:80"

gb_bad "--join-netns that does not exist" "gbnone$$.*No such file" --join-netns "gbnone$$"
gb_bad "--join-netns a file that is no namespace" "not a network namespace" --join-netns /etc/hostname
gb_bad "--join-netns a PID namespace" "not a network namespace" --join-netns /proc/self/ns/pid

ip netns add "gbx$$" || fail "ip netns add gbx$$"
on_exit "ip netns del gbx$$"
gb_bad "--netns-name already taken" "/run/netns/gbx$$ already exists" --netns-name "gbx$$"
[ -e "/run/netns/gbx$$" ] || fail "the existing /run/netns/gbx$$ was removed"

# found only after the clone: the joined namespace already has a veth0
ip -n "gbx$$" link add veth0 type veth peer name vx0 || fail "veth0 in gbx$$"
gb_bad "veth0 already in the joined namespace" "veth.*File exists" --join-netns "gbx$$" --veth "$(subnet 6).2/24,$(subnet 6).1/24"
ip route get "$(subnet 6).1" | grep -q " dev gb" && fail "route to $(subnet 6).0/24 left behind"
net_finish
