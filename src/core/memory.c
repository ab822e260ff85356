/*
 * memory.c - page faults and the access loop (memory.h), after
 * arch/x86/mm/fault.c (do_user_addr_fault), mm/memory.c
 * (handle_mm_fault, handle_pte_fault, do_anonymous_page, do_fault,
 * do_wp_page), mm/huge_memory.c and mm/hugetlb.c.
 *
 * Where the pieces come from: the MMU's TLB lookup and walk are tlb.c
 * and pgtable.c; frames come from the buddy allocator (page_alloc.c);
 * file pages from the page cache (filemap.c); the reverse map is rmap.c;
 * swap-in is swap.c's do_swap_page and LRU insertion lru.c's
 * lru_cache_add (issue 5). memory-hooks.c does the page-table side of
 * munmap, mprotect, fork and mremap with the helpers exported here.
 *
 * Pages hold no data: a "copy" or a "read from disk" is the frame
 * allocation and the accounting that goes with it.
 *
 * Fault accounting follows Linux 5.10+ (mm_account_fault): a fault that
 * ends in VM_FAULT_ERROR counts nowhere; any other counts in pgfault and
 * in the task's maj_flt (VM_FAULT_MAJOR) or min_flt. A SIGSEGV decided
 * by do_user_addr_fault before handle_mm_fault is not a counted fault.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vmscope/filemap.h"
#include "vmscope/machine.h"
#include "vmscope/memory.h"
#include "vmscope/page_alloc.h"
#include "vmscope/rmap.h"

/*
 * Issue 5's LRU lists and swap (lru.c, swap.c) are linked separately;
 * until both are in the build these call sites are compiled out. Set to
 * 1 when they are.
 */
#ifndef MM_RECLAIM_LINKED
#define MM_RECLAIM_LINKED 1
#endif
#if MM_RECLAIM_LINKED
#include "vmscope/lru.h"
#include "vmscope/swap.h"
#endif

/* Per-fault state (struct vm_fault). */
struct vm_fault {
	struct machine	*m;
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	struct pgtable	*pgt;
	uint64_t	 address;	/* page aligned */
	uint64_t	 real_address;
	unsigned	 flags;
	uint64_t	 pgoff;		/* linear page index */
	uint64_t	*pte;
	uint64_t	 orig_pte;
	struct fault_info *fi;
};

static const char *const fault_path_names[NR_FAULT_PATHS] = {
	[FAULT_NONE]		= "none",
	[FAULT_ANON_ZERO]	= "do_anonymous_page",
	[FAULT_ANON]		= "do_anonymous_page",
	[FAULT_READ]		= "do_read_fault",
	[FAULT_COW]		= "do_cow_fault",
	[FAULT_SHARED]		= "do_shared_fault",
	[FAULT_WP_COPY]		= "do_wp_page",
	[FAULT_WP_REUSE]	= "do_wp_page",
	[FAULT_WP_SHARED]	= "do_wp_page",
	[FAULT_SWAP]		= "do_swap_page",
	[FAULT_HUGE_ANON]	= "do_huge_pmd_anonymous_page",
	[FAULT_HUGE_WP]		= "do_huge_pmd_wp_page",
	[FAULT_HUGETLB]		= "hugetlb_fault",
	[FAULT_SPURIOUS]	= "spurious fault",
	[FAULT_PROTNONE]	= "do_numa_page",
};

const char *fault_path_name(enum fault_path path)
{
	return (unsigned)path < NR_FAULT_PATHS ? fault_path_names[path] : "?";
}

/* ------------------------------------------------------------ events */

static void fault_emit(struct vm_fault *vmf, enum event_kind kind,
    unsigned long pfn, uint64_t val, uint64_t val2, const char *str,
    const char *str2)
{
	struct machine *m = vmf->m;
	struct vm_event ev;

	if (m->ev.muted)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.pid = vmf->mm->owner_pid;
	ev.addr = vmf->address;
	ev.pfn = pfn;
	ev.val = val;
	ev.val2 = val2;
	ev.str = str;
	ev.str2 = str2;
	machine_emit(m, &ev);
}

static void mm_emit(struct mm_struct *mm, enum event_kind kind, uint64_t addr,
    uint64_t val, const char *str, const char *str2)
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
	ev.str = str;
	ev.str2 = str2;
	machine_emit(m, &ev);
}

static const char *file_name(const struct vm_area_struct *vma)
{
	if (vma->vm_file == NULL)
		return "?";
	return vma->vm_file->shmem ? "shared memory (shmem)" :
	    vma->vm_file->name;
}

/* ------------------------------------------------------------ helpers */

unsigned long zero_pfn(struct machine *m)
{
	struct page *page;

	if (m->has_zero_page)
		return m->zero_pfn;
	if (m->arch.kernel_size != 0) {
		/* empty_zero_page sits in the kernel image's .bss */
		m->zero_pfn = (unsigned long)((m->arch.kernel_phys +
		    m->arch.kernel_size) >> m->arch.page_shift) - 1;
	} else {
		/* the toy has no kernel image: give the zero page a frame */
		page = alloc_pages_node(m, 0, ZONE_NORMAL, 0, ALLOC_KERNEL);
		if (page == NULL)
			return 0;
		ClearPageFlag(page, PG_kernel);
		m->zero_pfn = page_to_pfn(m, page);
	}
	SetPageFlag(pfn_to_page(m, m->zero_pfn), PG_zero);
	m->has_zero_page = true;
	return m->zero_pfn;
}

struct page *vm_normal_page(struct machine *m, uint64_t pte)
{
	unsigned long pfn = pte_pfn(pte);

	if (is_zero_pfn(m, pfn) || pfn >= m->max_pfn)
		return NULL;
	return pfn_to_page(m, pfn);
}

