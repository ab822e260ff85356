/*
 * memory-hooks.c - where VMA changes meet pages and page tables (see
 * memory-hooks.h). mmap.c and task.c call these exactly where Linux
 * touches the page tables:
 *
 *   munmap, exit, exec, MADV_DONTNEED  zap_page_range -> zap_pte_range
 *   munmap, exit                       free_pgtables
 *   mprotect                           change_protection
 *   fork                               copy_page_range (copy-on-write)
 *   mremap                             move_page_tables
 *   MAP_POPULATE                       populate_vma_page_range
 *   /proc/PID/smaps, pmap              smaps_pte_range
 *
 * Each keeps the reverse map (rmap.c), page refcounts and the mm's rss
 * counters in step with the entries it changes, and flushes the TLB where
 * Linux does. A transparent huge page that an operation covers only in
 * part is split first (split_huge_page: the 2 MiB block becomes 512
 * ordinary pages, each mapper gets a page table for it).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/compiler.h"
#include "vmscope/filemap.h"
#include "vmscope/memory-hooks.h"
#include "vmscope/memory.h"
#include "vmscope/page_alloc.h"
#include "vmscope/pgtable.h"
#include "vmscope/vmscan.h"
#include "vmscope/rmap.h"
#include "vmscope/tlb.h"

#ifndef MM_RECLAIM_LINKED
#define MM_RECLAIM_LINKED 1
#endif
#if MM_RECLAIM_LINKED
#include "vmscope/lru.h"
#include "vmscope/swap.h"
#endif

static void hook_emit(struct mm_struct *mm, enum event_kind kind,
    uint64_t addr, uint64_t val, uint64_t val2, const char *str)
{
	struct machine *m = mm->machine;
	struct vm_event ev;

	if (m->ev.muted)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.pid = mm->owner_pid;
	ev.addr = addr;
	ev.val = val;
	ev.val2 = val2;
	ev.str = str;
	machine_emit(m, &ev);
}

static unsigned page_order(const struct page *page)
{
	return PageFlag(page, PG_head) ? (unsigned)page->private : 0;
}

static void put_page(struct machine *m, struct page *page)
{
	__free_pages(m, page, page_order(page));
}

static bool is_huge_level(const struct machine *m, int level)
{
	return level == pt_huge_level(m) && level != m->arch.nr_levels - 1;
}

/* Pages in one entry of this shift. */
static long entry_pages(const struct machine *m, unsigned shift)
{
	return 1L << (shift - m->arch.page_shift);
}

/* ------------------------------------------------------------ mm life */

/*
 * pgd_alloc. Without a frame for the root the mm has no page table
 * (pgt NULL) and every access to it faults as out of memory.
 */
void mm_hook_mm_init(struct mm_struct *mm)
{
	mm->pgt = pgtable_alloc(mm->machine, mm->owner_pid);
}

/* pgd_free: every table goes back, and the TLB forgets the mm. */
void mm_hook_mm_free(struct mm_struct *mm)
{
	pgtable_free(mm->pgt);
	mm->pgt = NULL;
}

/* ------------------------------------------------------------ THP split */

struct split_hit {
	struct mm_struct *mm;
	uint64_t	 addr;
	uint64_t	 pmd;
};

struct split_arg {
	struct split_hit *hits;
	int		 n, cap;
};

static int split_collect(struct machine *m, struct page *page,
    const struct rmap_hit *hit, void *arg)
{
	struct split_arg *sa = arg;

	(void)m;
	(void)page;
	if (sa->n == sa->cap) {
		sa->cap = sa->cap ? 2 * sa->cap : 4;
		sa->hits = xrealloc(sa->hits, (size_t)sa->cap * sizeof(*sa->hits));
	}
	sa->hits[sa->n].mm = hit->vma->vm_mm;
	sa->hits[sa->n].addr = hit->addr;
	sa->hits[sa->n].pmd = *hit->ptep;
	sa->n++;
	return 0;
}

