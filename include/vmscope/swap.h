/*
 * swap.h - swap areas, the swap map and the swap cache (mm/swapfile.c,
 * mm/swap_state.c) and the swap-in fault (mm/memory.c's do_swap_page).
 *
 * A swap entry is written as the swap PTE that holds it:
 * swp_entry_to_pte(type, offset) (pgtable.h), so an entry taken from a PTE
 * is passed around unchanged and pte_swp_type/pte_swp_offset read it.
 * A page in the swap cache keeps its entry in page->private.
 *
 * swap_map[offset] counts the references to a slot: one per PTE holding
 * the entry (swap_duplicate adds one at fork, swap_free drops one), plus
 * the SWAP_HAS_CACHE bit while a page of the swap cache stands for the
 * slot. A slot is free when its count is 0. Offset 0 of every area is the
 * swap header and never given out, as in Linux.
 *
 * Reclaim (vmscan.c) swaps a page out: get_swap_page, add_to_swap_cache,
 * try_to_unmap (every PTE gets the entry), the write (pswpout), then
 * delete_from_swap_cache and the frame is freed. A fault on a swap PTE
 * comes to do_swap_page: a swap-cache hit maps the cached page (minor
 * fault); otherwise a new frame is read from the slot (major fault,
 * pswpin, workingset_refault_anon).
 */
#ifndef VMSCOPE_SWAP_H
#define VMSCOPE_SWAP_H

#include "vmscope/mm.h"
#include "vmscope/pgtable.h"

#define SWAP_HAS_CACHE	0x40	/* a swap-cache page stands for the slot */
#define SWAP_MAP_MAX	0x3e	/* most PTE references one slot may have */

struct swap_info_struct {
	unsigned	 type;		/* index in machine->swap_info */
	int		 prio;		/* -2, -3, ... as swapon gives them */
	char		 name[32];	/* "/swapfile", "/swapfile1" ... */
	unsigned long	 max;		/* slots including the header (offset 0) */
	unsigned long	 pages;		/* usable slots: max - 1 */
	unsigned long	 inuse_pages;	/* slots with a non-zero count */
	unsigned long	 cluster_next;	/* where the next search starts */
	unsigned char	*swap_map;	/* count per slot */
	struct page	**cache;	/* the swap cache: page per slot */
	/*
	 * What the page in the slot was (its anon_vma and index): a record
	 * for saved states and the checker, which proves the anon_vma lives
	 * while the slot is used. A page read back gets its anon_vma from
	 * the VMA that maps it (page_add_anon_rmap), as in Linux, whose swap
	 * slots remember no owner. evicted_at: when it was evicted
	 * (workingset refault distance).
	 */
	void		**owner;
	unsigned long	*owner_index;
	unsigned long	*evicted_at;
	bool		 writeback_only;	/* being turned off */
};

/* A swap entry as its PTE (see the top of this file). */
static inline uint64_t swp_entry(unsigned type, unsigned long offset)
{
	return swp_entry_to_pte(type, offset);
}

/*
 * swapon: a new area of size bytes (rounded down to pages; at least two
 * pages: the header and one slot), priority one below the last. Returns
 * 0 and the type, -EINVAL for a size too small, -EPERM when all
 * MAX_SWAPFILES are in use.
 */
int	 swapon(struct machine *m, uint64_t size, unsigned *typep);
/*
 * swapoff: bring every page of the area back into memory (try_to_unuse:
 * each swap PTE of every process is faulted in, the swap cache is
 * emptied), then remove the area. -EINVAL when no such area, -ENOMEM
 * when memory cannot take the pages back (the area stays on, with what
 * was brought in so far in memory).
 */
int	 swapoff(struct machine *m, unsigned type);
/* Free every area without swapping in (machine teardown). */
void	 swap_machine_free(struct machine *m);

/* Slots of every area / free slots (meminfo SwapTotal, SwapFree). */
unsigned long total_swap_pages(const struct machine *m);
unsigned long nr_free_swap_pages(const struct machine *m);
/* Pages in the swap cache (meminfo SwapCached). */
unsigned long total_swapcache_pages(const struct machine *m);
/* vm_swap_full: more than half of swap used. */
bool	 vm_swap_full(const struct machine *m);

