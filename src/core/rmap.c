/*
 * rmap.c - the reverse map (rmap.h): anon_vma families, the mapcount of
 * each page, and the walks that go from a page back to its PTEs: for
 * reclaim (try_to_unmap, page_referenced, owned by vmscan.c's callers),
 * the `frames` view and the invariant checker. The fault handler
 * (memory.c) and the page-table hooks (memory-hooks.c) call
 * page_add_*_rmap / page_remove_rmap whenever they set or clear a PTE that
 * maps a page.
 *
 * Linux's anon_vma_chain is replaced by a parent pointer and two lists
 * (rmap.h draws it); the walk visits the same VMAs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/compiler.h"
#include "vmscope/filemap.h"
#include "vmscope/machine.h"
#include "vmscope/page_alloc.h"
#include "vmscope/pgtable.h"
#include "vmscope/rmap.h"
#include "vmscope/swap.h"
#include "vmscope/task.h"
#include "vmscope/tlb.h"

/* ------------------------------------------------------------ anon_vma */

static struct anon_vma *anon_vma_alloc(struct mm_struct *mm,
    struct anon_vma *parent)
{
	struct anon_vma *av = xcalloc(1, sizeof(*av));

	av->refcount = 0;
	av->id = mm->machine != NULL ? ++mm->machine->last_anon_vma : 0;
	anon_vma_register(mm->machine, av);
	INIT_LIST_HEAD(&av->vmas);
	INIT_LIST_HEAD(&av->family);
	if (parent == NULL) {
		av->root = av;
		list_add_tail(&av->family_node, &av->family);
	} else {
		/* a child keeps its parent (and so the root) alive */
		av->parent = parent;
		av->root = parent->root;
		parent->refcount++;
		list_add_tail(&av->family_node, &av->root->family);
	}
	return av;
}

void anon_vma_register(struct machine *m, struct anon_vma *av)
{
	if (m != NULL && m->anon_vmas.next != NULL)
		list_add_tail(&av->all_node, &m->anon_vmas);
}

static void anon_vma_put(struct anon_vma *av)
{
	while (av != NULL && --av->refcount == 0) {
		struct anon_vma *parent = av->parent;

		list_del(&av->family_node);
		if (av->all_node.next != NULL)
			list_del(&av->all_node);
		free(av);
		av = parent;
	}
}

void anon_vma_link(struct vm_area_struct *vma, struct anon_vma *av)
{
	if (av == NULL)
		return;
	vma->anon_vma = av;
	av->refcount++;
	list_add_tail(&vma->anon_vma_node, &av->vmas);
}

void unlink_anon_vmas(struct vm_area_struct *vma)
{
	struct anon_vma *av = vma->anon_vma;

	if (av == NULL)
		return;
	list_del(&vma->anon_vma_node);
	vma->anon_vma = NULL;
	anon_vma_put(av);
}

int anon_vma_prepare(struct vm_area_struct *vma)
{
	if (vma->anon_vma == NULL)
		anon_vma_link(vma, anon_vma_alloc(vma->vm_mm, NULL));
	return 0;
}

int anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma)
{
	struct anon_vma *av;

	vma->anon_vma = NULL;
	if (pvma->anon_vma == NULL)
		return 0;
	av = anon_vma_alloc(vma->vm_mm, pvma->anon_vma);
	/* vma_merge must not join it with a VMA that lacks the parent's */
	av->forked = true;
	anon_vma_link(vma, av);
	return 0;
}

/* Whether anon_vma x is av or descends from it (then its VMAs may map av's pages). */
static bool anon_vma_descends(const struct anon_vma *x,
    const struct anon_vma *av)
{
	for (; x != NULL; x = x->parent) {
		if (x == av)
			return true;
	}
	return false;
}

/* ------------------------------------------------------------ mapcount */

static uint64_t linear_page_index(const struct vm_area_struct *vma,
    uint64_t addr)
{
	return vma->vm_pgoff + ((addr - vma->vm_start) >> vma->vm_mm->page_shift);
}

/*
 * __folio_set_anon: the page belongs to vma's anon_vma when only this
 * VMA can map it, else to the root of the family, which every VMA that
 * may hold a copy of its swap entry descends from, so that rmap_walk
 * visits them all.
 */
static void __page_set_anon_rmap(struct page *page,
    struct vm_area_struct *vma, uint64_t addr, bool exclusive)
{
	struct anon_vma *av = vma->anon_vma;

