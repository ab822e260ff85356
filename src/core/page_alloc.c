/*
 * page_alloc.c - the zoned buddy allocator, after mm/page_alloc.c: each
 * zone keeps free blocks of 2^order frames in free_area[order]; an
 * allocation takes the smallest block that fits and splits the rest down
 * (expand); a free merges the block with its buddy (pfn ^ (1 << order))
 * for as long as the buddy is free, of the same order and in the same
 * zone (__free_one_page).
 *
 * Around it: the zonelist walk with watermark checks
 * (get_page_from_freelist, __zone_watermark_ok), the watermarks themselves
 * (__setup_per_zone_wmarks), lowmem_reserve, totalreserve_pages,
 * MemAvailable, and the buddy invariant checker.
 *
 * Page state, as the rest of the model sees it:
 *   free block head   PG_buddy, private = order, on free_area[order]
 *   inside a free block   no flags, _refcount 0
 *   allocated head    _refcount 1, the flag of its use; an order > 0 block
 *                     is compound: PG_head with private = order
 *   allocated tail    PG_tail, private = pfn of the head, _refcount 0
 *   reserved          PG_reserved (boot), never on a list
 * Zone and node are encoded in the top bits of flags and never change.
 *
 * Simplifications: no migratetypes (one free list per order), no per-cpu
 * lists, no compaction. The slow path (kswapd, direct reclaim, OOM) calls
 * into vmscan.c and oom_kill.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/lru.h"
#include "vmscope/page_alloc.h"
#include "vmscope/swap.h"
#include "vmscope/vmscan.h"

/* vm.lowmem_reserve_ratio, Linux 5.x and later. */
static const unsigned long sysctl_lowmem_reserve_ratio[MAX_NR_ZONES] = {
	[ZONE_DMA]	= 256,
	[ZONE_DMA32]	= 256,
	[ZONE_NORMAL]	= 32,
	[ZONE_HIGHMEM]	= 0,
	[ZONE_MOVABLE]	= 0,
};

#define WATERMARK_SCALE_FACTOR	10	/* vm.watermark_scale_factor */

static const char *const wmark_names[NR_WMARK] = { "min", "low", "high" };

static const unsigned long use_flags[] = {
	[ALLOC_KERNEL]	= 1UL << PG_kernel,
	[ALLOC_ANON]	= (1UL << PG_anon) | (1UL << PG_swapbacked),
	[ALLOC_FILE]	= 1UL << PG_uptodate,
	[ALLOC_PGTABLE]	= 1UL << PG_pgtable,
	[ALLOC_SLAB]	= 1UL << PG_slab,
	[ALLOC_HUGE]	= 0,
};

/* The bits that say where a frame is; everything else is its state. */
#define PAGE_WHERE_MASK	((PAGE_NODE_MASK << PAGE_NODE_SHIFT) | \
			 (PAGE_ZONE_MASK << PAGE_ZONE_SHIFT))

static void emit(struct machine *m, enum event_kind kind, struct zone *z,
    unsigned long pfn, int order, uint64_t val, uint64_t val2,
    const char *str, const char *str2)
{
	struct vm_event ev;

	if (m->ev.muted)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.node = z != NULL ? z->node : 0;
	ev.zone = z != NULL ? (int)z->idx : 0;
	ev.pfn = pfn;
	ev.order = order;
	ev.val = val;
	ev.val2 = val2;
	ev.str = str;
	ev.str2 = str2;
	machine_emit(m, &ev);
}

/*
 * The gfp_mask Linux would pass for what an allocation is for (Linux 6.x,
 * x86_64 without KASAN), for the OOM report: user pages come as folios
 * (vma_alloc_folio, filemap_alloc_folio: GFP_HIGHUSER_MOVABLE |
 * __GFP_COMP = 0x140cca), page tables as GFP_PGTABLE_USER
 * (GFP_KERNEL_ACCOUNT | __GFP_ZERO = 0x400dc0), the rest GFP_KERNEL.
 */
static unsigned gfp_of(enum alloc_use use)
{
	switch (use) {
	case ALLOC_ANON:
	case ALLOC_FILE:
	case ALLOC_HUGE:
		return 0x140cca;
	case ALLOC_PGTABLE:
		return 0x400dc0;
	case ALLOC_KERNEL:
	case ALLOC_SLAB:
	default:
		return 0xcc0;
	}
}

