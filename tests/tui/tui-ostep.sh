#!/bin/sh
# `vmscope ostep FILE --tui` on paging-multilevel-translate.py's seed-0
# problem: the start is the problem's toy machine (a saved state, not a
# command replay), the first question is the homework's worked example
# 0x611c, and its translate step shows the walk through the problem's
# own tables: pgd (OSTEP's pde) index 24 -> table 0x21, pte index 8 ->
# frame 0x35, physical 0x6bc. Going back to the start restores the saved
# machine and replays the same screen.
. "$top_srcdir/tests/tui/lib.sh"
start 80 24 "$VMSCOPE ostep $top_srcdir/tests/data/ostep/multilevel-seed0.txt --tui"
wait_for "step 0/31" && screen | grep -qF "The directory is at page 108" &&
    screen | grep -qF "toy 8K" && r=ok || r=no
check $r "step 0: the problem's toy machine and its description"

keys n
wait_for "step 1/31" &&
    screen | grep -qF "Virtual Address 611c: which physical address" &&
    r=ok || r=no
check $r "step 1: the question for the first address"
keys a
keys -l 0x06BC
keys Enter
wait_for "Right!" && r=ok || r=no
check $r "the simulator's answer, however the number is written"

keys n
wait_for "step 2/31" &&
    screen | grep -qF "translate 1 0x611c" &&
    screen | grep -qF "pid 1 va 0x611c: pgd[24] pte[8] +0x1c" &&
    screen | grep -qF "pgd  [ 24] 0xa1" &&
    screen | grep -qF "pte  [  8] 0xb5" &&
    screen | grep -qF "Translates to Physical Address 0x6bc" && r=ok || r=no
check $r "step 2: the walk pane shows the pde and pte indexes and entries"
keys n
wait_for "step 3/31" || exit 1
seen=$(screen)

keys '<'
wait_for "step 0/31" || exit 1
keys n n n
wait_for "step 3/31" || exit 1
[ "$(screen)" = "$seen" ] && r=ok || r=no
check $r "back to the start (restored from the saved state) and forward: same screen"

keys q
wait_for "exit status 0" && r=ok || r=no
check $r "q quits with status 0"
finish
