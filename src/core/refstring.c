/*
 * refstring.c - the reference-string simulator behind `refstring`, the
 * policy exercise, `vmscope ostep` and bench/bench_refstring: frames as
 * slots, a hash map from page number to slot, intrusive index lists for
 * the orders (load, recency, active/inactive), a circular hand for clock
 * and an indexed binary heap keyed by next use for opt and unopt. The
 * policies and their rules are described in refstring.h.
 *
 * Also here: Python's random.random() (MT19937 with random.seed(int)'s key
 * schedule), so rand and OSTEP's CLOCK replay paging-policy.py's draws.
 *
 * Nothing here prints; callers render refsim_frames() themselves.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vmscope/refstring.h"

const char *const refsim_policy_names[NR_REFSIM_POLICIES] = {
	[REFSIM_LRU2Q]		= "lru2q",
	[REFSIM_FIFO]		= "fifo",
	[REFSIM_LRU]		= "lru",
	[REFSIM_CLOCK]		= "clock",
	[REFSIM_OPT]		= "opt",
	[REFSIM_MRU]		= "mru",
	[REFSIM_UNOPT]		= "unopt",
	[REFSIM_RAND]		= "rand",
	[REFSIM_OSTEP_CLOCK]	= "ostep-clock",
};

int refsim_policy_lookup(const char *name)
{
	for (int i = 0; i < NR_REFSIM_POLICIES; i++) {
		if (strcasecmp(name, refsim_policy_names[i]) == 0)
			return i;
	}
	return -1;
}

bool refsim_policy_needs_future(enum refsim_policy p)
{
	return p == REFSIM_OPT || p == REFSIM_UNOPT;
}

/* ------------------------------------------------------------------ */
/* Python-compatible MT19937.                                          */

#define MT_N	624
#define MT_M	397

static void mt_init_genrand(struct py_random *r, uint32_t s)
{
	r->mt[0] = s;
	for (int i = 1; i < MT_N; i++) {
		r->mt[i] = 1812433253U * (r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) +
		    (uint32_t)i;
	}
	r->mti = MT_N;
}

/*
 * random.seed(n) for an integer n >= 0: the key is n cut into 32-bit words,
 * least significant first ([0] for zero), fed to init_by_array.
 */
void py_random_seed(struct py_random *r, uint64_t seed)
{
	uint32_t key[2];
	int keylen = 0, i = 1, j = 0, k;

	key[keylen++] = (uint32_t)seed;
	if (seed >> 32)
		key[keylen++] = (uint32_t)(seed >> 32);
	mt_init_genrand(r, 19650218U);
	for (k = MT_N > keylen ? MT_N : keylen; k > 0; k--) {
		r->mt[i] = (r->mt[i] ^ ((r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) *
		    1664525U)) + key[j] + (uint32_t)j;
		i++;
		j++;
		if (i >= MT_N) {
			r->mt[0] = r->mt[MT_N - 1];
			i = 1;
		}
		if (j >= keylen)
			j = 0;
	}
	for (k = MT_N - 1; k > 0; k--) {
		r->mt[i] = (r->mt[i] ^ ((r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) *
		    1566083941U)) - (uint32_t)i;
		i++;
		if (i >= MT_N) {
			r->mt[0] = r->mt[MT_N - 1];
			i = 1;
		}
	}
	r->mt[0] = 0x80000000U;
	r->mti = MT_N;
}

