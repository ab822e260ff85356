/*
 * vmscan.c - page reclaim, after mm/vmscan.c: kswapd (balance_pgdat),
 * direct reclaim (try_to_free_pages), the list scanners (shrink_node ->
 * shrink_lruvec -> shrink_active_list / shrink_inactive_list ->
 * shrink_page_list) and MADV_PAGEOUT (reclaim_page_range).
 *
 * Under lru2q (Linux) a page is judged at the tail of its inactive list by
 * its accessed bits (page_referenced, which also clears them) and
 * PG_referenced (folio_check_references):
 *
 *   PTE young, anonymous                  -> activate (pgactivate)
 *   PTE young, file, 2nd reference or exec -> activate
 *   PTE young, file, first reference      -> keep: back to the inactive head
 *   not young                              -> reclaim
 *
 * and shrink_active_list moves pages from the active tail to the inactive
 * head (pgdeactivate) when the inactive list is smaller than the active
 * one (inactive_is_low), clearing their accessed bits on the way: the
 * second chance is the time a page spends on the inactive list.
 *
 * The textbook policies work on the one list per node lru.c keeps for
 * them, always taking victims at its tail (the oldest page):
 *   fifo    the tail, whatever its accessed bits;
 *   clock   the tail when its accessed bit (PTE young or PG_referenced) is
 *           clear; else the bit is cleared and the page goes to the head
 *           (the hand moves on): second chance;
 *   lru     first every page whose accessed bit is set moves to the head
 *           (its bit cleared), oldest first, so the list is in order of
 *           last use as far as the bits can tell; then the tail.
 * opt needs the future: while `replay` plays a trace it attaches one
 * (opt.c) and shrink_opt evicts the replaying process's page used again
 * farthest ahead, across all four lists; without one (or once the
 * replayer has no candidate left) opt reclaims as lru2q
 * (doc/simplifications.md).
 *
 * Reclaiming one page: an anonymous page gets a swap slot and the swap
 * cache (add_to_swap), loses every PTE (try_to_unmap leaves the entry),
 * is written (pswpout) and freed; a file page loses its PTEs, is written
 * back when dirty (pgpgout) and dropped from the page cache. A page with
 * more references than its mappings and caches account for is in use by
 * someone (a fault in progress) and is kept, as __remove_mapping's
 * refcount freeze would.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/filemap.h"
#include "vmscope/lru.h"
#include "vmscope/opt.h"
#include "vmscope/memory-hooks.h"
#include "vmscope/page_alloc.h"
#include "vmscope/pgtable.h"
#include "vmscope/rmap.h"
#include "vmscope/swap.h"
#include "vmscope/task.h"
#include "vmscope/vmscan.h"
#include "vmscope/workingset.h"

enum page_references {
	PAGEREF_RECLAIM,
	PAGEREF_KEEP,
	PAGEREF_ACTIVATE,
};

static const char *const who_names[] = {
	[RECLAIM_KSWAPD]	= "kswapd",
	[RECLAIM_DIRECT]	= "direct reclaim",
	[RECLAIM_USER]		= "reclaim command",
};

static void vmscan_emit(struct machine *m, enum event_kind kind,
    struct page *page, int node, int zone, int order, uint64_t val,
    uint64_t val2, const char *str, const char *str2)
{
	struct vm_event ev;

	if (m->ev.muted)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.node = page != NULL ? page_to_nid(page) : node;
	ev.zone = page != NULL ? (int)page_zonenum(page) : zone;
	ev.order = order;
	ev.pfn = page != NULL ? page_to_pfn(m, page) : 0;
	ev.val = val;
	ev.val2 = val2;
	ev.str = str;
	ev.str2 = str2;
	machine_emit(m, &ev);
}

static int lruvec_nid(struct lruvec *lruvec)
{
	return container_of(lruvec, struct pglist_data, lruvec)->node_id;
}

/* ---- isolating -------------------------------------------------------- */