	SetPageFlag(page, PG_anon);
	SetPageFlag(page, PG_swapbacked);
	page->mapping = exclusive ? av : av->root;
	page->index = (unsigned long)linear_page_index(vma, addr);
}

void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma,
    uint64_t addr)
{
	__page_set_anon_rmap(page, vma, addr, true);
	page->_mapcount = 0;
}

void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma,
    uint64_t addr, bool exclusive)
{
	/*
	 * The first mapping takes the anon_vma from the VMA that maps it.
	 * What page->mapping held while nobody mapped the page is not
	 * trusted: an unmapped page holds no reference on its anon_vma
	 * (Linux neither), so the family it was made in may be gone.
	 */
	if (++page->_mapcount == 0)
		__page_set_anon_rmap(page, vma, addr, exclusive);
}

void page_add_file_rmap(struct page *page)
{
	page->_mapcount++;
}

void page_remove_rmap(struct page *page)
{
	page->_mapcount--;
}

/* ------------------------------------------------------------ walking */

static bool page_is_huge(const struct page *page)
{
	return PageFlag(page, PG_head) && page->private > 0;
}

/* The leaf entry vma's page table has for addr, at the size page needs. */
static uint64_t *vma_leaf(struct vm_area_struct *vma, struct page *page,
    uint64_t addr, unsigned *shift)
{
	struct pgtable *pgt = vma->vm_mm->pgt;
	struct machine *m;

	if (pgt == NULL)
		return NULL;
	m = pgt->m;
	if (page_is_huge(page)) {
		int hl = pt_huge_level(m);

		if (hl < 0)
			return NULL;
		*shift = pt_level_shift(m, hl);
		return pmd_offset(pgt, addr);
	}
	*shift = m->arch.page_shift;
	return pte_offset(pgt, addr);
}

/* Try one VMA: does it map page, and where? */
static int rmap_one(struct machine *m, struct page *page,
    struct vm_area_struct *vma, rmap_one_fn *fn, void *arg)
{
	uint64_t npages = vma_pages(vma), addr, *ep;
	unsigned long pfn = page_to_pfn(m, page);
	struct rmap_hit hit;
	unsigned shift = 0;

	if (page->index < vma->vm_pgoff || page->index >= vma->vm_pgoff + npages)
		return 0;
	addr = vma->vm_start +
	    ((page->index - vma->vm_pgoff) << vma->vm_mm->page_shift);
	ep = vma_leaf(vma, page, addr, &shift);
	if (ep == NULL || !pte_present(*ep) || pte_pfn(*ep) != pfn)
		return 0;
	if (page_is_huge(page) != pte_huge(*ep))
		return 0;
	hit.vma = vma;
	hit.addr = addr;
	hit.ptep = ep;
	hit.shift = shift;
	return fn(m, page, &hit, arg);
}

static int rmap_walk_anon(struct machine *m, struct page *page,
    rmap_one_fn *fn, void *arg)
{
	struct anon_vma *av = page->mapping, *x;
	struct vm_area_struct *vma;
	int rc;

	list_for_each_entry(x, &av->root->family, family_node) {
		if (!anon_vma_descends(x, av))
			continue;
		list_for_each_entry(vma, &x->vmas, anon_vma_node) {
			if ((rc = rmap_one(m, page, vma, fn, arg)) != 0)
				return rc;
		}
	}
	return 0;
}

/*
 * Linux looks the file's VMAs up in mapping->i_mmap; vmscope scans every
 * process's VMA list for the ones mapping this file.
 */
static int rmap_walk_file(struct machine *m, struct page *page,
    rmap_one_fn *fn, void *arg)
{
	struct address_space *as = page->mapping;
	struct task_struct *t;
	struct vm_area_struct *vma;
	int rc;

	list_for_each_entry(t, &m->tasks, tasks) {
		if (t->mm == NULL)
			continue;
		for (vma = t->mm->mmap; vma != NULL; vma = vma->vm_next) {
			if (vma->vm_file == NULL || vma->vm_file != as->host)
				continue;
			if ((rc = rmap_one(m, page, vma, fn, arg)) != 0)
				return rc;
		}
	}
	return 0;
}

