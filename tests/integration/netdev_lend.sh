#!/bin/bash
# glassbox run --netdev IFNAME: the device is inside the sandbox during the run and
# back in the host's namespace, under its name and still paired, after a normal exit,
# after a failing COMMAND, and after SIGKILL of glassbox; nothing is left behind.
# veth only (this kernel has no dummy driver; the test uses dummy where there is one
# too). A veth end in a namespace that dies is destroyed with it, not handed back, so
# coming back after SIGKILL is glassbox's doing (the guard process), not the kernel's.
. "$(dirname "$0")/lib.sh"
need_root
command -v jq >/dev/null || skip "needs jq"
ip link add gblp$$ type veth peer name gblq$$ 2>/dev/null || skip "no veth support"
ip link del gblp$$

P=gbl$$
on_exit "ip link del ${P}a"
on_exit "ip link del ${P}c"
on_exit "ip link del ${P}e"
on_exit "ip link del ${P}x"
on_exit "pkill -KILL -f marker-$$"

in_host() { ip link show dev "$1" >/dev/null 2>&1; }
# wait up to 5 s for a condition
wait_for() {
	local i
	for i in $(seq 100); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}
peer_of() { ip -d -o link show dev "$1" | sed -n 's/.*@\([^:]*\):.*/\1/p'; }

echo "== normal exit"
ip link add ${P}a type veth peer name ${P}b || fail "cannot create veth"
A_MAC=$(cat /sys/class/net/${P}a/address)
"$GLASSBOX" run --json -o "$TMP/n.json" --events netdev_move --netdev ${P}a -- sh -c \
	"ip -o link show dev ${P}a > $TMP/inside; readlink /proc/self/ns/net > $TMP/inside.ns;
	 ip link set ${P}a up && ip addr add 10.252.$(($$ % 250)).1/30 dev ${P}a" \
	marker-$$ 2>"$TMP/n.err"
rc=$?
expect_eq "exit status" "$rc" 0
grep -q "${P}a" "$TMP/inside" && ok "${P}a was in the sandbox" || fail "${P}a not seen inside"
in_host ${P}a && ok "${P}a back in the host" || fail "${P}a not back after a normal exit"
expect_eq "${P}a keeps its address" "$(cat /sys/class/net/${P}a/address 2>/dev/null)" "$A_MAC"
expect_eq "${P}a still paired with ${P}b" "$(peer_of ${P}a)" "${P}b"
ip -o addr show dev ${P}a | grep -q 10.252 && fail "the sandbox's address came back too" ||
	ok "moving a device drops the sandbox's addresses"
SB_NS=$(tr -dc 0-9 <"$TMP/inside.ns")
HOST_NS=$(readlink /proc/self/ns/net | tr -dc 0-9)
expect_eq "netdev_move events" "$(jcount "$TMP/n.json" '.event == "netdev_move"')" 2
expect_eq "lent: host -> sandbox by the guard" \
	"$(jcount "$TMP/n.json" '.event == "netdev_move" and .comm == "glassbox-netdev" and .old_netns == '"$HOST_NS"' and .new_netns == '"$SB_NS"' and .old_name == "'${P}a'" and .ret == 0')" 1
expect_eq "given back: sandbox -> host by the guard" \
	"$(jcount "$TMP/n.json" '.event == "netdev_move" and .comm == "glassbox-netdev" and .old_netns == '"$SB_NS"' and .new_netns == '"$HOST_NS"' and .new_name == "'${P}a'" and .ret == 0')" 1

echo "== renamed inside, COMMAND fails"
ip link add ${P}c type veth peer name ${P}d || fail "cannot create veth"
"$GLASSBOX" run --netdev ${P}c -- sh -c "ip link set ${P}c name ${P}z; exit 3" marker-$$ \
	>/dev/null 2>"$TMP/r.err"
expect_eq "exit status is COMMAND's" "$?" 3
in_host ${P}c && ok "${P}c back under its own name" || fail "${P}c not back: $(cat "$TMP/r.err")"
in_host ${P}z && fail "${P}z (the sandbox's name) is in the host"

echo "== its name taken in the host meanwhile"
ip link add ${P}m type veth peer name ${P}o || fail "cannot create veth"
on_exit "ip link del ${P}m"
on_exit "ip link del ${P}n"
"$GLASSBOX" run --netdev ${P}m -- sh -c \
	"ip link set ${P}m name ${P}n; while [ ! -e $TMP/taken ]; do sleep 0.05; done" marker-$$ \
	>/dev/null 2>"$TMP/t.err" &
GB=$!
wait_for sh -c "! ip link show dev ${P}m >/dev/null 2>&1" || fail "${P}m never moved"
ip link add ${P}m type veth peer name ${P}p || fail "cannot take the name ${P}m"
touch "$TMP/taken"
wait $GB
expect_eq "exit status" "$?" 0
in_host ${P}n && ok "${P}m came back under the sandbox's name ${P}n" ||
	fail "${P}m/${P}n not back: $(cat "$TMP/t.err")"
grep -q "back, but under the name the sandbox gave it" "$TMP/t.err" && ok "says so" ||
	fail "no message about the name: $(cat "$TMP/t.err")"