static void page_reset_state(struct page *page)
{
	page->flags &= PAGE_WHERE_MASK;
	page->mapping = NULL;
	page->index = 0;
	page->private = 0;
	page->_refcount = 0;
	page->_mapcount = -1;
}

static inline bool page_is_buddy(struct machine *m, struct zone *z,
    unsigned long buddy_pfn, unsigned order)
{
	struct page *buddy;

	if (buddy_pfn >= m->max_pfn || !zone_spans_pfn(z, buddy_pfn))
		return false;
	buddy = pfn_to_page(m, buddy_pfn);
	return PageBuddy(buddy) && buddy->private == order &&
	    page_zone(m, buddy) == z;
}

static void add_to_free_list(struct machine *m, struct zone *z,
    unsigned long pfn, unsigned order, bool to_tail)
{
	struct page *page = pfn_to_page(m, pfn);

	SetPageFlag(page, PG_buddy);
	page->private = order;
	if (to_tail)
		list_add_tail(&page->lru, &z->free_area[order].free_list);
	else
		list_add(&page->lru, &z->free_area[order].free_list);
	z->free_area[order].nr_free++;
}

static void del_from_free_list(struct zone *z, struct page *page,
    unsigned order)
{
	list_del(&page->lru);
	ClearPageFlag(page, PG_buddy);
	page->private = 0;
	z->free_area[order].nr_free--;
}

/*
 * Put a block back and merge it upwards. The caller has cleared the
 * frames' state; nr_free is the caller's business too. A freed block goes
 * to the head of its list (it is cache-hot); boot memory goes to the tail
 * (FPI_TO_TAIL), so that allocations start from low pfns.
 */
static void __free_one_page(struct machine *m, struct zone *z,
    unsigned long pfn, unsigned order, bool to_tail)
{
	unsigned long buddy_pfn;

	while (order < MAX_ORDER - 1) {
		buddy_pfn = pfn ^ (1UL << order);
		if (!page_is_buddy(m, z, buddy_pfn, order))
			break;
		del_from_free_list(z, pfn_to_page(m, buddy_pfn), order);
		emit(m, EV_BUDDY_MERGE, z, pfn, (int)order, buddy_pfn,
		    order + 1, NULL, NULL);
		pfn &= buddy_pfn;	/* the lower of the two heads */
		order++;
	}
	add_to_free_list(m, z, pfn, order, to_tail);
	emit(m, EV_BUDDY_FREE, z, pfn, (int)order, 0, 0, NULL, NULL);
}

void memblock_free_pages(struct machine *m, unsigned long pfn, unsigned order)
{
	struct page *page = pfn_to_page(m, pfn);
	struct zone *z = page_zone(m, page);
	unsigned long i;

	for (i = 0; i < (1UL << order); i++)
		page_reset_state(page + i);
	__free_one_page(m, z, pfn, order, true);
	z->nr_free += 1UL << order;
}

/*
 * expand: the block of order high at page is cut in halves until it is of
 * order low; each upper half goes back on its free list.
 *
 *   order 9 block: [ 128 | 128 | 256          ]   request order 7
 *                  split 9: upper 256 -> free_area[8]
 *                  split 8: upper 128 -> free_area[7]
 *                  the lower 128 is returned
 */
static void expand(struct machine *m, struct zone *z, unsigned long pfn,
    unsigned low, unsigned high)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		add_to_free_list(m, z, pfn + size, high, false);
		emit(m, EV_BUDDY_SPLIT, z, pfn, (int)high + 1, pfn + size,
		    high, NULL, NULL);
	}
}

/* Take the first block of the smallest order that fits. */
static struct page *__rmqueue_smallest(struct machine *m, struct zone *z,
    unsigned order)
{
	struct free_area *area;
	struct page *page;
	unsigned o;

	for (o = order; o < MAX_ORDER; o++) {
		area = &z->free_area[o];
		if (list_empty(&area->free_list))
			continue;
		page = list_first_entry(&area->free_list, struct page, lru);
		del_from_free_list(z, page, o);
		emit(m, EV_BUDDY_TAKE, z, page_to_pfn(m, page), (int)o, 0, 0,
		    NULL, NULL);
		expand(m, z, page_to_pfn(m, page), order, o);
		z->nr_free -= 1UL << order;
		return page;
	}
	return NULL;
}

