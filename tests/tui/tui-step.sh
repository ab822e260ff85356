#!/bin/sh
# An allocation stepped stage by stage (watermark check, take, each split
# of expand, the allocation) and back: going back shows exactly the
# screen seen before, within a command and across commands.
. "$top_srcdir/tests/tui/lib.sh"
start 80 24 "$VMSCOPE tui $top_srcdir/tests/tui/alloc.cmd"
wait_for "step 0/17" || exit 1

keys n n
wait_for "step 2/17" && screen | grep -qF ">   2 buddy_take" &&
    screen | grep -qF "0 DMA32  0 0 0 0 0 0 0 0 0 0 57" && r=ok || r=no
check $r "step 2: the order-10 block is taken off its list"
keys n
wait_for "step 3/17" && screen | grep -qF ">   3 buddy_split" &&
    screen | grep -qF "0 DMA32  0 0 0 0 0 0 0 0 0 1 57" &&
    screen | grep -qF "expand: split 10->9, buddy 0x1600" && r=ok || r=no
check $r "step 3: the first split puts the buddy on order 9"
before=$(screen)
keys n
wait_for "step 4/17" || exit 1
keys b
wait_for "step 3/17" || exit 1
[ "$(screen)" = "$before" ] && r=ok || r=no
check $r "n then b shows exactly the same screen"

keys N
wait_for "step 10/17" && screen | grep -qF "allocated order 3 at pfn 0x1400" &&
    r=ok || r=no
check $r "N goes to the end of the command"
keys n n
wait_for "step 12/17" || exit 1
mid=$(screen)
keys B
wait_for "step 11/17" || exit 1
keys B
wait_for "step 10/17" || exit 1
keys N N
wait_for "step 17/17" || exit 1
keys g
keys 1 2 Enter
wait_for "step 12/17" || exit 1
[ "$(screen)" = "$mid" ] && r=ok || r=no
check $r "back across commands (a rebuild and replay) and g 12 give the same screen"
keys q
wait_for "back at the shell" || exit 1
finish
