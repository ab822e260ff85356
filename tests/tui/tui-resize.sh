#!/bin/sh
# Resizing re-lays out at once: 120x40 shows every pane, 80x24 the
# compact layout, and nothing is drawn past the new edge.
. "$top_srcdir/tests/tui/lib.sh"
start 120 40 "$VMSCOPE tui"
wait_for "processes" && screen | grep -qF "address space" &&
    screen | grep -qF "page-table walk" && screen | grep -qF "TLB" &&
    r=ok || r=no
check $r "120x40: every pane"
tm resize-window -t "$T" -x 80 -y 24
wait_gone "processes" && r=ok || r=no
check $r "80x24: the compact layout"
s=$(screen)
[ "$(echo "$s" | wc -l)" -le 24 ] &&
    ! echo "$s" | awk 'length > 80 { bad = 1 } END { exit !bad }' &&
    echo "$s" | grep -qF "buddy free lists" &&
    echo "$s" | grep -qF "lists every key" && r=ok || r=no
check $r "80x24: fits, key bar on the last line"
tm resize-window -t "$T" -x 120 -y 40
wait_for "processes" && r=ok || r=no
check $r "back to 120x40"
keys q
wait_for "back at the shell" || exit 1
finish
