/*
 * tlb.c - the machine's CPU: its TLB, the page table it has loaded, the
 * TLB flushes Linux issues (arch/x86/mm/tlb.c) and the MMU's handling of
 * one access (TLB lookup, page walk, accessed/dirty bits, refill).
 *
 * The TLB is set-associative: nr_sets = nr_entries / nr_ways sets, a page
 * goes to set (vpn mod nr_sets) and, when the set is full, replaces its
 * least recently used way. With --asid on, each entry carries the ASID of
 * its address space (x86 PCID, ARM ASID) and survives context switches;
 * with it off, loading another page table flushes the whole TLB, as a
 * CR3 write without PCID does. ASIDs are handed out lowest first from a
 * bitmap; an address space that finds none runs untagged (ASID 0) and
 * its entries are flushed when it is switched out.
 *
 * The model keeps the TLB coherent the way Linux does: whoever changes a
 * present PTE calls flush_tlb_page/range/mm (pgtable.h's ptep_clear_flush
 * does it for the common case). validate_tlb checks that they did.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/tlb.h"

/* Rights a TLB entry caches from its leaf. */
#define TLB_FLAG_MASK	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
			 _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_NX)

static unsigned ilog2_u(unsigned x)
{
	unsigned r = 0;

	while (x >>= 1)
		r++;
	return r;
}

static void emit(struct tlb *tlb, enum event_kind kind, int pid,
    uint64_t addr, unsigned long pfn, uint64_t val, uint64_t val2,
    const char *str)
{
	struct machine *m = tlb->m;
	struct vm_event ev;

	if (m == NULL || m->ev.muted)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.pid = pid;
	ev.addr = addr;
	ev.pfn = pfn;
	ev.val = val;
	ev.val2 = val2;
	ev.str = str;
	machine_emit(m, &ev);
}

static int cur_pid(const struct tlb *tlb)
{
	return tlb->cur != NULL ? tlb->cur->pid : 0;
}

struct tlb *tlb_new(struct machine *m, unsigned nr_entries, unsigned nr_ways,
    bool asid)
{
	struct tlb *tlb = xcalloc(1, sizeof(*tlb));

	tlb->m = m;
	tlb->nr_entries = nr_entries;
	tlb->nr_ways = nr_ways;
	tlb->nr_sets = nr_entries / nr_ways;
	tlb->asid_enabled = asid;
	tlb->e = xcalloc(nr_entries, sizeof(*tlb->e));
	tlb->asid_used[0] = 1;	/* ASID 0: untagged */
	return tlb;
}

void tlb_free(struct tlb *tlb)
{
	if (tlb == NULL)
		return;
	free(tlb->e);
	free(tlb);
}

unsigned tlb_set_index(const struct tlb *tlb, uint64_t addr, unsigned shift)
{
	return (unsigned)((addr >> shift) & (tlb->nr_sets - 1));
}

uint64_t tlb_tag(const struct tlb *tlb, uint64_t vpn)
{
	return vpn >> ilog2_u(tlb->nr_sets);
}

unsigned tlb_asid_alloc(struct tlb *tlb)
{
	unsigned a;

	if (!tlb->asid_enabled)
		return 0;
	for (a = 1; a < TLB_NR_ASIDS; a++) {
		if (!(tlb->asid_used[a / 8] & (1U << (a % 8)))) {
			tlb->asid_used[a / 8] |= (uint8_t)(1U << (a % 8));
			return a;
		}
	}
	return 0;
}

void tlb_asid_free(struct tlb *tlb, unsigned asid)
{
	if (asid == 0 || asid >= TLB_NR_ASIDS)
		return;
	tlb->asid_used[asid / 8] &= (uint8_t)~(1U << (asid % 8));
}

/* The tag an address space's entries carry right now. */
static bool tagged(const struct tlb *tlb, const struct pgtable *pgt)
{
	return tlb->asid_enabled && pgt->asid != 0;
}

/* Whether entry e holds a translation of address space pgt. */
static bool entry_of(const struct tlb *tlb, const struct tlb_entry *e,
    const struct pgtable *pgt)
{
	if (!e->valid)
		return false;
	if (tagged(tlb, pgt))
		return e->asid == pgt->asid;
	return pgt == tlb->cur && e->asid == 0;
}

static struct tlb_entry *probe(struct tlb *tlb, uint64_t addr, unsigned shift,
    bool huge, unsigned *setp, unsigned *wayp)
{
	unsigned set = tlb_set_index(tlb, addr, shift), w;
	uint64_t vpn = addr >> shift;

	for (w = 0; w < tlb->nr_ways; w++) {
		struct tlb_entry *e = &tlb->e[set * tlb->nr_ways + w];

		if (e->valid && e->huge == huge && e->vpn == vpn &&
		    e->asid == tlb->cur_asid) {
			*setp = set;
			*wayp = w;
			return e;
		}
	}
	return NULL;
}

