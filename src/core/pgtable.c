/*
 * pgtable.c - page tables: the geometry of each architecture's tree,
 * allocating and freeing table frames through the buddy allocator, the
 * MMU's walk, entry updates (set_pte_at and friends), the range walk used
 * by smaps, fork and rmap checks, free_pgtables, the per-architecture
 * rendering of entries, and the checkers.
 *
 * A table is a block of frames from alloc_pages_node(ALLOC_PGTABLE) plus a
 * host array of 64-bit entries that the block's head struct page points
 * at (page->mapping). Page-table frames are counted in the process
 * (pgt->nr_pages: mm->pgtables_bytes) and in the machine
 * (m->nr_pgtable_pages: NR_PAGETABLE, meminfo's PageTables).
 *
 * Entries are kept in the x86 encoding (pgtable.h) on every architecture.
 * Intermediate entries are _PAGE_TABLE (0x067), as x86 Linux makes them
 * (pmd_populate); leaves are whatever the caller stores. Rendering for
 * other MMUs happens only in pgtable_entry_raw(), which never feeds back
 * into the model.
 *
 * What vmscope does not model here (doc/simplifications.md): the kernel
 * half of each pgd (Linux copies the kernel's upper entries into every
 * new pgd), 1 GiB pud leaves, splitting a huge leaf when part of it is
 * unmapped, and ARM's pairing of two hardware L2 tables with their Linux
 * shadows in one page.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/page_alloc.h"
#include "vmscope/pgtable.h"
#include "vmscope/tlb.h"

/* ---- geometry ---------------------------------------------------- */

unsigned pt_level_shift(const struct machine *m, int level)
{
	unsigned shift = m->arch.page_shift;
	int l;

	for (l = m->arch.nr_levels - 1; l > level; l--)
		shift += m->arch.level_bits[l];
	return shift;
}

unsigned pt_index(const struct machine *m, int level, uint64_t addr)
{
	unsigned bits = m->arch.level_bits[level];

	return (unsigned)((addr >> pt_level_shift(m, level)) &
	    ((1ULL << bits) - 1));
}

unsigned pt_entries(const struct machine *m, int level)
{
	return 1U << m->arch.level_bits[level];
}

uint64_t pt_table_bytes(const struct machine *m, int level)
{
	return (uint64_t)pt_entries(m, level) * m->arch.pte_size;
}

unsigned pt_table_order(const struct machine *m, int level)
{
	uint64_t bytes = pt_table_bytes(m, level);
	unsigned order = 0;

	while ((m->page_size << order) < bytes)
		order++;
	return order;
}

int pt_huge_level(const struct machine *m)
{
	return m->arch.nr_levels >= 2 ? m->arch.nr_levels - 2 : -1;
}

bool pt_addr_valid(const struct machine *m, uint64_t addr)
{
	unsigned va = m->arch.va_bits;

	if (va >= 64)
		return true;
	/*
	 * x86 walks both halves through the one pgd, so any canonical
	 * address (bits above va_bits copies of the top one) is walkable.
	 * Elsewhere a process's table (TTBR0) only covers the low half.
	 */
	if (m->arch.id == ARCH_X86_64 || m->arch.id == ARCH_X86_64_LA57) {
		int64_t sext = (int64_t)(addr << (64 - va)) >> (64 - va);

		return (uint64_t)sext == addr;
	}
	return (addr >> va) == 0;
}

uint64_t pt_flat_bytes(const struct machine *m)
{
	unsigned vpn_bits = m->arch.va_bits - m->arch.page_shift;

	if (vpn_bits + 4 >= 64)
		return UINT64_MAX;
	return (1ULL << vpn_bits) * m->arch.pte_size;
}

/* The part of an address the tables translate (drops sign extension). */
static uint64_t va_mask(const struct machine *m)
{
	return m->arch.va_bits >= 64 ? UINT64_MAX :
	    (1ULL << m->arch.va_bits) - 1;
}

static bool level_is_last(const struct machine *m, int level)
{
	return level == m->arch.nr_levels - 1;
}

/* ---- events ------------------------------------------------------- */

