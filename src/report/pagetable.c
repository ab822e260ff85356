/*
 * pagetable.c - the translation views: `translate` (one line per level
 * of the walk, then the physical address or the fault), `pagetable` (the
 * tables that exist and what they cost against a flat table) and `tlb`
 * (its sets and ways, the loaded address space, the counters).
 *
 * Entry values are printed as the machine's MMU holds them
 * (pgtable_entry_raw), with as many hex digits as an entry has bytes x 2;
 * flags are always named the x86 way (P RW US A D PS NX) because one
 * vocabulary across architectures is easier to learn than four.
 * Apart from the walk events `translate` emits, the views change nothing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "vmscope/cmd.h"		/* format_size */
#include "vmscope/report-paging.h"
#include "vmscope/tlb.h"

/* ---- helpers ------------------------------------------------------ */

void pte_flags_text(const struct machine *m, int level, uint64_t e,
    struct sbuf *sb)
{
	bool first = true;

#define FLAG(cond, name) do {						\
	if (cond) {							\
		sbuf_add(sb, first ? name : " " name);			\
		first = false;						\
	}								\
} while (0)
	if (pte_protnone(e)) {
		FLAG(true, "PROT_NONE");
	} else {
		FLAG(e & _PAGE_PRESENT, "P");
		FLAG(e & _PAGE_RW, "RW");
		FLAG(e & _PAGE_USER, "US");
	}
	FLAG(e & _PAGE_ACCESSED, "A");
	FLAG(e & _PAGE_DIRTY, "D");
	FLAG(level != m->arch.nr_levels - 1 && (e & _PAGE_PSE), "PS");
	FLAG(pt_has_nx(m) && (e & _PAGE_NX), "NX");
#undef FLAG
}

/* Hex digits for an address: 16 on 64-bit, 8 on 32-bit, fewer on the toy. */
static int addr_digits(const struct machine *m)
{
	if (m->arch.id == ARCH_TOY)
		return (int)((m->arch.va_bits + 3) / 4);
	return m->arch.bits == 64 ? 16 : 8;
}

static int dec_digits(uint64_t x)
{
	int n = 1;

	while (x >= 10) {
		x /= 10;
		n++;
	}
	return n;
}

/* Widest index of any level, for aligned columns. */
static int index_width(const struct machine *m)
{
	unsigned widest = 0;
	int l;

	for (l = 0; l < m->arch.nr_levels; l++) {
		if (m->arch.level_bits[l] > widest)
			widest = m->arch.level_bits[l];
	}
	return dec_digits((1ULL << widest) - 1);
}

/* Width of the flags column: the longest set the machine can show. */
static int flags_width(const struct machine *m)
{
	return pt_has_nx(m) ? 17 : 14;	/* "P RW US A D PS NX" */
}

static void add_size(struct sbuf *sb, uint64_t bytes)
{
	format_size(sb, bytes);
}

/* "4K", "2M", "32B": page sizes in the TLB table. */
static const char *short_size(char *buf, size_t len, uint64_t bytes)
{
	static const char units[] = "BKMGT";
	unsigned u = 0;

	while (u + 1 < sizeof(units) - 1 && bytes >= 1024 && bytes % 1024 == 0) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, len, "%" PRIu64 "%c", bytes, units[u]);
	return buf;
}

static void add_raw_entry(const struct machine *m, int level, uint64_t e,
    struct sbuf *sb)
{
	sbuf_printf(sb, "0x%0*" PRIx64, pt_entry_digits(m),
	    pgtable_entry_raw(m, level, e));
}

/* "11000|01000|11100": the toy's address in binary, split by level. */
static void add_binary_split(const struct machine *m, uint64_t addr,
    struct sbuf *sb)
{
	int l, b;