/*
 * vm_get_page_prot (arch/x86 protection_map): private writable mappings
 * get read-only PTEs so that a write faults (copy-on-write); x86 sets A
 * in every user protection. PROT_NONE is Linux's software protnone bit.
 */
uint64_t vm_get_page_prot(const struct machine *m, unsigned long vm_flags)
{
	uint64_t prot;

	if (!(vm_flags & VM_ACCESS_FLAGS))
		return _PAGE_PROTNONE | _PAGE_ACCESSED;
	prot = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;
	if ((vm_flags & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED))
		prot |= _PAGE_RW;
	if (!(vm_flags & VM_EXEC) && pt_has_nx(m))
		prot |= _PAGE_NX;
	return prot;
}

/*
 * vma_wants_writenotify: a shared writable file mapping starts read-only
 * so the first write faults and the page is marked dirty for writeback
 * (shmem needs no writeback and maps writable at once).
 */
static bool vma_wants_writenotify(const struct vm_area_struct *vma)
{
	return (vma->vm_flags & (VM_WRITE | VM_SHARED)) ==
	    (VM_WRITE | VM_SHARED) && vma->vm_file != NULL &&
	    !vma->vm_file->shmem;
}

static uint64_t vma_page_prot(const struct vm_area_struct *vma)
{
	uint64_t prot = vm_get_page_prot(vma->vm_mm->machine, vma->vm_flags);

	if (vma_wants_writenotify(vma))
		prot &= ~_PAGE_RW;
	return prot;
}

static uint64_t maybe_mkwrite(uint64_t pte, const struct vm_area_struct *vma)
{
	return (vma->vm_flags & VM_WRITE) ? pte_mkwrite(pte) : pte;
}

int mm_counter(const struct vm_area_struct *vma, const struct page *page)
{
	if (PageAnon(page))
		return MM_ANONPAGES;
	if (PageFlag(page, PG_swapbacked) || (vma != NULL && vma_is_shmem(vma)))
		return MM_SHMEMPAGES;
	return MM_FILEPAGES;
}

static void add_mm_counter(struct mm_struct *mm, int member, long n)
{
	unsigned long rss;

	mm->rss_stat[member] += n;
	rss = get_mm_rss(mm);
	if (rss > mm->hiwater_rss)
		mm->hiwater_rss = rss;
}

/* A frame for user memory (GFP_HIGHUSER_MOVABLE). */
static struct page *alloc_user_pages(struct machine *m, unsigned order,
    enum alloc_use use)
{
	return alloc_pages_node(m, 0, ZONE_MOVABLE, order, use);
}

static void lru_add(struct machine *m, struct page *page)
{
#if MM_RECLAIM_LINKED
	lru_cache_add(m, page);
#else
	/* issue 5: lru_cache_add(m, page) once lru.c is linked */
	(void)m;
	(void)page;
#endif
}

static void page_accessed(struct machine *m, struct page *page)
{
#if MM_RECLAIM_LINKED
	mark_page_accessed(m, page);
#else
	/* issue 5: mark_page_accessed(m, page) once lru.c is linked */
	(void)m;
	(void)page;
#endif
}

static unsigned compound_order(const struct page *page)
{
	return PageFlag(page, PG_head) ? (unsigned)page->private : 0;
}

/* put_page: drop one reference; the last frees the block. */
static void put_page(struct machine *m, struct page *page)
{
	__free_pages(m, page, compound_order(page));
}

/* ------------------------------------------------------------ anonymous */

/*
 * The allocation may have run reclaim, which may have unmapped the very
 * page this fault is about (try_to_unmap): like Linux's pte_same check,
 * give up and let the access fault again when the entry moved.
 */
static bool pte_changed(const struct vm_fault *vmf)
{
	return *vmf->pte != vmf->orig_pte;
}

/* do_anonymous_page: the first touch of a private anonymous page. */
static int do_anonymous_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct machine *m = vmf->m;
	struct page *page;
	uint64_t entry;

	if (!(vmf->flags & FAULT_FLAG_WRITE)) {
		/*
		 * A read maps the shared zero page read-only: no frame is
		 * spent until the first write (which do_wp_page copies).
		 */
		unsigned long zpfn = zero_pfn(m);

		fault_emit(vmf, EV_DO_ANONYMOUS_PAGE, zpfn, 0, 0,
		    "read: map the shared zero page read-only", NULL);
		entry = pfn_pte(zpfn, vma_page_prot(vma)) & ~_PAGE_RW;
		set_pte_at(vmf->pgt, vmf->address, vmf->pte, entry);
		vmf->fi->path = FAULT_ANON_ZERO;
		vmf->fi->pfn = zpfn;
		vmf->fi->zero_page = true;
		return 0;
	}
	fault_emit(vmf, EV_DO_ANONYMOUS_PAGE, 0, 0, 0,
	    "write: allocate a zeroed frame", NULL);
	anon_vma_prepare(vma);
	page = alloc_user_pages(m, 0, ALLOC_ANON);
	if (page == NULL)
		return VM_FAULT_OOM;
	if (pte_changed(vmf)) {
		put_page(m, page);
		return 0;
	}
	page_add_new_anon_rmap(page, vma, vmf->address);
	lru_add(m, page);
	add_mm_counter(vmf->mm, MM_ANONPAGES, 1);
	entry = pfn_pte(page_to_pfn(m, page), vma_page_prot(vma));
	entry = maybe_mkwrite(pte_mkdirty(entry), vma);
	set_pte_at(vmf->pgt, vmf->address, vmf->pte, entry);
	vmf->fi->path = FAULT_ANON;
	vmf->fi->pfn = page_to_pfn(m, page);
	return 0;
}

