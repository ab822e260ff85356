/*
 * opt.c - the future of a replayed trace for `policy opt` (opt.h). The
 * replay (src/cmd/cmd-trace.c) builds it from the trace before playing
 * it and advances it access by access; shrink_node (vmscan.c) walks its
 * candidates, farthest next use first; refstring.c is the same policy on
 * a bare reference string, and the two agree on the tie rule.
 *
 * Each distinct virtual page of the trace has one entry; pages the mm had
 * resident before the replay and the trace never names get one too. An
 * entry is in the tree from the access that makes its page resident until
 * reclaim evicts it, or until reclaim finds the page gone (lazily: nobody
 * tells us when lru2q or an unmap takes it, so the check is a page-table
 * walk when the entry comes up as a candidate).
 *
 *   seq[i]   the vpn of access i           (the trace, as accesses)
 *   next[i]  the index of the next access to seq[i], or REFSIM_NEVER
 *   ids[i]   the entry of seq[i]
 *
 * An access at position i re-keys its entry with next[i]: after it, the
 * page is next needed at next[i]. The tree's first node is the victim.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "vmscope/lru.h"
#include "vmscope/machine.h"
#include "vmscope/mm.h"
#include "vmscope/opt.h"
#include "vmscope/pgtable.h"
#include "vmscope/rbtree.h"
#include "vmscope/refstring.h"

struct opt_entry {
	struct rb_node	 rb;
	uint64_t	 vpn;
	unsigned long	 next_use;	/* access index, or REFSIM_NEVER */
	unsigned long	 loaded;	/* when it became resident (ties) */
	bool		 in_tree;
};

struct opt_future {
	struct machine	*m;
	struct mm_struct *mm;
	size_t		 n, pos;	/* accesses, and the next one */
	uint64_t	*seq;
	unsigned long	*next;
	size_t		*ids;
	struct opt_entry *ents;
	size_t		 nents;
	size_t		 cur;		/* entry of the access in progress */
	bool		 have_cur;
	struct rb_root	 root;
	unsigned long	 clock;		/* loads so far */
	bool		 valid;
	uint64_t	*victims;
	size_t		 nvictims, cap;
	size_t		 never_again;
};

struct vpn_pos {
	uint64_t	 vpn;
	size_t		 pos;
};

