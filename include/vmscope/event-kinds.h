/*
 * event-kinds.h - every kind of event the model emits, declared once.
 * Included with EVENT(name, linux_function, template) defined.
 *
 * The template gives the one-line text; each conversion prints a field of
 * struct vm_event and names the field in the JSON rendering:
 *   %p pid   %n node   %z zone name   %o order   %l level
 *   %a addr (hex)   %f pfn (hex)   %e entry (hex, 16 digits)
 *   %v val   %V val (hex)   %w val2   %W val2 (hex)   %s str   %t str2
 * A conversion may be followed by {key} to give its JSON key a better
 * name than the field's; the braces are not printed. %% prints %.
 */

/* machine */
EVENT(MACHINE_BOOT, "start_kernel",
    "machine %s{arch} booted: %v{pages} page frames, %w{reserved} reserved")

/* buddy allocator (mm/page_alloc.c) */
EVENT(WMARK_CHECK, "zone_watermark_ok",
    "zone %z order %o: free %v{free} against %s{mark} %w{needed} (with lowmem_reserve): %t{result}")
EVENT(BUDDY_TAKE, "__rmqueue_smallest",
    "zone %z: take pfn %f from free_area[%o]")
EVENT(BUDDY_SPLIT, "expand",
    "zone %z: split pfn %f order %o, buddy pfn %V{buddy} goes to free_area[%w{to_order}]")
EVENT(ALLOC_PAGES, "__alloc_pages",
    "allocated order %o at pfn %f from zone %z")
EVENT(ALLOC_FAIL, "__alloc_pages",
    "order %o allocation failed: %s{reason}")
EVENT(FREE_PAGES, "__free_pages",
    "free pfn %f order %o to zone %z")
EVENT(BUDDY_MERGE, "__free_one_page",
    "zone %z: pfn %f merges with buddy pfn %V{buddy} into order %w{to_order}")
EVENT(BUDDY_FREE, "__free_one_page",
    "zone %z: pfn %f put on free_area[%o]")

/* processes (kernel/fork.c, fs/exec.c, kernel/exit.c) */
EVENT(TASK_EXEC, "do_execve",
    "pid %p: exec %s{comm}: new address space, %v{vmas} VMAs")
EVENT(TASK_FORK, "copy_process",
    "pid %p: fork, child pid %v{child}, %w{vmas} VMAs copied (dup_mmap)")
EVENT(TASK_EXIT, "do_exit",
    "pid %p (%s{comm}) exits (%t{why}): %v{vmas} VMAs torn down (exit_mmap)")

/* address space (mm/mmap.c, mm/mprotect.c, mm/mremap.c, mm/madvise.c) */
EVENT(VMA_FIND, "find_vma",
    "pid %p: find_vma %a: %s{result}, %v{depth} tree nodes visited")
EVENT(UNMAPPED_AREA, "unmapped_area_topdown",
    "pid %p: free range of %V{len} bytes found at %a (%s{how})")
EVENT(VMA_MAP, "mmap_region",
    "pid %p: new VMA %a-%V{end} %s{perms} %t{what}")
EVENT(VMA_MERGE, "vma_merge",
    "pid %p: %a-%V{end} merged: %s{how}")
EVENT(VMA_SPLIT, "__split_vma",
    "pid %p: split VMA %a-%V{end} at %W{at}")
EVENT(VMA_UNMAP, "remove_vma",
    "pid %p: VMA %a-%V{end} removed %s{perms} %t{what}")
EVENT(VMA_PROTECT, "mprotect_fixup",
    "pid %p: %a-%V{end} now %s{perms}")
EVENT(VMA_ADVISE, "madvise_vma_behavior",
    "pid %p: %a-%V{end} %s{advice}")
EVENT(VMA_MOVE, "move_vma",
    "pid %p: %a moved to %V{to}, %W{len} bytes")
EVENT(BRK, "brk",
    "pid %p: program break %V{old} -> %W{new} (%s{how})")
EVENT(MALLOC, "malloc",
    "pid %p: malloc(%v{size}) = %a, chunk %W{chunk} bytes from %s{path}")
EVENT(FREE, "free",
    "pid %p: free(%a): chunk %W{chunk} bytes %s{how}")

/*
 * page tables (mm/memory.c, arch/x86/mm/pgtable.c); [MMU] marks what the
 * hardware does on its own
 */
EVENT(PGD_ALLOC, "pgd_alloc",
    "pid %p: new page table, %s{table} at pfn %f")
