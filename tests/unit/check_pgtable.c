/*
 * check_pgtable.c - page tables on every geometry: indexes and physical
 * addresses against hand-computed answers, entry values as each MMU
 * would hold them, table frames coming from and going back to the buddy
 * allocator, free_pgtables, huge and swap entries, the range walk, the
 * checkers, and the translate/pagetable views.
 */
#include <errno.h>

#include "testutil.h"
#include "vmscope/page_alloc.h"
#include "vmscope/pgtable.h"
#include "vmscope/report-mem.h"
#include "vmscope/report-paging.h"
#include "vmscope/tlb.h"

#define USER_RW		(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
			 _PAGE_ACCESSED | _PAGE_DIRTY)
#define USER_RW_NX	(USER_RW | _PAGE_NX)

static struct machine *new_machine(enum arch_id arch)
{
	struct machine_config cfg;
	struct machine *m;
	char err[256];

	machine_config_default(&cfg);
	machine_config_for_arch(&cfg, arch);
	m = machine_new(&cfg, err, sizeof(err));
	ck_assert_msg(m != NULL, "%s", err);
	return m;
}

static struct machine *new_toy(unsigned va_bits, uint64_t page_size,
    int nr_levels, const unsigned *bits, uint64_t ram)
{
	struct machine_config cfg;
	struct machine *m;
	char err[256];
	int i;

	machine_config_default(&cfg);
	machine_config_for_arch(&cfg, ARCH_TOY);
	cfg.va_bits = va_bits;
	cfg.page_size = page_size;
	cfg.nr_levels = nr_levels;
	for (i = 0; i < nr_levels; i++)
		cfg.level_bits[i] = bits[i];
	if (ram != 0)
		cfg.ram = ram;
	m = machine_new(&cfg, err, sizeof(err));
	ck_assert_msg(m != NULL, "%s", err);
	return m;
}

static void check_valid(struct pgtable *pgt)
{
	char why[256];

	ck_assert_msg(validate_pgtable(pgt, why, sizeof(why)) == 0, "%s", why);
	ck_assert_msg(validate_machine(pgt->m, why, sizeof(why)) == 0, "%s",
	    why);
}

/* A data frame for a leaf to point at. */
static unsigned long data_frame(struct machine *m)
{
	struct page *page = alloc_pages_node(m, 0, ZONE_NORMAL, 0, ALLOC_ANON);

	ck_assert_ptr_nonnull(page);
	return page_to_pfn(m, page);
}

/*
 * Exactly frame pfn as a data frame: take frames until it comes, give
 * the others back (the buddy allocator is deterministic, so this is too).
 */
static void take_frame(struct machine *m, unsigned long pfn)
{
	unsigned long got[64];
	int n = 0, i;

	for (;;) {
		got[n] = data_frame(m);
		if (got[n] == pfn)
			break;
		ck_assert_int_lt(++n, 64);
	}
	for (i = 0; i < n; i++)
		__free_pages(m, pfn_to_page(m, got[i]), 0);
}

static uint64_t *map_page(struct pgtable *pgt, uint64_t addr,
    unsigned long pfn, uint64_t prot)
{
	uint64_t *ptep;

	ck_assert_int_eq(pte_alloc(pgt, addr, &ptep), 0);
	ck_assert(pte_none(*ptep));
	set_pte_at(pgt, addr, ptep, pfn_pte(pfn, prot));
	return ptep;
}

static void unmap_page(struct pgtable *pgt, uint64_t addr)
{
	uint64_t *ptep = pte_offset(pgt, addr), old;

	ck_assert_ptr_nonnull(ptep);
	old = ptep_clear_flush(pgt, addr, ptep);
	if (pte_present(old))
		__free_pages(pgt->m, pfn_to_page(pgt->m, pte_pfn(old)), 0);
}

static void check_walk(struct pgtable *pgt, uint64_t addr, int nsteps,
    const unsigned *idx, unsigned long pfn)
{
	struct pt_walk w;
	int i;

	ck_assert_int_eq(pgtable_walk(pgt, addr, 0, &w), WALK_MAPPED);
	ck_assert_int_eq(w.nr_steps, nsteps);
	for (i = 0; i < nsteps; i++) {
		ck_assert_msg(w.step[i].index == idx[i], "level %d: index %u, "
		    "expected %u", i, w.step[i].index, idx[i]);
		ck_assert_str_eq(w.step[i].name,
		    pgt->m->arch.level_names[i]);
	}
	ck_assert_uint_eq(w.pfn, pfn);
	ck_assert_uint_eq(w.phys, ((uint64_t)pfn << pgt->m->arch.page_shift) |
	    (addr & (pgt->m->page_size - 1)));
}

/*
 * x86_64, 48 bits, 9/9/9/9/12. 0x7ffff7fef123:
 *   0111 1111 1111 1111 1111 0111 1111 1110 1111 0001 0010 0011
 *   bits 47..39 = 011111111 = 255   (pgd)
 *   bits 38..30 = 111111111 = 511   (pud)
 *   bits 29..21 = 110111111 = 447   (pmd)
 *   bits 20..12 = 111101111 = 495   (pte)
 *   offset 0x123
 */
