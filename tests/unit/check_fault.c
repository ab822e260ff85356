/*
 * check_fault.c - page faults, copy-on-write and the reverse map: every
 * fault path of memory.c with the counts the real kernel gives (the 2N
 * rule for read-then-write, fork and COW, reuse after the child exits),
 * the zero page, file faults (major, then minor from the page cache),
 * SIGSEGV and SIGBUS, stack growth, huge pages, frames given back on
 * exit, and a seeded random stress test with every invariant checked
 * after each operation.
 *
 * The address-space diagrams are as in tools/testing/vma: one letter per
 * page, '.' a hole.
 */
#include <errno.h>
#include <stdio.h>

#include "testutil.h"
#include "vmscope/memory.h"
#include "vmscope/page_alloc.h"
#include "vmscope/rmap.h"
#include "vmscope/task.h"

static void ok(struct session *s, const char *line)
{
	free(run_ok(s, line));
}

static struct task_struct *task(struct session *s, int pid)
{
	struct task_struct *t = find_task_by_pid(s->m, pid);

	ck_assert_msg(t != NULL, "no pid %d", pid);
	return t;
}

static unsigned long nr_free(struct session *s)
{
	return global_free_pages(s->m);
}

/* An anonymous mapping at a fixed address, for readable tests. */
#define A	"0x100000000000"

/*
 *   A: AAAA (4 pages rw-p anon)
 * read all, then write all: 4 zero-page faults, then 4 copies.
 */
START_TEST(test_read_then_write_2n)
{
	struct session *s = session_new();
	unsigned long pgfault;

	ok(s, "spawn app; mmap 1 " A " 4p rw fixed");
	pgfault = s->m->vm_events[VM_pgfault];
	expect_contains(s, "touch 1 " A "+4p r",
	    "4 accesses: 0 TLB hits, 4 minor faults, 0 major");
	ck_assert_uint_eq(get_mm_rss(task(s, 1)->mm), 0);	/* zero page */
	expect_contains(s, "touch 1 " A "+4p w",
	    "do_wp_page, zero page: copied to new frame");
	ck_assert_uint_eq(task(s, 1)->min_flt, 8);
	ck_assert_uint_eq(s->m->vm_events[VM_pgfault] - pgfault, 8);
	ck_assert_uint_eq(get_mm_counter(task(s, 1)->mm, MM_ANONPAGES), 4);
	/* a third pass hits the TLB */
	expect_contains(s, "touch 1 " A "+4p w",
	    "4 accesses: 4 TLB hits, 0 minor faults, 0 major");
	session_free(s);
}
END_TEST

/* Write-first: one fault per page, a zeroed frame each. */
START_TEST(test_write_first)
{
	struct session *s = session_new();
	unsigned long before;

	ok(s, "spawn app; mmap 1 " A " 8p rw fixed");
	before = nr_free(s);
	expect_contains(s, "touch 1 " A "+8p w",
	    "8 accesses: 0 TLB hits, 8 minor faults, 0 major");
	/* 8 frames and the pud/pmd/pte tables */
	ck_assert_uint_eq(before - nr_free(s), 8 + 3);
	expect_contains(s, "smaps 1", "Rss:                  32 kB");
	expect_contains(s, "smaps 1", "Private_Dirty:        32 kB");
	expect_contains(s, "smaps 1", "Anonymous:            32 kB");
	expect_contains(s, "status 1", "RssAnon:\t      32 kB");
	session_free(s);
}
END_TEST

/*
 * fork, then the child writes N inherited pages: N faults, N copies;
 * after the child exits the parent writes them: N faults, no copy.
 */
START_TEST(test_fork_cow_counts)
{
	struct session *s = session_new();
	unsigned long before;

	ok(s, "spawn app; mmap 1 " A " 6p rw fixed; touch 1 " A "+6p w");
	ok(s, "fork 1");
	expect_contains(s, "smaps 1", "Shared_Dirty:         24 kB");
	expect_contains(s, "smaps 1", "Pss:                  12 kB");
	before = nr_free(s);
	expect_contains(s, "touch 2 " A " w",
	    "do_wp_page, page shared (mapcount 2), copied to pfn");
	expect_contains(s, "touch 2 " A "+6p w", "6 accesses");
	ck_assert_uint_eq(task(s, 2)->min_flt, 6);
	ck_assert_uint_eq(before - nr_free(s), 6);
	ok(s, "exit 2");
	before = nr_free(s);
	expect_contains(s, "touch 1 " A " w",
	    "do_wp_page, page exclusive (mapcount 1), reused pfn");
	expect_contains(s, "touch 1 " A "+6p w", "6 accesses");
	ck_assert_uint_eq(task(s, 1)->min_flt, 6 + 6);
	ck_assert_uint_eq(nr_free(s), before);	/* reuse: nothing copied */
	session_free(s);
}
END_TEST

