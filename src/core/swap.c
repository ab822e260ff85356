/*
 * swap.c - swap areas and the swap cache (mm/swapfile.c, mm/swap_state.c)
 * and the swap-in fault (mm/memory.c: do_swap_page). See swap.h for the
 * counting rules of swap_map.
 *
 * An area is memory of the host standing for a swap file: vmscope never
 * keeps the data of a page (it has none), only who the page was, so a page
 * read back becomes the same anonymous page for rmap (its anon_vma and
 * index are kept per slot) and the workingset code can tell how long it
 * was away (the eviction clock per slot).
 *
 * I/O is synchronous: a write (swap_writepage) or a read (swap_read_folio)
 * is done when the call returns, so PG_writeback is never seen set for
 * long. What a student sees is the counting: pswpout per page written,
 * pswpin per page read, a major fault per read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/lru.h"
#include "vmscope/page_alloc.h"
#include "vmscope/rmap.h"
#include "vmscope/swap.h"
#include "vmscope/task.h"
#include "vmscope/tlb.h"
#include "vmscope/workingset.h"

static struct swap_info_struct *swap_info_get(struct machine *m,
    uint64_t entry, unsigned long *offset)
{
	unsigned type = pte_swp_type(entry);
	struct swap_info_struct *si;

	if (type >= MAX_SWAP_AREAS)
		return NULL;
	si = m->swap_info[type];
	if (si == NULL)
		return NULL;
	*offset = pte_swp_offset(entry);
	if (*offset == 0 || *offset >= si->max)
		return NULL;
	return si;
}

static void swap_emit(struct machine *m, enum event_kind kind, int pid,
    uint64_t addr, uint64_t entry, unsigned long pfn, uint64_t val,
    uint64_t val2, const char *str, const char *str2)
{
	struct vm_event ev;

	if (m->ev.muted)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.pid = pid;
	ev.addr = addr;
	ev.entry = entry;
	ev.pfn = pfn;
	ev.val = val;
	ev.val2 = val2;
	ev.str = str;
	ev.str2 = str2;
	machine_emit(m, &ev);
}

/* ---- areas --------------------------------------------------------- */

unsigned long total_swap_pages(const struct machine *m)
{
	unsigned long n = 0;
	unsigned i;

	for (i = 0; i < m->nr_swapfiles; i++) {
		if (m->swap_info[i] != NULL && !m->swap_info[i]->writeback_only)
			n += m->swap_info[i]->pages;
	}
	return n;
}

unsigned long nr_free_swap_pages(const struct machine *m)
{
	unsigned long n = 0;
	unsigned i;

	for (i = 0; i < m->nr_swapfiles; i++) {
		const struct swap_info_struct *si = m->swap_info[i];

		if (si != NULL && !si->writeback_only)
			n += si->pages - si->inuse_pages;
	}
	return n;
}

unsigned long total_swapcache_pages(const struct machine *m)
{
	unsigned long n = 0, off;
	unsigned i;

	for (i = 0; i < m->nr_swapfiles; i++) {
		const struct swap_info_struct *si = m->swap_info[i];

		if (si == NULL)
			continue;
		for (off = 1; off < si->max; off++)
			n += si->cache[off] != NULL;
	}
	return n;
}

bool vm_swap_full(const struct machine *m)
{
	unsigned long total = total_swap_pages(m);

	return total == 0 || nr_free_swap_pages(m) * 2 < total;
}