START_TEST(test_x86_64)
{
	struct machine *m = new_machine(ARCH_X86_64);
	struct pgtable *pgt = pgtable_alloc(m, 1);
	static const unsigned idx[] = { 255, 511, 447, 495 };
	unsigned long pfn;
	uint64_t *ptep, raw;
	struct pt_walk w;

	ck_assert_ptr_nonnull(pgt);
	ck_assert_uint_eq(pgt->nr_pages, 1);
	pfn = data_frame(m);
	ptep = map_page(pgt, 0x7ffff7fef123, pfn, USER_RW_NX);
	check_walk(pgt, 0x7ffff7fef123, 4, idx, pfn);
	ck_assert_ptr_eq(pte_offset(pgt, 0x7ffff7fef000), ptep);
	/* one table per level */
	ck_assert_uint_eq(pgt->nr_tables[0], 1);
	ck_assert_uint_eq(pgt->nr_tables[3], 1);
	ck_assert_uint_eq(pgt->nr_pages, 4);
	ck_assert_uint_eq(m->nr_pgtable_pages, 4);
	/* the leaf as x86_64 holds it: NX, pfn << 12, 0x067 */
	raw = pgtable_entry_raw(m, 3, *ptep);
	ck_assert_uint_eq(raw, 0x8000000000000067ULL | ((uint64_t)pfn << 12));
	/* the upper entries are _PAGE_TABLE pointing at the next table */
	pgtable_walk(pgt, 0x7ffff7fef123, 0, &w);
	ck_assert_uint_eq(pte_flags(w.step[0].entry), 0x67);
	ck_assert_uint_eq(pte_pfn(w.step[0].entry), w.step[1].table_pfn);
	/* non-canonical: bit 47 set but not bits 63..48 */
	ck_assert_int_eq(pgtable_walk(pgt, 0x0000800000000000ULL, 0, &w),
	    WALK_BAD_ADDR);
	ck_assert_int_eq(pte_alloc(pgt, 0x0000800000000000ULL, &ptep), -EFAULT);
	/* the direct map is canonical: pgd[273] is walked, and is empty */
	ck_assert_int_eq(pgtable_walk(pgt, 0xffff888000000000ULL, 0, &w),
	    WALK_NONE);
	ck_assert_uint_eq(w.step[0].index, 273);
	/* a neighbour in the same pte table costs nothing */
	map_page(pgt, 0x7ffff7ff0000, data_frame(m), USER_RW_NX);
	ck_assert_uint_eq(pgt->nr_pages, 4);
	check_valid(pgt);
	unmap_page(pgt, 0x7ffff7fef000);
	unmap_page(pgt, 0x7ffff7ff0000);
	pgtable_free(pgt);
	ck_assert_uint_eq(m->nr_pgtable_pages, 0);
	machine_free(m);
}
END_TEST

/*
 * x86_64-la57, 57 bits, 9/9/9/9/9/12. 0x7ffff7fef123 is below 2^48, so
 * pgd index 0 and the rest as on 4 levels. 0x00fffffffffff123: every
 * index all ones, except the pgd: bits 56..48 = 011111111 = 255.
 */
START_TEST(test_la57)
{
	struct machine *m = new_machine(ARCH_X86_64_LA57);
	struct pgtable *pgt = pgtable_alloc(m, 1);
	static const unsigned idx1[] = { 0, 255, 511, 447, 495 };
	static const unsigned idx2[] = { 255, 511, 511, 511, 511 };
	unsigned long p1 = data_frame(m), p2 = data_frame(m);

	map_page(pgt, 0x7ffff7fef123, p1, USER_RW_NX);
	map_page(pgt, 0x00fffffffffff123ULL, p2, USER_RW_NX);
	check_walk(pgt, 0x7ffff7fef123, 5, idx1, p1);
	check_walk(pgt, 0x00fffffffffff123ULL, 5, idx2, p2);
	ck_assert_str_eq(m->arch.level_names[1], "p4d");
	ck_assert_uint_eq(pgt->nr_pages, 1 + 2 * 4);
	check_valid(pgt);
	unmap_page(pgt, 0x7ffff7fef000);
	unmap_page(pgt, 0x00fffffffffff000ULL);
	pgtable_free(pgt);
	machine_free(m);
}
END_TEST

/*
 * i386, 10/10/12, 4-byte entries. The seeds' example:
 *   0x08048000 (ELF text): pgd = 0x08048000 >> 22 = 0x20 = 32,
 *                          pte = (0x08048000 >> 12) & 0x3ff = 0x48 = 72
 *   0xbffff000 (stack):    pgd = 0x2ff = 767, pte = 0x3ff = 1023
 * Three tables of 4 KiB (12 KiB) against a flat 2^20 x 4 B = 4 MiB.
 */
