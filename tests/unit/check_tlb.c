/*
 * check_tlb.c - the TLB: set indexing and tags, LRU replacement within a
 * set, ASID tagging against flushing on every switch, flush_tlb_page /
 * range / mm, huge entries, the MMU's access path (accessed and dirty
 * bits, protection faults), and the invariant that no TLB entry
 * disagrees with its PTE, also under a seeded random workload.
 */
#include <errno.h>

#include "testutil.h"
#include "vmscope/page_alloc.h"
#include "vmscope/report-paging.h"
#include "vmscope/tlb.h"

#define USER_RW		(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)

static struct machine *new_machine(int entries, int ways, bool asid)
{
	struct machine_config cfg;
	struct machine *m;
	char err[256];

	machine_config_default(&cfg);
	cfg.tlb_entries = entries;
	cfg.tlb_ways = ways;
	cfg.asid = asid;
	m = machine_new(&cfg, err, sizeof(err));
	ck_assert_msg(m != NULL, "%s", err);
	return m;
}

static void check_valid(struct machine *m)
{
	char why[256];

	ck_assert_msg(validate_tlb(m, why, sizeof(why)) == 0, "%s", why);
	ck_assert_msg(validate_machine(m, why, sizeof(why)) == 0, "%s", why);
}

static unsigned long map(struct pgtable *pgt, uint64_t addr, uint64_t prot)
{
	struct page *page = alloc_pages_node(pgt->m, 0, ZONE_NORMAL, 0,
	    ALLOC_ANON);
	uint64_t *ptep;

	ck_assert_ptr_nonnull(page);
	ck_assert_int_eq(pte_alloc(pgt, addr, &ptep), 0);
	set_pte_at(pgt, addr, ptep, pfn_pte(page_to_pfn(pgt->m, page), prot));
	return page_to_pfn(pgt->m, page);
}

/* munmap of one page: clear, flush, free the frame. */
static void unmap(struct pgtable *pgt, uint64_t addr)
{
	uint64_t *ptep = pte_offset(pgt, addr), old;

	if (ptep == NULL || pte_none(*ptep))
		return;
	old = ptep_clear_flush(pgt, addr, ptep);
	__free_pages(pgt->m, pfn_to_page(pgt->m, pte_pfn(old)), 0);
}

static void unmap_all(struct pgtable *pgt, const uint64_t *addrs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		unmap(pgt, addrs[i]);
}

static enum mmu_fault access(struct machine *m, uint64_t addr,
    enum mmu_access_type type, bool *hit)
{
	struct mmu_result r;

	mmu_access(m, addr, type, &r);
	if (hit != NULL)
		*hit = r.tlb_hit;
	return r.fault;
}

/* 8 entries in 2 ways: 4 sets; vpn 0x5 goes to set 1 with tag 1. */
START_TEST(test_set_index)
{
	struct machine *m = new_machine(8, 2, true);
	struct tlb *tlb = m->tlb;

	ck_assert_uint_eq(tlb->nr_sets, 4);
	ck_assert_uint_eq(tlb_set_index(tlb, 0x1000, 12), 1);
	ck_assert_uint_eq(tlb_set_index(tlb, 0x5000, 12), 1);
	ck_assert_uint_eq(tlb_set_index(tlb, 0x7fff, 12), 3);
	ck_assert_uint_eq(tlb_tag(tlb, 0x5), 1);
	ck_assert_uint_eq(tlb_tag(tlb, 0x7ffff7fef), 0x7ffff7fef >> 2);
	/* a 2 MiB page is indexed by its own number: 0x40000000 >> 21 = 512 */
	ck_assert_uint_eq(tlb_set_index(tlb, 0x40123456, 21), 0);
	machine_free(m);
}
END_TEST

/*
 * LRU in one set (2 ways, set 0): pages A 0x100000, B 0x104000,
 * C 0x108000 (vpns 0x100, 0x104, 0x108: all = 0 mod 4).
 *   A miss, B miss, A hit  -> B is least recently used
 *   C miss                 -> evicts B
 *   A hit, B miss          -> evicts C
 */
