/*
 * check_reclaim.c - reclaim and the OOM killer (vmscan.c, oom_kill.c,
 * the slow path of page_alloc.c): second chance on the LRU lists, kswapd
 * woken below low and working until high, direct reclaim counters, the
 * textbook policies, OOM victim choice and the kernel's kill line, and a
 * stress run under memory pressure with every invariant checked after
 * every command and nothing leaked at the end.
 */
#include <stdio.h>

#include "testutil.h"
#include "vmscope/lru.h"
#include "vmscope/page_alloc.h"
#include "vmscope/pgtable.h"
#include "vmscope/swap.h"
#include "vmscope/task.h"
#include "vmscope/vmscan.h"

#define BASE	"0x10000000"

static uint64_t pte_of(struct session *s, int pid, uint64_t addr)
{
	struct task_struct *t = find_task_by_pid(s->m, pid);
	uint64_t *ptep;

	ck_assert_ptr_nonnull(t);
	ptep = pte_offset(t->mm->pgt, addr);
	return ptep != NULL ? *ptep : 0;
}

/*
 * Second chance: 64 pages touched, accessed bits cleared by a first scan
 * (they are activated: anonymous and young), then half of them touched
 * again. The next reclaim passes over the referenced half and takes the
 * other.
 */
START_TEST(test_second_chance)
{
	struct session *s = pressure_session("machine --ram 64M --swap 64M");
	struct machine *m = s->m;
	uint64_t a;
	int swapped_even = 0, swapped_odd = 0, i;

	RUN_OK(s, "spawn a; mmap 1 " BASE " 256K");
	RUN_OK(s, "touch 1 " BASE "+256K w --quiet");
	ck_assert_uint_eq(global_lru_pages(m, LRU_INACTIVE_ANON) +
	    global_lru_pages(m, LRU_ACTIVE_ANON), 64 +
	    global_lru_pages(m, LRU_INACTIVE_ANON) +
	    global_lru_pages(m, LRU_ACTIVE_ANON) - 64);
	/* first reclaim: everything is young, so anon pages are activated */
	RUN_OK(s, "reclaim 16");
	ck_assert_uint_gt(m->vm_events[VM_pgactivate], 0);
	/* touch the odd pages again */
	for (i = 1; i < 64; i += 2) {
		char line[64];

		snprintf(line, sizeof(line), "touch 1 %#llx r --quiet",
		    (unsigned long long)(0x10000000 + i * 4096));
		RUN_OK(s, line);
	}
	RUN_OK(s, "reclaim 32");
	ck_assert_uint_gt(m->vm_events[VM_pgdeactivate], 0);
	for (i = 0; i < 64; i++) {
		a = 0x10000000 + (uint64_t)i * 4096;
		if (is_swap_pte(pte_of(s, 1, a))) {
			if (i & 1)
				swapped_odd++;
			else
				swapped_even++;
		}
	}
	ck_assert_int_gt(swapped_even, 0);
	ck_assert_int_lt(swapped_odd, swapped_even);
	session_free(s);
}
END_TEST

/* kswapd wakes when a zone goes below low and stops at or above high. */
START_TEST(test_kswapd_low_high)
{
	struct session *s = pressure_session("machine --ram 32M --swap 32M");
	struct machine *m = s->m;
	const struct vm_event *ev;
	bool balanced = false;
	struct zone *z;

	RUN_OK(s, "spawn a; mmap 1 " BASE " 40M");
	RUN_OK(s, "touch 1 " BASE "+36M w --quiet");
	ck_assert_uint_gt(m->vm_events[VM_kswapd_wakeups], 0);
	ck_assert_uint_gt(m->vm_events[VM_pgscan_kswapd], 0);
	ck_assert_uint_gt(m->vm_events[VM_pgsteal_kswapd], 0);
	ck_assert_uint_le(m->vm_events[VM_pgsteal_kswapd],
	    m->vm_events[VM_pgscan_kswapd]);
	/*
	 * kswapd's last run stopped with every zone at or above high (the
	 * allocations after it may take a zone back below high: kswapd only
	 * wakes again below low).
	 */
	for (size_t i = 0; (ev = event_log_get(&m->ev, i)) != NULL; i++) {
		if (ev->kind == EV_KSWAPD_RUN) {
			balanced = strstr(ev->str, "kswapd sleeps") != NULL;
			break;
		}
	}
	for_each_populated_zone(m, z)
		ck_assert_uint_ge(z->nr_free, low_wmark_pages(z));
	ck_assert(balanced);
	ck_assert(!m->nodes[0].kswapd_wait);
	session_free(s);
}
END_TEST

