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
