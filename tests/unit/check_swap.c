/*
 * check_swap.c - swap areas, the swap map and the swap cache (swap.c):
 * slot accounting by hand, swap-out and swap-in through `touch`, sharing
 * a swapped page after fork (a swap-cache hit is a minor fault), swapoff
 * bringing everything back (or failing with ENOMEM), MADV_PAGEOUT, the
 * /proc/swaps format, and the anon_vma a page gets back after swap-in
 * (never a freed one: validate_anon_vmas).
 */
#include <errno.h>
#include <stdio.h>

#include "testutil.h"
#include "vmscope/lru.h"
#include "vmscope/page_alloc.h"
#include "vmscope/pgtable.h"
#include "vmscope/rmap.h"
#include "vmscope/swap.h"
#include "vmscope/task.h"
#include "vmscope/vmscan.h"

#define BASE	"0x10000000"

/* The entry in pid's PTE for addr (0 when no table). */
static uint64_t pte_of(struct session *s, int pid, uint64_t addr)
{
	struct task_struct *t = find_task_by_pid(s->m, pid);
	uint64_t *ptep;

	ck_assert_ptr_nonnull(t);
	ptep = pte_offset(t->mm->pgt, addr);
	return ptep != NULL ? *ptep : 0;
}

START_TEST(test_slot_accounting)
{
	struct session *s = pressure_session("machine --ram 32M --swap 1M");
	struct machine *m = s->m;
	uint64_t e1, e2;
	struct page *page;
	char why[256];

	/* 1M = 256 pages: the header and 255 slots */
	ck_assert_uint_eq(total_swap_pages(m), 255);
	ck_assert_int_eq(get_swap_page(m, &e1), 0);
	ck_assert_int_eq(get_swap_page(m, &e2), 0);
	ck_assert_uint_eq(pte_swp_offset(e1), 1);	/* never the header */
	ck_assert_uint_eq(pte_swp_offset(e2), 2);
	ck_assert_uint_eq(nr_free_swap_pages(m), 253);

	/* a page for e1 in the swap cache; two PTE references */
	page = alloc_pages_node(m, 0, ZONE_NORMAL, 0, ALLOC_ANON);
	ck_assert_ptr_nonnull(page);
	ck_assert_int_eq(add_to_swap_cache(m, page, e1), 0);
	ck_assert_int_eq(page->_refcount, 2);
	lru_cache_add(m, page);
	ck_assert_int_eq(swap_duplicate(m, e1), 0);
	ck_assert_int_eq(swap_duplicate(m, e1), 0);
	ck_assert_int_eq(swap_count(m, e1), 2);
	ck_assert_ptr_eq(lookup_swap_cache(m, e1), page);
	/* no PTE holds them: the checker must see the mismatch */
	ck_assert_int_ne(validate_swap(m, why, sizeof(why)), 0);
	ck_assert_ptr_nonnull(strstr(why, "swap PTEs hold it"));
	swap_free(m, e1);
	swap_free(m, e1);
	/* the cache alone holds e1; e2 only has its SWAP_HAS_CACHE bit */
	ck_assert_uint_eq(nr_free_swap_pages(m), 253);
	ck_assert(try_to_free_swap(m, page));
	ck_assert(!PageSwapCache(page));
	ck_assert_int_eq(page->_refcount, 1);
	ck_assert_uint_eq(nr_free_swap_pages(m), 254);
	lru_cache_del(m, page);
	__free_pages(m, page, 0);
	/* e2: take the cache bit away by hand as delete_from_swap_cache does */
	m->swap_info[0]->swap_map[2] = 0;
	m->swap_info[0]->inuse_pages--;
	ck_assert_uint_eq(nr_free_swap_pages(m), 255);
	ck_assert_int_eq(validate_swap(m, why, sizeof(why)), 0);
	/* bad entries */
	ck_assert_int_eq(swap_duplicate(m, swp_entry(0, 7)), -EINVAL);
	ck_assert_int_eq(swap_duplicate(m, swp_entry(3, 1)), -EINVAL);
	session_free(s);
}
END_TEST

START_TEST(test_proc_swaps)
{
	struct session *s = pressure_session("machine --ram 32M --swap 64M");
	char *out;

	RUN_OK(s, "swapon 8M");
	out = test_run(s, "swaps", NULL, NULL);
	ck_assert_str_eq(out,
	    "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
	    "/swapfile                               file\t\t65532\t\t0\t\t-2\n"
	    "/swapfile1                              file\t\t8188\t\t0\t\t-3\n");
	free(out);
	out = test_run(s, "meminfo", NULL, NULL);
	ck_assert_ptr_nonnull(strstr(out, "\nSwapTotal:         73720 kB\n"));
	free(out);
	RUN_OK(s, "swapoff /swapfile1");
	RUN_OK(s, "swapoff");
	out = test_run(s, "free", NULL, NULL);
	ck_assert_ptr_nonnull(strstr(out, "Swap:              0           0           0\n"));
	free(out);
	session_free(s);
}
END_TEST