/* Give the new block its owner's state (prep_new_page, prep_compound_page). */
static void prep_new_page(struct machine *m, struct page *page, unsigned order,
    enum alloc_use use)
{
	unsigned long pfn = page_to_pfn(m, page), i;
	unsigned long flags = use_flags[use];

	page_reset_state(page);
	page->flags |= flags;
	page->_refcount = 1;
	if (order == 0)
		return;
	SetPageFlag(page, PG_head);
	page->private = order;
	for (i = 1; i < (1UL << order); i++) {
		struct page *tail = page + i;

		page_reset_state(tail);
		tail->flags |= flags | (1UL << PG_tail);
		tail->private = pfn;
	}
}

static bool __zone_watermark_ok(struct zone *z, unsigned order,
    unsigned long mark, enum zone_type highest_zoneidx, long free_pages)
{
	unsigned o;

	/* the pages that would remain once this block is gone */
	free_pages -= (1L << order) - 1;
	if (free_pages <= (long)(mark + z->lowmem_reserve[highest_zoneidx]))
		return false;
	if (order == 0)
		return true;
	for (o = order; o < MAX_ORDER; o++) {
		if (z->free_area[o].nr_free > 0)
			return true;
	}
	return false;
}

/* The check with its event; name says which mark ("low", "min"...). */
static bool zone_watermark_check(struct machine *m, struct zone *z,
    unsigned order, unsigned long mark, enum zone_type highest_zoneidx,
    const char *name)
{
	bool ok = __zone_watermark_ok(z, order, mark, highest_zoneidx,
	    (long)z->nr_free);

	emit(m, EV_WMARK_CHECK, z, 0, (int)order, z->nr_free,
	    mark + z->lowmem_reserve[highest_zoneidx], name,
	    ok ? "ok" : "fail");
	return ok;
}

bool zone_watermark_ok(struct machine *m, struct zone *z, unsigned order,
    unsigned long mark, enum zone_type highest_zoneidx)
{
	const char *name = "mark";
	int w;

	for (w = 0; w < NR_WMARK; w++) {
		if (z->_watermark[w] == mark) {
			name = wmark_names[w];
			break;
		}
	}
	return zone_watermark_check(m, z, order, mark, highest_zoneidx, name);
}

enum zone_type gfp_zone_fallback(const struct machine *m, int nid,
    enum zone_type highest_zone)
{
	int z;

	if (nid < 0 || nid >= m->nr_nodes || highest_zone >= MAX_NR_ZONES)
		return MAX_NR_ZONES;
	for (z = (int)highest_zone; z >= 0; z--) {
		if (zone_populated(&m->nodes[nid].node_zones[z]))
			return (enum zone_type)z;
	}
	return MAX_NR_ZONES;
}

/*
 * One pass over the zonelist (build_zonelists: the preferred node first,
 * then the others in order; in each node the zones from highest_zone
 * down), taking from the first zone whose watermark allows it.
 */
static struct page *get_page_from_freelist(struct machine *m, int nid,
    enum zone_type highest_zone, unsigned order, enum zone_watermarks wm,
    enum alloc_use use, bool *order_blocked)
{
	struct page *page;
	struct zone *z;
	int i, n, zi;

	for (i = 0; i < m->nr_nodes; i++) {
		n = (nid + i) % m->nr_nodes;
		for (zi = (int)highest_zone; zi >= 0; zi--) {
			z = &m->nodes[n].node_zones[zi];
			if (!zone_populated(z))
				continue;
			if (!zone_watermark_check(m, z, order, z->_watermark[wm],
			    highest_zone, wmark_names[wm])) {
				/* enough pages, but no block big enough? */
				if (__zone_watermark_ok(z, 0, z->_watermark[wm],
				    highest_zone, (long)z->nr_free -
				    ((1L << order) - 1)))
					*order_blocked = true;
				continue;
			}
			page = __rmqueue_smallest(m, z, order);
			if (page == NULL)
				continue;
			prep_new_page(m, page, order, use);
			z->pgalloc += 1UL << order;
			emit(m, EV_ALLOC_PAGES, z, page_to_pfn(m, page),
			    (int)order, 0, 0, NULL, NULL);
			return page;
		}
	}
	return NULL;
}

