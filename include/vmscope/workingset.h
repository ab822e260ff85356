/*
 * workingset.h - the refault distance (mm/workingset.c). Each node counts
 * the pages reclaim evicts (lruvec->nonresident_age). An evicted page
 * leaves a stamp of that clock behind: a shadow entry in its file's page
 * cache (filemap.c), or the swap slot's evicted_at (swap.c). When the page
 * is faulted back in, the evictions since then are its refault distance:
 * had there been that many more frames, it would still be in memory. A
 * distance no larger than the active lists means the page belongs to the
 * working set, and it comes back active instead of starting over.
 *
 * Every such fault is a refault (workingset_refault_file, _anon) and
 * still a major fault: the data is read again.
 */
#ifndef VMSCOPE_WORKINGSET_H
#define VMSCOPE_WORKINGSET_H

#include "vmscope/machine.h"

/*
 * workingset_eviction: page is being evicted by reclaim: stamp it with
 * its node's clock and advance the clock. Returns the stamp.
 */
unsigned long workingset_eviction(struct machine *m, struct page *page);

/*
 * workingset_refault: a page evicted at stamp eviction from node nid is
 * being read back; count it (file or anonymous) and return true when it
 * should be activated (lru2q only: the other policies have one list).
 */
bool	 workingset_refault(struct machine *m, int nid, unsigned long eviction,
	    bool file);

/*
 * A shadow entry as the page cache stores it (pack_shadow): node and
 * stamp in one word, never 0 (0 is an empty slot).
 */
unsigned long pack_shadow(int nid, unsigned long eviction);
void	 unpack_shadow(unsigned long shadow, int *nid,
	    unsigned long *eviction);

#endif