/* isolate_lru_page: off its list, with our own reference. */
static void isolate_page(struct machine *m, struct page *page)
{
	del_page_from_lru_list(m, page);
	page->_refcount++;
}

/* putback_lru_page: to the head of its list, our reference dropped. */
static void putback_page(struct machine *m, struct page *page)
{
	add_page_to_lru_list(m, page);
	__free_pages(m, page, 0);
}

/*
 * The references a page's mappings and caches account for, plus ours;
 * anything above is someone working on the page (is_page_cache_freeable).
 */
static bool page_in_use(const struct page *page)
{
	int expected = page_mapcount(page) + 1;

	if (PageSwapCache(page) || page_is_file_cache(page))
		expected++;
	return page->_refcount > expected;
}

/* folio_check_references */
static enum page_references page_check_references(struct machine *m,
    struct page *page)
{
	unsigned long vm_flags = 0;
	int referenced_ptes = page_referenced(m, page, &vm_flags);
	bool referenced_page = PageFlag(page, PG_referenced);

	ClearPageFlag(page, PG_referenced);
	if (referenced_ptes > 0) {
		if (PageSwapBacked(page))
			return PAGEREF_ACTIVATE;
		SetPageFlag(page, PG_referenced);
		if (referenced_page || referenced_ptes > 1)
			return PAGEREF_ACTIVATE;
		if (vm_flags & VM_EXEC)
			return PAGEREF_ACTIVATE;
		return PAGEREF_KEEP;
	}
	return PAGEREF_RECLAIM;
}

/* ---- reclaiming one page ---------------------------------------------- */

enum reclaim_result {
	PAGE_RECLAIMED,
	PAGE_KEEP,		/* back to the head of its list */
	PAGE_ACTIVATE,		/* to the active list */
};

/*
 * shrink_page_list for one isolated page we hold a reference on. On
 * PAGE_RECLAIMED our reference has been dropped and the frame is free.
 */
static enum reclaim_result reclaim_one(struct machine *m, struct page *page,
    struct scan_control *sc, const char *list, const char **why)
{
	unsigned long pfn = page_to_pfn(m, page);

