/*
 * rmap.h - the reverse map: from a page frame back to every (process,
 * virtual address) whose page table maps it, after mm/rmap.c. Reclaim
 * needs it to unmap a page it wants to evict (try_to_unmap) and to ask
 * whether anyone used it lately (page_referenced); `frames` uses it to
 * name a frame's owners; the invariant checker uses it to prove that every
 * page's mapcount equals the PTEs that map it.
 *
 * Anonymous pages: page->mapping is the struct anon_vma the page was
 * created under (PG_anon set) and page->index its linear page index
 * (vma->vm_pgoff + (addr - vm_start) >> PAGE_SHIFT, kept by mremap), so
 * the address in any VMA that may map it is computed, not stored.
 *
 *   anon_vma family (simplified anon_vma_chain)
 *
 *     root A (parent's VMAs)  <-- page P0 created by the parent
 *       |-- child anon_vma B (fork 1's VMA)   <-- page P1 made by a COW in 1
 *       |     `-- C (fork of fork 1)
 *       `-- D (fork 2's VMA)
 *
 *   Linux links every VMA to each anon_vma of its ancestors through
 *   anon_vma_chain objects. vmscope keeps the same facts with less
 *   machinery: each anon_vma has a list of the VMAs that point at it
 *   (vma->anon_vma, linked through vma->anon_vma_node) and a parent
 *   pointer; the root lists the whole family. A page of anon_vma X may be
 *   mapped by a VMA of X or of any descendant of X, so rmap_walk visits
 *   exactly those VMAs (P0 above: the VMAs of A, B, C and D; P1: of B and
 *   C), computes the address from page->index and checks that the PTE
 *   really maps the page.
 *
 *   A child anon_vma holds a reference on its parent, and each VMA one on
 *   its anon_vma, so a family lives as long as any of its VMAs. Pages do
 *   not hold references (Linux neither): page->mapping of an anonymous
 *   page is only meaningful while the page is mapped (page_mapped());
 *   every function here checks that first. A page in the swap cache that
 *   nobody maps has nothing to walk, and when it is mapped again its
 *   anon_vma comes from the VMA that maps it (page_add_anon_rmap), never
 *   from what the page or its swap slot remembered. What keeps a mapped
 *   page's anon_vma alive is that every VMA whose PTEs map anonymous
 *   pages has an anon_vma of their family: a VMA that takes over pages
 *   (vma_merge into a neighbour without one) takes over the anon_vma too.
 *   The machine keeps a registry of live anon_vmas (machine->anon_vmas)
 *   so that validate_anon_vmas can prove no page or swap slot points at
 *   a freed one.
 *
 * File pages: page->mapping is the file's struct address_space
 * (filemap.h), page->index the page offset in the file. Linux finds the
 * VMAs mapping a file in the file's i_mmap interval tree; vmscope scans
 * the VMAs of every process for ones mapping that file over that offset
 * (doc/simplifications.md), which visits the same (vma, address) pairs.
 *
 * The zero page, page-table pages and kernel pages have no reverse map.
 */
#ifndef VMSCOPE_RMAP_H
#define VMSCOPE_RMAP_H

#include "vmscope/mm.h"
#include "vmscope/mmzone.h"

struct machine;

/* ---- anon_vma life cycle (mmap.c calls these; see above) ----------- */

/*
 * anon_vma_prepare (declared in mm.h): give vma a fresh root anon_vma if
 * it has none, on its first anonymous fault.
 */

/*
 * Enter av in machine m's registry of live anon_vmas (anon_vma_alloc
 * does; the state reader does for those it rebuilds). Freeing takes it
 * out.
 */
void	 anon_vma_register(struct machine *m, struct anon_vma *av);
/* vma shares av (split, merge, mremap copy): link it in, take a reference. */
void	 anon_vma_link(struct vm_area_struct *vma, struct anon_vma *av);
/* vma goes away: unlink it, drop its reference (frees an unused family). */
void	 unlink_anon_vmas(struct vm_area_struct *vma);
/*
 * anon_vma_fork: the child's copy vma of pvma gets an anon_vma of its own
 * whose parent is pvma's, so the parent's pages stay reachable from it and
 * pages the child creates (COW copies) belong to the child alone. Nothing
 * when pvma has no anon_vma.
 */
int	 anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma);

/* ---- mapping and unmapping pages ----------------------------------- */

