#!/bin/bash
# Hardening by default: bounding set, no_new_privs, no bpf(), no inherited fds; what
# a namespaced root needs for the reference's scenarios still works.
. "$(dirname "$0")/lib.sh"
need_root

# capability bits of a /proc/PID/status line inside the sandbox
capbits() { "$GLASSBOX" run --output /dev/null "$@" 2>/dev/null; }
has_cap() { (( (16#$1 >> $2) & 1 )); }

bnd=$(capbits -- sh -c "sed -n 's/^CapBnd:\t//p' /proc/self/status")
[ -n "$bnd" ] || fail "no CapBnd read"
for c in 16:SYS_MODULE 17:SYS_RAWIO 19:SYS_PTRACE 22:SYS_BOOT 25:SYS_TIME 33:MAC_ADMIN 34:SYSLOG 38:PERFMON 39:BPF; do
	has_cap "$bnd" "${c%%:*}" && fail "CAP_${c#*:} still in the bounding set ($bnd)" || ok "CAP_${c#*:} dropped"
done
for c in 12:NET_ADMIN 21:SYS_ADMIN 0:CHOWN 5:KILL; do
	has_cap "$bnd" "${c%%:*}" && ok "CAP_${c#*:} kept" || fail "CAP_${c#*:} missing ($bnd)"
done
expect_eq "NoNewPrivs" "$(capbits -- sh -c "sed -n 's/^NoNewPrivs:\t//p' /proc/self/status")" 1

bnd=$(capbits --cap-add sys_ptrace,CAP_SYS_TIME --cap-drop net_admin -- sh -c "sed -n 's/^CapEff:\t//p' /proc/self/status")
has_cap "$bnd" 19 && ok "--cap-add sys_ptrace" || fail "--cap-add sys_ptrace: $bnd"
has_cap "$bnd" 25 && ok "--cap-add CAP_SYS_TIME" || fail "--cap-add CAP_SYS_TIME: $bnd"
has_cap "$bnd" 12 && fail "--cap-drop net_admin left it: $bnd" || ok "--cap-drop net_admin"

expect_eq "--user 65534:65534" "$(capbits --user 65534:65534 -- sh -c 'echo $(id -u):$(id -g) $(sed -n "s/^CapEff:\t//p" /proc/self/status)')" \
	"65534:65534 0000000000000000"

# the sandbox cannot reach glassbox's BPF objects: bpf() is refused outright
out=$(capbits -- bpftool prog show 2>&1; true)
capbits -- bpftool map show >/dev/null 2>&1
expect_eq "bpftool map show inside exits non-zero" $? 255
out=$("$GLASSBOX" run --output /dev/null -- bpftool prog show 2>&1 >/dev/null | grep -c "Operation not permitted")
expect_eq "bpf() denied with EPERM" "$out" 1

# no file descriptor of glassbox's beyond stdio: ls opens its own directory fd only
fds=$(capbits -- sh -c 'ls /proc/self/fd' | tr '\n' ' ')
expect_eq "fds inside" "$fds" "0 1 2 3 "
fds=$(capbits --as-pid1 -- ls /proc/self/fd | tr '\n' ' ')
expect_eq "fds inside with --as-pid1" "$fds" "0 1 2 3 "

# a namespaced root still does what the reference does: a nested PID namespace with
# its own /proc, and its own network administration
out=$(capbits -- unshare -fp --mount-proc sh -c 'echo $$; ps -e -o pid= | wc -l')
expect_eq "unshare -fp --mount-proc inside: PID and process count (sh, ps, wc)" "$(echo $out)" "1 3"
out=$(capbits -- sh -c 'ip link set lo up && ip -o link show lo | grep -c "UP"')
expect_eq "ip link set lo up inside" "$out" 1
# and it cannot see or signal the host's processes
capbits -- kill -0 $$
expect_eq "kill -0 of a host PID from inside fails" $? 1
finish