	if (page_in_use(page)) {
		*why = "in use by a fault in progress";
		return PAGE_KEEP;
	}
	if (PageAnon(page)) {
		struct swap_info_struct *si;
		struct swap_entry_arg arg;
		uint64_t entry;
		bool fresh = false, split = false;

		if (!PageSwapCache(page)) {
			if (!sc->may_swap) {
				*why = "anonymous and swapping is not allowed";
				return PAGE_ACTIVATE;
			}
			if (nr_free_swap_pages(m) == 0) {
				*why = total_swap_pages(m) ? "swap is full" :
				    "no swap area";
				return PAGE_ACTIVATE;
			}
			/*
			 * A THP is split first (Linux does when it cannot swap
			 * it out whole, THP_SWPOUT_FALLBACK; vmscope always
			 * does): the head goes on as a small page, the other
			 * 511 wait at the oldest end of the list.
			 */
			if (PageTransHuge(page)) {
				if (split_huge_page(m, page, 1) != 0) {
					*why = "a THP that could not be split";
					return PAGE_ACTIVATE;
				}
				split = true;
			}
			if (get_swap_page(m, &entry) != 0) {
				*why = "swap is full";
				return PAGE_ACTIVATE;
			}
			add_to_swap_cache(m, page, entry);
			/* add_to_swap_cache counted a slot already taken */
			si = m->swap_info[pte_swp_type(entry)];
			fresh = true;
			SetPageFlag(page, PG_dirty);	/* no copy in the slot yet */
			(void)si;
		}
		entry = page->private;
		arg.type = pte_swp_type(entry);
		arg.offset = pte_swp_offset(entry);
		arg.nr_installed = 0;
		if (page_mapped(page)) {
			bool unmapped = try_to_unmap(m, page, &arg);
			int i;

			/* each PTE now holding the entry is a slot reference */
			for (i = 0; i < arg.nr_installed; i++)
				m->swap_info[arg.type]->swap_map[arg.offset]++;
			if (!unmapped) {
				*why = "could not be unmapped (mlocked)";
				return PAGE_ACTIVATE;
			}
		}
		if (PageDirty(page)) {
			/* pageout -> swap_writepage, done at once */
			ClearPageFlag(page, PG_dirty);
			m->vm_events[VM_pswpout]++;
			m->vm_events[VM_pgpgout] += m->page_size / 1024;
			vmscan_emit(m, EV_SWAP_OUT, page, 0, 0, 0, arg.offset,
			    (uint64_t)arg.nr_installed,
			    m->swap_info[arg.type]->name, NULL);
		}
		/* __remove_mapping: the page leaves, the slot stays */
		m->swap_info[arg.type]->evicted_at[arg.offset] =
		    workingset_eviction(m, page);
		*why = split ? "a THP: split into small pages "
		    "(split_huge_page), this one swapped out" :
		    fresh || arg.nr_installed ? "swapped out" :
		    "clean swap-cache page dropped (its slot still holds it)";
		delete_from_swap_cache(m, page);
		__free_pages(m, page, 0);
		(void)pfn;
		return PAGE_RECLAIMED;
	}
	if (PageSwapBacked(page)) {
		/* shmem: Linux swaps it through the page cache; not modelled */
		*why = "shared memory (shmem) is not swapped in vmscope";
		return PAGE_ACTIVATE;
	}
	if (!page_is_file_cache(page)) {
		/* truncated while isolated: nothing holds it but us */
		__free_pages(m, page, 0);
		*why = "no longer in the page cache";
		return PAGE_RECLAIMED;
	}
	if (page_mapped(page) && !try_to_unmap(m, page, NULL)) {
		*why = "could not be unmapped (mlocked)";
		return PAGE_ACTIVATE;
	}
	if (PageDirty(page)) {
		struct address_space *as = page_mapping_file(page);

		/* pageout -> writepage, synchronous */
		ClearPageFlag(page, PG_dirty);
		m->vm_events[VM_pgpgout] += m->page_size / 1024;
		vmscan_emit(m, EV_WRITEBACK, page, 0, 0, 0, page->index, 0,
		    as->host->name, NULL);
		*why = "dirty file page written back and dropped";
	} else {
		*why = "clean file page dropped (re-read on the next fault)";
	}
	/* __remove_mapping: the slot keeps a shadow (workingset.c) */
	__delete_from_page_cache(page, pack_shadow(page_to_nid(page),
	    workingset_eviction(m, page)));
	__free_pages(m, page, 0);
	(void)list;
	return PAGE_RECLAIMED;
}

static void count_scan(struct machine *m, struct scan_control *sc,
    unsigned long scanned, unsigned long stolen)
{
	sc->nr_scanned += scanned;
	sc->nr_reclaimed += stolen;
	if (sc->who == RECLAIM_DIRECT) {
		m->vm_events[VM_pgscan_direct] += scanned;
		m->vm_events[VM_pgsteal_direct] += stolen;
	} else {
		m->vm_events[VM_pgscan_kswapd] += scanned;
		m->vm_events[VM_pgsteal_kswapd] += stolen;
	}
}

/* Act on reclaim_one's verdict for an isolated page. */
static bool finish_page(struct machine *m, struct page *page,
    enum reclaim_result r, const char *list, const char *why)
{
	switch (r) {
	case PAGE_RECLAIMED:
		vmscan_emit(m, EV_PAGE_RECLAIM, page, 0, 0, 0, 0, 0, list, why);
		return true;
	case PAGE_ACTIVATE:
		if (lru_effective_policy(m) == POLICY_LRU2Q &&
		    !PageActive(page)) {
			SetPageFlag(page, PG_active);
			m->vm_events[VM_pgactivate]++;
			vmscan_emit(m, EV_PAGE_ACTIVATE, page, 0, 0, 0, 0, 0,
			    lru_list_name(page_lru(page)), why);
		}
		putback_page(m, page);
		return false;
	case PAGE_KEEP:
	default:
		vmscan_emit(m, EV_PAGE_ROTATE, page, 0, 0, 0, 0, 0,
		    lru_list_name(page_lru(page)), why);
		putback_page(m, page);
		return false;
	}
}

