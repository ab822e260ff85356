/*
 * check_state.c - whole-machine save and restore (src/scenario/state.c).
 *
 * The proof that nothing is lost: a seeded random workload (spawn, fork,
 * exit, mmap, munmap, mprotect, brk, malloc, file mappings, touches,
 * reclaim, madvise pageout, policy changes, kernel allocations) runs on a
 * machine; the machine is saved and restored into a second session; then
 * the same continuation runs on both, and every command's output and
 * error text must be byte for byte the same, and so must the final saves.
 * Restore-then-save must reproduce the file exactly, and a refused file
 * must leave the session's machine as it was.
 */
#include <stdio.h>
#include <inttypes.h>
#include <unistd.h>

#include "testutil.h"
#include "vmscope/scenario.h"
#include "vmscope/state.h"
#include "vmscope/task.h"

static struct session *new_session(void)
{
	struct session *s = session_new();

	scenario_attach(s, NULL);
	return s;
}

static char *save_str(struct machine *m)
{
	struct sbuf sb = SBUF_INIT;

	state_write(m, &sb);
	return sbuf_steal(&sb);
}

/* Restore text into a new machine, save it again: the same bytes. */
static struct machine *roundtrip(const char *text)
{
	struct sbuf err = SBUF_INIT;
	struct machine *m;
	char *again;

	m = state_parse("t.json", text, strlen(text), &err);
	ck_assert_msg(m != NULL, "restore failed: %s", sbuf_str(&err));
	again = save_str(m);
	ck_assert_msg(strcmp(again, text) == 0,
	    "restore then save differs from the file");
	free(again);
	sbuf_free(&err);
	return m;
}

START_TEST(test_default_machine)
{
	struct machine_config cfg;
	struct machine *m, *r;
	char err[256], *text;

	machine_config_default(&cfg);
	m = machine_new(&cfg, err, sizeof(err));
	text = save_str(m);
	ck_assert_ptr_nonnull(strstr(text, "\"format\": \"vmscope-state\""));
	r = roundtrip(text);
	machine_free(r);
	machine_free(m);
	free(text);
}
END_TEST

/*
 * The workload's address space: every process gets an anonymous region
 * of ANON_PAGES at ANON_BASE and a shared or private mapping of data.bin
 * at FILE_BASE when it is spawned (low enough for 32-bit machines);
 * commands then work inside them, so most touches fault pages in and
 * some (after munmap or mprotect) kill their process.
 */
#define ANON_BASE	0x10000000ULL
#define ANON_PAGES	512
#define FILE_BASE	0x20000000ULL
#define FILE_PAGES	64

static int random_pid(struct machine *m, uint64_t *rng)
{
	struct task_struct *t;
	int n = 0, k;

	list_for_each_entry(t, &m->tasks, tasks)
		n++;
	if (n == 0)
		return 0;
	k = (int)test_rand_below(rng, (uint64_t)n);
	list_for_each_entry(t, &m->tasks, tasks) {
		if (k-- == 0)
			return t->pid;
	}
	return 0;
}

static char *spawn_cmd(struct machine *m, uint64_t *rng)
{
	int pid = m->last_pid + 1;

	return xasprintf("spawn p%d; mmap %d 0x%llx %dp rw; "
	    "mmap %d 0x%llx %dp rw %s file=data.bin", pid, pid, ANON_BASE,
	    ANON_PAGES, pid, FILE_BASE, FILE_PAGES,
	    test_rand_below(rng, 2) ? "shared" : "private");
}