static void emit(struct pgtable *pgt, enum event_kind kind, int level,
    uint64_t addr, unsigned long pfn, uint64_t entry, uint64_t val,
    const char *str2)
{
	struct machine *m = pgt->m;
	struct vm_event ev;

	if (m->ev.muted)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.pid = pgt->pid;
	ev.level = level;
	ev.addr = addr;
	ev.pfn = pfn;
	ev.entry = entry;
	ev.val = val;
	ev.str = m->arch.level_names[level];
	ev.str2 = str2;
	machine_emit(m, &ev);
}

/* ---- table frames ------------------------------------------------- */

struct pt_page *pt_page_of(struct machine *m, unsigned long pfn)
{
	struct page *page;

	if (pfn >= m->max_pfn)
		return NULL;
	page = pfn_to_page(m, pfn);
	if (!PageFlag(page, PG_pgtable) || PageFlag(page, PG_tail))
		return NULL;
	return page->mapping;
}

/*
 * pte_alloc_one / pmd_alloc_one: a zeroed table for `level`, from
 * ZONE_NORMAL and below (GFP_PGTABLE_USER: never HighMem).
 */
static int alloc_table(struct pgtable *pgt, int level, uint64_t addr,
    unsigned long *pfnp)
{
	struct machine *m = pgt->m;
	unsigned order = pt_table_order(m, level);
	unsigned n = pt_entries(m, level);
	struct page *page;
	struct pt_page *pt;

	page = alloc_pages_node(m, 0, ZONE_NORMAL, order, ALLOC_PGTABLE);
	if (page == NULL)
		return -ENOMEM;
	pt = xcalloc(1, sizeof(*pt) + (size_t)n * sizeof(pt->ent[0]));
	pt->level = level;
	pt->nr_entries = n;
	page->mapping = pt;
	pgt->nr_tables[level]++;
	pgt->nr_pages += 1UL << order;
	m->nr_pgtable_pages += 1UL << order;
	*pfnp = page_to_pfn(m, page);
	emit(pgt, level == 0 ? EV_PGD_ALLOC : EV_PGTABLE_ALLOC, level, addr,
	    *pfnp, 0, order, NULL);
	return 0;
}

static void free_table(struct pgtable *pgt, unsigned long pfn, uint64_t addr)
{
	struct machine *m = pgt->m;
	struct page *page = pfn_to_page(m, pfn);
	struct pt_page *pt = page->mapping;
	int level = pt->level;
	unsigned order = pt_table_order(m, level);

	emit(pgt, level == 0 ? EV_PGD_FREE : EV_PGTABLE_FREE, level, addr, pfn,
	    0, order, NULL);
	free(pt);
	page->mapping = NULL;
	pgt->nr_tables[level]--;
	pgt->nr_pages -= 1UL << order;
	m->nr_pgtable_pages -= 1UL << order;
	__free_pages(m, page, order);
}

struct pgtable *pgtable_alloc(struct machine *m, int pid)
{
	struct pgtable *pgt = xcalloc(1, sizeof(*pgt));

	pgt->m = m;
	pgt->pid = pid;
	if (alloc_table(pgt, 0, 0, &pgt->root_pfn) != 0) {
		free(pgt);
		return NULL;
	}
	pgt->asid = m->tlb != NULL ? tlb_asid_alloc(m->tlb) : 0;
	return pgt;
}

/* Free the tables below entry array `pt` (of table `level`), bottom up. */
static void free_subtree(struct pgtable *pgt, struct pt_page *pt,
    uint64_t base)
{
	struct machine *m = pgt->m;
	unsigned shift = pt_level_shift(m, pt->level), i;

	if (level_is_last(m, pt->level))
		return;
	for (i = 0; i < pt->nr_entries; i++) {
		uint64_t e = pt->ent[i];
		uint64_t a = base + ((uint64_t)i << shift);
		unsigned long cpfn;

		if (!pte_hw_present(e) || pte_huge(e))
			continue;
		cpfn = pte_pfn(e);
		free_subtree(pgt, pt_page_of(m, cpfn), a);
		pt->ent[i] = 0;
		free_table(pgt, cpfn, a);
	}
}

