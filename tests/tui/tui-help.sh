#!/bin/sh
# The help overlay lists the keys and goes away.
. "$top_srcdir/tests/tui/lib.sh"
start 80 24 "$VMSCOPE tui"
wait_for "step 0/0" || exit 1
keys '?'
wait_for "help: keys" && r=ok || r=no
check $r "? opens the help overlay"
s=$(screen)
for k in "next event" "back one event" "next command" "play / pause" \
    "go to step N" "next / previous pane" "find an address" \
    "run a command" "quit the TUI"; do
	echo "$s" | grep -qF "$k" && r=ok || r=no
	check $r "help lists '$k'"
done
keys Escape
wait_gone "help: keys" && r=ok || r=no
check $r "Esc closes it"
keys q
wait_for "back at the shell" || exit 1
finish