	for (l = 0; l < m->arch.nr_levels; l++) {
		unsigned shift = pt_level_shift(m, l);

		for (b = (int)m->arch.level_bits[l] - 1; b >= 0; b--)
			sbuf_addc(sb, (addr >> (shift + (unsigned)b)) & 1 ? '1' :
			    '0');
		sbuf_addc(sb, '|');
	}
	for (b = (int)m->arch.page_shift - 1; b >= 0; b--)
		sbuf_addc(sb, (addr >> b) & 1 ? '1' : '0');
}

/* ---- translate ---------------------------------------------------- */

static void bad_addr_text(const struct machine *m, uint64_t addr,
    struct sbuf *sb)
{
	unsigned va = m->arch.va_bits;

	if (m->arch.id == ARCH_X86_64 || m->arch.id == ARCH_X86_64_LA57)
		sbuf_printf(sb, "0x%016" PRIx64 " is not canonical: bits 63..%u "
		    "must all equal bit %u (a general protection fault, not a "
		    "page fault)\n", addr, va - 1, va - 1);
	else if (m->arch.id == ARCH_ARM64 && (addr >> va) == (~0ULL >> va))
		sbuf_printf(sb, "0x%016" PRIx64 " is a kernel address: TTBR1 "
		    "translates it, not the process's page table (TTBR0)\n",
		    addr);
	else
		sbuf_printf(sb, "0x%" PRIx64 " is outside the %u-bit address "
		    "space the page table translates\n", addr, va);
}

enum pt_walk_result report_translate(struct pgtable *pgt, uint64_t addr,
    struct sbuf *sb)
{
	struct machine *m = pgt->m;
	struct pt_walk w;
	int iw = index_width(m), fw = flags_width(m), i;
	struct sbuf flags = SBUF_INIT;

	if (pgtable_walk(pgt, addr, WALK_EMIT, &w) == WALK_BAD_ADDR) {
		bad_addr_text(m, addr, sb);
		return w.result;
	}

	/* how the MMU cuts the address */
	sbuf_printf(sb, "0x%0*" PRIx64 ":", addr_digits(m), addr);
	for (i = 0; i < m->arch.nr_levels; i++)
		sbuf_printf(sb, " %s %u |", m->arch.level_names[i],
		    pt_index(m, i, addr));
	sbuf_printf(sb, " offset 0x%" PRIx64, addr & (m->page_size - 1));
	if (m->arch.id == ARCH_TOY) {
		sbuf_add(sb, "  (");
		add_binary_split(m, addr, sb);
		sbuf_add(sb, ")");
	}
	sbuf_addc(sb, '\n');

	for (i = 0; i < w.nr_steps; i++) {
		const struct pt_walk_step *st = &w.step[i];
		uint64_t e = st->entry;
		bool last = i == w.nr_steps - 1;

		sbuf_printf(sb, "%-4s index %*u  entry ", st->name, iw,
		    st->index);
		if (pte_none(e)) {
			sbuf_printf(sb, "none  -> not present: page fault at "
			    "this level\n");
			continue;
		}
		add_raw_entry(m, st->level, e, sb);
		sbuf_reset(&flags);
		if (is_swap_pte(e))
			sbuf_printf(&flags, "swap type %u offset 0x%lx",
			    pte_swp_type(e), pte_swp_offset(e));
		else
			pte_flags_text(m, st->level, e, &flags);
		sbuf_printf(sb, "  %-*s  -> ", fw, sbuf_str(&flags));
		if (!last) {
			sbuf_printf(sb, "%s table at pfn 0x%lx\n",
			    m->arch.level_names[st->level + 1], pte_pfn(e));
		} else if (w.result == WALK_SWAP) {
			sbuf_add(sb, "not present: swapped out, page fault "
			    "(do_swap_page)\n");
		} else if (w.result == WALK_PROTNONE) {
			sbuf_add(sb, "PROT_NONE: present to Linux, not to the "
			    "MMU: page fault\n");
		} else if (w.result == WALK_NONE) {
			sbuf_add(sb, "not present: page fault at this level\n");
		} else if (w.page_shift != m->arch.page_shift) {
			add_size(sb, 1ULL << w.page_shift);
			sbuf_printf(sb, " page at pfn 0x%lx, frame pfn 0x%lx\n",
			    pte_pfn(e), w.pfn);
		} else {
			sbuf_printf(sb, "frame pfn 0x%lx\n", w.pfn);
		}
	}
	if (w.result == WALK_MAPPED)
		sbuf_printf(sb, "physical address 0x%" PRIx64 "\n", w.phys);
	sbuf_free(&flags);
	return w.result;
}

