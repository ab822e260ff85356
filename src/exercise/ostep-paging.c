/*
 * ostep-paging.c - OSTEP's two translation simulators, read and answered
 * with vmscope's page tables: paging-linear-translate.py (vm-paging: a
 * linear table of 32-bit entries, valid bit on top) and
 * paging-multilevel-translate.py (vm-smalltables: 15-bit addresses,
 * 32-byte pages, a page directory and page-table pages inside a 128-page
 * memory dump, 1-byte entries with the valid bit 0x80).
 *
 * Either problem becomes a toy machine of the same geometry whose page
 * table holds the problem's entries at the problem's frame numbers: the
 * frames are taken from the buddy allocator in order (it hands out the
 * lowest frames first on a fresh toy), then the frame a table must live
 * in is given back just before pgtable_alloc / pte_alloc take it. The
 * answers are the model's walks (pgtable_walk). What the model does not
 * hold, the dump does: the contents of data pages (the value fetched)
 * and the bytes of invalid entries, which the simulator prints and the
 * model keeps as empty entries. Problems the model cannot hold (a table
 * shared by two entries, a data page that is also a table, a machine
 * larger than the toy's 16 MiB) are refused with the reason.
 *
 * The walk-throughs (ostep_tour, for `vmscope ostep FILE --tui`) need a
 * machine a process can run on and that survives save and restore, so
 * there the same frames are placed through the model's own paths: pid 1
 * maps its whole address space, each table is allocated by pte_alloc
 * and each page by a write fault, the wanted frame being the one free
 * order-0 frame at that moment.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/machine.h"
#include "vmscope/memory.h"
#include "vmscope/mm.h"
#include "vmscope/ostep.h"
#include "vmscope/page_alloc.h"
#include "vmscope/pgtable.h"
#include "vmscope/session.h"
#include "vmscope/task.h"
#include "vmscope/tlb.h"

#define ML_PAGES	128
#define ML_PAGE_SIZE	32

enum ostep_format ostep_detect(const char *text)
{
	if (strstr(text, "ARG allocated") != NULL || strstr(text, "PDBR:") != NULL)
		return OSTEP_MULTILEVEL;
	if (strstr(text, "ARG address space size") != NULL ||
	    strstr(text, "Page Table (from entry 0") != NULL)
		return OSTEP_LINEAR;
	return OSTEP_POLICY;
}

/* The next line of *p (without its newline), advancing *p. */
static bool next_line(const char **p, const char **line, size_t *len)
{
	size_t n;

	if (**p == '\0')
		return false;
	n = strcspn(*p, "\n");
	*line = *p;
	*len = n;
	*p += n + ((*p)[n] == '\n');
	if (n > 0 && (*line)[n - 1] == '\r')
		(*len)--;
	return true;
}

static bool starts(const char *line, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && strncmp(line, prefix, k) == 0;
}

/* The simulator's convert(): a number with an optional k, m or g. */
static int convert_size(const char *s, size_t n, uint64_t *val)
{
	uint64_t v = 0, mul = 1;
	size_t i;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n > 0 && strchr("kKmMgG", s[n - 1]) != NULL) {
		mul = s[n - 1] == 'k' || s[n - 1] == 'K' ? 1024ULL :
		    s[n - 1] == 'm' || s[n - 1] == 'M' ? 1024ULL * 1024 :
		    1024ULL * 1024 * 1024;
		n--;
	}
	if (n == 0 || n > 12)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*val = v * mul;
	return 0;
}

static unsigned log2_exact(uint64_t v)
{
	unsigned b = 0;

	while ((1ULL << b) < v)
		b++;
	return (1ULL << b) == v ? b : 0xff;
}

/*
 * A toy machine of this geometry whose frames 0 .. nfixed - 1 are all
 * allocated, in order, so that any of them can be handed to a table.
 */
static struct machine *fixed_machine(const char *name, uint64_t page_size,
    unsigned nlevels, const unsigned *bits, unsigned long frames,
    unsigned long nfixed, struct sbuf *err)
{
	struct machine_config cfg;
	struct machine *m;
	char why[256];
	unsigned va = 0;

	machine_config_default(&cfg);
	machine_config_for_arch(&cfg, ARCH_TOY);
	cfg.page_size = page_size;
	cfg.nr_levels = (int)nlevels;
	for (unsigned l = 0; l < nlevels; l++)
		va += cfg.level_bits[l] = bits[l];
	cfg.va_bits = va + log2_exact(page_size);
	cfg.ram = frames * page_size;
	cfg.swap = 0;
	m = machine_new(&cfg, why, sizeof(why));
	if (m == NULL) {
		sbuf_printf(err, "%s: the model's toy machine cannot hold this "
		    "problem: %s\n", name, why);
		return NULL;
	}
	event_mute(&m->ev);
	for (unsigned long pfn = 0; pfn < nfixed; pfn++) {
		struct page *page = alloc_pages_node(m, 0, ZONE_NORMAL, 0,
		    ALLOC_KERNEL);

		if (page == NULL || page_to_pfn(m, page) != pfn) {
			sbuf_printf(err, "%s: the model's allocator did not give "
			    "frame 0x%lx in order\n", name, pfn);
			machine_free(m);
			return NULL;
		}
	}
	return m;
}

