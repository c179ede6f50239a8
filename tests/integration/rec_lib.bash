# Shared by the rec_*.sh tests, sourced after lib.sh (.bash: the runner only runs *.sh).
# supported_kinds: the event kinds this build and kernel can report (glassbox probe's
# "events:" lines, without those it marks unavailable)
supported_kinds() {
	# "not METHOD: why" lines say why a better method was not chosen: no kind there
	"$GLASSBOX" probe | sed -n '/^events:/,$p' |
		awk 'NR > 1 && NF && $1 ~ /^[a-z_]+$/ && $1 != "not" &&
			!/unavailable|not available|: no\>/ { print $1 }'
}

# A workload that makes every event kind glassbox knows, inside the sandbox's own
# network namespace: clones and execs, a nested PID namespace, signals (delivered,
# handled, fatal, and one to a PID that does not exist), unshare, setns, and a veth
# end moved into another network namespace.
write_workload() {
	cat >"$1" <<'EOS'
trap 'echo usr2' USR2
sleep 2 & kill -USR1 $!; wait
kill -USR2 $$
kill -0 999999 2>/dev/null
sh -c 'kill -TERM $$'
unshare -n true
nsenter --net=/proc/1/ns/net true
unshare -p -f sh -c 'sleep 0.05 & wait; exit 3'
ip link add gbrec0 type veth peer name gbrec1 && {
	unshare -n sleep 1 &
	sleep 0.2
	ip link set gbrec1 netns $!
	wait
}
true
EOS
}

# summary_line FILE: glassbox's closing "N events (...)" line from a stderr capture
summary_line() { grep -E '^glassbox: [0-9]+ events' "$1" | tail -n 1; }