static uint32_t mt_genrand(struct py_random *r)
{
	static const uint32_t mag01[2] = { 0, 0x9908b0dfU };
	uint32_t y;

	if (r->mti >= MT_N) {
		int kk;

		for (kk = 0; kk < MT_N - MT_M; kk++) {
			y = (r->mt[kk] & 0x80000000U) | (r->mt[kk + 1] & 0x7fffffffU);
			r->mt[kk] = r->mt[kk + MT_M] ^ (y >> 1) ^ mag01[y & 1];
		}
		for (; kk < MT_N - 1; kk++) {
			y = (r->mt[kk] & 0x80000000U) | (r->mt[kk + 1] & 0x7fffffffU);
			r->mt[kk] = r->mt[kk + (MT_M - MT_N)] ^ (y >> 1) ^ mag01[y & 1];
		}
		y = (r->mt[MT_N - 1] & 0x80000000U) | (r->mt[0] & 0x7fffffffU);
		r->mt[MT_N - 1] = r->mt[MT_M - 1] ^ (y >> 1) ^ mag01[y & 1];
		r->mti = 0;
	}
	y = r->mt[r->mti++];
	y ^= y >> 11;
	y ^= (y << 7) & 0x9d2c5680U;
	y ^= (y << 15) & 0xefc60000U;
	y ^= y >> 18;
	return y;
}

/* 53 random bits in [0, 1), as CPython's random_random(). */
double py_random_random(struct py_random *r)
{
	uint32_t a = mt_genrand(r) >> 5, b = mt_genrand(r) >> 6;

	return ((double)a * 67108864.0 + (double)b) *
	    (1.0 / 9007199254740992.0);
}

/* ------------------------------------------------------------------ */
/* Page -> value hash map: open addressing, linear probing, deletion by */
/* backward shift (no tombstones, so lookups never slow down).         */

struct pmap {
	uint64_t	*keys;
	long		*vals;		/* -1: empty */
	unsigned	 bits;
	size_t		 n;
};

static size_t pmap_home(const struct pmap *pm, uint64_t key)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> (64 - pm->bits));
}

static void pmap_init(struct pmap *pm, size_t want)
{
	pm->bits = 4;
	while (((size_t)1 << pm->bits) < want * 2)
		pm->bits++;
	pm->keys = xcalloc((size_t)1 << pm->bits, sizeof(*pm->keys));
	pm->vals = xmalloc(sizeof(*pm->vals) << pm->bits);
	memset(pm->vals, 0xff, sizeof(*pm->vals) << pm->bits);
	pm->n = 0;
}

static void pmap_free(struct pmap *pm)
{
	free(pm->keys);
	free(pm->vals);
}

static void pmap_clear(struct pmap *pm)
{
	memset(pm->vals, 0xff, sizeof(*pm->vals) << pm->bits);
	pm->n = 0;
}

static size_t pmap_find(const struct pmap *pm, uint64_t key)
{
	size_t mask = ((size_t)1 << pm->bits) - 1, i = pmap_home(pm, key);

	while (pm->vals[i] != -1 && pm->keys[i] != key)
		i = (i + 1) & mask;
	return i;
}

static long pmap_get(const struct pmap *pm, uint64_t key)
{
	return pm->vals[pmap_find(pm, key)];
}

static void pmap_put(struct pmap *pm, uint64_t key, long val);

static void pmap_grow(struct pmap *pm)
{
	struct pmap old = *pm;
	size_t cap = (size_t)1 << old.bits;

	pm->bits++;
	pm->keys = xcalloc((size_t)1 << pm->bits, sizeof(*pm->keys));
	pm->vals = xmalloc(sizeof(*pm->vals) << pm->bits);
	memset(pm->vals, 0xff, sizeof(*pm->vals) << pm->bits);
	pm->n = 0;
	for (size_t i = 0; i < cap; i++) {
		if (old.vals[i] != -1)
			pmap_put(pm, old.keys[i], old.vals[i]);
	}
	pmap_free(&old);
}

static void pmap_put(struct pmap *pm, uint64_t key, long val)
{
	size_t i;

	if ((pm->n + 1) * 2 > ((size_t)1 << pm->bits))
		pmap_grow(pm);
	i = pmap_find(pm, key);
	if (pm->vals[i] == -1)
		pm->n++;
	pm->keys[i] = key;
	pm->vals[i] = val;
}