/* Hand the allocated frame pfn back so that the next table takes it. */
static void give_back(struct machine *m, unsigned long pfn)
{
	__free_pages(m, pfn_to_page(m, pfn), 0);
}

/* ---- paging-linear-translate.py ------------------------------------- */

struct linear {
	struct sbuf	 args;		/* the ARG lines */
	bool		 verbose;
	uint64_t	 asize, psize, pagesize;
	uint32_t	*pte;		/* the table, as printed */
	size_t		 npte;
	uint64_t	*va;
	size_t		 nva;
};

static void linear_free(struct linear *pb)
{
	sbuf_free(&pb->args);
	free(pb->pte);
	free(pb->va);
}

#define PERR(col, ...) do {						\
	sbuf_printf(err, "%s:%zu:%zu: ", name, lineno, (size_t)(col));	\
	sbuf_printf(err, __VA_ARGS__);					\
	sbuf_addc(err, '\n');						\
	return -1;							\
} while (0)

static int linear_parse(const char *text, const char *name, struct linear *pb,
    struct sbuf *err)
{
	const char *p = text, *line;
	size_t n, lineno = 0;
	bool in_table = false;
	uint64_t *size;

	while (next_line(&p, &line, &n)) {
		lineno++;
		if (starts(line, n, "ARG ")) {
			const char *v = NULL;

			sbuf_addn(&pb->args, line, n);
			sbuf_addc(&pb->args, '\n');
			size = NULL;
			if (starts(line, n, "ARG address space size ")) {
				size = &pb->asize;
				v = line + 23;
			} else if (starts(line, n, "ARG phys mem size ")) {
				size = &pb->psize;
				v = line + 18;
			} else if (starts(line, n, "ARG page size ")) {
				size = &pb->pagesize;
				v = line + 14;
			} else if (starts(line, n, "ARG verbose ")) {
				pb->verbose = n == 16 && strncmp(line + 12, "True",
				    4) == 0;
			}
			if (size != NULL && convert_size(v, n - (size_t)(v - line),
			    size) != 0)
				PERR(v - line + 1, "'%.*s' is not a size",
				    (int)(n - (size_t)(v - line)), v);
			continue;
		}
		if (starts(line, n, "Page Table (from entry 0")) {
			in_table = true;
			continue;
		}
		if (in_table && n > 0) {
			const char *e = memchr(line, '0', n);
			unsigned long long v;

			while (e != NULL && e + 1 < line + n && e[1] != 'x')
				e = memchr(e + 1, '0', n - (size_t)(e + 1 - line));
			if (e == NULL || sscanf(e, "0x%llx", &v) != 1 ||
			    v > 0xffffffffULL)
				PERR(1, "not a page-table entry: '%.*s'", (int)n,
				    line);
			pb->pte = xrealloc(pb->pte, (pb->npte + 1) *
			    sizeof(*pb->pte));
			pb->pte[pb->npte++] = (uint32_t)v;
			continue;
		}
		in_table = false;
		if (starts(line, n, "  VA 0x")) {
			unsigned long long v;

			if (sscanf(line, "  VA 0x%llx", &v) != 1)
				PERR(5, "cannot read the virtual address");
			pb->va = xrealloc(pb->va, (pb->nva + 1) * sizeof(*pb->va));
			pb->va[pb->nva++] = v;
		}
		/* everything else is the simulator's prose */
	}
	lineno = 0;
	if (pb->pagesize == 0 || pb->asize == 0 || pb->psize == 0) {
		sbuf_printf(err, "%s: the ARG lines for the address space, "
		    "physical memory and page sizes are needed\n", name);
		return -1;
	}
	if (log2_exact(pb->pagesize) == 0xff || log2_exact(pb->asize) == 0xff ||
	    pb->asize % pb->pagesize != 0 || pb->psize % pb->pagesize != 0) {
		sbuf_printf(err, "%s: the sizes must be powers of two, the page "
		    "size dividing the others\n", name);
		return -1;
	}
	if (pb->npte != pb->asize / pb->pagesize) {
		sbuf_printf(err, "%s: the page table has %zu entries; an address "
		    "space of %" PRIu64 " bytes in %" PRIu64 "-byte pages needs %"
		    PRIu64 "\n", name, pb->npte, pb->asize, pb->pagesize,
		    pb->asize / pb->pagesize);
		return -1;
	}
	return 0;
}

