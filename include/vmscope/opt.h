/*
 * opt.h - Belady's OPT for the machine's reclaim: the future of a replayed
 * trace, so that `policy opt` can evict the page used again farthest
 * ahead. A running machine has no future; `replay` (src/cmd/cmd-trace.c)
 * has one, because the trace is read whole before it is played. While a
 * replay runs with policy opt it attaches an opt_future to the machine
 * (m->opt_future) and tells it of every page it is about to access;
 * shrink_node (vmscan.c) asks it for victims.
 *
 * The rule (doc/simplifications.md, "opt"):
 *   - candidates are the resident pages of the replaying mm, in order of
 *     their next use in the trace, farthest first; a page the rest of the
 *     trace never touches (including pages that were resident before the
 *     replay and are not in it) counts as farthest, and among those the
 *     one brought in last goes first, as `refstring --policy opt` does;
 *   - with the future known, kswapd and direct reclaim take only the pages
 *     the node is short of its high watermark (at least one), not a batch
 *     of SWAP_CLUSTER_MAX: OPT frees what is needed, never a page it may
 *     keep;
 *   - pages of other processes, huge pages and pages the replaying mm
 *     cannot give up (no swap, shmem, in use) have no known future: when
 *     the replayer has no candidate left, reclaim goes on with lru2q.
 *
 * Cost: the pages sit in a red-black tree keyed by next use; an access
 * re-keys its page (O(log n)); a victim is the tree's first node. Entries
 * whose page has left (evicted by lru2q, unmapped) are dropped when reclaim
 * meets them, so each is looked at once per insertion: O(log n) amortised
 * per eviction, no scan of the resident set.
 */
#ifndef VMSCOPE_OPT_H
#define VMSCOPE_OPT_H

#include <stddef.h>
#include <stdint.h>

#include "vmscope/compiler.h"

struct machine;
struct mm_struct;
struct page;
struct opt_future;

/*
 * The future of mm: the virtual page numbers it will access, in order
 * (one per access: a reference that straddles two pages is two). The
 * pages mm has resident now join as candidates (their next use is their
 * first in the sequence, or never). O(n log n).
 */
struct opt_future *opt_future_new(struct mm_struct *mm, const uint64_t *vpns,
	    size_t n);
void	 opt_future_free(struct opt_future *f);
/* Make f the machine's future (NULL: none; reclaim falls back to lru2q). */
void	 opt_future_attach(struct machine *m, struct opt_future *f);

/*
 * The replay is about to access vpn: its page's next use becomes the
 * one after this access. A vpn other than the expected one means the
 * replay and the future disagree: the future is dropped (false).
 */
bool	 opt_future_access(struct opt_future *f, uint64_t vpn);

/* True when reclaim on this machine can use a future (policy opt). */
bool	 opt_future_known(const struct machine *m);

/*
 * Walking the candidates for one shrink_node call, farthest next use
 * first. opt_next_victim returns the next resident, evictable-looking page
 * of the replaying mm on node nid (NULL at the end) and its entry becomes
 * the cursor's current one; after reclaiming it, opt_victim_evicted drops
 * the entry and records the victim.
 */
struct opt_cursor {
	void		*cur;
	void		*next;
	bool		 started;
};

struct page *opt_next_victim(struct machine *m, int nid, struct opt_cursor *c);
void	 opt_victim_evicted(struct machine *m, struct opt_cursor *c);
/* Why the cursor's current page was chosen, for the reclaim event. */
const char *opt_victim_why(const struct opt_cursor *c);

/* What reclaim did with the future: victims in order, as vpns. */
size_t	 opt_future_victims(const struct opt_future *f, const uint64_t **vpns);
/* How many victims were never used again in the trace. */
size_t	 opt_future_never_again(const struct opt_future *f);
/* False once dropped by a disagreeing access. */
bool	 opt_future_valid(const struct opt_future *f);

/*
 * Check the tree: ordered by next use, every entry's key equal to its
 * page's next use after the current position. 0, or -1 with why.
 */
int	 opt_future_validate(const struct opt_future *f, char *why,
	    size_t whylen);

#endif
