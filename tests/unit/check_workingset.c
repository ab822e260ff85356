/*
 * check_workingset.c - what reclaim knows of the past and the future:
 * Belady's OPT on a replayed trace (opt.c, shrink_opt in vmscan.c,
 * `replay` in cmd-trace.c) and the shadow entries that turn a file page
 * read back after eviction into a refault (filemap.c, workingset.c),
 * with the swap side counted by the same rule.
 *
 * Why the machine's OPT cannot match `refstring --policy opt` victim for
 * victim: the machine does not evict one page per miss. An allocation
 * that takes a zone below its low watermark wakes kswapd, which frees
 * pages until the zone is above high; even OPT, which takes only that
 * deficit, evicts high - min + 1 pages at a time (3 on an 8-frame toy),
 * so the process holds between F - 3 and F frames instead of a fixed F.
 * The tests check a hand-worked small case exactly, and on a longer
 * trace the bounds that follow: fewer major faults than every other
 * policy, and never fewer misses than refstring's OPT with all the
 * frames the process could have had (OPT is optimal for any policy that
 * holds at most F pages, batches included).
 */
#include <stdio.h>
#include <unistd.h>

#include "testutil.h"
#include "vmscope/filemap.h"
#include "vmscope/lru.h"
#include "vmscope/opt.h"
#include "vmscope/refstring.h"
#include "vmscope/task.h"

/* A temporary file holding text; the caller unlinks path. */
static void write_temp(char *path, const char *text)
{
	int fd = mkstemp(path);
	FILE *fp;

	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

/* Run a line that must succeed; return its output (caller frees). */
static char *run_out(struct session *s, const char *line)
{
	int failed;
	char *err, *out = test_run(s, line, &failed, &err);
	char why[512];

	ck_assert_msg(failed == 0, "'%s' failed: %s", line, err);
	ck_assert_msg(validate_machine(s->m, why, sizeof(why)) == 0,
	    "after '%s': %s", line, why);
	free(err);
	return out;
}

/* The major faults a replay reports ("..., N major"). */
static unsigned long replay_majors(const char *out)
{
	const char *p = strstr(out, " major\n");
	unsigned long n;

	ck_assert_ptr_nonnull(p);
	while (p > out && p[-1] >= '0' && p[-1] <= '9')
		p--;
	ck_assert_int_eq(sscanf(p, "%lu", &n), 1);
	return n;
}

/* Replay path under policy on a fresh machine; the output. */
static char *replay_under(const char *machine, const char *policy,
    const char *path, const char *opts)
{
	struct session *s = session_new();
	char line[512];
	char *out;

	s->debug_checks = true;
	snprintf(line, sizeof(line), "%s --policy %s", machine, policy);
	free(run_out(s, line));
	free(run_out(s, "spawn a"));
	snprintf(line, sizeof(line), "replay 1 %s%s", path, opts);
	out = run_out(s, line);
	session_free(s);
	return out;
}

/*
 * Silberschatz's string, every reference a write, on an 8-frame toy:
 * 2 frames of page tables, wmark min/low/high 1/2/3. Worked by hand:
 *   refs  7 0 1 2 fill pfns 2-5; ref 5 (page 3) takes the zone to 1 free
 *         page and kswapd must free 3: next uses 7@17 1@13 2@8 0@6, so
 *         7, 1 and 2 go;
 *   refs  6-12 bring 4 in and 2 back (major); ref 13 (page 1, major)
 *         runs kswapd again: 3 and 4 are never used again (4, loaded
 *         last, first), then 0@15 beats 2@14;
 *   refs  15 (0) and 17 (7) are the last two major faults.
 * 6 first touches and 4 major faults; fifo and lru2q take 6 majors.
 */
START_TEST(test_opt_hand_worked)
{
	char path[] = "/tmp/check_workingset.XXXXXX";
	const char *machine = "machine --arch toy --ram 256";
	char *out;

	write_temp(path, "7 w 0 w 1 w 2 w 0 w 3 w 0 w 4 w 2 w 3 w\n"
	    "0 w 3 w 2 w 1 w 2 w 0 w 1 w 7 w 0 w 1 w\n");
	out = replay_under(machine, "opt", path, " --victims");
	ck_assert_msg(strstr(out, "6 minor faults, 4 major") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "victims: 7 1 2 4 3 0\n") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "(2 never used again)") != NULL, "%s", out);
	free(out);
	out = replay_under(machine, "fifo", path, "");
	ck_assert_uint_eq(replay_majors(out), 6);
	free(out);
	out = replay_under(machine, "lru2q", path, "");
	ck_assert_uint_eq(replay_majors(out), 6);
	free(out);
	/* refstring's OPT with 3 frames: the same string, other victims */
	{
		struct session *s = session_new();

		out = run_out(s, "refstring --frames 3 --policy opt "
		    "7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1");
		ck_assert(strstr(out, "hits 11 misses 9") != NULL);
		free(out);
		session_free(s);
	}
	unlink(path);
}
END_TEST

