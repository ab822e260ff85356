/*
 * page_alloc.h - the zoned buddy allocator (mm/page_alloc.c): allocation
 * of 2^order contiguous frames from a zone's free_area, splitting larger
 * blocks down (expand) and merging freed blocks with their buddies.
 */
#ifndef VMSCOPE_PAGE_ALLOC_H
#define VMSCOPE_PAGE_ALLOC_H

#include "vmscope/machine.h"

/* What an allocation is for: sets the page flags of the frames given. */
enum alloc_use {
	ALLOC_KERNEL,	/* alloc_pages command, kernel data */
	ALLOC_ANON,
	ALLOC_FILE,
	ALLOC_PGTABLE,
	ALLOC_SLAB,
	ALLOC_HUGE
};

/*
 * Allocate 2^order frames, preferring zone highest_zone on node nid and
 * falling back down the zonelist (Normal -> DMA32 -> DMA), the fast path
 * against the low watermark, then against min. Returns the first page or
 * NULL (the reason is in the ALLOC_FAIL event).
 */
struct page *alloc_pages_node(struct machine *m, int nid,
	    enum zone_type highest_zone, unsigned order, enum alloc_use use);
/* Give back a block allocated by alloc_pages_node. */
void	 __free_pages(struct machine *m, struct page *page, unsigned order);

/*
 * Check that pfn is the head of an allocated block that may be freed:
 * not reserved, not free, not a tail page, not mapped, one reference.
 * Changes nothing. Returns 0 and the block's order, or -EINVAL with the
 * reason in why ("pfn 0x1234 is already free (order-3 block at 0x1230)").
 */
int	 free_pages_check(struct machine *m, unsigned long pfn, unsigned *order,
	    char *why, size_t whylen);

/*
 * Boot: hand a frame block that memblock did not reserve to the buddy
 * allocator (memblock_free_pages -> __free_pages_core). Emits nothing
 * special; machine_new mutes the bus around it.
 */
void	 memblock_free_pages(struct machine *m, unsigned long pfn,
	    unsigned order);

/* Watermarks and protections (__setup_per_zone_wmarks and friends). */
/* min_free_kbytes from lowmem size, then wmarks and lowmem_reserve. */
void	 init_per_zone_wmark_min(struct machine *m);
void	 setup_per_zone_wmarks(struct machine *m);
void	 setup_per_zone_lowmem_reserve(struct machine *m);
void	 calculate_totalreserve_pages(struct machine *m);
bool	 zone_watermark_ok(struct machine *m, struct zone *z, unsigned order,
	    unsigned long mark, enum zone_type highest_zoneidx);

/* The zone a node's allocations of highest_zone start from (populated). */
enum zone_type gfp_zone_fallback(const struct machine *m, int nid,
	    enum zone_type highest_zone);

unsigned long global_free_pages(const struct machine *m);
unsigned long si_mem_available(const struct machine *m);

/*
 * Check the buddy allocator: for each zone free + allocated + reserved ==
 * spanned, free_area counts equal list lengths, blocks aligned, inside the
 * zone, no two free buddies of one order, nr_free right. Returns 0 or -1
 * with the first violation in why.
 */
int	 validate_buddy(struct machine *m, char *why, size_t whylen);

#endif