/* The parent writes first after fork: it copies, the child then reuses. */
START_TEST(test_fork_parent_first)
{
	struct session *s = session_new();

	ok(s, "spawn app; mmap 1 " A " 1p rw fixed; touch 1 " A " w; fork 1");
	expect_contains(s, "touch 1 " A " w", "copied to pfn");
	expect_contains(s, "touch 2 " A " w", "reused pfn");
	/* a read of a shared page after fork is a TLB refill, not a fault */
	ok(s, "fork 2");
	expect_contains(s, "touch 3 " A " r", "-> pfn");
	session_free(s);
}
END_TEST

/* A shared anonymous mapping stays shared across fork. */
START_TEST(test_shared_anon)
{
	struct session *s = session_new();
	char *a, *b;

	ok(s, "spawn app; mmap 1 " A " 2p rw shared fixed; touch 1 " A " w");
	ok(s, "fork 1");
	/* the child's write is a new fault on a shmem page, not a COW */
	expect_contains(s, "touch 2 " A " w", "do_shared_fault, page cache pfn");
	a = run_ok(s, "translate 1 " A);
	b = run_ok(s, "translate 2 " A);
	ck_assert_str_eq(strstr(a, "physical"), strstr(b, "physical"));
	free(a);
	free(b);
	expect_contains(s, "status 1", "RssShmem:\t       4 kB");
	session_free(s);
}
END_TEST

/* File faults: major the first time, minor once the page is cached. */
START_TEST(test_file_faults)
{
	struct session *s = session_new();

	ok(s, "file data 16K; spawn a; spawn b");
	ok(s, "mmap 1 " A " 16K r private file=data fixed");
	ok(s, "mmap 2 " A " 16K r shared file=data fixed");
	expect_contains(s, "touch 1 " A "+4p r",
	    "4 accesses: 0 TLB hits, 0 minor faults, 4 major");
	ck_assert_uint_eq(task(s, 1)->maj_flt, 4);
	expect_contains(s, "touch 2 " A " r", "do_read_fault, page cache pfn");
	ck_assert_uint_eq(task(s, 2)->maj_flt, 0);
	ck_assert_uint_eq(task(s, 2)->min_flt, 1);
	expect_contains(s, "frames", "pid 1 0x100000000000, pid 2 0x100000000000");
	expect_contains(s, "smaps 2", "Shared_Clean:          4 kB");
	expect_contains(s, "status 1", "RssFile:\t      16 kB");
	/* the cache outlives the mappings */
	ok(s, "exit 1; exit 2; spawn c; mmap 3 " A " 16K r private file=data fixed");
	expect_contains(s, "touch 3 " A "+4p r", "4 minor faults, 0 major");
	session_free(s);
}
END_TEST

/* Private writes to a file mapping: do_cow_fault, then do_wp_page copies. */
START_TEST(test_file_cow)
{
	struct session *s = session_new();

	ok(s, "file data 16K; spawn a; mmap 1 " A " 16K rw private file=data fixed");
	expect_contains(s, "touch 1 " A " w", "do_cow_fault, file page pfn");
	expect_contains(s, "touch 1 " A "+1p r", "TLB hit");
	expect_contains(s, "touch 1 0x100000001000 r", "do_read_fault");
	expect_contains(s, "touch 1 0x100000001000 w",
	    "in a private mapping: copied to pfn");
	ck_assert_uint_eq(get_mm_counter(task(s, 1)->mm, MM_ANONPAGES), 2);
	ck_assert_uint_eq(get_mm_counter(task(s, 1)->mm, MM_FILEPAGES), 0);
	/* a shared writable file mapping: read, then a write-notify fault */
	ok(s, "mmap 1 0x100000100000 16K rw shared file=data fixed");
	expect_contains(s, "touch 1 0x100000100000 r", "do_read_fault");
	expect_contains(s, "touch 1 0x100000100000 w", "made writable and dirty");
	expect_contains(s, "touch 1 0x100000101000 w", "do_shared_fault");
	session_free(s);
}
END_TEST

START_TEST(test_sigbus)
{
	struct session *s = session_new();

	ok(s, "file small 4K; spawn a; mmap 1 " A " 8K r private file=small fixed");
	expect_contains(s, "touch 1 " A " r", "major fault");
	expect_contains(s, "touch 1 0x100000001000 r",
	    "SIGBUS (BUS_ADRERR): beyond the end of the mapped file");
	ck_assert_ptr_null(find_task_by_pid(s->m, 1));
	session_free(s);
}
END_TEST