static unsigned long linear_maxpfn(const struct linear *pb)
{
	unsigned long maxpfn = 0;

	for (size_t v = 0; v < pb->npte; v++) {
		if ((pb->pte[v] & 0x80000000U) && (pb->pte[v] & 0x7fffffffU) > maxpfn)
			maxpfn = pb->pte[v] & 0x7fffffffU;
	}
	return maxpfn;
}

/*
 * A toy of the problem's page size with one level of vpnbits bits whose
 * frames up to the largest one the table maps are allocated.
 */
static struct machine *linear_machine(const struct linear *pb,
    const char *name, unsigned vpnbits, struct sbuf *err)
{
	unsigned long maxpfn = linear_maxpfn(pb), frames = 4;
	struct machine *m;

	if (vpnbits < 1 || vpnbits > 16) {
		sbuf_printf(err, "%s: the model's toy tables index 1 to 16 bits "
		    "per level; this table needs %u\n", name, vpnbits);
		return NULL;
	}
	/*
	 * The frames the table maps, then room for the table itself and the
	 * watermarks: the smallest power of two that works, up to the toy's
	 * 16 MiB.
	 */
	while (frames < maxpfn + 1 + (8UL << vpnbits) / pb->pagesize + 8)
		frames *= 2;
	for (;;) {
		sbuf_reset(err);
		m = fixed_machine(name, pb->pagesize, 1, &vpnbits, frames,
		    maxpfn + 1, err);
		if (m != NULL || frames * pb->pagesize >= 16ULL * 1024 * 1024)
			break;
		frames *= 2;
	}
	return m;
}

/*
 * The simulator's line for one address, from the model's walk. -1 (and
 * nothing written) for an address outside the address space, where the
 * simulator stops with an IndexError. *wp (if not NULL) gets the walk.
 */
static int linear_answer(const struct linear *pb, struct pgtable *pgt,
    uint64_t va, struct sbuf *out, struct pt_walk *wp)
{
	unsigned pagebits = log2_exact(pb->pagesize);
	uint64_t vpn = (va & (0xffffffffULL & ~(pb->pagesize - 1))) >> pagebits;
	struct pt_walk w;

	if (vpn >= pb->npte)
		return -1;
	if (pgtable_walk(pgt, va, WALK_EMIT, &w) == WALK_MAPPED)
		sbuf_printf(out, "  VA 0x%08" PRIx64 " (decimal: %8" PRIu64
		    ") --> %08" PRIx64 " (decimal %8" PRIu64 ") [VPN %"
		    PRIu64 "]\n", va, va, w.phys, w.phys, vpn);
	else
		sbuf_printf(out, "  VA 0x%08" PRIx64 " (decimal: %8" PRIu64
		    ") -->  Invalid (VPN %" PRIu64 " not valid)\n", va, va,
		    vpn);
	if (wp != NULL)
		*wp = w;
	return 0;
}

static int linear_solve(struct linear *pb, const char *name, struct sbuf *out,
    struct sbuf *err)
{
	unsigned pagebits = log2_exact(pb->pagesize);
	unsigned vpnbits = log2_exact(pb->asize) - pagebits;
	struct machine *m;
	struct pgtable *pgt;
	int rc = 0;

	m = linear_machine(pb, name, vpnbits, err);
	if (m == NULL)
		return -1;
	pgt = pgtable_alloc(m, 1);
	for (size_t v = 0; pgt != NULL && v < pb->npte; v++) {
		uint64_t *ptep;

		if (!(pb->pte[v] & 0x80000000U))
			continue;
		if (pte_alloc(pgt, (uint64_t)v << pagebits, &ptep) != 0) {
			pgtable_free(pgt);
			pgt = NULL;
			break;
		}
		set_pte_at(pgt, (uint64_t)v << pagebits, ptep,
		    pfn_pte(pb->pte[v] & 0x7fffffffU, _PAGE_PRESENT | _PAGE_USER));
	}
	if (pgt == NULL) {
		sbuf_printf(err, "%s: the model ran out of frames for the table\n",
		    name);
		machine_free(m);
		return -1;
	}