/* ------------------------------------------------------------ files */

/*
 * __do_fault -> filemap_fault: the page-cache page for vmf->pgoff, read
 * from "disk" into a new frame when not cached (VM_FAULT_MAJOR), created
 * zero-filled for shmem (minor). Past the end of the file: SIGBUS.
 */
static int __do_fault(struct vm_fault *vmf, struct page **pagep)
{
	struct vm_area_struct *vma = vmf->vma;
	struct vm_file *f = vma->vm_file;
	struct machine *m = vmf->m;
	struct address_space *as = file_mapping(m, f);
	uint64_t npages = (f->size + m->page_size - 1) >> m->arch.page_shift;
	struct page *page;
	int ret = 0;

	if (vmf->pgoff >= npages && !f->shmem)
		return VM_FAULT_SIGBUS;
	page = find_get_page(as, (unsigned long)vmf->pgoff);
	if (page != NULL) {
		vmf->fi->cached = true;
		page_accessed(m, page);
		*pagep = page;
		return 0;
	}
	page = alloc_user_pages(m, 0, ALLOC_FILE);
	if (page == NULL)
		return VM_FAULT_OOM;
	add_to_page_cache(as, page, (unsigned long)vmf->pgoff);
	lru_add(m, page);
	if (!f->shmem) {
		as->reads++;
		fault_emit(vmf, EV_FILEMAP_READ, page_to_pfn(m, page),
		    vmf->pgoff, 0, f->name, NULL);
		ret = VM_FAULT_MAJOR;
	}
	*pagep = page;
	return ret;
}

/* Map a page-cache page at vmf->address (do_set_pte). */
static void map_file_page(struct vm_fault *vmf, struct page *page, bool write)
{
	struct vm_area_struct *vma = vmf->vma;
	uint64_t entry = pfn_pte(page_to_pfn(vmf->m, page), vma_page_prot(vma));

	if (write) {
		entry = maybe_mkwrite(pte_mkdirty(entry), vma);
		SetPageFlag(page, PG_dirty);
	}
	page->_refcount++;
	page_add_file_rmap(page);
	add_mm_counter(vmf->mm, mm_counter(vma, page), 1);
	set_pte_at(vmf->pgt, vmf->address, vmf->pte, entry);
	vmf->fi->pfn = page_to_pfn(vmf->m, page);
}

static int do_read_fault(struct vm_fault *vmf)
{
	struct page *page = NULL;
	int ret;

	ret = __do_fault(vmf, &page);
	fault_emit(vmf, EV_DO_READ_FAULT, 0, vmf->pgoff, 0,
	    file_name(vmf->vma), ret & VM_FAULT_SIGBUS ?
	    "past the end of the file" : vmf->fi->cached ?
	    "in the page cache" : "not cached");
	if (ret & VM_FAULT_ERROR)
		return ret;
	if (pte_changed(vmf))
		return ret;
	map_file_page(vmf, page, false);
	vmf->fi->path = FAULT_READ;
	return ret;
}

/* A private write: copy the file page into a new anonymous page. */
static int do_cow_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct page *page = NULL, *new;
	uint64_t entry;
	int ret;

	ret = __do_fault(vmf, &page);
	fault_emit(vmf, EV_DO_COW_FAULT, 0, vmf->pgoff, 0, file_name(vma),
	    ret & VM_FAULT_SIGBUS ? "past the end of the file" :
	    "copy the file page into a private anonymous page");
	if (ret & VM_FAULT_ERROR)
		return ret;
	anon_vma_prepare(vma);
	new = alloc_user_pages(vmf->m, 0, ALLOC_ANON);
	if (new == NULL)
		return VM_FAULT_OOM;
	if (pte_changed(vmf)) {
		put_page(vmf->m, new);
		return ret;
	}
	page_add_new_anon_rmap(new, vma, vmf->address);
	lru_add(vmf->m, new);
	add_mm_counter(vmf->mm, MM_ANONPAGES, 1);
	entry = pfn_pte(page_to_pfn(vmf->m, new), vma_page_prot(vma));
	entry = maybe_mkwrite(pte_mkdirty(entry), vma);
	set_pte_at(vmf->pgt, vmf->address, vmf->pte, entry);
	vmf->fi->path = FAULT_COW;
	vmf->fi->old_pfn = page_to_pfn(vmf->m, page);
	vmf->fi->pfn = page_to_pfn(vmf->m, new);
	return ret;
}

static int do_shared_fault(struct vm_fault *vmf)
{
	struct page *page = NULL;
	int ret;

	ret = __do_fault(vmf, &page);
	fault_emit(vmf, EV_DO_SHARED_FAULT, 0, vmf->pgoff, 0,
	    file_name(vmf->vma), ret & VM_FAULT_SIGBUS ?
	    "past the end of the file" :
	    "map the page-cache page writable and mark it dirty");
	if (ret & VM_FAULT_ERROR)
		return ret;
	if (pte_changed(vmf))
		return ret;
	map_file_page(vmf, page, true);
	vmf->fi->path = FAULT_SHARED;
	return ret;
}

static int do_fault(struct vm_fault *vmf)
{
	if (!(vmf->flags & FAULT_FLAG_WRITE))
		return do_read_fault(vmf);
	if (!(vmf->vma->vm_flags & VM_SHARED))
		return do_cow_fault(vmf);
	return do_shared_fault(vmf);
}

/* ------------------------------------------------------------ write protect */

/*
 * wp_page_copy: give this PTE its own copy (of the zero page: a zeroed
 * frame). The old page loses one mapping and one reference.
 */