START_TEST(test_i386)
{
	struct machine *m = new_machine(ARCH_I386);
	struct pgtable *pgt = pgtable_alloc(m, 1);
	static const unsigned idx1[] = { 32, 72 };
	static const unsigned idx2[] = { 767, 1023 };
	unsigned long p1 = data_frame(m), p2 = data_frame(m);
	uint64_t *ptep;
	struct sbuf sb = SBUF_INIT;

	ptep = map_page(pgt, 0x08048000, p1, USER_RW_NX);
	map_page(pgt, 0xbffff000, p2, USER_RW);
	check_walk(pgt, 0x08048abc, 2, idx1, p1);
	check_walk(pgt, 0xbffffffc, 2, idx2, p2);
	ck_assert_uint_eq(pgt->nr_pages, 3);
	ck_assert_uint_eq(pgt->nr_pages * m->page_size, 12 * 1024);
	ck_assert_uint_eq(pt_flat_bytes(m), 4 * 1024 * 1024);
	/* 32-bit entries: no NX bit */
	ck_assert_uint_eq(pgtable_entry_raw(m, 1, *ptep),
	    ((uint64_t)p1 << 12) | 0x67);
	ck_assert_int_eq(pt_entry_digits(m), 8);
	/* a 32-bit address space has no non-canonical hole */
	ck_assert(pt_addr_valid(m, 0xffffffff));
	ck_assert(!pt_addr_valid(m, 0x100000000ULL));

	report_pagetable_cost(pgt, &sb);
	ck_assert_msg(strstr(sbuf_str(&sb), "3 tables (1 pgd, 2 pte) in 3 "
	    "frames = 12 KiB\n") != NULL, "%s", sbuf_str(&sb));
	ck_assert_msg(strstr(sbuf_str(&sb), "2^20 entries x 4 bytes = 4 MiB; "
	    "the tree costs 1/341 of that") != NULL, "%s", sbuf_str(&sb));
	sbuf_free(&sb);
	check_valid(pgt);
	unmap_page(pgt, 0x08048000);
	unmap_page(pgt, 0xbffff000);
	pgtable_free(pgt);
	machine_free(m);
}
END_TEST

/*
 * arm32 short descriptors, 12/8/12: 4096 first-level entries of 1 MiB
 * (a 16 KiB table, order 2), 256 second-level entries.
 *   0x00010123: L1 = 0x00010123 >> 20 = 0, L2 = (>> 12) & 0xff = 0x10 = 16
 *   0xbefff000: L1 = 0xbef = 3055, L2 = 0xff = 255
 */
START_TEST(test_arm32)
{
	struct machine *m = new_machine(ARCH_ARM32);
	struct pgtable *pgt = pgtable_alloc(m, 1);
	static const unsigned idx1[] = { 0, 16 };
	static const unsigned idx2[] = { 3055, 255 };
	unsigned long p1 = data_frame(m), p2 = data_frame(m);
	uint64_t *ptep;
	struct pt_walk w;

	ck_assert_uint_eq(pt_table_order(m, 0), 2);
	ck_assert_uint_eq(pt_table_order(m, 1), 0);
	ck_assert_uint_eq(pgt->nr_pages, 4);
	ptep = map_page(pgt, 0x00010123, p1, USER_RW_NX);
	map_page(pgt, 0xbefff000, p2, USER_RW & ~_PAGE_RW);
	check_walk(pgt, 0x00010123, 2, idx1, p1);
	check_walk(pgt, 0xbefff000, 2, idx2, p2);
	ck_assert_uint_eq(pgt->nr_pages, 4 + 2);
	/*
	 * small page: base | nG 0x800 | AP 11 (0x30) | C B (0xc) |
	 * small 0x2 | XN 0x1
	 */
	ck_assert_uint_eq(pgtable_entry_raw(m, 1, *ptep),
	    ((uint64_t)p1 << 12) | 0x83f);
	/* read-only: AP[2] too (0x230), executable */
	ck_assert_uint_eq(pgtable_entry_raw(m, 1, *pte_offset(pgt, 0xbefff000)),
	    ((uint64_t)p2 << 12) | 0xa3e);
	/* coarse table descriptor: L2 base | domain 1 | 0x11 */
	pgtable_walk(pgt, 0x00010123, 0, &w);
	ck_assert_uint_eq(pgtable_entry_raw(m, 0, w.step[0].entry),
	    ((uint64_t)w.step[1].table_pfn << 12) | 0x31);
	check_valid(pgt);
	unmap_page(pgt, 0x00010000);
	unmap_page(pgt, 0xbefff000);
	pgtable_free(pgt);
	machine_free(m);
}
END_TEST

/*
 * arm64 4K, 9/9/9/9/12. 0xaaaaaaaab123 (the PIE base region):
 *   bits 47..39 = 101010101 = 341, 38..30 = 010101010 = 170,
 *   29..21 = 101010101 = 341, 20..12 = 010101011 = 171, offset 0x123
 */