/* ---- pagetable ---------------------------------------------------- */

struct pt_counts {
	unsigned	 used;
	unsigned	 present;
	unsigned	 swap;
	unsigned	 huge;
};

static void count_table(const struct pt_page *pt, struct pt_counts *c)
{
	unsigned i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < pt->nr_entries; i++) {
		uint64_t e = pt->ent[i];

		if (pte_none(e))
			continue;
		c->used++;
		if (is_swap_pte(e))
			c->swap++;
		else if (pte_huge(e))
			c->huge++;
		else
			c->present++;
	}
}

static void table_line(struct pgtable *pgt, const struct pt_page *pt,
    unsigned long pfn, int parent_index, uint64_t base, struct sbuf *sb)
{
	struct machine *m = pgt->m;
	bool last = pt->level == m->arch.nr_levels - 1;
	uint64_t span = (uint64_t)pt->nr_entries << pt_level_shift(m, pt->level);
	struct pt_counts c;

	count_table(pt, &c);
	sbuf_printf(sb, "%*s", 2 * pt->level, "");
	if (parent_index >= 0)
		sbuf_printf(sb, "[%d] ", parent_index);
	sbuf_printf(sb, "%s table at pfn 0x%lx, 0x%0*" PRIx64 "-0x%0*" PRIx64
	    ": %u of %u entries used", m->arch.level_names[pt->level], pfn,
	    addr_digits(m), base, addr_digits(m), base + span - 1, c.used,
	    pt->nr_entries);
	if (last && c.used != 0)
		sbuf_printf(sb, " (%u present, %u swapped out)", c.present,
		    c.swap);
	else if (!last && c.huge != 0)
		sbuf_printf(sb, " (%u huge pages)", c.huge);
	sbuf_addc(sb, '\n');
}

/* The leaf entries of one table that are not none, one line each. */
static void leaf_lines(struct pgtable *pgt, const struct pt_page *pt,
    uint64_t base, bool huge_only, struct sbuf *sb)
{
	struct machine *m = pgt->m;
	unsigned shift = pt_level_shift(m, pt->level), i;
	int iw = index_width(m), fw = flags_width(m);
	struct sbuf flags = SBUF_INIT;

	for (i = 0; i < pt->nr_entries; i++) {
		uint64_t e = pt->ent[i];

		if (pte_none(e) || (huge_only && !pte_huge(e) &&
		    !is_swap_pte(e)))
			continue;
		sbuf_printf(sb, "%*s[%*u] 0x%0*" PRIx64 "  ",
		    2 * (pt->level + 1), "", iw, i, addr_digits(m),
		    base + ((uint64_t)i << shift));
		add_raw_entry(m, pt->level, e, sb);
		sbuf_reset(&flags);
		if (is_swap_pte(e)) {
			sbuf_printf(&flags, "swap type %u offset 0x%lx",
			    pte_swp_type(e), pte_swp_offset(e));
			sbuf_printf(sb, "  %s\n", sbuf_str(&flags));
			continue;
		}
		pte_flags_text(m, pt->level, e, &flags);
		sbuf_printf(sb, "  %-*s  -> ", fw, sbuf_str(&flags));
		if (pte_huge(e)) {
			add_size(sb, 1ULL << shift);
			sbuf_add(sb, " page at ");
		}
		sbuf_printf(sb, "pfn 0x%lx\n", pte_pfn(e));
	}
	sbuf_free(&flags);
}

