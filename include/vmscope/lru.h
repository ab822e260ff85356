/*
 * lru.h - the LRU lists of reclaimable pages (mm/swap.c, mm/vmscan.c,
 * include/linux/mm_inline.h). Each node has one struct lruvec (mmzone.h)
 * with four lists: inactive and active, anonymous and file. New pages
 * start inactive; a second reference (mark_page_accessed, or the accessed
 * bit found by reclaim through page_referenced) promotes them; reclaim
 * takes victims from the tail of the inactive lists.
 *
 * The fault handler calls lru_cache_add() for every anonymous or file page
 * it allocates (the zero page, page tables, kernel and huge pages are never
 * on a list) and mark_page_accessed() where Linux does (a read through
 * the page cache, a swap-cache hit). Freeing a page that is still on a
 * list is a bug: __free_pages callers take it off first (lru_cache_del),
 * which the release paths below do for them.
 *
 * With the textbook policies (fifo, lru, clock) all of a node's pages sit
 * on its inactive lists and the active lists stay empty; see vmscan.c and
 * doc/simplifications.md for how each policy picks its victims.
 */
#ifndef VMSCOPE_LRU_H
#define VMSCOPE_LRU_H

#include "vmscope/machine.h"

static inline bool PageLRU(const struct page *page)
{
	return PageFlag(page, PG_lru);
}
static inline bool PageActive(const struct page *page)
{
	return PageFlag(page, PG_active);
}
static inline bool PageSwapBacked(const struct page *page)
{
	return PageFlag(page, PG_swapbacked);
}
static inline bool PageSwapCache(const struct page *page)
{
	return PageFlag(page, PG_swapcache);
}
static inline bool PageDirty(const struct page *page)
{
	return PageFlag(page, PG_dirty);
}

/* page_is_file_lru: the file lists hold what is not swap-backed. */
static inline bool page_is_file_lru(const struct page *page)
{
	return !PageSwapBacked(page);
}

/* The list a page belongs on, from its flags (folio_lru_list). */
static inline enum lru_list page_lru(const struct page *page)
{
	enum lru_list lru = page_is_file_lru(page) ? LRU_INACTIVE_FILE :
	    LRU_INACTIVE_ANON;

	if (PageActive(page))
		lru += LRU_ACTIVE;
	return lru;
}

static inline struct lruvec *node_lruvec(struct machine *m, int nid)
{
	return &m->nodes[nid].lruvec;
}
static inline struct lruvec *page_lruvec(struct machine *m,
    const struct page *page)
{
	return node_lruvec(m, page_to_nid(page));
}

/* Set up the node's empty lists (machine_new). */
void	 lruvec_init(struct lruvec *lruvec);

/*
 * lru_cache_add: put a newly allocated anonymous (PG_swapbacked) or file
 * page on the inactive list of its node (active when the caller set
 * PG_active, as a workingset refault does). Emits EV_LRU_ADD. Pages
 * already on a list, tails, the zero page and page tables are ignored.
 */
void	 lru_cache_add(struct machine *m, struct page *page);
/*
 * mark_page_accessed: inactive,unreferenced -> inactive,referenced ->
 * active,unreferenced (activate_page, pgactivate, EV_PAGE_ACTIVATE).
 * Under clock and lru the first step is all there is; fifo ignores it.
 */
void	 mark_page_accessed(struct machine *m, struct page *page);
/*
 * Take a page off its list (the page is being freed or isolated).
 * Nothing when it is on none.
 */
void	 lru_cache_del(struct machine *m, struct page *page);

/* Pages on one kind of list, all nodes (meminfo Active(anon)...). */
unsigned long global_lru_pages(struct machine *m, enum lru_list lru);

/* ---- for vmscan.c and views ------------------------------------------ */

const char *lru_list_name(enum lru_list lru);	/* "inactive_anon" */
/* The policy the lists follow (opt falls back to lru2q). */
int	 lru_effective_policy(const struct machine *m);
/* The list head a page of kind lru goes on under the lruvec's policy. */
struct list_head *lru_head(struct lruvec *lruvec, enum lru_list lru);
/* Re-arrange every node's lists after a `policy` change. */
void	 lru_sync_policy(struct machine *m);
void	 add_page_to_lru_list(struct machine *m, struct page *page);
void	 add_page_to_lru_list_tail(struct machine *m, struct page *page);
void	 del_page_from_lru_list(struct machine *m, struct page *page);
/* inactive -> active, counted in pgactivate; why goes in the event. */
void	 activate_page(struct machine *m, struct page *page, const char *why);

/*
 * Check every node's lists: each page on them has PG_lru, is on the list
 * its flags name, is allocated (refcount > 0, not PG_buddy), counters
 * equal list lengths, and every page with a reverse map (an anonymous
 * page with its anon_vma, a page-cache or swap-cache page) is on a list.
 * 0, or -1 with the first violation in why.
 */
int	 validate_lru(struct machine *m, char *why, size_t whylen);

#endif
