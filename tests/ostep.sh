#!/bin/sh
# `vmscope ostep`: each tests/data/ostep/NAME.txt is a problem in the text
# layout of OSTEP's paging-policy.py (written by hand from the simulator's
# print statements, not produced by running it); NAME.out is the -c answer,
# computed by hand for FIFO, LRU, MRU, OPT and UNOPT and, for RAND and
# CLOCK, from Python's own random.random() draws for the seed. lfu.txt
# names a policy the simulator lacks: its message and exit status 1.
# linear-*.txt and multilevel-*.txt (paging-linear-translate.py and
# paging-multilevel-translate.py) and their .out answers were printed by a
# throwaway Python re-typing of those two simulators from their source
# (same random draws, same print formats; not the simulators themselves,
# and not committed); multilevel-seed0 is the one whose first address,
# 0x611c, the OSTEP homework text works through.
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
# A directory whose two entries share one page table: the model keeps one
# table per frame and says so.
{
	printf 'ARG seed 0\nARG allocated 1\nARG num 1\n\n'
	i=0
	while [ $i -lt 128 ]; do
		if [ $i = 0 ]; then
			printf 'page %3d:8181' $i
			printf '7f%.0s' $(seq 30)
		else
			printf 'page %3d:' $i
			printf '00%.0s' $(seq 32)
		fi
		printf '\n'
		i=$((i + 1))
	done
	printf '\nPDBR: 0  (decimal) [This means the page directory is held in this page]\n\n'
	printf 'Virtual Address 0400: Translates To What Physical Address (And Fetches what Value)? Or Fault?\n'
} > "$tmp"
out=$("$VMSCOPE" ostep "$tmp" 2>&1)
[ $? = 2 ] && echo "$out" | grep -q "directory entry 1 points at page 1, which already holds a table" ||
	{ echo "shared page table: $out"; status=1; }
# --tui refuses it too, with the same reason, before it needs a terminal.
out=$("$VMSCOPE" ostep "$tmp" --tui 2>&1 </dev/null)
[ $? = 2 ] && echo "$out" | grep -q "directory entry 1 points at page 1, which already holds a table" ||
	{ echo "shared page table, --tui: $out"; status=1; }
# --tui on a good problem without a terminal: the TUI's message, status 1
# (the walk-through was built; only the screen is missing).
out=$("$VMSCOPE" ostep "$dir/multilevel-seed0.txt" --tui 2>&1 </dev/null)
[ $? = 1 ] && echo "$out" | grep -q "tui: needs a terminal" ||
	{ echo "--tui without a terminal: $out"; status=1; }
out=$("$VMSCOPE" ostep "$dir/fifo-seed0.txt" --ascii 2>&1)
[ $? = 2 ] && echo "$out" | grep -q "go with --tui" ||
	{ echo "--ascii without --tui: $out"; status=1; }
out=$("$VMSCOPE" ostep "$dir/fifo-seed0.txt" --frobnicate 2>&1)
[ $? = 2 ] && echo "$out" | grep -q "unknown option '--frobnicate'" ||
	{ echo "unknown option: $out"; status=1; }
# A multilevel dump with a page missing.
sed '/^page  17:/d' "$dir/multilevel-seed0.txt" > "$tmp"
out=$("$VMSCOPE" ostep "$tmp" 2>&1)
[ $? = 2 ] && echo "$out" | grep -q "the memory dump has no page 17" ||
	{ echo "missing page: $out"; status=1; }
"$VMSCOPE" ostep /nonexistent/problem 2>/dev/null
[ $? = 2 ] || { echo "missing file: status not 2"; status=1; }
[ $status = 0 ] && echo "ostep: $n problems answered as expected"
exit $status