/*
 * __alloc_pages_slowpath: the fast path failed against low. Wake kswapd
 * for every zone of the zonelist (it runs when the allocation returns),
 * retry against min; below min the allocating task reclaims itself
 * (__alloc_pages_direct_reclaim: allocstall) and retries, a few times
 * while reclaim makes progress; then the OOM killer (not for costly
 * orders, which fail instead), and a retry when it freed something.
 */
#define PAGE_ALLOC_COSTLY_ORDER	3

static void wake_all_kswapds(struct machine *m, int nid,
    enum zone_type highest_zone, unsigned order)
{
	struct zone *z;
	int i, zi;

	for (i = 0; i < m->nr_nodes; i++) {
		int n = (nid + i) % m->nr_nodes;

		for (zi = (int)highest_zone; zi >= 0; zi--) {
			z = &m->nodes[n].node_zones[zi];
			if (zone_populated(z) &&
			    z->nr_free <= low_wmark_pages(z) +
			    z->lowmem_reserve[highest_zone])
				wakeup_kswapd(m, z, order, highest_zone);
		}
	}
}

static struct page *__alloc_pages_direct_reclaim(struct machine *m, int nid,
    enum zone_type highest_zone, unsigned order, enum alloc_use use,
    unsigned long *progress)
{
	enum zone_type pz = gfp_zone_fallback(m, nid, highest_zone);
	struct zone *z = &m->nodes[nid].node_zones[pz < MAX_NR_ZONES ? pz : 0];
	bool order_blocked = false;
	struct vm_event ev;

	z->allocstall++;
	*progress = try_to_free_pages(m, nid, order, highest_zone);
	if (!m->ev.muted) {
		memset(&ev, 0, sizeof(ev));
		ev.kind = EV_DIRECT_RECLAIM;
		ev.node = z->node;
		ev.zone = (int)z->idx;
		ev.order = (int)order;
		ev.val = *progress;
		machine_emit(m, &ev);
	}
	if (*progress == 0)
		return NULL;
	return get_page_from_freelist(m, nid, highest_zone, order, WMARK_MIN,
	    use, &order_blocked);
}

static struct page *__alloc_pages_slowpath(struct machine *m, int nid,
    enum zone_type highest_zone, unsigned order, enum alloc_use use)
{
	struct page *page;
	bool order_blocked = false;
	unsigned long progress;
	int retries = 0, no_progress = 0;

	/* inside reclaim or the OOM killer (PF_MEMALLOC): no recursion */
	if (m->reclaim_depth == 0)
		wake_all_kswapds(m, nid, highest_zone, order);
retry:
	order_blocked = false;
	page = get_page_from_freelist(m, nid, highest_zone, order, WMARK_MIN,
	    use, &order_blocked);
	if (page != NULL)
		return page;
	if (m->reclaim_depth > 0)
		goto fail;

	while (retries++ < MAX_RECLAIM_RETRIES) {
		page = __alloc_pages_direct_reclaim(m, nid, highest_zone,
		    order, use, &progress);
		if (page != NULL)
			return page;
		if (progress == 0 && ++no_progress >= 2)
			break;
	}
	if (order > PAGE_ALLOC_COSTLY_ORDER)
		goto fail;
	m->reclaim_depth++;
	if (out_of_memory(m, order, gfp_of(use))) {
		m->reclaim_depth--;
		retries = 0;
		no_progress = 0;
		goto retry;
	}
	m->reclaim_depth--;
fail:
	emit(m, EV_ALLOC_FAIL, NULL, 0, (int)order, 0, 0, order_blocked ?
	    "free pages above min, but no free block of this order or larger (fragmentation, no compaction)" :
	    "every zone is at or below its min watermark and reclaim freed too little",
	    NULL);
	return NULL;
}

struct page *alloc_pages_node(struct machine *m, int nid,
    enum zone_type highest_zone, unsigned order, enum alloc_use use)
{
	struct page *page;
	bool order_blocked = false;

	if (order >= MAX_ORDER) {
		emit(m, EV_ALLOC_FAIL, NULL, 0, (int)order, 0, 0,
		    "order is above MAX_ORDER - 1 (10)", NULL);
		return NULL;
	}
	if (nid < 0)
		nid = 0;	/* NUMA_NO_NODE: the (only) CPU's node */
	if (nid >= m->nr_nodes || highest_zone >= MAX_NR_ZONES) {
		emit(m, EV_ALLOC_FAIL, NULL, 0, (int)order, 0, 0,
		    "no such node or zone", NULL);
		return NULL;
	}