START_TEST(test_sigsegv)
{
	struct session *s = session_new();
	unsigned long pgfault;

	ok(s, "spawn a; spawn b; spawn c; spawn d");
	ok(s, "mmap 1 " A " 4K rw fixed; touch 1 " A " w; mprotect 1 " A " 4K none");
	pgfault = s->m->vm_events[VM_pgfault];
	expect_contains(s, "touch 1 " A " r",
	    "SIGSEGV (SEGV_ACCERR): access to a PROT_NONE VMA, VMA "
	    "100000000000-100000001000 ---p; pid 1 (a) killed");
	ck_assert_uint_eq(s->m->vm_events[VM_pgfault], pgfault);
	ck_assert_ptr_null(find_task_by_pid(s->m, 1));
	expect_contains(s, "touch 2 0x1000 r",
	    "SIGSEGV (SEGV_MAPERR): no VMA contains the address, no VMA at 0x1000");
	expect_contains(s, "touch 3 0x555555554000 w",
	    "SIGSEGV (SEGV_ACCERR): write to a VMA without write permission");
	expect_contains(s, "touch 4 0x7fffffffffff0 r", "SIGSEGV");
	expect_contains(s, "ps", "PID");
	session_free(s);
}
END_TEST

/* mprotect rewrites the PTEs: read-only makes a write fatal, rw restores. */
START_TEST(test_mprotect)
{
	struct session *s = session_new();

	ok(s, "spawn a; mmap 1 " A " 2p rw fixed; touch 1 " A "+2p w");
	ok(s, "mprotect 1 " A " 2p r");
	expect_contains(s, "touch 1 " A " r", "TLB miss");	/* flushed */
	ok(s, "mprotect 1 " A " 2p rw");
	/* exclusive anonymous pages become writable at once (Linux 6.x) */
	expect_contains(s, "touch 1 " A "+2p w", "0 minor faults");
	ok(s, "mprotect 1 " A " 1p r");
	expect_contains(s, "touch 1 " A " w", "SIGSEGV (SEGV_ACCERR)");
	session_free(s);
}
END_TEST

/* munmap, MADV_DONTNEED and mremap move what the PTEs map. */
START_TEST(test_unmap_dontneed_mremap)
{
	struct session *s = session_new();
	unsigned long before;
	char *a, *b;

	ok(s, "spawn a; mmap 1 " A " 4p rw fixed");
	before = nr_free(s);
	ok(s, "touch 1 " A "+4p w");
	ok(s, "madvise 1 " A " 4p dontneed");
	ck_assert_uint_eq(get_mm_rss(task(s, 1)->mm), 0);
	expect_contains(s, "touch 1 " A " r", "zero page");
	ok(s, "touch 1 " A "+4p w");
	a = run_ok(s, "translate 1 0x100000002000");
	ok(s, "mremap 1 " A " 4p 8p maymove");
	b = run_ok(s, "maps 1");
	free(b);
	ck_assert_uint_eq(get_mm_counter(task(s, 1)->mm, MM_ANONPAGES), 4);
	ok(s, "munmap 1 0x7ffff7fe8000 0x10000");	/* wherever it went: no harm */
	free(a);
	ok(s, "exit 1");
	(void)before;
	session_free(s);
}
END_TEST

/* The stack grows down within the rlimit; beyond it, SIGSEGV. */
START_TEST(test_stack_growth)
{
	struct session *s = session_new();

	ok(s, "spawn a; spawn b");
	expect_contains(s, "touch 1 0x7ffffffdd000 w",
	    "expand_stack grew [stack] by 1 page, do_anonymous_page");
	expect_contains(s, "maps 1", "7ffffffdd000-7ffffffff000 rw-p");
	expect_contains(s, "touch 1 0x7ffffffd0000 w", "grew [stack] by 13 pages");
	/* 8 MiB below the top is past RLIMIT_STACK */
	expect_contains(s, "touch 2 0x7ffff8000000 w", "SIGSEGV (SEGV_MAPERR): below [stack], but growing");
	session_free(s);
}
END_TEST