/* ---- lru2q: Linux's lists ---------------------------------------------- */

static void shrink_active_list(struct machine *m, struct lruvec *lruvec,
    enum lru_list lru, unsigned long nr_to_scan)
{
	struct list_head *head = &lruvec->lists[lru];
	unsigned long n;

	for (n = 0; n < nr_to_scan && !list_empty(head); n++) {
		struct page *page = list_last_entry(head, struct page, lru);
		unsigned long vm_flags = 0;

		m->vm_events[VM_pgrefill]++;
		isolate_page(m, page);
		if (page_referenced(m, page, &vm_flags) > 0 &&
		    page_is_file_lru(page) && (vm_flags & VM_EXEC)) {
			/* executable text gets another trip round */
			vmscan_emit(m, EV_PAGE_ROTATE, page, 0, 0, 0, 0, 0,
			    lru_list_name(lru), NULL);
			putback_page(m, page);
			continue;
		}
		ClearPageFlag(page, PG_active);
		ClearPageFlag(page, PG_referenced);
		m->vm_events[VM_pgdeactivate]++;
		vmscan_emit(m, EV_PAGE_DEACTIVATE, page, 0, 0, 0, 0, 0,
		    lru_list_name(page_lru(page)),
		    "oldest active page: its accessed bit is cleared and it "
		    "gets a second chance on the inactive list");
		putback_page(m, page);
	}
}

/* Decide the fate of one isolated page of an inactive list. */
static bool shrink_one_inactive(struct machine *m, struct page *page,
    enum lru_list lru, struct scan_control *sc)
{
	enum page_references ref = page_check_references(m, page);
	enum reclaim_result r;
	const char *why = NULL;

	if (ref == PAGEREF_ACTIVATE) {
		r = PAGE_ACTIVATE;
		why = "accessed bit set while inactive";
	} else if (ref == PAGEREF_KEEP) {
		r = PAGE_KEEP;
		why = "first reference of a file page";
	} else {
		r = reclaim_one(m, page, sc, lru_list_name(lru), &why);
	}
	return finish_page(m, page, r, lru_list_name(lru), why);
}

/*
 * shrink_inactive_list: isolate up to SWAP_CLUSTER_MAX pages from the
 * tail (the oldest first), judge them (shrink_page_list), and go on
 * batch by batch until nr_to_scan pages were scanned or enough were
 * reclaimed.
 */
static unsigned long shrink_inactive_list(struct machine *m,
    struct lruvec *lruvec, enum lru_list lru, unsigned long nr_to_scan,
    struct scan_control *sc)
{
	struct list_head *head = &lruvec->lists[lru], isolated;
	unsigned long scanned = 0, stolen = 0, batch;
	struct page *page;

	while (scanned < nr_to_scan && !list_empty(head) &&
	    sc->nr_reclaimed + stolen < sc->nr_to_reclaim) {
		INIT_LIST_HEAD(&isolated);
		for (batch = 0; batch < SWAP_CLUSTER_MAX &&
		    scanned < nr_to_scan && !list_empty(head); batch++) {
			page = list_last_entry(head, struct page, lru);
			isolate_page(m, page);
			list_add_tail(&page->lru, &isolated);
			scanned++;
		}
		while (!list_empty(&isolated)) {
			page = list_first_entry(&isolated, struct page, lru);
			list_del(&page->lru);
			INIT_LIST_HEAD(&page->lru);
			if (shrink_one_inactive(m, page, lru, sc))
				stolen++;
		}
	}
	count_scan(m, sc, scanned, stolen);
	if (scanned > 0)
		vmscan_emit(m, EV_RECLAIM_SCAN, NULL, lruvec_nid(lruvec), 0, 0,
		    scanned, stolen, lru_list_name(lru), who_names[sc->who]);
	return stolen;
}

