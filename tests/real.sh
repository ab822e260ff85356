#!/bin/sh
# vmscope against the real kernel: for each tests/real/CASE.cmd, run the
# same system calls on this machine (tests/real/real_maps CASE) and in
# vmscope, normalize both /proc/PID/maps outputs the same way (real_maps
# --normalize) and compare them byte for byte. Skipped (77) off x86_64
# Linux, or when the host cannot map the test region.
set -u
: "${VMSCOPE:?}" "${top_srcdir:?}"
[ "$(uname -s)" = Linux ] && [ "$(uname -m)" = x86_64 ] || exit 77
real=${REAL_MAPS:-./tests/real/real_maps}
[ -x "$real" ] || { echo "real.sh: $real is not built"; exit 99; }
tmp=${TMPDIR:-/tmp}/vmscope-real.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
fails=0
n=0
for cmd in "$top_srcdir"/tests/real/*.cmd; do
	name=$(basename "$cmd" .cmd)
	"$real" "$name" > "$tmp/real"
	rc=$?
	[ $rc = 77 ] && { echo "$name: skipped (region busy)"; continue; }
	[ $rc = 0 ] || { echo "$name: real_maps failed ($rc)"; fails=$((fails + 1)); continue; }
	"$VMSCOPE" < "$cmd" 2>&1 | "$real" --normalize > "$tmp/sim"
	if cmp -s "$tmp/real" "$tmp/sim"; then
		echo "$name: same as Linux $(uname -r)"
	else
		echo "$name: differs from Linux (- real, + vmscope):"
		diff -u "$tmp/real" "$tmp/sim" | head -40
		fails=$((fails + 1))
	fi
	n=$((n + 1))
done
[ $n -gt 0 ] || exit 77
[ $fails = 0 ]