static void pmap_del(struct pmap *pm, uint64_t key)
{
	size_t mask = ((size_t)1 << pm->bits) - 1, i = pmap_find(pm, key), j;

	if (pm->vals[i] == -1)
		return;
	pm->n--;
	/*
	 * Pull later entries of the probe run back into the hole unless
	 * their home lies cyclically in (i, j]: they would become
	 * unreachable otherwise.
	 */
	for (j = i;;) {
		size_t k;

		j = (j + 1) & mask;
		if (pm->vals[j] == -1)
			break;
		k = pmap_home(pm, pm->keys[j]);
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		pm->keys[i] = pm->keys[j];
		pm->vals[i] = pm->vals[j];
		i = j;
	}
	pm->vals[i] = -1;
}

/* ------------------------------------------------------------------ */
/* The simulator.                                                      */

struct refsim {
	enum refsim_policy policy;
	unsigned	 nframes;
	unsigned	 nresident;
	unsigned long	 t;		/* references so far */
	unsigned long	 hits;
	unsigned long	 misses;

	/* Per slot. */
	uint64_t	*page;
	unsigned long	*loaded;
	unsigned long	*used;
	unsigned long	*next_use;
	unsigned	*ref;		/* clock bit, ostep-clock counter */
	bool		*active;

	/*
	 * Doubly-linked index lists; entries nframes and nframes + 1 are the
	 * heads of the main list (load or recency order; lru2q's inactive
	 * list) and of lru2q's active list.
	 */
	int		*prev;
	int		*next;
	unsigned	 nactive;

	unsigned	 hand;		/* clock */

	int		*heap;		/* opt, unopt: slots */
	int		*hpos;		/* slot -> index in heap */
	unsigned	 hlen;

	struct pmap	 map;		/* resident page -> slot */

	const uint64_t	*future;
	size_t		 nfuture;
	unsigned long	*nextref;	/* per reference: the next of its page */

	struct py_random *rng;
	unsigned	 clockbits;
};

#define MAIN_HEAD(sim)		((int)(sim)->nframes)
#define ACTIVE_HEAD(sim)	((int)(sim)->nframes + 1)

static void list_init_head(struct refsim *sim, int h)
{
	sim->prev[h] = sim->next[h] = h;
}

static void list_add_tail_idx(struct refsim *sim, int x, int h)
{
	int last = sim->prev[h];

	sim->next[last] = x;
	sim->prev[x] = last;
	sim->next[x] = h;
	sim->prev[h] = x;
}

static void list_del_idx(struct refsim *sim, int x)
{
	sim->next[sim->prev[x]] = sim->next[x];
	sim->prev[sim->next[x]] = sim->prev[x];
	sim->prev[x] = sim->next[x] = -1;
}

/* Is slot a a better victim than slot b? */
static bool heap_above(const struct refsim *sim, int a, int b)
{
	unsigned long na = sim->next_use[a], nb = sim->next_use[b];

	if (sim->policy == REFSIM_OPT) {
		if (na != nb)
			return na > nb;
		return sim->loaded[a] > sim->loaded[b];
	}
	if (na != nb)
		return na < nb;
	return sim->loaded[a] < sim->loaded[b];
}

static void heap_swap(struct refsim *sim, unsigned i, unsigned j)
{
	int a = sim->heap[i], b = sim->heap[j];

	sim->heap[i] = b;
	sim->heap[j] = a;
	sim->hpos[b] = (int)i;
	sim->hpos[a] = (int)j;
}

static void heap_up(struct refsim *sim, unsigned i)
{
	while (i > 0) {
		unsigned parent = (i - 1) / 2;

		if (!heap_above(sim, sim->heap[i], sim->heap[parent]))
			break;
		heap_swap(sim, i, parent);
		i = parent;
	}
}