int swapon(struct machine *m, uint64_t size, unsigned *typep)
{
	struct swap_info_struct *si;
	unsigned long max = (unsigned long)(size / m->page_size);
	unsigned type;
	int least = m->least_priority != 0 ? m->least_priority : -1;

	if (max < 2)
		return -EINVAL;
	for (type = 0; type < MAX_SWAP_AREAS; type++) {
		if (m->swap_info[type] == NULL)
			break;
	}
	if (type == MAX_SWAP_AREAS)
		return -EPERM;
	si = xcalloc(1, sizeof(*si));
	si->type = type;
	si->prio = least - 1;
	m->least_priority = si->prio;
	if (type == 0)
		snprintf(si->name, sizeof(si->name), "/swapfile");
	else
		snprintf(si->name, sizeof(si->name), "/swapfile%u", type);
	si->max = max;
	si->pages = max - 1;	/* the header page */
	si->cluster_next = 1;
	si->swap_map = xcalloc(max, 1);
	si->cache = xcalloc(max, sizeof(*si->cache));
	si->owner = xcalloc(max, sizeof(*si->owner));
	si->owner_index = xcalloc(max, sizeof(*si->owner_index));
	si->evicted_at = xcalloc(max, sizeof(*si->evicted_at));
	m->swap_info[type] = si;
	if (type >= m->nr_swapfiles)
		m->nr_swapfiles = type + 1;
	swap_emit(m, EV_SWAPON, 0, 0, 0, 0, si->pages, (uint64_t)(int64_t)si->prio,
	    si->name, NULL);
	if (typep != NULL)
		*typep = type;
	return 0;
}

static void swap_info_free(struct machine *m, struct swap_info_struct *si)
{
	m->swap_info[si->type] = NULL;
	while (m->nr_swapfiles > 0 && m->swap_info[m->nr_swapfiles - 1] == NULL)
		m->nr_swapfiles--;
	free(si->swap_map);
	free(si->cache);
	free(si->owner);
	free(si->owner_index);
	free(si->evicted_at);
	free(si);
}

void swap_machine_free(struct machine *m)
{
	unsigned i;

	for (i = 0; i < MAX_SWAP_AREAS; i++) {
		if (m->swap_info[i] != NULL)
			swap_info_free(m, m->swap_info[i]);
	}
}

/* ---- slots ----------------------------------------------------------- */

static void slot_free(struct swap_info_struct *si, unsigned long offset)
{
	si->inuse_pages--;
	si->owner[offset] = NULL;
	si->owner_index[offset] = 0;
}

int get_swap_page(struct machine *m, uint64_t *entry)
{
	struct swap_info_struct *best = NULL, *si;
	unsigned long off, n;
	unsigned i;

	/* the highest priority first; among equals the lower type */
	for (i = 0; i < m->nr_swapfiles; i++) {
		si = m->swap_info[i];
		if (si == NULL || si->writeback_only ||
		    si->inuse_pages >= si->pages)
			continue;
		if (best == NULL || si->prio > best->prio)
			best = si;
	}
	if (best == NULL)
		return -ENOSPC;
	si = best;
	/* scan_swap_map_slots, without clusters: the next free slot */
	off = si->cluster_next;
	for (n = 0; n < si->max; n++, off++) {
		if (off >= si->max)
			off = 1;
		if (si->swap_map[off] == 0)
			break;
	}
	si->swap_map[off] = SWAP_HAS_CACHE;
	si->inuse_pages++;
	si->cluster_next = off + 1 < si->max ? off + 1 : 1;
	*entry = swp_entry(si->type, off);
	return 0;
}

int swap_count(struct machine *m, uint64_t entry)
{
	struct swap_info_struct *si;
	unsigned long off = 0;

	si = swap_info_get(m, entry, &off);
	if (si == NULL)
		return 0;
	return si->swap_map[off] & ~SWAP_HAS_CACHE;
}

int swap_duplicate(struct machine *m, uint64_t entry)
{
	struct swap_info_struct *si;
	unsigned long off = 0;
	unsigned char count;

	si = swap_info_get(m, entry, &off);
	if (si == NULL || si->swap_map[off] == 0)
		return -EINVAL;
	count = si->swap_map[off] & ~SWAP_HAS_CACHE;
	if (count >= SWAP_MAP_MAX)
		return -ENOMEM;	/* Linux chains continuation pages here */
	si->swap_map[off]++;
	return 0;
}

void swap_free(struct machine *m, uint64_t entry)
{
	struct swap_info_struct *si;
	unsigned long off = 0;

	si = swap_info_get(m, entry, &off);
	if (si == NULL || (si->swap_map[off] & ~SWAP_HAS_CACHE) == 0)
		return;
	if (--si->swap_map[off] == 0)
		slot_free(si, off);
}

/* ---- the swap cache ------------------------------------------------- */

