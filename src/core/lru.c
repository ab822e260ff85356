/*
 * lru.c - the per-node LRU lists (mm/swap.c, include/linux/mm_inline.h):
 * adding new pages, promotion on a second reference (mark_page_accessed),
 * taking pages off, and the checker. Reclaim itself, which walks the
 * lists from their tails, is vmscan.c.
 *
 * Where pages sit depends on the machine's policy (lruvec->policy says
 * what the lists are arranged for; they are re-arranged lazily when the
 * `policy` command changes it):
 *
 *   lru2q (and opt, which falls back to it)   Linux: four lists, inactive
 *            and active for anon and file, newest at the head.
 *   fifo, lru, clock   one list: every page of the node on
 *            lists[LRU_INACTIVE_ANON] in arrival order, because a textbook
 *            policy orders all of memory, not anon and file apart. The
 *            counters still say what kind each page is (nr_pages[] by
 *            page_lru()), so meminfo shows them as Inactive(anon) and
 *            Inactive(file); Active(...) stays 0.
 *
 * A THP is one entry (its head) worth 512 pages in nr_pages[], as a large
 * folio is in Linux; lru_split_page turns it into 512 entries in place.
 */
#include <stdio.h>
#include <string.h>

#include "vmscope/lru.h"

static const char *const lru_names[NR_LRU_LISTS] = {
	[LRU_INACTIVE_ANON]	= "inactive_anon",
	[LRU_ACTIVE_ANON]	= "active_anon",
	[LRU_INACTIVE_FILE]	= "inactive_file",
	[LRU_ACTIVE_FILE]	= "active_file",
};

const char *lru_list_name(enum lru_list lru)
{
	return (unsigned)lru < NR_LRU_LISTS ? lru_names[lru] : "?";
}

/* The policy the lists follow: opt needs the future, so it is lru2q here. */
int lru_effective_policy(const struct machine *m)
{
	return m->cfg.policy == POLICY_OPT ? POLICY_LRU2Q : (int)m->cfg.policy;
}

static bool textbook_policy(int policy)
{
	return policy == POLICY_FIFO || policy == POLICY_LRU ||
	    policy == POLICY_CLOCK;
}

struct list_head *lru_head(struct lruvec *lruvec, enum lru_list lru)
{
	if (textbook_policy(lruvec->policy))
		return &lruvec->lists[LRU_INACTIVE_ANON];
	return &lruvec->lists[lru];
}

void lruvec_init(struct lruvec *lruvec)
{
	int i;

	memset(lruvec, 0, sizeof(*lruvec));
	for (i = 0; i < NR_LRU_LISTS; i++)
		INIT_LIST_HEAD(&lruvec->lists[i]);
	lruvec->policy = POLICY_LRU2Q;
}

static void lru_emit(struct machine *m, enum event_kind kind,
    struct page *page, const char *list, const char *why)
{
	struct vm_event ev;

	if (m->ev.muted)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.node = page_to_nid(page);
	ev.zone = (int)page_zonenum(page);
	ev.pfn = page_to_pfn(m, page);
	ev.str = list;
	ev.str2 = why;
	machine_emit(m, &ev);
}

/*
 * The policy changed since the lists were arranged: gather every page,
 * oldest first, and put it back where the new policy wants it. Pages keep
 * their age order within the inactive lists; the active ones are treated
 * as younger, as they were referenced more recently.
 */
static void lru_rearrange(struct machine *m, struct lruvec *lruvec, int policy)
{
	static const enum lru_list order[NR_LRU_LISTS] = {
		LRU_INACTIVE_ANON, LRU_INACTIVE_FILE,
		LRU_ACTIVE_ANON, LRU_ACTIVE_FILE,
	};
	struct list_head all;
	struct page *page, *next;
	int i;

	(void)m;
	INIT_LIST_HEAD(&all);
	for (i = 0; i < NR_LRU_LISTS; i++) {
		struct list_head *h = &lruvec->lists[order[i]];

		/* the tail is the oldest: move from the tail end */
		while (!list_empty(h)) {
			page = list_last_entry(h, struct page, lru);
			list_move_tail(&page->lru, &all);
		}
		lruvec->nr_pages[i] = 0;
	}
	lruvec->policy = policy;
	/* `all` runs oldest to newest: add each at the head */
	list_for_each_entry_safe(page, next, &all, lru) {
		enum lru_list lru;

		if (textbook_policy(policy))
			ClearPageFlag(page, PG_active);
		lru = page_lru(page);
		list_move(&page->lru, lru_head(lruvec, lru));
		lruvec->nr_pages[lru] += thp_nr_pages(page);
	}
}