static int wp_page_copy(struct vm_fault *vmf, struct page *old)
{
	struct vm_area_struct *vma = vmf->vma;
	struct machine *m = vmf->m;
	struct page *new;
	uint64_t entry;

	anon_vma_prepare(vma);
	new = alloc_user_pages(m, 0, ALLOC_ANON);
	if (new == NULL)
		return VM_FAULT_OOM;
	if (pte_changed(vmf)) {
		put_page(m, new);
		return 0;
	}
	fault_emit(vmf, EV_WP_PAGE_COPY, pte_pfn(vmf->orig_pte),
	    page_to_pfn(m, new), 0, NULL, NULL);
	page_add_new_anon_rmap(new, vma, vmf->address);
	lru_add(m, new);
	if (old != NULL) {
		if (!PageAnon(old)) {
			add_mm_counter(vmf->mm, mm_counter(vma, old), -1);
			add_mm_counter(vmf->mm, MM_ANONPAGES, 1);
		}
	} else {
		add_mm_counter(vmf->mm, MM_ANONPAGES, 1);
	}
	entry = pfn_pte(page_to_pfn(m, new), vma_page_prot(vma));
	entry = maybe_mkwrite(pte_mkdirty(entry), vma);
	/* the old translation must leave every TLB before the new one exists */
	ptep_clear_flush(vmf->pgt, vmf->address, vmf->pte);
	set_pte_at(vmf->pgt, vmf->address, vmf->pte, entry);
	if (old != NULL) {
		page_remove_rmap(old);
		put_page(m, old);
	}
	vmf->fi->path = FAULT_WP_COPY;
	vmf->fi->pfn = page_to_pfn(m, new);
	return 0;
}

/* wp_page_reuse: the page is ours alone; just allow the write. */
static int wp_page_reuse(struct vm_fault *vmf, enum fault_path path)
{
	uint64_t entry = pte_mkyoung(pte_mkdirty(vmf->orig_pte));

	entry = maybe_mkwrite(entry, vmf->vma);
	set_pte_at(vmf->pgt, vmf->address, vmf->pte, entry);
	flush_tlb_page(vmf->pgt, vmf->address);
	vmf->fi->path = path;
	vmf->fi->pfn = pte_pfn(entry);
	return 0;
}

/*
 * An anonymous page may be written in place when this PTE is its only
 * user: one mapping and no other reference (Linux 5.8+ decides on the
 * refcount, the swap cache's own reference allowed).
 */
static bool page_exclusive(const struct page *page)
{
	int refs = 1 + (PageFlag(page, PG_swapcache) ? 1 : 0);

	return page_mapcount(page) == 1 && page->_refcount <= refs;
}

static int do_wp_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct page *page = vm_normal_page(vmf->m, vmf->orig_pte);
	int mapcount = page != NULL ? page_mapcount(page) : 0;

	vmf->fi->old_pfn = pte_pfn(vmf->orig_pte);
	vmf->fi->mapcount = mapcount;
	vmf->fi->zero_page = page == NULL;
	vmf->fi->file_page = page != NULL && !PageAnon(page);
	if (page != NULL && (vma->vm_flags & VM_SHARED)) {
		/* wp_page_shared: a shared file page becomes dirty */
		fault_emit(vmf, EV_DO_WP_PAGE, pte_pfn(vmf->orig_pte),
		    (uint64_t)mapcount, 0,
		    "shared mapping: make it writable and dirty", NULL);
		SetPageFlag(page, PG_dirty);
		return wp_page_reuse(vmf, FAULT_WP_SHARED);
	}
	if (page != NULL && PageAnon(page) && page_exclusive(page)) {
		fault_emit(vmf, EV_DO_WP_PAGE, pte_pfn(vmf->orig_pte),
		    (uint64_t)mapcount, 0,
		    "only this PTE maps it: reuse", NULL);
		fault_emit(vmf, EV_WP_PAGE_REUSE, pte_pfn(vmf->orig_pte), 0, 0,
		    NULL, NULL);
		return wp_page_reuse(vmf, FAULT_WP_REUSE);
	}
	fault_emit(vmf, EV_DO_WP_PAGE, pte_pfn(vmf->orig_pte),
	    (uint64_t)mapcount, 0, page == NULL ?
	    "the zero page: copy (a zeroed frame)" : PageAnon(page) ?
	    "shared with another mapping: copy" :
	    "a page-cache page in a private mapping: copy", NULL);
	return wp_page_copy(vmf, page);
}

/* ------------------------------------------------------------ huge pages */

static unsigned huge_order(const struct machine *m)
{
	int hl = pt_huge_level(m);

	return hl < 0 ? 0 : pt_level_shift(m, hl) - m->arch.page_shift;
}

/* THP may back the aligned 2 MiB around addr (transparent_hugepage=madvise). */
static bool thp_vma_suitable(const struct vm_area_struct *vma, uint64_t addr)
{
	struct machine *m = vma->vm_mm->machine;
	uint64_t hsize, haddr;
	int hl = pt_huge_level(m);

	if (hl < 0 || !(vma->vm_flags & VM_HUGEPAGE) ||
	    (vma->vm_flags & VM_NOHUGEPAGE) || vma->vm_file != NULL ||
	    (vma->vm_flags & VM_SPECIAL) || huge_order(m) >= MAX_ORDER)
		return false;
	hsize = 1ULL << pt_level_shift(m, hl);
	haddr = ALIGN_DOWN(addr, hsize);
	return haddr >= vma->vm_start && haddr + hsize <= vma->vm_end;
}

/*
 * A 2 MiB fault: hugetlb_fault for MAP_HUGETLB mappings,
 * do_huge_pmd_anonymous_page for THP. One order-9 block mapped by a PMD
 * leaf. vmscope allocates a huge page for reads too (Linux maps the huge
 * zero page) and counts hugetlb pages as allocated on demand (surplus).
 */