static void tree_lines(struct pgtable *pgt, unsigned long pfn,
    int parent_index, uint64_t base, bool only_addr, uint64_t addr,
    struct sbuf *sb)
{
	struct machine *m = pgt->m;
	const struct pt_page *pt = pt_page_of(m, pfn);
	unsigned shift = pt_level_shift(m, pt->level), i;
	bool last = pt->level == m->arch.nr_levels - 1;

	table_line(pgt, pt, pfn, parent_index, base, sb);
	if (last) {
		if (only_addr)
			leaf_lines(pgt, pt, base, false, sb);
		return;
	}
	if (only_addr) {
		i = pt_index(m, pt->level, addr);
		if (pte_hw_present(pt->ent[i]) && !pte_huge(pt->ent[i]))
			tree_lines(pgt, pte_pfn(pt->ent[i]), (int)i,
			    base + ((uint64_t)i << shift), true, addr, sb);
		else
			leaf_lines(pgt, pt, base, true, sb);
		return;
	}
	for (i = 0; i < pt->nr_entries; i++) {
		uint64_t e = pt->ent[i];

		if (pte_hw_present(e) && !pte_huge(e))
			tree_lines(pgt, pte_pfn(e), (int)i,
			    base + ((uint64_t)i << shift), false, addr, sb);
	}
	leaf_lines(pgt, pt, base, true, sb);
}

void report_pagetable_cost(struct pgtable *pgt, struct sbuf *sb)
{
	struct machine *m = pgt->m;
	unsigned long tables = 0;
	uint64_t entry_bytes = 0, frame_bytes, flat = pt_flat_bytes(m);
	unsigned vpn_bits = m->arch.va_bits - m->arch.page_shift;
	int l;

	for (l = 0; l < m->arch.nr_levels; l++) {
		tables += pgt->nr_tables[l];
		entry_bytes += pgt->nr_tables[l] * pt_table_bytes(m, l);
	}
	frame_bytes = pgt->nr_pages * m->page_size;
	sbuf_printf(sb, "%lu tables (", tables);
	for (l = 0; l < m->arch.nr_levels; l++)
		sbuf_printf(sb, "%s%lu %s", l ? ", " : "", pgt->nr_tables[l],
		    m->arch.level_names[l]);
	sbuf_printf(sb, ") in %lu frames = ", pgt->nr_pages);
	add_size(sb, frame_bytes);
	if (entry_bytes != frame_bytes) {
		sbuf_add(sb, " (their entries fill ");
		add_size(sb, entry_bytes);
		sbuf_add(sb, ")");
	}
	sbuf_addc(sb, '\n');
	sbuf_printf(sb, "a flat table for the whole %u-bit address space: "
	    "2^%u entries x %u bytes = ", m->arch.va_bits, vpn_bits,
	    m->arch.pte_size);
	add_size(sb, flat);
	if (frame_bytes != 0 && flat > frame_bytes)
		sbuf_printf(sb, "; the tree costs 1/%" PRIu64 " of that",
		    flat / frame_bytes);
	sbuf_addc(sb, '\n');
}

void report_pagetable(struct pgtable *pgt, bool only_addr, uint64_t addr,
    struct sbuf *sb)
{
	struct machine *m = pgt->m;
	int l;

	sbuf_printf(sb, "%s, %d level%s of ", m->arch.name, m->arch.nr_levels,
	    m->arch.nr_levels == 1 ? "" : "s");
	for (l = 0; l < m->arch.nr_levels; l++)
		sbuf_printf(sb, "%s%u", l ? "+" : "", m->arch.level_bits[l]);
	sbuf_printf(sb, " bits, ");
	add_size(sb, m->page_size);
	sbuf_printf(sb, " pages, %u-byte entries; root at pfn 0x%lx\n",
	    m->arch.pte_size, pgt->root_pfn);
	if (only_addr && !pt_addr_valid(m, addr))
		bad_addr_text(m, addr, sb);
	else
		tree_lines(pgt, pgt->root_pfn, -1, 0, only_addr, addr, sb);
	report_pagetable_cost(pgt, sb);
}

