/*
 * explain.c - the explanation line under the event log: for each event
 * kind, what the kernel is doing at that point and where to read it in
 * the Linux source. Keyed by the kind's name rather than its enum value
 * so that kinds added later fall back to "Linux: fn()" instead of
 * breaking the build; add a line here when adding a kind.
 */
#include <stdio.h>
#include <string.h>

#include "tui.h"

static const struct {
	const char	*kind;
	const char	*text;
} explanations[] = {
	{ "machine_boot", "start_kernel -> mm_core_init: memblock hands every "
	    "frame it did not reserve to the buddy allocator (memblock_free_all)." },
	{ "wmark_check", "zone_watermark_ok (mm/page_alloc.c): would the zone "
	    "stay above its watermark after this allocation? The fast path "
	    "checks low, the slow path min; lowmem_reserve protects lower zones." },
	{ "buddy_take", "__rmqueue_smallest: take the first block of the "
	    "smallest order that fits from free_area[order]; a larger one is "
	    "split down by expand()." },
	{ "buddy_split", "expand (mm/page_alloc.c): halve the block; the upper "
	    "half (the buddy, pfn + size) goes on the free list one order "
	    "lower, the lower half is kept and split again if still too big." },
	{ "alloc_pages", "__alloc_pages: the block is allocated; prep_new_page "
	    "sets its refcount to 1 and, for order > 0, makes it compound." },
	{ "alloc_fail", "__alloc_pages failed: no zone of the zonelist could "
	    "give a block without going below its watermark (or none is big "
	    "enough: fragmentation). Linux would reclaim, compact or OOM-kill." },
	{ "free_pages", "__free_pages: the last reference is gone; the block "
	    "goes back to the buddy allocator through __free_one_page." },
	{ "buddy_merge", "__free_one_page: the buddy (pfn ^ (1 << order)) is "
	    "free, of the same order and zone, so the two merge into one block "
	    "of the next order, and the search goes on one order up." },
	{ "buddy_free", "__free_one_page: no free buddy to merge with; the "
	    "block is put on free_area[order]." },
	{ "task_exec", "do_execve (fs/exec.c): the old address space is "
	    "dropped and a new mm_struct is laid out: text, data, bss, heap, "
	    "stack, vdso." },
	{ "task_fork", "copy_process -> dup_mmap (kernel/fork.c): the child "
	    "gets a copy of every VMA; private pages will be shared "
	    "copy-on-write." },
	{ "task_exit", "do_exit -> exit_mmap: every VMA is unmapped, the "
	    "frames and page tables go back to the allocator." },
	{ "vma_find", "find_vma (mm/mmap.c): a walk down the VMA red-black "
	    "tree for the first VMA with addr < vm_end." },
	{ "unmapped_area", "unmapped_area_topdown: the augmented tree "
	    "(rb_subtree_gap) finds a free gap below mmap_base in O(log n)." },
	{ "vma_map", "mmap_region: a new vm_area_struct is inserted in the "
	    "list and the tree. No frame is allocated: a VMA is a promise, "
	    "pages come on the first touch (demand paging)." },
	{ "vma_merge", "vma_merge: the new range has the same flags, file and "
	    "anon_vma as a neighbour and continues it, so one VMA grows instead "
	    "of a new one being made." },
	{ "vma_split", "__split_vma: an operation on part of a VMA cuts it in "
	    "two at a page boundary; vm_pgoff of the upper part is adjusted." },
	{ "vma_unmap", "remove_vma: the VMA is gone; its pages are unmapped "
	    "and its page tables freed if empty." },
	{ "vma_protect", "mprotect_fixup: new permissions for the range "
	    "(split first if it covers part of a VMA, then merge again)." },
	{ "vma_advise", "madvise_vma_behavior: a hint that changes the VMA's "
	    "flags or drops its pages (MADV_DONTNEED)." },
	{ "vma_move", "move_vma (mm/mremap.c): the mapping moves; its page "
	    "table entries move with it, no data is copied." },
	{ "brk", "brk (mm/mmap.c): the heap VMA grows or shrinks at the "
	    "program break." },
	{ "malloc", "glibc malloc: small requests come from the brk heap, "
	    "large ones (>= M_MMAP_THRESHOLD, 128 KiB) from their own mmap." },
	{ "free", "glibc free: the chunk goes to the bins, merges into the "
	    "top chunk (and the heap may shrink), or its mmap is unmapped." },
	{ "pgd_alloc", "pgd_alloc: every process gets its own top-level "
	    "table; CR3 (TTBR0 on ARM) will hold its physical address." },
	{ "pgtable_alloc", "__pte_alloc and friends: a lower-level table is "
	    "created only when an address below it is first mapped; that is "
	    "why multi-level tables are small." },
	{ "pgd_free", "pgd_free: the top-level table of a dead address space "
	    "goes back to the allocator." },
	{ "pgtable_free", "free_pgtables: tables left with no entry are freed "
	    "bottom up." },
	{ "walk_level", "The MMU reads one entry per level, using the bits of "
	    "the address as the index; a present entry gives the next table's "
	    "frame (or the page's frame at the last level)." },
	{ "walk_fault", "The walk found an entry that is not present (or does "
	    "not allow the access): the CPU raises a page fault and Linux runs "
	    "handle_mm_fault." },
	{ "walk_bad_addr", "The address cannot be translated at all "
	    "(non-canonical on x86_64): a general protection fault, SIGSEGV." },
	{ "set_pte", "set_pte_at: the fault handler (or mmap populate) writes "
	    "the leaf entry: frame number and flags (present, RW, user, NX)." },
	{ "clear_pte", "ptep_get_and_clear: the entry is cleared (munmap, "
	    "swap-out, MADV_DONTNEED); the TLB must be flushed after." },
	{ "tlb_hit", "TLB hit: the translation was cached; no page walk, no "
	    "memory access for the tables." },
	{ "tlb_miss", "TLB miss: no cached translation for this page (and this "
	    "ASID); the MMU walks the page table." },
	{ "tlb_fill", "The translation found by the walk is cached in the "
	    "set chosen by the low bits of the page number." },
	{ "tlb_evict", "The set was full: its least recently used entry makes "
	    "room." },
	{ "flush_tlb_page", "flush_tlb_page (INVLPG on x86): the cached "
	    "translation of one page is dropped after its PTE changed." },
	{ "flush_tlb_range", "flush_tlb_range: cached translations of a range "
	    "are dropped (munmap, mprotect)." },
	{ "flush_tlb_mm", "flush_tlb_mm: every translation of one address "
	    "space is dropped (fork write-protects them all)." },
	{ "flush_tlb_all", "flush_tlb_all: the whole TLB is emptied." },
	{ "switch_mm", "switch_mm_irqs_off: a context switch loads the next "
	    "process's table into CR3; without ASIDs (PCID) the TLB is flushed, "
	    "with them the entries stay, tagged." },
};

const char *tui_explain(const struct tl_event *ev)
{
	static char buf[160];
	const char *name = event_kind_name(ev->ev.kind);

	for (size_t i = 0; i < ARRAY_SIZE(explanations); i++) {
		if (strcmp(explanations[i].kind, name) == 0)
			return explanations[i].text;
	}
	snprintf(buf, sizeof(buf), "Linux: %s().", event_kind_fn(ev->ev.kind));
	return buf;
}
