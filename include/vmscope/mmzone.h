/*
 * mmzone.h - physical memory: page frames (struct page), zones with their
 * buddy free lists and watermarks, and NUMA nodes (pglist_data), after
 * include/linux/mm_types.h and include/linux/mmzone.h.
 */
#ifndef VMSCOPE_MMZONE_H
#define VMSCOPE_MMZONE_H

#include "vmscope/list.h"

#define MAX_ORDER		11	/* free_area[0..10]: 1 to 1024 pages */
#define MAX_NUMNODES		8

enum zone_type {
	ZONE_DMA,
	ZONE_DMA32,
	ZONE_NORMAL,
	ZONE_HIGHMEM,
	ZONE_MOVABLE,
	MAX_NR_ZONES
};

extern const char *const zone_names[MAX_NR_ZONES];

/*
 * Page flags. The low bits are flags, as in Linux; the zone index and the
 * node id are kept in the top bits (page_zonenum(), page_to_nid()).
 */
enum pageflags {
	PG_reserved,	/* boot-time: kernel image, memmap, firmware */
	PG_buddy,	/* free, head of a block in a buddy free list */
	PG_lru,		/* on an LRU list */
	PG_active,
	PG_referenced,
	PG_dirty,
	PG_uptodate,
	PG_anon,	/* mapping is an anon_vma, not a file */
	PG_swapbacked,
	PG_swapcache,
	PG_pgtable,	/* a page-table page */
	PG_slab,
	PG_head,	/* first page of a compound (huge) page */
	PG_tail,
	PG_zero,	/* the shared zero page */
	PG_kernel,	/* other kernel allocation (alloc_pages command) */
	PG_writeback,
	NR_PAGEFLAGS
};

#define PAGE_NODE_SHIFT		56
#define PAGE_ZONE_SHIFT		52
#define PAGE_ZONE_MASK		0xfUL
#define PAGE_NODE_MASK		0xffUL

/*
 * A page frame descriptor. Linux's struct page is 64 bytes; vmscope's
 * must not be bigger (a test checks sizeof).
 */
struct page {
	unsigned long	 flags;
	struct list_head lru;		/* buddy free list, or LRU list */
	void		*mapping;	/* anon_vma (PG_anon) or file mapping */
	unsigned long	 index;		/* page offset within mapping */
	unsigned long	 private;	/* buddy order, swap entry, ... */
	int		 _refcount;
	int		 _mapcount;	/* -1 when not mapped by any PTE */
};

static inline bool PageFlag(const struct page *page, enum pageflags f)
{
	return (page->flags >> f) & 1;
}
static inline void SetPageFlag(struct page *page, enum pageflags f)
{
	page->flags |= 1UL << f;
}
static inline void ClearPageFlag(struct page *page, enum pageflags f)
{
	page->flags &= ~(1UL << f);
}
#define PageBuddy(p)	PageFlag(p, PG_buddy)
#define PageReserved(p)	PageFlag(p, PG_reserved)

static inline enum zone_type page_zonenum(const struct page *page)
{
	return (enum zone_type)((page->flags >> PAGE_ZONE_SHIFT) & PAGE_ZONE_MASK);
}
static inline int page_to_nid(const struct page *page)
{
	return (int)((page->flags >> PAGE_NODE_SHIFT) & PAGE_NODE_MASK);
}
static inline int page_mapcount(const struct page *page)
{
	return page->_mapcount + 1;
}

struct free_area {
	struct list_head free_list;
	unsigned long	 nr_free;	/* blocks of this order */
};

enum zone_watermarks {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	NR_WMARK
};

struct zone {
	const char	*name;
	enum zone_type	 idx;
	int		 node;
	unsigned long	 zone_start_pfn;
	unsigned long	 spanned_pages;	/* end - start, holes included */
	unsigned long	 present_pages;	/* real RAM in the span */
	unsigned long	 managed_pages;	/* present minus boot reservations */
	unsigned long	 _watermark[NR_WMARK];
	unsigned long	 lowmem_reserve[MAX_NR_ZONES];
	struct free_area free_area[MAX_ORDER];
	unsigned long	 nr_free;	/* free pages (vmstat NR_FREE_PAGES) */
	unsigned long	 nr_reserved;	/* PG_reserved frames in the span */
	unsigned long	 pgalloc;	/* pages allocated (vmstat pgalloc_*) */
	unsigned long	 allocstall;
};

static inline bool zone_populated(const struct zone *z)
{
	return z->present_pages != 0;
}
static inline unsigned long zone_end_pfn(const struct zone *z)
{
	return z->zone_start_pfn + z->spanned_pages;
}
static inline bool zone_spans_pfn(const struct zone *z, unsigned long pfn)
{
	return pfn >= z->zone_start_pfn && pfn < zone_end_pfn(z);
}
#define min_wmark_pages(z)	((z)->_watermark[WMARK_MIN])
#define low_wmark_pages(z)	((z)->_watermark[WMARK_LOW])
#define high_wmark_pages(z)	((z)->_watermark[WMARK_HIGH])

/*
 * The LRU lists of a node (include/linux/mmzone.h): inactive and active,
 * anonymous and file, in that order so that LRU_ACTIVE and LRU_FILE can be
 * added to a base. vmscan.c and lru.c own them.
 */
#define LRU_BASE	0
#define LRU_ACTIVE	1
#define LRU_FILE	2

enum lru_list {
	LRU_INACTIVE_ANON = LRU_BASE,
	LRU_ACTIVE_ANON = LRU_BASE + LRU_ACTIVE,
	LRU_INACTIVE_FILE = LRU_BASE + LRU_FILE,
	LRU_ACTIVE_FILE = LRU_BASE + LRU_FILE + LRU_ACTIVE,
	NR_LRU_LISTS
};

struct lruvec {
	struct list_head lists[NR_LRU_LISTS];	/* head = newest */
	unsigned long	 nr_pages[NR_LRU_LISTS];
	/* workingset: pages evicted so far (the refault distance clock) */
	unsigned long	 nonresident_age;
	/* the policy the lists are arranged for (enum reclaim_policy) */
	int		 policy;
};

/* A NUMA node (struct pglist_data). */
struct pglist_data {
	int		 node_id;
	unsigned long	 node_start_pfn;
	unsigned long	 node_spanned_pages;
	struct zone	 node_zones[MAX_NR_ZONES];
	int		 nr_zones;	/* highest populated zone index + 1 */
	struct lruvec	 lruvec;	/* lru.c, vmscan.c */
	/* kswapd (vmscan.c): woken below low, runs until every zone is high */
	bool		 kswapd_wait;	/* woken, not yet run */
	int		 kswapd_order;
	enum zone_type	 kswapd_highest_zoneidx;
	int		 kswapd_failures;	/* runs that reclaimed nothing */
};

#endif
