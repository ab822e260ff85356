#!/bin/sh
# The ':' prompt runs commands of the command language, with history.
. "$top_srcdir/tests/tui/lib.sh"
start 80 24 "$VMSCOPE tui"
wait_for "step 0/0" || exit 1
keys : 'alloc_pages 2'
wait_for ":alloc_pages 2" && r=ok || r=no
check $r "the prompt echoes what is typed"
keys Enter
wait_for "[1/1] alloc_pages 2" && screen | grep -qF "pfn 0x1400 (order 2" &&
    r=ok || r=no
check $r "Enter runs it: a new step, its result in the key bar"
keys : 'buddyinfo' Enter
wait_for "buddyinfo (any key closes)" &&
    screen | grep -qF "Node 0, zone    DMA32" && r=ok || r=no
check $r "several lines of output open a box"
keys x
wait_gone "any key closes" || exit 1
keys : Up Up
wait_for ":alloc_pages 2" && r=ok || r=no
check $r "Up recalls history"
keys Escape : 'frobnicate' Enter
wait_for "vmscope: frobnicate: unknown command" && r=ok || r=no
check $r "errors show in the key bar"
keys q
wait_for "back at the shell" || exit 1
finish