/* One random command of the workload. */
static char *random_cmd(struct machine *m, uint64_t *rng)
{
	static const char *const policies[] = { "lru2q", "fifo", "clock",
	    "lru" };
	int pid = random_pid(m, rng);
	unsigned pages = 1 + (unsigned)test_rand_below(rng, 64);
	uint64_t page = test_rand_below(rng, ANON_PAGES - pages);
	uint64_t addr = ANON_BASE + page * m->page_size;
	uint64_t faddr = FILE_BASE + test_rand_below(rng, FILE_PAGES / 2) *
	    m->page_size;

	if (pid == 0 || test_rand_below(rng, 30) == 0)
		return spawn_cmd(m, rng);
	switch (test_rand_below(rng, 21)) {
	case 19:
		return xasprintf("madvise %d 0x%llx %dp hugepage", pid,
		    ANON_BASE, ANON_PAGES);
	case 0:
		return xasprintf("fork %d", pid);
	case 1:
		return test_rand_below(rng, 4) == 0 ? xasprintf("exit %d", pid) :
		    xasprintf("switch %d", pid);
	case 2:
		return xasprintf("munmap %d 0x%llx %up", pid,
		    (unsigned long long)(ANON_BASE + (ANON_PAGES - 8 +
		    test_rand_below(rng, 8)) * m->page_size), 1 + pages % 4);
	case 3:
	case 4:
	case 5:
	case 6:
		return xasprintf("touch %d 0x%llx+%up %s", pid,
		    (unsigned long long)addr, pages,
		    test_rand_below(rng, 2) ? "w" : "r");
	case 7:
		return xasprintf("malloc %d %u", pid,
		    (unsigned)test_rand_below(rng, 300000) + 1);
	case 8:
		return xasprintf("reclaim %u", pages);
	case 9:
		return xasprintf("madvise %d 0x%llx %up pageout", pid,
		    (unsigned long long)addr, pages);
	case 10:
		return xasprintf("mprotect %d 0x%llx %up %s", pid,
		    (unsigned long long)addr, pages,
		    test_rand_below(rng, 3) ? "rw" : "r");
	case 11:
	case 12:
		return xasprintf("touch %d 0x%llx+%up %s", pid,
		    (unsigned long long)faddr, 1 + pages % 16,
		    test_rand_below(rng, 2) ? "w" : "r");
	case 13:
		return xasprintf("brk %d +%uK", pid, pages * 4);
	case 14:
		return xasprintf("policy %s", policies[test_rand_below(rng, 4)]);
	case 15:
		return xasprintf("alloc_pages %u",
		    (unsigned)test_rand_below(rng, 3));
	case 16:
		return xasprintf("kmalloc %u",
		    (unsigned)test_rand_below(rng, 5000) + 1);
	case 17:
		return xasprintf("madvise %d 0x%llx %up dontneed", pid,
		    (unsigned long long)addr, pages);
	case 18:
		return xasprintf("mremap %d 0x%llx %up %up maymove", pid,
		    (unsigned long long)(ANON_BASE + (ANON_PAGES - 16) *
		    m->page_size), 4u, 4u + pages % 8);
	default:
		return xasprintf("touch %d 0x%llx+%up w", pid,
		    (unsigned long long)ANON_BASE, 1 + pages % 4);
	}
}

static void run_both(struct session *a, struct session *b, const char *line,
    int step)
{
	struct sbuf ao = SBUF_INIT, ae = SBUF_INIT, bo = SBUF_INIT, be = SBUF_INIT;

	cmd_run_line(a, line, &ao, &ae);
	cmd_run_line(b, line, &bo, &be);
	ck_assert_msg(strcmp(sbuf_str(&ao), sbuf_str(&bo)) == 0 &&
	    strcmp(sbuf_str(&ae), sbuf_str(&be)) == 0,
	    "step %d '%s': the restored machine answers differently:\n"
	    "original:\n%s%s\nrestored:\n%s%s", step, line, sbuf_str(&ao),
	    sbuf_str(&ae), sbuf_str(&bo), sbuf_str(&be));
	sbuf_free(&ao);
	sbuf_free(&ae);
	sbuf_free(&bo);
	sbuf_free(&be);
}

static void workload(const char *machine, uint64_t seed, int before, int after)
{
	struct session *a = new_session(), *b = new_session();
	uint64_t rng = seed;
	char *line, *text, *ta, *tb, why[512];
	int i;

	printf("state workload: %s, seed %" PRIu64 "\n", machine, seed);
	RUN_OK(a, machine);
	RUN_OK(a, "file data.bin 1M");
	for (i = 0; i < before; i++) {
		line = random_cmd(a->m, &rng);
		free(test_run(a, line, NULL, NULL));
		ck_assert_msg(validate_machine(a->m, why, sizeof(why)) == 0,
		    "seed %" PRIu64 " step %d '%s': %s", seed, i, line, why);
		free(line);
	}
	text = save_str(a->m);
	session_set_machine(b, roundtrip(text));
	for (i = 0; i < after; i++) {
		line = random_cmd(a->m, &rng);
		run_both(a, b, line, before + i);
		free(line);
	}
	/* the views, too */
	run_both(a, b, "ps; meminfo; vmstat; buddyinfo; zoneinfo; tlb; swaps; "
	    "slabinfo; frames", -1);
	for (i = 1; i <= a->m->last_pid; i++) {
		line = xasprintf("maps %d; smaps %d; pagetable %d; status %d", i,
		    i, i, i);
		run_both(a, b, line, -1);
		free(line);
	}
	ta = save_str(a->m);
	tb = save_str(b->m);
	ck_assert_msg(strcmp(ta, tb) == 0, "the final saves differ");
	free(ta);
	free(tb);
	free(text);
	session_free(a);
	session_free(b);
}

START_TEST(test_workload_x86_64)
{
	workload("machine --ram 32M --swap 4M", 0x5eed0001ULL + (uint64_t)_i,
	    250, 250);
}
END_TEST

START_TEST(test_workload_i386)
{
	workload("machine --arch i386 --ram 32M --swap 8M --tlb 16x2", 0x77ULL,
	    200, 200);
}
END_TEST

START_TEST(test_workload_no_asid_fifo)
{
	workload("machine --ram 32M --swap 2M --asid off --policy fifo",
	    0x1234ULL, 200, 200);
}
END_TEST

