#!/bin/sh
# Scenario transcripts, compared byte for byte:
#  - every example in scenarios/ played by `vmscope run` must match
#    tests/scenarios/NAME.out and exit 0 (every check held);
#  - tests/scenarios/failing.json shows each kind of failed check, exit 1;
#  - `vmscope run --interactive` with answers on standard input;
#  - `load`, `step N`, `run` from a command stream, and their errors;
#  - `vmscope check` accepts the examples.
# Paths in transcripts are relative to the source tree, so run from there.
set -u
: "${VMSCOPE:?}" "${top_srcdir:?}"
cd "$top_srcdir" || exit 1
tmp=${TMPDIR:-/tmp}/vmscope-scen.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
pass=0
fails=0
# expect NAME WANT_RC GOLDEN [WANT_ERR]: compare the last run's results.
expect() {
	ok=1
	if [ "$rc" != "$2" ]; then
		echo "FAIL: $1: exit status $rc, expected $2"
		ok=0
	fi
	if ! cmp -s "$tmp/out" "$3"; then
		echo "FAIL: $1: transcript differs from $3:"
		diff -u "$3" "$tmp/out" | head -30
		ok=0
	fi
	if [ $# -ge 4 ]; then
		if [ "$(cat "$tmp/err")" != "$4" ]; then
			echo "FAIL: $1: standard error: $(cat "$tmp/err")"
			ok=0
		fi
	elif [ -s "$tmp/err" ]; then
		echo "FAIL: $1: unexpected standard error: $(head -3 "$tmp/err")"
		ok=0
	fi
	if [ $ok = 1 ]; then pass=$((pass + 1)); else fails=$((fails + 1)); fi
}

for json in scenarios/*.json; do
	name=$(basename "$json" .json)
	"$VMSCOPE" run "$json" > "$tmp/out" 2> "$tmp/err"; rc=$?
	expect "run $json" 0 "tests/scenarios/$name.out"
done

"$VMSCOPE" run tests/scenarios/failing.json > "$tmp/out" 2> "$tmp/err"; rc=$?
expect "run failing.json" 1 tests/scenarios/failing.out

printf '3\n0x208\n' | "$VMSCOPE" run --interactive scenarios/buddy.json \
    > "$tmp/out" 2> "$tmp/err"; rc=$?
expect "run --interactive buddy.json" 0 tests/scenarios/buddy.interactive.out

printf 'load scenarios/zones.json\nstep 2\nrun\nstep\n' | "$VMSCOPE" \
    > "$tmp/out" 2> "$tmp/err"; rc=$?
expect "load/step/run zones.json" 1 tests/scenarios/zones.repl.out \
    "vmscope: step: the scenario is finished ('load' it again to play it again)"

printf 'step\nload tests/scenarios/failing.json\nrun\n' | "$VMSCOPE" \
    > /dev/null 2> "$tmp/err"; rc=$?
: > "$tmp/out"
# The steps' own errors are part of the transcript (stdout), in order.
printf '%s\n' "vmscope: step: no scenario loaded (load one with 'load FILE')" \
    "vmscope: run: 8 checks failed" > "$tmp/want"
if [ $rc = 1 ] && cmp -s "$tmp/err" "$tmp/want"; then
	pass=$((pass + 1))
else
	echo "FAIL: step before load, run of failing.json: exit $rc:"
	cat "$tmp/err"
	fails=$((fails + 1))
fi

"$VMSCOPE" -e 'load no-such-file.json' > "$tmp/out" 2> "$tmp/err"; rc=$?
if [ $rc = 2 ] && [ "$(cat "$tmp/err")" = \
    "vmscope: no-such-file.json: No such file or directory" ]; then
	pass=$((pass + 1))
else
	echo "FAIL: load of a missing file: exit $rc: $(cat "$tmp/err")"
	fails=$((fails + 1))
fi

"$VMSCOPE" check scenarios/*.json > "$tmp/out" 2> "$tmp/err"; rc=$?
if [ $rc = 0 ] && [ ! -s "$tmp/err" ] &&
    [ "$(grep -c ': ok (' "$tmp/out")" = "$(ls scenarios/*.json | wc -l)" ]; then
	pass=$((pass + 1))
else
	echo "FAIL: vmscope check scenarios/*.json: exit $rc"
	cat "$tmp/out" "$tmp/err"
	fails=$((fails + 1))
fi

"$VMSCOPE" run > /dev/null 2>&1; rc=$?
"$VMSCOPE" run a.json b.json > /dev/null 2>&1; rc2=$?
if [ $rc = 2 ] && [ $rc2 = 2 ]; then
	pass=$((pass + 1))
else
	echo "FAIL: run without a file or with two exits $rc/$rc2, expected 2"
	fails=$((fails + 1))
fi

echo "$pass passed, $fails failed"
[ $fails = 0 ]