int split_huge_page(struct machine *m, struct page *head, int held)
{
	uint64_t *ptep, hsize;
	struct split_arg sa = { NULL, 0, 0 };
	unsigned long pfn, n, i;
	bool on_lru;
	int h, rc = 0, refs;

	if (!PageTransHuge(head))
		return -EINVAL;
	pfn = page_to_pfn(m, head);
	n = 1UL << page_order(head);
	hsize = (uint64_t)n << m->arch.page_shift;
	rmap_walk(m, head, split_collect, &sa);
	/* the tables first, so that a failure changes nothing */
	for (h = 0; h < sa.n; h++) {
		struct split_hit *sh = &sa.hits[h];
		uint64_t *pp = pmd_offset(sh->mm->pgt, sh->addr);

		pmdp_get_and_clear(sh->mm->pgt, sh->addr, pp);
		if (pte_alloc(sh->mm->pgt, sh->addr, &ptep) != 0) {
			set_pmd_at(sh->mm->pgt, sh->addr, pp, sh->pmd);
			while (--h >= 0) {
				sh = &sa.hits[h];
				pp = pmd_offset(sh->mm->pgt, sh->addr);
				/* drop the empty table again, put the leaf back */
				free_pgtables(sh->mm->pgt, sh->addr,
				    sh->addr + hsize);
				pp = pmd_offset(sh->mm->pgt, sh->addr);
				set_pmd_at(sh->mm->pgt, sh->addr, pp, sh->pmd);
			}
			rc = -ENOMEM;
			goto out;
		}
	}
	/*
	 * The compound page becomes n pages, each with the head's mappings
	 * and the references they hold; what the caller holds stays on the
	 * head alone. The head keeps its place on the LRU (and PG_lru,
	 * PG_active), and the tails join it there (lru_split_page); when the
	 * caller has isolated the head, the tails wait at the oldest end of
	 * the inactive list, next in line for reclaim.
	 */
	on_lru = PageLRU(head);
	refs = head->_refcount - held;
	for (i = 0; i < n; i++) {
		struct page *p = pfn_to_page(m, pfn + i);

		p->flags = (p->flags & ~((1UL << PG_head) | (1UL << PG_tail))) |
		    (head->flags & ((1UL << PG_anon) | (1UL << PG_swapbacked) |
		    (1UL << PG_dirty) | (1UL << PG_referenced)));
		p->private = 0;
		p->mapping = head->mapping;
		p->index = head->index + i;
		if (i > 0)
			p->_refcount = refs;
		p->_mapcount = head->_mapcount;
	}
	if (on_lru) {
		lru_split_page(m, head, n);
	} else {
		for (i = n - 1; i >= 1; i--)
			add_page_to_lru_list_tail(m, pfn_to_page(m, pfn + i));
	}
	for (h = 0; h < sa.n; h++) {
		struct split_hit *sh = &sa.hits[h];
		uint64_t flags = pte_flags(sh->pmd) & ~_PAGE_PSE;

		for (i = 0; i < n; i++) {
			uint64_t a = sh->addr + (i << m->arch.page_shift);

			ptep = pte_offset(sh->mm->pgt, a);
			set_pte_at(sh->mm->pgt, a, ptep, pfn_pte(pfn + i, flags));
		}
		flush_tlb_range(sh->mm->pgt, sh->addr, sh->addr + hsize);
	}
out:
	free(sa.hits);
	return rc;
}

/* The THP whose PMD leaf maps haddr in mm, split (split_huge_pmd). */
static int split_huge_pmd(struct mm_struct *mm, uint64_t haddr)
{
	uint64_t *pmdp = pmd_offset(mm->pgt, haddr);
	struct page *head;

	if (pmdp == NULL || !pte_huge(*pmdp))
		return 0;
	head = vm_normal_page(mm->machine, *pmdp);
	if (head == NULL || !PageTransHuge(head))
		return 0;
	return split_huge_page(mm->machine, head, 0);
}

/* Split the THPs that straddle start or end of [start, end). */
static void split_huge_edges(struct mm_struct *mm, uint64_t start,
    uint64_t end)
{
	struct machine *m = mm->machine;
	int hl = pt_huge_level(m);
	uint64_t hsize, edges[2] = { start, end };
	int i;

	if (hl < 0 || hl == m->arch.nr_levels - 1 || mm->pgt == NULL)
		return;
	hsize = 1ULL << pt_level_shift(m, hl);
	for (i = 0; i < 2; i++) {
		uint64_t a = edges[i], haddr = ALIGN_DOWN(a, hsize);

		if (a == haddr)
			continue;	/* on a boundary: nothing straddles */
		split_huge_pmd(mm, haddr);
	}
}

