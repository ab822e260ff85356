#!/bin/sh
# Malformed state files: each tests/state-errors/NAME.json must be refused
# by `restore` with exactly the one line in NAME.err ("FILE:LINE:COL:
# PATH: what is wrong", or "FILE: inconsistent state: why"), exit status 2
# in batch mode, and the machine must stay as it was (buddyinfo and a
# save before and after the restore are the same). Then a good file
# (tests/fuzz/state/toy.json) must restore and save back byte for byte.
set -u
: "${VMSCOPE:?}" "${top_srcdir:?}"
dir=$top_srcdir/tests/state-errors
tmp=${TMPDIR:-/tmp}/vmscope-sterr.$$
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
	"$VMSCOPE" -e "alloc_pages 3; spawn a; save $tmp/before.json; buddyinfo; restore $json; buddyinfo; save $tmp/after.json" \
	    > "$tmp/out" 2> "$tmp/err"
	rc=$?
	if [ $rc != 2 ]; then
		fail "$name: restore exited $rc, expected 2"
		ok=0
	fi
	if ! cmp -s "$tmp/err" "$name.err"; then
		fail "$name: message differs from $name.err"
		diff "$name.err" "$tmp/err" | head -4
		ok=0
	fi
	n=$(grep -c '^Node' "$tmp/out")
	half=$((n / 2))
	first=$(grep '^Node' "$tmp/out" | head -n "$half")
	second=$(grep '^Node' "$tmp/out" | tail -n "$half")
	if [ "$n" = 0 ] || [ "$first" != "$second" ] ||
	    ! cmp -s "$tmp/before.json" "$tmp/after.json"; then
		fail "$name: the refused restore changed the machine"
		ok=0
	fi
	[ $ok = 1 ] && pass=$((pass + 1))
done

good=$top_srcdir/tests/fuzz/state/toy.json
if ! "$VMSCOPE" -e "restore $good; save $tmp/again.json" > /dev/null 2> "$tmp/err" ||
    ! cmp -s "$good" "$tmp/again.json"; then
	fail "toy.json: restore then save is not the same file"
	cat "$tmp/err"
fi
if "$VMSCOPE" -e "restore $tmp/nonexistent.json" > /dev/null 2> "$tmp/err"; then
	fail "a missing file was accepted"
elif ! grep -q "^vmscope: $tmp/nonexistent.json: No such file or directory\$" "$tmp/err"; then
	fail "a missing file: $(cat "$tmp/err")"
fi
echo "$pass malformed state files refused as expected, $fails failures"
[ $fails = 0 ] && [ $pass -ge 40 ]