/* Working set of 40M in 32M of RAM: pages go out and come back. */
START_TEST(test_swap_out_and_in)
{
	struct session *s = pressure_session("machine --ram 32M --swap 32M");
	struct machine *m = s->m;
	struct task_struct *t;
	uint64_t pte;
	char *out;

	RUN_OK(s, "spawn a; mmap 1 " BASE " 40M");
	RUN_OK(s, "touch 1 " BASE "+40M w --quiet");
	ck_assert_uint_gt(m->vm_events[VM_pswpout], 0);
	ck_assert_uint_gt(m->vm_events[VM_kswapd_wakeups], 0);
	t = find_task_by_pid(m, 1);
	ck_assert_uint_eq(get_mm_counter(t->mm, MM_SWAPENTS),
	    m->vm_events[VM_pswpout]);
	/* the first pages are the oldest: they went first */
	pte = pte_of(s, 1, 0x10000000);
	ck_assert(is_swap_pte(pte));
	/* reading them back is a major fault each, through do_swap_page */
	out = test_run(s, "touch 1 " BASE "+64K r", NULL, NULL);
	ck_assert_ptr_nonnull(strstr(out, "16 major"));
	free(out);
	ck_assert_uint_ge(m->vm_events[VM_pswpin], 16);
	ck_assert_uint_ge(m->vm_events[VM_workingset_refault_anon], 16);
	ck_assert(pte_present(pte_of(s, 1, 0x10000000)));
	out = test_run(s, "status 1", NULL, NULL);
	ck_assert_ptr_nonnull(strstr(out, "VmSwap:"));
	free(out);
	session_free(s);
}
END_TEST

/*
 * fork shares a swapped page: the slot's count is 2. The parent's read
 * is a major fault that leaves the page in the swap cache; the child's
 * is then a swap-cache hit, a minor fault.
 */
START_TEST(test_fork_shares_swap)
{
	struct session *s = pressure_session("machine --ram 64M --swap 64M");
	struct machine *m = s->m;
	unsigned long pswpin;
	uint64_t pte;
	char *out;

	RUN_OK(s, "spawn a; mmap 1 " BASE " 64K");
	RUN_OK(s, "touch 1 " BASE "+64K w --quiet");
	RUN_OK(s, "madvise 1 " BASE " 64K pageout");
	ck_assert_uint_eq(m->vm_events[VM_pswpout], 16);
	pte = pte_of(s, 1, 0x10000000);
	ck_assert(is_swap_pte(pte));
	RUN_OK(s, "fork 1");
	ck_assert_int_eq(swap_count(m, pte), 2);
	ck_assert_uint_eq(pte_of(s, 2, 0x10000000), pte);
	out = test_run(s, "touch 1 " BASE " r", NULL, NULL);
	ck_assert_ptr_nonnull(strstr(out, "major fault"));
	free(out);
	pswpin = m->vm_events[VM_pswpin];
	ck_assert_ptr_nonnull(lookup_swap_cache(m, pte));
	ck_assert_int_eq(swap_count(m, pte), 1);
	out = test_run(s, "touch 2 " BASE " r", NULL, NULL);
	ck_assert_ptr_nonnull(strstr(out, "minor fault"));
	ck_assert_ptr_nonnull(strstr(out, "swap cache"));
	free(out);
	ck_assert_uint_eq(m->vm_events[VM_pswpin], pswpin);
	/* both map the same frame */
	ck_assert_uint_eq(pte_pfn(pte_of(s, 1, 0x10000000)),
	    pte_pfn(pte_of(s, 2, 0x10000000)));
	RUN_OK(s, "exit 2; exit 1");
	ck_assert_uint_eq(nr_free_swap_pages(m), total_swap_pages(m));
	session_free(s);
}
END_TEST

START_TEST(test_swapoff)
{
	struct session *s = pressure_session("machine --ram 32M --swap 32M");
	struct machine *m = s->m;
	char *out;

	RUN_OK(s, "spawn a; mmap 1 " BASE " 8M");
	RUN_OK(s, "touch 1 " BASE "+8M w --quiet");
	RUN_OK(s, "madvise 1 " BASE " 8M pageout");
	ck_assert_uint_eq(nr_free_swap_pages(m), total_swap_pages(m) - 2048);
	out = test_run(s, "swapoff", NULL, NULL);
	ck_assert_str_eq(out, "swapoff /swapfile: 2048 pages brought back in\n");
	free(out);
	ck_assert_uint_eq(total_swap_pages(m), 0);
	ck_assert(pte_present(pte_of(s, 1, 0x10000000)));
	ck_assert_uint_eq(get_mm_counter(find_task_by_pid(m, 1)->mm,
	    MM_SWAPENTS), 0);
	session_free(s);
}
END_TEST

