/*
 * memory-hooks.h - the points where an address-space change must reach
 * the pages and page tables behind it. mmap.c and task.c call these at the
 * places Linux calls unmap_vmas/zap_page_range, free_pgtables,
 * change_protection, copy_page_range, move_page_tables, populate and
 * pgd_alloc/pgd_free. src/core/memory-hooks.c implements them; until the
 * paging issue lands they do nothing, because VMAs are only a promise and
 * no page is ever mapped.
 */
#ifndef VMSCOPE_MEMORY_HOOKS_H
#define VMSCOPE_MEMORY_HOOKS_H

#include "vmscope/mm.h"

/* A new mm exists (pgd_alloc) / is about to be freed (pgd_free). */
void	 mm_hook_mm_init(struct mm_struct *mm);
void	 mm_hook_mm_free(struct mm_struct *mm);
/* [start, end) of vma is being unmapped or discarded: zap its PTEs. */
void	 mm_hook_zap_range(struct mm_struct *mm, struct vm_area_struct *vma,
	    uint64_t start, uint64_t end);
/* No VMA is left in [floor, ceiling): page-table pages may go. */
void	 mm_hook_free_pgtables(struct mm_struct *mm, uint64_t floor,
	    uint64_t ceiling);
/* vm_flags of [start, end) changed (mprotect): rewrite its PTEs. */
void	 mm_hook_change_protection(struct mm_struct *mm,
	    struct vm_area_struct *vma, uint64_t start, uint64_t end,
	    unsigned long newflags);
/* fork: copy the PTEs of src_vma into dst (copy-on-write). 0 or -ENOMEM. */
int	 mm_hook_copy_page_range(struct mm_struct *dst,
	    struct vm_area_struct *dst_vma, struct mm_struct *src,
	    struct vm_area_struct *src_vma);
/* mremap: move the PTEs of [old_addr, +len) to new_addr. */
void	 mm_hook_move_page_tables(struct mm_struct *mm,
	    struct vm_area_struct *old_vma, uint64_t old_addr,
	    struct vm_area_struct *new_vma, uint64_t new_addr, uint64_t len);
/* MAP_POPULATE: fault the range in now. */
void	 mm_hook_populate(struct mm_struct *mm, uint64_t start, uint64_t end);
/*
 * split_huge_page: the THP head (a transparent huge page, not hugetlb)
 * becomes 512 order-0 pages and every PMD mapping it a page table of 512
 * PTEs with the same rights. held: references the caller holds on head
 * beyond its mappings' (reclaim's isolation), which the tails do not
 * inherit. The pages keep the head's place on the LRU (lru_split_page);
 * if the caller isolated the head, the tails go to the oldest end of
 * their list. 0, -EINVAL (not a THP) or -ENOMEM (no page table for a
 * mapper: nothing changed).
 */
struct machine;
struct page;
int	 split_huge_page(struct machine *m, struct page *head, int held);
/* madvise(MADV_PAGEOUT): reclaim the range's pages. */
void	 mm_hook_pageout(struct mm_struct *mm, struct vm_area_struct *vma,
	    uint64_t start, uint64_t end);

/*
 * What smaps reports per VMA, in bytes (fs/proc/task_mmu.c's
 * mem_size_stats). All zero until pages exist.
 */
struct mem_size_stats {
	uint64_t	 resident;
	uint64_t	 pss;		/* sum of PAGE_SIZE / mapcount */
	uint64_t	 pss_dirty;
	uint64_t	 shared_clean, shared_dirty;
	uint64_t	 private_clean, private_dirty;
	uint64_t	 referenced;
	uint64_t	 anonymous;
	uint64_t	 lazyfree;
	uint64_t	 anonymous_thp;
	uint64_t	 swap;
	uint64_t	 swap_pss;
};
/* Walk the pages of [vma->vm_start, vm_end) for smaps and pmap. */
void	 mm_hook_smaps(struct mm_struct *mm, struct vm_area_struct *vma,
	    struct mem_size_stats *mss);
/* Bytes of page-table pages (VmPTE). */
uint64_t mm_hook_pgtables_bytes(struct mm_struct *mm);

#endif
