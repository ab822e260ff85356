#!/bin/sh
# The README's first command: `vmscope tui tour` opens the guided tour
# (found by name in the scenario library). At 80x24 the whole welcome
# text is readable in a box named after the tour, and n goes to the
# first step. The tour's text changes as it grows: only its shape is
# tested here.
. "$top_srcdir/tests/tui/lib.sh"
start 80 24 "$VMSCOPE tui tour"
wait_for "step 0/" || exit 1
s=$(screen)
title=$(echo "$s" | sed -n '1s/.*  start: \(.*[^ ]\) *$/\1/p')
[ -n "$title" ] && echo "$s" | grep -qF -- "+- $title -" && r=ok || r=no
check $r "the header and the narration box carry the tour's title ($title)"
echo "$s" | grep -qF "| (n: the first step)" && r=ok || r=no
check $r "the whole welcome text fits at 80x24 (its last line shows)"
[ "$(echo "$s" | wc -l)" -le 24 ] &&
    ! echo "$s" | awk 'length > 80 { bad = 1 } END { exit !bad }' &&
    r=ok || r=no
check $r "fits 80x24"
keys n
wait_for "step 1/" && screen | grep -qE "step 1/[0-9]+  \[1/[0-9]+\] " &&
    r=ok || r=no
check $r "n goes to the first step"
keys b
# (the key bar's greeting is gone: compare everything above it)
wait_for "step 0/" && [ "$(screen | sed '$d')" = "$(echo "$s" | sed '$d')" ] &&
    r=ok || r=no
check $r "b comes back to the same first screen"
keys q
wait_for "back at the shell" >/dev/null
screen | grep -qF "exit status 0" && r=ok || r=no
check $r "q quits with status 0"
finish
