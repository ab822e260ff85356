/*
 * lru.h - the LRU lists of reclaimable pages (mm/swap.c, mm/vmscan.c,
 * include/linux/mm_inline.h). Each node has one struct lruvec (mmzone.h)
 * with four lists: inactive and active, anonymous and file. New pages
 * start inactive; a second reference (mark_page_accessed, or the accessed
 * bit found by reclaim through page_referenced) promotes them; reclaim
 * takes victims from the tail of the inactive lists.
 *
 * The fault handler calls lru_cache_add() for every anonymous or file page
 * it allocates (the zero page, page tables, kernel pages and hugetlb pages
 * are never on a list) and mark_page_accessed() where Linux does (a read
 * through the page cache, a swap-cache hit). A transparent huge page is
 * one entry, its head, that counts for all its pages in nr_pages[], as a
 * large folio does in Linux (folio_nr_pages in lru_gen/lruvec stats);
 * reclaim splits it before swapping it out (vmscan.c). Freeing a page that is still on a
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

/*
 * A transparent huge page: the head of an anonymous compound page that is
 * swap-backed (hugetlb pages are not: they never leave memory).
 */
static inline bool PageTransHuge(const struct page *page)
{
	return PageFlag(page, PG_head) && PageFlag(page, PG_anon) &&
	    PageSwapBacked(page);
}

/* Pages one LRU entry stands for (folio_nr_pages): 512 for a THP. */
static inline unsigned long thp_nr_pages(const struct page *page)
{
	return PageFlag(page, PG_head) ? 1UL << page->private : 1;
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
/*
 * lru_split_page (lru_add_split_folio): the THP head was on a list as one
 * entry of nr pages and has just become an order-0 page (split_huge_page
 * cleared PG_head); its nr - 1 former tails join it on the same list, in
 * its place, the head oldest (reclaim meets it first), with its active
 * flag. The counters keep counting nr pages. No events: one split, not
 * nr new pages.
 */
void	 lru_split_page(struct machine *m, struct page *head, unsigned long nr);

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
 * equal the pages the lists stand for (a THP counting all its pages), and
 * every page with a reverse map (an anonymous page with its anon_vma, a
 * THP, a page-cache or swap-cache page) is on a list.
 * 0, or -1 with the first violation in why.
 */
int	 validate_lru(struct machine *m, char *why, size_t whylen);

#endif