/* The frame of addr inside the page entry e maps. */
static unsigned long entry_frame(const struct machine *m,
    const struct tlb_entry *e, uint64_t addr)
{
	unsigned sub = e->shift - m->arch.page_shift;

	return e->pfn + (unsigned long)((addr >> m->arch.page_shift) &
	    ((1ULL << sub) - 1));
}

struct tlb_entry *tlb_lookup(struct tlb *tlb, uint64_t addr)
{
	struct machine *m = tlb->m;
	struct tlb_entry *e;
	unsigned set = 0, way = 0;
	int hl = pt_huge_level(m);

	e = probe(tlb, addr, m->arch.page_shift, false, &set, &way);
	if (e == NULL && hl >= 0)
		e = probe(tlb, addr, pt_level_shift(m, hl), true, &set, &way);
	if (e == NULL) {
		tlb->misses++;
		emit(tlb, EV_TLB_MISS, cur_pid(tlb), addr, 0,
		    tlb_set_index(tlb, addr, m->arch.page_shift), 0, NULL);
		return NULL;
	}
	e->stamp = ++tlb->clock;
	tlb->hits++;
	emit(tlb, EV_TLB_HIT, cur_pid(tlb), addr, entry_frame(m, e, addr), set,
	    way, e->huge ? "huge " : "");
	return e;
}

struct tlb_entry *tlb_fill(struct tlb *tlb, uint64_t addr, uint64_t leaf,
    unsigned shift)
{
	struct machine *m = tlb->m;
	bool huge = shift != m->arch.page_shift;
	uint64_t vpn = addr >> shift;
	unsigned set = tlb_set_index(tlb, addr, shift), w;
	struct tlb_entry *ways = &tlb->e[set * tlb->nr_ways], *victim = NULL;

	for (w = 0; w < tlb->nr_ways && victim == NULL; w++) {
		if (ways[w].valid && ways[w].huge == huge &&
		    ways[w].vpn == vpn && ways[w].asid == tlb->cur_asid)
			victim = &ways[w];
	}
	for (w = 0; w < tlb->nr_ways && victim == NULL; w++) {
		if (!ways[w].valid)
			victim = &ways[w];
	}
	if (victim == NULL) {
		victim = &ways[0];
		for (w = 1; w < tlb->nr_ways; w++) {
			if (ways[w].stamp < victim->stamp)
				victim = &ways[w];
		}
		tlb->evictions++;
		emit(tlb, EV_TLB_EVICT, victim->owner != NULL ?
		    victim->owner->pid : 0, victim->vpn << victim->shift,
		    victim->pfn, set, (uint64_t)(victim - ways), NULL);
	}
	victim->valid = true;
	victim->huge = huge;
	victim->asid = tlb->cur_asid;
	victim->vpn = vpn;
	victim->shift = shift;
	victim->pfn = pte_pfn(leaf);
	victim->flags = leaf & TLB_FLAG_MASK;
	victim->stamp = ++tlb->clock;
	victim->owner = tlb->cur;
	tlb->fills++;
	emit(tlb, EV_TLB_FILL, cur_pid(tlb), vpn << shift, victim->pfn, set,
	    (uint64_t)(victim - ways), huge ? "huge " : "");
	return victim;
}

/* ---- flushes ------------------------------------------------------ */

static void drop(struct tlb *tlb, struct tlb_entry *e)
{
	e->valid = false;
	e->owner = NULL;
	tlb->invalidated++;
}

/* Entries of pgt mapping any of [start, end) (end 0: everything). */
static unsigned flush_mm_range(struct tlb *tlb, const struct pgtable *pgt,
    uint64_t start, uint64_t end)
{
	unsigned i, n = 0;

	for (i = 0; i < tlb->nr_entries; i++) {
		struct tlb_entry *e = &tlb->e[i];
		uint64_t first, last;

		if (!entry_of(tlb, e, pgt))
			continue;
		if (end != 0) {
			first = e->vpn << e->shift;
			last = first + ((1ULL << e->shift) - 1);
			if (last < start || first > end - 1)
				continue;
		}
		drop(tlb, e);
		n++;
	}
	return n;
}