	sbuf_add(out, sbuf_str(&pb->args));
	sbuf_add(out, "\n\nThe format of the page table is simple:\n"
	    "The high-order (left-most) bit is the VALID bit.\n"
	    "  If the bit is 1, the rest of the entry is the PFN.\n"
	    "  If the bit is 0, the page is not valid.\n"
	    "Use verbose mode (-v) if you want to print the VPN # by\n"
	    "each entry of the page table.\n\n"
	    "Page Table (from entry 0 down to the max size)\n");
	for (size_t v = 0; v < pb->npte; v++) {
		if (pb->verbose)
			sbuf_printf(out, "  [%8zu]  ", v);
		else
			sbuf_add(out, "  ");
		sbuf_printf(out, "0x%08" PRIx32 "\n", pb->pte[v]);
	}
	sbuf_add(out, "\nVirtual Address Trace\n");
	for (size_t i = 0; i < pb->nva; i++) {
		if (linear_answer(pb, pgt, pb->va[i], out, NULL) != 0) {
			/* the simulator stops here with an IndexError */
			sbuf_printf(err, "%s: VA 0x%08" PRIx64 " is outside the %"
			    PRIu64 "-byte address space\n", name, pb->va[i],
			    pb->asize);
			rc = 1;
			break;
		}
	}
	if (rc == 0)
		sbuf_addc(out, '\n');
	pgtable_free(pgt);
	machine_free(m);
	return rc;
}

/* ---- paging-multilevel-translate.py -------------------------------- */

struct multilevel {
	struct sbuf	 args;
	uint8_t		 mem[ML_PAGES * ML_PAGE_SIZE];
	bool		 have[ML_PAGES];
	long		 pdbr;
	unsigned	*va;
	size_t		 nva;
};

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	    c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static int multilevel_parse(const char *text, const char *name,
    struct multilevel *pb, struct sbuf *err)
{
	const char *p = text, *line;
	size_t n, lineno = 0;

	pb->pdbr = -1;
	while (next_line(&p, &line, &n)) {
		lineno++;
		if (starts(line, n, "ARG ")) {
			sbuf_addn(&pb->args, line, n);
			sbuf_addc(&pb->args, '\n');
		} else if (starts(line, n, "page ")) {
			unsigned pg;
			int used = 0;
			const char *hex;

			if (sscanf(line, "page %u:%n", &pg, &used) != 1 ||
			    used == 0)
				PERR(6, "cannot read the page number");
			if (pg >= ML_PAGES)
				PERR(6, "page %u: memory has %d pages", pg,
				    ML_PAGES);
			hex = line + used;
			if (n - (size_t)used != 2 * ML_PAGE_SIZE)
				PERR(used + 1, "page %u: %d bytes in hex are "
				    "expected", pg, ML_PAGE_SIZE);
			for (int i = 0; i < ML_PAGE_SIZE; i++) {
				int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

				if (hi < 0 || lo < 0)
					PERR(used + 2 * i + 1, "not a hex byte");
				pb->mem[pg * ML_PAGE_SIZE + (unsigned)i] =
				    (uint8_t)(hi * 16 + lo);
			}
			pb->have[pg] = true;
		} else if (starts(line, n, "PDBR:")) {
			char *end;

			pb->pdbr = strtol(line + 5, &end, 10);
			if (end == line + 5 || pb->pdbr < 0 || pb->pdbr >= ML_PAGES)
				PERR(6, "PDBR is not a page number");
		} else if (starts(line, n, "Virtual Address ")) {
			unsigned v;

			if (sscanf(line, "Virtual Address %x:", &v) != 1 ||
			    v >= ML_PAGES * ML_PAGE_SIZE * 8)
				PERR(17, "not a 15-bit virtual address");
			pb->va = xrealloc(pb->va, (pb->nva + 1) * sizeof(*pb->va));
			pb->va[pb->nva++] = v;
		}
		/* prose, blank lines and solved "-->" lines are skipped */
	}
	lineno = 0;
	for (int pg = 0; pg < ML_PAGES; pg++) {
		if (!pb->have[pg]) {
			sbuf_printf(err, "%s: the memory dump has no page %d\n",
			    name, pg);
			return -1;
		}
	}
	if (pb->pdbr < 0) {
		sbuf_printf(err, "%s: no PDBR line\n", name);
		return -1;
	}
	return 0;
}

/* Which pages hold tables; -1 with the reason when two entries share one. */
static int multilevel_tables(const struct multilevel *pb, bool *table,
    struct sbuf *err)
{
	const uint8_t *pd = &pb->mem[pb->pdbr * ML_PAGE_SIZE];

	table[pb->pdbr] = true;
	for (unsigned i = 0; i < ML_PAGE_SIZE; i++) {
		unsigned pt = pd[i] & 0x7f;

		if (!(pd[i] & 0x80))
			continue;
		if (table[pt]) {
			sbuf_printf(err, "directory entry %u points at page %u, "
			    "which already holds a table: the model keeps one "
			    "table per frame", i, pt);
			return -1;
		}
		table[pt] = true;
	}
	return 0;
}

/*
 * The dump's page directory and page-table pages as a toy page table.
 * Returns NULL with the reason when the model cannot hold them.
 */
static struct pgtable *multilevel_load(struct multilevel *pb,
    struct machine *m, struct sbuf *err)
{
	static const unsigned char INVALID = 0x80;
	uint8_t *pd = &pb->mem[pb->pdbr * ML_PAGE_SIZE];
	bool table[ML_PAGES] = { false };
	struct pgtable *pgt;