	/* fast path: every zone must stay above its low watermark */
	page = get_page_from_freelist(m, nid, highest_zone, order, WMARK_LOW,
	    use, &order_blocked);
	if (page != NULL)
		return page;

	page = __alloc_pages_slowpath(m, nid, highest_zone, order, use);
	/*
	 * kswapd is a thread in Linux; here it runs right after the
	 * allocation that woke it (vmscan.h), or, after a failure, at the
	 * end of the command (so the failure stays the last event).
	 */
	if (page != NULL)
		kswapd_run(m);
	return page;
}

/*
 * Where the free block holding pfn starts, or -1 when pfn is not inside
 * one. Only used to explain refusals.
 */
static long free_block_head(struct machine *m, unsigned long pfn,
    unsigned *order)
{
	unsigned o;
	unsigned long head;

	for (o = 0; o < MAX_ORDER; o++) {
		head = pfn & ~((1UL << o) - 1);
		if (PageBuddy(&m->mem_map[head]) &&
		    m->mem_map[head].private >= o &&
		    pfn < head + (1UL << m->mem_map[head].private)) {
			*order = (unsigned)m->mem_map[head].private;
			return (long)head;
		}
	}
	return -1;
}

static int __free_pages_check(struct machine *m, unsigned long pfn,
    unsigned *order, char *why, size_t whylen)
{
	struct page *page;
	unsigned o;
	long head;

	if (pfn >= m->max_pfn)
		return why_printf(why, whylen, "pfn 0x%lx is beyond the last "
		    "frame (max_pfn 0x%lx)", pfn, m->max_pfn);
	page = pfn_to_page(m, pfn);
	if (PageReserved(page))
		return why_printf(why, whylen, "pfn 0x%lx is reserved at boot "
		    "(firmware, kernel image or memmap)", pfn);
	if (PageBuddy(page))
		return why_printf(why, whylen, "pfn 0x%lx is already free "
		    "(head of a free order-%lu block)", pfn, page->private);
	if (PageFlag(page, PG_tail))
		return why_printf(why, whylen, "pfn 0x%lx is a tail page of "
		    "the order-%lu block at pfn 0x%lx; free its head",
		    pfn, m->mem_map[page->private].private, page->private);
	if (page->_refcount == 0) {
		head = free_block_head(m, pfn, &o);
		if (head >= 0)
			return why_printf(why, whylen, "pfn 0x%lx is already "
			    "free (inside the order-%u block at pfn 0x%lx)",
			    pfn, o, (unsigned long)head);
		return why_printf(why, whylen, "pfn 0x%lx is not allocated",
		    pfn);
	}
	if (page_mapcount(page) > 0)
		return why_printf(why, whylen, "pfn 0x%lx is mapped by %d "
		    "page-table entries", pfn, page_mapcount(page));
	if (page->_refcount > 1)
		return why_printf(why, whylen, "pfn 0x%lx has %d references",
		    pfn, page->_refcount);
	o = PageFlag(page, PG_head) ? (unsigned)page->private : 0;
	if (order != NULL)
		*order = o;
	return 0;
}

/* -EINVAL, as the kernel's checks return, with the reason in why. */
int free_pages_check(struct machine *m, unsigned long pfn, unsigned *order,
    char *why, size_t whylen)
{
	return __free_pages_check(m, pfn, order, why, whylen) != 0 ? -EINVAL : 0;
}

void __free_pages(struct machine *m, struct page *page, unsigned order)
{
	struct zone *z = page_zone(m, page);
	unsigned long pfn = page_to_pfn(m, page), i;

	/* put_page_testzero: only the last reference frees */
	if (page->_refcount > 1) {
		page->_refcount--;
		/* nobody maps it and no PTE holds its slot: the cache lets go */
		if (page->_refcount == 1 && PageFlag(page, PG_swapcache) &&
		    page->_mapcount < 0)
			free_swap_cache(m, page);
		return;
	}
	/* __page_cache_release: the last reference takes it off its LRU */
	if (PageFlag(page, PG_lru))
		lru_cache_del(m, page);
	for (i = 0; i < (1UL << order); i++)
		page_reset_state(page + i);
	emit(m, EV_FREE_PAGES, z, pfn, (int)order, 0, 0, NULL, NULL);
	m->vm_events[VM_pgfree] += 1UL << order;
	__free_one_page(m, z, pfn, order, false);
	z->nr_free += 1UL << order;
}