/* ------------------------------------------------------------ zap */

struct zap_arg {
	struct machine	*m;
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	struct page	**pages;	/* freed after the TLB flush */
	int		 nr, cap;
	unsigned long	 entries;
};

static int zap_one(struct pgtable *pgt, uint64_t addr, uint64_t *ptep,
    int level, unsigned shift, void *arg)
{
	struct zap_arg *za = arg;
	struct machine *m = za->m;
	uint64_t old;
	struct page *page;

	za->entries++;
	if (is_swap_pte(*ptep)) {
		old = ptep_get_and_clear(pgt, addr, ptep);
#if MM_RECLAIM_LINKED
		free_swap_and_cache(m, old);
#endif
		za->mm->rss_stat[MM_SWAPENTS]--;
		return 0;
	}
	old = is_huge_level(m, level) ? pmdp_get_and_clear(pgt, addr, ptep) :
	    ptep_get_and_clear(pgt, addr, ptep);
	page = vm_normal_page(m, old);
	if (page == NULL)
		return 0;	/* the zero page */
	if (pte_dirty(old) && !PageAnon(page))
		SetPageFlag(page, PG_dirty);	/* set_page_dirty for writeback */
	if (!(za->vma->vm_flags & VM_HUGETLB))
		za->mm->rss_stat[mm_counter(za->vma, page)] -=
		    entry_pages(m, shift);
	page_remove_rmap(page);
	if (za->nr == za->cap) {
		za->cap = za->cap ? 2 * za->cap : 64;
		za->pages = xrealloc(za->pages, (size_t)za->cap *
		    sizeof(*za->pages));
	}
	za->pages[za->nr++] = page;
	return 0;
}

void mm_hook_zap_range(struct mm_struct *mm, struct vm_area_struct *vma,
    uint64_t start, uint64_t end)
{
	struct zap_arg za;
	int i;

	if (mm->pgt == NULL)
		return;
	memset(&za, 0, sizeof(za));
	za.m = mm->machine;
	za.mm = mm;
	za.vma = vma;
	split_huge_edges(mm, start, end);
	walk_page_range(mm->pgt, start, end, zap_one, &za);
	if (za.entries == 0)
		return;
	/* tlb_finish_mmu: flush, then free what the entries mapped */
	flush_tlb_range(mm->pgt, start, end);
	for (i = 0; i < za.nr; i++) {
		struct page *page = za.pages[i];

		if ((vma->vm_flags & VM_HUGETLB) && page->_refcount == 1)
			za.m->nr_hugetlb_pages--;
		put_page(za.m, page);
	}
	free(za.pages);
	hook_emit(mm, EV_ZAP_PTE_RANGE, start, end, za.entries, NULL);
}

void mm_hook_free_pgtables(struct mm_struct *mm, uint64_t floor,
    uint64_t ceiling)
{
	if (mm->pgt != NULL)
		free_pgtables(mm->pgt, floor, ceiling);
}

/* ------------------------------------------------------------ mprotect */

struct prot_arg {
	struct machine	*m;
	struct vm_area_struct *vma;
	unsigned long	 newflags;
	uint64_t	 newprot;
	bool		 writenotify;
	unsigned long	 entries;
};

static bool is_cow_mapping(unsigned long flags)
{
	return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}

static int prot_one(struct pgtable *pgt, uint64_t addr, uint64_t *ptep,
    int level, unsigned shift, void *arg)
{
	struct prot_arg *pa = arg;
	uint64_t old = *ptep, new;
	struct page *page;

	(void)shift;
	if (is_swap_pte(old))
		return 0;	/* the protection is applied at swap-in */
	if (!(pa->newflags & VM_ACCESS_FLAGS)) {
		new = pfn_pte(pte_pfn(old), _PAGE_PROTNONE) |
		    (old & (_PAGE_DIRTY | _PAGE_ACCESSED));
	} else {
		new = pfn_pte(pte_pfn(old), pa->newprot) |
		    (old & (_PAGE_DIRTY | _PAGE_ACCESSED));
		if (pa->writenotify)
			new &= ~_PAGE_RW;
		/*
		 * MM_CP_TRY_CHANGE_WRITABLE (can_change_pte_writable): no
		 * write fault is needed for a page only this PTE maps, or
		 * for an already dirty shared file page.
		 */
		page = vm_normal_page(pa->m, old);
		if ((pa->newflags & VM_WRITE) && page != NULL) {
			if (is_cow_mapping(pa->newflags) ? (PageAnon(page) &&
			    page_mapcount(page) == 1 && page->_refcount == 1) :
			    pte_dirty(old))
				new |= _PAGE_RW;
		}
	}
	if (is_huge_level(pa->m, level) && pte_present(new))
		new = pte_mkhuge(new);
	if (new == old)
		return 0;
	pa->entries++;
	if (is_huge_level(pa->m, level))
		set_pmd_at(pgt, addr, ptep, new);
	else
		set_pte_at(pgt, addr, ptep, new);
	return 0;
}