START_TEST(test_huge_pages)
{
	struct session *s = session_new();
	unsigned long before;

	ok(s, "spawn a; mmap 1 0x100000000000 2M rw hugetlb fixed");
	before = nr_free(s);
	expect_contains(s, "touch 1 0x100000000000 w",
	    "hugetlb_fault, new huge page pfn");
	ck_assert_uint_ge(before - nr_free(s), 512);
	expect_contains(s, "touch 1 0x100000001000+4p w", "4 TLB hits");
	expect_contains(s, "pagetable 1 0x100000000000", "pmd");
	expect_contains(s, "meminfo", "HugePages_Total:       1");
	/* THP on an aligned madvised range */
	ok(s, "mmap 1 0x100000400000 4M rw fixed; madvise 1 0x100000400000 4M hugepage");
	expect_contains(s, "touch 1 0x100000400000 w", "do_huge_pmd_anonymous_page");
	expect_contains(s, "smaps 1", "AnonHugePages:      2048 kB");
	/* fork shares it; the child's write copies the 2 MiB page */
	ok(s, "fork 1");
	expect_contains(s, "touch 2 0x100000400000 w", "do_huge_pmd_wp_page, huge page copied");
	/* mprotect of part of a THP splits it */
	ok(s, "mprotect 1 0x100000401000 4K r");
	ok(s, "munmap 1 0x100000402000 4K");
	ok(s, "exit 2; exit 1");
	session_free(s);
}
END_TEST

/* exit gives back every frame: buddy free count returns to its start. */
START_TEST(test_exit_frees_everything)
{
	struct session *s = session_new();
	unsigned long start;

	/* the zero page and the executables' files exist first */
	ok(s, "spawn a; touch 1 0x55555555a000 r; exit 1");
	start = nr_free(s);
	/* pids are not reused: this is pid 2, its children 3 and 4 */
	ok(s, "spawn a; mmap 2 " A " 64p rw fixed; touch 2 " A "+32p w");
	ok(s, "touch 2 0x100000020000+32p r; fork 2; touch 3 " A "+64p w");
	ok(s, "fork 3; mprotect 4 " A " 16p r; exit 3; touch 4 " A "+8p r");
	ok(s, "exec 2; exit 4; exit 2");
	ck_assert_uint_eq(nr_free(s), start);
	session_free(s);
}
END_TEST

/* switch and the TLB with and without ASIDs. */
START_TEST(test_switch)
{
	struct session *s = session_new();

	ok(s, "spawn a; spawn b; mmap 1 " A " 1p rw fixed; mmap 2 " A " 1p rw fixed");
	ok(s, "touch 1 " A " w; touch 2 " A " w");
	expect_contains(s, "switch 1", "asid");
	expect_contains(s, "touch 1 " A " r", "TLB hit");
	expect_contains(s, "ps", "R");
	ok(s, "machine --asid off; spawn a; spawn b");
	ok(s, "mmap 1 " A " 1p rw fixed; touch 1 " A " w; touch 2 0x55555555a000 r");
	expect_contains(s, "switch 1", "no ASID: TLB flushed");
	expect_contains(s, "touch 1 " A " r", "TLB miss");
	session_free(s);
}
END_TEST

/* rmap: frames names every owner; page_referenced and try_to_unmap. */
START_TEST(test_rmap)
{
	struct session *s = session_new();
	struct machine *m = s->m;
	struct pt_walk w;
	struct page *page;
	struct swap_entry_arg e = { 0, 5, 0 };

	ok(s, "spawn a; mmap 1 " A " 1p rw fixed; touch 1 " A " w; fork 1; fork 2");
	expect_contains(s, "frames", "pid 1 0x100000000000, pid 2 0x100000000000, pid 3 0x100000000000");
	ck_assert_int_eq(pgtable_walk(task(s, 1)->mm->pgt, 0x100000000000ULL, 0,
	    &w), WALK_MAPPED);
	page = pfn_to_page(m, w.pfn);
	ck_assert_int_eq(page_mapcount(page), 3);
	ck_assert_int_eq(page_count_mappings(m, page), 3);
	/* only the parent's PTE is young (fork makes the copies old) */
	ck_assert_int_eq(page_referenced(m, page, NULL), 1);
	ck_assert_int_eq(page_referenced(m, page, NULL), 0);
	page->_refcount++;	/* reclaim's own reference */
	ck_assert(try_to_unmap(m, page, &e));
	ck_assert_int_eq(e.nr_installed, 3);
	ck_assert_int_eq(page_mapcount(page), 0);
	ck_assert_int_eq(page->_refcount, 1);
	session_free(s);	/* the swap entries point nowhere: no checks here */
}
END_TEST

/*
 * The stress test: processes fork, exit, map, unmap, protect, move and
 * touch at random; every invariant (buddy, VMAs, page tables, TLB,
 * rmap mapcounts, refcounts, rss) is checked after each operation.
 *
 * The checkers are linear in the frames of the machine, so the machine is
 * the smallest x86_64 one (32M: a dozen processes of up to 64 pages each
 * fit, with swap) and `make check` runs 3000 operations per seed;
 * VMSCOPE_STRESS_OPS=N runs N (e.g. 100000 before a release).
 */