/* inactive_is_low: the inactive list is smaller than the active one. */
static bool inactive_is_low(struct lruvec *lruvec, enum lru_list inactive)
{
	return lruvec->nr_pages[inactive] < lruvec->nr_pages[inactive +
	    LRU_ACTIVE];
}

static unsigned long scan_target(struct lruvec *lruvec, enum lru_list lru,
    int priority)
{
	unsigned long size = lruvec->nr_pages[lru];
	unsigned long scan = size >> priority;

	return max_t(unsigned long, scan, min_t(unsigned long, size,
	    SWAP_CLUSTER_MAX));
}

static bool can_swap(struct machine *m, struct scan_control *sc)
{
	return sc->may_swap && nr_free_swap_pages(m) > 0;
}

/* shrink_lruvec: one pass at a priority over the lists. */
static void shrink_lruvec(struct machine *m, struct lruvec *lruvec,
    struct scan_control *sc)
{
	bool anon = can_swap(m, sc) ||
	    total_swapcache_pages(m) > 0;
	unsigned long nr;

	/* file first (it is cheaper to drop), as swappiness 60 leans */
	if (inactive_is_low(lruvec, LRU_INACTIVE_FILE))
		shrink_active_list(m, lruvec, LRU_ACTIVE_FILE,
		    scan_target(lruvec, LRU_ACTIVE_FILE, sc->priority));
	nr = scan_target(lruvec, LRU_INACTIVE_FILE, sc->priority);
	if (nr > 0)
		shrink_inactive_list(m, lruvec, LRU_INACTIVE_FILE, nr, sc);
	if (!anon || sc->nr_reclaimed >= sc->nr_to_reclaim)
		return;
	if (inactive_is_low(lruvec, LRU_INACTIVE_ANON))
		shrink_active_list(m, lruvec, LRU_ACTIVE_ANON,
		    scan_target(lruvec, LRU_ACTIVE_ANON, sc->priority));
	nr = scan_target(lruvec, LRU_INACTIVE_ANON, sc->priority);
	if (nr > 0)
		shrink_inactive_list(m, lruvec, LRU_INACTIVE_ANON, nr, sc);
}

/* ---- textbook policies ------------------------------------------------- */

static bool textbook_referenced(struct machine *m, struct page *page)
{
	bool ref = page_referenced(m, page, NULL) > 0 ||
	    PageFlag(page, PG_referenced);

	ClearPageFlag(page, PG_referenced);
	return ref;
}

static void shrink_textbook(struct machine *m, struct lruvec *lruvec,
    struct scan_control *sc)
{
	struct list_head *head = &lruvec->lists[LRU_INACTIVE_ANON];
	unsigned long size = 0, pages = 0, limit, scanned = 0, stolen = 0;
	int policy = lruvec->policy;
	struct page *page;

	list_for_each_entry(page, head, lru) {
		size++;
		pages += thp_nr_pages(page);	/* a THP splits into these */
	}
	if (policy == POLICY_LRU) {
		/* age: referenced pages move to the head, oldest first */
		struct list_head *pos = head->prev, *p;
		unsigned long i;

		for (i = 0; i < size; i++, pos = p) {
			p = pos->prev;
			page = list_entry(pos, struct page, lru);
			if (textbook_referenced(m, page))
				list_move(&page->lru, head);
		}
	}
	limit = 2 * pages;	/* every page seen at most twice */
	while (stolen < sc->nr_to_reclaim - min_t(unsigned long,
	    sc->nr_reclaimed, sc->nr_to_reclaim) && scanned < limit &&
	    !list_empty(head)) {
		enum reclaim_result r;
		const char *why = NULL;

		page = list_last_entry(head, struct page, lru);
		scanned++;
		isolate_page(m, page);
		if (policy == POLICY_CLOCK && textbook_referenced(m, page)) {
			r = PAGE_KEEP;
			why = "clock: use bit set, cleared; the hand moves on";
		} else {
			r = reclaim_one(m, page, sc, "inactive", &why);
			if (r == PAGE_ACTIVATE)
				r = PAGE_KEEP;	/* one list: rotate instead */
		}
		if (finish_page(m, page, r, policy_names[policy], why))
			stolen++;
	}
	count_scan(m, sc, scanned, stolen);
	vmscan_emit(m, EV_RECLAIM_SCAN, NULL, lruvec_nid(lruvec), 0, 0,
	    scanned, stolen, policy_names[policy], who_names[sc->who]);
}