	if (multilevel_tables(pb, table, err) != 0)
		return NULL;
	give_back(m, (unsigned long)pb->pdbr);
	pgt = pgtable_alloc(m, 1);
	if (pgt == NULL || pgt->root_pfn != (unsigned long)pb->pdbr) {
		sbuf_add(err, "the model did not put the directory at the PDBR");
		goto fail;
	}
	for (unsigned i = 0; i < ML_PAGE_SIZE; i++) {
		unsigned ptpfn = pd[i] & 0x7f;
		uint8_t *ptes = &pb->mem[ptpfn * ML_PAGE_SIZE];
		uint64_t *ptep;

		if (!(pd[i] & INVALID))
			continue;
		give_back(m, ptpfn);
		if (pte_alloc(pgt, (uint64_t)i << 10, &ptep) != 0 ||
		    pte_pfn(pt_page_of(m, pgt->root_pfn)->ent[i]) != ptpfn) {
			sbuf_printf(err, "the model did not put the page table "
			    "of directory entry %u at page %u", i, ptpfn);
			goto fail;
		}
		for (unsigned j = 0; j < ML_PAGE_SIZE; j++) {
			uint64_t va = ((uint64_t)i << 10) | ((uint64_t)j << 5);

			if (!(ptes[j] & INVALID))
				continue;
			if (table[ptes[j] & 0x7f]) {
				sbuf_printf(err, "page %u entry %u maps page %u, "
				    "which holds a table: the model does not map "
				    "tables as data", ptpfn, j, ptes[j] & 0x7f);
				goto fail;
			}
			pte_alloc(pgt, va, &ptep);
			set_pte_at(pgt, va, ptep, pfn_pte(ptes[j] & 0x7f,
			    _PAGE_PRESENT | _PAGE_USER));
		}
	}
	return pgt;
fail:
	if (pgt != NULL)
		pgtable_free(pgt);
	return NULL;
}

/* The simulator's lines for one address, from the model's walk. */
static void multilevel_answer(const struct multilevel *pb,
    struct pgtable *pgt, unsigned va, struct sbuf *out, struct pt_walk *wp)
{
	struct pt_walk w;

	sbuf_printf(out, "Virtual Address %04x:\n", va);
	pgtable_walk(pgt, va, WALK_EMIT, &w);
	for (int s = 0; s < w.nr_steps; s++) {
		const struct pt_walk_step *st = &w.step[s];
		/* the byte the simulator reads: the dump's */
		uint8_t e = pb->mem[st->table_pfn * ML_PAGE_SIZE + st->index];

		sbuf_printf(out, "%s--> %s index:0x%x [decimal %u] %s "
		    "contents:0x%x (valid %d, pfn 0x%02x [decimal %d])\n",
		    s ? "    " : "  ", s ? "pte" : "pde", st->index,
		    st->index, s ? "pte" : "pde", e, e >> 7, e & 0x7f,
		    e & 0x7f);
	}
	if (w.result == WALK_MAPPED)
		sbuf_printf(out, "      --> Translates to Physical Address "
		    "0x%03" PRIx64 " --> Value: %02x\n", w.phys,
		    pb->mem[w.phys]);
	else if (w.level == 0)
		sbuf_add(out, "      --> Fault (page directory entry not "
		    "valid)\n");
	else
		sbuf_add(out, "      --> Fault (page table entry not "
		    "valid)\n");
	if (wp != NULL)
		*wp = w;
}

static int multilevel_solve(struct multilevel *pb, const char *name,
    struct sbuf *out, struct sbuf *err)
{
	static const unsigned bits[2] = { 5, 5 };
	struct machine *m;
	struct pgtable *pgt;

	/* twice the frames: the allocations stay far from the watermarks */
	struct sbuf why = SBUF_INIT;

	m = fixed_machine(name, ML_PAGE_SIZE, 2, bits, 2 * ML_PAGES, ML_PAGES,
	    err);
	if (m == NULL)
		return -1;
	pgt = multilevel_load(pb, m, &why);
	if (pgt == NULL) {
		sbuf_printf(err, "%s: %s\n", name, sbuf_str(&why));
		sbuf_free(&why);
		machine_free(m);
		return -1;
	}
	sbuf_free(&why);

	sbuf_add(out, sbuf_str(&pb->args));
	sbuf_addc(out, '\n');
	for (int pg = 0; pg < ML_PAGES; pg++) {
		sbuf_printf(out, "page %3d:", pg);
		for (int i = 0; i < ML_PAGE_SIZE; i++)
			sbuf_printf(out, "%02x", pb->mem[pg * ML_PAGE_SIZE + i]);
		sbuf_addc(out, '\n');
	}
	sbuf_printf(out, "\nPDBR: %ld  (decimal) [This means the page directory "
	    "is held in this page]\n\n", pb->pdbr);
	for (size_t k = 0; k < pb->nva; k++)
		multilevel_answer(pb, pgt, pb->va[k], out, NULL);
	sbuf_addc(out, '\n');
	pgtable_free(pgt);
	machine_free(m);
	return 0;
}