struct page *lookup_swap_cache(struct machine *m, uint64_t entry)
{
	struct swap_info_struct *si;
	unsigned long off = 0;

	si = swap_info_get(m, entry, &off);
	return si != NULL ? si->cache[off] : NULL;
}

int add_to_swap_cache(struct machine *m, struct page *page, uint64_t entry)
{
	struct swap_info_struct *si;
	unsigned long off = 0;

	si = swap_info_get(m, entry, &off);
	if (si == NULL)
		return -EINVAL;
	if (si->cache[off] != NULL)
		return -EEXIST;
	if (si->swap_map[off] == 0)
		si->inuse_pages++;	/* a slot taken for the cache alone */
	si->swap_map[off] |= SWAP_HAS_CACHE;
	si->cache[off] = page;
	SetPageFlag(page, PG_swapcache);
	page->private = (unsigned long)entry;
	page->_refcount++;
	if (PageFlag(page, PG_anon) && page->mapping != NULL) {
		si->owner[off] = page->mapping;
		si->owner_index[off] = page->index;
	}
	return 0;
}

void delete_from_swap_cache(struct machine *m, struct page *page)
{
	uint64_t entry = page->private;
	struct swap_info_struct *si;
	unsigned long off = 0;

	if (!PageSwapCache(page))
		return;
	si = swap_info_get(m, entry, &off);
	ClearPageFlag(page, PG_swapcache);
	page->private = 0;
	if (si != NULL && si->cache[off] == page) {
		si->cache[off] = NULL;
		si->swap_map[off] &= ~SWAP_HAS_CACHE;
		if (si->swap_map[off] == 0)
			slot_free(si, off);
	}
	__free_pages(m, page, 0);	/* the cache's reference */
}

bool try_to_free_swap(struct machine *m, struct page *page)
{
	if (!PageSwapCache(page) || swap_count(m, page->private) != 0)
		return false;
	/* the only copy of the data is the page now */
	SetPageFlag(page, PG_dirty);
	delete_from_swap_cache(m, page);
	return true;
}

void free_swap_cache(struct machine *m, struct page *page)
{
	if (PageSwapCache(page) && !page_mapped(page) &&
	    swap_count(m, page->private) == 0)
		delete_from_swap_cache(m, page);
}

void free_swap_and_cache(struct machine *m, uint64_t entry)
{
	struct swap_info_struct *si;
	struct page *page;
	unsigned long off = 0;

	si = swap_info_get(m, entry, &off);
	if (si == NULL)
		return;
	swap_free(m, entry);
	page = si->cache[off];
	if (page != NULL && si->swap_map[off] == SWAP_HAS_CACHE &&
	    !page_mapped(page))
		delete_from_swap_cache(m, page);
}

/* ---- swap-in --------------------------------------------------------- */

/* The PTE bits for a page of vma (vm_get_page_prot, x86 encoding). */
static uint64_t swapin_pte_prot(struct machine *m, struct vm_area_struct *vma,
    bool writable)
{
	uint64_t prot = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;

	if (writable && (vma->vm_flags & VM_WRITE))
		prot |= _PAGE_RW;
	if (pt_has_nx(m) && !(vma->vm_flags & VM_EXEC))
		prot |= _PAGE_NX;
	return prot;
}

/*
 * Bring the page of entry in (swap cache or a read), without mapping it.
 * Returns the page with one reference for the caller's mapping, or NULL
 * (-ENOMEM in *err).
 */