static int do_huge_fault(struct vm_fault *vmf, uint64_t *pmdp, bool hugetlb)
{
	struct vm_area_struct *vma = vmf->vma;
	struct machine *m = vmf->m;
	uint64_t hsize = 1ULL << pt_level_shift(m, pt_huge_level(m));
	uint64_t haddr = ALIGN_DOWN(vmf->real_address, hsize);
	unsigned order = huge_order(m);
	bool write = (vmf->flags & FAULT_FLAG_WRITE) != 0;
	struct page *page, *old;
	uint64_t entry;

	vmf->address = haddr;
	if (pte_present(*pmdp)) {
		/* a write to a read-only huge page (after fork) */
		old = vm_normal_page(m, *pmdp);
		vmf->fi->old_pfn = pte_pfn(*pmdp);
		vmf->fi->mapcount = old != NULL ? page_mapcount(old) : 0;
		if (old != NULL && page_exclusive(old)) {
			fault_emit(vmf, EV_HUGE_FAULT, pte_pfn(*pmdp), 0, 0,
			    "write: reuse the exclusive", NULL);
			entry = maybe_mkwrite(pte_mkdirty(*pmdp), vma);
			set_pmd_at(vmf->pgt, haddr, pmdp, entry);
			flush_tlb_range(vmf->pgt, haddr, haddr + hsize);
			vmf->fi->path = FAULT_HUGE_WP;
			vmf->fi->pfn = pte_pfn(entry);
			return 0;
		}
		page = alloc_user_pages(m, order, hugetlb ? ALLOC_HUGE :
		    ALLOC_ANON);
		if (page == NULL)
			return hugetlb ? VM_FAULT_SIGBUS : VM_FAULT_OOM;
		fault_emit(vmf, EV_HUGE_FAULT, page_to_pfn(m, page), 0, 0,
		    "write: copy into a new", NULL);
		anon_vma_prepare(vma);
		page_add_new_anon_rmap(page, vma, haddr);
		if (hugetlb) {
			/* hugetlbfs pages are never swapped */
			ClearPageFlag(page, PG_swapbacked);
			m->nr_hugetlb_pages++;
		} else {
			lru_add(m, page);	/* one entry of 512 pages */
		}
		entry = pfn_pte(page_to_pfn(m, page), vma_page_prot(vma));
		entry = pte_mkhuge(maybe_mkwrite(pte_mkdirty(entry), vma));
		pmdp_get_and_clear(vmf->pgt, haddr, pmdp);
		flush_tlb_range(vmf->pgt, haddr, haddr + hsize);
		set_pmd_at(vmf->pgt, haddr, pmdp, entry);
		if (old != NULL) {
			page_remove_rmap(old);
			if (PageFlag(old, PG_head) && old->_refcount == 1 &&
			    hugetlb)
				m->nr_hugetlb_pages--;
			put_page(m, old);
		}
		vmf->fi->path = FAULT_HUGE_WP;
		vmf->fi->pfn = page_to_pfn(m, page);
		return 0;
	}
	page = alloc_user_pages(m, order, hugetlb ? ALLOC_HUGE : ALLOC_ANON);
	if (page == NULL) {
		if (hugetlb)
			return VM_FAULT_SIGBUS;	/* no huge page: SIGBUS */
		return -1;	/* THP: fall back to small pages */
	}
	fault_emit(vmf, EV_HUGE_FAULT, page_to_pfn(m, page), 0, 0,
	    hugetlb ? "hugetlb: map a new" : "THP: map a new", NULL);
	anon_vma_prepare(vma);
	page_add_new_anon_rmap(page, vma, haddr);
	if (hugetlb) {
		ClearPageFlag(page, PG_swapbacked);
		m->nr_hugetlb_pages++;
	} else {
		m->vm_events[VM_thp_fault_alloc]++;
		add_mm_counter(vmf->mm, MM_ANONPAGES, 1L << order);
		lru_add(m, page);	/* one entry of 512 pages */
	}
	entry = pfn_pte(page_to_pfn(m, page), vma_page_prot(vma));
	if (write)
		entry = maybe_mkwrite(pte_mkdirty(entry), vma);
	else if (vma->vm_flags & VM_WRITE)
		entry = pte_mkwrite(entry);	/* exclusive from birth */
	set_pmd_at(vmf->pgt, haddr, pmdp, pte_mkhuge(entry));
	vmf->fi->path = hugetlb ? FAULT_HUGETLB : FAULT_HUGE_ANON;
	vmf->fi->pfn = page_to_pfn(m, page);
	return 0;
}

/* ------------------------------------------------------------ dispatch */

