#!/bin/sh
# The first screens of a tour: the layout at 80x24, the narration of the
# first step, and stepping into it.
. "$top_srcdir/tests/tui/lib.sh"
start 80 24 "$VMSCOPE tui $top_srcdir/tests/tui/alloc.cmd"

wait_for "step 0/17" && r=ok || r=no
check $r "opens at step 0 of 17"
s=$(screen)
echo "$s" | grep -qF "+- physical memory -" &&
    echo "$s" | grep -qF "buddy free lists" &&
    echo "$s" | grep -qF "[events]" &&
    echo "$s" | grep -qF "lists every key" && r=ok || r=no
check $r "panes, ASCII borders under LC_ALL=C, key bar"
[ "$(echo "$s" | wc -l)" -le 24 ] &&
    ! echo "$s" | awk 'length > 80 { bad = 1 } END { exit !bad }' &&
    r=ok || r=no
check $r "fits 80x24"

keys n
wait_for "step 1/17  [1/3] alloc_pages 3" && r=ok || r=no
check $r "n steps into the first command"
s=$(screen)
echo "$s" | grep -qF "An order-3 request when only order-10 blocks are free." &&
    echo "$s" | grep -qF "narration" && r=ok || r=no
check $r "the narration box"
echo "$s" | grep -qF "wmark_check" && r=ok || r=no
check $r "the first event in the log"
keys q
wait_for "back at the shell" && r=ok || r=no
check $r "q quits"
finish