static void heap_down(struct refsim *sim, unsigned i)
{
	for (;;) {
		unsigned l = 2 * i + 1, r = l + 1, best = i;

		if (l < sim->hlen && heap_above(sim, sim->heap[l], sim->heap[best]))
			best = l;
		if (r < sim->hlen && heap_above(sim, sim->heap[r], sim->heap[best]))
			best = r;
		if (best == i)
			break;
		heap_swap(sim, i, best);
		i = best;
	}
}

static void heap_insert(struct refsim *sim, int slot)
{
	sim->heap[sim->hlen] = slot;
	sim->hpos[slot] = (int)sim->hlen;
	sim->hlen++;
	heap_up(sim, sim->hlen - 1);
}

static int heap_pop(struct refsim *sim)
{
	int top = sim->heap[0];

	sim->hlen--;
	if (sim->hlen > 0) {
		heap_swap(sim, 0, sim->hlen);
		heap_down(sim, 0);
	}
	sim->hpos[top] = -1;
	return top;
}

/* The slot's key changed (opt: its next use only ever moves later). */
static void heap_fix(struct refsim *sim, int slot)
{
	unsigned i = (unsigned)sim->hpos[slot];

	heap_up(sim, i);
	heap_down(sim, (unsigned)sim->hpos[slot]);
}

struct refsim *refsim_new(enum refsim_policy policy, unsigned nframes)
{
	struct refsim *sim = xcalloc(1, sizeof(*sim));
	size_t n = nframes;

	if (nframes == 0)
		nframes = n = 1;
	sim->policy = policy;
	sim->nframes = nframes;
	sim->page = xcalloc(n, sizeof(*sim->page));
	sim->loaded = xcalloc(n, sizeof(*sim->loaded));
	sim->used = xcalloc(n, sizeof(*sim->used));
	sim->next_use = xcalloc(n, sizeof(*sim->next_use));
	sim->ref = xcalloc(n, sizeof(*sim->ref));
	sim->active = xcalloc(n, sizeof(*sim->active));
	sim->prev = xcalloc(n + 2, sizeof(*sim->prev));
	sim->next = xcalloc(n + 2, sizeof(*sim->next));
	sim->heap = xcalloc(n, sizeof(*sim->heap));
	sim->hpos = xcalloc(n, sizeof(*sim->hpos));
	sim->clockbits = 2;	/* paging-policy.py's default */
	pmap_init(&sim->map, n);
	refsim_reset(sim);
	return sim;
}

void refsim_free(struct refsim *sim)
{
	if (sim == NULL)
		return;
	free(sim->page);
	free(sim->loaded);
	free(sim->used);
	free(sim->next_use);
	free(sim->ref);
	free(sim->active);
	free(sim->prev);
	free(sim->next);
	free(sim->heap);
	free(sim->hpos);
	free(sim->nextref);
	pmap_free(&sim->map);
	free(sim);
}

void refsim_reset(struct refsim *sim)
{
	sim->nresident = 0;
	sim->t = sim->hits = sim->misses = 0;
	sim->nactive = 0;
	sim->hand = 0;
	sim->hlen = 0;
	for (unsigned i = 0; i < sim->nframes; i++) {
		sim->prev[i] = sim->next[i] = -1;
		sim->ref[i] = 0;
		sim->active[i] = false;
		sim->hpos[i] = -1;
	}
	list_init_head(sim, MAIN_HEAD(sim));
	list_init_head(sim, ACTIVE_HEAD(sim));
	pmap_clear(&sim->map);
}

/*
 * One backward pass: the last index seen for each page is the next use of
 * the reference before it.
 */
void refsim_set_future(struct refsim *sim, const uint64_t *pages, size_t n)
{
	struct pmap last;

	free(sim->nextref);
	sim->future = pages;
	sim->nfuture = n;
	sim->nextref = xmalloc((n ? n : 1) * sizeof(*sim->nextref));
	pmap_init(&last, 64);
	for (size_t i = n; i-- > 0;) {
		long seen = pmap_get(&last, pages[i]);

		sim->nextref[i] = seen < 0 ? REFSIM_NEVER : (unsigned long)seen;
		pmap_put(&last, pages[i], (long)i);
	}
	pmap_free(&last);
}