/* try_to_free_pages counts as direct reclaim. */
START_TEST(test_direct_reclaim_counters)
{
	struct session *s = pressure_session("machine --ram 64M --swap 64M");
	struct machine *m = s->m;
	unsigned long got;
	char why[512];

	RUN_OK(s, "spawn a; mmap 1 " BASE " 1M");
	RUN_OK(s, "touch 1 " BASE "+1M w --quiet");
	got = try_to_free_pages(m, 0, 0, ZONE_NORMAL);
	ck_assert_uint_eq(got, SWAP_CLUSTER_MAX);
	ck_assert_uint_eq(m->vm_events[VM_pgsteal_direct], got);
	ck_assert_uint_ge(m->vm_events[VM_pgscan_direct], got);
	ck_assert_uint_eq(m->vm_events[VM_pgsteal_kswapd], 0);
	ck_assert_int_eq(validate_machine(m, why, sizeof(why)), 0);
	session_free(s);
}
END_TEST

/*
 * Without swap, anonymous memory cannot be reclaimed: the slow path
 * stalls (allocstall), then the OOM killer takes the biggest process and
 * prints the kernel's line.
 */
START_TEST(test_oom_kill)
{
	struct session *s = pressure_session("machine --ram 32M --swap 0");
	struct machine *m = s->m;
	unsigned long stalls = 0;
	struct zone *z;
	char *out;

	RUN_OK(s, "spawn small; mmap 1 " BASE " 4M; touch 1 " BASE "+4M w --quiet");
	RUN_OK(s, "spawn big; mmap 2 " BASE " 20M; touch 2 " BASE "+20M w --quiet");
	RUN_OK(s, "spawn late; mmap 3 " BASE " 16M");
	RUN_OK(s, "oom_score_adj 3 100");
	out = test_run(s, "touch 3 " BASE "+16M w --quiet", NULL, NULL);
	/* dump_header names the allocating task and its allocation first */
	ck_assert_msg(strstr(out, "\nlate invoked oom-killer: gfp_mask=0x140cca"
	    "(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=100\n"
	    "oom-kill:constraint=") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "Out of memory: Killed process 2 (big) "
	    "total-vm:") != NULL, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "kB, UID:0 pgtables:"));
	ck_assert_ptr_nonnull(strstr(out, "oom_score_adj:0\n"));
	free(out);
	ck_assert_ptr_null(find_task_by_pid(m, 2));
	ck_assert_ptr_nonnull(find_task_by_pid(m, 1));
	ck_assert_uint_eq(m->vm_events[VM_oom_kill], 1);
	for_each_populated_zone(m, z)
		stalls += z->allocstall;
	ck_assert_uint_gt(stalls, 0);
	session_free(s);
}
END_TEST

/* oom_score_adj -1000 protects the biggest: the next one goes. */
START_TEST(test_oom_score_adj)
{
	struct session *s = pressure_session("machine --ram 32M --swap 0");
	struct machine *m = s->m;
	long b1, b2;
	char *out;

	RUN_OK(s, "spawn small; mmap 1 " BASE " 8M; touch 1 " BASE "+8M w --quiet");
	RUN_OK(s, "spawn big; mmap 2 " BASE " 12M; touch 2 " BASE "+12M w --quiet");
	b1 = oom_badness(m, find_task_by_pid(m, 1), m->totalram_pages);
	b2 = oom_badness(m, find_task_by_pid(m, 2), m->totalram_pages);
	ck_assert_int_gt(b2, b1);
	ck_assert_int_gt(b1, 2048);	/* rss + page tables */
	RUN_OK(s, "oom_score_adj 2 -1000");
	RUN_OK(s, "spawn late; mmap 3 " BASE " 16M");
	out = test_run(s, "touch 3 " BASE "+16M w --quiet", NULL, NULL);
	ck_assert_msg(strstr(out, "Killed process 1 (small)") != NULL ||
	    strstr(out, "Killed process 3 (late)") != NULL, "%s", out);
	ck_assert_ptr_nonnull(find_task_by_pid(m, 2));
	free(out);
	session_free(s);
}
END_TEST

