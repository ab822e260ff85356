/*
 * memory-hooks.c - where VMA changes meet pages and page tables (see
 * memory-hooks.h). mmap.c and task.c call these exactly where Linux
 * touches the page tables; for now a VMA is only a promise and no page is
 * mapped, so there is nothing to zap, copy or move and every hook is
 * empty. The paging issue fills them in (pgtable.c, the fault handler,
 * rmap) without touching the callers.
 */
#include <string.h>

#include "vmscope/memory-hooks.h"
#include "vmscope/pgtable.h"

/*
 * pgd_alloc. Without a frame for the root the mm has no page table
 * (pgt NULL) and every access to it faults as out of memory.
 */
void mm_hook_mm_init(struct mm_struct *mm)
{
	mm->pgt = pgtable_alloc(mm->machine, mm->owner_pid);
}

/* pgd_free: every table goes back, and the TLB forgets the mm. */
void mm_hook_mm_free(struct mm_struct *mm)
{
	pgtable_free(mm->pgt);
	mm->pgt = NULL;
}

void mm_hook_zap_range(struct mm_struct *mm, struct vm_area_struct *vma,
    uint64_t start, uint64_t end)
{
	(void)mm;
	(void)vma;
	(void)start;
	(void)end;
}

void mm_hook_free_pgtables(struct mm_struct *mm, uint64_t floor,
    uint64_t ceiling)
{
	if (mm->pgt != NULL)
		free_pgtables(mm->pgt, floor, ceiling);
}

void mm_hook_change_protection(struct mm_struct *mm,
    struct vm_area_struct *vma, uint64_t start, uint64_t end,
    unsigned long newflags)
{
	(void)mm;
	(void)vma;
	(void)start;
	(void)end;
	(void)newflags;
}

int mm_hook_copy_page_range(struct mm_struct *dst,
    struct vm_area_struct *dst_vma, struct mm_struct *src,
    struct vm_area_struct *src_vma)
{
	(void)dst;
	(void)dst_vma;
	(void)src;
	(void)src_vma;
	return 0;
}

void mm_hook_move_page_tables(struct mm_struct *mm,
    struct vm_area_struct *old_vma, uint64_t old_addr,
    struct vm_area_struct *new_vma, uint64_t new_addr, uint64_t len)
{
	(void)mm;
	(void)old_vma;
	(void)old_addr;
	(void)new_vma;
	(void)new_addr;
	(void)len;
}

void mm_hook_populate(struct mm_struct *mm, uint64_t start, uint64_t end)
{
	(void)mm;
	(void)start;
	(void)end;
}

void mm_hook_pageout(struct mm_struct *mm, struct vm_area_struct *vma,
    uint64_t start, uint64_t end)
{
	(void)mm;
	(void)vma;
	(void)start;
	(void)end;
}

void mm_hook_smaps(struct mm_struct *mm, struct vm_area_struct *vma,
    struct mem_size_stats *mss)
{
	(void)mm;
	(void)vma;
	memset(mss, 0, sizeof(*mss));
}

uint64_t mm_hook_pgtables_bytes(struct mm_struct *mm)
{
	(void)mm;
	return 0;
}
