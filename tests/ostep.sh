#!/bin/sh
# `vmscope ostep`: each tests/data/ostep/NAME.txt is a problem in the text
# layout of OSTEP's paging-policy.py (written by hand from the simulator's
# print statements, not produced by running it); NAME.out is the -c answer,
# computed by hand for FIFO, LRU, MRU, OPT and UNOPT and, for RAND and
# CLOCK, from Python's own random.random() draws for the seed. lfu.txt
# names a policy the simulator lacks: its message and exit status 1.
set -u
dir=$top_srcdir/tests/data/ostep
tmp=${TMPDIR:-/tmp}/vmscope-ostep.$$
trap 'rm -f "$tmp"' EXIT
status=0
n=0
for txt in "$dir"/*.txt; do
	name=$(basename "$txt" .txt)
	want=0
	[ "$name" = lfu ] && want=1
	"$VMSCOPE" ostep "$txt" > "$tmp" 2>&1
	rc=$?
	n=$((n + 1))
	if [ $rc != $want ]; then
		echo "$name: exit status $rc, expected $want"
		status=1
	fi
	if ! cmp -s "$tmp" "$dir/$name.out"; then
		echo "$name: output differs:"
		diff -u "$dir/$name.out" "$tmp" | head -20
		status=1
	fi
done
# Answers are idempotent: a solved problem solves to itself.
"$VMSCOPE" ostep "$dir/lru-readme.out" | cmp -s - "$dir/lru-readme.out" ||
	{ echo "solving a solved problem changed it"; status=1; }
# Errors: FILE:LINE:COL and exit status 2.
printf 'ARG cachesize x\n' > "$tmp"
out=$("$VMSCOPE" ostep "$tmp" 2>&1)
[ $? = 2 ] && echo "$out" | grep -q ":1:15: cachesize 'x' is not a number" ||
	{ echo "bad cachesize: $out"; status=1; }
"$VMSCOPE" ostep /nonexistent/problem 2>/dev/null
[ $? = 2 ] || { echo "missing file: status not 2"; status=1; }
[ $status = 0 ] && echo "ostep: $n problems answered as expected"
exit $status