START_TEST(test_lru)
{
	struct machine *m = new_machine(8, 2, true);
	struct pgtable *pgt = pgtable_alloc(m, 1);
	static const uint64_t pages[] = { 0x100000, 0x104000, 0x108000 };
	bool hit;

	map(pgt, pages[0], USER_RW);
	map(pgt, pages[1], USER_RW);
	map(pgt, pages[2], USER_RW);
	switch_mm(m, pgt);
	ck_assert_int_eq(access(m, pages[0], MMU_READ, &hit), MMU_OK);
	ck_assert(!hit);
	ck_assert_int_eq(access(m, pages[1], MMU_READ, &hit), MMU_OK);
	ck_assert(!hit);
	ck_assert_int_eq(access(m, pages[0] + 8, MMU_READ, &hit), MMU_OK);
	ck_assert(hit);
	access(m, pages[2], MMU_READ, &hit);
	ck_assert(!hit);
	ck_assert_uint_eq(m->tlb->evictions, 1);
	ck_assert_int_eq(event_log_get(&m->ev, 0)->kind, EV_TLB_FILL);
	ck_assert_int_eq(event_log_get(&m->ev, 1)->kind, EV_TLB_EVICT);
	ck_assert_uint_eq(event_log_get(&m->ev, 1)->addr, pages[1]);
	access(m, pages[0], MMU_READ, &hit);
	ck_assert(hit);
	access(m, pages[1], MMU_READ, &hit);
	ck_assert(!hit);
	access(m, pages[2], MMU_READ, &hit);
	ck_assert(!hit);	/* C went when B came back */
	ck_assert_uint_eq(m->tlb->hits, 2);
	ck_assert_uint_eq(m->tlb->misses, 5);
	check_valid(m);
	unmap_all(pgt, pages, 3);
	pgtable_free(pgt);
	machine_free(m);
}
END_TEST

/* The MMU sets accessed and dirty; a write through a clean entry too. */
START_TEST(test_access_bits)
{
	struct machine *m = new_machine(64, 4, true);
	struct pgtable *pgt = pgtable_alloc(m, 1);
	unsigned long pfn = map(pgt, 0x1000, USER_RW);
	uint64_t *ptep = pte_offset(pgt, 0x1000);
	struct mmu_result r;
	bool hit;

	ck_assert_int_eq(mmu_access(m, 0x1000, MMU_READ, &r),
	    MMU_FAULT_NO_MM);
	switch_mm(m, pgt);
	ck_assert_int_eq(mmu_access(m, 0x1234, MMU_READ, &r), MMU_OK);
	ck_assert_uint_eq(r.phys, ((uint64_t)pfn << 12) | 0x234);
	ck_assert(pte_young(*ptep));
	ck_assert(!pte_dirty(*ptep));
	ck_assert_int_eq(access(m, 0x1000, MMU_WRITE, &hit), MMU_OK);
	ck_assert(hit);
	ck_assert(pte_dirty(*ptep));
	check_valid(m);
	/* not mapped: the walk says where it stopped */
	ck_assert_int_eq(mmu_access(m, 0x7000000, MMU_READ, &r),
	    MMU_FAULT_NOT_PRESENT);
	ck_assert_int_eq(r.walk.result, WALK_NONE);
	ck_assert_int_eq(mmu_access(m, 0x0000900000000000ULL, MMU_READ, &r),
	    MMU_FAULT_BAD_ADDR);
	unmap(pgt, 0x1000);
	pgtable_free(pgt);
	machine_free(m);
}
END_TEST

/*
 * Write to a read-only page (the COW case): a protection fault, and the
 * cached entry is dropped; once the PTE is writable the retry succeeds.
 */
START_TEST(test_protection_fault)
{
	struct machine *m = new_machine(64, 4, true);
	struct pgtable *pgt = pgtable_alloc(m, 1);
	uint64_t *ptep;
	bool hit;

	map(pgt, 0x1000, USER_RW);
	ptep = pte_offset(pgt, 0x1000);
	switch_mm(m, pgt);
	ck_assert_int_eq(access(m, 0x1000, MMU_READ, NULL), MMU_OK);
	/* fork's copy_present_pte: write-protect, then flush the mm */
	ptep_set_wrprotect(pgt, 0x1000, ptep);
	{
		char why[256];

		ck_assert_int_ne(validate_tlb(m, why, sizeof(why)), 0);
		ck_assert_msg(strstr(why, "stale") != NULL, "%s", why);
	}
	flush_tlb_mm(pgt);
	check_valid(m);
	ck_assert_int_eq(access(m, 0x1000, MMU_WRITE, &hit), MMU_FAULT_PROT);
	ck_assert(!hit);
	/* do_wp_page reuses the page: writable again, the retry works */
	set_pte_at(pgt, 0x1000, ptep, pte_mkwrite(*ptep));
	ck_assert_int_eq(access(m, 0x1000, MMU_WRITE, &hit), MMU_OK);
	ck_assert(pte_dirty(*ptep));
	/* a read hit, then a write fault through the cached read-only entry */
	ptep_set_wrprotect(pgt, 0x1000, ptep);
	flush_tlb_page(pgt, 0x1000);
	ck_assert_int_eq(access(m, 0x1000, MMU_READ, &hit), MMU_OK);
	ck_assert_int_eq(access(m, 0x1000, MMU_WRITE, &hit), MMU_FAULT_PROT);
	ck_assert(hit);		/* the lookup hit, the rights did not allow */
	ck_assert_int_eq(access(m, 0x1000, MMU_READ, &hit), MMU_OK);
	ck_assert(!hit);	/* the faulting access dropped the entry */
	check_valid(m);
	unmap(pgt, 0x1000);
	pgtable_free(pgt);
	machine_free(m);
}
END_TEST