/*
 * A new anonymous page mapped at addr in vma (page_add_new_anon_rmap):
 * mapping = vma->anon_vma, index from addr, mapcount 1. The caller has
 * run anon_vma_prepare.
 */
void	 page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma,
	    uint64_t addr);
/*
 * One more PTE maps an existing anonymous page (swap-in, swapoff). The
 * first PTE to map it again sets mapping and index from vma, as
 * __folio_set_anon: vma->anon_vma when exclusive (no other PTE holds the
 * page or its swap entry), else its root, which every VMA holding a copy
 * descends from. The caller has run anon_vma_prepare.
 */
void	 page_add_anon_rmap(struct page *page, struct vm_area_struct *vma,
	    uint64_t addr, bool exclusive);
/* One more PTE maps a page-cache page. */
void	 page_add_file_rmap(struct page *page);
/* One PTE mapping page went away (zap, COW break, unmap). */
void	 page_remove_rmap(struct page *page);

/* page_mapped: some PTE maps it. */
static inline bool page_mapped(const struct page *page)
{
	return page->_mapcount >= 0;
}
static inline bool PageAnon(const struct page *page)
{
	return PageFlag(page, PG_anon);
}

/* ---- walking ------------------------------------------------------- */

/*
 * One place a page is mapped: the VMA, the address, and the leaf entry
 * (a pte, or a pmd for a huge page; shift says which).
 */
struct rmap_hit {
	struct vm_area_struct *vma;
	uint64_t	 addr;
	uint64_t	*ptep;
	unsigned	 shift;
};

/*
 * Called for each place the page is mapped; returning non-zero stops the
 * walk and is returned by rmap_walk.
 */
typedef int rmap_one_fn(struct machine *m, struct page *page,
	    const struct rmap_hit *hit, void *arg);

/*
 * rmap_walk: call fn for every (vma, address) whose page table maps page
 * (the head page of a huge page), in a deterministic order (anon_vma
 * family order, then VMA list order; for files, pid then address order).
 * Returns 0 or what fn returned.
 */
int	 rmap_walk(struct machine *m, struct page *page, rmap_one_fn *fn,
	    void *arg);

/*
 * page_referenced: test and clear the accessed bit of every PTE mapping
 * page (flushing the TLB entry where one was set, as
 * ptep_clear_flush_young does), and return how many were set. vm_flags,
 * when given, gets the VM_LOCKED etc. of the VMAs that referenced it.
 */
int	 page_referenced(struct machine *m, struct page *page,
	    unsigned long *vm_flags);

/*
 * What try_to_unmap puts in an anonymous page's PTEs: the swap entry
 * (type, offset) reclaim allocated for it. For file pages the PTE is
 * simply cleared (the page cache keeps the page; a fault finds it again).
 */
struct swap_entry_arg {
	unsigned	 type;
	unsigned long	 offset;
	/*
	 * Out: how many PTEs now hold the entry; the swap code raises the
	 * slot's count by that much (swap_duplicate per PTE in Linux).
	 */
	int		 nr_installed;
};

/*
 * try_to_unmap: clear every PTE mapping page, flush each from the TLB,
 * move its dirty bit to the page (PG_dirty), drop the mapcounts and the
 * references the mappings held, and fix the rss counters (anon pages:
 * MM_ANONPAGES -> MM_SWAPENTS). An anonymous page needs entry (else it
 * stays mapped and false is returned); file pages ignore entry. Returns
 * true when the page is no longer mapped. Emits EV_RMAP_UNMAP per PTE.
 * The caller holds its own reference on the page and frees it.
 */
bool	 try_to_unmap(struct machine *m, struct page *page,
	    struct swap_entry_arg *entry);

/*
 * Check the anon_vma registry: each live anon_vma's refcount is its VMAs
 * plus its children, families list exactly their members, every VMA's
 * anon_vma is live, and no page (mapped, in the swap cache or not) and
 * no swap slot points at one that was freed. validate_rmap runs it.
 */
int	 validate_anon_vmas(struct machine *m, char *why, size_t whylen);

/* How many PTEs rmap_walk finds for page (the checker compares mapcount). */
int	 page_count_mappings(struct machine *m, struct page *page);

/*
 * Check the reverse map of every frame: each mapped page's mapcount equals
 * the PTEs found by walking every process's page table, and rmap_walk
 * finds each of them. 0, or -1 with the first violation in why.
 */
int	 validate_rmap(struct machine *m, char *why, size_t whylen);

#endif