void refsim_set_random(struct refsim *sim, struct py_random *r)
{
	sim->rng = r;
}

void refsim_set_clockbits(struct refsim *sim, unsigned bits)
{
	sim->clockbits = bits;
}

/* The k-th slot of the main list (rand and ostep-clock index it). */
static int main_nth(const struct refsim *sim, unsigned k)
{
	int x = sim->next[MAIN_HEAD(sim)];

	while (k-- > 0)
		x = sim->next[x];
	return x;
}

/* Choose and unlink the victim; its slot is returned for reuse. */
static int pick_victim(struct refsim *sim, struct refsim_result *res)
{
	int slot = -1;

	switch (sim->policy) {
	case REFSIM_FIFO:
	case REFSIM_LRU:
	case REFSIM_LRU2Q:
		slot = sim->next[MAIN_HEAD(sim)];
		list_del_idx(sim, slot);
		break;
	case REFSIM_MRU:
		slot = sim->prev[MAIN_HEAD(sim)];
		list_del_idx(sim, slot);
		break;
	case REFSIM_CLOCK:
		while (sim->ref[sim->hand]) {
			sim->ref[sim->hand] = 0;
			sim->hand = (sim->hand + 1) % sim->nframes;
			res->cleared++;
		}
		slot = (int)sim->hand;
		break;
	case REFSIM_OPT:
	case REFSIM_UNOPT:
		slot = heap_pop(sim);
		list_del_idx(sim, slot);
		break;
	case REFSIM_RAND:
		slot = main_nth(sim, (unsigned)(py_random_random(sim->rng) *
		    sim->nresident));
		list_del_idx(sim, slot);
		break;
	case REFSIM_OSTEP_CLOCK:
		for (;;) {
			slot = main_nth(sim, (unsigned)(py_random_random(sim->rng) *
			    sim->nresident));
			if (sim->ref[slot] == 0)
				break;
			sim->ref[slot]--;
			res->cleared++;
		}
		list_del_idx(sim, slot);
		break;
	case NR_REFSIM_POLICIES:
		break;
	}
	res->evicted = true;
	res->victim = sim->page[slot];
	res->victim_loaded = sim->loaded[slot];
	res->victim_used = sim->used[slot];
	res->victim_next = sim->next_use[slot];
	pmap_del(&sim->map, sim->page[slot]);
	return slot;
}

/*
 * lru2q: a second reference promotes a page; the active list is then
 * trimmed to half the frames, as Linux keeps inactive >= active on small
 * machines (inactive_is_low(), ratio 1 below 1 GiB).
 */
static void lru2q_activate(struct refsim *sim, int slot,
    struct refsim_result *res)
{
	list_del_idx(sim, slot);
	list_add_tail_idx(sim, slot, ACTIVE_HEAD(sim));
	sim->active[slot] = true;
	sim->nactive++;
	res->activated = true;
	if (sim->nactive > sim->nframes / 2) {
		int old = sim->next[ACTIVE_HEAD(sim)];

		list_del_idx(sim, old);
		list_add_tail_idx(sim, old, MAIN_HEAD(sim));
		sim->active[old] = false;
		sim->nactive--;
		res->deactivated = true;
		res->demoted = sim->page[old];
	}
}