int rmap_walk(struct machine *m, struct page *page, rmap_one_fn *fn,
    void *arg)
{
	if (!page_mapped(page) || page->mapping == NULL)
		return 0;
	if (PageAnon(page))
		return rmap_walk_anon(m, page, fn, arg);
	return rmap_walk_file(m, page, fn, arg);
}

static int count_one(struct machine *m, struct page *page,
    const struct rmap_hit *hit, void *arg)
{
	(void)m;
	(void)page;
	(void)hit;
	(*(int *)arg)++;
	return 0;
}

int page_count_mappings(struct machine *m, struct page *page)
{
	int n = 0;

	rmap_walk(m, page, count_one, &n);
	return n;
}

/* ------------------------------------------------------------ reclaim */

static void rmap_emit(struct machine *m, enum event_kind kind,
    const struct rmap_hit *hit, unsigned long pfn, const char *what)
{
	struct vm_event ev;

	if (m->ev.muted)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.pid = hit->vma->vm_mm->owner_pid;
	ev.addr = hit->addr;
	ev.pfn = pfn;
	ev.str = what;
	machine_emit(m, &ev);
}

struct referenced_arg {
	int		 referenced;
	unsigned long	 vm_flags;
};

static int referenced_one(struct machine *m, struct page *page,
    const struct rmap_hit *hit, void *arg)
{
	struct referenced_arg *ra = arg;
	struct pgtable *pgt = hit->vma->vm_mm->pgt;

	if (!pte_young(*hit->ptep))
		return 0;
	/* ptep_clear_flush_young: the TLB must not keep the A bit cached */
	*hit->ptep = pte_mkold(*hit->ptep);
	flush_tlb_page(pgt, hit->addr);
	ra->referenced++;
	ra->vm_flags |= hit->vma->vm_flags;
	rmap_emit(m, EV_PAGE_REFERENCED, hit, page_to_pfn(m, page),
	    "accessed bit was set: cleared");
	return 0;
}

int page_referenced(struct machine *m, struct page *page,
    unsigned long *vm_flags)
{
	struct referenced_arg ra = { 0, 0 };

	rmap_walk(m, page, referenced_one, &ra);
	if (vm_flags != NULL)
		*vm_flags = ra.vm_flags;
	return ra.referenced;
}

struct unmap_arg {
	struct swap_entry_arg *entry;
	bool		 failed;
};

static int unmap_one(struct machine *m, struct page *page,
    const struct rmap_hit *hit, void *arg)
{
	struct unmap_arg *ua = arg;
	struct mm_struct *mm = hit->vma->vm_mm;
	uint64_t old;
	bool anon = PageAnon(page);

	if (hit->vma->vm_flags & VM_LOCKED) {
		ua->failed = true;
		return 1;	/* mlocked pages stay */
	}
	if (anon && ua->entry == NULL) {
		ua->failed = true;
		return 1;
	}
	old = ptep_clear_flush(mm->pgt, hit->addr, hit->ptep);
	if (pte_dirty(old))
		SetPageFlag(page, PG_dirty);
	if (anon) {
		set_pte_at(mm->pgt, hit->addr, hit->ptep,
		    swp_entry_to_pte(ua->entry->type, ua->entry->offset));
		mm->rss_stat[MM_ANONPAGES]--;
		mm->rss_stat[MM_SWAPENTS]++;
		ua->entry->nr_installed++;
		rmap_emit(m, EV_RMAP_UNMAP, hit, page_to_pfn(m, page),
		    "anonymous: swap entry installed");
	} else {
		mm->rss_stat[vma_is_shmem(hit->vma) ? MM_SHMEMPAGES :
		    MM_FILEPAGES]--;
		rmap_emit(m, EV_RMAP_UNMAP, hit, page_to_pfn(m, page),
		    "file: PTE cleared, the page cache keeps the page");
	}
	page_remove_rmap(page);
	/* the mapping's reference; the caller still holds its own */
	__free_pages(m, page, 0);
	return 0;
}

bool try_to_unmap(struct machine *m, struct page *page,
    struct swap_entry_arg *entry)
{
	struct unmap_arg ua = { entry, false };

	if (page_is_huge(page) || PageFlag(page, PG_zero))
		return false;	/* hugetlb is not swapped; THP is not split here */
	rmap_walk(m, page, unmap_one, &ua);
	return !page_mapped(page);
}

/* ------------------------------------------------------------ checking */

/* ---- the anon_vma registry ---- */

