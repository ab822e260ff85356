#!/bin/sh
# Mouse clicks: a click on an event row selects it (its explanation shows
# under the log, Enter then steps to it) and a click on a VMA row selects
# that VMA (its details show under the list). The clicks are typed into
# the pane as the terminal would send them, in the protocol ncurses asks
# for: X10 (ESC [ M b x y, one byte each) under lib.sh's TERM=screen, and
# SGR (ESC [ < b ; x ; y M) under TERM=xterm-256color, whose kmous is
# "\E[<" in ncurses >= 6.1.
. "$top_srcdir/tests/tui/lib.sh"

# chr N: the byte N (32..126), for X10 coordinates.
chr() {
	printf "\\$(printf %o "$1")"
}
# click COL ROW: a left press and release, 1-based, in the protocol of
# the running test (PROTO).
click() {
	if [ "$PROTO" = sgr ]; then
		keys -l "$(printf '\033[<0;%d;%dM\033[<0;%d;%dm' "$1" "$2" "$1" "$2")"
	else
		x=$(chr $((32 + $1)))
		y=$(chr $((32 + $2)))
		keys -l "$(printf '\033[M %s%s\033[M#%s%s' "$x" "$y" "$x" "$y")"
	fi
}

# At 100x30 with fault.cmd at its last step: the address-space pane's
# rows start at screen row 3 (555555554000 app r-xp is row 9), the
# event log's at row 19 (step 67, access_retry, when step 73 is last).
run_clicks() {
	start 100 30 "$1 $VMSCOPE tui $top_srcdir/tests/tui/fault.cmd"
	wait_for "step 0/" || return 1
	keys N N N
	wait_for "step 73/73" || return 1
	screen | grep -qF "this time the walk" && r=no || r=ok
	check $r "$PROTO: before any click, access_retry is not explained"

	click 10 19
	wait_for "this time the walk" && screen | grep -qF "+- [events]" &&
	    screen | grep -qF "step 73/73" && r=ok || r=no
	check $r "$PROTO: a click on access_retry explains it, focuses the log"
	keys Enter
	wait_for "step 67/73" && screen | grep -qE "^\|> +67 access_retry " &&
	    r=ok || r=no
	check $r "$PROTO: Enter steps to the clicked event"
	keys N
	wait_for "step 73/73" || return 1

	screen | grep -qF "pid 1 app: 100000000000-100000004000 rw-p" &&
	    r=ok || r=no
	check $r "$PROTO: the VMA of the fault is selected"
	click 10 9
	wait_for "pid 1 app: 555555554000-555555559000 r-xp" &&
	    screen | grep -qE "^\|>555555554000 app +r-xp" &&
	    screen | grep -qF "+- [address space *]" && r=ok || r=no
	check $r "$PROTO: a click on the text VMA selects it and shows it"
	click 10 2	# the border: focus only, the selection stays
	sleep 0.3
	screen | grep -qE "^\|>555555554000 app +r-xp" && r=ok || r=no
	check $r "$PROTO: a click on a border changes no selection"
	keys q
	wait_for "back at the shell" || return 1
	restart
}

PROTO=x10
run_clicks "" || exit 1
if infocmp xterm-256color 2>/dev/null | grep -qF 'kmous=\E[<'; then
	PROTO=sgr
	run_clicks "env TERM=xterm-256color" || exit 1
else
	echo "no xterm-256color with SGR mouse: SGR clicks not tested"
fi
finish