/* ---- tlb ---------------------------------------------------------- */

/* Entries of the same set used more recently than e (0: most recent). */
static unsigned lru_rank(const struct tlb *tlb, unsigned idx)
{
	unsigned set = idx / tlb->nr_ways, w, rank = 0;
	const struct tlb_entry *e = &tlb->e[idx];

	for (w = 0; w < tlb->nr_ways; w++) {
		const struct tlb_entry *o = &tlb->e[set * tlb->nr_ways + w];

		if (o != e && o->valid && o->stamp > e->stamp)
			rank++;
	}
	return rank;
}

void report_tlb(struct machine *m, struct sbuf *sb)
{
	struct tlb *tlb = m->tlb;
	unsigned long lookups;
	struct sbuf flags = SBUF_INIT;
	unsigned i, nvalid = 0;
	int ad = addr_digits(m);
	char size[24];

	if (tlb == NULL) {
		sbuf_add(sb, "no TLB\n");
		return;
	}
	sbuf_printf(sb, "TLB: %u entries, %u sets x %u ways, LRU in each set, "
	    "ASID %s\n", tlb->nr_entries, tlb->nr_sets, tlb->nr_ways,
	    tlb->asid_enabled ? "on (entries survive context switches)" :
	    "off (flushed on every context switch)");
	if (tlb->cur != NULL)
		sbuf_printf(sb, "loaded: pid %d, page table at pfn 0x%lx, "
		    "asid %u\n", tlb->cur->pid, tlb->cur->root_pfn,
		    tlb->cur_asid);
	else
		sbuf_add(sb, "loaded: no process (kernel only)\n");
	lookups = tlb->hits + tlb->misses;
	sbuf_printf(sb, "hits %lu  misses %lu  hit rate ", tlb->hits,
	    tlb->misses);
	if (lookups != 0)
		sbuf_printf(sb, "%.1f%%", 100.0 * (double)tlb->hits /
		    (double)lookups);
	else
		sbuf_add(sb, "-");
	sbuf_printf(sb, "  fills %lu  evictions %lu  invalidated %lu  "
	    "full flushes %lu\n", tlb->fills, tlb->evictions,
	    tlb->invalidated, tlb->full_flushes);

	for (i = 0; i < tlb->nr_entries; i++) {
		const struct tlb_entry *e = &tlb->e[i];

		if (!e->valid)
			continue;
		if (nvalid++ == 0)
			sbuf_printf(sb, "%4s %3s %4s %5s  %-*s  %-*s  %-8s %4s  "
			    "%-*s  %s\n", "set", "way", "asid", "pid", ad + 2,
			    "page", ad, "tag", "pfn", "size", flags_width(m),
			    "flags", "lru");
		sbuf_reset(&flags);
		pte_flags_text(m, e->huge ? pt_huge_level(m) :
		    m->arch.nr_levels - 1, e->flags | (e->huge ? _PAGE_PSE : 0),
		    &flags);
		sbuf_printf(sb, "%4u %3u %4u %5d  0x%0*" PRIx64 "  %*" PRIx64
		    "  0x%-6lx %4s  %-*s  %u\n", i / tlb->nr_ways,
		    i % tlb->nr_ways, e->asid,
		    e->owner != NULL ? e->owner->pid : 0, ad,
		    e->vpn << e->shift, ad, tlb_tag(tlb, e->vpn), e->pfn,
		    short_size(size, sizeof(size), 1ULL << e->shift),
		    flags_width(m), sbuf_str(&flags), lru_rank(tlb, i));
	}
	if (nvalid == 0)
		sbuf_add(sb, "(no valid entries)\n");
	sbuf_free(&flags);
}
