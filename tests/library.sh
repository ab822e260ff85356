#!/bin/sh
# The scenario library: scenarios found by name (src/scenario/library.c).
#  - an uninstalled vmscope finds the source tree's scenarios/ by name,
#    from any directory: run, check, list, and `load` at the prompt;
#  - $VMSCOPE_SCENARIO_PATH comes first, and shadows a name;
#  - a name with a '/' is a path, never looked up;
#  - a copy of the binary outside the build tree does not use the source
#    tree (an installed vmscope uses only the installed library);
#  - every scenarios/*.json is installed (listed in Makefile.am).
set -u
: "${VMSCOPE:?}" "${top_srcdir:?}"
tmp=${TMPDIR:-/tmp}/vmscope-lib.$$
mkdir -p "$tmp/lib"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
unset VMSCOPE_SCENARIO_PATH
fails=0
pass=0
ok() { pass=$((pass + 1)); }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# Every scenario of the source tree is listed, with its title.
"$VMSCOPE" list >out 2>err; rc=$?
for f in "$top_srcdir"/scenarios/*.json; do
	name=$(basename "$f" .json)
	title=$(sed -n 's/^  "title": "\(.*\)",$/\1/p' "$f")
	if grep -q "^$name  *$title\$" out; then ok; else
		fail "list: no line for $name ($title)"; cat out; fi
done
[ $rc = 0 ] && [ ! -s err ] && ok || fail "list: exit $rc, $(cat err)"

# run, check and load by name, from a directory without scenarios.
"$VMSCOPE" run buddy >out 2>err; rc=$?
if [ $rc = 0 ] && tail -n 1 out | grep -q '^Result: .* checks held'; then ok
else fail "run buddy: exit $rc, $(tail -n 1 out) $(cat err)"; fi
"$VMSCOPE" run buddy.json >out2 2>&1 && cmp -s out out2 && ok ||
	fail "run buddy.json differs from run buddy"
"$VMSCOPE" check zones >out 2>&1 &&
	grep -q '^zones: ok (' out && ok || fail "check zones: $(cat out)"
"$VMSCOPE" -e 'load buddy' >out 2>&1 &&
	grep -q "'step' plays the next one" out && ok || fail "load buddy: $(cat out)"

# A name with a slash is a path; an unknown name is an error (status 2).
"$VMSCOPE" run ./buddy >out 2>&1; rc=$?
[ $rc = 2 ] && grep -q 'vmscope: ./buddy: No such file or directory' out &&
	ok || fail "run ./buddy: exit $rc, $(cat out)"
"$VMSCOPE" run no-such-lesson >out 2>&1; rc=$?
[ $rc = 2 ] && grep -q 'no-such-lesson: No such file' out && ok ||
	fail "run no-such-lesson: exit $rc, $(cat out)"

# $VMSCOPE_SCENARIO_PATH first: a teacher's buddy.json shadows ours.
cat >lib/buddy.json <<'JSON'
{
  "title": "My own buddy lesson",
  "steps": [ { "do": "buddyinfo", "expect": { "output_contains": "DMA32" } } ]
}
JSON
VMSCOPE_SCENARIO_PATH=/nonexistent::$tmp/lib "$VMSCOPE" list >out 2>&1
grep -q '^buddy  *My own buddy lesson$' out && grep -q '^zones ' out && ok ||
	fail "list with VMSCOPE_SCENARIO_PATH: $(cat out)"
VMSCOPE_SCENARIO_PATH=$tmp/lib "$VMSCOPE" run buddy >out 2>&1 &&
	grep -q '^== My own buddy lesson ==' out && ok ||
	fail "run buddy with VMSCOPE_SCENARIO_PATH: $(head -3 out)"
VMSCOPE_SCENARIO_PATH=$tmp/lib "$VMSCOPE" list --dirs >out 2>&1
[ "$(head -n 1 out)" = "$tmp/lib" ] && ok || fail "list --dirs: $(cat out)"

# A copy outside the build tree never reads the source tree.
cp "$VMSCOPE" "$tmp/vmscope-copy"
"$tmp/vmscope-copy" list --dirs >out 2>&1
if grep -q "^$top_srcdir/scenarios\$" out; then
	fail "an installed copy searches the source tree: $(cat out)"
else ok; fi
"$VMSCOPE" list --dirs >out 2>&1
grep -q "/scenarios\$" out && [ "$(wc -l <out)" -ge 2 ] && ok ||
	fail "uninstalled list --dirs: $(cat out)"

# Every scenario file is installed: Makefile.am lists it.
for f in "$top_srcdir"/scenarios/*.json; do
	if grep -q "^	scenarios/$(basename "$f")" "$top_srcdir/Makefile.am"; then ok
	else fail "scenarios/$(basename "$f") is not in dist_scenario_DATA (Makefile.am)"; fi
done

echo "library: $pass passed, $fails failed"
[ $fails = 0 ]