START_TEST(test_swapoff_enomem)
{
	struct session *s = pressure_session("machine --ram 32M --swap 32M");
	struct machine *m = s->m;
	char *out;

	/* 40M of data: it cannot all be in 32M of RAM */
	RUN_OK(s, "spawn a; mmap 1 " BASE " 40M");
	RUN_OK(s, "touch 1 " BASE "+40M w --quiet");
	RUN_OK(s, "oom_score_adj 1 -1000");
	out = test_run(s, "swapoff", NULL, NULL);
	ck_assert_str_eq(out, "swapoff: /swapfile: swapoff failed: Cannot "
	    "allocate memory\n");
	free(out);
	ck_assert_uint_gt(total_swap_pages(m), 0);
	ck_assert_ptr_nonnull(find_task_by_pid(m, 1));
	session_free(s);
}
END_TEST

/* The validate_machine verdict, for tests that break the model on purpose. */
static bool machine_ok(struct session *s, char *why, size_t whylen)
{
	return validate_machine(s->m, why, whylen) == 0;
}

/*
 * mremap merges the moved range into a neighbour that has no anon_vma
 * yet (an unfaulted anonymous VMA just below the new place, whose pgoff
 * lines up because the range moves back to where it was made). The
 * neighbour must take the range's anon_vma: it used to stay without one,
 * the old VMA's munmap freed the anon_vma, and the two moved pages were
 * mapped with page->mapping pointing at freed memory (AddressSanitizer:
 * heap-use-after-free in rmap_walk_anon, from `frames` or reclaim).
 *
 *   1. V  [Y, Y+8K) touched                 B blocks growth in place
 *   2. mremap V to 16K: moves to Z (top-down, below [vvar]), pgoff Y
 *   3. P  [Y-8K, Y) unfaulted, F fills (Y+32K, Z): the only 32K hole is Y
 *   4. mremap V' to 32K: back to Y, merged into P (P grows), V' unmapped
 */
START_TEST(test_mremap_merge_keeps_anon_vma)
{
	struct session *s = pressure_session("machine --ram 32M --swap 8M");
	struct task_struct *t;
	struct vm_area_struct *vma;
	char *out;

	RUN_OK(s, "spawn p; mmap 1 0x7f0000000000 8K fixed");
	RUN_OK(s, "touch 1 0x7f0000000000+8K w");
	RUN_OK(s, "mmap 1 0x7f0000002000 4K r fixed");
	RUN_OK(s, "mremap 1 0x7f0000000000 8K 16K maymove");
	RUN_OK(s, "munmap 1 0x7f0000002000 4K");
	RUN_OK(s, "mmap 1 0x7effffffe000 8K fixed");
	RUN_OK(s, "mmap 1 0x7f0000008000 0xfff7fed000 none fixed");
	RUN_OK(s, "mremap 1 0x7ffff7ff5000 16K 32K maymove");
	t = find_task_by_pid(s->m, 1);
	vma = find_vma(t->mm, 0x7f0000000000);
	ck_assert_uint_eq(vma->vm_start, 0x7effffffe000);
	ck_assert_uint_eq(vma->vm_end, 0x7f0000008000);
	ck_assert_ptr_nonnull(vma->anon_vma);
	/* rmap finds both pages where they now are */
	out = test_run(s, "frames", NULL, NULL);
	ck_assert_ptr_nonnull(strstr(out, "pid 1 0x7f0000000000\n"));
	ck_assert_ptr_nonnull(strstr(out, "pid 1 0x7f0000001000\n"));
	free(out);
	RUN_OK(s, "madvise 1 0x7f0000000000 8K pageout");
	ck_assert(is_swap_pte(pte_of(s, 1, 0x7f0000000000)));
	RUN_OK(s, "touch 1 0x7f0000000000+8K r; exit 1");
	session_free(s);
}
END_TEST

/*
 * A page only in the swap cache, mapped by nobody, after its first
 * owner exited: fork shares the swapped page (count 2), the parent reads
 * it back (it maps it: family root, not exclusive), then exits, leaving
 * the page unmapped in the swap cache for the child's entry. When the
 * child maps it, its anon_vma comes from the child's VMA (exclusive now),
 * never from what the page remembered: the test plants a pointer to an
 * anon_vma that is no longer alive, which the checker must report and the
 * swap-in must replace (page_add_anon_rmap used to keep it).
 */
