#!/bin/sh
# The terminal behaviours not covered elsewhere: the terminal is given
# back on SIGTERM and on a crash (SIGSEGV); UTF-8 line drawing in a UTF-8
# locale; NO_COLOR and --no-color draw no colour; and without a terminal
# the TUI refuses instead of spinning.
. "$top_srcdir/tests/tui/lib.sh"

# $$ of the inner sh is the pid vmscope gets with exec.
run_pid="sh -c 'echo \$\$ >$WORK/pid; exec $VMSCOPE tui'"

start 80 24 "$run_pid"
wait_for "step 0/0" || exit 1
kill -TERM "$(cat "$WORK/pid")"
wait_for "back at the shell" && screen | grep -qF "exit status 143" &&
    cmp -s "$WORK/stty.before" "$WORK/stty.after" && r=ok || r=no
check $r "SIGTERM: terminated, tty modes restored"
restart

start 80 24 "$run_pid"
wait_for "step 0/0" || exit 1
kill -SEGV "$(cat "$WORK/pid")"
wait_for "back at the shell" && screen | grep -qF "exit status 139" &&
    cmp -s "$WORK/stty.before" "$WORK/stty.after" && r=ok || r=no
check $r "a crash (SIGSEGV): tty modes restored before dying"
restart

if locale -a 2>/dev/null | grep -qi '^c\.utf-\{0,1\}8$'; then
	TUI_LC=C.UTF-8
	start 80 24 "$VMSCOPE tui"
	wait_for "step 0/0" && screen | grep -qF "┌" &&
	    ! screen | grep -qF "+- " && r=ok || r=no
	check $r "UTF-8 locale: line-drawing borders"
	keys q
	wait_for "back at the shell" >/dev/null
	restart
	TUI_LC=C
fi

# capture-pane -e shows colour changes as SGR 3x/4x codes.
start 80 24 "NO_COLOR=1 $VMSCOPE tui"
wait_for "step 0/0" || exit 1
! tm capture-pane -e -p -t "$T" | grep -qE '\[([0-9;]*;)?3[0-7][;m]' && r=ok || r=no
check $r "NO_COLOR: no colour"
keys q
wait_for "back at the shell" >/dev/null
restart
start 80 24 "$VMSCOPE tui"
wait_for "step 0/0" || exit 1
tm capture-pane -e -p -t "$T" | grep -qE '\[([0-9;]*;)?3[0-7][;m]' && r=ok || r=no
check $r "colours otherwise (TERM=screen)"
keys q
wait_for "back at the shell" >/dev/null
restart

"$VMSCOPE" tui </dev/null >"$WORK/out" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -qF "vmscope: tui: needs a terminal" "$WORK/out" &&
    r=ok || r=no
check $r "no terminal: a message and status 1 ($rc)"
finish