int refsim_step(struct refsim *sim, uint64_t page, struct refsim_result *res)
{
	struct refsim_result dummy;
	unsigned long t = sim->t;
	long found;
	int slot;

	if (res == NULL)
		res = &dummy;
	memset(res, 0, sizeof(*res));
	if (refsim_policy_needs_future(sim->policy) &&
	    (sim->nextref == NULL || t >= sim->nfuture || sim->future[t] != page))
		return -EINVAL;
	if ((sim->policy == REFSIM_RAND || sim->policy == REFSIM_OSTEP_CLOCK) &&
	    sim->rng == NULL)
		return -EINVAL;

	found = pmap_get(&sim->map, page);
	if (found >= 0) {
		slot = (int)found;
		res->hit = true;
		sim->hits++;
		sim->used[slot] = t;
		switch (sim->policy) {
		case REFSIM_LRU:
		case REFSIM_MRU:
			list_del_idx(sim, slot);
			list_add_tail_idx(sim, slot, MAIN_HEAD(sim));
			break;
		case REFSIM_CLOCK:
			sim->ref[slot] = 1;
			break;
		case REFSIM_OPT:
		case REFSIM_UNOPT:
			sim->next_use[slot] = sim->nextref[t];
			heap_fix(sim, slot);
			break;
		case REFSIM_LRU2Q:
			if (sim->active[slot]) {
				list_del_idx(sim, slot);
				list_add_tail_idx(sim, slot, ACTIVE_HEAD(sim));
			} else {
				lru2q_activate(sim, slot, res);
			}
			break;
		case REFSIM_OSTEP_CLOCK:
			/* paging-policy.py: += 1, capped at clockbits */
			if (++sim->ref[slot] > sim->clockbits)
				sim->ref[slot] = sim->clockbits;
			break;
		default:
			break;
		}
		sim->t++;
		return 0;
	}

	sim->misses++;
	if (sim->nresident == sim->nframes)
		slot = pick_victim(sim, res);
	else
		slot = (int)sim->nresident++;
	sim->page[slot] = page;
	sim->loaded[slot] = t;
	sim->used[slot] = t;
	sim->next_use[slot] = sim->nextref != NULL && t < sim->nfuture ?
	    sim->nextref[t] : REFSIM_NEVER;
	sim->active[slot] = false;
	pmap_put(&sim->map, page, slot);
	switch (sim->policy) {
	case REFSIM_CLOCK:
		/* Just referenced; the hand moves past the frame it filled. */
		sim->ref[slot] = 1;
		if (res->evicted)
			sim->hand = (sim->hand + 1) % sim->nframes;
		break;
	case REFSIM_OPT:
	case REFSIM_UNOPT:
		heap_insert(sim, slot);
		list_add_tail_idx(sim, slot, MAIN_HEAD(sim));
		break;
	case REFSIM_OSTEP_CLOCK:
		sim->ref[slot] = 1;	/* a new page's count starts at 1 */
		list_add_tail_idx(sim, slot, MAIN_HEAD(sim));
		break;
	default:
		list_add_tail_idx(sim, slot, MAIN_HEAD(sim));
		break;
	}
	sim->t++;
	return 0;
}

size_t refsim_frames(const struct refsim *sim, struct refsim_frame *out,
    size_t max)
{
	size_t n = 0;

	if (sim->policy == REFSIM_CLOCK) {
		for (unsigned i = 0; i < sim->nframes && n < max; i++, n++) {
			memset(&out[n], 0, sizeof(out[n]));
			out[n].empty = i >= sim->nresident;
			out[n].page = sim->page[i];
			out[n].referenced = sim->ref[i] != 0;
			out[n].count = sim->ref[i];
			out[n].hand = i == sim->hand;
		}
		return n;
	}
	for (int h = MAIN_HEAD(sim); h <= ACTIVE_HEAD(sim); h++) {
		for (int x = sim->next[h]; x != h && n < max; x = sim->next[x]) {
			memset(&out[n], 0, sizeof(out[n]));
			out[n].page = sim->page[x];
			out[n].count = sim->ref[x];
			out[n].referenced = sim->ref[x] != 0;
			out[n].active = sim->active[x];
			out[n].next_use = sim->next_use[x];
			n++;
		}
	}
	return n;
}