void pgtable_free(struct pgtable *pgt)
{
	struct machine *m;

	if (pgt == NULL)
		return;
	m = pgt->m;
	if (m->tlb != NULL) {
		flush_tlb_mm(pgt);
		tlb_forget_mm(m, pgt);
		tlb_asid_free(m->tlb, pgt->asid);
	}
	free_subtree(pgt, pt_page_of(m, pgt->root_pfn), 0);
	free_table(pgt, pgt->root_pfn, 0);
	free(pgt);
}

/* ---- lookup and allocation ---------------------------------------- */

/*
 * The entry for addr in the table of `target` level, or NULL when a table
 * above is missing or a huge leaf above maps addr.
 */
static uint64_t *lookup_entry(struct pgtable *pgt, uint64_t addr, int target)
{
	struct machine *m = pgt->m;
	unsigned long pfn = pgt->root_pfn;
	int level;

	if (target < 0 || !pt_addr_valid(m, addr))
		return NULL;
	for (level = 0;; level++) {
		struct pt_page *pt = pt_page_of(m, pfn);
		uint64_t *ep = &pt->ent[pt_index(m, level, addr)];

		if (level == target)
			return ep;
		if (!pte_hw_present(*ep) || pte_huge(*ep))
			return NULL;
		pfn = pte_pfn(*ep);
	}
}

uint64_t *pte_offset(struct pgtable *pgt, uint64_t addr)
{
	return lookup_entry(pgt, addr, pgt->m->arch.nr_levels - 1);
}

uint64_t *pmd_offset(struct pgtable *pgt, uint64_t addr)
{
	return lookup_entry(pgt, addr, pt_huge_level(pgt->m));
}

static int alloc_entry(struct pgtable *pgt, uint64_t addr, int target,
    uint64_t **entp)
{
	struct machine *m = pgt->m;
	unsigned long pfn = pgt->root_pfn, cpfn;
	int level, rc;

	if (target < 0)
		return -EINVAL;
	if (!pt_addr_valid(m, addr))
		return -EFAULT;
	for (level = 0;; level++) {
		struct pt_page *pt = pt_page_of(m, pfn);
		uint64_t *ep = &pt->ent[pt_index(m, level, addr)];

		if (level == target) {
			*entp = ep;
			return 0;
		}
		if (pte_none(*ep)) {
			rc = alloc_table(pgt, level + 1, addr, &cpfn);
			if (rc != 0)
				return rc;
			/* pmd_populate: the new table is linked in at once */
			*ep = pfn_pte(cpfn, _PAGE_TABLE);
		} else if (pte_huge(*ep)) {
			return -EEXIST;
		}
		pfn = pte_pfn(*ep);
	}
}

int pte_alloc(struct pgtable *pgt, uint64_t addr, uint64_t **ptep)
{
	return alloc_entry(pgt, addr, pgt->m->arch.nr_levels - 1, ptep);
}

int pmd_alloc(struct pgtable *pgt, uint64_t addr, uint64_t **pmdp)
{
	return alloc_entry(pgt, addr, pt_huge_level(pgt->m), pmdp);
}

/* ---- entry updates ------------------------------------------------ */

static uint64_t leaf_addr(const struct machine *m, int level, uint64_t addr)
{
	return ALIGN_DOWN(addr, 1ULL << pt_level_shift(m, level));
}

static void set_entry(struct pgtable *pgt, int level, uint64_t addr,
    uint64_t *ep, uint64_t val)
{
	*ep = val;
	emit(pgt, EV_SET_PTE, level, leaf_addr(pgt->m, level, addr),
	    pte_present(val) ? pte_pfn(val) : 0,
	    pgtable_entry_raw(pgt->m, level, val), 0, NULL);
}

static uint64_t clear_entry(struct pgtable *pgt, int level, uint64_t addr,
    uint64_t *ep)
{
	uint64_t old = *ep;

	*ep = 0;
	emit(pgt, EV_CLEAR_PTE, level, leaf_addr(pgt->m, level, addr),
	    pte_present(old) ? pte_pfn(old) : 0,
	    pgtable_entry_raw(pgt->m, level, old), 0, NULL);
	return old;
}