static int handle_pte_fault(struct vm_fault *vmf)
{
	uint64_t entry = *vmf->pte;
	bool write = (vmf->flags & FAULT_FLAG_WRITE) != 0;

	vmf->orig_pte = entry;
	if (pte_none(entry)) {
		if (vma_is_anonymous(vmf->vma))
			return do_anonymous_page(vmf);
		return do_fault(vmf);
	}
	if (is_swap_pte(entry)) {
#if MM_RECLAIM_LINKED
		struct swap_fault sf;
		int err;

		memset(&sf, 0, sizeof(sf));
		err = do_swap_page(vmf->mm, vmf->vma, vmf->address, vmf->pte,
		    write, &sf);
		if (err == -ENOMEM)
			return VM_FAULT_OOM;
		if (err)
			return VM_FAULT_SIGBUS;
		vmf->fi->path = FAULT_SWAP;
		vmf->fi->pfn = sf.pfn;
		vmf->fi->cached = sf.cache_hit;
		if (sf.need_wp) {
			vmf->orig_pte = *vmf->pte;
			do_wp_page(vmf);
		}
		return sf.major ? VM_FAULT_MAJOR : 0;
#else
		/* issue 5: do_swap_page (swap.c) once it is linked */
		return VM_FAULT_SIGBUS;
#endif
	}
	if (pte_protnone(entry)) {
		/*
		 * The VMA allows the access (the caller checked) but the PTE
		 * is PROT_NONE: make it present again (do_numa_page's fixup).
		 */
		uint64_t e = pfn_pte(pte_pfn(entry), vma_page_prot(vmf->vma)) |
		    (entry & (_PAGE_DIRTY | _PAGE_ACCESSED));
		struct page *page = vm_normal_page(vmf->m, entry);

		if (page != NULL && PageAnon(page) && page_exclusive(page))
			e = maybe_mkwrite(e, vmf->vma);
		set_pte_at(vmf->pgt, vmf->address, vmf->pte, e);
		vmf->fi->path = FAULT_PROTNONE;
		vmf->fi->pfn = pte_pfn(e);
		return 0;
	}
	if (write && !pte_write(entry))
		return do_wp_page(vmf);
	/* already fixed (another CPU, or a stale TLB entry): make it young */
	set_pte_at(vmf->pgt, vmf->address, vmf->pte, pte_mkyoung(entry));
	flush_tlb_page(vmf->pgt, vmf->address);
	vmf->fi->path = FAULT_SPURIOUS;
	vmf->fi->pfn = pte_pfn(entry);
	return 0;
}

static const char *access_name(unsigned flags)
{
	if (flags & FAULT_FLAG_INSTRUCTION)
		return "instruction fetch";
	return (flags & FAULT_FLAG_WRITE) ? "write" : "read";
}

int handle_mm_fault(struct vm_area_struct *vma, uint64_t addr,
    unsigned flags, struct fault_info *fi)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	struct vm_fault vmf;
	uint64_t *pmdp = NULL;
	int ret, err, hl = pt_huge_level(m);
	struct mm_struct *saved_fault_mm;

	memset(fi, 0, sizeof(*fi));
	memset(&vmf, 0, sizeof(vmf));
	vmf.m = m;
	vmf.vma = vma;
	vmf.mm = mm;
	vmf.pgt = mm->pgt;
	vmf.real_address = addr;
	vmf.address = addr & ~(m->page_size - 1);
	vmf.flags = flags;
	vmf.pgoff = vma->vm_pgoff +
	    ((vmf.address - vma->vm_start) >> m->arch.page_shift);
	vmf.fi = fi;
	if (mm->pgt == NULL)
		return VM_FAULT_OOM;
	saved_fault_mm = m->fault_mm;
	/* reclaim and the OOM killer must not tear this mm down under us */
	m->fault_mm = mm;
	fault_emit(&vmf, EV_PAGE_FAULT, 0, 0, 0, access_name(flags),
	    vma_is_anonymous(vma) ? "anonymous VMA" : vma_is_shmem(vma) ?
	    "shared anonymous VMA (shmem)" : "file-backed VMA");

	/* __handle_mm_fault: the huge level first */
	if (hl >= 0 && ((vma->vm_flags & VM_HUGETLB) ||
	    thp_vma_suitable(vma, addr))) {
		err = pmd_alloc(mm->pgt, addr, &pmdp);
		if (err == -ENOMEM) {
			ret = VM_FAULT_OOM;
			goto out;
		}
		if (err == 0 && (pte_none(*pmdp) || pte_huge(*pmdp))) {
			if (pte_huge(*pmdp) && (!(flags & FAULT_FLAG_WRITE) ||
			    pte_write(*pmdp))) {
				/* spurious: only the TLB was missing it */
				fi->path = FAULT_SPURIOUS;
				fi->pfn = pte_pfn(*pmdp);
				ret = 0;
				goto out;
			}
			ret = do_huge_fault(&vmf, pmdp,
			    (vma->vm_flags & VM_HUGETLB) != 0);
			if (ret >= 0)
				goto out;
			/* THP could not be had: small pages */
		} else if (vma->vm_flags & VM_HUGETLB) {
			ret = VM_FAULT_SIGBUS;
			goto out;
		}
	}
	err = pte_alloc(mm->pgt, addr, &vmf.pte);
	if (err == -ENOMEM) {
		ret = VM_FAULT_OOM;
		goto out;
	}
	if (err == -EEXIST) {
		/* a huge leaf maps it already: a write to a read-only THP */
		pmdp = pmd_offset(mm->pgt, addr);
		ret = do_huge_fault(&vmf, pmdp, false);
		if (ret < 0)
			ret = VM_FAULT_OOM;
		goto out;
	}
	if (err) {
		ret = VM_FAULT_SIGSEGV;
		goto out;
	}
	ret = handle_pte_fault(&vmf);
out:
	m->fault_mm = saved_fault_mm;
	if (!(ret & VM_FAULT_ERROR)) {
		/* mm_account_fault: the vmstat half */
		m->vm_events[VM_pgfault]++;
		if (ret & VM_FAULT_MAJOR)
			m->vm_events[VM_pgmajfault]++;
	}
	return ret;
}

/* mm_account_fault: the per-task half. */
static void mm_account_fault(struct task_struct *t, int ret)
{
	if (t == NULL || (ret & VM_FAULT_ERROR))
		return;
	if (ret & VM_FAULT_MAJOR)
		t->maj_flt++;
	else
		t->min_flt++;
}

/* ------------------------------------------------------------ access */

void task_switch_to(struct machine *m, struct task_struct *t)
{
	struct task_struct *o;

	list_for_each_entry(o, &m->tasks, tasks)
		o->state = o == t ? TASK_RUNNING : TASK_INTERRUPTIBLE;
	if (t->mm != NULL) {
		switch_mm(m, t->mm->pgt);
	}
}