static const char *prot_str(unsigned long flags, char *buf)
{
	buf[0] = (flags & VM_READ) ? 'r' : '-';
	buf[1] = (flags & VM_WRITE) ? 'w' : '-';
	buf[2] = (flags & VM_EXEC) ? 'x' : '-';
	buf[3] = '\0';
	return buf;
}

void mm_hook_change_protection(struct mm_struct *mm,
    struct vm_area_struct *vma, uint64_t start, uint64_t end,
    unsigned long newflags)
{
	static const char *const perms[8] = {
		"---", "r--", "-w-", "rw-", "--x", "r-x", "-wx", "rwx"
	};
	struct prot_arg pa;
	char buf[4];

	if (mm->pgt == NULL)
		return;
	memset(&pa, 0, sizeof(pa));
	pa.m = mm->machine;
	pa.vma = vma;
	pa.newflags = newflags;
	pa.newprot = vm_get_page_prot(mm->machine, newflags);
	pa.writenotify = (newflags & (VM_WRITE | VM_SHARED)) ==
	    (VM_WRITE | VM_SHARED) && vma->vm_file != NULL &&
	    !vma->vm_file->shmem;
	split_huge_edges(mm, start, end);
	walk_page_range(mm->pgt, start, end, prot_one, &pa);
	if (pa.entries == 0)
		return;
	flush_tlb_range(mm->pgt, start, end);
	(void)prot_str(newflags, buf);
	hook_emit(mm, EV_CHANGE_PROTECTION, start, end, pa.entries,
	    perms[newflags & VM_ACCESS_FLAGS]);
}

/* ------------------------------------------------------------ fork */

struct copy_arg {
	struct machine	*m;
	struct mm_struct *dst, *src;
	struct vm_area_struct *dst_vma, *src_vma;
	bool		 cow;
	unsigned long	 entries, wrprotected;
	int		 err;
};

static int copy_one(struct pgtable *pgt, uint64_t addr, uint64_t *ptep,
    int level, unsigned shift, void *arg)
{
	struct copy_arg *ca = arg;
	struct machine *m = ca->m;
	bool huge = is_huge_level(m, level);
	uint64_t pte = *ptep, *dptep;
	struct page *page;
	int err;

	err = huge ? pmd_alloc(ca->dst->pgt, addr, &dptep) :
	    pte_alloc(ca->dst->pgt, addr, &dptep);
	if (err) {
		ca->err = err;
		return 1;
	}
	ca->entries++;
	if (is_swap_pte(pte)) {
#if MM_RECLAIM_LINKED
		if (swap_duplicate(m, pte) != 0) {
			ca->err = -ENOMEM;
			return 1;
		}
#endif
		ca->dst->rss_stat[MM_SWAPENTS]++;
		set_pte_at(ca->dst->pgt, addr, dptep, pte);
		return 0;
	}
	page = vm_normal_page(m, pte);
	if (page != NULL) {
		/* page_dup_rmap + get_page */
		page->_refcount++;
		page->_mapcount++;
		if (!(ca->src_vma->vm_flags & VM_HUGETLB))
			ca->dst->rss_stat[mm_counter(ca->src_vma, page)] +=
			    entry_pages(m, shift);
	}
	if (ca->cow && pte_write(pte)) {
		/* both sides lose write access: the first writer copies */
		pte = pte_wrprotect(pte);
		if (huge)
			set_pmd_at(pgt, addr, ptep, pte);
		else
			ptep_set_wrprotect(pgt, addr, ptep);
		ca->wrprotected++;
	}
	if (ca->src_vma->vm_flags & VM_SHARED)
		pte = pte_mkclean(pte);
	pte = pte_mkold(pte);
	if (huge)
		set_pmd_at(ca->dst->pgt, addr, dptep, pte);
	else
		set_pte_at(ca->dst->pgt, addr, dptep, pte);
	return 0;
}