void lru_sync_policy(struct machine *m)
{
	int policy = lru_effective_policy(m), nid;

	for (nid = 0; nid < m->nr_nodes; nid++) {
		struct lruvec *lruvec = node_lruvec(m, nid);

		if (lruvec->policy != policy)
			lru_rearrange(m, lruvec, policy);
	}
}

/* add_page_to_lru_list: at the head (the newest end). */
void add_page_to_lru_list(struct machine *m, struct page *page)
{
	struct lruvec *lruvec = page_lruvec(m, page);
	enum lru_list lru = page_lru(page);

	list_add(&page->lru, lru_head(lruvec, lru));
	lruvec->nr_pages[lru] += thp_nr_pages(page);
	SetPageFlag(page, PG_lru);
}

/* At the tail (the oldest end): reclaim's "write it, then try again". */
void add_page_to_lru_list_tail(struct machine *m, struct page *page)
{
	struct lruvec *lruvec = page_lruvec(m, page);
	enum lru_list lru = page_lru(page);

	list_add_tail(&page->lru, lru_head(lruvec, lru));
	lruvec->nr_pages[lru] += thp_nr_pages(page);
	SetPageFlag(page, PG_lru);
}

void del_page_from_lru_list(struct machine *m, struct page *page)
{
	struct lruvec *lruvec = page_lruvec(m, page);

	list_del(&page->lru);
	INIT_LIST_HEAD(&page->lru);
	lruvec->nr_pages[page_lru(page)] -= thp_nr_pages(page);
	ClearPageFlag(page, PG_lru);
}

void lru_split_page(struct machine *m, struct page *head, unsigned long nr)
{
	unsigned long i;

	(void)m;
	if (!PageLRU(head))
		return;
	/* head + nr - 1 first: each goes in front of the head (newer) */
	for (i = nr - 1; i >= 1; i--) {
		struct page *tail = head + i;

		if (PageActive(head))
			SetPageFlag(tail, PG_active);
		list_add_tail(&tail->lru, &head->lru);
		SetPageFlag(tail, PG_lru);
	}
	/* nr_pages[] counted all nr already */
}

static bool lru_candidate(const struct page *page)
{
	return page->_refcount > 0 && !PageBuddy(page) &&
	    !PageFlag(page, PG_tail) &&
	    (!PageFlag(page, PG_head) || PageTransHuge(page)) &&
	    !PageFlag(page, PG_zero) && !PageFlag(page, PG_pgtable) &&
	    !PageFlag(page, PG_slab) && !PageFlag(page, PG_kernel) &&
	    !PageReserved(page);
}

void lru_cache_add(struct machine *m, struct page *page)
{
	if (page == NULL || PageLRU(page) || !lru_candidate(page))
		return;
	lru_sync_policy(m);
	if (textbook_policy(page_lruvec(m, page)->policy))
		ClearPageFlag(page, PG_active);
	add_page_to_lru_list(m, page);
	lru_emit(m, EV_LRU_ADD, page, lru_names[page_lru(page)], NULL);
}

void lru_cache_del(struct machine *m, struct page *page)
{
	if (page != NULL && PageLRU(page))
		del_page_from_lru_list(m, page);
}

/* activate_page: inactive -> active, pgactivate. */
void activate_page(struct machine *m, struct page *page, const char *why)
{
	bool on_lru = PageLRU(page);

	if (PageActive(page))
		return;
	if (on_lru)
		del_page_from_lru_list(m, page);
	SetPageFlag(page, PG_active);
	if (on_lru)
		add_page_to_lru_list(m, page);
	m->vm_events[VM_pgactivate]++;
	lru_emit(m, EV_PAGE_ACTIVATE, page, lru_names[page_lru(page)], why);
}

