#!/bin/sh
# Malformed scenarios: each tests/scenario-errors/NAME.json must be refused
# with exactly the one line in NAME.err ("FILE:LINE:COL: PATH: what is
# wrong"), exit status 2 and nothing on standard output, by `vmscope check`,
# by `vmscope run` and by the REPL's `load` -- which must also leave the
# machine as it was (buddyinfo before and after the load are the same).
set -u
: "${VMSCOPE:?}" "${top_srcdir:?}"
dir=$top_srcdir/tests/scenario-errors
tmp=${TMPDIR:-/tmp}/vmscope-scerr.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
pass=0
fails=0
fail() {
	echo "FAIL: $1"
	fails=$((fails + 1))
}

cd "$dir" || exit 1
for json in *.json; do
	name=${json%.json}
	if [ ! -f "$name.err" ]; then
		fail "$name: no $name.err"
		continue
	fi
	ok=1
	for how in check run; do
		"$VMSCOPE" "$how" "$json" > "$tmp/out" 2> "$tmp/err"
		rc=$?
		if [ $rc != 2 ]; then
			fail "$name: vmscope $how exited $rc, expected 2"
			ok=0
		fi
		if [ -s "$tmp/out" ]; then
			fail "$name: vmscope $how wrote to standard output"
			ok=0
		fi
		if ! cmp -s "$tmp/err" "$name.err"; then
			fail "$name: vmscope $how: message differs from $name.err"
			diff "$name.err" "$tmp/err" | head -4
			ok=0
		fi
	done
	# load in a session with state: the machine must not change.
	"$VMSCOPE" -e "alloc_pages 3; buddyinfo; load $json; buddyinfo" \
	    > "$tmp/out" 2> "$tmp/err"
	rc=$?
	n=$(grep -c '^Node' "$tmp/out")
	half=$((n / 2))
	first=$(grep '^Node' "$tmp/out" | head -n "$half")
	second=$(grep '^Node' "$tmp/out" | tail -n "$half")
	if [ $rc != 2 ]; then
		fail "$name: load exited $rc, expected 2"
		ok=0
	fi
	if ! cmp -s "$tmp/err" "$name.err"; then
		fail "$name: load: message differs from $name.err"
		ok=0
	fi
	if [ "$n" = 0 ] || [ "$first" != "$second" ]; then
		fail "$name: load changed the machine"
		ok=0
	fi
	[ $ok = 1 ] && pass=$((pass + 1))
done
echo "$pass malformed scenarios refused as expected, $fails failures"
[ $fails = 0 ] && [ $pass -ge 50 ]