int mm_hook_copy_page_range(struct mm_struct *dst,
    struct vm_area_struct *dst_vma, struct mm_struct *src,
    struct vm_area_struct *src_vma)
{
	struct copy_arg ca;

	if (dst->pgt == NULL || src->pgt == NULL)
		return src->pgt == NULL ? 0 : -ENOMEM;
	/*
	 * vma_needs_copy: without anonymous pages, the child can fault the
	 * file pages in again from the page cache; copying is not worth it.
	 */
	if (!(src_vma->vm_flags & (VM_HUGETLB | VM_PFNMAP | VM_MIXEDMAP)) &&
	    src_vma->anon_vma == NULL)
		return 0;
	memset(&ca, 0, sizeof(ca));
	ca.m = src->machine;
	ca.dst = dst;
	ca.src = src;
	ca.dst_vma = dst_vma;
	ca.src_vma = src_vma;
	ca.cow = is_cow_mapping(src_vma->vm_flags);
	walk_page_range(src->pgt, src_vma->vm_start, src_vma->vm_end, copy_one,
	    &ca);
	if (ca.wrprotected)
		flush_tlb_range(src->pgt, src_vma->vm_start, src_vma->vm_end);
	if (ca.entries)
		hook_emit(src, EV_COPY_PAGE_RANGE, src_vma->vm_start,
		    src_vma->vm_end, ca.entries, ca.cow ?
		    "private: writable entries write-protected in both" :
		    "shared: the child maps the same pages");
	return ca.err;
}

/* ------------------------------------------------------------ mremap */

struct move_entry {
	uint64_t	 addr;
	uint64_t	 val;
	bool		 huge;
};

struct move_arg {
	struct machine	*m;
	struct move_entry *e;
	int		 n, cap;
};

static int move_collect(struct pgtable *pgt, uint64_t addr, uint64_t *ptep,
    int level, unsigned shift, void *arg)
{
	struct move_arg *ma = arg;

	(void)pgt;
	(void)shift;
	if (ma->n == ma->cap) {
		ma->cap = ma->cap ? 2 * ma->cap : 64;
		ma->e = xrealloc(ma->e, (size_t)ma->cap * sizeof(*ma->e));
	}
	ma->e[ma->n].addr = addr;
	ma->e[ma->n].val = *ptep;
	ma->e[ma->n].huge = is_huge_level(ma->m, level);
	ma->n++;
	return 0;
}

void mm_hook_move_page_tables(struct mm_struct *mm,
    struct vm_area_struct *old_vma, uint64_t old_addr,
    struct vm_area_struct *new_vma, uint64_t new_addr, uint64_t len)
{
	struct machine *m = mm->machine;
	struct move_arg ma = { m, NULL, 0, 0 };
	int hl = pt_huge_level(m), i;
	uint64_t *ep;

	(void)old_vma;
	(void)new_vma;
	if (mm->pgt == NULL)
		return;
	split_huge_edges(mm, old_addr, old_addr + len);
	if (hl >= 0 && hl != m->arch.nr_levels - 1 &&
	    ((old_addr ^ new_addr) & ((1ULL << pt_level_shift(m, hl)) - 1))) {
		/* the huge pages cannot stay huge at the new address */
		uint64_t hsize = 1ULL << pt_level_shift(m, hl), a;

		for (a = ALIGN_DOWN(old_addr, hsize); a < old_addr + len;
		    a += hsize)
			split_huge_pmd(mm, a);
	}
	/* collect first: moving while walking could visit an entry twice */
	walk_page_range(mm->pgt, old_addr, old_addr + len, move_collect, &ma);
	for (i = 0; i < ma.n; i++) {
		struct move_entry *e = &ma.e[i];
		uint64_t to = new_addr + (e->addr - old_addr);
		uint64_t *src = e->huge ? pmd_offset(mm->pgt, e->addr) :
		    pte_offset(mm->pgt, e->addr);
		int err;

		err = e->huge ? pmd_alloc(mm->pgt, to, &ep) :
		    pte_alloc(mm->pgt, to, &ep);
		if (err)
			continue;	/* no table: the entry stays (ENOMEM) */
		if (e->huge) {
			pmdp_get_and_clear(mm->pgt, e->addr, src);
			set_pmd_at(mm->pgt, to, ep, e->val);
		} else {
			ptep_get_and_clear(mm->pgt, e->addr, src);
			set_pte_at(mm->pgt, to, ep, e->val);
		}
	}
	if (ma.n) {
		flush_tlb_range(mm->pgt, old_addr, old_addr + len);
		hook_emit(mm, EV_MOVE_PAGE_TABLES, old_addr, new_addr,
		    (uint64_t)ma.n, NULL);
	}
	free(ma.e);
}