static void signal_emit(struct machine *m, enum event_kind kind, int pid,
    uint64_t addr, const char *code, const char *why)
{
	struct vm_event ev;

	if (m->ev.muted)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.pid = pid;
	ev.addr = addr;
	ev.str = code;
	ev.str2 = why;
	machine_emit(m, &ev);
}

static void note_vma(struct access_result *r, const struct vm_area_struct *vma)
{
	if (vma == NULL)
		return;
	r->has_vma = true;
	r->vma_start = vma->vm_start;
	r->vma_end = vma->vm_end;
	r->vma_flags = vma->vm_flags;
}

/* The signal kills the process: no handlers are modelled. */
static enum access_kind kill_task(struct machine *m, struct task_struct *t,
    uint64_t addr, struct access_result *r, enum access_kind kind,
    const char *code, const char *why)
{
	r->kind = kind;
	r->sig_code = code;
	r->why = why;
	signal_emit(m, kind == ACCESS_SIGBUS ? EV_SIGBUS : EV_SIGSEGV, t->pid,
	    addr, code, why);
	task_exit(m, t, kind == ACCESS_SIGBUS ? "killed by SIGBUS" :
	    kind == ACCESS_OOM ? "out of memory in a page fault" :
	    "killed by SIGSEGV");
	return kind;
}

/*
 * access_error (arch/x86/mm/fault.c): does the VMA allow this access?
 * An instruction fetch needs VM_EXEC (Linux gets there through a second,
 * protection, fault on the NX page; vmscope decides at once).
 */
static const char *access_error(const struct vm_area_struct *vma,
    enum mmu_access_type type)
{
	switch (type) {
	case MMU_WRITE:
		return (vma->vm_flags & VM_WRITE) ? NULL :
		    "write to a VMA without write permission";
	case MMU_EXEC:
		return (vma->vm_flags & VM_EXEC) ? NULL :
		    "instruction fetch from a VMA without exec permission";
	case MMU_READ:
	default:
		return (vma->vm_flags & VM_ACCESS_FLAGS) ? NULL :
		    "access to a PROT_NONE VMA";
	}
}

enum access_kind access_memory(struct machine *m, struct task_struct *t,
    uint64_t addr, enum mmu_access_type type, struct access_result *r)
{
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	struct mmu_result mr;
	unsigned flags;
	const char *err;
	int tries, ret;

	memset(r, 0, sizeof(*r));
	if (t == NULL || t->mm == NULL || t->mm->pgt == NULL)
		return r->kind = ACCESS_BAD;
	mm = t->mm;
	r->pid = t->pid;
	memcpy(r->comm, t->comm, sizeof(r->comm));
	/* the access happens on the CPU: the process must be running */
	if (m->tlb->cur != mm->pgt)
		task_switch_to(m, t);
	flags = type == MMU_WRITE ? FAULT_FLAG_WRITE :
	    type == MMU_EXEC ? FAULT_FLAG_INSTRUCTION : 0;

	for (tries = 0; tries < 4; tries++) {
		enum mmu_fault f = mmu_access(m, addr, type, &mr);

		if (tries == 0) {
			r->mmu = f;
			r->tlb_hit = mr.tlb_hit;
			r->walked = !mr.tlb_hit || f != MMU_OK;
			r->walk = mr.walk;
		}
		if (f == MMU_OK) {
			r->pfn = mr.pfn;
			r->phys = mr.phys;
			if (tries == 0)
				r->kind = mr.tlb_hit ? ACCESS_TLB_HIT :
				    ACCESS_WALK;
			return r->kind;
		}
		if (f == MMU_FAULT_BAD_ADDR) {
			return kill_task(m, t, addr, r, ACCESS_SIGSEGV,
			    "SEGV_MAPERR", "address outside the user address "
			    "space (no page table translates it)");
		}
		/* do_user_addr_fault */
		vma = find_vma_traced(mm, addr);
		if (vma == NULL)
			return kill_task(m, t, addr, r, ACCESS_SIGSEGV,
			    "SEGV_MAPERR", "no VMA at or above the address");
		if (addr < vma->vm_start) {
			uint64_t old_start = vma->vm_start;
			int e;

			if (!(vma->vm_flags & VM_GROWSDOWN)) {
				note_vma(r, NULL);
				return kill_task(m, t, addr, r, ACCESS_SIGSEGV,
				    "SEGV_MAPERR", "no VMA contains the address");
			}
			e = expand_downwards(vma, addr);
			if (e) {
				return kill_task(m, t, addr, r, ACCESS_SIGSEGV,
				    "SEGV_MAPERR", e == -ENOMEM ?
				    "below [stack], but growing it would pass "
				    "the stack rlimit or the guard gap" :
				    "below [stack], where it cannot grow");
			}
			r->fault.stack_pages = (old_start - vma->vm_start) >>
			    m->arch.page_shift;
			mm_emit(mm, EV_EXPAND_STACK, vma->vm_start,
			    r->fault.stack_pages, NULL, NULL);
		}
		note_vma(r, vma);
		err = access_error(vma, type);
		if (err != NULL)
			return kill_task(m, t, addr, r, ACCESS_SIGSEGV,
			    "SEGV_ACCERR", err);
		{
			uint64_t grown = r->fault.stack_pages;

			ret = handle_mm_fault(vma, addr, flags, &r->fault);
			r->fault.stack_pages = grown;
		}
		if (ret & VM_FAULT_SIGBUS)
			return kill_task(m, t, addr, r, ACCESS_SIGBUS,
			    "BUS_ADRERR", vma->vm_file != NULL ?
			    "beyond the end of the mapped file" :
			    "no page could be had for this mapping");
		if (ret & VM_FAULT_SIGSEGV)
			return kill_task(m, t, addr, r, ACCESS_SIGSEGV,
			    "SEGV_MAPERR", "the page table cannot map it");
		if (ret & VM_FAULT_OOM)
			return kill_task(m, t, addr, r, ACCESS_OOM,
			    "VM_FAULT_OOM", "no memory for the page "
			    "(pagefault_out_of_memory)");
		mm_account_fault(t, ret);
		r->nr_faults++;
		if (r->kind != ACCESS_MAJOR)
			r->kind = (ret & VM_FAULT_MAJOR) ? ACCESS_MAJOR :
			    ACCESS_MINOR;
		/* back to user mode: the instruction runs again */
		mm_emit(mm, EV_ACCESS_RETRY, addr, 0, access_name(flags), NULL);
	}
	/* a fault that keeps coming back: Linux would loop; give up */
	return kill_task(m, t, addr, r, ACCESS_SIGSEGV, "SEGV_ACCERR",
	    "the fault could not be resolved");
}