void set_pte_at(struct pgtable *pgt, uint64_t addr, uint64_t *ptep,
    uint64_t pte)
{
	set_entry(pgt, pgt->m->arch.nr_levels - 1, addr, ptep, pte);
}

void set_pmd_at(struct pgtable *pgt, uint64_t addr, uint64_t *pmdp,
    uint64_t pmd)
{
	set_entry(pgt, pt_huge_level(pgt->m), addr, pmdp, pmd);
}

uint64_t ptep_get_and_clear(struct pgtable *pgt, uint64_t addr,
    uint64_t *ptep)
{
	return clear_entry(pgt, pgt->m->arch.nr_levels - 1, addr, ptep);
}

uint64_t pmdp_get_and_clear(struct pgtable *pgt, uint64_t addr,
    uint64_t *pmdp)
{
	return clear_entry(pgt, pt_huge_level(pgt->m), addr, pmdp);
}

uint64_t ptep_clear_flush(struct pgtable *pgt, uint64_t addr, uint64_t *ptep)
{
	uint64_t old = ptep_get_and_clear(pgt, addr, ptep);

	/* only an entry the MMU could use can be cached (pte_accessible) */
	if (pte_hw_present(old))
		flush_tlb_page(pgt, addr);
	return old;
}

void ptep_set_wrprotect(struct pgtable *pgt, uint64_t addr, uint64_t *ptep)
{
	if (pte_write(*ptep))
		set_pte_at(pgt, addr, ptep, pte_wrprotect(*ptep));
}

/* ---- freeing empty tables ----------------------------------------- */

static bool table_empty(const struct pt_page *pt)
{
	unsigned i;

	for (i = 0; i < pt->nr_entries; i++) {
		if (!pte_none(pt->ent[i]))
			return false;
	}
	return true;
}

/*
 * The entries of a table (covering [base, base + entries << shift)) that
 * overlap [start, end), as an index range [*first, *last].
 */
static bool overlap(const struct machine *m, const struct pt_page *pt,
    uint64_t base, uint64_t start, uint64_t end, unsigned *first,
    unsigned *last)
{
	unsigned shift = pt_level_shift(m, pt->level);
	uint64_t span_last = base + (((uint64_t)pt->nr_entries << shift) - 1);

	if (end <= start || end - 1 < base || start > span_last)
		return false;
	*first = start <= base ? 0 : (unsigned)((start - base) >> shift);
	*last = end - 1 >= span_last ? pt->nr_entries - 1 :
	    (unsigned)((end - 1 - base) >> shift);
	return true;
}

static void free_range(struct pgtable *pgt, struct pt_page *pt, uint64_t base,
    uint64_t start, uint64_t end, unsigned long *freed)
{
	struct machine *m = pgt->m;
	unsigned shift = pt_level_shift(m, pt->level), i, first, last;

	if (level_is_last(m, pt->level) ||
	    !overlap(m, pt, base, start, end, &first, &last))
		return;
	for (i = first; i <= last; i++) {
		uint64_t e = pt->ent[i], a = base + ((uint64_t)i << shift);
		struct pt_page *child;

		if (!pte_hw_present(e) || pte_huge(e))
			continue;
		child = pt_page_of(m, pte_pfn(e));
		free_range(pgt, child, a, start, end, freed);
		if (table_empty(child)) {
			pt->ent[i] = 0;
			free_table(pgt, pte_pfn(e), a);
			(*freed)++;
		}
	}
}

/* Clip [*start, *end) to the translated part of the address space. */
static bool clip_range(const struct machine *m, uint64_t *start,
    uint64_t *end)
{
	uint64_t mask = va_mask(m);

	if (*end <= *start)
		return false;
	*start &= mask;
	if (*end - 1 > mask && mask != UINT64_MAX)
		*end = mask + 1;
	return *end > *start;
}

unsigned long free_pgtables(struct pgtable *pgt, uint64_t start, uint64_t end)
{
	unsigned long freed = 0;

	if (!clip_range(pgt->m, &start, &end))
		return 0;
	free_range(pgt, pt_page_of(pgt->m, pgt->root_pfn), 0, start, end,
	    &freed);
	return freed;
}

/* ---- walking ------------------------------------------------------ */