START_TEST(test_arm64)
{
	struct machine *m = new_machine(ARCH_ARM64);
	struct pgtable *pgt = pgtable_alloc(m, 1);
	static const unsigned idx[] = { 341, 170, 341, 171 };
	unsigned long pfn = data_frame(m);
	uint64_t *ptep;
	struct pt_walk w;

	ptep = map_page(pgt, 0xaaaaaaaab123ULL, pfn, USER_RW_NX);
	check_walk(pgt, 0xaaaaaaaab123ULL, 4, idx, pfn);
	/*
	 * page descriptor of a dirty writable user page: 0x3 | AP[1] 0x40 |
	 * SH 0x300 | AF 0x400 | nG 0x800 = 0xf43; DBM (51), PXN (53),
	 * UXN (54), PTE_DIRTY (55) = 0x00e8 in the top bits
	 */
	ck_assert_uint_eq(pgtable_entry_raw(m, 3, *ptep),
	    0x00e8000000000f43ULL | ((uint64_t)pfn << 12));
	/* clean: read-only in hardware (AP[2]) until the first write */
	ck_assert_uint_eq(pgtable_entry_raw(m, 3, pte_mkclean(*ptep)),
	    0x0068000000000fc3ULL | ((uint64_t)pfn << 12));
	pgtable_walk(pgt, 0xaaaaaaaab123ULL, 0, &w);
	ck_assert_uint_eq(pgtable_entry_raw(m, 0, w.step[0].entry),
	    ((uint64_t)w.step[1].table_pfn << 12) | 0x3);
	/* kernel addresses belong to TTBR1, not to this table */
	ck_assert(!pt_addr_valid(m, 0xffff000000000000ULL));
	check_valid(pgt);
	unmap_page(pgt, 0xaaaaaaaab000ULL);
	pgtable_free(pgt);
	machine_free(m);
}
END_TEST

/*
 * The textbook toy: 15-bit addresses, 32-byte pages, two levels of 5
 * bits, one-byte entries (valid bit 0x80, frame number below).
 *   VA 0x611c = 110 0001 0001 1100
 *             = 11000 | 01000 | 11100
 *   pgd index 0b11000 = 24, pte index 0b01000 = 8, offset 0x1c.
 * Mapped to frame 0x13: physical 0x13 << 5 | 0x1c = 0x27c, and the pte
 * reads 0x80 | 0x13 = 0x93.
 */
START_TEST(test_toy_textbook)
{
	static const unsigned bits[] = { 5, 5 };
	static const unsigned idx[] = { 24, 8 };
	struct machine *m = new_toy(15, 32, 2, bits, 0);
	struct pgtable *pgt = pgtable_alloc(m, 1);
	uint64_t *ptep;
	struct pt_walk w;
	struct sbuf sb = SBUF_INIT;

	ck_assert_uint_eq(m->arch.pte_size, 1);
	ck_assert_uint_eq(pt_entries(m, 0), 32);
	ck_assert_uint_eq(pt_table_order(m, 0), 0);	/* 32 B: one page */
	ck_assert_int_eq(pt_entry_digits(m), 2);
	ck_assert_int_eq(pte_alloc(pgt, 0x611c, &ptep), 0);
	take_frame(m, 0x13);
	set_pte_at(pgt, 0x611c, ptep, pfn_pte(0x13, USER_RW));
	check_walk(pgt, 0x611c, 2, idx, 0x13);
	pgtable_walk(pgt, 0x611c, 0, &w);
	ck_assert_uint_eq(w.phys, 0x27c);
	ck_assert_uint_eq(pgtable_entry_raw(m, 1, *ptep), 0x93);
	ck_assert_uint_eq(pgtable_entry_raw(m, 0, w.step[0].entry),
	    0x80 | w.step[1].table_pfn);
	/* beyond 15 bits */
	ck_assert(!pt_addr_valid(m, 0x8000));
	/* flat: 2^10 entries of one byte = 1 KiB, the tree 2 x 32 B */
	ck_assert_uint_eq(pt_flat_bytes(m), 1024);
	ck_assert_uint_eq(pgt->nr_pages, 2);

	report_translate(pgt, 0x611c, &sb);
	ck_assert_str_eq(sbuf_str(&sb),
	    "0x611c: pgd 24 | pte 8 | offset 0x1c  (11000|01000|11100)\n"
	    "pgd  index 24  entry 0x81  P RW US A D     -> pte table at pfn 0x1\n"
	    "pte  index  8  entry 0x93  P RW US A D     -> frame pfn 0x13\n"
	    "physical address 0x27c\n");
	sbuf_free(&sb);
	check_valid(pgt);
	pgtable_free(pgt);
	machine_free(m);
}
END_TEST

/*
 * Toy geometries that stretch the code: tables bigger than a page (6
 * bits of one-byte entries with 32-byte pages: 64 bytes, order 1), and
 * three levels (16-bit addresses, 16-byte pages, 4/4/4: pgd pmd pte,
 * a pmd leaf maps 16 x 16 = 256 bytes).
 *   16-bit 0xabcd = 1010 | 1011 | 1100 | 1101: pgd 10, pmd 11, pte 12,
 *   offset 0xd.
 */