/* ---- opt: the future of a replayed trace ------------------------------ */

static unsigned long pgdat_deficit(struct pglist_data *pgdat,
    enum zone_type hz);

/*
 * Belady with a known future (opt.h): victims are the replaying process's
 * pages, farthest next use first, whatever list they are on. kswapd and
 * direct reclaim take only what the node is short of (at least one page):
 * a SWAP_CLUSTER_MAX batch would throw out pages OPT means to keep. What
 * is left to reclaim when the replayer has no candidate goes to lru2q.
 */
static void shrink_opt(struct machine *m, int nid, struct scan_control *sc)
{
	struct pglist_data *pgdat = &m->nodes[nid];
	struct opt_cursor c = { NULL, NULL, false };
	unsigned long scanned = 0, stolen = 0;
	struct page *page;

	if (sc->who != RECLAIM_USER && pgdat->nr_zones > 0) {
		unsigned long need = pgdat_deficit(pgdat,
		    (enum zone_type)(pgdat->nr_zones - 1));

		if (need == 0)
			need = 1;
		if (sc->nr_to_reclaim > sc->nr_reclaimed + need)
			sc->nr_to_reclaim = sc->nr_reclaimed + need;
	}
	while (sc->nr_reclaimed + stolen < sc->nr_to_reclaim &&
	    (page = opt_next_victim(m, nid, &c)) != NULL) {
		enum reclaim_result r;
		const char *why = NULL;

		scanned++;
		isolate_page(m, page);
		r = reclaim_one(m, page, sc, "opt", &why);
		if (r == PAGE_RECLAIMED) {
			why = opt_victim_why(&c);
			opt_victim_evicted(m, &c);
			stolen++;
		} else {
			r = PAGE_KEEP;	/* its place is its next use, not a list */
		}
		finish_page(m, page, r, "opt", why);
	}
	count_scan(m, sc, scanned, stolen);
	if (scanned > 0)
		vmscan_emit(m, EV_RECLAIM_SCAN, NULL, nid, 0, 0, scanned,
		    stolen, "opt", who_names[sc->who]);
}

void shrink_node(struct machine *m, int nid, struct scan_control *sc)
{
	struct lruvec *lruvec = node_lruvec(m, nid);

	lru_sync_policy(m);
	m->reclaim_depth++;
	if (lruvec->policy == POLICY_LRU2Q && opt_future_known(m))
		shrink_opt(m, nid, sc);
	if (lruvec->policy == POLICY_LRU2Q) {
		for (sc->priority = DEF_PRIORITY; sc->priority >= 0 &&
		    sc->nr_reclaimed < sc->nr_to_reclaim; sc->priority--)
			shrink_lruvec(m, lruvec, sc);
	} else {
		shrink_textbook(m, lruvec, sc);
	}
	m->reclaim_depth--;
}

/* ---- kswapd and direct reclaim ------------------------------------------ */

/*
 * pgdat_balanced: kswapd may sleep when any zone the woken allocation
 * could use is above its high watermark (with the lowmem_reserve that
 * allocation must leave), as zone_watermark_ok_safe checks.
 */
static long zone_high_deficit(struct zone *z, enum zone_type hz)
{
	return (long)(high_wmark_pages(z) + z->lowmem_reserve[hz]) + 1 -
	    (long)z->nr_free;
}