static struct page *swapin_page(struct machine *m, struct mm_struct *mm,
    uint64_t entry, bool *major, int *err)
{
	struct swap_info_struct *si;
	struct mm_struct *saved = m->fault_mm;
	struct page *page;
	unsigned long off = 0;
	bool activate;

	si = swap_info_get(m, entry, &off);
	*major = false;
	page = si->cache[off];
	if (page != NULL) {
		page->_refcount++;
		mark_page_accessed(m, page);
		return page;
	}
	m->fault_mm = mm;
	page = alloc_pages_node(m, 0, ZONE_MOVABLE, 0, ALLOC_ANON);
	m->fault_mm = saved;
	if (page == NULL) {
		*err = -ENOMEM;
		return NULL;
	}
	/* reclaim ran inside the allocation: someone may have read it in */
	if (si->cache[off] != NULL) {
		__free_pages(m, page, 0);
		si->cache[off]->_refcount++;
		return si->cache[off];
	}
	*major = true;
	m->vm_events[VM_pswpin]++;
	m->vm_events[VM_pgpgin] += m->page_size / 1024;
	activate = workingset_refault(m, page_to_nid(page), si->evicted_at[off],
	    false);
	/*
	 * Not anonymous yet (Linux: a fresh folio): swapin_map gives it the
	 * anon_vma of the VMA it is mapped in, as folio_add_new_anon_rmap
	 * does; the slot's owner is a record, not where rmap looks.
	 */
	SetPageFlag(page, PG_anon);
	SetPageFlag(page, PG_swapbacked);
	SetPageFlag(page, PG_uptodate);
	add_to_swap_cache(m, page, entry);
	if (activate) {
		SetPageFlag(page, PG_active);
		m->vm_events[VM_pgactivate]++;
	}
	lru_cache_add(m, page);
	return page;
}

/* Map page at addr for the PTE that held entry, dropping its slot reference. */
static void swapin_map(struct machine *m, struct mm_struct *mm,
    struct vm_area_struct *vma, uint64_t addr, uint64_t *ptep,
    struct page *page, uint64_t entry, bool write, bool *need_wp)
{
	bool exclusive = swap_count(m, entry) == 1 && !page_mapped(page);
	uint64_t prot = swapin_pte_prot(m, vma, write && exclusive);

	if (write && exclusive)
		prot |= _PAGE_DIRTY;
	set_pte_at(mm->pgt, addr, ptep, pfn_pte(page_to_pfn(m, page), prot));
	anon_vma_prepare(vma);	/* it has one: it held the entry */
	page_add_anon_rmap(page, vma, addr, exclusive);
	mm->rss_stat[MM_SWAPENTS]--;
	mm->rss_stat[MM_ANONPAGES]++;
	swap_free(m, entry);
	/*
	 * should_try_to_free_swap: a page about to be written no longer
	 * matches its slot, and a nearly full swap wants its slots back;
	 * otherwise the copy stays, so that a clean page can be evicted again
	 * without a write.
	 */
	if ((write && exclusive) || vm_swap_full(m))
		try_to_free_swap(m, page);
	if (need_wp != NULL)
		*need_wp = write && !exclusive && (vma->vm_flags & VM_WRITE);
}

int do_swap_page(struct mm_struct *mm, struct vm_area_struct *vma,
    uint64_t addr, uint64_t *ptep, bool write, struct swap_fault *res)
{
	struct machine *m = mm->machine;
	uint64_t entry = *ptep;
	struct swap_info_struct *si;
	struct page *page;
	unsigned long off = 0;
	bool major = false;
	int err = 0;

	memset(res, 0, sizeof(*res));
	si = swap_info_get(m, entry, &off);
	if (!is_swap_pte(entry) || si == NULL ||
	    (si->swap_map[off] & ~SWAP_HAS_CACHE) == 0)
		return -EFAULT;
	page = swapin_page(m, mm, entry, &major, &err);
	if (page == NULL)
		return err;
	res->major = major;
	res->cache_hit = !major;
	res->pfn = page_to_pfn(m, page);
	swapin_map(m, mm, vma, addr, ptep, page, entry, write, &res->need_wp);
	swap_emit(m, EV_SWAP_IN, mm->owner_pid, addr, entry, res->pfn, 0, 0,
	    major ? "read from swap (major fault)" :
	    "found in the swap cache (minor fault)", NULL);
	return 0;
}

/* ---- swapoff --------------------------------------------------------- */

struct unuse_arg {
	unsigned	 type;
	uint64_t	*addrs;
	size_t		 n, cap;
};