START_TEST(test_workload_arm64)
{
	workload("machine --arch arm64 --ram 32M --swap 4M", 0xa64ULL, 150, 150);
}
END_TEST

/*
 * Huge pages (THP, a COW copy of one, a split by mprotect, hugetlb), the
 * OOM killer and swapoff, through a save and restore in the middle.
 */
START_TEST(test_scripted)
{
	static const char *const before[] = {
		"machine --ram 32M --swap 1M",
		"spawn a; mmap 1 0x40000000 4M rw; madvise 1 0x40000000 4M hugepage",
		"touch 1 0x40000000 w; touch 1 0x40200000 r; fork 1",
		"touch 2 0x40000000 w; mprotect 1 0x40201000 4K r",
		"mmap 2 0x80000000 2M rw hugetlb; touch 2 0x80000000 w",
		"spawn b; mmap 3 0x10000000 6M rw; touch 3 0x10000000+1000p w",
		"swapon 2M; swaps",
	};
	static const char *const after[] = {
		"touch 3 0x10000000+1500p r",
		"spawn c; mmap 4 0x10000000 24M rw; touch 4 0x10000000+6000p w",
		"ps; swaps; vmstat",
		"swapoff 1; swaps; meminfo",
		"touch 1 0x40000000+16p w; touch 2 0x40200000 w",
		"exit 1; exit 2; frames; tlb; buddyinfo",
	};
	struct session *a = new_session(), *b = new_session();
	char *text, *ta, *tb;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(before); i++)
		RUN_OK(a, before[i]);
	text = save_str(a->m);
	ck_assert_ptr_nonnull(strstr(text, "\"n\": 511, \"flags\": \"tail\""));
	session_set_machine(b, roundtrip(text));
	for (i = 0; i < ARRAY_SIZE(after); i++)
		run_both(a, b, after[i], (int)i);
	ta = save_str(a->m);
	tb = save_str(b->m);
	ck_assert_msg(a->m->vm_events[VM_oom_kill] > 0, "no OOM kill happened");
	ck_assert_msg(strcmp(ta, tb) == 0, "the final saves differ");
	free(ta);
	free(tb);
	free(text);
	session_free(a);
	session_free(b);
}
END_TEST

/* A refused file leaves the session's machine exactly as it was. */
START_TEST(test_refused_keeps_machine)
{
	struct session *s = new_session();
	char *before, *after, *out, *err, path[] = "/tmp/vmscope-stateXXXXXX";
	int fd, failed;
	FILE *fp;

	RUN_OK(s, "spawn app; mmap 1 64K; touch 1 0x7ffff7fef000+4p w");
	before = save_str(s->m);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	/* a frame that claims an anon_vma nobody has */
	fputs(before, fp);
	fclose(fp);
	{
		char *line = xasprintf("save %s; restore %s", path, path);

		free(test_run(s, line, &failed, &err));
		ck_assert_int_eq(failed, 0);
		free(err);
		free(line);
	}
	fp = fopen(path, "w");
	fputs("{\"format\": \"vmscope-state\", \"version\": 1, \"machine\": 3}", fp);
	fclose(fp);
	{
		char *line = xasprintf("restore %s", path);

		out = test_run(s, line, &failed, &err);
		ck_assert_int_eq(failed, 1);
		ck_assert_ptr_nonnull(strstr(err, ": machine: expected an object"));
		ck_assert(s->file_error);
		free(out);
		free(err);
		free(line);
	}
	after = save_str(s->m);
	ck_assert_str_eq(before, after);
	unlink(path);
	free(before);
	free(after);
	session_free(s);
}
END_TEST

/* Truncating a real save anywhere is refused, never a crash. */
START_TEST(test_truncated)
{
	struct session *s = new_session();
	struct sbuf err = SBUF_INIT;
	char *text;
	size_t len, cut;

	RUN_OK(s, "machine --arch toy; spawn a; mmap 1 0x1000 8p; "
	    "touch 1 0x1000+8p w; fork 1; touch 2 0x1000+2p w");
	text = save_str(s->m);
	len = strlen(text);
	for (cut = 0; cut < len; cut += 1 + cut / 16) {
		struct machine *m = state_parse("cut.json", text, cut, &err);

		ck_assert_msg(m == NULL, "a file cut at %zu was accepted", cut);
		ck_assert_msg(strncmp(sbuf_str(&err), "cut.json:", 9) == 0,
		    "message: %s", sbuf_str(&err));
		sbuf_reset(&err);
	}
	sbuf_free(&err);
	free(text);
	session_free(s);
}
END_TEST

static Suite *state_suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_default_machine);
	tcase_add_loop_test(tc, test_workload_x86_64, 0, 3);
	tcase_add_test(tc, test_workload_i386);
	tcase_add_test(tc, test_workload_no_asid_fifo);
	tcase_add_test(tc, test_workload_arm64);
	tcase_add_test(tc, test_scripted);
	tcase_add_test(tc, test_refused_keeps_machine);
	tcase_add_test(tc, test_truncated);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(state_suite());
}