static bool pgdat_balanced(struct pglist_data *pgdat, enum zone_type hz)
{
	int i;

	for (i = 0; i <= (int)hz && i < MAX_NR_ZONES; i++) {
		struct zone *z = &pgdat->node_zones[i];

		if (zone_populated(z) && z->managed_pages > 0 &&
		    zone_high_deficit(z, hz) <= 0)
			return true;
	}
	return false;
}

void wakeup_kswapd(struct machine *m, struct zone *z, unsigned order,
    enum zone_type highest_zoneidx)
{
	struct pglist_data *pgdat = &m->nodes[z->node];

	if (pgdat->kswapd_wait) {
		if (highest_zoneidx > pgdat->kswapd_highest_zoneidx)
			pgdat->kswapd_highest_zoneidx = highest_zoneidx;
		return;
	}
	pgdat->kswapd_wait = true;
	pgdat->kswapd_order = (int)order;
	pgdat->kswapd_highest_zoneidx = highest_zoneidx;
	m->vm_events[VM_kswapd_wakeups]++;
	vmscan_emit(m, EV_KSWAPD_WAKE, NULL, z->node, (int)z->idx, (int)order,
	    z->nr_free, low_wmark_pages(z), NULL, NULL);
}

/* How many pages the zone closest to its high watermark misses. */
static unsigned long pgdat_deficit(struct pglist_data *pgdat,
    enum zone_type hz)
{
	long best = -1, d;
	int i;

	for (i = 0; i <= (int)hz && i < MAX_NR_ZONES; i++) {
		struct zone *z = &pgdat->node_zones[i];

		if (!zone_populated(z) || z->managed_pages == 0)
			continue;
		d = zone_high_deficit(z, hz);
		if (d < 0)
			d = 0;
		if (best < 0 || d < best)
			best = d;
	}
	return best < 0 ? 0 : (unsigned long)best;
}

/* balance_pgdat: reclaim in batches until the node is balanced. */
static unsigned long balance_pgdat(struct machine *m, int nid,
    enum zone_type hz, enum reclaim_who who, unsigned long at_least)
{
	struct pglist_data *pgdat = &m->nodes[nid];
	unsigned long total = 0;

	while (!pgdat_balanced(pgdat, hz) || total < at_least) {
		struct scan_control sc = {
			.nr_to_reclaim = max_t(unsigned long, SWAP_CLUSTER_MAX,
			    pgdat_deficit(pgdat, hz)),
			.who = who,
			.may_swap = true,
			.may_writepage = true,
		};

		if (at_least > total)
			sc.nr_to_reclaim = max_t(unsigned long,
			    sc.nr_to_reclaim, at_least - total);
		shrink_node(m, nid, &sc);
		total += sc.nr_reclaimed;
		if (sc.nr_reclaimed == 0) {
			pgdat->kswapd_failures++;
			break;
		}
	}
	return total;
}

unsigned long kswapd_run(struct machine *m)
{
	unsigned long total = 0, n;
	int nid;

	if (m->reclaim_depth > 0)
		return 0;
	for (nid = 0; nid < m->nr_nodes; nid++) {
		struct pglist_data *pgdat = &m->nodes[nid];

		if (!pgdat->kswapd_wait)
			continue;
		pgdat->kswapd_wait = false;
		n = balance_pgdat(m, nid, pgdat->kswapd_highest_zoneidx,
		    RECLAIM_KSWAPD, 0);
		total += n;
		vmscan_emit(m, EV_KSWAPD_RUN, NULL, nid, 0, 0, n, 0,
		    pgdat_balanced(pgdat, pgdat->kswapd_highest_zoneidx) ?
		    "every zone at or above high: kswapd sleeps" :
		    "nothing more to reclaim: kswapd gives up", NULL);
	}
	return total;
}

unsigned long try_to_free_pages(struct machine *m, int nid, unsigned order,
    enum zone_type highest_zoneidx)
{
	unsigned long total = 0;
	int i;