/*
 * A seeded loop over more pages than the toy has frames, with a hot set
 * sprinkled in: OPT beats every other policy, and stays above the bound
 * of refstring's OPT with every frame the process could hold.
 */
START_TEST(test_opt_bounds)
{
	static const char *const others[] = { "lru2q", "fifo", "lru", "clock" };
	const char *machine = "machine --arch toy --ram 1K --swap 4K";
	uint64_t seed = 0x5eed0f7, st = seed, pages[1200];
	char path[] = "/tmp/check_workingset.XXXXXX";
	struct sbuf text = SBUF_INIT;
	unsigned long opt_major, misses;
	size_t n = 0, distinct = 48;
	char *out;

	printf("test_opt_bounds: seed 0x%llx\n", (unsigned long long)seed);
	while (n < 1000) {
		for (uint64_t p = 0; p < distinct && n < 1000; p++) {
			pages[n++] = p;
			if (test_rand_below(&st, 4) == 0 && n < 1000)
				pages[n++] = test_rand_below(&st, 6);
		}
	}
	for (size_t i = 0; i < n; i++)
		sbuf_printf(&text, "%llu w\n", (unsigned long long)pages[i]);
	write_temp(path, text.s);
	sbuf_free(&text);

	out = replay_under(machine, "opt", path, "");
	opt_major = replay_majors(out);
	free(out);
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		unsigned long major;

		out = replay_under(machine, others[i], path, "");
		major = replay_majors(out);
		ck_assert_msg(opt_major < major, "opt %lu major faults, %s %lu",
		    opt_major, others[i], major);
		free(out);
	}
	/*
	 * 32 frames, of which the pgd and two pte tables are the kernel's:
	 * the process never holds more than 29. Every miss but the 48 first
	 * touches is a major fault.
	 */
	misses = refsim_run(REFSIM_OPT, 29, pages, n, NULL);
	ck_assert_msg(opt_major + distinct >= misses, "opt: %lu misses on the "
	    "machine, refstring's bound %lu", opt_major + distinct, misses);
	unlink(path);
}
END_TEST

/* The future advances with the accesses and keeps its tree in order. */
START_TEST(test_opt_future_api)
{
	struct session *s = session_new();
	static const uint64_t seq[] = { 5, 6, 5, 7, 6, 6, 8 };
	struct opt_future *f;
	struct task_struct *t;
	char why[256];
	size_t i;

	free(run_out(s, "machine --arch toy; spawn a"));
	t = find_task_by_pid(s->m, 1);
	ck_assert_ptr_nonnull(t);
	f = opt_future_new(t->mm, seq, 7);
	ck_assert(opt_future_valid(f));
	ck_assert_int_eq(opt_future_validate(f, why, sizeof(why)), 0);
	for (i = 0; i < 7; i++) {
		ck_assert(opt_future_access(f, seq[i]));
		ck_assert_msg(opt_future_validate(f, why, sizeof(why)) == 0,
		    "after access %zu: %s", i, why);
	}
	/* one more than the trace holds: the future is gone */
	ck_assert(!opt_future_access(f, 5));
	ck_assert(!opt_future_valid(f));
	opt_future_free(f);

	/* --victims is opt's: refused, nothing read, under another policy */
	{
		int failed;
		char *err, *out = test_run(s, "replay 1 /nonexistent --victims",
		    &failed, &err);

		ck_assert_int_eq(failed, 1);
		ck_assert_msg(strstr(err, "vmscope: replay: --victims lists the "
		    "victims of policy opt") != NULL, "%s", err);
		free(out);
		free(err);
	}

	/* opt needs the future: without one it is lru2q, and says so */
	{
		char *out = run_out(s, "policy opt");

		ck_assert(strstr(out, "falls back to lru2q") != NULL);
		free(out);
	}
	ck_assert(!opt_future_known(s->m));
	ck_assert_int_eq(lru_effective_policy(s->m), POLICY_LRU2Q);
	session_free(s);
}
END_TEST

