#!/bin/sh
# bench/run.sh - `make bench`: run every benchmark program given as an
# argument (the Makefile passes BENCHMARKS), time the scenario library
# through the vmscope binary, and print one table of every figure.
#
# Each program prints its figures as lines
#     BENCH NAME VALUE UNIT [NOTE...]
# (NOTE: a target such as "target<=64 ok", or a ratio); everything else it
# prints is for a human running it alone and lands in bench/NAME.log. So a
# new program joins the table by being added to BENCHMARKS, nothing here.
# A program that exits non-zero (a target missed, a sanity check failed)
# is reported under the table and makes `make bench` fail, after all the
# others have run.
#
# Environment: VMSCOPE (the binary), top_srcdir (for scenarios/).
# BENCH_SCENARIO_ROUNDS: how many times the library is played (best
# round kept; default 3).
set -u
: "${VMSCOPE:?}" "${top_srcdir:?}"
rounds=${BENCH_SCENARIO_ROUNDS:-3}
results=bench/results.txt
mkdir -p bench
: >"$results.tmp"
failed=

now_ns() {
	date +%s%N
}

for prog in "$@"; do
	name=$(basename "$prog")
	echo "bench: $name" >&2
	if "./$prog" >"bench/$name.log" 2>&1; then
		:
	else
		failed="$failed $name(exit $?)"
	fi
	# A program not (yet) printing BENCH lines still gets a row.
	grep '^BENCH ' "bench/$name.log" >>"$results.tmp" ||
	    echo "BENCH $name - - no BENCH lines: see bench/$name.log" \
	    >>"$results.tmp"
done

# The scenario library end to end: start-up, parsing, every step and
# check, transcript output, for every file in scenarios/.
echo "bench: scenario library" >&2
n=0
for json in "$top_srcdir"/scenarios/*.json; do
	n=$((n + 1))
done
best=
r=0
while [ "$r" -lt "$rounds" ]; do
	t0=$(now_ns)
	for json in "$top_srcdir"/scenarios/*.json; do
		if ! "$VMSCOPE" run "$json" >/dev/null 2>&1; then
			failed="$failed scenario:$(basename "$json")"
		fi
	done
	dt=$(($(now_ns) - t0))
	if [ -z "$best" ] || [ "$dt" -lt "$best" ]; then
		best=$dt
	fi
	r=$((r + 1))
done
awk -v ns="$best" -v n="$n" -v r="$rounds" 'BEGIN {
	printf "BENCH scenarios.library %.1f ms %d scenarios, best of %d\n",
	    ns / 1e6, n, r
	printf "BENCH scenarios.per_scenario %.1f ms mean over the library\n",
	    ns / 1e6 / n
}' >>"$results.tmp"

# The table.
{
	echo "vmscope $(sed -n 's/^model name[^:]*: *//p' /proc/cpuinfo 2>/dev/null |
	    head -1), $(date -u +%Y-%m-%d)"
	awk '
	BEGIN {
		printf "%-32s %14s  %-12s %s\n", "benchmark", "figure", "unit",
		    "target / ratio / note"
		printf "%-32s %14s  %-12s %s\n", "---------", "------", "----",
		    "---------------------"
	}
	{
		note = ""
		for (i = 5; i <= NF; i++)
			note = note (i > 5 ? " " : "") $i
		printf "%-32s %14s  %-12s %s\n", $2, $3, $4, note
	}' "$results.tmp"
} >"$results"
rm -f "$results.tmp"
cat "$results"
if [ -n "$failed" ]; then
	echo "bench: failed:$failed (see bench/NAME.log)"
	exit 1
fi