/*
 * get_swap_page: a free slot from the highest-priority area with one,
 * its count set to SWAP_HAS_CACHE. 0 and *entry, or -ENOSPC.
 */
int	 get_swap_page(struct machine *m, uint64_t *entry);
/* fork copies a swap PTE: one more reference. 0, -EINVAL, -ENOMEM (full count). */
int	 swap_duplicate(struct machine *m, uint64_t entry);
/* A PTE holding entry went away: one reference less; the slot is freed at 0. */
void	 swap_free(struct machine *m, uint64_t entry);
/*
 * zap_pte_range on a swap PTE: swap_free, and when only the swap cache
 * still holds the slot and the cached page is not mapped, drop the page
 * too (free_swap_and_cache).
 */
void	 free_swap_and_cache(struct machine *m, uint64_t entry);
/*
 * free_swap_cache: the last mapping of a swap-cache page went away and no
 * PTE holds its slot: drop it from the cache (and so free it), as the
 * TLB-gather freeing of zap does (free_pages_and_swap_cache).
 * __free_pages calls it when only the cache's reference is left.
 */
void	 free_swap_cache(struct machine *m, struct page *page);
/* PTE references to the slot (swp_swapcount), 0 for a bad entry. */
int	 swap_count(struct machine *m, uint64_t entry);

/*
 * The swap cache. add_to_swap_cache sets PG_swapcache, page->private =
 * entry, takes a reference for the cache and marks the slot
 * SWAP_HAS_CACHE; delete_from_swap_cache undoes all of it (and frees the
 * slot when no PTE holds it). lookup_swap_cache takes no reference.
 */
int	 add_to_swap_cache(struct machine *m, struct page *page,
	    uint64_t entry);
void	 delete_from_swap_cache(struct machine *m, struct page *page);
struct page *lookup_swap_cache(struct machine *m, uint64_t entry);
/*
 * try_to_free_swap (folio_free_swap): when no PTE holds the slot of a
 * swap-cache page any more, forget the slot (the page keeps its data and
 * will need a new one). True when it did.
 */
bool	 try_to_free_swap(struct machine *m, struct page *page);

/* What do_swap_page did, for the fault handler's accounting and output. */
struct swap_fault {
	bool		 major;		/* read from the swap area */
	bool		 cache_hit;	/* found in the swap cache */
	bool		 need_wp;	/* write to a page mapped read-only:
					   the caller goes on to do_wp_page */
	unsigned long	 pfn;
};

/*
 * do_swap_page: the PTE at ptep (for addr in vma of mm) holds a swap
 * entry. Find the page in the swap cache (minor) or read it into a new
 * frame (major: pswpin and workingset_refault_anon are counted here;
 * pgfault, pgmajfault and the task's min_flt/maj_flt are the caller's), map it
 * (young; writable and dirty when the fault is a write and the page is
 * exclusive to this PTE, else read-only with need_wp set for a write),
 * add the rmap, move the rss from MM_SWAPENTS to MM_ANONPAGES and drop
 * the PTE's reference to the slot. Returns 0, -ENOMEM when no frame can
 * be had even after reclaim (VM_FAULT_OOM), -EFAULT for an entry that
 * names no slot in use (VM_FAULT_SIGBUS). Emits EV_SWAP_IN.
 */
int	 do_swap_page(struct mm_struct *mm, struct vm_area_struct *vma,
	    uint64_t addr, uint64_t *ptep, bool write, struct swap_fault *res);

/*
 * Check the swap areas: inuse_pages right; every slot count equals the
 * swap PTEs holding it (walking every process's page table) plus
 * SWAP_HAS_CACHE exactly when a swap-cache page stands for it; every
 * swap-cache page is PG_swapcache with its entry in private and is on an
 * LRU list. 0, or -1 with the first violation in why.
 */
int	 validate_swap(struct machine *m, char *why, size_t whylen);

#endif