/* ---- watermarks and protections ---------------------------------- */

static bool is_highmem_idx(enum zone_type idx)
{
	return idx == ZONE_HIGHMEM || idx == ZONE_MOVABLE;
}

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, bit = 1UL << (sizeof(long) * 8 - 2);

	while (bit > x)
		bit >>= 2;
	while (bit != 0) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

/* x * n / d without overflowing on the product (mult_frac). */
static unsigned long mult_frac(unsigned long x, unsigned long n,
    unsigned long d)
{
	return (x / d) * n + ((x % d) * n) / d;
}

void calculate_totalreserve_pages(struct machine *m)
{
	unsigned long reserve_pages = 0, max;
	struct zone *z;
	int j;

	for_each_zone(m, z) {
		max = 0;
		for (j = (int)z->idx; j < MAX_NR_ZONES; j++) {
			if (z->lowmem_reserve[j] > max)
				max = z->lowmem_reserve[j];
		}
		max += high_wmark_pages(z);
		if (max > z->managed_pages)
			max = z->managed_pages;
		reserve_pages += max;
	}
	m->totalreserve_pages = reserve_pages;
}

/*
 * __setup_per_zone_wmarks. pages_min is shared out among the low-memory
 * zones in proportion to their size; HighMem and Movable, which the
 * kernel cannot use for itself, only get a token minimum. The gap
 * between min, low and high is the larger of a quarter of the zone's
 * share and watermark_scale_factor (0.1%) of the zone.
 *
 * The toy machine's pages are far below a kilobyte, so min_free_kbytes
 * means nothing there: its pages_min is half the square root of its
 * low-memory pages (the same curve, scaled to its size), shared out over
 * every zone, and the gaps are at least one page.
 */
void setup_per_zone_wmarks(struct machine *m)
{
	unsigned long pages_min, lowmem_pages = 0, tmp, min_pages;
	bool toy = m->cfg.arch == ARCH_TOY;
	struct zone *z;

	for_each_zone(m, z) {
		if (toy || !is_highmem_idx(z->idx))
			lowmem_pages += z->managed_pages;
	}
	if (toy)
		pages_min = max_t(unsigned long, int_sqrt(lowmem_pages) / 2, 1);
	else
		pages_min = m->min_free_kbytes >> (m->arch.page_shift - 10);

	for_each_zone(m, z) {
		tmp = lowmem_pages ? (unsigned long)((uint64_t)pages_min *
		    z->managed_pages / lowmem_pages) : 0;
		if (!toy && is_highmem_idx(z->idx)) {
			min_pages = z->managed_pages / 1024;
			min_pages = clamp_t(unsigned long, min_pages,
			    SWAP_CLUSTER_MAX, 128UL);
			z->_watermark[WMARK_MIN] = min_pages;
		} else {
			z->_watermark[WMARK_MIN] = tmp;
		}
		tmp = max_t(unsigned long, tmp >> 2, mult_frac(z->managed_pages,
		    WATERMARK_SCALE_FACTOR, 10000));
		if (toy && z->managed_pages > 0 && tmp == 0)
			tmp = 1;
		z->_watermark[WMARK_LOW] = min_wmark_pages(z) + tmp;
		z->_watermark[WMARK_HIGH] = low_wmark_pages(z) + tmp;
	}
	calculate_totalreserve_pages(m);
}

/*
 * setup_per_zone_lowmem_reserve: how many pages of zone i an allocation
 * that could have used zone j > i must leave alone, so that DMA is not
 * eaten by allocations that could have gone higher. reserve[j] = pages
 * managed in zones i+1..j divided by lowmem_reserve_ratio[i]; 0 when the
 * zone has nothing or its ratio is 0.
 */
void setup_per_zone_lowmem_reserve(struct machine *m)
{
	int nid, i, j;

	for (nid = 0; nid < m->nr_nodes; nid++) {
		struct pglist_data *pgdat = &m->nodes[nid];

		for (i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *z = &pgdat->node_zones[i];
			unsigned long ratio = sysctl_lowmem_reserve_ratio[i];
			bool clear = ratio == 0 || z->managed_pages == 0;
			unsigned long managed = 0;

			for (j = 0; j <= i; j++)
				z->lowmem_reserve[j] = 0;
			for (j = i + 1; j < MAX_NR_ZONES; j++) {
				managed += pgdat->node_zones[j].managed_pages;
				z->lowmem_reserve[j] = clear ? 0 :
				    managed / ratio;
			}
		}
	}
	calculate_totalreserve_pages(m);
}