START_TEST(test_toy_geometries)
{
	static const unsigned b1[] = { 6, 4 };
	static const unsigned b2[] = { 4, 4, 4 };
	static const unsigned idx[] = { 10, 11, 12 };
	struct machine *m = new_toy(15, 32, 2, b1, 2048);
	struct pgtable *pgt = pgtable_alloc(m, 1);
	unsigned long pfn, before;
	uint64_t *ptep;

	ck_assert_uint_eq(pt_table_order(m, 0), 1);
	ck_assert_uint_eq(pt_table_order(m, 1), 0);
	ck_assert_uint_eq(pgt->nr_pages, 2);
	map_page(pgt, 0x7fff, data_frame(m), USER_RW);
	ck_assert_uint_eq(pt_index(m, 0, 0x7fff), 63);
	check_valid(pgt);
	unmap_page(pgt, 0x7fff);
	pgtable_free(pgt);
	machine_free(m);

	m = new_toy(16, 16, 3, b2, 4096);
	before = global_free_pages(m);
	pgt = pgtable_alloc(m, 1);
	ck_assert_str_eq(m->arch.level_names[1], "pmd");
	ck_assert_int_eq(pt_huge_level(m), 1);
	ck_assert_uint_eq(pt_level_shift(m, 1), 8);
	pfn = data_frame(m);
	map_page(pgt, 0xabcd, pfn, USER_RW);
	check_walk(pgt, 0xabcd, 3, idx, pfn);
	/* a pmd leaf: 16 frames (order 4) mapping 256 bytes */
	{
		struct page *huge = alloc_pages_node(m, 0, ZONE_NORMAL, 4,
		    ALLOC_HUGE);
		unsigned long hp = page_to_pfn(m, huge);
		struct pt_walk w;

		ck_assert_int_eq(pmd_alloc(pgt, 0x1234, &ptep), 0);
		set_pmd_at(pgt, 0x1234, ptep, pte_mkhuge(pfn_pte(hp, USER_RW)));
		ck_assert_int_eq(pgtable_walk(pgt, 0x1234, 0, &w), WALK_MAPPED);
		ck_assert_int_eq(w.nr_steps, 2);
		/* 0x1234: frame 3 of the 16 (0x34 >> 4), offset 4 */
		ck_assert_uint_eq(w.pfn, hp + 3);
		ck_assert_uint_eq(w.phys, ((uint64_t)(hp + 3) << 4) | 4);
		check_valid(pgt);
		pmdp_get_and_clear(pgt, 0x1234, ptep);
		__free_pages(m, huge, 4);
	}
	unmap_page(pgt, 0xabcd);
	pgtable_free(pgt);
	ck_assert_uint_eq(global_free_pages(m), before);
	machine_free(m);
}
END_TEST

/* Every frame a page table took goes back, on every architecture. */
START_TEST(test_free_returns_frames)
{
	static const enum arch_id arches[] = { ARCH_X86_64, ARCH_X86_64_LA57,
	    ARCH_I386, ARCH_ARM32, ARCH_ARM64 };
	static const uint64_t addrs[] = { 0x1000, 0x400000, 0x08048000,
	    0x40000000, 0x7f0000001000ULL, 0xbffff000 };
	size_t a, i;

	for (a = 0; a < ARRAY_SIZE(arches); a++) {
		struct machine *m = new_machine(arches[a]);
		unsigned long before = global_free_pages(m);
		struct pgtable *pgt = pgtable_alloc(m, 1);
		unsigned long root_pages = pgt->nr_pages;

		for (i = 0; i < ARRAY_SIZE(addrs); i++) {
			if (!pt_addr_valid(m, addrs[i]))
				continue;
			map_page(pgt, addrs[i], data_frame(m), USER_RW);
		}
		check_valid(pgt);
		ck_assert_uint_eq(m->nr_pgtable_pages, pgt->nr_pages);
		/* unmapping every page, then free_pgtables, keeps the root */
		for (i = 0; i < ARRAY_SIZE(addrs); i++) {
			if (pt_addr_valid(m, addrs[i]))
				unmap_page(pgt, addrs[i]);
		}
		free_pgtables(pgt, 0, m->arch.bits == 64 ?
		    (1ULL << m->arch.va_bits) : 0x100000000ULL);
		ck_assert_uint_eq(pgt->nr_pages, root_pages);
		check_valid(pgt);
		pgtable_free(pgt);
		ck_assert_uint_eq(m->nr_pgtable_pages, 0);
		ck_assert_uint_eq(global_free_pages(m), before);
		{
			char why[256];

			ck_assert_msg(validate_machine(m, why, sizeof(why)) == 0,
			    "%s", why);
		}
		machine_free(m);
	}
}
END_TEST

/*
 * free_pgtables frees what became empty and only that:
 *
 *   pmd[0] -> pte table A: 0x1000 (kept), 0x2000 (unmapped)
 *   pmd[1] -> pte table B: 0x200000 (unmapped)
 *
 * Unmapping 0x200000 and freeing [0x200000, 0x400000) frees B only;
 * unmapping 0x2000 and freeing [0x2000, 0x3000) frees nothing (A still
 * maps 0x1000).
 */
START_TEST(test_free_pgtables_range)
{
	struct machine *m = new_machine(ARCH_X86_64);
	struct pgtable *pgt = pgtable_alloc(m, 1);

	map_page(pgt, 0x1000, data_frame(m), USER_RW);
	map_page(pgt, 0x2000, data_frame(m), USER_RW);
	map_page(pgt, 0x200000, data_frame(m), USER_RW);
	ck_assert_uint_eq(pgt->nr_tables[3], 2);
	ck_assert_uint_eq(pgt->nr_pages, 5);

	unmap_page(pgt, 0x200000);
	ck_assert_uint_eq(free_pgtables(pgt, 0x200000, 0x400000), 1);
	ck_assert_uint_eq(pgt->nr_tables[3], 1);
	ck_assert_ptr_null(pte_offset(pgt, 0x200000));
	unmap_page(pgt, 0x2000);
	ck_assert_uint_eq(free_pgtables(pgt, 0x2000, 0x3000), 0);
	ck_assert_ptr_nonnull(pte_offset(pgt, 0x1000));
	check_valid(pgt);
	/* the last page: pte, pmd and pud tables all go */
	unmap_page(pgt, 0x1000);
	ck_assert_uint_eq(free_pgtables(pgt, 0, 0x1000000), 3);
	ck_assert_uint_eq(pgt->nr_pages, 1);
	check_valid(pgt);
	pgtable_free(pgt);
	machine_free(m);
}
END_TEST