/*
 * Two processes touching the same address, switching back and forth.
 * With ASIDs each keeps its entry; without, every switch flushes.
 */
static void switch_test(bool asid, unsigned long want_hits,
    unsigned long want_flushes)
{
	struct machine *m = new_machine(64, 4, asid);
	struct pgtable *a = pgtable_alloc(m, 1), *b = pgtable_alloc(m, 2);
	unsigned long pa = map(a, 0x400000, USER_RW);
	unsigned long pb = map(b, 0x400000, USER_RW);
	struct mmu_result r;
	int i;

	ck_assert_uint_eq(a->asid, asid ? 1 : 0);
	ck_assert_uint_eq(b->asid, asid ? 2 : 0);
	for (i = 0; i < 3; i++) {
		switch_mm(m, a);
		ck_assert_int_eq(mmu_access(m, 0x400000, MMU_READ, &r), MMU_OK);
		ck_assert_uint_eq(r.pfn, pa);
		switch_mm(m, b);
		ck_assert_int_eq(mmu_access(m, 0x400000, MMU_READ, &r), MMU_OK);
		ck_assert_uint_eq(r.pfn, pb);
		check_valid(m);
	}
	ck_assert_uint_eq(m->tlb->hits, want_hits);
	ck_assert_uint_eq(m->tlb->misses, 6 - want_hits);
	ck_assert_uint_eq(m->tlb->full_flushes, want_flushes);
	unmap(a, 0x400000);
	unmap(b, 0x400000);
	pgtable_free(a);
	pgtable_free(b);
	check_valid(m);
	machine_free(m);
}

START_TEST(test_asid_tagging)
{
	switch_test(true, 4, 0);	/* two first misses, then all hits */
}
END_TEST

START_TEST(test_flush_on_switch)
{
	switch_test(false, 0, 6);	/* every one of the 6 switches flushes */
}
END_TEST

/* flush_tlb_page / range / mm drop exactly their entries. */
START_TEST(test_flushes)
{
	struct machine *m = new_machine(64, 4, true);
	struct pgtable *a = pgtable_alloc(m, 1), *b = pgtable_alloc(m, 2);
	static const uint64_t pages[] = { 0x1000, 0x2000, 0x3000, 0x10000 };
	bool hit;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pages); i++) {
		map(a, pages[i], USER_RW);
		map(b, pages[i], USER_RW);
	}
	switch_mm(m, b);
	for (i = 0; i < ARRAY_SIZE(pages); i++)
		access(m, pages[i], MMU_READ, NULL);
	switch_mm(m, a);
	for (i = 0; i < ARRAY_SIZE(pages); i++)
		access(m, pages[i], MMU_READ, NULL);

	/* a's 0x2000 only; b's stays */
	ck_assert_uint_eq(flush_tlb_page(a, 0x2abc), 1);
	ck_assert_int_eq(event_log_get(&m->ev, 0)->kind, EV_FLUSH_TLB_PAGE);
	ck_assert_uint_eq(event_log_get(&m->ev, 0)->val, 1);
	access(m, 0x2000, MMU_READ, &hit);
	ck_assert(!hit);
	/* [0x1000, 0x3000): a's 0x1000 and 0x2000 */
	ck_assert_uint_eq(flush_tlb_range(a, 0x1000, 0x3000), 2);
	access(m, 0x3000, MMU_READ, &hit);
	ck_assert(hit);
	access(m, 0x1000, MMU_READ, &hit);
	ck_assert(!hit);
	/* all of b, none of a */
	ck_assert_uint_eq(flush_tlb_mm(b), 4);
	access(m, 0x10000, MMU_READ, &hit);
	ck_assert(hit);
	switch_mm(m, b);
	access(m, 0x10000, MMU_READ, &hit);
	ck_assert(!hit);
	ck_assert_uint_eq(flush_tlb_all(m), 4);	/* a's 3 and b's 1 */
	check_valid(m);

	/* freeing a loaded page table unloads it and frees its ASID */
	unmap_all(b, pages, ARRAY_SIZE(pages));
	pgtable_free(b);
	ck_assert_ptr_null(m->tlb->cur);
	b = pgtable_alloc(m, 3);
	ck_assert_uint_eq(b->asid, 2);
	check_valid(m);
	unmap_all(a, pages, ARRAY_SIZE(pages));
	pgtable_free(a);
	pgtable_free(b);
	machine_free(m);
}
END_TEST