static int ptr_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;

	return x < y ? -1 : x > y;
}

/*
 * Whether p is a live anon_vma. Only the pointer's value is compared: a
 * freed anon_vma must not be read (AddressSanitizer would rightly stop).
 */
static bool anon_vma_live(void *const *live, size_t n, const void *p)
{
	return bsearch(&p, live, n, sizeof(*live), ptr_cmp) != NULL;
}

static size_t anon_vma_slot(void *const *live, size_t n, const void *p)
{
	void *const *at = bsearch(&p, live, n, sizeof(*live), ptr_cmp);

	return (size_t)(at - live);
}

int validate_anon_vmas(struct machine *m, char *why, size_t whylen)
{
	struct anon_vma *av, *x;
	struct task_struct *t;
	struct vm_area_struct *vma;
	void **live = NULL;
	int *children = NULL;
	size_t n = 0, i, members = 0;
	unsigned long pfn, linked = 0, pointing = 0;
	unsigned type;
	int rc = -1;

	if (m->anon_vmas.next == NULL || m->tasks.next == NULL)
		return 0;	/* a bare machine from a unit test */
	list_for_each_entry(av, &m->anon_vmas, all_node)
		n++;
	live = xcalloc(n ? n : 1, sizeof(*live));
	i = 0;
	list_for_each_entry(av, &m->anon_vmas, all_node)
		live[i++] = av;
	qsort(live, n, sizeof(*live), ptr_cmp);
	for (i = 0; i + 1 < n; i++) {
		if (live[i] == live[i + 1]) {
			why_printf(why, whylen, "anon_vma %lu is registered "
			    "twice", ((struct anon_vma *)live[i])->id);
			goto out;
		}
	}

	/* each one: its family, and a refcount of its VMAs and children */
	children = xcalloc(n ? n : 1, sizeof(*children));
	list_for_each_entry(av, &m->anon_vmas, all_node) {
		if (av->parent != NULL && anon_vma_live(live, n, av->parent))
			children[anon_vma_slot(live, n, av->parent)]++;
	}
	list_for_each_entry(av, &m->anon_vmas, all_node) {
		int refs = 0;

		if (!anon_vma_live(live, n, av->root) ||
		    (av->parent != NULL && (!anon_vma_live(live, n, av->parent) ||
		    av->parent->root != av->root)) ||
		    (av->parent == NULL && av->root != av)) {
			why_printf(why, whylen, "anon_vma %lu: its parent or root "
			    "is not a live anon_vma of its family", av->id);
			goto out;
		}
		list_for_each_entry(vma, &av->vmas, anon_vma_node) {
			if (vma->anon_vma != av) {
				why_printf(why, whylen, "anon_vma %lu lists a VMA "
				    "at 0x%llx that points elsewhere", av->id,
				    (unsigned long long)vma->vm_start);
				goto out;
			}
			refs++;
			linked++;
		}
		refs += children[anon_vma_slot(live, n, av)];
		if (refs != av->refcount || refs == 0) {
			why_printf(why, whylen, "anon_vma %lu: refcount %d but %d "
			    "VMAs and children hold it", av->id, av->refcount,
			    refs);
			goto out;
		}
		if (av->root == av) {
			list_for_each_entry(x, &av->family, family_node) {
				if (!anon_vma_live(live, n, x) || x->root != av) {
					why_printf(why, whylen, "anon_vma %lu: its "
					    "family lists a stranger", av->id);
					goto out;
				}
				members++;
			}
		}
	}
	if (members != n) {
		why_printf(why, whylen, "%zu anon_vmas are live but the families "
		    "list %zu", n, members);
		goto out;
	}

	/* every VMA's anon_vma is live and lists it */
	list_for_each_entry(t, &m->tasks, tasks) {
		if (t->mm == NULL)
			continue;
		for (vma = t->mm->mmap; vma != NULL; vma = vma->vm_next) {
			if (vma->anon_vma == NULL)
				continue;
			if (!anon_vma_live(live, n, vma->anon_vma)) {
				why_printf(why, whylen, "pid %d VMA 0x%llx: its "
				    "anon_vma was freed", t->pid,
				    (unsigned long long)vma->vm_start);
				goto out;
			}
			pointing++;
		}
	}
	if (pointing != linked) {
		why_printf(why, whylen, "%lu VMAs have an anon_vma but the "
		    "anon_vmas list %lu", pointing, linked);
		goto out;
	}

	/* no page and no swap slot remembers one that is gone */
	for (pfn = 0; pfn < m->max_pfn; pfn++) {
		struct page *page = pfn_to_page(m, pfn);

		if (!PageFlag(page, PG_anon) || page->mapping == NULL ||
		    PageBuddy(page))
			continue;
		if (!anon_vma_live(live, n, page->mapping)) {
			why_printf(why, whylen, "pfn 0x%lx (%s) points at an "
			    "anon_vma that was freed", pfn, page_mapped(page) ?
			    "mapped" : PageFlag(page, PG_swapcache) ?
			    "in the swap cache, unmapped" : "unmapped");
			goto out;
		}
	}
	for (type = 0; type < MAX_SWAP_AREAS; type++) {
		struct swap_info_struct *si = m->swap_info[type];
		unsigned long off;

		if (si == NULL)
			continue;
		for (off = 1; off < si->max; off++) {
			if (si->owner[off] != NULL &&
			    !anon_vma_live(live, n, si->owner[off])) {
				why_printf(why, whylen, "%s slot %lu remembers an "
				    "anon_vma that was freed", si->name, off);
				goto out;
			}
		}
	}
	rc = 0;
out:
	free(children);
	free(live);
	return rc;
}