/* Each policy reclaims, keeps the lists consistent and can switch. */
START_TEST(test_policies)
{
	static const char *const pols[] = { "fifo", "lru", "clock", "opt",
	    "lru2q" };
	struct session *s = pressure_session("machine --ram 64M --swap 64M");
	struct machine *m = s->m;
	unsigned long before;
	size_t i;
	char line[64];

	RUN_OK(s, "spawn a; mmap 1 " BASE " 2M; touch 1 " BASE "+2M w --quiet");
	for (i = 0; i < ARRAY_SIZE(pols); i++) {
		snprintf(line, sizeof(line), "policy %s", pols[i]);
		RUN_OK(s, line);
		RUN_OK(s, "touch 1 " BASE "+2M r --quiet");
		before = m->vm_events[VM_pgsteal_kswapd];
		RUN_OK(s, "reclaim 64");
		ck_assert_msg(m->vm_events[VM_pgsteal_kswapd] > before,
		    "policy %s reclaimed nothing", pols[i]);
		if (i < 3) {
			ck_assert_uint_eq(global_lru_pages(m, LRU_ACTIVE_ANON),
			    0);
		}
	}
	/* fifo takes the oldest page even when it was just used */
	RUN_OK(s, "policy fifo");
	RUN_OK(s, "spawn b; mmap 2 " BASE " 64K; touch 2 " BASE "+64K w --quiet");
	RUN_OK(s, "touch 1 " BASE "+2M r --quiet");
	RUN_OK(s, "reclaim 1");
	session_free(s);
}
END_TEST

/*
 * Stress: working sets larger than RAM, many processes, fork and exit,
 * every invariant checked after every command (debug_checks), and at the
 * end no frame and no slot leaked.
 */
/*
 * A THP is on the LRU as one entry that counts for its 512 pages (meminfo
 * Inactive(anon) = AnonPages after the fault); reclaim splits it and
 * swaps the pages out; a partial munmap splits it in place on its list.
 * Under every policy (the textbook ones keep one list).
 */
START_TEST(test_thp_on_lru)
{
	static const char *const policies[] = { "lru2q", "fifo", "clock" };
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(policies); i++) {
		struct session *s;
		struct machine *m;
		struct lruvec *lv;
		struct page *head;
		char line[128];
		char *out;

		snprintf(line, sizeof(line), "machine --ram 64M --policy %s",
		    policies[i]);
		s = pressure_session(line);
		m = s->m;
		lv = node_lruvec(m, 0);
		RUN_OK(s, "spawn thp; mmap 1 0xc0000000 4M; madvise 1 0xc0000000 "
		    "4M hugepage");
		RUN_OK(s, "touch 1 0xc0000000+4M w --quiet");
		head = pfn_to_page(m, pte_pfn(*pmd_offset(find_task_by_pid(m,
		    1)->mm->pgt, 0xc0000000)));
		ck_assert(PageTransHuge(head));
		ck_assert(PageLRU(head));
		ck_assert_uint_eq(global_lru_pages(m, LRU_INACTIVE_ANON), 1024);
		out = test_run(s, "meminfo", NULL, NULL);
		ck_assert_ptr_nonnull(strstr(out, "Inactive(anon):     4096 kB"));
		ck_assert_ptr_nonnull(strstr(out, "AnonHugePages:      4096 kB"));
		free(out);

		/* munmap of half of one: split in place, 256 pages go */
		RUN_OK(s, "munmap 1 0xc0000000 1M");
		ck_assert(!PageFlag(head, PG_head));
		ck_assert_uint_eq(global_lru_pages(m, LRU_INACTIVE_ANON), 768);

		/* reclaim splits the other and swaps all of them out */
		RUN_OK(s, "reclaim 10000");
		ck_assert_uint_eq(global_lru_pages(m, LRU_INACTIVE_ANON) +
		    global_lru_pages(m, LRU_ACTIVE_ANON), 0);
		ck_assert_uint_eq(m->vm_events[VM_pswpout], 768);
		ck_assert(is_swap_pte(pte_of(s, 1, 0xc0200000)));
		out = test_run(s, "touch 1 0xc0200000+8K r", NULL, NULL);
		ck_assert_ptr_nonnull(strstr(out, "2 major"));
		free(out);
		RUN_OK(s, "exit 1");
		ck_assert_uint_eq(lv->nr_pages[LRU_INACTIVE_ANON] +
		    lv->nr_pages[LRU_ACTIVE_ANON], 0);
		ck_assert_uint_eq(nr_free_swap_pages(m), total_swap_pages(m));
		session_free(s);
	}
}
END_TEST