/* ---- the walk-throughs (`vmscope ostep FILE --tui`) --------------- */

/* The title names the file without its directories. */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL && slash[1] != '\0' ? slash + 1 : path;
}

/*
 * The process of a walk-through: pid 1, whose page directory takes the
 * frame root (or any when root < 0), and whose whole address space is one
 * anonymous mapping from address 0 (vm.mmap_min_addr 0, as the problems
 * use page 0 too), so that a write fault can put a page anywhere.
 */
static struct task_struct *tour_process(struct machine *m, long root,
    struct sbuf *err)
{
	struct task_struct *t;
	struct mm_struct *mm;

	if (root >= 0)
		give_back(m, (unsigned long)root);
	if (task_spawn(m, "ostep", &t) != 0) {
		sbuf_add(err, "the address space is too small for a process");
		return NULL;
	}
	mm = t->mm;
	if (root >= 0 && mm->pgt->root_pfn != (unsigned long)root) {
		sbuf_add(err, "the model did not put the directory at the PDBR");
		return NULL;
	}
	mm->mmap_min_addr = 0;
	if (do_munmap(mm, 0, mm->task_size) != 0 ||
	    do_mmap(mm, 0, mm->task_size, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0) != 0) {
		sbuf_add(err, "the model could not map the address space");
		return NULL;
	}
	/* as prctl(PR_SET_VMA_ANON_NAME) would: not the heap, not the stack */
	find_vma(mm, 0)->vm_name = "[anon:ostep]";
	task_switch_to(m, t);
	return t;
}

/*
 * Give the frame pfn back and write to va: the fault handler takes the
 * one free order-0 frame for the page (the tables are there already).
 */
static int tour_map(struct machine *m, struct task_struct *t, uint64_t va,
    unsigned long pfn, bool *used, struct sbuf *err)
{
	struct access_result r;

	if (used[pfn]) {
		sbuf_printf(err, "frame %lu is mapped twice: the walk-through "
		    "maps each frame once", pfn);
		return -1;
	}
	used[pfn] = true;
	give_back(m, pfn);
	if (access_memory(m, t, va, MMU_WRITE, &r) != ACCESS_MINOR ||
	    r.pfn != pfn) {
		sbuf_printf(err, "the model did not put the page of 0x%" PRIx64
		    " at frame %lu", va, pfn);
		return -1;
	}
	return 0;
}

/*
 * The fixed frames no table or page took go back to the allocator; the
 * TLB is emptied (the walk-through starts cold) and the machine checked.
 */
static int tour_finish(struct machine *m, const bool *used,
    unsigned long nfixed, struct sbuf *err)
{
	char why[256];

	for (unsigned long pfn = 0; pfn < nfixed; pfn++) {
		if (!used[pfn])
			give_back(m, pfn);
	}
	flush_tlb_all(m);
	event_unmute(&m->ev);
	if (validate_machine(m, why, sizeof(why)) != 0) {
		sbuf_printf(err, "the machine fails its checks: %s", why);
		return -1;
	}
	return 0;
}

static int linear_tour(struct linear *pb, const char *name,
    struct ostep_tour *tour, struct sbuf *err)
{
	unsigned pagebits = log2_exact(pb->pagesize);
	unsigned vpnbits = log2_exact(pb->asize) - pagebits;
	/* spawn lays out a process in no fewer than 32 pages */
	unsigned bits = vpnbits < 5 ? 5 : vpnbits;
	unsigned long nfixed = linear_maxpfn(pb) + 1;
	struct sbuf why = SBUF_INIT, sb = SBUF_INIT, q = SBUF_INIT;
	struct task_struct *t = NULL;
	struct machine *m;
	bool *used;
	int rc = -1;

