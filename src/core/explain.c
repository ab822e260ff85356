/*
 * explain.c - the explanations of event kinds (explain.h): for each kind,
 * what the kernel is doing at that point and where to read it in the
 * Linux source. Used by the `explain` command (src/cmd/cmd-explain.c) and
 * the TUI's explanation line (src/tui/explain.c). Keyed by the kind's
 * name rather than its enum value so that kinds added later fall back to
 * "Linux: fn()" instead of breaking the build; add a line here when
 * adding a kind.
 */
#include <string.h>

#include "vmscope/compiler.h"
#include "vmscope/explain.h"

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

	/* LRU lists, reclaim, swap, OOM */
	{ "lru_add", "lru_cache_add (mm/swap.c): a new user page joins the "
	    "inactive list of its type, so reclaim can later find the pages "
	    "used least recently." },
	{ "page_activate", "folio_activate (mm/swap.c): a page referenced "
	    "again while inactive is promoted to the active list: it is in the "
	    "working set." },
	{ "page_deactivate", "shrink_active_list (mm/vmscan.c): when the "
	    "inactive list is too short, pages from the tail of the active "
	    "list are moved to it, to be judged again." },
	{ "page_rotate", "shrink_folio_list (mm/vmscan.c): the page was "
	    "referenced since the last scan (accessed bit set), so it gets a "
	    "second chance instead of being evicted: the clock algorithm." },
	{ "kswapd_wake", "wakeup_kswapd (mm/vmscan.c): an allocation left the "
	    "zone below its low watermark; the background reclaimer wakes up "
	    "before memory runs out." },
	{ "kswapd_run", "balance_pgdat (mm/vmscan.c): kswapd reclaims until "
	    "every zone is back above its high watermark, then sleeps again." },
	{ "direct_reclaim", "__alloc_pages_direct_reclaim (mm/page_alloc.c): "
	    "free memory fell below min, so the allocating task itself must "
	    "reclaim pages before it can go on: that is the stall users see." },
	{ "reclaim_scan", "shrink_lruvec (mm/vmscan.c): scan part of each LRU "
	    "list from its tail (the oldest pages), in proportion to its size "
	    "and the swappiness." },
	{ "page_reclaim", "shrink_folio_list (mm/vmscan.c): the page is "
	    "unmapped from everyone (try_to_unmap), written out if dirty and "
	    "its frame freed." },
	{ "writeback", "pageout (mm/vmscan.c): a dirty file page must be "
	    "written back to its file before its frame can be reused." },
	{ "swap_out", "swap_writepage (mm/page_io.c): an anonymous page has "
	    "no file behind it, so it is written to a swap slot and every PTE "
	    "that mapped it now holds the swap entry." },
	{ "swap_in", "do_swap_page (mm/memory.c): the PTE holds a swap entry; "
	    "the page is read back (or found in the swap cache), a major fault "
	    "when it needs the disk." },
	{ "swapon", "swapon (mm/swapfile.c): a swap area becomes usable; its "
	    "slots will hold evicted anonymous pages." },
	{ "swapoff", "swapoff (mm/swapfile.c): every page in the area must be "
	    "brought back into memory (try_to_unuse) before it can go." },
	{ "oom_victim", "select_bad_process (mm/oom_kill.c): reclaim could not "
	    "free enough; the process with the highest badness (its rss, swap "
	    "and page tables, adjusted by oom_score_adj) is chosen." },
	{ "oom_kill", "oom_kill_process (mm/oom_kill.c): the victim gets "
	    "SIGKILL and its memory is freed, so the allocation can succeed." },

	/* page faults */
	{ "page_fault", "handle_mm_fault (mm/memory.c), after "
	    "exc_page_fault and the VMA lookup: the access is allowed by the "
	    "VMA, so Linux will make the page present instead of a signal." },
	{ "expand_stack", "expand_stack (mm/mmap.c): an access just below a "
	    "VM_GROWSDOWN stack grows the stack VMA down, up to RLIMIT_STACK." },
	{ "do_anonymous_page", "do_anonymous_page (mm/memory.c): first touch of "
	    "an anonymous page: a read maps the shared zero page, a write gets "
	    "a new zeroed frame of its own." },
	{ "do_read_fault", "do_read_fault (mm/memory.c): a read of a file "
	    "mapping maps the page-cache page itself (filemap_fault finds or "
	    "reads it); no copy is made." },
	{ "do_cow_fault", "do_cow_fault (mm/memory.c): a write to a private "
	    "file mapping: the file's page is copied into a new anonymous "
	    "frame, so the file never sees the write." },
	{ "do_shared_fault", "do_shared_fault (mm/memory.c): a write to a "
	    "shared file mapping maps the page-cache page writable and marks it "
	    "dirty; it will be written back to the file." },
	{ "filemap_read", "filemap_fault (mm/filemap.c): the page is not in "
	    "the page cache, so it is read from the disk into a new frame: a "
	    "major fault." },
	{ "do_wp_page", "do_wp_page (mm/memory.c): a write to a present but "
	    "read-only PTE of a writable VMA: copy-on-write. Shared by others: "
	    "copy it; mapped only here: reuse it." },
	{ "wp_page_copy", "wp_page_copy (mm/memory.c): the page is shared, so "
	    "the writer gets a private copy in a new frame and the old frame "
	    "loses one mapping." },
	{ "wp_page_reuse", "wp_page_reuse (mm/memory.c): nobody else maps the "
	    "page any more, so no copy: the PTE is simply made writable." },
	{ "huge_fault", "do_huge_pmd_anonymous_page (mm/huge_memory.c): a "
	    "transparent huge page: one order-9 block mapped by a pmd, one TLB "
	    "entry for 2 MiB." },
	{ "sigsegv", "force_sig_fault (arch/x86/mm/fault.c): no VMA covers the "
	    "address, or the VMA does not allow the access: the process gets "
	    "SIGSEGV instead of a page." },
	{ "sigbus", "force_sig_fault: the VMA exists but the page behind it "
	    "does not (beyond the end of the file): SIGBUS." },
	{ "access_retry", "The fault handler returns and the CPU runs the "
	    "faulting instruction again; this time the walk finds the new PTE "
	    "and the TLB caches it." },
	{ "zap_pte_range", "zap_pte_range (mm/memory.c): munmap or exit clears "
	    "the PTEs of a range, dropping each page's mapcount and reference." },
	{ "copy_page_range", "copy_page_range (mm/memory.c): fork copies the "
	    "parent's PTEs; private writable pages are made read-only in both "
	    "so the first write copies them (COW)." },
	{ "change_protection", "change_protection (mm/mprotect.c): mprotect "
	    "rewrites the permission bits of every present PTE of the range." },
	{ "move_page_tables", "move_page_tables (mm/mremap.c): mremap moves the "
	    "PTEs to the new address; the pages themselves stay where they are." },

	/* slab allocator */
	{ "kmem_cache_alloc", "kmem_cache_alloc (mm/slub.c): kernel objects "
	    "(a vm_area_struct, a task_struct) come from a cache of same-sized "
	    "objects carved out of whole pages, not from the buddy allocator." },
	{ "kmem_cache_free", "kmem_cache_free (mm/slub.c): the object goes "
	    "back to its slab's free list; the page stays with the cache." },
	{ "slab_new", "allocate_slab (mm/slub.c): the cache had no free "
	    "object, so it takes pages from the buddy allocator and cuts them "
	    "into objects." },
	{ "slab_free", "discard_slab (mm/slub.c): every object of the slab is "
	    "free again, so its pages go back to the buddy allocator." },
	{ "kmalloc_large", "kmalloc_large (mm/slab_common.c): too big for the "
	    "kmalloc caches, so the request is served by alloc_pages directly." },
	{ "kfree_large", "free_large_kmalloc (mm/slab_common.c): a large "
	    "kmalloc is freed straight back to the buddy allocator." },

	/* reverse map */
	{ "rmap_unmap", "try_to_unmap_one (mm/rmap.c): the reverse map found a "
	    "PTE mapping the page (from page->mapping and page->index) and "
	    "clears it, so the frame can be reclaimed." },
	{ "page_referenced", "page_referenced_one (mm/rmap.c): reclaim asks "
	    "every PTE mapping the page whether the accessed bit was set since "
	    "the last look, and clears it." },
};

const char *explain_event_kind(enum event_kind kind)
{
	const char *name = event_kind_name(kind);

	for (size_t i = 0; i < ARRAY_SIZE(explanations); i++) {
		if (strcmp(explanations[i].kind, name) == 0)
			return explanations[i].text;
	}
	return NULL;
}

bool explain_known(enum event_kind kind)
{
	return explain_event_kind(kind) != NULL;
}