ip link del ${P}m 2>/dev/null
ip link del ${P}n 2>/dev/null

echo "== both its names taken in the host meanwhile"
ip link add ${P}m type veth peer name ${P}o || fail "cannot create veth"
"$GLASSBOX" run --netdev ${P}m -- sh -c \
	"ip link set ${P}m name ${P}n; while [ ! -e $TMP/taken2 ]; do sleep 0.05; done" marker-$$ \
	>/dev/null 2>"$TMP/t2.err" &
GB=$!
wait_for sh -c "! ip link show dev ${P}m >/dev/null 2>&1" || fail "${P}m never moved"
ip link add ${P}m type veth peer name ${P}n || fail "cannot take the names ${P}m, ${P}n"
touch "$TMP/taken2"
wait $GB
expect_eq "exit status" "$?" 0
expect_eq "${P}o's peer came back, renamed after ${P}m%d" "$(peer_of ${P}o | sed 's/[0-9]*$//')" "${P}m"
grep -q "renamed after the pattern" "$TMP/t2.err" && ok "says so" ||
	fail "no message about the name: $(cat "$TMP/t2.err")"
ip link del ${P}o 2>/dev/null
ip link del ${P}m 2>/dev/null

echo "== SIGKILL of glassbox"
ip link add ${P}e type veth peer name ${P}f || fail "cannot create veth"
"$GLASSBOX" run --netdev ${P}e -- sh -c 'sleep 60' marker-$$ >/dev/null 2>"$TMP/k.err" &
GB=$!
wait_for sh -c "! ip link show dev ${P}e >/dev/null 2>&1" && ok "${P}e left the host" ||
	fail "${P}e never moved: $(cat "$TMP/k.err")"
# the guard runs in its own session; find it by its parent before the kill
GUARD=$(ps -o pid=,comm= --ppid $GB | awk '$2 == "glassbox-netdev" { print $1 }')
[ -n "$GUARD" ] && ok "guard process $GUARD" || fail "no glassbox-netdev guard under $GB"
kill -KILL $GB
wait $GB 2>/dev/null
wait_for in_host ${P}e && ok "${P}e back in the host after SIGKILL" ||
	fail "${P}e not back after SIGKILL of glassbox"
expect_eq "${P}e still paired with ${P}f" "$(peer_of ${P}e)" "${P}f"
[ -n "$GUARD" ] && { wait_for sh -c "! kill -0 $GUARD 2>/dev/null" && ok "guard exited" ||
	fail "guard $GUARD still running"; }
wait_for sh -c "! pgrep -f marker-$$ >/dev/null" || true
no_process_matching "marker-$$"

echo "== a device that does not exist"
"$GLASSBOX" run --netdev ${P}x -- true marker-$$ >/dev/null 2>"$TMP/x.err"
rc=$?
[ $rc = 1 ] && grep -q "${P}x" "$TMP/x.err" && ok "refused with: $(cat "$TMP/x.err")" ||
	fail "--netdev of a missing device: exit $rc, $(cat "$TMP/x.err")"
no_process_matching "marker-$$"

echo "== one device lent, the second missing: the first comes back"
"$GLASSBOX" run --netdev ${P}a --netdev ${P}x -- true marker-$$ >/dev/null 2>"$TMP/y.err"
[ $? = 1 ] && ok "refused" || fail "a missing second --netdev must fail the run"
in_host ${P}a && ok "${P}a back" || fail "${P}a not back after the second --netdev failed"

if ip link add ${P}y type dummy 2>/dev/null; then
	echo "== dummy device"
	on_exit "ip link del ${P}y"
	"$GLASSBOX" run --netdev ${P}y -- sh -c 'sleep 60' marker-$$ >/dev/null 2>&1 &
	GB=$!
	wait_for sh -c "! ip link show dev ${P}y >/dev/null 2>&1" || fail "${P}y never moved"
	kill -KILL $GB
	wait $GB 2>/dev/null
	wait_for in_host ${P}y && ok "dummy ${P}y back after SIGKILL" || fail "dummy ${P}y lost"
else
	echo "(no dummy driver in this kernel: veth only)"
fi

echo "== what the kernel does alone (why the guard exists)"
ip link add ${P}g type veth peer name ${P}h || fail "cannot create veth"
on_exit "ip link del ${P}g"
unshare -n sleep 1 &
NSP=$!
sleep 0.2
ip link set ${P}g netns $NSP || fail "moving ${P}g into a short-lived namespace"
wait $NSP
if wait_for sh -c "! ip link show dev ${P}h >/dev/null 2>&1"; then
	echo "note: a veth end in a dying namespace is destroyed, its peer with it"
elif in_host ${P}g; then
	echo "note: this kernel hands veth devices back when their namespace dies"
fi

ip link del ${P}a 2>/dev/null
ip link del ${P}c 2>/dev/null
ip link del ${P}e 2>/dev/null
ip link del ${P}g 2>/dev/null
ip link del ${P}y 2>/dev/null
for d in ${P}a ${P}b ${P}c ${P}d ${P}e ${P}f ${P}g ${P}h ${P}m ${P}n ${P}o ${P}p ${P}y ${P}z; do
	in_host $d && fail "$d left behind"
done
finish
