#!/bin/sh
# valgrind.sh - `make check-valgrind`: every unit test program and corpus
# replayer given as arguments, then the vmscope binary on every scenario
# of scenarios/ (and tests/scenarios/failing.json) and on every golden
# command script of tests/golden/, each under valgrind memcheck. A program
# passes when memcheck reports no error at all (invalid accesses,
# uninitialised values, definitely or indirectly lost blocks) and it exits
# as the ordinary test expects; "still reachable" and "possibly lost" are
# not errors (ncurses and readline keep their buffers until exit).
#
# Why the verdict reads "ERROR SUMMARY" instead of the exit status alone:
# --error-exitcode=1 is the usual convention, but several golden scripts
# exit 1 on purpose, and only the summary tells the two apart.
#
# Programs run VALGRIND_JOBS at a time (default: the number of CPUs);
# each one's memcheck log is kept in tests/valgrind/NAME.log.
#
# Environment (set by the Makefile): VALGRIND, VMSCOPE, top_srcdir, and
# the test environment of `make check` (LC_ALL, XDG_STATE_HOME).
set -u

# The flags the issue asks for; a suppression file is passed only when
# one exists (tests/valgrind.supp), so far none has been needed.
vg_flags="--error-exitcode=1 --leak-check=full \
--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
--num-callers=30"

logdir=tests/valgrind

# --one KIND EXPECTED_RC NAME PROGRAM [ARG]: run one program under
# valgrind and leave "PASS|FAIL name seconds why" in $logdir/NAME.res.
if [ "${1:-}" = --one ]; then
	kind=$2 want=$3 name=$4 prog=$5
	shift 5
	log=$logdir/$name.log
	supp=
	if [ -f "$top_srcdir/tests/valgrind.supp" ]; then
		supp="--suppressions=$top_srcdir/tests/valgrind.supp"
	fi
	start=$(date +%s)
	case $kind in
	cmd)	# a golden command script on standard input
		# shellcheck disable=SC2086
		$VALGRIND $vg_flags $supp --log-file="$log" "$prog" <"$1" \
		    >"$logdir/$name.out" 2>&1 ;;
	*)	# shellcheck disable=SC2086
		$VALGRIND $vg_flags $supp --log-file="$log" "$prog" "$@" \
		    </dev/null >"$logdir/$name.out" 2>&1 ;;
	esac
	rc=$?
	secs=$(($(date +%s) - start))
	errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) error.*/\1/p' "$log" | tail -1)
	lost=$(grep -E '(definitely|indirectly) lost: [1-9]' "$log" | head -2 |
	    sed 's/^==[0-9]*== *//' | tr '\n' ' ')
	# A failed Check assertion leaves the test's memory behind (no fork
	# to clean up): say that the test failed before counting leaks.
	if [ -z "$errs" ]; then
		verdict="FAIL $name $secs no memcheck summary (crashed? exit $rc)"
	elif [ "$rc" != "$want" ] && [ "$errs" != 0 ]; then
		verdict="FAIL $name $secs exit status $rc, expected $want (the test fails; leaks may follow from that); $errs memcheck errors $lost"
	elif [ "$errs" != 0 ]; then
		verdict="FAIL $name $secs $errs memcheck errors $lost"
	elif [ "$rc" != "$want" ]; then
		verdict="FAIL $name $secs exit status $rc, expected $want"
	else
		verdict="PASS $name $secs"
	fi
	echo "$verdict" >"$logdir/$name.res"
	exit 0
fi

: "${VALGRIND:?valgrind not found (configure looks for it)}"
: "${VMSCOPE:?}" "${top_srcdir:?}"
if ! command -v "$VALGRIND" >/dev/null 2>&1; then
	echo "check-valgrind: $VALGRIND not found" >&2
	exit 1
fi
jobs=${VALGRIND_JOBS:-$(nproc 2>/dev/null || echo 2)}
# Check's fork mode would hide the tests' memory from memcheck (and
# multiply its start-up cost): run every test in the one process.
CK_FORK=no
export CK_FORK
rm -rf "$logdir"
mkdir -p "$logdir"

# One line per program: KIND EXPECTED_RC NAME PROGRAM [ARG]. Names are
# unique across kinds (unit-, scenario-, golden- prefixes).
list=$logdir/programs
: >"$list"
for p in "$@"; do
	echo "unit 0 $(basename "$p") $p" >>"$list"
done
for json in "$top_srcdir"/scenarios/*.json; do
	echo "run 0 scenario-$(basename "$json" .json) $VMSCOPE run $json" >>"$list"
done
echo "run 1 scenario-failing $VMSCOPE run $top_srcdir/tests/scenarios/failing.json" \
    >>"$list"
for cmd in "$top_srcdir"/tests/golden/*.cmd; do
	want=$(sed -n '1s/^# exit: *\([0-9]*\).*/\1/p' "$cmd")
	echo "cmd ${want:-0} golden-$(basename "$cmd" .cmd) $VMSCOPE $cmd" >>"$list"
done

echo "check-valgrind: $(wc -l <"$list") programs, $jobs at a time" \
    "(logs in $logdir/)"
start=$(date +%s)
xargs -P "$jobs" -L 1 sh "$0" --one <"$list"

pass=0
fail=0
while read -r kind want name rest; do
	if [ -f "$logdir/$name.res" ]; then
		read -r verdict _ secs why <"$logdir/$name.res"
	else
		verdict=FAIL secs=0 why="not run"
	fi
	if [ "$verdict" = PASS ]; then
		pass=$((pass + 1))
		printf 'PASS: %-28s %4ss\n' "$name" "$secs"
	else
		fail=$((fail + 1))
		printf 'FAIL: %-28s %4ss  %s (%s)\n' "$name" "$secs" "$why" \
		    "$logdir/$name.log"
	fi
done <"$list"
echo "check-valgrind: $pass passed, $fail failed," \
    "$(($(date +%s) - start))s"
[ "$fail" = 0 ]