/*
 * init_per_zone_wmark_min: min_free_kbytes = sqrt(lowmem_kbytes * 16),
 * clamped to [128, 262144], where lowmem_kbytes is what the zones up to
 * Normal manage (nr_free_buffer_pages at boot, before any watermark).
 */
void init_per_zone_wmark_min(struct machine *m)
{
	unsigned long lowmem_pages = 0, lowmem_kbytes;
	struct zone *z;

	for_each_zone(m, z) {
		if (z->idx <= ZONE_NORMAL)
			lowmem_pages += z->managed_pages;
	}
	if (m->cfg.arch == ARCH_TOY) {
		m->min_free_kbytes = 0;
	} else {
		lowmem_kbytes = pages_to_kb(m, lowmem_pages);
		m->min_free_kbytes = clamp_t(unsigned long,
		    int_sqrt(lowmem_kbytes * 16), 128UL, 262144UL);
	}
	setup_per_zone_wmarks(m);
	setup_per_zone_lowmem_reserve(m);
}

unsigned long global_free_pages(const struct machine *m)
{
	unsigned long n = 0;
	const struct zone *z;

	for_each_zone(m, z)
		n += z->nr_free;
	return n;
}

/*
 * si_mem_available: free pages minus what the kernel keeps back
 * (totalreserve_pages), plus the page cache and reclaimable slab that
 * could be dropped without going below the low watermarks (the file LRU
 * lists; vmscope's slab is not counted as reclaimable).
 */
unsigned long si_mem_available(const struct machine *m)
{
	long available;
	unsigned long wmark_low = 0, pagecache = 0, reclaimable = 0;
	const struct zone *z;
	int nid;

	for_each_zone(m, z)
		wmark_low += low_wmark_pages(z);
	for (nid = 0; nid < m->nr_nodes; nid++)
		pagecache += m->nodes[nid].lruvec.nr_pages[LRU_ACTIVE_FILE] +
		    m->nodes[nid].lruvec.nr_pages[LRU_INACTIVE_FILE];
	available = (long)global_free_pages(m) - (long)m->totalreserve_pages;
	pagecache -= min_t(unsigned long, pagecache / 2, wmark_low);
	available += (long)pagecache;
	available += (long)(reclaimable - min_t(unsigned long,
	    reclaimable / 2, wmark_low));
	return available < 0 ? 0 : (unsigned long)available;
}

/* ---- invariant checker --------------------------------------------- */

#define VB_FAIL(...) do {					\
	why_printf(why, whylen, __VA_ARGS__);			\
	goto out;						\
} while (0)