	m = linear_machine(pb, name, bits, err);
	if (m == NULL)
		return -1;
	used = xcalloc(nfixed, sizeof(*used));
	t = tour_process(m, -1, &why);
	for (size_t v = 0; t != NULL && v < pb->npte; v++) {
		if ((pb->pte[v] & 0x80000000U) &&
		    tour_map(m, t, (uint64_t)v << pagebits,
		    pb->pte[v] & 0x7fffffffU, used, &why) != 0)
			t = NULL;
	}
	if (t == NULL || tour_finish(m, used, nfixed, &why) != 0) {
		sbuf_printf(err, "%s: %s\n", name, sbuf_str(&why));
		machine_free(m);
		goto out;
	}
	tour->m = m;
	tour->title = xasprintf("OSTEP paging-linear-translate.py: %s",
	    base_name(name));
	sbuf_printf(&sb, "A linear page table: %" PRIu64 "-byte address space, %"
	    PRIu64 "-byte pages, so %u VPN bits and %u offset bits; entries "
	    "with the valid bit on top. Process 1 maps the problem's pages at "
	    "its frames", pb->asize, pb->pagesize, vpnbits, pagebits);
	if (bits != vpnbits)
		sbuf_printf(&sb, " (the model's table has %u entries, the "
		   "problem's %zu: the others stay empty)", 1U << bits, pb->npte);
	sbuf_add(&sb, ". For each address: 'a' answers, then 'n' walks it "
	    "with translate. 'vmscope ostep FILE' prints every answer.");
	tour->description = sbuf_steal(&sb);
	for (size_t i = 0; i < pb->nva; i++) {
		struct sbuf line = SBUF_INIT;
		struct pt_walk w;
		char *cmd, *ans;

		if (linear_answer(pb, t->mm->pgt, pb->va[i], &line, &w) != 0) {
			sbuf_printf(&sb, "VA 0x%08" PRIx64 " is outside the address "
			    "space: the simulator stops here.", pb->va[i]);
			ostep_tour_add(tour, sbuf_str(&sb), NULL, NULL, NULL, NULL);
			sbuf_free(&line);
			break;
		}
		sbuf_reset(&q);
		sbuf_printf(&q, "VA 0x%08" PRIx64 " (decimal %" PRIu64 "): which "
		    "physical address (hex), or invalid?", pb->va[i], pb->va[i]);
		ans = w.result == WALK_MAPPED ? xasprintf("0x%" PRIx64, w.phys) :
		    xstrdup("invalid");
		sbuf_reset(&sb);
		sbuf_printf(&sb, "Address %zu of %zu.", i + 1, pb->nva);
		ostep_tour_add(tour, sbuf_str(&sb), NULL, sbuf_str(&q), ans,
		    sbuf_str(&line));
		cmd = xasprintf("translate %d 0x%" PRIx64, t->pid, pb->va[i]);
		ostep_tour_add(tour, sbuf_str(&line), cmd, NULL, NULL, NULL);
		free(cmd);
		free(ans);
		sbuf_free(&line);
	}
	ostep_tour_add(tour, "That was the last address.", NULL, NULL, NULL,
	    NULL);
	rc = 0;
out:
	free(used);
	sbuf_free(&why);
	sbuf_free(&sb);
	sbuf_free(&q);
	return rc;
}

static int multilevel_tour(struct multilevel *pb, const char *name,
    struct ostep_tour *tour, struct sbuf *err)
{
	static const unsigned bits[2] = { 5, 5 };
	const uint8_t *pd = &pb->mem[pb->pdbr * ML_PAGE_SIZE];
	bool table[ML_PAGES] = { false }, used[ML_PAGES] = { false };
	struct sbuf why = SBUF_INIT, sb = SBUF_INIT, q = SBUF_INIT;
	struct task_struct *t = NULL;
	struct machine *m;