/* A 2 MiB page takes one TLB entry for all its 512 frames. */
START_TEST(test_huge_entries)
{
	struct machine *m = new_machine(64, 4, true);
	struct pgtable *pgt = pgtable_alloc(m, 1);
	struct page *huge = alloc_pages_node(m, 0, ZONE_NORMAL, 9, ALLOC_HUGE);
	unsigned long hp = page_to_pfn(m, huge);
	struct mmu_result r;
	struct sbuf sb = SBUF_INIT;
	uint64_t *pmdp;

	ck_assert_int_eq(pmd_alloc(pgt, 0x40000000, &pmdp), 0);
	set_pmd_at(pgt, 0x40000000, pmdp, pte_mkhuge(pfn_pte(hp, USER_RW)));
	switch_mm(m, pgt);
	ck_assert_int_eq(mmu_access(m, 0x40000010, MMU_READ, &r), MMU_OK);
	ck_assert(!r.tlb_hit);
	ck_assert_int_eq(mmu_access(m, 0x401ff008, MMU_WRITE, &r), MMU_OK);
	ck_assert(r.tlb_hit);
	ck_assert_uint_eq(r.pfn, hp + 0x1ff);
	ck_assert_uint_eq(r.phys, ((uint64_t)(hp + 0x1ff) << 12) | 0x008);
	ck_assert(pte_dirty(*pmdp));
	ck_assert_uint_eq(m->tlb->fills, 1);
	check_valid(m);

	report_tlb(m, &sb);
	ck_assert_msg(strstr(sbuf_str(&sb), "  2M  P RW US A D PS") != NULL,
	    "%s", sbuf_str(&sb));
	ck_assert_msg(strstr(sbuf_str(&sb), "hits 1  misses 1  hit rate 50.0%")
	    != NULL, "%s", sbuf_str(&sb));
	sbuf_free(&sb);

	/* a flush of any address inside drops it */
	ck_assert_uint_eq(flush_tlb_page(pgt, 0x40100000), 1);
	pmdp_get_and_clear(pgt, 0x40000000, pmdp);
	__free_pages(m, huge, 9);
	check_valid(m);
	pgtable_free(pgt);
	machine_free(m);
}
END_TEST

/*
 * The invariant under a seeded random workload: map, unmap (with
 * ptep_clear_flush), write-protect (flush_tlb_page after), context
 * switches and accesses on three address spaces, both with and without
 * ASIDs. After each step no TLB entry may disagree with its PTE.
 */
static void random_workload(bool asid, uint64_t seed)
{
	struct machine *m = new_machine(16, 4, asid);
	struct pgtable *p[3];
	uint64_t rnd = seed;
	int i, step;

	for (i = 0; i < 3; i++)
		p[i] = pgtable_alloc(m, i + 1);
	for (step = 0; step < 2000; step++) {
		struct pgtable *pgt = p[test_rand_below(&rnd, 3)];
		uint64_t addr = test_rand_below(&rnd, 64) << 12;
		uint64_t *ptep = pte_offset(pgt, addr);
		char why[256];

		switch (test_rand_below(&rnd, 6)) {
		case 0:
			if (ptep == NULL || pte_none(*ptep))
				map(pgt, addr, USER_RW);
			break;
		case 1:
			unmap(pgt, addr);
			break;
		case 2:
			if (ptep != NULL && pte_present(*ptep)) {
				ptep_set_wrprotect(pgt, addr, ptep);
				flush_tlb_page(pgt, addr);
			}
			break;
		case 3:
			switch_mm(m, pgt);
			break;
		default:
			access(m, addr, test_rand_below(&rnd, 2) ? MMU_WRITE :
			    MMU_READ, NULL);
			break;
		}
		ck_assert_msg(validate_tlb(m, why, sizeof(why)) == 0,
		    "step %d: %s", step, why);
	}
	check_valid(m);
	ck_assert_uint_gt(m->tlb->hits, 0);
	for (i = 0; i < 3; i++) {
		uint64_t a;

		for (a = 0; a < 64; a++)
			unmap(p[i], a << 12);
		free_pgtables(p[i], 0, 64 << 12);
		pgtable_free(p[i]);
	}
	check_valid(m);
	machine_free(m);
}

START_TEST(test_random_invariant)
{
	random_workload(true, 0x5eed);
	random_workload(false, 0xbeef);
}
END_TEST

static Suite *tlb_suite(void)
{
	Suite *s = suite_create("tlb");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_set_index);
	tcase_add_test(tc, test_lru);
	tcase_add_test(tc, test_access_bits);
	tcase_add_test(tc, test_protection_fault);
	tcase_add_test(tc, test_asid_tagging);
	tcase_add_test(tc, test_flush_on_switch);
	tcase_add_test(tc, test_flushes);
	tcase_add_test(tc, test_huge_entries);
	tcase_add_test(tc, test_random_invariant);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(tlb_suite());
}
