# lib.sh - shared by the tmux tests of the TUI: the real vmscope binary
# runs in a pane of a private tmux server; keys go in with send-keys and
# the screen comes back with capture-pane. Waiting is a bounded poll for
# the expected text, never a fixed sleep. Sourced, not run.
: "${VMSCOPE:?}" "${top_srcdir:?}"
if ! command -v tmux >/dev/null 2>&1; then
	echo "tmux not found: TUI tests skipped"
	exit 77
fi
unset TMUX
SOCK="vmscope-test-$$"
WORK=$(mktemp -d)
fails=0
pass=0
NT=0
T=t0

tm() {
	tmux -L "$SOCK" -f /dev/null "$@"
}

cleanup() {
	tm kill-server >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT

# start W H COMMAND: a shell in a WxH pane runs COMMAND, saving the tty
# modes before and after and reporting its exit status, then idles.
start() {
	w=$1 h=$2
	shift 2
	cat >"$WORK/run.sh" <<EOS
trap : INT
stty -g >"$WORK/stty.before"
$*
echo "exit status \$?"
stty -g >"$WORK/stty.after"
echo "back at the shell"
exec sleep 120
EOS
	tm new-session -d -s "$T" -x "$w" -y "$h" \
	    "env TERM=screen LC_ALL=${TUI_LC:-C} NO_COLOR= sh $WORK/run.sh"
}

screen() {
	tm capture-pane -p -t "$T"
}

keys() {
	tm send-keys -t "$T" "$@"
}

# wait_for TEXT [TENTHS]: until TEXT is on the screen (default 20 s, for
# loaded machines and sanitizer builds; a passing test waits far less).
wait_for() {
	n=${2:-200}
	while [ "$n" -gt 0 ]; do
		if screen | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.1
		n=$((n - 1))
	done
	echo "timed out waiting for '$1'; the screen was:"
	screen
	return 1
}

# wait_gone TEXT [TENTHS]: until TEXT has left the screen.
wait_gone() {
	n=${2:-200}
	while [ "$n" -gt 0 ]; do
		if ! screen | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.1
		n=$((n - 1))
	done
	echo "timed out waiting for '$1' to go; the screen was:"
	screen
	return 1
}

# restart: the next start gets a session of its own on the same server
# (starting a server right after killing one is racy).
restart() {
	tm kill-session -t "$T" >/dev/null 2>&1
	NT=$((NT + 1))
	T="t$NT"
}

check() {
	if [ "$1" = ok ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $2"
		fails=$((fails + 1))
	fi
}

finish() {
	echo "$pass passed, $fails failed"
	[ "$fails" -eq 0 ]
	exit $?
}
