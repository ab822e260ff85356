#!/bin/sh
# A write fault stepped stage by stage: the TLB miss (TLB pane), the walk
# stopping at a none pgd entry (walk pane), find_vma's tree nodes
# (address space), the frames taken from the buddy lists, each missing
# table allocated, the PTE written, the TLB filled. Then back: every
# screen, highlights included (capture-pane -e), equals the earlier one.
. "$top_srcdir/tests/tui/lib.sh"
start 80 24 "$VMSCOPE tui $top_srcdir/tests/tui/fault.cmd"
wait_for "step 0/" || exit 1

# full(): the screen with its attributes, so a highlight counts too.
full() {
	tm capture-pane -e -p -t "$T"
}
# step_to KIND: n until the current event (the '>' row) is KIND.
step_to() {
	i=0
	while [ $i -lt 80 ]; do
		cur=$(screen | sed -n '1s/.* step \([0-9]*\)\/.*/\1/p')
		keys n
		wait_for "step $((cur + 1))/" >/dev/null || return 1
		if screen | grep -qE "^\|> *[0-9]+ $1 "; then
			return 0
		fi
		i=$((i + 1))
	done
	echo "no $1 step; the screen was:"
	screen
	return 1
}

keys N N
wait_for "[2/3] mmap" || exit 1
step_to tlb_miss && screen | grep -qF "TLB *" &&
    screen | grep -qF "(no valid entry)" && r=ok || r=no
check $r "tlb_miss: the TLB pane, still empty"
step_to walk_fault && screen | grep -qF "page-table walk *" &&
    screen | grep -qF "pgd  [ 32] none  <- walk stops here" && r=ok || r=no
check $r "walk_fault: the walk stops at the none pgd entry"
s1=$(full)
step_to vma_find && screen | grep -qF "find_vma: 3 tree nodes, root first:" &&
    screen | grep -qE "^\|3100000000000 anon" && r=ok || r=no
check $r "vma_find: the tree nodes visited, numbered"
s2=$(full)
step_to page_fault && screen | grep -qF "page fault on write" && r=ok || r=no
check $r "page_fault: the fault kind"
step_to buddy_take && screen | grep -qF "physical memory *" &&
    screen | grep -qF "buddy free lists *" &&
    screen | grep -qF "at this step" && r=ok || r=no
check $r "buddy_take: the frame as the allocator has it"
step_to pgtable_alloc && screen | grep -qF "pud  [  0] new table at pfn 0x" &&
    r=ok || r=no
check $r "pgtable_alloc: the missing pud table"
s3=$(full)
step_to do_anonymous_page && screen | grep -qF "address space *" && r=ok || r=no
check $r "do_anonymous_page: the address space is lit"
step_to set_pte && screen | grep -qF "at this step: set_pte_at" &&
    screen | grep -qF "pte  [  0] 0x80000000" && r=ok || r=no
check $r "set_pte: the PTE written"
step_to access_retry && r=ok || r=no
check $r "access_retry"
step_to tlb_fill && screen | grep -qE "\|  0   0    1 100000000 +-> " &&
    r=ok || r=no
check $r "tlb_fill: the TLB holds the translation"

# back, one step at a time, to each saved screen
back_to() {
	i=0
	while [ $i -lt 80 ]; do
		[ "$(full)" = "$1" ] && return 0
		cur=$(screen | sed -n '1s/.* step \([0-9]*\)\/.*/\1/p')
		keys b
		wait_for "step $((cur - 1))/" >/dev/null || return 1
		i=$((i + 1))
	done
	return 1
}
back_to "$s3" && r=ok || r=no
check $r "back to pgtable_alloc: the same screen, byte for byte"
back_to "$s2" && r=ok || r=no
check $r "back to vma_find: the same screen"
back_to "$s1" && r=ok || r=no
check $r "back to walk_fault: the same screen"
keys q
wait_for "back at the shell" || exit 1
finish
