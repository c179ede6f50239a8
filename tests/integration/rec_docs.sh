#!/bin/bash
# `make install` with DESTDIR and PREFIX puts the binary, the man page and the bash
# completion in place; the man page renders without warnings and names every event kind,
# every JSON field and every option the commands' --help lists; the completion completes.
. "$(dirname "$0")/lib.sh"
[ -x "$GLASSBOX" ] || { echo "FAIL: $GLASSBOX not built"; exit 1; }

make -s -C "$TOP" install DESTDIR="$TMP/root" PREFIX=/opt/gb >"$TMP/install.log" 2>&1 ||
	{ fail "make install failed: $(tail -3 "$TMP/install.log")"; finish; }
for f in sbin/glassbox share/man/man8/glassbox.8 share/bash-completion/completions/glassbox; do
	[ -f "$TMP/root/opt/gb/$f" ] && ok "installed $f" || fail "make install did not install $f"
done
make -s -C "$TOP" uninstall DESTDIR="$TMP/root" PREFIX=/opt/gb >/dev/null 2>&1
[ -z "$(find "$TMP/root" -type f)" ] && ok "make uninstall removes them" || fail "uninstall left files"

man="$TOP/doc/glassbox.8"
if command -v man >/dev/null; then
	warn=$(MANWIDTH=80 man --warnings -l "$man" 2>&1 >/dev/null)
	[ -z "$warn" ] && ok "the man page renders without warnings" || fail "man warnings: $warn"
fi
text=$(MANWIDTH=200 man -l "$man" 2>/dev/null || sed 's/\\-/-/g' "$man")
for cmd in run trace replay probe; do
	"$GLASSBOX" $cmd --help >"$TMP/help" 2>&1 || fail "glassbox $cmd --help failed"
	for opt in $(grep -oE -- '--[a-z][a-z0-9-]+' "$TMP/help" | sort -u); do
		grep -qF -- "$opt" <<<"$text" || fail "the man page does not document $cmd $opt"
	done
done
ok "the man page names every option of run, trace, replay and probe --help"
for k in clone exec exit signal_generate signal_deliver signal_failed setns unshare netdev_move; do
	grep -qE "^ +$k( |$)" <<<"$text" || fail "the man page has no entry for event $k"
done
# every JSON key the printer can write (from out_json.c's key literals)
for key in $(grep -ohE '(key_[a-z0-9]+|gb_json_key|nsset|flags_array)\(b, "[a-z_]+"' "$TOP/src/out_json.c" |
	sed -E 's/.*"([a-z_]+)"/\1/' | sort -u); do
	grep -qw -- "$key" <<<"$text" || fail "the man page does not name the JSON field $key"
done
ok "event kinds and JSON fields checked"

comp="$TOP/doc/glassbox.bash-completion"
bash -n "$comp" && ok "the completion parses" || fail "the completion has a syntax error"
if [ -f /usr/share/bash-completion/bash_completion ]; then
	got=$(bash -c '
		. /usr/share/bash-completion/bash_completion; . "$1"
		t() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		      COMPREPLY=(); _glassbox; echo "${COMPREPLY[*]}"; }
		t glassbox rep; t glassbox replay --ev; t glassbox run --events clone,signal_d
		t glassbox run --pid-view o; t glassbox run --signal USR; t glassbox run --as' _ "$comp")
	expect_eq "completions" "$(echo $got)" \
		"replay --events clone,signal_deliver own USR1 USR2 --as-pid1"
fi
finish
