/*
 * workingset.c - eviction stamps and refault detection (workingset.h),
 * shared by the two kinds of reclaimable memory: vmscan.c stamps every
 * page it evicts, filemap.c keeps the stamp of a file page as a shadow
 * entry in the page's old page-cache slot, swap.c keeps that of an
 * anonymous page with its swap slot; the fault paths that read them back
 * ask workingset_refault whether the page was part of the working set.
 */
#include "vmscope/lru.h"
#include "vmscope/workingset.h"

/* One bit says "a shadow, not empty", like xa_mk_value's tag. */
#define SHADOW_NODE_BITS	8
#define SHADOW_SHIFT		(SHADOW_NODE_BITS + 1)

unsigned long workingset_eviction(struct machine *m, struct page *page)
{
	return page_lruvec(m, page)->nonresident_age++;
}

bool workingset_refault(struct machine *m, int nid, unsigned long eviction,
    bool file)
{
	struct lruvec *lruvec;
	unsigned long distance, active;

	if (nid < 0 || nid >= m->nr_nodes)
		nid = 0;
	lruvec = node_lruvec(m, nid);
	/* unsigned: right across a wrap of the clock, as Linux's is */
	distance = lruvec->nonresident_age - eviction;
	if (file)	/* a shadow keeps the low bits of the stamp only */
		distance &= ~0UL >> SHADOW_SHIFT;
	active = lruvec->nr_pages[LRU_ACTIVE_ANON] +
	    lruvec->nr_pages[LRU_ACTIVE_FILE];
	m->vm_events[file ? VM_workingset_refault_file :
	    VM_workingset_refault_anon]++;
	return lru_effective_policy(m) == POLICY_LRU2Q && distance <= active;
}

unsigned long pack_shadow(int nid, unsigned long eviction)
{
	return eviction << SHADOW_SHIFT |
	    (unsigned long)nid << 1 | 1;
}

void unpack_shadow(unsigned long shadow, int *nid, unsigned long *eviction)
{
	*nid = (int)((shadow >> 1) & ((1UL << SHADOW_NODE_BITS) - 1));
	*eviction = shadow >> SHADOW_SHIFT;
}