enum pt_walk_result pgtable_walk(struct pgtable *pgt, uint64_t addr,
    unsigned flags, struct pt_walk *w)
{
	struct machine *m = pgt->m;
	unsigned long pfn = pgt->root_pfn;
	int level;

	memset(w, 0, sizeof(*w));
	w->addr = addr;
	if (!pt_addr_valid(m, addr)) {
		w->result = WALK_BAD_ADDR;
		if (flags & WALK_EMIT)
			emit(pgt, EV_WALK_BAD_ADDR, 0, addr, 0, 0, 0,
			    "no page table translates this address");
		return w->result;
	}
	for (level = 0; level < m->arch.nr_levels; level++) {
		struct pt_page *pt = pt_page_of(m, pfn);
		unsigned idx = pt_index(m, level, addr);
		uint64_t e = pt->ent[idx];
		struct pt_walk_step *st = &w->step[w->nr_steps++];
		bool leaf = level_is_last(m, level) || pte_huge(e);
		uint64_t raw = pgtable_entry_raw(m, level, e);

		st->level = level;
		st->name = m->arch.level_names[level];
		st->index = idx;
		st->table_pfn = pfn;
		st->entry = e;
		st->leaf = leaf && pte_present(e);
		w->level = level;
		w->ptep = &pt->ent[idx];
		w->leaf = e;

		if (pte_none(e)) {
			w->result = WALK_NONE;
		} else if (pte_protnone(e)) {
			w->result = WALK_PROTNONE;
		} else if (!pte_hw_present(e)) {
			/* a swap entry; above the last level it is corrupt */
			w->result = leaf ? WALK_SWAP : WALK_NONE;
		} else if (!leaf) {
			if (flags & WALK_EMIT)
				emit(pgt, EV_WALK_LEVEL, level, addr,
				    pte_pfn(e), raw, idx, "table");
			pfn = pte_pfn(e);
			continue;
		} else {
			unsigned shift = pt_level_shift(m, level);
			unsigned sub = shift - m->arch.page_shift;

			w->result = WALK_MAPPED;
			w->page_shift = shift;
			w->pfn = pte_pfn(e) + (unsigned long)((addr >>
			    m->arch.page_shift) & ((1ULL << sub) - 1));
			w->phys = ((uint64_t)w->pfn << m->arch.page_shift) |
			    (addr & (m->page_size - 1));
			if (flags & WALK_EMIT)
				emit(pgt, EV_WALK_LEVEL, level, addr, w->pfn,
				    raw, idx, sub != 0 ? "huge page" : "page");
			return w->result;
		}
		if (flags & WALK_EMIT)
			emit(pgt, EV_WALK_FAULT, level, addr, 0, raw, idx,
			    w->result == WALK_NONE ? "none" :
			    w->result == WALK_SWAP ? "swap entry" :
			    "PROT_NONE (not present to the MMU)");
		return w->result;
	}
	return w->result;	/* not reached: the last level is a leaf */
}