static int collect_swap_pte(struct pgtable *pgt, uint64_t addr,
    uint64_t *ptep, int level, unsigned shift, void *arg)
{
	struct unuse_arg *ua = arg;

	(void)pgt;
	(void)level;
	(void)shift;
	if (!is_swap_pte(*ptep) || pte_swp_type(*ptep) != ua->type)
		return 0;
	if (ua->n == ua->cap) {
		ua->cap = ua->cap ? ua->cap * 2 : 64;
		ua->addrs = xrealloc(ua->addrs, ua->cap * sizeof(*ua->addrs));
	}
	ua->addrs[ua->n++] = addr;
	return 0;
}

/* unuse_vma: every swap PTE of the area in vma is brought in. */
static int unuse_vma(struct machine *m, struct mm_struct *mm,
    struct vm_area_struct *vma, unsigned type, unsigned long *nr_in)
{
	struct unuse_arg ua = { type, NULL, 0, 0 };
	size_t i;
	int err = 0;

	walk_page_range(mm->pgt, vma->vm_start, vma->vm_end, collect_swap_pte,
	    &ua);
	for (i = 0; i < ua.n && err == 0; i++) {
		uint64_t *ptep = pte_offset(mm->pgt, ua.addrs[i]);
		uint64_t entry;
		struct page *page;
		bool major;

		if (ptep == NULL || !is_swap_pte(*ptep) ||
		    pte_swp_type(*ptep) != type)
			continue;
		entry = *ptep;
		page = swapin_page(m, mm, entry, &major, &err);
		if (page == NULL)
			break;
		/* unuse_pte maps it old: swapoff is not a use */
		swapin_map(m, mm, vma, ua.addrs[i], ptep, page, entry, false,
		    NULL);
		*ptep = pte_mkold(*ptep);
		(*nr_in)++;
	}
	free(ua.addrs);
	return err;
}

int swapoff(struct machine *m, unsigned type)
{
	struct swap_info_struct *si;
	struct task_struct *t;
	unsigned long off, nr_in = 0;
	int pid, err = 0;

	if (type >= MAX_SWAP_AREAS || (si = m->swap_info[type]) == NULL)
		return -EINVAL;
	si->writeback_only = true;	/* no new slots from here */
	/* try_to_unuse: processes in pid order; an OOM kill may end one */
	for (pid = 1; pid <= m->last_pid && err == 0; pid++) {
		struct vm_area_struct *vma;
		struct mm_struct *saved = m->fault_mm;

		t = find_task_by_pid(m, pid);
		if (t == NULL || t->mm == NULL || t->mm->pgt == NULL)
			continue;
		m->fault_mm = t->mm;
		for (vma = t->mm->mmap; vma != NULL && err == 0;
		    vma = vma->vm_next)
			err = unuse_vma(m, t->mm, vma, type, &nr_in);
		m->fault_mm = saved;
	}
	if (err == 0) {
		/* what only the swap cache still holds stays in memory */
		for (off = 1; off < si->max; off++) {
			struct page *page = si->cache[off];

			if (page != NULL) {
				SetPageFlag(page, PG_dirty);
				delete_from_swap_cache(m, page);
			}
		}
		if (si->inuse_pages != 0)
			err = -ENOMEM;	/* slots held by tasks being killed */
	}
	if (err != 0) {
		si->writeback_only = false;
		swap_emit(m, EV_SWAPOFF, 0, 0, 0, 0, nr_in, 0, si->name,
		    "failed: not enough memory (ENOMEM), the area stays on");
		return -ENOMEM;
	}
	swap_emit(m, EV_SWAPOFF, 0, 0, 0, 0, nr_in, 0, si->name, "area off");
	if (si->prio == m->least_priority)
		m->least_priority++;
	swap_info_free(m, si);
	return 0;
}

/* ---- checker ----------------------------------------------------------- */

struct swap_census {
	struct machine	*m;
	unsigned	**refs;		/* per area, per slot: swap PTEs found */
	char		*why;
	size_t		 whylen;
	int		 pid;
	int		 bad;
};

