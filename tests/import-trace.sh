#!/bin/sh
# What users bring from their own machine, through the real binary:
#  - import-maps of this machine's own /proc/self/maps (the shell's)
#    prints the same lines back with `maps`, byte for byte;
#  - a malformed maps file or trace: one "FILE:LINE:COL: ..." line,
#    exit status 2, nothing changed;
#  - replay of a lackey trace and of a textbook page list;
#  - events --json FILE and `vmscope --events FILE run` write JSON Lines.
set -u
: "${VMSCOPE:?}"
tmp=${TMPDIR:-/tmp}/vmscope-imp.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
pass=0
fails=0
ok() { pass=$((pass + 1)); }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# The shell's own layout, as the kernel prints it.
if [ -r /proc/self/maps ] && [ "$(uname -m)" = x86_64 ]; then
	cat /proc/self/maps > self.maps
	"$VMSCOPE" -e 'import-maps self.maps; maps 1; check' > out 2> err
	rc=$?
	sed -n '2,$p' out | sed '$d' > back.maps
	if [ $rc = 0 ] && [ ! -s err ] && cmp -s self.maps back.maps &&
	    [ "$(tail -n 1 out)" = "all invariants hold" ]; then ok; else
		fail "import-maps of /proc/self/maps: exit $rc $(cat err)"
		diff self.maps back.maps | head -10
	fi
else
	echo "SKIP: no x86_64 /proc/self/maps"
fi

# A mistake: one line, exit 2, and the process is as it was.
printf '10000-20000 r--p 00000000 08:01 5 /x\n18000-30000 rw-p 0 0:0 0\n' \
    > bad.maps
"$VMSCOPE" -e 'spawn sh; import-maps 1 bad.maps; maps 1' > out 2> err
rc=$?
[ $rc = 2 ] && [ "$(cat err)" = "bad.maps:2:1: overlaps or comes before line 1 (maps lists VMAs in address order)" ] &&
    grep -q '/usr/bin/sh$' out && ok ||
	fail "bad maps: exit $rc, $(cat err)"
"$VMSCOPE" -e 'import-maps nosuch.maps' > out 2> err; rc=$?
[ $rc = 2 ] && [ "$(cat err)" = "vmscope: nosuch.maps: No such file or directory" ] &&
    ok || fail "missing maps: exit $rc, $(cat err)"

# Traces.
printf '==7== Lackey\nI  555555554000,3\n L 555555559010,8\n S 55555555b010,8\n' > t.lackey
"$VMSCOPE" -e 'spawn a; replay 1 t.lackey' > out 2> err; rc=$?
[ $rc = 0 ] && [ ! -s err ] &&
    grep -q '^t.lackey: lackey, 3 references (1 read, 1 write, 1 instruction fetch) on 3 pages, 1 line skipped (valgrind messages)$' out &&
    grep -q '^3 accesses: 0 TLB hits' out && grep -q '^resident set at the end: ' out &&
    ok || fail "replay lackey: exit $rc, $(cat out err)"
printf '1,2,3,4,1,2,5,1,2,3,4,5\n' > belady.txt
"$VMSCOPE" -e 'spawn a; replay 1 belady.txt' > out 2> err; rc=$?
[ $rc = 0 ] && grep -q '^pages 0-5 mapped at 0x' out &&
    grep -q '^12 accesses: 7 TLB hits' out && ok ||
	fail "replay plain: exit $rc, $(cat out err)"
printf '0 1000\n1 10q0\n' > t.din
"$VMSCOPE" -e 'spawn a; replay 1 t.din' > out 2> err; rc=$?
[ $rc = 2 ] && [ "$(cat err)" = "t.din:2:5: 'q' is not a hex digit (read as din, guessed from line 1; --format says otherwise)" ] &&
    ok || fail "replay bad din: exit $rc, $(cat err)"
"$VMSCOPE" -e 'spawn a; replay 1 t.din --format lackey' > out 2> err; rc=$?
[ $rc = 2 ] && grep -q '^t.din:1:1: expected I, L, S or M' err && ok ||
	fail "replay --format lackey: exit $rc, $(cat err)"
"$VMSCOPE" -e 'spawn a; replay 1 t.lackey --format csv' > out 2> err; rc=$?
[ $rc = 1 ] && [ "$(cat err)" = "vmscope: replay: --format csv: lackey, din, plain or auto" ] &&
    ok || fail "replay --format csv: exit $rc, $(cat err)"

# Events as JSON Lines.
"$VMSCOPE" -e 'alloc_pages 3; events --json ev.jsonl; events 2 --json ev2.jsonl' > out 2> err
rc=$?
[ $rc = 0 ] && [ "$(wc -l < ev.jsonl)" -gt 2 ] && [ "$(wc -l < ev2.jsonl)" = 2 ] &&
    grep -q '"kind":"alloc_pages"' ev2.jsonl &&
    grep -q 'events written to ev.jsonl$' out && ok ||
	fail "events --json FILE: exit $rc, $(cat out err)"
"$VMSCOPE" --events all.jsonl run "${top_srcdir:-.}/scenarios/buddy.json" > out 2> err
rc=$?
n=$(wc -l < all.jsonl)
[ $rc = 0 ] && [ "$n" -gt 10 ] && head -n 1 all.jsonl | grep -q '^{"seq":' &&
    [ "$(grep -c '"kind":"buddy_merge"' all.jsonl)" -gt 0 ] && ok ||
	fail "--events run: exit $rc, $n lines, $(cat err)"
"$VMSCOPE" --events /nonexistent/dir/x.jsonl -e info > out 2> err; rc=$?
[ $rc = 2 ] && grep -q 'No such file or directory' err && ok ||
	fail "--events to a bad path: exit $rc"

echo "$pass passed, $fails failed"
[ $fails = 0 ]