unsigned flush_tlb_page(struct pgtable *pgt, uint64_t addr)
{
	struct tlb *tlb = pgt->m->tlb;
	unsigned n;

	if (tlb == NULL)
		return 0;
	n = flush_mm_range(tlb, pgt, addr, addr + 1);
	emit(tlb, EV_FLUSH_TLB_PAGE, pgt->pid, addr, 0, n, 0, NULL);
	return n;
}

unsigned flush_tlb_range(struct pgtable *pgt, uint64_t start, uint64_t end)
{
	struct tlb *tlb = pgt->m->tlb;
	unsigned n;

	if (tlb == NULL || end <= start)
		return 0;
	n = flush_mm_range(tlb, pgt, start, end);
	emit(tlb, EV_FLUSH_TLB_RANGE, pgt->pid, start, 0, n, end, NULL);
	return n;
}

unsigned flush_tlb_mm(struct pgtable *pgt)
{
	struct tlb *tlb = pgt->m->tlb;
	unsigned n;

	if (tlb == NULL)
		return 0;
	n = flush_mm_range(tlb, pgt, 0, 0);
	emit(tlb, EV_FLUSH_TLB_MM, pgt->pid, 0, 0, n, pgt->asid, NULL);
	return n;
}

static unsigned flush_all(struct tlb *tlb)
{
	unsigned i, n = 0;

	for (i = 0; i < tlb->nr_entries; i++) {
		if (tlb->e[i].valid) {
			drop(tlb, &tlb->e[i]);
			n++;
		}
	}
	tlb->full_flushes++;
	return n;
}

unsigned flush_tlb_all(struct machine *m)
{
	unsigned n;

	if (m->tlb == NULL)
		return 0;
	n = flush_all(m->tlb);
	emit(m->tlb, EV_FLUSH_TLB_ALL, 0, 0, 0, n, 0, NULL);
	return n;
}

void switch_mm(struct machine *m, struct pgtable *next)
{
	struct tlb *tlb = m->tlb;
	struct pgtable *prev;
	unsigned n = 0;
	const char *what;

	if (tlb == NULL || tlb->cur == next)
		return;
	prev = tlb->cur;
	if (!tlb->asid_enabled) {
		n = flush_all(tlb);
		what = "TLB flushed (no ASIDs)";
	} else if (prev != NULL && prev->asid == 0) {
		/* an untagged address space leaves nothing behind */
		n = flush_mm_range(tlb, prev, 0, 0);
		what = "untagged entries of the previous mm flushed";
	} else {
		what = "TLB kept: entries are tagged with their ASID";
	}
	tlb->cur = next;
	tlb->cur_asid = next != NULL && tagged(tlb, next) ? next->asid : 0;
	emit(tlb, EV_SWITCH_MM, next != NULL ? next->pid : 0, 0,
	    next != NULL ? next->root_pfn : 0, tlb->cur_asid, n, what);
}

void tlb_forget_mm(struct machine *m, struct pgtable *pgt)
{
	struct tlb *tlb = m->tlb;

	if (tlb != NULL && tlb->cur == pgt) {
		tlb->cur = NULL;
		tlb->cur_asid = 0;
	}
}

/* ---- one access --------------------------------------------------- */

static bool access_allowed(const struct machine *m, uint64_t flags,
    enum mmu_access_type type)
{
	if (!(flags & _PAGE_PRESENT) || !(flags & _PAGE_USER))
		return false;
	if (type == MMU_WRITE && !(flags & _PAGE_RW))
		return false;
	if (type == MMU_EXEC && pt_has_nx(m) && (flags & _PAGE_NX))
		return false;
	return true;
}

/* The leaf entry a TLB entry was filled from, NULL if it is gone. */
static uint64_t *entry_leaf(struct pgtable *pgt, const struct tlb_entry *e)
{
	uint64_t addr = e->vpn << e->shift;
	uint64_t *ep = e->huge ? pmd_offset(pgt, addr) : pte_offset(pgt, addr);

	return ep != NULL && pte_hw_present(*ep) ? ep : NULL;
}

enum mmu_fault mmu_access(struct machine *m, uint64_t addr,
    enum mmu_access_type type, struct mmu_result *r)
{
	struct tlb *tlb = m->tlb;
	struct pgtable *pgt = tlb != NULL ? tlb->cur : NULL;
	struct tlb_entry *e;
	uint64_t *ep, set;