/* ------------------------------------------------------------ populate */

void mm_hook_populate(struct mm_struct *mm, uint64_t start, uint64_t end)
{
	(void)populate_range(mm, start, end);
}

/*
 * MADV_PAGEOUT belongs to reclaim (issue 5: reclaim_pages through
 * try_to_unmap); until it is linked the advice changes nothing.
 */
/* MADV_PAGEOUT: reclaim the range now, accessed bits or not (vmscan.c). */
void mm_hook_pageout(struct mm_struct *mm, struct vm_area_struct *vma,
    uint64_t start, uint64_t end)
{
	(void)reclaim_page_range(mm, vma, start, end);
}

/* ------------------------------------------------------------ smaps */

struct smaps_arg {
	struct machine	*m;
	struct vm_area_struct *vma;
	struct mem_size_stats *mss;
};

/* smaps_pte_entry / smaps_account, in bytes. */
static int smaps_one(struct pgtable *pgt, uint64_t addr, uint64_t *ptep,
    int level, unsigned shift, void *arg)
{
	struct smaps_arg *sa = arg;
	struct mem_size_stats *mss = sa->mss;
	uint64_t pte = *ptep, size = 1ULL << shift;
	struct page *page;
	bool dirty;
	int mapcount;

	(void)pgt;
	(void)addr;
	(void)level;
	if (is_swap_pte(pte)) {
		mss->swap += size;
		mss->swap_pss += size;
		return 0;
	}
	page = vm_normal_page(sa->m, pte);
	if (page == NULL)
		return 0;	/* the zero page is not resident set */
	mapcount = page_mapcount(page);
	if (mapcount < 1)
		mapcount = 1;
	dirty = pte_dirty(pte) || PageFlag(page, PG_dirty);
	mss->resident += size;
	if (pte_young(pte) || PageFlag(page, PG_referenced))
		mss->referenced += size;
	if (PageAnon(page)) {
		mss->anonymous += size;
		if (is_huge_level(sa->m, level) &&
		    !(sa->vma->vm_flags & VM_HUGETLB))
			mss->anonymous_thp += size;
	}
	mss->pss += size / (uint64_t)mapcount;
	if (dirty)
		mss->pss_dirty += size / (uint64_t)mapcount;
	if (mapcount >= 2) {
		if (dirty)
			mss->shared_dirty += size;
		else
			mss->shared_clean += size;
	} else {
		if (dirty)
			mss->private_dirty += size;
		else
			mss->private_clean += size;
	}
	return 0;
}

void mm_hook_smaps(struct mm_struct *mm, struct vm_area_struct *vma,
    struct mem_size_stats *mss)
{
	struct smaps_arg sa;

	memset(mss, 0, sizeof(*mss));
	if (mm->pgt == NULL)
		return;
	sa.m = mm->machine;
	sa.vma = vma;
	sa.mss = mss;
	walk_page_range(mm->pgt, vma->vm_start, vma->vm_end, smaps_one, &sa);
}

/*
 * mm_pgtables_bytes: Linux counts the tables below the root (pte, pmd,
 * pud) but not the pgd itself.
 */
uint64_t mm_hook_pgtables_bytes(struct mm_struct *mm)
{
	unsigned long root;

	if (mm->pgt == NULL)
		return 0;
	root = 1UL << pt_table_order(mm->machine, 0);
	if (mm->pgt->nr_pages < root)
		return 0;
	return (uint64_t)(mm->pgt->nr_pages - root) * mm->page_size;
}
