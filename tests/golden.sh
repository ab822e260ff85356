#!/bin/sh
# Golden transcript test: run NAME.cmd through vmscope in batch mode and
# compare stdout with NAME.out and stderr with NAME.err, byte for byte. The
# exit status must match the first line of NAME.cmd when it reads
# "# exit: N" (default 0).
set -u
cmd=$1
base=${cmd%.cmd}
name=$(basename "$base")
tmp=${TMPDIR:-/tmp}/vmscope-golden.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
want_rc=$(sed -n '1s/^# exit: *\([0-9]*\).*/\1/p' "$cmd")
want_rc=${want_rc:-0}
"$VMSCOPE" < "$cmd" > "$tmp/out" 2> "$tmp/err"
rc=$?
status=0
if [ "$rc" != "$want_rc" ]; then
	echo "$name: exit status $rc, expected $want_rc"
	status=1
fi
if ! cmp -s "$tmp/out" "$base.out"; then
	echo "$name: standard output differs from $base.out:"
	diff -u "$base.out" "$tmp/out" | head -40
	status=1
fi
if [ -f "$base.err" ]; then
	if ! cmp -s "$tmp/err" "$base.err"; then
		echo "$name: standard error differs from $base.err:"
		diff -u "$base.err" "$tmp/err" | head -40
		status=1
	fi
elif [ -s "$tmp/err" ]; then
	echo "$name: unexpected standard error:"
	head -20 "$tmp/err"
	status=1
fi
[ $status = 0 ] && echo "$name: transcript matches"
exit $status