	(void)order;
	(void)highest_zoneidx;
	if (m->reclaim_depth > 0)
		return 0;
	for (i = 0; i < m->nr_nodes && total < SWAP_CLUSTER_MAX; i++) {
		struct scan_control sc = {
			.nr_to_reclaim = SWAP_CLUSTER_MAX - total,
			.who = RECLAIM_DIRECT,
			.may_swap = true,
			.may_writepage = true,
		};

		shrink_node(m, (nid + i) % m->nr_nodes, &sc);
		total += sc.nr_reclaimed;
	}
	return total;
}

unsigned long reclaim_pages_now(struct machine *m, unsigned long nr)
{
	unsigned long total = 0;
	int nid;

	if (m->reclaim_depth > 0)
		return 0;
	for (nid = 0; nid < m->nr_nodes; nid++) {
		if (nr == 0) {
			total += balance_pgdat(m, nid, MAX_NR_ZONES - 1,
			    RECLAIM_USER, SWAP_CLUSTER_MAX);
		} else if (total < nr) {
			struct scan_control sc = {
				.nr_to_reclaim = nr - total,
				.who = RECLAIM_USER,
				.may_swap = true,
				.may_writepage = true,
			};

			shrink_node(m, nid, &sc);
			total += sc.nr_reclaimed;
		}
	}
	return total;
}

/* ---- MADV_PAGEOUT ---------------------------------------------------- */

struct pageout_arg {
	struct machine	*m;
	struct page	**pages;
	size_t		 n, cap;
};

static int pageout_collect(struct pgtable *pgt, uint64_t addr, uint64_t *ptep,
    int level, unsigned shift, void *arg)
{
	struct pageout_arg *pa = arg;
	struct page *page;
	unsigned long pfn;

	(void)pgt;
	(void)addr;
	(void)level;
	if (!pte_present(*ptep) || shift != pa->m->arch.page_shift)
		return 0;
	pfn = pte_pfn(*ptep);
	if (pfn >= pa->m->max_pfn)
		return 0;
	page = pfn_to_page(pa->m, pfn);
	/* madvise_cold_or_pageout_pte_range: only pages this mm alone maps */
	if (!PageLRU(page) || page_mapcount(page) != 1)
		return 0;
	if (pa->n == pa->cap) {
		pa->cap = pa->cap ? pa->cap * 2 : 64;
		pa->pages = xrealloc(pa->pages, pa->cap * sizeof(*pa->pages));
	}
	isolate_page(pa->m, page);
	pa->pages[pa->n++] = page;
	return 0;
}

unsigned long reclaim_page_range(struct mm_struct *mm,
    struct vm_area_struct *vma, uint64_t start, uint64_t end)
{
	struct machine *m = mm->machine;
	struct pageout_arg pa = { m, NULL, 0, 0 };
	struct scan_control sc = {
		.nr_to_reclaim = ~0UL,
		.who = RECLAIM_USER,
		.may_swap = true,
		.may_writepage = true,
	};
	unsigned long stolen = 0;
	size_t i;

	(void)vma;
	if (mm->pgt == NULL || m->reclaim_depth > 0)
		return 0;
	m->reclaim_depth++;
	walk_page_range(mm->pgt, start, end, pageout_collect, &pa);
	for (i = 0; i < pa.n; i++) {
		struct page *page = pa.pages[i];
		const char *why = NULL;
		enum reclaim_result r;

		/* reclaim_pages ignores the accessed bits: the user asked */
		(void)page_referenced(m, page, NULL);
		r = reclaim_one(m, page, &sc, "madvise(MADV_PAGEOUT)", &why);
		if (r == PAGE_ACTIVATE)
			r = PAGE_KEEP;
		if (finish_page(m, page, r, "madvise(MADV_PAGEOUT)", why))
			stolen++;
	}
	free(pa.pages);
	m->reclaim_depth--;
	return stolen;
}