static int validate_zone(struct machine *m, struct zone *z, uint8_t *seen,
    char *why, size_t whylen)
{
	unsigned long free = 0, reserved = 0, allocated = 0, pfn, i, n;
	struct list_head *pos;
	struct page *page;
	unsigned o;
	int rc = -1;

	for (o = 0; o < MAX_ORDER; o++) {
		n = 0;
		list_for_each(pos, &z->free_area[o].free_list) {
			page = list_entry(pos, struct page, lru);
			pfn = page_to_pfn(m, page);
			if (pfn >= m->max_pfn)
				VB_FAIL("node %d zone %s free_area[%u]: entry "
				    "outside mem_map", z->node, z->name, o);
			if (!PageBuddy(page) || page->private != o)
				VB_FAIL("node %d zone %s: pfn 0x%lx on "
				    "free_area[%u] without PG_buddy/order %u",
				    z->node, z->name, pfn, o, o);
			if (pfn & ((1UL << o) - 1))
				VB_FAIL("node %d zone %s: order-%u block at "
				    "pfn 0x%lx is not aligned", z->node,
				    z->name, o, pfn);
			if (pfn < z->zone_start_pfn ||
			    pfn + (1UL << o) > zone_end_pfn(z))
				VB_FAIL("node %d zone %s: order-%u block at "
				    "pfn 0x%lx leaves the zone", z->node,
				    z->name, o, pfn);
			for (i = 0; i < (1UL << o); i++) {
				struct page *p = page + i;

				if (seen[pfn + i])
					VB_FAIL("pfn 0x%lx is in two free "
					    "blocks", pfn + i);
				seen[pfn + i] = 1;
				if (page_zone(m, p) != z)
					VB_FAIL("pfn 0x%lx in a free block of "
					    "node %d zone %s belongs elsewhere",
					    pfn + i, z->node, z->name);
				if (PageReserved(p))
					VB_FAIL("reserved pfn 0x%lx is in a "
					    "free block", pfn + i);
				if (i > 0 && PageBuddy(p))
					VB_FAIL("pfn 0x%lx is PG_buddy inside "
					    "the free block at 0x%lx", pfn + i,
					    pfn);
			}
			if (o < MAX_ORDER - 1 &&
			    page_is_buddy(m, z, pfn ^ (1UL << o), o))
				VB_FAIL("node %d zone %s: free order-%u buddies "
				    "0x%lx and 0x%lx were not merged", z->node,
				    z->name, o, pfn, pfn ^ (1UL << o));
			free += 1UL << o;
			n++;
		}
		if (n != z->free_area[o].nr_free)
			VB_FAIL("node %d zone %s: free_area[%u].nr_free is %lu "
			    "but the list has %lu blocks", z->node, z->name, o,
			    z->free_area[o].nr_free, n);
	}
	if (free != z->nr_free)
		VB_FAIL("node %d zone %s: nr_free is %lu but the lists hold "
		    "%lu pages", z->node, z->name, z->nr_free, free);

	for (pfn = z->zone_start_pfn; pfn < zone_end_pfn(z); pfn++) {
		page = pfn_to_page(m, pfn);
		if (page_zone(m, page) != z)
			VB_FAIL("pfn 0x%lx in the span of node %d zone %s is "
			    "labelled node %d zone %s", pfn, z->node, z->name,
			    page_to_nid(page), zone_names[page_zonenum(page)]);
		if (PageReserved(page))
			reserved++;
		else if (!seen[pfn])
			allocated++;
		if (PageBuddy(page) && !seen[pfn])
			VB_FAIL("pfn 0x%lx is PG_buddy but on no free list",
			    pfn);
		if (!seen[pfn] && !PageReserved(page) &&
		    page->_refcount == 0 && !PageFlag(page, PG_tail))
			VB_FAIL("pfn 0x%lx is neither free nor reserved but "
			    "has no reference", pfn);
	}
	if (reserved != z->nr_reserved)
		VB_FAIL("node %d zone %s: %lu PG_reserved frames, nr_reserved "
		    "says %lu", z->node, z->name, reserved, z->nr_reserved);
	if (free + allocated + reserved != z->spanned_pages)
		VB_FAIL("node %d zone %s: free %lu + allocated %lu + reserved "
		    "%lu != spanned %lu", z->node, z->name, free, allocated,
		    reserved, z->spanned_pages);
	if (z->managed_pages != z->present_pages - z->nr_reserved)
		VB_FAIL("node %d zone %s: managed %lu != present %lu - "
		    "reserved %lu", z->node, z->name, z->managed_pages,
		    z->present_pages, z->nr_reserved);
	rc = 0;
out:
	return rc;
}

int validate_buddy(struct machine *m, char *why, size_t whylen)
{
	uint8_t *seen = xcalloc(m->max_pfn ? m->max_pfn : 1, 1);
	unsigned long covered = 0, pfn;
	struct zone *z;
	int rc = -1;

	for_each_zone(m, z) {
		if (!zone_populated(z)) {
			if (z->nr_free != 0 || z->managed_pages != 0)
				VB_FAIL("node %d zone %s is empty but counts "
				    "pages", z->node, z->name);
			continue;
		}
		covered += z->spanned_pages;
		if (validate_zone(m, z, seen, why, whylen) != 0)
			goto out;
	}
	/* frames outside every zone are holes: they must be reserved */
	if (covered != m->max_pfn) {
		for (pfn = 0; pfn < m->max_pfn; pfn++) {
			struct page *page = pfn_to_page(m, pfn);
			struct zone *pz = page_zone(m, page);

			if (!zone_spans_pfn(pz, pfn) && !PageReserved(page))
				VB_FAIL("pfn 0x%lx is in no zone and not "
				    "reserved", pfn);
		}
	}
	rc = 0;
out:
	free(seen);
	return rc;
}