static int census_pte(struct pgtable *pgt, uint64_t addr, uint64_t *ptep,
    int level, unsigned shift, void *arg)
{
	struct swap_census *c = arg;
	struct swap_info_struct *si;
	unsigned long off = 0;

	(void)pgt;
	(void)level;
	(void)shift;
	if (!is_swap_pte(*ptep))
		return 0;
	si = swap_info_get(c->m, *ptep, &off);
	if (si == NULL) {
		snprintf(c->why, c->whylen, "pid %d va %#llx: swap entry %#llx "
		    "names no swap slot", c->pid, (unsigned long long)addr,
		    (unsigned long long)*ptep);
		c->bad = 1;
		return 1;
	}
	c->refs[si->type][off]++;
	return 0;
}

int validate_swap(struct machine *m, char *why, size_t whylen)
{
	struct swap_census c = { m, NULL, why, whylen, 0, 0 };
	struct task_struct *t;
	unsigned i;
	unsigned long off, inuse;
	int rc = -1;

	c.refs = xcalloc(MAX_SWAP_AREAS, sizeof(*c.refs));
	for (i = 0; i < MAX_SWAP_AREAS; i++) {
		if (m->swap_info[i] != NULL)
			c.refs[i] = xcalloc(m->swap_info[i]->max,
			    sizeof(**c.refs));
	}
	if (m->tasks.next != NULL) {
		list_for_each_entry(t, &m->tasks, tasks) {
			if (t->mm == NULL || t->mm->pgt == NULL)
				continue;
			c.pid = t->pid;
			walk_page_range(t->mm->pgt, 0, t->mm->task_size,
			    census_pte, &c);
			if (c.bad)
				goto out;
		}
	}
	for (i = 0; i < MAX_SWAP_AREAS; i++) {
		struct swap_info_struct *si = m->swap_info[i];

		if (si == NULL)
			continue;
		if (si->type != i) {
			snprintf(why, whylen, "swap area %u says type %u", i,
			    si->type);
			goto out;
		}
		inuse = 0;
		if (si->swap_map[0] != 0) {
			snprintf(why, whylen, "%s: the header slot is in use",
			    si->name);
			goto out;
		}
		for (off = 1; off < si->max; off++) {
			unsigned char count = si->swap_map[off];
			struct page *page = si->cache[off];

			if (count != 0)
				inuse++;
			if ((count & ~SWAP_HAS_CACHE) != c.refs[i][off]) {
				snprintf(why, whylen, "%s slot %lu: count %u but "
				    "%u swap PTEs hold it", si->name, off,
				    count & ~SWAP_HAS_CACHE, c.refs[i][off]);
				goto out;
			}
			if (!!(count & SWAP_HAS_CACHE) != (page != NULL)) {
				snprintf(why, whylen, "%s slot %lu: SWAP_HAS_CACHE "
				    "is %s but the swap cache %s", si->name, off,
				    count & SWAP_HAS_CACHE ? "set" : "clear",
				    page ? "has a page" : "is empty");
				goto out;
			}
			if (page == NULL)
				continue;
			if (!PageSwapCache(page) ||
			    page->private != swp_entry(i, off)) {
				snprintf(why, whylen, "pfn 0x%lx in the swap cache "
				    "for %s slot %lu is not marked so",
				    page_to_pfn(m, page), si->name, off);
				goto out;
			}
			if (page->_refcount < 1 || PageBuddy(page)) {
				snprintf(why, whylen, "pfn 0x%lx in the swap cache "
				    "is free", page_to_pfn(m, page));
				goto out;
			}
		}
		if (inuse != si->inuse_pages) {
			snprintf(why, whylen, "%s: inuse_pages %lu, slots in use "
			    "%lu", si->name, si->inuse_pages, inuse);
			goto out;
		}
	}
	/* every PG_swapcache page is in some area's cache */
	for (off = 0; off < m->max_pfn; off++) {
		struct page *page = pfn_to_page(m, off);

		if (PageSwapCache(page) &&
		    lookup_swap_cache(m, page->private) != page) {
			snprintf(why, whylen, "pfn 0x%lx is PG_swapcache but not "
			    "in the swap cache", off);
			goto out;
		}
	}
	rc = 0;
out:
	for (i = 0; i < MAX_SWAP_AREAS; i++)
		free(c.refs[i]);
	free(c.refs);
	return rc;
}