void mark_page_accessed(struct machine *m, struct page *page)
{
	int policy;

	if (page == NULL || PageFlag(page, PG_tail))
		return;
	lru_sync_policy(m);
	policy = page_lruvec(m, page)->policy;
	switch (policy) {
	case POLICY_FIFO:
		return;		/* arrival order only */
	case POLICY_LRU:
		/* the newest end: a use moves it there */
		if (PageLRU(page)) {
			del_page_from_lru_list(m, page);
			add_page_to_lru_list(m, page);
		}
		return;
	case POLICY_CLOCK:
		SetPageFlag(page, PG_referenced);	/* the use bit */
		return;
	default:
		break;
	}
	/*
	 * lru2q: the first access only marks the page; a second one while
	 * it is still inactive makes it active (the "2" of 2Q).
	 */
	if (!PageActive(page) && PageFlag(page, PG_referenced) &&
	    PageLRU(page)) {
		activate_page(m, page, "second reference");
		ClearPageFlag(page, PG_referenced);
	} else if (!PageFlag(page, PG_referenced)) {
		SetPageFlag(page, PG_referenced);
	}
}

unsigned long global_lru_pages(struct machine *m, enum lru_list lru)
{
	unsigned long n = 0;
	int nid;

	for (nid = 0; nid < m->nr_nodes; nid++)
		n += node_lruvec(m, nid)->nr_pages[lru];
	return n;
}

/* ---- checker ------------------------------------------------------- */

int validate_lru(struct machine *m, char *why, size_t whylen)
{
	unsigned long counted[NR_LRU_LISTS], pfn, on_lists = 0, flagged = 0;
	struct page *page;
	int nid, i;

	for (nid = 0; nid < m->nr_nodes; nid++) {
		struct lruvec *lruvec = node_lruvec(m, nid);

		memset(counted, 0, sizeof(counted));
		for (i = 0; i < NR_LRU_LISTS; i++) {
			list_for_each_entry(page, &lruvec->lists[i], lru) {
				enum lru_list lru = page_lru(page);

				pfn = page_to_pfn(m, page);
				if (pfn >= m->max_pfn) {
					snprintf(why, whylen, "node %d %s: entry "
					    "outside mem_map", nid, lru_names[i]);
					return -1;
				}
				if (!PageLRU(page) || !lru_candidate(page)) {
					snprintf(why, whylen, "pfn 0x%lx on the "
					    "%s list is %s", pfn, lru_names[i],
					    !PageLRU(page) ? "not PG_lru" :
					    "not an allocated user page");
					return -1;
				}
				if (page_to_nid(page) != nid) {
					snprintf(why, whylen, "pfn 0x%lx of node "
					    "%d is on node %d's lists", pfn,
					    page_to_nid(page), nid);
					return -1;
				}
				if (lru_head(lruvec, lru) != &lruvec->lists[i]) {
					snprintf(why, whylen, "pfn 0x%lx belongs "
					    "on %s but is on %s", pfn,
					    lru_names[lru], lru_names[i]);
					return -1;
				}
				counted[lru] += thp_nr_pages(page);
				on_lists++;
			}
		}
		for (i = 0; i < NR_LRU_LISTS; i++) {
			if (counted[i] != lruvec->nr_pages[i]) {
				snprintf(why, whylen, "node %d: %s counts %lu "
				    "pages, the list holds %lu", nid,
				    lru_names[i], lruvec->nr_pages[i],
				    counted[i]);
				return -1;
			}
		}
	}
	for (pfn = 0; pfn < m->max_pfn; pfn++) {
		page = pfn_to_page(m, pfn);
		if (PageLRU(page))
			flagged++;
		else if (lru_candidate(page) && (PageSwapCache(page) ||
		    page->mapping != NULL)) {
			snprintf(why, whylen, "pfn 0x%lx is an allocated %s page "
			    "on no LRU list", pfn, PageFlag(page, PG_anon) ?
			    "anonymous" : "page-cache");
			return -1;
		}
	}
	if (flagged != on_lists) {
		snprintf(why, whylen, "%lu pages are PG_lru but the lists hold "
		    "%lu", flagged, on_lists);
		return -1;
	}
	return 0;
}