static int walk_range(struct pgtable *pgt, struct pt_page *pt, uint64_t base,
    uint64_t start, uint64_t end, pt_entry_fn *fn, void *arg)
{
	struct machine *m = pgt->m;
	unsigned shift = pt_level_shift(m, pt->level), i, first, last;
	int rc;

	if (!overlap(m, pt, base, start, end, &first, &last))
		return 0;
	for (i = first; i <= last; i++) {
		uint64_t e = pt->ent[i], a = base + ((uint64_t)i << shift);

		if (pte_none(e))
			continue;
		if (level_is_last(m, pt->level) || pte_huge(e) ||
		    !pte_hw_present(e)) {
			rc = fn(pgt, a, &pt->ent[i], pt->level, shift, arg);
		} else {
			rc = walk_range(pgt, pt_page_of(m, pte_pfn(e)), a,
			    start, end, fn, arg);
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}

int walk_page_range(struct pgtable *pgt, uint64_t start, uint64_t end,
    pt_entry_fn *fn, void *arg)
{
	if (!clip_range(pgt->m, &start, &end))
		return 0;
	return walk_range(pgt, pt_page_of(pgt->m, pgt->root_pfn), 0, start,
	    end, fn, arg);
}

/* ---- rendering ---------------------------------------------------- */

/*
 * 32-bit x86 without PAE: the low 32 bits (no NX). Swap entries put the
 * type in bits 1..5 and the offset from bit 9 (pgtable-2level.h).
 */
static uint64_t raw_i386(uint64_t e)
{
	if (is_swap_pte(e))
		return ((uint64_t)pte_swp_type(e) << 1 |
		    (uint64_t)pte_swp_offset(e) << 9) & 0xffffffffULL;
	return e & 0xffffffffULL;
}

/*
 * ARMv7 short descriptors. First level: a coarse table (bits 1:0 = 01,
 * domain 1 as Linux's _PAGE_USER_TABLE, 0x31) or a 1 MiB section (10).
 * Second level: a small page (bit 1), XN in bit 0, C and B set (normal
 * cached memory), AP[1:0] in bits 5:4 with AP[2] in bit 9 (11 = user
 * read/write, 111 = user read-only, 01 = kernel only), nG for user pages.
 * Accessed and dirty have no hardware bits: Linux keeps them in its own
 * copy of each PTE. A PROT_NONE page has no hardware entry (0). Swap
 * entries: type in bits 2..6, offset from bit 7.
 */
static uint64_t raw_arm32(int level, bool last, uint64_t e)
{
	uint64_t base = (uint64_t)pte_pfn(e) << 12, v;
	bool user = pte_user(e), rw = pte_write(e);

	if (pte_none(e) || pte_protnone(e))
		return 0;
	if (is_swap_pte(e))
		return ((uint64_t)pte_swp_type(e) << 2 |
		    (uint64_t)pte_swp_offset(e) << 7) & 0xffffffffULL;
	if (!last && !pte_huge(e))
		return base | 0x31;
	if (!last) {
		v = base | 0x2 | 0xc;
		if (!pte_exec(e))
			v |= 1ULL << 4;
		v |= user ? (rw ? 0xc00 : 0x8c00) : 0x400;
		if (user)
			v |= 1ULL << 17;
		return v & 0xffffffffULL;
	}
	v = base | 0x2 | 0xc;
	if (!pte_exec(e))
		v |= 1;
	v |= user ? (rw ? 0x30 : 0x230) : 0x10;
	if (user)
		v |= 0x800;
	(void)level;
	return v & 0xffffffffULL;
}

/*
 * arm64 4K-granule descriptors: table (11) at levels 0..2, block (01) at
 * level 2, page (11) at level 3. Attributes: AttrIndx 0 (normal memory,
 * Linux's MT_NORMAL), inner shareable (bits 9:8), AF (bit 10) when young,
 * nG for user pages, AP[1] (bit 6) user, AP[2] (bit 7) read-only, DBM
 * (bit 51) for writable pages, PXN (53) on user pages, UXN (54) when not
 * executable, and Linux's software dirty bit (55, which pte_mkdirty
 * sets). As in Linux with hardware dirty tracking, a writable
 * clean page is DBM + read-only and becomes writable in hardware when
 * dirtied. PROT_NONE: invalid with Linux's PTE_PROT_NONE (bit 58). Swap
 * entries: type in bits 3..7, offset from bit 8.
 */
static uint64_t raw_arm64(bool last, uint64_t e)
{
	uint64_t v = (uint64_t)pte_pfn(e) << 12;

	if (pte_none(e))
		return 0;
	if (is_swap_pte(e))
		return (uint64_t)pte_swp_type(e) << 3 |
		    (uint64_t)pte_swp_offset(e) << 8;
	if (!last && !pte_huge(e))
		return v | 0x3;
	v |= last ? 0x3 : 0x1;
	v |= 0x3ULL << 8;
	if (pte_young(e))
		v |= 1ULL << 10;
	if (pte_user(e))
		v |= (1ULL << 11) | (1ULL << 6) | (1ULL << 53);
	if (!pte_write(e) || !pte_dirty(e))
		v |= 1ULL << 7;
	if (pte_write(e))
		v |= 1ULL << 51;
	if (!pte_exec(e))
		v |= 1ULL << 54;
	if (pte_dirty(e))
		v |= 1ULL << 55;
	if (pte_protnone(e))
		v = (v & ~0x3ULL) | (1ULL << 58);
	return v;
}

/*
 * Toy entries are pte_size bytes, laid out as textbook exercises do:
 * the valid bit on top and the frame number in the low bits; entries of
 * two bytes or more also carry RW, US, A and D under the valid bit. A
 * swap entry is invalid with the swap offset where the frame number
 * goes. A frame number too wide for its field is printed whole (the
 * value then needs more digits than the entry has).
 */
static uint64_t raw_toy(const struct machine *m, uint64_t e)
{
	unsigned w = m->arch.pte_size * 8, pfn_bits = w >= 16 ? w - 5 : w - 1;
	uint64_t v, num;

	if (pte_none(e))
		return 0;
	num = is_swap_pte(e) ? pte_swp_offset(e) : pte_pfn(e);
	v = pfn_bits >= 64 ? num : (num & ((1ULL << pfn_bits) - 1));
	if (pfn_bits < 64 && (num >> pfn_bits) != 0)
		v = num;
	if (pte_hw_present(e))
		v |= 1ULL << (w - 1);
	if (w >= 16 && pte_present(e)) {
		if (pte_write(e))
			v |= 1ULL << (w - 2);
		if (pte_user(e))
			v |= 1ULL << (w - 3);
		if (pte_young(e))
			v |= 1ULL << (w - 4);
		if (pte_dirty(e))
			v |= 1ULL << (w - 5);
	}
	return v;
}

uint64_t pgtable_entry_raw(const struct machine *m, int level, uint64_t e)
{
	bool last = level_is_last(m, level);

	switch (m->arch.id) {
	case ARCH_I386:
		return raw_i386(e);
	case ARCH_ARM32:
		return raw_arm32(level, last, e);
	case ARCH_ARM64:
		return raw_arm64(last, e);
	case ARCH_TOY:
		return raw_toy(m, e);
	case ARCH_X86_64:
	case ARCH_X86_64_LA57:
	default:
		return e;
	}
}

/* ---- checking ----------------------------------------------------- */

static bool frame_in_use(const struct page *page)
{
	return PageReserved(page) || PageFlag(page, PG_tail) ||
	    page->_refcount > 0;
}

struct pt_check {
	struct pgtable	*pgt;
	uint8_t		*seen;		/* one bit per pfn */
	unsigned long	 tables[MAX_PT_LEVELS];
	unsigned long	 pages;
	char		*why;
	size_t		 whylen;
};

static int check_table(struct pt_check *c, unsigned long pfn, int level,
    uint64_t base)
{
	struct machine *m = c->pgt->m;
	struct page *page;
	struct pt_page *pt;
	unsigned order, i, shift = pt_level_shift(m, level);

	if (pfn >= m->max_pfn)
		return why_printf(c->why, c->whylen, "pid %d: %s table pfn "
		    "0x%lx is beyond RAM", c->pgt->pid,
		    m->arch.level_names[level], pfn);
	page = pfn_to_page(m, pfn);
	if (!PageFlag(page, PG_pgtable) || PageFlag(page, PG_tail) ||
	    page->_refcount != 1)
		return why_printf(c->why, c->whylen, "pid %d: %s table at pfn "
		    "0x%lx is not an allocated PG_pgtable block head",
		    c->pgt->pid, m->arch.level_names[level], pfn);
	order = PageFlag(page, PG_head) ? (unsigned)page->private : 0;
	if (order != pt_table_order(m, level))
		return why_printf(c->why, c->whylen, "pid %d: %s table at pfn "
		    "0x%lx is an order-%u block, not order %u", c->pgt->pid,
		    m->arch.level_names[level], pfn, order,
		    pt_table_order(m, level));
	pt = page->mapping;
	if (pt == NULL || pt->level != level ||
	    pt->nr_entries != pt_entries(m, level))
		return why_printf(c->why, c->whylen, "pid %d: pfn 0x%lx does "
		    "not hold a %s table", c->pgt->pid, pfn,
		    m->arch.level_names[level]);
	if (c->seen[pfn / 8] & (1U << (pfn % 8)))
		return why_printf(c->why, c->whylen, "pid %d: table at pfn "
		    "0x%lx is linked twice", c->pgt->pid, pfn);
	c->seen[pfn / 8] |= (uint8_t)(1U << (pfn % 8));
	c->tables[level]++;
	c->pages += 1UL << order;

	for (i = 0; i < pt->nr_entries; i++) {
		uint64_t e = pt->ent[i], a = base + ((uint64_t)i << shift);
		bool leaf = level_is_last(m, level) || pte_huge(e);
		unsigned long n, f;

		if (pte_none(e) || is_swap_pte(e))
			continue;
		if (!leaf) {
			if (pte_protnone(e))
				return why_printf(c->why, c->whylen, "pid %d: "
				    "%s[%u] for 0x%llx is PROT_NONE above "
				    "the last level", c->pgt->pid,
				    m->arch.level_names[level], i,
				    (unsigned long long)a);
			if (check_table(c, pte_pfn(e), level + 1, a) != 0)
				return -1;
			continue;
		}
		n = 1UL << (shift - m->arch.page_shift);
		f = pte_pfn(e);
		if (f >= m->max_pfn || f + n > m->max_pfn || f % n != 0)
			return why_printf(c->why, c->whylen, "pid %d: %s[%u] "
			    "for 0x%llx maps pfn 0x%lx, outside RAM or "
			    "misaligned", c->pgt->pid,
			    m->arch.level_names[level], i,
			    (unsigned long long)a, f);
		page = pfn_to_page(m, f);
		if (!frame_in_use(page) || PageFlag(page, PG_pgtable))
			return why_printf(c->why, c->whylen, "pid %d: %s[%u] "
			    "for 0x%llx maps pfn 0x%lx, which is %s",
			    c->pgt->pid, m->arch.level_names[level], i,
			    (unsigned long long)a, f,
			    PageFlag(page, PG_pgtable) ? "a page table" :
			    "free");
	}
	return 0;
}

int validate_pgtable(struct pgtable *pgt, char *why, size_t whylen)
{
	struct machine *m = pgt->m;
	struct pt_check c;
	int rc, l;

	memset(&c, 0, sizeof(c));
	c.pgt = pgt;
	c.why = why;
	c.whylen = whylen;
	c.seen = xcalloc(m->max_pfn / 8 + 1, 1);
	rc = check_table(&c, pgt->root_pfn, 0, 0);
	free(c.seen);
	if (rc != 0)
		return rc;
	for (l = 0; l < m->arch.nr_levels; l++) {
		if (c.tables[l] != pgt->nr_tables[l])
			return why_printf(why, whylen, "pid %d: %lu %s tables "
			    "linked, %lu counted", pgt->pid, c.tables[l],
			    m->arch.level_names[l], pgt->nr_tables[l]);
	}
	if (c.pages != pgt->nr_pages)
		return why_printf(why, whylen, "pid %d: tables hold %lu frames, "
		    "%lu counted", pgt->pid, c.pages, pgt->nr_pages);
	return 0;
}

int validate_pgtables(struct machine *m, char *why, size_t whylen)
{
	unsigned long pfn, n = 0;

	for (pfn = 0; pfn < m->max_pfn; pfn++) {
		struct page *page = pfn_to_page(m, pfn);
		struct pt_page *pt;
		unsigned order;

		if (!PageFlag(page, PG_pgtable) || PageFlag(page, PG_tail))
			continue;
		pt = page->mapping;
		if (pt == NULL)
			return why_printf(why, whylen, "PG_pgtable pfn 0x%lx "
			    "holds no table", pfn);
		order = PageFlag(page, PG_head) ? (unsigned)page->private : 0;
		if (pt->level < 0 || pt->level >= m->arch.nr_levels ||
		    order != pt_table_order(m, pt->level))
			return why_printf(why, whylen, "PG_pgtable pfn 0x%lx: "
			    "order-%u block for a level-%d table", pfn, order,
			    pt->level);
		n += 1UL << order;
	}
	if (n != m->nr_pgtable_pages)
		return why_printf(why, whylen, "%lu page-table frames in "
		    "mem_map, %lu counted (PageTables)", n,
		    m->nr_pgtable_pages);
	return 0;
}