EVENT(PGTABLE_ALLOC, "__pte_alloc",
    "pid %p: new %s{table} table at pfn %f (order %v{order}) for %a")
EVENT(PGD_FREE, "pgd_free",
    "pid %p: page table root %s{table} at pfn %f freed")
EVENT(PGTABLE_FREE, "free_pgtables",
    "pid %p: empty %s{table} table at pfn %f freed (it covered %a)")
EVENT(WALK_LEVEL, "[MMU] page walk",
    "pid %p va %a: %s{table}[%v{index}] = %e -> %t{kind} at pfn %f")
EVENT(WALK_FAULT, "[MMU] page walk",
    "pid %p va %a: %s{table}[%v{index}] = %e: %t{why}")
EVENT(WALK_BAD_ADDR, "[MMU] page walk",
    "pid %p va %a: %t{why}")
EVENT(SET_PTE, "set_pte_at",
    "pid %p va %a: %s{table} entry set to %e (pfn %f)")
EVENT(CLEAR_PTE, "ptep_get_and_clear",
    "pid %p va %a: %s{table} entry %e cleared")

/* TLB and context switches (arch/x86/mm/tlb.c) */
EVENT(TLB_HIT, "[MMU] TLB lookup",
    "pid %p va %a: TLB hit, %s{size}page in set %v{set} way %w{way}, pfn %f")
EVENT(TLB_MISS, "[MMU] TLB lookup",
    "pid %p va %a: TLB miss in set %v{set}")
EVENT(TLB_FILL, "[MMU] TLB refill",
    "pid %p va %a: cached as %s{size}page in set %v{set} way %w{way}, pfn %f")
EVENT(TLB_EVICT, "[MMU] TLB refill",
    "pid %p va %a: evicted from set %v{set} way %w{way} (least recently used), pfn %f")
EVENT(FLUSH_TLB_PAGE, "flush_tlb_page",
    "pid %p va %a: %v{entries} TLB entries invalidated")
EVENT(FLUSH_TLB_RANGE, "flush_tlb_range",
    "pid %p %a-%W{end}: %v{entries} TLB entries invalidated")
EVENT(FLUSH_TLB_MM, "flush_tlb_mm",
    "pid %p (asid %w{asid}): %v{entries} TLB entries invalidated")
EVENT(FLUSH_TLB_ALL, "flush_tlb_all",
    "%v{entries} TLB entries invalidated")
EVENT(SWITCH_MM, "switch_mm_irqs_off",
    "pid %p: page table at pfn %f loaded, asid %v{asid}: %s{tlb}, %w{dropped} entries dropped")

/* LRU lists, reclaim and swap (mm/swap.c, mm/vmscan.c, mm/swapfile.c) */
EVENT(LRU_ADD, "lru_cache_add",
    "pfn %f added to the %s{list} list of node %n")
EVENT(PAGE_ACTIVATE, "folio_activate",
    "pfn %f moved to the %s{list} list (%t{why})")
EVENT(PAGE_DEACTIVATE, "shrink_active_list",
    "pfn %f moved to the %s{list} list (%t{why})")
EVENT(PAGE_ROTATE, "shrink_folio_list",
    "pfn %f referenced: second chance, back to the head of the %s{list} list")
EVENT(KSWAPD_WAKE, "wakeup_kswapd",
    "kswapd%n woken: zone %z free %v{free} below low %w{low}")
EVENT(KSWAPD_RUN, "balance_pgdat",
    "kswapd%n: reclaimed %v{pages} pages, %s{result}")
EVENT(DIRECT_RECLAIM, "__alloc_pages_direct_reclaim",
    "order %o allocation below min in zone %z: direct reclaim freed %v{pages} pages")
EVENT(RECLAIM_SCAN, "shrink_lruvec",
    "node %n %s{list}: scanned %v{scanned}, reclaimed %w{reclaimed} (%t{who})")
EVENT(PAGE_RECLAIM, "shrink_folio_list",
    "pfn %f reclaimed from the %s{list} list: %t{how}")
EVENT(WRITEBACK, "pageout",
    "pfn %f written back to %s{file} page %v{index} (pgpgout)")
EVENT(SWAP_OUT, "swap_writepage",
    "pfn %f written to swap %s{area} slot %v{offset}, %w{ptes} PTEs now hold the entry")
EVENT(SWAP_IN, "do_swap_page",
    "pid %p va %a: swap entry %e: %s{how}, pfn %f")
EVENT(SWAPON, "swapon",
    "swap area %s{area} on: %v{slots} slots, priority %w{prio}")
