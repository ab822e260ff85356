#!/bin/sh
# The readline prompt as a user meets it, in a real terminal (tmux): tab
# completion of commands, pids, VMA starts, files and zones from the
# command table, Ctrl-C cancelling the line, history kept in
# $XDG_STATE_HOME/vmscope/history, Ctrl-D leaving.
. "$top_srcdir/tests/tui/lib.sh"

start 120 30 "XDG_STATE_HOME=$WORK $VMSCOPE -q"
wait_for "vmscope>" || exit 1
keys 'spawn sh; file data 8K; mmap 1 0x10000000 8K' Enter
wait_for "0x10000000" || exit 1

keys 'buddyi' Tab
wait_for "vmscope> buddyinfo" && r=ok || r=no
check $r "Tab completes a command name"
keys C-c
keys 'ps' Enter
wait_for "  PID  PPID COMM" && ! screen | grep -qF "buddyinfops" && r=ok || r=no
check $r "Ctrl-C cancels the line being typed"

keys 'translate ' Tab
wait_for "vmscope> translate 1" && r=ok || r=no
check $r "Tab completes the only live pid"
keys C-c
keys 'munmap 1 0x1' Tab
wait_for "vmscope> munmap 1 0x10000000" && r=ok || r=no
check $r "Tab completes a VMA start of the pid typed"
keys C-c
keys 'mmap 1 4K rw shared file=d' Tab
wait_for "file=data" && r=ok || r=no
check $r "Tab completes file=NAME from the machine's files"
keys C-c
keys 'alloc_pages 0 --zone DMA3' Tab
wait_for "--zone DMA32" && r=ok || r=no
check $r "Tab completes zone names after --zone"
keys C-c
keys 'alloc_pages 0 --n' Tab
wait_for "alloc_pages 0 --node" && r=ok || r=no
check $r "Tab completes the command's options"
keys C-c

keys 'free_pages 0x1' Enter
wait_for "vmscope: free_pages:" && r=ok || r=no
check $r "a bad command prints one message and the prompt comes back"
keys C-d
wait_for "back at the shell" && screen | grep -qF "exit status 0" &&
    r=ok || r=no
check $r "Ctrl-D leaves with status 0"
grep -qx 'spawn sh; file data 8K; mmap 1 0x10000000 8K' \
    "$WORK/vmscope/history" && r=ok || r=no
check $r "the history file keeps the lines typed"
finish