START_TEST(test_stress)
{
	struct session *s = session_new();
	uint64_t seed = 0x5eed0000ULL + (uint64_t)_i;
	const char *env = getenv("VMSCOPE_STRESS_OPS");
	int nops = env != NULL && atoi(env) > 0 ? atoi(env) : 3000;
	char line[256];
	static const char *const prots[] = { "rw", "r", "none", "rwx", "w" };
	static const char *const acc[] = { "r", "w", "w", "x" };
	int i, ops = 0;

	ok(s, "machine --ram 32M; file f 64K; spawn p");
	for (i = 0; ops < nops; i++) {
		struct task_struct *t;
		int npids = 0, pids[64], pid;
		uint64_t off, len, r = test_rand_below(&seed, 100);
		struct list_head *pos;

		list_for_each(pos, &s->m->tasks) {
			t = list_entry(pos, struct task_struct, tasks);
			if (npids < 64)
				pids[npids++] = t->pid;
		}
		if (npids == 0) {
			ok(s, "spawn p");
			ops++;
			continue;
		}
		pid = pids[test_rand_below(&seed, (uint64_t)npids)];
		off = test_rand_below(&seed, 64) * 4096;
		len = (1 + test_rand_below(&seed, 16)) * 4096;
		if (r < 5 && npids < 12)
			snprintf(line, sizeof(line), "fork %d", pid);
		else if (r < 8)
			snprintf(line, sizeof(line), "exit %d", pid);
		else if (r < 18)
			snprintf(line, sizeof(line), "mmap %d 0x%llx %llu %s %s fixed",
			    pid, 0x100000000000ULL + off, (unsigned long long)len,
			    prots[test_rand_below(&seed, 5)],
			    test_rand_below(&seed, 4) == 0 ? "shared" :
			    test_rand_below(&seed, 3) == 0 ? "private file=f" :
			    "private");
		else if (r < 24)
			snprintf(line, sizeof(line), "munmap %d 0x%llx %llu", pid,
			    0x100000000000ULL + off, (unsigned long long)len);
		else if (r < 32)
			snprintf(line, sizeof(line), "mprotect %d 0x%llx %llu %s",
			    pid, 0x100000000000ULL + off, (unsigned long long)len,
			    prots[test_rand_below(&seed, 5)]);
		else if (r < 35)
			snprintf(line, sizeof(line), "madvise %d 0x%llx %llu dontneed",
			    pid, 0x100000000000ULL + off, (unsigned long long)len);
		else if (r < 37)
			snprintf(line, sizeof(line), "mremap %d 0x%llx %llu %llu maymove",
			    pid, 0x100000000000ULL + off, (unsigned long long)len,
			    (unsigned long long)len * 2);
		else if (r < 39)
			snprintf(line, sizeof(line), "switch %d", pid);
		else
			snprintf(line, sizeof(line), "touch %d 0x%llx+%llu %s",
			    pid, 0x100000000000ULL + off, (unsigned long long)len,
			    acc[test_rand_below(&seed, 4)]);
		{
			/* errors (EINVAL, ENOMEM) are results; invariants must hold */
			char why[512];
			char *o = test_run(s, line, NULL, NULL);

			free(o);
			ck_assert_msg(validate_machine(s->m, why, sizeof(why)) == 0,
			    "op %d '%s': %s", ops, line, why);
		}
		ops++;
	}
	session_free(s);
}
END_TEST

static Suite *fault_suite(void)
{
	Suite *s = suite_create("fault");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_read_then_write_2n);
	tcase_add_test(tc, test_write_first);
	tcase_add_test(tc, test_fork_cow_counts);
	tcase_add_test(tc, test_fork_parent_first);
	tcase_add_test(tc, test_shared_anon);
	tcase_add_test(tc, test_file_faults);
	tcase_add_test(tc, test_file_cow);
	tcase_add_test(tc, test_sigbus);
	tcase_add_test(tc, test_sigsegv);
	tcase_add_test(tc, test_mprotect);
	tcase_add_test(tc, test_unmap_dontneed_mremap);
	tcase_add_test(tc, test_stack_growth);
	tcase_add_test(tc, test_huge_pages);
	tcase_add_test(tc, test_exit_frees_everything);
	tcase_add_test(tc, test_switch);
	tcase_add_test(tc, test_rmap);
	tcase_add_loop_test(tc, test_stress, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(fault_suite());
}