EVENT(SWAPOFF, "swapoff",
    "swap area %s{area}: %v{pages} pages brought back in, %t{result}")
EVENT(OOM_VICTIM, "select_bad_process",
    "pid %p (%s{comm}) has the highest badness %v{points} (rss + swap + page tables, oom_score_adj %w{adj})")
EVENT(OOM_KILL, "oom_kill_process",
    "Out of memory: killed pid %p (%s{comm}), %v{freed} pages freed")

/* page faults (arch/x86/mm/fault.c, mm/memory.c, mm/filemap.c) */
EVENT(PAGE_FAULT, "handle_mm_fault",
    "pid %p va %a: page fault on %s{access}: %t{cause}")
EVENT(EXPAND_STACK, "expand_stack",
    "pid %p: [stack] grows down to %a, %v{pages} pages more")
EVENT(DO_ANONYMOUS_PAGE, "do_anonymous_page",
    "pid %p va %a: anonymous page, %s{what}")
EVENT(DO_READ_FAULT, "do_read_fault",
    "pid %p va %a: read of page %v{index} of %s{file}: %t{what}")
EVENT(DO_COW_FAULT, "do_cow_fault",
    "pid %p va %a: private write to page %v{index} of %s{file}: %t{what}")
EVENT(DO_SHARED_FAULT, "do_shared_fault",
    "pid %p va %a: shared write to page %v{index} of %s{file}: %t{what}")
EVENT(FILEMAP_READ, "filemap_fault",
    "%s{file} page %v{index} not cached: read from disk into pfn %f (major fault)")
EVENT(DO_WP_PAGE, "do_wp_page",
    "pid %p va %a: write to read-only pfn %f, mapcount %v{mapcount}: %s{decision}")
EVENT(WP_PAGE_COPY, "wp_page_copy",
    "pid %p va %a: pfn %f copied to new pfn %V{new}")
EVENT(WP_PAGE_REUSE, "wp_page_reuse",
    "pid %p va %a: pfn %f is exclusive: made writable in place")
EVENT(HUGE_FAULT, "do_huge_pmd_anonymous_page",
    "pid %p va %a: %s{what} huge page at pfn %f")
EVENT(SIGSEGV, "force_sig_fault",
    "pid %p va %a: SIGSEGV (%s{code}): %t{why}")
EVENT(SIGBUS, "force_sig_fault",
    "pid %p va %a: SIGBUS (%s{code}): %t{why}")
EVENT(ACCESS_RETRY, "[MMU] retry",
    "pid %p va %a: the faulting %s{access} is retried")
EVENT(ZAP_PTE_RANGE, "zap_pte_range",
    "pid %p %a-%V{end}: %w{entries} entries zapped")
EVENT(COPY_PAGE_RANGE, "copy_page_range",
    "pid %p %a-%V{end}: %w{entries} entries copied to the child, %s{how}")
EVENT(CHANGE_PROTECTION, "change_protection",
    "pid %p %a-%V{end}: %w{entries} entries rewritten as %s{perms}")
EVENT(MOVE_PAGE_TABLES, "move_page_tables",
    "pid %p %a -> %V{to}: %w{entries} entries moved")

/* reverse map (mm/rmap.c) */
EVENT(RMAP_UNMAP, "try_to_unmap_one",
    "pid %p va %a: pfn %f unmapped (%s{what})")
EVENT(PAGE_REFERENCED, "page_referenced_one",
    "pid %p va %a: pfn %f %s{what}")

/* slab allocator (mm/slub.c, mm/slab_common.c) */
EVENT(KMEM_CACHE_ALLOC, "kmem_cache_alloc",
    "%s{cache}: object %a allocated from the slab at pfn %f, %v{inuse}/%w{objects} in use")
EVENT(KMEM_CACHE_FREE, "kmem_cache_free",
    "%s{cache}: object %a freed in the slab at pfn %f, %v{inuse}/%w{objects} in use")
EVENT(SLAB_NEW, "allocate_slab",
    "%s{cache}: new slab at pfn %f (order %o, %a): %v{objects} objects of %w{size} bytes")
EVENT(SLAB_FREE, "discard_slab",
    "%s{cache}: slab at pfn %f (order %o) is empty: back to the buddy allocator")
EVENT(KMALLOC_LARGE, "kmalloc_large",
    "kmalloc(%v{size}) is above %w{max} bytes: order %o block at pfn %f, %a")
EVENT(KFREE_LARGE, "free_large_kmalloc",
    "kfree(%a): the order %o block at pfn %f goes back to the buddy allocator")