enum refsim_policy refsim_policy(const struct refsim *sim)
{
	return sim->policy;
}

unsigned refsim_nframes(const struct refsim *sim)
{
	return sim->nframes;
}

unsigned refsim_resident(const struct refsim *sim)
{
	return sim->nresident;
}

unsigned long refsim_hits(const struct refsim *sim)
{
	return sim->hits;
}

unsigned long refsim_misses(const struct refsim *sim)
{
	return sim->misses;
}

unsigned long refsim_time(const struct refsim *sim)
{
	return sim->t;
}

#define FAIL(...) do {					\
	snprintf(why, whylen, __VA_ARGS__);		\
	return -1;					\
} while (0)

int refsim_validate(const struct refsim *sim, char *why, size_t whylen)
{
	unsigned listed = 0, active = 0;

	if (sim->nresident > sim->nframes)
		FAIL("%u pages resident in %u frames", sim->nresident,
		    sim->nframes);
	if (sim->hits + sim->misses != sim->t)
		FAIL("hits %lu + misses %lu != references %lu", sim->hits,
		    sim->misses, sim->t);
	if (sim->map.n != sim->nresident)
		FAIL("map holds %zu pages, %u resident", sim->map.n,
		    sim->nresident);
	for (unsigned i = 0; i < sim->nresident; i++) {
		if (pmap_get(&sim->map, sim->page[i]) != (long)i)
			FAIL("page %llu of slot %u is not mapped to it",
			    (unsigned long long)sim->page[i], i);
	}
	if (sim->policy == REFSIM_CLOCK) {
		if (sim->hand >= sim->nframes)
			FAIL("hand %u past %u frames", sim->hand, sim->nframes);
		return 0;
	}
	for (int h = MAIN_HEAD(sim); h <= ACTIVE_HEAD(sim); h++) {
		for (int x = sim->next[h]; x != h; x = sim->next[x]) {
			if (x < 0 || (unsigned)x >= sim->nresident)
				FAIL("list holds slot %d", x);
			if (sim->next[sim->prev[x]] != x)
				FAIL("list links broken at slot %d", x);
			if (sim->active[x] != (h == ACTIVE_HEAD(sim)))
				FAIL("slot %d on the wrong list", x);
			if (++listed > sim->nresident)
				FAIL("list loops");
			active += h == ACTIVE_HEAD(sim);
		}
	}
	if (listed != sim->nresident)
		FAIL("%u slots listed, %u resident", listed, sim->nresident);
	if (active != sim->nactive)
		FAIL("%u active, counted %u", active, sim->nactive);
	if (sim->policy == REFSIM_LRU2Q && sim->nactive > sim->nframes / 2)
		FAIL("%u active of %u frames", sim->nactive, sim->nframes);
	if (sim->policy == REFSIM_OPT || sim->policy == REFSIM_UNOPT) {
		if (sim->hlen != sim->nresident)
			FAIL("heap holds %u of %u", sim->hlen, sim->nresident);
		for (unsigned i = 1; i < sim->hlen; i++) {
			if (heap_above(sim, sim->heap[i], sim->heap[(i - 1) / 2]))
				FAIL("heap order broken at %u", i);
			if (sim->hpos[sim->heap[i]] != (int)i)
				FAIL("heap position of slot %d", sim->heap[i]);
		}
	}
	return 0;
}

unsigned long refsim_run(enum refsim_policy policy, unsigned nframes,
    const uint64_t *pages, size_t n, unsigned long *hits)
{
	struct refsim *sim = refsim_new(policy, nframes);
	unsigned long misses;

	if (refsim_policy_needs_future(policy))
		refsim_set_future(sim, pages, n);
	for (size_t i = 0; i < n; i++)
		refsim_step(sim, pages[i], NULL);
	misses = sim->misses;
	if (hits != NULL)
		*hits = sim->hits;
	refsim_free(sim);
	return misses;
}