/* A 2 MiB pmd leaf on x86_64. */
START_TEST(test_huge_pmd)
{
	struct machine *m = new_machine(ARCH_X86_64);
	struct pgtable *pgt = pgtable_alloc(m, 1);
	struct page *huge = alloc_pages_node(m, 0, ZONE_NORMAL, 9, ALLOC_HUGE);
	unsigned long hp = page_to_pfn(m, huge);
	uint64_t *pmdp, *ptep;
	struct pt_walk w;

	ck_assert_int_eq(pmd_alloc(pgt, 0x40000000, &pmdp), 0);
	set_pmd_at(pgt, 0x40000000, pmdp,
	    pte_mkhuge(pfn_pte(hp, USER_RW_NX)));
	/* 0x40123456: frame 0x123 of the 512, offset 0x456 */
	ck_assert_int_eq(pgtable_walk(pgt, 0x40123456, 0, &w), WALK_MAPPED);
	ck_assert_int_eq(w.nr_steps, 3);
	ck_assert_uint_eq(w.page_shift, 21);
	ck_assert_uint_eq(w.pfn, hp + 0x123);
	ck_assert_uint_eq(w.phys, ((uint64_t)(hp + 0x123) << 12) | 0x456);
	ck_assert(w.step[2].leaf);
	/* PS (0x80) in the entry */
	ck_assert_uint_eq(pgtable_entry_raw(m, 2, *pmdp),
	    0x80000000000000e7ULL | ((uint64_t)hp << 12));
	/* no pte table below a huge leaf */
	ck_assert_ptr_null(pte_offset(pgt, 0x40123000));
	ck_assert_int_eq(pte_alloc(pgt, 0x40123000, &ptep), -EEXIST);
	check_valid(pgt);
	pmdp_get_and_clear(pgt, 0x40000000, pmdp);
	__free_pages(m, huge, 9);
	pgtable_free(pgt);
	machine_free(m);
}
END_TEST

/* Swap entries: x86_64 layout inside, each MMU's layout when printed. */
START_TEST(test_swap_entries)
{
	struct machine *m = new_machine(ARCH_X86_64);
	struct machine *m32 = new_machine(ARCH_I386);
	struct pgtable *pgt = pgtable_alloc(m, 1);
	uint64_t swp = swp_entry_to_pte(1, 0x1234), *ptep;
	struct pt_walk w;

	ck_assert(is_swap_pte(swp));
	ck_assert(!pte_present(swp));
	ck_assert_uint_eq(pte_swp_type(swp), 1);
	ck_assert_uint_eq(pte_swp_offset(swp), 0x1234);
	ck_assert_uint_eq(swp, (1ULL << 9) | (0x1234ULL << 14));
	/* i386: type in bits 1..5, offset from bit 9 */
	ck_assert_uint_eq(pgtable_entry_raw(m32, 1, swp),
	    (1ULL << 1) | (0x1234ULL << 9));

	ck_assert_int_eq(pte_alloc(pgt, 0x5000, &ptep), 0);
	set_pte_at(pgt, 0x5000, ptep, swp);
	ck_assert_int_eq(pgtable_walk(pgt, 0x5000, 0, &w), WALK_SWAP);
	ck_assert_int_eq(w.level, 3);
	check_valid(pgt);
	/* PROT_NONE: present to Linux, not to the MMU */
	set_pte_at(pgt, 0x5000, ptep, pfn_pte(data_frame(m), _PAGE_PROTNONE |
	    _PAGE_USER | _PAGE_ACCESSED));
	ck_assert(pte_present(*ptep));
	ck_assert(!pte_hw_present(*ptep));
	ck_assert_int_eq(pgtable_walk(pgt, 0x5000, 0, &w), WALK_PROTNONE);
	check_valid(pgt);
	unmap_page(pgt, 0x5000);
	pgtable_free(pgt);
	machine_free(m);
	machine_free(m32);
}
END_TEST

struct collected {
	int		 n;
	uint64_t	 addr[16];
	unsigned	 shift[16];
};

static int collect(struct pgtable *pgt, uint64_t addr, uint64_t *ptep,
    int level, unsigned shift, void *arg)
{
	struct collected *c = arg;

	(void)pgt;
	(void)ptep;
	(void)level;
	ck_assert_int_lt(c->n, 16);
	c->addr[c->n] = addr;
	c->shift[c->n++] = shift;
	return 0;
}