static int cmp_vpn_pos(const void *a, const void *b)
{
	const struct vpn_pos *x = a, *y = b;

	if (x->vpn != y->vpn)
		return x->vpn < y->vpn ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/*
 * The eviction order: the farther next use first; among pages never used
 * again, the one loaded last (refstring's rule: any choice is optimal, this
 * one makes the machine and `refstring` name the same victims).
 */
static bool evict_before(const struct opt_entry *a, const struct opt_entry *b)
{
	if (a->next_use != b->next_use)
		return a->next_use > b->next_use;
	return a->loaded > b->loaded;
}

static void tree_insert(struct opt_future *f, struct opt_entry *e)
{
	struct rb_node **link = &f->root.rb_node, *parent = NULL;

	while (*link != NULL) {
		parent = *link;
		if (evict_before(e, rb_entry(parent, struct opt_entry, rb)))
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&e->rb, parent, link);
	rb_insert_color(&e->rb, &f->root);
	e->in_tree = true;
}

static void tree_erase(struct opt_future *f, struct opt_entry *e)
{
	rb_erase(&e->rb, &f->root);
	RB_CLEAR_NODE(&e->rb);
	e->in_tree = false;
}

/* The resident order-0 LRU page mapped at vpn in the future's mm, or NULL. */
static struct page *resident_page(struct opt_future *f, uint64_t vpn)
{
	struct mm_struct *mm = f->mm;
	struct pt_walk w;
	struct page *page;

	if (mm->pgt == NULL)
		return NULL;
	if (pgtable_walk(mm->pgt, vpn << mm->page_shift, 0, &w) != WALK_MAPPED ||
	    w.page_shift != mm->page_shift || w.pfn >= f->m->max_pfn)
		return NULL;
	page = pfn_to_page(f->m, w.pfn);
	if (!PageLRU(page) || PageFlag(page, PG_head) ||
	    PageFlag(page, PG_tail))
		return NULL;
	return page;
}

struct seed_arg {
	unsigned	 shift;
	uint64_t	*vpns;
	size_t		 n, cap;
};

static int seed_collect(struct pgtable *pgt, uint64_t addr, uint64_t *ptep,
    int level, unsigned shift, void *arg)
{
	struct seed_arg *sa = arg;

	(void)pgt;
	(void)level;
	if (!pte_present(*ptep) || shift != sa->shift)
		return 0;
	if (sa->n == sa->cap) {
		sa->cap = sa->cap ? sa->cap * 2 : 64;
		sa->vpns = xrealloc(sa->vpns, sa->cap * sizeof(*sa->vpns));
	}
	sa->vpns[sa->n++] = addr >> shift;
	return 0;
}

struct opt_future *opt_future_new(struct mm_struct *mm, const uint64_t *vpns,
    size_t n)
{
	struct opt_future *f = xcalloc(1, sizeof(*f));
	struct vpn_pos *vp = xcalloc(n + 1, sizeof(*vp));
	struct seed_arg sa = { mm->page_shift, NULL, 0, 0 };
	size_t i, nu = 0, nextra = 0;
	uint64_t *uvpn;
	size_t *first;

	f->m = mm->machine;
	f->mm = mm;
	f->n = n;
	f->valid = true;
	f->root = RB_ROOT;
	f->seq = xcalloc(n + 1, sizeof(*f->seq));
	f->next = xcalloc(n + 1, sizeof(*f->next));
	f->ids = xcalloc(n + 1, sizeof(*f->ids));
	memcpy(f->seq, vpns, n * sizeof(*vpns));
	for (i = 0; i < n; i++) {
		vp[i].vpn = vpns[i];
		vp[i].pos = i;
	}
	/* sorted by page then position: each run is one page's accesses */
	qsort(vp, n, sizeof(*vp), cmp_vpn_pos);
	uvpn = xcalloc(n + 1, sizeof(*uvpn));
	first = xcalloc(n + 1, sizeof(*first));
	for (i = 0; i < n; i++) {
		if (i == 0 || vp[i].vpn != vp[i - 1].vpn) {
			uvpn[nu] = vp[i].vpn;
			first[nu++] = vp[i].pos;
		}
		f->ids[vp[i].pos] = nu - 1;
		f->next[vp[i].pos] = i + 1 < n && vp[i + 1].vpn == vp[i].vpn ?
		    vp[i + 1].pos : REFSIM_NEVER;
	}
	free(vp);

	/* what is resident now: candidates from the start */
	if (mm->pgt != NULL)
		walk_page_range(mm->pgt, 0, mm->task_size, seed_collect, &sa);
	for (i = 0; i < sa.n; i++) {
		if (bsearch(&sa.vpns[i], uvpn, nu, sizeof(*uvpn), cmp_u64) ==
		    NULL)
			nextra++;
	}
	f->nents = nu + nextra;
	f->ents = xcalloc(f->nents + 1, sizeof(*f->ents));
	for (i = 0; i < nu; i++) {
		f->ents[i].vpn = uvpn[i];
		RB_CLEAR_NODE(&f->ents[i].rb);
	}
	nextra = nu;
	for (i = 0; i < sa.n; i++) {
		uint64_t *hit = bsearch(&sa.vpns[i], uvpn, nu, sizeof(*uvpn),
		    cmp_u64);
		struct opt_entry *e;

		if (hit != NULL) {
			e = &f->ents[hit - uvpn];
			e->next_use = first[hit - uvpn];
		} else {
			e = &f->ents[nextra++];
			e->vpn = sa.vpns[i];
			e->next_use = REFSIM_NEVER;
		}
		e->loaded = ++f->clock;
		tree_insert(f, e);
	}
	free(sa.vpns);
	free(uvpn);
	free(first);
	return f;
}

void opt_future_free(struct opt_future *f)
{
	if (f == NULL)
		return;
	if (f->m != NULL && f->m->opt_future == f)
		f->m->opt_future = NULL;
	free(f->seq);
	free(f->next);
	free(f->ids);
	free(f->ents);
	free(f->victims);
	free(f);
}

void opt_future_attach(struct machine *m, struct opt_future *f)
{
	m->opt_future = f;
	if (f != NULL)
		f->m = m;
}

bool opt_future_access(struct opt_future *f, uint64_t vpn)
{
	struct opt_entry *e;

	if (f == NULL || !f->valid)
		return false;
	if (f->pos >= f->n || f->seq[f->pos] != vpn) {
		/* the replay went another way: no future to trust */
		f->valid = false;
		f->have_cur = false;
		return false;
	}
	f->cur = f->ids[f->pos];
	f->have_cur = true;
	e = &f->ents[f->cur];
	if (e->in_tree)
		tree_erase(f, e);
	else
		e->loaded = ++f->clock;
	e->next_use = f->next[f->pos];
	tree_insert(f, e);
	f->pos++;
	return true;
}

bool opt_future_known(const struct machine *m)
{
	return m->cfg.policy == POLICY_OPT && m->opt_future != NULL &&
	    m->opt_future->valid;
}

bool opt_future_valid(const struct opt_future *f)
{
	return f != NULL && f->valid;
}

struct page *opt_next_victim(struct machine *m, int nid, struct opt_cursor *c)
{
	struct opt_future *f = m->opt_future;
	struct rb_node *node, *next;

	if (!opt_future_known(m))
		return NULL;
	node = c->started ? c->next : rb_first(&f->root);
	c->started = true;
	for (; node != NULL; node = next) {
		struct opt_entry *e = rb_entry(node, struct opt_entry, rb);
		struct page *page;

		next = rb_next(node);
		/* the page being faulted in is not a victim of its own fault */
		if (f->have_cur && e == &f->ents[f->cur])
			continue;
		page = resident_page(f, e->vpn);
		if (page == NULL) {
			tree_erase(f, e);	/* it left behind our back */
			continue;
		}
		if (page_to_nid(page) != nid)
			continue;
		c->cur = e;
		c->next = next;
		return page;
	}
	c->cur = NULL;
	c->next = NULL;
	return NULL;
}

void opt_victim_evicted(struct machine *m, struct opt_cursor *c)
{
	struct opt_future *f = m->opt_future;
	struct opt_entry *e = c->cur;

	if (f == NULL || e == NULL)
		return;
	if (e->in_tree)
		tree_erase(f, e);
	if (f->nvictims == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->victims = xrealloc(f->victims, f->cap * sizeof(*f->victims));
	}
	f->victims[f->nvictims++] = e->vpn;
	if (e->next_use == REFSIM_NEVER)
		f->never_again++;
	c->cur = NULL;
}

const char *opt_victim_why(const struct opt_cursor *c)
{
	const struct opt_entry *e = c->cur;

	if (e != NULL && e->next_use == REFSIM_NEVER)
		return "opt: never used again in the trace";
	return "opt: used again farthest ahead in the trace";
}

size_t opt_future_victims(const struct opt_future *f, const uint64_t **vpns)
{
	*vpns = f->victims;
	return f->nvictims;
}

size_t opt_future_never_again(const struct opt_future *f)
{
	return f->never_again;
}

int opt_future_validate(const struct opt_future *f, char *why, size_t whylen)
{
	const struct opt_entry *prev = NULL;
	struct rb_node *node;
	size_t in_tree = 0, counted = 0, i;

	for (i = 0; i < f->nents; i++)
		in_tree += f->ents[i].in_tree;
	for (node = rb_first(&f->root); node != NULL; node = rb_next(node)) {
		const struct opt_entry *e = rb_entry(node, struct opt_entry, rb);

		if (!e->in_tree) {
			snprintf(why, whylen, "vpn 0x%llx is in the tree but "
			    "not marked so", (unsigned long long)e->vpn);
			return -1;
		}
		if (prev != NULL && evict_before(e, prev)) {
			snprintf(why, whylen, "vpn 0x%llx is out of order",
			    (unsigned long long)e->vpn);
			return -1;
		}
		if (e->next_use != REFSIM_NEVER && (e->next_use < f->pos ||
		    e->next_use >= f->n || f->seq[e->next_use] != e->vpn)) {
			snprintf(why, whylen, "vpn 0x%llx: next use %lu is not "
			    "an access to it", (unsigned long long)e->vpn,
			    e->next_use);
			return -1;
		}
		prev = e;
		counted++;
	}
	if (counted != in_tree) {
		snprintf(why, whylen, "%zu entries marked in the tree, %zu in it",
		    in_tree, counted);
		return -1;
	}
	return 0;
}