START_TEST(test_stress)
{
	struct session *s = pressure_session("machine --ram 32M --swap 48M");
	struct machine *m = s->m;
	unsigned long free0;
	uint64_t seed = 12345;
	struct task_struct *t, *tn;
	char line[128];
	int round, alive = 0;
	bool zero0;

	/* what is allocated for good: the zero page, once made */
	free0 = global_free_pages(m);
	zero0 = m->has_zero_page;
	for (round = 0; round < 80; round++) {
		unsigned r = (unsigned)test_rand_below(&seed, 10);
		int pid;

		if (alive < 2 || r < 2) {
			snprintf(line, sizeof(line), "spawn p%d", round);
			RUN_OK(s, line);
			pid = m->last_pid;
			snprintf(line, sizeof(line), "mmap %d " BASE " 12M", pid);
			RUN_OK(s, line);
			alive++;
			continue;
		}
		/* a random live process */
		pid = 0;
		list_for_each_entry(t, &m->tasks, tasks) {
			if (test_rand_below(&seed, 3) == 0 || pid == 0)
				pid = t->pid;
		}
		if (r < 4 && alive < 8) {
			snprintf(line, sizeof(line), "fork %d", pid);
			RUN_OK(s, line);
			alive++;
		} else if (r < 5 && alive > 2) {
			snprintf(line, sizeof(line), "exit %d", pid);
			RUN_OK(s, line);
			alive--;
		} else {
			uint64_t off = test_rand_below(&seed, 4) << 20;

			snprintf(line, sizeof(line), "touch %d %#llx+8M %s --quiet",
			    pid, (unsigned long long)(0x10000000 + off),
			    r & 1 ? "w" : "r");
			RUN_OK(s, line);
		}
		alive = (int)list_count(&m->tasks);
	}
	ck_assert_uint_gt(m->vm_events[VM_pswpout], 0);
	ck_assert_uint_gt(m->vm_events[VM_pswpin], 0);
	list_for_each_entry_safe(t, tn, &m->tasks, tasks) {
		snprintf(line, sizeof(line), "exit %d", t->pid);
		RUN_OK(s, line);
	}
	ck_assert_uint_eq(nr_free_swap_pages(m), total_swap_pages(m));
	ck_assert_uint_eq(total_swapcache_pages(m), 0);
	/* x86_64's zero page is in the kernel image, not from the buddy lists */
	(void)zero0;
	ck_assert_uint_eq(global_free_pages(m) + m->nr_file_pages, free0);
	session_free(s);
}
END_TEST

static Suite *reclaim_suite(void)
{
	Suite *s = suite_create("reclaim");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_second_chance);
	tcase_add_test(tc, test_kswapd_low_high);
	tcase_add_test(tc, test_direct_reclaim_counters);
	tcase_add_test(tc, test_oom_kill);
	tcase_add_test(tc, test_oom_score_adj);
	tcase_add_test(tc, test_policies);
	tcase_add_test(tc, test_thp_on_lru);
	tcase_add_test(tc, test_stress);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(reclaim_suite());
}