START_TEST(test_walk_page_range)
{
	struct machine *m = new_machine(ARCH_X86_64);
	struct pgtable *pgt = pgtable_alloc(m, 1);
	struct collected c;
	uint64_t *ptep;

	map_page(pgt, 0x7ffff7fef000, data_frame(m), USER_RW);
	map_page(pgt, 0x1000, data_frame(m), USER_RW);
	map_page(pgt, 0x3000, data_frame(m), USER_RW);
	ck_assert_int_eq(pte_alloc(pgt, 0x2000, &ptep), 0);
	set_pte_at(pgt, 0x2000, ptep, swp_entry_to_pte(0, 7));

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(walk_page_range(pgt, 0, 0x800000000000ULL, collect,
	    &c), 0);
	ck_assert_int_eq(c.n, 4);
	ck_assert_uint_eq(c.addr[0], 0x1000);
	ck_assert_uint_eq(c.addr[1], 0x2000);	/* the swap entry */
	ck_assert_uint_eq(c.addr[2], 0x3000);
	ck_assert_uint_eq(c.addr[3], 0x7ffff7fef000);
	ck_assert_uint_eq(c.shift[0], 12);
	/* half-open: [0x2000, 0x3000) is the swap entry alone */
	memset(&c, 0, sizeof(c));
	walk_page_range(pgt, 0x2000, 0x3000, collect, &c);
	ck_assert_int_eq(c.n, 1);
	ck_assert_uint_eq(c.addr[0], 0x2000);
	ptep_get_and_clear(pgt, 0x2000, ptep);
	unmap_page(pgt, 0x1000);
	unmap_page(pgt, 0x3000);
	unmap_page(pgt, 0x7ffff7fef000);
	pgtable_free(pgt);
	machine_free(m);
}
END_TEST

/* The checkers see what goes wrong. */
START_TEST(test_validate_catches)
{
	struct machine *m = new_machine(ARCH_X86_64);
	struct pgtable *pgt = pgtable_alloc(m, 1);
	unsigned long pfn = data_frame(m);
	uint64_t *ptep = map_page(pgt, 0x1000, pfn, USER_RW);
	char why[256];

	check_valid(pgt);
	/* the leaf's frame is freed behind the table's back */
	__free_pages(m, pfn_to_page(m, pfn), 0);
	ck_assert_int_ne(validate_pgtable(pgt, why, sizeof(why)), 0);
	ck_assert_msg(strstr(why, "free") != NULL, "%s", why);
	*ptep = 0;
	check_valid(pgt);
	/* a miscount */
	pgt->nr_tables[3]++;
	ck_assert_int_ne(validate_pgtable(pgt, why, sizeof(why)), 0);
	pgt->nr_tables[3]--;
	m->nr_pgtable_pages++;
	ck_assert_int_ne(validate_pgtables(m, why, sizeof(why)), 0);
	m->nr_pgtable_pages--;
	/* a leaf pointing at a page table */
	*ptep = pfn_pte(pgt->root_pfn, USER_RW);
	ck_assert_int_ne(validate_pgtable(pgt, why, sizeof(why)), 0);
	ck_assert_msg(strstr(why, "page table") != NULL, "%s", why);
	*ptep = 0;
	pgtable_free(pgt);
	machine_free(m);
}
END_TEST

/* Tables are counted in meminfo and announced as events. */
START_TEST(test_meminfo_and_events)
{
	struct machine *m = new_machine(ARCH_X86_64);
	struct pgtable *pgt = pgtable_alloc(m, 7);
	struct sbuf sb = SBUF_INIT;
	const struct vm_event *ev;
	struct pt_walk w;
	unsigned long pfn = data_frame(m);
	int i;

	map_page(pgt, 0x7ffff7fef000, pfn, USER_RW_NX);
	/* newest first: set_pte, pte, pmd, pud tables */
	ev = event_log_get(&m->ev, 0);
	ck_assert_int_eq(ev->kind, EV_SET_PTE);
	ck_assert_int_eq(ev->pid, 7);
	ck_assert_uint_eq(ev->pfn, pfn);
	for (i = 1; i <= 3; i++) {
		/* an allocation's own events come before its EV_PGTABLE_ALLOC */
		size_t k = 0;

		while ((ev = event_log_get(&m->ev, k)) != NULL &&
		    !(ev->kind == EV_PGTABLE_ALLOC && ev->level == 4 - i))
			k++;
		ck_assert_ptr_nonnull(ev);
	}
	report_meminfo(m, &sb);
	ck_assert_msg(strstr(sbuf_str(&sb), "PageTables:           16 kB\n") !=
	    NULL, "%s", sbuf_str(&sb));
	sbuf_free(&sb);

	pgtable_walk(pgt, 0x7ffff7fef000, WALK_EMIT, &w);
	for (i = 0; i < 4; i++) {
		ev = event_log_get(&m->ev, (size_t)(3 - i));
		ck_assert_int_eq(ev->kind, EV_WALK_LEVEL);
		ck_assert_int_eq(ev->level, i);
		ck_assert_uint_eq(ev->val, w.step[i].index);
	}
	pgtable_walk(pgt, 0x1000, WALK_EMIT, &w);
	ev = event_log_get(&m->ev, 0);
	ck_assert_int_eq(ev->kind, EV_WALK_FAULT);
	ck_assert_int_eq(ev->level, 0);		/* pgd[0] is none */
	unmap_page(pgt, 0x7ffff7fef000);
	pgtable_free(pgt);
	machine_free(m);
}
END_TEST

