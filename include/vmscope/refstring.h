/*
 * refstring.h - the classroom page-replacement simulator: a fixed number
 * of frames, a stream of page numbers, and a policy that picks the victim
 * on a miss. It knows nothing of processes, zones or page tables; it is
 * what `refstring`, `exercise policy`, `vmscope ostep` and the benchmark
 * run, and what the machine's reclaim policy is named after.
 *
 * Every policy costs O(1) or O(log frames) per reference:
 *   fifo   a list in load order; the victim is its head.
 *   lru    a list in recency order; a hit moves the page to the tail.
 *   clock  second chance: frames in a circle with a referenced bit each and
 *          a hand; the hand clears set bits until it finds a clear one.
 *          Amortised O(1): every bit it clears was set by one reference.
 *   opt    Belady: the victim is the page used again farthest in the future
 *          (never again counts as farthest). The next uses are computed
 *          once from the whole string (refsim_set_future), and the resident
 *          pages sit in a heap keyed by their next use.
 *   lru2q  Linux's two lists, simplified: a new page enters the inactive
 *          list; a hit on an inactive page activates it; the active list
 *          may hold at most half the frames, so activating one page past
 *          that deactivates the oldest active page (to the inactive list's
 *          young end); the victim is the oldest inactive page. A hit on an
 *          active page makes it the youngest active one.
 *
 * And the policies of OSTEP's paging-policy.py, for `vmscope ostep`:
 *   mru    like lru, but the victim is the most recently used page.
 *   unopt  the pessimal policy: the victim is the page used soonest.
 *   rand   a uniformly random resident page (Python's random stream).
 *   ostep-clock  paging-policy.py's CLOCK: a counter per page that each
 *          reference raises (up to clockbits); the "hand" is a random
 *          pick that decrements a non-zero counter and evicts at zero.
 *
 * Ties in opt (several pages never used again): the one loaded last is
 * evicted, as paging-policy.py does; any choice is optimal. In unopt the
 * one loaded first.
 */
#ifndef VMSCOPE_REFSTRING_H
#define VMSCOPE_REFSTRING_H

#include "vmscope/compiler.h"

/* The first five match enum reclaim_policy (machine.h) value for value. */
enum refsim_policy {
	REFSIM_LRU2Q,
	REFSIM_FIFO,
	REFSIM_LRU,
	REFSIM_CLOCK,
	REFSIM_OPT,
	REFSIM_MRU,
	REFSIM_UNOPT,
	REFSIM_RAND,
	REFSIM_OSTEP_CLOCK,
	NR_REFSIM_POLICIES
};

#define NR_CLASSIC_POLICIES	(REFSIM_OPT + 1)	/* what `policy` takes */
#define REFSIM_NEVER		((unsigned long)-1)	/* no next use */

extern const char *const refsim_policy_names[NR_REFSIM_POLICIES];

/* "fifo" -> REFSIM_FIFO, case-insensitive; -1 when unknown. */
int	 refsim_policy_lookup(const char *name);
/* True when the policy needs refsim_set_future() before the first step. */
bool	 refsim_policy_needs_future(enum refsim_policy p);

/*
 * Python's random module (MT19937 seeded from an integer as random.seed(n)
 * does), so rand and ostep-clock draw exactly the numbers paging-policy.py
 * draws.
 */
struct py_random {
	uint32_t	 mt[624];
	int		 mti;
};

void	 py_random_seed(struct py_random *r, uint64_t seed);
double	 py_random_random(struct py_random *r);	/* random.random() */

/* What one reference did. */
struct refsim_result {
	bool		 hit;
	bool		 evicted;	/* a miss with every frame in use */
	uint64_t	 victim;
	/* About the victim, for explanations (reference indexes from 0): */
	unsigned long	 victim_loaded;	/* when it was brought in */
	unsigned long	 victim_used;	/* its last reference */
	unsigned long	 victim_next;	/* its next use, or REFSIM_NEVER */
	unsigned	 cleared;	/* clock: bits the hand cleared first */
	bool		 activated;	/* lru2q: the hit moved it to active */
	bool		 deactivated;	/* lru2q: an active page was demoted */
	uint64_t	 demoted;	/* ... this one */
};

/* One resident page as the policy orders them (refsim_frames). */
struct refsim_frame {
	uint64_t	 page;
	bool		 referenced;	/* clock: the bit; ostep-clock: count > 0 */
	unsigned	 count;		/* ostep-clock: the counter */
	bool		 hand;		/* clock: the hand points here */
	bool		 active;	/* lru2q: on the active list */
	bool		 empty;		/* clock: a slot not used yet */
	unsigned long	 next_use;	/* opt/unopt: next reference index */
};

struct refsim;

/* A simulator with nframes (>= 1) frames, all empty. */
struct refsim *refsim_new(enum refsim_policy policy, unsigned nframes);
void	 refsim_free(struct refsim *sim);
/* Back to empty frames and reference 0; the future (if any) is kept. */
void	 refsim_reset(struct refsim *sim);

/*
 * Give the whole reference string (the simulator keeps a pointer: it must
 * outlive the simulation). Needed by opt and unopt; the steps must then
 * follow it exactly. O(n) expected time.
 */
void	 refsim_set_future(struct refsim *sim, const uint64_t *pages, size_t n);
/* rand and ostep-clock draw from r (not owned); ostep-clock's bit limit. */
void	 refsim_set_random(struct refsim *sim, struct py_random *r);
void	 refsim_set_clockbits(struct refsim *sim, unsigned bits);

/*
 * Reference one page. Returns 0, or -EINVAL when a policy that needs the
 * future was given none or a page other than the next one in it, or rand
 * without a random source.
 */
int	 refsim_step(struct refsim *sim, uint64_t page, struct refsim_result *res);

/*
 * The resident pages in the policy's order: fifo, opt, unopt, rand and
 * ostep-clock by load time (oldest first); lru and mru least recent first;
 * clock by slot with the hand marked (empty slots included); lru2q the
 * inactive list oldest first, then the active list oldest first. Returns
 * the number written (at most max).
 */
size_t	 refsim_frames(const struct refsim *sim, struct refsim_frame *out,
	     size_t max);

enum refsim_policy refsim_policy(const struct refsim *sim);
unsigned refsim_nframes(const struct refsim *sim);
unsigned refsim_resident(const struct refsim *sim);
unsigned long refsim_hits(const struct refsim *sim);
unsigned long refsim_misses(const struct refsim *sim);
unsigned long refsim_time(const struct refsim *sim);	/* references so far */
/* Check every internal invariant; 0, or -1 with the reason in why. */
int	 refsim_validate(const struct refsim *sim, char *why, size_t whylen);

/* Run a whole string; returns the misses (hits through *hits if given). */
unsigned long refsim_run(enum refsim_policy policy, unsigned nframes,
	     const uint64_t *pages, size_t n, unsigned long *hits);

#endif