START_TEST(test_swapin_takes_anon_vma_from_vma)
{
	struct session *s = pressure_session("machine --ram 64M --swap 64M");
	struct machine *m = s->m;
	struct vm_area_struct *cvma, *pvma;
	struct anon_vma gone;	/* stands for a freed one: never registered */
	struct page *page;
	uint64_t pte;
	char why[512];

	RUN_OK(s, "spawn a; mmap 1 " BASE " 8K");
	RUN_OK(s, "touch 1 " BASE "+8K w --quiet");
	RUN_OK(s, "madvise 1 " BASE " 8K pageout");
	pte = pte_of(s, 1, 0x10000000);
	ck_assert(is_swap_pte(pte));
	RUN_OK(s, "fork 1");
	ck_assert_int_eq(swap_count(m, pte), 2);
	pvma = find_vma(find_task_by_pid(m, 1)->mm, 0x10000000);
	cvma = find_vma(find_task_by_pid(m, 2)->mm, 0x10000000);
	ck_assert_ptr_ne(pvma->anon_vma, cvma->anon_vma);
	ck_assert_ptr_eq(cvma->anon_vma->parent, pvma->anon_vma);

	/* the parent reads it back: shared with the child's entry -> root */
	RUN_OK(s, "touch 1 " BASE " r");
	page = lookup_swap_cache(m, pte);
	ck_assert_ptr_nonnull(page);
	ck_assert_ptr_eq(page->mapping, pvma->anon_vma->root);

	/* the owner exits: the page stays in the swap cache, unmapped */
	RUN_OK(s, "exit 1");
	ck_assert_ptr_eq(lookup_swap_cache(m, pte), page);
	ck_assert(!page_mapped(page));

	/* the checker sees a pointer to an anon_vma that is not alive */
	memset(&gone, 0, sizeof(gone));
	page->mapping = &gone;
	ck_assert(!machine_ok(s, why, sizeof(why)));
	ck_assert_msg(strstr(why, "points at an anon_vma that was freed") !=
	    NULL, "%s", why);

	/* the child maps it: exclusive now, so the child's own anon_vma */
	RUN_OK(s, "touch 2 " BASE " r");
	ck_assert_ptr_eq(pte_pfn(pte_of(s, 2, 0x10000000)) + m->mem_map, page);
	ck_assert_ptr_eq(page->mapping, cvma->anon_vma);
	RUN_OK(s, "reclaim; touch 2 " BASE "+8K w; exit 2");
	ck_assert_uint_eq(nr_free_swap_pages(m), total_swap_pages(m));
	session_free(s);
}
END_TEST

/* A swap slot must not remember an anon_vma that is gone either. */
START_TEST(test_swap_owner_checked)
{
	struct session *s = pressure_session("machine --ram 64M --swap 64M");
	struct swap_info_struct *si;
	struct anon_vma gone;
	uint64_t pte;
	unsigned long off;
	void *saved;
	char why[512];

	RUN_OK(s, "spawn a; mmap 1 " BASE " 8K");
	RUN_OK(s, "touch 1 " BASE "+8K w --quiet");
	RUN_OK(s, "madvise 1 " BASE " 8K pageout");
	pte = pte_of(s, 1, 0x10000000);
	si = s->m->swap_info[pte_swp_type(pte)];
	off = pte_swp_offset(pte);
	ck_assert_ptr_nonnull(si->owner[off]);
	saved = si->owner[off];
	si->owner[off] = &gone;
	ck_assert(!machine_ok(s, why, sizeof(why)));
	ck_assert_msg(strstr(why, "remembers an anon_vma that was freed") !=
	    NULL, "%s", why);
	si->owner[off] = saved;
	ck_assert_msg(machine_ok(s, why, sizeof(why)), "%s", why);
	session_free(s);
}
END_TEST

START_TEST(test_errors)
{
	struct session *s = pressure_session("machine --ram 32M --swap 0");
	int failed;
	char *err, *out;

	out = test_run(s, "swapoff", &failed, &err);
	ck_assert_int_eq(failed, 1);
	ck_assert_str_eq(err, "vmscope: swapoff: no swap area is on\n");
	free(out);
	free(err);
	out = test_run(s, "swapon 4K", &failed, &err);
	ck_assert_int_eq(failed, 1);
	ck_assert_ptr_nonnull(strstr(err, "too small"));
	free(out);
	free(err);
	session_free(s);
}
END_TEST

static Suite *swap_suite(void)
{
	Suite *s = suite_create("swap");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_slot_accounting);
	tcase_add_test(tc, test_proc_swaps);
	tcase_add_test(tc, test_swap_out_and_in);
	tcase_add_test(tc, test_fork_shares_swap);
	tcase_add_test(tc, test_swapoff);
	tcase_add_test(tc, test_swapoff_enomem);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_mremap_merge_keeps_anon_vma);
	tcase_add_test(tc, test_swapin_takes_anon_vma_from_vma);
	tcase_add_test(tc, test_swap_owner_checked);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(swap_suite());
}