/* ------------------------------------------------------------ populate */

int populate_range(struct mm_struct *mm, uint64_t start, uint64_t end)
{
	struct machine *m = mm->machine;
	struct task_struct *t = find_task_by_pid(m, mm->owner_pid);
	struct vm_area_struct *vma;
	struct fault_info fi;
	uint64_t addr;
	int ret;

	if (mm->pgt == NULL)
		return -ENOMEM;
	for (addr = start; addr < end; addr += m->page_size) {
		unsigned flags = FAULT_FLAG_REMOTE;
		struct pt_walk w;

		vma = find_vma(mm, addr);
		if (vma == NULL || vma->vm_start > addr)
			continue;
		if (!(vma->vm_flags & VM_ACCESS_FLAGS) ||
		    (vma->vm_flags & (VM_IO | VM_PFNMAP)))
			continue;
		/* populate_vma_page_range: write-fault private writable */
		if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE)
			flags |= FAULT_FLAG_WRITE;
		/* follow_page: already there and good enough? */
		if (pgtable_walk(mm->pgt, addr, 0, &w) == WALK_MAPPED &&
		    (!(flags & FAULT_FLAG_WRITE) || pte_write(w.leaf) ||
		    (pte_huge(w.leaf) && (vma->vm_flags & VM_HUGETLB))))
			continue;
		ret = handle_mm_fault(vma, addr, flags, &fi);
		if (ret & VM_FAULT_OOM)
			return -ENOMEM;
		if (ret & VM_FAULT_ERROR)
			return -EFAULT;
		mm_account_fault(t, ret);
	}
	return 0;
}

/* ------------------------------------------------------------ stats */

void memory_stats(struct machine *m, struct mem_stats *st)
{
	unsigned long pfn;

	memset(st, 0, sizeof(*st));
	for (pfn = 0; pfn < m->max_pfn; pfn++) {
		struct page *page = pfn_to_page(m, pfn);
		unsigned long n;

		if (!page_mapped(page) || PageFlag(page, PG_tail) ||
		    PageFlag(page, PG_zero))
			continue;
		n = PageFlag(page, PG_head) ? 1UL << page->private : 1;
		if (!PageAnon(page)) {
			st->mapped += n;
		} else if (n > 1 && !PageFlag(page, PG_swapbacked)) {
			continue;	/* hugetlb: only in HugePages_* */
		} else {
			st->anon += n;
			if (n > 1)
				st->anon_thp += n;
		}
	}
	st->hugetlb = m->nr_hugetlb_pages;
}

/* ------------------------------------------------------------ checking */

struct rss_count {
	struct machine	*m;
	struct mm_struct *mm;
	long		 rss[NR_MM_COUNTERS];
};

static int rss_one(struct pgtable *pgt, uint64_t addr, uint64_t *ptep,
    int level, unsigned shift, void *arg)
{
	struct rss_count *c = arg;
	struct vm_area_struct *vma;
	struct page *page;

	(void)pgt;
	(void)level;
	if (is_swap_pte(*ptep)) {
		c->rss[MM_SWAPENTS]++;
		return 0;
	}
	page = vm_normal_page(c->m, *ptep);
	if (page == NULL)
		return 0;
	vma = find_vma(c->mm, addr);
	if (vma != NULL && (vma->vm_flags & VM_HUGETLB))
		return 0;	/* hugetlb pages are not in rss */
	c->rss[mm_counter(vma, page)] += 1L << (shift - c->m->arch.page_shift);
	return 0;
}

int validate_memory(struct machine *m, char *why, size_t whylen)
{
	static const char *const names[NR_MM_COUNTERS] = {
		"MM_FILEPAGES", "MM_ANONPAGES", "MM_SWAPENTS", "MM_SHMEMPAGES"
	};
	struct task_struct *t;
	int i;

	if (validate_rmap(m, why, whylen) != 0)
		return -1;
	list_for_each_entry(t, &m->tasks, tasks) {
		struct rss_count c;

		if (t->mm == NULL || t->mm->pgt == NULL)
			continue;
		memset(&c, 0, sizeof(c));
		c.m = m;
		c.mm = t->mm;
		walk_page_range(t->mm->pgt, 0, t->mm->task_size, rss_one, &c);
		for (i = 0; i < NR_MM_COUNTERS; i++) {
			if (c.rss[i] != t->mm->rss_stat[i]) {
				snprintf(why, whylen, "pid %d: %s is %ld but "
				    "the page table holds %ld", t->pid,
				    names[i], t->mm->rss_stat[i], c.rss[i]);
				return -1;
			}
		}
	}
	return 0;
}