/* Table allocation fails cleanly when memory runs out. */
START_TEST(test_enomem)
{
	static const unsigned bits[] = { 5, 5 };
	struct machine *m = new_toy(15, 32, 2, bits, 256);	/* 8 frames */
	struct pgtable *pgt = pgtable_alloc(m, 1);
	uint64_t *ptep;
	int n = 0;

	ck_assert_ptr_nonnull(pgt);
	while (alloc_pages_node(m, 0, ZONE_NORMAL, 0, ALLOC_ANON) != NULL)
		n++;
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(pte_alloc(pgt, 0x611c, &ptep), -ENOMEM);
	ck_assert_uint_eq(pgt->nr_pages, 1);
	ck_assert_ptr_null(pgtable_alloc(m, 2));
	pgtable_free(pgt);
	machine_free(m);
}
END_TEST

/* The sketch of experience.md, with this model's frames. */
START_TEST(test_translate_view)
{
	struct machine *m = new_machine(ARCH_X86_64);
	struct pgtable *pgt = pgtable_alloc(m, 1);
	unsigned long pfn = data_frame(m);
	struct sbuf sb = SBUF_INIT, want = SBUF_INIT;
	struct pt_walk w;

	map_page(pgt, 0x7ffff7fef000, pfn, USER_RW_NX);
	pgtable_walk(pgt, 0x7ffff7fef123, 0, &w);
	sbuf_printf(&want,
	    "0x00007ffff7fef123: pgd 255 | pud 511 | pmd 447 | pte 495 | offset 0x123\n"
	    "pgd  index 255  entry 0x%016lx  P RW US A D        -> pud table at pfn 0x%lx\n"
	    "pud  index 511  entry 0x%016lx  P RW US A D        -> pmd table at pfn 0x%lx\n"
	    "pmd  index 447  entry 0x%016lx  P RW US A D        -> pte table at pfn 0x%lx\n"
	    "pte  index 495  entry 0x%016lx  P RW US A D NX     -> frame pfn 0x%lx\n"
	    "physical address 0x%lx\n",
	    (unsigned long)w.step[0].entry, w.step[1].table_pfn,
	    (unsigned long)w.step[1].entry, w.step[2].table_pfn,
	    (unsigned long)w.step[2].entry, w.step[3].table_pfn,
	    (unsigned long)w.step[3].entry, pfn, (pfn << 12) | 0x123);
	report_translate(pgt, 0x7ffff7fef123, &sb);
	ck_assert_str_eq(sbuf_str(&sb), sbuf_str(&want));

	sbuf_reset(&sb);
	report_translate(pgt, 0x7ffff7e00000, &sb);
	ck_assert_msg(strstr(sbuf_str(&sb), "pmd  index 447") != NULL, "%s",
	    sbuf_str(&sb));
	ck_assert_msg(strstr(sbuf_str(&sb), "pte  index   0  entry none  -> "
	    "not present: page fault at this level\n") != NULL, "%s",
	    sbuf_str(&sb));
	sbuf_reset(&sb);
	report_translate(pgt, 0x1000, &sb);
	ck_assert_msg(strstr(sbuf_str(&sb), "pgd  index   0  entry none  -> "
	    "not present") != NULL, "%s", sbuf_str(&sb));

	sbuf_reset(&sb);
	report_pagetable(pgt, false, 0, &sb);
	ck_assert_msg(strstr(sbuf_str(&sb), "x86_64, 4 levels of 9+9+9+9 bits, "
	    "4 KiB pages, 8-byte entries") != NULL, "%s", sbuf_str(&sb));
	ck_assert_msg(strstr(sbuf_str(&sb), "4 tables (1 pgd, 1 pud, 1 pmd, "
	    "1 pte) in 4 frames = 16 KiB\n") != NULL, "%s", sbuf_str(&sb));
	ck_assert_msg(strstr(sbuf_str(&sb), "      [447] pte table") != NULL,
	    "%s", sbuf_str(&sb));
	sbuf_reset(&sb);
	report_pagetable(pgt, true, 0x7ffff7fef000, &sb);
	ck_assert_msg(strstr(sbuf_str(&sb), "[495] 0x00007ffff7fef000") != NULL,
	    "%s", sbuf_str(&sb));
	sbuf_free(&sb);
	sbuf_free(&want);
	unmap_page(pgt, 0x7ffff7fef000);
	pgtable_free(pgt);
	machine_free(m);
}
END_TEST

static Suite *pgtable_suite(void)
{
	Suite *s = suite_create("pgtable");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_x86_64);
	tcase_add_test(tc, test_la57);
	tcase_add_test(tc, test_i386);
	tcase_add_test(tc, test_arm32);
	tcase_add_test(tc, test_arm64);
	tcase_add_test(tc, test_toy_textbook);
	tcase_add_test(tc, test_toy_geometries);
	tcase_add_test(tc, test_free_returns_frames);
	tcase_add_test(tc, test_free_pgtables_range);
	tcase_add_test(tc, test_huge_pmd);
	tcase_add_test(tc, test_swap_entries);
	tcase_add_test(tc, test_walk_page_range);
	tcase_add_test(tc, test_validate_catches);
	tcase_add_test(tc, test_meminfo_and_events);
	tcase_add_test(tc, test_enomem);
	tcase_add_test(tc, test_translate_view);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(pgtable_suite());
}