	m = fixed_machine(name, ML_PAGE_SIZE, 2, bits, 2 * ML_PAGES, ML_PAGES,
	    err);
	if (m == NULL)
		return -1;
	if (multilevel_tables(pb, table, &why) == 0)
		t = tour_process(m, pb->pdbr, &why);
	used[pb->pdbr] = true;
	/* Each table first (its frame given back just before), then its pages. */
	for (unsigned i = 0; t != NULL && i < ML_PAGE_SIZE; i++) {
		unsigned ptpfn = pd[i] & 0x7f;
		const uint8_t *ptes = &pb->mem[ptpfn * ML_PAGE_SIZE];
		uint64_t *ptep;

		if (!(pd[i] & 0x80))
			continue;
		used[ptpfn] = true;
		give_back(m, ptpfn);
		if (pte_alloc(t->mm->pgt, (uint64_t)i << 10, &ptep) != 0 ||
		    pte_pfn(pt_page_of(m, pb->pdbr)->ent[i]) != ptpfn) {
			sbuf_printf(&why, "the model did not put the page table "
			    "of directory entry %u at page %u", i, ptpfn);
			t = NULL;
			break;
		}
		for (unsigned j = 0; j < ML_PAGE_SIZE; j++) {
			if (!(ptes[j] & 0x80))
				continue;
			if (table[ptes[j] & 0x7f]) {
				sbuf_printf(&why, "page %u entry %u maps page %u, "
				    "which holds a table: the model does not map "
				    "tables as data", ptpfn, j, ptes[j] & 0x7f);
				t = NULL;
				break;
			}
			if (tour_map(m, t, ((uint64_t)i << 10) | ((uint64_t)j << 5),
			    ptes[j] & 0x7f, used, &why) != 0) {
				t = NULL;
				break;
			}
		}
	}
	if (t == NULL || tour_finish(m, used, ML_PAGES, &why) != 0) {
		sbuf_printf(err, "%s: %s\n", name, sbuf_str(&why));
		sbuf_free(&why);
		machine_free(m);
		return -1;
	}
	tour->m = m;
	tour->title = xasprintf("OSTEP paging-multilevel-translate.py: %s",
	    base_name(name));
	tour->description = xasprintf("32-byte pages, 15-bit addresses: 5 bits of "
	    "page-directory index (the model's pgd), 5 of page-table index "
	    "(pte), 5 of offset. The directory is at page %ld (PDBR); entries "
	    "are a valid bit 0x80 and a 7-bit pfn. Process 1 maps the problem's "
	    "pages at its frames. For each address: 'a' answers, then 'n' walks "
	    "it with translate. 'vmscope ostep FILE' prints every answer.",
	    pb->pdbr);
	for (size_t k = 0; k < pb->nva; k++) {
		struct sbuf block = SBUF_INIT;
		struct pt_walk w;
		char *cmd, *ans;

		multilevel_answer(pb, t->mm->pgt, pb->va[k], &block, &w);
		sbuf_reset(&q);
		sbuf_printf(&q, "Virtual Address %04x: which physical address "
		    "(hex), or fault?", pb->va[k]);
		ans = w.result == WALK_MAPPED ? xasprintf("0x%" PRIx64, w.phys) :
		    xstrdup("fault");
		sbuf_reset(&sb);
		sbuf_printf(&sb, "Address %zu of %zu.", k + 1, pb->nva);
		ostep_tour_add(tour, sbuf_str(&sb), NULL, sbuf_str(&q), ans,
		    sbuf_str(&block));
		cmd = xasprintf("translate %d 0x%x", t->pid, pb->va[k]);
		ostep_tour_add(tour, sbuf_str(&block), cmd, NULL, NULL, NULL);
		free(cmd);
		free(ans);
		sbuf_free(&block);
	}
	ostep_tour_add(tour, "That was the last address.", NULL, NULL, NULL,
	    NULL);
	sbuf_free(&why);
	sbuf_free(&sb);
	sbuf_free(&q);
	return 0;
}

int ostep_tour(const char *text, const char *name, struct ostep_tour *tour,
    struct sbuf *err)
{
	int rc;

	memset(tour, 0, sizeof(*tour));
	switch (ostep_detect(text)) {
	case OSTEP_LINEAR: {
		struct linear pb;

		memset(&pb, 0, sizeof(pb));
		sbuf_init(&pb.args);
		rc = linear_parse(text, name, &pb, err);
		if (rc == 0)
			rc = linear_tour(&pb, name, tour, err);
		linear_free(&pb);
		break;
	}
	case OSTEP_MULTILEVEL: {
		struct multilevel *pb = xcalloc(1, sizeof(*pb));

		sbuf_init(&pb->args);
		rc = multilevel_parse(text, name, pb, err);
		if (rc == 0)
			rc = multilevel_tour(pb, name, tour, err);
		sbuf_free(&pb->args);
		free(pb->va);
		free(pb);
		break;
	}
	case OSTEP_POLICY:
	default: {
		struct ostep_problem pb;

		if (ostep_parse(text, name, &pb, err) != 0)
			return -1;
		rc = ostep_policy_tour(&pb, name, tour, err);
		ostep_problem_free(&pb);
		break;
	}
	}
	if (rc != 0)
		ostep_tour_free(tour);
	return rc;
}

int ostep_answer(const char *text, const char *name, struct sbuf *out,
    struct sbuf *err)
{
	int rc;

	switch (ostep_detect(text)) {
	case OSTEP_LINEAR: {
		struct linear pb;

		memset(&pb, 0, sizeof(pb));
		sbuf_init(&pb.args);
		rc = linear_parse(text, name, &pb, err);
		if (rc == 0)
			rc = linear_solve(&pb, name, out, err);
		linear_free(&pb);
		return rc;
	}
	case OSTEP_MULTILEVEL: {
		struct multilevel *pb = xcalloc(1, sizeof(*pb));

		sbuf_init(&pb->args);
		rc = multilevel_parse(text, name, pb, err);
		if (rc == 0)
			rc = multilevel_solve(pb, name, out, err);
		sbuf_free(&pb->args);
		free(pb->va);
		free(pb);
		return rc;
	}
	case OSTEP_POLICY:
	default: {
		struct ostep_problem pb;

		if (ostep_parse(text, name, &pb, err) != 0)
			return -1;
		rc = ostep_solve(&pb, out);
		ostep_problem_free(&pb);
		return rc;
	}
	}
}
