#!/bin/sh
# The terminal is given back as it was: on q, on Ctrl-C, and from the
# REPL's `tui` command, which returns to the prompt with the same state.
. "$top_srcdir/tests/tui/lib.sh"

start 80 24 "$VMSCOPE tui"
wait_for "step 0/0" || exit 1
keys q
wait_for "back at the shell" && screen | grep -qF "exit status 0" &&
    cmp -s "$WORK/stty.before" "$WORK/stty.after" && r=ok || r=no
check $r "q: exit status 0, tty modes restored"
! screen | grep -qF "step 0/0" && r=ok || r=no
check $r "q: the full-screen view is gone"
restart

start 80 24 "$VMSCOPE tui"
wait_for "step 0/0" || exit 1
keys C-c
wait_for "back at the shell" && screen | grep -qF "exit status 130" &&
    cmp -s "$WORK/stty.before" "$WORK/stty.after" && r=ok || r=no
check $r "Ctrl-C: exit status 130, tty modes restored"
restart

start 80 24 "XDG_STATE_HOME=$WORK $VMSCOPE -q"
wait_for "vmscope>" || exit 1
keys 'alloc_pages 3' Enter
wait_for "pfn 0x1400" || exit 1
keys 'tui' Enter
wait_for "step 0/0" && r=ok || r=no
check $r "the REPL's tui command opens the view"
keys : 'alloc_pages 3' Enter
wait_for "[1/1] alloc_pages 3" || exit 1
keys B
wait_for "step 0/3" || exit 1
keys n N
wait_for "pfn 0x1408" || exit 1
keys q
wait_for "vmscope>" && r=ok || r=no
check $r "q returns to the prompt"
keys 'alloc_pages 3' Enter
wait_for "pfn 0x1410" && r=ok || r=no
check $r "with the same state (a third order-3 block)"
keys 'quit' Enter
wait_for "back at the shell" &&
    cmp -s "$WORK/stty.before" "$WORK/stty.after" && r=ok || r=no
check $r "REPL: tty modes restored"
finish