/* Per frame: PTEs found by walking every page table. */
struct census {
	struct machine	*m;
	int		*ptes;
	int		 pid;
	char		*why;
	size_t		 whylen;
};

static int census_one(struct pgtable *pgt, uint64_t addr, uint64_t *ptep,
    int level, unsigned shift, void *arg)
{
	struct census *c = arg;
	unsigned long pfn;
	struct page *page;

	(void)pgt;
	(void)level;
	(void)shift;
	if (!pte_present(*ptep))
		return 0;
	pfn = pte_pfn(*ptep);
	if (pfn >= c->m->max_pfn)
		return why_printf(c->why, c->whylen, "pid %d 0x%llx maps pfn "
		    "0x%lx beyond memory", c->pid, (unsigned long long)addr, pfn);
	page = pfn_to_page(c->m, pfn);
	if (PageFlag(page, PG_zero))
		return 0;
	c->ptes[pfn]++;
	return 0;
}

int validate_rmap(struct machine *m, char *why, size_t whylen)
{
	struct census c = { m, NULL, 0, why, whylen };
	struct task_struct *t;
	unsigned long pfn;
	int rc = 0;

	if (validate_anon_vmas(m, why, whylen) != 0)
		return -1;
	c.ptes = xcalloc(m->max_pfn, sizeof(int));
	list_for_each_entry(t, &m->tasks, tasks) {
		if (t->mm == NULL || t->mm->pgt == NULL)
			continue;
		c.pid = t->pid;
		rc = walk_page_range(t->mm->pgt, 0, t->mm->task_size, census_one,
		    &c);
		if (rc != 0)
			goto out;
	}
	for (pfn = 0; pfn < m->max_pfn; pfn++) {
		struct page *page = pfn_to_page(m, pfn);
		int n;

		if (PageFlag(page, PG_tail) || PageFlag(page, PG_zero) ||
		    PageFlag(page, PG_pgtable))
			continue;
		if (page_mapcount(page) != c.ptes[pfn]) {
			rc = why_printf(why, whylen, "pfn 0x%lx: mapcount %d but "
			    "%d PTEs map it", pfn, page_mapcount(page),
			    c.ptes[pfn]);
			goto out;
		}
		if (c.ptes[pfn] == 0)
			continue;
		if (page->_refcount < c.ptes[pfn]) {
			rc = why_printf(why, whylen, "pfn 0x%lx: refcount %d "
			    "below its %d mappings", pfn, page->_refcount,
			    c.ptes[pfn]);
			goto out;
		}
		if (page->mapping == NULL) {
			rc = why_printf(why, whylen, "pfn 0x%lx is mapped but "
			    "has no reverse map (no anon_vma or file)", pfn);
			goto out;
		}
		n = page_count_mappings(m, page);
		if (n != c.ptes[pfn]) {
			rc = why_printf(why, whylen, "pfn 0x%lx: rmap_walk finds "
			    "%d of its %d mappings", pfn, n, c.ptes[pfn]);
			goto out;
		}
	}
out:
	free(c.ptes);
	return rc;
}