	memset(r, 0, sizeof(*r));
	if (pgt == NULL)
		return r->fault = MMU_FAULT_NO_MM;
	if (!pt_addr_valid(m, addr)) {
		pgtable_walk(pgt, addr, WALK_EMIT, &r->walk);
		return r->fault = MMU_FAULT_BAD_ADDR;
	}
	e = tlb_lookup(tlb, addr);
	if (e != NULL) {
		r->tlb_hit = true;
		if (access_allowed(m, e->flags, type)) {
			/*
			 * A first write through a clean entry: x86 walks
			 * again to set the dirty bit in the PTE.
			 */
			if (type == MMU_WRITE && !(e->flags & _PAGE_DIRTY)) {
				ep = entry_leaf(pgt, e);
				if (ep != NULL)
					*ep = pte_mkdirty(*ep);
				e->flags |= _PAGE_DIRTY;
			}
			r->pfn = entry_frame(m, e, addr);
			r->phys = ((uint64_t)r->pfn << m->arch.page_shift) |
			    (addr & (m->page_size - 1));
			return r->fault = MMU_OK;
		}
		/* a faulting access drops its entry (x86 does) */
		drop(tlb, e);
	}

	switch (pgtable_walk(pgt, addr, WALK_EMIT, &r->walk)) {
	case WALK_MAPPED:
		break;
	case WALK_BAD_ADDR:
		return r->fault = MMU_FAULT_BAD_ADDR;
	default:
		return r->fault = MMU_FAULT_NOT_PRESENT;
	}
	if (!access_allowed(m, r->walk.leaf, type))
		return r->fault = MMU_FAULT_PROT;
	/* the MMU sets accessed (and dirty on a write) as it loads the entry */
	set = _PAGE_ACCESSED | (type == MMU_WRITE ? _PAGE_DIRTY : 0);
	*r->walk.ptep |= set;
	r->walk.leaf = *r->walk.ptep;
	tlb_fill(tlb, addr, r->walk.leaf, r->walk.page_shift);
	r->pfn = r->walk.pfn;
	r->phys = r->walk.phys;
	return r->fault = MMU_OK;
}

/* ---- checking ----------------------------------------------------- */

int validate_tlb(struct machine *m, char *why, size_t whylen)
{
	struct tlb *tlb = m->tlb;
	unsigned i, j;

	if (tlb == NULL)
		return 0;
	for (i = 0; i < tlb->nr_entries; i++) {
		struct tlb_entry *e = &tlb->e[i];
		struct pgtable *owner = (struct pgtable *)e->owner;
		uint64_t addr = e->vpn << e->shift, pte;
		unsigned set = i / tlb->nr_ways;
		struct pt_walk w;

		if (!e->valid)
			continue;
		if (tlb_set_index(tlb, addr, e->shift) != set)
			return why_printf(why, whylen, "TLB entry for 0x%llx "
			    "sits in set %u, not %u", (unsigned long long)addr,
			    set, tlb_set_index(tlb, addr, e->shift));
		if (owner == NULL)
			return why_printf(why, whylen, "TLB entry for 0x%llx "
			    "has no address space", (unsigned long long)addr);
		if (e->asid == 0 ? owner != tlb->cur || tagged(tlb, owner) :
		    !tlb->asid_enabled || owner->asid != e->asid)
			return why_printf(why, whylen, "TLB entry for 0x%llx "
			    "(asid %u) outlived its address space (pid %d) "
			    "being switched out", (unsigned long long)addr,
			    e->asid, owner->pid);
		for (j = set * tlb->nr_ways; j < i; j++) {
			const struct tlb_entry *o = &tlb->e[j];

			if (o->valid && o->asid == e->asid &&
			    o->huge == e->huge && o->vpn == e->vpn)
				return why_printf(why, whylen, "TLB holds 0x%llx "
				    "(asid %u) twice", (unsigned long long)addr,
				    e->asid);
		}
		if (pgtable_walk(owner, addr, 0, &w) != WALK_MAPPED ||
		    w.page_shift != e->shift || pte_pfn(w.leaf) != e->pfn)
			return why_printf(why, whylen, "stale TLB entry: pid %d "
			    "0x%llx -> pfn 0x%lx, but the page table says %s",
			    owner->pid, (unsigned long long)addr, e->pfn,
			    w.result != WALK_MAPPED ? "not present" :
			    w.page_shift != e->shift ? "another page size" :
			    "another frame");
		pte = w.leaf;
		if (((e->flags & _PAGE_RW) && !pte_write(pte)) ||
		    ((e->flags & _PAGE_USER) && !pte_user(pte)) ||
		    ((e->flags & _PAGE_DIRTY) && !pte_dirty(pte)) ||
		    (!(e->flags & _PAGE_NX) && !pte_exec(pte)))
			return why_printf(why, whylen, "stale TLB entry: pid %d "
			    "0x%llx caches rights its PTE no longer grants "
			    "(a flush is missing)", owner->pid,
			    (unsigned long long)addr);
	}
	return 0;
}