/* Without replay, opt reclaims exactly as lru2q: same vmstat. */
START_TEST(test_opt_fallback_is_lru2q)
{
	const char *work = "spawn a; mmap 1 0x10000000 40M; "
	    "touch 1 0x10000000+40M w --quiet; touch 1 0x10000000+40M r --quiet";
	char *outs[2];

	for (int i = 0; i < 2; i++) {
		struct session *s = session_new();
		char line[128];

		snprintf(line, sizeof(line), "machine --ram 32M --policy %s",
		    i ? "opt" : "lru2q");
		free(run_out(s, line));
		free(run_out(s, work));
		outs[i] = run_out(s, "vmstat");
		session_free(s);
	}
	ck_assert_str_eq(outs[0], outs[1]);
	free(outs[0]);
	free(outs[1]);
}
END_TEST

static unsigned long vmstat_of(struct session *s, enum vm_event_item item)
{
	return s->m->vm_events[item];
}

/*
 * A file larger than memory, read twice: the first pass is cold (major,
 * no refault) and leaves a shadow for every page reclaim dropped; the
 * second pass finds them, and each read is both a major fault and a
 * refault.
 */
START_TEST(test_file_refault)
{
	struct session *s = session_new();
	struct address_space *as;
	unsigned long maj;
	char *out;

	s->debug_checks = true;
	free(run_out(s, "machine --ram 32M; spawn a; file data 48M; "
	    "mmap 1 0x10000000 48M r shared file=data"));
	out = run_out(s, "touch 1 0x10000000+48M r --quiet");
	ck_assert(strstr(out, "12288 major") != NULL);
	free(out);
	ck_assert_uint_eq(vmstat_of(s, VM_workingset_refault_file), 0);
	as = vm_file_lookup(s->m, "data")->mapping;
	ck_assert_ptr_nonnull(as);
	ck_assert_uint_gt(as->nrshadows, 0);
	ck_assert_uint_eq(as->nrshadows + as->nrpages, 12288);
	ck_assert_uint_ne(page_cache_shadow(as, 0), 0);
	ck_assert_ptr_null(find_get_page(as, 0));

	maj = vmstat_of(s, VM_pgmajfault);
	out = run_out(s, "touch 1 0x10000000+48M r --quiet");
	ck_assert(strstr(out, "12288 major") != NULL);
	free(out);
	ck_assert_uint_eq(vmstat_of(s, VM_pgmajfault) - maj, 12288);
	ck_assert_uint_eq(vmstat_of(s, VM_workingset_refault_file), 12288);
	ck_assert_uint_eq(as->refaults, 12288);
	ck_assert_uint_eq(vmstat_of(s, VM_workingset_refault_anon), 0);
	out = run_out(s, "vmstat");
	ck_assert(strstr(out, "workingset_refault_file 12288\n") != NULL);
	free(out);
	session_free(s);
}
END_TEST

/*
 * A page evicted recently (fewer evictions since than there are active
 * pages) comes back active, anonymous or file alike.
 */
START_TEST(test_refault_activates)
{
	struct session *s = session_new();
	unsigned long act;

	s->debug_checks = true;
	free(run_out(s, "machine --ram 32M; spawn a; mmap 1 0x10000000 256K; "
	    "touch 1 0x10000000+256K w --quiet; reclaim 8"));
	ck_assert_uint_gt(global_lru_pages(s->m, LRU_ACTIVE_ANON), 4);
	free(run_out(s, "file f 16K; mmap 1 0x20000000 16K r shared file=f; "
	    "touch 1 0x20000000+16K r --quiet; "
	    "madvise 1 0x20000000 16K pageout"));
	ck_assert_uint_eq(global_lru_pages(s->m, LRU_ACTIVE_FILE), 0);
	act = vmstat_of(s, VM_pgactivate);
	free(run_out(s, "touch 1 0x20000000+16K r --quiet"));
	ck_assert_uint_eq(vmstat_of(s, VM_workingset_refault_file), 4);
	ck_assert_uint_eq(global_lru_pages(s->m, LRU_ACTIVE_FILE), 4);
	ck_assert_uint_eq(vmstat_of(s, VM_pgactivate) - act, 4);

	/* the anonymous side: the same rule through the swap slot */
	free(run_out(s, "madvise 1 0x10000000 16K pageout"));
	free(run_out(s, "touch 1 0x10000000+16K r --quiet"));
	ck_assert_uint_eq(vmstat_of(s, VM_workingset_refault_anon), 4);
	ck_assert_uint_eq(vmstat_of(s, VM_workingset_refault_file), 4);
	session_free(s);
}
END_TEST

static Suite *workingset_suite(void)
{
	Suite *s = suite_create("workingset");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_opt_hand_worked);
	tcase_add_test(tc, test_opt_bounds);
	tcase_add_test(tc, test_opt_future_api);
	tcase_add_test(tc, test_opt_fallback_is_lru2q);
	tcase_add_test(tc, test_file_refault);
	tcase_add_test(tc, test_refault_activates);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(workingset_suite());
}
