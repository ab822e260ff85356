#!/bin/sh
# Page-fault counts, vmscope against the real kernel: tests/real/real_faults
# measures each case on this machine with getrusage; the same accesses are
# made in vmscope and its counts (the touch summaries, ps MINFLT) printed in
# the same "CASE COUNT" form; the two must be equal. Skipped (77) off Linux.
set -u
: "${VMSCOPE:?}"
[ "$(uname -s)" = Linux ] || exit 77
real=${REAL_FAULTS:-./tests/real/real_faults}
[ -x "$real" ] || { echo "real-faults.sh: $real is not built"; exit 99; }
tmp=${TMPDIR:-/tmp}/vmscope-faults.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

A=0x100000000000
# The minor faults a touch summary reports, line by line.
minors() {
	"$VMSCOPE" -e "$1" | sed -n 's/^[0-9]* accesses*: .*, \([0-9]*\) minor faults*, .*/\1/p'
}
# MINFLT of a pid in ps.
psminflt() {
	"$VMSCOPE" -e "$1; ps" | awk -v pid="$2" '$1 == pid { print $6 }'
}

{
	set -- $(minors "spawn t; mmap 1 $A 16p rw fixed; touch 1 $A+16p r; touch 1 $A+16p w")
	echo "anon_read $1"
	echo "anon_write_after_read $2"
	set -- $(minors "spawn t; mmap 1 $A 16p rw fixed; touch 1 $A+16p w; fork 1; touch 2 $A+16p r; touch 2 $A+16p w; exit 2; touch 1 $A+16p w")
	echo "write_first $1"
	echo "fork_child_read $2"
	echo "fork_child_write $3"
	echo "parent_write_after_child_exit $4"
	echo "populate $(psminflt "spawn t; mmap 1 $A 16p rw fixed populate" 1)"
	set -- $(minors "spawn t; mmap 1 $A 16p rw fixed populate; touch 1 $A+16p w")
	echo "populate_then_write $1"
	if "$VMSCOPE" -e "spawn t; mmap 1 $A 16p rw fixed; mprotect 1 $A 1p none; touch 1 $A r" |
	    grep -q '^0x100000000000 r .*SIGSEGV'; then
		echo "prot_none SIGSEGV"
	else
		echo "prot_none no-signal"
	fi
} > "$tmp/sim"
# The host can only add faults of its own to a measurement (NUMA hinting
# faults, a page of the libc or the stack faulted in on the way), never
# take the program's away: a run that matches once is the answer, so up
# to three runs are tried.
for try in 1 2 3; do
	"$real" > "$tmp/real" || { echo "real_faults failed"; exit 99; }
	if cmp -s "$tmp/real" "$tmp/sim"; then
		echo "fault counts: same as Linux $(uname -r) (run $try)"
		cat "$tmp/sim"
		exit 0
	fi
done
echo "fault counts differ from Linux (- real, + vmscope):"
diff -u "$tmp/real" "$tmp/sim"
exit 1
